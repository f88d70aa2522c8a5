/* Session detail: what, when, where — and how to get there. The text column gives the whole
 * title, the time in the conference's zone (marked when over or running), room and floor,
 * track, speakers, the route in words and then the abstract; it scrolls (drag or fling, and
 * ▲/▼ buttons below it for those who do not drag) when it is longer than the column, while
 * the map beside it stays put, so the way there is always on screen. The map shows the floor
 * with the room highlighted and the kiosk's "you are here". Floors switch with chips above
 * the map. Landscape puts the map to the right of the text, portrait below it.
 */
#include "screens/sessions_int.h"

#include <stdio.h>
#include <string.h>

#include "venue/map_draw.h"

/* Lines of a title or an abstract at most: far more than any real one (4 KB of text). */
#define DETAIL_LINES_MAX 400

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
	b->detail_back = b->detail_up = b->detail_down = (ui_tap){ 0 };
	b->detail_scroll = (ui_scroll){ 0 };
	b->detail_measured_w = 0;
	/* One small read when the detail opens, never per frame; without it the detail still
	 * shows everything else. */
	if (b->db == NULL || store_session_abstract(b->db, s->id, b->abstract, sizeof b->abstract) < 0)
		b->abstract[0] = '\0';
}

/* The ▲/▼ buttons move the text by most of a view, so the line at the edge stays in sight. */
static void detail_step(browse *b, int dir)
{
	ui_scroll *sc = &b->detail_scroll;
	float maxo = sc->content_h - (float)sc->view.h;
	sc->offset += (float)dir * (float)sc->view.h * 0.8f;
	if (sc->offset > maxo)
		sc->offset = maxo;
	if (sc->offset < 0)
		sc->offset = 0;
	sc->velocity = 0;
}

enum browse_action detail_pointer(browse *b, const ui_pointer *p)
{
	if (ui_tap_feed(&b->detail_back, p)) {
		b->detail = 0;
		return b->detail_direct ? BROWSE_CLOSE : BROWSE_NONE;
	}
	ui_scroll_feed(&b->detail_scroll, p);
	if (ui_tap_feed(&b->detail_up, p))
		detail_step(b, -1);
	if (ui_tap_feed(&b->detail_down, p))
		detail_step(b, 1);
	for (int i = 0; i < b->nfloors && b->nfloors > 1; i++)
		if (ui_tap_feed(&b->floor_taps[i], p))
			b->floor = b->floors[i];
	return BROWSE_NONE;
}

