#!/bin/sh
# Importers never lose data silently (issue 13): in the roster, schedule CSV, rooms CSV,
# frab/pretalx XML and pretalx JSON, a NUL byte or a C0 control character (other than TAB, LF,
# CR) exits 1 naming the field, a number that would be clamped exits 1, a file that parses to
# nothing exits 1 — each time with the database byte-for-byte unchanged. CR-only files (old
# Mac Excel) import correctly; TAB/LF/CR inside quoted fields are kept as given. A character
# no installed font has is a warning with FILE:LINE and U+XXXX, and the import succeeds.
# kith-test: asan
set -u
. "$(dirname "$0")/lib/cli.inc"
demo="$top/assets/demo"

expect_rc 0 "$K" init k.db
expect_rc 0 "$K" import-roster k.db "$demo/roster.csv"
expect_rc 0 "$K" import-schedule k.db "$demo/schedule.csv" --tz Europe/Berlin
expect_rc 0 "$K" import-rooms k.db "$demo/rooms.csv"
before=$(sha k.db)
# unchanged WHAT: the failed import left k.db byte-for-byte as it was.
unchanged() { same "$1: database unchanged" "$(sha k.db)" "$before"; }

# ---- roster CSV ---------------------------------------------------------------------------
printf 'attendee_id,name\nX-1,Fir\0st\n' >nul.csv
expect_rc 1 "$K" import-roster k.db nul.csv
expect_err "nul.csv:2: NUL byte in field 2 (name); a NUL would cut the text short: remove it, and save the file as UTF-8 (not UTF-16)"
unchanged "roster NUL"
printf 'attendee_id,name,affiliation\nX-1,Ann,ok\nX-2,Bob,"County\nLib\033rary"\n' >esc.csv
expect_rc 1 "$K" import-roster k.db esc.csv
expect_err "esc.csv:3: control character U+001B in field 3 (affiliation); only TAB, LF and CR may appear inside a field"
unchanged "roster ESC"
printf 'attendee_id,name,notes\nX-1,"Bell\007",x\nX-2,Ann,"\001"\n' >bel.csv
expect_rc 1 "$K" import-roster k.db bel.csv
expect_err "bel.csv:2: control character U+0007 in field 2 (name); only TAB, LF and CR may appear inside a field"
expect_err "bel.csv:3: control character U+0001 in field 3 (an ignored column); only TAB, LF and CR may appear inside a field"
unchanged "roster BEL"
printf 'a\0t\0t\0e\0n\0d\0e\0e\0_\0i\0d\0,\0n\0a\0m\0e\0\n\0' >utf16.csv
expect_rc 1 "$K" import-roster k.db utf16.csv
expect_err "utf16.csv:1: NUL byte in the header row; save the file as UTF-8 (not UTF-16)"
unchanged "roster UTF-16"
printf 'attendee_id,name\r\n' >hdronly.csv
expect_rc 1 "$K" import-roster k.db hdronly.csv
expect_err "hdronly.csv: no attendees after the header row"
grep -q 'imported 0' out && fail "header-only roster said imported 0" || ok "no 'imported 0'"
unchanged "roster header only"

# CR-only line endings (old Mac Excel): imported correctly, a quoted CR kept as data.
printf 'attendee_id,name,affiliation\rM-1,Ann,Lib\rM-2,"Bo\rb",x\rM-3,Cy,\r' >mac.csv
expect_rc 0 "$K" init mac.db
expect_rc 0 "$K" import-roster mac.db mac.csv
same "CR-only: all rows" "$(cat out)" "mac.csv: imported 3 attendees into mac.db"
same "CR-only: fields" "$(q mac.db "SELECT group_concat(attendee_id||'='||hex(name)||'/'||affiliation, ' ') FROM (SELECT * FROM attendees ORDER BY attendee_id)")" "M-1=416E6E/Lib M-2=426F0D62/x M-3=4379/"
printf 'attendee_id,name\rM-9,"never closed\r' >macbad.csv
expect_rc 1 "$K" import-roster mac.db macbad.csv
expect_err "macbad.csv:2: unterminated quoted field (the quote opens on line 2)"

# TAB, LF and CR inside a quoted name or affiliation are data: stored exactly as given.
printf 'attendee_id,name,affiliation\nW-1,"Tab\there","County\nLibrary"\nW-2,"Cr\rhere","a\r\nb"\n' >ws.csv
expect_rc 0 "$K" import-roster ws.db ws.csv
same "TAB kept" "$(q ws.db "SELECT hex(name) FROM attendees WHERE attendee_id='W-1'")" "$(printf 'Tab\there' | od -An -tx1 | tr -d ' \n' | tr a-f A-F)"
same "LF kept" "$(q ws.db "SELECT hex(affiliation) FROM attendees WHERE attendee_id='W-1'")" "$(printf 'County\nLibrary' | od -An -tx1 | tr -d ' \n' | tr a-f A-F)"
same "CR kept" "$(q ws.db "SELECT hex(name) FROM attendees WHERE attendee_id='W-2'")" "$(printf 'Cr\rhere' | od -An -tx1 | tr -d ' \n' | tr a-f A-F)"
same "CRLF kept" "$(q ws.db "SELECT hex(affiliation) FROM attendees WHERE attendee_id='W-2'")" "$(printf 'a\r\nb' | od -An -tx1 | tr -d ' \n' | tr a-f A-F)"

