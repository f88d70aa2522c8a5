/* Attract: what the kiosk shows between people. "Tap your badge", the conference name, the
 * time, and a slow pulse around a badge outline that draws the eye without nagging. It holds no
 * personal data, so the idle timeout always comes back here. A large "Read aloud" button
 * beside "Sessions & venue map" turns speech on for the next visitor (app/kiosk.c).
 */
#include "screens/screens.h"

#include <math.h>
#include <stdio.h>

#define PULSE_PERIOD_S 3.2f
#define PULSE_RINGS 3
#define SPEAK_LABEL_OFF "\xF0\x9F\x94\x8A Read aloud"       /* U+1F50A speaker */
#define SPEAK_LABEL_ON "\xF0\x9F\x94\x8A Speech on"

static void draw_pulse(ui *u, const screen_theme *t, int cx, int cy, int r, uint64_t now_ns)
{
	float secs = (float)(now_ns % 3600000000000ULL) / 1e9f;
	SDL_Color c = t->accent;
	int bw = (int)(r * 0.78f), bh = (int)(r * 1.08f); /* a badge, portrait */
	SDL_Rect badge = { cx - bw / 2, cy - bh / 2, bw, bh };
	SDL_Rect slot = { cx - bw / 6, badge.y + bh / 9, bw / 3, bh / 14 };

	for (int i = 0; i < PULSE_RINGS; i++) {
		float ph = fmodf(secs / PULSE_PERIOD_S + (float)i / PULSE_RINGS, 1.0f);
		SDL_Color rc = c;
		rc.a = (Uint8)(150 * (1 - ph) * (1 - ph));
		ui_ring(u, cx, cy, (int)(r * (0.75f + 0.55f * ui_ease_out(ph))), rc);
	}
	c.a = 40;
	ui_disc(u, cx, cy, (int)(r * 0.86f), c);
	ui_round_rect(u, badge, r / 8, t->surface);
	ui_round_rect(u, slot, slot.h / 2, t->background);
	{
		SDL_Color a = t->accent;
		SDL_Rect line1 = { badge.x + bw / 6, badge.y + bh * 6 / 10, bw * 2 / 3, bh / 14 };
		SDL_Rect line2 = { badge.x + bw / 6, line1.y + bh / 7, bw / 2, bh / 14 };
		ui_disc(u, cx, badge.y + bh * 4 / 10 - bh / 30, bw / 6, a);
		a.a = 160;
		ui_round_rect(u, line1, line1.h / 2, a);
		a.a = 90;
		ui_round_rect(u, line2, line2.h / 2, a);
	}
}

/* The accessibility button: off, a card with an accent outline (the card alone is too close to
 * the background to see: WCAG 1.4.11 wants 3:1 for a control); on, filled like a primary. */
static void speak_button(ui *u, const screen_theme *t, const screen_metrics *m, screen_state *st,
			 SDL_Rect r)
{
	if (!st->speech_on) {
		int b = (int)(3 * m->s) > 2 ? (int)(3 * m->s) : 2;
		ui_round_rect(u, (SDL_Rect){ r.x - b, r.y - b, r.w + 2 * b, r.h + 2 * b }, m->radius + b,
			      t->accent);
		ui_round_rect(u, r, m->radius, t->background);
	}
	screen_button(u, t, m, &st->speak, r, st->speech_on ? SPEAK_LABEL_ON : SPEAK_LABEL_OFF,
		      st->speech_on);
}

