/* Session detail: what, when, where — and how to get there. The text column gives the title,
 * the time in the conference's zone (marked when over or running), room and floor, track,
 * speakers and the route in words; the map shows the floor with the room highlighted and the
 * kiosk's "you are here". Floors switch with chips above the map. Landscape puts the map to
 * the right of the text, portrait below it.
 */
#include "screens/sessions_int.h"

#include <stdio.h>
#include <string.h>

#include "venue/map_draw.h"

void detail_open(browse *b, const store_session *s)
{
	b->detail = 1;
	b->cur = *s;
	b->room = venue_room_find(b->venue, s->room);
	b->nfloors = venue_floors(b->venue, b->floors, (int)(sizeof b->floors / sizeof b->floors[0]));
	const venue_room *r = venue_room_at(b->venue, b->room);
	const venue_room *h = venue_room_at(b->venue, b->here);
	b->floor = r != NULL ? r->floor : h != NULL ? h->floor : b->nfloors > 0 ? b->floors[0] : 0;
	for (int i = 0; i < 16; i++)
		b->floor_taps[i] = (ui_tap){ 0 };
	b->detail_back = (ui_tap){ 0 };
}

enum browse_action detail_pointer(browse *b, const ui_pointer *p)
{
	if (ui_tap_feed(&b->detail_back, p)) {
		b->detail = 0;
		return b->detail_direct ? BROWSE_CLOSE : BROWSE_NONE;
	}
	for (int i = 0; i < b->nfloors && b->nfloors > 1; i++)
		if (ui_tap_feed(&b->floor_taps[i], p))
			b->floor = b->floors[i];
	return BROWSE_NONE;
}

typedef struct label_ctx {
	ui *u;
	const screen_theme *t;
	const screen_metrics *m;
} label_ctx;

/* Room names on the map: as large as fits the room, skipped when even the smallest size does
 * not (a cupboard on a 7" screen); the highlighted room's name always shows, bold. */
static void map_label(void *ctx, const char *text, float cx, float cy, float max_w, int role)
{
	label_ctx *c = ctx;
	int w, h, min_px = c->m->px_label * 3 / 4;
	int face = role == 1 ? UI_FACE_BOLD : UI_FACE_REGULAR;
	int px = ui_text_fit(c->u, text, face, role == 1 ? c->m->px_small : c->m->px_label, min_px,
			     (int)max_w);
	ui_text_size(c->u, text, face, px, &w, &h);
	if (w > max_w && role != 1)
		return;
	SDL_Color ink = role == 1 ? c->t->background : c->t->text;
	int mw = (int)max_w < w ? (int)max_w : w;
	if (role == 1 && mw < w)
		mw = w; /* the target's name may overhang its room: it must be readable */
	SDL_Rect r = ui_text(c->u, text, face, px, ink, (int)cx - mw / 2, (int)cy - h / 2, mw,
			     UI_CENTER);
	ui_scene_note(c->u, role == 1 ? "map-highlight" : "map-room", r, text);
}

static void draw_map(browse *b, ui *u, const screen_theme *t, const screen_metrics *m, SDL_Rect r)
{
	char name[VENUE_NAME_MAX];
	int y = r.y;

	if (b->nfloors == 0) {
		ui_round_rect(u, r, m->radius, t->surface);
		ui_text_wrap(u, "No venue map for this conference yet.", UI_FACE_REGULAR, m->px_body,
			     t->muted, r.x + m->pad, r.y + r.h / 2 - m->px_body, r.w - 2 * m->pad, 2,
			     UI_CENTER);
		return;
	}
	/* Floor chips (only when there is more than one floor). */
	if (b->nfloors > 1) {
		int ch = m->chip_h, x = r.x, gap = m->gap / 2;
		int cw = (r.w - (b->nfloors - 1) * gap) / b->nfloors;
		if (cw > m->chip_w_max)
			cw = m->chip_w_max;
		for (int i = 0; i < b->nfloors; i++) {
			SDL_Rect cr = { x + i * (cw + gap), y, cw, ch };
			int sel = b->floors[i] == b->floor;
			venue_floor_name(b->venue, b->floors[i], name, sizeof name);
			b->floor_taps[i].rect = cr;
			SDL_Color fill = sel ? t->accent : b->floor_taps[i].pressed ? t->pressed : t->surface;
			ui_round_rect(u, cr, m->radius, fill);
			int px = ui_text_fit(u, name, UI_FACE_BOLD, m->px_small, m->px_label, cw - m->pad);
			int lh = ui_line_height(u, UI_FACE_BOLD, px);
			ui_text(u, name, UI_FACE_BOLD, px, sel ? t->background : t->text, cr.x + m->pad / 2,
				cr.y + (ch - lh) / 2, cw - m->pad, UI_CENTER);
			ui_scene_note(u, sel ? "floor-selected" : "floor", cr, name);
		}
		y += ch + m->gap / 2;
	}
	SDL_Rect mr = { r.x, y, r.w, r.y + r.h - y };
	const venue_room *here = venue_room_at(b->venue, b->here);
	int lh = ui_line_height(u, UI_FACE_REGULAR, m->px_label);
	if (here != NULL && here->floor != b->floor) {
		/* Say where the kiosk is when it is not on the floor shown. */
		char note[2 * VENUE_NAME_MAX + 32];
		venue_floor_name(b->venue, here->floor, name, sizeof name);
		snprintf(note, sizeof note, "You are here: %s, %s", here->name, name);
		ui_text(u, note, UI_FACE_REGULAR, m->px_label, t->muted, mr.x, mr.y + mr.h - lh, mr.w,
			UI_LEFT);
		mr.h -= lh + m->gap / 3;
	}
	ui_round_rect(u, mr, m->radius, ui_mix(t->background, t->surface, 0.5f));

	venue_view view;
	if (venue_fit(b->venue, b->floor, (float)mr.x, (float)mr.y, (float)mr.w, (float)mr.h,
		      (float)m->pad, &view) < 0)
		return;
	venue_map_style st;
	venue_map_style_default(&st);
	st.room = ui_mix(t->surface, t->muted, 0.22f);
	st.wall = ui_mix(t->surface, t->muted, 0.7f);
	st.highlight = t->accent;
	st.highlight_wall = t->text;
	st.here = t->warn;
	st.here_ring = t->text;
	st.wall_px = 1.5f * m->s;
	st.here_px = 9 * m->s;
	label_ctx lc = { u, t, m };
	ui_clip_push(u, mr);
	venue_map_draw(ui_renderer(u), b->venue, b->floor, &view, b->room, b->here, &st, map_label, &lc);
	if (here != NULL && here->floor == b->floor) {
		SDL_Rect hr = { (int)(view.ox + here->centre.x * view.scale) - (int)st.here_px,
				(int)(view.oy + here->centre.y * view.scale) - (int)st.here_px,
				2 * (int)st.here_px, 2 * (int)st.here_px };
		ui_scene_note(u, "map-here", hr, here->name);
	}
	ui_clip_pop(u);
}

