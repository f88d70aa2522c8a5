#!/bin/sh
# Session detail with a long title and an abstract (issue 14), end to end: the whole title is
# on screen (no "…" cut), the abstract imported with kioskctl follows the route, the text
# column scrolls by the ▼/▲ buttons and by a drag until the abstract's last line shows, and
# the map with the room highlighted stays on screen throughout. No text overlaps or leaves the
# screen at 800x480 and portrait 480x800, and the ▲/▼ buttons keep the touch-target rule. Not a kiosk-*/browse-* script: nothing here depends
# on the time of day (the session is always two hours ahead of the frozen clock).
set -u
. "$(dirname "$0")/browse-lib.inc"
bt_require

. "$(dirname "$0")/detail-lib.inc"
last=$DT_LAST
scroll_offset() { dt_offset; }

for size in 800x480 480x800; do
	kt_log "size $size"
	KT_DB=$KT_TMP/abstract-$size.db
	bt_conference "$KT_DB"
	dt_long_session "$KT_DB"
	KT_IDLE=120
	bt_start "$size"

	bt_click button "Sessions & venue map"
	kt_wait_screen sessions || kt_fail "no browser"
	bt_click tab "Search"
	bt_wait_has tab-selected "Search" || kt_fail "no search"
	bt_type "Zanzibar" || kt_fail "could not type into Search"
	bt_wait_has session X4 || kt_fail "search did not find X4"
	bt_click session X4
	kt_wait_screen session-detail || kt_fail "X4 did not open"
	bt_wait_has map-highlight "Auditorium" || kt_fail "the map does not highlight the Auditorium"
	kt_until 5 'grep -q "^detail-scroll .* offset=0 " "$KT_TMP/scene"' || kt_fail "no detail-scroll note"
	bt_wait_has button "▼ More" || kt_fail "a long abstract without the ▼ button"
	python3 "$(dirname "$0")/lib/targets.py" "$KT_TMP/scene" >"$KT_TMP/targets.out" ||
		kt_fail "touch targets on the long detail: $(cat "$KT_TMP/targets.out")"

	# Nothing cut with "…"; the title starts at the top.
	kt_has_text "Zanzibar" || kt_fail "title's start missing"
	no_ellipsis() { ! grep -q "^text .*…$" "$KT_TMP/scene" || kt_fail "a text is cut with …: $(grep '^text .*…$' "$KT_TMP/scene")"; }
	no_ellipsis
	bt_layout_ok "long detail, top"

	# ▼ pages down until the last sentence shows: on the way, every part passes by (the title's
	# last word, the route, the abstract's start), nothing is cut, and the map stays.
	n=0; seen=""
	while :; do
		kt_has_text "Quokka" && seen="$seen title-end"
		grep -q "^route " "$KT_TMP/scene" && seen="$seen route"
		kt_has_text "Abstract begins here" && seen="$seen abstract-start"
		no_ellipsis
		bt_layout_ok "long detail, offset $(scroll_offset)"
		bt_has map-highlight "Auditorium" || kt_fail "the map went away while scrolling"
		kt_has_text "sentence of this abstract." && break
		n=$((n + 1))
		[ $n -le 20 ] || kt_fail "20 taps on ▼ did not reach the abstract's end"
		before=$(scroll_offset)
		bt_click button "▼ More"
		kt_until 5 '[ "$(scroll_offset)" != "$before" ]' || kt_fail "▼ did not scroll (offset $before)"
	done
	kt_log "end of the abstract after $n taps on ▼ (offset $(scroll_offset)); seen:$seen"
	[ $n -gt 0 ] || kt_fail "the abstract's end showed without scrolling: not long enough to test"
	for part in title-end route abstract-start; do
		case "$seen" in *"$part"*) ;; *) kt_fail "scrolling never showed the $part" ;; esac
	done

	# A drag down (finger moving down) scrolls back towards the top.
	before=$(scroll_offset)
	xy=$(awk '$1 == "detail-scroll" { print int($2 + $4 / 2), int($3 + $5 / 4); exit }' "$KT_TMP/scene")
	x=${xy% *}; y=${xy#* }
	xdotool mousemove --sync "$x" "$y" mousedown 1
	for step in 1 2 3 4 5 6; do xdotool mousemove --sync "$x" $((y + step * 25)); done
	xdotool mouseup 1
	kt_until 5 '[ "$(scroll_offset)" -lt "$before" ]' || kt_fail "a drag did not scroll (offset $before -> $(scroll_offset))"

	# ▲ back to the top: the title's start is there again.
	n=0
	until [ "$(scroll_offset)" = 0 ]; do
		n=$((n + 1))
		[ $n -le 12 ] || kt_fail "12 taps on ▲ did not reach the top"
		before=$(scroll_offset)
		bt_click button "▲ Up"
		kt_until 5 '[ "$(scroll_offset)" != "$before" ]' || kt_fail "▲ did not scroll (offset $before)"
	done
	kt_has_text "Zanzibar" || kt_fail "the title's start is not back at the top"

	bt_click button "‹ Back"
	kt_wait_screen sessions || kt_fail "Back from the detail did not return to the list"
	bt_stop
done
echo "all ok"
