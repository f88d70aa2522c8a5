#!/bin/sh
# LAN sync (issue 12) end to end: three kiosks A, B, C, each with its own Syncthing (a fresh
# identity, its API on a unix socket), its own pn532-sim and its own database, under one Xvfb,
# all inside a network namespace of this test's own with only loopback (st_netns_reexec).
# Asserts, from the scene descriptions and the SQLite files:
#   1. a tap at A shows on B's welcome as a colleague, with A's location; no cut-off note;
#      a welcome showing at B gets a colleague who taps at A meanwhile;
#   2. partition: C's Syncthing stopped, taps at A and at C, C back: every kiosk holds the
#      exact union, nothing twice;
#   3. a Syncthing SIGKILLed while it receives: B's database passes quick_check and converges;
#   4. C publishes garbage, an oversize file and a stranger's file: B refuses each by name in
#      its log, and still takes in A's and C's next taps;
#   5. consent "No" at A hides the person at B (the exchange carries consent answers);
#   6. C's clock runs an hour ahead: its check-ins all arrive, in seq order with its times;
#   7. B cut off from every peer for longer than lan_cutoff: welcome shows the calm note;
#   8. a kiosk with no lan_dir behaves as today: checks in, starts no LAN sync.
# Never sleeps to synchronise: every wait polls with a deadline.
# kith-test: asan
# kith-test: tsan
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
BUILD=${BUILD:-$HERE/../../build}
. "$HERE/lib/syncthing.sh"
st_netns_reexec "$0" "$@"
st_require
for b in kiosk pn532-sim bench/kiosk-fixture; do
	[ -x "$BUILD/$b" ] || { echo "SKIP: $BUILD/$b not built"; exit 77; }
done
for c in Xvfb xdotool sqlite3; do
	command -v "$c" >/dev/null 2>&1 || { echo "SKIP: needs $c"; exit 77; }
done

