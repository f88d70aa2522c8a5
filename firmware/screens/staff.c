/* Staff mode: find a person by name, check them in on their behalf, bind a new card to them.
 *
 * Reached from admin's PIN pad with the staff PIN (admin/pin_gate.h: one count of wrong PINs
 * and one lock for both PINs). Four views: the search (field, results, on-screen keyboard),
 * a person (Check in, Bind a new card), waiting for the new card, and the binding's
 * confirmation ("Bind card 04A1B2C3 to María González?"). The search reads through the SDL
 * thread's read-only connection as the session search does, once per keystroke (FTS5 prefix
 * query, store_staff.c; `make bench` row "staff search"); every write is a job for the store
 * worker (staff.h), whose answer arrives through staff_screen_result. No touch for
 * STAFF_IDLE_MS, or Close, returns to attract; every action is logged by the worker as
 * "staff: ..." with what and whom.
 */
#include "screens/staff.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/clock.h"
#include "common/log.h"
#include "common/util.h"
#include "screens/keyboard.h"

#define RESULTS_MAX 8
#define QUERY_MAX 96
#define CARDS_MAX 4
#define MS 1000000ULL

enum staff_view { VIEW_SEARCH, VIEW_PERSON, VIEW_CAPTURE, VIEW_CONFIRM };

typedef struct staff_screen {
	store *db;                  /* the SDL thread's read-only connection */
	int (*job)(void *ctx, const staff_job *j); /* to the store worker */
	void *ctx;
	enum staff_view view;
	uint64_t last_touch_ns;     /* idle timeout */
	char query[QUERY_MAX];
	store_attendee results[RESULTS_MAX];
	int nresults;
	ui_tap rows[RESULTS_MAX];
	keyboard kb;
	store_attendee person;      /* the one opened */
	char cards[CARDS_MAX][21];  /* their cards now */
	int ncards;
	char message[400];          /* the last action's result, on the person view */
	int message_ok;
	int busy;                   /* a job is out: buttons wait for its answer */
	staff_result captured;      /* the card tapped for binding */
	int revoke_old;             /* the confirmation's toggle */
	uint64_t capture_until_ns;
	ui_tap close, back, checkin, bind, cancel, confirm, revoke;
} staff_screen;

static void submit(staff_screen *s, enum staff_job_kind kind, uint64_t until_ns)
{
	staff_job j;
	memset(&j, 0, sizeof j);
	j.kind = kind;
	str_copy_utf8(j.attendee_id, sizeof j.attendee_id, s->person.id);
	str_copy_utf8(j.name, sizeof j.name, s->person.name);
	str_copy_utf8(j.uid_hex, sizeof j.uid_hex, s->captured.uid_hex);
	j.revoke_old = s->revoke_old;
	j.until_ns = until_ns;
	if (s->job == NULL || s->job(s->ctx, &j) < 0) {
		snprintf(s->message, sizeof s->message, "The kiosk is busy; try again.");
		s->message_ok = 0;
		s->busy = 0;
		s->view = VIEW_PERSON;
	}
}

static void search(staff_screen *s)
{
	int n = store_attendee_search(s->db, s->query, s->results, RESULTS_MAX);
	if (n < 0)
		log_warn("staff: search failed: %s", store_errmsg(s->db));
	s->nresults = n < 0 ? 0 : n;
	memset(s->rows, 0, sizeof s->rows);
}

static void open_person(staff_screen *s, const store_attendee *a)
{
	s->person = *a;
	s->view = VIEW_PERSON;
	s->message[0] = '\0';
	s->busy = 0;
	int n = store_attendee_badges(s->db, a->id, s->cards, CARDS_MAX);
	s->ncards = n < 0 ? 0 : n;
	log_info("staff: opened attendee=%s (%s)", a->id, a->name);
}

static void text_input(staff_screen *s, const char *utf8)
{
	size_t n = strlen(s->query), add = strlen(utf8);
	if (s->view != VIEW_SEARCH || n + add >= sizeof s->query)
		return;
	memcpy(s->query + n, utf8, add + 1);
	search(s);
}

static void backspace(staff_screen *s)
{
	size_t n = strlen(s->query);
	while (n > 0 && (s->query[n - 1] & 0xC0) == 0x80)
		n--;
	if (n > 0)
		n--;
	s->query[n] = '\0';
	search(s);
}

