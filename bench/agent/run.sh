#!/usr/bin/env bash
# The whole agent as a user runs it (bin/lanthorn run: probe-tcp + enricher-docker + sink-sqlite,
# default settings, a fresh database per run) measured against a connect storm, and printed as one
# table: connect rate without and with the agent, attempts and rows, loss, connect-to-row latency,
# agent CPU per 100k events, peak RSS, start-up time. Needs root (eBPF, Docker), cc and python3.
#
#   bench/agent/run.sh [DISTRIBUTION_DIR]      # default: distribution/target/lanthorn-*/lanthorn-*,
#                                              # built with ./mvnw -DskipTests package when missing
# Environment:
#   ROUNDS=5            storm rounds; each runs the storm once without and once with the agent, the
#                       order alternating round by round
#   ATTEMPTS=200000     connect attempts per storm;  THREADS=2 connecting threads
#   STORM_CPUS=LIST     pin the storm (taskset list, e.g. 0): steadier rates on a shared machine
#   LATENCY_RATE=200    paced connects per second for the latency run; LATENCY_SECONDS=20
#   STARTS=3            extra start-ups measured alone (each storm round also measures one)
#   SOAK=5              storms run back to back through one agent: peak RSS and warm CPU per event
#   TMPDIR              where the databases go (default /tmp: a disk here)
# Results (logs, per-round figures) go to bench/results/agent-<time>/; the table is printed last.
set -euo pipefail
# Benchmarks send nothing beyond loopback: the threat feeds' public URLs are never fetched.
export CONFIG_FORCE_enricher__threat_remote__fetch=false
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
. "$root/scripts/env.sh"
lanthorn_require_root "bench/agent/run.sh"
lanthorn_find_jdk

rounds=${ROUNDS:-5}
attempts=${ATTEMPTS:-200000}
threads=${THREADS:-2}
latency_rate=${LATENCY_RATE:-200}
latency_seconds=${LATENCY_SECONDS:-20}
starts=${STARTS:-3}
soak=${SOAK:-5}
helper="$here/agentbench.py"

dist=${1:-}
if [ -z "$dist" ]; then
  dist=$(ls -d "$root"/distribution/target/lanthorn-*/lanthorn-*/ 2>/dev/null | head -n 1 || true)
  if [ -z "$dist" ]; then
    echo "building the distribution (./mvnw -B -q -DskipTests package)"
    (cd "$root" && ./mvnw -B -q -DskipTests package)
    dist=$(ls -d "$root"/distribution/target/lanthorn-*/lanthorn-*/ | head -n 1)
  fi
fi
dist=${dist%/}
[ -x "$dist/bin/lanthorn" ] || { echo "bench/agent: no bin/lanthorn in $dist" >&2; exit 1; }

