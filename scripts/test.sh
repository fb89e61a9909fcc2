#!/usr/bin/env bash
# Builds Lanthorn and runs every test on this machine, against the real kernel, a real dockerd
# and real SQLite files. Installs what it needs first (idempotent). Usage: sudo scripts/test.sh
# [extra Maven arguments, e.g. -pl probe-tcp -am]
#
# Every test must run here: a missing facility (root, eBPF, Docker) fails instead of skipping
# (-Dlanthorn.requireAll=true). Then the unit tests of the modules that store and query time run
# again with the wall clock 400 days ahead (faketime), so none can depend on today's date.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/scripts/env.sh"
lanthorn_require_root "scripts/test.sh"

"$root/scripts/install-deps.sh" --with-docker
lanthorn_find_jdk
"$root/scripts/start-docker.sh"
"$root/scripts/test-image.sh"

cd "$root"
./mvnw -B -ntp -Dlanthorn.requireAll=true verify "$@"

if [ $# -eq 0 ]; then
  echo "lanthorn: the unit tests of api, api-testkit, sink-sqlite, sink-jsonl and launcher again," \
    "with the wall clock 400 days ahead"
  # The monotonic clock stays real, so timeouts and awaits keep their length. Without
  # FAKETIME_FORCE_MONOTONIC_FIX=0, libfaketime 0.9.10 rewrites the JVM's timed waits on the
  # monotonic clock (they return at once: spinning threads) and every clock read costs ~30x.
  DONT_FAKE_MONOTONIC=1 FAKETIME_FORCE_MONOTONIC_FIX=0 faketime '+400 days' \
    ./mvnw -B -ntp -o -Dlanthorn.requireAll=true test \
    -pl api,api-testkit,sink-sqlite,sink-jsonl,launcher -am
fi
