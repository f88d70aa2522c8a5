#!/bin/sh
# Reader unplug/replug, KITH_REPLUG_CYCLES times (5 here; `make soak` runs 100): pn532-sim
# "unplug" until the kiosk logs the reader gone and shows its banner, then "plug". Each time the
# kiosk must log "reader state=ready" within 2 s of the plug (measured on /proc/uptime, a
# monotonic clock) and clear the banner, and a badge tapped next must be checked in: its
# "tap attendee=X result=checkin kiosk=K seq=N" log line, and that row in the database.
# The time spent unplugged varies from cycle to cycle (0..1.4 s, a fixed sequence) so the plug
# lands at different points of the reader's reopen backoff; that wait is the scenario, not a
# synchronisation: every wait for the kiosk polls with a deadline.
set -u
. "$(dirname "$0")/lib/kiosk-env.sh"
kt_require

CYCLES=${KITH_REPLUG_CYCLES:-5}
LIMIT_CS=200 # 2 s
KT_DB=$KT_TMP/replug.db
kt_fixture "$KT_DB" --attendees $(( 2 * CYCLES + 1 ))
KT_CONF_EXTRA="repeat_window = 0"
kt_start_x 800x480
kt_start_sim
kt_start_kiosk 800x480

uptime_cs() { awk '{ printf "%d", $1 * 100 }' /proc/uptime; }
nlines() { grep -c "$1" "$KT_TMP/kiosk.log"; }

: >"$KT_TMP/times"
c=1
while [ "$c" -le "$CYCLES" ]; do
	down=$(nlines 'reader state=\(absent\|failed\)')
	up=$(nlines 'reader state=ready')
	kt_sim unplug
	kt_until 10 '[ "$(nlines "reader state=\(absent\|failed\)")" -gt "$down" ]' ||
		kt_fail "cycle $c: the kiosk did not notice the unplugged reader"
	kt_wait_text "Badge reader" 5 || kt_fail "cycle $c: no banner while unplugged"
	hold=$(( c * 373 % 1400 ))
	sleep "$(awk -v m="$hold" 'BEGIN { printf "%.3f", m / 1000 }')"
	t0=$(uptime_cs)
	kt_sim plug
	kt_until 10 '[ "$(nlines "reader state=ready")" -gt "$up" ]' ||
		kt_fail "cycle $c: reader not ready 10 s after the plug"
	dt=$(( $(uptime_cs) - t0 ))
	echo "$c $dt $hold" >>"$KT_TMP/times"
	kt_until 5 '! kt_has_text "Badge reader"' || kt_fail "cycle $c: banner did not clear"

	# A tap after the replug: logged as a check-in, and its row is in the database.
	b=$(( 2 * c + 1 ))
	kt_sim "present $(printf '04B1B2C3%06X' "$b") B$b"
	kt_until 10 'grep -q " tap attendee=B$b result=checkin kiosk=e2e-1 seq=" "$KT_TMP/kiosk.log"' ||
		{ kt_sim remove; kt_fail "cycle $c: B$b was not checked in after the replug"; }
	kt_sim remove
	seq=$(sed -n "s/.* tap attendee=B$b result=checkin kiosk=e2e-1 seq=\([0-9]*\)$/\1/p" "$KT_TMP/kiosk.log")
	[ "$(sqlite3 "$KT_DB" "SELECT count(*) FROM checkins WHERE kiosk_id = 'e2e-1' AND seq = $seq AND attendee_id = 'B$b'")" = 1 ] ||
		kt_fail "cycle $c: check-in seq $seq of B$b is not in the database"
	c=$((c + 1))
done
kt_stop_kiosk || kt_fail "kiosk did not exit 0 on SIGTERM"

sort -n -k2 "$KT_TMP/times" | awk -v lim="$LIMIT_CS" '
	{ t[NR] = $2; if ($2 > lim) { late++; printf "cycle %d: ready %.2f s after the plug (unplugged %d ms before)\n", $1, $2 / 100, $3 } }
	END { printf "reader replug: %d cycles, ready after plug p50 %.2f s, max %.2f s (limit %.2f s), %d check-ins after replug\n",
		NR, t[int((NR + 1) / 2)] / 100, t[NR] / 100, lim / 100, NR; exit late > 0 }' ||
	kt_fail "the reader was not ready within $((LIMIT_CS / 100)) s of every plug"