void staff_screen_result(void *self, const staff_result *r)
{
	staff_screen *s = self;
	if (s == NULL || strcmp(r->attendee_id, s->person.id) != 0)
		return; /* for someone no longer shown */
	s->busy = 0;
	switch (r->kind) {
	case STAFF_RESULT_CAPTURED:
		if (s->view != VIEW_CAPTURE)
			return;
		s->captured = *r;
		s->revoke_old = s->ncards > 0;
		s->view = VIEW_CONFIRM;
		return;
	case STAFF_RESULT_CHECKED_IN: {
		char when[16];
		screen_clock(when, sizeof when, r->tap.checked_in_at);
		snprintf(s->message, sizeof s->message, r->tap.repeat
			 ? "Already checked in at %s." : "Checked in at %s (by staff).", when);
		break;
	}
	case STAFF_RESULT_BOUND:
		snprintf(s->message, sizeof s->message, "Card %s is now %s's.%s", r->uid_hex,
			 s->person.name, r->revoked ? " The old card is revoked." : "");
		break;
	case STAFF_RESULT_FAILED:
		snprintf(s->message, sizeof s->message, "Not done: %s", r->message);
		break;
	}
	s->message_ok = r->kind != STAFF_RESULT_FAILED;
	s->view = VIEW_PERSON;
	int n = store_attendee_badges(s->db, s->person.id, s->cards, CARDS_MAX);
	s->ncards = n < 0 ? 0 : n;
}

/* ---- Input -------------------------------------------------------------------------------- */
static enum screen_action search_pointer(staff_screen *s, const ui_pointer *p)
{
	char text[16];
	if (ui_tap_feed(&s->close, p))
		return SCREEN_ACTION_DONE;
	for (int i = 0; i < s->nresults; i++)
		if (ui_tap_feed(&s->rows[i], p)) {
			open_person(s, &s->results[i]);
			return SCREEN_ACTION_NONE;
		}
	switch (keyboard_pointer(&s->kb, p, text, sizeof text)) {
	case KEYBOARD_TEXT:
		text_input(s, text);
		break;
	case KEYBOARD_BACKSPACE:
		backspace(s);
		break;
	case KEYBOARD_CLEAR:
		s->query[0] = '\0';
		search(s);
		break;
	default:
		break;
	}
	return SCREEN_ACTION_NONE;
}

static enum screen_action staff_pointer(void *self, screen_state *st, const ui_pointer *p,
					uint64_t now_ns)
{
	staff_screen *s = self;
	(void)st;
	s->last_touch_ns = now_ns;
	switch (s->view) {
	case VIEW_SEARCH:
		return search_pointer(s, p);
	case VIEW_PERSON:
		if (ui_tap_feed(&s->back, p)) {
			s->view = VIEW_SEARCH;
			search(s);
		} else if (!s->busy && ui_tap_feed(&s->checkin, p)) {
			s->busy = 1;
			s->message[0] = '\0';
			submit(s, STAFF_JOB_CHECKIN, 0);
		} else if (!s->busy && ui_tap_feed(&s->bind, p)) {
			s->message[0] = '\0';
			memset(&s->captured, 0, sizeof s->captured);
			s->capture_until_ns = now_ns + STAFF_CAPTURE_MS * MS;
			s->view = VIEW_CAPTURE;
			submit(s, STAFF_JOB_CAPTURE, s->capture_until_ns);
		}
		break;
	case VIEW_CAPTURE:
		if (ui_tap_feed(&s->cancel, p)) {
			submit(s, STAFF_JOB_CAPTURE_CANCEL, 0);
			s->view = VIEW_PERSON;
		}
		break;
	case VIEW_CONFIRM: {
		int bar_cancel = ui_tap_feed(&s->back, p);
		if (ui_tap_feed(&s->revoke, p)) {
			s->revoke_old = !s->revoke_old;
		} else if (ui_tap_feed(&s->cancel, p) || bar_cancel) {
			log_info("staff: did not bind card %s to attendee=%s", s->captured.uid_hex,
				 s->person.id);
			s->view = VIEW_PERSON;
		} else if (!s->busy && ui_tap_feed(&s->confirm, p)) {
			s->busy = 1;
			submit(s, STAFF_JOB_BIND, 0);
		}
		break;
	}
	}
	return SCREEN_ACTION_NONE;
}

static void staff_text(void *self, screen_state *st, const char *utf8)
{
	(void)st;
	text_input(self, utf8);
}

static void staff_key(void *self, screen_state *st, SDL_Keycode key)
{
	staff_screen *s = self;
	(void)st;
	if (s->view == VIEW_SEARCH && key == SDLK_BACKSPACE)
		backspace(s);
}

