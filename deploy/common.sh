# Sourced by deploy/submit-*.sh: finds the application jar and a spark-submit, and splits a
# command line at "--" into spark-submit options and descent arguments. Not run on its own.

deploy_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
descent_root="$(cd "$deploy_dir/.." && pwd)"

# The application jar (DESCENT_JAR) and the Spark properties every submit script passes
# (DESCENT_SPARK_DEFAULTS; set it to an empty string to pass none).
descent_jar="${DESCENT_JAR:-$descent_root/jobs/target/descent-jobs.jar}"
spark_defaults="${DESCENT_SPARK_DEFAULTS-$deploy_dir/spark-defaults.conf}"

# split_args ARGS...: everything before "--" goes to spark_opts, the rest to descent_args. Without
# a "--" every argument is a descent argument.
split_args() {
  spark_opts=()
  descent_args=()
  local seen=0 a
  for a in "$@"; do
    if ((seen == 0)) && [[ "$a" == "--" ]]; then
      seen=1
    elif ((seen)); then
      descent_args+=("$a")
    fi
  done
  if ((seen)); then
    for a in "$@"; do
      [[ "$a" == "--" ]] && break
      spark_opts+=("$a")
    done
  else
    descent_args=("$@")
  fi
  if ((${#descent_args[@]} == 0)); then
    echo "$(basename "$0"): no descent command given (train, predict, evaluate or bench)" >&2
    usage
  fi
}

# loopback_driver HOST...: when every host is a loopback name (127.0.0.1, localhost, ::1), sets
# driver_opts to bind the driver to 127.0.0.1 and exports SPARK_LOCAL_IP=127.0.0.1 (unless set), as
# bin/descent does, so that a cluster on one machine never listens on an outward interface (Spark
# would otherwise pick the machine's first non-loopback address). Otherwise driver_opts is empty.
loopback_driver() {
  driver_opts=()
  local h
  for h in "$@"; do
    case "$h" in
      127.0.0.1 | localhost | ::1 | "[::1]") ;;
      *) return 0 ;;
    esac
  done
  export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"
  driver_opts=(--conf spark.driver.host=127.0.0.1 --conf spark.driver.bindAddress=127.0.0.1)
}

# master_hosts URL: the hosts of spark://h1:7077,h2:7077 (or k8s://https://h:443), one a line.
master_hosts() {
  local rest="${1#*://}" hp
  rest="${rest#*://}"
  rest="${rest%%/*}"
  local IFS=,
  for hp in $rest; do
    if [[ "$hp" == \[* ]]; then
      echo "${hp%%]*}]"
    else
      echo "${hp%:*}"
    fi
  done
}

# spark_property KEY: the value that spark-submit will take for the Spark property KEY from the
# options before "--" (--conf KEY=VALUE) or else from the properties file; empty when neither sets
# it. (spark-submit's own flags such as --queue are not read.)
spark_property() {
  local key="$1" value="" found=0 i a
  for ((i = 0; i < ${#spark_opts[@]}; i++)); do
    a="${spark_opts[$i]}"
    if [[ "$a" == --conf || "$a" == -c ]] && ((i + 1 < ${#spark_opts[@]})); then
      a="${spark_opts[$((i + 1))]}"
    elif [[ "$a" == --conf=* ]]; then
      a="${a#--conf=}"
    else
      continue
    fi
    [[ "$a" == "$key="* ]] && { value="${a#"$key="}"; found=1; }
  done
  if ((found == 0)) && [[ -n "$spark_defaults" && -f "$spark_defaults" ]]; then
    # Properties format as spark-submit reads it: KEY, then whitespace, '=' or ':', then the value.
    value="$(sed -nE "s/^[[:space:]]*${key//./\\.}[[:space:]]*[=:[:space:]][[:space:]]*(.*[^[:space:]])[[:space:]]*$/\\1/p" \
      "$spark_defaults" | tail -n 1)"
  fi
  printf '%s' "$value"
}

# The jar must exist here and be readable, unless it is a path in the image (local://) or on a
# cluster file system (hdfs://, s3a://, ...), which YARN and Kubernetes read themselves.
require_jar() {
  case "$descent_jar" in
    local://* | hdfs://* | viewfs://* | s3a://* | gs://* | abfs://* | abfss://* | wasb://* | http://* | https://*) return 0 ;;
  esac
  if [[ ! -f "$descent_jar" ]]; then
    echo "$(basename "$0"): $descent_jar not found; build it with: mvn -B -DskipTests package" >&2
    exit 1
  fi
  if [[ ! -r "$descent_jar" ]]; then
    echo "$(basename "$0"): $descent_jar is not readable by $(id -un); make it readable (chmod a+r) or set DESCENT_JAR to a jar that is" >&2
    exit 1
  fi
}

# submit_command OPTIONS...: sets submit_cmd to the spark-submit command line with the jar's
# main class and the defaults file, without running it. Uses $SPARK_SUBMIT, else
# $SPARK_HOME/bin/spark-submit, else spark-submit on the PATH, else (where the script allows it)
# SparkSubmit from this checkout's Maven classpath, which needs no Spark distribution:
# $maven_classpath (default jobs/target/classpath.txt), after HADOOP_CONF_DIR and YARN_CONF_DIR
# as bin/spark-submit puts them, so that the cluster's *-site.xml files are read.
submit_command() {
  local props=()
  [[ -n "$spark_defaults" ]] && props=(--properties-file "$spark_defaults")
  local submit=""
  if [[ -n "${SPARK_SUBMIT:-}" ]]; then
    submit="$SPARK_SUBMIT"
  elif [[ -n "${SPARK_HOME:-}" && -x "$SPARK_HOME/bin/spark-submit" ]]; then
    submit="$SPARK_HOME/bin/spark-submit"
  elif command -v spark-submit >/dev/null 2>&1; then
    submit="spark-submit"
  fi
  if [[ -n "$submit" ]]; then
    submit_cmd=("$submit" "${props[@]+"${props[@]}"}" --class descent.jobs.Main "$@")
    return 0
  fi
  if [[ "${allow_maven_classpath:-0}" != 1 ]]; then
    echo "$(basename "$0"): needs a Spark 4.2 distribution: set SPARK_HOME (or SPARK_SUBMIT)" >&2
    exit 1
  fi
  local cp_file="${maven_classpath:-$descent_root/jobs/target/classpath.txt}"
  local opts_file="$descent_root/jobs/target/jvm-options.txt"
  if [[ ! -f "$cp_file" || ! -f "$opts_file" ]]; then
    echo "$(basename "$0"): no SPARK_HOME and no $cp_file; build with: mvn -B -DskipTests package" >&2
    exit 1
  fi
  # The driver runs in this JVM (client mode): its heap is set here, not by --driver-memory.
  # shellcheck disable=SC2207
  local jvm_opts=($(cat "$opts_file"))
  submit_cmd=("${JAVA_HOME:+$JAVA_HOME/bin/}java" -Xmx"${DESCENT_DRIVER_MEMORY:-2g}" "${jvm_opts[@]}"
    -cp "${HADOOP_CONF_DIR:+$HADOOP_CONF_DIR:}${YARN_CONF_DIR:+$YARN_CONF_DIR:}$(cat "$cp_file")"
    org.apache.spark.deploy.SparkSubmit
    "${props[@]+"${props[@]}"}" --class descent.jobs.Main "$@")
}

# spark_submit OPTIONS...: runs the command of submit_command in place of this shell.
spark_submit() {
  submit_command "$@"
  exec "${submit_cmd[@]}"
}
