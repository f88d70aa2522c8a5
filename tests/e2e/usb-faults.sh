#!/bin/sh
# USB sync against sticks that go wrong, on real vfat filesystems on loop devices (ext4 where
# the kernel has no vfat): a stick
# filled to the last block, a read-only mount, a stick unmounted (lazily) in the middle of the
# export, and an I/O error injected at every write/fsync/rename step of the export in turn
# (tests/faults/faultfs.c, an LD_PRELOAD shim: see its header for why not device-mapper).
# Each case checks, after re-mounting the stick so we read what reached the filesystem:
#   - the stick holds the previous complete export or the new one (quick_check ok and the row
#     count of one or the other), never a torn file;
#   - the kiosk database passes integrity_check and has every check-in it had;
#   - the message says what happened in words a volunteer understands.
# Needs root and loop devices (CI has both); skips loudly otherwise.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/e2e/usb-lib.inc"
usb_setup

DB=$T/kiosk.db
EXP=kith/checkins-booth-1.sqlite
OUT=$T/out.txt

# rows in the stick's export, "none" if there is none; fails on a torn file
export_rows() {
	f="$1/$EXP"
	[ -e "$f" ] || { echo none; return; }
	_qc=$(sqlite3 -readonly "$f" "PRAGMA quick_check" 2>&1)
	[ "$_qc" = "ok" ] || fail "torn export on the stick: quick_check says: $_qc"
	own "$f"
}

own() { # this kiosk's check-ins in a database or export
	sqlite3 -readonly "$1" "SELECT count(*) FROM checkins WHERE kiosk_id = 'booth-1'" 2>&1
}

"$DRV" gen "$DB" --kiosk booth-1 --attendees 300 --checkins 2000 >/dev/null || fail "gen"
old=$(own "$DB")
total=$old

sync_stick() { # stick-dir [env...] -> exit code of the driver; output in $OUT
	dir=$1; shift
	env "$@" "$DRV" sync "$DB" "$dir" --kiosk booth-1 >"$OUT" 2>"$T/err.txt"
	return $?
}

kiosk_intact() { # expected check-ins (all kiosks)
	db_ok "$DB"
	expect_eq "kiosk check-ins" "$(count "$DB")" "$1"
}

echo "== good stick"
img=$(usb_image good 32); usb_attach "$img"; dev=$DEV; m=$T/usb/good
usb_mount "$dev" "$m"
sync_stick "$m" || { cat "$OUT" "$T/err.txt"; fail "good stick: exit $?"; }
expect_grep "good: safe to remove" "Safe to remove" "$OUT"
expect_grep "good: result ok" "result error=ok exported=1" "$OUT"
expect_eq "good: the kiosk notes the last sync for the admin screen" "$(sqlite3 -readonly "$DB" \
	"SELECT value FROM meta WHERE key = 'usb_last_sync_result'")" ok
usb_umount "$m"; usb_mount "$dev" "$m"
expect_eq "good: export rows" "$(export_rows "$m")" "$old"
kiosk_intact "$total"
cp "$m/$EXP" "$T/old-export.sqlite"

# More check-ins, so a new export differs from the old one.
"$DRV" gen "$DB" --kiosk booth-1 --attendees 300 --checkins 20000 --start 1790100000 \
	>/dev/null || fail "gen more"
new=$(own "$DB")
total=$(count "$DB")
[ "$new" -gt "$old" ] || fail "gen added nothing"

echo "== stick filled to the last block"
img=$(usb_image full 8); usb_attach "$img"; dev=$DEV; m=$T/usb/full
usb_mount "$dev" "$m"
mkdir -p "$m/kith" && cp "$T/old-export.sqlite" "$m/$EXP"
dd if=/dev/zero of="$m/filler" bs=4096 2>/dev/null   # until ENOSPC: no free cluster left
sync
sync_stick "$m"; rc=$?
expect_eq "full: exit code (3 = full)" "$rc" 3
expect_grep "full: message says full" "The stick is full" "$OUT"
expect_grep "full: message says safe to remove" "Safe to remove" "$OUT"
usb_umount "$m"; usb_mount "$dev" "$m"
expect_eq "full: stick keeps the previous export" "$(export_rows "$m")" "$old"
kiosk_intact "$total"
usb_umount "$m"

echo "== read-only mount"
img=$(usb_image ro 32); usb_attach "$img"; dev=$DEV; m=$T/usb/ro
usb_mount "$dev" "$m"
mkdir -p "$m/kith" && cp "$T/old-export.sqlite" "$m/$EXP"
# another kiosk's export on the same stick: reading it must still work
"$DRV" gen "$T/other.db" --kiosk booth-2 --attendees 300 --checkins 500 >/dev/null || fail "gen other"
"$DRV" export "$T/other.db" "$m/kith/checkins-booth-2.sqlite" >/dev/null || fail "export other"
usb_umount "$m"; usb_mount "$dev" "$m" ro
sync_stick "$m"; rc=$?
expect_eq "ro: exit code (2 = read-only)" "$rc" 2
expect_grep "ro: message says write-protected" "write-protected" "$OUT"
expect_eq "ro: noted as the last sync" "$(sqlite3 -readonly "$DB" \
	"SELECT value FROM meta WHERE key = 'usb_last_sync_result'")" readonly
