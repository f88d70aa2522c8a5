/* The router: which screen the app talks to. The app keeps one screen_state (screens.h) and
 * calls these with it; each call goes to the current screen's row of the table in router.c
 * (screen_ops, one row per screen in screen_list.h). The app decides where to go next from the
 * screen_action values that come back.
 */
#ifndef KITH_SCREENS_ROUTER_H
#define KITH_SCREENS_ROUTER_H

#include <stdint.h>

#include "screens/screens.h"

/* At start-up and shut-down: each screen's private state (st->self). */
void screen_open_all(screen_state *st, const screen_env *env);
void screen_close_all(screen_state *st);

const char *screen_name(enum screen_id id);            /* "welcome" */
const char *screen_view_name(const screen_state *st);  /* the current view: "session-detail" */
/* 1 when screen id can be shown (a screen with private state is off without it). */
int screen_available(const screen_state *st, enum screen_id id);
/* Asks screen id to get ready to show `what` (see screen_ops.enter); 0 go ahead, -1 stay. */
int screen_enter(screen_state *st, enum screen_id id, const char *what, int64_t now,
		 uint64_t now_ns);

/* The app leaves screen id for another: its leave hook, if any (screen_ops.leave). */
void screen_leave(screen_state *st, enum screen_id id);

/* Routes one pointer event to the current screen's widgets. */
enum screen_action screen_pointer(screen_state *st, const ui_pointer *p, uint64_t now_ns);
/* Keyboard input; returns 1 when the current screen took it, 0 when it is the app's. */
int screen_text(screen_state *st, const char *utf8);
int screen_key(screen_state *st, SDL_Keycode key);
/* Advances animations; returns 1 while something moves (the app keeps drawing frames). *act:
 * what the screen asks for by itself (admin's idle timeout), else SCREEN_ACTION_NONE. */
int screen_update(screen_state *st, float dt, uint64_t now_ns, enum screen_action *act);
void screen_draw(ui *u, screen_state *st, const screen_theme *t, const screen_metrics *m,
		 uint64_t now_ns);

#endif
