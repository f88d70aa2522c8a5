/* Consent: asked once, at the first tap of someone whose roster row left `visible` blank.
 * The check-in is already committed; this only decides whether colleagues may see them. Until
 * they answer they are not shown to anyone; walking away leaves the question for next time.
 */
#include "screens/screens.h"

#include <stdio.h>

static void consent_draw(void *self, ui *u, screen_state *st, const screen_theme *t,
			 const screen_metrics *m, uint64_t now_ns)
{
	const screen_tap *d = st->tap;
	const SDL_Rect a = m->area;
	int x = a.x + m->margin, w = a.w - 2 * m->margin, y = a.y + m->margin;
	int q_px, bh = m->touch * 5 / 4, lh;
	char hello[STORE_NAME_MAX + 32];
	SDL_Color ok = t->ok;

	(void)self;
	(void)now_ns;
	if (!d)
		return;
	ui_text(u, "\xE2\x9C\x93 Checked in", UI_FACE_BOLD, m->px_small, ok, x, y, w, UI_LEFT);
	y += ui_line_height(u, UI_FACE_BOLD, m->px_small) + m->gap / 2;
	snprintf(hello, sizeof hello, "Welcome, %s", d->attendee.name);
	{
		int px = ui_text_fit(u, hello, UI_FACE_BOLD, m->px_title, m->px_body, w);
		ui_text(u, hello, UI_FACE_BOLD, px, t->text, x, y, w, UI_LEFT);
		y += ui_line_height(u, UI_FACE_BOLD, px) + m->gap * 2;
	}
	q_px = ui_text_fit(u, "Show me to my colleagues?", UI_FACE_BOLD, m->px_name, m->px_title, w);
	lh = ui_line_height(u, UI_FACE_BOLD, q_px);
	(void)lh; /* narrow (portrait) screens: the question takes two lines rather than shrink */
	y += ui_text_wrap(u, "Show me to my colleagues?", UI_FACE_BOLD, q_px, t->text, x, y, w, 2,
			  UI_LEFT);
	y += m->gap / 2;
	y += ui_text_wrap(u,
			  "People in your groups would see your name and where and when you checked "
			  "in today. You can change this at the registration desk.",
			  UI_FACE_REGULAR, m->px_body, t->muted, x, y, w, m->portrait ? 5 : 3, UI_LEFT);
	y += m->gap * 2;
	{
		int bottom = a.y + a.h - m->margin;
		SDL_Rect yes, no;
		if (m->portrait) {
			yes = (SDL_Rect){ x, bottom - 2 * bh - m->gap, w, bh };
			no = (SDL_Rect){ x, bottom - bh, w, bh };
		} else {
			int bw = (w - m->gap) / 2;
			yes = (SDL_Rect){ x, bottom - bh, bw, bh };
			no = (SDL_Rect){ x + bw + m->gap, bottom - bh, bw, bh };
		}
		if (yes.y < y) { /* small screens: buttons follow the text instead of the bottom edge */
			int dy = y - yes.y;
			yes.y += dy;
			no.y += dy;
		}
		screen_button(u, t, m, &st->yes, yes, "Yes, show me", 1);
		screen_button(u, t, m, &st->no, no, "No, keep me hidden", 0);
	}
}

static enum screen_action consent_pointer(void *self, screen_state *st, const ui_pointer *p,
					  uint64_t now_ns)
{
	(void)self;
	(void)now_ns;
	if (ui_tap_feed(&st->yes, p))
		return SCREEN_ACTION_YES;
	if (ui_tap_feed(&st->no, p))
		return SCREEN_ACTION_NO;
	return SCREEN_ACTION_NONE;
}

const screen_ops screen_consent_ops = {
	.name = "consent",
	.pointer = consent_pointer,
	.draw = consent_draw,
};
