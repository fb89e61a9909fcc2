#!/usr/bin/env bash
# Measures the SQLite sink's write path against plain JDBC batch inserts into the same table
# (sink-sqlite's WriteBenchmark, JMH) and prints, per method, the median and spread of rows/s over
# every measured iteration of every fork, with the machine's load before and after.
#
#   bench/sqlite/run.sh            # 3 forks x 5 iterations of 2 s per method, files in /tmp
#   FORKS=5 bench/sqlite/run.sh
#   TMPDIR=/dev/shm bench/sqlite/run.sh   # take the disk out of the measurement
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=../../scripts/env.sh
source scripts/env.sh
lanthorn_find_jdk

forks="${FORKS:-3}"
tmp="${TMPDIR:-/tmp}"
mkdir -p bench/results
result="$PWD/bench/results/sqlite-write-$(date -u +%Y%m%dT%H%M%SZ).json"

echo "load before: $(uptime)"
./mvnw -B -q -pl sink-sqlite -am -Pbench verify -DskipTests \
  -Djmh.args="-f $forks -rf json -rff $result -jvmArgsAppend -Djava.io.tmpdir=$tmp -jvmArgsAppend -Dorg.slf4j.simpleLogger.log.sink-sqlite=warn"
echo "load after:  $(uptime)"

jq -r '
  def median: sort | if length % 2 == 1 then .[length / 2 | floor]
                     else (.[length / 2 - 1] + .[length / 2]) / 2 end;
  (map({key: (.benchmark | split(".") | last),
        value: [.primaryMetric.rawData[][]]}) | from_entries) as $runs
  | ($runs | to_entries[]
     | "\(.key | (. + "              ")[0:14]) median \(.value | median | floor) rows/s"
       + "  (min \(.value | min | floor), max \(.value | max | floor), n=\(.value | length))"),
    "plainJdbc / sinkWrite (medians): \((($runs.plainJdbc | median) / ($runs.sinkWrite | median)) * 100 | round / 100)"
' "$result"
echo "raw results: $result"
