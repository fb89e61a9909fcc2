#!/usr/bin/env bash
# Start-up time of `bin/lanthorn run` (default plugins, a fresh database each time, the dashboard on
# a free port so that a running agent's 9077 is no obstacle): from exec to
# the probe's "attached" line and to "pipeline running", for one or more unpacked distributions,
# run in alternation so that the machine's changing load hits each alike. Needs root.
#
#   bench/agent/startup.sh [-n RUNS] [--existing] DIST [DIST…]
#   --existing: every run restarts on a database an uncounted first run created (a restart of an
#   installed agent) instead of starting on a fresh one (its first start)
#   LANTHORN_JAVA_OPTS='-Xlog:…' bench/agent/startup.sh DIST       # extra JVM options, as bin/lanthorn
# Prints one line per run and the median (min–max) per distribution, with the load average and the
# CPU time the agent had used when its pipeline ran (steadier than wall time on a busy machine).
set -euo pipefail
# Benchmarks send nothing beyond loopback: the threat feeds' public URLs are never fetched.
export CONFIG_FORCE_enricher__threat_remote__fetch=false
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
. "$root/scripts/env.sh"
lanthorn_require_root "bench/agent/startup.sh"

runs=5
if [ "${1:-}" = "-n" ]; then
  runs=$2
  shift 2
fi
existing=false
if [ "${1:-}" = "--existing" ]; then
  existing=true
  shift
fi
[ $# -ge 1 ] || { echo "usage: bench/agent/startup.sh [-n RUNS] [--existing] DIST [DIST…]" >&2; exit 2; }
"$root/scripts/start-docker.sh"
work=$(mktemp -d "${TMPDIR:-/tmp}/lanthorn-startup.XXXXXX")
pid=""
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" && wait "$pid" || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

results="$work/results"
first=1
[ "$existing" = true ] && first=0
for run in $(seq "$first" "$runs"); do
  for dist in "$@"; do
    dist=${dist%/}
    # One database per distribution: a newer one's file may be refused by an older one.
    db="$work/db-$(echo "$dist" | sha256sum | cut -c1-12)"
    if [ "$existing" = false ] || [ ! -d "$db" ]; then
      rm -rf "$db" && mkdir "$db"
    fi
    load=$(cut -d' ' -f1 /proc/loadavg)
    t0=$(date +%s%N)
    "$dist/bin/lanthorn" run --db-path "$db/lanthorn.db" --web-listen 127.0.0.1:0 2>"$work/log" &
    pid=$!
    for _ in $(seq 1200); do
      grep -q 'pipeline running' "$work/log" && break
      kill -0 "$pid" 2>/dev/null || { echo "the agent exited:" >&2; tail -n 5 "$work/log" >&2; exit 1; }
      sleep 0.02
    done
    # CPU (user + system, all threads) spent by then, read before anything else.
    cpu=$(awk '{ print $14 + $15 }' "/proc/$pid/stat")
    figures="$(python3 "$here/agentbench.py" startup "$work/log" "$t0") cpu_s=$(echo "$cpu $(getconf CLK_TCK)" | awk '{ printf "%.2f", $1 / $2 }')"
    kill -TERM "$pid"
    wait "$pid" || true
    pid=""
    if [ "$run" -eq 0 ]; then
      echo "dist=$dist created its database (not counted): $figures"
    else
      echo "dist=$dist run=$run $figures load=$load" | tee -a "$results"
    fi
  done
done

python3 - "$results" <<'EOF'
import re, statistics, sys
by = {}
for line in open(sys.argv[1]):
    rec = dict(m.groups() for m in re.finditer(r"(\w+)=(\S+)", line))
    by.setdefault(rec["dist"], []).append(rec)
for dist, recs in by.items():
    def s(key):
        v = [float(r[key]) for r in recs if r[key] != "nan"]
        return f"{statistics.median(v):.2f} s ({min(v):.2f}–{max(v):.2f})" if v else "n/a"
    loads = [float(r["load"]) for r in recs]
    print(f"{dist}\n  attached: {s('attached_s')}  running: {s('running_s')}  CPU by then: {s('cpu_s')}  n={len(recs)}"
          f"  load {min(loads):.2f}–{max(loads):.2f}")
EOF
