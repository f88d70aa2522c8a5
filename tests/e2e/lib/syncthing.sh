# Real Syncthing processes for the LAN tests, the bench and `make run-fleet` (sourced, not run).
#
# Each node NAME gets a home ($ST_TMP/NAME/home, from Syncthing's own `generate`), its API on a
# unix socket ($ST_TMP/NAME/gui.sock, as on the kiosk image) and a config written here with
# everything that could reach another machine OFF: global and local discovery, relays, NAT
# traversal, STUN, usage and crash reporting, upgrades, auto-accept. It listens on and dials
# 127.0.0.1 only (static addresses); callers run inside their own network namespace
# (st_netns_reexec) so there is nothing else to reach anyway. Folders: kith-<id> per kiosk,
# send-only on its owner, receive-only on every other node, shared in a full mesh.
#
# Needs ST_TMP (a directory); the lan_dir of node NAME is
# $ST_TMP/NAME/lan. Cleanup: st_stop_all (by PID, only the processes started here).

ST_NODES=""

# Re-runs the calling script inside a new user+network namespace with only loopback, once.
# Exits 77 (skip) with the reason when namespaces are not available.
st_netns_reexec() { # "$0" "$@"
	if [ -z "${KITH_IN_NETNS:-}" ]; then
		command -v unshare >/dev/null 2>&1 || { echo "SKIP: needs unshare (util-linux)"; exit 77; }
		unshare -rn true 2>/dev/null || { echo "SKIP: cannot create a network namespace here (unshare -rn)"; exit 77; }
		KITH_IN_NETNS=1 exec unshare -rn sh "$@"
	fi
	ip link set lo up 2>/dev/null || { echo "SKIP: cannot bring up lo in the namespace (iproute2)"; exit 77; }
}

st_require() {
	command -v syncthing >/dev/null 2>&1 || { echo "SKIP: needs syncthing"; exit 77; }
	command -v curl >/dev/null 2>&1 || { echo "SKIP: needs curl"; exit 77; }
}

# st_node NAME PORT: a home with a fresh identity; remembers the device ID and API key.
st_node() {
	d=$ST_TMP/$1
	mkdir -p "$d/lan"
	STNODEFAULTFOLDER=1 syncthing generate --home "$d/home" >"$d/generate.log" 2>&1 ||
		{ echo "syncthing generate failed: $(cat "$d/generate.log")" >&2; return 1; }
	syncthing --device-id --home "$d/home" >"$d/id" 2>/dev/null
	sed -n 's:.*<apikey>\(.*\)</apikey>.*:\1:p' "$d/home/config.xml" >"$d/apikey"
	echo "$2" >"$d/port"
	ST_NODES="$ST_NODES $1"
}

st_id() { cat "$ST_TMP/$1/id"; }

# st_config NAME KIOSKS...: the config of node NAME sharing the folders of every listed kiosk
# (node names are kiosk ids) with every other listed node.
st_config() {
	me=$1; shift
	d=$ST_TMP/$me
	{
		echo '<configuration version="36">'
		for k in "$@"; do
			mkdir -p "$d/lan/kith-$k/.stfolder"
			if [ "$k" = "$me" ]; then type=sendonly; else type=receiveonly; fi
			echo "  <folder id=\"kith-$k\" label=\"kith-$k\" path=\"$d/lan/kith-$k\" type=\"$type\" rescanIntervalS=\"3600\" fsWatcherEnabled=\"true\" fsWatcherDelayS=\"1\" ignorePerms=\"true\" autoNormalize=\"true\">"
			echo "    <filesystemType>basic</filesystemType>"
			for p in "$@"; do echo "    <device id=\"$(st_id "$p")\"></device>"; done
			echo '    <minDiskFree unit="%">0</minDiskFree>'
			echo "  </folder>"
		done
		for p in "$@"; do
			echo "  <device id=\"$(st_id "$p")\" name=\"$p\" compression=\"metadata\" introducer=\"false\">"
			echo "    <address>tcp://127.0.0.1:$(cat "$ST_TMP/$p/port")</address>"
			echo "    <autoAcceptFolders>false</autoAcceptFolders>"
			echo "  </device>"
		done
		echo '  <gui enabled="true" tls="false" debugging="false">'
		echo "    <address>$d/gui.sock</address>"
		echo "    <apikey>$(cat "$d/apikey")</apikey>"
		echo '  </gui>'
		echo '  <options>'
		echo "    <listenAddress>tcp://127.0.0.1:$(cat "$d/port")</listenAddress>"
		echo '    <globalAnnounceEnabled>false</globalAnnounceEnabled>'
		echo '    <localAnnounceEnabled>false</localAnnounceEnabled>'
		echo '    <relaysEnabled>false</relaysEnabled>'
		echo '    <natEnabled>false</natEnabled>'
		echo '    <stunKeepaliveStartS>0</stunKeepaliveStartS>'
		echo '    <urAccepted>-1</urAccepted>'
		echo '    <crashReportingEnabled>false</crashReportingEnabled>'
		echo '    <autoUpgradeIntervalH>0</autoUpgradeIntervalH>'
		echo '    <startBrowser>false</startBrowser>'
		echo '    <reconnectionIntervalS>2</reconnectionIntervalS>'
		echo '    <setLowPriority>false</setLowPriority>'
		echo '  </options>'
		echo '</configuration>'
	} >"$d/home/config.xml"
}

# The REST API of node NAME through its socket.
st_api() { # NAME METHOD PATH
	curl -s -m 5 --unix-socket "$ST_TMP/$1/gui.sock" -X "$2" -H "X-API-Key: $(cat "$ST_TMP/$1/apikey")" "http://localhost$3"
}

st_start() { # NAME
	d=$ST_TMP/$1
	rm -f "$d/gui.sock"
	STNODEFAULTFOLDER=1 STNOUPGRADE=1 STNORESTART=1 syncthing serve --home "$d/home" --no-browser \
		--no-restart --logflags=3 >>"$d/syncthing.log" 2>&1 &
	echo $! >"$d/pid"
	st_deadline=$(( $(date +%s) + 20 ))
	until [ "$(st_api "$1" GET /rest/system/ping 2>/dev/null)" = '{
  "ping": "pong"
}' ] || st_api "$1" GET /rest/system/ping 2>/dev/null | grep -q pong; do
		[ "$(date +%s)" -lt "$st_deadline" ] || { echo "syncthing $1 did not start: $(tail -5 "$d/syncthing.log")" >&2; return 1; }
		sleep 0.1
	done
}

# Syncthing 1.19 runs as a monitor process and the real one, its child: SIGKILL goes to the
# child first (a crash), then the monitor; TERM to the monitor stops both.
st_stop() { # NAME [SIGNAL]
	f=$ST_TMP/$1/pid
	[ -s "$f" ] || return 0
	if [ "${2:-TERM}" = KILL ]; then
		for c in $(pgrep -P "$(cat "$f")"); do kill -KILL "$c" 2>/dev/null; done
	fi
	kill "-${2:-TERM}" "$(cat "$f")" 2>/dev/null
	wait "$(cat "$f")" 2>/dev/null
	: >"$f"
}

st_stop_all() { for n in $ST_NODES; do st_stop "$n"; done; }

# How many devices node NAME has connected now.
st_connected() { st_api "$1" GET /rest/system/connections | grep -c '"connected": true'; }
