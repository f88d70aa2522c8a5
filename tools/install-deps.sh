#!/bin/sh
# Install the Debian packages Kith needs, only those missing, and say which.
# Usage: tools/install-deps.sh SET...   (sets: build test run image)
# apt-get as root, sudo otherwise; a fresh Debian bookworm machine needs nothing else.
set -eu

# libfontconfig-dev: fonts chosen by coverage; libfribidi-dev: the Unicode bidi algorithm;
# libharfbuzz-dev: the script of each run (SDL_ttf shapes with the same HarfBuzz).
# libsodium-dev: Ed25519 signatures (issue 16; no crypto of our own);
# libespeak-ng-dev: speech on request (issue 14).
pkgs_build="build-essential pkg-config clang libsdl2-dev libsdl2-ttf-dev libnfc-dev libsqlite3-dev
  libxml2-dev libjson-c-dev libcmocka-dev libfontconfig-dev libfribidi-dev libharfbuzz-dev
  libsodium-dev libespeak-ng-dev"
# Fonts for every script on a roster: Noto core (Greek, Cyrillic, Hebrew, Arabic, Devanagari,
# Bengali, Tamil, Thai, Ethiopic, ...), Noto CJK (Hangul; Han and kana too), colour emoji.
pkgs_run="sqlite3 fonts-dejavu-core fonts-droid-fallback fonts-noto-core fonts-noto-cjk
  fonts-noto-color-emoji fontconfig libnfc-bin libnfc-examples xvfb xauth"
# syncthing: the LAN sync's engine, run for real on loopback (issue 12); iproute2: bring up lo
# in the tests' own network namespace; sox: measure the tones and speech the kiosk writes.
pkgs_test="$pkgs_run xdotool imagemagick dosfstools mtools util-linux syncthing iproute2 sox"
pkgs_image="mmdebstrap qemu-user-static binfmt-support qemu-system-arm qemu-utils dosfstools mtools
  e2fsprogs fdisk xz-utils crossbuild-essential-arm64 dpkg-dev lintian arch-test python3 cpio"

want=""
for set in "$@"; do
	case "$set" in
	build) want="$want $pkgs_build" ;;
	run)   want="$want $pkgs_run" ;;
	test)  want="$want $pkgs_test" ;;
	image) want="$want $pkgs_image" ;;
	*) echo "install-deps: unknown set '$set' (build, test, run, image)" >&2; exit 2 ;;
	esac
done

missing=""
for p in $want; do
	case " $missing " in *" $p "*) continue ;; esac
	status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	[ "$status" = "install ok installed" ] || missing="$missing $p"
done
[ -z "$missing" ] && exit 0

echo "install-deps: installing missing Debian packages:$missing"
if [ "$(id -u)" -eq 0 ]; then
	sudo=""
elif command -v sudo >/dev/null 2>&1; then
	sudo="sudo"
else
	echo "install-deps: not root and no sudo; please install:$missing" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
# shellcheck disable=SC2086
$sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null
echo "install-deps: done"
