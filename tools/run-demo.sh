#!/bin/sh
# make run: the kiosk with the demo conference, a simulated NFC reader and keyboard badges.
#
# Creates build/demo.db (kioskctl demo) if missing, starts pn532-sim on a pty and the kiosk in a
# window talking to it through the real libnfc pn532_uart driver. Keys 1..8 in the kiosk window
# tap demo badges: the kiosk writes "present UID" / "remove" into a FIFO that is pn532-sim's
# stdin. Works on a desktop and under xvfb-run. Ctrl-C (or closing the window) stops everything.
#
# Environment: BUILD (default build), KITH_DEMO_DB, KITH_WINDOW (default 1324x600: a 1024x600
# kiosk plus the legend), KITH_DEMO_ARGS (extra kiosk flags).
set -eu
cd "$(dirname "$0")/.."
build=${BUILD:-build}
db=${KITH_DEMO_DB:-$build/demo.db}
window=${KITH_WINDOW:-1324x600}

for p in kiosk kioskctl pn532-sim; do
	[ -x "$build/$p" ] || { echo "run-demo: $build/$p is missing: run make first" >&2; exit 1; }
done
command -v sqlite3 >/dev/null || { echo "run-demo: needs the sqlite3 command (tools/install-deps.sh run)" >&2; exit 1; }
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ] && [ -z "${SDL_VIDEODRIVER:-}" ]; then
	echo "run-demo: no display; try: xvfb-run -a make run" >&2
	exit 1
fi

if [ ! -f "$db" ]; then
	echo "run-demo: creating the demo conference in $db"
	"$build/kioskctl" demo "$db"
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/kith-demo.XXXXXX")
sim_pid=""
kiosk_pid=""
cleanup() {
	trap - EXIT INT TERM
	[ -n "$kiosk_pid" ] && kill "$kiosk_pid" 2>/dev/null && wait "$kiosk_pid" 2>/dev/null
	[ -n "$sim_pid" ] && kill "$sim_pid" 2>/dev/null && wait "$sim_pid" 2>/dev/null
	exec 9>&- 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The legend: six visible attendees who share a group (so colleagues show up as you tap), one
# whose visibility is unset (the consent question), and a badge nobody owns.
group=$(sqlite3 "$db" "SELECT m.group_id FROM memberships m JOIN attendees a ON a.id = m.attendee
	JOIN badges b ON b.attendee = a.id WHERE a.visible = 1
	GROUP BY m.group_id ORDER BY count(*) DESC LIMIT 1;")
{
	sqlite3 -separator ' ' "$db" "SELECT b.uid, '-', a.name FROM attendees a
		JOIN badges b ON b.attendee = a.id JOIN memberships m ON m.attendee = a.id
		WHERE a.visible = 1 AND m.group_id = ${group:-0} GROUP BY a.id ORDER BY a.id LIMIT 6;"
	sqlite3 -separator ' ' "$db" "SELECT b.uid, '-', a.name || ' (consent)' FROM attendees a
		JOIN badges b ON b.attendee = a.id WHERE a.visible = -1 ORDER BY a.id LIMIT 1;"
	echo "04DEAD00BEEF99 - Unknown badge"
} | awk '{ print NR " " $0 }' >"$tmp/badges"

mkfifo "$tmp/sim-in"
"$build/pn532-sim" --link "$tmp/pn532" <"$tmp/sim-in" >"$tmp/sim.out" 2>"$tmp/sim.err" &
sim_pid=$!
exec 9>"$tmp/sim-in" # keeps pn532-sim's stdin open; the kiosk writes its own lines too
i=0
until grep -q '^ready' "$tmp/sim.out" 2>/dev/null; do
	i=$((i + 1))
	[ $i -lt 100 ] || { echo "run-demo: pn532-sim did not start:" >&2; cat "$tmp/sim.err" >&2; exit 1; }
	kill -0 "$sim_pid" 2>/dev/null || { cat "$tmp/sim.err" >&2; exit 1; }
	sleep 0.05
done

cat >"$tmp/kiosk.conf" <<EOF
demo_sim_fifo = $tmp/sim-in
demo_badges = $tmp/badges
theme_file = $(pwd)/assets/theme/kith.theme
idle_timeout = 30
EOF
echo "run-demo: keys in the kiosk window tap demo badges:"
sed 's/^\([0-9]\) [^ ]* [^ ]* /  \1  /' "$tmp/badges"
echo "run-demo: close the window or press Ctrl-C to stop"

# shellcheck disable=SC2086
LIBNFC_AUTO_SCAN=false "$build/kiosk" --db "$db" --reader "pn532_uart:$tmp/pn532" \
	--kiosk-id demo-1 --location "Main entrance" --window "$window" \
	--config "$tmp/kiosk.conf" ${KITH_DEMO_ARGS:-} &
kiosk_pid=$!
wait "$kiosk_pid" || true
kiosk_pid=""
