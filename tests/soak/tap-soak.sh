#!/bin/sh
# Tap soak: KITH_SOAK_TAPS (default 1,000,000) badge taps through the real reader path —
# pn532-sim on a pty, the real libnfc pn532_uart driver, the kiosk in an Xvfb window, a real
# SQLite file — as fast as the sim answers (not --realtime). repeat_window = 0 and a roster of
# KITH_SOAK_BADGES distinct badges (NDEF id and UID) make every tap a real, committed check-in:
# "checkin" the first time a badge is seen today, "again" after that, a new row either way.
#
# The loop is closed: the next badge is presented when the kiosk logs the previous tap's result
# ("tap attendee=X result=..."), so no tap is ever replaced before it was read, and the rate is
# the kiosk's own. At every tenth of the run (every 100k taps by default) it prints the kiosk's
# RSS (/proc/PID/status), open fds (/proc/PID/fd), the database's page count and the -wal size.
# RSS moves by several MiB from one tap to the next (each welcome screen's textures), so the RSS
# figure of a tenth is its floor: the smallest of ten samples spread over that tenth. A leak
# raises the floor; one tap's transient buffers do not.
#
# Speed: a tap ends only when the reader's presence check finds the card gone, 100 ms after the
# read by default, which caps the product at ~10 taps/s (1M taps: ~29 h). The soak sets the
# reader's run-time knob KITH_READER_PRESENCE_MS to KITH_SOAK_PRESENCE_MS (default 2); the rest of
# the path (libnfc, the commit with its fsync, the welcome screen) is unchanged.
#
# Fails if: a tap is not answered within KITH_SOAK_STALL_S (300 s: make soak runs niced, and a
# busy machine starved a 60 s limit at tap 229,000 once); any answer is not checkin/again; the
# database does not hold exactly one row per tap; the RSS floor of the last tenth exceeds that of the first
# tenth past the warm-up (see below) by more than max(4 MiB, 5%); the fd count at the last
# mark exceeds the one at the warm-up mark; the WAL ever
# exceeds 16 MiB (default checkpoint: 1000 pages of 4 KiB, so ~4 MiB when it checkpoints).
# Usage: BUILD=build sh tests/soak/tap-soak.sh   (make soak runs it niced)
set -u
. "$(dirname "$0")/../e2e/lib/kiosk-env.sh"
kt_require

TAPS=${KITH_SOAK_TAPS:-1000000}
BADGES=${KITH_SOAK_BADGES:-5000}
MARK=$(( TAPS / 10 ))
[ "$MARK" -ge 10 ] || kt_fail "KITH_SOAK_TAPS=$TAPS: need at least 100 taps"
SAMPLE=$(( MARK / 10 ))
WARMUP=${KITH_SOAK_WARMUP:-50000}
[ "$WARMUP" -ge "$MARK" ] || WARMUP=$MARK
KITH_READER_PRESENCE_MS=${KITH_SOAK_PRESENCE_MS:-2}
export KITH_READER_PRESENCE_MS
RSS_SLACK_KB=4096   # or 5 % of the first mark, whichever is larger
WAL_MAX=$(( 16 * 1024 * 1024 ))
STALL_S=${KITH_SOAK_STALL_S:-300}

KT_DB=$KT_TMP/soak.db
kt_fixture "$KT_DB" --attendees "$BADGES"
KT_CONF_EXTRA="repeat_window = 0"
kt_start_x 800x480
kt_start_sim
kt_start_kiosk 800x480
pid=$KT_KIOSK_PID
base=$(sqlite3 "$KT_DB" 'SELECT count(*) FROM checkins')

uptime_cs() { awk '{ printf "%d", $1 * 100 }' /proc/uptime; } # monotonic (boot) clock, 10 ms

rss_now() { awk '$1 == "VmRSS:" { print $2 }' "/proc/$pid/status"; }
# One line per mark: taps rss_floor_kb fds pages wal_bytes uptime_cs rss_now_kb
mark() { # taps
	now_rss=$(rss_now)
	rss=$(awk -v n="$now_rss" 'NR == 1 || $1 < m { m = $1 } END { print (NR ? m : n) }' "$KT_TMP/rss")
	: >"$KT_TMP/rss"
	fds=$(ls "/proc/$pid/fd" | wc -l)
	pages=$(sqlite3 "$KT_DB" 'PRAGMA page_count')
	wal=$(stat -c %s "$KT_DB-wal" 2>/dev/null || echo 0)
	where=$(rss_where)
	echo "$1 $rss $fds $pages $wal $(uptime_cs) $now_rss $where" >>"$KT_TMP/marks"
	echo "# mark taps=$1 rss_floor_kib=$rss rss_now_kib=$now_rss fds=$fds pages=$pages wal_bytes=$wal heap/anon/file_kib=$where"
}
# Where the RSS is now, for the report when it grows: malloc's main heap, anonymous mappings
# (other threads' malloc arenas, big allocations, the renderer's buffers), mapped files (the
# libraries, fonts, SQLite's -shm). "heap/anon/file" in KiB.
rss_where() {
	awk '/^[0-9a-f]+-[0-9a-f]+ / { name = NF >= 6 ? $6 : "" }
	     $1 == "Rss:" { if (name == "[heap]") h += $2; else if (name == "") a += $2; else if (name ~ /^\//) f += $2 }
	     END { printf "%d/%d/%d", h, a, f }' "/proc/$pid/smaps"
}

# The driver: one badge per logged tap result, from the end of the log as it is now.
: >"$KT_TMP/marks"
: >"$KT_TMP/rss"
: >"$KT_TMP/progress"
off=$(( $(stat -c %s "$KT_TMP/kiosk.log") + 1 ))
mark 0
(
	printf 'present 04B1B2C3%06X B1\n' 1 >&9
	i=0
	# tail follows the log until the kiosk exits (--pid), which ends the pipeline.
	tail -c "+$off" -F --pid="$pid" "$KT_TMP/kiosk.log" 2>/dev/null | grep --line-buffered ' tap attendee=' | {
		while IFS= read -r line; do
			i=$((i + 1))
			[ $(( i % SAMPLE )) -eq 0 ] && rss_now >>"$KT_TMP/rss"
			case $line in *' result=checkin '* | *' result=again '*) ;; *) echo "$i $line" >>"$KT_TMP/bad" ;; esac
			if [ "$i" -ge "$TAPS" ]; then
				echo remove >&9
				mark "$i"
				echo "$i" >"$KT_TMP/progress"
				break
			fi
			b=$(( i % BADGES + 1 ))
			printf 'remove\npresent 04B1B2C3%06X B%d\n' "$b" "$b" >&9
			[ $(( i % 100 )) -eq 0 ] && echo "$i" >"$KT_TMP/progress"
			[ $(( i % MARK )) -eq 0 ] && mark "$i"
		done
	}
) &
driver=$!

