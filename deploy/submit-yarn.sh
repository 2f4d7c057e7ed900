#!/usr/bin/env bash
# Runs a descent command through spark-submit on YARN, in client or cluster deploy mode.
set -euo pipefail
usage() {
  cat >&2 <<'USAGE'
usage: deploy/submit-yarn.sh client|cluster [SPARK_SUBMIT_OPTION ...] -- COMMAND [DESCENT_OPTION ...]

Runs descent's COMMAND (train, predict, evaluate, bench) on YARN. Needs a Spark 4.1 distribution
(SPARK_HOME or SPARK_SUBMIT) and the cluster's configuration (HADOOP_CONF_DIR or YARN_CONF_DIR).

  client   the driver runs here: --output (model.json, metrics.csv) is written on this machine
  cluster  the driver runs in the YARN application master's container: --output is written on
           that container's local disk and removed with it, so use cluster mode for predict
           (its output is any Hadoop path) or give --output a path on a mount every node shares

Sizing and placement from the environment (defaults in brackets):
  YARN_QUEUE [default]          --queue
  NUM_EXECUTORS [2]             --num-executors (the initial count with dynamic allocation)
  EXECUTOR_CORES [2]            --executor-cores
  EXECUTOR_MEMORY [4g]          --executor-memory (heap; YARN adds spark.executor.memoryOverhead)
  EXECUTOR_MEMORY_OVERHEAD []   spark.executor.memoryOverhead, when set
  DRIVER_MEMORY [2g]            --driver-memory
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
if [[ -z "${HADOOP_CONF_DIR:-}" && -z "${YARN_CONF_DIR:-}" ]]; then
  echo "submit-yarn.sh: set HADOOP_CONF_DIR (or YARN_CONF_DIR) to the cluster's configuration" >&2
  exit 1
fi
opts=(--master yarn --deploy-mode "$mode" --name "descent ${descent_args[0]}"
  --queue "${YARN_QUEUE:-default}"
  --num-executors "${NUM_EXECUTORS:-2}"
  --executor-cores "${EXECUTOR_CORES:-2}"
  --executor-memory "${EXECUTOR_MEMORY:-4g}"
  --driver-memory "${DRIVER_MEMORY:-2g}")
[[ -n "${EXECUTOR_MEMORY_OVERHEAD:-}" ]] && opts+=(--conf "spark.executor.memoryOverhead=$EXECUTOR_MEMORY_OVERHEAD")
[[ -n "${DIST_FILES:-}" ]] && opts+=(--conf "spark.yarn.dist.files=$DIST_FILES")
# YARN classes are not on descent's Maven classpath: a Spark distribution is required.
allow_maven_classpath=0
spark_submit "${opts[@]}" "${spark_opts[@]+"${spark_opts[@]}"}" "$descent_jar" "${descent_args[@]}"