void detail_draw(browse *b, ui *u, const screen_theme *t, const screen_metrics *m, int64_t now)
{
	const store_session *s = &b->cur;
	SDL_Rect a = m->area;
	char when[96], floor_name[VENUE_NAME_MAX], route[320], where[2 * VENUE_NAME_MAX + 8];
	int over = s->end <= now, on = s->start <= now && now < s->end;

	int top = a.y + m->margin / 2;
	screen_bar bar = { &b->detail_back, "‹ Back", NULL, m->px_body, 1 };
	top += screen_top_bar(u, t, m, &bar, now) + m->gap;

	SDL_Rect text_col, map_col;
	int bottom = a.y + a.h - m->margin / 2, x = a.x + m->margin, w = a.w - 2 * m->margin;
	if (m->portrait) {
		text_col = (SDL_Rect){ x, top, w, (bottom - top) * 45 / 100 };
		map_col = (SDL_Rect){ x, text_col.y + text_col.h + m->gap, w,
				      bottom - (text_col.y + text_col.h + m->gap) };
	} else {
		int tw = w * 42 / 100;
		text_col = (SDL_Rect){ x, top, tw, bottom - top };
		map_col = (SDL_Rect){ x + tw + m->gap * 2, top, w - tw - 2 * m->gap, bottom - top };
	}

	int y = text_col.y, tx = text_col.x, tw = text_col.w;
	int lh_b = ui_line_height(u, UI_FACE_REGULAR, m->px_body);
	int title_px = m->px_title;
	y += ui_text_wrap(u, s->title, UI_FACE_BOLD, title_px, over ? t->muted : t->text, tx, y, tw,
			  3, UI_LEFT) + m->gap / 2;

	browse_format_when(when, sizeof when, s, now, 1);
	SDL_Rect wr = ui_text(u, when, UI_FACE_BOLD, m->px_body, over ? t->muted : t->accent, tx, y,
			      tw, UI_LEFT);
	if (on || over) {
		int tw2, th2;
		const char *tag = on ? "Now on" : "Ended";
		ui_text_size(u, tag, UI_FACE_BOLD, m->px_label, &tw2, &th2);
		if (wr.w + m->gap + tw2 + m->pad < tw) {
			SDL_Rect tr = { wr.x + wr.w + m->gap, y + (lh_b - th2) / 2 - m->pad / 6,
					tw2 + m->pad, th2 + m->pad / 3 };
			ui_round_rect(u, tr, tr.h / 2, on ? t->accent : ui_mix(t->surface, t->muted, 0.3f));
			ui_text(u, tag, UI_FACE_BOLD, m->px_label, on ? t->background : t->text,
				tr.x + m->pad / 2, tr.y + m->pad / 6, tw2, UI_LEFT);
		}
	}
	y += lh_b + m->gap / 2;

	const venue_room *room = venue_room_at(b->venue, b->room);
	if (room != NULL) {
		venue_floor_name(b->venue, room->floor, floor_name, sizeof floor_name);
		snprintf(where, sizeof where, "%s · %s", s->room, floor_name);
	} else {
		snprintf(where, sizeof where, "%s", s->room[0] ? s->room : "Room to be announced");
	}
	ui_text(u, where, UI_FACE_BOLD, m->px_body, t->text, tx, y, tw, UI_LEFT);
	y += lh_b;
	if (s->track[0]) {
		ui_text(u, s->track, UI_FACE_REGULAR, m->px_small, t->muted, tx, y, tw, UI_LEFT);
		y += ui_line_height(u, UI_FACE_REGULAR, m->px_small);
	}
	if (s->speakers[0]) {
		y += m->gap / 3;
		y += ui_text_wrap(u, s->speakers, UI_FACE_REGULAR, m->px_small, t->text, tx, y, tw, 2,
				  UI_LEFT);
	}
	if (room != NULL && venue_route(b->venue, b->here, b->room, route, sizeof route) == 0) {
		y += m->gap / 2;
		int lines = (text_col.y + text_col.h - y) / ui_line_height(u, UI_FACE_BOLD, m->px_body);
		if (lines > 3)
			lines = 3;
		if (lines > 0) {
			int rh = ui_text_wrap(u, route, UI_FACE_BOLD, m->px_body, t->warn, tx, y, tw,
					      lines, UI_LEFT);
			ui_scene_note(u, "route", (SDL_Rect){ tx, y, tw, rh }, route);
		}
	}
	draw_map(b, u, t, m, map_col);
}
