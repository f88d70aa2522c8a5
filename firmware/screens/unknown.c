/* Unknown badge (and storage error): a friendly dead end that sends the person to the
 * registration desk. Nothing personal is shown; the badge UID helps the desk find the problem.
 */
#include "screens/screens.h"

#include <stdio.h>

static void unknown_draw(void *self, ui *u, screen_state *st, const screen_theme *t,
			 const screen_metrics *m, uint64_t now_ns)
{
	const screen_tap *d = st->tap;
	const SDL_Rect a = m->area;
	int error = st->id == SCREEN_ERROR;
	const char *title = error ? "Sorry, that did not work" : "We don't know this badge yet";
	const char *body = error ? "Your check-in was not saved. Please tap again, or see the "
				   "registration desk."
				 : "Please see the registration desk. They will sort it out in a minute.";
	int x = a.x + m->margin, w = a.w - 2 * m->margin;
	int r = (int)(44 * m->s), title_px, lh_title, lh_small, bw = (int)(160 * m->s);
	int bh = m->touch * 3 / 4, total, y;
	char uid[64];
	float in = ui_ease_out((float)(now_ns - st->shown_ns) / 300e6f);
	SDL_Color ring = t->warn;

	(void)self;
	title_px = ui_text_fit(u, title, UI_FACE_BOLD, m->px_name, m->px_body, w);
	lh_title = ui_line_height(u, UI_FACE_BOLD, title_px);
	lh_small = ui_line_height(u, UI_FACE_REGULAR, m->px_small);
	total = 2 * r + m->gap * 2 + lh_title + m->gap + 2 * ui_line_height(u, UI_FACE_REGULAR, m->px_body) +
		m->gap + lh_small + m->gap * 2 + bh;
	y = a.y + (a.h - total) / 2;
	if (y < a.y + m->margin / 2)
		y = a.y + m->margin / 2;

	ring.a = (Uint8)(60 * in);
	ui_disc(u, a.x + a.w / 2, y + r, r, ring);
	ui_ring(u, a.x + a.w / 2, y + r, r, t->warn);
	{
		int qh = ui_line_height(u, UI_FACE_BOLD, (int)(r * 1.2f));
		ui_text(u, error ? "!" : "?", UI_FACE_BOLD, (int)(r * 1.2f), t->warn, a.x, y + r - qh / 2,
			a.w, UI_CENTER);
	}
	y += 2 * r + m->gap * 2;
	ui_text(u, title, UI_FACE_BOLD, title_px, t->text, x, y, w, UI_CENTER);
	y += lh_title + m->gap;
	y += ui_text_wrap(u, body, UI_FACE_REGULAR, m->px_body, t->muted, x, y, w, 2, UI_CENTER);
	y += m->gap;
	if (d && d->uid_hex[0]) {
		snprintf(uid, sizeof uid, "Badge %s", d->uid_hex);
		ui_text(u, uid, UI_FACE_REGULAR, m->px_small, t->muted, x, y, w, UI_CENTER);
	}
	y += lh_small + m->gap * 2;
	screen_button(u, t, m, &st->done, (SDL_Rect){ a.x + (a.w - bw) / 2, y, bw, bh }, "OK", 0);
}

static enum screen_action unknown_pointer(void *self, screen_state *st, const ui_pointer *p,
					  uint64_t now_ns)
{
	(void)self;
	(void)now_ns;
	return ui_tap_feed(&st->done, p) ? SCREEN_ACTION_DONE : SCREEN_ACTION_NONE;
}

const screen_ops screen_unknown_ops = {
	.name = "unknown",
	.pointer = unknown_pointer,
	.draw = unknown_draw,
};

/* The same screen with the storage error's words (unknown_draw asks st->id). */
const screen_ops screen_error_ops = {
	.name = "error",
	.pointer = unknown_pointer,
	.draw = unknown_draw,
};