static int staff_update(void *self, screen_state *st, float dt, uint64_t now_ns,
			enum screen_action *act)
{
	staff_screen *s = self;
	(void)st;
	(void)dt;
	if (now_ns - s->last_touch_ns > STAFF_IDLE_MS * MS && s->view != VIEW_CAPTURE) {
		log_info("staff: closed (idle)");
		*act = SCREEN_ACTION_DONE;
		return 0;
	}
	if (s->view == VIEW_CAPTURE && now_ns > s->capture_until_ns) {
		/* The worker's flag has the same deadline; no card came. */
		snprintf(s->message, sizeof s->message, "No card was tapped. Try again.");
		s->message_ok = 0;
		s->view = VIEW_PERSON;
		s->last_touch_ns = now_ns;
		log_info("staff: no card tapped for attendee=%s", s->person.id);
		return 1;
	}
	/* The caret blinks; the capture countdown ticks. */
	return s->view == VIEW_SEARCH || s->view == VIEW_CAPTURE;
}

/* ---- Drawing ------------------------------------------------------------------------------ */
static void draw_field(staff_screen *s, ui *u, const screen_theme *t, const screen_metrics *m,
		       SDL_Rect r)
{
	int lh = ui_line_height(u, UI_FACE_REGULAR, m->px_body);
	ui_round_rect(u, r, m->radius, t->surface);
	int x = r.x + m->pad, w = r.w - 2 * m->pad, y = r.y + (r.h - lh) / 2;
	if (s->query[0] == '\0') {
		ui_text(u, "Type a name…", UI_FACE_REGULAR, m->px_body, t->muted, x, y, w, UI_LEFT);
		return;
	}
	int qw, qh;
	const char *shown = s->query;
	ui_text_size(u, shown, UI_FACE_REGULAR, m->px_body, &qw, &qh);
	while (qw > w - 8 && *shown) { /* keep the end, where the typing is, in view */
		shown++;
		while ((*shown & 0xC0) == 0x80)
			shown++;
		ui_text_size(u, shown, UI_FACE_REGULAR, m->px_body, &qw, &qh);
	}
	SDL_Rect tr = ui_text(u, shown, UI_FACE_REGULAR, m->px_body, t->text, x, y, w, UI_LEFT);
	if ((time_mono_ns() / 500000000ULL) % 2 == 0)
		ui_fill(u, (SDL_Rect){ tr.x + tr.w + 2, y, 2, lh }, t->accent);
	ui_scene_note(u, "query", r, s->query);
}

static void draw_search(staff_screen *s, ui *u, const screen_theme *t, const screen_metrics *m,
			int64_t now)
{
	SDL_Rect a = m->area;
	int x = a.x + m->margin, w = a.w - 2 * m->margin;
	int y = a.y + m->margin / 2, bottom = a.y + a.h - m->margin / 2;
	screen_bar bar = { &s->close, "Close", "Staff: find a person", m->px_body, 1 };
	y += screen_top_bar(u, t, m, &bar, now) + m->gap / 2;
	draw_field(s, u, t, m, (SDL_Rect){ x, y, w, m->bar_h });
	y += m->bar_h + m->gap / 2;
	int kh = keyboard_height(m, w, a.h * 8 / 10);
	if (kh > a.h * 40 / 100)
		kh = a.h * 40 / 100;
	keyboard_draw(&s->kb, u, t, m, (SDL_Rect){ x, bottom - kh, w, kh });
	bottom -= kh + m->gap / 2;

	/* Results: two columns in landscape, as many rows of a touch target as fit. */
	int cols = m->portrait ? 1 : 2, rh = m->touch, gap = m->gap / 2;
	int per_col = (bottom - y + gap) / (rh + gap);
	int cw = (w - (cols - 1) * gap) / cols;
	int lh = ui_line_height(u, UI_FACE_BOLD, m->px_body);
	if (s->nresults == 0 && s->query[0]) {
		ui_text(u, "No one by that name.", UI_FACE_REGULAR, m->px_body, t->muted, x, y, w,
			UI_LEFT);
		return;
	}
	for (int i = 0; i < s->nresults && i < per_col * cols; i++) {
		SDL_Rect r = { x + (i / per_col) * (cw + gap), y + (i % per_col) * (rh + gap), cw, rh };
		const store_attendee *p = &s->results[i];
		s->rows[i].rect = r;
		ui_round_rect(u, r, m->radius, s->rows[i].pressed && s->rows[i].inside ? t->pressed
											: t->surface);
		int nw, nh;
		ui_text_size(u, p->name, UI_FACE_BOLD, m->px_body, &nw, &nh);
		SDL_Rect nr = ui_text(u, p->name, UI_FACE_BOLD, m->px_body, t->text, r.x + m->pad,
				      r.y + (r.h - lh) / 2, r.w - 2 * m->pad, UI_LEFT);
		if (p->affiliation[0] && nr.w + 3 * m->pad < r.w - 2 * m->pad)
			ui_text(u, p->affiliation, UI_FACE_REGULAR, m->px_small, t->muted,
				r.x + nr.w + 2 * m->pad, r.y + (r.h - lh) / 2 + (lh - ui_line_height(
				u, UI_FACE_REGULAR, m->px_small)), r.w - nr.w - 3 * m->pad, UI_LEFT);
		ui_scene_note(u, "staff-result", r, p->name);
	}
}

