#!/bin/sh
# kioskctl badge-write through the real libnfc and pn532-sim: writes a blank NTAG215, Debian's
# nfc-list still sees the tag, the sim's memory holds the NDEF Text record; a Classic-like card
# and a locked badge are refused with exit 1 and a message; usage errors exit 2.
# kith-test: asan
set -u
BUILD=${BUILD:?BUILD must point at the build directory}
dir=$(mktemp -d)
simpid=""
cleanup() {
	[ -n "$simpid" ] && kill "$simpid" 2>/dev/null
	exec 3>&- 2>/dev/null
	rm -rf "$dir"
}
trap cleanup EXIT
mkfifo "$dir/in"
"$BUILD/pn532-sim" --link "$dir/pn532" <"$dir/in" >"$dir/out" 2>"$dir/err" &
simpid=$!
exec 3>"$dir/in"
wait_for() { # file pattern seconds
	n=0
	while ! grep -q "$2" "$1" 2>/dev/null; do
		n=$((n + 1)); [ $n -gt $(($3 * 50)) ] && return 1
		sleep 0.02
	done
}
wait_for "$dir/out" "^ready " 5 || { echo "sim did not start"; exit 1; }
cs="pn532_uart:$dir/pn532"

echo "present 04a1b2c3d4e5f6" >&3
wait_for "$dir/out" "^ok present" 5 || exit 1
"$BUILD/kioskctl" badge-write --reader "$cs" A-0042 >"$dir/w1" 2>&1 || { echo "badge-write failed"; cat "$dir/w1"; exit 1; }
grep -q "wrote A-0042 to badge 04A1B2C3D4E5F6 (NTAG215)" "$dir/w1" || { echo "unexpected output"; cat "$dir/w1"; exit 1; }
echo "dump" >&3
wait_for "$dir/out" "^dump" 5 || exit 1
# Page 4 on: 03 0D D1 01 09 54 02 65 6E "A-0042" FE
grep "^dump" "$dir/out" | grep -q " 030dd101 09540265 6e412d30 303432fe" || { echo "tag memory is not the NDEF record"; grep "^dump" "$dir/out" | cut -c1-80; exit 1; }

echo "present a1b2c3d4" >&3
wait_for "$dir/out" "^ok present a1b2c3d4" 5 || exit 1
"$BUILD/kioskctl" badge-write --reader "$cs" A-1 >"$dir/w2" 2>&1; rc=$?
[ $rc -eq 1 ] || { echo "classic card: exit $rc, want 1"; cat "$dir/w2"; exit 1; }
grep -q "is not an NTAG21x" "$dir/w2" || { echo "no reason given"; cat "$dir/w2"; exit 1; }

echo "present 04000000000009 OLD-1" >&3
echo "lock" >&3
wait_for "$dir/out" "^ok lock" 5 || exit 1
"$BUILD/kioskctl" badge-write --reader "$cs" A-1 >"$dir/w3" 2>&1; rc=$?
[ $rc -eq 1 ] || { echo "locked badge: exit $rc, want 1"; cat "$dir/w3"; exit 1; }
grep -q "is locked" "$dir/w3" || { echo "no reason given"; cat "$dir/w3"; exit 1; }

"$BUILD/kioskctl" badge-write A-1 >"$dir/w4" 2>&1; rc=$?
[ $rc -eq 2 ] || { echo "usage error: exit $rc, want 2"; exit 1; }

echo "quit" >&3
wait "$simpid"; simpid=""
echo "badge-write round trip and refusals ok"
