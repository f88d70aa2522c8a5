/* Sound: the tap's tones, synthesised here, and one SDL audio device for them and for speech.
 *
 * Start at ui_audio_open. The device is opened once, with the queue API (SDL_QueueAudio, no
 * callback), so the SDL thread queues a tone in microseconds when a tap's answer arrives and
 * the speech thread appends speech samples as espeak-ng produces them; SDL's own lock guards
 * the queue. Each tone is a few notes: a sine with a short raised-cosine attack and release
 * (no clicks), so the four outcomes differ in pitch and rhythm and are told apart without
 * looking. Amplitude is at most half of full scale at volume 100.
 */
#include "ui/ui_audio.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <SDL.h>

#include "common/log.h"
#include "common/util.h"

#define TONE_NOTES_MAX 5
#define TWO_PI 6.28318530718f
#define TONE_PEAK 0.5f   /* of full scale at volume 100 */
#define RAMP_MS 8        /* attack and release */
#define QUEUE_CHUNK 1024 /* samples scaled per step in ui_audio_queue */

struct ui_audio {
	SDL_AudioDeviceID dev; /* 0: no device (volume 0 or none present) */
	int volume;            /* 0..100 */
};

typedef struct tone_note {
	float hz;   /* 0: a rest */
	int ms;
	float gain; /* relative loudness of this note */
} tone_note;

static const struct {
	const char *name;
	tone_note notes[TONE_NOTES_MAX];
} tones[UI_TONE_COUNT] = {
	[UI_TONE_CHECKIN] = { "checkin", { { 659.3f, 90, 1.0f }, { 987.8f, 160, 1.0f } } },
	[UI_TONE_AGAIN] = { "again", { { 880.0f, 140, 0.8f } } },
	[UI_TONE_UNKNOWN] = { "unknown", { { 587.3f, 120, 1.0f }, { 440.0f, 180, 1.0f } } },
	[UI_TONE_ERROR] = { "error", { { 220.0f, 80, 1.0f }, { 0, 50, 0 }, { 220.0f, 80, 1.0f }, { 0, 50, 0 },
					     { 220.0f, 80, 1.0f } } },
};

const char *ui_tone_name(enum ui_tone t)
{
	return (unsigned)t < UI_TONE_COUNT ? tones[t].name : "?";
}

float ui_tone_first_hz(enum ui_tone t)
{
	return (unsigned)t < UI_TONE_COUNT ? tones[t].notes[0].hz : 0;
}

static size_t note_samples(const tone_note *n, int rate)
{
	return (size_t)n->ms * (size_t)rate / 1000;
}

size_t ui_tone_length(enum ui_tone t, int rate)
{
	size_t len = 0;
	if ((unsigned)t >= UI_TONE_COUNT || rate <= 0)
		return 0;
	for (int i = 0; i < TONE_NOTES_MAX && tones[t].notes[i].ms > 0; i++)
		len += note_samples(&tones[t].notes[i], rate);
	return len;
}

size_t ui_tone_synth(enum ui_tone t, int rate, int volume, int16_t *out, size_t max)
{
	size_t pos = 0;

	if ((unsigned)t >= UI_TONE_COUNT || rate <= 0)
		return 0;
	if (volume < 0)
		volume = 0;
	if (volume > 100)
		volume = 100;
	for (int i = 0; i < TONE_NOTES_MAX && tones[t].notes[i].ms > 0; i++) {
		const tone_note *n = &tones[t].notes[i];
		size_t len = note_samples(n, rate), ramp = (size_t)RAMP_MS * (size_t)rate / 1000;
		float amp = 32767.0f * TONE_PEAK * n->gain * (float)volume / 100.0f;

		for (size_t j = 0; j < len && pos < max; j++, pos++) {
			float env = 1.0f;
			if (j < ramp)
				env = 0.5f - 0.5f * cosf(0.5f * TWO_PI * (float)j / (float)ramp);
			else if (len - j <= ramp)
				env = 0.5f - 0.5f * cosf(0.5f * TWO_PI * (float)(len - j) / (float)ramp);
			out[pos] = (int16_t)lrintf(amp * env *
						   sinf(TWO_PI * n->hz * (float)j / (float)rate));
		}
	}
	return pos;
}

ui_audio *ui_audio_open(int volume)
{
	ui_audio *a = xcalloc(1, sizeof *a);
	SDL_AudioSpec want, have;

	a->volume = volume < 0 ? 0 : volume > 100 ? 100 : volume;
	if (a->volume == 0) {
		log_info("sound: off (volume 0)");
		return a;
	}
	if (SDL_InitSubSystem(SDL_INIT_AUDIO) != 0) {
		log_warn("sound: no audio (%s); the kiosk works silently", SDL_GetError());
		a->volume = 0;
		return a;
	}
	memset(&want, 0, sizeof want);
	want.freq = UI_AUDIO_RATE;
	want.format = AUDIO_S16SYS;
	want.channels = 1;
	want.samples = 512; /* ~23 ms: a tone starts within a buffer of being queued */
	a->dev = SDL_OpenAudioDevice(NULL, 0, &want, &have, 0); /* SDL converts to the hardware */
	if (a->dev == 0) {
		log_warn("sound: no audio device (%s); the kiosk works silently", SDL_GetError());
		SDL_QuitSubSystem(SDL_INIT_AUDIO);
		a->volume = 0;
		return a;
	}
	SDL_PauseAudioDevice(a->dev, 0);
	log_info("sound: %s, volume %d", SDL_GetCurrentAudioDriver(), a->volume);
	return a;
}

void ui_audio_close(ui_audio *a)
{
	if (!a)
		return;
	if (a->dev) {
		SDL_CloseAudioDevice(a->dev);
		SDL_QuitSubSystem(SDL_INIT_AUDIO);
	}
	free(a);
}

int ui_audio_active(const ui_audio *a)
{
	return a && a->dev != 0;
}

void ui_audio_clear(ui_audio *a)
{
	if (ui_audio_active(a))
		SDL_ClearQueuedAudio(a->dev);
}

void ui_audio_lock(ui_audio *a)
{
	if (ui_audio_active(a))
		SDL_LockAudioDevice(a->dev);
}

void ui_audio_unlock(ui_audio *a)
{
	if (ui_audio_active(a))
		SDL_UnlockAudioDevice(a->dev);
}

int ui_audio_tone(ui_audio *a, enum ui_tone t)
{
	int16_t buf[UI_AUDIO_RATE]; /* one second: longer than any tone */
	size_t n;

	if (!ui_audio_active(a))
		return -1;
	n = ui_tone_synth(t, UI_AUDIO_RATE, a->volume, buf, ARRAY_LEN(buf));
	SDL_ClearQueuedAudio(a->dev);
	return SDL_QueueAudio(a->dev, buf, (Uint32)(n * sizeof buf[0])) == 0 ? 0 : -1;
}

int ui_audio_queue(ui_audio *a, const int16_t *samples, size_t n)
{
	int16_t buf[QUEUE_CHUNK];

	if (!ui_audio_active(a))
		return -1;
	while (n > 0) {
		size_t k = n < QUEUE_CHUNK ? n : QUEUE_CHUNK;
		for (size_t i = 0; i < k; i++)
			buf[i] = (int16_t)(samples[i] * a->volume / 100);
		if (SDL_QueueAudio(a->dev, buf, (Uint32)(k * sizeof buf[0])) != 0)
			return -1;
		samples += k;
		n -= k;
	}
	return 0;
}
