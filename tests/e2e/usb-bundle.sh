#!/bin/sh
# The conference bundle (kith/conference.sqlite) on a real stick: a good newer bundle replaces
# the roster and schedule in one transaction and leaves check-ins alone; the same or an older
# one is left; hostile ones are refused with the reason and the kiosk keeps what it had:
# garbage bytes, a wrong schema version, orphan rows, an empty roster, a check-in export posing
# as a bundle, a symlink pointing off the stick, a file over the size limit.
# Needs root and loop devices (CI has both); skips loudly otherwise.
# kith-test: asan
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/e2e/usb-lib.inc"
usb_setup

DB=$T/kiosk.db
OUT=$T/out.txt
"$DRV" gen "$DB" --kiosk booth-1 --attendees 300 --sessions 10 --checkins 1000 >/dev/null ||
	fail "gen kiosk"
checkins=$(count "$DB")

# a good bundle: 400 attendees, 25 sessions, conference_version 5
"$DRV" gen "$T/bundle.sqlite" --kiosk organiser --attendees 400 --sessions 25 >/dev/null ||
	fail "gen bundle"
# A000002's roster entry says "ask" but they answered "yes" at this kiosk: the answer stays.
# A000003's roster entry says "never show": the bundle wins.
sqlite3 "$T/bundle.sqlite" "INSERT OR REPLACE INTO meta VALUES ('conference_version', '5');
	UPDATE attendees SET visible = -1 WHERE attendee_id = 'A000002';
	UPDATE attendees SET visible = 0 WHERE attendee_id = 'A000003';
	INSERT OR REPLACE INTO meta VALUES ('conference_name', 'Library Days 2026');
	INSERT OR REPLACE INTO meta VALUES ('timezone', 'Europe/Vienna');
	INSERT OR REPLACE INTO meta VALUES ('usbsync_attendees', 'not for the kiosk');
	PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null || fail "bundle version"

usb_attach "$(usb_image bundle 64)"; dev=$DEV
m=$T/usb/stick
usb_mount "$dev" "$m"
mkdir -p "$m/kith"

put() { # file -> the stick's conference.sqlite
	rm -f "$m/kith/conference.sqlite"
	cp "$1" "$m/kith/conference.sqlite" || fail "cp $1"
}
sync_stick() {
	"$DRV" sync "$DB" "$1" --kiosk booth-1 >"$OUT" 2>"$T/err.txt"
}
kiosk_has() { # attendees sessions
	db_ok "$DB"
	expect_eq "  kiosk attendees" "$(count "$DB" attendees)" "$1"
	expect_eq "  kiosk sessions" "$(count "$DB" sessions)" "$2"
	expect_eq "  kiosk check-ins untouched" "$(count "$DB")" "$checkins"
}
refused() { # case-name reason-pattern
	sync_stick "$m"; rc=$?
	expect_eq "$1: exit code (6 = bundle refused)" "$rc" 6
	expect_grep "$1: says the data was not loaded" "conference data on the stick was not loaded" "$OUT"
	expect_grep "$1: says why ($2)" "$2" "$OUT"
	expect_grep "$1: still safe to remove" "Safe to remove" "$OUT"
	kiosk_has 400 25
}

echo "== good, newer bundle"
put "$T/bundle.sqlite"
sync_stick "$m" || { cat "$OUT" "$T/err.txt"; fail "good bundle: exit $?"; }
expect_grep "good: imported" "bundle=1" "$OUT"
expect_grep "good: says updated" "Conference data updated" "$OUT"
kiosk_has 400 25
expect_eq "good: search index follows the sessions" \
	"$(sqlite3 -readonly "$DB" "SELECT count(*) FROM session_fts")" 25
expect_eq "good: a kiosk answer survives a bundle that says ask" \
	"$(sqlite3 -readonly "$DB" "SELECT visible FROM attendees WHERE attendee_id = 'A000002'")" 1
expect_eq "good: the bundle's explicit never-show wins" \
	"$(sqlite3 -readonly "$DB" "SELECT visible FROM attendees WHERE attendee_id = 'A000003'")" 0
expect_eq "good: badges came with the roster" "$(count "$DB" badges)" 400
expect_eq "good: the conference name and timezone came along" "$(sqlite3 -readonly "$DB" \
	"SELECT group_concat(value, '|') FROM (SELECT value FROM meta WHERE key IN
	 ('conference_name', 'timezone') ORDER BY key)")" "Library Days 2026|Europe/Vienna"
