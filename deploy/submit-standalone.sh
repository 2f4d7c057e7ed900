#!/usr/bin/env bash
# Runs a descent command through spark-submit on a Spark standalone cluster.
set -euo pipefail
usage() {
  cat >&2 <<'USAGE'
usage: deploy/submit-standalone.sh MASTER_URL [SPARK_SUBMIT_OPTION ...] -- COMMAND [DESCENT_OPTION ...]

Runs descent's COMMAND on the standalone cluster at MASTER_URL (spark://host:7077[,host2:7077])
in client deploy mode: the driver runs here, so --data must be readable by every executor
(HDFS, S3, or a path mounted on every node) and --output is written on this machine.
spark-submit options before "--" are added after the defaults, so they win.

  deploy/submit-standalone.sh spark://master:7077 --total-executor-cores 16 -- \
      train --data hdfs:///data/a9a --num-features 123 --model logistic --epochs 5 --output runs/a9a

Sizing from the environment: --executor-memory $EXECUTOR_MEMORY (default 2g); --executor-cores
$EXECUTOR_CORES and --total-executor-cores $TOTAL_EXECUTOR_CORES when set (unset: one executor per
worker with all its cores, and every core of the cluster). Against a master on 127.0.0.1 or
localhost the driver binds to 127.0.0.1 too. Environment as for submit-local.sh:
SPARK_HOME or SPARK_SUBMIT (else SparkSubmit from this checkout's Maven classpath), DESCENT_JAR,
DESCENT_SPARK_DEFAULTS, DESCENT_DRIVER_MEMORY.
USAGE
  exit 2
}
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
[[ $# -lt 2 || "$1" == "-h" || "$1" == "--help" ]] && usage
master="$1"
shift
if [[ "$master" != spark://* ]]; then
  echo "submit-standalone.sh: MASTER_URL must look like spark://host:7077, not '$master'" >&2
  usage
fi
split_args "$@"
require_jar
sizing=(--executor-memory "${EXECUTOR_MEMORY:-2g}")
[[ -n "${EXECUTOR_CORES:-}" ]] && sizing+=(--executor-cores "$EXECUTOR_CORES")
[[ -n "${TOTAL_EXECUTOR_CORES:-}" ]] && sizing+=(--total-executor-cores "$TOTAL_EXECUTOR_CORES")
# A master on loopback (deploy/local-cluster.sh): the driver binds to 127.0.0.1 as well.
# shellcheck disable=SC2046
loopback_driver $(master_hosts "$master")
# The master of deploy/local-cluster.sh picks a free web UI port and writes its URL next to
# master-url; descent reads the workers' offer there when no executor starts.
cluster_state="${DESCENT_CLUSTER_DIR:-$deploy_dir/target/local-cluster}"
ui=()
if [[ -f "$cluster_state/master-ui-url" && "$(cat "$cluster_state/master-url" 2>/dev/null)" == "$master" ]]; then
  ui=(--conf "spark.descent.masterUi=$(cat "$cluster_state/master-ui-url")")
fi
allow_maven_classpath=1
spark_submit --master "$master" --deploy-mode client --name "descent ${descent_args[0]}" \
  "${sizing[@]}" "${driver_opts[@]+"${driver_opts[@]}"}" "${ui[@]+"${ui[@]}"}" \
  "${spark_opts[@]+"${spark_opts[@]}"}" "$descent_jar" "${descent_args[@]}"
