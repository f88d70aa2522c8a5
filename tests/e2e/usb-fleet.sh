#!/bin/sh
# The fleet file (kith/fleet.json) and this kiosk's Syncthing identity
# (kith/identities/<id>/) on a real stick (docs/CONTRACT.md "Fleet file"):
# - a fleet made by `kioskctl fleet new` (real `syncthing generate`) is stored beside the
#   kiosk database byte for byte, with the identity; meta says which version;
# - the same fleet again is left alone; a kiosk added mid-conference (`kioskctl fleet new`
#   again with one more --kiosk) gives a newer fleet that replaces it, the old kiosks keep their
#   device IDs, and `kioskctl fleet config` on the stored files gives the new kiosk's folder;
# - refused whole, named on the sync card and in meta, nothing stored changed: malformed,
#   a kiosk id twice, one device ID twice, a stranger (a device ID with a wrong check
#   character), a fleet without this kiosk, an identity that is another kiosk's, too large;
# - with a trusted conference key: an unsigned fleet, one signed by another key and a tampered
#   one are refused; one signed by the key (kith/fleet.json.sig) is taken, and the kiosk
#   signing keys it lists (kioskctl fleet new --sign-key) become the keys their files need.
# Needs root and loop devices (CI has both) and syncthing; skips loudly otherwise.
# kith-test: asan
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/e2e/usb-lib.inc"
command -v syncthing >/dev/null || skip "syncthing missing: tools/install-deps.sh"
KCTL=$BUILD/kioskctl
[ -x "$KCTL" ] || fail "$KCTL not built (make)"
usb_setup

DB=$T/data/kiosk.db
OUT=$T/out.txt
mkdir -p "$T/data"
"$DRV" gen "$DB" --kiosk hall-b --attendees 50 --checkins 200 >/dev/null || fail "gen kiosk"
checkins=$(count "$DB")
FL=$T/fleet

# Syncthing writes its identities under HOME/.config when asked for nothing else: keep it here.
HOME=$T/home; export HOME
"$KCTL" fleet new "$FL" --kiosk "hall-a=Hall A, east entrance@tcp://169.254.10.1:22000" \
	--kiosk "hall-b=Hall B (Zoë's level)" --organiser laptop >"$T/new.txt" 2>&1 ||
	{ cat "$T/new.txt"; fail "kioskctl fleet new"; }
expect_grep "fleet new: three identities" "laptop: new identity" "$T/new.txt"
"$KCTL" fleet check "$FL/fleet.json" hall-b >/dev/null || fail "kioskctl fleet check"
dev_a=$(sed -n 's/.*"kiosk_id": "hall-a", "device_id": "\([A-Z0-9-]*\)".*/\1/p' "$FL/fleet.json")
dev_b=$(sed -n 's/.*"kiosk_id": "hall-b", "device_id": "\([A-Z0-9-]*\)".*/\1/p' "$FL/fleet.json")
[ -n "$dev_a" ] && [ -n "$dev_b" ] || fail "no device IDs in fleet.json"

usb_attach "$(usb_image fleet 32)"; dev=$DEV
m=$T/usb/stick
usb_mount "$dev" "$m"
mkdir -p "$m/kith"

put_identity() { # from-kiosk-dir
	rm -rf "$m/kith/identities"
	mkdir -p "$m/kith/identities/hall-b"
	cp "$1/cert.pem" "$1/key.pem" "$m/kith/identities/hall-b/" || fail "cp identity"
}
sync_stick() {
	"$DRV" sync "$DB" "$m" --kiosk hall-b >"$OUT" 2>"$T/err.txt"
}
meta() {
	sqlite3 -readonly "$DB" "SELECT value FROM meta WHERE key = '$1'"
}
stored_is() { # file what
	cmp -s "$1" "$T/data/fleet.json" || fail "$2: the kiosk's fleet.json is not $1"
	echo "ok: $2: the kiosk keeps $1 byte for byte"
}

