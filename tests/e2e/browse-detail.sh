#!/bin/sh
# Session detail and the venue map, end to end: a session on the welcome screen opens its
# detail with its room highlighted on the map (the scene's map-highlight item names the room,
# checked against the database), the kiosk's room marked "you are here", the route in words;
# a session on another floor opens on that floor with "Take the stairs or lift up to ...",
# floor switching shows the kiosk's floor; Back returns where the person came from; no text
# overlaps or is cut at 800x480, 1920x1080 and portrait 480x800.
set -u
. "$(dirname "$0")/browse-lib.inc"
bt_require

for size in $KT_SIZES; do
	kt_log "size $size"
	KT_DB=$KT_TMP/detail-$size.db
	bt_conference "$KT_DB"
	KT_IDLE=120
	bt_start "$size"

	# Welcome -> the first upcoming session of Maria's groups -> its detail.
	kt_tap "$(kt_uid 1)"
	kt_wait_screen welcome || kt_fail "badge A1 did not lead to the welcome screen"
	title=$(sqlite3 "$KT_DB" "SELECT title FROM sessions WHERE session_id = 'S01'")
	room=$(sqlite3 "$KT_DB" "SELECT r.name FROM sessions s JOIN rooms r ON r.id = s.room WHERE s.session_id = 'S01'")
	xy=$(awk -v want="$(printf '%.12s' "$title")" '$1 == "text" { l = $0; sub(/^text [-0-9]+ [-0-9]+ [0-9]+ [0-9]+ /, "", l)
		if (index(l, want) == 1) { print int($2 + $4 / 2), int($3 + $5 / 2); exit } }' "$KT_TMP/scene")
	[ -n "$xy" ] || kt_fail "welcome does not list S01 '$title'"
	# shellcheck disable=SC2086
	bt_click_at $xy
	kt_wait_screen session-detail || kt_fail "tapping a session on welcome did not open its detail"
	bt_wait_has map-highlight "$room" || kt_fail "map does not highlight S01's room '$room'"
	[ "$(grep -c '^map-highlight ' "$KT_TMP/scene")" = 1 ] || kt_fail "more than one room highlighted"
	bt_has map-here "Foyer" || kt_fail "no 'you are here' in the Foyer (kiosk location)"
	grep -q "^route .*On this floor, west wing" "$KT_TMP/scene" || kt_fail "route for Hall A is not 'On this floor, west wing...'"
	kt_has_text "$(bt_local "$(sqlite3 "$KT_DB" "SELECT start_at FROM sessions WHERE session_id = 'S01'")" %H:%M)" ||
		kt_fail "detail without the start time in the conference zone"
	bt_layout_ok "detail from welcome"
	bt_click button "‹ Back"
	kt_wait_screen welcome || kt_fail "Back from a detail opened on welcome did not return to welcome"

	bt_click button "Done"
	kt_wait_screen attract || kt_fail "Done did not return to attract"

	# Another floor: the CJK session on Level 2, found by search.
	bt_click button "Sessions & venue map"
	kt_wait_screen sessions || kt_fail "no browser"
	bt_click tab "Search"
	bt_wait_has tab-selected "Search" || kt_fail "no search"
	bt_type "図書館" || kt_fail "could not type 図書館 into Search"
	bt_wait_has session X1 || kt_fail "search did not find X1"
	bt_click session X1
	kt_wait_screen session-detail || kt_fail "X1 did not open"
	bt_wait_has map-highlight "Room 2.14" || kt_fail "X1's room Room 2.14 not highlighted"
	bt_has floor-selected "Level 2" || kt_fail "the map does not open on the session's floor"
	grep -q "^route .*Take the stairs or lift up to Level 2, then east wing" "$KT_TMP/scene" ||
		kt_fail "route to Level 2 is not 'Take the stairs or lift up to Level 2, then east wing...'"
	kt_has_text "You are here: Foyer, Ground Floor" || kt_fail "no note of the kiosk's floor"
	! bt_has map-here "Foyer" || kt_fail "'you are here' drawn on the wrong floor"
	bt_layout_ok "detail, other floor"

	bt_click floor "Ground Floor"
	bt_wait_has floor-selected "Ground Floor" || kt_fail "floor chip did not switch floors"
	bt_has map-here "Foyer" || kt_fail "Ground Floor without 'you are here'"
	! grep -q '^map-highlight ' "$KT_TMP/scene" || kt_fail "highlight drawn on a floor without the room"
	bt_has map-room "Hall C" || kt_fail "Ground Floor map lacks Hall C"
	bt_layout_ok "detail, kiosk's floor"

	bt_click button "‹ Back"
	kt_wait_screen sessions || kt_fail "Back from a detail did not return to the list"
	bt_has query "図書館" || kt_fail "the search was lost on the way back"
	bt_stop
done
echo "all ok"
