/* The admin screen: three views — the PIN pad, the status board, and setting the clock
 * (admin_clock.c). Start at admin_screen_draw(). Numbers are read on the SDL thread when the
 * board opens and every ADMIN_REFRESH_MS after (two indexed COUNT queries, one GROUP BY over
 * today, three meta reads and statvfs on the data partition), never per frame; `make bench`
 * times that refresh on a cold page cache ("cold read: admin refresh"). The PIN check and its
 * lockout live in admin/pin_gate.c; this file only shows them. As a screen it is
 * screen_admin_ops, at the end.
 */
#include "screens/admin_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "admin/admin_info.h"
#include "common/clock.h"
#include "common/log.h"
#include "common/util.h"
#include "common/when.h"

#define ADMIN_REFRESH_MS 2000
#define NS 1000000000ULL

admin_screen *admin_screen_new(store *db, const char *pin, const char *db_path,
			       const admin_hooks *hooks)
{
	admin_screen *a = xcalloc(1, sizeof *a);
	a->db = db;
	a->db_path = xstrdup(db_path ? db_path : ".");
	a->gate = pin_gate_new(pin);
	if (hooks)
		a->hooks = *hooks;
	snprintf(a->status.reader, sizeof a->status.reader, "unknown");
	return a;
}

void admin_screen_free(admin_screen *a)
{
	if (a == NULL)
		return;
	pin_gate_free(a->gate);
	free(a->db_path);
	free(a);
}

void admin_screen_set_status(admin_screen *a, const admin_status *st)
{
	/* An error is news once: remember it (with when) after the reader has recovered. */
	if (st->reader_error[0] && strcmp(st->reader_error, a->status.reader_error) != 0) {
		char when[16];
		struct tm tm;
		time_t now = (time_t)clock_now();
		localtime_r(&now, &tm);
		strftime(when, sizeof when, "%H:%M", &tm);
		snprintf(a->last_error, sizeof a->last_error, "last error %s: %s", when, st->reader_error);
	}
	a->status = *st;
}

void admin_screen_open(admin_screen *a, uint64_t now_ms)
{
	a->view = VIEW_PIN;
	a->entered[0] = '\0';
	a->message[0] = '\0';
	a->last_touch_ms = now_ms;
}

const char *admin_screen_name(const admin_screen *a)
{
	return a->view == VIEW_PIN ? "admin-pin" : a->view == VIEW_CLOCK ? "admin-clock" :
	       a->view == VIEW_TRUST ? "admin-signatures" : "admin";
}

static void refresh(admin_screen *a, int64_t now, uint64_t now_ms)
{
	int64_t day = clock_day_start(now);
	a->refreshed_ms = now_ms;
	a->have_stats = store_stats_get(a->db, day, &a->stats) == 0 &&
			store_checkins_per_hour(a->db, day, a->hours) == 0;
	if (!a->have_stats)
		log_warn("admin: cannot read counts: %s", store_errmsg(a->db));
	if (admin_free_space(a->db_path, &a->free_bytes, &a->total_bytes) < 0)
		a->free_bytes = a->total_bytes = 0;
	char when[32], result[64], message[160];
	a->sync_when = store_meta_get(a->db, "usb_last_sync", when, sizeof when) == 1 ? atoll(when) : 0;
	if (store_meta_get(a->db, "usb_last_sync_result", result, sizeof result) != 1)
		result[0] = '\0';
	if (store_meta_get(a->db, "usb_last_sync_message", message, sizeof message) != 1)
		message[0] = '\0';
	snprintf(a->sync_result, sizeof a->sync_result, "%s%s%s", result, result[0] && message[0] ? ": " : "",
		 message);
	admin_trust_refresh(a);
}

/* ---- PIN pad ------------------------------------------------------------------------------ */
static const char *const pin_labels[PIN_KEYS] = {
	"1", "2", "3", "4", "5", "6", "7", "8", "9", "⌫", "0", "OK",
};

