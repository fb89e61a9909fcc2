#!/usr/bin/env bash
# Measures what probe-tcp costs a connection-heavy workload: connect_storm's rate without and
# with the probe running into a counting emitter (see ProbeTcpBench). Needs root (eBPF) and cc.
# Usage: [STORM_CPUS=LIST] bench/probe/run.sh [ATTEMPTS [THREADS [ROUNDS [PROBE_TCP_CONFIG_OVERRIDES]]]]
#   e.g. bench/probe/run.sh 200000 2 5 'poll-interval = 100ms'
# STORM_CPUS (a taskset list, e.g. 0) pins the workload, leaving the probe's reader the other CPU:
# the rates then depend far less on whatever else the machine runs.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
. "$root/scripts/env.sh"
lanthorn_require_root "bench/probe/run.sh"
lanthorn_find_jdk

out="$root/probe-tcp/target/bench"
mkdir -p "$out"
cc -O2 -Wall -Werror -pthread "$here/connect_storm.c" -o "$out/connect_storm"
storm="$out/connect_storm"
if [ -n "${STORM_CPUS:-}" ]; then
  storm="$out/connect_storm_pinned"
  printf '#!/bin/sh\nexec taskset -c %s %s "$@"\n' "$STORM_CPUS" "$out/connect_storm" >"$storm"
  chmod +x "$storm"
fi

cd "$root"
./mvnw -B -q -pl probe-tcp -am test-compile dependency:build-classpath \
  -Dmdep.outputFile="$out/classpath.txt" -Dmdep.includeScope=test
cp="$root/probe-tcp/target/classes:$root/probe-tcp/target/test-classes:$(cat "$out/classpath.txt")"

exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "$cp" \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  io.lanthorn.probe.tcp.ProbeTcpBench "$storm" "${1:-200000}" "${2:-2}" "${3:-5}" "${4:-}"
