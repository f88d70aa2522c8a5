#!/bin/sh
# kioskctl init / import-roster / import-schedule against real SQLite files: good input lands
# exactly (Unicode kept byte for byte, local times -> UTC), bad input exits 1 with one
# FILE:LINE line per problem and leaves the database byte-for-byte unchanged, usage exits 2.
# kith-test: asan
set -u
. "$(dirname "$0")/lib/cli.inc"
demo="$top/assets/demo"

# ---- usage errors exit 2 ----------------------------------------------------------------
expect_rc 2 "$K"
expect_rc 2 "$K" no-such-command
expect_rc 2 "$K" init
expect_rc 2 "$K" init a.db b.db
expect_rc 2 "$K" import-roster db.sqlite
expect_rc 2 "$K" import-roster --bogus db.sqlite roster.csv
expect_rc 2 "$K" import-schedule db.sqlite
expect_rc 2 "$K" import-schedule db.sqlite "$demo/schedule.csv" --tz Not/AZone
expect_err "kioskctl: unknown time zone 'Not/AZone' (e.g. Europe/Berlin, America/Chicago)"
expect_rc 0 "$K" --help
grep -q 'badge-write' out && ok "usage lists badge-write" || fail "usage does not list badge-write"
[ ! -e db.sqlite ] && ok "usage errors create nothing" || fail "usage error created db.sqlite"

# ---- init ------------------------------------------------------------------------------
expect_rc 0 "$K" init k.db
# The version the sources declare (branches that add migrations bump it).
same "schema version" "$(q k.db 'PRAGMA user_version')" \
	"$(sed -n 's/^#define STORE_SCHEMA_VERSION \([0-9]*\).*/\1/p' "$top/firmware/store/store.h")"

# ---- roster: the sample imports exactly ---------------------------------------------------
expect_rc 0 "$K" import-roster k.db "$demo/roster.csv"
same "attendee count" "$(q k.db 'SELECT count(*) FROM attendees')" 12
same "CJK name" "$(q k.db "SELECT name FROM attendees WHERE attendee_id='A-00003'")" "田中 花子"
same "Arabic name" "$(q k.db "SELECT name FROM attendees WHERE attendee_id='A-00004'")" "محمد العلي"
same "quoted comma" "$(q k.db "SELECT name FROM attendees WHERE attendee_id='A-00005'")" "O'Connor, Siobhán"
same "visible 1/0/unset" "$(q k.db "SELECT group_concat(visible) FROM (SELECT visible FROM attendees WHERE attendee_id IN ('A-00001','A-00004','A-00005') ORDER BY attendee_id)")" "1,0,-1"
same "UID with spaces" "$(q k.db "SELECT b.uid FROM badges b JOIN attendees a ON a.id=b.attendee WHERE a.attendee_id='A-00005'")" "04A22B1C5D8005"
same "4-byte UID" "$(q k.db "SELECT b.uid FROM badges b JOIN attendees a ON a.id=b.attendee WHERE a.attendee_id='A-00008'")" "DEADBEEF"
same "groups trimmed" "$(q k.db "SELECT group_concat(g.name, '|') FROM (SELECT g.name FROM memberships m JOIN groups g ON g.id=m.group_id JOIN attendees a ON a.id=m.attendee WHERE a.attendee_id='A-00002' ORDER BY g.name) g")" "Digital Humanities SIG|Infopeople"

# ---- Unicode round trip: BOM, CRLF, quotes, newline in a field, emoji, columns reordered ----
printf '\357\273\277Visible,NAME,Attendee_ID,Groups,Ignored Column\r\n' >uni.csv
printf '1,"Zoë ""Z"" Müller",U-1,Café Society; 図書館,x\r\n' >>uni.csv
printf ',"Two\r\nLines 📚",U-2,,\r\n' >>uni.csv
printf '0,عبد الله بن محمد,U-3,CLENE,\r\n' >>uni.csv
expect_rc 0 "$K" import-roster u.db uni.csv
same "quotes and accents" "$(q u.db "SELECT hex(name) FROM attendees WHERE attendee_id='U-1'")" "$(printf 'Zoë "Z" Müller' | od -An -tx1 | tr -d ' \n' | tr a-f A-F)"
same "newline kept inside quotes" "$(q u.db "SELECT hex(name) FROM attendees WHERE attendee_id='U-2'")" "$(printf 'Two\r\nLines 📚' | od -An -tx1 | tr -d ' \n' | tr a-f A-F)"
same "Arabic" "$(q u.db "SELECT name FROM attendees WHERE attendee_id='U-3'")" "عبد الله بن محمد"
same "CJK group" "$(q u.db "SELECT count(*) FROM groups WHERE name='図書館'")" 1

