#!/bin/sh
# kioskctl export / merge: the export holds every check-in with ISO 8601 UTC times and the
# names to read it alone; a failed export leaves no file; merge is a union that never loses or
# duplicates a row, is idempotent and order-independent, and rejects junk without touching OUT.
# kith-test: asan
set -u
. "$(dirname "$0")/lib/cli.inc"
rows() { sqlite3 "$1" "SELECT kiosk_id, seq, attendee_id, checked_in_at FROM checkins ORDER BY 1, 2" | sha256sum; }

expect_rc 2 "$K" export
expect_rc 2 "$K" export only-one.db
expect_rc 2 "$K" merge out.sqlite
expect_rc 1 "$K" export missing.db x.sqlite
[ ! -e x.sqlite ] && [ ! -e missing.db ] && ok "export of a missing db creates nothing" || fail "files created"

NOW=1779015600
"$K" demo k.db --attendees 300 --checkins 500 --now $NOW --tz Europe/Berlin || fail "demo"
n=$(q k.db 'SELECT count(*) FROM checkins')
kbefore=$(sha k.db)
expect_rc 0 "$K" export k.db a.sqlite
same "kiosk db only read" "$(sha k.db)" "$kbefore"
same "every check-in exported" "$(q a.sqlite 'SELECT count(*) FROM checkins')" "$n"
same "quick_check" "$(q a.sqlite 'PRAGMA quick_check')" ok
same "ISO 8601 UTC times" "$(q a.sqlite "SELECT count(*) FROM checkins WHERE checked_in_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]Z'")" "$n"
same "times agree with the kiosk" "$(q a.sqlite "SELECT checked_in_at FROM checkins WHERE kiosk_id='foyer-a' AND seq=1")" "$(q k.db "SELECT strftime('%Y-%m-%dT%H:%M:%SZ', checked_in_at, 'unixepoch') FROM checkins WHERE kiosk_id='foyer-a' AND seq=1")"
same "names travel with the export" "$(q a.sqlite "SELECT count(*) FROM checkins c JOIN attendees a USING (attendee_id) WHERE a.name <> ''")" "$n"
ls ./*.tmp* ./.*tmp* >/dev/null 2>&1 && fail "temp files left: $(ls -a)" || ok "no temp files left"
expect_rc 1 "$K" export k.db no-such-dir/a.sqlite
[ ! -e no-such-dir ] && ok "failed export leaves nothing" || fail "no-such-dir appeared"
abefore=$(sha a.sqlite)
expect_rc 1 "$K" export junk.db a.sqlite
same "failed export leaves the previous file" "$(sha a.sqlite)" "$abefore"

# A second kiosk's export: the same rows under other kiosk ids.
# kioskctl export on a laptop has no kiosk key: these files are unsigned (--accept-unsigned).
cp a.sqlite b.sqlite
sqlite3 b.sqlite "UPDATE checkins SET kiosk_id = 'b-' || kiosk_id; UPDATE kiosks SET kiosk_id = 'b-' || kiosk_id;" || fail "making b"
expect_rc 0 "$K" merge --accept-unsigned m.sqlite a.sqlite b.sqlite
same "merge reports new rows" "$(cat out)" "a.sqlite: $n new check-ins
b.sqlite: $n new check-ins"
same "union" "$(q m.sqlite 'SELECT count(*) FROM checkins')" "$((n * 2))"
msum=$(rows m.sqlite)
expect_rc 0 "$K" merge --accept-unsigned m.sqlite b.sqlite a.sqlite
same "merging again adds nothing" "$(cat out)" "b.sqlite: 0 new check-ins
a.sqlite: 0 new check-ins"
same "idempotent" "$(rows m.sqlite)" "$msum"
expect_rc 0 "$K" merge --accept-unsigned m2.sqlite b.sqlite a.sqlite
same "order does not matter" "$(rows m2.sqlite)" "$msum"

mbefore=$(sha m.sqlite)
echo "this is not sqlite" >junk.sqlite
expect_rc 1 "$K" merge --accept-unsigned m.sqlite junk.sqlite
grep -q '^junk.sqlite: not merged: ' err && ok "junk named" || { fail "junk message"; cat err; }
expect_rc 1 "$K" merge --accept-unsigned m.sqlite m.sqlite
expect_rc 1 "$K" merge --accept-unsigned m.sqlite k.db a.sqlite
grep -q '^a.sqlite: 0 new check-ins' out && ok "good inputs still merged after a bad one" || { fail "after bad"; cat out err; }
same "bad inputs leave OUT unchanged" "$(sha m.sqlite)" "$mbefore"

expect_rc 0 "$K" report m.sqlite --csv
same "report on a merged export" "$(grep '^total,' out | cut -d, -f4)" "$((n * 2))"
expect_rc 0 "$K" report k.db --csv
same "report on the kiosk db" "$(grep '^total,' out | cut -d, -f4)" "$n"

[ "$fails" -eq 0 ] || { echo "$fails failure(s)"; exit 1; }
echo "all kioskctl export/merge checks passed"
