#!/bin/sh
# kith-test: asan
# A kiosk that cannot start as asked holds on the fault screen instead of exiting (which on the
# appliance is a restart loop behind a black screen). Real parts: Xvfb, pn532-sim, the kiosk.
#   - --db names a directory: "The kiosk cannot open its database" with the reason; it keeps
#     trying (the scene's "tries" grows), kicks the watchdog ($NOTIFY_SOCKET), does not start
#     the reader (a presented badge is not answered), and exits 0 on SIGTERM;
#   - --db names a file that is not SQLite: its own reason; once a real database is renamed
#     over it, the kiosk reaches attract by itself and a tap is checked in;
#   - a malformed config with --errors-on-screen: every bad line on screen with FILE:LINE and
#     the accepted form, held (watchdog kicked) until SIGTERM, exit 2; without the flag, the
#     same lines on stderr and exit 2 without a window.
# The full data partition (a loop-mounted ext4) is startup-storage-full.sh.
set -u
. "$(dirname "$0")/lib/kiosk-env.sh"
kt_require

NOTIFY_PID=""
trap '[ -n "$NOTIFY_PID" ] && kill "$NOTIFY_PID" 2>/dev/null; kt_cleanup' EXIT

kt_tries() { sed -n 's/^tries 0 0 0 0 //p' "$KT_TMP/scene" 2>/dev/null; }
# Waits until the kiosk has tried N more times than now.
kt_wait_tries() { # n [deadline_s]
	kt_want=$(( ${KT_T0:-$(kt_tries)} + $1 ))
	kt_until "${2:-20}" '[ "$(kt_tries)" -ge "$kt_want" ] 2>/dev/null'
}
# A stand-in for systemd's notify socket: every datagram, one a line, into $KT_TMP/notify.log.
notify_start() {
	command -v python3 >/dev/null 2>&1 || { echo "NOTE: no python3: the watchdog is not checked"; return 1; }
	rm -f "$KT_TMP/notify" "$KT_TMP/notify.log"
	python3 -c '
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
with open(sys.argv[2], "a") as log:
    while True:
        log.write(s.recv(4096).decode().replace("\n", " ") + "\n")
        log.flush()
' "$KT_TMP/notify" "$KT_TMP/notify.log" &
	NOTIFY_PID=$!
	kt_until 10 '[ -S "$KT_TMP/notify" ]' || kt_fail "notify socket stand-in did not start"
	NOTIFY_SOCKET=$KT_TMP/notify
	export NOTIFY_SOCKET
}
kicks() { grep -c 'WATCHDOG=1' "$KT_TMP/notify.log" 2>/dev/null || echo 0; }

kt_start_x 800x480
kt_start_sim
have_notify=1
notify_start || have_notify=0

# 1. The database path is a directory.
mkdir "$KT_TMP/dbdir"
KT_DB=$KT_TMP/dbdir
KT_WAIT_ANY=1 kt_start_kiosk 800x480
kt_wait_screen fault 20 || kt_fail "no fault screen for a directory as database"
kt_wait_text "The kiosk cannot open its database" || kt_fail "no database message"
kt_wait_text "is a directory" || kt_fail "the reason (a directory) is not on screen"
kt_check_layout >"$KT_TMP/layout" || kt_fail "fault layout: $(cat "$KT_TMP/layout")"
kt_sim "present $(kt_uid 1)"
KT_T0=$(kt_tries) kt_wait_tries 2 || kt_fail "the kiosk does not keep trying (tries $(kt_tries))"
kt_sim remove
kill -0 "$KT_KIOSK_PID" 2>/dev/null || kt_fail "the kiosk exited"
[ "$(kt_screen)" = fault ] || kt_fail "left the fault screen: $(kt_screen)"
! grep -q 'tap attendee=\|reader: badge' "$KT_TMP/kiosk.log" || kt_fail "a badge was read while the database was not open"
if [ "$have_notify" = 1 ]; then
	grep -q 'READY=1' "$KT_TMP/notify.log" || kt_fail "no READY=1 while holding"
	k0=$(kicks)
	kt_until 10 '[ "$(kicks)" -ge $((k0 + 2)) ]' || kt_fail "the watchdog is not kicked while holding"
