#!/usr/bin/env bash
# A real standalone Spark cluster on 127.0.0.1, built from the Maven jars alone (no Spark
# distribution): one Master and N Workers, each its own JVM, each worker with one core. For
# tests and for trying spark-submit against a cluster on a laptop. See deploy/README.md.
#
#   deploy/local-cluster.sh start | stop | status | master-url | ui-url
#
# Environment (all optional):
#   DESCENT_CLUSTER_DIR      state directory: pid files, logs, worker dirs, master-url
#                            (default: deploy/target/local-cluster)
#   DESCENT_WORKERS          number of workers (default 2)
#   DESCENT_WORKER_CORES     cores per worker (default 1)
#   DESCENT_WORKER_MEMORY    memory per worker for its executors (default 2g: one executor of
#                            deploy/submit-standalone.sh's default size fits on each worker)
#   DESCENT_DAEMON_MEMORY    heap of the Master and Worker JVMs themselves (default 512m)
#   DESCENT_MASTER_PORT      master RPC port (default 0: a free port, written to master-url)
#   DESCENT_MASTER_UI_PORT   master web UI port (default 0: a free port)
#   DESCENT_START_TIMEOUT    seconds to wait for the master and the workers (default 90)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
state="${DESCENT_CLUSTER_DIR:-$here/target/local-cluster}"
workers="${DESCENT_WORKERS:-2}"
worker_cores="${DESCENT_WORKER_CORES:-1}"
worker_memory="${DESCENT_WORKER_MEMORY:-2g}"
daemon_memory="${DESCENT_DAEMON_MEMORY:-512m}"
master_port="${DESCENT_MASTER_PORT:-0}"
master_ui_port="${DESCENT_MASTER_UI_PORT:-0}"
timeout="${DESCENT_START_TIMEOUT:-90}"
cp_file="$root/jobs/target/classpath.txt"
opts_file="$root/jobs/target/jvm-options.txt"
java_bin="${JAVA_HOME:+$JAVA_HOME/bin/}java"

