#!/bin/sh
# make run-fleet: two kiosks side by side, each with its own emulated reader and its own
# Syncthing on loopback, syncing over the LAN transport (issue 12). Tap a badge on one (keys
# 1..8 in its window) and the person shows as a colleague, with that kiosk's location, on the
# other a moment later.
#
# Everything runs inside a network namespace of its own with only loopback when the system
# allows one (unshare -rn), so the two Syncthings cannot reach anything else; their discovery,
# relays, NAT traversal and reporting are off anyway (tests/e2e/lib/syncthing.sh). Works on a
# desktop and under `xvfb-run -a -s "-screen 0 1920x600x24" make run-fleet`.
# Environment: BUILD (default build), KITH_FLEET_WINDOW (each kiosk, default 960x560).
set -eu
cd "$(dirname "$0")/.."
top=$(pwd)
build=${BUILD:-build}
window=${KITH_FLEET_WINDOW:-960x560}
. "$top/tests/e2e/lib/syncthing.sh"

for p in kiosk kioskctl pn532-sim; do
	[ -x "$build/$p" ] || { echo "run-fleet: $build/$p is missing: run make first" >&2; exit 1; }
done
for c in syncthing sqlite3 xdotool; do
	command -v "$c" >/dev/null || { echo "run-fleet: needs $c (tools/install-deps.sh test)" >&2; exit 1; }
done
if [ -z "${DISPLAY:-}" ]; then
	echo "run-fleet: no X display; try: xvfb-run -a -s '-screen 0 1920x600x24' make run-fleet" >&2
	exit 1
fi
if [ -z "${KITH_IN_NETNS:-}" ] && unshare -rn true 2>/dev/null; then
	echo "run-fleet: inside a network namespace of its own (loopback only)"
	KITH_IN_NETNS=1 exec unshare -rn sh "$0" "$@"
fi
[ -z "${KITH_IN_NETNS:-}" ] || ip link set lo up 2>/dev/null || true

ST_TMP=$(mktemp -d "${TMPDIR:-/tmp}/kith-fleet.XXXXXX")
pids=""
cleanup() {
	trap - EXIT INT TERM
	for p in $pids; do kill "$p" 2>/dev/null; done
	for p in $pids; do wait "$p" 2>/dev/null; done
	st_stop_all
	rm -rf "$ST_TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

db=$ST_TMP/demo.db
"$build/kioskctl" demo "$db" >/dev/null
# The legend: six visible people of one group, one who has not answered the consent question.
group=$(sqlite3 "$db" "SELECT m.group_id FROM memberships m JOIN attendees a ON a.id = m.attendee
	JOIN badges b ON b.attendee = a.id WHERE a.visible = 1
	GROUP BY m.group_id ORDER BY count(*) DESC LIMIT 1;")
{
	sqlite3 -separator ' ' "$db" "SELECT b.uid, '-', a.name FROM attendees a
		JOIN badges b ON b.attendee = a.id JOIN memberships m ON m.attendee = a.id
		WHERE a.visible = 1 AND m.group_id = ${group:-0} GROUP BY a.id ORDER BY a.id LIMIT 6;"
	sqlite3 -separator ' ' "$db" "SELECT b.uid, '-', a.name || ' (consent)' FROM attendees a
		JOIN badges b ON b.attendee = a.id WHERE a.visible = -1 ORDER BY a.id LIMIT 1;"
} | awk '{ print NR " " $0 }' >"$ST_TMP/badges"

st_node hall-a 22101
st_node hall-b 22102
st_config hall-a hall-a hall-b
st_config hall-b hall-a hall-b
st_start hall-a
st_start hall-b

x=0
for n in hall-a hall-b; do
	d=$ST_TMP/$n
	cp "$db" "$d/kith.db"
	mkfifo "$d/sim-in"
	"$build/pn532-sim" --link "$d/pn532" <"$d/sim-in" >"$d/sim.out" 2>"$d/sim.err" &
	pids="$pids $!"
	# Holds pn532-sim's stdin open (fd 7, then 8); the kiosk writes its key taps there too.
	if [ "$n" = hall-a ]; then exec 7>"$d/sim-in"; else exec 8>"$d/sim-in"; fi
	i=0
	until grep -q '^ready' "$d/sim.out" 2>/dev/null; do
		i=$((i + 1)); [ $i -lt 100 ] || { cat "$d/sim.err" >&2; exit 1; }
		sleep 0.05
	done
	if [ "$n" = hall-a ]; then loc="Hall A, east entrance"; else loc="Hall B, level 2"; fi
	cat >"$d/kiosk.conf" <<CONF
demo_sim_fifo = $d/sim-in
demo_badges = $ST_TMP/badges
theme_file = $top/assets/theme/kith.theme
idle_timeout = 60
scene_file = $d/scene
lan_dir = $d/lan
syncthing_api = $d/gui.sock
syncthing_api_key_file = $d/apikey
CONF
	LIBNFC_AUTO_SCAN=false "$build/kiosk" --db "$d/kith.db" --reader "pn532_uart:$d/pn532" \
		--kiosk-id "$n" --location "$loc" --window "$window" --config "$d/kiosk.conf" \
		>"$d/kiosk.log" 2>&1 &
	kp=$!
	pids="$pids $kp"
	# Side by side: the window of this kiosk moves right of the previous one.
	i=0
	until wid=$(xdotool search --sync --onlyvisible --pid "$kp" 2>/dev/null | head -n 1) && [ -n "$wid" ]; do
		i=$((i + 1)); [ $i -lt 100 ] || { echo "run-fleet: no window for $n:" >&2; tail "$d/kiosk.log" >&2; exit 1; }
		sleep 0.1
	done
	xdotool windowmove "$wid" "$x" 0
	x=$((x + ${window%x*} + 8))
	echo "run-fleet: $n ($loc): kiosk log $d/kiosk.log"
done
echo "run-fleet: keys 1..7 in either window tap these badges; the other kiosk shows them as colleagues:"
sed 's/^\([0-9]\) [^ ]* [^ ]* /  \1  /' "$ST_TMP/badges"
echo "run-fleet: Ctrl-C stops both kiosks and both Syncthings"
wait