expect_eq "good: other meta stays the kiosk's" "$(sqlite3 -readonly "$DB" \
	"SELECT value FROM meta WHERE key = 'usbsync_attendees'")" 300

echo "== the same bundle again, then an older one: left alone"
sync_stick "$m" || fail "same bundle: exit $?"
expect_grep "same: not newer" "bundle=2" "$OUT"
sqlite3 "$T/bundle.sqlite" "UPDATE meta SET value = '4' WHERE key = 'conference_version';
	DELETE FROM memberships WHERE attendee IN (SELECT id FROM attendees WHERE attendee_id > 'A000100');
	DELETE FROM badges WHERE attendee IN (SELECT id FROM attendees WHERE attendee_id > 'A000100');
	DELETE FROM attendees WHERE attendee_id > 'A000100'" || fail "older bundle"
put "$T/bundle.sqlite"
sync_stick "$m" || fail "older bundle: exit $?"
expect_grep "older: not newer" "bundle=2" "$OUT"
kiosk_has 400 25

echo "== garbage bytes"
head -c 200000 /dev/urandom >"$T/garbage"
put "$T/garbage"
refused garbage "not a readable database\|damaged"

echo "== wrong schema version"
cp "$T/bundle.sqlite" "$T/v99.sqlite"
sqlite3 "$T/v99.sqlite" "UPDATE meta SET value = '9' WHERE key = 'conference_version';
	PRAGMA user_version = 99" || fail "v99"
put "$T/v99.sqlite"
refused schema "different version of Kith: schema version 99"

echo "== orphan rows"
cp "$T/bundle.sqlite" "$T/orphan.sqlite"
sqlite3 "$T/orphan.sqlite" "UPDATE meta SET value = '9' WHERE key = 'conference_version';
	INSERT INTO badges VALUES ('DEADBEEF', 999999)" || fail "orphan"
put "$T/orphan.sqlite"
refused orphans "badges has rows pointing at nothing"

echo "== empty roster"
cp "$T/bundle.sqlite" "$T/empty.sqlite"
sqlite3 "$T/empty.sqlite" "UPDATE meta SET value = '9' WHERE key = 'conference_version';
	DELETE FROM memberships; DELETE FROM badges; DELETE FROM group_presence;
	DELETE FROM attendees" || fail "empty"
put "$T/empty.sqlite"
refused empty "roster is empty"

echo "== a check-in export posing as a bundle"
"$DRV" export "$DB" "$T/export.sqlite" >/dev/null || fail "export"
put "$T/export.sqlite"
refused export "check-in export\|not a Kith conference file"

echo "== bigger than the limit (4 KiB here)"
put "$T/bundle.sqlite"
"$DRV" sync "$DB" "$m" --kiosk booth-1 --max-bundle 4096 >"$OUT" 2>&1; rc=$?
if [ "$(stat -c %s "$T/bundle.sqlite")" -gt 4096 ]; then
	expect_eq "limit: exit code" "$rc" 6
	expect_grep "limit: says too large" "too large" "$OUT"
fi
kiosk_has 400 25
usb_umount "$m"

echo "== ext4 stick: a symlink off the stick, and a sparse 2 GB file"
usb_attach "$(usb_image ext4 64 ext4)"; dev=$DEV
m=$T/usb/ext4
usb_mount "$dev" "$m"
mkdir -p "$m/kith"
cp "$T/bundle.sqlite" "$T/newer.sqlite"
sqlite3 "$T/newer.sqlite" "UPDATE meta SET value = '9' WHERE key = 'conference_version'"
ln -s "$T/newer.sqlite" "$m/kith/conference.sqlite"
refused symlink "is a link"
rm "$m/kith/conference.sqlite"
truncate -s 2G "$m/kith/conference.sqlite"
refused huge "too large"
rm "$m/kith/conference.sqlite"
ln -s "$T/newer.sqlite" "$m/kith/checkins-evil.sqlite"
sync_stick "$m"; rc=$?
expect_eq "symlinked export: exit code (7 = a file refused)" "$rc" 7
expect_grep "symlinked export: named" "checkins-evil.sqlite was not used" "$OUT"
kiosk_has 400 25
echo "PASS"