usage() {
  cat >&2 <<EOF
usage: deploy/local-cluster.sh start|stop|status|master-url|ui-url

  start       start a Master and $workers Workers ($worker_cores core, $worker_memory each) on 127.0.0.1;
              prints the master URL when every worker has registered
  stop        stop the cluster: the Master, the Workers and any executor they started
  status      print the master URL and whether each daemon is alive (exit 1 if not all are)
  master-url  print the master URL (spark://127.0.0.1:PORT)
  ui-url      print the master's web UI URL (http://127.0.0.1:PORT; its /json/ lists the workers)

State (pid files, logs, master-url) lives in $state (DESCENT_CLUSTER_DIR).
EOF
  exit 2
}

# The daemons other than the master, in start order: worker-1 .. worker-N.
daemons() {
  echo master
  local i
  for ((i = 1; i <= workers; i++)); do echo "worker-$i"; done
}

alive() { [[ -n "${1:-}" ]] && kill -0 "$1" 2>/dev/null; }

pid_of() { cat "$state/$1.pid" 2>/dev/null || true; }

# Starts one daemon in its own session, so that its process group holds the daemon and every
# executor it launches: stop then ends the whole group, even after the daemon itself was killed.
launch() {
  local name="$1"
  shift
  # shellcheck disable=SC2046
  SPARK_HOME="$state/spark-home" SPARK_SCALA_VERSION=2.13 SPARK_LOCAL_IP=127.0.0.1 \
    SPARK_LOG_DIR="$state/logs" SPARK_WORKER_DIR="$state/$name" \
    setsid "$java_bin" -Xmx"$daemon_memory" -XX:+UseSerialGC $(cat "$opts_file") \
    -Dspark.descent.cluster="$state" \
    -cp "$(cat "$cp_file")" "$@" >"$state/logs/$name.log" 2>&1 </dev/null &
  echo $! >"$state/$name.pid"
}

# Waits until the log of $1 has a line matching $2; fails when the daemon dies or time runs out.
wait_for() {
  local name="$1" pattern="$2" deadline=$((SECONDS + timeout))
  until grep -qE "$pattern" "$state/logs/$name.log" 2>/dev/null; do
    if ! alive "$(pid_of "$name")"; then
      echo "local-cluster: $name exited; last lines of $state/logs/$name.log:" >&2
      tail -n 20 "$state/logs/$name.log" >&2 || true
      return 1
    fi
    if ((SECONDS >= deadline)); then
      echo "local-cluster: $name did not log /$pattern/ within ${timeout}s; see $state/logs/$name.log" >&2
      return 1
    fi
    sleep 0.5
  done
}

start() {
  if [[ ! -f "$cp_file" || ! -f "$opts_file" ]]; then
    echo "local-cluster: $cp_file is missing; build first: mvn -B -DskipTests package" >&2
    exit 1
  fi
  local name
  for name in $(daemons); do
    if alive "$(pid_of "$name")"; then
      echo "local-cluster: already running ($name pid $(pid_of "$name")); run stop first" >&2
      exit 1
    fi
  done
  # Only a directory this script made (its marker or its spark-home) or an empty one is cleared.
  if [[ -d "$state" && ! -f "$state/.descent-local-cluster" && ! -d "$state/spark-home/jars" \
    && -n "$(ls -A "$state")" ]]; then
    echo "local-cluster: $state exists and is not a local-cluster state directory; choose another DESCENT_CLUSTER_DIR" >&2
    exit 1
  fi
  rm -rf "$state"
  mkdir -p "$state/logs" "$state/spark-home/jars"
  touch "$state/.descent-local-cluster"
  # A worker builds its executors' classpath from SPARK_HOME/jars: links to the runtime jars.
  local jar
  while IFS= read -r jar || [[ -n "$jar" ]]; do
    [[ -n "$jar" ]] && ln -sf "$jar" "$state/spark-home/jars/"
  done < <(tr ':' '\n' <"$cp_file")

  launch master org.apache.spark.deploy.master.Master \
    --host 127.0.0.1 --port "$master_port" --webui-port "$master_ui_port"
  wait_for master 'Starting Spark master at spark://' || { stop; exit 1; }
  local url
  url="$(grep -oE 'spark://[0-9.]+:[0-9]+' "$state/logs/master.log" | head -n 1)"
  echo "$url" >"$state/master-url"
  # The web UI binds to SPARK_LOCAL_IP but names itself by host name; 127.0.0.1 is what answers.
  wait_for master 'MasterWebUI: .* started at http://' || { stop; exit 1; }
  grep -oE 'started at http://[^ ]+' "$state/logs/master.log" | head -n 1 | sed -E \
    -e 's/^started at //' -e 's#//localhost:#//127.0.0.1:#' >"$state/master-ui-url"

  local i
  for ((i = 1; i <= workers; i++)); do
    mkdir -p "$state/worker-$i"
    launch "worker-$i" org.apache.spark.deploy.worker.Worker \
      --host 127.0.0.1 --port 0 --webui-port 0 --cores "$worker_cores" --memory "$worker_memory" \
      --work-dir "$state/worker-$i" "$url"
  done
  for ((i = 1; i <= workers; i++)); do
    wait_for "worker-$i" 'Successfully registered with master' || { stop; exit 1; }
  done
  echo "$url"
}

# Ends each daemon's process group (the daemon and its executors): TERM, then KILL after 10 s.
# Every pid file counts, also of workers beyond today's DESCENT_WORKERS.
stop() {
  local file pid groups=()
  for file in "$state"/*.pid; do
    [[ -f "$file" ]] || continue
    pid="$(cat "$file" 2>/dev/null || true)"
    if [[ -n "$pid" ]] && kill -0 -- "-$pid" 2>/dev/null; then
      kill -TERM -- "-$pid" 2>/dev/null || true
      groups+=("$pid")
    fi
  done
  local deadline=$((SECONDS + 10)) left
  while :; do
    left=()
    for pid in "${groups[@]+"${groups[@]}"}"; do
      kill -0 -- "-$pid" 2>/dev/null && left+=("$pid")
    done
    ((${#left[@]} == 0)) && break
    if ((SECONDS >= deadline)); then
      for pid in "${left[@]}"; do kill -KILL -- "-$pid" 2>/dev/null || true; done
      sleep 0.5
      break
    fi
    sleep 0.25
  done
  rm -f "$state"/*.pid "$state/master-url" "$state/master-ui-url"
}

status() {
  local url ok=0 name pid
  url="$(cat "$state/master-url" 2>/dev/null || echo '-')"
  echo "master-url $url"
  for name in $(daemons); do
    pid="$(pid_of "$name")"
    if alive "$pid"; then
      echo "$name pid $pid running"
    else
      echo "$name ${pid:+pid $pid }stopped"
      ok=1
    fi
  done
  return "$ok"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  master-url)
    [[ -f "$state/master-url" ]] || { echo "local-cluster: not running (no $state/master-url)" >&2; exit 1; }
    cat "$state/master-url"
    ;;
  ui-url)
    [[ -f "$state/master-ui-url" ]] || { echo "local-cluster: not running (no $state/master-ui-url)" >&2; exit 1; }
    cat "$state/master-ui-url"
    ;;
  *) usage ;;
esac
