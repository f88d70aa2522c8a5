# Shared by tests/e2e/kiosk-*.sh (sourced, not run): an X server, pn532-sim and the kiosk,
# and helpers that read the kiosk's scene description (every text on screen with its rectangle,
# rewritten atomically after each frame that changed; format in firmware/ui/ui_scene.c).
#
# Real parts only: Xvfb, pn532-sim on a pty, the real libnfc pn532_uart driver, a real SQLite
# file written by the real storage module (build/bench/kiosk-fixture). Every wait polls with a
# deadline. Cleanup kills only the processes started here, by PID.

: "${BUILD:?BUILD must name the build directory}"
KT_TMP=$(mktemp -d "${TMPDIR:-/tmp}/kith-kiosk-e2e.XXXXXX")
KT_PIDS=""
KT_X_PID=""
KT_SIM_PID=""
KT_KIOSK_PID=""

kt_skip() { echo "$*"; exit 77; }

# The instant the test runs at: KT_INSTANT (tests/run.sh runs each kiosk and browse test at
# every one of KT_INSTANTS), default 0359. Each names a local time in Europe/Berlin, the
# fixture's zone, with the conference day it falls in (day_starts 04:00, the default) worked
# out here by hand rather than by the code under test:
#   KT_NOW        the instant; exported as KITH_CLOCK, so the fixture, kioskctl and the kiosk
#                 start there (each process's clock then runs on from its own start)
#   KT_DAY_START  the start of that conference day
#   KT_EDGE_IN    a check-in that is "here today" (Night Owl Nadia, A16) ...
#   KT_EDGE_OUT   ... and one that is not (Early Emil, A17): kt_check_day taps A18 to see.
KT_INSTANTS="0005 0359 0401 dst yearend leapday"
kt_berlin() { TZ=Europe/Berlin date -d "$1" +%s || kt_fail "date cannot read '$1'"; }
kt_instant() { # name
	case "$1" in
	0005) set -- "2026-05-12 00:05" "2026-05-11 04:00" "2026-05-11 22:00" "2026-05-11 03:59" ;;
	0359) set -- "2026-05-12 03:59" "2026-05-11 04:00" "2026-05-11 23:00" "2026-05-11 03:30" ;;
	0401) set -- "2026-05-12 04:01" "2026-05-12 04:00" "2026-05-12 04:00" "2026-05-12 03:00" ;;
	# Clocks skip 02:00-03:00 CET that night: now is just after the gap, the day began in CET.
	dst) set -- "2026-03-29 03:10" "2026-03-28 04:00" "2026-03-29 01:59" "2026-03-28 03:59" ;;
	# Runs on into 1 January: the conference day of 31 December goes on past midnight.
	yearend) set -- "2026-12-31 23:59" "2026-12-31 04:00" "2026-12-31 04:00" "2026-12-31 03:59" ;;
	# 1 March 2028 00:30 is still the conference day of 29 February.
	leapday) set -- "2028-03-01 00:30" "2028-02-29 04:00" "2028-02-29 04:30" "2028-02-29 03:59" ;;
	*) kt_fail "unknown KT_INSTANT '$1' (one of $KT_INSTANTS)" ;;
	esac
	KT_NOW=$(kt_berlin "$1"); KT_DAY_START=$(kt_berlin "$2")
	KT_EDGE_IN=$(kt_berlin "$3"); KT_EDGE_OUT=$(kt_berlin "$4")
	KITH_CLOCK=@$KT_NOW
	export KITH_CLOCK
}
KT_INSTANT=${KT_INSTANT:-0359}
kt_instant "$KT_INSTANT"
# The screen sizes a kiosk or browse test walks through: all three at the main instant (03:59,
# also the asan run's), where layout is the point; the first at the others, which are about
# the day and the times shown, not about fitting text.
if [ "$KT_INSTANT" = 0359 ]; then KT_SIZES="800x480 1920x1080 480x800"; else KT_SIZES=800x480; fi
kt_log_instant() { echo "# instant $KT_INSTANT: $(TZ=Europe/Berlin date -d "@$KT_NOW" '+%F %H:%M %Z') (KITH_CLOCK=$KITH_CLOCK)"; }
kt_fail() { echo "FAIL: $*" >&2; [ -n "${KT_KEEP:-}" ] && cp -r "$KT_TMP" "$KT_KEEP"; [ -f "$KT_TMP/scene" ] && { echo "--- scene:" >&2; cat "$KT_TMP/scene" >&2; }; [ -f "$KT_TMP/kiosk.log" ] && { echo "--- kiosk log (tail):" >&2; tail -n 20 "$KT_TMP/kiosk.log" >&2; }; exit 1; }
kt_log() { echo "# $*"; }

