/* The session browser's frame: the top bar or the Back-and-tabs row, the breadcrumb of a
 * chosen category, the search field with its keyboard, and the list below them (drawn by
 * sessions.c). Start reading at browse_draw().
 */
#include "screens/sessions_int.h"

#include "common/util.h"

static const char *const tab_names[TAB_COUNT] = {
	"Now & next", "By track", "By room", "By day", "Search",
};
/* For narrow screens (portrait): the same tabs in fewer letters. */
static const char *const tab_short[TAB_COUNT] = { "Now", "Track", "Room", "Day", "Search" };

/* One size for every tab label, the chosen one's too: the smallest that fits each; the short
 * names for all when a long one would not fit even at the smallest size. */
static int tab_labels(ui *u, const screen_metrics *m, int inner_w, const char *const **names)
{
	int px = m->px_body, w, h;

	*names = tab_names;
	for (int i = 0; i < TAB_COUNT; i++) {
		ui_text_size(u, tab_names[i], UI_FACE_BOLD, m->px_label, &w, &h);
		if (w > inner_w)
			*names = tab_short;
	}
	for (int i = 0; i < TAB_COUNT; i++) {
		int fit = ui_text_fit(u, (*names)[i], UI_FACE_BOLD, m->px_body, m->px_label, inner_w);
		px = fit < px ? fit : px;
	}
	return px;
}

static void draw_tabs(browse *b, ui *u, const screen_theme *t, const screen_metrics *m, SDL_Rect r)
{
	int gap = m->target_gap, w = (r.w - (TAB_COUNT - 1) * gap) / TAB_COUNT;
	int tw = w - m->pad / 2; /* the rule's wider gaps leave narrow tabs: keep the words */
	const char *const *names;
	int px = tab_labels(u, m, tw, &names);
	int lh = ui_line_height(u, UI_FACE_BOLD, px);

	for (int i = 0; i < TAB_COUNT; i++) {
		SDL_Rect tr = { r.x + i * (w + gap), r.y, w, r.h };
		int sel = (int)b->tab == i;
		SDL_Color fill = sel ? t->accent : t->surface, ink = sel ? t->background : t->text;
		b->tabs[i].rect = tr;
		if (!sel && b->tabs[i].pressed && b->tabs[i].inside)
			fill = t->pressed;
		screen_control(u, t, m, tr, m->radius, fill);
		ui_text(u, names[i], UI_FACE_BOLD, px, ink, tr.x + (w - tw) / 2, tr.y + (tr.h - lh) / 2,
			tw, UI_CENTER);
		ui_scene_note(u, sel ? "tab-selected" : "tab", tr, tab_names[i]);
	}
}

static void draw_search_field(browse *b, ui *u, const screen_theme *t, const screen_metrics *m,
			      SDL_Rect r, uint64_t blink)
{
	int lh = ui_line_height(u, UI_FACE_REGULAR, m->px_body);
	ui_round_rect(u, r, m->radius, t->surface);
	int x = r.x + m->pad, w = r.w - 2 * m->pad;
	if (b->query[0] == '\0') {
		ui_text(u, "Search sessions, speakers, rooms…", UI_FACE_REGULAR, m->px_body, t->muted,
			x, r.y + (r.h - lh) / 2, w, UI_LEFT);
		return;
	}
	/* Keep the end of a long query (where the typing happens) in view. */
	int qw, qh;
	ui_text_size(u, b->query, UI_FACE_REGULAR, m->px_body, &qw, &qh);
	const char *shown = b->query;
	while (qw > w - 8 && *shown) {
		shown++;
		while ((*shown & 0xC0) == 0x80)
			shown++;
		ui_text_size(u, shown, UI_FACE_REGULAR, m->px_body, &qw, &qh);
	}
	SDL_Rect tr = ui_text(u, shown, UI_FACE_REGULAR, m->px_body, t->text, x, r.y + (r.h - lh) / 2,
			      w, UI_LEFT);
	if (blink)
		ui_fill(u, (SDL_Rect){ tr.x + tr.w + 2, r.y + (r.h - lh) / 2, 2 > m->s * 2 ? 2 : (int)(m->s * 2), lh },
			t->accent);
	ui_scene_note(u, "query", r, b->query);
}

void browse_draw(browse *b, ui *u, const screen_theme *t, const screen_metrics *m, int64_t now)
{
	b->now = now;
	if (b->detail) {
		detail_draw(b, u, t, m, now);
		return;
	}
	SDL_Rect a = m->area;
	int x = a.x + m->margin, w = a.w - 2 * m->margin, bar_h = m->bar_h;
	int y = a.y + m->margin / 2;

	if (m->portrait) {
		screen_bar bar = { &b->back, "‹ Back", "Sessions", m->px_body, 1 };
		y += screen_top_bar(u, t, m, &bar, now) + m->gap;
		draw_tabs(b, u, t, m, (SDL_Rect){ x, y, w, bar_h });
	} else {
		/* Landscape: back and the tabs share one row to leave height for the list. */
		int bw = m->back_w;
		screen_button(u, t, m, &b->back, (SDL_Rect){ x, y, bw, bar_h }, "‹ Back", 0);
		draw_tabs(b, u, t, m, (SDL_Rect){ x + bw + m->gap, y, w - bw - m->gap, bar_h });
	}
	y += bar_h + m->gap;

	int bottom = a.y + a.h - m->margin / 2;
	if ((b->tab == TAB_TRACK || b->tab == TAB_ROOM || b->tab == TAB_DAY) && b->picked >= 0) {
		const char *all = b->tab == TAB_TRACK ? "‹ All tracks" : b->tab == TAB_ROOM ? "‹ All rooms"
										  : "‹ All days";
		int cw, chh, ch = m->chip_h;
		ui_text_size(u, all, UI_FACE_BOLD, m->px_small, &cw, &chh);
		int bw = cw + 2 * m->pad;
		screen_button(u, t, m, &b->crumb, (SDL_Rect){ x, y, bw, ch }, all, 0);
		int lh = ui_line_height(u, UI_FACE_BOLD, m->px_title);
		int px = ui_text_fit(u, b->cats[b->picked], UI_FACE_BOLD, m->px_title, m->px_body,
				     w - bw - m->gap);
		lh = ui_line_height(u, UI_FACE_BOLD, px);
		ui_text(u, b->cats[b->picked], UI_FACE_BOLD, px, t->text, x + bw + m->gap,
			y + (ch - lh) / 2, w - bw - m->gap, UI_LEFT);
		y += ch + m->gap;
	}
	if (b->tab == TAB_SEARCH) {
		int kh = keyboard_height(m, w, a.h * 8 / 10); /* at most 70% of that: 56% of a.h */
		SDL_Rect kr = { x, bottom - kh, w, kh };
		draw_search_field(b, u, t, m, (SDL_Rect){ x, y, w, bar_h },
				  (time_mono_ns() / 500000000ULL) % 2 == 0);
		y += bar_h + m->gap / 2;
		keyboard_draw(&b->kb, u, t, m, kr);
		bottom = kr.y - m->target_gap; /* the list's last row and the keys: apart */
	}
	browse_draw_list(b, u, t, m, (SDL_Rect){ x, y, w, bottom - y }, now);
}