T=$(mktemp -d "${TMPDIR:-/tmp}/kith-lan.XXXXXX")
ST_TMP=$T
X_PID=""
PIDS=""
cleanup() {
	for p in $PIDS; do kill "$p" 2>/dev/null; done
	for p in $PIDS; do wait "$p" 2>/dev/null; done
	st_stop_all
	[ -n "$X_PID" ] && kill "$X_PID" 2>/dev/null && wait "$X_PID" 2>/dev/null
	[ -n "${LAN_KEEP:-}" ] || rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
log() { echo "# $(( $(date +%s) - ${t_start:-$(date +%s)} ))s $*"; }
fail() {
	echo "FAIL: $*" >&2
	for n in ka kb kc; do
		[ -f "$T/$n/kiosk.log" ] && { echo "--- $n kiosk log (lan, tail):" >&2; grep -a "lan\|tap" "$T/$n/kiosk.log" | tail -n 12 >&2; }
	done
	exit 1
}
until_() { # deadline_s condition...
	u_end=$(( $(date +%s) + $1 )); shift
	while ! eval "$*"; do
		[ "$(date +%s)" -lt "$u_end" ] || return 1
		sleep 0.05
	done
}
T0=$(TZ=Europe/Berlin date -d "2026-05-12 12:00" +%s)

# ---- kiosks ------------------------------------------------------------------------------
uid() { printf '04A1B2C3D4%04X' "$1"; }
scene() { cat "$T/$1/scene" 2>/dev/null; }
screen_of() { sed -n 's/^screen //p' "$T/$1/scene" 2>/dev/null; }
has_text() { grep -q "^\(text\|clipped\) [-0-9]* [-0-9]* [0-9]* [0-9]* .*$2" "$T/$1/scene" 2>/dev/null; }
taps_of() { sed -n 's/^taps 0 0 0 0 //p' "$T/$1/scene" 2>/dev/null; }
db() { sqlite3 -cmd ".timeout 5000" "$T/$1/kith.db" "$2"; }

kiosk_start() { # name location clock_offset_s [extra config lines]
	n=$1; d=$T/$n
	mkdir -p "$d"
	mkfifo "$d/sim-in"
	"$BUILD/pn532-sim" --link "$d/pn532" <"$d/sim-in" >"$d/sim.out" 2>"$d/sim.err" &
	PIDS="$PIDS $!"
	eval "exec ${4:-3}>\"$d/sim-in\""
	until_ 10 'grep -q "^ready" "$d/sim.out"' || fail "pn532-sim $n did not start"
	{
		echo "scene_file = $d/scene"
		echo "idle_timeout = 30"
		printf '%s\n' "${5:-}"
	} >"$d/kiosk.conf"
	KITH_CLOCK=@$((T0 + $3)) SDL_RENDER_DRIVER=software LIBNFC_AUTO_SCAN=false "$BUILD/kiosk" \
		--db "$d/kith.db" --reader "pn532_uart:$d/pn532" --kiosk-id "$n" --location "$2" \
		--window 800x480 --config "$d/kiosk.conf" >>"$d/kiosk.log" 2>&1 &
	echo $! >"$d/kiosk.pid"
	PIDS="$PIDS $!"
	until_ 20 '[ "$(screen_of $n)" = attract ]' || fail "kiosk $n did not reach attract"
}
sim() { # fd command...
	fd=$1; shift
	eval "echo \"\$*\" >&$fd"
}
tap() { # name fd attendee_number
	tn=$1
	want=$(( $(taps_of "$tn") + 1 ))
	sim "$2" present "$(uid "$3")"
	until_ 10 '[ "$(taps_of $tn)" = "$want" ]' || { sim "$2" remove; fail "badge A$3 at $1 was not answered"; }
	sim "$2" remove
}
click_button() { # name label
	xy=$(awk -v want="$2" '$1 == "button" { l = $0; sub(/^button [-0-9]+ [-0-9]+ [0-9]+ [0-9]+ /, "", l)
		if (index(l, want)) { print int($2 + $4 / 2), int($3 + $5 / 2); exit } }' "$T/$1/scene")
	[ -n "$xy" ] || fail "$1: no button '$2' on $(screen_of "$1")"
	# shellcheck disable=SC2086
	DISPLAY=$(cat "$T/display.$1") xdotool mousemove 1 1 mousemove --sync $xy click 1
}
done_() { dn=$1; click_button "$dn" Done; until_ 10 '[ "$(screen_of $dn)" = attract ]' || fail "$1: Done did not return to attract"; }
rows() { db "$1" "SELECT kiosk_id, seq, attendee_id, checked_in_at FROM checkins ORDER BY 1, 2"; }
same_rows() { # every kiosk named holds the same check-ins
	r0=$(rows "$1") || return 1; shift
	for n in "$@"; do [ "$(rows "$n")" = "$r0" ] || return 1; done
}

# ---- set-up ------------------------------------------------------------------------------
# One conference for all three (the fixture's check-ins are the same rows everywhere).
KITH_CLOCK=@$T0 "$BUILD/bench/kiosk-fixture" "$T/fixture.db" >"$T/fixture.log" 2>&1 || fail "fixture: $(cat "$T/fixture.log")"
port=22001
for n in ka kb kc; do st_node "$n" $port || fail "syncthing generate"; port=$((port + 1)); done
for n in ka kb kc; do
	st_config "$n" ka kb kc
	mkdir -p "$T/$n"
	cp "$T/fixture.db" "$T/$n/kith.db"
done
for n in ka kb kc; do st_start "$n" || fail "syncthing $n"; done

# Three kiosks, each on its own X server (xdotool clicks go to the right window).
for n in ka kb kc; do
	Xvfb -displayfd 5 -screen 0 800x480x24 -nolisten tcp 5>"$T/display.raw.$n" 2>"$T/xvfb.$n.log" &
	PIDS="$PIDS $!"
	until_ 10 '[ -s "$T/display.raw.$n" ]' || fail "Xvfb did not start"
	echo ":$(cat "$T/display.raw.$n")" >"$T/display.$n"
done
lanconf() { # name
	printf 'lan_dir = %s\nsyncthing_api = %s\nsyncthing_api_key_file = %s\n%s' "$T/$1/lan" \
		"$T/$1/gui.sock" "$T/$1/apikey" "${2:-}"
}
DISPLAY=$(cat "$T/display.ka") kiosk_start ka "East entrance" 0 3 "$(lanconf ka)"
DISPLAY=$(cat "$T/display.kb") kiosk_start kb "Hall C" 0 4 "$(lanconf kb "
lan_cutoff = 3
lan_max_file_mb = 1")"
DISPLAY=$(cat "$T/display.kc") kiosk_start kc "Level 2 foyer" 3600 5 "$(lanconf kc)"
t_start=$(date +%s)
until_ 40 '[ "$(st_connected ka)" = 2 ] && [ "$(st_connected kb)" = 2 ] && [ "$(st_connected kc)" = 2 ]' ||
	fail "the three Syncthings did not connect ($(st_connected ka) $(st_connected kb) $(st_connected kc))"
log "three Syncthings connected in $(( $(date +%s) - t_start )) s"

# ---- 1. a tap at A shows on B's welcome, with A's location ---------------------------------
# Chen Wei's one group is Tomás's (welcome at 800x480 has room for one group's colleagues).
tap kb 4 11 # Chen Wei at B: Open Access Advocates
[ "$(screen_of kb)" = welcome ] || fail "B did not welcome Chen Wei"
tap ka 3 15 # Tomás Ó Briain, Open Access Advocates, not yet here today
t1=$(date +%s%N)
until_ 15 '[ "$(db kb "SELECT count(*) FROM checkins WHERE kiosk_id = '"'ka'"' AND attendee_id = '"'A15'"'")" = 1 ]' ||
	fail "A's tap did not reach B's database"
log "A's tap committed in B's database after $(( ($(date +%s%N) - t1) / 1000000 )) ms"
# While Chen Wei's welcome is up at B, it refreshes with Tomás, at A's location.
until_ 20 'has_text kb "Tomás Ó Briain"' ||
	fail "B's welcome did not refresh with Tomás, who tapped at A (B shows: $(grep '^text' "$T/kb/scene" | cut -d' ' -f6- | tr '\n' '|'))"
has_text kb "East entrance" || fail "B's welcome does not show A's location for Tomás"
! grep -q "^lan-cutoff " "$T/kb/scene" || fail "B shows the cut-off note while connected"
[ "$(screen_of kb)" = welcome ] || fail "B left the welcome screen"
done_ ka
done_ kb
grep -q "lan: kith-ka/checkins-ka[.a-z0-9]*sqlite: 1 new check-in" "$T/kb/kiosk.log" || fail "B did not log the arrival"
[ ! -e "$T/kb/lan/kith-ka/.kith" ] && ! ls -a "$T/kb/lan/kith-ka" | grep -q "journal\|wal\|tmp-" ||
	fail "something besides Syncthing wrote into B's copy of A's folder"
log "1 ok: a tap at A shows on B as a colleague at East entrance"

# ---- 2. partition ---------------------------------------------------------------------------
st_stop kc
log "C's Syncthing stopped"
tap ka 3 7; done_ ka
tap kc 5 8; done_ kc
tap kc 5 9; done_ kc
log "tapped at A and C"
st_start kc || fail "syncthing kc did not restart"
log "C's Syncthing back"
until_ 40 'same_rows ka kb kc' || fail "after the partition the kiosks do not hold the same check-ins"
[ "$(db kb "SELECT count(*) FROM checkins WHERE kiosk_id = 'kc'")" = 2 ] || fail "B holds $(db kb "SELECT count(*) FROM checkins WHERE kiosk_id = 'kc'") of C's 2 check-ins"
a_own=$(db ka "SELECT count(*) FROM checkins WHERE kiosk_id = 'ka'")
[ "$(db kc "SELECT count(*) FROM checkins WHERE kiosk_id = 'ka'")" = "$a_own" ] || fail "C holds $(db kc "SELECT count(*) FROM checkins WHERE kiosk_id = 'ka'") of A's $a_own check-ins"
[ "$(db kb "SELECT count(*) - count(DISTINCT attendee_id || '/' || checked_in_at || '/' || kiosk_id) FROM checkins WHERE kiosk_id IN ('ka','kc')")" = 0 ] ||
	fail "a check-in is held twice"
log "2 ok: partition healed to the exact union ($(db kb "SELECT count(*) FROM checkins") rows each)"

# ---- 3. SIGKILL a Syncthing while it receives ---------------------------------------------
tap ka 3 10; done_ ka
st_stop kb KILL
tap ka 3 2; done_ ka
st_start kb || fail "syncthing kb did not restart after SIGKILL"
until_ 40 'same_rows ka kb kc' || fail "B did not converge after its Syncthing was killed"
[ "$(db kb "PRAGMA quick_check")" = ok ] || fail "B's database fails quick_check"
log "3 ok: converged after SIGKILL, quick_check ok"

# ---- 4. garbage, oversize, stranger --------------------------------------------------------
head -c 3000 /dev/urandom >"$T/kc/lan/kith-kc/checkins-kc-junk.sqlite"
head -c 2200000 /dev/zero >"$T/kc/lan/kith-kc/checkins-kc-big.sqlite"
cp "$T/kc/lan/kith-kc/checkins-kc.open.sqlite" "$T/kc/lan/kith-kc/checkins-zz.sqlite"
st_api kc POST "/rest/db/scan?folder=kith-kc" >/dev/null
until_ 30 'grep -q "kith-kc/checkins-kc-junk.sqlite refused" "$T/kb/kiosk.log" &&
	grep -q "kith-kc/checkins-kc-big.sqlite refused" "$T/kb/kiosk.log" &&
	grep -q "kith-kc/checkins-zz.sqlite refused: a stranger" "$T/kb/kiosk.log"' ||
	fail "B did not refuse the garbage, oversize and stranger's files by name"
tap ka 3 12; done_ ka
tap kc 5 13; done_ kc
until_ 20 'same_rows ka kb kc' || fail "after the bad files, syncing stopped"
log "4 ok: bad files refused by name, the rest keeps syncing"

# ---- 5. consent "No" at A hides the person at B --------------------------------------------
tap ka 3 6 # Undecided Ulrike: asked
until_ 10 '[ "$(screen_of ka)" = consent ]' || fail "A did not ask Ulrike"
click_button ka "No"
until_ 10 '[ "$(screen_of ka)" != consent ]' || fail "A's consent screen did not take No"
[ "$(db ka "SELECT visible FROM attendees WHERE attendee_id = 'A6'")" = 0 ] || fail "A did not store Ulrike's No"
until_ 10 '[ "$(db kb "SELECT visible FROM attendees WHERE attendee_id = '"'A6'"'")" = 0 ]' ||
	fail "consent No at A did not reach B"
log "5 ok: consent No at A reached B"

# ---- 6. C's clock is an hour ahead ---------------------------------------------------------
[ "$(db kb "SELECT count(*) FROM checkins a JOIN checkins b ON a.kiosk_id = b.kiosk_id AND a.seq < b.seq
	AND a.checked_in_at > b.checked_in_at WHERE a.kiosk_id IN ('ka', 'kc')")" = 0 ] || fail "B holds a kiosk's check-ins out of order"
[ "$(db kb "SELECT count(*) FROM checkins WHERE kiosk_id = 'kc' AND checked_in_at >= $T0 + 3600")" = 3 ] ||
	fail "B does not hold C's 3 check-ins at C's own (+1 h) times"
log "6 ok: C's hour-ahead check-ins all at B, in order"

# ---- 7. B cut off from every peer ----------------------------------------------------------
st_stop ka; st_stop kc
until_ 20 'grep -q "cut off from every peer" "$T/kb/kiosk.log"' || fail "B did not notice it was cut off"
tap kb 4 1
grep -q "^lan-cutoff " "$T/kb/scene" || fail "B's welcome has no cut-off note"
done_ kb
log "7 ok: welcome shows the cut-off note"

# ---- 8. no lan_dir: as today ---------------------------------------------------------------
cp "$T/fixture.db" "$T/kd.db" 2>/dev/null
mkdir -p "$T/kd"; cp "$T/fixture.db" "$T/kd/kith.db"
DISPLAY=$(cat "$T/display.ka") kiosk_start kd "No network" 0 6 ""
tap kd 6 14
[ "$(db kd "SELECT count(*) FROM checkins WHERE kiosk_id = 'kd'")" = 1 ] || fail "the kiosk without lan_dir did not check in"
! grep -q "lan:" "$T/kd/kiosk.log" || fail "the kiosk without lan_dir started LAN sync"
log "8 ok: no lan_dir, no LAN sync, check-ins as today"
log "lan-sync: all checks passed in $(( $(date +%s) - t_start )) s"
