/* The widgets all screens share: theme, metrics, buttons, the clock, the top bar and the reader
 * banner overlay. Which screen shows, and the routing of input and draws to it, is router.c's.
 */
#include "screens/screens.h"
#include "screens/contrast.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const struct {
	const char *key;
	size_t off;
} theme_keys[] = {
	{ "background", offsetof(screen_theme, background) },
	{ "surface", offsetof(screen_theme, surface) },
	{ "pressed", offsetof(screen_theme, pressed) },
	{ "text", offsetof(screen_theme, text) },
	{ "muted", offsetof(screen_theme, muted) },
	{ "accent", offsetof(screen_theme, accent) },
	{ "ok", offsetof(screen_theme, ok) },
	{ "again", offsetof(screen_theme, again) },
	{ "warn", offsetof(screen_theme, warn) },
	{ "button", offsetof(screen_theme, button) },
	{ "button_text", offsetof(screen_theme, button_text) },
	{ "outline", offsetof(screen_theme, outline) },
};

const char *screen_theme_key(size_t off)
{
	for (size_t i = 0; i < sizeof theme_keys / sizeof theme_keys[0]; i++)
		if (theme_keys[i].off == off)
			return theme_keys[i].key;
	return "?";
}

void screen_theme_default(screen_theme *t)
{
	/* Calm and high-contrast: deep navy, warm white, one teal accent (assets/theme/kith.theme). */
	static const char *defaults[][2] = {
		{ "background", "#0E1A2B" }, { "surface", "#182A40" }, { "pressed", "#24405F" },
		{ "text", "#F5F1E8" },       { "muted", "#9DB0C6" },   { "accent", "#5CC8B8" },
		{ "ok", "#6CD49B" },         { "again", "#84B9FF" },   { "warn", "#F2B24C" },
		{ "button", "#5CC8B8" },     { "button_text", "#0E1A2B" },
		/* 3.7:1 on the background: a card-coloured button's edge (tests/unit/test_contrast.c). */
		{ "outline", "#5A7594" },
	};
	for (size_t i = 0; i < sizeof defaults / sizeof defaults[0]; i++)
		screen_theme_set(t, defaults[i][0], defaults[i][1]);
}

int screen_theme_set(screen_theme *t, const char *key, const char *value)
{
	for (size_t i = 0; i < sizeof theme_keys / sizeof theme_keys[0]; i++) {
		SDL_Color *c;
		unsigned long v;
		char *end;
		if (strcmp(key, theme_keys[i].key) != 0)
			continue;
		if (value[0] != '#' || strlen(value) != 7)
			return -1;
		v = strtoul(value + 1, &end, 16);
		if (*end)
			return -1;
		c = (SDL_Color *)((char *)t + theme_keys[i].off);
		c->r = (Uint8)(v >> 16);
		c->g = (Uint8)(v >> 8);
		c->b = (Uint8)v;
		c->a = 255;
		return 0;
	}
	return -1;
}

void screen_metrics_compute(screen_metrics *m, SDL_Rect area)
{
	int shortest = area.w < area.h ? area.w : area.h;
	int longest = area.w < area.h ? area.h : area.w;
	/* Scale by the short side, but not past what the long side allows (very wide panels). */
	float s = shortest / 480.0f, s2 = longest / 800.0f;

	if (s2 < s)
		s = s2;
	m->area = area;
	m->portrait = area.h > area.w;
	m->s = s;
	m->margin = (int)(28 * s);
	m->gap = (int)(14 * s);
	m->pad = (int)(16 * s);
	m->radius = (int)(14 * s);
	m->px_name = (int)(50 * s);
	m->px_title = (int)(30 * s);
	m->px_body = (int)(21 * s);
	m->px_small = (int)(17 * s);
	m->px_label = (int)(15 * s);
	m->touch = (int)(64 * s);
	m->bar_h = m->touch * 4 / 5;
	m->bar_button_w = (int)(150 * s);
	m->back_w = (int)(130 * s);
	m->chip_h = m->touch * 7 / 10;
	m->chip_w_max = (int)(180 * s);
	m->time_w = (int)(96 * s);
	m->wide_button_w = (int)(260 * s);
	screen_metrics_physical(m, area.w, area.h, 7.0);
}