static enum admin_action pin_submit(admin_screen *a, int64_t now, uint64_t now_ms)
{
	enum admin_action act = ADMIN_NONE;
	switch (pin_gate_try(a->gate, a->entered, now_ms)) {
	case PIN_OK_STAFF: /* the same pad opens staff mode (screens/staff.c) */
		a->message[0] = '\0';
		act = ADMIN_STAFF;
		break;
	case PIN_OK:
		a->view = VIEW_BOARD;
		a->message[0] = '\0';
		refresh(a, now, now_ms);
		log_info("admin: opened");
		break;
	case PIN_WRONG: {
		int left = PIN_GATE_FREE_TRIES - pin_gate_failures(a->gate);
		if (pin_gate_locked_for(a->gate, now_ms) > 0)
			snprintf(a->message, sizeof a->message, "Wrong PIN.");
		else
			snprintf(a->message, sizeof a->message, "Wrong PIN. %d %s left.", left,
				 left == 1 ? "try" : "tries");
		log_warn("admin: wrong PIN (%d in a row)", pin_gate_failures(a->gate));
		break;
	}
	case PIN_LOCKED:
	case PIN_DISABLED:
		break;
	}
	a->entered[0] = '\0';
	return act;
}

static enum admin_action pin_pointer(admin_screen *a, const ui_pointer *p, uint64_t now_ms)
{
	if (ui_tap_feed(&a->cancel, p))
		return ADMIN_CLOSE;
	if (!pin_gate_enabled(a->gate) || pin_gate_locked_for(a->gate, now_ms) > 0)
		return ADMIN_NONE;
	for (int i = 0; i < PIN_KEYS; i++) {
		if (!ui_tap_feed(&a->keys[i], p))
			continue;
		size_t n = strlen(a->entered);
		if (i == 9) {
			if (n > 0)
				a->entered[n - 1] = '\0';
		} else if (i == 11) {
			return pin_submit(a, clock_now(), now_ms);
		} else if (n < PIN_GATE_MAX_DIGITS) {
			a->entered[n] = pin_labels[i][0];
			a->entered[n + 1] = '\0';
			a->message[0] = '\0';
		}
	}
	return ADMIN_NONE;
}

static void draw_pin(admin_screen *a, ui *u, const screen_theme *t, const screen_metrics *m,
		     uint64_t now_ms)
{
	SDL_Rect ar = m->area;
	int lh_t = ui_line_height(u, UI_FACE_BOLD, m->px_title);
	int lh_b = ui_line_height(u, UI_FACE_REGULAR, m->px_body);
	int top = ar.y + m->margin / 2;
	int x = ar.x + m->margin, w = ar.w - 2 * m->margin;

	screen_bar bar = { &a->cancel, "Cancel", NULL, 0, 0 };
	int y = top + screen_top_bar(u, t, m, &bar, 0) + m->gap;
	ui_text(u, "Operator PIN", UI_FACE_BOLD, m->px_title, t->text, x, y, w, UI_CENTER);
	y += lh_t + m->gap / 2;

	if (!pin_gate_enabled(a->gate)) {
		ui_text_wrap(u, "The admin screen is off: no admin PIN is set. Add admin_pin = "
				"4 to 12 digits to the kiosk's config file.",
			     UI_FACE_REGULAR, m->px_body, t->muted, x, y + m->gap, w, 3, UI_CENTER);
		return;
	}
	/* Entered digits as dots. */
	char dots[3 * PIN_GATE_MAX_DIGITS + 1] = "";
	for (size_t i = 0; i < strlen(a->entered); i++)
		strcat(dots, "●");
	ui_text(u, dots[0] ? dots : " ", UI_FACE_REGULAR, m->px_title, t->accent, x, y, w, UI_CENTER);
	y += lh_t;
	uint64_t locked = pin_gate_locked_for(a->gate, now_ms);
	char msg[160];
	if (locked > 0)
		snprintf(msg, sizeof msg, "Too many wrong PINs. Try again in %llu s.",
			 (unsigned long long)((locked + 999) / 1000));
	else
		snprintf(msg, sizeof msg, "%s", a->message);
	ui_text(u, msg[0] ? msg : " ", UI_FACE_BOLD, m->px_small, t->warn, x, y, w, UI_CENTER);
	if (msg[0])
		ui_scene_note(u, locked > 0 ? "pin-locked" : "pin-message",
			      (SDL_Rect){ x, y, w, lh_b }, msg);
	y += lh_b + m->gap / 2;

	/* 3 x 4 keypad, square-ish keys as large as the space allows. */
	int bottom = ar.y + ar.h - m->margin / 2, gap = m->target_gap;
	int kh = (bottom - y - 3 * gap) / 4;
	int kw = kh * 3 / 2;
	if (kw * 3 + 2 * gap > w)
		kw = (w - 2 * gap) / 3;
	if (kh > m->touch * 3 / 2)
		kh = m->touch * 3 / 2;
	int px0 = ar.x + (ar.w - (3 * kw + 2 * gap)) / 2;
	for (int i = 0; i < PIN_KEYS; i++) {
		SDL_Rect kr = { px0 + (i % 3) * (kw + gap), y + (i / 3) * (kh + gap), kw, kh };
		SDL_Color fill = i == 11 ? t->button : t->surface, ink = i == 11 ? t->button_text : t->text;
		if (locked > 0) {
			fill = ui_mix(t->surface, t->background, 0.5f);
			ink = t->muted;
		} else if (a->keys[i].pressed && a->keys[i].inside) {
			fill = t->pressed;
		}
		a->keys[i].rect = kr;
		screen_control(u, t, m, kr, m->radius, fill);
		int lh = ui_line_height(u, UI_FACE_BOLD, m->px_title);
		ui_text(u, pin_labels[i], UI_FACE_BOLD, m->px_title, ink, kr.x, kr.y + (kh - lh) / 2, kw,
			UI_CENTER);
		ui_scene_note(u, "key", kr, pin_labels[i]);
	}
}

