#!/bin/sh
# The organiser's live fleet (README "Live sync: the organiser's laptop"), with real Syncthing
# processes made only by kioskctl: `kioskctl fleet new` (identities and fleet.json), then
# `kioskctl fleet config` for two kiosks and the organiser's laptop; each Syncthing serves its
# REST API on a unix socket with an API key. Checked:
# - the config Syncthing loaded has every off switch (global discovery, relays, NAT, usage and
#   crash reporting, auto-upgrade, auto-accept) and a 10 s reconnect, as read back over REST;
# - each kiosk's folder is send-only on its owner and receive-only elsewhere; the organiser
#   receives both kiosks' files and `kioskctl merge` + `kioskctl report` give the union;
# - a kiosk added mid-conference (`kioskctl fleet new` again, new configs, restart) reaches the
#   organiser too, and the old kiosks keep their device IDs;
# - nothing listens but the configured 127.0.0.1 sync ports (the REST sockets are files).
# Runs in a network namespace of its own with only loopback (unshare -n): nothing leaves.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-$top/build}
KCTL=$BUILD/kioskctl
DRV=$BUILD/bench/usbsync
skip() { echo "SKIP: $*"; exit 77; }
fail() { echo "FAIL: $*"; exit 1; }
ok() { echo "ok: $*"; }

command -v syncthing >/dev/null || skip "syncthing missing: tools/install-deps.sh test"
command -v curl >/dev/null || skip "curl missing"
[ -x "$KCTL" ] && [ -x "$DRV" ] || fail "$KCTL or $DRV not built (make)"
if [ -z "${KITH_FLEET_NETNS:-}" ]; then
	unshare -n true 2>/dev/null || skip "cannot make a network namespace (unshare -n)"
	exec unshare -n env KITH_FLEET_NETNS=1 BUILD="$BUILD" sh "$0" "$@"
fi
ip link set lo up || fail "ip link set lo up"

T=$(mktemp -d /tmp/kith-fleet.XXXXXX)
PIDS=""
cleanup() {
	for p in $PIDS; do kill "$p" 2>/dev/null; done
	for p in $PIDS; do wait "$p" 2>/dev/null; done
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
HOME=$T/home; export HOME STNODEFAULTFOLDER=1 STNOUPGRADE=1
F=$T/fleet
port() { case "$1" in a) echo 22201 ;; b) echo 22202 ;; c) echo 22204 ;; laptop) echo 22203 ;; esac; }

# until DEADLINE_S CMD...: polls CMD every 0.2 s until it succeeds or the deadline passes.
until_ok() {
	_end=$(( $(date +%s) + $1 )); shift
	while ! "$@" >/dev/null 2>&1; do
		[ "$(date +%s)" -ge "$_end" ] && return 1
		sleep 0.2
	done
}
rest() { # device path
	curl -sf --unix-socket "$T/$1.sock" -H "X-API-Key: $(cat "$F/$1/apikey")" "http://st$2"
}

new_fleet() { # kiosks...
	set -- "$@"
	args=""
	for k in "$@"; do args="$args --kiosk $k=Hall-$k@tcp://127.0.0.1:$(port "$k")"; done
	# shellcheck disable=SC2086
	"$KCTL" fleet new "$F" $args --organiser "laptop@tcp://127.0.0.1:$(port laptop)" \
		>"$T/new.txt" 2>&1 || { cat "$T/new.txt"; fail "kioskctl fleet new"; }
	for d in "$@" laptop; do
		"$KCTL" fleet config "$F/fleet.json" "$d" "$F/$d" --folders "$T/lan-$d" \
			--gui "$T/$d.sock" --listen "tcp://127.0.0.1:$(port "$d")" \
			--no-local-discovery >/dev/null || fail "kioskctl fleet config $d"
		for k in "$@"; do mkdir -p "$T/lan-$d/kith-$k/.stfolder"; done
	done
}
start() { # devices...
	for d in "$@"; do
		syncthing serve --home "$F/$d" --no-browser --no-restart --no-upgrade \
			>>"$T/st-$d.log" 2>&1 &
		PIDS="$PIDS $!"
		eval "pid_$d=$!"
	done
	for d in "$@"; do
		until_ok 60 rest "$d" /rest/system/ping || { tail -20 "$T/st-$d.log"; fail "$d: no REST"; }
	done
}
stop_all() {
	for p in $PIDS; do kill "$p" 2>/dev/null; done
	for p in $PIDS; do wait "$p" 2>/dev/null; done
	PIDS=""
}
publish() { # kiosk check-ins: a kiosk database and its export in its own folder
	"$DRV" gen "$T/$1.db" --kiosk "$1" --attendees 40 --checkins "$2" >/dev/null || fail "gen $1"
	# The kiosk's own key beside its database (a kiosk makes it at first start), and the export
	# written as that kiosk: signed as a kiosk's file is, so the organiser's merge takes it
	# without --accept-unsigned.
	[ -e "$T/$1.db.key" ] || "$KCTL" keys init "$T/$1.db.key" "$T/$1.db.key.pub" >/dev/null ||
		fail "kiosk key $1"
	"$DRV" export "$T/$1.db" "$T/lan-$1/kith-$1/checkins-$1.sqlite" --kiosk "$1" >/dev/null ||
		fail "export $1"
}
has_file() { # device kiosk
	[ -s "$T/lan-$1/kith-$2/checkins-$2.sqlite" ] &&
		[ "$(rest "$1" "/rest/db/completion?folder=kith-$2" | sed -n 's/.*"completion": *\([0-9]*\).*/\1/p')" = 100 ]
}

