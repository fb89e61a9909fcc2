#!/usr/bin/env bash
# What the agent's resident memory is made of, idle and after a connect storm: `bin/lanthorn run`
# (default plugins and settings, a fresh database, threat feeds off) with native memory tracking,
# read from /proc/PID/smaps (by mapping) and `jcmd PID VM.native_memory summary` (by JVM area).
# Needs root (eBPF, Docker), cc, python3.
#
#   bench/agent/memory.sh [DIST]        # default: distribution/target/lanthorn-*/lanthorn-*
# Environment: ATTEMPTS=1000000 storm connects (2 threads); IDLE=20 seconds idle before the first
# reading; LANTHORN_JAVA_OPTS extra JVM options (NMT is added), MALLOC_ARENA_MAX as bin/lanthorn.
# NMT costs a little memory itself (its own line); the figures without it are run.sh's VmHWM.
set -euo pipefail
# Benchmarks send nothing beyond loopback: the threat feeds' public URLs are never fetched.
export CONFIG_FORCE_enricher__threat_remote__fetch=false
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
. "$root/scripts/env.sh"
lanthorn_require_root "bench/agent/memory.sh"
lanthorn_find_jdk

attempts=${ATTEMPTS:-1000000}
idle=${IDLE:-20}
dist=${1:-$(ls -d "$root"/distribution/target/lanthorn-*/lanthorn-*/ 2>/dev/null | head -n 1)}
dist=${dist%/}
[ -x "$dist/bin/lanthorn" ] || { echo "bench/agent/memory.sh: no bin/lanthorn in $dist" >&2; exit 1; }
work=$(mktemp -d "${TMPDIR:-/tmp}/lanthorn-memory.XXXXXX")
pid=""
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" && wait "$pid" || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
cc -O2 -Wall -Werror -pthread "$root/bench/probe/connect_storm.c" -o "$work/connect_storm"
"$root/scripts/start-docker.sh"

LANTHORN_JAVA_OPTS="${LANTHORN_JAVA_OPTS:-} -XX:NativeMemoryTracking=summary" \
  "$dist/bin/lanthorn" run --db-path "$work/lanthorn.db" --disable-threat-feeds \
  --web-listen 127.0.0.1:0 2>"$work/log" &
pid=$!
for _ in $(seq 1200); do
  grep -q 'pipeline running' "$work/log" && break
  kill -0 "$pid" 2>/dev/null || { echo "the agent exited:" >&2; tail -n 5 "$work/log" >&2; exit 1; }
  sleep 0.05
done
grep -q 'pipeline running' "$work/log" || { echo "the agent did not start" >&2; exit 1; }

# One reading: smaps by mapping and NMT by area, as JSON for the table below.
reading() {
  "$JAVA_HOME/bin/jcmd" "$pid" VM.native_memory summary >"$work/nmt-$1.txt"
  "$JAVA_HOME/bin/jcmd" "$pid" GC.heap_info >"$work/heap-$1.txt"
  cp "/proc/$pid/smaps" "$work/smaps-$1.txt"
  grep -E '^(VmRSS|VmHWM|RssAnon|RssFile|Threads)' "/proc/$pid/status" >"$work/status-$1.txt"
}

sleep "$idle"
reading idle
"$work/connect_storm" "$attempts" 2 >"$work/storm.out" &
storm_pid=$!
wait "$storm_pid"
# Once the sink has stored the storm (or no new row came for 5 s).
python3 "$here/agentbench.py" wait-rows "$work/lanthorn.db" "$storm_pid" "$attempts" 300 >"$work/rows"
reading storm
kill -TERM "$pid"
wait "$pid" || true
pid=""

echo "storm: $(cat "$work/storm.out"); rows stored: $(cat "$work/rows")"
python3 "$here/memory.py" "$work"
