#!/bin/sh
# make screenshots: PNGs of every kiosk screen at 800x480 and 1920x1080 into docs/.
#
# The real chain, as in the e2e tests: Xvfb, pn532-sim, the kiosk on the fixture conference
# (build/bench/kiosk-fixture). Each shot is taken once the scene description says the screen is
# up and its entrance animation is over. Files: docs/kiosk-SCREEN-WxH.png (palette PNGs, small).
set -u
cd "$(dirname "$0")/.."
BUILD=${BUILD:-$(pwd)/build}
. tests/e2e/lib/kiosk-env.sh
kt_require
IMPORT=/usr/bin/import
CONVERT=/usr/bin/convert
[ -x "$IMPORT" ] && [ -x "$CONVERT" ] || kt_skip "needs ImageMagick (tools/install-deps.sh test)"
mkdir -p docs
# A sound device for the Read aloud button (speech on needs one); nothing is listened to.
SDL_AUDIODRIVER=disk SDL_DISKAUDIOFILE=/dev/null
export SDL_AUDIODRIVER SDL_DISKAUDIOFILE

shot() { # screen size
	sleep 0.7 # let the entrance animation settle (a picture, not a synchronisation)
	out=docs/kiosk-$1-$2.png
	"$IMPORT" -display "$DISPLAY" -window root "$KT_TMP/shot.png" || kt_fail "import failed"
	"$CONVERT" "$KT_TMP/shot.png" -colors 192 "PNG8:$out" || kt_fail "convert failed"
	echo "$out"
}

for size in 800x480 1920x1080; do
	KT_DB=$KT_TMP/shots-$size.db
	kt_fixture "$KT_DB"
	KT_IDLE=600
	kt_start_x "$size"
	kt_start_sim
	kt_start_kiosk "$size"
	shot attract "$size"
	xy=$(kt_button_center "Read aloud")
	# shellcheck disable=SC2086
	kt_click $xy
	kt_wait_text "Speech on" || kt_fail "Read aloud did not turn speech on"
	shot attract-speech "$size"
	xy=$(kt_button_center "Speech on")
	# shellcheck disable=SC2086
	kt_click $xy
	kt_until 5 '! kt_has_text "Speech on"' || kt_fail "Read aloud did not turn speech off"

	kt_tap "$(kt_uid 1)"
	kt_wait_screen welcome || kt_fail "no welcome"
	shot welcome "$size"

	kt_tap "$(kt_uid 6)"
	kt_wait_screen consent || kt_fail "no consent"
	shot consent "$size"
	xy=$(kt_button_center Yes)
	# shellcheck disable=SC2086
	kt_click $xy
	kt_wait_screen welcome || kt_fail "no welcome after consent"

	kt_tap 04FFEEDDCCBB01
	kt_wait_screen unknown || kt_fail "no unknown"
	shot unknown "$size"
	xy=$(kt_button_center OK)
	# shellcheck disable=SC2086
	kt_click $xy
	kt_wait_screen attract || kt_fail "no attract"

	kt_sim unplug
	kt_wait_text "Badge reader" 30 || kt_fail "no reader banner after unplug"
	shot reader-banner "$size"
	kt_sim plug

	kt_stop_kiosk
	kill "$KT_SIM_PID"; wait "$KT_SIM_PID" 2>/dev/null; KT_SIM_PID=""
	exec 9>&-
	kt_stop_x
done
. tests/e2e/browse-shots.inc # session browser, detail and admin (issue 5)
. tests/e2e/colleagues-shots.inc # colleague lists and "Still there?" (issue 14)
. tests/e2e/staff-shots.inc # staff mode (issue 14)
