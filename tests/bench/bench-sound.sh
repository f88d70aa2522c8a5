#!/bin/sh
# make bench, sound rows: the whole chain as in tests/e2e/sound-tap.sh (Xvfb, pn532-sim,
# libnfc, the kiosk with SDL's disk audio driver) on a 100,000-attendee conference.
#   tap -> tone queued:   the reader detects the badge -> check-in committed -> the SDL thread
#                         queues the tone (SDL_QueueAudio returned); "timing tap_to_audio_us"
#                         (the rest is the store worker's commit, as in "tap -> welcome frame")
#   speech first sample:  an utterance handed to the speech thread -> espeak-ng's first samples
#                         queued (the welcome, read after the tone); "timing speech_first_us"
# Where the samples go after SDL_QueueAudio is the device's buffer (512 samples, 23 ms here).
set -u
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-$(pwd)/build}
. tests/e2e/lib/kiosk-env.sh
kt_require 2>/dev/null >&2 || exit 0
export KITH_TIMING=1 SDL_RENDER_DRIVER=software SDL_AUDIODRIVER=disk
SDL_DISKAUDIOFILE=/dev/null
export SDL_DISKAUDIOFILE

row() { printf '%-10s | %-52s | %12s | %12s | %-22s | %s\n' "$@"; }
stats() { # file: median and p99 in ms
	sort -n "$1" | awk '{ v[NR] = $1 } END {
		if (NR == 0) { print "- -"; exit }
		m = v[int((NR + 1) / 2)]; p = v[int(NR * 0.99 + 0.999)]; if (p == "") p = v[NR]
		printf "%.2f %.2f\n", m / 1000, p / 1000 }'
}

big=$KT_TMP/big.db
"$BUILD/kioskctl" demo "$big" --attendees 100000 >/dev/null 2>&1 ||
	"$BUILD/bench/kiosk-fixture" "$big" --attendees 100000 || { echo "bench-sound: no database" >&2; exit 1; }
sqlite3 "$big" "SELECT b.uid FROM badges b JOIN attendees a ON a.id = b.attendee
	WHERE a.visible = 1 ORDER BY b.attendee * 7919 % 100003 LIMIT 60" >"$KT_TMP/uids"

KT_DB=$big
KT_IDLE=600
KT_CONF_EXTRA="volume = 70"
kt_start_x 800x480
kt_start_sim
kt_start_kiosk 800x480
xy=$(kt_button_center "Read aloud")
# shellcheck disable=SC2086
[ -n "$xy" ] && kt_click $xy
while read -r uid; do
	kt_tap "$uid"
done <"$KT_TMP/uids"
kt_stop_kiosk
[ -n "${KITH_BENCH_KEEP_LOG:-}" ] && cp "$KT_TMP/kiosk.log" "$KITH_BENCH_KEEP_LOG"
sed -n 's/.*timing tap_to_audio_us=\([0-9]*\).*/\1/p' "$KT_TMP/kiosk.log" >"$KT_TMP/audio"
sed -n 's/.*timing tap_to_audio_us=.* queue_us=\([0-9]*\).*/\1/p' "$KT_TMP/kiosk.log" >"$KT_TMP/queue"
sed -n 's/.*timing speech_first_us=\([0-9]*\).*/\1/p' "$KT_TMP/kiosk.log" >"$KT_TMP/speech"
load=$(cut -d' ' -f1 /proc/loadavg)
set -- $(stats "$KT_TMP/audio")
row sound "tap -> tone queued, 100k attendees ($(wc -l <"$KT_TMP/audio") taps)" "$1 ms" "$2 ms" "p99 < 50 ms" \
	"$(awk -v v="$2" 'BEGIN { if (v == "-") print "-"; else printf "%.2fx of target\n", v / 50 }'), load $load"
set -- $(stats "$KT_TMP/queue")
row sound "  of which synthesising and queuing the tone" "$1 ms" "$2 ms" "-" "SDL thread"
set -- $(stats "$KT_TMP/speech")
row sound "speech: utterance -> first samples queued ($(wc -l <"$KT_TMP/speech"))" "$1 ms" "$2 ms" "-" "espeak-ng, speech thread"
