#!/bin/sh
# Signed conference bundles and fleet files on a real stick (docs/THREAT-MODEL.md). A kiosk
# without a key learns the conference key from the first signed bundle it accepts (trust on
# first use). After that, a bundle that is unsigned, tampered after signing, or signed by
# another key is refused whole: the kiosk's data is unchanged (every table but meta's sync
# notes dumps identically) and the key it trusts stays (a change needs the admin PIN). A
# properly signed newer bundle is then taken. The fleet file check (sign_verify_file, through
# kioskctl verify) refuses unsigned, tampered and foreign fleet files.
# Needs root and loop devices (CI has both); skips loudly otherwise.
# kith-test: asan
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/e2e/usb-lib.inc"
usb_setup

K=$BUILD/kioskctl
DB=$T/kiosk.db
OUT=$T/out.txt
"$DRV" gen "$DB" --kiosk booth-1 --attendees 300 --sessions 10 --checkins 200 >/dev/null ||
	fail "gen kiosk"
"$DRV" gen "$T/b5.sqlite" --kiosk organiser --attendees 400 --sessions 25 >/dev/null ||
	fail "gen bundle"
sqlite3 "$T/b5.sqlite" "INSERT OR REPLACE INTO meta VALUES ('conference_version', '5');
	PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null || fail "bundle version"
"$K" keys init "$T/conf.key" >/dev/null || fail "keys init"
"$K" keys init "$T/other.key" >/dev/null || fail "keys init other"
pub=$(cat "$T/conf.key.pub")

usb_attach "$(usb_image sign 64)"; dev=$DEV
m=$T/usb/stick
usb_mount "$dev" "$m"
mkdir -p "$m/kith"

put() { # bundle [sig]: the stick's conference.sqlite and (only if given) its .sig
	rm -f "$m/kith/conference.sqlite" "$m/kith/conference.sqlite.sig"
	cp "$1" "$m/kith/conference.sqlite" || fail "cp $1"
	[ -n "${2:-}" ] && { cp "$2" "$m/kith/conference.sqlite.sig" || fail "cp $2"; }
	sync
}
sync_stick() { "$DRV" sync "$DB" "$m" --kiosk booth-1 >"$OUT" 2>"$T/err.txt"; }
# Everything the kiosk holds but the sync's own notes and the offered key.
snapshot() {
	sqlite3 -readonly "$DB" ".dump" | grep -v "INSERT INTO meta.*'\(usb_last_sync\|trust_conference_key_offered\)"
}
trusted() { sqlite3 -readonly "$DB" "SELECT value FROM meta WHERE key = 'trust_conference_key'"; }
refused() { # case reason-pattern
	before=$(snapshot | sha256sum)
	sync_stick; rc=$?
	expect_eq "$1: exit code (6 = bundle refused)" "$rc" 6
	expect_grep "$1: says why ($2)" "$2" "$OUT"
	expect_eq "$1: kiosk data unchanged" "$(snapshot | sha256sum)" "$before"
	expect_eq "$1: trusted key unchanged" "$(trusted)" "$pub"
}

echo "== trust on first use: the first signed bundle teaches the key"
"$K" sign "$T/b5.sqlite" --key "$T/conf.key" --conference-id conf-e2e --badge-policy signed \
	>/dev/null || fail "sign b5"
"$K" verify "$T/b5.sqlite" --key "$T/conf.key.pub" >/dev/null || fail "kioskctl verify b5"
put "$T/b5.sqlite" "$T/b5.sqlite.sig"
sync_stick || { cat "$OUT" "$T/err.txt"; fail "signed bundle: exit $?"; }
expect_grep "tofu: imported" "bundle=1" "$OUT"
expect_eq "tofu: key learned" "$(trusted)" "$pub"
expect_eq "tofu: policy came along" "$(sqlite3 -readonly "$DB" \
	"SELECT value FROM meta WHERE key = 'badge_policy'")" signed
