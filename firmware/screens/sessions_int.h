/* Private to the session browser (screens/sessions*.c, session_detail.c): its state. */
#ifndef KITH_SESSIONS_INT_H
#define KITH_SESSIONS_INT_H

#include "screens/keyboard.h"
#include "screens/sessions.h"
#include "venue/venue.h"

#define BROWSE_LIST_MAX 600  /* sessions in one list (a track at a 5,000-session conference) */
#define BROWSE_SEARCH_MAX 100 /* best-ranked search results shown */
#define BROWSE_ROWS_MAX (2 * BROWSE_LIST_MAX + 64)
#define BROWSE_CATS_MAX 256
#define BROWSE_DAYS_MAX 14
#define BROWSE_QUERY_MAX 128

enum browse_tab { TAB_NOW, TAB_TRACK, TAB_ROOM, TAB_DAY, TAB_SEARCH, TAB_COUNT };
enum row_kind { ROW_HEADER, ROW_CAT, ROW_SESSION, ROW_EMPTY };

typedef struct browse_row {
	enum row_kind kind;
	int i;       /* index into list[] (session) or cats[] (category) */
	char text[STORE_PLACE_MAX]; /* header / empty-state text */
	int y, h;    /* position in the list's content, set while drawing */
} browse_row;

struct browse {
	store *db;
	venue *venue;
	int here;              /* the kiosk's room index, -1 unknown */
	int64_t now;

	/* list */
	enum browse_tab tab;
	int picked;            /* TRACK/ROOM/DAY: index of the chosen category, -1 = choose */
	char (*cats)[STORE_PLACE_MAX]; /* category names (tracks, rooms, day labels) */
	int ncats;
	int64_t days[BROWSE_DAYS_MAX]; /* starts of conference days with sessions */
	int ndays;
	store_session *list;
	int nlist;
	browse_row *rows;
	int nrows;
	char query[BROWSE_QUERY_MAX];
	keyboard kb;
	ui_scroll scroll;
	int pressed_row;       /* row under a finger that may become a tap; -1 none */
	ui_tap tabs[TAB_COUNT], back, crumb;

	/* detail */
	int detail;            /* 1: showing cur */
	int detail_direct;     /* opened straight from welcome: Back closes the browser */
	store_session cur;
	int room;              /* cur's room in venue, -1 */
	int floor;             /* floor shown on the map */
	int floors[16], nfloors;
	ui_tap floor_taps[16], detail_back;
	char abstract[STORE_ABSTRACT_MAX]; /* cur's abstract, read once at detail_open */
	ui_scroll detail_scroll; /* the text column: title, time, place, route, abstract */
	ui_tap detail_up, detail_down; /* its scroll buttons, shown when it overflows */
	int detail_measured_w; /* the text column's width when its height was last measured */
};

/* session_detail.c */
void detail_open(browse *b, const store_session *s);
enum browse_action detail_pointer(browse *b, const ui_pointer *p);
void detail_draw(browse *b, ui *u, const screen_theme *t, const screen_metrics *m, int64_t now);
int detail_update(browse *b, float dt); /* 1 while the text column still moves */

/* shared formatting (sessions.c) */
void browse_format_when(char *out, size_t size, const store_session *s, int64_t now, int with_day);

/* the browser's data and list (sessions.c) */
void browse_reload(browse *b);  /* list[] and rows[] for the tab, category and query */
void browse_set_tab(browse *b, enum browse_tab tab);
void browse_draw_list(browse *b, ui *u, const screen_theme *t, const screen_metrics *m,
		      SDL_Rect v, int64_t now);

#endif
