/* Welcome: the screen after a check-in has been committed.
 *
 * Header: "Checked in" (first today) or "Welcome back", the name and affiliation, a Done
 * button. Body: the colleagues of each of the attendee's groups who are here today (newest
 * first, with where and when they checked in; "+N more" when not all fit) and, beside or below
 * it, the upcoming sessions of those groups in a kinetic scroll list. The colleague list is
 * fitted, never scrolled: a glance must show everything that is there. Only data the store
 * returned is drawn; it never contains visible=0 or unset attendees.
 */
#include "screens/screens.h"

#include <stdio.h>
#include <string.h>

#include "common/when.h"

typedef struct group_fit {
	int shown_groups;          /* groups that get a card */
	int rows[SCREEN_GROUPS_MAX]; /* colleague rows per card (>= 1: a "nobody yet" row counts) */
} group_fit;

typedef struct col_metrics {
	int head_h, row_h, more_h, pad, gap;
} col_metrics;

static int card_h(const col_metrics *c, const store_group_colleagues *g, int rows)
{
	int more = g->total > rows && g->count > 0;
	return 2 * c->pad + c->head_h + rows * c->row_h + (more ? c->more_h : 0);
}

/* Decides how many colleague rows each group card gets in height avail. */
static void fit_groups(const screen_tap *d, const col_metrics *c, int avail, group_fit *f)
{
	int n = d->ngroups, used;

	memset(f, 0, sizeof *f);
	for (;;) { /* one row each; drop trailing groups until that fits */
		used = 0;
		for (int i = 0; i < n; i++) {
			f->rows[i] = 1;
			used += card_h(c, &d->groups[i], 1) + (i ? c->gap : 0);
		}
		if (n < d->ngroups)
			used += c->gap + c->more_h;
		if (used <= avail || n <= 1)
			break;
		n--;
	}
	f->shown_groups = n;
	for (int grew = 1; grew;) { /* then a row at a time, round robin, while it fits */
		grew = 0;
		for (int i = 0; i < n; i++) {
			const store_group_colleagues *g = &d->groups[i];
			int before = card_h(c, g, f->rows[i]), after;
			if (f->rows[i] >= g->count)
				continue;
			after = card_h(c, g, f->rows[i] + 1);
			if (used - before + after > avail)
				continue;
			used += after - before;
			f->rows[i]++;
			grew = 1;
		}
	}
}

/* Measuring: the row and card heights, and whether every row needs a second line. */
static void measure_colleagues(ui *u, const screen_tap *d, const screen_metrics *m, int col_w,
			       col_metrics *c, int *two_line)
{
	/* Where someone is matters as much as who: when a location would be cut on one line,
	 * every row gets a second line for "location · time". */
	int iw, when_w, hh, name_max = 0, loc_max = 0, name_col;

	c->pad = m->pad * 3 / 4;
	/* Cards end in their "+N more" strip and "+N more groups" follows the last card: two
	 * touch targets, so the space between cards is at least the targets' gap. */
	c->gap = m->gap * 2 / 3 > m->target_gap ? m->gap * 2 / 3 : m->target_gap;
	c->head_h = ui_line_height(u, UI_FACE_BOLD, m->px_body) + m->gap / 3;
	c->row_h = ui_line_height(u, UI_FACE_REGULAR, m->px_body) + m->gap / 4;
	c->more_h = m->touch; /* "+N more" is a control: a touch target's height */
	iw = col_w - 2 * c->pad;
	ui_text_size(u, "00:00 \xC2\xB7 ", UI_FACE_REGULAR, m->px_small, &when_w, &hh);
	for (int i = 0; i < d->ngroups; i++) {
		for (int k = 0; k < d->groups[i].count; k++) {
			int w;
			ui_text_size(u, d->groups[i].colleagues[k].name, UI_FACE_REGULAR, m->px_body,
				     &w, &hh);
			name_max = w > name_max ? w : name_max;
			ui_text_size(u, d->groups[i].colleagues[k].location, UI_FACE_REGULAR,
				     m->px_small, &w, &hh);
			loc_max = w > loc_max ? w : loc_max;
		}
	}
	/* Names take what they need up to half; locations get the rest of the line. */
	name_col = name_max < iw / 2 ? name_max : iw / 2;
	*two_line = loc_max > iw - name_col - when_w - m->gap;
	if (*two_line)
		c->row_h += ui_line_height(u, UI_FACE_REGULAR, m->px_small);
}