expect_grep "ro: the other kiosk's check-ins still came in" "merged_files=1 added=500" "$OUT"
expect_eq "ro: stick keeps the previous export" "$(export_rows "$m")" "$old"
total=$((total + 500))
kiosk_intact "$total"
usb_umount "$m"

echo "== stick unmounted lazily in the middle of the export"
img=$(usb_image pulled 64); usb_attach "$img"; dev=$DEV; m=$T/usb/pulled
usb_mount "$dev" "$m"
mkdir -p "$m/kith" && cp "$T/old-export.sqlite" "$m/$EXP"
rm -f "$T/ready" "$T/go"
sync_stick "$m" USBSYNC_PAUSE_READY="$T/ready" USBSYNC_PAUSE_GO="$T/go" &
pid=$!
wait_file "$T/ready" 60 || { kill "$pid"; fail "the export never reported progress"; }
umount -l "$m" || fail "umount -l"
touch "$T/go"
wait "$pid"; rc=$?
expect_eq "pulled: exit code (1 = gone)" "$rc" 1
expect_grep "pulled: message says removed" "stick was removed" "$OUT"
usb_mount "$dev" "$m"
r=$(export_rows "$m")
[ "$r" = "$old" ] || [ "$r" = "$new" ] || fail "pulled: export has $r rows, not $old or $new"
echo "ok: pulled: stick holds a complete export ($r rows)"
kiosk_intact "$total"
sync_stick "$m" || { cat "$OUT"; fail "pulled: sync after re-plug failed"; }
expect_eq "pulled: re-plugged stick gets the new export" "$(export_rows "$m")" "$new"
usb_umount "$m"

echo "== an I/O error at every write/fsync/rename step of the export, in turn"
shim=$T/faultfs.so
cc -shared -fPIC -O1 -o "$shim" "$top/tests/faults/faultfs.c" -ldl || fail "building faultfs"
# A smaller kiosk of its own, so the export is a few dozen calls and each gets its turn.
DB=$T/small.db
"$DRV" gen "$DB" --kiosk booth-1 --attendees 50 --checkins 300 >/dev/null || fail "gen small"
img=$(usb_image eio 32); usb_attach "$img"; dev=$DEV; m=$T/usb/eio
usb_mount "$dev" "$m"
mkdir -p "$m/kith"
sync_stick "$m" || fail "eio: first export"
cp "$m/$EXP" "$T/old-export.sqlite"
old=$(own "$DB")
"$DRV" gen "$DB" --kiosk booth-1 --attendees 50 --checkins 700 --start 1790100000 >/dev/null ||
	fail "gen small more"
new=$(own "$DB")
total=$(count "$DB")
restore_old() {
	rm -f "$m"/kith/* && cp "$T/old-export.sqlite" "$m/$EXP" && sync
}
restore_old
sync_stick "$m" LD_PRELOAD="$shim" FAULTFS_PREFIX="$m" FAULTFS_LOG="$T/count.log" ||
	{ cat "$OUT" "$T/err.txt"; fail "eio: dry run with the shim failed"; }
steps=$(wc -l <"$T/count.log")
[ "$steps" -ge 5 ] || fail "eio: the shim saw only $steps calls: is it intercepting?"
echo "eio: the sync makes $steps counted calls on the stick"
failed_runs=0
for i in $(seq 1 "$steps"); do
	restore_old
	rm -f "$T/step.log"
	sync_stick "$m" LD_PRELOAD="$shim" FAULTFS_PREFIX="$m" FAULTFS_FAIL_AT="$i" \
		FAULTFS_LOG="$T/step.log"
	rc=$?
	op=$(sed -n "${i}p" "$T/step.log" | cut -d' ' -f2)
	usb_umount "$m"; usb_mount "$dev" "$m"
	r=$(export_rows "$m")
	kiosk_intact "$total" >/dev/null
	msg=$(sed -n 's/^message: //p' "$OUT")
	case "$rc:$r" in
	0:"$new") ;;
	0:*) fail "eio step $i ($op): reported success but the export has $r rows" ;;
	*:"$old"|*:"$new")
		failed_runs=$((failed_runs + 1))
		case "$msg" in *stick*) ;; *) fail "eio step $i ($op): message does not say: $msg" ;; esac ;;
	*) fail "eio step $i ($op): export has $r rows, not $old or $new" ;;
	esac
	printf 'eio step %3d %-10s exit %d  stick rows %-6s %s\n' "$i" "$op" "$rc" "$r" "$msg"
done
echo "ok: $steps steps, $failed_runs reported failure, stick never torn, kiosk intact"
# A dying stick: everything fails from the middle of the export on.
restore_old
sync_stick "$m" LD_PRELOAD="$shim" FAULTFS_PREFIX="$m" FAULTFS_FAIL_AT=$((steps / 2)) \
	FAULTFS_STICKY=1; rc=$?
expect_eq "dying stick: exit code (4 = I/O)" "$rc" 4
expect_grep "dying stick: message" "failed while it was being used" "$OUT"
usb_umount "$m"; usb_mount "$dev" "$m"
expect_eq "dying stick: stick keeps the previous export" "$(export_rows "$m")" "$old"
kiosk_intact "$total"
echo "PASS"