echo "== a good fleet with this kiosk's identity"
cp "$FL/fleet.json" "$m/kith/fleet.json"
put_identity "$FL/hall-b"
sync_stick || { cat "$OUT" "$T/err.txt"; fail "good fleet: exit $?"; }
stored_is "$FL/fleet.json" good
cmp -s "$FL/hall-b/cert.pem" "$T/data/syncthing-identity/cert.pem" || fail "good: cert not stored"
cmp -s "$FL/hall-b/key.pem" "$T/data/syncthing-identity/key.pem" || fail "good: key not stored"
expect_eq "good: the key is private" "$(stat -c %a "$T/data/syncthing-identity/key.pem")" 600
expect_eq "good: meta fleet_version" "$(meta fleet_version)" 1
expect_eq "good: meta fleet_last_result" "$(meta fleet_last_result)" ok
expect_grep "good: the log names this kiosk's device" "this kiosk is $dev_b" "$T/err.txt"
expect_grep "good: the card says safe" "Safe to remove" "$OUT"
cp "$T/data/fleet.json" "$T/v1.json"

echo "== the same fleet again: left alone"
sync_stick || fail "same fleet: exit $?"
expect_grep "same: not newer" "version 1; the kiosk has 1" "$T/err.txt"
stored_is "$T/v1.json" same

echo "== a kiosk added mid-conference"
"$KCTL" fleet new "$FL" --kiosk "hall-a=Hall A, east entrance@tcp://169.254.10.1:22000" \
	--kiosk "hall-b=Hall B (Zoë's level)" --kiosk "foyer=Foyer, level 0" \
	--organiser laptop >"$T/new2.txt" 2>&1 || { cat "$T/new2.txt"; fail "fleet new, again"; }
expect_grep "added: only the new kiosk gets a new identity" "^foyer: new identity" "$T/new2.txt"
grep -q "hall-a: new identity" "$T/new2.txt" && fail "added: hall-a got a new identity"
grep -q "\"$dev_a\"" "$FL/fleet.json" || fail "added: hall-a's device ID changed"
grep -q "\"$dev_b\"" "$FL/fleet.json" || fail "added: hall-b's device ID changed"
expect_grep "added: fleet_version 2" '"fleet_version": 2' "$FL/fleet.json"
cp "$FL/fleet.json" "$m/kith/fleet.json"
sync_stick || { cat "$OUT" "$T/err.txt"; fail "added: exit $?"; }
stored_is "$FL/fleet.json" added
expect_eq "added: meta fleet_version" "$(meta fleet_version)" 2
# What the Syncthing service does at start: this kiosk's config from the stored files.
cp -r "$T/data/syncthing-identity" "$T/st-b"
"$KCTL" fleet config "$T/data/fleet.json" hall-b "$T/st-b" --folders /var/lib/kith/lan \
	>"$T/cfg.txt" 2>&1 || { cat "$T/cfg.txt"; fail "fleet config"; }
grep -q 'id="kith-foyer".*type="receiveonly"' "$T/st-b/config.xml" ||
	fail "added: no receive-only kith-foyer folder in hall-b's config"
grep -q 'id="kith-hall-b".*type="sendonly"' "$T/st-b/config.xml" ||
	fail "added: hall-b's own folder is not send-only"
echo "ok: added: hall-b's Syncthing config has the new kiosk's folder"
cp "$T/data/fleet.json" "$T/v2.json"

refused() { # case-name reason-pattern
	sync_stick; rc=$?
	expect_eq "$1: exit code (6 = conference data refused)" "$rc" 6
	expect_grep "$1: the card says the fleet was not used" "fleet file on the stick was not used" "$OUT"
	expect_grep "$1: the card says why ($2)" "$2" "$OUT"
	expect_grep "$1: the log says why" "fleet.json refused: .*$2" "$T/err.txt"
	expect_eq "$1: meta says refused" "$(meta fleet_last_result)" refused
	expect_eq "$1: meta keeps the version" "$(meta fleet_version)" 2
	stored_is "$T/v2.json" "$1"
	cmp -s "$FL/hall-b/cert.pem" "$T/data/syncthing-identity/cert.pem" ||
		fail "$1: the stored identity changed"
	expect_eq "$1: check-ins untouched" "$(count "$DB")" "$checkins"
}
bump() { # fleet.json with fleet_version 3 -> stdout
	sed 's/"fleet_version": 2/"fleet_version": 3/' "$FL/fleet.json"
}

