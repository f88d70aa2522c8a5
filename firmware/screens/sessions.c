/* The session browser's data and its list: what the tabs, the chosen category or the query
 * load (browse_reload), and the rows drawn from it (browse_draw_list). Data is (re)loaded only
 * when the tab, the category or the query changes, never per frame, so a frame costs drawing
 * the visible rows and nothing else. The frame around the list (tabs, breadcrumb, search field
 * and keyboard) is sessions_draw.c's, input and the screen's ops row sessions_input.c's, the
 * detail session_detail.c's. Start reading at browse_draw() in sessions_draw.c.
 *
 * Rows have three heights (header, category, session); their positions are computed in the
 * draw pass and kept in rows[] so that a tap in the next event is matched to what was shown.
 */
#include "screens/sessions_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/clock.h"
#include "common/log.h"
#include "common/util.h"
#include "common/when.h"
#include "venue/venue_store.h"

#define NOW_NEXT_HORIZON (60 * 60)

/* Days that have sessions: one indexed LIMIT 1 query per day, jumping over empty days. */
static void load_days(browse *b)
{
	store_session s;
	int64_t from = 0;
	b->ndays = 0;
	while (b->ndays < BROWSE_DAYS_MAX &&
	       store_sessions(b->db, STORE_SESSIONS_DAY, NULL, from, INT64_C(1) << 40, &s, 1) == 1) {
		int64_t day = clock_day_start(s.start);
		b->days[b->ndays++] = day;
		from = clock_next_day_start(day);
	}
}

browse *browse_new(store *db, const char *location)
{
	browse *b = xcalloc(1, sizeof *b);
	b->db = db;
	b->venue = venue_new();
	if (venue_load(b->venue, db) < 0)
		log_warn("sessions: cannot read rooms: %s", store_errmsg(db));
	b->here = venue_locate(b->venue, location);
	if (location != NULL && location[0] != '\0' && b->here < 0)
		log_info("sessions: location '%s' is not a room on the map; no 'you are here'",
			 location);
	b->cats = xcalloc(BROWSE_CATS_MAX, sizeof *b->cats);
	b->list = xcalloc(BROWSE_LIST_MAX, sizeof *b->list);
	b->rows = xcalloc(BROWSE_ROWS_MAX, sizeof *b->rows);
	b->pressed_row = -1;
	b->picked = -1;
	keyboard_init(&b->kb);
	return b;
}

void browse_free(browse *b)
{
	if (b == NULL)
		return;
	venue_free(b->venue);
	free(b->cats);
	free(b->list);
	free(b->rows);
	free(b);
}

const char *browse_screen_name(const browse *b)
{
	return b->detail ? "session-detail" : "sessions";
}

/* "14:00–15:30", with "Tomorrow, " or "Tue, " before it when with_day (when.h). */
void browse_format_when(char *out, size_t size, const store_session *s, int64_t now, int with_day)
{
	struct tm a, z;
	time_t ts = (time_t)s->start, te = (time_t)s->end;
	char day[48] = "", t1[16], t2[16];
	localtime_r(&ts, &a);
	localtime_r(&te, &z);
	strftime(t1, sizeof t1, "%H:%M", &a);
	strftime(t2, sizeof t2, "%H:%M", &z);
	if (with_day)
		when_day(day, sizeof day, s->start, now);
	snprintf(out, size, "%s%s%s–%s", day, day[0] ? ", " : "", t1, t2);
}

static void add_row(browse *b, enum row_kind kind, int i, const char *text)
{
	if (b->nrows == BROWSE_ROWS_MAX)
		return;
	browse_row *r = &b->rows[b->nrows++];
	r->kind = kind;
	r->i = i;
	str_copy_utf8(r->text, sizeof r->text, text ? text : "");
}

/* Session rows, with a day header whenever the local day changes (lists span days). */
static void add_sessions_by_day(browse *b, int with_headers)
{
	int64_t day = -1;
	for (int i = 0; i < b->nlist; i++) {
		int64_t d = clock_day_start(b->list[i].start);
		if (with_headers && d != day) {
			char h[64];
			when_date(h, sizeof h, "%A %e %B", b->list[i].start);
			add_row(b, ROW_HEADER, 0, d == clock_day_start(b->now) ? "Today" : h);
			day = d;
		}
		add_row(b, ROW_SESSION, i, NULL);
	}
}

/* One Latin letter matches most of a programme (and ranking thousands of rows costs more than
 * a frame): search from two characters, or from one character of a script without spaces,
 * where one character is a word. */