/* Layout: which groups get a card and how many rows each, in height avail. */
static void layout_colleagues(ui *u, const screen_tap *d, const screen_metrics *m, int avail,
			      col_metrics *c, group_fit *f, int *two_line)
{
	fit_groups(d, c, avail, f);
	if (*two_line && f->shown_groups < d->ngroups) {
		/* Seeing every group beats seeing every location in full: back to one line. */
		col_metrics one = *c;
		group_fit f1;
		one.row_h -= ui_line_height(u, UI_FACE_REGULAR, m->px_small);
		fit_groups(d, &one, avail, &f1);
		if (f1.shown_groups > f->shown_groups) {
			*c = one;
			*f = f1;
			*two_line = 0;
		}
	}
}

/* One colleague at cy: the name, then where and when (on a second line when two_line). */
static void draw_colleague(ui *u, const store_colleague *p, const screen_theme *t,
			   const screen_metrics *m, int ix, int iw, int cy, int two_line)
{
	char when[16], buf[256];
	int when_w, loc_w = 0, name_w, mh, sep_w = 0;
	int meta_y = cy + (ui_line_height(u, UI_FACE_REGULAR, m->px_body) -
			   ui_line_height(u, UI_FACE_REGULAR, m->px_small)) / 2;

	/* The time is never cut; the location gives way, then the name. */
	screen_clock(when, sizeof when, p->checked_in_at);
	if (two_line) {
		ui_text(u, p->name, UI_FACE_REGULAR, m->px_body, t->text, ix, cy, iw, UI_LEFT);
		if (p->location[0])
			snprintf(buf, sizeof buf, "%s \xC2\xB7 %s", p->location, when);
		else
			snprintf(buf, sizeof buf, "%s", when);
		ui_text(u, buf, UI_FACE_REGULAR, m->px_small, t->muted, ix,
			cy + ui_line_height(u, UI_FACE_REGULAR, m->px_body), iw, UI_LEFT);
		return;
	}
	ui_text_size(u, when, UI_FACE_REGULAR, m->px_small, &when_w, &mh);
	if (p->location[0]) {
		ui_text_size(u, p->location, UI_FACE_REGULAR, m->px_small, &loc_w, &mh);
		ui_text_size(u, " \xC2\xB7 ", UI_FACE_REGULAR, m->px_small, &sep_w, &mh);
		int nw, room;
		ui_text_size(u, p->name, UI_FACE_REGULAR, m->px_body, &nw, &mh);
		/* This row's name first (up to 60%), its place gets the rest, at least a quarter of
		 * the line. */
		room = iw - (nw < iw * 3 / 5 ? nw : iw * 3 / 5) - when_w - sep_w - m->gap;
		if (room < iw / 4)
			room = iw / 4;
		if (loc_w > room)
			loc_w = room;
		if (loc_w < 0)
			loc_w = 0;
	}
	name_w = iw - when_w - (loc_w ? loc_w + sep_w : 0) - m->gap;
	ui_text(u, p->name, UI_FACE_REGULAR, m->px_body, t->text, ix, cy, name_w, UI_LEFT);
	ui_text(u, when, UI_FACE_REGULAR, m->px_small, t->muted, ix + iw - when_w, meta_y, when_w,
		UI_RIGHT);
	if (loc_w > 0) {
		ui_text(u, "\xC2\xB7", UI_FACE_REGULAR, m->px_small, t->muted,
			ix + iw - when_w - sep_w, meta_y, sep_w, UI_CENTER);
		ui_text(u, p->location, UI_FACE_REGULAR, m->px_small, t->muted,
			ix + iw - when_w - sep_w - loc_w, meta_y, loc_w, UI_RIGHT);
	}
}

/* "+N more" and "+N more groups": accent text on a strip that is one touch target; each opens
 * the colleague lists (colleagues.c). */
