#!/usr/bin/env bash
# Issue 15's figures: what inbound, lifetime and UDP monitoring cost. Needs root (eBPF), cc,
# iperf3. Everything runs on loopback.
#   1. connect storm (bench/probe's ProbeTcpBench): outbound only vs all on (probe-tcp with
#      accepts and lifetimes, and probe-udp's cgroup hooks attached, whose connect4 runs for TCP
#      connects too); with everything on, the storm's own listener accepts each connection, so
#      "accepts seen N of N, lost 0" is the accept storm.
#   2. UDP loopback with and without probe-udp's programs, rate and sender CPU per datagram: an
#      unconnected sendto() loop (each datagram passes sendmsg4 and the sock_send_length
#      tracepoint), a connected send() loop and iperf3 -u (connected: the tracepoint only).
# Usage: bench/flows/run.sh [ATTEMPTS=100000 [ROUNDS=3 [DATAGRAMS=2000000]]]
# ATTEMPTS=0 skips the connect storm (part 2 alone).
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
if [ "$attempts" -gt 0 ]; then
echo "== 1a. connect storm, outbound only (probe-tcp inbound = false, lifetime = false)"
bench/probe/run.sh "$attempts" 2 "$rounds" 'inbound = false, lifetime = false' | grep -v '^round'
echo "== 1b. connect storm, all on (probe-tcp defaults + probe-udp attached)"
hooks_on
bench/probe/run.sh "$attempts" 2 "$rounds" | grep -v '^round'
hooks_off
fi

# Each measurement prints "datagrams/s CPU-ns/datagram": the sender's own CPU (user + system, which
# includes the BPF programs and the loopback delivery it runs) is what the programs add to, and on a
# machine shared with other work it varies far less than the rate does.
udp_run() { # a sendto() loop to 127.0.0.1:9999 (-c: a connected send() loop)
  local start end t u s TIMEFORMAT='%3U %3S'
  start=$(date +%s%N)
  t=$({ time "$out/udpsend" "$@" "$datagrams" 9999 >/dev/null; } 2>&1)
  end=$(date +%s%N)
  read -r u s <<<"$t"
  echo "$((datagrams * 1000000000 / (end - start))) $(echo "($u + $s) * 1000000000 / $datagrams" | bc)"
}
iperf_run() { # iperf3 -u loopback: datagrams/s sent, and the client's CPU per datagram
  iperf3 -s -1 -B 127.0.0.1 -p 5299 >/dev/null 2>&1 &
  local server=$!
  sleep 0.5
  iperf3 -u -c 127.0.0.1 -p 5299 -b 0 -l 64 -t 5 -J >"$out/iperf.json"
  wait "$server" || true
  python3 -c 'import json,sys; e=json.load(open(sys.argv[1]))["end"]; s=e["sum"]; c=e["cpu_utilization_percent"]["host_total"]; print(int(s["packets"]/s["seconds"]), int(c/100*s["seconds"]*1e9/s["packets"]))' "$out/iperf.json"
}

echo "== 2. UDP loopback, $rounds rounds each, alternating (which goes first alternates too)"
results="$out/udp-rounds.txt"
: >"$results"
for r in $(seq "$rounds"); do
  measure() { # $1 = off | on
    echo "$1 sendto $(udp_run)" >>"$results"
    echo "$1 connected $(udp_run -c)" >>"$results"
    echo "$1 iperf3 $(iperf_run)" >>"$results"
  }
  if [ $((r % 2)) -eq 1 ]; then
    measure off
    hooks_on; measure on; hooks_off
  else
    hooks_on; measure on; hooks_off
    measure off
  fi
  echo "round $r done, load $(cut -d' ' -f1 /proc/loadavg): $(tail -6 "$results" | tr '\n' ';')"
done
# Per kind: the medians, and the ratios a CPU-bound sender would see (CPU without / CPU with) and
# that the rates show (with / without), each the median over the rounds' pairs.
python3 - "$results" <<'PY'
import statistics, sys
runs = {}
for line in open(sys.argv[1]):
    state, kind, rate, cpu = line.split()
    runs.setdefault(kind, {}).setdefault(state, []).append((int(rate), int(cpu)))
for kind, by in runs.items():
    off, on = by["off"], by["on"]
    cpu_ratio = [o[1] / n[1] for o, n in zip(off, on)]
    rate_ratio = [n[0] / o[0] for o, n in zip(off, on)]
    med = lambda xs: statistics.median(xs)
    print(f"{kind}: CPU/datagram {med([o[1] for o in off])} -> {med([n[1] for n in on])} ns"
          f" (ratio {med(cpu_ratio):.3f}, min {min(cpu_ratio):.3f}, max {max(cpu_ratio):.3f});"
          f" rate {med([o[0] for o in off])} -> {med([n[0] for n in on])}/s"
          f" (ratio {med(rate_ratio):.3f}, min {min(rate_ratio):.3f}, max {max(rate_ratio):.3f})")
PY
echo "== load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
