#!/bin/sh
# Every script a name is written in, on screen: a roster with one attendee per script (Hangul,
# Thai, Devanagari, Bengali, Tamil, Ethiopic, Greek, Cyrillic, Hebrew with a Latin affiliation,
# Arabic with Latin in brackets and digits, emoji, a ZWJ family, a flag, a skin tone, and a
# field with a tab and a newline). At 800x480 and 1920x1080 each badge is tapped; for each name
# on the welcome screen the scene's glyph report must say every code point was covered, each
# code point must be in the charset fontconfig gives for the font that drew it (an independent
# check, fc-query), and the pixels read back from the X server inside the name's rectangle must
# not be empty. KT_SHOTS=DIR keeps a screenshot of each welcome screen; KT_DOCS=docs writes the
# docs/ pictures (Arabic with Hebrew, Cyrillic, Greek, Ethiopic and Tamil colleagues; Tamil with
# Bengali, Devanagari, Thai and Hangul colleagues; emoji).
# kith-test: asan
set -u
. "$(dirname "$0")/lib/kiosk-env.sh"
kt_require
for c in fc-query; do
	command -v "$c" >/dev/null 2>&1 || kt_skip "needs $c (fontconfig)"
done
IMPORT=/usr/bin/import
CONVERT=/usr/bin/convert
[ -x "$IMPORT" ] && [ -x "$CONVERT" ] || kt_skip "needs ImageMagick (tools/install-deps.sh test)"
# The fonts are what this test is about: without them it would only show that boxes are absent.
for f in /usr/share/fonts/truetype/noto/NotoSansThai-Regular.ttf \
	/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc \
	/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf; do
	[ -f "$f" ] || kt_skip "needs $f (tools/install-deps.sh run)"
done

# number|name|affiliation  (badge UID: kt_uid 256 + number)
cat >"$KT_TMP/roster" <<'ROSTER'
1|김민준|국립중앙도서관 (한국어)
2|สมชาย ใจดี|หอสมุดแห่งชาติ ไทย
3|प्रिया शर्मा|राष्ट्रीय पुस्तकालय, हिन्दी
4|অমিত দাস|জাতীয় গ্রন্থাগার
5|கமலா சுப்ரமணியம்|தமிழ்நாடு நூலகம்
6|አበበ በቀለ|ብሔራዊ ቤተ መጻሕፍት
7|Γιώργος Παπαδόπουλος|Εθνική Βιβλιοθήκη
8|Анна Иванова|Российская государственная библиотека
9|נועה כהן|Tel Aviv University Library
10|محمد العلي (MIT)|مكتبة الإسكندرية 2026
11|Lena 🎉 Fischer|Stadtbibliothek
12|Sam 👨‍👩‍👧 Lee|Family History Library
13|Jonas 🇩🇪 Weber|Deutsche Nationalbibliothek
14|Ade 👍🏽 Okafor|National Library of Nigeria
15|Tab	Name|County
Library
ROSTER
nr=15 # S15's affiliation is "County<newline>Library", set in setup_db

setup_db() { # db
	kt_fixture "$1"
	{
		echo "BEGIN;"
		echo "INSERT INTO groups(name) VALUES ('Scripts of the World');"
		i=0
		while IFS='|' read -r n name aff; do
			[ -n "$n" ] || continue
			case "$n" in *[!0-9]*) continue ;; esac
			i=$n
			[ "$n" = 15 ] && aff=$(printf 'County\nLibrary')
			q=$(printf '%s' "$name" | sed "s/'/''/g")
			a=$(printf '%s' "$aff" | sed "s/'/''/g")
			printf "INSERT INTO attendees(attendee_id, name, affiliation, visible) VALUES ('S%s', '%s', '%s', 1);\n" "$n" "$q" "$a"
			printf "INSERT INTO badges(uid, attendee) SELECT '%s', id FROM attendees WHERE attendee_id = 'S%s';\n" "$(kt_uid $((256 + n)))" "$n"
			printf "INSERT INTO memberships(attendee, group_id) SELECT a.id, g.id FROM attendees a, groups g WHERE a.attendee_id = 'S%s' AND g.name = 'Scripts of the World';\n" "$n"
		done <"$KT_TMP/roster"
		echo "COMMIT;"
	} | sqlite3 "$1" || kt_fail "roster insert"
}

name_of() { awk -F'|' -v n="$1" '$1 == n { print $2 }' "$KT_TMP/roster"; }

# The glyph report of the first text on screen that contains the string: "X Y W H REPORT".
glyphs_of() { # string
	awk -v want="$1" '
		want_next && $1 == "glyphs" { sub(/^glyphs /, ""); print; exit }
		{ want_next = 0 }
		$1 == "text" { l = $0; sub(/^text [-0-9]+ [-0-9]+ [0-9]+ [0-9]+ /, "", l)
			if (index(l, want)) want_next = 1 }' "$KT_TMP/scene"
}

