#!/bin/sh
# kioskctl import-rooms against real SQLite files: the demo venue's geometry lands in canonical
# form (rectangles become four corners), a re-import updates rooms by name, and bad input — an
# outline that crosses itself, NaN, too many points, a floor that is not a number, a duplicate
# room, two names for one floor, overlapping rooms, a broken quote, invalid UTF-8 — exits 1
# with one FILE:LINE line per problem and leaves the database byte-for-byte unchanged.
# Usage errors exit 2 and create nothing.
# kith-test: asan
set -u
. "$(dirname "$0")/lib/cli.inc"

# ---- usage ----------------------------------------------------------------------------------
expect_rc 2 "$K" import-rooms
expect_rc 2 "$K" import-rooms k.db
expect_rc 2 "$K" import-rooms --bogus k.db rooms.csv
expect_rc 2 "$K" import-rooms k.db rooms.csv extra
[ ! -e k.db ] && ok "usage errors create nothing" || fail "a usage error created k.db"
expect_rc 0 "$K" --help
grep -q 'import-rooms DB rooms.csv' out && ok "usage lists import-rooms" || fail "usage lacks import-rooms"

# ---- the database must exist ----------------------------------------------------------------
expect_rc 1 "$K" import-rooms k.db "$top/assets/demo/rooms.csv"
expect_err "k.db: no such database (create it with kioskctl init)"
[ ! -e k.db ] && ok "no stray database" || fail "import-rooms created k.db"

# ---- the demo venue ---------------------------------------------------------------------------
expect_rc 0 "$K" init k.db
expect_rc 0 "$K" import-rooms k.db "$top/assets/demo/rooms.csv"
same "rooms imported" "$(q k.db 'SELECT count(*) FROM rooms')" 16
same "rectangle as corners" "$(q k.db "SELECT polygon FROM rooms WHERE name = 'Hall A'")" "30,0 60,0 60,25 30,25"
same "polygon kept" "$(q k.db "SELECT polygon FROM rooms WHERE name = 'Auditorium'")" "0,14 60,14 60,32 45,40 15,40 0,32"
same "floor, name, area" "$(q k.db "SELECT floor || '|' || floor_name || '|' || area FROM rooms WHERE name = 'Room 1.03'")" "1|Level 1|centre"

# A second file updates by name (BOM, CRLF, columns in another order, decimals, Unicode).
printf '\357\273\277Polygon,AREA,Room,Floor,floor_name\r\n"0,0 12.5,0 12.5,8.25 0,8.25",north side,Hall A,0,Ground Floor\r\n"60,30,10,10",,Café 東,0,Ground Floor\r\n' >update.csv
expect_rc 0 "$K" import-rooms k.db update.csv
same "updated by name" "$(q k.db "SELECT polygon || '|' || area FROM rooms WHERE name = 'Hall A'")" "0,0 12.5,0 12.5,8.25 0,8.25|north side"
same "UTF-8 name kept" "$(q k.db "SELECT count(*) FROM rooms WHERE name = 'Café 東'")" 1
same "others kept" "$(q k.db 'SELECT count(*) FROM rooms')" 17

# ---- bad input: every problem named, nothing written -------------------------------------
before=$(sha k.db)
{
	printf 'room,floor,floor_name,area,polygon\n'
	printf 'Bow tie,0,Ground Floor,,"0,0 10,10 10,0 0,10"\n'                 # 2: crosses itself
	printf 'Nan room,0,Ground Floor,,"0,0 nan,1 2,2"\n'                      # 3: not a number
	printf 'Upstairs,two,,,"0,0,5,5"\n'                                      # 4: floor
	printf 'Room 9,4,Level 4,,"0,0,10,10"\n'                                 # 5
	printf 'Room 10,4,L4,,"5,5,10,10"\n'                                     # 6: L4 + overlap
	printf 'room 9,5,Level 5,,"0,0,1,1"\n'                                   # 7: duplicate
	printf 'Flat,5,Level 5,,"0,0 1,1 2,2"\n'                                 # 8: no area
	printf ',5,Level 5,,"0,0,1,1"\n'                                         # 9: no name
	printf 'Latin1 \351,5,Level 5,,"0,0,1,1"\n'                              # 10: bad UTF-8
	printf 'Quote,5,Level 5,,"0,0,1,1\n'                                     # 11: unterminated
} >bad.csv
expect_rc 1 "$K" import-rooms k.db bad.csv
expect_err "bad.csv:2: polygon: edges 1-2 and 3-4 cross: the outline must not cross itself"
expect_err "bad.csv:3: polygon: point 2: 'nan' is not a number (metres, like 12.5)"
expect_err "bad.csv:4: floor 'two' is not a whole number from -20 to 200 (0 = ground floor)"
expect_err "bad.csv:6: floor 4 is called 'L4' here but 'Level 4' on line 5"
expect_err "bad.csv:6: room 'Room 10' overlaps room 'Room 9' (line 5) on floor 4"
expect_err "bad.csv:7: room 'room 9' appears twice (first on line 5)"
expect_err "bad.csv:8: polygon: the outline has no area (all points on a line?)"
expect_err "bad.csv:9: missing room name"
expect_err "bad.csv:10: invalid UTF-8 in field 1; save the file as UTF-8"
grep -q '^bad.csv:11: ' err && ok "unterminated quote reported" || fail "unterminated quote not reported"
expect_problems 10
expect_err "kioskctl: nothing imported (10 problems)"
same "database unchanged" "$(sha k.db)" "$before"

# Too many points, a coordinate out of range, a header without the required columns.
pts=""; i=0
while [ $i -lt 41 ]; do pts="$pts$i,$(( (i % 2) * 3 )) "; i=$((i + 1)); done
printf 'room,floor,polygon\nZigzag,0,"%s"\nFar,0,"0,0,20000,5"\n' "$pts" >many.csv
expect_rc 1 "$K" import-rooms k.db many.csv
expect_err "many.csv:2: polygon: too many points (at most 40)"
expect_err "many.csv:3: polygon: point 1: coordinate out of range (max 10000 m)"
printf 'name,level\nHall,0\n' >header.csv
expect_rc 1 "$K" import-rooms k.db header.csv
expect_err "header.csv:1: missing required column 'room' in the header"
expect_err "header.csv:1: missing required column 'floor' in the header"
: >empty.csv
expect_rc 1 "$K" import-rooms k.db empty.csv
expect_err "empty.csv:1: empty file: expected a header row room,floor,floor_name,area,polygon"
same "database still unchanged" "$(sha k.db)" "$before"

[ "$fails" -eq 0 ] || { echo "$fails failure(s)"; exit 1; }
echo "all ok"
