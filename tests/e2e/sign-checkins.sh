#!/bin/sh
# Signed kiosk files on a real stick (docs/THREAT-MODEL.md "Kiosk files"). Kiosk booth-1 is in
# a signed conference (it trusts a conference key) and knows booth-2's key. Each of these is
# offered alone as booth-2's (or booth-4's) file, and none reaches "who is here": a file that
# claims booth-2 but is signed by another kiosk's key, an unsigned one, one with a valid
# signature but a row edited afterwards, and a validly signed one from booth-4, which booth-1
# does not know (kept aside, its key offered for pairing). booth-2's real file is merged.
# Needs root and loop devices (CI has both); skips loudly otherwise.
# kith-test: asan
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/e2e/usb-lib.inc"
usb_setup

K=$BUILD/kioskctl
A=$T/a.db
OUT=$T/out.txt
gen() { # db kiosk checkins [key: yes]
	"$DRV" gen "$1" --kiosk "$2" --attendees 60 --sessions 2 --checkins "$3" >/dev/null || fail "gen $1"
	[ "${4:-}" = yes ] && { "$K" keys init "$1.key" >/dev/null || fail "keys $1"; }
	"$DRV" export "$1" "$1.export" --kiosk "$2" >/dev/null || fail "export $1"
}
gen "$A" booth-1 20 yes
gen "$T/b.db" booth-2 30 yes
gen "$T/c.db" booth-2 30 yes   # claims booth-2, signed by its own (other) key
gen "$T/u.db" booth-2 30       # no key: unsigned
gen "$T/d.db" booth-4 30 yes   # a kiosk booth-1 does not know
"$K" keys init "$T/conf.key" >/dev/null || fail "conference key"
sqlite3 "$A" "INSERT OR REPLACE INTO meta VALUES ('trust_conference_key', '$(cat "$T/conf.key.pub")'),
	('trust_kiosk_key.booth-2', '$(cat "$T/b.db.key.pub")')" || fail "trust"
expect_eq "b's export is signed" "$(sqlite3 -readonly "$T/b.db.export" \
	"SELECT kiosk_id || ' ' || public_key FROM signature")" "booth-2 $(cat "$T/b.db.key.pub")"
cp "$T/b.db.export" "$T/edited.export"
sqlite3 "$T/edited.export" "UPDATE checkins SET attendee_id = 'A000007' WHERE seq = (SELECT min(seq) FROM checkins)" ||
	fail "edit"

usb_attach "$(usb_image sign 64)"; dev=$DEV
m=$T/usb/stick
usb_mount "$dev" "$m"
mkdir -p "$m/kith"
here() { sqlite3 -readonly "$A" "SELECT count(*) FROM checkins WHERE kiosk_id <> 'booth-1'"; }
presence() { sqlite3 -readonly "$A" "SELECT count(*) FROM presence"; }
p0=$(presence)
offer() { # export-file name case reason
	rm -f "$m/kith/"checkins-booth-*.sqlite
	cp "$1" "$m/kith/$2" || fail "cp $1"
	sync
	"$DRV" sync "$A" "$m" --kiosk booth-1 >"$OUT" 2>"$T/err.txt"
	expect_grep "$3: named ($4)" "$4" "$OUT"
	expect_eq "$3: no check-in from it" "$(here)" 0
	expect_eq "$3: who is here unchanged" "$(presence)" "$p0"
}
offer "$T/c.db.export" checkins-booth-2.sqlite "claims booth-2, signed by another key" \
	"claims kiosk booth-2 but is signed by another key"
offer "$T/u.db.export" checkins-booth-2.sqlite "unsigned" "not signed by the kiosk it comes from"
offer "$T/edited.export" checkins-booth-2.sqlite "row edited after signing" "changed after kiosk booth-2 signed it"
offer "$T/d.db.export" checkins-booth-4.sqlite "unknown kiosk" "kept aside.*booth-4.*pair it"
expect_eq "unknown kiosk: its key is offered for pairing" "$(sqlite3 -readonly "$A" \
	"SELECT value FROM meta WHERE key = 'pair_offer.booth-4'")" "$(cat "$T/d.db.key.pub")"
expect_eq "unknown kiosk: its file stays on the stick" "$(ls "$m/kith/" | grep -c booth-4)" 1

rm -f "$m/kith/"checkins-booth-*.sqlite
cp "$T/b.db.export" "$m/kith/checkins-booth-2.sqlite"
sync
"$DRV" sync "$A" "$m" --kiosk booth-1 >"$OUT" 2>"$T/err.txt" || { cat "$OUT"; fail "good file: exit $?"; }
expect_grep "booth-2's signed file merged" "merged_files=1 added=30" "$OUT"
expect_eq "booth-2's check-ins are in" "$(here)" 30
expect_eq "booth-1's own export on the stick is signed" "$(sqlite3 -readonly \
	"$m/kith/checkins-booth-1.sqlite" "SELECT count(*) FROM signature")" 1
usb_umount "$m"

echo "== kioskctl merge on the organiser's laptop"
cd "$T" || fail "cd"
"$K" merge all.sqlite b.db.export >"$OUT" 2>&1 || { cat "$OUT"; fail "merge signed: exit $?"; }
grep -q "signed by kiosk booth-2" "$OUT" || fail "merge does not name the signer: $(cat "$OUT")"
"$K" merge all.sqlite edited.export >"$OUT" 2>&1 && fail "merge took an edited file"
grep -q "changed after" "$OUT" || fail "no reason: $(cat "$OUT")"
"$K" merge all.sqlite u.db.export >"$OUT" 2>&1 && fail "merge took an unsigned file without --accept-unsigned"
"$K" merge --accept-unsigned all.sqlite u.db.export >"$OUT" 2>&1 || { cat "$OUT"; fail "merge --accept-unsigned"; }
grep -q "warning.*unsigned" "$OUT" || fail "no warning: $(cat "$OUT")"
echo "signed kiosk files: forged, unsigned, edited and unknown files kept out"
