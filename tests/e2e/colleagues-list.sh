#!/bin/sh
# Every colleague and every group reachable, end to end (Xvfb, pn532-sim, the real kiosk on
# the kiosk fixture): Maria's welcome at 800x480 cannot show all of Digital Preservation, so
# "+N more" opens the full list, which holds exactly the fixture's visible colleagues here
# today (counted in the database), never Hidden Hannelore (visible=0) or Undecided Ulrike
# (consent unanswered); "+N more groups" lists all her groups, each opening its list; a
# browsing screen warns "Still there?" before it goes, its button keeps the screen, and
# unanswered it returns to attract with no name left. Then, with the clock at 23:00, a
# session of tomorrow morning carries its day on welcome and under Now & next's "Next".
# kith-test: asan
set -u
. "$(dirname "$0")/browse-lib.inc"
bt_require

# Names of the colleague rows drawn now (the scene's "colleague" notes).
colleagues_now() { sed -n 's/^colleague [-0-9]* [-0-9]* [0-9]* [0-9]* //p' "$KT_TMP/scene"; }
# Drags the list up by dy pixels at x, in small steps (a slow drag: no fling).
drag_up() { # x y dy
	xdotool mousemove --sync "$1" "$2" mousedown 1
	i=1
	while [ $i -le 10 ]; do
		xdotool mousemove "$1" $(($2 - $3 * i / 10)); i=$((i + 1))
	done
	xdotool mouseup 1
}

KT_DB=$KT_TMP/colleagues.db
bt_conference "$KT_DB"
KT_IDLE=6
KITH_STILL_THERE_S=4
export KITH_STILL_THERE_S
bt_start 800x480

kt_tap "$(kt_uid 1)"
kt_wait_screen welcome || kt_fail "badge A1 did not lead to the welcome screen"
xy=$(bt_center button "+")
[ -n "$xy" ] || kt_fail "welcome at 800x480 has no '+N more' control"
# shellcheck disable=SC2086
bt_click_at $xy
kt_wait_screen colleagues || kt_fail "'+N more' did not open the colleague list"
kt_has_text "Digital Preservation" || kt_fail "the list does not name its group"

