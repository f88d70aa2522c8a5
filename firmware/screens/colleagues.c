/* The colleague lists: behind welcome's "+N more" (every colleague of one group here today)
 * and "+N more groups" (every group of the attendee, each leading to its colleague list).
 *
 * Welcome is handed twelve colleagues per group with the tap; this screen reads the rest
 * itself, through the SDL thread's read-only connection (screen_env.db), a page at a time:
 * one page when it opens, one more when the list is scrolled near the end of what is held.
 * At most WINDOW_PAGES pages are held; a page scrolled far out of view is dropped, and its
 * cursor kept, so scrolling back reads it again (store_colleagues_page: keyset paging, the
 * same cost at row 100,000 as at row 1; make bench "colleague list"). Never per frame: a frame
 * draws the rows held.
 *
 * The visible rule is the store's (visible 0 and unanswered never appear); what was read
 * for a visitor leaves memory when the screen does (the leave hook: Back, Done, the idle
 * return to attract). Views: "colleagues" (one group) and "colleague-groups".
 */
#include "screens/screens.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/clock.h"
#include "common/log.h"
#include "common/util.h"

#define PAGE 40           /* rows per read */
#define WINDOW_PAGES 3    /* pages held at once: the one in view and its neighbours */
#define GROUPS_MAX 256    /* groups listed (a roster gives nobody more) */
#define LOADS_PER_FRAME 4 /* a fling far ahead reads at most this many pages a frame */

typedef struct coll {
	store *db;                    /* the UI thread's read-only connection */
	char attendee[STORE_ID_MAX];  /* whose colleagues; "" when nothing is loaded */
	int64_t day_start;            /* today, as the conference day */
	int groups_view;              /* 1: the list of groups; 0: one group's colleagues */
	int from_groups;              /* the colleague list was opened from the group list */

	store_group_count *groups;    /* groups view: all of the attendee's groups */
	int ngroups;

	char group[STORE_GROUP_MAX];  /* colleagues view: the group */
	int total;                    /* colleagues here (the group's count; settles at the end) */
	store_colleague_cursor *cursors; /* cursors[p]: where page p starts (p < ncursors) */
	int ncursors, cursors_cap;
	int end_page;                 /* the last page (short or empty) once seen, else -1 */
	int first_page;               /* the first page held in rows[] */
	int npages;                   /* pages held */
	int page_n[WINDOW_PAGES];     /* rows in each held page */
	store_colleague *rows;        /* WINDOW_PAGES * PAGE rows */

	ui_scroll scroll;
	ui_tap back;
	int row_h;                    /* set while drawing */
	int pressed_row;              /* groups view: the row under a finger, -1 */
	int picked;                   /* groups view: the row tapped */
	uint64_t load_ns_max;         /* the slowest page read so far (KITH_TIMING) */
} coll;

static void *coll_open(const screen_env *env)
{
	coll *c;
	if (env->db == NULL)
		return NULL;
	c = xcalloc(1, sizeof *c);
	c->db = env->db;
	c->groups = xcalloc(GROUPS_MAX, sizeof *c->groups);
	c->rows = xcalloc(WINDOW_PAGES * PAGE, sizeof *c->rows);
	c->pressed_row = -1;
	return c;
}

/* Drops everything read for the visitor: names leave memory with the screen. */
static void coll_forget(coll *c)
{
	memset(c->groups, 0, GROUPS_MAX * sizeof *c->groups);
	memset(c->rows, 0, WINDOW_PAGES * PAGE * sizeof *c->rows);
	c->attendee[0] = c->group[0] = '\0';
	c->ngroups = c->total = c->npages = c->first_page = c->ncursors = 0;
	c->end_page = -1;
	c->pressed_row = -1;
	memset(&c->scroll, 0, sizeof c->scroll);
}

static void coll_leave(void *self)
{
	coll_forget(self);
}

