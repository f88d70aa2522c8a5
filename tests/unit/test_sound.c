/* Unit tests for sound and speech without a device: the tones' length, peak and pitch
 * (ui_audio.c), the voice chosen for a name's script and the utterance's parts (ui_speech.c),
 * and the words the welcome, unknown and error screens say (screens/speech_text.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "common/util.h"
#include "screens/speech_text.h"
#include "ui/ui_audio.h"
#include "ui/ui_speech.h"

#define RATE UI_AUDIO_RATE

static int16_t buf[RATE];

/* Pitch of samples [from, from + n) from upward zero crossings. */
static float pitch(const int16_t *s, size_t from, size_t n)
{
	int ups = 0;
	size_t first = 0, last = 0;
	for (size_t i = from + 1; i < from + n; i++)
		if (s[i - 1] < 0 && s[i] >= 0) {
			if (!ups)
				first = i;
			last = i;
			ups++;
		}
	return ups > 1 ? (float)(ups - 1) * RATE / (float)(last - first) : 0;
}

static int peak(const int16_t *s, size_t n)
{
	int p = 0;
	for (size_t i = 0; i < n; i++)
		if (abs(s[i]) > p)
			p = abs(s[i]);
	return p;
}

static void test_tone_lengths(void **state)
{
	(void)state;
	assert_int_equal(ui_tone_length(UI_TONE_CHECKIN, RATE), RATE * 250 / 1000);
	assert_int_equal(ui_tone_length(UI_TONE_AGAIN, RATE), RATE * 140 / 1000);
	assert_int_equal(ui_tone_length(UI_TONE_UNKNOWN, RATE), RATE * 300 / 1000);
	assert_int_equal(ui_tone_length(UI_TONE_ERROR, RATE), 3 * (RATE * 80 / 1000) + 2 * (RATE * 50 / 1000));
	for (int t = 0; t < UI_TONE_COUNT; t++) {
		size_t n = ui_tone_synth((enum ui_tone)t, RATE, 100, buf, ARRAY_LEN(buf));
		assert_int_equal(n, ui_tone_length((enum ui_tone)t, RATE));
		assert_true(n < RATE / 2); /* short: an answer, not a jingle */
	}
	/* A short buffer is never overrun. */
	assert_int_equal(ui_tone_synth(UI_TONE_CHECKIN, RATE, 100, buf, 100), 100);
	assert_int_equal(ui_tone_synth(UI_TONE_COUNT, RATE, 100, buf, ARRAY_LEN(buf)), 0);
}

static void test_tone_peak_follows_volume(void **state)
{
	size_t n;
	(void)state;
	n = ui_tone_synth(UI_TONE_CHECKIN, RATE, 100, buf, ARRAY_LEN(buf));
	assert_in_range(peak(buf, n), 16000, 16384); /* half of full scale */
	n = ui_tone_synth(UI_TONE_CHECKIN, RATE, 50, buf, ARRAY_LEN(buf));
	assert_in_range(peak(buf, n), 8000, 8192);
	n = ui_tone_synth(UI_TONE_CHECKIN, RATE, 0, buf, ARRAY_LEN(buf));
	assert_int_equal(peak(buf, n), 0);
	/* No click: the first and last samples are near zero (the envelope's ramps). */
	n = ui_tone_synth(UI_TONE_UNKNOWN, RATE, 100, buf, ARRAY_LEN(buf));
	assert_true(abs(buf[0]) < 100 && abs(buf[n - 1]) < 400);
}

static void test_tones_distinct(void **state)
{
	float first[UI_TONE_COUNT];
	(void)state;
	for (int t = 0; t < UI_TONE_COUNT; t++) {
		size_t n = ui_tone_synth((enum ui_tone)t, RATE, 100, buf, ARRAY_LEN(buf));
		first[t] = pitch(buf, 0, RATE * 70 / 1000);
		assert_true(n > 0);
		assert_float_equal(first[t], ui_tone_first_hz((enum ui_tone)t), ui_tone_first_hz((enum ui_tone)t) * 0.03);
		for (int u = 0; u < t; u++) /* at least a whole tone apart */
			assert_true(first[t] > first[u] * 1.1f || first[u] > first[t] * 1.1f);
	}
	/* Checked in rises, unknown falls. */
	ui_tone_synth(UI_TONE_CHECKIN, RATE, 100, buf, ARRAY_LEN(buf));
	assert_true(pitch(buf, RATE * 120 / 1000, RATE * 100 / 1000) > first[UI_TONE_CHECKIN] * 1.3f);
	ui_tone_synth(UI_TONE_UNKNOWN, RATE, 100, buf, ARRAY_LEN(buf));
	assert_true(pitch(buf, RATE * 150 / 1000, RATE * 100 / 1000) < first[UI_TONE_UNKNOWN] * 0.8f);
}

