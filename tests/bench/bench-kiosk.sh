#!/bin/sh
# make bench, kiosk rows: the whole chain as in the e2e tests (Xvfb, pn532-sim, libnfc, kiosk).
#   tap -> frame: reader detects the badge -> check-in committed -> welcome frame presented,
#                 on a 100,000-attendee conference (kioskctl demo, or the fixture generator)
#   scroll frame: draw time per frame while the session list scrolls, software renderer,
#                 800x480 and 1920x1080
#   cold start:   exec -> first attract frame presented
#   peak RSS:     VmHWM after the taps
# The kiosk prints "timing ..." lines on stderr with KITH_TIMING=1; this script only reads them.
set -u
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-$(pwd)/build}
. tests/e2e/lib/kiosk-env.sh
kt_require 2>/dev/null >&2 || exit 0
export KITH_TIMING=1
# No GPU here: the software renderer (llvmpipe GL would measure Mesa, not the kiosk).
export SDL_RENDER_DRIVER=software

row() { printf '%-10s | %-52s | %12s | %12s | %-22s | %s\n' "$@"; }
# median and p99 of the numbers in a file, in ms with two decimals
stats() { # file
	sort -n "$1" | awk '{ v[NR] = $1 } END {
		if (NR == 0) { print "- -"; exit }
		m = v[int((NR + 1) / 2)]; p = v[int(NR * 0.99 + 0.999)]; if (p == "") p = v[NR]
		printf "%.2f %.2f\n", m / 1000, p / 1000 }'
}
ratio() { awk -v v="$1" -v t="$2" 'BEGIN { if (v == "-") print "-"; else printf "%.2fx of target\n", v / t }'; }

# 100,000 attendees: kioskctl demo when it can, else the fixture generator (same store module).
big=$KT_TMP/big.db
if ! "$BUILD/kioskctl" demo "$big" --attendees 100000 >/dev/null 2>&1; then
	"$BUILD/bench/kiosk-fixture" "$big" --attendees 100000 || { echo "bench-kiosk: no database" >&2; exit 1; }
	source_db="fixture"
else
	source_db="kioskctl demo"
fi
sqlite3 "$big" "SELECT b.uid FROM badges b JOIN attendees a ON a.id = b.attendee
	WHERE a.visible = 1 ORDER BY b.attendee * 7919 % 100003 LIMIT 60" >"$KT_TMP/uids"

# ---- tap -> frame, cold start, RSS (800x480, default renderer) ------------------------------
KT_DB=$big
KT_IDLE=600
kt_start_x 800x480
kt_start_sim
: >"$KT_TMP/start"
for i in 1 2 3 4 5 6 7 8 9 10; do
	: >"$KT_TMP/kiosk.log"
	KITH_T0_NS=$(date +%s%N) kt_start_kiosk 800x480
	sed -n 's/.*timing start_to_attract_us=\([0-9]*\).*/\1/p' "$KT_TMP/kiosk.log" >>"$KT_TMP/start"
	[ $i -lt 10 ] && kt_stop_kiosk
done
while read -r uid; do
	kt_tap "$uid"
done <"$KT_TMP/uids"
rss=$(awk '/VmHWM/ { print $2 }' "/proc/$KT_KIOSK_PID/status")
kt_stop_kiosk
sed -n 's/.*timing tap_to_frame_us=\([0-9]*\).*/\1/p' "$KT_TMP/kiosk.log" >"$KT_TMP/tap"
sed -n 's/.*timing tap_store_us=\([0-9]*\).*/\1/p' "$KT_TMP/kiosk.log" >"$KT_TMP/tap-store"
sed -n 's/.*timing tap_to_frame_us=.* draw_us=\([0-9]*\).*/\1/p' "$KT_TMP/kiosk.log" >"$KT_TMP/tap-draw"
load=$(cut -d' ' -f1 /proc/loadavg)
set -- $(stats "$KT_TMP/tap")
row kiosk "tap -> welcome frame, 100k attendees ($source_db)" "$1 ms" "$2 ms" "p99 < 16.7 ms" "$(ratio "$2" 16.7), load $load"
set -- $(stats "$KT_TMP/tap-store")
row kiosk "  of which store worker (lookup, commit, queries)" "$1 ms" "$2 ms" "-" "fsync on this disk"
set -- $(stats "$KT_TMP/tap-draw")
row kiosk "  of which drawing the first welcome frame" "$1 ms" "$2 ms" "-" "software renderer"
set -- $(stats "$KT_TMP/start")
row kiosk "cold start -> attract frame" "$1 ms" "$2 ms" "< 500 ms" "$(ratio "$2" 500)"
row kiosk "peak RSS (VmHWM) after 60 taps" "$((rss / 1024)) MB" "-" "< 64 MB" "$(awk -v v="$rss" 'BEGIN { printf "%.2fx of target\n", v / 1024 / 64 }')"
kill "$KT_SIM_PID"; wait "$KT_SIM_PID" 2>/dev/null; KT_SIM_PID=""
exec 9>&-
kt_stop_x

# ---- frame time while scrolling, software renderer ---------------------------------------
KT_DB=$KT_TMP/scroll.db
"$BUILD/bench/kiosk-fixture" "$KT_DB" || exit 1
for size in 800x480 1920x1080; do
	kt_start_x "$size"
	kt_start_sim
	: >"$KT_TMP/kiosk.log"
	KITH_BENCH_SCROLL=1 kt_start_kiosk "$size"
	kt_tap "$(kt_uid 1)"
	kt_until 20 '[ "$(grep -c "timing frame_us=" "$KT_TMP/kiosk.log")" -ge 240 ]'
	kt_stop_kiosk
	sed -n 's/.*timing frame_us=\([0-9]*\).*/\1/p' "$KT_TMP/kiosk.log" | tail -n +10 >"$KT_TMP/frames"
	set -- $(stats "$KT_TMP/frames")
	row kiosk "frame while scrolling 48 sessions, software, $size" "$1 ms" "$2 ms" "p99 < 8 ms" "$(ratio "$2" 8)"
	kill "$KT_SIM_PID"; wait "$KT_SIM_PID" 2>/dev/null; KT_SIM_PID=""
	exec 9>&-
	kt_stop_x
done
