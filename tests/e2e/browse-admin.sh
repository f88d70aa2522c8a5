#!/bin/sh
# The operator's admin screen, end to end: an ordinary tap on a corner never opens it, a 2 s
# hold does; the right PIN opens the status board; its hourly chart has exactly the database's
# check-ins per local hour (the scene's "bar HH COUNT" items) and follows a new tap; wrong PINs
# are refused, and after three the pad locks (even the right PIN is not taken); the board
# times out back to attract; no text overlaps or is cut at 800x480, 1920x1080 and 480x800.
# The "Set clock" view is opened but never applied: tests must not move the machine's clock.
# kith-test: asan
set -u
. "$(dirname "$0")/browse-lib.inc"
bt_require

# Long press at (x, y): hold until the PIN pad is up (deadline), then lift.
hold_corner() { # x y
	xdotool mousemove --sync "$1" "$2" mousedown 1
	kt_wait_screen admin-pin 8
	held=$?
	xdotool mouseup 1
	return $held
}
pin() { # digits
	for d in $(echo "$1" | sed 's/./& /g'); do bt_click key "$d"; done
	bt_click key OK
}
# Every bar of the chart equals the database's count for that hour of the conference day
# (KT_DAY_START, worked out by kiosk-env.sh).
chart_matches() {
	mid=$KT_DAY_START
	sqlite3 "$KT_DB" "SELECT printf('%02d %d', h, n) FROM (SELECT (checked_in_at - $mid) / 3600 AS h,
		count(*) AS n FROM checkins WHERE checked_in_at >= $mid AND checked_in_at < $mid + 86400
		GROUP BY h) ORDER BY h" >"$KT_TMP/want"
	sed -n 's/^bar [-0-9]* [-0-9]* [0-9]* [0-9]* //p' "$KT_TMP/scene" | awk '$2 != 0' >"$KT_TMP/got"
	[ "$(grep -c '^bar ' "$KT_TMP/scene")" = 24 ] && cmp -s "$KT_TMP/want" "$KT_TMP/got"
}

for size in $KT_SIZES; do
	kt_log "size $size"
	KT_DB=$KT_TMP/admin-$size.db
	bt_conference "$KT_DB"
	KT_IDLE=6
	KT_CONF_EXTRA="admin_pin = 4711"
	bt_start "$size"
	w=${size%x*}; h=${size#*x}

	# An ordinary tap on a corner does nothing.
	bt_click_at $((w - 3)) 3
	if kt_wait_screen admin-pin 3; then kt_fail "an ordinary tap on the corner opened admin"; fi
	[ "$(kt_screen)" = attract ] || kt_fail "a corner tap left attract ($(kt_screen))"

	# Today's first tap of A1 at this kiosk: in the chart below.
	kt_tap "$(kt_uid 1)"
	kt_wait_screen welcome || kt_fail "badge A1 did not lead to the welcome screen"
	bt_click button "Done"
	kt_wait_screen attract || kt_fail "Done did not return to attract"

	# A hold does; the right PIN opens the board.
	hold_corner 3 $((h - 3)) || kt_fail "a 2 s hold on the corner did not open the PIN pad"
	bt_layout_ok "PIN pad"
	pin 4711
	kt_wait_screen admin || kt_fail "the right PIN did not open the board"
	kt_has_text "Kiosk status" || kt_fail "board without its title"
	bt_layout_ok "admin board"
	kt_until 5 chart_matches || kt_fail "chart bars differ from the database: want [$(cat "$KT_TMP/want")] got [$(cat "$KT_TMP/got")]"
	kt_has_text "never" || kt_fail "last USB sync should read 'never'"
	kt_has_text "free" || kt_fail "no free space shown"

	# A check-in written meanwhile (as by another process on this database) shows up: the
	# board re-reads the counts while it is open.
	sqlite3 "$KT_DB" "INSERT INTO checkins(kiosk_id, seq, attendee_id, checked_in_at)
		VALUES ('other-kiosk', 1, 'A3', $KT_NOW)" || kt_fail "cannot add a check-in"
	bt_click button "Set clock"
	kt_wait_screen admin-clock || kt_fail "Set clock view did not open"
	bt_layout_ok "set clock"
	bt_click button "Cancel"
	kt_wait_screen admin || kt_fail "Cancel did not return to the board"
	kt_until 6 chart_matches || kt_fail "chart did not follow the new check-in: want [$(cat "$KT_TMP/want")] got [$(cat "$KT_TMP/got")]"

	# Idle: back to attract by itself.
	kt_wait_screen attract 20 || kt_fail "the admin board did not time out to attract"

	# Wrong PINs: refused, then locked; the right PIN is not taken while locked.
	hold_corner $((w - 3)) 3 || kt_fail "hold on the top-right corner did not open the PIN pad"
	pin 1234
	bt_wait_has pin-message "Wrong PIN. 2 tries left." || kt_fail "first wrong PIN not refused"
	pin 0000
	bt_wait_has pin-message "Wrong PIN. 1 try left." || kt_fail "second wrong PIN not refused"
	pin 4710
	kt_until 5 'grep -q "^pin-locked .*Too many wrong PINs. Try again in [0-9]* s." "$KT_TMP/scene"' ||
		kt_fail "three wrong PINs did not lock the pad"
	pin 4711
	if kt_wait_screen admin 2; then kt_fail "the right PIN was accepted while locked"; fi
	grep -q "admin: wrong PIN (3 in a row)" "$KT_TMP/kiosk.log" || kt_fail "wrong PINs not logged"
	bt_layout_ok "locked PIN pad"
	bt_stop
done
echo "all ok"