int detail_update(browse *b, float dt)
{
	return ui_scroll_update(&b->detail_scroll, dt);
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
		int ch = m->chip_h, x = r.x, gap = m->target_gap;
		int cw = (r.w - (b->nfloors - 1) * gap) / b->nfloors;
		if (cw > m->chip_w_max)
			cw = m->chip_w_max;
		for (int i = 0; i < b->nfloors; i++) {
			SDL_Rect cr = { x + i * (cw + gap), y, cw, ch };
			int sel = b->floors[i] == b->floor;
			venue_floor_name(b->venue, b->floors[i], name, sizeof name);
			b->floor_taps[i].rect = cr;
			SDL_Color fill = sel ? t->accent : b->floor_taps[i].pressed ? t->pressed : t->surface;
			screen_control(u, t, m, cr, m->radius, fill);
			int lw = cw - m->pad / 2; /* narrow chips (the rule's gaps): keep the name */
			int px = ui_text_fit(u, name, UI_FACE_BOLD, m->px_small, m->px_label, lw);
			int lh = ui_line_height(u, UI_FACE_BOLD, px);
			ui_text(u, name, UI_FACE_BOLD, px, sel ? t->background : t->text,
				cr.x + (cw - lw) / 2, cr.y + (ch - lh) / 2, lw, UI_CENTER);
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

/* Everything the text column says, from r.y down (r.h: the view, for nothing but wrapping
 * widths); returns the y below the last line. Nothing is cut: the column scrolls. */
static int detail_text(browse *b, ui *u, const screen_theme *t, const screen_metrics *m,
		       int64_t now, SDL_Rect r)
{
	const store_session *s = &b->cur;
	char when[96], floor_name[VENUE_NAME_MAX], route[320], where[2 * VENUE_NAME_MAX + 8];
	int over = s->end <= now, on = s->start <= now && now < s->end;
	int y = r.y, tx = r.x, tw = r.w - m->gap / 2; /* room for the scroll bar */
	int lh_b = ui_line_height(u, UI_FACE_REGULAR, m->px_body);

	y += ui_text_wrap(u, s->title, UI_FACE_BOLD, m->px_title, over ? t->muted : t->text, tx, y,
			  tw, DETAIL_LINES_MAX, UI_LEFT) + m->gap / 2;

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
	y += ui_text_wrap(u, where, UI_FACE_BOLD, m->px_body, t->text, tx, y, tw, 3, UI_LEFT);
	if (s->track[0]) {
		ui_text(u, s->track, UI_FACE_REGULAR, m->px_small, t->muted, tx, y, tw, UI_LEFT);
		y += ui_line_height(u, UI_FACE_REGULAR, m->px_small);
	}
	if (s->speakers[0]) {
		y += m->gap / 3;
		y += ui_text_wrap(u, s->speakers, UI_FACE_REGULAR, m->px_small, t->text, tx, y, tw, 6,
				  UI_LEFT);
	}
	if (room != NULL && venue_route(b->venue, b->here, b->room, route, sizeof route) == 0) {
		y += m->gap / 2;
		int rh = ui_text_wrap(u, route, UI_FACE_BOLD, m->px_body, t->warn, tx, y, tw, 8,
				      UI_LEFT);
		ui_scene_note(u, "route", (SDL_Rect){ tx, y, tw, rh }, route);
		y += rh;
	}
	if (b->abstract[0]) {
		y += m->gap;
		ui_fill(u, (SDL_Rect){ tx, y, tw, m->s > 1 ? (int)m->s : 1 }, ui_mix(t->surface, t->muted, 0.4f));
		y += m->gap;
		int ah = ui_text_wrap(u, b->abstract, UI_FACE_REGULAR, m->px_body, t->text, tx, y, tw,
				      DETAIL_LINES_MAX, UI_LEFT);
		ui_scene_note(u, "abstract", (SDL_Rect){ tx, y, tw, ah }, "");
		y += ah;
	}
	return y + m->gap / 2;
}

void detail_draw(browse *b, ui *u, const screen_theme *t, const screen_metrics *m, int64_t now)
{
	SDL_Rect a = m->area;

	int top = a.y + m->margin / 2;
	screen_bar bar = { &b->detail_back, "‹ Back", NULL, m->px_body, 1 };
	top += screen_top_bar(u, t, m, &bar, now) + m->gap;

	SDL_Rect text_col, map_col;
	int bottom = a.y + a.h - m->margin / 2, x = a.x + m->margin, w = a.w - 2 * m->margin;
	int gap = m->gap > m->target_gap ? m->gap : m->target_gap; /* between controls */
	if (m->portrait) {
		text_col = (SDL_Rect){ x, top, w, (bottom - top) * 45 / 100 };
		map_col = (SDL_Rect){ x, text_col.y + text_col.h + gap, w,
				      bottom - (text_col.y + text_col.h + gap) };
	} else {
		int tw = w * 42 / 100;
		text_col = (SDL_Rect){ x, top, tw, bottom - top };
		map_col = (SDL_Rect){ x + tw + m->gap * 2, top, w - tw - 2 * m->gap, bottom - top };
	}

	/* The text column scrolls when it overflows: then the buttons take a row at its foot.
	 * Whether it does is known once the text is laid out, so a detail's first frame (or the
	 * first at a new width) lays it out once where nothing shows: a clip off the screen. */
	ui_scroll *sc = &b->detail_scroll;
	if (b->detail_measured_w != text_col.w) {
		ui_clip_push(u, (SDL_Rect){ -2, -2, 1, 1 });
		sc->content_h = (float)detail_text(b, u, t, m, now,
						   (SDL_Rect){ text_col.x, 0, text_col.w, text_col.h });
		ui_clip_pop(u);
		b->detail_measured_w = text_col.w;
	}
	int overflow = sc->content_h > (float)text_col.h;
	SDL_Rect view = text_col;
	if (overflow)
		view.h -= m->touch + gap;
	sc->view = view;
	ui_clip_push(u, view);
	int y0 = view.y - (int)sc->offset;
	int y = detail_text(b, u, t, m, now, (SDL_Rect){ view.x, y0, view.w, view.h });
	sc->content_h = (float)(y - y0);
	if (sc->content_h > view.h) {
		/* A thin bar says how much more there is. */
		float frac = view.h / sc->content_h;
		int bar_h = (int)(view.h * frac), bar_w = m->gap / 3 > 3 ? m->gap / 3 : 3;
		float maxo = sc->content_h - view.h;
		float at = sc->offset < 0 ? 0 : sc->offset > maxo ? maxo : sc->offset;
		int by = view.y + (int)((view.h - bar_h) * (at / maxo));
		ui_round_rect(u, (SDL_Rect){ view.x + view.w - bar_w, by, bar_w, bar_h }, bar_w / 2,
			      t->muted);
	}
	ui_clip_pop(u);
	char note[64];
	snprintf(note, sizeof note, "offset=%d content=%d", (int)sc->offset, (int)sc->content_h);
	ui_scene_note(u, "detail-scroll", view, note);
	if (overflow) {
		int bw = (view.w - gap) / 2, by = view.y + view.h + gap;
		screen_button(u, t, m, &b->detail_up, (SDL_Rect){ view.x, by, bw, m->touch },
			      "▲ Up", 0);
		screen_button(u, t, m, &b->detail_down,
			      (SDL_Rect){ view.x + bw + gap, by, view.w - bw - gap, m->touch },
			      "▼ More", 0);
	} else {
		b->detail_up.rect = b->detail_down.rect = (SDL_Rect){ 0 };
	}
	draw_map(b, u, t, m, map_col);
}
