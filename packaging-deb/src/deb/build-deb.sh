#!/usr/bin/env bash
# Builds lanthorn_VERSION_ARCH.deb from the distribution's tar.gz with dpkg-deb (no fakeroot:
# --root-owner-group makes every file root's).
# Usage: build-deb.sh TARBALL VERSION OUTDIR DOC...   (VERSION in Debian form, e.g. 0.1.0~SNAPSHOT)
set -euo pipefail
tarball=$1 version=$2 outdir=$3
shift 3
here=$(cd "$(dirname "$0")" && pwd)
arch=$(dpkg --print-architecture)
work="$outdir/deb-root"
rm -rf "$work"
umask 022
mkdir -p "$work/DEBIAN" "$work/usr/share/lanthorn" "$work/usr/bin" "$work/etc/lanthorn" \
  "$work/etc/default" "$work/lib/systemd/system" "$work/usr/share/doc/lanthorn"

# /usr/share/lanthorn: bin/, lib/, plugins/ as the tarball has them (directories 0755, files 0644,
# bin/lanthorn 0755); conf/ is a link to /etc/lanthorn, where the configuration is a conffile.
tar -xzf "$tarball" -C "$work/usr/share/lanthorn" --strip-components=1 --no-same-owner
mv "$work/usr/share/lanthorn/conf/lanthorn.conf" "$work/etc/lanthorn/lanthorn.conf"
rmdir "$work/usr/share/lanthorn/conf"
ln -s /etc/lanthorn "$work/usr/share/lanthorn/conf"
ln -s ../share/lanthorn/bin/lanthorn "$work/usr/bin/lanthorn"

install -m 0644 "$here/files/lanthorn.service" "$work/lib/systemd/system/lanthorn.service"
install -m 0644 "$here/files/default" "$work/etc/default/lanthorn"
for doc in "$@"; do
  install -m 0644 "$doc" "$work/usr/share/doc/lanthorn/$(basename "$doc")"
done

size=$(du -sk --exclude=DEBIAN "$work" | cut -f1)
sed -e "s/@VERSION@/$version/" -e "s/@ARCH@/$arch/" -e "s/@SIZE@/$size/" \
  "$here/control/control" >"$work/DEBIAN/control"
install -m 0644 "$here/control/conffiles" "$work/DEBIAN/conffiles"
for script in postinst prerm postrm; do
  install -m 0755 "$here/control/$script" "$work/DEBIAN/$script"
done
# Reproducible: every file dated like the jars.
find "$work" -exec touch -h -d "${SOURCE_DATE_EPOCH:+@$SOURCE_DATE_EPOCH}${SOURCE_DATE_EPOCH:-2026-11-25T00:00:00Z}" {} +

deb="$outdir/lanthorn_${version}_${arch}.deb"
# gzip: the jars inside are compressed already; xz saved 4 % for 20 times the time.
dpkg-deb --root-owner-group -Zgzip --build "$work" "$deb" >/dev/null
echo "$deb"
