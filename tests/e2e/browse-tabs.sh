#!/bin/sh
# The session browser, end to end (Xvfb, pn532-sim, the real kiosk, kioskctl-imported data):
# one touch from attract opens it; every tab is navigated (Now & next, By track, By room,
# By day, Search); times are in the conference's zone; a session that is over is marked;
# search finds a CJK and an accented title typed on a keyboard and on the on-screen keyboard
# (FTS prefix as you type); Back returns; and at 800x480, 1920x1080 and portrait 480x800 no
# text overlaps another or is cut by the screen edge.
set -u
. "$(dirname "$0")/browse-lib.inc"
bt_require

for size in $KT_SIZES; do
	kt_log "size $size"
	KT_DB=$KT_TMP/browse-$size.db
	bt_conference "$KT_DB"
	KT_IDLE=120
	bt_start "$size"

	bt_click button "Sessions & venue map"
	kt_wait_screen sessions || kt_fail "attract's sessions button did not open the browser"
	bt_wait_has tab-selected "Now & next" || kt_fail "browser does not open on Now & next"
	kt_has_text "On now" || kt_fail "Now & next without 'On now' (fixture sessions run now)"
	bt_layout_ok "now & next"
	# Times in the conference zone: the fixture's first session started 30 minutes ago.
	first=$(sqlite3 "$KT_DB" "SELECT start_at FROM sessions WHERE start_at <= $KT_NOW AND end_at > $KT_NOW ORDER BY start_at LIMIT 1")
	kt_has_text "$(bt_local "$first" %H:%M)" || kt_fail "running session's start $(bt_local "$first" %H:%M) (Europe/Berlin) not shown"

	# By track: every track is a category; a track lists only its sessions.
	bt_click tab "By track"
	bt_wait_has tab-selected "By track" || kt_fail "By track did not open"
	tracks=$(sqlite3 "$KT_DB" "SELECT count(*) FROM tracks")
	[ "$(bt_count category)" -ge 1 ] || kt_fail "By track shows no tracks ($tracks in the db)"
	bt_layout_ok "by track"
	bt_click category "International"
	bt_wait_has session X1 || kt_fail "track International does not list X1"
	bt_has button "‹ All tracks" || kt_fail "no way back to all tracks"
	for id in $(sed -n 's/^session[-a-z]* [-0-9]* [-0-9]* [0-9]* [0-9]* //p' "$KT_TMP/scene"); do
		[ "$(sqlite3 "$KT_DB" "SELECT t.name FROM sessions s JOIN tracks t ON t.id = s.track WHERE s.session_id = '$id'")" = International ] ||
			kt_fail "session $id is listed under International but is not in that track"
	done
	bt_layout_ok "one track"

	# By room: Hall C holds X3, which ended five minutes ago: listed, marked as over, unless it
	# started before this conference day did (then it is yesterday's, and not listed).
	bt_click tab "By room"
	bt_wait_has tab-selected "By room" || kt_fail "By room did not open"
	bt_click category "Hall C"
	kt_wait_text "Hall C" || kt_fail "Hall C's list did not open"
	if [ $((KT_NOW - 3600)) -ge "$KT_DAY_START" ]; then
		bt_wait_has session-over X3 || kt_fail "X3 (over) is not marked as over in Hall C"
		kt_has_text "Ended" || kt_fail "no 'Ended' tag on a session that is over"
	else
		bt_wait_has session S04 || kt_fail "Hall C's list does not show S04 (today, in 30 min)"
		! bt_has session-over X3 && ! bt_has session X3 ||
			kt_fail "X3 began $(bt_local $((KT_NOW - 3600)) %H:%M), before the conference day, but is listed today"
	fi
	bt_layout_ok "one room"

	# By day: one category per conference day with sessions (a day starts at 04:00 local: the
	# wall time four hours earlier has that day's date).
	bt_click tab "By day"
	bt_wait_has tab-selected "By day" || kt_fail "By day did not open"
	days=$(TZ=Europe/Berlin sqlite3 "$KT_DB" "SELECT count(DISTINCT date(start_at, 'unixepoch', 'localtime', '-4 hours')) FROM sessions")
	[ "$(bt_count category)" = "$days" ] ||
		kt_fail "By day shows $(bt_count category) days, the programme has $days conference days"
	bt_layout_ok "by day"

	# Search, typed (a hardware keyboard or input method): CJK and accented titles.
	bt_click tab "Search"
	bt_wait_has tab-selected "Search" || kt_fail "Search did not open"
	bt_layout_ok "search (empty)"
	bt_type "図書館" || kt_fail "could not type 図書館 into Search"
	bt_wait_has session X1 || kt_fail "typing 図書館 did not find the CJK title X1"
	bt_has query "図書館" || kt_fail "the query field does not show 図書館"
	bt_click key "Clear"
	kt_until 5 '! grep -q "^query " "$KT_TMP/scene"' || kt_fail "Clear did not empty the query"
	bt_type "biblioth" || kt_fail "could not type biblioth into Search"
	bt_wait_has session X2 || kt_fail "prefix 'biblioth' did not find the accented title X2"
	bt_layout_ok "search results"
	bt_click key "Clear"
	kt_until 5 '! grep -q "^query " "$KT_TMP/scene"' || kt_fail "Clear did not empty the query"

	# The on-screen keyboard, accents layer: z, o, ë -> "zoë" finds X2 (speaker Zoë Müller).
	bt_click key "z"; bt_wait_has query "z" || kt_fail "on-screen key z"
	bt_click key "o"; bt_wait_has query "zo" || kt_fail "on-screen key o"
	bt_click key "áéü"; bt_wait_has key "ë" || kt_fail "no accents layer"
	bt_click key "ë"; bt_wait_has query "zoë" || kt_fail "on-screen key ë"
	bt_wait_has session X2 || kt_fail "'zoë' (on-screen keyboard) did not find X2 by its speaker"
	bt_click key "⌫"; bt_wait_has query "zo" || kt_fail "backspace did not remove one character"

	bt_click button "‹ Back"
	kt_wait_screen attract || kt_fail "Back did not return to attract"
	bt_stop
done
echo "all ok"