static void more_link(ui *u, const screen_theme *t, const screen_metrics *m, ui_tap *tap,
		      SDL_Rect r, int text_x, const char *label)
{
	int lh = ui_line_height(u, UI_FACE_BOLD, m->px_small);
	tap->rect = r;
	if (tap->pressed && tap->inside)
		ui_round_rect(u, r, m->radius, t->pressed);
	ui_text(u, label, UI_FACE_BOLD, m->px_small, t->accent, text_x, r.y + (r.h - lh) / 2,
		r.x + r.w - text_x, UI_LEFT);
	ui_scene_note(u, "button", r, label);
}

/* One group's card: its name and count, rows colleagues and "+N more". */
static void draw_group_card(ui *u, const store_group_colleagues *g, int rows,
			    const screen_theme *t, const screen_metrics *m, const col_metrics *c,
			    SDL_Rect card, int two_line, ui_tap *more)
{
	int ix = card.x + c->pad, iw = card.w - 2 * c->pad, cy = card.y + c->pad;
	int count_w, hh;
	char buf[64];

	ui_round_rect(u, card, m->radius, t->surface);
	snprintf(buf, sizeof buf, g->total == 1 ? "1 here" : "%d here", g->total);
	ui_text_size(u, buf, UI_FACE_REGULAR, m->px_small, &count_w, &hh);
	if (count_w > iw / 3)
		count_w = iw / 3;
	ui_text(u, g->group, UI_FACE_BOLD, m->px_body, t->text, ix, cy, iw - count_w - m->gap,
		UI_LEFT);
	ui_text(u, buf, UI_FACE_REGULAR, m->px_small, t->muted, ix + iw - count_w,
		cy + (ui_line_height(u, UI_FACE_BOLD, m->px_body) -
		      ui_line_height(u, UI_FACE_REGULAR, m->px_small)) / 2,
		count_w, UI_RIGHT);
	cy += c->head_h;
	if (g->count == 0) {
		ui_text(u, "Nobody checked in yet", UI_FACE_REGULAR, m->px_body, t->muted, ix, cy, iw,
			UI_LEFT);
	}
	for (int k = 0; k < rows && k < g->count; k++) {
		draw_colleague(u, &g->colleagues[k], t, m, ix, iw, cy, two_line);
		cy += c->row_h;
	}
	if (g->total > rows && g->count > 0) {
		/* To the card's edge: the whole strip is the touch target. */
		snprintf(buf, sizeof buf, "+%d more \xE2\x80\xBA", g->total - rows);
		more_link(u, t, m, more, (SDL_Rect){ card.x, cy, card.w, card.y + card.h - cy }, ix,
			  buf);
	}
}

/* The colleague column: measure, lay out, then draw the cards that fit. */
static void draw_colleagues(ui *u, screen_state *st, const screen_theme *t,
			    const screen_metrics *m, SDL_Rect col)
{
	const screen_tap *d = st->tap;
	col_metrics c;
	group_fit f;
	int lh_head = ui_line_height(u, UI_FACE_BOLD, m->px_small);
	int y = col.y, two_line;
	char buf[64];

	for (int i = 0; i < SCREEN_GROUPS_MAX; i++) /* only what this frame draws can be tapped */
		st->more[i].rect = (SDL_Rect){ 0, 0, 0, 0 };
	st->more_groups.rect = (SDL_Rect){ 0, 0, 0, 0 };
	measure_colleagues(u, d, m, col.w, &c, &two_line);
	ui_text(u, "Colleagues here today", UI_FACE_BOLD, m->px_small, t->accent, col.x, y, col.w,
		UI_LEFT);
	y += lh_head + m->gap / 2;
	if (d->ngroups == 0) {
		ui_text_wrap(u, "You are not in any group yet. The registration desk can add you.",
			     UI_FACE_REGULAR, m->px_body, t->muted, col.x, y, col.w, 3, UI_LEFT);
		return;
	}
	layout_colleagues(u, d, m, col.y + col.h - y, &c, &f, &two_line);
	for (int i = 0; i < f.shown_groups; i++) {
		const store_group_colleagues *g = &d->groups[i];
		SDL_Rect card = { col.x, y, col.w, card_h(&c, g, f.rows[i]) };
		if (card.y + card.h > col.y + col.h)
			break; /* only when even one row does not fit (tiny screens) */
		draw_group_card(u, g, f.rows[i], t, m, &c, card, two_line, &st->more[i]);
		y += card.h + c.gap;
	}
	if (f.shown_groups < d->ngroups) {
		int more = d->ngroups - f.shown_groups;
		snprintf(buf, sizeof buf, more == 1 ? "+1 more group \xE2\x80\xBA" : "+%d more groups \xE2\x80\xBA",
			 more);
		more_link(u, t, m, &st->more_groups, (SDL_Rect){ col.x, y, col.w, c.more_h }, col.x,
			  buf);
	}
}

