/* The session browser's input, and the browser as a screen (its row in the router's table):
 * pointer events on tabs, breadcrumb, keyboard and list; typed text and keys for Search.
 */
#include "screens/sessions_int.h"

#include <string.h>

#include "common/util.h"

/* Removes the last UTF-8 character of the query. */
static void query_backspace(browse *b)
{
	size_t n = strlen(b->query);
	if (n == 0)
		return;
	do
		n--;
	while (n > 0 && ((unsigned char)b->query[n] & 0xC0) == 0x80);
	b->query[n] = '\0';
	browse_reload(b);
}

void browse_text_input(browse *b, const char *utf8)
{
	if (b->detail)
		return;
	if (b->tab != TAB_SEARCH)
		browse_set_tab(b, TAB_SEARCH);
	size_t n = strlen(b->query), add = strlen(utf8);
	if (n + add + 1 > sizeof b->query || !utf8_valid(utf8, add))
		return;
	memcpy(b->query + n, utf8, add + 1);
	browse_reload(b);
}

void browse_key(browse *b, SDL_Keycode key)
{
	if (key == SDLK_BACKSPACE && !b->detail && b->tab == TAB_SEARCH)
		query_backspace(b);
}

static int row_at(const browse *b, int content_y)
{
	for (int i = 0; i < b->nrows; i++)
		if (content_y >= b->rows[i].y && content_y < b->rows[i].y + b->rows[i].h)
			return i;
	return -1;
}

enum browse_action browse_pointer(browse *b, const ui_pointer *p)
{
	if (b->detail)
		return detail_pointer(b, p);
	if (ui_tap_feed(&b->back, p))
		return BROWSE_CLOSE;
	for (int i = 0; i < TAB_COUNT; i++) {
		if (ui_tap_feed(&b->tabs[i], p)) {
			browse_set_tab(b, (enum browse_tab)i);
			return BROWSE_NONE;
		}
	}
	if (b->picked >= 0 && ui_tap_feed(&b->crumb, p)) {
		b->picked = -1;
		browse_reload(b);
		return BROWSE_NONE;
	}
	if (b->tab == TAB_SEARCH) {
		char text[16];
		switch (keyboard_pointer(&b->kb, p, text, sizeof text)) {
		case KEYBOARD_TEXT:
			browse_text_input(b, text);
			return BROWSE_NONE;
		case KEYBOARD_BACKSPACE:
			query_backspace(b);
			return BROWSE_NONE;
		case KEYBOARD_CLEAR:
			b->query[0] = '\0';
			browse_reload(b);
			return BROWSE_NONE;
		default:
			break;
		}
	}
	/* The list: a drag scrolls, a press and release on one row opens it. */
	SDL_Rect v = b->scroll.view;
	int in = p->x >= v.x && p->x < v.x + v.w && p->y >= v.y && p->y < v.y + v.h;
	int dragged = ui_scroll_feed(&b->scroll, p);
	int row = in ? row_at(b, p->y - v.y + (int)b->scroll.offset) : -1;
	if (p->kind == UI_POINTER_DOWN)
		b->pressed_row = row;
	else if (dragged || (p->kind == UI_POINTER_MOVE && row != b->pressed_row))
		b->pressed_row = -1;
	else if (p->kind == UI_POINTER_UP) {
		int hit = b->pressed_row >= 0 && row == b->pressed_row ? row : -1;
		b->pressed_row = -1;
		if (hit < 0)
			return BROWSE_NONE;
		const browse_row *r = &b->rows[hit];
		if (r->kind == ROW_CAT) {
			b->picked = r->i;
			browse_reload(b);
		} else if (r->kind == ROW_SESSION) {
			detail_open(b, &b->list[r->i]);
			b->detail_direct = 0;
		}
	}
	return BROWSE_NONE;
}

int browse_update(browse *b, float dt)
{
	if (b->detail)
		return detail_update(b, dt);
	return ui_scroll_update(&b->scroll, dt);
}

/* ---- The browser as a screen (screens/router.c) ------------------------------------------- */
static void *sessions_open(const screen_env *env)
{
	return env->db ? browse_new(env->db, env->location) : NULL;
}

static void sessions_close(void *self)
{
	browse_free(self);
}

static const char *sessions_view(const void *self)
{
	return browse_screen_name(self);
}

/* what: a session to open straight away (welcome's rows), or NULL for Now & next. */
static int sessions_enter(void *self, screen_state *st, const char *what, int64_t now,
			  uint64_t now_ns)
{
	(void)st;
	(void)now_ns;
	if (what == NULL) {
		browse_show_list(self, now);
		return 0;
	}
	return browse_show_session(self, what, now) ? 0 : -1;
}

static enum screen_action sessions_pointer(void *self, screen_state *st, const ui_pointer *p,
					   uint64_t now_ns)
{
	(void)st;
	(void)now_ns;
	return browse_pointer(self, p) == BROWSE_CLOSE ? SCREEN_ACTION_BACK : SCREEN_ACTION_NONE;
}

static void sessions_text(void *self, screen_state *st, const char *utf8)
{
	(void)st;
	browse_text_input(self, utf8); /* a hardware keyboard or input method types into Search */
}

static void sessions_key(void *self, screen_state *st, SDL_Keycode key)
{
	(void)st;
	browse_key(self, key);
}

static int sessions_update(void *self, screen_state *st, float dt, uint64_t now_ns,
			   enum screen_action *act)
{
	(void)st;
	(void)now_ns;
	(void)act;
	return browse_update(self, dt);
}

static void sessions_draw(void *self, ui *u, screen_state *st, const screen_theme *t,
			  const screen_metrics *m, uint64_t now_ns)
{
	(void)now_ns;
	browse_draw(self, u, t, m, st->now);
}

const screen_ops screen_sessions_ops = {
	.name = "sessions",
	.open = sessions_open,
	.close = sessions_close,
	.view = sessions_view,
	.enter = sessions_enter,
	.pointer = sessions_pointer,
	.text = sessions_text,
	.key = sessions_key,
	.update = sessions_update,
	.draw = sessions_draw,
};