# Every code point listed for a font must be in fontconfig's charset of that file.
check_fonts() { # report (without the rectangle), what
	for item in $(echo "$1" | cut -d' ' -f2-); do
		font=${item%%:*}; cps=${item#*:}
		[ "$font" != "$item" ] || continue
		[ -f "$font" ] || kt_fail "$2: glyph report names $font, which is not a file"
		fc-query --format '%{charset}\n' "$font" 2>/dev/null | tr ' ' '\n' | sort -u >"$KT_TMP/charset"
		echo "$cps" | tr ',' '\n' | awk -v f="$font" -v what="$2" '
			function hex(s,  v, i) { s = tolower(s); v = 0
				for (i = 1; i <= length(s); i++) v = v * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1
				return v }
			FNR == NR { n = split($0, r, "-"); lo[NR] = hex(r[1]); hi[NR] = hex(r[n]); m = NR; next }
			{ c = hex($0); ok = 0
			  for (i = 1; i <= m; i++) if (c >= lo[i] && c <= hi[i]) { ok = 1; break }
			  if (!ok) { printf "%s: U+%s drawn with %s, which does not have it\n", what, $0, f; bad = 1 } }
			END { exit bad }' "$KT_TMP/charset" - || kt_fail "$2: a glyph came from a font without it"
	done
}

# Something is drawn inside the rectangle: the pixels are not all one colour.
check_pixels() { # x y w h what
	"$IMPORT" -display "$DISPLAY" -window root "$KT_TMP/shot.png" || kt_fail "import failed"
	sd=$("$CONVERT" "$KT_TMP/shot.png" -crop "$3x$4+$1+$2" +repage -colorspace Gray -format '%[fx:standard_deviation]' info:) ||
		kt_fail "convert failed"
	awk -v s="$sd" 'BEGIN { exit !(s > 0.02) }' || kt_fail "$5: the name's box $3x$4+$1+$2 is empty (sd $sd)"
}

for size in 800x480 1920x1080; do
	kt_log "size $size"
	KT_DB=$KT_TMP/scripts-$size.db
	setup_db "$KT_DB"
	KT_IDLE=30
	kt_start_x "$size"
	kt_start_sim
	kt_start_kiosk "$size"
	n=1
	while [ $n -le $nr ]; do
		name=$(name_of $n)
		[ $n = 15 ] && name="Tab Name" # the tab draws as a space
		kt_tap "$(kt_uid $((256 + n)))"
		kt_wait_screen welcome || kt_fail "badge S$n did not lead to the welcome screen"
		kt_wait_text "$name" || kt_fail "S$n: welcome without the name '$name'"
		sleep 0.5 # the entrance animation: pixels, not the scene, are read below
		g=$(glyphs_of "$name")
		[ -n "$g" ] || kt_fail "S$n: no glyph report for '$name'"
		set -- $g
		[ "$5" = covered ] || kt_fail "S$n: '$name' not covered at $size: $g"
		check_fonts "$(echo "$g" | cut -d' ' -f5-)" "S$n '$name' at $size"
		check_pixels "$1" "$2" "$3" "$4" "S$n '$name' at $size"
		# No line on screen may have a character no font has, and none may hold a control.
		! grep -q '^glyphs .* missing=' "$KT_TMP/scene" ||
			kt_fail "S$n: a text with a missing glyph: $(grep '^glyphs .* missing=' "$KT_TMP/scene")"
		! grep -q "$(printf '\t')" "$KT_TMP/scene" || kt_fail "S$n: a tab reached the scene"
		if [ -n "${KT_SHOTS:-}" ]; then
			mkdir -p "$KT_SHOTS"
			cp "$KT_TMP/shot.png" "$KT_SHOTS/welcome-S$n-$size.png"
		fi
		doc=""
		case $n in 5) doc=indic ;; 10) doc=scripts ;; 14) doc=emoji ;; esac
		if [ -n "${KT_DOCS:-}" ] && [ -n "$doc" ]; then
			"$CONVERT" "$KT_TMP/shot.png" -colors 192 "PNG8:$KT_DOCS/kiosk-welcome-$doc-$size.png" ||
				kt_fail "convert failed"
		fi
		n=$((n + 1))
	done
	! grep -q 'no installed font has' "$KT_TMP/kiosk.log" ||
		kt_fail "kiosk logged a missing glyph: $(grep 'no installed font' "$KT_TMP/kiosk.log")"
	kt_stop_kiosk || kt_fail "kiosk did not exit 0 on SIGTERM"
	kill "$KT_SIM_PID"; wait "$KT_SIM_PID" 2>/dev/null; KT_SIM_PID=""
	exec 9>&-
	kt_stop_x
	: >"$KT_TMP/kiosk.log"
done
echo "kiosk scripts: ok"
