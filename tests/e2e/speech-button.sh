#!/bin/sh
# Speech on request, end to end: the kiosk under Xvfb with SDL's disk audio driver. The
# accessibility button on attract ("Read aloud") turns speech on: espeak-ng's intro is written
# as several seconds of sound. A tap then reads the check-in, the colleagues per group and the
# next sessions, names in the voice of their script (Maria's colleagues include 田中 花子 and
# محمد العلي: Mandarin and Arabic voices). Done returns to attract: speech is off, and the long
# welcome stops within a moment instead of playing on. Speech on again, the session browser and
# a session's detail: its Japanese title is read in the Japanese voice, with the way there from
# the Foyer. The disk driver is sped up
# (SDL_DISKAUDIODELAY) and only spans and peaks are measured (tests/e2e/lib/audio.inc).
# kith-test: asan
# kith-test: tsan
set -u
. "$(dirname "$0")/lib/kiosk-env.sh"
. "$(dirname "$0")/lib/audio.inc"
. "$(dirname "$0")/browse-lib.inc"
bt_require
kt_audio_require
[ -d /usr/lib/x86_64-linux-gnu/espeak-ng-data ] || [ -d /usr/share/espeak-ng-data ] ||
	ls /usr/lib/*/espeak-ng-data >/dev/null 2>&1 || kt_skip "needs espeak-ng-data"

# 512 samples (23 ms) written every 4 ms: about 6x real time.
SDL_DISKAUDIODELAY=4
export SDL_DISKAUDIODELAY
size=800x480
KT_DB=$KT_TMP/kiosk.db
bt_conference "$KT_DB"
KT_IDLE=60
KT_CONF_EXTRA="volume = 100"
bt_start "$size"

xy=$(kt_button_center "Read aloud")
[ -n "$xy" ] || kt_fail "attract has no Read aloud button"
set -- $xy
# Touch-sized: at least the theme's 64 px touch side at 800x480.
grep "^button .*Read aloud" "$KT_TMP/scene" | awk '{ exit !($4 >= 64 && $5 >= 64) }' ||
	kt_fail "the Read aloud button is smaller than a touch target: $(grep 'Read aloud' "$KT_TMP/scene")"
kt_click "$1" "$2"
kt_until 10 'grep -q "speech on (the Read aloud button)" "$KT_TMP/kiosk.log"' || kt_fail "the button did not turn speech on"
kt_wait_text "Speech on" || kt_fail "the button does not say that speech is on"
kt_audio_wait_done 20 0.5 || kt_fail "no complete intro speech (span $(kt_audio_span) s)"
span=$(kt_audio_span); peak=$(kt_audio_peak)
kt_log "intro: span $span s, peak $peak"
# About 25 words at espeak-ng's 175 words a minute: 6 to 12 s of speech.
kt_between "$span" 5 15 || kt_fail "the intro lasts $span s, not 5-15 s"
kt_between "$peak" 0.2 1.0 || kt_fail "the intro peaks at $peak: too quiet"

# A tap: the tone, then the welcome read in English, Mandarin and Arabic voices.
kt_audio_reset
kt_tap "$(kt_uid 1)"
kt_wait_screen welcome || kt_fail "badge A1 did not lead to the welcome screen"
kt_until 10 'grep -q "speech: welcome, " "$KT_TMP/kiosk.log"' || kt_fail "the welcome was not read"
line=$(grep "speech: welcome, " "$KT_TMP/kiosk.log" | tail -n 1)
kt_log "$line"
for v in en cmn ar; do
	echo "$line" | grep -q "voices.*\b$v\b" || kt_fail "the welcome is not read with voice $v: $line"
done
kt_until 20 'kt_between "$(kt_audio_span)" 8 1000' || kt_fail "the welcome speech is only $(kt_audio_span) s long"
kt_log "welcome: at least $(kt_audio_span) s of speech so far"

# Done: back to attract, speech off, and the rest of the welcome is not played.
xy=$(kt_button_center "Done")
[ -n "$xy" ] || kt_fail "welcome without a Done button"
set -- $xy
kt_click "$1" "$2"
kt_wait_screen attract || kt_fail "Done did not return to attract"
kt_until 5 'grep -q "speech off (back to attract)" "$KT_TMP/kiosk.log"' || kt_fail "speech stayed on after attract returned"
kt_audio_wait_done 10 1.0 || kt_fail "speech went on after Done (span $(kt_audio_span) s)"
! kt_has_text "Speech on" || kt_fail "attract still says speech is on"

# Speech on again; the browser, then session X1's detail (図書館の未来…, Room 2.14 on Level 2).
bt_click button "🔊 Read aloud"
kt_wait_text "Speech on" || kt_fail "the button did not turn speech on again"
bt_click button "Sessions & venue map"
kt_wait_screen sessions || kt_fail "Sessions & venue map did not open the browser"
bt_click tab "Search"
bt_wait_has tab-selected "Search" || kt_fail "no search"
bt_type "図書館" || kt_fail "could not type 図書館 into Search"
bt_wait_has session X1 || kt_fail "search did not find X1"
bt_click session X1
kt_wait_screen session-detail || kt_fail "session X1 did not open its detail"
kt_until 10 'grep -q "speech: session-detail, " "$KT_TMP/kiosk.log"' || kt_fail "the detail was not read"
line=$(grep "speech: session-detail, " "$KT_TMP/kiosk.log" | tail -n 1)
kt_log "$line"
echo "$line" | grep -q "voices ja," || kt_fail "the Japanese title is not read in Japanese: $line"
grep -q "^route " "$KT_TMP/scene" || kt_fail "the detail shows no route to read"
kt_stop_kiosk || kt_fail "kiosk did not exit 0"
echo "ok"