# ---- bad roster: every problem named, nothing written --------------------------------------
before=$(sha k.db)
printf 'attendee_id,name,badge_uid,visible\n' >bad.csv
printf 'B-1,Ann,04:AA:BB:CC,1\n' >>bad.csv                 # 2 fine
printf 'B-2,Bob,04:AA:BB,1\n' >>bad.csv                    # 3 3-byte UID
printf 'B-3,,,\n' >>bad.csv                                # 4 no name
printf 'B-1,Ann again,,\n' >>bad.csv                       # 5 duplicate id
printf 'B-4,Bad \377 byte,,\n' >>bad.csv                   # 6 invalid UTF-8
printf ',Nobody,,\n' >>bad.csv                             # 7 no id
printf 'B-5,Eve,,yes\n' >>bad.csv                          # 8 bad visible
printf 'B-6,"Multi\nline",GG:00:11:22,\n' >>bad.csv        # 9-10 bad UID on a 2-line record
printf 'B-7,"never closed,,\n' >>bad.csv                   # 11 unterminated quote
expect_rc 1 "$K" import-roster k.db bad.csv
expect_err "bad.csv:3: bad badge_uid '04:AA:BB': expected 4, 7 or 10 bytes of hex, e.g. 04:A2:2B:1C:5D:80:00"
expect_err "bad.csv:4: missing name for attendee B-3"
expect_err "bad.csv:5: duplicate attendee_id 'B-1' (first on line 2)"
expect_err "bad.csv:6: invalid UTF-8 in name (field 2); save the file as UTF-8"
expect_err "bad.csv:7: missing attendee_id"
expect_err "bad.csv:8: bad visible 'yes': expected 1, 0 or empty"
expect_err "bad.csv:9: bad badge_uid 'GG:00:11:22': expected 4, 7 or 10 bytes of hex, e.g. 04:A2:2B:1C:5D:80:00"
expect_err "bad.csv:11: unterminated quoted field (the quote opens on line 11)"
expect_problems 8
same "bad roster left the db unchanged" "$(sha k.db)" "$before"

printf 'name,affiliation\nAnn,X\n' >nocol.csv
expect_rc 1 "$K" import-roster k.db nocol.csv
expect_err "nocol.csv:1: missing required column 'attendee_id' in the header"
printf 'attendee_id,name\nA-1,"x"y\n' >stray.csv
expect_rc 1 "$K" import-roster k.db stray.csv
expect_err "stray.csv:2: text after a closing quote (line 2); quote the whole field and double any quote inside it"
: >empty.csv
expect_rc 1 "$K" import-roster k.db empty.csv
expect_err "empty.csv:1: empty file: expected a header row attendee_id,name,affiliation,groups,badge_uid,visible"
printf 'attendee_id,name,Name\nA-1,Ann,Ann\n' >dupcol.csv
expect_rc 1 "$K" import-roster k.db dupcol.csv
expect_err "dupcol.csv:1: column 'Name' appears twice in the header"
expect_rc 1 "$K" import-roster k.db missing.csv
expect_err "missing.csv: cannot open: No such file or directory"
# Rows that clash with the database are found while writing: rolled back, nothing kept.
printf 'attendee_id,name\nN-1,New person\nA-00002,Zoë again\n' >clash.csv
expect_rc 1 "$K" import-roster k.db clash.csv
expect_err "clash.csv:3: attendee_id 'A-00002' is already in the database"
same "clash rolled back" "$(sha k.db)" "$before"
same "N-1 not imported" "$(q k.db "SELECT count(*) FROM attendees WHERE attendee_id='N-1'")" 0
expect_rc 1 "$K" import-roster fresh.db bad.csv
[ ! -e fresh.db ] && ok "failed import creates no database" || fail "failed import left fresh.db"

