#!/usr/bin/env bash
# Tests the Debian package on this machine, for real: takes over an earlier (tarball) Lanthorn's
# history at schema 4, dpkg -i the .deb the build left in
# packaging-deb/target/, runs the agent exactly as lanthorn.service would (its user, groups,
# capabilities, environment file and umask, read from the installed unit, through setpriv: PID 1
# is not always systemd), captures a host and a container connection, reads them with
# `lanthorn query`, refuses a second agent on the same database, backs up while it runs, checks
# health after a quiet stop, upgrades to a rebuilt .deb with a newer version (database and edited
# configuration kept, the agent starts on them), removes (history and configuration kept) and
# purges (no user, no files). Whatever happens, it purges at the end and puts back anything of an
# earlier Lanthorn it had to move out of the way: the machine is left as found.
# Usage: sudo scripts/test-deb.sh   (after ./mvnw verify or package has built the .deb)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/scripts/env.sh"
lanthorn_require_root "scripts/test-deb.sh"
lanthorn_find_jdk

shopt -s nullglob
debs=("$root"/packaging-deb/target/lanthorn_*.deb)
tarballs=("$root"/distribution/target/lanthorn-*.tar.gz)
if [ ${#debs[@]} -ne 1 ] || [ ${#tarballs[@]} -ne 1 ]; then
  echo "lanthorn: test-deb: no single packaging-deb/target/lanthorn_*.deb and distribution tar.gz: build first (./mvnw verify)" >&2
  exit 1
fi
deb=${debs[0]}
tarball=${tarballs[0]}
version=$(dpkg-deb -f "$deb" Version)

if dpkg-query -W -f='${Status}' lanthorn 2>/dev/null | grep -q 'installed'; then
  echo "lanthorn: test-deb: the lanthorn package is installed on this machine: the test would replace it; dpkg --purge lanthorn first" >&2
  exit 1
fi
if getent passwd lanthorn >/dev/null || getent group lanthorn >/dev/null; then
  echo "lanthorn: test-deb: a user or group lanthorn exists without the package: the purge would delete it; remove it first" >&2
  exit 1
fi

work=$(mktemp -d /tmp/lanthorn-test-deb.XXXXXX)
aside="$work/aside"
mkdir -p "$aside"
tag="deb-$$"
agents=()
containers=()
passed=0
failed=0

cleanup() {
  local pid name
  for pid in "${agents[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in "${agents[@]}"; do
    await 60 stopped "$pid" || kill -KILL "$pid" 2>/dev/null || true
  done
  for name in "${containers[@]}"; do
    docker rm -f "$name" >/dev/null 2>&1 || true
  done
  if dpkg-query -W -f='${Status}' lanthorn 2>/dev/null | grep -q 'installed\|config-files'; then
    dpkg --purge lanthorn >/dev/null 2>&1 || echo "test-deb: cleanup: dpkg --purge lanthorn failed" >&2
  fi
  # What an earlier Lanthorn (tarball or scripts/run.sh) left where the package lives goes back.
  [ -e "$aside/var-lib-lanthorn" ] && mv "$aside/var-lib-lanthorn" /var/lib/lanthorn
  [ -e "$aside/etc-lanthorn" ] && mv "$aside/etc-lanthorn" /etc/lanthorn
  [ -e "$aside/etc-default-lanthorn" ] && mv "$aside/etc-default-lanthorn" /etc/default/lanthorn
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

[ -e /var/lib/lanthorn ] && mv /var/lib/lanthorn "$aside/var-lib-lanthorn"
[ -e /etc/lanthorn ] && mv /etc/lanthorn "$aside/etc-lanthorn"
[ -e /etc/default/lanthorn ] && mv /etc/default/lanthorn "$aside/etc-default-lanthorn"

# Results go to fd 3 (the terminal), so that a check's own output can be redirected to a log.
exec 3>&1
check() {
  local what=$1
  shift
  if "$@"; then
    passed=$((passed + 1))
    echo "ok      $what" >&3
  else
    failed=$((failed + 1))
    echo "FAILED  $what" >&3
  fi
}

# Waits up to $1 seconds for a command to succeed.
await() {
  local seconds=$1
  shift
  local deadline=$((SECONDS + seconds))
  until "$@"; do
    [ $SECONDS -lt $deadline ] || return 1
    sleep 0.2
  done
}

unit=/lib/systemd/system/lanthorn.service
unit_value() { sed -n "s/^$1=//p" "$unit" | tail -n 1; }
# CAP_BPF CAP_PERFMON -> +bpf,+perfmon
setpriv_caps() { unit_value "$1" | tr ' ' '\n' | sed -n 's/^CAP_\(.*\)/+\L\1/p' | paste -sd,; }

# Runs ExecStart the way lanthorn.service does, in place of the calling (sub)shell: the unit's user,
# group, supplementary groups, capabilities (ambient and bounding), NoNewPrivileges, environment
# file, umask and working directory. Every step execs, so the caller's $! is the JVM's pid.
as_unit() {
  local user group groups caps bounding env_file exec_start
  user=$(unit_value User)
  group=$(unit_value Group)
  groups=$(for g in $(unit_value SupplementaryGroups); do getent group "$g" | cut -d: -f3; done | paste -sd,)
  caps=$(setpriv_caps AmbientCapabilities)
  bounding=$(setpriv_caps CapabilityBoundingSet)
  env_file=$(unit_value EnvironmentFile)
  env_file=${env_file#-}
  exec_start=$(unit_value ExecStart)
  local -a environment=(PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
    HOME=/var/lib/lanthorn USER="$user" LOGNAME="$user" LANG=C.UTF-8)
  if [ -r "$env_file" ]; then
    mapfile -t -O ${#environment[@]} environment < <(grep -E '^[A-Za-z_][A-Za-z0-9_]*=' "$env_file")
  fi
  cd /
  umask "$(unit_value UMask)"
  [ "$(unit_value NoNewPrivileges)" = yes ]
  # shellcheck disable=SC2086 # ExecStart is a command line
  exec setpriv --reuid="$user" --regid="$group" --groups="$groups" \
    --inh-caps=-all,"$caps" --ambient-caps="$caps" --bounding-set=-all,"$bounding" \
    --no-new-privs env -i "${environment[@]}" $exec_start
}

running() { grep -qs 'pipeline running' "$1"; } # the log appears once the agent's shell ran
stopped() { ! kill -0 "$1" 2>/dev/null; }
query() { lanthorn query "$@" --json 2>>"$work/query.err"; }
has_port() { query "$1" "${@:3}" | grep -Eq "\"dst_port\": *$2[,}]?\$"; }
only_user() { [ "$(stat -c '%U %a' "$1")" = "lanthorn $2" ]; }
# The effective capabilities of a process, as sorted names (cap_bpf,cap_perfmon).
effective_caps() {
  capsh --decode="$(awk '/^CapEff/ {print $2}' "/proc/$1/status")" | sed 's/.*=//' | tr , '\n' | sort | paste -sd,
}
unit_caps() { unit_value AmbientCapabilities | tr ' ' '\n' | tr '[:upper:]' '[:lower:]' | sort | paste -sd,; }
# Every complete_pct in a JSON answer is 100, and there is at least one.
all_complete() {
  local values
  values=$(grep -Eo '"complete_pct": *[^,}]*' <<<"$1" | cut -d: -f2 | tr -d ' ' | sort -u)
  [ -n "$values" ] && [ "$(grep -cvE '^100(\.0+)?$' <<<"$values")" = 0 ]
}
nothing_in_flight() { ! grep -qE '"in_flight": *[1-9]' <<<"$1"; }

echo "test-deb: $deb"

# --- an earlier Lanthorn's history -----------------------------------------------------------
# The tarball's agent, run by root, keeps its history at the same default path. Here one at schema
# 4 (an earlier release), written with the migrations the plugin ships: the package must take it
# over and the agent migrate it.
mkdir -p "$work/dist" /var/lib/lanthorn
tar -xzf "$tarball" -C "$work/dist" --strip-components=1
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "$work/dist/plugins/sink-sqlite/*" \
  "$root/packaging-deb/src/test/OldDatabase.java" /var/lib/lanthorn/lanthorn.db 4 >"$work/old-db.log" 2>&1
latest=$(find "$root/sql/src/main/resources/db/migration/lanthorn" -name 'V*__*.sql' | sed 's/.*\/V\([0-9]*\)__.*/\1/' | sort -n | tail -n 1)
check "an earlier Lanthorn's history at schema 4, owned by root" \
  bash -c "[ \"\$(sqlite3 /var/lib/lanthorn/lanthorn.db 'SELECT version FROM flyway_schema_history ORDER BY installed_rank DESC LIMIT 1')\" = 4 ] && [ \"\$(stat -c %U /var/lib/lanthorn/lanthorn.db)\" = root ]"

# --- install --------------------------------------------------------------------------------
check "dpkg -i installs $version" dpkg -i "$deb" >"$work/dpkg.log" 2>&1
check "the system user lanthorn exists, with no login shell" \
  bash -c '[ "$(getent passwd lanthorn | cut -d: -f7)" = /usr/sbin/nologin ]'
check "/var/lib/lanthorn is lanthorn's, 0700" only_user /var/lib/lanthorn 700
check "the earlier history is now lanthorn's" bash -c '[ "$(stat -c %U /var/lib/lanthorn/lanthorn.db)" = lanthorn ]'
check "/etc/lanthorn/lanthorn.conf is a conffile, readable by lanthorn only" \
  bash -c 'dpkg-query -W -f="\${Conffiles}" lanthorn | grep -q /etc/lanthorn/lanthorn.conf &&
    [ "$(stat -c "%U:%G %a" /etc/lanthorn/lanthorn.conf)" = root:lanthorn\ 640 ]'
check "/usr/bin/lanthorn runs from /usr/share/lanthorn" \
  bash -c '[ "$(readlink -f /usr/bin/lanthorn)" = /usr/share/lanthorn/bin/lanthorn ]'
check "systemd-analyze verify accepts the unit" systemd-analyze verify "$unit"
exposure=$(systemd-analyze security --offline=yes "$unit" 2>/dev/null | sed -n 's/.*Overall exposure level for lanthorn.service: \([0-9.]*\).*/\1/p')
echo "        systemd-analyze security --offline=yes: $exposure"
check "exposure $exposure <= 4.0" awk -v e="${exposure:-99}" 'BEGIN { exit !(e <= 4.0) }'

# The JDK as an admin would name it, in the environment file the unit reads.
echo "JAVA_HOME=$JAVA_HOME" >>/etc/default/lanthorn
# A user's setting, to see it survive the upgrade.
echo 'sink-sqlite.health-interval = 10m # set by test-deb' >>/etc/lanthorn/lanthorn.conf
# Tests send nothing beyond loopback: the packaged default would download the public threat feeds.
echo 'enricher-threat.remote-fetch = false # set by test-deb' >>/etc/lanthorn/lanthorn.conf

# --- the agent as the unit runs it ------------------------------------------------------------
(as_unit) >"$work/agent1.log" 2>&1 &
first=$!
agents+=("$first")
check "the agent starts as lanthorn.service would" await 60 running "$work/agent1.log"
check "it runs as lanthorn with exactly the unit's capabilities ($(unit_caps))" \
  bash -c "[ \"\$(stat -c %U /proc/$first)\" = lanthorn ] && [ '$(effective_caps "$first")' = '$(unit_caps)' ]"

host_port=$((20000 + RANDOM % 10000))
container_port=$((host_port + 1))
(exec 3<>"/dev/tcp/127.0.0.1/$host_port") 2>/dev/null || true
container="install-$tag"
containers+=("$container")
docker run --rm --network none --name "$container" lanthorn-test:busybox \
  sh -c "nc 127.0.0.1 $container_port </dev/null; true" >/dev/null 2>&1 || true
check "lanthorn query reads the host's connection while the agent runs" \
  await 30 has_port failed "$host_port" --since 1h
check "and the container's, by the container's name" \
  await 30 has_port container "$container_port" "$container" --since 1h
check "the database is lanthorn's, 0600" only_user /var/lib/lanthorn/lanthorn.db 600
check "the agent migrated it from schema 4 to $latest" bash -c "[ \"\$(sqlite3 /var/lib/lanthorn/lanthorn.db 'SELECT version FROM flyway_schema_history ORDER BY installed_rank DESC LIMIT 1')\" = '$latest' ]"

(as_unit) >"$work/agent2.log" 2>&1 &
second=$!
agents+=("$second")
await 60 stopped "$second" || kill -TERM "$second"
second_status=0
wait "$second" || second_status=$?
echo "        the second agent said: $(grep '^lanthorn:' "$work/agent2.log" || tail -n 3 "$work/agent2.log")"
check "a second agent on the same database exits non-zero" [ "$second_status" -ne 0 ]
check "in one line naming the first's pid ($first)" \
  bash -c "[ \"\$(grep -c '^lanthorn:' '$work/agent2.log')\" = 1 ] && grep '^lanthorn:' '$work/agent2.log' | grep -q 'in use by another Lanthorn agent (pid $first)'"
check "the first agent is still running" kill -0 "$first"

check "lanthorn backup copies the database while the agent runs" \
  lanthorn backup "$work/backup.db" >"$work/backup.log" 2>&1
check "the copy is private and whole" \
  bash -c "[ \"\$(stat -c %a '$work/backup.db')\" = 600 ] &&
    [ \"\$(sqlite3 '$work/backup.db' 'PRAGMA integrity_check')\" = ok ] &&
    [ \"\$(sqlite3 '$work/backup.db' \"SELECT count(*) FROM events_view WHERE dst_port = $container_port\")\" -ge 1 ]"

kill -TERM "$first"
first_status=0
wait "$first" || first_status=$?
check "a quiet stop (SIGTERM) exits 0 or 143, as the unit's SuccessExitStatus says" \
  bash -c "[ $first_status -eq 0 ] || [ $first_status -eq 143 ]"
health=$(query health --since 1h)
echo "        health after the stop: $health"
check "health after a quiet stop: every hour 100 % complete" all_complete "$health"
check "and nothing in flight" nothing_in_flight "$health"
events_before=$(sqlite3 /var/lib/lanthorn/lanthorn.db 'SELECT count(*) FROM events_view')

# --- upgrade --------------------------------------------------------------------------------
newer="$version+rebuild1"
mkdir -p "$work/newer"
new_deb=$(bash "$root/packaging-deb/src/deb/build-deb.sh" "$tarball" "$newer" "$work/newer" "$root/README.md")
check "dpkg -i upgrades to a rebuilt $newer" dpkg -i "$new_deb" >>"$work/dpkg.log" 2>&1
check "the package is now $newer" bash -c "[ \"\$(dpkg-query -W -f='\${Version}' lanthorn)\" = '$newer' ]"
check "the edited configuration is kept" grep -q 'set by test-deb' /etc/lanthorn/lanthorn.conf
check "the environment file is kept" grep -q "^JAVA_HOME=$JAVA_HOME" /etc/default/lanthorn
check "the database is kept" \
  bash -c "[ \"\$(sqlite3 /var/lib/lanthorn/lanthorn.db 'SELECT count(*) FROM events_view')\" = $events_before ]"
(as_unit) >"$work/agent3.log" 2>&1 &
again=$!
agents+=("$again")
check "the upgraded agent starts on the kept database" await 60 running "$work/agent3.log"
check "and still answers for the container seen before the upgrade" \
  has_port container "$container_port" "$container" --since 1h
kill -TERM "$again"
wait "$again" || true

# --- remove, purge --------------------------------------------------------------------------
check "dpkg -r removes the program" dpkg -r lanthorn >>"$work/dpkg.log" 2>&1
check "and keeps the history, the configuration and the user" \
  bash -c '[ ! -e /usr/bin/lanthorn ] && [ ! -e /usr/share/lanthorn ] && [ -f /var/lib/lanthorn/lanthorn.db ] &&
    [ -f /etc/lanthorn/lanthorn.conf ] && getent passwd lanthorn >/dev/null'
check "dpkg --purge" dpkg --purge lanthorn >>"$work/dpkg.log" 2>&1
leftovers=$(find /etc /lib/systemd /usr /var/lib -xdev -name '*lanthorn*' -not -path '/var/lib/docker/*' 2>/dev/null || true)
[ -n "$leftovers" ] && echo "        left behind: $leftovers"
check "leaves no user, group or file behind" \
  bash -c "! getent passwd lanthorn && ! getent group lanthorn && [ -z '$leftovers' ]"

echo "test-deb: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