out="$root/bench/results/agent-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$out"
results="$out/rounds.txt"
cc -O2 -Wall -Werror -pthread "$root/bench/probe/connect_storm.c" -o "$out/connect_storm"
storm_cmd=("$out/connect_storm")
[ -z "${STORM_CPUS:-}" ] || storm_cmd=(taskset -c "$STORM_CPUS" "$out/connect_storm")
"$root/scripts/start-docker.sh"
work=$(mktemp -d "${TMPDIR:-/tmp}/lanthorn-bench.XXXXXX")
agent_pid=""
cleanup() {
  if [ -n "$agent_pid" ] && kill -0 "$agent_pid" 2>/dev/null; then
    kill -TERM "$agent_pid" && wait "$agent_pid" || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

load() { cut -d' ' -f1 /proc/loadavg; }

# Starts the agent on a fresh database and waits until its pipeline runs. Sets agent_pid,
# agent_log, agent_db and startup (its start-up figures). Not in a subshell: it keeps the child.
start_agent() {
  local name=$1 t0
  agent_db="$work/$name/lanthorn.db"
  agent_log="$out/$name.log"
  mkdir -p "$work/$name"
  t0=$(date +%s%N)
  # The dashboard on a free port: a running agent's 9077 is no obstacle.
  "$dist/bin/lanthorn" run --db-path "$agent_db" --web-listen 127.0.0.1:0 2>"$agent_log" &
  agent_pid=$!
  for _ in $(seq 1200); do
    grep -q 'pipeline running' "$agent_log" && break
    if ! kill -0 "$agent_pid" 2>/dev/null; then
      echo "bench/agent: the agent exited during start:" >&2
      tail -n 5 "$agent_log" >&2
      exit 1
    fi
    sleep 0.05
  done
  startup=$(python3 "$helper" startup "$agent_log" "$t0")
}

# SIGTERM, drain, exit. Sets final (the final status line's counters).
stop_agent() {
  kill -TERM "$agent_pid"
  wait "$agent_pid" || true
  agent_pid=""
  final=$(python3 "$helper" final "$agent_log")
}

# One storm. Sets storm_pid and storm (its figures).
run_storm() {
  "${storm_cmd[@]}" "$attempts" "$threads" >"$work/storm.out" &
  storm_pid=$!
  wait "$storm_pid"
  storm=$(sed 's/seconds=[^ ]* //' "$work/storm.out")
}

without_round() {
  local round=$1 before
  before=$(load)
  run_storm
  echo "round=$round mode=without $storm load_before=$before load_after=$(load)" | tee -a "$results"
}

with_round() {
  local round=$1 before cpu0 cpu1 hwm id0 id1 cpu_s stored
  start_agent "round$round"
  read -r cpu0 _ < <(python3 "$helper" proc "$agent_pid")
  id0=$(python3 "$helper" maxid "$agent_db")
  before=$(load)
  run_storm
  # Agent CPU and memory once every row of the storm is committed (or none came for 5 s).
  python3 "$helper" wait-rows "$agent_db" "$storm_pid" "$attempts" 120 >/dev/null
  read -r cpu1 hwm < <(python3 "$helper" proc "$agent_pid")
  id1=$(python3 "$helper" maxid "$agent_db")
  stop_agent
  stored=$(python3 "$helper" rows "$agent_db" "$storm_pid")
  cpu_s=$(python3 -c "print(round((${cpu1#cpu_ticks=} - ${cpu0#cpu_ticks=}) / $(getconf CLK_TCK), 2))")
  echo "round=$round mode=with $storm rows=$stored agent_cpu_s=$cpu_s agent_events=$((id1 - id0))" \
    "$hwm $startup $final load_before=$before load_after=$(load)" | tee -a "$results"
  rm -rf "${work:?}/round$round"
}

echo "distribution: $dist"
echo "storm: ${storm_cmd[*]} $attempts $threads; $rounds rounds; load before: $(uptime)"
# Warm-up: the first storm after a while pays for cold caches.
"${storm_cmd[@]}" "$attempts" "$threads" >/dev/null
for round in $(seq "$rounds"); do
  if [ $((round % 2)) -eq 1 ]; then
    without_round "$round"
    with_round "$round"
  else
    with_round "$round"
    without_round "$round"
  fi
done

for i in $(seq "$starts"); do
  start_agent "start$i"
  read -r _ hwm < <(python3 "$helper" proc "$agent_pid")
  stop_agent
  echo "mode=start $startup $hwm load_before=$(load)" | tee -a "$results"
  rm -rf "${work:?}/start$i"
done

# Soak: one agent through SOAK storms back to back, as a long-running agent sees them: its peak
# RSS (the heap fills up to its limit only over time) and its CPU per event once warm.
start_agent soak
for i in $(seq "$soak"); do
  read -r cpu0 _ < <(python3 "$helper" proc "$agent_pid")
  id0=$(python3 "$helper" maxid "$agent_db")
  before=$(load)
  run_storm
  python3 "$helper" wait-rows "$agent_db" "$storm_pid" "$attempts" 120 >/dev/null
  read -r cpu1 hwm < <(python3 "$helper" proc "$agent_pid")
  id1=$(python3 "$helper" maxid "$agent_db")
  cpu_s=$(python3 -c "print(round((${cpu1#cpu_ticks=} - ${cpu0#cpu_ticks=}) / $(getconf CLK_TCK), 2))")
  echo "mode=soak storm=$i $storm rows=$(python3 "$helper" rows "$agent_db" "$storm_pid")" \
    "agent_cpu_s=$cpu_s agent_events=$((id1 - id0)) $hwm load_before=$before load_after=$(load)" | tee -a "$results"
done
stop_agent
echo "mode=soak-final $final" | tee -a "$results"
rm -rf "${work:?}/soak"

start_agent latency
before=$(load)
figures=$(python3 "$helper" latency "$agent_db" "$latency_rate" "$latency_seconds")
read -r _ hwm < <(python3 "$helper" proc "$agent_pid")
stop_agent
echo "mode=latency $figures $startup $hwm $final load_before=$before load_after=$(load)" | tee -a "$results"

echo "load after: $(uptime)"
echo
python3 "$helper" summary "$results" | tee "$out/table.md"
echo
echo "raw figures and agent logs: $out"
