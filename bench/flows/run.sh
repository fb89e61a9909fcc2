#!/usr/bin/env bash
# Issue 15's figures: what inbound, lifetime and UDP monitoring cost. Needs root (eBPF), cc,
# iperf3. Everything runs on loopback.
#   1. connect storm (bench/probe's ProbeTcpBench): outbound only vs all on (probe-tcp with
#      accepts and lifetimes, and probe-udp's cgroup hooks attached, whose connect4 runs for TCP
#      connects too); with everything on, the storm's own listener accepts each connection, so
#      "accepts seen N of N, lost 0" is the accept storm.
#   2. UDP loopback rate with and without probe-udp's sendmsg/connect hooks: iperf3 -u (a
#      connected socket: the hooks see its connect() only) and an unconnected sendto() loop (each
#      datagram passes sendmsg4).
# Usage: bench/flows/run.sh [ATTEMPTS=100000 [ROUNDS=3 [DATAGRAMS=2000000]]]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
. "$root/scripts/env.sh"
lanthorn_require_root "bench/flows/run.sh"
lanthorn_find_jdk
attempts=${1:-100000}
rounds=${2:-3}
datagrams=${3:-2000000}

out="$root/probe-udp/target/bench"
mkdir -p "$out"
cc -O2 -Wall -Werror -o "$out/udpsend" "$root/probe-udp/src/test/c/udpsend.c"
cd "$root"
./mvnw -B -q -pl probe-udp -am test-compile dependency:build-classpath \
  -Dmdep.outputFile="$out/classpath.txt" -Dmdep.includeScope=test
cp="$root/probe-udp/target/classes:$root/probe-udp/target/test-classes:$(cat "$out/classpath.txt")"

holder_pid=
hooks_on() {
  "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "$cp" \
    -Dorg.slf4j.simpleLogger.defaultLogLevel=warn io.lanthorn.probe.udp.FlowHolder \
    >"$out/holder.log" 2>&1 &
  holder_pid=$!
  for _ in $(seq 100); do grep -q '^attached' "$out/holder.log" && return 0; sleep 0.1; done
  echo "probe-udp did not attach: $(cat "$out/holder.log")" >&2
  return 1
}
hooks_off() {
  [ -n "$holder_pid" ] && kill "$holder_pid" && wait "$holder_pid" 2>/dev/null || true
  holder_pid=
}
trap hooks_off EXIT

echo "== load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== 1a. connect storm, outbound only (probe-tcp inbound = false, lifetime = false)"
bench/probe/run.sh "$attempts" 2 "$rounds" 'inbound = false, lifetime = false' | grep -v '^round'
echo "== 1b. connect storm, all on (probe-tcp defaults + probe-udp attached)"
hooks_on
bench/probe/run.sh "$attempts" 2 "$rounds" | grep -v '^round'
hooks_off

udp_rate() { # datagrams/s of an unconnected sendto() loop to 127.0.0.1:9999
  local start end
  start=$(date +%s%N)
  "$out/udpsend" "$datagrams" 9999 >/dev/null
  end=$(date +%s%N)
  echo $((datagrams * 1000000000 / (end - start)))
}
iperf_rate() { # iperf3 -u loopback, datagrams/s received
  iperf3 -s -1 -B 127.0.0.1 -p 5299 >/dev/null 2>&1 &
  local server=$!
  sleep 0.5
  iperf3 -u -c 127.0.0.1 -p 5299 -b 0 -l 64 -t 5 -J >"$out/iperf.json"
  wait "$server" || true
  python3 -c 'import json,sys; e=json.load(open(sys.argv[1]))["end"]["sum"]; print(int(e["packets"]/e["seconds"]))' "$out/iperf.json"
}

echo "== 2. UDP loopback, $rounds rounds each, alternating"
for r in $(seq "$rounds"); do
  s_off=$(udp_rate); i_off=$(iperf_rate)
  hooks_on
  s_on=$(udp_rate); i_on=$(iperf_rate)
  hooks_off
  printf 'round %d: sendto loop %d -> %d/s (ratio %s); iperf3 -u %d -> %d/s (ratio %s)\n' \
    "$r" "$s_off" "$s_on" "$(echo "scale=3; $s_on / $s_off" | bc)" \
    "$i_off" "$i_on" "$(echo "scale=3; $i_on / $i_off" | bc)"
done
echo "== load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