kt_cleanup() {
	# SIGTERM, then SIGKILL after 10 s: a kiosk that never reached its loop (stuck before it)
	# must not hold the test, and CI, forever.
	if [ -n "$KT_KIOSK_PID" ] && kill "$KT_KIOSK_PID" 2>/dev/null; then
		n=0
		while kill -0 "$KT_KIOSK_PID" 2>/dev/null && [ $n -lt 100 ]; do sleep 0.1; n=$((n + 1)); done
		kill -KILL "$KT_KIOSK_PID" 2>/dev/null
		wait "$KT_KIOSK_PID" 2>/dev/null
	fi
	[ -n "$KT_SIM_PID" ] && kill "$KT_SIM_PID" 2>/dev/null && wait "$KT_SIM_PID" 2>/dev/null
	[ -n "$KT_X_PID" ] && kill "$KT_X_PID" 2>/dev/null && wait "$KT_X_PID" 2>/dev/null
	exec 9>&- 2>/dev/null
	rm -rf "$KT_TMP"
}
trap kt_cleanup EXIT
trap 'exit 130' INT TERM

kt_require() {
	for b in kiosk pn532-sim bench/kiosk-fixture; do
		[ -x "$BUILD/$b" ] || kt_skip "$BUILD/$b not built"
	done
	for c in Xvfb xdotool sqlite3; do
		command -v "$c" >/dev/null 2>&1 || kt_skip "needs $c (tools/install-deps.sh test)"
	done
	[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || kt_skip "needs fonts-dejavu-core"
}

# Polls a shell condition until it holds or the deadline (seconds) passes.
kt_until() { # deadline_s condition...
	kt_deadline=$(( $(date +%s) + $1 )); shift
	while ! eval "$*"; do
		[ "$(date +%s)" -lt "$kt_deadline" ] || return 1
		sleep 0.05
	done
}

# An X server of the given size on a display number it picks itself (-displayfd).
kt_start_x() { # WxH
	rm -f "$KT_TMP/display"
	Xvfb -displayfd 5 -screen 0 "${1}x24" -nolisten tcp 5>"$KT_TMP/display" 2>"$KT_TMP/xvfb.log" &
	KT_X_PID=$!
	kt_until 10 '[ -s "$KT_TMP/display" ]' || kt_fail "Xvfb did not start: $(cat "$KT_TMP/xvfb.log")"
	DISPLAY=":$(cat "$KT_TMP/display")"
	export DISPLAY
}

kt_stop_x() {
	[ -n "$KT_X_PID" ] && kill "$KT_X_PID" 2>/dev/null && wait "$KT_X_PID" 2>/dev/null
	KT_X_PID=""
}

# pn532-sim on a pty; its stdin is a FIFO held open on fd 9 (kt_sim writes commands).
kt_start_sim() {
	rm -f "$KT_TMP/sim-in" "$KT_TMP/sim.out"
	mkfifo "$KT_TMP/sim-in"
	"$BUILD/pn532-sim" --link "$KT_TMP/pn532" <"$KT_TMP/sim-in" >"$KT_TMP/sim.out" 2>"$KT_TMP/sim.err" &
	KT_SIM_PID=$!
	exec 9>"$KT_TMP/sim-in"
	kt_until 10 'grep -q "^ready" "$KT_TMP/sim.out"' || kt_fail "pn532-sim did not start: $(cat "$KT_TMP/sim.err")"
}

kt_sim() { echo "$*" >&9; }

kt_fixture() { # db [--attendees N]
	"$BUILD/bench/kiosk-fixture" "$@" --edge "$KT_EDGE_IN" "$KT_EDGE_OUT" 2>>"$KT_TMP/fixture.log" ||
		kt_fail "fixture $1: $(cat "$KT_TMP/fixture.log")"
}

# The conference day: Theo (A18) sees Nadia, checked in at KT_EDGE_IN, and not Emil, checked in
# at KT_EDGE_OUT before the day began. Leaves the kiosk on attract.
kt_check_day() {
	kt_tap "$(kt_uid 18)"
	kt_wait_screen welcome || kt_fail "badge A18 did not lead to the welcome screen"
	kt_wait_text "Theo" || kt_fail "welcome without Theo"
	kt_has_text "Night Owl Nadia" || kt_fail "$KT_INSTANT: Nadia, checked in $(TZ=Europe/Berlin date -d "@$KT_EDGE_IN" '+%F %H:%M'), is not here today"
	! kt_has_text "Early Emil" || kt_fail "$KT_INSTANT: Emil, checked in $(TZ=Europe/Berlin date -d "@$KT_EDGE_OUT" '+%F %H:%M') before the day began, is shown as here today"
	xy=$(kt_button_center "Done")
	[ -n "$xy" ] || kt_fail "welcome without a Done button"
	# shellcheck disable=SC2086
	kt_click $xy
	kt_wait_screen attract || kt_fail "Done did not return to attract"
}

# Starts the kiosk on $KT_DB at the given logical window size; extra kiosk flags follow.
# Config keys come from $KT_CONF_EXTRA (lines). Waits for the attract screen (any first frame
# with KT_WAIT_ANY=1).
kt_start_kiosk() { # WxH [flags...]
	size=$1; shift
	{
		echo "scene_file = $KT_TMP/scene"
		echo "idle_timeout = ${KT_IDLE:-30}"
		printf '%s\n' "${KT_CONF_EXTRA:-}"
	} >"$KT_TMP/kiosk.conf"
	rm -f "$KT_TMP/scene"
	kt_launch_kiosk "$size" "$@"
	if kt_first_frame; then
		return 0
	fi
	# Once in a few thousand starts under Xvfb, libxcb's connection setup stalls: the kiosk
	# waits in XOpenDisplay for a reply to a setup request Xvfb never got whole, while other
	# clients are served (seen in CI after a SIGKILL loop). No frame, so nothing was
	# acknowledged: start it once more, and say so. The appliance has no X (KMSDRM).
	if grep -q . "$KT_TMP/scene" 2>/dev/null; then
		kt_first_frame_fail # it drew, but not what was expected: a real failure
	fi
	kt_log "kiosk $KT_KIOSK_PID drew nothing in 20 s (stuck connecting to Xvfb?): killed and started again"
	kill -KILL "$KT_KIOSK_PID" 2>/dev/null
	wait "$KT_KIOSK_PID" 2>/dev/null
	kt_launch_kiosk "$size" "$@"
	kt_first_frame || kt_first_frame_fail
}

# The software renderer: no GPU here, and Mesa's llvmpipe would only add its own leaks and
# start-up time to what the tests look at.
kt_launch_kiosk() { # WxH [flags...]
	size=$1; shift
	SDL_RENDER_DRIVER=${SDL_RENDER_DRIVER:-software} LIBNFC_AUTO_SCAN=false "$BUILD/kiosk" --db "$KT_DB" --reader "pn532_uart:$KT_TMP/pn532" \
		--kiosk-id "${KT_KIOSK_ID:-e2e-1}" --location "Main entrance" --window "$size" \
		--config "$KT_TMP/kiosk.conf" "$@" >>"$KT_TMP/kiosk.log" 2>&1 &
	KT_KIOSK_PID=$!
}

kt_first_frame() {
	if [ -n "${KT_WAIT_ANY:-}" ]; then # badges may already be arriving: any first frame
		kt_until 20 '[ -s "$KT_TMP/scene" ]'
	else
		kt_wait_screen attract 20
	fi
}

kt_first_frame_fail() {
	if [ -n "${KT_WAIT_ANY:-}" ]; then
		kt_fail "kiosk did not draw a frame"
	fi
	kt_fail "kiosk did not reach the attract screen"
}


kt_stop_kiosk() {
	[ -n "$KT_KIOSK_PID" ] || return 0
	kill -TERM "$KT_KIOSK_PID" 2>/dev/null
	wait "$KT_KIOSK_PID"
	kt_rc=$?
	KT_KIOSK_PID=""
	return $kt_rc
}

kt_screen() { sed -n 's/^screen //p' "$KT_TMP/scene" 2>/dev/null; }
kt_wait_screen() { # name [deadline_s]
	kt_want=$1
	kt_until "${2:-10}" '[ "$(kt_screen)" = "$kt_want" ]'
}
# 1 if some text on screen contains the string.
kt_has_text() { grep -q "^\(text\|clipped\) [-0-9]* [-0-9]* [0-9]* [0-9]* .*$1" "$KT_TMP/scene" 2>/dev/null; }
kt_wait_text() { # string [deadline_s]
	kt_want=$1
	kt_until "${2:-10}" 'kt_has_text "$kt_want"'
}

# Presents a badge until the kiosk shows that tap's answer (the scene's "taps N" line counts
# tap results drawn), then lifts it. UID in hex; optional TEXT is the NDEF attendee id.
kt_taps() { sed -n 's/^taps 0 0 0 0 //p' "$KT_TMP/scene" 2>/dev/null; }
kt_tap() { # uid [text]
	kt_want=$(( $(kt_taps) + 1 ))
	kt_sim "present $*"
	kt_until 10 '[ "$(kt_taps)" = "$kt_want" ]' ||
		{ kt_sim remove; kt_fail "badge $* was not answered on screen"; }
	kt_sim remove
}
kt_uid() { printf '04A1B2C3D4%04X' "$1"; } # badge UID of fixture attendee A<n>

# Clicks at logical coordinates (rotate 0).
kt_click() { xdotool mousemove --sync "$1" "$2" click 1; }
# Centre of the first button whose label contains the string: "X Y".
kt_button_center() {
	awk -v want="$1" '$1 == "button" { l = $0; sub(/^button [-0-9]+ [-0-9]+ [0-9]+ [0-9]+ /, "", l)
		if (index(l, want)) { print int($2 + $4 / 2), int($3 + $5 / 2); exit } }' "$KT_TMP/scene"
}