static int query_long_enough(const char *q)
{
	size_t chars = 0;
	for (const char *p = q; *p; p++) {
		if (*p == ' ')
			continue;
		if (((unsigned char)*p & 0xC0) != 0x80)
			chars++;
		if ((unsigned char)*p >= 0xE3 && (unsigned char)*p <= 0xED)
			return 1; /* CJK, kana, Hangul */
	}
	return chars >= 2;
}

static int fetch(browse *b, enum store_session_filter f, const char *arg, int64_t now,
		 int64_t horizon)
{
	int max = f == STORE_SESSIONS_SEARCH ? BROWSE_SEARCH_MAX : BROWSE_LIST_MAX;
	int n = store_sessions(b->db, f, arg, now, horizon, b->list, max);
	if (n < 0) {
		log_warn("sessions: query failed: %s", store_errmsg(b->db));
		n = 0;
	}
	return n;
}

/* cats[] for the TRACK, ROOM or DAY tab: the names to choose from. */
static void load_categories(browse *b)
{
	if (b->tab == TAB_TRACK) {
		b->ncats = store_tracks(b->db, b->cats, BROWSE_CATS_MAX);
		if (b->ncats < 0)
			b->ncats = 0;
	} else if (b->tab == TAB_ROOM) {
		b->ncats = 0;
		for (int i = 0; i < venue_room_count(b->venue) && b->ncats < BROWSE_CATS_MAX; i++)
			str_copy_utf8(b->cats[b->ncats++], STORE_PLACE_MAX,
				      venue_room_at(b->venue, i)->name);
	} else {
		load_days(b);
		b->ncats = b->ndays;
		for (int i = 0; i < b->ndays; i++)
			when_date(b->cats[i], STORE_PLACE_MAX, "%A %e %B", b->days[i]);
	}
}

/* Now & next, when nothing starts within the hour: what comes next, whenever it is (later
 * today, tomorrow, next week): every session of the first start time after now. */
static void add_next(browse *b)
{
	store_session first;
	int n;

	if (b->nlist >= BROWSE_LIST_MAX ||
	    store_sessions(b->db, STORE_SESSIONS_DAY, NULL, b->now + 1, INT64_C(1) << 40, &first,
			   1) != 1)
		return;
	n = store_sessions(b->db, STORE_SESSIONS_DAY, NULL, first.start, 1, b->list + b->nlist,
			   BROWSE_LIST_MAX - b->nlist);
	if (n <= 0)
		return;
	add_row(b, ROW_HEADER, 0, "Next");
	for (int i = b->nlist; i < b->nlist + n; i++)
		add_row(b, ROW_SESSION, i, NULL);
	b->nlist += n;
}

/* Rebuilds list[] and rows[] for the current tab, category and query. */
void browse_reload(browse *b)
{
	b->nrows = 0;
	b->nlist = 0;
	switch (b->tab) {
	case TAB_NOW: {
		b->nlist = fetch(b, STORE_SESSIONS_NOW_NEXT, NULL, b->now, NOW_NEXT_HORIZON);
		int on = 0, next = 0;
		for (int i = 0; i < b->nlist; i++) {
			if (b->list[i].start <= b->now) {
				if (!on++)
					add_row(b, ROW_HEADER, 0, "On now");
				add_row(b, ROW_SESSION, i, NULL);
			}
		}
		for (int i = 0; i < b->nlist; i++) {
			if (b->list[i].start > b->now) {
				if (!next++)
					add_row(b, ROW_HEADER, 0, "Starting within the hour");
				add_row(b, ROW_SESSION, i, NULL);
			}
		}
		if (!next)
			add_next(b);
		if (b->nlist == 0)
			add_row(b, ROW_EMPTY, 0, "Nothing on right now. See By day for the programme.");
		break;
	}
	case TAB_TRACK:
	case TAB_ROOM:
	case TAB_DAY:
		if (b->picked < 0) {
			load_categories(b);
			for (int i = 0; i < b->ncats; i++)
				add_row(b, ROW_CAT, i, NULL);
			if (b->ncats == 0)
				add_row(b, ROW_EMPTY, 0, "No sessions in the programme yet.");
			break;
		}
		/* From the start of today: what already ended today stays listed, marked. */
		if (b->tab == TAB_TRACK)
			b->nlist = fetch(b, STORE_SESSIONS_TRACK, b->cats[b->picked],
					 clock_day_start(b->now), 0);
		else if (b->tab == TAB_ROOM)
			b->nlist = fetch(b, STORE_SESSIONS_ROOM, b->cats[b->picked],
					 clock_day_start(b->now), 0);
		else
			b->nlist = fetch(b, STORE_SESSIONS_DAY, NULL, b->days[b->picked],
					 clock_next_day_start(b->days[b->picked]) - b->days[b->picked]);
		add_sessions_by_day(b, b->tab != TAB_DAY);
		if (b->nlist == 0)
			add_row(b, ROW_EMPTY, 0, "No sessions here.");
		break;
	case TAB_SEARCH:
		if (b->query[0] == '\0') {
			add_row(b, ROW_EMPTY, 0, "Type part of a title, a speaker, a track or a room.");
			break;
		}
		if (!query_long_enough(b->query)) {
			add_row(b, ROW_EMPTY, 0, "Keep typing…");
			break;
		}
		b->nlist = fetch(b, STORE_SESSIONS_SEARCH, b->query, clock_day_start(b->now), 0);
		add_sessions_by_day(b, 0);
		if (b->nlist == 0)
			add_row(b, ROW_EMPTY, 0, "No session matches.");
		break;
	default:
		break;
	}
	b->scroll.offset = 0;
	b->scroll.velocity = 0;
	b->pressed_row = -1;
}