static void draw_sessions(ui *u, screen_state *st, const screen_theme *t, const screen_metrics *m,
			  SDL_Rect col)
{
	const screen_tap *d = st->tap;
	int lh_head = ui_line_height(u, UI_FACE_BOLD, m->px_small);
	int lh_title = ui_line_height(u, UI_FACE_BOLD, m->px_body);
	int lh_meta = ui_line_height(u, UI_FACE_REGULAR, m->px_small);
	int row_h = lh_title + lh_meta + m->gap;
	int time_w, hh, y;
	SDL_Rect view;

	{
		/* "All sessions" opens the browser; rows below open their session's detail. */
		int bh = m->chip_h, bw, th, head_w;
		const char *head = "Coming up for your groups";
		ui_text_size(u, "All sessions", UI_FACE_BOLD, m->px_small, &bw, &th);
		bw += 2 * m->pad;
		screen_button(u, t, m, &st->browse, (SDL_Rect){ col.x + col.w - bw, col.y, bw, bh },
			      "All sessions", 0);
		/* Beside the button on a small screen the long heading would end in "…". */
		ui_text_size(u, head, UI_FACE_BOLD, m->px_small, &head_w, &th);
		if (head_w > col.w - bw - m->gap)
			head = "Coming up";
		ui_text(u, head, UI_FACE_BOLD, m->px_small, t->accent, col.x,
			col.y + (bh - lh_head) / 2, col.w - bw - m->gap, UI_LEFT);
		y = col.y + bh + m->gap / 2;
	}
	view = (SDL_Rect){ col.x, y, col.w, col.y + col.h - y };
	if (d->nsessions == 0) {
		ui_text_wrap(u, "Nothing scheduled for your groups for the rest of today.",
			     UI_FACE_REGULAR, m->px_body, t->muted, col.x, y, col.w, 3, UI_LEFT);
		return;
	}
	st->sessions.view = view;
	st->sessions.content_h = (float)(d->nsessions * row_h);
	st->session_row_h = row_h;
	ui_text_size(u, "00:00", UI_FACE_BOLD, m->px_body, &time_w, &hh);
	for (int i = 0; i < d->nsessions; i++) { /* a day under the time may widen the column */
		char day[40];
		int w;
		when_day(day, sizeof day, d->sessions[i].start, st->now);
		ui_text_size(u, day, UI_FACE_REGULAR, m->px_small, &w, &hh);
		time_w = w > time_w ? (w < col.w / 3 ? w : col.w / 3) : time_w;
	}
	ui_clip_push(u, view);
	for (int i = 0; i < d->nsessions; i++) {
		const store_session *s = &d->sessions[i];
		int ry = view.y + i * row_h - (int)st->sessions.offset;
		char when[16], day[40], meta[2 * STORE_PLACE_MAX + 8];
		int tx = col.x + time_w + m->gap, tw = col.w - time_w - m->gap;

		if (ry + row_h < view.y || ry > view.y + view.h)
			continue; /* off the viewport: not even measured */
		if (s->start <= st->now)
			snprintf(when, sizeof when, "now");
		else
			screen_clock(when, sizeof when, s->start);
		ui_text(u, when, UI_FACE_BOLD, m->px_body, s->start <= st->now ? t->ok : t->accent,
			col.x, ry, time_w, UI_LEFT);
		/* Not today: its day under the time ("Tomorrow", "Thu"), never a bare "09:00". */
		when_day(day, sizeof day, s->start, st->now);
		if (day[0] && s->start > st->now)
			ui_text(u, day, UI_FACE_REGULAR, m->px_small, t->accent, col.x, ry + lh_title,
				time_w, UI_LEFT);
		ui_text(u, s->title, UI_FACE_REGULAR, m->px_body, t->text, tx, ry, tw, UI_LEFT);
		if (s->track[0])
			snprintf(meta, sizeof meta, "%s \xC2\xB7 %s", s->room, s->track);
		else
			snprintf(meta, sizeof meta, "%s", s->room);
		ui_text(u, meta, UI_FACE_REGULAR, m->px_small, t->muted, tx, ry + lh_title, tw, UI_LEFT);
		if (i + 1 < d->nsessions) {
			SDL_Rect sep = { tx, ry + row_h - m->gap / 2, tw, 1 };
			ui_fill(u, sep, t->surface);
		}
	}
	ui_clip_pop(u);
	if (st->sessions.content_h - st->sessions.offset > (float)view.h + 1) {
		/* More below: the list fades out instead of ending in a cut line. */
		int fade_h = (int)(28 * m->s), bands = 7;
		for (int b = 0; b < bands; b++) {
			SDL_Color c = t->background;
			SDL_Rect band = { view.x, view.y + view.h - fade_h + b * fade_h / bands, view.w,
					  fade_h / bands + 1 };
			c.a = (Uint8)(255 * (b + 1) / bands);
			ui_fill(u, band, c);
		}
	}
}