# ---- schedule CSV: local time in the conference zone -> UTC ----------------------------------
expect_rc 0 "$K" import-schedule s.db "$demo/schedule.csv" --tz Europe/Berlin
same "sessions" "$(q s.db 'SELECT count(*) FROM sessions')" 6
same "09:00 Berlin (CEST) is 07:00 UTC" "$(q s.db "SELECT start_at, end_at FROM sessions WHERE session_id='S-0001'")" "1778742000|1778745600"
same "timezone stored" "$(q s.db "SELECT value FROM meta WHERE key='timezone'")" "Europe/Berlin"
same "quoted title" "$(q s.db "SELECT title FROM sessions WHERE session_id='S-0003'")" 'Linked data in the catalogue: "what we learned"'
same "session groups" "$(q s.db "SELECT count(*) FROM session_groups")" 7
# Without --tz the stored conference zone applies.
printf 'session_id,title,room,start,end\nS-9,Late,Hall A,2026-05-14T23:30,2026-05-15T00:15\n' >late.csv
expect_rc 0 "$K" import-schedule s.db late.csv
same "stored zone used" "$(q s.db "SELECT start_at FROM sessions WHERE session_id='S-9'")" 1778794200

before=$(sha s.db)
printf 'session_id,title,track,room,start,end,speakers,groups\n' >bads.csv
printf 'X-1,Backwards,,Hall A,2026-05-14T10:00,2026-05-14T09:00,,\n' >>bads.csv
printf 'X-2,Bad date,,Hall A,2026-02-30T10:00,2026-05-14T11:00,,\n' >>bads.csv
printf 'X-1,Duplicate,,Hall A,2026-05-14T12:00,2026-05-14T13:00,,\n' >>bads.csv
printf 'X-3,Zero length,,Hall A,2026-05-14T12:00,2026-05-14T12:00,,\n' >>bads.csv
expect_rc 1 "$K" import-schedule s.db bads.csv --tz UTC
expect_err "bads.csv:2: session 'X-1' ends (2026-05-14 09:00 UTC) before it starts (2026-05-14 10:00 UTC)"
expect_err "bads.csv:3: bad start time '2026-02-30T10:00': expected ISO 8601 like 2026-05-14T09:30"
expect_err "bads.csv:4: duplicate session id 'X-1' (first on line 2)"
expect_err "bads.csv:5: session 'X-3' ends when it starts (2026-05-14 12:00 UTC)"
expect_problems 4
same "bad schedule left the db unchanged" "$(sha s.db)" "$before"
printf 'session_id,title,track,room\n' >nostart.csv
expect_rc 1 "$K" import-schedule s.db nostart.csv --tz UTC
expect_err "nostart.csv:1: missing required column 'start' in the header"
expect_err "nostart.csv:1: missing required column 'end' in the header"

# ---- pretalx schedule.xml: the event's own date wins (a day runs past midnight) -------------
expect_rc 0 "$K" import-schedule x.db "$demo/schedule.xml"
same "xml sessions" "$(q x.db 'SELECT count(*) FROM sessions')" 4
same "past midnight belongs to the next date" "$(q x.db "SELECT start_at, end_at FROM sessions WHERE session_id='102'")" "1778797800|1778803200"
same "xml zone" "$(q x.db "SELECT value FROM meta WHERE key='timezone'")" "Europe/Berlin"
same "xml conference" "$(q x.db "SELECT value FROM meta WHERE key='conference_name'")" "Library Learning Summit 2026"
same "xml persons" "$(q x.db "SELECT speakers FROM sessions WHERE session_id='102'")" "田中 花子; Zoë Müller"
same "CDATA title" "$(q x.db "SELECT title FROM sessions WHERE session_id='103'")" "Storytime for multilingual families — أهلاً وسهلاً"

before=$(sha x.db)
printf '<?xml version="1.0"?>\n<schedule>\n  <day date="2026-05-14">\n    <room name="R" oops>\n    </room>\n  </day>\n</schedule>\n' >broken.xml
expect_rc 1 "$K" import-schedule x.db broken.xml
grep -qE '^broken.xml:4: XML error: ' err && ok "XML syntax error names line 4" || { fail "XML syntax line"; cat err; }
printf '<?xml version="1.0"?>\n<!DOCTYPE schedule [<!ENTITY a "aaaaaaaa">]>\n<schedule/>\n' >doctype.xml
expect_rc 1 "$K" import-schedule x.db doctype.xml
expect_err "doctype.xml:1: a DOCTYPE is not accepted in a schedule (entities are not expanded)"
printf '<schedule>\n<day date="2026-05-14">\n<room name="R">\n<event id="7">\n<date>2026-05-14T10:00:00+02:00</date>\n<duration>soon</duration>\n<title>t</title>\n</event>\n</room>\n</day>\n</schedule>\n' >baddur.xml
expect_rc 1 "$K" import-schedule x.db baddur.xml
expect_err "baddur.xml:4: bad event duration 'soon': expected HH:MM"
printf '<schedule>\n<day date="2026-05-14">\n<room name="R">\n<event id="8">\n<duration>01:00</duration>\n<title>t</title>\n</event>\n</room>\n</day>\n</schedule>\n' >notime.xml
expect_rc 1 "$K" import-schedule x.db notime.xml
expect_err "notime.xml:4: event has neither <date> nor a day date with <start>"
same "bad xml left the db unchanged" "$(sha x.db)" "$before"

