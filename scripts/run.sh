#!/usr/bin/env bash
# Builds Lanthorn (tests skipped) and runs the agent with the default configuration: every
# outbound TCP connection of this machine goes into the SQLite file /var/lib/lanthorn/lanthorn.db.
# Installs what it needs first (idempotent). Stop it with Ctrl-C: it flushes before exiting.
# Usage: sudo scripts/run.sh [lanthorn run options, e.g. --db-path ./lanthorn.db]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/scripts/env.sh"
lanthorn_require_root "scripts/run.sh"

"$root/scripts/install-deps.sh"
lanthorn_find_jdk

cd "$root"
echo "lanthorn: building (the first build downloads Maven and the dependencies: a few minutes)"
./mvnw -B -ntp -q -DskipTests package
dist=$(ls -d "$root"/distribution/target/lanthorn-*/lanthorn-*/ | head -1)
if command -v docker >/dev/null && ! docker info >/dev/null 2>&1; then
  echo "lanthorn: Docker is installed but its daemon is not running: connections will not be" \
    "attributed to containers until it starts (scripts/start-docker.sh starts it)" >&2
fi
# The ahead-of-time class cache cuts start-up CPU by a third; built once per build of Lanthorn.
# The agent's cache and the commands' (checked by `run --help` and `--version`).
if [ ! -f "${dist}lib/lanthorn.aot" ] || [ ! -f "${dist}lib/lanthorn-commands.aot" ] ||
  { "${dist}bin/lanthorn" run --help && "${dist}bin/lanthorn" --version; } 2>&1 >/dev/null | grep -q 'not using'; then
  "${dist}bin/lanthorn" aot-cache ||
    echo "lanthorn: starting without the ahead-of-time cache (slower start-up only)" >&2
fi
exec "${dist}bin/lanthorn" run "$@"
