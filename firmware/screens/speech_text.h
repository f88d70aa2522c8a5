/* What each screen says when speech is on (docs/CONTRACT.md "Sound and speech"): the words in
 * one place, so a screen's file holds only its drawing. Names, groups, titles and rooms are
 * added with ui_utterance_name, so each is read in the voice of its script. */
#ifndef KITH_SCREENS_SPEECH_TEXT_H
#define KITH_SCREENS_SPEECH_TEXT_H

#include "screens/screens.h"
#include "ui/ui_speech.h"

#define SPEAK_COLLEAGUES_MAX 5 /* names read per group; the rest are counted */
#define SPEAK_SESSIONS_MAX 3   /* next sessions read */

/* Appends what the current screen (st->id, its tap data, its view) says. */
void screen_speak(const screen_state *st, ui_utterance *u);
/* What attract says when the accessibility button turns speech on. */
void screen_speak_intro(ui_utterance *u);
/* The session browser's part (sessions_speak.c); self is its private state. */
void sessions_speak(const void *self, int64_t now, ui_utterance *u);

#endif
