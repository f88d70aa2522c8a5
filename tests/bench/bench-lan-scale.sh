#!/bin/sh
# make bench, LAN sync at scale (issue 12), beside bench-lan.sh. Real kiosks, each with its own
# pn532-sim and its own Syncthing 1.19 (tests/e2e/lib/syncthing.sh: discovery, relays, NAT, usage
# and crash reporting off, 127.0.0.1 only), all inside one network namespace of the bench's own,
# under one Xvfb (800x480 windows; the kiosk has no headless mode).
#   1. partition: kiosks pa and pb; pb's Syncthing stopped; LAN_BENCH_PARTITION (10,000)
#      check-ins committed into pa's database through SQL on the kiosk's own schema (its
#      triggers run, as for a tap), then one real tap at pa, which makes the kiosk publish
#      (sealed segments + the open one); pb's Syncthing started again: time until pb's
#      database holds every one of pa's check-ins, and the bytes pa's Syncthing sent meanwhile.
#   2. LAN_BENCH_KIOSKS (12) kiosks in a full mesh, LAN_BENCH_TAPS (40) taps at random kiosks
#      about 1.5 s apart: tap -> committed in each of the other kiosks' databases, p50/p95 over
#      every (tap, receiver) pair and over the slowest receiver of each tap; CPU per kiosk
#      (kiosk + its Syncthing, utime+stime from /proc over the run).
# LAN_BENCH_SCALE_ONLY=partition|mesh runs one part. Polling resolution: one sqlite3 run per
# database not yet reached, so tens of ms with 11 receivers on a loaded machine.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
BUILD=${BUILD:-$HERE/../../build}
row() { printf '%-10s | %-52s | %12s | %12s | %-22s | %s\n' "$@"; }
. "$HERE/../e2e/lib/syncthing.sh"
if [ -z "${KITH_IN_NETNS:-}" ]; then
	if ! unshare -rn true 2>/dev/null || ! command -v syncthing >/dev/null || ! command -v Xvfb >/dev/null ||
		! command -v sqlite3 >/dev/null || ! command -v curl >/dev/null; then
		row lan-scale "partition / 12 kiosks" - - - "skipped: needs unshare -rn, syncthing, Xvfb, sqlite3, curl"
		exit 0
	fi
	KITH_IN_NETNS=1 exec unshare -rn sh "$0" "$@"
fi
ip link set lo up
KN=${LAN_BENCH_KIOSKS:-12}
TAPS=${LAN_BENCH_TAPS:-40}
PART=${LAN_BENCH_PARTITION:-10000}
ONLY=${LAN_BENCH_SCALE_ONLY:-}
T=$(mktemp -d "${TMPDIR:-/tmp}/kith-bench-lan-scale.XXXXXX")
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
hz=$(getconf CLK_TCK)

KITH_CLOCK=@$(TZ=Europe/Berlin date -d "2026-05-12 12:00" +%s) "$BUILD/bench/kiosk-fixture" "$T/fixture.db" >/dev/null 2>&1 ||
	{ row lan-scale "partition / 12 kiosks" - - - "skipped: fixture failed"; exit 0; }
Xvfb -displayfd 5 -screen 0 1920x1080x24 -nolisten tcp 5>"$T/display" 2>/dev/null &
PIDS="$PIDS $!"
i=0; until [ -s "$T/display" ] || [ $i -gt 100 ]; do sleep 0.05; i=$((i + 1)); done
[ -s "$T/display" ] || { row lan-scale "partition / 12 kiosks" - - - "skipped: Xvfb did not start"; exit 0; }
export DISPLAY=":$(cat "$T/display")"

