#!/bin/sh
# mkdeb.sh ARCH — builds the kiosk and kioskctl for ARCH (natively or cross with a private
# sysroot) and packs image/out/kith_VERSION_ARCH.deb with dpkg-deb: the programs, the assets,
# the systemd units, the udev rule for USB sticks, the default settings and the maintainer
# scripts. dpkg-deb rather than dpkg-buildpackage: a cross build with dpkg-buildpackage needs the
# arm64 build-deps installed on the host, which multiarch cannot do here (see sysroot.sh).
set -eu
cd "$(dirname "$0")/.."
arch=${1:-$(dpkg --print-architecture)}
host=$(dpkg --print-architecture)
out=image/out
stage=build/deb-$arch
jobs=${KITH_JOBS:-2}

# Reproducible: the version, timestamps and file order come from the commit, not the clock.
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || echo 0)}
commit=$(git rev-parse --short=10 HEAD 2>/dev/null || echo unknown)
date=$(date -u -d "@$SOURCE_DATE_EPOCH" +%Y%m%d%H%M%S)
version="0.1~git$date.$commit"

# From the environment, not the command line, so the Makefile still appends its own flags.
export CFLAGS="${CFLAGS:--O2 -g} -ffile-prefix-map=$PWD=."
if [ "$arch" = "$host" ]; then
	make -s -j"$jobs" BUILD="build/$arch" "build/$arch/kiosk" "build/$arch/kioskctl"
	cc_strip="strip"
else
	case "$arch" in
	arm64) triplet=aarch64-linux-gnu ;;
	armhf) triplet=arm-linux-gnueabihf ;;
	*) echo "mkdeb: no cross toolchain known for $arch" >&2; exit 2 ;;
	esac
	sr=$PWD/build/sysroot-$arch
	image/sysroot.sh "$arch" "$sr"
	PKG_CONFIG_SYSROOT_DIR=$sr \
	PKG_CONFIG_LIBDIR=$sr/usr/lib/$triplet/pkgconfig:$sr/usr/share/pkgconfig \
	make -s -j"$jobs" BUILD="build/$arch" CC="$triplet-gcc --sysroot=$sr" \
		"build/$arch/kiosk" "build/$arch/kioskctl"
	cc_strip=$triplet-strip
fi

rm -rf "$stage"
root=$stage/root
p=image/pkg
install -d "$root/DEBIAN" "$root/usr/bin" "$root/usr/lib/kith" "$root/lib/systemd/system" \
	"$root/lib/udev/rules.d" "$root/etc/default" "$root/usr/share/kith" \
	"$root/usr/share/doc/kith" "$root/usr/share/man/man1"
install -m 0755 "build/$arch/kiosk" "$root/usr/lib/kith/kiosk"
install -m 0755 "build/$arch/kioskctl" "$root/usr/bin/kioskctl"
$cc_strip --strip-unneeded --remove-section=.comment --remove-section=.note \
	"$root/usr/lib/kith/kiosk" "$root/usr/bin/kioskctl"
install -m 0755 $p/kiosk-start $p/usb-mount $p/usb-eject "$root/usr/lib/kith/"
install -m 0644 $p/kith-kiosk.service $p/kith-usb-eject.path $p/kith-usb-eject.service \
	"$root/lib/systemd/system/"
install -m 0644 $p/90-kith-usb.rules "$root/lib/udev/rules.d/"
install -D -m 0644 $p/modules-load.conf "$root/usr/lib/modules-load.d/kith.conf"
install -m 0644 $p/default "$root/etc/default/kith"
if [ -d assets ]; then
	cp -r assets "$root/usr/share/kith/assets"
	find "$root/usr/share/kith" -type d -exec chmod 0755 {} + -o -type f -exec chmod 0644 {} +
fi
gzip -9n < $p/kioskctl.1 > "$root/usr/share/man/man1/kioskctl.1.gz"
chmod 0644 "$root/usr/share/man/man1/kioskctl.1.gz"
install -m 0644 $p/copyright "$root/usr/share/doc/kith/copyright"
sed "s/@VERSION@/$version/; s/@DATE@/$(date -u -R -d "@$SOURCE_DATE_EPOCH")/" $p/changelog \
	| gzip -9n > "$root/usr/share/doc/kith/changelog.gz"
install -m 0755 $p/postinst $p/postrm $p/prerm "$root/DEBIAN/"
echo /etc/default/kith > "$root/DEBIAN/conffiles"
size=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
sed "s/@VERSION@/$version/; s/@ARCH@/$arch/; s/@SIZE@/$size/" $p/control > "$root/DEBIAN/control"
(cd "$root" && find . -path ./DEBIAN -prune -o -type f -print | LC_ALL=C sort \
	| sed 's#^\./##' | xargs -d '\n' md5sum) > "$root/DEBIAN/md5sums"
chmod 0644 "$root/DEBIAN/control" "$root/DEBIAN/conffiles" "$root/DEBIAN/md5sums"
# Every file's mtime is the commit's, so two builds of one commit give the same .deb.
find "$root" -newermt "@$SOURCE_DATE_EPOCH" -print0 | xargs -0r touch -h -d "@$SOURCE_DATE_EPOCH"

mkdir -p "$out"
deb=$out/kith_${version}_$arch.deb
dpkg-deb --root-owner-group -Zxz --build "$root" "$deb" >/dev/null
ln -sf "kith_${version}_$arch.deb" "$out/kith_$arch.deb"
# The package must stay lintian-clean (image/README.md): any warning or error fails the build.
# (stderr only says that CI runs lintian as root.)
if ! lintian --fail-on error,warning "$deb" 2>"$stage/lintian.err"; then
	cat "$stage/lintian.err" >&2
	echo "mkdeb: lintian is not clean on $deb (tags above)" >&2
	exit 1
fi
echo "mkdeb: $deb"
