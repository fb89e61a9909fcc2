#!/usr/bin/env bash
# Builds the test image lanthorn-test:busybox from Debian's busybox-static: no registry needed.
# Idempotent: does nothing when the image exists.
set -euo pipefail
image=lanthorn-test:busybox
docker image inspect "$image" >/dev/null 2>&1 && exit 0
rootfs=$(mktemp -d)
trap 'rm -rf "$rootfs"' EXIT
mkdir -p "$rootfs/bin" "$rootfs/tmp" "$rootfs/etc"
cp /bin/busybox "$rootfs/bin/busybox"
for applet in sh nc sleep wget cat echo true ls; do
  ln -s busybox "$rootfs/bin/$applet"
done
tar -C "$rootfs" -c . | docker import - "$image" >/dev/null
echo "lanthorn: imported $image"