fi
kt_stop_kiosk || kt_fail "kiosk did not exit 0 on SIGTERM while holding"

# 2. A file that is not SQLite; then a real database renamed over it.
KT_DB=$KT_TMP/kith.db
printf 'attendee_id,name\nA1,not a database\n%01024d\n' 0 >"$KT_DB"
KT_WAIT_ANY=1 kt_start_kiosk 800x480
kt_wait_screen fault 20 || kt_fail "no fault screen for a file that is not a database"
kt_wait_text "The kiosk cannot open its database" || kt_fail "no database message"
kt_wait_text "not a" || kt_fail "the reason (not a database) is not on screen"
kt_fixture "$KT_TMP/good.db"
mv "$KT_TMP/good.db" "$KT_DB"
kt_wait_screen attract 20 || kt_fail "the kiosk did not carry on once the database could be opened"
grep -q 'database .* opened after' "$KT_TMP/kiosk.log" || kt_fail "no 'opened after' log line"
kt_tap "$(kt_uid 1)"
kt_until 10 'grep -q "tap attendee=A1 result=checkin" "$KT_TMP/kiosk.log"' || kt_fail "no check-in after the database opened"
[ "$(sqlite3 "$KT_DB" "SELECT count(*) FROM checkins WHERE kiosk_id = 'e2e-1' AND attendee_id = 'A1'")" = 1 ] ||
	kt_fail "the check-in is not in the database"
kt_stop_kiosk || kt_fail "kiosk did not exit 0 on SIGTERM"

# 3. A malformed config, on screen (the appliance) and on stderr (development).
KT_DB=$KT_TMP/kith.db
KT_CONF_EXTRA="window = abc
rotate = 45
idle_timeout = soon"
KT_WAIT_ANY=1 kt_start_kiosk 800x480 --errors-on-screen
kt_wait_screen fault 20 || kt_fail "no fault screen for a bad config"
kt_wait_text "settings have errors" || kt_fail "no settings message"
# A message may wrap onto a second line: FILE:LINE and the accepted form, then the value.
kt_wait_text "kiosk.conf:3: window must be WIDTHxHEIGHT" || kt_fail "line 3 (window) not on screen"
kt_has_text "not 'abc'" || kt_fail "line 3's value not on screen"
kt_has_text "kiosk.conf:4: rotate must be 0, 90, 180 or 270" || kt_fail "line 4 (rotate) not on screen"
kt_has_text "not '45'" || kt_fail "line 4's value not on screen"
kt_has_text "kiosk.conf:5: idle_timeout must be a number from" || kt_fail "line 5 (idle_timeout) not on screen"
kt_has_text "not 'soon'" || kt_fail "line 5's value not on screen"
kt_check_layout >"$KT_TMP/layout" || kt_fail "config fault layout: $(cat "$KT_TMP/layout")"
if [ "$have_notify" = 1 ]; then
	k0=$(kicks)
	kt_until 10 '[ "$(kicks)" -ge $((k0 + 2)) ]' || kt_fail "the watchdog is not kicked while showing the config errors"
fi
kill -0 "$KT_KIOSK_PID" 2>/dev/null || kt_fail "the kiosk exited instead of showing the config errors"
kt_stop_kiosk
rc=$?
[ "$rc" = 2 ] || kt_fail "stopped with a refused config: exit $rc, expected 2"

unset NOTIFY_SOCKET
rm -f "$KT_TMP/scene"
"$BUILD/kiosk" --db "$KT_DB" --window 800x480 --config "$KT_TMP/kiosk.conf" >"$KT_TMP/plain.out" 2>"$KT_TMP/plain.err"
rc=$?
[ "$rc" = 2 ] || kt_fail "without --errors-on-screen: exit $rc, expected 2"
grep -q "kiosk.conf:4: rotate must be 0, 90, 180 or 270, not '45'" "$KT_TMP/plain.err" ||
	kt_fail "without --errors-on-screen: no message on stderr: $(cat "$KT_TMP/plain.err")"
[ ! -e "$KT_TMP/scene" ] || kt_fail "without --errors-on-screen a window was opened"
echo "kiosk hold (bad database, bad config): ok"