static void attract_draw(void *self, ui *u, screen_state *st, const screen_theme *t,
			 const screen_metrics *m, uint64_t now_ns)
{
	const SDL_Rect a = m->area;
	int x = a.x + m->margin, w = a.w - 2 * m->margin;
	int lh_top = ui_line_height(u, UI_FACE_BOLD, m->px_body);
	int head_px = (int)(m->px_name * 1.15f);
	int lh_head, lh_sub = ui_line_height(u, UI_FACE_REGULAR, m->px_body);
	int lh_foot = ui_line_height(u, UI_FACE_REGULAR, m->px_small);
	int browse_h = m->bar_h, browse_w = (int)(340 * m->s);
	int speak_w = (int)(260 * m->s), speak_h = m->touch > m->bar_h ? m->touch : m->bar_h;
	int stacked;
	int top = a.y + m->margin, bottom = a.y + a.h - m->margin;
	char clock[16];
	int clock_w, h, r, cy, y;

	(void)self;

	if (browse_w > w)
		browse_w = w;
	if (speak_w > w)
		speak_w = w;
	/* The two buttons side by side, or stacked when the screen is too narrow. */
	stacked = speak_w + m->gap + browse_w > w;
	lh_foot += (stacked ? speak_h + m->gap + browse_h : speak_h) + m->gap;
	screen_clock(clock, sizeof clock, st->now);
	ui_text_size(u, clock, UI_FACE_BOLD, m->px_body, &clock_w, &h);
	ui_text(u, clock, UI_FACE_BOLD, m->px_body, t->muted, x + w - clock_w, top, clock_w, UI_RIGHT);
	ui_text(u, st->conference && *st->conference ? st->conference : "Welcome", UI_FACE_BOLD,
		m->px_body, t->accent, x, top, w - clock_w - m->gap, UI_LEFT);

	head_px = ui_text_fit(u, "Tap your badge", UI_FACE_BOLD, head_px, m->px_title, w);
	lh_head = ui_line_height(u, UI_FACE_BOLD, head_px);
	/* The pulse takes what the texts leave, centred between header and footer. */
	{
		int free_h = (bottom - lh_foot - m->gap) - (top + lh_top + m->gap) - lh_head - lh_sub -
			     3 * m->gap;
		r = free_h / 2;
		if (r > w / 4)
			r = w / 4;
		if (r < (int)(30 * m->s))
			r = (int)(30 * m->s);
		cy = top + lh_top + m->gap +
		     ((bottom - lh_foot - m->gap) - (top + lh_top + m->gap) - (2 * r + lh_head + lh_sub + 2 * m->gap)) / 2 + r;
	}
	draw_pulse(u, t, a.x + a.w / 2, cy, (int)(r * 0.7f), now_ns);
	/* One touch to the programme and the venue map, for people without a badge; one to have
	 * the kiosk speak, for people who cannot read the screen. */
	if (stacked) {
		screen_button(u, t, m, &st->browse,
			      (SDL_Rect){ a.x + (a.w - browse_w) / 2, bottom - browse_h, browse_w,
					  browse_h }, "Sessions & venue map", 1);
		speak_button(u, t, m, st, (SDL_Rect){ a.x + (a.w - speak_w) / 2,
						      bottom - browse_h - m->gap - speak_h, speak_w, speak_h });
	} else {
		int bx = a.x + (a.w - (speak_w + m->gap + browse_w)) / 2;
		speak_button(u, t, m, st, (SDL_Rect){ bx, bottom - speak_h, speak_w, speak_h });
		screen_button(u, t, m, &st->browse,
			      (SDL_Rect){ bx + speak_w + m->gap, bottom - speak_h + (speak_h - browse_h) / 2,
					  browse_w, browse_h }, "Sessions & venue map", 1);
	}
	y = cy + r + m->gap;
	ui_text(u, "Tap your badge", UI_FACE_BOLD, head_px, t->text, x, y, w, UI_CENTER);
	y += lh_head + m->gap / 2;
	ui_text(u, "to check in and see which colleagues are here", UI_FACE_REGULAR, m->px_body,
		t->muted, x, y, w, UI_CENTER);
	if (st->location && *st->location)
		ui_text(u, st->location, UI_FACE_REGULAR, m->px_small, t->muted, x,
			bottom - lh_foot + m->gap / 2, w, UI_CENTER);
}

static enum screen_action attract_pointer(void *self, screen_state *st, const ui_pointer *p,
					  uint64_t now_ns)
{
	(void)self;
	(void)now_ns;
	int speak = ui_tap_feed(&st->speak, p), browse = ui_tap_feed(&st->browse, p);

	return speak ? SCREEN_ACTION_SPEECH : browse ? SCREEN_ACTION_SESSIONS : SCREEN_ACTION_NONE;
}

static int attract_update(void *self, screen_state *st, float dt, uint64_t now_ns,
			  enum screen_action *act)
{
	(void)self;
	(void)st;
	(void)dt;
	(void)now_ns;
	(void)act;
	return 1; /* the calm pulse runs continuously */
}

const screen_ops screen_attract_ops = {
	.name = "attract",
	.pointer = attract_pointer,
	.update = attract_update,
	.draw = attract_draw,
};
