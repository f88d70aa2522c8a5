#!/bin/sh
# The clock's settings from outside: a malformed KITH_CLOCK (the test clock) or day_starts
# stops the kiosk before it opens anything (exit 2) with one line naming the value and the
# accepted form, FILE:LINE for the config file; kioskctl refuses a malformed KITH_CLOCK the
# same way. A good KITH_CLOCK is logged as a set clock, and kioskctl demo's "now" follows it.
# kith-test: asan
set -u
. "$(dirname "$0")/lib/cli.inc"
KIOSK="$BUILD/kiosk"
[ -x "$KIOSK" ] || { echo "missing $KIOSK"; exit 1; }

for v in 25:00 abc 4:00 24:00 04:60 "04:00 am"; do
	printf 'db = %s/never.db\nday_starts = %s\n' "$T" "$v" >k.conf
	expect_rc 2 env -u KITH_CLOCK "$KIOSK" --config k.conf
	msg="kiosk: error: k.conf:2: day_starts must be a local time HH:MM from 00:00 to 23:59 (e.g. 04:00), not '$v'"
	grep -qF "$msg" err && ok "names k.conf:2 and '$v'" || { fail "missing message: $msg"; cat err; }
done
[ ! -e never.db ] && ok "a bad day_starts opens no database" || fail "a bad day_starts created the database"

accepted="accepted: YYYY-MM-DDTHH:MM:SSZ, YYYY-MM-DDTHH:MM:SS+HH:MM (or -HH:MM), @UNIX_SECONDS, +SECONDS or -SECONDS"
for v in tomorrow 2026-02-29T00:00:00Z "2026-03-29 01:30:00" 2026-03-29T01:30:00 +1h @ 1774747800; do
	expect_rc 2 env KITH_CLOCK="$v" "$KIOSK" --db never.db
	grep -qF "kiosk: error: KITH_CLOCK='$v' is not a time ($accepted)" err &&
		ok "kiosk names KITH_CLOCK='$v' and the accepted forms" || { fail "kiosk message for '$v'"; cat err; }
	expect_rc 2 env KITH_CLOCK="$v" "$K" init never.db
	grep -qF "kioskctl: error: KITH_CLOCK='$v' is not a time ($accepted)" err &&
		ok "kioskctl names KITH_CLOCK='$v'" || { fail "kioskctl message for '$v'"; cat err; }
done
[ ! -e never.db ] && ok "a bad KITH_CLOCK opens no database" || fail "a bad KITH_CLOCK created the database"

# A set clock is loud, and kioskctl demo's "today" is the set day.
expect_rc 0 env KITH_CLOCK=2028-02-29T09:00:00Z "$K" demo d.db --seed 3 --tz Europe/Berlin
grep -q "clock is SET FOR TESTING and reads 2028-02-29T09:00:0[0-9]Z" err &&
	ok "kioskctl warns that its clock is set" || { fail "no set-clock warning"; cat err; }
first=$(q d.db "SELECT date(min(start_at), 'unixepoch') FROM sessions")
same "demo sessions start on the set day" "$first" 2028-02-29
last=$(q d.db "SELECT max(checked_in_at) FROM checkins")
[ "$last" -le $(( $(date -u -d 2028-02-29T09:00:10Z +%s) )) ] && [ "$last" -ge "$(date -u -d 2028-02-29T00:00:00Z +%s)" ] &&
	ok "demo check-ins are before the set instant, that day" || fail "demo check-in at $last"

[ "$fails" -eq 0 ] || { echo "$fails failure(s)"; exit 1; }
echo "all clock settings checks passed"