# kiosk NAME: its pn532-sim (fed through $T/NAME/sim-in, held open by a sleeping writer) and the
# kiosk; the kiosk's PID in $T/NAME/kpid.
kiosk() {
	d=$T/$1; cp "$T/fixture.db" "$d/kith.db"
	mkfifo "$d/sim-in"
	"$BUILD/pn532-sim" --link "$d/pn532" <"$d/sim-in" >"$d/sim.out" 2>&1 &
	PIDS="$PIDS $!"
	sleep 100000 >"$d/sim-in" &
	PIDS="$PIDS $!"
	i=0; until grep -q '^ready' "$d/sim.out" 2>/dev/null || [ $i -gt 200 ]; do sleep 0.05; i=$((i + 1)); done
	printf 'scene_file = %s\nidle_timeout = 3600\nrepeat_window = 0\nlan_dir = %s\nsyncthing_api = %s\nsyncthing_api_key_file = %s\n' \
		"$d/scene" "$d/lan" "$d/gui.sock" "$d/apikey" >"$d/kiosk.conf"
	SDL_RENDER_DRIVER=software LIBNFC_AUTO_SCAN=false "$BUILD/kiosk" --db "$d/kith.db" \
		--reader "pn532_uart:$d/pn532" --kiosk-id "$1" --location "Bench $1" --window 800x480 \
		--config "$d/kiosk.conf" >"$d/kiosk.log" 2>&1 &
	echo $! >"$d/kpid"
	PIDS="$PIDS $!"
}
# tap NAME N: attendee AN's badge presented at NAME, then removed.
tap() { echo "present $(uid "$2")" >"$T/$1/sim-in"; sleep 0.1; echo remove >"$T/$1/sim-in"; }
count() { sqlite3 "$T/$1/kith.db" ".timeout 2000" "SELECT count(*) FROM checkins WHERE kiosk_id = '$2'" 2>/dev/null; }
out_bytes() { st_api "$1" GET /rest/system/connections | awk '/"total"/ { t = 1 } t && /"outBytesTotal"/ { gsub(/[^0-9]/, ""); print; exit }'; }
wait_scene() { # NAME PATTERN DEADLINE_S
	i=0; until grep -q "$2" "$T/$1/scene" 2>/dev/null || [ $i -gt $(($3 * 20)) ]; do sleep 0.05; i=$((i + 1)); done
}
pct() { sort -n "$1" | awk -v p="$2" '{ v[NR] = $1 } END { i = int(NR * p / 100 + 0.999); if (i < 1) i = 1; print v[i] " ms" }'; }

