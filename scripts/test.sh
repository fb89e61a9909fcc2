#!/usr/bin/env bash
# Builds Lanthorn and runs every test on this machine, against the real kernel, a real dockerd
# and real SQLite files. Installs what it needs first (idempotent). Usage: sudo scripts/test.sh
# [extra Maven arguments, e.g. -pl probe-tcp -am]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/scripts/env.sh"
lanthorn_require_root "scripts/test.sh"

"$root/scripts/install-deps.sh" --with-docker
lanthorn_find_jdk
"$root/scripts/start-docker.sh"
"$root/scripts/test-image.sh"

cd "$root"
./mvnw -B -ntp verify "$@"
# The whole build made the .deb: install, upgrade and purge it on this machine (leaving it as found).
if [ $# -eq 0 ]; then
  "$root/scripts/test-deb.sh"
fi
