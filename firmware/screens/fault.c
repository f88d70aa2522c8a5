/* The fault screen: what stops the kiosk at start-up, in plain words for the operator (storage
 * full, a database that cannot be opened, a refused config), with the reason in small text.
 * Nothing to touch: it goes away when the cause does (app/startup.c retries) or never (a bad
 * config waits for the operator to fix it and restart).
 */
#include "screens/screens.h"

#include <stdio.h>
#include <string.h>

static void fault_draw(void *self, ui *u, screen_state *st, const screen_theme *t,
		       const screen_metrics *m, uint64_t now_ns)
{
	const screen_fault *f = st->fault;
	const SDL_Rect a = m->area;
	int x = a.x + m->margin, w = a.w - 2 * m->margin, y = a.y + m->margin;
	int bottom = a.y + a.h - m->margin / 2;
	int lh_small = ui_line_height(u, UI_FACE_REGULAR, m->px_small);
	const char *p;
	char n[16];

	(void)self;
	(void)now_ns;
	if (!f)
		return;
	ui_fill(u, (SDL_Rect){ x, y, (int)(64 * m->s), (int)(6 * m->s) }, t->warn);
	y += (int)(6 * m->s) + m->gap;
	y += ui_text_wrap(u, f->title, UI_FACE_BOLD, m->px_title, t->text, x, y, w, 2, UI_LEFT);
	y += m->gap;
	if (f->body && f->body[0])
		y += ui_text_wrap(u, f->body, UI_FACE_REGULAR, m->px_body, t->muted, x, y, w, 3,
				  UI_LEFT) + m->gap;
	/* The reason, one message a line, as many as fit: each may wrap onto a second line. */
	for (p = f->detail; p && *p && y + lh_small <= bottom;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		char line[1024];
		int lines = y + 2 * lh_small <= bottom ? 2 : 1;

		if (len >= sizeof line)
			len = sizeof line - 1;
		memcpy(line, p, len);
		line[len] = '\0';
		if (line[0]) {
			/* A long path: a little smaller first, so that a line stays one line. */
			int px = ui_text_fit(u, line, UI_FACE_REGULAR, m->px_small, m->px_small * 4 / 5, w);
			y += ui_text_wrap(u, line, UI_FACE_REGULAR, px, t->text, x, y, w, lines,
					  UI_LEFT) + m->gap / 2;
		}
		p = nl ? nl + 1 : p + len;
	}
	snprintf(n, sizeof n, "%u", f->tries);
	ui_scene_note(u, "tries", (SDL_Rect){ 0, 0, 0, 0 }, n);
}

const screen_ops screen_fault_ops = {
	.name = "fault",
	.draw = fault_draw,
};
