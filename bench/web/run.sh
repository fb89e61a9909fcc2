#!/usr/bin/env bash
# How long the dashboard's pages and `lanthorn query top` take over a generated history
# (docs/benchmarks.md). Usage:
#   bench/web/run.sh [events [hours [containers [destinations [FILE [before]]]]]]
# Default: 3 600 000 events over 1 h (1 000 events/s) from 300 containers to 1 000 destinations, in
# a temporary file deleted afterwards. With FILE the history is generated there (or, if FILE exists,
# measured as it is) and kept; "before" also times query top's earlier scan of the events.
# Queries run at 2026-11-25T11:42:37Z (17 min 23 s before the history ends); BENCH_NOW=<instant>
# moves that, e.g. for a history generated only in part.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
# One reactor run, so sibling modules resolve to their target/classes (nothing is installed).
./mvnw -B -ntp -q -o test-compile dependency:build-classpath -pl web -am -Dspotless.check.skip \
  -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
cp=web/target/test-classes:web/target/classes:$(cat web/target/bench-classpath.txt)
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "$cp" ${BENCH_NOW:+-Dlanthorn.bench.now=$BENCH_NOW} \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn io.lanthorn.web.DashboardBenchmark \
  "${1:-3600000}" "${2:-1}" "${3:-300}" "${4:-1000}" ${5:+"$5"} ${6:+"$6"}
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
