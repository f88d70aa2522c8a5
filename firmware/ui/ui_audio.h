/* Sound: short tones for the tap's outcome and the speech thread's samples, through one SDL
 * audio device opened at start-up (docs/CONTRACT.md "Sound and speech").
 *
 * Everything is mono signed 16-bit at UI_AUDIO_RATE, the rate espeak-ng synthesises at, so the
 * tones and speech share one queue and SDL converts once for the hardware. The tones are made
 * here from sines and an envelope: no audio files to ship or license. No device (none present,
 * or volume 0) is not an error: the handle stays valid and every call does nothing, so the
 * kiosk works silently.
 */
#ifndef KITH_UI_AUDIO_H
#define KITH_UI_AUDIO_H

#include <stddef.h>
#include <stdint.h>

#define UI_AUDIO_RATE 22050

enum ui_tone {
	UI_TONE_CHECKIN, /* first check-in today: two notes rising */
	UI_TONE_AGAIN,   /* welcome back (or a repeat tap): one soft high note */
	UI_TONE_UNKNOWN, /* badge not in the roster: two notes falling */
	UI_TONE_ERROR,   /* nothing was stored: three low pulses */
	UI_TONE_COUNT
};

typedef struct ui_audio ui_audio;

/* Opens the default output device once (volume 1..100); volume 0 opens nothing. A missing
 * device is logged once. Never NULL. Call on the SDL thread after SDL_Init. */
ui_audio *ui_audio_open(int volume);
void ui_audio_close(ui_audio *a);
/* 1 when a device is open and volume > 0. */
int ui_audio_active(const ui_audio *a);

/* Drops what is still queued and queues the tone: a new tap's answer replaces the last one. */
int ui_audio_tone(ui_audio *a, enum ui_tone t);
/* Queues samples (any thread; scaled by the volume). Returns 0, or -1 without a device. */
int ui_audio_queue(ui_audio *a, const int16_t *samples, size_t n);
/* Drops everything not yet played (any thread). */
void ui_audio_clear(ui_audio *a);
/* Holds off SDL's audio thread and every queue and clear (SDL's device lock; recursive), so a
 * check and a queue are one step against a clear on another thread. Hold it for microseconds. */
void ui_audio_lock(ui_audio *a);
void ui_audio_unlock(ui_audio *a);

/* ---- Tone synthesis (pure; unit-tested) ----------------------------------------------------- */
/* Samples of tone t at rate: its whole length including gaps between notes. */
size_t ui_tone_length(enum ui_tone t, int rate);
/* Writes tone t at volume 0..100 into out (at most max samples); returns the count. */
size_t ui_tone_synth(enum ui_tone t, int rate, int volume, int16_t *out, size_t max);
/* The frequency of the tone's first note, Hz (for tests and the contract). */
float ui_tone_first_hz(enum ui_tone t);
const char *ui_tone_name(enum ui_tone t);

#endif
