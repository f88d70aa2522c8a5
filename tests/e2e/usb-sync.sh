#!/bin/sh
# USB sync through the real mount watcher (poll on /proc/self/mountinfo), with vfat sticks on
# loop devices mounted under a temp --usb-dir: a stick pulled (lazily unmounted) mid-export
# fails cleanly and is synced again when it comes back; two sticks at once; a re-plugged stick
# syncs again and merging the same export twice adds nothing; sticks carry another kiosk's
# overlapping exports in; a stick already mounted at start is synced; "sync now" re-syncs.
# Needs root and loop devices (CI has both); skips loudly otherwise.
# kith-test: asan
# kith-test: tsan
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/e2e/usb-lib.inc"
usb_setup

DB=$T/kiosk.db
LOG=$T/watch.log
U=$T/usb
"$DRV" gen "$DB" --kiosk booth-1 --attendees 300 --checkins 30000 >/dev/null || fail "gen"
own=$(count "$DB")

# booth-2's check-ins, travelling on two sticks: 500 on one, the same 500 plus 300 on another
"$DRV" gen "$T/b2.db" --kiosk booth-2 --attendees 300 --checkins 500 --start 1790000030 \
	>/dev/null || fail "gen booth-2"
"$DRV" export "$T/b2.db" "$T/b2-500.sqlite" >/dev/null || fail "export booth-2"
"$DRV" gen "$T/b2.db" --kiosk booth-2 --attendees 300 --checkins 300 --start 1790200000 \
	>/dev/null || fail "gen booth-2 more"
"$DRV" export "$T/b2.db" "$T/b2-800.sqlite" >/dev/null || fail "export booth-2 again"

stick() { # name [export to carry] -> $DEV, a fresh 64 MB stick
	usb_attach "$(usb_image "$1" 64)"
	if [ $# -gt 1 ]; then
		usb_mount "$DEV" "$T/prep"
		mkdir -p "$T/prep/kith" && cp "$2" "$T/prep/kith/checkins-booth-2.sqlite"
		usb_umount "$T/prep"
	fi
}
stick a; A=$DEV
stick b "$T/b2-800.sqlite"; B=$DEV
stick c "$T/b2-500.sqlite"; C=$DEV

finished() { # stick-dir error -> how many such lines
	grep -c "^finished $U/$1 error=$2\$" "$LOG"
}
wait_finished() { # stick-dir error n
	i=0
	while [ "$(finished "$1" "$2")" -lt "$3" ]; do
		i=$((i + 1))
		[ $i -gt 6000 ] && { cat "$LOG"; fail "no sync of $1 ended with $2 ($3) in 60 s"; }
		sleep 0.01
	done
	echo "ok: $1 sync #$3 ended: $2"
}

rm -f "$T/ready" "$T/go"
USBSYNC_PAUSE_READY="$T/ready" USBSYNC_PAUSE_GO="$T/go" \
	"$DRV" watch "$DB" "$U" --kiosk booth-1 --syncs 5 --timeout 120 >"$LOG" 2>"$T/watch.err" &
pid=$!
wait_grep "^watching" "$LOG" 10 || fail "watcher did not start"

echo "== stick A pulled in the middle of the export"
usb_mount "$A" "$U/a"
wait_file "$T/ready" 60 || { cat "$LOG"; fail "A: the export never reported progress"; }
umount -l "$U/a" || fail "umount -l"
touch "$T/go"
wait_finished a gone 1
grep -q "stick was removed" "$LOG" || fail "A: message does not say the stick was removed"

echo "== stick A back: synced again"
usb_mount "$A" "$U/a"
wait_finished a ok 1
rows=$(sqlite3 -readonly "$U/a/kith/checkins-booth-1.sqlite" \
	"PRAGMA quick_check; SELECT count(*) FROM checkins WHERE kiosk_id = 'booth-1'")
expect_eq "A: export on the stick" "$rows" "ok
$own"
usb_umount "$U/a"

echo "== sticks B and C at once, both carrying booth-2's check-ins (overlapping)"
usb_mount "$B" "$U/b"
usb_mount "$C" "$U/c"
wait_finished b ok 1
wait_finished c ok 1
expect_eq "kiosk has booth-2's 800 check-ins once" \
	"$(sqlite3 -readonly "$DB" "SELECT count(*) FROM checkins WHERE kiosk_id = 'booth-2'")" 800
usb_umount "$U/c"

echo "== stick B re-plugged: synced again, nothing added twice"
usb_umount "$U/b"
usb_mount "$B" "$U/b"
wait_finished b ok 2
wait "$pid" || { cat "$LOG"; fail "watcher driver exit $?"; }
grep -q "added=" "$LOG" || true
expect_eq "kiosk total after all syncs" "$(count "$DB")" $((own + 800))
db_ok "$DB"

echo "== stick present at start, then 'sync now'"
: >"$LOG"
"$DRV" watch "$DB" "$U" --kiosk booth-1 --syncs 2 --request --timeout 60 >"$LOG" 2>&1 ||
	{ cat "$LOG"; fail "sync now: exit $?"; }
expect_eq "sync now: stick B synced twice" "$(finished b ok)" 2
grep -q "^requested 1" "$LOG" || fail "sync now: request did not see stick B"
expect_eq "kiosk total unchanged" "$(count "$DB")" $((own + 800))
db_ok "$DB"
echo "PASS"