/* ---- Status board ------------------------------------------------------------------------- */
static void fmt_count(char *out, size_t size, int64_t v)
{
	char raw[32];
	int n = snprintf(raw, sizeof raw, "%lld", (long long)(v < 0 ? -v : v)), o = 0;
	if (v < 0 && (size_t)o + 1 < size)
		out[o++] = '-';
	for (int i = 0; i < n && (size_t)o + 2 < size; i++) {
		if (i > 0 && (n - i) % 3 == 0)
			out[o++] = ',';
		out[o++] = raw[i];
	}
	out[o] = '\0';
}

static int info_line(ui *u, const screen_theme *t, const screen_metrics *m, int x, int y, int w,
		     const char *label, const char *value, const char *detail)
{
	int lw = w * 36 / 100, lh = ui_line_height(u, UI_FACE_BOLD, m->px_body);
	int lh_s = ui_line_height(u, UI_FACE_REGULAR, m->px_small);
	ui_text(u, label, UI_FACE_REGULAR, m->px_small, t->muted, x, y + (lh - lh_s), lw, UI_LEFT);
	ui_text(u, value, UI_FACE_BOLD, m->px_body, t->text, x + lw, y, w - lw, UI_LEFT);
	int h = lh;
	if (detail != NULL && detail[0]) {
		ui_text(u, detail, UI_FACE_REGULAR, m->px_small, t->muted, x + lw, y + lh, w - lw, UI_LEFT);
		h += lh_s;
	}
	return h + m->gap / 2;
}