# Layout check of the current scene: every text inside the screen, no two texts overlapping.
# Prints problems; returns 1 if any.
kt_check_layout() {
	awk '
	$1 == "size" { W = $2; H = $3 }
	$1 == "text" || $1 == "clipped" {
		n++; x[n] = $2; y[n] = $3; w[n] = $4; h[n] = $5
		s = $0; sub(/^[a-z]+ [-0-9]+ [-0-9]+ [0-9]+ [0-9]+ /, "", s); t[n] = s
		if ($2 < 0 || $3 < 0 || $2 + $4 > W || $3 + $5 > H) {
			printf "cut by the screen edge (%dx%d): %s at %d,%d %dx%d\n", W, H, s, $2, $3, $4, $5; bad = 1
		}
		if ($4 <= 0 || $5 <= 0) { printf "empty rectangle: %s\n", s; bad = 1 }
	}
	END {
		for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) {
			# Rectangles are font line boxes: allow 2 px of leading to touch.
			ox = (x[i] < x[j] + w[j] - 1) && (x[j] < x[i] + w[i] - 1)
			oy = (y[i] < y[j] + h[j] - 2) && (y[j] < y[i] + h[i] - 2)
			if (ox && oy) { printf "overlap: \"%s\" and \"%s\"\n", t[i], t[j]; bad = 1 }
		}
		if (n == 0) { print "no text on screen"; bad = 1 }
		exit bad
	}' "$KT_TMP/scene"
}
