#!/bin/sh
# Durability: badges are tapped continuously (pn532-sim, the real libnfc driver, the kiosk in an
# Xvfb window) while the kiosk is killed with SIGKILL at random moments, at least 50 times.
# Every check-in the kiosk acknowledged in its log ("tap attendee=X result=checkin|again
# kiosk=K seq=N", written after the commit and before the screen shows it) must be in the
# database after the restarts, with the same attendee, and PRAGMA integrity_check must be ok.
set -u
. "$(dirname "$0")/lib/kiosk-env.sh"
kt_require

# 55 kills at the main instant (03:59, also the asan run's); at tests/run.sh's other instants
# 11 each, to check the tap path's day there without paying the whole loop five more times.
if [ "$KT_INSTANT" = 0359 ]; then KILLS=${KITH_DURABILITY_KILLS:-55}; else KILLS=${KITH_DURABILITY_KILLS:-11}; fi
KT_DB=$KT_TMP/durable.db
kt_fixture "$KT_DB"
KT_CONF_EXTRA="repeat_window = 0"
kt_start_x 800x480
kt_start_sim

rand_ms() { # lo hi
	r=$(od -An -N2 -tu2 /dev/urandom | tr -d ' ')
	echo $(( $1 + r % ($2 - $1 + 1) ))
}

# The tapper: a different badge about every 120 ms, lifted in between, for as long as it runs.
(
	i=1
	while :; do
		echo "present $(kt_uid "$i")"
		sleep 0.08
		echo remove
		sleep 0.04
		i=$(( i % 15 + 1 ))
	done
) >&9 &
tapper=$!

kills=0
KT_WAIT_ANY=1
while [ $kills -lt "$KILLS" ]; do
	kt_start_kiosk 800x480
	ms=$(rand_ms 150 1400)
	sleep "$(awk -v m="$ms" 'BEGIN { printf "%.3f", m / 1000 }')"
	kill -KILL "$KT_KIOSK_PID" 2>/dev/null
	wait "$KT_KIOSK_PID" 2>/dev/null
	KT_KIOSK_PID=""
	kills=$((kills + 1))
done
kill "$tapper"; wait "$tapper" 2>/dev/null
kt_sim remove

# One clean run at the end: the database opens and the kiosk still works after all that.
KT_WAIT_ANY=
kt_start_kiosk 800x480
kt_tap "$(kt_uid 1)"
kt_stop_kiosk || kt_fail "kiosk did not exit 0 on SIGTERM after the kill loop"

grep -o ' tap attendee=[^ ]* result=\(checkin\|again\) kiosk=[^ ]* seq=[0-9]*$' "$KT_TMP/kiosk.log" |
	sed 's/ tap attendee=\([^ ]*\) result=[a-z]* kiosk=\([^ ]*\) seq=\([0-9]*\)$/\2|\3|\1/' >"$KT_TMP/acked"
acked=$(wc -l <"$KT_TMP/acked")
[ "$acked" -ge $((KILLS * 50 / 55)) ] || kt_fail "only $acked acknowledged check-ins in $KILLS runs: the test did not tap enough"
missing=$(sqlite3 "$KT_DB" <<EOF
CREATE TEMP TABLE acked(kiosk_id TEXT, seq INTEGER, attendee_id TEXT);
.mode list
.separator |
.import $KT_TMP/acked acked
SELECT count(*) FROM acked a LEFT JOIN checkins c ON c.kiosk_id = a.kiosk_id AND c.seq = a.seq
	AND c.attendee_id = a.attendee_id WHERE c.seq IS NULL;
EOF
)
[ "$missing" = 0 ] || kt_fail "$missing of $acked acknowledged check-ins are missing from the database"
[ "$(sqlite3 "$KT_DB" 'PRAGMA integrity_check')" = ok ] || kt_fail "integrity_check failed"
stored=$(sqlite3 "$KT_DB" "SELECT count(*) FROM checkins WHERE kiosk_id = 'e2e-1'")
echo "kiosk durability: $KILLS SIGKILLs, $acked acknowledged check-ins, all in the database ($stored stored), integrity ok"
