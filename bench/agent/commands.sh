#!/usr/bin/env bash
# Wall and CPU time of the interactive commands (`lanthorn query top` on an empty database,
# `lanthorn plugins`, `--help`, `--version`) for one or more unpacked distributions, run in
# alternation so that the machine's changing load hits each alike. Needs root: the empty database
# is made by the agent itself (probe-tcp and sink-sqlite, started and stopped at once).
#
#   bench/agent/commands.sh [-n RUNS] DIST [DIST…]
#   LANTHORN_JAVA_OPTS='-Xlog:…' bench/agent/commands.sh DIST       # extra JVM options
# Prints per command and distribution the median (min–max) wall time and CPU time (user +
# system, every thread), and the load average seen.
set -euo pipefail
# Benchmarks send nothing beyond loopback: the threat feeds' public URLs are never fetched.
export CONFIG_FORCE_enricher__threat_remote__fetch=false
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
. "$root/scripts/env.sh"
lanthorn_require_root "bench/agent/commands.sh"

runs=9
if [ "${1:-}" = "-n" ]; then
  runs=$2
  shift 2
fi
[ $# -ge 1 ] || { echo "usage: bench/agent/commands.sh [-n RUNS] DIST [DIST…]" >&2; exit 2; }
work=$(mktemp -d "${TMPDIR:-/tmp}/lanthorn-commands.XXXXXX")
pid=""
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" && wait "$pid" || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

# The empty database: the schema the agent creates, no events.
db="$work/empty.db"
"${1%/}/bin/lanthorn" run --db-path "$db" --disable-threat-feeds --disable-docker-mon \
  --disable-dns-mon --disable-udp-mon --disable-inbound-mon --web-listen 127.0.0.1:0 2>"$work/log" &
pid=$!
for _ in $(seq 1200); do
  grep -q 'pipeline running' "$work/log" && break
  kill -0 "$pid" 2>/dev/null || { echo "the agent exited:" >&2; tail -n 5 "$work/log" >&2; exit 1; }
  sleep 0.05
done
kill -TERM "$pid"
wait "$pid" || true
pid=""

python3 - "$runs" "$db" "$@" <<'EOF'
import os, resource, statistics, subprocess, sys, time
runs, db, dists = int(sys.argv[1]), sys.argv[2], [d.rstrip("/") for d in sys.argv[3:]]
commands = {
    "query top (empty db)": ["query", "top", "--db-path", db],
    "plugins": ["plugins"],
    "--help": ["--help"],
    "--version": ["--version"],
}
results = {}
loads = []
for _ in range(runs):
    for name, args in commands.items():
        for dist in dists:
            loads.append(os.getloadavg()[0])
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            t0 = time.monotonic()
            done = subprocess.run([f"{dist}/bin/lanthorn", *args], stdout=subprocess.DEVNULL,
                                  stderr=subprocess.PIPE, text=True)
            wall = time.monotonic() - t0
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            if done.returncode != 0:
                sys.exit(f"{dist}: lanthorn {' '.join(args)} failed: {done.stderr.strip()}")
            cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
            results.setdefault((name, dist), []).append((wall, cpu))

def s(values):
    return f"{statistics.median(values):.2f} s ({min(values):.2f}–{max(values):.2f})"

for name in commands:
    for dist in dists:
        r = results[(name, dist)]
        print(f"{name:22} {dist}\n    wall {s([w for w, _ in r])}  CPU {s([c for _, c in r])}  n={len(r)}")
print(f"load average during the runs: {min(loads):.2f}–{max(loads):.2f}")
EOF
