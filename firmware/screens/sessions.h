/* The session browser and session detail: "where and when is it?" for anyone at the kiosk,
 * with or without a badge.
 *
 * Tabs: Now & next, By track, By room, By day, Search (on-screen keyboard, FTS5 prefix search
 * as you type). A session opens its detail: times in the conference's time zone, room, floor,
 * route in words and the venue map with the room highlighted and the kiosk marked.
 *
 * The browser reads the database itself through its own read connection (the UI thread's,
 * opened by the app), only when the tab, the category or the query changes. Queries are
 * indexed and take well under a frame with a warm cache, and WAL readers never wait for the
 * check-in writer; on a cold page cache a read can take several frames (`make bench`, rows
 * "cold read: ..."). Everything else follows screens.h: draw every frame from state,
 * rectangles set while drawing, pointer events matched against the last frame. As a screen it
 * is screen_sessions_ops (sessions_input.c).
 */
#ifndef KITH_SESSIONS_H
#define KITH_SESSIONS_H

#include <stdint.h>

#include "screens/screens.h"
#include "store/store.h"

typedef struct browse browse;

enum browse_action {
	BROWSE_NONE,
	BROWSE_CLOSE, /* the user left the browser: back to where they came from */
};

/* db: a connection the UI thread may query. location: the kiosk's --location, matched to a
 * room for "you are here". Loads the venue's rooms once. */
browse *browse_new(store *db, const char *location);
void browse_free(browse *b);

void browse_show_list(browse *b, int64_t now);            /* Now & next, from the top */
int browse_show_session(browse *b, const char *session_id, int64_t now); /* 1 shown, 0 unknown */
const char *browse_screen_name(const browse *b);         /* "sessions" or "session-detail" */

enum browse_action browse_pointer(browse *b, const ui_pointer *p);
void browse_text_input(browse *b, const char *utf8);     /* SDL_TEXTINPUT: goes to Search */
void browse_key(browse *b, SDL_Keycode key);             /* Backspace, Escape */
int browse_update(browse *b, float dt);                  /* 1 while something moves */
void browse_draw(browse *b, ui *u, const screen_theme *t, const screen_metrics *m, int64_t now);

#endif
