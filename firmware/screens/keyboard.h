/* The on-screen keyboard for session search: letters, digits and punctuation, and a layer of
 * accented letters (é, ü, ø, ñ, ß ...) so "Zoë" and "Société" can be typed on a touchscreen.
 * Other scripts (CJK, Arabic) come from a hardware keyboard or an input method as SDL text
 * input; the search accepts both. Immediate mode like the rest of the UI: rectangles are set
 * while drawing, and pointer events are matched against the last drawn frame.
 */
#ifndef KITH_KEYBOARD_H
#define KITH_KEYBOARD_H

#include "screens/screens.h"

#define KEYBOARD_KEYS_MAX 48

enum keyboard_event {
	KEYBOARD_NONE,
	KEYBOARD_TEXT,      /* text[] holds the UTF-8 to insert */
	KEYBOARD_BACKSPACE, /* delete one character */
	KEYBOARD_CLEAR,     /* empty the field */
};

typedef struct keyboard {
	int layer;                      /* 0 letters, 1 digits, 2 accents */
	int nkeys;                      /* keys drawn in the last frame */
	ui_tap keys[KEYBOARD_KEYS_MAX]; /* their tap state, rects from the last frame */
	const char *key_text[KEYBOARD_KEYS_MAX]; /* label / inserted text of each */
} keyboard;

void keyboard_init(keyboard *k);
/* Height that suits width w at metrics m (4 rows of comfortable keys). */
int keyboard_height(const screen_metrics *m, int w, int h_avail);
void keyboard_draw(keyboard *k, ui *u, const screen_theme *t, const screen_metrics *m, SDL_Rect r);
/* Routes a pointer event; on KEYBOARD_TEXT, text (size >= 8) holds what to insert. */
enum keyboard_event keyboard_pointer(keyboard *k, const ui_pointer *p, char *text, size_t size);

#endif