static void draw_person(staff_screen *s, ui *u, const screen_theme *t, const screen_metrics *m,
			int64_t now)
{
	SDL_Rect a = m->area;
	int x = a.x + m->margin, w = a.w - 2 * m->margin, y = a.y + m->margin / 2;
	screen_bar bar = { &s->back, "‹ Back", "Staff", m->px_body, 1 };
	y += screen_top_bar(u, t, m, &bar, now) + m->gap;
	/* The whole name matters here (staff read it back to the person): two lines if needed. */
	int px = ui_text_fit(u, s->person.name, UI_FACE_BOLD, m->px_name, m->px_title, w);
	y += ui_text_wrap(u, s->person.name, UI_FACE_BOLD, px, t->text, x, y, w, 2, UI_LEFT);
	char line[320];
	snprintf(line, sizeof line, "%s%s%s", s->person.affiliation,
		 s->person.affiliation[0] ? " · " : "", s->person.id);
	ui_text(u, line, UI_FACE_REGULAR, m->px_body, t->muted, x, y, w, UI_LEFT);
	y += ui_line_height(u, UI_FACE_REGULAR, m->px_body) + m->gap / 2;
	size_t o = (size_t)snprintf(line, sizeof line, s->ncards ? "Cards:" : "No card bound.");
	for (int i = 0; i < s->ncards && o < sizeof line; i++)
		o += (size_t)snprintf(line + o, sizeof line - o, " %s", s->cards[i]);
	ui_text(u, line, UI_FACE_REGULAR, m->px_body, t->muted, x, y, w, UI_LEFT);
	y += ui_line_height(u, UI_FACE_REGULAR, m->px_body) + m->gap;
	if (s->message[0]) {
		SDL_Rect mr = { x, y, w, ui_line_height(u, UI_FACE_BOLD, m->px_body) };
		ui_text_wrap(u, s->message, UI_FACE_BOLD, m->px_body, s->message_ok ? t->ok : t->warn,
			     x, y, w, 2, UI_LEFT);
		ui_scene_note(u, "staff-message", mr, s->message);
	}
	int bh = m->touch * 3 / 2 > m->bar_h ? m->touch * 3 / 2 : m->bar_h;
	int by = a.y + a.h - m->margin - bh, bw = (w - m->gap) / 2;
	screen_button(u, t, m, &s->checkin, (SDL_Rect){ x, by, bw, bh },
		      s->busy ? "Checking in…" : "Check in", 1);
	screen_button(u, t, m, &s->bind, (SDL_Rect){ x + bw + m->gap, by, bw, bh },
		      "Bind a new card", 0);
}

static void draw_capture(staff_screen *s, ui *u, const screen_theme *t, const screen_metrics *m,
			 int64_t now, uint64_t now_ns)
{
	SDL_Rect a = m->area;
	int x = a.x + m->margin, w = a.w - 2 * m->margin, y = a.y + m->margin / 2;
	screen_bar bar = { &s->cancel, "Cancel", "Staff: new card", m->px_body, 1 };
	y += screen_top_bar(u, t, m, &bar, now) + 2 * m->gap;
	char text[320];
	snprintf(text, sizeof text, "Tap the new card for %s on the reader.", s->person.name);
	y += ui_text_wrap(u, text, UI_FACE_BOLD, m->px_title, t->text, x, y, w, 3, UI_CENTER);
	y += m->gap;
	uint64_t left = s->capture_until_ns > now_ns ? s->capture_until_ns - now_ns : 0;
	snprintf(text, sizeof text, "It will not be checked in. Waiting %llu s.",
		 (unsigned long long)((left + 999 * MS) / (1000 * MS)));
	ui_text(u, text, UI_FACE_REGULAR, m->px_body, t->muted, x, y, w, UI_CENTER);
}

