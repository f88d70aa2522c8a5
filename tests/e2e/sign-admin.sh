#!/bin/sh
# The admin screen's signatures view (docs/THREAT-MODEL.md), behind the PIN: it shows the
# conference key the kiosk trusts by fingerprint, the badge policy and badges refused by
# reason; "Trust key ..." takes the key of a bundle that was refused for its signer, and
# "Pair booth-4 ..." trusts a kiosk whose files were kept aside. Both decisions land in the
# kiosk's database; no text overlaps or is cut (800x480).
# kith-test: asan
set -u
. "$(dirname "$0")/browse-lib.inc"
bt_require

K=$BUILD/kioskctl
for k in conf other kiosk4; do "$K" keys init "$KT_TMP/$k.key" >/dev/null || kt_fail "keys $k"; done
fp() { "$K" keys show "$KT_TMP/$1.key.pub" | sed -n 's/^fingerprint //p'; }
KT_DB=$KT_TMP/admin.db
kt_fixture "$KT_DB"
sqlite3 "$KT_DB" "INSERT OR REPLACE INTO meta VALUES
	('trust_conference_key', '$(cat "$KT_TMP/conf.key.pub")'),
	('trust_conference_key_offered', '$(cat "$KT_TMP/other.key.pub")'),
	('pair_offer.booth-4', '$(cat "$KT_TMP/kiosk4.key.pub")'),
	('badge_refused_unsigned', '2'), ('badge_refused_uid-mismatch', '1')" || kt_fail "meta"
KT_CONF_EXTRA="admin_pin = 4711"
size=800x480
bt_start $size

xdotool mousemove --sync 3 477 mousedown 1
kt_wait_screen admin-pin 8 || kt_fail "the corner hold did not open the PIN pad"
xdotool mouseup 1
for d in 4 7 1 1; do bt_click key "$d"; done
bt_click key OK
kt_wait_screen admin || kt_fail "the PIN did not open the board"
bt_click button "Signatures"
kt_wait_screen admin-signatures || kt_fail "the signatures view did not open"
kt_wait_text "Conference key: $(fp conf)" || kt_fail "no conference key fingerprint"
kt_has_text "Badge policy: signed-or-roster-uid" || kt_fail "no (default) badge policy"
kt_has_text "2 unsigned" || kt_fail "refusals by reason not shown"
kt_has_text "1 copied" || kt_fail "copied badges not shown"
bt_has button "Pair booth-4 (key $(fp kiosk4))" || kt_fail "no pairing button for booth-4"
bt_has button "Trust key $(fp other)" || kt_fail "no button for the offered key"
bt_layout_ok "signatures view"
[ -n "${SIGN_SHOT:-}" ] && import -window root "$SIGN_SHOT"

bt_click button "Pair booth-4"
kt_until 10 '[ "$(sqlite3 "$KT_DB" "SELECT value FROM meta WHERE key = '"'"'trust_kiosk_key.booth-4'"'"'")" = "$(cat "$KT_TMP/kiosk4.key.pub")" ]' ||
	kt_fail "pairing did not trust booth-4's key"
kt_until 10 '! bt_has button "Pair booth-4 (key $(fp kiosk4))"' || kt_fail "the paired kiosk is still offered"
bt_click button "Trust key"
kt_until 10 '[ "$(sqlite3 "$KT_DB" "SELECT value FROM meta WHERE key = '"'"'trust_conference_key'"'"'")" = "$(cat "$KT_TMP/other.key.pub")" ]' ||
	kt_fail "the offered key was not trusted"
kt_wait_text "Conference key: $(fp other)" || kt_fail "the view does not show the new key"
bt_click button "‹ Back"
kt_wait_screen admin || kt_fail "Back did not return to the board"
bt_stop
echo "signatures view: key, refusals, pairing and key change behind the PIN"