echo "== malformed"
head -c 300 "$FL/fleet.json" >"$m/kith/fleet.json"
refused malformed "not valid JSON"

echo "== a kiosk id twice"
bump | sed 's/"kiosk_id": "foyer"/"kiosk_id": "hall-a"/' >"$m/kith/fleet.json"
refused dup-id "kiosk id 'hall-a' is listed twice"

echo "== one device ID twice"
bump | sed "s/\"kiosk_id\": \"foyer\", \"device_id\": \"[A-Z0-9-]*\"/\"kiosk_id\": \"foyer\", \"device_id\": \"$dev_a\"/" \
	>"$m/kith/fleet.json"
refused dup-device "have the same device ID"

echo "== a stranger: a device ID whose check character is wrong"
last=$(printf %s "$dev_a" | tail -c 1)
other=A; [ "$last" = A ] && other=B
bump | sed "s/$dev_a/$(printf %s "$dev_a" | sed "s/.\$/$other/")/" >"$m/kith/fleet.json"
refused stranger "not a Syncthing device ID"

echo "== a fleet without this kiosk"
bump | grep -v '"kiosk_id": "hall-b"' >"$m/kith/fleet.json"
refused not-listed "does not list this kiosk ('hall-b')"

echo "== another kiosk's identity under this kiosk's name"
bump >"$m/kith/fleet.json"
put_identity "$FL/hall-a"
refused wrong-identity "the identity for 'hall-b' on the stick is device"

echo "== bigger than a fleet file may be"
rm -rf "$m/kith/identities"
{ bump; head -c 300000 /dev/zero | tr '\0' ' '; } >"$m/kith/fleet.json"
refused too-large "too large"

echo "== a kiosk that trusts a conference key takes only a fleet signed by it (issue 16)"
"$KCTL" keys init "$T/conf.key" >/dev/null || fail "keys init"
"$KCTL" keys init "$T/other.key" >/dev/null || fail "keys init other"
sqlite3 "$DB" "INSERT OR REPLACE INTO meta(key, value) VALUES ('trust_conference_key', '$(cat "$T/conf.key.pub")')" ||
	fail "trusting the conference key"
bump >"$m/kith/fleet.json"
refused unsigned "fleet.json has no signature"
"$KCTL" sign "$m/kith/fleet.json" --key "$T/other.key" >/dev/null || fail "sign with the other key"
refused foreign-key "not signed by the conference key"
"$KCTL" sign "$m/kith/fleet.json" --key "$T/conf.key" >/dev/null || fail "sign"
sed 's/Foyer, level 0/Foyer, level 9/' "$m/kith/fleet.json" >"$T/tampered.json" &&
	cp "$T/tampered.json" "$m/kith/fleet.json"
refused tampered "not signed by the conference key"
# The organiser lists hall-a's signing key (its <database>.key.pub) in the next fleet.
"$KCTL" fleet new "$FL" --kiosk "hall-a=Hall A, east entrance@tcp://169.254.10.1:22000" \
	--kiosk "hall-b=Hall B (Zoë's level)" --kiosk "foyer=Foyer, level 0" \
	--organiser laptop --sign-key "hall-a=$T/other.key.pub" >"$T/new3.txt" 2>&1 ||
	{ cat "$T/new3.txt"; fail "fleet new with a signing key"; }
cp "$FL/fleet.json" "$m/kith/fleet.json"
"$KCTL" sign "$m/kith/fleet.json" --key "$T/conf.key" >/dev/null || fail "sign again"
sync_stick || { cat "$OUT" "$T/err.txt"; fail "signed fleet: exit $?"; }
stored_is "$m/kith/fleet.json" signed
expect_eq "signed: meta fleet_version" "$(meta fleet_version)" 3
expect_eq "signed: hall-a's files must be signed with the key the fleet lists" \
	"$(meta trust_kiosk_key.hall-a)" "$(cat "$T/other.key.pub")"

usb_umount "$m"
echo "PASS"