static void coll_close(void *self)
{
	coll *c = self;
	free(c->groups);
	free(c->rows);
	free(c->cursors);
	free(c);
}

static const char *coll_view(const void *self)
{
	const coll *c = self;
	return c->groups_view ? "colleague-groups" : "colleagues";
}

/* Reads page p from its cursor (known: p < ncursors) into *out; notes the next cursor and the
 * end. Returns the rows read, or -1. */
static int read_page(coll *c, int p, store_colleague *out)
{
	store_colleague_cursor cur = c->cursors[p];
	uint64_t t0 = time_mono_ns();
	int n = store_colleagues_page(c->db, c->attendee, c->group, c->day_start, &cur, out, PAGE);

	if (n < 0) {
		log_warn("colleagues: cannot read: %s", store_errmsg(c->db));
		return -1;
	}
	if (time_mono_ns() - t0 > c->load_ns_max)
		c->load_ns_max = time_mono_ns() - t0;
	if (n < PAGE) {
		c->end_page = p;
		c->total = p * PAGE + n; /* what is there now, whatever the count said */
	} else if (p + 1 == c->ncursors) {
		if (c->total < (p + 1) * PAGE + 1)
			c->total = (p + 1) * PAGE + 1; /* more came since the count: let it scroll */
		if (c->ncursors == c->cursors_cap) {
			c->cursors_cap = c->cursors_cap ? 2 * c->cursors_cap : 64;
			c->cursors = xreallocarray(c->cursors, (size_t)c->cursors_cap, sizeof *c->cursors);
		}
		c->cursors[c->ncursors++] = cur;
	}
	return n;
}

/* Makes the window hold page p and its neighbours, reading at most budget pages. */
static void hold_pages(coll *c, int want_first, int *budget)
{
	if (want_first < 0)
		want_first = 0;
	if (c->end_page >= 0 && want_first > c->end_page)
		want_first = c->end_page;
	while (*budget > 0 && c->npages > 0 && want_first != c->first_page) {
		if (want_first > c->first_page) {
			/* Forward: read the page after the window (if there is one), drop the first. */
			int next = c->first_page + c->npages;
			if (c->end_page >= 0 && next > c->end_page) {
				break;
			}
			if (next >= c->ncursors)
				break; /* unreachable: each read adds the next cursor */
			if (c->npages == WINDOW_PAGES) {
				memmove(c->rows, c->rows + PAGE, (WINDOW_PAGES - 1) * PAGE * sizeof *c->rows);
				memmove(c->page_n, c->page_n + 1, (WINDOW_PAGES - 1) * sizeof *c->page_n);
				c->first_page++;
				c->npages--;
			}
			int n = read_page(c, next, c->rows + c->npages * PAGE);
			(*budget)--;
			if (n < 0)
				break;
			c->page_n[c->npages++] = n;
			if (n < PAGE)
				break;
		} else {
			/* Back: read the page before the window, drop the last. */
			int prev = c->first_page - 1;
			if (c->npages == WINDOW_PAGES)
				c->npages--;
			memmove(c->rows + PAGE, c->rows, (size_t)c->npages * PAGE * sizeof *c->rows);
			memmove(c->page_n + 1, c->page_n, (size_t)c->npages * sizeof *c->page_n);
			int n = read_page(c, prev, c->rows);
			(*budget)--;
			c->page_n[0] = n < 0 ? 0 : n;
			c->first_page = prev;
			c->npages++;
			if (n < 0)
				break;
		}
	}
	/* Fill the window forward while it is short and there is more. */
	while (*budget > 0 && c->npages < WINDOW_PAGES && c->npages > 0 &&
	       c->page_n[c->npages - 1] == PAGE && c->first_page + c->npages < c->ncursors) {
		int n = read_page(c, c->first_page + c->npages, c->rows + c->npages * PAGE);
		(*budget)--;
		if (n < 0)
			break;
		c->page_n[c->npages++] = n;
	}
}

