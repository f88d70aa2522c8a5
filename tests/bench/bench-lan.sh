#!/bin/sh
# make bench, LAN sync (issue 12): two kiosks A and B, each with its own Syncthing on loopback
# (inside a network namespace of the bench's own; tests/e2e/lib/syncthing.sh), under Xvfb.
#   - tap at A -> committed in B's database, and -> shown on B's screen (a welcome showing at B
#     gets the new colleague), p50/p95 over 100 taps spaced 1.2 s (goal p95 < 1 s on screen);
#   - bytes Syncthing sent per tap (A's /rest/system/connections total outBytesTotal);
#   - Syncthing's RSS and CPU (A's, the process that does the work) idle and in a 10-taps-a-
#     second storm.
# Convergence after a 10,000-tap partition and a 12-kiosk simulation: bench-lan-scale.sh.
# Polling resolution is about 10 ms (each poll is one sqlite3 run and one read of the scene).
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
BUILD=${BUILD:-$HERE/../../build}
row() { printf '%-10s | %-52s | %12s | %12s | %-22s | %s\n' "$@"; }
. "$HERE/../e2e/lib/syncthing.sh"
if [ -z "${KITH_IN_NETNS:-}" ]; then
	if ! unshare -rn true 2>/dev/null || ! command -v syncthing >/dev/null || ! command -v Xvfb >/dev/null; then
		row lan "tap to peer" - - - "skipped: needs unshare -rn, syncthing, Xvfb"
		exit 0
	fi
	KITH_IN_NETNS=1 exec unshare -rn sh "$0" "$@"