# ---- pretalx schedule.json ------------------------------------------------------------------
expect_rc 0 "$K" import-schedule j.db "$demo/schedule.json"
same "json sessions" "$(q j.db 'SELECT count(*) FROM sessions')" 4
same "json past midnight" "$(q j.db "SELECT start_at FROM sessions WHERE session_id='202'")" 1778822100
same "json emoji title" "$(q j.db "SELECT title FROM sessions WHERE session_id='202'")" "Night Owls: 📚 midnight reading marathon"
same "json zone" "$(q j.db "SELECT value FROM meta WHERE key='timezone'")" "America/Chicago"
before=$(sha j.db)
printf '{\n  "schedule": {\n    "conference": {\n      "title": "x",,\n' >broken.json
expect_rc 1 "$K" import-schedule j.db broken.json
grep -qE '^broken.json:4: JSON error: ' err && ok "JSON syntax error names line 4" || { fail "JSON syntax line"; cat err; }
printf '{"schedule": {"conference": {"days": [\n {"date": "2026-05-14", "rooms": {"R": [\n  {"id": 1, "date": "2026-05-14T10:00:00Z", "duration": "01:00", "title": "A"},\n  {"id": 1, "date": "2026-05-14T11:00:00Z", "duration": "00:30", "title": "B"}\n ]}}]}}}\n' >dup.json
expect_rc 1 "$K" import-schedule j.db dup.json
expect_err "dup.json:4: duplicate session id '1' (first on line 3)"
printf '{"schedule": {"conference": {"days": [\n {"date": "2026-05-14", "rooms": {"R": [\n  {"id": 2, "duration": "01:00", "title": "C"}\n ]}}]}}}\n' >notime.json
expect_rc 1 "$K" import-schedule j.db notime.json
expect_err 'notime.json:3: event has neither "date" nor a day date with "start"'
same "bad json left the db unchanged" "$(sha j.db)" "$before"