static void draw_chart(admin_screen *a, ui *u, const screen_theme *t, const screen_metrics *m,
		       SDL_Rect r, int64_t now)
{
	int lh_s = ui_line_height(u, UI_FACE_BOLD, m->px_small);
	int lh_l = ui_line_height(u, UI_FACE_REGULAR, m->px_label);
	ui_round_rect(u, r, m->radius, t->surface);
	ui_text(u, "Check-ins today, per hour", UI_FACE_BOLD, m->px_small, t->text, r.x + m->pad,
		r.y + m->pad / 2, r.w - 2 * m->pad, UI_LEFT);
	int64_t axis = admin_chart_axis(a->hours);
	char top[32];
	fmt_count(top, sizeof top, axis);
	int aw, ah;
	ui_text_size(u, top, UI_FACE_REGULAR, m->px_label, &aw, &ah);
	/* The axis labels sit centred on the top and bottom lines: leave half a label of room. */
	SDL_Rect plot = { r.x + m->pad + aw + m->gap / 2, r.y + m->pad / 2 + lh_s + ah / 2 + 2, 0, 0 };
	plot.w = r.x + r.w - m->pad - plot.x;
	plot.h = r.y + r.h - m->pad / 2 - (lh_l > ah / 2 ? lh_l : ah / 2) - plot.y;
	if (plot.h < 10 || plot.w < 48)
		return;
	ui_text(u, top, UI_FACE_REGULAR, m->px_label, t->muted, r.x + m->pad, plot.y - ah / 2, aw,
		UI_RIGHT);
	ui_text(u, "0", UI_FACE_REGULAR, m->px_label, t->muted, r.x + m->pad, plot.y + plot.h - ah / 2,
		aw, UI_RIGHT);
	SDL_Color grid = ui_mix(t->surface, t->muted, 0.25f);
	ui_fill(u, (SDL_Rect){ plot.x, plot.y, plot.w, 1 }, grid);
	ui_fill(u, (SDL_Rect){ plot.x, plot.y + plot.h / 2, plot.w, 1 }, grid);
	ui_fill(u, (SDL_Rect){ plot.x, plot.y + plot.h, plot.w, 1 }, t->muted);

	/* Bar h is hour h of the conference day (from day_starts), labelled with its local hour. */
	int64_t day = clock_day_start(now);
	int current = (int)((now - day) / 3600);
	float slot = (float)plot.w / 24;
	for (int h = 0; h < 24; h++) {
		int bh = admin_chart_bar(a->hours[h], axis, plot.h);
		int bx = plot.x + (int)(h * slot + slot * 0.15f), bw = (int)(slot * 0.7f);
		if (bw < 1)
			bw = 1;
		SDL_Rect br = { bx, plot.y + plot.h - bh, bw, bh };
		if (bh > 0)
			ui_fill(u, br, h == current ? t->warn : t->accent);
		char note[32];
		snprintf(note, sizeof note, "%02d %lld", h, (long long)a->hours[h]);
		ui_scene_note(u, "bar", br, note);
		if (h % 3 == 0) {
			char lab[8];
			struct tm tm;
			time_t at = (time_t)(day + h * 3600);
			localtime_r(&at, &tm);
			snprintf(lab, sizeof lab, "%02d", tm.tm_hour);
			ui_text(u, lab, UI_FACE_REGULAR, m->px_label, t->muted, bx - (int)slot / 2,
				plot.y + plot.h + 1, (int)(2 * slot), UI_LEFT);
		}
	}
}

