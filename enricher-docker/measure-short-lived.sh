#!/usr/bin/env bash
# Measures the attribution rate for short-lived containers: N `docker run --rm` containers that
# connect to their own loopback and exit ~100 ms later, each enriched after it was removed.
# Usage: enricher-docker/measure-short-lived.sh [N] [containers at a time]   (as root; starts dockerd)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
. "$root/scripts/env.sh"
lanthorn_require_root "enricher-docker/measure-short-lived.sh"
lanthorn_find_jdk
count=${1:-50}
parallel=${2:-1}
log=$(mktemp)
trap 'rm -f "$log"' EXIT
if ! (cd "$root" && ./mvnw -B -pl enricher-docker -am verify \
  -Dtest=ShortLivedAttributionRateTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Dlanthorn.shortlived.count="$count" -Dlanthorn.shortlived.parallel="$parallel" >"$log" 2>&1); then
  grep -E "short-lived attribution|Tests run:|ERROR" "$log" | head -20 >&2
  echo "lanthorn: the measurement failed: full log above (rerun with the same arguments)" >&2
  exit 1
fi
grep "short-lived attribution" "$log"
