#!/bin/sh
# kith-test: asan
# A full data partition at start: the kiosk holds on "Storage full" instead of exiting, and
# acknowledges no tap until there is space again; then it carries on by itself.
# Real parts: a loop-mounted ext4 filesystem as the data partition (needs root, like the usb-*
# tests), filled to the brim; Xvfb, pn532-sim, libnfc, the kiosk with --db on it.
#   - the scene shows the storage message and the free space; a badge presented through
#     pn532-sim gets no answer: no tap line in the log, and later no row;
#   - the filler deleted, the kiosk reaches attract within the back-off, and a tap is checked
#     in (log line and row).
set -u
. "$(dirname "$0")/lib/kiosk-env.sh"
BUILD=$BUILD . "$(dirname "$0")/usb-lib.inc"
kt_require

[ "$(id -u)" -eq 0 ] || kt_skip "SKIP: needs root to loop-mount a data partition (CI runs as root)"
[ -e /dev/loop-control ] || kt_skip "SKIP: no /dev/loop-control: this machine has no loop devices"
command -v mkfs.ext4 >/dev/null || kt_skip "SKIP: mkfs.ext4 missing (e2fsprogs)"
grep -qw ext4 /proc/filesystems || kt_skip "SKIP: this kernel has no ext4"
T=$(mktemp -d /tmp/kith-full.XXXXXX)
trap 'kt_cleanup; usb_cleanup' EXIT
truncate -s 1M "$T/probe.img"
probe=$(losetup -f --show "$T/probe.img" 2>/dev/null) || kt_skip "SKIP: losetup cannot attach a loop device here"
losetup -d "$probe"

img=$(usb_image data 8 ext4)
usb_attach "$img"
usb_mount "$DEV" "$T/data"
KT_DB=$T/data/kith.db
kt_fixture "$KT_DB"
# To the brim: big blocks, then small ones for the tail.
dd if=/dev/zero of="$T/data/filler" bs=64k 2>/dev/null
dd if=/dev/zero of="$T/data/filler2" bs=1k 2>/dev/null
sync
avail=$(df -k --output=avail "$T/data" | tail -n 1 | tr -d ' ')
[ "$avail" -lt 64 ] || kt_fail "could not fill the partition ($avail kB left)"
kt_log "data partition full: $avail kB free"

kt_tries() { sed -n 's/^tries 0 0 0 0 //p' "$KT_TMP/scene" 2>/dev/null; }

kt_start_x 800x480
kt_start_sim
KT_WAIT_ANY=1 kt_start_kiosk 800x480
kt_wait_screen fault 20 || kt_fail "no fault screen on a full data partition"
kt_wait_text "Storage full: see the admin guide" || kt_fail "no storage message"
kt_has_text "Free space on the data partition" || kt_fail "the free space is not on screen"
kt_check_layout >"$KT_TMP/layout" || kt_fail "fault layout: $(cat "$KT_TMP/layout")"

# A badge while full: the kiosk tries twice more with it on the reader and answers nothing.
kt_sim "present $(kt_uid 1)"
t0=$(kt_tries)
kt_until 20 '[ "$(kt_tries)" -ge $((t0 + 2)) ]' || kt_fail "the kiosk does not keep trying (tries $(kt_tries))"
kt_sim remove
[ "$(kt_screen)" = fault ] || kt_fail "left the fault screen while full: $(kt_screen)"
! grep -q 'tap attendee=' "$KT_TMP/kiosk.log" || kt_fail "a tap was answered while the partition was full"
! kt_has_text "Checked in" || kt_fail "the screen said checked in"
kill -0 "$KT_KIOSK_PID" 2>/dev/null || kt_fail "the kiosk exited"

# Space again: the kiosk carries on by itself, and the held badge was never checked in.
rm -f "$T/data/filler" "$T/data/filler2"
kt_wait_screen attract 20 || kt_fail "the kiosk did not reach attract once space was freed"
[ "$(sqlite3 "$KT_DB" "SELECT count(*) FROM checkins WHERE kiosk_id = 'e2e-1'")" = 0 ] ||
	kt_fail "a check-in was stored while full"
kt_tap "$(kt_uid 1)"
kt_until 10 'grep -q "tap attendee=A1 result=checkin" "$KT_TMP/kiosk.log"' || kt_fail "no check-in after space was freed"
[ "$(sqlite3 "$KT_DB" "SELECT count(*) FROM checkins WHERE kiosk_id = 'e2e-1' AND attendee_id = 'A1'")" = 1 ] ||
	kt_fail "the check-in is not in the database"
kt_stop_kiosk || kt_fail "kiosk did not exit 0 on SIGTERM"
echo "kiosk on a full data partition: ok"
