#!/usr/bin/env bash
# A single-node Kafka broker (KRaft: broker and controller in one JVM) for Lanthorn's fleet mode
# and its tests, run from the official org.apache.kafka:kafka_2.13 jars on Maven Central.
#
#   scripts/kafka.sh start     download the jars once, format the storage once, start, wait until ready
#   scripts/kafka.sh stop      stop it (SIGTERM, then SIGKILL after 30 s); the data stays
#   scripts/kafka.sh status    "running <pid> 127.0.0.1:<port>" (exit 0) or "stopped" (exit 3)
#   scripts/kafka.sh kill      SIGKILL, for failure drills
#   scripts/kafka.sh purge     stop, then delete the data directory
#
# Every command is idempotent. The broker listens on 127.0.0.1 only, without authentication:
# it is meant for one machine (a test, a demo); docs/fleet.md says how to run a real one.
#
# Settings (environment):
#   LANTHORN_KAFKA_PORT        client port (default 9092); the controller uses LANTHORN_KAFKA_CONTROLLER_PORT
#                              (default port + 1)
#   LANTHORN_KAFKA_DIR         state: properties, data, pid, broker.log
#                              (default ${XDG_STATE_HOME:-~/.local/state}/lanthorn/kafka-<port>)
#   LANTHORN_KAFKA_CACHE       where the jars are kept (default ${XDG_CACHE_HOME:-~/.cache}/lanthorn/kafka-<version>)
#   LANTHORN_KAFKA_HEAP        the broker's -Xmx (default 512m)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/scripts/env.sh"

version=$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$root/scripts/kafka/pom.xml")
port=${LANTHORN_KAFKA_PORT:-9092}
controller_port=${LANTHORN_KAFKA_CONTROLLER_PORT:-$((port + 1))}
dir=${LANTHORN_KAFKA_DIR:-${XDG_STATE_HOME:-$HOME/.local/state}/lanthorn/kafka-$port}
cache=${LANTHORN_KAFKA_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/lanthorn/kafka-$version}
heap=${LANTHORN_KAFKA_HEAP:-512m}
pidfile=$dir/broker.pid
log=$dir/broker.log

die() {
  echo "kafka.sh: $*" >&2
  exit 1
}

running_pid() {
  local pid
  [ -f "$pidfile" ] || return 1
  pid=$(cat "$pidfile")
  # The pid must still be our broker, not a recycled number.
  if [ -n "$pid" ] && grep -qa "kafka.Kafka" "/proc/$pid/cmdline" 2>/dev/null; then
    echo "$pid"
    return 0
  fi
  return 1
}

fetch_jars() {
  [ -f "$cache/libs/kafka_2.13-$version.jar" ] && return 0
  echo "kafka.sh: copying Kafka $version's jars from Maven Central into $cache/libs"
  mkdir -p "$cache"
  rm -rf "$cache/libs.tmp"
  (cd "$root" && ./mvnw -B -ntp -q -f scripts/kafka/pom.xml dependency:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$cache/libs.tmp") ||
    die "could not copy the Kafka jars (is Maven Central reachable?); see the Maven output above"
  mv "$cache/libs.tmp" "$cache/libs"
}

write_properties() {
  mkdir -p "$dir/data"
  chmod 700 "$dir"
  cat >"$dir/server.properties" <<PROPS
# Written by scripts/kafka.sh: one KRaft node, broker and controller, on loopback only.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$controller_port
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$controller_port
advertised.listeners=PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
log.dirs=$dir/data
num.partitions=3
offsets.topic.replication.factor=1
offsets.topic.num.partitions=3
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
log.retention.hours=168
PROPS
}

java_cmd() {
  "$JAVA_HOME/bin/java" -Xms128m "-Xmx$heap" -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \
    -Djava.awt.headless=true "-Dlog4j2.configurationFile=$root/scripts/kafka/log4j2.properties" \
    -cp "$cache/libs/*" "$@"
}

start() {
  local pid
  if pid=$(running_pid); then
    echo "kafka.sh: already running (pid $pid) on 127.0.0.1:$port"
    return 0
  fi
  lanthorn_find_jdk
  fetch_jars
  write_properties
  if [ ! -f "$dir/data/meta.properties" ]; then
    local cluster_id
    cluster_id=$(java_cmd kafka.tools.StorageTool random-uuid 2>>"$log" | tail -1)
    java_cmd kafka.tools.StorageTool format -t "$cluster_id" -c "$dir/server.properties" \
      >>"$log" 2>&1 || die "formatting $dir/data failed: see $log"
  fi
  # Its own session, so it outlives this script and a test's process group signals miss it.
  setsid bash -c 'echo $$ >"$1"; shift; exec "$@"' _ "$pidfile" \
    "$JAVA_HOME/bin/java" -Xms128m "-Xmx$heap" -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \
    -Djava.awt.headless=true "-Dlog4j2.configurationFile=$root/scripts/kafka/log4j2.properties" \
    -cp "$cache/libs/*" kafka.Kafka "$dir/server.properties" >>"$log" 2>&1 </dev/null &
  local deadline=$((SECONDS + 120))
  local mark
  mark=$(wc -l <"$log")
  while [ $SECONDS -lt $deadline ]; do
    sleep 0.2
    if ! pid=$(running_pid); then
      [ -f "$pidfile" ] && [ -n "$(cat "$pidfile")" ] || continue
      tail -20 "$log" >&2
      die "the broker exited during start-up: see $log"
    fi
    if tail -n +"$((mark + 1))" "$log" | grep -q "Kafka Server started" &&
      (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "kafka.sh: running (pid $pid) on 127.0.0.1:$port, data in $dir/data"
      return 0
    fi
  done
  die "the broker did not become ready within 120 s: see $log"
}

stop() {
  local pid signal=${1:-TERM}
  if ! pid=$(running_pid); then
    rm -f "$pidfile"
    echo "kafka.sh: stopped"
    return 0
  fi
  kill "-$signal" "$pid"
  local deadline=$((SECONDS + 30))
  while kill -0 "$pid" 2>/dev/null; do
    if [ $SECONDS -ge $deadline ]; then
      kill -KILL "$pid" 2>/dev/null || true
    fi
    sleep 0.1
  done
  rm -f "$pidfile"
  echo "kafka.sh: stopped (pid $pid)"
}

case "${1:-}" in
  start) start ;;
  stop) stop TERM ;;
  kill) stop KILL ;;
  purge)
    stop TERM
    rm -rf "$dir"
    echo "kafka.sh: deleted $dir"
    ;;
  status)
    if pid=$(running_pid); then
      echo "running $pid 127.0.0.1:$port"
    else
      echo "stopped"
      exit 3
    fi
    ;;
  *)
    echo "usage: scripts/kafka.sh start|stop|status|kill|purge (see the comment at its top)" >&2
    exit 2
    ;;
esac