static int open_group(coll *c, const char *group, int total)
{
	int budget = 1;
	str_copy_utf8(c->group, sizeof c->group, group);
	c->groups_view = 0;
	c->total = total;
	c->ncursors = 1;
	if (c->cursors_cap == 0) {
		c->cursors_cap = 64;
		c->cursors = xreallocarray(c->cursors, (size_t)c->cursors_cap, sizeof *c->cursors);
	}
	memset(&c->cursors[0], 0, sizeof c->cursors[0]);
	c->end_page = -1;
	c->first_page = 0;
	c->npages = 0;
	memset(&c->scroll, 0, sizeof c->scroll);
	int n = read_page(c, 0, c->rows);
	if (n < 0)
		return -1;
	c->page_n[0] = n;
	c->npages = 1;
	hold_pages(c, 0, &budget);
	return 0;
}

static int load_groups(coll *c)
{
	int n = store_attendee_groups(c->db, c->attendee, c->day_start, c->groups, GROUPS_MAX);
	if (n < 0) {
		log_warn("colleagues: cannot read groups: %s", store_errmsg(c->db));
		return -1;
	}
	c->ngroups = n;
	c->groups_view = 1;
	memset(&c->scroll, 0, sizeof c->scroll);
	return 0;
}

/* what: a group name (its colleagues), or NULL (the groups). The attendee is the tap's. */
static int coll_enter(void *self, screen_state *st, const char *what, int64_t now,
		      uint64_t now_ns)
{
	coll *c = self;
	int total = 0;

	(void)now_ns;
	coll_forget(c);
	if (st->tap == NULL || st->tap->kind != SCREEN_TAP_KNOWN)
		return -1;
	str_copy_utf8(c->attendee, sizeof c->attendee, st->tap->attendee.id);
	c->day_start = clock_day_start(now);
	c->from_groups = 0;
	if (what == NULL)
		return load_groups(c);
	for (int i = 0; i < st->tap->ngroups; i++)
		if (strcmp(st->tap->groups[i].group, what) == 0)
			total = st->tap->groups[i].total;
	return open_group(c, what, total);
}

/* ---- Drawing ------------------------------------------------------------------------------ */
static int row_height(ui *u, const screen_metrics *m)
{
	return ui_line_height(u, UI_FACE_REGULAR, m->px_body) +
	       ui_line_height(u, UI_FACE_REGULAR, m->px_small) + m->gap;
}

static const store_colleague *held_row(const coll *c, int i)
{
	int p = i / PAGE - c->first_page, k = i % PAGE;
	if (p < 0 || p >= c->npages || k >= c->page_n[p])
		return NULL;
	return &c->rows[p * PAGE + k];
}

static void draw_person(ui *u, const store_colleague *p, const screen_theme *t,
			const screen_metrics *m, SDL_Rect r)
{
	char when[16], meta[STORE_PLACE_MAX + STORE_NAME_MAX + 32];
	int lh = ui_line_height(u, UI_FACE_REGULAR, m->px_body);

	screen_clock(when, sizeof when, p->checked_in_at);
	if (p->location[0])
		snprintf(meta, sizeof meta, "%s \xC2\xB7 %s", p->location, when);
	else
		snprintf(meta, sizeof meta, "%s", when);
	ui_text(u, p->name, UI_FACE_REGULAR, m->px_body, t->text, r.x, r.y, r.w * 3 / 5, UI_LEFT);
	if (p->affiliation[0])
		ui_text(u, p->affiliation, UI_FACE_REGULAR, m->px_small, t->muted,
			r.x + r.w * 3 / 5 + m->gap, r.y + (lh - ui_line_height(u, UI_FACE_REGULAR,
										   m->px_small)) / 2,
			r.w * 2 / 5 - m->gap, UI_RIGHT);
	ui_text(u, meta, UI_FACE_REGULAR, m->px_small, t->muted, r.x, r.y + lh, r.w, UI_LEFT);
}

