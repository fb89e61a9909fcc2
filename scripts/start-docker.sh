#!/usr/bin/env bash
# Starts containerd and dockerd in the background when no Docker daemon answers (machines without
# systemd), then waits until `docker info` answers. Idempotent, and safe to run while another run
# (or a test restarting dockerd) is in progress: a daemon that exits while we wait is started again.
# The daemons get a session of their own (setsid), so that killing the caller's process group (a
# test run stopped with Ctrl-C or by a timeout) does not take them along.
set -euo pipefail
. "$(cd "$(dirname "$0")" && pwd)/env.sh"
lanthorn_require_root "scripts/start-docker.sh"

if docker info >/dev/null 2>&1; then
  exit 0
fi
if ! pgrep -x containerd >/dev/null; then
  setsid containerd >>/var/log/containerd.log 2>&1 </dev/null &
fi
for _ in $(seq 1 100); do
  [ -S /run/containerd/containerd.sock ] && break
  sleep 0.1
done
for _ in $(seq 1 300); do
  docker info >/dev/null 2>&1 && exit 0
  # Not running, or exited meanwhile (a stop that was still in progress, a crash): start it.
  if ! pgrep -x dockerd >/dev/null; then
    setsid dockerd --containerd /run/containerd/containerd.sock >>/var/log/dockerd.log 2>&1 </dev/null &
  fi
  sleep 0.1
done
echo "lanthorn: dockerd did not answer within 30 s: see the end of /var/log/dockerd.log" >&2
tail -n 5 /var/log/dockerd.log >&2 || true
exit 1