static void test_voice_for_script(void **state)
{
	static const struct {
		const char *name, *voice;
	} cases[] = {
		{ "Maria González-Hernández", "en" },
		{ "Γιώργος Παπαδόπουλος", "el" },
		{ "Мария Иванова", "ru" },
		{ "محمد العلي", "ar" },
		{ "דוד לוי", "he" },
		{ "प्रिया रघुनाथन", "hi" },
		{ "田中 花子", "cmn" },
		{ "たなか はなこ", "ja" },
		{ "田中 はなこ", "ja" },   /* kana makes the kanji Japanese */
		{ "김민준", "ko" },
		{ "สมชาย ใจดี", "th" },
		{ "12 (A)", "en" },        /* no letters: the kiosk's voice */
		{ "", "en" },
		{ "(محمد) Ali", "ar" },    /* the first letter decides, not the brackets */
	};
	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++)
		assert_string_equal(ui_speech_voice_for(cases[i].name), cases[i].voice);
	assert_string_equal(ui_speech_voice_for(NULL), "en");
}

static void test_utterance_parts(void **state)
{
	ui_utterance *u = ui_utterance_new();
	(void)state;
	ui_utterance_say(u, "Checked in. Welcome,");
	ui_utterance_name(u, "Maria González-Hernández");
	ui_utterance_say(u, ".");
	ui_utterance_name(u, "田中 花子");
	ui_utterance_name(u, "");
	/* English parts run together so espeak-ng reads one sentence; the Han name is its own. */
	assert_int_equal(ui_utterance_count(u), 2);
	assert_string_equal(ui_utterance_text(u, 0),
			    "Checked in. Welcome, Maria González-Hernández.");
	assert_string_equal(ui_utterance_voice(u, 1), "cmn");
	assert_null(ui_utterance_text(u, 2));
	ui_utterance_free(u);
}

static char *joined(const ui_utterance *u)
{
	static char out[4096];
	out[0] = '\0';
	for (size_t i = 0; i < ui_utterance_count(u); i++) {
		strncat(out, ui_utterance_text(u, i), sizeof out - strlen(out) - 2);
		strcat(out, "|");
	}
	return out;
}

static void test_welcome_words(void **state)
{
	screen_tap *d = calloc(1, sizeof *d);
	screen_state st = { 0 };
	ui_utterance *u = ui_utterance_new();
	const char *text;
	(void)state;

	d->kind = SCREEN_TAP_KNOWN;
	strcpy(d->attendee.name, "Maria González-Hernández");
	d->tap.first_today = 1;
	d->ngroups = 2;
	strcpy(d->groups[0].group, "Digital Preservation");
	d->groups[0].total = 9;
	d->groups[0].count = 6;
	for (int i = 0; i < 6; i++)
		snprintf(d->groups[0].colleagues[i].name, STORE_NAME_MAX, "Colleague %d", i);
	strcpy(d->groups[0].colleagues[0].name, "田中 花子");
	strcpy(d->groups[0].colleagues[0].location, "Hall C foyer");
	strcpy(d->groups[1].group, "Rare Books");
	d->nsessions = 5;
	for (int i = 0; i < 5; i++)
		snprintf(d->sessions[i].title, STORE_TITLE_MAX, "Session %d", i);
	strcpy(d->sessions[0].room, "Hall B");
	st.id = SCREEN_WELCOME;
	st.tap = d;
	screen_speak(&st, u);
	text = joined(u);
	assert_non_null(strstr(text, "Checked in. Welcome, Maria González-Hernández."));
	assert_non_null(strstr(text, "9 colleagues here from Digital Preservation:|田中 花子|, at Hall C foyer"));
	assert_non_null(strstr(text, "Colleague 4"));
	assert_null(strstr(text, "Colleague 5")); /* five names read, the rest counted */
	assert_non_null(strstr(text, "And 4 more."));
	assert_non_null(strstr(text, "Nobody from Rare Books is here yet."));
	assert_non_null(strstr(text, "Next sessions: Session 0, at"));
	assert_non_null(strstr(text, ", in Hall B."));
	assert_null(strstr(text, "Session 3"));
	ui_utterance_free(u);

	/* A repeat tap is a welcome back; the unknown and error screens send people to the desk. */
	d->tap.repeat = 1;
	u = ui_utterance_new();
	screen_speak(&st, u);
	assert_non_null(strstr(joined(u), "Welcome back, Maria"));
	ui_utterance_free(u);
	st.id = SCREEN_UNKNOWN;
	u = ui_utterance_new();
	screen_speak(&st, u);
	assert_non_null(strstr(joined(u), "registration desk"));
	ui_utterance_free(u);
	st.id = SCREEN_ATTRACT;
	u = ui_utterance_new();
	screen_speak(&st, u);
	assert_int_equal(ui_utterance_count(u), 0); /* attract holds nothing to read */
	ui_utterance_free(u);
	free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tone_lengths),
		cmocka_unit_test(test_tone_peak_follows_volume),
		cmocka_unit_test(test_tones_distinct),
		cmocka_unit_test(test_voice_for_script),
		cmocka_unit_test(test_utterance_parts),
		cmocka_unit_test(test_welcome_words),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
