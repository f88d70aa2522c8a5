#!/bin/sh
# kioskctl demo and report: the demo conference is deterministic for a seed, believable
# (cultures, visibility mix, badges, rooms with outlines, four days from today, check-ins at
# several kiosks), never overwrites data, and report's totals agree with the database.
# kith-test: asan
set -u
. "$(dirname "$0")/lib/cli.inc"

NOW=1779015600 # 2026-05-17 11:00 UTC = 13:00 in Berlin
expect_rc 2 "$K" demo
expect_rc 2 "$K" demo a.db --attendees 0
expect_rc 2 "$K" demo a.db --attendees lots
expect_rc 2 "$K" demo a.db --frobnicate 3
expect_rc 2 "$K" demo a.db --tz Not/AZone
[ ! -e a.db ] && ok "usage errors create nothing" || fail "usage error created a.db"

expect_rc 0 "$K" demo a.db --seed 7 --now $NOW --tz Europe/Berlin
expect_rc 0 "$K" demo b.db --seed 7 --now $NOW --tz Europe/Berlin
expect_rc 0 "$K" demo c.db --seed 8 --now $NOW --tz Europe/Berlin
dump() { sqlite3 "$1" .dump | sha256sum | cut -d' ' -f1; }
same "same seed, same conference" "$(dump a.db)" "$(dump b.db)"
[ "$(dump a.db)" != "$(dump c.db)" ] && ok "another seed, another conference" || fail "seeds 7 and 8 gave the same data"
[ -z "$(ls a.db-* 2>/dev/null)" ] && ok "no side files left" || fail "side files: $(ls a.db-*)"

same "attendees" "$(q a.db 'SELECT count(*) FROM attendees')" 2000
same "ids like A-00001" "$(q a.db "SELECT min(attendee_id) || ' ' || max(attendee_id) FROM attendees")" "A-00001 A-02000"
same "every attendee has a 7-byte badge" "$(q a.db "SELECT count(*) FROM badges WHERE length(uid) = 14 AND uid LIKE '04%'")" 2000
same "groups" "$(q a.db 'SELECT count(*) FROM groups')" 24
for g in CLENE Infopeople ASTD LibraryLearning; do
	positive "members of $g" "$(q a.db "SELECT count(*) FROM memberships m JOIN groups g ON g.id=m.group_id WHERE g.name='$g'")"
done
positive "visible attendees" "$(q a.db 'SELECT count(*) FROM attendees WHERE visible = 1')"
positive "hidden attendees" "$(q a.db 'SELECT count(*) FROM attendees WHERE visible = 0')"
positive "not yet asked" "$(q a.db 'SELECT count(*) FROM attendees WHERE visible = -1')"
positive "CJK names" "$(q a.db "SELECT count(*) FROM attendees WHERE unicode(name) BETWEEN 19968 AND 40959")"
positive "Arabic names" "$(q a.db "SELECT count(*) FROM attendees WHERE unicode(name) BETWEEN 1536 AND 1791")"
positive "accented names" "$(q a.db "SELECT count(*) FROM attendees WHERE name LIKE '%é%' OR name LIKE '%ü%' OR name LIKE '%ñ%'")"
same "rooms with outlines on four floors" "$(q a.db "SELECT count(*), count(DISTINCT floor) FROM rooms WHERE polygon <> '' AND area <> ''")" "16|4"
same "conference name" "$(q a.db "SELECT value FROM meta WHERE key='conference_name'")" "Library Learning Summit 2026"
same "timezone" "$(q a.db "SELECT value FROM meta WHERE key='timezone'")" "Europe/Berlin"
positive "sessions" "$(q a.db 'SELECT count(*) FROM sessions')"
# Four days from today (local): 2026-05-17 .. 2026-05-20 in Berlin.
same "sessions over four days from today" "$(q a.db "SELECT count(DISTINCT date(start_at, 'unixepoch', '+2 hours')) || ' ' || min(date(start_at, 'unixepoch', '+2 hours')) || ' ' || max(date(start_at, 'unixepoch', '+2 hours')) FROM sessions")" "4 2026-05-17 2026-05-20"
same "sessions end after they start" "$(q a.db 'SELECT count(*) FROM sessions WHERE end_at <= start_at')" 0
positive "sessions with groups" "$(q a.db 'SELECT count(*) FROM session_groups')"
same "kiosks" "$(q a.db 'SELECT count(*) FROM kiosks')" 6
positive "check-ins today before now" "$(q a.db "SELECT count(*) FROM checkins WHERE checked_in_at < $NOW AND checked_in_at > $NOW - 86400")"
same "no check-in in the future" "$(q a.db "SELECT count(*) FROM checkins WHERE checked_in_at > $NOW")" 0

# "Now & next" is never empty, whatever the hour someone runs the demo at.
for h in 2 9 13 20 23; do
	now=$((1778968800 + h * 3600)) # local midnight 2026-05-17 in Berlin + h hours
	rm -f n.db
	"$K" demo n.db --attendees 50 --sessions 60 --now $now --tz Europe/Berlin 2>err || fail "demo at ${h}h"
	positive "now & next at ${h}:00" "$(q n.db "SELECT count(*) FROM sessions WHERE end_at > $now AND start_at < $now + 7200")"