void browse_set_tab(browse *b, enum browse_tab tab)
{
	b->tab = tab;
	b->picked = -1;
	browse_reload(b);
}

void browse_show_list(browse *b, int64_t now)
{
	b->now = now;
	b->detail = 0;
	b->query[0] = '\0';
	b->kb.layer = 0;
	browse_set_tab(b, TAB_NOW);
}

int browse_show_session(browse *b, const char *session_id, int64_t now)
{
	store_session s;
	b->now = now;
	if (session_id == NULL || store_session_get(b->db, session_id, &s) != 1)
		return 0;
	if (!b->detail)
		browse_show_list(b, now); /* Back from a detail opened on welcome leaves the browser */
	detail_open(b, &s);
	b->detail_direct = 1;
	return 1;
}

static void draw_tag(ui *u, const screen_metrics *m, const char *text, SDL_Color fill,
		     SDL_Color ink, int right, int y)
{
	int w, h;
	ui_text_size(u, text, UI_FACE_BOLD, m->px_label, &w, &h);
	SDL_Rect r = { right - w - m->pad, y, w + m->pad, h + m->pad / 3 };
	ui_round_rect(u, r, r.h / 2, fill);
	ui_text(u, text, UI_FACE_BOLD, m->px_label, ink, r.x + m->pad / 2, r.y + m->pad / 6, w,
		UI_LEFT);
}

static void draw_session_row(browse *b, ui *u, const screen_theme *t, const screen_metrics *m,
			     const store_session *s, SDL_Rect r, int pressed, int64_t now)
{
	int over = s->end <= now, on = s->start <= now && now < s->end;
	SDL_Color ink = over ? t->muted : t->text;
	int time_w = m->time_w;
	int lh_b = ui_line_height(u, UI_FACE_BOLD, m->px_body);
	char t1[16], t2[16], meta[2 * STORE_PLACE_MAX + 8], tagday[32] = "";
	struct tm a, z;
	time_t ts = (time_t)s->start, te = (time_t)s->end;

	screen_control(u, t, m, r, m->radius, pressed ? t->pressed : t->surface);
	localtime_r(&ts, &a);
	localtime_r(&te, &z);
	strftime(t1, sizeof t1, "%H:%M", &a);
	strftime(t2, sizeof t2, "%H:%M", &z);
	/* Lists without day headers (search, now & next) span days: say which (when.h). */
	if (b->tab == TAB_SEARCH || b->tab == TAB_NOW)
		when_day(tagday, sizeof tagday, s->start, now);
	int x = r.x + m->pad, y = r.y + m->pad;
	ui_text(u, tagday[0] ? tagday : t1, UI_FACE_BOLD, tagday[0] ? m->px_small : m->px_body,
		over ? t->muted : t->accent, x, y, time_w, UI_LEFT);
	ui_text(u, tagday[0] ? t1 : t2, UI_FACE_REGULAR, m->px_small, t->muted, x, y + lh_b,
		time_w, UI_LEFT);

	/* Tag on the right: "Now" or "Ended". */
	int tag_room = 0;
	if (on || over) {
		int tw, th;
		const char *tag = on ? "Now" : "Ended";
		ui_text_size(u, tag, UI_FACE_BOLD, m->px_label, &tw, &th);
		tag_room = tw + 2 * m->pad;
		/* On the second line, so that the title keeps the whole width. */
		draw_tag(u, m, tag, on ? t->accent : ui_mix(t->surface, t->muted, 0.3f),
			 on ? t->background : t->text, r.x + r.w - m->pad, y + lh_b);
	}
	int tx = x + time_w + m->gap, tw = r.x + r.w - m->pad - tx;
	/* A title in a fallback font (CJK) can be taller than the primary font's line. */
	SDL_Rect title = ui_text(u, s->title, UI_FACE_BOLD, m->px_body, ink, tx, y, tw, UI_LEFT);
	int meta_y = title.y + title.h > y + lh_b ? title.y + title.h : y + lh_b;
	snprintf(meta, sizeof meta, "%s%s%s", s->room, s->track[0] && s->room[0] ? " · " : "",
		 s->track);
	ui_text(u, meta, UI_FACE_REGULAR, m->px_small, t->muted, tx, meta_y,
		r.x + r.w - m->pad - tx - tag_room, UI_LEFT);
	ui_scene_note(u, over ? "session-over" : "session", r, s->id);
}