echo "== a fleet of two kiosks and the organiser"
new_fleet a b
dev_a=$(sed -n 's/.*"kiosk_id": "a", "device_id": "\([A-Z0-9-]*\)".*/\1/p' "$F/fleet.json")
publish a 120
publish b 80
start a b laptop

# The config Syncthing runs with, read back over its REST socket.
rest a /rest/config >"$T/config-a.json" || fail "GET /rest/config"
for kv in '"globalAnnounceEnabled": *false' '"localAnnounceEnabled": *false' \
	'"relaysEnabled": *false' '"natEnabled": *false' '"urAccepted": *-1' \
	'"crashReportingEnabled": *false' '"autoUpgradeIntervalH": *0' \
	'"reconnectionIntervalS": *10' '"autoAcceptFolders": *true'; do
	case "$kv" in
	*autoAcceptFolders*)
		grep -q "$kv" "$T/config-a.json" && fail "a device auto-accepts folders"
		ok "no device auto-accepts folders" ;;
	*)
		grep -q "$kv" "$T/config-a.json" || fail "Syncthing's config lacks $kv"
		ok "Syncthing runs with $kv" ;;
	esac
done
python3 - "$T/config-a.json" <<'PY' || fail "folder types"
import json, sys
c = json.load(open(sys.argv[1]))
t = {f["id"]: f["type"] for f in c["folders"]}
assert t == {"kith-a": "sendonly", "kith-b": "receiveonly"}, t
assert all(len(f["devices"]) == 3 for f in c["folders"])
PY
ok "kith-a send-only on a, kith-b receive-only, both shared with the three devices"

until_ok 90 has_file laptop a || fail "the organiser did not receive a's file"
until_ok 90 has_file laptop b || fail "the organiser did not receive b's file"
until_ok 90 has_file b a || fail "b did not receive a's file"
ok "the organiser and b received the kiosks' files"
# No kiosk wrote into another's folder, and no conflict copies appeared.
ls "$T"/lan-*/kith-*/ | grep -q sync-conflict && fail "a conflict copy appeared"
[ -e "$T/lan-a/kith-b/checkins-a.sqlite" ] && fail "a's file landed in b's folder"

# The organiser's live merged database and report (the README's commands).
"$KCTL" merge "$T/all.sqlite" "$T"/lan-laptop/kith-*/checkins-*.sqlite >"$T/merge.txt" ||
	{ cat "$T/merge.txt"; fail "kioskctl merge"; }
total=$(sqlite3 -readonly "$T/all.sqlite" "SELECT count(*) FROM checkins")
[ "$total" = 200 ] || fail "all.sqlite has $total check-ins, expected 200"
ok "kioskctl merge over the received folders: 200 check-ins"
"$KCTL" report "$T/all.sqlite" --csv >"$T/report.csv" || fail "kioskctl report"
[ -s "$T/report.csv" ] || fail "empty report"
ok "kioskctl report on the merged database"

# Only the configured sync ports listen, on 127.0.0.1; REST is on unix sockets.
ss -lntuH >"$T/ss.txt"
bad=$(awk '{print $5}' "$T/ss.txt" | grep -v -E '^127\.0\.0\.1:2220[1-4]$' || true)
[ -z "$bad" ] || { cat "$T/ss.txt"; fail "unexpected listening sockets: $bad"; }
[ -S "$T/a.sock" ] || fail "a's REST socket is not a unix socket"
ok "only 127.0.0.1 sync ports listen; REST on unix sockets"

echo "== a kiosk added mid-conference"
stop_all
new_fleet a b c
grep -q "\"$dev_a\"" "$F/fleet.json" || fail "a's device ID changed"
grep -q '"fleet_version": 2' "$F/fleet.json" || fail "fleet_version did not go up"
publish c 30
start a b c laptop
until_ok 90 has_file laptop c || fail "the organiser did not receive the new kiosk's file"
until_ok 90 has_file a c || fail "a did not receive the new kiosk's file"
until_ok 90 has_file c a || fail "the new kiosk did not receive a's file"
"$KCTL" merge "$T/all.sqlite" "$T"/lan-laptop/kith-*/checkins-*.sqlite >/dev/null || fail "merge"
total=$(sqlite3 -readonly "$T/all.sqlite" "SELECT count(*) FROM checkins")
[ "$total" = 230 ] || fail "all.sqlite has $total check-ins after c joined, expected 230"
ok "the new kiosk's check-ins reach the organiser and its peers: 230 in all.sqlite"
echo "PASS"
