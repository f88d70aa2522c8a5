#!/bin/sh
# Staff mode end to end, at 800x480: the real kiosk under Xvfb, pn532-sim on a pty and the
# scene description. The staff PIN on admin's pad opens staff mode; a search typed on the
# on-screen keyboard finds María by "gonz"; "Check in" records a staff check-in (the export's
# checkin_methods says 'staff', kioskctl report counts it); "Bind a new card" captures the next
# tap without checking it in, asks "Bind card ... to ...?", and binds it, revoking her old card;
# the new card's tap greets her and the old card's sends her to the desk. Both changes travel
# on a loop-mounted stick to a second kiosk, which then does the same. Last, wrong PINs are
# refused and the pad locks (the staff PIN is not taken while locked).
# Needs root and loop devices for the stick; skips loudly otherwise.
# kith-test: asan
# kith-test: tsan
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/e2e/usb-lib.inc"
usb_setup
. "$top/tests/e2e/browse-lib.inc"
trap 'kt_cleanup; usb_cleanup' EXIT  # the kiosk first: it holds files on the stick
bt_require

NEW=04AABBCCDDEEF1 # the replacement card
OLD=$(kt_uid 1)    # María's card in the fixture
size=800x480
K=$BUILD/kioskctl

hold_corner() {
	xdotool mousemove --sync 3 3 mousedown 1
	kt_wait_screen admin-pin 8
	held=$?
	xdotool mouseup 1
	return $held
}
pin() { # digits
	for d in $(echo "$1" | sed 's/./& /g'); do bt_click key "$d"; done
	bt_click key OK
}
click() { # button label
	xy=$(kt_button_center "$1")
	[ -n "$xy" ] || kt_fail "no button '$1' on $(kt_screen)"
	# shellcheck disable=SC2086
	bt_click_at $xy
}
q() { sqlite3 -readonly "$1" "$2"; }
sync_stick() { # mount the stick under the running kiosk, wait until it is done, unmount
	usb_mount "$DEV" "$T/usb/stick"
	kt_wait_text "Safe to remove" 60 || kt_fail "the overlay never said Safe to remove"
	usb_umount "$T/usb/stick"
}

KT_IDLE=30
KT_CONF_EXTRA="admin_pin = 4711
staff_pin = 2468"
KT_DB=$KT_TMP/one.db
kt_fixture "$KT_DB"
kt_start_x "$size"
kt_start_sim
kt_start_kiosk "$size" --usb-dir "$T/usb"

# ---- the staff PIN opens staff mode ------------------------------------------------------
hold_corner || kt_fail "a hold on the corner did not open the PIN pad"
pin 2468
kt_wait_screen staff-search || kt_fail "the staff PIN did not open staff mode ($(kt_screen))"
grep -q "staff: opened" "$KT_TMP/kiosk.log" || kt_fail "no 'staff: opened' log line"

# ---- find and check in -------------------------------------------------------------------
for c in g o n z; do bt_click key "$c"; done
bt_wait_has query gonz || kt_fail "the keyboard did not type 'gonz'"
kt_until 5 'bt_has staff-result "Maria González-Hernández"' || kt_fail "'gonz' did not find María"
bt_layout_ok staff-search
bt_click staff-result "Maria González-Hernández"
kt_wait_screen staff-person || kt_fail "a result row did not open the person"
before=$(q "$KT_DB" "SELECT count(*) FROM checkins")
click "Check in"
kt_until 10 'grep -q "^staff-message .*Checked in at" "$KT_TMP/scene"' || kt_fail "no 'Checked in' after Check in"
[ "$(q "$KT_DB" "SELECT count(*) FROM checkins")" = $((before + 1)) ] || kt_fail "no check-in stored"
grep -q "staff: checked in attendee=A1 (Maria González-Hernández) result=.* method=staff" "$KT_TMP/kiosk.log" ||
	kt_fail "no staff check-in log line"
"$K" export "$KT_DB" "$KT_TMP/x.sqlite" >/dev/null 2>&1 || kt_fail "kioskctl export failed"
[ "$(q "$KT_TMP/x.sqlite" "SELECT method FROM checkin_methods WHERE attendee_id = 'A1' ORDER BY seq DESC LIMIT 1")" = staff ] ||
	kt_fail "the export does not mark the check-in as staff"
"$K" report "$KT_TMP/x.sqlite" 2>/dev/null | grep -q "^staff  *1 " || kt_fail "kioskctl report has no staff row"
echo "ok: staff check-in stored, exported and reported as staff"

