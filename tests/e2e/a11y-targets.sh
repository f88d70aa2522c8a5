#!/bin/sh
# Touch targets, with numbers (issue 14; docs/CONTRACT.md "Touch targets"): on a 7" panel
# (display_diagonal's default) at 800x480, 1920x1080 and portrait 480x800, every control in
# the scene of each main screen — attract, welcome, the session browser on each tab and in a
# list, the search keyboard, session detail, the admin PIN pad — is at least 9.6 mm on each
# side with 2.5 mm to its neighbours (tests/e2e/lib/targets.py names each that is not). Then
# display_diagonal = 15.6 at 1920x1080 shows the key is read: the same rule, other pixels.
# Not a kiosk-*/browse-* script: sizes, not the time of day, are the point.
set -u
. "$(dirname "$0")/browse-lib.inc"
bt_require
command -v python3 >/dev/null || kt_skip "needs python3 for tests/e2e/lib/targets.py"
TARGETS="python3 $(dirname "$0")/lib/targets.py"
problems=0

# Checks the scene now on screen; counts a failing screen and goes on, so one run names all.
at_check() { # what diagonal
	if $TARGETS --diagonal "$2" "$KT_TMP/scene" >"$KT_TMP/targets.out"; then
		tail -n 1 "$KT_TMP/targets.out"
	else
		echo "FAIL: touch targets on $1 at $size ($2\"):" >&2
		sed 's/^/    /' "$KT_TMP/targets.out" >&2
		problems=$((problems + 1))
	fi
}

# Picks a tab. A click now and then goes unanswered on this loaded machine (seen once at
# 480x800 under two parallel builds); one more try, logged, keeps the measuring going.
at_tab() { # label
	bt_click tab "$1"
	bt_wait_has tab-selected "$1" 5 && return 0
	kt_log "tab '$1' not selected after a click: clicking again"
	bt_click tab "$1"
	bt_wait_has tab-selected "$1" || kt_fail "no tab $1"
}

# One walk through the main screens at a size.
at_walk() { # diagonal
	d=$1
	w=${size%x*}
	at_check attract "$d"

	kt_tap "$(kt_uid 1)"
	kt_wait_screen welcome || kt_fail "no welcome"
	at_check welcome "$d"
	bt_click button "Done"
	kt_wait_screen attract || kt_fail "Done did not return to attract"

	bt_click button "Sessions & venue map"
	kt_wait_screen sessions || kt_fail "no session browser"
	at_check "sessions: Now & next" "$d"
	for tab in "By track" "By room" "By day"; do
		at_tab "$tab"
		at_check "sessions: $tab" "$d"
	done
	at_tab "By room"
	bt_click category "Auditorium"
	kt_until 10 'bt_has session X2' || kt_fail "no Auditorium list"
	at_check "sessions: the Auditorium's list" "$d"
	at_tab "Search"
	kt_until 10 'bt_has key q' || kt_fail "no keyboard"
	at_check "search keyboard" "$d"
	bt_click key "123"
	kt_until 10 'bt_has key 1' || kt_fail "no digits layer"
	at_check "search keyboard, digits" "$d"
	bt_click key "abc"
	kt_until 10 'bt_has key q' || kt_fail "no letters layer"
	bt_type "bibli" || kt_fail "could not type into Search"
	bt_wait_has session X2 || kt_fail "search found nothing"
	at_check "search results" "$d"
	bt_click session X2
	kt_wait_screen session-detail || kt_fail "no session detail"
	bt_wait_has map-highlight "Auditorium" || kt_fail "no map"
	at_check "session detail" "$d"
	bt_click button "‹ Back"
	kt_wait_screen sessions || kt_fail "no way back"
	bt_click button "‹ Back"
	kt_wait_screen attract || kt_fail "no attract"

	xdotool mousemove --sync $((w - 3)) 3 mousedown 1
	kt_wait_screen admin-pin 8 || kt_fail "no PIN pad"
	xdotool mouseup 1
	kt_until 10 'bt_has key 5' || kt_fail "no PIN keys"
	at_check "admin PIN pad" "$d"
}

for size in 800x480 1920x1080 480x800; do
	kt_log "size $size"
	KT_DB=$KT_TMP/targets-$size.db
	bt_conference "$KT_DB"
	KT_IDLE=600
	KT_CONF_EXTRA="admin_pin = 4711"
	bt_start "$size"
	at_walk 7
	bt_stop
done

# The key is read: a 15.6" panel at 1920x1080 has bigger pixels (5.6 px/mm, not 12.4). And
# a theme file with grey secondary text is used, with a warning naming the pair and its ratio.
size=1920x1080
KT_DB=$KT_TMP/targets-15.db
bt_conference "$KT_DB"
printf 'muted = #4A5A6E\n' >"$KT_TMP/grey.theme"
KT_CONF_EXTRA="admin_pin = 4711
display_diagonal = 15.6
theme_file = $KT_TMP/grey.theme"
bt_start "$size"
grep -q "theme $KT_TMP/grey.theme: muted text on background has contrast 2.48:1, below 4.5:1 (WCAG 1.4.3): secondary text" "$KT_TMP/kiosk.log" ||
	kt_fail "no contrast warning for the grey theme: $(grep theme "$KT_TMP/kiosk.log")"
# At 7" the rule would want 119 px keys; at 15.6" 54 px: the keyboard shows which was read.
at_check attract 15.6
bt_click button "Sessions & venue map"
kt_wait_screen sessions || kt_fail "no session browser"
bt_click tab "Search"
kt_until 10 'bt_has key q' || kt_fail "no keyboard"
at_check "search keyboard" 15.6
kh=$(awk '$1 == "key" { print $5; exit }' "$KT_TMP/scene")
[ "$kh" -lt 119 ] || kt_fail "keys $kh px tall at 15.6\": display_diagonal was not read (7\" would need 119 px)"
kt_log "15.6\" at 1920x1080: keys $kh px tall"
bt_stop

[ "$problems" -eq 0 ] || kt_fail "$problems screen(s) with touch targets below the rule (listed above)"
echo "all ok"
