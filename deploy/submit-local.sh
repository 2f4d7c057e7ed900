#!/usr/bin/env bash
# Runs a descent command through spark-submit in local mode (driver and executors in one JVM).
set -euo pipefail
usage() {
  cat >&2 <<'USAGE'
usage: deploy/submit-local.sh [SPARK_SUBMIT_OPTION ...] -- COMMAND [DESCENT_OPTION ...]
       deploy/submit-local.sh COMMAND [DESCENT_OPTION ...]

Runs descent's COMMAND (train, predict, evaluate, bench) with spark-submit --master local[*];
spark-submit options before "--" are added after the defaults, so they win (e.g. --master local[2]).

  deploy/submit-local.sh train --data ../shared/data/a9a --num-features 123 --model logistic \
      --reg-l2 1e-4 --lr 1 --batch-size 326 --epochs 5 --output runs/a9a

Environment: SPARK_HOME or SPARK_SUBMIT (else SparkSubmit from this checkout's Maven classpath),
DESCENT_JAR, DESCENT_SPARK_DEFAULTS (default deploy/spark-defaults.conf), DESCENT_DRIVER_MEMORY
(heap of the driver when started from the Maven classpath; default 2g).
USAGE
  exit 2
}
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
[[ $# -eq 0 || "$1" == "-h" || "$1" == "--help" ]] && usage
split_args "$@"
require_jar
# Local mode: the driver is the whole application; it listens on loopback only.
loopback_driver 127.0.0.1
allow_maven_classpath=1
spark_submit --master 'local[*]' --name "descent ${descent_args[0]}" "${driver_opts[@]}" \
  "${spark_opts[@]+"${spark_opts[@]}"}" "$descent_jar" "${descent_args[@]}"