done

# Never overwrite data; an empty (init) database is fine.
before=$(sha256sum a.db)
expect_rc 1 "$K" demo a.db --seed 9
grep -q 'already holds 2000 attendees' err && ok "refusal says why" || { fail "refusal message"; cat err; }
same "refused demo left the db unchanged" "$(sha256sum a.db)" "$before"
expect_rc 0 "$K" init e.db
expect_rc 0 "$K" demo e.db --attendees 100 --now $NOW
same "demo into an empty database" "$(q e.db 'SELECT count(*) FROM attendees')" 100

# ---- report --------------------------------------------------------------------------------
expect_rc 2 "$K" report
expect_rc 2 "$K" report a.db --pdf
expect_rc 1 "$K" report missing.db
echo "not a database" >junk.db
expect_rc 1 "$K" report junk.db
expect_rc 0 "$K" report a.db
total=$(q a.db 'SELECT count(*) FROM checkins')
grep -q "^a.db: $total check-ins by " out && ok "report headline" || { fail "report headline"; head -3 out; }
grep -q '^Per group' out && grep -q '^Per day' out && grep -q '^Per hour' out && ok "report sections" || fail "report sections"
expect_rc 0 "$K" report a.db --csv
same "csv header" "$(head -1 out)" "section,key,hour,checkins,attendees,time_zone"
same "csv names its zone on every row" "$(tail -n +2 out | cut -d, -f6 | sort -u)" "Europe/Berlin"
same "csv total" "$(grep '^total,' out | cut -d, -f4)" "$total"
same "per-day sum" "$(grep '^day,' out | awk -F, '{s+=$4} END {print s}')" "$total"
same "per-hour sum" "$(grep '^hour,' out | awk -F, '{s+=$4} END {print s}')" "$total"
same "hours in Berlin time" "$(grep '^hour,' out | cut -d, -f2,3 | sort | head -1)" "2026-05-17,07:00"
clene=$(q a.db "SELECT count(*) FROM checkins c JOIN attendees a ON a.attendee_id=c.attendee_id JOIN memberships m ON m.attendee=a.id JOIN groups g ON g.id=m.group_id WHERE g.name='CLENE'")
same "CLENE check-ins" "$(grep '^group,CLENE,' out | cut -d, -f4)" "$clene"
cp out berlin.csv

# The laptop's TZ never moves the buckets: the conference zone is in the database.
expect_rc 0 env TZ=Pacific/Kiritimati "$K" report a.db --csv
same "TZ of the laptop ignored" "$(sha256sum <out)" "$(sha256sum <berlin.csv)"

# With no conference zone: UTC, said on stderr, whatever TZ says.
cp a.db nozone.db
q nozone.db "DELETE FROM meta WHERE key='timezone'"
expect_rc 0 env TZ=America/New_York "$K" report nozone.db --csv
expect_err "kioskctl report: nozone.db names no conference time zone; days and hours are in UTC"
same "no zone: rows say UTC" "$(tail -n +2 out | cut -d, -f6 | sort -u)" "UTC"
same "no zone: first hour bucket in UTC" "$(grep '^hour,' out | cut -d, -f2,3 | sort | head -1)" \
	"$(q nozone.db "SELECT strftime('%Y-%m-%d,%H:00', min(checked_in_at), 'unixepoch') FROM checkins")"
same "no zone: per-hour sum" "$(grep '^hour,' out | awk -F, '{s+=$4} END {print s}')" "$total"
expect_rc 0 env TZ=Asia/Tokyo "$K" report nozone.db
grep -q "(times in UTC)" out && ok "table report says UTC" || { fail "table report zone"; head -1 out; }

# Spreadsheet formula injection: cells starting with = + - @ TAB CR get a ' and quotes.
cp a.db inject.db
q inject.db "UPDATE groups SET name='=cmd|calc!A1' WHERE name='CLENE'"
q inject.db "INSERT INTO groups(name) VALUES ('+1'),('-2'),('@SUM(A1)'),(char(9)||'tab'),(char(13)||'cr')"
q inject.db "INSERT INTO memberships(attendee, group_id) SELECT (SELECT attendee FROM memberships LIMIT 1), id FROM groups WHERE name IN ('+1','-2','@SUM(A1)',char(9)||'tab',char(13)||'cr')"
expect_rc 0 "$K" report inject.db --csv
grep -qxF "group,\"'=cmd|calc!A1\",,$clene,$(grep '^group,CLENE,' berlin.csv | cut -d, -f5),Europe/Berlin" out && ok "= neutralised" || { fail "= not neutralised"; grep cmd out; }
for g in '+1' '-2' '@SUM(A1)'; do
	grep -qF "group,\"'$g\"," out && ok "$g neutralised" || { fail "$g not neutralised"; grep -F "$g" out; }
done
grep -qF "group,\"'$(printf '\t')tab\"," out && ok "TAB neutralised" || fail "TAB not neutralised"
grep -qF "group,\"'$(printf '\r')cr\"," out && ok "CR neutralised" || fail "CR not neutralised"

[ "$fails" -eq 0 ] || { echo "$fails failure(s)"; exit 1; }
echo "all kioskctl demo/report checks passed"