# ---- 1. convergence after a partition of PART check-ins -------------------------------------
partition() {
	st_node pa 22101 >/dev/null && st_node pb 22102 >/dev/null
	st_config pa pa pb; st_config pb pa pb
	st_start pa && st_start pb || { row lan-scale "partition: $PART check-ins" - - - "skipped: syncthing did not start"; return 0; }
	kiosk pa; kiosk pb
	i=0; until [ "$(st_connected pa)" = 1 ] || [ $i -gt 600 ]; do sleep 0.05; i=$((i + 1)); done
	wait_scene pa "^screen attract" 30; wait_scene pb "^screen attract" 30
	st_stop pb
	# As the worker commits a tap (store_tap: the next seq, now), PART times in one transaction;
	# attendees cycled over the roster, a second apart, ending now.
	t_ins=$(now_ms)
	sqlite3 "$T/pa/kith.db" ".timeout 5000" "
		BEGIN IMMEDIATE;
		WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $PART),
		  a AS (SELECT attendee_id, row_number() OVER (ORDER BY id) - 1 AS k FROM attendees),
		  base AS (SELECT coalesce(max(seq), 0) AS s FROM checkins WHERE kiosk_id = 'pa')
		INSERT INTO checkins(kiosk_id, seq, attendee_id, checked_in_at)
		  SELECT 'pa', base.s + n.i, a.attendee_id, CAST(strftime('%s', 'now') AS INTEGER) - $PART + n.i
		  FROM n, base, a WHERE a.k = n.i % (SELECT count(*) FROM attendees);
		COMMIT;" || { row lan-scale "partition: $PART check-ins" - - - "skipped: inserting failed"; return 0; }
	t_ins=$(( $(now_ms) - t_ins ))
	np=$(grep -c "lan: published" "$T/pa/kiosk.log")
	tap pa 15
	want=$(count pa pa)
	i=0; until [ "$(grep -c "lan: published" "$T/pa/kiosk.log")" -gt "$np" ] || [ $i -gt 600 ]; do sleep 0.05; i=$((i + 1)); done
	pub=$(grep "lan: published" "$T/pa/kiosk.log" | tail -n 1 | sed 's/.*published \([0-9]*\) file(s) in \([0-9.]*\) ms.*/\1 files, \2 ms/')
	files=$(ls "$T/pa/lan/kith-pa" | grep -c '^checkins-pa.*\.sqlite$')
	fbytes=$(cat "$T/pa/lan/kith-pa"/checkins-pa*.sqlite | wc -c)
	# pa's Syncthing has scanned them all (scan requested by the kiosk) before pb comes back.
	i=0
	until st_api pa GET "/rest/db/status?folder=kith-pa" | awk -v f="$files" '/"localFiles"/ { gsub(/[^0-9]/, ""); n = $0 } /"state"/ { s = ($0 ~ /"idle"/) } END { exit !(s && n >= f) }' ||
		[ $i -gt 300 ]; do sleep 0.1; i=$((i + 1)); done
	b0=$(out_bytes pa)
	t0=$(now_ms)
	st_start pb || { row lan-scale "partition: $PART check-ins" - - - "skipped: syncthing pb did not restart"; return 0; }
	t_st=$(( $(now_ms) - t0 ))
	c=""
	while [ -z "$c" ]; do
		tn=$(now_ms)
		[ $((tn - t0)) -lt 180000 ] || break
		[ "$(count pb pa)" = "$want" ] && c=$((tn - t0))
		sleep 0.02
	done
	b1=$(out_bytes pa)
	if [ -n "$c" ]; then
		row lan-scale "partition of $PART check-ins: Syncthing back -> all in B" "$c ms" - "seconds" "$want rows; start $t_st ms"
	else
		row lan-scale "partition of $PART check-ins: Syncthing back -> all in B" "> 180 s" - "seconds" "B holds $(count pb pa) of $want"
	fi
	row lan-scale "partition: bytes pa's Syncthing sent until then" "$(( (b1 - b0) / 1024 )) KB" - - "$files files, $((fbytes / 1024)) KB on disk"
	row lan-scale "partition: pa's publish after the tap" "$pub" - - "SQL insert $t_ins ms"
	# One more tap at pa, now that the peer is up: what a tap costs with this open segment.
	open_rows=$(( want % 10000 + 1 ))
	b0=$(out_bytes pa); tap pa 11; want=$((want + 1)); t0=$(now_ms)
	until [ "$(count pb pa)" = "$want" ] || [ $(( $(now_ms) - t0 )) -gt 30000 ]; do sleep 0.02; done
	b1=$(out_bytes pa)
	row lan-scale "partition: bytes sent for the next tap" "$(( (b1 - b0) / 1024 )) KB" - - "open segment of $open_rows rows, $(( $(wc -c <"$T/pa/lan/kith-pa/checkins-pa.open.sqlite" 2>/dev/null || echo 0) / 1024 )) KB"
	for n in pa pb; do kill "$(cat "$T/$n/kpid")" 2>/dev/null; done
	st_stop pa; st_stop pb
}
[ "$ONLY" = mesh ] || partition

# ---- 2. KN kiosks, full mesh -------------------------------------------------------------
[ "$ONLY" != partition ] || exit 0
names=""
for k in $(seq 1 "$KN"); do names="$names $(printf 'k%02d' "$k")"; done
k=0
for n in $names; do k=$((k + 1)); st_node "$n" $((22200 + k)) >/dev/null || { row lan-scale "$KN kiosks" - - - "skipped: syncthing generate failed"; exit 0; }; done
# shellcheck disable=SC2086
for n in $names; do st_config "$n" $names; done
for n in $names; do st_start "$n" || { row lan-scale "$KN kiosks" - - - "skipped: syncthing $n did not start"; exit 0; }; done
for n in $names; do kiosk "$n"; done
i=0
for n in $names; do
	until [ "$(st_connected "$n")" = $((KN - 1)) ] || [ $i -gt 1200 ]; do sleep 0.05; i=$((i + 1)); done
