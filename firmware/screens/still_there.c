/* The "Still there?" card (still_there.h): a dimmed screen, a question, how long is left and
 * one large button. */
#include "screens/still_there.h"

#include <stdio.h>

int still_there_pointer(still_there *s, const ui_pointer *p)
{
	if (!s->visible)
		return 0;
	/* Any touch answers: a visitor reaching for the button and missing is still there. */
	ui_tap_feed(&s->stay, p);
	return 1;
}

void still_there_draw(still_there *s, ui *u, const screen_theme *t, const screen_metrics *m)
{
	const SDL_Rect a = m->area;
	SDL_Color veil = t->background;
	char left[64];
	int w = a.w - 2 * m->margin, lh_t, lh_b, card_h, bw, bh;
	SDL_Rect card, button;

	if (!s->visible)
		return;
	if (w > (int)(560 * m->s))
		w = (int)(560 * m->s);
	lh_t = ui_line_height(u, UI_FACE_BOLD, m->px_title);
	lh_b = ui_line_height(u, UI_FACE_REGULAR, m->px_body);
	bh = m->touch * 5 / 4; /* one large target: the only thing to do */
	bw = w - 2 * m->pad;
	card_h = 2 * m->pad + lh_t + lh_b + m->gap * 2 + bh;
	veil.a = 200;
	ui_fill(u, a, veil);
	card = (SDL_Rect){ a.x + (a.w - w) / 2, a.y + (a.h - card_h) / 2, w, card_h };
	ui_round_rect(u, card, m->radius, t->surface);
	ui_text(u, "Still there?", UI_FACE_BOLD, m->px_title, t->text, card.x + m->pad,
		card.y + m->pad, card.w - 2 * m->pad, UI_CENTER);
	snprintf(left, sizeof left,
		 s->seconds_left == 1 ? "This screen closes in 1 second." : "This screen closes in %d seconds.",
		 s->seconds_left);
	ui_text(u, left, UI_FACE_REGULAR, m->px_body, t->muted, card.x + m->pad,
		card.y + m->pad + lh_t, card.w - 2 * m->pad, UI_CENTER);
	button = (SDL_Rect){ card.x + m->pad, card.y + card_h - m->pad - bh, bw, bh };
	screen_button(u, t, m, &s->stay, button, "I'm still here", 1);
	{
		char n[16];
		snprintf(n, sizeof n, "%d", s->seconds_left);
		ui_scene_note(u, "still-there", card, n);
	}
}
