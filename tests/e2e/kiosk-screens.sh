#!/bin/sh
# The kiosk's screens, end to end: Xvfb, pn532-sim on a pty, the real libnfc driver and the
# kiosk on a fixture database. At 800x480, 1920x1080 and portrait 480x800 it taps badges and
# reads the scene description: the welcome shows the right name and colleagues, visible=0 and
# not-yet-asked attendees never appear, the unknown badge gets the desk message, the consent
# question stores the answer (No at one size, Yes at another), nothing overlaps or is cut by
# the screen edge, and after the idle timeout no name is left on screen. At the run's instant
# (KT_INSTANT), a check-in is "here today" exactly when it falls in the conference day.
# kith-test: asan
# kith-test: tsan
set -u
. "$(dirname "$0")/lib/kiosk-env.sh"
kt_require
kt_log_instant

layout_ok() { # what
	kt_check_layout >"$KT_TMP/layout" || kt_fail "$1 at $size: $(cat "$KT_TMP/layout")"
}
never_hidden() { # what
	for who in "Hidden Hannelore" "Undecided Ulrike"; do
		! kt_has_text "$who" || kt_fail "$1 at $size shows $who (visible=0 or unset)"
	done
}

for size in $KT_SIZES; do
	kt_log "size $size"
	KT_DB=$KT_TMP/kiosk-$size.db
	kt_fixture "$KT_DB"
	KT_IDLE=4
	kt_start_x "$size"
	kt_start_sim
	kt_start_kiosk "$size"

	kt_has_text "Tap your badge" || kt_fail "attract: no 'Tap your badge'"
	kt_has_text "Libraries Connect 2026" || kt_fail "attract: no conference name from meta"
	layout_ok attract

	# Maria: checked in, her groups, colleagues newest first, nobody hidden.
	kt_tap "$(kt_uid 1)"
	kt_wait_screen welcome || kt_fail "badge A1 did not lead to the welcome screen"
	kt_wait_text "Maria" || kt_fail "welcome without the name"
	kt_has_text "Checked in" || kt_fail "first tap today is not 'Checked in'"
	kt_has_text "Digital Preservation" || kt_fail "welcome without her group"
	kt_has_text "田中 花子" || kt_fail "the newest colleague (A2, CJK) is missing"
	kt_has_text "more" || kt_fail "no '+N more' although not all colleagues fit"
	never_hidden welcome
	layout_ok welcome
	# Headings are chosen to fit; only names and titles may end in "…".
	! grep -q '^text .*\(Colleagues here\|Coming up\).*…' "$KT_TMP/scene" ||
		kt_fail "a welcome heading ends in '…' at $size: $(grep 'Coming up\|Colleagues' "$KT_TMP/scene")"
	grep -q "tap attendee=A1 result=checkin kiosk=e2e-1 seq=1" "$KT_TMP/kiosk.log" ||
		kt_fail "no tap log line for A1"
	[ "$(sqlite3 "$KT_DB" "SELECT count(*) FROM checkins WHERE kiosk_id = 'e2e-1' AND attendee_id = 'A1'")" = 1 ] ||
		kt_fail "A1's check-in is not in the database"

	# Idle timeout: personal data leaves the screen by itself.
	kt_wait_screen attract 15 || kt_fail "idle timeout did not return to attract"
	for who in Maria "田中" "Jonas"; do
		! kt_has_text "$who" || kt_fail "after the idle timeout '$who' is still on screen"
	done

	# Unknown badge.
	kt_tap 04FFEEDDCCBB01
	kt_wait_screen unknown || kt_fail "unknown badge did not get the unknown screen"
	kt_has_text "registration desk" || kt_fail "unknown badge without 'registration desk'"
	layout_ok unknown
	xy=$(kt_button_center OK)
	[ -n "$xy" ] || kt_fail "unknown screen has no OK button"
	# shellcheck disable=SC2086
	kt_click $xy
	kt_wait_screen attract 5 || kt_fail "OK on the unknown screen did not go back"

	# The conference day, not the calendar day, decides who is here today.
	[ "$size" = 800x480 ] && kt_check_day

	# Consent: Ulrike's visibility is unset; she is asked, and the answer is stored.
	kt_tap "$(kt_uid 6)"
	kt_wait_screen consent || kt_fail "unset visibility did not ask for consent"
	kt_has_text "Show me to my" || kt_fail "consent question missing"
	layout_ok consent
	answer=No; want=0
	[ "$size" = 1920x1080 ] && { answer=Yes; want=1; }
	xy=$(kt_button_center "$answer")
	[ -n "$xy" ] || kt_fail "no $answer button"
	# shellcheck disable=SC2086
	kt_click $xy
	kt_wait_screen welcome 5 || kt_fail "consent answer did not lead to the welcome screen"
	kt_until 5 '[ "$(sqlite3 "$KT_DB" "SELECT visible FROM attendees WHERE attendee_id = '"'A6'"'")" = "$want" ]' ||
		kt_fail "consent answer $answer not stored (visible=$(sqlite3 "$KT_DB" "SELECT visible FROM attendees WHERE attendee_id='A6'"))"
	layout_ok "welcome after consent"

	# Maria again: a repeat inside the window says welcome back and still hides Hannelore;
	# Ulrike shows only if she said yes.
	kt_tap "$(kt_uid 1)"
	kt_wait_text "Maria" || kt_fail "second tap of A1 not shown"
	kt_has_text "Welcome back" || kt_fail "a repeat tap is not 'Welcome back'"
	! kt_has_text "Hidden Hannelore" || kt_fail "visible=0 attendee shown"
	if [ "$want" = 1 ]; then
		kt_has_text "Undecided Ulrike" || kt_fail "Ulrike said yes but is not shown to Maria"
	else
		! kt_has_text "Undecided Ulrike" || kt_fail "Ulrike said no but is shown"
	fi
	[ "$(sqlite3 "$KT_DB" "SELECT count(*) FROM checkins WHERE kiosk_id = 'e2e-1' AND attendee_id = 'A1'")" = 1 ] ||
		kt_fail "a repeat tap inside the window was stored as a second check-in"

	kt_stop_kiosk || kt_fail "kiosk did not exit 0 on SIGTERM"
	grep -q "stopped" "$KT_TMP/kiosk.log" || kt_fail "no clean stop logged"
	[ "$(sqlite3 "$KT_DB" 'PRAGMA integrity_check')" = ok ] || kt_fail "integrity_check"
	kill "$KT_SIM_PID"; wait "$KT_SIM_PID" 2>/dev/null; KT_SIM_PID=""
	exec 9>&-
	kt_stop_x
	: >"$KT_TMP/kiosk.log"
done
echo "kiosk screens: ok"