done
[ $i -le 1200 ] || { row lan-scale "$KN kiosks" - - - "skipped: mesh not connected in 60 s"; exit 0; }
for n in $names; do wait_scene "$n" "^screen attract" 60; done
ticks() { # NAME: kiosk + Syncthing (monitor and its child), utime+stime
	p="$(cat "$T/$1/kpid") $(cat "$T/$1/pid") $(pgrep -P "$(cat "$T/$1/pid")")"
	# shellcheck disable=SC2086
	for q in $p; do awk '{ print $14 + $15 }' "/proc/$q/stat" 2>/dev/null; done | awk '{ s += $1 } END { print s + 0 }'
}
kticks() { awk '{ print $14 + $15 }' "/proc/$(cat "$T/$1/kpid")/stat"; }
for n in $names; do echo "$(ticks "$n") $(kticks "$n")" >"$T/$n/cpu0"; done
r0=$(now_ms)
: >"$T/pair.ms"; : >"$T/all.ms"; miss=0
for t in $(seq 1 "$TAPS"); do
	src=$(echo $names | tr ' ' '\n' | shuf -n 1)
	last=$(cat "$T/$src/last" 2>/dev/null || echo 0)
	who=$(printf '1\n11\n15\n' | grep -vx "$last" | shuf -n 1); echo "$who" >"$T/$src/last"
	want=$(( $(count "$src" "$src") + 1 ))
	wait_for=""; for n in $names; do [ "$n" = "$src" ] || wait_for="$wait_for $n"; done
	t0=$(now_ms)
	tap "$src" "$who" &
	tp=$!
	slow=0
	while [ -n "$wait_for" ]; do
		tn=$(now_ms)
		[ $((tn - t0)) -lt 15000 ] || break
		rest=""
		for n in $wait_for; do
			if [ "$(count "$n" "$src")" = "$want" ]; then
				d=$(( $(now_ms) - t0 )); echo "$d" >>"$T/pair.ms"; [ "$d" -gt "$slow" ] && slow=$d
			else rest="$rest $n"; fi
		done
		wait_for=$rest
		[ -z "$wait_for" ] || sleep 0.01
	done
	wait "$tp"
	if [ -n "$wait_for" ]; then
		for n in $wait_for; do echo 15000 >>"$T/pair.ms"; miss=$((miss + 1)); done; slow=15000
	fi
	echo "$slow" >>"$T/all.ms"
	while [ $(( $(now_ms) - t0 )) -lt 1500 ]; do sleep 0.05; done
done
run_s=$(( $(now_ms) - r0 ))
: >"$T/cpu"
for n in $names; do
	read -r a0 k0 <"$T/$n/cpu0"
	echo "$n $(( $(ticks "$n") - a0 )) $(( $(kticks "$n") - k0 ))" >>"$T/cpu"
done
[ -n "${LAN_BENCH_DEBUG:-}" ] && cat "$T/cpu" "$T/all.ms" >&2
row lan-scale "$KN kiosks: tap -> in each other db ($TAPS taps)" "$(pct "$T/pair.ms" 50)" "p95 $(pct "$T/pair.ms" 95)" "p95 < 1 s" "$(wc -l <"$T/pair.ms") pairs, $miss missed 15 s"
row lan-scale "$KN kiosks: tap -> in all $((KN - 1)) other dbs" "$(pct "$T/all.ms" 50)" "p95 $(pct "$T/all.ms" 95)" "p95 < 1 s" "full mesh, loopback, 2 cores"
row lan-scale "$KN kiosks: CPU per kiosk (kiosk + Syncthing)" \
	"$(awk -v hz="$hz" -v s="$run_s" '{ t += $2; k++ } END { printf "%.1f%% avg", t / k / hz / (s / 1000) * 100 }' "$T/cpu")" \
	"$(awk -v hz="$hz" -v s="$run_s" '$2 > m { m = $2 } END { printf "%.1f%% max", m / hz / (s / 1000) * 100 }' "$T/cpu")" - \
	"$(awk -v hz="$hz" -v s="$run_s" '{ k += $3; a += $2; n++ } END { printf "of a core; kiosk %.1f%% avg, %d s", k / n / hz / (s / 1000) * 100, s / 1000 }' "$T/cpu")"