static void draw_board(admin_screen *a, ui *u, const screen_theme *t, const screen_metrics *m,
		       int64_t now)
{
	SDL_Rect ar = m->area;
	int top = ar.y + m->margin / 2, bh = m->bar_h;
	int x = ar.x + m->margin, w = ar.w - 2 * m->margin, bottom = ar.y + ar.h - m->margin / 2;
	char v1[96], v2[160];
	screen_bar bar = { &a->close, "‹ Close", "Kiosk status", m->px_small, 1 };
	int y = top + screen_top_bar(u, t, m, &bar, now) + m->gap;

	SDL_Rect info, right;
	if (m->portrait) {
		info = (SDL_Rect){ x, y, w, (bottom - y) * 46 / 100 };
		right = (SDL_Rect){ x, info.y + info.h + m->gap, w, bottom - (info.y + info.h + m->gap) };
	} else {
		info = (SDL_Rect){ x, y, w * 47 / 100, bottom - y };
		right = (SDL_Rect){ x + info.w + m->gap, y, w - info.w - m->gap, bottom - y };
	}

	int iy = info.y;
	iy += info_line(u, t, m, info.x, iy, info.w, "Reader", a->status.reader,
			a->last_error[0] ? a->last_error : "no errors since start");
	char c1[32], c2[32];
	fmt_count(c1, sizeof c1, a->stats.checkins_today);
	fmt_count(c2, sizeof c2, a->stats.checkins_total);
	snprintf(v1, sizeof v1, "%s today", a->have_stats ? c1 : "?");
	snprintf(v2, sizeof v2, "%s in total", a->have_stats ? c2 : "?");
	iy += info_line(u, t, m, info.x, iy, info.w, "Check-ins", v1, v2);
	fmt_count(c1, sizeof c1, a->stats.attendees_today);
	fmt_count(c2, sizeof c2, a->stats.attendees_total);
	snprintf(v1, sizeof v1, "%s today", a->have_stats ? c1 : "?");
	snprintf(v2, sizeof v2, "of %s on the roster", a->have_stats ? c2 : "?");
	iy += info_line(u, t, m, info.x, iy, info.w, "Attendees", v1, v2);
	if (a->sync_when == 0) {
		snprintf(v1, sizeof v1, "never");
	} else {
		struct tm tm;
		time_t ts = (time_t)a->sync_when;
		localtime_r(&ts, &tm);
		when_date(v1, sizeof v1, "%a %e %b %H:%M", a->sync_when);
	}
	iy += info_line(u, t, m, info.x, iy, info.w, "Last USB sync", v1, a->sync_result);
	char fb[32], tb[32];
	admin_format_bytes(a->free_bytes, fb, sizeof fb);
	admin_format_bytes(a->total_bytes, tb, sizeof tb);
	snprintf(v1, sizeof v1, "%s free", a->total_bytes ? fb : "?");
	snprintf(v2, sizeof v2, "of %s (data partition)", a->total_bytes ? tb : "?");
	iy += info_line(u, t, m, info.x, iy, info.w, "Storage", v1, v2);
	info_line(u, t, m, info.x, iy, info.w, "Software", "Kith " KITH_VERSION, NULL);

	/* Right: chart over the actions. */
	int act_h = bh, rows = 2;
	int actions_h = rows * act_h + (rows - 1) * (m->gap / 2);
	int msg_h = ui_line_height(u, UI_FACE_BOLD, m->px_small);
	SDL_Rect chart = { right.x, right.y, right.w, right.h - actions_h - msg_h - m->gap };
	int ay = chart.y + chart.h + m->gap / 2;
	if (a->lan != NULL) { /* LAN sync: the peers list takes the lower part of the chart's room */
		SDL_Rect peers = { chart.x, chart.y + chart.h * 2 / 5, chart.w, chart.h - chart.h * 2 / 5 };
		chart.h = chart.h * 2 / 5 - m->gap / 2;
		admin_peers_draw(u, t, m, peers, a->lan, now);
	}
	draw_chart(a, u, t, m, chart, now);
	ui_text(u, a->message[0] ? a->message : " ", UI_FACE_BOLD, m->px_small, t->warn, right.x, ay,
		right.w, UI_LEFT);
	if (a->message[0])
		ui_scene_note(u, "admin-message", (SDL_Rect){ right.x, ay, right.w, msg_h }, a->message);
	ay += msg_h + m->gap / 2;
	int aw = (right.w - m->gap / 2) / 2;
	screen_button(u, t, m, &a->sync, (SDL_Rect){ right.x, ay, aw, act_h }, "Sync now", 1);
	screen_button(u, t, m, &a->dim, (SDL_Rect){ right.x + aw + m->gap / 2, ay, aw, act_h },
		      "Dim screen", 0);
	ay += act_h + m->gap / 2;
	screen_button(u, t, m, &a->clock, (SDL_Rect){ right.x, ay, aw, act_h }, "Set clock", 0);
	screen_button(u, t, m, &a->trust, (SDL_Rect){ right.x + aw + m->gap / 2, ay, aw, act_h },
		      a->trust_offered[0] || a->npair ? "Signatures !" : "Signatures", 0);
}

static enum admin_action board_pointer(admin_screen *a, const ui_pointer *p)
{
	if (ui_tap_feed(&a->close, p))
		return ADMIN_CLOSE;
	if (ui_tap_feed(&a->sync, p)) {
		int n = a->hooks.sync_now ? a->hooks.sync_now(a->hooks.ctx) : -1;
		if (n > 0)
			snprintf(a->message, sizeof a->message, "Syncing %d USB stick%s…", n, n == 1 ? "" : "s");
		else if (n == 0)
			snprintf(a->message, sizeof a->message, "No USB stick found: insert one, it syncs by itself.");
		else
			snprintf(a->message, sizeof a->message, "USB sync is off on this kiosk (no --usb-dir).");
	}
	if (ui_tap_feed(&a->dim, p)) {
		/* Dim now: back to a dimmed attract screen; any touch or badge wakes it. */
		if (a->hooks.set_dim) {
			a->hooks.set_dim(a->hooks.ctx, 1);
			return ADMIN_CLOSE;
		}
		snprintf(a->message, sizeof a->message, "This display cannot be dimmed.");
	}
	if (ui_tap_feed(&a->trust, p)) {
		a->view = VIEW_TRUST;
		a->message[0] = '\0';
	}
	if (ui_tap_feed(&a->clock, p)) {
		a->view = VIEW_CLOCK;
		a->clock_value = clock_now() / 60 * 60;
		a->message[0] = '\0';
	}
	return ADMIN_NONE;
}