void screen_metrics_physical(screen_metrics *m, int display_w, int display_h, double diagonal_in)
{
	double diag_px = sqrt((double)display_w * display_w + (double)display_h * display_h);
	m->px_per_mm = (float)(diag_px / (diagonal_in * 25.4));
	m->target_min = (int)ceil(9.6 * m->px_per_mm);
	m->target_gap = (int)ceil(2.5 * m->px_per_mm);
	if (m->touch < m->target_min)
		m->touch = m->target_min;
	if (m->bar_h < m->target_min)
		m->bar_h = m->target_min;
	if (m->chip_h < m->target_min)
		m->chip_h = m->target_min;
}

void screen_clock(char *buf, size_t size, int64_t when)
{
	struct tm tm;
	time_t t = (time_t)when;
	localtime_r(&t, &tm);
	strftime(buf, size, "%H:%M", &tm);
}

void screen_button(ui *u, const screen_theme *t, const screen_metrics *m, ui_tap *tap,
		   SDL_Rect r, const char *label, int primary)
{
	SDL_Color fill = primary ? t->button : t->surface;
	SDL_Color ink = primary ? t->button_text : t->text;
	int px = ui_text_fit(u, label, UI_FACE_BOLD, m->px_title, m->px_small, r.w - 2 * m->pad);
	int lh = ui_line_height(u, UI_FACE_BOLD, px);

	tap->rect = r;
	if (tap->pressed && tap->inside) {
		fill = primary ? ui_mix(t->button, t->text, 0.35f) : t->pressed;
		r.y += (int)(2 * m->s); /* pressed: sinks a little */
	}
	screen_control(u, t, m, r, m->radius, fill);
	ui_text(u, label, UI_FACE_BOLD, px, ink, r.x + m->pad, r.y + (r.h - lh) / 2,
		r.w - 2 * m->pad, UI_CENTER);
	ui_scene_note(u, "button", tap->rect, label);
}

void screen_control(ui *u, const screen_theme *t, const screen_metrics *m, SDL_Rect r,
		    int radius, SDL_Color fill)
{
	int bw = m->s >= 1.5f ? (int)(m->s + 0.5f) : 1;
	if (screen_contrast_ratio(fill, t->background) >= 3.0) {
		ui_round_rect(u, r, radius, fill);
		return;
	}
	ui_round_rect(u, r, radius, t->outline);
	ui_round_rect(u, (SDL_Rect){ r.x + bw, r.y + bw, r.w - 2 * bw, r.h - 2 * bw },
		      radius > bw ? radius - bw : 0, fill);
}

int screen_top_bar(ui *u, const screen_theme *t, const screen_metrics *m, const screen_bar *b,
		   int64_t now)
{
	SDL_Rect a = m->area;
	int h = m->bar_h, bw = m->bar_button_w, y = a.y + m->margin / 2;
	int cw = 0, ch;

	screen_button(u, t, m, b->back, (SDL_Rect){ a.x + m->margin, y, bw, h }, b->back_label, 0);
	if (b->clock) {
		char clock[16];
		screen_clock(clock, sizeof clock, now);
		ui_text_size(u, clock, UI_FACE_BOLD, m->px_body, &cw, &ch);
		ui_text(u, clock, UI_FACE_BOLD, m->px_body, t->muted, a.x + a.w - m->margin - cw,
			y + (h - ch) / 2, cw, UI_RIGHT);
	}
	if (b->title != NULL) {
		int x = a.x + m->margin + bw + m->gap;
		int w = a.x + a.w - m->margin - (b->clock ? cw + m->gap : 0) - x;
		int px = ui_text_fit(u, b->title, UI_FACE_BOLD, m->px_title, b->title_min_px, w);
		int tl = ui_line_height(u, UI_FACE_BOLD, px);
		ui_text(u, b->title, UI_FACE_BOLD, px, t->text, x, y + (h - tl) / 2, w, UI_LEFT);
	}
	return h;
}

int screen_banner_height(ui *u, const screen_metrics *m)
{
	return ui_line_height(u, UI_FACE_BOLD, m->px_body) +
	       ui_line_height(u, UI_FACE_REGULAR, m->px_label) + m->pad;
}

void screen_banner_draw(ui *u, const screen_theme *t, const screen_metrics *m, SDL_Rect r,
			const char *title, const char *detail)
{
	int lh = ui_line_height(u, UI_FACE_BOLD, m->px_body);
	int x = r.x + m->margin, w = r.w - 2 * m->margin;

	ui_fill(u, r, t->warn);
	ui_text(u, title, UI_FACE_BOLD, m->px_body, t->background, x, r.y + m->pad / 2, w, UI_LEFT);
	ui_text(u, detail, UI_FACE_REGULAR, m->px_label, t->background, x, r.y + m->pad / 2 + lh, w,
		UI_LEFT);
}