void browse_draw_list(browse *b, ui *u, const screen_theme *t, const screen_metrics *m,
		      SDL_Rect v, int64_t now)
{
	int lh_b = ui_line_height(u, UI_FACE_BOLD, m->px_body);
	int lh_s = ui_line_height(u, UI_FACE_REGULAR, m->px_small);
	int h_session = 2 * m->pad + lh_b + lh_s, h_cat = m->touch;
	int h_header = ui_line_height(u, UI_FACE_BOLD, m->px_small) + m->gap;
	int y = 0, space = m->target_gap;

	for (int i = 0; i < b->nrows; i++) {
		browse_row *r = &b->rows[i];
		r->y = y;
		r->h = r->kind == ROW_SESSION ? h_session : r->kind == ROW_CAT ? h_cat
			: r->kind == ROW_HEADER ? h_header : 3 * lh_b;
		y += r->h + space;
	}
	b->scroll.view = v;
	b->scroll.content_h = (float)(y > 0 ? y - space : 0);

	ui_clip_push(u, v);
	int off = (int)b->scroll.offset;
	for (int i = 0; i < b->nrows; i++) {
		browse_row *r = &b->rows[i];
		if (r->y + r->h < off || r->y > off + v.h)
			continue;
		SDL_Rect rr = { v.x, v.y + r->y - off, v.w, r->h };
		int pressed = b->pressed_row == i && !b->scroll.dragging;
		switch (r->kind) {
		case ROW_HEADER:
			ui_text(u, r->text, UI_FACE_BOLD, m->px_small, t->accent, rr.x + m->pad / 2,
				rr.y + m->gap / 2, rr.w - m->pad, UI_LEFT);
			break;
		case ROW_EMPTY:
			ui_text_wrap(u, r->text, UI_FACE_REGULAR, m->px_body, t->muted, rr.x + m->pad,
				     rr.y + lh_b, rr.w - 2 * m->pad, 2, UI_CENTER);
			break;
		case ROW_CAT: {
			int lh = ui_line_height(u, UI_FACE_BOLD, m->px_body), cw, chh;
			screen_control(u, t, m, rr, m->radius, pressed ? t->pressed : t->surface);
			ui_text_size(u, "›", UI_FACE_BOLD, m->px_title, &cw, &chh);
			ui_text(u, b->cats[r->i], UI_FACE_BOLD, m->px_body, t->text, rr.x + m->pad,
				rr.y + (rr.h - lh) / 2, rr.w - 3 * m->pad - cw, UI_LEFT);
			ui_text(u, "›", UI_FACE_BOLD, m->px_title, t->muted, rr.x + rr.w - m->pad - cw,
				rr.y + (rr.h - chh) / 2, cw, UI_RIGHT);
			ui_scene_note(u, "category", rr, b->cats[r->i]);
			break;
		}
		case ROW_SESSION:
			draw_session_row(b, u, t, m, &b->list[r->i], rr, pressed, now);
			break;
		}
	}
	/* A thin scroll indicator when the list is longer than the view. */
	if (b->scroll.content_h > v.h) {
		float frac = v.h / b->scroll.content_h;
		int bar_h = (int)(v.h * frac), bar_w = m->gap / 3 > 3 ? m->gap / 3 : 3;
		int by = v.y + (int)((v.h - bar_h) * (b->scroll.offset /
						      (b->scroll.content_h - v.h)));
		SDL_Color c = t->muted;
		c.a = 120;
		ui_round_rect(u, (SDL_Rect){ v.x + v.w - bar_w, by, bar_w, bar_h }, bar_w / 2, c);
	}
	ui_clip_pop(u);
}
