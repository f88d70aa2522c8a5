/* The admin screen's clock view: date, hour and minute with + and − buttons, then "Set clock"
 * (admin/admin_info.c sets the wall clock). Reached from the status board; Cancel goes back.
 */
#include "screens/admin_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "admin/admin_info.h"
#include "common/log.h"
#include "common/when.h"

static const char *const cf_names[CF_COUNT] = { "Date", "Hour", "Minute" };

static void clock_adjust(admin_screen *a, int field, int delta)
{
	struct tm tm;
	time_t t = (time_t)a->clock_value;
	localtime_r(&t, &tm);
	if (field == CF_DAY)
		tm.tm_mday += delta;
	else if (field == CF_HOUR)
		tm.tm_hour += delta;
	else
		tm.tm_min += delta;
	tm.tm_isdst = -1;
	time_t n = mktime(&tm);
	if (n != (time_t)-1)
		a->clock_value = (int64_t)n;
}

enum admin_action admin_clock_pointer(admin_screen *a, const ui_pointer *p)
{
	for (int f = 0; f < CF_COUNT; f++) {
		if (ui_tap_feed(&a->plus[f], p))
			clock_adjust(a, f, 1);
		if (ui_tap_feed(&a->minus[f], p))
			clock_adjust(a, f, -1);
	}
	if (ui_tap_feed(&a->clock_cancel, p)) {
		a->view = VIEW_BOARD;
		a->message[0] = '\0';
	}
	if (ui_tap_feed(&a->clock_set, p)) {
		char err[160];
		if (admin_set_wall_clock(a->clock_value, err, sizeof err) == 0) {
			log_info("admin: wall clock set to %lld", (long long)a->clock_value);
			snprintf(a->message, sizeof a->message, "Clock set.");
			a->view = VIEW_BOARD;
		} else {
			log_warn("admin: %s", err);
			snprintf(a->message, sizeof a->message, "%s", err);
		}
	}
	return ADMIN_NONE;
}

void admin_clock_draw(admin_screen *a, ui *u, const screen_theme *t, const screen_metrics *m)
{
	SDL_Rect ar = m->area;
	int top = ar.y + m->margin / 2, bh = m->bar_h;
	int x = ar.x + m->margin, w = ar.w - 2 * m->margin;
	int lh_n = ui_line_height(u, UI_FACE_BOLD, m->px_name);
	struct tm tm;
	time_t tt = (time_t)a->clock_value;
	char val[CF_COUNT][48];
	screen_bar bar = { &a->clock_cancel, "Cancel", "Set the clock", m->px_small, 0 };

	screen_top_bar(u, t, m, &bar, 0);
	localtime_r(&tt, &tm);
	when_date(val[CF_DAY], sizeof val[0], "%a %e %b %Y", a->clock_value);
	strftime(val[CF_HOUR], sizeof val[0], "%H", &tm);
	strftime(val[CF_MIN], sizeof val[0], "%M", &tm);

	int y = top + bh + m->gap, colw = (w - 2 * m->gap) / 4;
	int widths[CF_COUNT] = { 2 * colw, colw, colw };
	int cx = x;
	for (int f = 0; f < CF_COUNT; f++) {
		int cw = widths[f];
		ui_text(u, cf_names[f], UI_FACE_REGULAR, m->px_small, t->muted, cx, y, cw, UI_CENTER);
		int yy = y + ui_line_height(u, UI_FACE_REGULAR, m->px_small);
		screen_button(u, t, m, &a->plus[f], (SDL_Rect){ cx, yy, cw, bh }, "+", 0);
		yy += bh + m->gap / 2;
		int px = ui_text_fit(u, val[f], UI_FACE_BOLD, m->px_name, m->px_body, cw);
		ui_text(u, val[f], UI_FACE_BOLD, px, t->text, cx, yy + (lh_n - ui_line_height(u, UI_FACE_BOLD, px)) / 2,
			cw, UI_CENTER);
		yy += lh_n + m->gap / 2;
		screen_button(u, t, m, &a->minus[f], (SDL_Rect){ cx, yy, cw, bh }, "−", 0);
		cx += cw + m->gap;
	}
	int yb = y + ui_line_height(u, UI_FACE_REGULAR, m->px_small) + 2 * bh + lh_n + 2 * m->gap;
	const char *zone = getenv("TZ");
	char note[200];
	snprintf(note, sizeof note, "Local time%s%s. Check-ins store UTC, so old ones keep their time.",
		 zone && *zone ? " in " : "", zone && *zone ? zone : "");
	ui_text(u, note, UI_FACE_REGULAR, m->px_small, t->muted, x, yb, w, UI_CENTER);
	yb += ui_line_height(u, UI_FACE_REGULAR, m->px_small) + m->gap / 2;
	if (a->message[0]) {
		int h = ui_text_wrap(u, a->message, UI_FACE_BOLD, m->px_small, t->warn, x, yb, w, 2,
				     UI_CENTER);
		ui_scene_note(u, "admin-message", (SDL_Rect){ x, yb, w, h }, a->message);
		yb += h + m->gap / 2;
	}
	int sw = m->wide_button_w;
	int sy = ar.y + ar.h - m->margin / 2 - bh;
	if (sy < yb)
		sy = yb;
	screen_button(u, t, m, &a->clock_set, (SDL_Rect){ ar.x + (ar.w - sw) / 2, sy, sw, bh },
		      "Set clock", 1);
}