fi
ip link set lo up
N=${LAN_BENCH_TAPS:-100}
T=$(mktemp -d "${TMPDIR:-/tmp}/kith-bench-lan.XXXXXX")
ST_TMP=$T
PIDS=""
cleanup() {
	for p in $PIDS; do kill "$p" 2>/dev/null; done
	for p in $PIDS; do wait "$p" 2>/dev/null; done
	st_stop_all
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
uid() { printf '04A1B2C3D4%04X' "$1"; }

KITH_CLOCK=@$(TZ=Europe/Berlin date -d "2026-05-12 12:00" +%s) "$BUILD/bench/kiosk-fixture" "$T/fixture.db" >/dev/null 2>&1 ||
	{ row lan "tap to peer" - - - "skipped: fixture failed"; exit 0; }
st_node ka 22001 >/dev/null && st_node kb 22002 >/dev/null
st_config ka ka kb; st_config kb ka kb
st_start ka && st_start kb || { row lan "tap to peer" - - - "skipped: syncthing did not start"; exit 0; }
Xvfb -displayfd 5 -screen 0 1920x1080x24 -nolisten tcp 5>"$T/display" 2>/dev/null &
PIDS="$PIDS $!"
i=0; until [ -s "$T/display" ] || [ $i -gt 100 ]; do sleep 0.05; i=$((i + 1)); done
export DISPLAY=":$(cat "$T/display")"
fd=3
for n in ka kb; do
	d=$T/$n; cp "$T/fixture.db" "$d/kith.db"
	mkfifo "$d/sim-in"
	"$BUILD/pn532-sim" --link "$d/pn532" <"$d/sim-in" >"$d/sim.out" 2>&1 &
	PIDS="$PIDS $!"
	eval "exec $fd>\"$d/sim-in\""
	fd=$((fd + 1))
	i=0; until grep -q '^ready' "$d/sim.out" || [ $i -gt 100 ]; do sleep 0.05; i=$((i + 1)); done
	printf 'scene_file = %s\nidle_timeout = 3600\nrepeat_window = 0\nlan_dir = %s\nsyncthing_api = %s\nsyncthing_api_key_file = %s\n' \
		"$d/scene" "$d/lan" "$d/gui.sock" "$d/apikey" >"$d/kiosk.conf"
	SDL_RENDER_DRIVER=software LIBNFC_AUTO_SCAN=false "$BUILD/kiosk" --db "$d/kith.db" \
		--reader "pn532_uart:$d/pn532" --kiosk-id "$n" --location "Bench $n" --window 1920x1080 \
		--config "$d/kiosk.conf" >"$d/kiosk.log" 2>&1 &
	PIDS="$PIDS $!"
done
i=0; until [ "$(st_connected ka)" = 1 ] || [ $i -gt 400 ]; do sleep 0.05; i=$((i + 1)); done
i=0; until grep -q "^screen attract" "$T/kb/scene" 2>/dev/null || [ $i -gt 400 ]; do sleep 0.05; i=$((i + 1)); done
# B shows Chen Wei's welcome (A11) for the whole run: her one group, Open Access Advocates, is
# the one welcome has room for (Maria's, three groups, shows Digital Preservation and hides the
# rest behind "+2 more groups"). A's taps alternate Tomás (A15) and Olu Adeyemi (A8), both of
# that group: the newest of the two is listed first.
echo "present $(uid 11)" >&4; i=0
until grep -q "^screen welcome" "$T/kb/scene" 2>/dev/null || [ $i -gt 200 ]; do sleep 0.05; i=$((i + 1)); done
echo remove >&4
first_of() { awk '/^text .*(Tomás Ó Briain|Olu Adeyemi)/ { if (index($0, "Tomás")) print "A15"; else print "A8"; exit }' "$T/kb/scene" 2>/dev/null; }
apid=$(pgrep -P "$(cat "$T/ka/pid")" | head -n 1)
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$apid/stat"; }
rss_kb() { awk '/^VmRSS/ { print $2 }' "/proc/$apid/status"; }
out_bytes() { st_api ka GET /rest/system/connections | awk '/"total"/ { t = 1 } t && /"outBytesTotal"/ { gsub(/[^0-9]/, ""); print; exit }'; }

b0=$(out_bytes)
: >"$T/commit.ms"; : >"$T/screen.ms"
for k in $(seq 1 "$N"); do
	if [ $((k % 2)) = 1 ]; then who=15; else who=8; fi
	want=$(( $(sqlite3 "$T/kb/kith.db" "SELECT count(*) FROM checkins WHERE kiosk_id = 'ka'") + 1 ))
	t0=$(now_ms)
	echo "present $(uid $who)" >&3
	c=""; s=""
	while [ -z "$c" ] || [ -z "$s" ]; do
		tn=$(now_ms)
		[ $((tn - t0)) -lt 10000 ] || break
		[ -n "$c" ] || { [ "$(sqlite3 "$T/kb/kith.db" "SELECT count(*) FROM checkins WHERE kiosk_id = 'ka'" 2>/dev/null)" = "$want" ] && c=$((tn - t0)); }
		[ -n "$s" ] || { [ "$(first_of)" = "A$who" ] && s=$((tn - t0)); }
		sleep 0.01
	done
	echo remove >&3
	echo "${c:-10000}" >>"$T/commit.ms"; echo "${s:-10000}" >>"$T/screen.ms"
	while [ $(( $(now_ms) - t0 )) -lt 1200 ]; do sleep 0.05; done
done
b1=$(out_bytes)
pct() { sort -n "$1" | awk -v p="$2" '{ v[NR] = $1 } END { i = int(NR * p / 100 + 0.999); if (i < 1) i = 1; print v[i] " ms" }'; }
[ -n "${LAN_BENCH_DEBUG:-}" ] && paste "$T/commit.ms" "$T/screen.ms" >&2
row lan "tap at A -> committed in B's db ($N taps)" "$(pct "$T/commit.ms" 50)" "p95 $(pct "$T/commit.ms" 95)" "~100 ms" "loopback, 2 kiosks"
row lan "tap at A -> shown on B's welcome ($N taps)" "$(pct "$T/screen.ms" 50)" "p95 $(pct "$T/screen.ms" 95)" "p95 < 1 s" "loopback, 2 kiosks"
row lan "bytes sent by Syncthing per tap" "$(( (b1 - b0) / N )) B" - - "A's outBytesTotal, open segment"

hz=$(getconf CLK_TCK)
[ -n "${LAN_BENCH_QUICK:-}" ] && exit 0
c0=$(cpu_ticks); sleep 10; c1=$(cpu_ticks)
row lan "Syncthing idle: RSS, CPU" "$(( $(rss_kb) / 1024 )) MB" "$(awk -v d=$((c1 - c0)) -v hz="$hz" 'BEGIN { printf "%.1f%% CPU", d / hz * 10 }')" - "A's Syncthing, 10 s"
c0=$(cpu_ticks); t0=$(now_ms); k=0
while [ $(( $(now_ms) - t0 )) -lt 10000 ]; do
	k=$((k + 1)); if [ $((k % 2)) = 1 ]; then who=15; else who=11; fi
	echo "present $(uid $who)" >&3; sleep 0.05; echo remove >&3; sleep 0.05
done
c1=$(cpu_ticks)
row lan "Syncthing in a 10 taps/s storm: RSS, CPU" "$(( $(rss_kb) / 1024 )) MB" "$(awk -v d=$((c1 - c0)) -v hz="$hz" 'BEGIN { printf "%.1f%% CPU", d / hz * 10 }')" - "A's, $k taps in 10 s"
