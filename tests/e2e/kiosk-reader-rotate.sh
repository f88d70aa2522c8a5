#!/bin/sh
# The reader banner, dimming and --rotate, end to end (Xvfb, pn532-sim, libnfc, kiosk):
#   - pn532-sim "unplug": a banner says the reader is gone and no text hides under it;
#     "plug": the banner clears by itself and a badge checks in again;
#   - after dim_timeout the attract screen dims; a touch wakes it;
#   - --rotate 90 on a 480x800 panel: the kiosk lays out 800x480 and a click at the rotated
#     position of the consent "No" button answers No (touch coordinates rotated to match).
set -u
. "$(dirname "$0")/lib/kiosk-env.sh"
kt_require

KT_DB=$KT_TMP/r.db
kt_fixture "$KT_DB"
kt_start_x 800x480
kt_start_sim
KT_CONF_EXTRA="dim_timeout = 2"
kt_start_kiosk 800x480

kt_sim unplug
kt_wait_text "Badge reader" 30 || kt_fail "no banner after the reader was unplugged"
kt_check_layout >"$KT_TMP/layout" || kt_fail "banner layout: $(cat "$KT_TMP/layout")"
grep -q 'reader state=\(absent\|failed\)' "$KT_TMP/kiosk.log" || kt_fail "reader state change not logged"
kt_sim plug
kt_until 30 '! kt_has_text "Badge reader"' || kt_fail "banner did not clear after the reader came back"
kt_tap "$(kt_uid 4)"
kt_wait_text "Jonas Müller" || kt_fail "no check-in after the reader came back"
xy=$(kt_button_center Done)
# shellcheck disable=SC2086
kt_click $xy
kt_wait_screen attract || kt_fail "Done did not return to attract"

kt_until 10 'grep -q "^dimmed" "$KT_TMP/scene"' || kt_fail "attract did not dim after dim_timeout"
kt_click 400 240
kt_until 5 '! grep -q "^dimmed" "$KT_TMP/scene"' || kt_fail "a touch did not wake the dimmed screen"
[ "$(kt_screen)" = attract ] || kt_fail "the waking touch did something"
kt_stop_kiosk || kt_fail "kiosk did not exit 0 on SIGTERM"
kill "$KT_SIM_PID"; wait "$KT_SIM_PID" 2>/dev/null; KT_SIM_PID=""
exec 9>&-
kt_stop_x

# Rotated: the panel is 480x800, the kiosk draws 800x480 turned by 90 degrees clockwise.
KT_CONF_EXTRA=""
kt_start_x 480x800
kt_start_sim
kt_start_kiosk 800x480 --rotate 90
grep -q '^size 800 480' "$KT_TMP/scene" || kt_fail "rotated kiosk does not lay out 800x480"
kt_tap "$(kt_uid 6)"
kt_wait_screen consent || kt_fail "no consent question when rotated"
set -- $(kt_button_center "No")
[ $# -eq 2 ] || kt_fail "no No button"
# logical (x, y) -> panel (479 - y, x) for a clockwise quarter turn
kt_click $((479 - $2)) "$1"
kt_wait_screen welcome 5 || kt_fail "the rotated click did not reach the No button"
kt_until 5 '[ "$(sqlite3 "$KT_DB" "SELECT visible FROM attendees WHERE attendee_id = '"'A6'"'")" = 0 ]' ||
	kt_fail "rotated No not stored"
kt_stop_kiosk || kt_fail "kiosk did not exit 0 on SIGTERM"
echo "kiosk reader banner, dim and rotation: ok"
