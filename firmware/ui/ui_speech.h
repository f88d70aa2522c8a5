/* Speech on request: espeak-ng on its own thread, its samples queued to the kiosk's audio
 * device (ui_audio.h). docs/CONTRACT.md "Sound and speech".
 *
 * An utterance is a list of parts, each with its espeak-ng voice: the kiosk's own words in
 * English, and every name or title from the roster or schedule in the voice for its script
 * (ui_speech_voice_for), so "Γιώργος Παπαδόπουλος" is read in Greek and "Мария" in Russian.
 * The SDL thread builds an utterance and hands it over (ui_speech_say); it never waits for
 * synthesis. A new utterance, or ui_speech_cancel, stops the old one at once.
 */
#ifndef KITH_UI_SPEECH_H
#define KITH_UI_SPEECH_H

#include <stddef.h>

#include "ui/ui_audio.h"

/* ---- Utterances --------------------------------------------------------------------------- */
typedef struct ui_utterance ui_utterance;

ui_utterance *ui_utterance_new(void);
void ui_utterance_free(ui_utterance *u);
/* The kiosk's own words (English). */
void ui_utterance_say(ui_utterance *u, const char *text);
/* Text from outside (a name, a group, a title, a room): spoken in the voice of its script. */
void ui_utterance_name(ui_utterance *u, const char *text);
size_t ui_utterance_count(const ui_utterance *u);
const char *ui_utterance_text(const ui_utterance *u, size_t i);
const char *ui_utterance_voice(const ui_utterance *u, size_t i);

/* The espeak-ng voice for a text's script: the first character whose script is not common
 * (digits, punctuation) decides; kana anywhere makes it Japanese. "en" for Latin, for scripts
 * espeak-ng has no voice for, and for text with no letters. */
const char *ui_speech_voice_for(const char *utf8);

/* ---- The speech thread -------------------------------------------------------------------- */
typedef struct ui_speech ui_speech;

/* Starts the thread, which loads espeak-ng; NULL when there is no sound (speech is then off).
 * timing: log "timing speech_first_us=N", utterance handed over to its first samples queued. */
ui_speech *ui_speech_start(ui_audio *audio, int timing);
/* Stops speaking and joins the thread. */
void ui_speech_stop(ui_speech *s);
/* Replaces what is being said with u (taken over). keep_queued: leave the audio already queued
 * (the tap's tone, queued just before) and speak after it; else that is dropped too. */
void ui_speech_say(ui_speech *s, ui_utterance *u, int keep_queued);
/* Stops speaking now, and drops the speech samples already queued. */
void ui_speech_cancel(ui_speech *s);

#endif
