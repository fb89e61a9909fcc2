#!/usr/bin/env bash
# The fleet's figures (docs/benchmarks.md): the host side's CPU per event with sink-kafka instead
# of sink-sqlite, and the end-to-end rate host → broker → central SQLite, on a broker of its own
# (scripts/kafka.sh, 127.0.0.1, free ports, state in a scratch directory deleted afterwards).
#
#   bench/fleet/run.sh               # 200000 events per run
#   EVENTS=500000 bench/fleet/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=../../scripts/env.sh
source scripts/env.sh
lanthorn_find_jdk

events="${EVENTS:-200000}"
scratch=$(mktemp -d "${TMPDIR:-/tmp}/lanthorn-fleet-bench.XXXXXX")
export LANTHORN_KAFKA_DIR="$scratch/kafka"
export LANTHORN_KAFKA_PORT=$((20000 + RANDOM % 20000))
export LANTHORN_KAFKA_CONTROLLER_PORT=$((LANTHORN_KAFKA_PORT + 1))
cleanup() {
  scripts/kafka.sh stop >/dev/null || true
  rm -rf "$scratch"
}
trap cleanup EXIT

./mvnw -B -q -ntp -pl source-kafka -am test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile="$scratch/classpath"
classpath="source-kafka/target/test-classes:source-kafka/target/classes:$(cat "$scratch/classpath")"
scripts/kafka.sh start

echo "load before: $(uptime)"
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Xmx512m -cp "$classpath" \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  io.lanthorn.source.kafka.FleetBenchmark "127.0.0.1:$LANTHORN_KAFKA_PORT" "$scratch/work" "$events"
echo "load after: $(uptime)"