/* LAN sync has reached no other kiosk for a while (lan_cutoff): say so, calmly, in one small
 * line at the bottom, because colleagues who tapped elsewhere may be missing. Returns the
 * height taken above bottom. */
static int draw_cutoff_note(ui *u, const screen_theme *t, const screen_metrics *m, int x,
			    int bottom, int w)
{
	static const char note[] = "Other kiosks are out of reach for now: colleagues who "
				   "checked in elsewhere may not show yet.";
	int lh = ui_line_height(u, UI_FACE_REGULAR, m->px_small);
	SDL_Rect r = { x, bottom - lh, w, lh };

	ui_text(u, note, UI_FACE_REGULAR, m->px_small, t->muted, r.x, r.y, r.w, UI_LEFT);
	ui_scene_note(u, "lan-cutoff", r, note);
	return lh + m->gap / 2;
}

static void welcome_draw(void *self, ui *u, screen_state *st, const screen_theme *t,
			 const screen_metrics *m, uint64_t now_ns)
{
	const screen_tap *d = st->tap;
	const SDL_Rect a = m->area;
	float in = ui_ease_out((float)(now_ns - st->shown_ns) / 350e6f);
	int x = a.x + m->margin, w = a.w - 2 * m->margin, y = a.y + m->margin * 3 / 4;
	int done_w = (int)(120 * m->s), done_h = m->bar_h;
	int lh_pill = ui_line_height(u, UI_FACE_BOLD, m->px_small);
	int name_px, lh_name, pill_w, hh;
	char status[96], when[16];
	SDL_Color status_c = d->tap.first_today && !d->tap.repeat ? t->ok : t->again;
	SDL_Color ink = t->text;

	(void)self;
	if (!d)
		return;
	ink.a = (Uint8)(255 * in);
	/* Status pill: what happened, in words and colour. */
	screen_clock(when, sizeof when, d->tap.checked_in_at);
	if (d->tap.first_today && !d->tap.repeat)
		snprintf(status, sizeof status, "\xE2\x9C\x93 Checked in \xC2\xB7 %s", when);
	else
		snprintf(status, sizeof status, "Welcome back \xC2\xB7 %s", when);
	ui_text_size(u, status, UI_FACE_BOLD, m->px_small, &pill_w, &hh);
	if (pill_w > w - done_w - 3 * m->gap)
		pill_w = w - done_w - 3 * m->gap;
	{
		SDL_Rect pill = { x, y, pill_w + 2 * m->pad, lh_pill + m->pad / 2 };
		SDL_Color bg = status_c;
		bg.a = 48;
		ui_round_rect(u, pill, pill.h / 2, bg);
		ui_text(u, status, UI_FACE_BOLD, m->px_small, status_c, x + m->pad, y + m->pad / 4,
			pill_w, UI_LEFT);
		screen_button(u, t, m, &st->done, (SDL_Rect){ x + w - done_w, y, done_w, done_h },
			      "Done", 0);
		y += pill.h + m->gap / 2;
	}
	if (y < a.y + m->margin * 3 / 4 + done_h + m->gap / 4 && m->portrait)
		y = a.y + m->margin * 3 / 4 + done_h + m->gap / 4;
	{
		int name_w = m->portrait ? w : w - done_w - m->gap;
		name_px = ui_text_fit(u, d->attendee.name, UI_FACE_BOLD, m->px_name, m->px_body + 2, name_w);
		lh_name = ui_line_height(u, UI_FACE_BOLD, name_px);
		ui_text(u, d->attendee.name, UI_FACE_BOLD, name_px, ink, x + (int)((1 - in) * 24 * m->s),
			y, name_w, UI_LEFT);
		y += lh_name;
		if (d->attendee.affiliation[0]) {
			ui_text(u, d->attendee.affiliation, UI_FACE_REGULAR, m->px_body, t->muted, x, y,
				name_w, UI_LEFT);
			y += ui_line_height(u, UI_FACE_REGULAR, m->px_body);
		}
	}
	y += m->gap;
	{
		SDL_Rect rule = { x, y, w, (int)(2 * m->s) > 1 ? (int)(2 * m->s) : 1 };
		ui_fill(u, rule, t->surface);
		y += rule.h + m->gap;
	}
	{
		int body_h = a.y + a.h - m->margin / 2 - y;
		SDL_Rect left, right;
		if (st->lan != NULL && st->lan->cut_off)
			body_h -= draw_cutoff_note(u, t, m, x, a.y + a.h - m->margin / 2, w);
		if (m->portrait) {
			int top_h = body_h * 3 / 5;
			left = (SDL_Rect){ x, y, w, top_h };
			right = (SDL_Rect){ x, y + top_h + m->gap, w, body_h - top_h - m->gap };
		} else {
			int lw = (w - 2 * m->gap) * 11 / 20;
			left = (SDL_Rect){ x, y, lw, body_h };
			right = (SDL_Rect){ x + lw + 2 * m->gap, y, w - lw - 2 * m->gap, body_h };
		}
		draw_colleagues(u, st, t, m, left);
		draw_sessions(u, st, t, m, right);
	}
}

