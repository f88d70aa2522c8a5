/* Speech on request: one thread owns espeak-ng (its global state, its voice) and turns
 * utterances into samples queued on the audio device.
 *
 * Start at speech_main. espeak-ng runs in AUDIO_OUTPUT_SYNCHRONOUS mode: espeak_Synth returns
 * when a part is synthesised and calls on_samples, on this thread, every ~100 ms of audio;
 * synthesis is many times faster than playback, so the queue runs ahead of the loudspeaker.
 * Cancelling must be instant and must not let a stale chunk slip in after the queue was
 * cleared: every say and cancel bumps the atomic `gen` before it clears the queue, and
 * on_samples checks `gen` and queues inside SDL's device lock (ui_audio_lock), which the
 * clear also takes: a chunk is either queued before the clear (and cleared) or sees the new
 * `gen` and is dropped, and espeak-ng is told to abort (on_samples returns 1). `lock` guards
 * only the hand-over (`pending`, and `gen` read with it), never an SDL call on this thread, so
 * the SDL thread waits neither for synthesis nor for a queue in progress.
 */
#include "ui/ui_speech.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <espeak-ng/speak_lib.h>
#include <hb.h>

#include "common/log.h"
#include "common/utf8.h"
#include "common/util.h"

#define VOICE_DEFAULT "en"
#define SYNTH_BUF_MS 100

/* ---- Utterances --------------------------------------------------------------------------- */
typedef struct utt_part {
	char voice[16]; /* espeak-ng voice name */
	char *text;     /* UTF-8 */
} utt_part;

struct ui_utterance {
	utt_part *parts;
	size_t n, cap;
};

ui_utterance *ui_utterance_new(void)
{
	return xcalloc(1, sizeof(ui_utterance));
}

void ui_utterance_free(ui_utterance *u)
{
	if (!u)
		return;
	for (size_t i = 0; i < u->n; i++)
		free(u->parts[i].text);
	free(u->parts);
	free(u);
}

/* Appends text in voice; joins it to the last part when that has the same voice, so the
 * kiosk's sentences reach espeak-ng whole and keep their intonation. */
static void utt_add(ui_utterance *u, const char *voice, const char *text)
{
	utt_part *last = u->n ? &u->parts[u->n - 1] : NULL;

	if (!text || !*text)
		return;
	if (last && strcmp(last->voice, voice) == 0) {
		size_t a = strlen(last->text), b = strlen(text);
		int gap = !strchr(".,:;", text[0]); /* "Maria" + "." is "Maria." */
		last->text = xreallocarray(last->text, a + b + 2, 1);
		last->text[a] = ' ';
		memcpy(last->text + a + gap, text, b + 1);
		return;
	}
	if (u->n == u->cap) {
		u->cap = u->cap ? 2 * u->cap : 8;
		u->parts = xreallocarray(u->parts, u->cap, sizeof *u->parts);
	}
	str_copy_utf8(u->parts[u->n].voice, sizeof u->parts[u->n].voice, voice);
	u->parts[u->n].text = xstrdup(text);
	u->n++;
}

void ui_utterance_say(ui_utterance *u, const char *text)
{
	utt_add(u, VOICE_DEFAULT, text);
}

void ui_utterance_name(ui_utterance *u, const char *text)
{
	utt_add(u, ui_speech_voice_for(text), text);
}

size_t ui_utterance_count(const ui_utterance *u)
{
	return u ? u->n : 0;
}

const char *ui_utterance_text(const ui_utterance *u, size_t i)
{
	return u && i < u->n ? u->parts[i].text : NULL;
}

const char *ui_utterance_voice(const ui_utterance *u, size_t i)
{
	return u && i < u->n ? u->parts[i].voice : NULL;
}

/* ---- Script to voice ---------------------------------------------------------------------- */
/* espeak-ng's voices for scripts other than Latin (espeak-ng --voices). Han alone is read as
 * Mandarin: a Japanese name written only in kanji cannot be told from a Chinese one. */
