#!/usr/bin/env bash
# Measures the SQLite sink's write path against plain JDBC batch inserts into the same table
# (sink-sqlite's JMH WriteBenchmark) and prints, per method, the median and spread of rows/s over
# every measured iteration, with the machine's load before and after. Beside rows/s it prints the
# writing thread's CPU time per row (SQLite runs in that thread): on a loaded machine rows/s follows
# the load, CPU time per row far less, and 1e6 / (us/row) is what an idle core would do.
#
# The methods run in alternation, one JMH fork each per round, rotating the order every round: on a
# machine others are loading, a change of load then hits every method alike instead of whichever
# happened to run last.
#
#   bench/sqlite/run.sh                  # 3 rounds, files in /tmp
#   ROUNDS=5 bench/sqlite/run.sh
#   TMPDIR=/dev/shm bench/sqlite/run.sh  # take the disk out of the measurement
#   METHODS="sinkWrite plainJdbc" bench/sqlite/run.sh  # the methods to run (the ratio needs both)
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=../../scripts/env.sh
source scripts/env.sh
lanthorn_find_jdk

rounds="${ROUNDS:-3}"
tmp="${TMPDIR:-/tmp}"
read -r -a methods <<<"${METHODS:-sinkWrite plainJdbc}"
results="$PWD/bench/results/sqlite-write-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$results"

./mvnw -B -q -pl sink-sqlite -am test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile="$results/classpath"
classpath="sink-sqlite/target/test-classes:sink-sqlite/target/classes:$(cat "$results/classpath")"

echo "load before: $(uptime)"
for round in $(seq "$rounds"); do
  for i in "${!methods[@]}"; do
    method="${methods[$(((i + round) % ${#methods[@]}))]}"
    echo "round $round: $method"
    "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "$classpath" \
      org.openjdk.jmh.Main "WriteBenchmark\.$method\$" -f 1 -rf json -rff "$results/$round-$method.json" \
      -jvmArgsAppend "-Djava.io.tmpdir=$tmp -Dorg.slf4j.simpleLogger.log.sink-sqlite=warn" \
      | grep -E '^(Iteration|# Warmup Iteration)' || true
  done
done
echo "load after:  $(uptime)"

jq -rs '
  def median: sort | if length % 2 == 1 then .[length / 2 | floor]
                     else (.[length / 2 - 1] + .[length / 2]) / 2 end;
  (map(.[]) | group_by(.benchmark)
   | map({key: (.[0].benchmark | split(".") | last),
          value: [.[].primaryMetric.rawData[][]]}) | from_entries) as $runs
  | (map(.[]) | group_by(.benchmark)
     | map({key: (.[0].benchmark | split(".") | last),
            value: [.[] | [.secondaryMetrics.cpuNanos.rawData[0], .secondaryMetrics.rows.rawData[0]]
                    | transpose[] | .[0] / .[1] / 1000]}) | from_entries) as $cpu
  | ($runs | to_entries[]
     | "\(.key | (. + "              ")[0:14]) median \(.value | median | floor) rows/s"
       + "  (min \(.value | min | floor), max \(.value | max | floor), n=\(.value | length))"
       + "; CPU \($cpu[.key] | median * 100 | round / 100) us/row"
       + " (\($cpu[.key] | min * 100 | round / 100)-\($cpu[.key] | max * 100 | round / 100))"
       + " = \(1000000 / ($cpu[.key] | median) | floor) rows per CPU-second"),
    "sinkWrite / plainJdbc (medians): \((($runs.sinkWrite | median) / ($runs.plainJdbc | median)) * 100 | round / 100)"
' "$results"/*-*.json
echo "raw results: $results"
