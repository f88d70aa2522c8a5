#!/bin/sh
# The real kiosk's sync card never says "saved" for a stick that did not get the export
# (issue 15, item 7): build/kiosk under Xvfb with --usb-dir, sticks loop-mounted under it one
# after another, the card read from the scene description the kiosk writes. Each stick:
# the sync-result note is not ok, the title says the check-ins were not saved, no text says
# "Check-ins saved", the card has the case's own words, and the kiosk's log names the reason.
#   - kith is a regular file;
#   - the export truncated right after its rename (tests/faults/faultfs.c FAULTFS_ON_RENAME,
#     preloaded into the kiosk, acting only on that stick);
#   - kith is a symlink off the stick (ext4: vfat has no symlinks).
# The results alternate (folder, io, folder) so each wait sees the new card, not the last one.
# usb-nosave.sh covers every case through the same code without a screen.
# Needs root and loop devices (CI has both); skips loudly otherwise.
# kith-test: asan
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/e2e/usb-lib.inc"
usb_setup
. "$top/tests/e2e/lib/kiosk-env.sh"
trap 'kt_cleanup; usb_cleanup' EXIT  # the kiosk first: it holds files on the stick
kt_require

shim=$T/faultfs.so
cc -shared -fPIC -O1 -o "$shim" "$top/tests/faults/faultfs.c" -ldl || fail "building faultfs"

KT_DB=$KT_TMP/kiosk.db
kt_fixture "$KT_DB" --attendees 50
kt_start_x 800x480
kt_start_sim
# The shim only touches files under the "spoil" stick; an ASan kiosk is told not to insist on
# coming first in the library list (the shim is not instrumented, and needs not be).
export LD_PRELOAD="$shim" FAULTFS_PREFIX="$T/usb/spoil" FAULTFS_ON_RENAME='truncate -s 70000 "$1"'
export ASAN_OPTIONS="${ASAN_OPTIONS:-}:verify_asan_link_order=0"
kt_start_kiosk 800x480 --usb-dir "$T/usb"
unset LD_PRELOAD FAULTFS_PREFIX FAULTFS_ON_RENAME

# name stick-dir result-name card-words log-words
card_says_not_saved() {
	name=$1 dir=$2 result=$3 words=$4 logwords=$5
	kt_until 60 'grep -q "usb: $dir: " "$KT_TMP/kiosk.log"' || kt_fail "$name: the sync never ended"
	kt_until 10 'grep -q "^sync-result .* $result\$" "$KT_TMP/scene"' ||
		kt_fail "$name: the card's result is not $result"
	kt_has_text "USB stick: check-ins not saved" || kt_fail "$name: the title does not say not saved"
	kt_has_text "Check-ins saved" && kt_fail "$name: the card says Check-ins saved"
	kt_has_text "USB stick: done" && kt_fail "$name: the card says done"
	kt_has_text "$words" || kt_fail "$name: the card lacks '$words'"
	grep -q -- "$logwords" "$KT_TMP/kiosk.log" || kt_fail "$name: the log does not say '$logwords'"
	echo "ok: $name: card says not saved ($result), '$words'; log says '$logwords'"
}

# Sticks are made outside --usb-dir, so the kiosk sees each appear with its kith in place.
usb_attach "$(usb_image file 32)"; m=$T/usb/file
usb_mount "$DEV" "$T/staging"
echo "not a folder" >"$T/staging/kith"
usb_umount "$T/staging"
usb_mount "$DEV" "$m"
card_says_not_saved "kith is a file" "$m" folder 'file named' "kith is not a folder"

usb_attach "$(usb_image spoil 32)"; m=$T/usb/spoil
usb_mount "$DEV" "$m"
card_says_not_saved "export truncated after the rename" "$m" io 'did not read back' "did not verify"

usb_attach "$(usb_image links 32 ext4)"; m=$T/usb/links
mkdir -p "$T/elsewhere"
usb_mount "$DEV" "$T/staging"
ln -s "$T/elsewhere" "$T/staging/kith"
usb_umount "$T/staging"
usb_mount "$DEV" "$m"
card_says_not_saved "kith links off the stick" "$m" folder 'is a link' "kith is a symbolic link"
[ -z "$(ls -A "$T/elsewhere")" ] || kt_fail "kith links off the stick: something was written there"
kt_stop_kiosk || kt_fail "kiosk exit status $?"
echo "PASS"