static enum screen_action welcome_pointer(void *self, screen_state *st, const ui_pointer *p,
					  uint64_t now_ns)
{
	/* A drag on the list is a scroll, never a tap on something under it. */
	SDL_Rect v = st->sessions.view;
	int in = p->x >= v.x && p->x < v.x + v.w && p->y >= v.y && p->y < v.y + v.h;
	int row = in && st->session_row_h > 0
			  ? (p->y - v.y + (int)st->sessions.offset) / st->session_row_h : -1;

	(void)self;
	(void)now_ns;
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
	for (int i = 0; st->tap && i < st->tap->ngroups && i < SCREEN_GROUPS_MAX; i++) {
		if (ui_tap_feed(&st->more[i], p)) {
			st->picked_group = i;
			return SCREEN_ACTION_COLLEAGUES;
		}
	}
	if (ui_tap_feed(&st->more_groups, p))
		return SCREEN_ACTION_GROUPS;
	return ui_tap_feed(&st->done, p) ? SCREEN_ACTION_DONE : SCREEN_ACTION_NONE;
}

static int welcome_update(void *self, screen_state *st, float dt, uint64_t now_ns,
			  enum screen_action *act)
{
	(void)self;
	(void)now_ns;
	(void)act;
	return ui_scroll_update(&st->sessions, dt);
}

const screen_ops screen_welcome_ops = {
	.name = "welcome",
	.pointer = welcome_pointer,
	.update = welcome_update,
	.draw = welcome_draw,
};