static void draw_colleague_rows(coll *c, ui *u, const screen_theme *t, const screen_metrics *m,
				SDL_Rect view)
{
	int first = (int)(c->scroll.offset / (float)c->row_h);
	int last = (int)((c->scroll.offset + (float)view.h) / (float)c->row_h);

	if (first < 0)
		first = 0;
	ui_clip_push(u, view);
	for (int i = first; i <= last && i < c->total; i++) {
		const store_colleague *p = held_row(c, i);
		SDL_Rect r = { view.x, view.y + i * c->row_h - (int)c->scroll.offset, view.w,
			       c->row_h };
		if (p == NULL) /* not read yet (a fast fling): the next frames fill it in */
			continue;
		draw_person(u, p, t, m, r);
		ui_scene_note(u, "colleague", r, p->name); /* tests count the rows they saw */
		ui_fill(u, (SDL_Rect){ r.x, r.y + r.h - m->gap / 2, r.w, 1 }, t->surface);
	}
	ui_clip_pop(u);
}

static void draw_group_rows(coll *c, ui *u, const screen_theme *t, const screen_metrics *m,
			    SDL_Rect view)
{
	ui_clip_push(u, view);
	for (int i = 0; i < c->ngroups; i++) {
		const store_group_count *g = &c->groups[i];
		SDL_Rect r = { view.x, view.y + i * c->row_h - (int)c->scroll.offset, view.w,
			       c->row_h - m->gap / 2 };
		char count[48];
		int cw, ch, lh = ui_line_height(u, UI_FACE_BOLD, m->px_body);

		if (r.y + r.h < view.y || r.y > view.y + view.h)
			continue;
		ui_round_rect(u, r, m->radius, i == c->pressed_row ? t->pressed : t->surface);
		snprintf(count, sizeof count,
			 g->total == 1 ? "1 here \xE2\x80\xBA"
			 : g->total >= STORE_GROUP_COUNT_CAP ? "%d+ here \xE2\x80\xBA" : "%d here \xE2\x80\xBA",
			 g->total);
		ui_text_size(u, count, UI_FACE_REGULAR, m->px_small, &cw, &ch);
		ui_text(u, g->group, UI_FACE_BOLD, m->px_body, t->text, r.x + m->pad,
			r.y + (r.h - lh) / 2, r.w - 3 * m->pad - cw, UI_LEFT);
		ui_text(u, count, UI_FACE_REGULAR, m->px_small, t->accent, r.x + r.w - m->pad - cw,
			r.y + (r.h - ch) / 2, cw, UI_RIGHT);
		/* Each row opens its group: a touch target for the scene (and the tests). */
		if (r.y >= view.y && r.y + r.h <= view.y + view.h)
			ui_scene_note(u, "button", r, g->group);
	}
	ui_clip_pop(u);
}