# ---- abstracts (issue 14): CSV column, frab <abstract>/<description>, pretalx JSON ----------
printf 'session_id,title,room,start,end,abstract\n' >abs.csv
printf 'A-1,With abstract,Hall A,2026-05-14T10:00,2026-05-14T11:00,"First line, quoted.\nSecond — línea 二."\n' >>abs.csv
printf 'A-2,Without,Hall A,2026-05-14T11:00,2026-05-14T12:00,\n' >>abs.csv
expect_rc 0 "$K" import-schedule a.db abs.csv --tz UTC
same "csv abstract, newline kept" "$(q a.db "SELECT hex(abstract) FROM sessions WHERE session_id='A-1'")" "$(printf 'First line, quoted.\nSecond — línea 二.' | od -An -tx1 | tr -d ' \n' | tr a-f A-F)"
same "csv no abstract is empty" "$(q a.db "SELECT abstract FROM sessions WHERE session_id='A-2'")" ""
same "old CSV without the column still imports" "$(q s.db "SELECT count(*) FROM sessions WHERE abstract = ''")" "$(q s.db 'SELECT count(*) FROM sessions')"
printf '<schedule>\n<day date="2026-05-14">\n<room name="R">\n<event id="1"><date>2026-05-14T10:00:00+02:00</date><duration>01:00</duration><title>a</title>\n<abstract>Short &amp; sweet.</abstract><description>The long one.</description></event>\n<event id="2"><date>2026-05-14T11:00:00+02:00</date><duration>01:00</duration><title>b</title><abstract/><description><![CDATA[Only a <description>.]]></description></event>\n</room>\n</day>\n</schedule>\n' >abs.xml
expect_rc 0 "$K" import-schedule ax.db abs.xml --tz UTC
same "xml <abstract> wins" "$(q ax.db "SELECT abstract FROM sessions WHERE session_id='1'")" "Short & sweet."
same "xml <description> stands in" "$(q ax.db "SELECT abstract FROM sessions WHERE session_id='2'")" "Only a <description>."
printf '{"schedule": {"conference": {"days": [\n {"date": "2026-05-14", "rooms": {"R": [\n  {"id": 1, "date": "2026-05-14T10:00:00Z", "duration": "01:00", "title": "A", "abstract": "Über \\u00e9t\\u00e9.\\nZwei", "description": "no"},\n  {"id": 2, "date": "2026-05-14T11:00:00Z", "duration": "01:00", "title": "B", "abstract": null, "description": "Desc only"},\n  {"id": 3, "date": "2026-05-14T12:00:00Z", "duration": "01:00", "title": "C"}\n ]}}]}}}\n' >abs.json
expect_rc 0 "$K" import-schedule aj.db abs.json
same "json abstract" "$(q aj.db "SELECT hex(abstract) FROM sessions WHERE session_id='1'")" "$(printf 'Über été.\nZwei' | od -An -tx1 | tr -d ' \n' | tr a-f A-F)"
same "json description stands in" "$(q aj.db "SELECT abstract FROM sessions WHERE session_id='2'")" "Desc only"
same "json no abstract" "$(q aj.db "SELECT abstract FROM sessions WHERE session_id='3'")" ""
# Too long, or with a control character: named, and nothing written.
before=$(sha a.db)
long=$(head -c 5000 /dev/zero | tr '\0' 'x')
printf 'session_id,title,room,start,end,abstract\nL-1,Long,Hall A,2026-05-14T10:00,2026-05-14T11:00,%s\n' "$long" >long.csv
expect_rc 1 "$K" import-schedule a.db long.csv --tz UTC
expect_err "long.csv:2: abstract of session 'L-1' is 5000 bytes; the kiosk shows at most 4095: shorten it"
printf 'session_id,title,room,start,end,abstract\nC-1,Ctl,Hall A,2026-05-14T10:00,2026-05-14T11:00,bell \007 here\n' >ctl.csv
expect_rc 1 "$K" import-schedule a.db ctl.csv --tz UTC
grep -q "^ctl.csv:2: control character U+0007 in field 6 (abstract)" err && ok "control character in abstract named" || { fail "control character in abstract"; cat err; }
printf '<schedule><day date="2026-05-14"><room name="R"><event id="9"><date>2026-05-14T10:00:00Z</date><duration>01:00</duration><title>t</title><abstract>%s</abstract></event></room></day></schedule>\n' "$long" >long.xml
expect_rc 1 "$K" import-schedule a.db long.xml
expect_err "long.xml:1: abstract of session '9' is 5000 bytes; the kiosk shows at most 4095: shorten it"
same "bad abstracts left the db unchanged" "$(sha a.db)" "$before"
# A schema-1 database (before abstracts) migrates on the next import and keeps its sessions.
expect_rc 0 "$K" import-schedule v1.db "$demo/schedule.csv" --tz Europe/Berlin
# The SQL that takes a database back to v1 is kept in one place, for the unit tests too.
v1_sql=$(sed -n 's/^[[:space:]]*"\(.*\)"[[:space:]]*\\\{0,1\}$/\1/p' "$top/tests/unit/schema_v1.h" | tr '\n' ' ')
sqlite3 v1.db "$v1_sql" || fail "making a v1 file"
same "v1 file has no abstract column" "$(q v1.db "SELECT count(*) FROM pragma_table_info('sessions') WHERE name='abstract'")" 0
expect_rc 0 "$K" import-schedule v1.db abs.csv --tz UTC
same "v1 migrated to the current version" "$(q v1.db 'PRAGMA user_version')" \
	"$(sed -n 's/^#define STORE_SCHEMA_VERSION \([0-9]*\).*/\1/p' "$top/firmware/store/store.h")"
same "v1 sessions kept" "$(q v1.db 'SELECT count(*) FROM sessions')" 8
same "v1 gets abstracts" "$(q v1.db "SELECT abstract FROM sessions WHERE session_id='A-2'")|$(q v1.db "SELECT length(abstract) > 10 FROM sessions WHERE session_id='A-1'")" "|1"

[ "$fails" -eq 0 ] || { echo "$fails failure(s)"; exit 1; }
echo "all kioskctl import checks passed"