# Watch the driver: it must keep moving (a lost tap would stall it for ever).
last=-1; still=0
while :; do
	sleep 5
	now=$(cat "$KT_TMP/progress"); now=${now:-0}
	[ "$now" = "$TAPS" ] && break
	kill -0 "$driver" 2>/dev/null || kt_fail "driver ended at tap $now"
	if [ "$now" = "$last" ]; then
		still=$((still + 5))
		[ "$still" -lt "$STALL_S" ] || { kill "$driver"; kt_fail "no progress for $STALL_S s at tap $now"; }
	else
		still=0; last=$now
	fi
	kill -0 "$pid" 2>/dev/null || kt_fail "kiosk died at tap $now"
done
kt_stop_kiosk || kt_fail "kiosk did not exit 0 on SIGTERM after the soak"
wait "$driver" 2>/dev/null

# Report: one row per mark, with the rate over the preceding mark.
echo "tap soak: $TAPS taps, $BADGES badges, presence check every $KITH_READER_PRESENCE_MS ms, kiosk pid $pid"
printf '%9s %13s %11s %5s %9s %10s %8s  %s\n' taps rss_floor_kib rss_now_kib fds pages wal_bytes taps/s heap/anon/file_kib
awk 'NR > 1 { dt = ($6 - t) / 100; r = dt > 0 ? ($1 - n) / dt : 0 }
     { printf "%9d %13d %11d %5d %9d %10d %8.1f  %s\n", $1, $2, $7, $3, $4, $5, r, $8; n = $1; t = $6 }' "$KT_TMP/marks"
awk 'NR == 2 { f = $1 } { l = $1; t1 = $6 } NR == 1 { t0 = $6 }
     END { s = (t1 - t0) / 100; printf "total %.0f s, %.1f taps/s overall; 1,000,000 taps would take %.1f h at that rate\n", s, l / s, 1000000 / (l / s) / 3600 }' "$KT_TMP/marks"

[ ! -s "$KT_TMP/bad" ] || { head -n 5 "$KT_TMP/bad"; kt_fail "$(wc -l <"$KT_TMP/bad") taps were not check-ins"; }
stored=$(( $(sqlite3 "$KT_DB" 'SELECT count(*) FROM checkins') - base ))
[ "$stored" -eq "$TAPS" ] || kt_fail "$stored check-ins stored for $TAPS taps"
[ "$(sqlite3 "$KT_DB" 'PRAGMA integrity_check')" = ok ] || kt_fail "integrity_check failed"

# Growth after warm-up: the first mark at or past the warm-up against the last. The warm-up is
# the first tenth, or KITH_SOAK_WARMUP taps if that is later: the kiosk's bounded caches (48
# open fonts; 384 text textures holding at most four screens of pixels; SQLite's page cache)
# fill over the first few ten thousand taps, and a font opened late is a new fd and more heap. A run too short to have a mark past
# the warm-up before its last one gets no growth verdict, and says so.
set -- $(awk -v w="$WARMUP" 'NR > 1 && $1 >= w { print; exit }' "$KT_TMP/marks"); w1=${1:-}; rss1=${2:-}; fd1=${3:-}
set -- $(tail -n 1 "$KT_TMP/marks"); rss2=$2; fd2=$3
if [ -n "$w1" ] && [ "$w1" -lt "$TAPS" ]; then
	slack=$(( rss1 / 20 > RSS_SLACK_KB ? rss1 / 20 : RSS_SLACK_KB ))
	echo "from tap $w1 to $TAPS: RSS floor $rss1 -> $rss2 KiB (allowed +$slack), fds $fd1 -> $fd2"
	[ "$rss2" -le $(( rss1 + slack )) ] || kt_fail "RSS floor grew from $rss1 to $rss2 KiB after warm-up"
	[ "$fd2" -le "$fd1" ] || kt_fail "open fds grew from $fd1 to $fd2 after warm-up"
else
	echo "no growth verdict: $TAPS taps end within the $WARMUP-tap warm-up (KITH_SOAK_WARMUP)"
fi
echo "stored $stored check-ins, integrity ok"
walmax=$(awk '$5 > m { m = $5 } END { print m + 0 }' "$KT_TMP/marks")
[ "$walmax" -le "$WAL_MAX" ] || kt_fail "WAL reached $walmax bytes: it does not checkpoint"
echo "tap soak: ok (WAL at most $walmax bytes)"
