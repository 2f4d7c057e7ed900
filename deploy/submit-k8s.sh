#!/usr/bin/env bash
# Runs a descent command through spark-submit on Kubernetes (cluster deploy mode): the driver and
# the executors run in pods of the image built from deploy/Dockerfile.
set -euo pipefail
usage() {
  cat >&2 <<'USAGE'
usage: deploy/submit-k8s.sh k8s://https://API_SERVER:PORT [SPARK_SUBMIT_OPTION ...] -- COMMAND [DESCENT_OPTION ...]

Runs descent's COMMAND in a driver pod that starts executor pods, all from the descent image
(deploy/Dockerfile: the official apache/spark image with descent-jobs.jar at
/opt/descent/descent-jobs.jar). Needs a Spark 4.2 distribution here (SPARK_HOME or SPARK_SUBMIT)
and a kubeconfig that may create pods in the namespace. The jar is taken from the image, not
uploaded. --data and --output are paths inside the pods: a volume (PVC, below) or object storage
for --data; --output must be on the volume, or it is lost with the driver pod.

Environment (defaults in brackets):
  DESCENT_IMAGE [descent:0.1.0]      container image for the driver and the executors
  K8S_NAMESPACE [default]            namespace of the pods
  K8S_SERVICE_ACCOUNT [spark]        service account of the driver (it creates the executor pods)
  NUM_EXECUTORS [2]                  spark.executor.instances
  EXECUTOR_CORES [2]                 spark.executor.cores
  EXECUTOR_MEMORY [4g]               spark.executor.memory
  DRIVER_MEMORY [2g]                 spark.driver.memory
  DESCENT_PVC []                     a PersistentVolumeClaim mounted at /mnt/descent in the driver
                                     and every executor (ReadWriteMany for more than one node)
spark-submit options before "--" are added after these, so they win.

  DESCENT_IMAGE=registry.example.com/descent:0.1.0 DESCENT_PVC=descent-data \
  deploy/submit-k8s.sh k8s://https://10.0.0.1:6443 -- train --data /mnt/descent/data/a9a \
      --num-features 123 --model logistic --epochs 5 --output /mnt/descent/runs/a9a
USAGE
  exit 2
}
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
[[ $# -lt 2 || "$1" == "-h" || "$1" == "--help" ]] && usage
master="$1"
shift
if [[ "$master" != k8s://* ]]; then
  echo "submit-k8s.sh: the master must look like k8s://https://host:port, not '$master'" >&2
  usage
fi
split_args "$@"
# The jar inside the image; DESCENT_JAR=local:///... names another path in the image.
descent_jar="${DESCENT_JAR:-local:///opt/descent/descent-jobs.jar}"
require_jar
opts=(--master "$master" --deploy-mode cluster --name "descent-${descent_args[0]}"
  --conf "spark.kubernetes.container.image=${DESCENT_IMAGE:-descent:0.1.0}"
  --conf "spark.kubernetes.namespace=${K8S_NAMESPACE:-default}"
  --conf "spark.kubernetes.authenticate.driver.serviceAccountName=${K8S_SERVICE_ACCOUNT:-spark}"
  --conf "spark.executor.instances=${NUM_EXECUTORS:-2}"
  --conf "spark.executor.cores=${EXECUTOR_CORES:-2}"
  --conf "spark.executor.memory=${EXECUTOR_MEMORY:-4g}"
  --conf "spark.driver.memory=${DRIVER_MEMORY:-2g}")
if [[ -n "${DESCENT_PVC:-}" ]]; then
  for role in driver executor; do
    opts+=(--conf "spark.kubernetes.$role.volumes.persistentVolumeClaim.descent.options.claimName=$DESCENT_PVC"
      --conf "spark.kubernetes.$role.volumes.persistentVolumeClaim.descent.mount.path=/mnt/descent")
  done
fi
# Kubernetes classes are not on descent's Maven classpath: a Spark distribution is required.
allow_maven_classpath=0
spark_submit "${opts[@]}" "${spark_opts[@]+"${spark_opts[@]}"}" "$descent_jar" "${descent_args[@]}"
