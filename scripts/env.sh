# Sourced by every Lanthorn script: finds JDK 25 and fails with one clear line when it can't.
# shellcheck shell=bash

lanthorn_find_jdk() {
  local candidate
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/java-25-openjdk-amd64 /usr/lib/jvm/jdk-25*; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] || continue
    if "$candidate/bin/java" -version 2>&1 | grep -qE 'version "(2[5-9]|[3-9][0-9])'; then
      export JAVA_HOME="$candidate"
      return 0
    fi
  done
  echo "lanthorn: JDK 25 not found: install one (e.g. Temurin 25 into /usr/lib/jvm/temurin-25-jdk-amd64) or set JAVA_HOME to it" >&2
  return 1
}

# Root is needed for apt, for loading eBPF programs and for dockerd.
lanthorn_require_root() {
  if [ "$(id -u)" -ne 0 ]; then
    echo "lanthorn: $1 needs root (eBPF and Docker): run it with sudo" >&2
    exit 1
  fi
}
