/* What all screens share: theme, metrics, buttons, routing of input and draws by screen id,
 * and the reader banner overlay. Start reading at screen_draw().
 */
#include "screens/screens.h"

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
};

void screen_theme_default(screen_theme *t)
{
	/* Calm and high-contrast: deep navy, warm white, one teal accent (assets/theme/kith.theme). */
	static const char *defaults[][2] = {
		{ "background", "#0E1A2B" }, { "surface", "#182A40" }, { "pressed", "#24405F" },
		{ "text", "#F5F1E8" },       { "muted", "#9DB0C6" },   { "accent", "#5CC8B8" },
		{ "ok", "#6CD49B" },         { "again", "#84B9FF" },   { "warn", "#F2B24C" },
		{ "button", "#5CC8B8" },     { "button_text", "#0E1A2B" },
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
	ui_round_rect(u, r, m->radius, fill);
	ui_text(u, label, UI_FACE_BOLD, px, ink, r.x + m->pad, r.y + (r.h - lh) / 2,
		r.w - 2 * m->pad, UI_CENTER);
	ui_scene_note(u, "button", tap->rect, label);
}

const char *screen_name(enum screen_id id)
{
	switch (id) {
	case SCREEN_ATTRACT: return "attract";
	case SCREEN_WELCOME: return "welcome";
	case SCREEN_CONSENT: return "consent";
	case SCREEN_UNKNOWN: return "unknown";
	case SCREEN_ERROR: return "error";
	case SCREEN_SESSIONS: return "sessions";
	case SCREEN_ADMIN: return "admin";
	}
	return "?";
}

enum screen_action screen_pointer(screen_state *st, const ui_pointer *p)
{
	switch (st->id) {
	case SCREEN_ATTRACT:
		return ui_tap_feed(&st->browse, p) ? SCREEN_ACTION_SESSIONS : SCREEN_ACTION_NONE;
	case SCREEN_WELCOME: {
		/* A drag on the list is a scroll, never a tap on something under it. */
		SDL_Rect v = st->sessions.view;
		int in = p->x >= v.x && p->x < v.x + v.w && p->y >= v.y && p->y < v.y + v.h;
		int row = in && st->session_row_h > 0
				  ? (p->y - v.y + (int)st->sessions.offset) / st->session_row_h : -1;
		if (ui_scroll_feed(&st->sessions, p)) {
			st->done.pressed = 0;
			st->picked_session = -1;
			return SCREEN_ACTION_NONE;
		}
		if (p->kind == UI_POINTER_DOWN)
			st->picked_session = row;
		else if (p->kind == UI_POINTER_UP && row >= 0 && row == st->picked_session &&
			 st->tap && row < st->tap->nsessions)
			return SCREEN_ACTION_SESSION; /* a session row opens its detail */
		if (ui_tap_feed(&st->browse, p))
			return SCREEN_ACTION_SESSIONS;
		return ui_tap_feed(&st->done, p) ? SCREEN_ACTION_DONE : SCREEN_ACTION_NONE;
	}
	case SCREEN_CONSENT:
		if (ui_tap_feed(&st->yes, p))
			return SCREEN_ACTION_YES;
		if (ui_tap_feed(&st->no, p))
			return SCREEN_ACTION_NO;
		return SCREEN_ACTION_NONE;
	case SCREEN_UNKNOWN:
	case SCREEN_ERROR:
		return ui_tap_feed(&st->done, p) ? SCREEN_ACTION_DONE : SCREEN_ACTION_NONE;
	default:
		return SCREEN_ACTION_NONE;
	}
}

int screen_update(screen_state *st, float dt, uint64_t now_ns)
{
	int moving = now_ns - st->shown_ns < SCREEN_ENTRANCE_NS; /* entrance animation */

	/* One more frame once the animation's time is up, so the last frame drawn shows its end
	 * state even when a frame took longer than the whole animation (a first frame that
	 * compiles shaders); otherwise the name could stay faded out until the next change. */
	if (!moving && !st->entrance_ended) {
		st->entrance_ended = 1;
		moving = 1;
	}
	if (st->id == SCREEN_ATTRACT)
		return 1; /* the calm pulse runs continuously */
	if (st->id == SCREEN_WELCOME)
		moving |= ui_scroll_update(&st->sessions, dt);
	return moving;
}

void screen_attract_draw(ui *u, screen_state *st, const screen_theme *t, const screen_metrics *m,
			 uint64_t now_ns);
void screen_welcome_draw(ui *u, screen_state *st, const screen_theme *t, const screen_metrics *m,
			 uint64_t now_ns);
void screen_consent_draw(ui *u, screen_state *st, const screen_theme *t, const screen_metrics *m,
			 uint64_t now_ns);
void screen_unknown_draw(ui *u, screen_state *st, const screen_theme *t, const screen_metrics *m,
			 uint64_t now_ns);

void screen_draw(ui *u, screen_state *st, const screen_theme *t, const screen_metrics *m,
		 uint64_t now_ns)
{
	switch (st->id) {
	case SCREEN_ATTRACT:
		screen_attract_draw(u, st, t, m, now_ns);
		break;
	case SCREEN_WELCOME:
		screen_welcome_draw(u, st, t, m, now_ns);
		break;
	case SCREEN_CONSENT:
		screen_consent_draw(u, st, t, m, now_ns);
		break;
	case SCREEN_UNKNOWN:
	case SCREEN_ERROR:
		screen_unknown_draw(u, st, t, m, now_ns);
		break;
	case SCREEN_SESSIONS:
	case SCREEN_ADMIN:
		break; /* own state and data: the app draws them (browse_draw, admin_screen_draw) */
	}
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
