/* WCAG contrast of the theme's colour pairs (see contrast.h). Start at pairs[]: one row per
 * foreground/background combination a screen draws, named by where. Colours a screen mixes
 * (ui_mix) or lays over another at some alpha are worked out here exactly as they are drawn.
 */
#include "screens/contrast.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>

#define C(name) offsetof(screen_theme, name)
#define SOLID(x) { C(x), 0, 0.0f, 255 }
#define MIX(x, y, t) { C(x), C(y), (t), 255 }
#define OVER(x, alpha, y) { C(x), C(y), 0.0f, (alpha) }
#define TEXT(where, fg, bg) { where, SCREEN_PAIR_TEXT, fg, bg, { 0, 0, 0.0f, 0 } }
#define CONTROL(where, fill, bg) { where, SCREEN_PAIR_CONTROL, fill, bg, SOLID(outline) }

static const screen_pair pairs[] = {
	/* Text on the screen's background. */
	TEXT("headings, names, titles, the abstract", SOLID(text), SOLID(background)),
	TEXT("secondary text: clock, affiliation, notes", SOLID(muted), SOLID(background)),
	TEXT("section heads, times, PIN dots", SOLID(accent), SOLID(background)),
	TEXT("the route in words, PIN and admin messages, the unknown badge's mark",
	     SOLID(warn), SOLID(background)),
	TEXT("a running session's time, \"Checked in\" on consent", SOLID(ok), SOLID(background)),
	TEXT("welcome's status pill: Checked in", SOLID(ok), OVER(ok, 48, background)),
	TEXT("welcome's status pill: Welcome back", SOLID(again), OVER(again, 48, background)),
	/* Text on cards, buttons, rows, keys and tabs. */
	TEXT("buttons, rows, keys, tabs, colleague cards", SOLID(text), SOLID(surface)),
	TEXT("row details, group counts, the search placeholder", SOLID(muted), SOLID(surface)),
	TEXT("\"+N more\" in a colleague card, the demo legend", SOLID(accent), SOLID(surface)),
	TEXT("the sync card's failure title", SOLID(warn), SOLID(surface)),
	TEXT("the sync card's \"Safe to remove\"", SOLID(ok), SOLID(surface)),
	TEXT("a pressed button, row or key", SOLID(text), SOLID(pressed)),
	TEXT("a pressed row's details", SOLID(muted), SOLID(pressed)),
	TEXT("primary buttons (OK on the PIN pad)", SOLID(button_text), SOLID(button)),
	TEXT("a pressed primary button", SOLID(button_text), MIX(button, text, 0.35f)),
	TEXT("the selected tab or floor, the \"Now on\" tag, the map's highlighted room",
	     SOLID(background), SOLID(accent)),
	TEXT("the reader banner", SOLID(background), SOLID(warn)),
	TEXT("the \"Ended\" tag", SOLID(text), MIX(surface, muted, 0.3f)),
	TEXT("the keyboard's special keys", SOLID(muted), MIX(surface, background, 0.45f)),
	TEXT("the PIN pad while locked", SOLID(muted), MIX(surface, background, 0.5f)),
	TEXT("room names on the map", SOLID(text), MIX(surface, muted, 0.22f)),
	/* Controls: the edge that tells a button from the background (its fill, or else the
	 * outline screen_control draws around it). */
	CONTROL("buttons, rows, keys, tabs, floor chips", SOLID(surface), SOLID(background)),
	CONTROL("a pressed control", SOLID(pressed), SOLID(background)),
	CONTROL("primary buttons", SOLID(button), SOLID(background)),
	CONTROL("the selected tab or floor", SOLID(accent), SOLID(background)),
	CONTROL("the keyboard's special keys", MIX(surface, background, 0.45f), SOLID(background)),
	CONTROL("the PIN pad while locked", MIX(surface, background, 0.5f), SOLID(background)),
};

const screen_pair *screen_pairs(int *n)
{
	*n = (int)(sizeof pairs / sizeof pairs[0]);
	return pairs;
}

static double channel(Uint8 v)
{
	double c = v / 255.0;
	return c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4);
}

static double luminance(SDL_Color c)
{
	return 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b);
}

double screen_contrast_ratio(SDL_Color a, SDL_Color b)
{
	double la = luminance(a), lb = luminance(b);
	return la > lb ? (la + 0.05) / (lb + 0.05) : (lb + 0.05) / (la + 0.05);
}

static SDL_Color theme_color(const screen_theme *t, size_t off)
{
	return *(const SDL_Color *)((const char *)t + off);
}

SDL_Color screen_shade_color(const screen_theme *t, const screen_shade *s)
{
	SDL_Color a = theme_color(t, s->a);
	if (s->alpha > 0 && s->alpha < 255) {
		/* What SDL's blend mode draws: a over b at alpha, per channel. */
		SDL_Color b = theme_color(t, s->b), out = { 0, 0, 0, 255 };
		float k = (float)s->alpha / 255.0f;
		out.r = (Uint8)(a.r * k + b.r * (1 - k) + 0.5f);
		out.g = (Uint8)(a.g * k + b.g * (1 - k) + 0.5f);
		out.b = (Uint8)(a.b * k + b.b * (1 - k) + 0.5f);
		return out;
	}
	if (s->mix > 0)
		return ui_mix(a, theme_color(t, s->b), s->mix);
	return a;
}

void screen_shade_name(const screen_shade *s, char *out, size_t size)
{
	if (s->alpha > 0 && s->alpha < 255)
		snprintf(out, size, "%s at %d%% over %s", screen_theme_key(s->a),
			 s->alpha * 100 / 255, screen_theme_key(s->b));
	else if (s->mix > 0)
		snprintf(out, size, "%s mixed %d%% with %s", screen_theme_key(s->a),
			 (int)(s->mix * 100 + 0.5f), screen_theme_key(s->b));
	else
		snprintf(out, size, "%s", screen_theme_key(s->a));
}

double screen_pair_ratio(const screen_theme *t, const screen_pair *p)
{
	SDL_Color bg = screen_shade_color(t, &p->bg);
	double r = screen_contrast_ratio(screen_shade_color(t, &p->fg), bg);
	if (p->kind == SCREEN_PAIR_CONTROL) {
		double r2 = screen_contrast_ratio(screen_shade_color(t, &p->fg2), bg);
		if (r2 > r)
			r = r2;
	}
	return r;
}

double screen_pair_need(enum screen_pair_kind kind)
{
	return kind == SCREEN_PAIR_TEXT ? 4.5 : 3.0;
}

int screen_theme_check(const screen_theme *t,
		       void (*warn)(void *ctx, const screen_pair *p, double ratio, double need),
		       void *ctx)
{
	int bad = 0;
	for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
		double r = screen_pair_ratio(t, &pairs[i]), need = screen_pair_need(pairs[i].kind);
		/* Two decimals, as printed: 4.499 is not 4.5. */
		if (r + 1e-9 < need) {
			bad++;
			if (warn)
				warn(ctx, &pairs[i], r, need);
		}
	}
	return bad;
}
