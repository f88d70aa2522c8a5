#!/bin/sh
# sysroot.sh ARCH DIR — a private Debian bookworm sysroot for cross-building the kiosk: the -dev
# packages extracted (not installed, no emulation needed) into DIR. Host multiarch is avoided on
# purpose: amd64 and arm64 libnfc-dev cannot be co-installed and :arm64 libraries upgrade host
# packages. Also holds busybox-static, which image/mkinitrd.sh puts in the initramfs.
set -eu
arch=$1 dir=$2
mirror=${KITH_MIRROR:-http://deb.debian.org/debian}
stamp="$dir/.kith-sysroot"
pkgs="libc6-dev,libsdl2-dev,libsdl2-ttf-dev,libnfc-dev,libsqlite3-dev,libxml2-dev,libjson-c-dev,libfontconfig-dev,libfribidi-dev,libharfbuzz-dev,libsodium-dev,libespeak-ng-dev,busybox-static"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$pkgs" ]; then
	exit 0
fi
rm -rf "$dir"
mkdir -p "$(dirname "$dir")"
echo "sysroot: extracting bookworm $arch -dev packages into $dir"
mmdebstrap --quiet --variant=extract --architectures="$arch" --include="$pkgs" \
	bookworm "$dir" "deb $mirror bookworm main"
echo "$pkgs" > "$stamp"
