#!/bin/sh
# make bench, USB sync: the check-in export of 1,000,000 check-ins to a file on a loop-mounted
# vfat stick image vs `sqlite3 DB ".backup FILE"` (+ sync, since export_write fsyncs) to the
# same image, target ratio <= 1.2; and merging two 500,000-row exports (export_merge, as
# `kioskctl merge` does, and store_merge_export into a kiosk database, as a stick sync does).
# Data comes from build/bench/usbsync gen. Three runs each: median and the worst (as p99).
# Needs root and loop devices; prints a note row otherwise.
set -u
BUILD=${BUILD:-$(pwd)/build}
DRV=$BUILD/bench/usbsync
row() { printf '%-10s | %-52s | %12s | %12s | %-22s | %s\n' "$@"; }
if [ "$(id -u)" -ne 0 ] || ! command -v mkfs.vfat >/dev/null || [ ! -x "$DRV" ]; then
	row usb "export / merge benchmarks" - - - "skipped: needs root, mkfs.vfat, $DRV"
	exit 0
fi
T=$(mktemp -d /tmp/kith-bench-usb.XXXXXX)
LOOP=""
cleanup() {
	mountpoint -q "$T/stick" 2>/dev/null && umount "$T/stick"
	[ -n "$LOOP" ] && losetup -d "$LOOP"
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

secs() { # command... -> wall seconds
	s=$(date +%s.%N)
	"$@" >/dev/null 2>"$T/err" || { cat "$T/err" >&2; echo fail; return; }
	e=$(date +%s.%N)
	echo "$s $e" | awk '{ printf "%.3f", $2 - $1 }'
}
median() { printf '%s\n' "$@" | sort -g | sed -n 2p; }
worst() { printf '%s\n' "$@" | sort -g | tail -n 1; }

"$DRV" gen "$T/k1.db" --kiosk booth-1 --attendees 20000 --checkins 500000 >/dev/null &&
"$DRV" gen "$T/k2.db" --kiosk booth-2 --attendees 20000 --checkins 500000 --start 1790000030 \
	>/dev/null &&
"$DRV" export "$T/k1.db" "$T/e1.sqlite" >/dev/null &&
"$DRV" export "$T/k2.db" "$T/e2.sqlite" >/dev/null || { echo "bench-usb: gen failed" >&2; exit 1; }

m1="" m2=""
for i in 1 2 3; do
	rm -f "$T/merged.sqlite"
	m1="$m1 $(secs "$DRV" merge "$T/merged.sqlite" "$T/e1.sqlite" "$T/e2.sqlite")"
	rm -f "$T/kiosk.db"*
	"$DRV" gen "$T/kiosk.db" --kiosk booth-3 --attendees 20000 >/dev/null
	m2="$m2 $(secs "$DRV" merge-db "$T/kiosk.db" "$T/e1.sqlite" "$T/e2.sqlite")"
done
# shellcheck disable=SC2086
row usb "merge 2 x 500k exports into one (export_merge)" "$(median $m1) s" "$(worst $m1) s" \
	"-" "kioskctl merge path"
# shellcheck disable=SC2086
row usb "merge 2 x 500k exports into a kiosk db" "$(median $m2) s" "$(worst $m2) s" "-" \
	"stick sync step 2"

# The kiosk database now holds 1,000,000 check-ins.
truncate -s 2G "$T/stick.img"
if grep -qw vfat /proc/filesystems; then
	fs=vfat; mkfs.vfat -F 32 "$T/stick.img" >/dev/null
else # some VM kernels have no vfat driver: measure on ext4 and say so in the row
	fs=ext4; mkfs.ext4 -q -F -m 0 "$T/stick.img" >/dev/null
fi
LOOP=$(losetup -f --show "$T/stick.img")
mkdir -p "$T/stick"
mount "$LOOP" "$T/stick"
backup() { sqlite3 "$T/kiosk.db" ".backup $T/stick/backup.sqlite" && sync -f "$T/stick/backup.sqlite"; }
ex="" bk=""
for i in 1 2 3; do
	rm -f "$T/stick/export.sqlite" "$T/stick/backup.sqlite"
	ex="$ex $(secs "$DRV" export "$T/kiosk.db" "$T/stick/export.sqlite")"
	bk="$bk $(secs backup)"
done
# shellcheck disable=SC2086
em=$(median $ex); bm=$(median $bk)
ratio=$(echo "$em $bm" | awk '{ printf "%.2f", $1 / $2 }')
row usb "export 1M check-ins to a $fs stick (export_write)" "$em s" "$(worst $ex) s" \
	"<= 1.2 x .backup" "ratio $ratio"
row usb "sqlite3 .backup of the same db to $fs (+sync)" "$bm s" "$(worst $bk) s" "-" \
	"peer; db $(du -m "$T/kiosk.db" | cut -f1) MB, export $(du -m "$T/stick/export.sqlite" | cut -f1) MB"