static const struct {
	hb_script_t script;
	const char *voice;
} script_voices[] = {
	{ HB_SCRIPT_GREEK, "el" },      { HB_SCRIPT_CYRILLIC, "ru" },  { HB_SCRIPT_ARABIC, "ar" },
	{ HB_SCRIPT_HEBREW, "he" },     { HB_SCRIPT_DEVANAGARI, "hi" }, { HB_SCRIPT_BENGALI, "bn" },
	{ HB_SCRIPT_GURMUKHI, "pa" },   { HB_SCRIPT_GUJARATI, "gu" },  { HB_SCRIPT_ORIYA, "or" },
	{ HB_SCRIPT_TAMIL, "ta" },      { HB_SCRIPT_TELUGU, "te" },    { HB_SCRIPT_KANNADA, "kn" },
	{ HB_SCRIPT_MALAYALAM, "ml" },  { HB_SCRIPT_SINHALA, "si" },   { HB_SCRIPT_THAI, "th" },
	{ HB_SCRIPT_GEORGIAN, "ka" },   { HB_SCRIPT_ARMENIAN, "hy" },  { HB_SCRIPT_ETHIOPIC, "am" },
	{ HB_SCRIPT_MYANMAR, "my" },    { HB_SCRIPT_HAN, "cmn" },      { HB_SCRIPT_HANGUL, "ko" },
	{ HB_SCRIPT_HIRAGANA, "ja" },   { HB_SCRIPT_KATAKANA, "ja" },
};

const char *ui_speech_voice_for(const char *utf8)
{
	hb_unicode_funcs_t *uf = hb_unicode_funcs_get_default();
	hb_script_t first = HB_SCRIPT_COMMON;
	const char *p = utf8;

	if (!utf8)
		return VOICE_DEFAULT;
	while (*p) {
		hb_script_t sc = hb_unicode_script(uf, utf8_next(&p));
		if (sc == HB_SCRIPT_HIRAGANA || sc == HB_SCRIPT_KATAKANA)
			return "ja"; /* 田中 はなこ: kana makes the kanji Japanese */
		if (first == HB_SCRIPT_COMMON && sc != HB_SCRIPT_COMMON && sc != HB_SCRIPT_INHERITED &&
		    sc != HB_SCRIPT_UNKNOWN)
			first = sc;
	}
	for (size_t i = 0; i < ARRAY_LEN(script_voices); i++)
		if (script_voices[i].script == first)
			return script_voices[i].voice;
	return VOICE_DEFAULT;
}

/* ---- The thread --------------------------------------------------------------------------- */
struct ui_speech {
	ui_audio *audio;         /* shared with the SDL thread; its queue has SDL's own lock */
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	ui_utterance *pending;   /* guarded by lock: the next utterance, taken by the thread */
	atomic_uint gen;         /* bumped by every say, cancel and stop (under lock) */
	int quit;                /* guarded by lock */
	uint64_t said_ns;        /* guarded by lock: when the pending utterance was handed over */
	int timing;              /* log "timing speech_first_us" (KITH_TIMING=1) */
	unsigned speaking;       /* speech thread only: the gen of the utterance being spoken */
	uint64_t speaking_ns;    /* speech thread only: its said_ns; 0 once its first chunk is queued */
	char voice[16];          /* speech thread only: espeak-ng's current voice */
};

/* espeak-ng's callback, on the speech thread: queue the chunk unless the utterance is stale. */
static int on_samples(short *wav, int n, espeak_EVENT *events)
{
	ui_speech *s = events ? events->user_data : NULL;
	int stale;

	if (!s || atomic_load(&s->gen) != s->speaking)
		return 1;
	if (!wav || n <= 0)
		return 0;
	ui_audio_lock(s->audio);
	stale = atomic_load(&s->gen) != s->speaking;
	if (!stale)
		ui_audio_queue(s->audio, wav, (size_t)n);
	ui_audio_unlock(s->audio);
	if (!stale && s->speaking_ns) {
		if (s->timing)
			log_info("timing speech_first_us=%llu",
				 (unsigned long long)((time_mono_ns() - s->speaking_ns) / 1000));
		s->speaking_ns = 0;
	}
	return stale;
}

