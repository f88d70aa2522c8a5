#!/bin/sh
# Sound, end to end: the kiosk under Xvfb with SDL's disk audio driver, pn532-sim and the real
# libnfc driver. A first check-in plays the "checked in" tone, an unknown badge the "unknown"
# tone: each of the right length (the non-silent span), loudness (peak at the configured
# volume) and pitch (its first note), and queued as the tap's answer reaches the SDL thread
# (the timing line). A repeat tap plays the softer "welcome back" tone. With volume = 0 no audio device is opened and a tap writes no sound.
# Measures only what the disk driver's wall-clock pacing leaves deterministic (tests/e2e/lib/audio.inc).
# kith-test: asan
set -u
. "$(dirname "$0")/lib/kiosk-env.sh"
. "$(dirname "$0")/lib/audio.inc"
kt_require
kt_audio_require

size=800x480
KT_DB=$KT_TMP/kiosk.db
kt_fixture "$KT_DB"
kt_start_x "$size"
kt_start_sim
KT_CONF_EXTRA="volume = 80"
KITH_TIMING=1; export KITH_TIMING
kt_start_kiosk "$size"
grep -q "sound: disk, volume 80" "$KT_TMP/kiosk.log" || kt_fail "the disk audio device was not opened at volume 80"

# Checked in: E5 90 ms then B5 160 ms = 0.25 s; peak 0.5 x 80 % = 0.40 of full scale.
kt_tap "$(kt_uid 1)"
kt_wait_screen welcome || kt_fail "badge A1 did not lead to the welcome screen"
kt_audio_wait_done 10 0.3 || kt_fail "no complete tone after the check-in (span $(kt_audio_span) s)"
span=$(kt_audio_span); peak=$(kt_audio_peak); hz=$(kt_audio_hz_first 0.07)
kt_log "checked in: span $span s, peak $peak, first note ~$hz Hz"
kt_between "$span" 0.22 0.26 || kt_fail "checked-in tone lasts $span s, not 0.25 s"
kt_between "$peak" 0.37 0.41 || kt_fail "checked-in tone peaks at $peak, not 0.40 (volume 80)"
kt_between "$hz" 600 720 || kt_fail "checked-in tone starts at $hz Hz, not 659 Hz"
grep -q "timing tap_to_audio_us=[0-9]* tone=checkin queue_us=[0-9]*" "$KT_TMP/kiosk.log" ||
	kt_fail "no timing line for the check-in's tone"

# The same badge again: welcome back, one softer A5 of 140 ms (gain 0.8: peak 0.32).
kt_audio_reset
kt_tap "$(kt_uid 1)"
kt_audio_wait_done 10 0.3 || kt_fail "no complete tone after the repeat tap (span $(kt_audio_span) s)"
span=$(kt_audio_span); peak=$(kt_audio_peak); hz=$(kt_audio_hz_first 0.1)
kt_log "welcome back: span $span s, peak $peak, ~$hz Hz"
kt_between "$span" 0.12 0.15 || kt_fail "welcome-back tone lasts $span s, not 0.14 s"
kt_between "$peak" 0.29 0.33 || kt_fail "welcome-back tone peaks at $peak, not 0.32"
kt_between "$hz" 820 940 || kt_fail "welcome-back tone is $hz Hz, not 880 Hz"
grep -q "timing tap_to_audio_us=[0-9]* tone=again" "$KT_TMP/kiosk.log" || kt_fail "the repeat tap did not play the welcome-back tone"

# Unknown badge: D5 120 ms then A4 180 ms = 0.30 s, falling.
kt_audio_reset
kt_tap 04FFEEDDCCBBAA
kt_wait_screen unknown || kt_fail "an unknown badge did not lead to the unknown screen"
kt_audio_wait_done 10 0.3 || kt_fail "no complete tone after the unknown badge (span $(kt_audio_span) s)"
span=$(kt_audio_span); peak=$(kt_audio_peak); hz=$(kt_audio_hz_first 0.1)
kt_log "unknown: span $span s, peak $peak, first note ~$hz Hz"
kt_between "$span" 0.27 0.31 || kt_fail "unknown-badge tone lasts $span s, not 0.30 s"
kt_between "$peak" 0.37 0.41 || kt_fail "unknown-badge tone peaks at $peak, not 0.40"
kt_between "$hz" 540 640 || kt_fail "unknown-badge tone starts at $hz Hz, not 587 Hz"
kt_stop_kiosk || kt_fail "kiosk did not exit 0"

# volume = 0: sound off, no device, and a tap writes nothing.
rm -f "$KT_AUDIO"
KT_CONF_EXTRA="volume = 0"
kt_start_kiosk "$size"
grep -q "sound: off (volume 0)" "$KT_TMP/kiosk.log" || kt_fail "volume 0 did not turn sound off"
kt_tap "$(kt_uid 4)"
kt_wait_screen welcome || kt_fail "badge A4 did not lead to the welcome screen"
[ ! -e "$KT_AUDIO" ] || [ "$(kt_audio_span)" = 0 ] ||
	kt_fail "volume 0, yet $(kt_audio_span) s of sound was written"
kt_stop_kiosk || kt_fail "kiosk did not exit 0"
echo "ok"