expect_eq "tofu: conference id came along" "$(sqlite3 -readonly "$DB" \
	"SELECT value FROM meta WHERE key = 'conference_id'")" conf-e2e
expect_eq "tofu: roster" "$(count "$DB" attendees)" 400

cp "$T/b5.sqlite" "$T/b6.sqlite"
sqlite3 "$T/b6.sqlite" "UPDATE meta SET value = '6' WHERE key = 'conference_version';
	UPDATE attendees SET name = 'Mallory' WHERE attendee_id = 'A000001'" || fail "b6"

echo "== unsigned"
put "$T/b6.sqlite"
refused unsigned "not signed"

echo "== tampered after signing"
"$K" sign "$T/b6.sqlite" --key "$T/conf.key" >/dev/null || fail "sign b6"
cp "$T/b6.sqlite" "$T/b6t.sqlite"
sqlite3 "$T/b6t.sqlite" "UPDATE attendees SET name = 'Eve' WHERE attendee_id = 'A000002'" || fail "tamper"
put "$T/b6t.sqlite" "$T/b6.sqlite.sig"
refused tampered "not signed by the conference key"

echo "== signed by another key: refused, a key change needs the PIN"
cp "$T/b6.sqlite" "$T/b6o.sqlite"
"$K" sign "$T/b6o.sqlite" --key "$T/other.key" >/dev/null || fail "sign other"
put "$T/b6o.sqlite" "$T/b6o.sqlite.sig"
refused foreign "another conference key.*admin PIN"
expect_eq "foreign: its key is offered for the admin" "$(sqlite3 -readonly "$DB" \
	"SELECT value FROM meta WHERE key = 'trust_conference_key_offered'")" "$(cat "$T/other.key.pub")"

echo "== a garbage signature"
head -c 300 /dev/urandom | od -An -tx1 | tr -d ' \n' | head -c 128 >"$T/junk.sig"
put "$T/b6.sqlite" "$T/junk.sig"
refused junk "not signed by the conference key\|not a signature"

echo "== properly signed newer bundle"
put "$T/b6.sqlite" "$T/b6.sqlite.sig"
sync_stick || { cat "$OUT"; fail "signed b6: exit $?"; }
expect_grep "b6: imported" "bundle=1" "$OUT"
expect_eq "b6: its roster" "$(sqlite3 -readonly "$DB" \
	"SELECT name FROM attendees WHERE attendee_id = 'A000001'")" Mallory
usb_umount "$m"

echo "== fleet file"
printf '{"kiosks": [{"kiosk_id": "booth-1", "sign_key": "%s"}]}\n' "$pub" >"$T/fleet.json"
"$K" verify "$T/fleet.json" --key "$T/conf.key.pub" >/dev/null 2>&1 &&
	fail "unsigned fleet file verified"
"$K" sign "$T/fleet.json" --key "$T/conf.key" >/dev/null || fail "sign fleet"
"$K" verify "$T/fleet.json" --key "$T/conf.key.pub" >/dev/null || fail "signed fleet refused"
cp "$T/fleet.json.sig" "$T/keep.sig"
"$K" sign "$T/fleet.json" --key "$T/other.key" >/dev/null || fail "sign fleet other"
"$K" verify "$T/fleet.json" --key "$T/conf.key.pub" >/dev/null 2>"$T/v.err" &&
	fail "fleet file signed by another key verified"
cp "$T/keep.sig" "$T/fleet.json.sig"
sed -i 's/booth-1/rogue-9/' "$T/fleet.json"
"$K" verify "$T/fleet.json" --key "$T/conf.key.pub" >/dev/null 2>"$T/v.err" &&
	fail "tampered fleet file verified"
grep -q "not signed by the conference key" "$T/v.err" || fail "no reason: $(cat "$T/v.err")"
echo "ok: fleet files unsigned, foreign and tampered refused"
echo "signed bundles: tofu, refusals and a key kept without the PIN"
