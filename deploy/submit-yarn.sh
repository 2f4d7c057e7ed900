#!/usr/bin/env bash
# Runs a descent command through spark-submit on YARN, in client or cluster deploy mode.
set -euo pipefail
usage() {
  cat >&2 <<'USAGE'
usage: deploy/submit-yarn.sh client|cluster [SPARK_SUBMIT_OPTION ...] -- COMMAND [DESCENT_OPTION ...]

Runs descent's COMMAND (train, predict, evaluate, bench) on YARN, with the cluster's configuration
from HADOOP_CONF_DIR (or YARN_CONF_DIR). spark-submit is $SPARK_SUBMIT, $SPARK_HOME/bin/spark-submit
(a Spark 4.2 distribution) or spark-submit on the PATH; without any, SparkSubmit runs from this
checkout's Maven classpath (deploy/target/yarn-classpath.txt), and then the containers take Spark's
jars from spark.yarn.archive or spark.yarn.jars, which must be set (deploy/README.md).

  client   the driver runs here
  cluster  the driver runs in the YARN application master's container, whose local disk YARN
           removes with it: give train --output as a Hadoop URI (hdfs:///runs/a9a), where
           model.json, the metrics and the report then go

Before submitting, descent yarn-preflight (through the same spark-submit, in client mode) checks
that the jar and spark.yarn.archive can be read and that the containers fit the largest the
ResourceManager grants, and stops with one "descent: error:" line when not
(DESCENT_YARN_PREFLIGHT=0 skips the check).

Sizing and placement from the environment; unset, the property of the properties file
(deploy/spark-defaults.conf or DESCENT_SPARK_DEFAULTS) applies, else the default in brackets:
  YARN_QUEUE [default]          --queue (spark.yarn.queue)
  NUM_EXECUTORS [2]             --num-executors (spark.executor.instances; the initial count with
                                dynamic allocation)
  EXECUTOR_CORES [2]            --executor-cores (spark.executor.cores)
  EXECUTOR_MEMORY [4g]          --executor-memory (spark.executor.memory: the heap; YARN's container
                                adds spark.executor.memoryOverhead)
  EXECUTOR_MEMORY_OVERHEAD []   spark.executor.memoryOverhead, when set
  DRIVER_MEMORY [2g]            --driver-memory (spark.driver.memory)
  DIST_FILES []                 comma-separated local files shipped into every container's working
                                directory (spark.yarn.dist.files), e.g. a log4j2.properties
spark-submit options before "--" are added after these, so they win.

  YARN_QUEUE=ml NUM_EXECUTORS=8 deploy/submit-yarn.sh cluster -- \
      predict --model hdfs:///models/a9a --data hdfs:///data/a9a.t --output hdfs:///scores/a9a
USAGE
  exit 2
}
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
[[ $# -lt 2 || "$1" == "-h" || "$1" == "--help" ]] && usage
mode="$1"
shift
if [[ "$mode" != client && "$mode" != cluster ]]; then
  echo "submit-yarn.sh: the deploy mode must be client or cluster, not '$mode'" >&2
  usage
fi
split_args "$@"
require_jar
# Without yarn-site.xml the YARN client looks for a resource manager at 0.0.0.0:8032 and retries
# for many minutes: name the problem now instead.
if [[ -z "${HADOOP_CONF_DIR:-}" && -z "${YARN_CONF_DIR:-}" ]]; then
  echo "submit-yarn.sh: set HADOOP_CONF_DIR (or YARN_CONF_DIR) to the directory of the cluster's yarn-site.xml and core-site.xml" >&2
  exit 1
fi
site=""
for var in HADOOP_CONF_DIR YARN_CONF_DIR; do
  dir="${!var:-}"
  [[ -z "$dir" ]] && continue
  if [[ ! -d "$dir" ]]; then
    echo "submit-yarn.sh: $var=$dir is not a directory; it must hold the cluster's yarn-site.xml and core-site.xml" >&2
    exit 1
  fi
  [[ -f "$dir/yarn-site.xml" ]] && site="$dir/yarn-site.xml"
done
if [[ -z "$site" ]]; then
  echo "submit-yarn.sh: no yarn-site.xml in HADOOP_CONF_DIR (${HADOOP_CONF_DIR:-unset}) or YARN_CONF_DIR (${YARN_CONF_DIR:-unset}); without it no resource manager can be found" >&2
  exit 1
fi
opts=(--master yarn --deploy-mode "$mode" --name "descent ${descent_args[0]}")
# size FLAG ENV_VALUE PROPERTY DEFAULT: FLAG with the environment's value; else nothing when the
# properties file (or a --conf) sets PROPERTY, so that it applies; else FLAG with the default.
size() {
  if [[ -n "$2" ]]; then
    opts+=("$1" "$2")
  elif [[ -z "$(spark_property "$3")" ]]; then
    opts+=("$1" "$4")
  fi
}
size --queue "${YARN_QUEUE:-}" spark.yarn.queue default
size --num-executors "${NUM_EXECUTORS:-}" spark.executor.instances 2
size --executor-cores "${EXECUTOR_CORES:-}" spark.executor.cores 2
size --executor-memory "${EXECUTOR_MEMORY:-}" spark.executor.memory 4g
size --driver-memory "${DRIVER_MEMORY:-}" spark.driver.memory 2g
[[ -n "${EXECUTOR_MEMORY_OVERHEAD:-}" ]] && opts+=(--conf "spark.executor.memoryOverhead=$EXECUTOR_MEMORY_OVERHEAD")
[[ -n "${DIST_FILES:-}" ]] && opts+=(--conf "spark.yarn.dist.files=$DIST_FILES")
# Without a Spark distribution: SparkSubmit and its YARN client from the Maven classpath, and
# Spark's jars for the containers from the cluster's file system (there is no SPARK_HOME/jars).
maven_classpath="$deploy_dir/target/yarn-classpath.txt"
if [[ -z "${SPARK_SUBMIT:-}" && ! -x "${SPARK_HOME:-/nonexistent}/bin/spark-submit" ]] \
  && ! command -v spark-submit >/dev/null 2>&1; then
  if [[ ! -f "$maven_classpath" ]]; then
    echo "submit-yarn.sh: needs a Spark 4.2 distribution (SPARK_HOME or SPARK_SUBMIT) or a build of this checkout (mvn -B -DskipTests package makes $maven_classpath)" >&2
    exit 1
  fi
  if [[ -z "$(spark_property spark.yarn.archive)" && -z "$(spark_property spark.yarn.jars)" ]]; then
    echo "submit-yarn.sh: without SPARK_HOME the YARN containers need Spark's jars on the cluster: set spark.yarn.archive (a zip of the jars in $maven_classpath, e.g. hdfs:///apps/spark/spark-jars-4.2.0.zip) or spark.yarn.jars, in the properties file or with --conf before --" >&2
    exit 1
  fi
fi
allow_maven_classpath=1
# Before submitting, what would otherwise end in a stack trace from spark-submit or YARN: the jar
# and spark.yarn.archive must exist and be readable, and each container must fit the largest the
# ResourceManager grants. descent yarn-preflight checks them through the same spark-submit in
# client mode with the same options (so it sees the same Spark configuration), from a local
# descent jar: DESCENT_JAR, or this checkout's build when DESCENT_JAR is on the cluster.
# Only its "descent: error:" lines are shown. DESCENT_YARN_PREFLIGHT=0 skips it.
preflight_jar="$descent_jar"
[[ -f "$preflight_jar" ]] || preflight_jar="$descent_root/jobs/target/descent-jobs.jar"
if [[ "${DESCENT_YARN_PREFLIGHT:-1}" != 0 && -f "$preflight_jar" ]]; then
  submit_command --master yarn --deploy-mode client "${opts[@]:4}" \
    "${spark_opts[@]+"${spark_opts[@]}"}" "$preflight_jar" \
    yarn-preflight --jar "$descent_jar" --deploy-mode "$mode"
  if ! preflight="$("${submit_cmd[@]}" 2>&1)"; then
    errors="$(grep '^descent: error: ' <<<"$preflight" || true)"
    if [[ -n "$errors" ]]; then
      echo "$errors" >&2
    else
      echo "$preflight" >&2
      echo "submit-yarn.sh: the check before submitting (descent yarn-preflight) failed; DESCENT_YARN_PREFLIGHT=0 skips it" >&2
    fi
    exit 1
  fi
fi
spark_submit "${opts[@]}" "${spark_opts[@]+"${spark_opts[@]}"}" "$descent_jar" "${descent_args[@]}"
