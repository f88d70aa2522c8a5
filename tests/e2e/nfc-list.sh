#!/bin/sh
# Debian's own nfc-list and nfc-poll (libnfc-bin, libnfc-examples) see pn532-sim's tags through
# the real pn532_uart driver: the proof that the emulator speaks PN532, not just our dialect.
# kith-test: asan
# (only the sim is sanitized here; nfc-list/nfc-poll are Debian's)
set -u
BUILD=${BUILD:?BUILD must point at the build directory}
command -v nfc-list >/dev/null 2>&1 || { echo "nfc-list not installed (apt-get install libnfc-bin)"; exit 77; }
command -v nfc-poll >/dev/null 2>&1 || { echo "nfc-poll not installed (apt-get install libnfc-examples)"; exit 77; }
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
wait_for "$dir/out" "^ready " 5 || { echo "sim did not start"; cat "$dir/err"; exit 1; }
export LIBNFC_AUTO_SCAN=false LIBNFC_DEFAULT_DEVICE="pn532_uart:$dir/pn532"

# No tag: nfc-list opens the reader and finds nothing.
timeout 20 nfc-list >"$dir/list0" 2>&1 || { echo "nfc-list failed without a tag"; cat "$dir/list0"; exit 1; }
grep -q "NFC device: .* opened" "$dir/list0" || { echo "nfc-list did not open the device"; cat "$dir/list0"; exit 1; }
if grep -q "UID" "$dir/list0"; then echo "nfc-list saw a tag that is not there"; exit 1; fi

# An NTAG215 with a 7-byte UID.
echo "present 04a1b2c3d4e5f6 A-0001" >&3
wait_for "$dir/out" "^ok present" 5 || exit 1
timeout 20 nfc-list >"$dir/list1" 2>&1 || { echo "nfc-list failed"; cat "$dir/list1"; exit 1; }
grep -q "UID (NFCID1): 04  a1  b2  c3  d4  e5  f6" "$dir/list1" || { echo "nfc-list did not print the UID"; cat "$dir/list1"; exit 1; }
grep -q "ATQA (SENS_RES): 00  44" "$dir/list1" || { echo "wrong ATQA"; cat "$dir/list1"; exit 1; }

# A second client after the first closed the port: the pty stays usable.
timeout 20 nfc-list >"$dir/list2" 2>&1 && grep -q "04  a1  b2" "$dir/list2" || { echo "second nfc-list failed"; cat "$dir/list2"; exit 1; }

# nfc-poll reports a 4-byte card, then notices its removal and exits.
echo "remove" >&3
echo "present a1b2c3d4" >&3
wait_for "$dir/out" "^ok present a1b2c3d4" 5 || exit 1
timeout 20 nfc-poll >"$dir/poll" 2>&1 &
pollpid=$!
wait_for "$dir/poll" "UID (NFCID1): a1  b2  c3  d4" 15 || { echo "nfc-poll did not report the card"; cat "$dir/poll"; exit 1; }
echo "remove" >&3
wait "$pollpid" || { echo "nfc-poll failed"; cat "$dir/poll"; exit 1; }
grep -q "done" "$dir/poll" || { echo "nfc-poll did not see the removal"; cat "$dir/poll"; exit 1; }

# A client killed while its InAutoPoll waits: the answer the sim then gives must not reach
# the next client (libnfc would take it for the reply to its own first command).
nfc-poll >"$dir/poll2" 2>&1 &
pollpid=$! # nfc-poll itself (not under timeout): kill -9 must hit the client
n=0
until echo stats >&3 && sleep 0.05 && tail -n 1 "$dir/out" | grep -q "waiting=60"; do
	n=$((n + 1)); [ $n -gt 200 ] && { echo "nfc-poll never started polling"; cat "$dir/poll2"; exit 1; }
done
kill -9 "$pollpid"; wait "$pollpid" 2>/dev/null
echo "present 04ccccccccccc1 K-1" >&3
wait_for "$dir/out" "^ok present 04ccccccccccc1" 5 || exit 1
timeout 20 nfc-list >"$dir/list3" 2>&1 || { echo "nfc-list after a killed client failed"; cat "$dir/list3"; exit 1; }
grep -q "UID (NFCID1): 04  cc  cc  cc  cc  cc  c1" "$dir/list3" || { echo "nfc-list after a killed client"; cat "$dir/list3"; exit 1; }

# SIGTERM: the sim exits 0 and takes its link away.
kill -TERM "$simpid"
wait "$simpid"; rc=$?
simpid=""
[ $rc -eq 0 ] || { echo "sim exited $rc on SIGTERM"; cat "$dir/err"; exit 1; }
[ ! -e "$dir/pn532" ] && [ ! -L "$dir/pn532" ] || { echo "sim left its link behind"; exit 1; }
echo "nfc-list and nfc-poll see pn532-sim's tags"
