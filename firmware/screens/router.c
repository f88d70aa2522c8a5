/* The screen table and its dispatch, in the spirit of dwm's handler[]: one screen_ops row per
 * screen, indexed by screen id. Nothing here knows any one screen; to add a screen, add its
 * file and its row in screen_list.h. What is common to all screens (the entrance animation's
 * clock) lives here, in screen_update.
 */
#include "screens/router.h"

static const screen_ops *const table[SCREEN_COUNT] = {
#define SCREEN(id, name) [SCREEN_##id] = &screen_##name##_ops,
#include "screens/screen_list.h"
#undef SCREEN
};

static const screen_ops *ops(enum screen_id id)
{
	return table[(unsigned)id < SCREEN_COUNT ? id : SCREEN_ATTRACT];
}

void screen_open_all(screen_state *st, const screen_env *env)
{
	for (int i = 0; i < SCREEN_COUNT; i++)
		st->self[i] = table[i]->open ? table[i]->open(env) : NULL;
}

void screen_close_all(screen_state *st)
{
	for (int i = 0; i < SCREEN_COUNT; i++) {
		if (table[i]->close && st->self[i])
			table[i]->close(st->self[i]);
		st->self[i] = NULL;
	}
}

const char *screen_name(enum screen_id id)
{
	return (unsigned)id < SCREEN_COUNT ? table[id]->name : "?";
}

const char *screen_view_name(const screen_state *st)
{
	const screen_ops *o = ops(st->id);
	return o->view && st->self[st->id] ? o->view(st->self[st->id]) : o->name;
}

int screen_available(const screen_state *st, enum screen_id id)
{
	return (unsigned)id < SCREEN_COUNT && (!table[id]->open || st->self[id] != NULL);
}

int screen_enter(screen_state *st, enum screen_id id, const char *what, int64_t now,
		 uint64_t now_ns)
{
	if (!screen_available(st, id))
		return -1;
	return table[id]->enter ? table[id]->enter(st->self[id], st, what, now, now_ns) : 0;
}

void screen_leave(screen_state *st, enum screen_id id)
{
	if ((unsigned)id < SCREEN_COUNT && table[id]->leave && st->self[id])
		table[id]->leave(st->self[id]);
}

enum screen_action screen_pointer(screen_state *st, const ui_pointer *p, uint64_t now_ns)
{
	const screen_ops *o = ops(st->id);
	return o->pointer ? o->pointer(st->self[st->id], st, p, now_ns) : SCREEN_ACTION_NONE;
}

int screen_text(screen_state *st, const char *utf8)
{
	const screen_ops *o = ops(st->id);
	if (!o->text)
		return 0;
	o->text(st->self[st->id], st, utf8);
	return 1;
}

int screen_key(screen_state *st, SDL_Keycode key)
{
	const screen_ops *o = ops(st->id);
	if (!o->text)
		return 0;
	if (o->key)
		o->key(st->self[st->id], st, key);
	return 1;
}

int screen_update(screen_state *st, float dt, uint64_t now_ns, enum screen_action *act)
{
	const screen_ops *o = ops(st->id);
	int moving = now_ns - st->shown_ns < SCREEN_ENTRANCE_NS; /* entrance animation */

	/* One more frame once the animation's time is up, so the last frame drawn shows its end
	 * state even when a frame took longer than the whole animation (a first frame that
	 * compiles shaders); otherwise the name could stay faded out until the next change. */
	if (!moving && !st->entrance_ended) {
		st->entrance_ended = 1;
		moving = 1;
	}
	*act = SCREEN_ACTION_NONE;
	if (o->update)
		moving |= o->update(st->self[st->id], st, dt, now_ns, act);
	return moving;
}

void screen_draw(ui *u, screen_state *st, const screen_theme *t, const screen_metrics *m,
		 uint64_t now_ns)
{
	const screen_ops *o = ops(st->id);
	o->draw(st->self[st->id], u, st, t, m, now_ns);
}