static void draw_confirm(staff_screen *s, ui *u, const screen_theme *t, const screen_metrics *m,
			 int64_t now)
{
	SDL_Rect a = m->area;
	int x = a.x + m->margin, w = a.w - 2 * m->margin, y = a.y + m->margin / 2;
	/* The bar's Cancel is its own tap (back): the big Cancel below has s->cancel. */
	screen_bar bar = { &s->back, "Cancel", "Staff: new card", m->px_body, 1 };
	y += screen_top_bar(u, t, m, &bar, now) + 2 * m->gap;
	char text[400];
	snprintf(text, sizeof text, "Bind card %s to %s?", s->captured.uid_hex, s->person.name);
	y += ui_text_wrap(u, text, UI_FACE_BOLD, m->px_title, t->text, x, y, w, 3, UI_CENTER);
	y += m->gap / 2;
	if (s->captured.has_holder && strcmp(s->captured.holder.id, s->person.id) != 0)
		snprintf(text, sizeof text, "This card is %s's now; it will no longer be.",
			 s->captured.holder.name);
	else if (s->captured.has_holder)
		snprintf(text, sizeof text, "This card is already theirs.");
	else
		text[0] = '\0';
	if (text[0])
		y += ui_text_wrap(u, text, UI_FACE_REGULAR, m->px_body, t->warn, x, y, w, 2, UI_CENTER);
	int bh = m->touch * 3 / 2 > m->bar_h ? m->touch * 3 / 2 : m->bar_h;
	int by = a.y + a.h - m->margin - bh, bw = (w - m->gap) / 2;
	if (s->ncards > 0) {
		snprintf(text, sizeof text, "%s Revoke the old card%s", s->revoke_old ? "☑" : "☐",
			 s->ncards > 1 ? "s" : "");
		int rw = w * 2 / 3;
		screen_button(u, t, m, &s->revoke, (SDL_Rect){ x + (w - rw) / 2, by - bh - m->gap,
							       rw, bh }, text, 0);
	}
	screen_button(u, t, m, &s->confirm, (SDL_Rect){ x, by, bw, bh },
		      s->busy ? "Binding…" : "Bind", 1);
	screen_button(u, t, m, &s->cancel, (SDL_Rect){ x + bw + m->gap, by, bw, bh }, "Cancel", 0);
}

static void staff_draw(void *self, ui *u, screen_state *st, const screen_theme *t,
		       const screen_metrics *m, uint64_t now_ns)
{
	staff_screen *s = self;
	switch (s->view) {
	case VIEW_SEARCH:
		draw_search(s, u, t, m, st->now);
		break;
	case VIEW_PERSON:
		draw_person(s, u, t, m, st->now);
		break;
	case VIEW_CAPTURE:
		draw_capture(s, u, t, m, st->now, now_ns);
		break;
	case VIEW_CONFIRM:
		draw_confirm(s, u, t, m, st->now);
		break;
	}
}

/* ---- The screen's row (screens/router.c) ------------------------------------------------- */
static void *staff_open(const screen_env *env)
{
	if (env->db == NULL || env->staff_job == NULL || env->staff_pin == NULL ||
	    env->staff_pin[0] == '\0')
		return NULL; /* staff mode is off */
	staff_screen *s = xcalloc(1, sizeof *s);
	s->db = env->db;
	s->job = env->staff_job;
	s->ctx = env->ctx;
	keyboard_init(&s->kb);
	return s;
}

static void staff_close(void *self)
{
	free(self);
}

static const char *staff_view_name(const void *self)
{
	static const char *const names[] = { "staff-search", "staff-person", "staff-capture",
					     "staff-confirm" };
	return names[((const staff_screen *)self)->view];
}

static int staff_enter(void *self, screen_state *st, const char *what, int64_t now,
		       uint64_t now_ns)
{
	staff_screen *s = self;
	(void)st;
	(void)what;
	(void)now;
	s->view = VIEW_SEARCH;
	s->query[0] = '\0';
	s->nresults = 0;
	s->message[0] = '\0';
	s->busy = 0;
	memset(&s->person, 0, sizeof s->person);
	s->last_touch_ns = now_ns;
	log_info("staff: opened");
	return 0;
}

const screen_ops screen_staff_ops = {
	.name = "staff",
	.open = staff_open,
	.close = staff_close,
	.view = staff_view_name,
	.enter = staff_enter,
	.pointer = staff_pointer,
	.text = staff_text,
	.key = staff_key,
	.update = staff_update,
	.draw = staff_draw,
};
