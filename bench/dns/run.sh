#!/usr/bin/env bash
# Measures probe-dns: a DNS response storm (dns_storm against a dnsmasq run here, on 127.77.0.53,
# answering only *.lanthorn.test) and iperf3 TCP over loopback, each without and with the plugin
# attached (see DnsBench). Needs root (eBPF), cc, dnsmasq (dnsmasq-base) and iperf3.
# Usage: bench/dns/run.sh [SECONDS [ROUNDS [STORM_THREADS [WINDOW]]]]   e.g. bench/dns/run.sh 5 3
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
. "$root/scripts/env.sh"
lanthorn_require_root "bench/dns/run.sh"
lanthorn_find_jdk

out="$root/probe-dns/target/bench"
mkdir -p "$out"
cc -O2 -Wall -Werror -pthread "$here/dns_storm.c" -o "$out/dns_storm"

server=127.77.0.53
dnsmasq --no-daemon --no-resolv --no-hosts --bind-interfaces --cache-size=0 --port=53 \
  --listen-address="$server" --address=/lanthorn.test/10.99.0.1 >"$out/dnsmasq.log" 2>&1 &
dnsmasq_pid=$!
trap 'kill $dnsmasq_pid 2>/dev/null || true' EXIT

cd "$root"
./mvnw -B -q -pl probe-dns -am test-compile dependency:build-classpath \
  -Dmdep.outputFile="$out/classpath.txt" -Dmdep.includeScope=test
cp="$root/probe-dns/target/classes:$root/probe-dns/target/test-classes:$(cat "$out/classpath.txt")"

"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "$cp" \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  io.lanthorn.probe.dns.DnsBench "$out/dns_storm" "$server" "${1:-5}" "${2:-3}" "${3:-2}" "${4:-16}"