static void coll_draw(void *self, ui *u, screen_state *st, const screen_theme *t,
		      const screen_metrics *m, uint64_t now_ns)
{
	coll *c = self;
	const SDL_Rect a = m->area;
	char title[STORE_GROUP_MAX + 16], sub[96];
	screen_bar bar = { &c->back, "\xE2\x80\xB9 Back", NULL, m->px_small, 1 };
	int x = a.x + m->margin, w = a.w - 2 * m->margin, y;
	int lh = ui_line_height(u, UI_FACE_REGULAR, m->px_small);
	SDL_Rect view;

	(void)now_ns;
	if (c->groups_view) {
		bar.title = "Your groups";
		snprintf(sub, sizeof sub, c->ngroups == 1 ? "1 group" : "%d groups", c->ngroups);
		c->row_h = m->touch + m->gap / 2;
	} else {
		snprintf(title, sizeof title, "%s", c->group);
		bar.title = title;
		snprintf(sub, sizeof sub, c->total == 1 ? "1 colleague here today \xC2\xB7 newest first"
			 : c->end_page < 0 && c->total >= STORE_GROUP_COUNT_CAP
				 ? "%d+ colleagues here today \xC2\xB7 newest first"
				 : "%d colleagues here today \xC2\xB7 newest first",
			 c->total);
		c->row_h = row_height(u, m);
	}
	y = a.y + m->margin / 2 + screen_top_bar(u, t, m, &bar, st->now) + m->gap / 2;
	ui_text(u, sub, UI_FACE_REGULAR, m->px_small, t->accent, x, y, w, UI_LEFT);
	y += lh + m->gap / 2;
	view = (SDL_Rect){ x, y, w, a.y + a.h - m->margin / 2 - y };
	c->scroll.view = view;
	if (c->groups_view) {
		c->scroll.content_h = (float)(c->ngroups * c->row_h);
		draw_group_rows(c, u, t, m, view);
	} else {
		c->scroll.content_h = (float)(c->total * c->row_h);
		if (c->total == 0)
			ui_text_wrap(u, "Nobody from this group has checked in yet today.",
				     UI_FACE_REGULAR, m->px_body, t->muted, x, y, w, 3, UI_LEFT);
		draw_colleague_rows(c, u, t, m, view);
	}
}

/* ---- Input and paging --------------------------------------------------------------------- */
static enum screen_action coll_pointer(void *self, screen_state *st, const ui_pointer *p,
				       uint64_t now_ns)
{
	coll *c = self;
	SDL_Rect v = c->scroll.view;
	int in = p->x >= v.x && p->x < v.x + v.w && p->y >= v.y && p->y < v.y + v.h;
	int row = in && c->row_h > 0 ? (p->y - v.y + (int)c->scroll.offset) / c->row_h : -1;

	(void)st;
	(void)now_ns;
	if (ui_tap_feed(&c->back, p)) {
		if (!c->groups_view && c->from_groups) {
			c->groups_view = 1; /* back to the groups, where this list was opened */
			memset(&c->scroll, 0, sizeof c->scroll);
			return SCREEN_ACTION_NONE;
		}
		return SCREEN_ACTION_BACK;
	}
	if (ui_scroll_feed(&c->scroll, p)) {
		c->pressed_row = -1;
		return SCREEN_ACTION_NONE;
	}
	if (!c->groups_view)
		return SCREEN_ACTION_NONE;
	if (p->kind == UI_POINTER_DOWN)
		c->pressed_row = row < c->ngroups ? row : -1;
	else if (p->kind == UI_POINTER_UP) {
		int picked = c->pressed_row;
		c->pressed_row = -1;
		if (picked >= 0 && picked == row && open_group(c, c->groups[picked].group,
								c->groups[picked].total) == 0)
			c->from_groups = 1;
	}
	return SCREEN_ACTION_NONE;
}

static int coll_update(void *self, screen_state *st, float dt, uint64_t now_ns,
		       enum screen_action *act)
{
	coll *c = self;
	int moving = ui_scroll_update(&c->scroll, dt), budget = LOADS_PER_FRAME;

	(void)st;
	(void)now_ns;
	(void)act;
	if (!c->groups_view && c->npages > 0 && c->row_h > 0) {
		/* Keep the page in view in the middle of the window. */
		int top = (int)(c->scroll.offset / (float)c->row_h);
		int first = c->first_page, held = c->npages;
		hold_pages(c, top / PAGE - 1, &budget);
		if (c->first_page != first || c->npages != held)
			moving = 1; /* new rows: draw them */
	}
	return moving;
}

const screen_ops screen_colleagues_ops = {
	.name = "colleagues",
	.open = coll_open,
	.close = coll_close,
	.view = coll_view,
	.enter = coll_enter,
	.pointer = coll_pointer,
	.update = coll_update,
	.draw = coll_draw,
	.leave = coll_leave,
};