# ---- bind a new card, revoke the old one -------------------------------------------------
click "Bind a new card"
kt_wait_screen staff-capture || kt_fail "Bind a new card did not wait for a card"
n=$(q "$KT_DB" "SELECT count(*) FROM checkins")
kt_sim "present $NEW"
kt_wait_screen staff-confirm || { kt_sim remove; kt_fail "the new card was not captured"; }
kt_sim remove
{ kt_has_text "Bind card $NEW to Maria" && kt_has_text "González-Hernández?"; } ||
	kt_fail "no confirmation question"
[ "$(q "$KT_DB" "SELECT count(*) FROM checkins")" = "$n" ] || kt_fail "the captured card was checked in"
bt_layout_ok staff-confirm
[ -n "$(kt_button_center "☑ Revoke the old card")" ] || kt_fail "revoking the old card is not offered (ticked)"
click "Bind"
kt_until 10 'grep -q "^staff-message .*is now" "$KT_TMP/scene"' || kt_fail "no confirmation of the binding"
grep -q "staff: bound card $NEW to attendee=A1 (Maria González-Hernández); revoked 1 old card" "$KT_TMP/kiosk.log" ||
	kt_fail "no binding log line"
click "Back"
kt_wait_screen staff-search || kt_fail "Back did not return to the search"
click "Close"
kt_wait_screen attract || kt_fail "Close did not leave staff mode"

kt_tap "$NEW"
kt_wait_screen welcome || kt_fail "the new card did not lead to the welcome screen"
kt_wait_text "Maria" || kt_fail "the new card does not greet María"
click "Done"
kt_wait_screen attract || kt_fail "Done did not return to attract"
n=$(q "$KT_DB" "SELECT count(*) FROM checkins")
kt_tap "$OLD"
kt_wait_screen unknown || kt_fail "the revoked card did not get the desk screen"
kt_has_text "registration desk" || kt_fail "the revoked card is not sent to the desk"
[ "$(q "$KT_DB" "SELECT count(*) FROM checkins")" = "$n" ] || kt_fail "the revoked card was checked in"
grep -q "result=revoked kiosk=e2e-1 uid=$OLD" "$KT_TMP/kiosk.log" || kt_fail "no revoked tap log line"
echo "ok: new card greets, old card goes to the desk"

# ---- by stick to a second kiosk ----------------------------------------------------------
usb_attach "$(usb_image stick 64)"
sync_stick
kt_stop_kiosk || kt_fail "kiosk one exit status $kt_rc"
KT_DB=$KT_TMP/two.db
kt_fixture "$KT_DB"
KT_KIOSK_ID=e2e-2
: >"$KT_TMP/kiosk.log"
kt_start_kiosk "$size" --usb-dir "$T/usb"
sync_stick
[ "$(q "$KT_DB" "SELECT count(*) FROM staff_checkins WHERE kiosk_id = 'e2e-1'")" = 1 ] ||
	kt_fail "kiosk two does not know the staff check-in"
[ "$(q "$KT_DB" "SELECT a.attendee_id FROM badges b JOIN attendees a ON a.id = b.attendee WHERE b.uid = '$NEW'")" = A1 ] ||
	kt_fail "kiosk two's badges table lacks the new card"
kt_tap "$NEW"
kt_wait_screen welcome || kt_fail "kiosk two: the new card did not lead to the welcome"
kt_wait_text "Maria" || kt_fail "kiosk two: the new card does not greet María"
click "Done"
kt_wait_screen attract || kt_fail "Done did not return to attract"
kt_tap "$OLD"
kt_wait_screen unknown || kt_fail "kiosk two: the revoked card did not get the desk screen"
echo "ok: both changes merged through the stick into kiosk two"
click "OK"
kt_wait_screen attract 5 || kt_fail "OK on the unknown screen did not go back"

# ---- wrong staff PINs are refused and rate-limited ---------------------------------------
hold_corner || kt_fail "a hold on the corner did not open the PIN pad"
pin 1111
bt_wait_has pin-message "Wrong PIN. 2 tries left." || kt_fail "a wrong PIN was not refused"
pin 2222
pin 3333
kt_until 5 'grep -q "^pin-locked .*Too many wrong PINs" "$KT_TMP/scene"' || kt_fail "three wrong PINs did not lock"
grep -q "admin: wrong PIN (3 in a row)" "$KT_TMP/kiosk.log" || kt_fail "wrong PINs not logged"
pin 2468
if kt_wait_screen staff-search 3; then kt_fail "the staff PIN was taken while the pad was locked"; fi
echo "ok: wrong PINs refused, the pad locks for the staff PIN too"
kt_stop_kiosk || kt_fail "kiosk two exit status $kt_rc"
echo "PASS"