# What the list must hold: Digital Preservation's visible members (not Maria) with a
# check-in since the conference day began, from the tables the fixture wrote.
want=$(sqlite3 "$KT_DB" "SELECT count(DISTINCT a.attendee_id) FROM attendees a
	JOIN memberships m ON m.attendee = a.id JOIN groups g ON g.id = m.group_id
	JOIN checkins c ON c.attendee_id = a.attendee_id
	WHERE g.name = 'Digital Preservation' AND a.visible = 1 AND a.attendee_id <> 'A1'
	AND c.checked_in_at >= $KT_DAY_START")
[ "$want" -ge 8 ] || kt_fail "fixture: only $want colleagues in Digital Preservation"
kt_has_text "$want colleagues here today" || kt_fail "the list does not say $want colleagues"
colleagues_now >"$KT_TMP/seen"
for try in 1 2 3 4 5 6; do
	drag_up 400 400 240
	kt_until 5 '[ "$(colleagues_now | tail -n 1)" != "$(tail -n 1 "$KT_TMP/seen")" ] || [ $(sort -u "$KT_TMP/seen" | wc -l) -ge $want ]'
	colleagues_now >>"$KT_TMP/seen"
	[ "$(sort -u "$KT_TMP/seen" | wc -l)" -ge "$want" ] && break
done
got=$(sort -u "$KT_TMP/seen" | wc -l)
[ "$got" -eq "$want" ] || kt_fail "the list showed $got colleagues, the database has $want: $(sort -u "$KT_TMP/seen" | tr '\n' ',')"
grep -q "Hidden Hannelore" "$KT_TMP/seen" && kt_fail "visible=0 Hannelore is listed"
grep -q "Undecided Ulrike" "$KT_TMP/seen" && kt_fail "Ulrike, who has not answered, is listed"
kt_log "colleague list: $got of $want"

bt_click button "‹ Back"
kt_wait_screen welcome || kt_fail "Back did not return to welcome"

# Every group.
groups=$(sqlite3 "$KT_DB" "SELECT count(*) FROM memberships m JOIN attendees a ON a.id = m.attendee WHERE a.attendee_id = 'A1'")
xy=$(awk '$1 == "button" && /more group/ { print int($2 + $4 / 2), int($3 + $5 / 2); exit }' "$KT_TMP/scene")
[ -n "$xy" ] || kt_fail "welcome at 800x480 has no '+N more groups' control"
# shellcheck disable=SC2086
bt_click_at $xy
kt_wait_screen colleague-groups || kt_fail "'+N more groups' did not open the group list"
for g in "Digital Preservation" "Open Access Advocates" "Rare Books & Manuscripts"; do
	bt_has button "$g" || kt_fail "group list without $g"
done
[ "$(bt_count button)" -eq $((groups + 1)) ] || kt_fail "group list: $(($(bt_count button) - 1)) groups, want $groups"
bt_click button "Rare Books & Manuscripts"
kt_wait_screen colleagues || kt_fail "a group did not open its list"
kt_wait_text "Jonas Müller" || kt_fail "Rare Books & Manuscripts without Jonas Müller"
kt_has_text "Hidden Hannelore" && kt_fail "visible=0 Hannelore is listed"

# "Still there?" after idle_timeout (6 s); its button keeps the screen.
grep -q "^still-there" "$KT_TMP/scene" && kt_fail "'Still there?' before the idle timeout"
kt_until 12 'grep -q "^still-there" "$KT_TMP/scene"' || kt_fail "no 'Still there?' on a browsing screen"
kt_has_text "Still there?" || kt_fail "the prompt does not ask"
bt_click button "I'm still here"
kt_until 3 '! grep -q "^still-there" "$KT_TMP/scene"' || kt_fail "the button did not close the prompt"
[ "$(kt_screen)" = colleagues ] || kt_fail "the button left the list ($(kt_screen))"
# Unanswered, it returns to attract with no name on screen.
kt_until 12 'grep -q "^still-there" "$KT_TMP/scene"' || kt_fail "no second 'Still there?'"
kt_wait_screen attract 10 || kt_fail "an unanswered 'Still there?' did not return to attract"
for who in "Jonas Müller" "Maria"; do
	! kt_has_text "$who" || kt_fail "'$who' still on screen after the idle return"
done
bt_stop

# Tomorrow, said plainly: at 23:00 local, a session at 09:00 the next morning.
KT_NOW=$(kt_berlin "2026-05-12 23:00")
KITH_CLOCK=@$KT_NOW
export KITH_CLOCK
KT_DB=$KT_TMP/tomorrow.db
"$BUILD/kioskctl" init "$KT_DB" >/dev/null || kt_fail "kioskctl init"
printf 'attendee_id,name,groups,badge_uid,visible\nA1,Maria González-Hernández,Preservation,04A1B2C3D40001,1\n' >"$KT_TMP/roster.csv"
"$BUILD/kioskctl" import-roster "$KT_DB" "$KT_TMP/roster.csv" >/dev/null || kt_fail "import-roster"
printf 'session_id,title,track,room,start,end,speakers,groups\nT1,Morning after: preservation,Main,Hall A,2026-05-13T09:00,2026-05-13T10:00,Ana Lima,Preservation\n' >"$KT_TMP/tomorrow.csv"
"$BUILD/kioskctl" import-schedule "$KT_DB" "$KT_TMP/tomorrow.csv" --tz Europe/Berlin >/dev/null || kt_fail "import-schedule"
KT_IDLE=60
bt_start 800x480
kt_tap "$(kt_uid 1)"
kt_wait_screen welcome || kt_fail "A1 did not lead to welcome"
kt_wait_text "Morning after" || kt_fail "tomorrow's session is not under Coming up"
kt_has_text "Tomorrow" || kt_fail "at 23:00 tomorrow's 09:00 session is shown without its day"
bt_click button "All sessions"
kt_wait_screen sessions || kt_fail "All sessions did not open the browser"
kt_wait_text "Next" || kt_fail "Now & next shows nothing next (the next session is tomorrow 09:00)"
bt_has session T1 || kt_fail "Now & next does not list T1, the next session"
kt_has_text "Tomorrow" || kt_fail "Now & next's next session is not labelled Tomorrow"
bt_stop
exit 0