# A character no installed font has (U+10FFFD, private use): a warning, and the import succeeds.
printf 'attendee_id,name,affiliation\nF-1,Ann,Lib\nF-2,"Odd \364\217\277\275 name",Lib\n' >glyph.csv
expect_rc 0 "$K" import-roster g.db glyph.csv
if grep -q 'fontconfig lists no fonts' err; then
	echo "skip: fontconfig lists no fonts on this machine; the glyph warning is not checked"
else
	expect_err "glyph.csv:3: warning: no installed font has U+10FFFD in name 'Odd $(printf '\364\217\277\275') name'; the kiosk needs a font for it"
fi
same "glyph: stored anyway" "$(q g.db "SELECT count(*) FROM attendees")" 2

# ---- schedule CSV -------------------------------------------------------------------------
printf 'session_id,title,room,start,end\nS-9,Ti\0tle,Hall A,2026-05-14T10:00,2026-05-14T11:00\n' >snul.csv
expect_rc 1 "$K" import-schedule k.db snul.csv
expect_err "snul.csv:2: NUL byte in field 2 (title); a NUL would cut the text short: remove it, and save the file as UTF-8 (not UTF-16)"
unchanged "schedule CSV NUL"
printf 'session_id,title,room,start,end\nS-9,"Ti\033tle",Hall A,2026-05-14T10:00,2026-05-14T11:00\n' >sesc.csv
expect_rc 1 "$K" import-schedule k.db sesc.csv
expect_err "sesc.csv:2: control character U+001B in field 2 (title); only TAB, LF and CR may appear inside a field"
unchanged "schedule CSV ESC"
printf 'session_id,title,room,start,end\n' >shdr.csv
expect_rc 1 "$K" import-schedule k.db shdr.csv
expect_err "shdr.csv: no sessions after the header row"
unchanged "schedule CSV header only"
printf 'session_id,title,room,start,end\rC-1,One,Hall A,2026-05-14T10:00,2026-05-14T11:00\rC-2,Two,Hall A,2026-05-14T11:00,2026-05-14T12:00\r' >smac.csv
expect_rc 0 "$K" import-schedule smac.db smac.csv --tz UTC
same "schedule CR-only: both sessions" "$(q smac.db "SELECT group_concat(session_id) FROM (SELECT session_id FROM sessions ORDER BY 1)")" "C-1,C-2"
printf 'session_id,title,room,start,end\nG-1,"Talk \364\217\277\275",Hall A,2026-05-14T10:00,2026-05-14T11:00\n' >sglyph.csv
expect_rc 0 "$K" import-schedule sg.db sglyph.csv --tz UTC
grep -q 'fontconfig lists no fonts' err || grep -qF "sglyph.csv:2: warning: no installed font has U+10FFFD in title" err && ok "schedule glyph warning" || { fail "schedule glyph warning"; cat err; }

# ---- rooms CSV ----------------------------------------------------------------------------
printf 'room,floor,area\nHall Z,0,East\0wing\n' >rnul.csv
expect_rc 1 "$K" import-rooms k.db rnul.csv
expect_err "rnul.csv:2: NUL byte in field 3 (area); a NUL would cut the text short: remove it, and save the file as UTF-8 (not UTF-16)"
unchanged "rooms NUL"
printf 'room,floor\n"Hall\033Z",0\n' >resc.csv
expect_rc 1 "$K" import-rooms k.db resc.csv
expect_err "resc.csv:2: control character U+001B in field 1 (room); only TAB, LF and CR may appear inside a field"
unchanged "rooms ESC"
printf 'room,floor\nHall Z,99999999999999999999\n' >rbig.csv
expect_rc 1 "$K" import-rooms k.db rbig.csv
expect_err "rbig.csv:2: floor '99999999999999999999' is not a whole number from -20 to 200 (0 = ground floor)"
unchanged "rooms floor overflow"
printf 'room,floor\rHall Y,0\rHall Z,1\r' >rmac.csv
expect_rc 0 "$K" import-rooms mac.db rmac.csv
same "rooms CR-only" "$(q mac.db "SELECT group_concat(name||'@'||floor) FROM (SELECT * FROM rooms ORDER BY name)")" "Hall Y@0,Hall Z@1"

