#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages Lanthorn builds and runs with. Idempotent: installs only
# what is missing. Usage: scripts/install-deps.sh [--with-docker]
# (--with-docker: also what the tests need: Docker, busybox for the test image, faketime)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/env.sh"
lanthorn_require_root "scripts/install-deps.sh"

packages=(clang llvm libbpf-dev bpftool libbpf1 sqlite3 curl ca-certificates)
[ "${1:-}" = "--with-docker" ] && packages+=(docker.io busybox-static faketime)
# scripts/test-deb.sh: the package's dependencies (dpkg -i installs none), setpriv's capsh, systemd-analyze.
[ "${1:-}" = "--with-docker" ] && packages+=(adduser init-system-helpers libcap2-bin systemd)
# probe-dns tests run their own DNS server; its benchmark measures loopback TCP with iperf3.
[ "${1:-}" = "--with-docker" ] && packages+=(dnsmasq-base iperf3)
# web plugin tests: a real headless browser driven by its chromedriver, and a real Prometheus.
[ "${1:-}" = "--with-docker" ] && packages+=(chromium chromium-driver prometheus)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "lanthorn: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
lanthorn_find_jdk