static void use_voice(ui_speech *s, const char *voice)
{
	if (strcmp(s->voice, voice) == 0)
		return;
	if (espeak_SetVoiceByName(voice) != EE_OK) {
		log_warn("speech: espeak-ng has no voice '%s'; using %s", voice, VOICE_DEFAULT);
		espeak_SetVoiceByName(VOICE_DEFAULT);
	}
	str_copy_utf8(s->voice, sizeof s->voice, voice);
}

static void speak(ui_speech *s, const ui_utterance *u)
{
	for (size_t i = 0; i < u->n; i++) {
		if (atomic_load(&s->gen) != s->speaking)
			return;
		use_voice(s, u->parts[i].voice);
		espeak_Synth(u->parts[i].text, strlen(u->parts[i].text) + 1, 0, POS_CHARACTER, 0,
			     espeakCHARS_UTF8, NULL, s);
	}
}

static void *speech_main(void *arg)
{
	ui_speech *s = arg;
	int rate = espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, SYNTH_BUF_MS, NULL, 0);

	if (rate != UI_AUDIO_RATE) {
		log_error("speech: espeak-ng did not start (rate %d, want %d); speech is off", rate,
			  UI_AUDIO_RATE);
		rate = -1;
	} else {
		espeak_SetSynthCallback(on_samples);
		use_voice(s, VOICE_DEFAULT);
	}
	pthread_mutex_lock(&s->lock);
	for (;;) {
		ui_utterance *u;
		while (!s->quit && !s->pending)
			pthread_cond_wait(&s->wake, &s->lock);
		if (s->quit)
			break;
		u = s->pending;
		s->pending = NULL;
		s->speaking = atomic_load(&s->gen);
		s->speaking_ns = s->said_ns;
		pthread_mutex_unlock(&s->lock);
		if (rate > 0)
			speak(s, u);
		ui_utterance_free(u);
		pthread_mutex_lock(&s->lock);
	}
	pthread_mutex_unlock(&s->lock);
	if (rate > 0)
		espeak_Terminate();
	return NULL;
}

ui_speech *ui_speech_start(ui_audio *audio, int timing)
{
	ui_speech *s;

	if (!ui_audio_active(audio))
		return NULL;
	s = xcalloc(1, sizeof *s);
	s->audio = audio;
	s->timing = timing;
	atomic_init(&s->gen, 0);
	pthread_mutex_init(&s->lock, NULL);
	pthread_cond_init(&s->wake, NULL);
	if (pthread_create(&s->thread, NULL, speech_main, s) != 0) {
		log_error("speech: cannot start its thread; speech is off");
		pthread_cond_destroy(&s->wake);
		pthread_mutex_destroy(&s->lock);
		free(s);
		return NULL;
	}
	return s;
}

void ui_speech_say(ui_speech *s, ui_utterance *u, int keep_queued)
{
	if (!s) {
		ui_utterance_free(u);
		return;
	}
	pthread_mutex_lock(&s->lock);
	atomic_fetch_add(&s->gen, 1);
	if (!keep_queued)
		ui_audio_clear(s->audio);
	ui_utterance_free(s->pending);
	s->pending = u;
	s->said_ns = time_mono_ns();
	pthread_cond_signal(&s->wake);
	pthread_mutex_unlock(&s->lock);
}

void ui_speech_cancel(ui_speech *s)
{
	if (!s)
		return;
	pthread_mutex_lock(&s->lock);
	atomic_fetch_add(&s->gen, 1);
	ui_audio_clear(s->audio);
	ui_utterance_free(s->pending);
	s->pending = NULL;
	pthread_mutex_unlock(&s->lock);
}

void ui_speech_stop(ui_speech *s)
{
	if (!s)
		return;
	pthread_mutex_lock(&s->lock);
	s->quit = 1;
	atomic_fetch_add(&s->gen, 1);
	pthread_cond_signal(&s->wake);
	pthread_mutex_unlock(&s->lock);
	pthread_join(s->thread, NULL);
	ui_utterance_free(s->pending);
	pthread_cond_destroy(&s->wake);
	pthread_mutex_destroy(&s->lock);
	free(s);
}