# ---- frab/pretalx XML ---------------------------------------------------------------------
xml() { # TITLE-BYTES -> a one-event schedule with that title on line 4
	printf '<schedule>\n<conference><title>C</title><time_zone_name>Europe/Berlin</time_zone_name></conference>\n<day date="2026-05-14"><room name="R"><event id="1"><date>2026-05-14T09:00:00+02:00</date><duration>01:00</duration>\n<title>%b</title></event></room></day>\n</schedule>\n' "$1"
}
xml 'Fir\0000st' >nul.xml
expect_rc 1 "$K" import-schedule k.db nul.xml
expect_err "nul.xml:4: NUL byte in field <title>; a NUL would cut the text short: remove it, and save the file as UTF-8 (not UTF-16)"
unchanged "XML NUL"
xml 'Fir\0033st' >esc.xml
expect_rc 1 "$K" import-schedule k.db esc.xml
expect_err "esc.xml:4: control character U+001B in field <title>; only TAB, LF and CR may appear in text"
unchanged "XML ESC"
xml 'Fir&#27;st' >escref.xml
expect_rc 1 "$K" import-schedule k.db escref.xml
expect_err "escref.xml:4: XML error: xmlParseCharRef: invalid xmlChar value 27"
unchanged "XML &#27;"
printf '<schedule>\n<conference><title>C</title></conference>\n</schedule>\n' >none.xml
expect_rc 1 "$K" import-schedule k.db none.xml
expect_err "none.xml: no sessions in the file"
unchanged "XML without events"
xml 'Tab\there, LF\nthere' >ws.xml
expect_rc 0 "$K" import-schedule wsx.db ws.xml
same "XML TAB and LF kept" "$(q wsx.db "SELECT hex(title) FROM sessions")" "$(printf 'Tab\there, LF\nthere' | od -An -tx1 | tr -d ' \n' | tr a-f A-F)"

# ---- pretalx JSON -------------------------------------------------------------------------
json() { # ID TITLE-BYTES -> a one-event schedule.json, the event on line 2
	printf '{"schedule": {"conference": {"title": "C", "time_zone_name": "Europe/Berlin", "days": [{"date": "2026-05-14", "rooms": {"R": [\n{"id": %s, "date": "2026-05-14T09:00:00+02:00", "duration": "01:00", "title": "%b"}\n]}}]}}}\n' "$1" "$2"
}
json 99999999999999999999999999999999 'T' >big.json
expect_rc 1 "$K" import-schedule k.db big.json
expect_err 'big.json:2: number 99999999999999999999999999999999 in field "id" is too large to keep exactly; write it as a string'
unchanged "JSON id overflow"
json -99999999999999999999 'T' >neg.json
expect_rc 1 "$K" import-schedule k.db neg.json
expect_err 'neg.json:2: number -99999999999999999999 in field "id" is too large to keep exactly; write it as a string'
unchanged "JSON negative id overflow"
json 18446744073709551615 'T' >max.json
expect_rc 0 "$K" import-schedule max.db max.json
same "JSON largest id kept exactly" "$(q max.db "SELECT session_id FROM sessions")" 18446744073709551615
json 1 'Fir\0000st' >nul.json
expect_rc 1 "$K" import-schedule k.db nul.json
expect_err 'nul.json:2: NUL byte in field "title"; a NUL would cut the text short: remove it, and save the file as UTF-8'
unchanged "JSON raw NUL"
json 1 'Fir\\u0000st' >u0.json
expect_rc 1 "$K" import-schedule k.db u0.json
expect_err 'u0.json:2: NUL byte (\u0000) in field "title"; a NUL would cut the text short'
unchanged "JSON \\u0000"
json 1 'Fir\0033st' >esc.json
expect_rc 1 "$K" import-schedule k.db esc.json
expect_err 'esc.json:2: control character U+001B in field "title"; only TAB, LF and CR may appear in text'
unchanged "JSON raw ESC"
json 1 'Fir\\u001bst' >u1b.json
expect_rc 1 "$K" import-schedule k.db u1b.json
expect_err 'u1b.json:2: control character U+001B in field "title"; only TAB, LF and CR may appear in text'
unchanged "JSON \\u001b"
printf '{"schedule": {"conference": {"title": "C", "days": []}}}\n' >none.json
expect_rc 1 "$K" import-schedule k.db none.json
expect_err "none.json: no sessions in the file"
unchanged "JSON without events"
json 1 'Tab\\there, LF\\nthere' >ws.json
expect_rc 0 "$K" import-schedule wsj.db ws.json
same "JSON TAB and LF kept" "$(q wsj.db "SELECT hex(title) FROM sessions")" "$(printf 'Tab\there, LF\nthere' | od -An -tx1 | tr -d ' \n' | tr a-f A-F)"

[ "$fails" -eq 0 ] || { echo "$fails failure(s)"; exit 1; }
echo "all kioskctl lossless-import checks passed"
