/* Contrast, with numbers (WCAG 2.x, success criteria 1.4.3 and 1.4.11).
 *
 * Every foreground/background pair of theme colours the screens draw is a row of one table
 * (contrast.c), named by where it is drawn. The unit test (tests/unit/test_contrast.c) holds
 * the built-in theme to it, and the kiosk checks a custom theme_file the same way at load,
 * warning per pair that falls short. A screen that starts drawing a new pair adds a row.
 */
#ifndef KITH_CONTRAST_H
#define KITH_CONTRAST_H

#include "screens/screens.h"

enum screen_pair_kind {
	SCREEN_PAIR_TEXT,    /* text: 4.5:1 */
	SCREEN_PAIR_LARGE,   /* large text (WCAG: >= 18 pt, or >= 14 pt bold): 3:1 */
	SCREEN_PAIR_CONTROL, /* a control's edge (its fill, else its outline) on what is around it: 3:1 */
};

/* A colour of the theme, or a mix of two (ui_mix(a, b, mix)), or a over b at alpha/255. */
typedef struct screen_shade {
	size_t a, b;   /* offsetof(screen_theme, ...); b only with mix > 0 or alpha < 255 */
	float mix;     /* 0: a alone */
	int alpha;     /* 255 (or 0, the same): opaque; else a drawn over b at this alpha */
} screen_shade;

typedef struct screen_pair {
	const char *where;          /* "session rows: times and rooms" */
	enum screen_pair_kind kind;
	screen_shade fg, bg;
	screen_shade fg2;           /* CONTROL only: the outline (a second chance), or a = fg.a */
} screen_pair;

/* The table and its length. */
const screen_pair *screen_pairs(int *n);

double screen_contrast_ratio(SDL_Color a, SDL_Color b); /* 1.0 .. 21.0 */
/* "surface", "surface mixed 45% with background", "ok at 19% over background". */
void screen_shade_name(const screen_shade *s, char *out, size_t size);
SDL_Color screen_shade_color(const screen_theme *t, const screen_shade *s);
double screen_pair_ratio(const screen_theme *t, const screen_pair *p); /* the better edge */
double screen_pair_need(enum screen_pair_kind kind); /* 4.5 or 3.0 */

/* Calls warn (when not NULL) for each pair under its minimum; returns how many. */
int screen_theme_check(const screen_theme *t,
		       void (*warn)(void *ctx, const screen_pair *p, double ratio, double need),
		       void *ctx);

#endif
