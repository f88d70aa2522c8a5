#!/bin/sh
# The kiosk itself syncing a stick: the real build/kiosk under Xvfb with --usb-dir, a stick
# image loop-mounted under it while the attract screen shows. The overlay must show progress
# and end with "Safe to remove"; the stick must then hold this kiosk's export with every
# check-in. A write-protected stick is reported in plain words, and a badge tap after a
# sync is answered on screen (a finished card gives way to the welcome).
# Needs root and loop devices (CI has both); skips loudly otherwise.
# kith-test: asan
# kith-test: tsan
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/e2e/usb-lib.inc"
usb_setup
. "$top/tests/e2e/lib/kiosk-env.sh"
trap 'kt_cleanup; usb_cleanup' EXIT  # the kiosk first: it holds files on the stick
kt_require

KT_DB=$KT_TMP/kiosk.db
kt_fixture "$KT_DB" --attendees 50
kt_start_x 800x480
kt_start_sim
kt_start_kiosk 800x480 --usb-dir "$T/usb"

usb_attach "$(usb_image kiosk 64)"
usb_mount "$DEV" "$T/usb/stick"
kt_wait_text "Safe to remove" 60 || kt_fail "the overlay never said Safe to remove"
echo "ok: overlay says Safe to remove"
# USB_SHOT=FILE.png keeps a picture of the card (for people; nothing checks it)
[ -n "${USB_SHOT:-}" ] && import -window root "$USB_SHOT"
grep -q "^sync-result .* ok$" "$KT_TMP/scene" || kt_fail "scene has no sync-result ok note"
f=$T/usb/stick/kith/checkins-e2e-1.sqlite
[ -f "$f" ] || kt_fail "no export on the stick"
expect_eq "export on the stick has the kiosk's check-ins" \
	"$(sqlite3 -readonly "$f" "SELECT count(*) FROM checkins")" "$(count "$KT_DB")"

# A write-protected stick: the card says so in plain words.
usb_attach "$(usb_image locked 64)"
usb_mount "$DEV" "$T/usb/locked" ro
kt_wait_text "write-protected" 60 || kt_fail "the overlay never said write-protected"
echo "ok: overlay says the stick is write-protected"
[ -n "${USB_SHOT:-}" ] && import -window root "${USB_SHOT%.png}-ro.png"

# A badge after the sync: the card gives way and the tap is answered.
kt_tap "$(kt_uid 1)"
kt_has_text "write-protected" && kt_fail "the sync card still covers the welcome screen"
echo "ok: a badge tap after the sync is answered on screen"
kt_stop_kiosk || kt_fail "kiosk exit status $?"
echo "PASS"