/* ---- Dispatch ----------------------------------------------------------------------------- */
enum admin_action admin_screen_pointer(admin_screen *a, const ui_pointer *p, uint64_t now_ms)
{
	a->last_touch_ms = now_ms;
	switch (a->view) {
	case VIEW_PIN:
		return pin_pointer(a, p, now_ms);
	case VIEW_BOARD:
		return board_pointer(a, p);
	case VIEW_CLOCK:
		return admin_clock_pointer(a, p);
	case VIEW_TRUST:
		return admin_trust_pointer(a, p);
	}
	return ADMIN_NONE;
}

enum admin_action admin_screen_update(admin_screen *a, int64_t now, uint64_t now_ms)
{
	if (now_ms - a->last_touch_ms > ADMIN_IDLE_MS) {
		a->view = VIEW_PIN;
		a->entered[0] = '\0';
		return ADMIN_CLOSE;
	}
	if ((a->view == VIEW_BOARD || a->view == VIEW_TRUST) &&
	    now_ms - a->refreshed_ms > ADMIN_REFRESH_MS)
		refresh(a, now, now_ms);
	return ADMIN_NONE;
}

void admin_screen_draw(admin_screen *a, ui *u, const screen_theme *t, const screen_metrics *m,
		       int64_t now, uint64_t now_ms)
{
	switch (a->view) {
	case VIEW_PIN:
		draw_pin(a, u, t, m, now_ms);
		break;
	case VIEW_BOARD:
		draw_board(a, u, t, m, now);
		break;
	case VIEW_CLOCK:
		admin_clock_draw(a, u, t, m);
		break;
	case VIEW_TRUST:
		admin_trust_draw(a, u, t, m);
		break;
	}
}

/* ---- The admin screen as a screen (screens/router.c) ------------------------------------- */
static void *admin_open(const screen_env *env)
{
	admin_hooks hooks = { env->sync_now, env->set_dim, env->ctx };
	admin_screen *a = env->db ? admin_screen_new(env->db, env->admin_pin, env->db_path, &hooks)
				  : NULL;
	if (a)
		pin_gate_set_staff(a->gate, env->staff_pin);
	return a;
}

static void admin_close(void *self)
{
	admin_screen_free(self);
}

static const char *admin_view(const void *self)
{
	return admin_screen_name(self);
}

static int admin_enter(void *self, screen_state *st, const char *what, int64_t now,
		       uint64_t now_ns)
{
	(void)st;
	(void)what;
	(void)now;
	admin_screen_open(self, now_ns / 1000000); /* always the PIN pad first */
	return 0;
}

static enum screen_action admin_pointer(void *self, screen_state *st, const ui_pointer *p,
					uint64_t now_ns)
{
	(void)st;
	switch (admin_screen_pointer(self, p, now_ns / 1000000)) {
	case ADMIN_CLOSE:
		return SCREEN_ACTION_DONE;
	case ADMIN_STAFF:
		return SCREEN_ACTION_STAFF;
	default:
		return SCREEN_ACTION_NONE;
	}
}

static int admin_update(void *self, screen_state *st, float dt, uint64_t now_ns,
			enum screen_action *act)
{
	admin_screen *a = self;
	admin_status s = { .reader = "" };
	int tick = now_ns / NS != a->tick_ns / NS; /* lockout countdown, counts, clock */

	(void)dt;
	snprintf(s.reader, sizeof s.reader, "%s", st->reader ? st->reader : "");
	snprintf(s.reader_error, sizeof s.reader_error, "%s", st->reader_error ? st->reader_error : "");
	admin_screen_set_status(a, &s);
	if (admin_screen_update(a, st->now, now_ns / 1000000) == ADMIN_CLOSE)
		*act = SCREEN_ACTION_DONE;
	a->tick_ns = now_ns;
	return tick;
}

static void admin_draw(void *self, ui *u, screen_state *st, const screen_theme *t,
		       const screen_metrics *m, uint64_t now_ns)
{
	((admin_screen *)self)->lan = st->lan;
	admin_screen_draw(self, u, t, m, st->now, now_ns / 1000000);
}

const screen_ops screen_admin_ops = {
	.name = "admin",
	.open = admin_open,
	.close = admin_close,
	.view = admin_view,
	.enter = admin_enter,
	.pointer = admin_pointer,
	.update = admin_update,
	.draw = admin_draw,
};
