/* Screens: what the kiosk shows, drawn every frame from plain data with the ui toolkit.
 *
 * A screen knows nothing of SQLite, libnfc or threads: the app hands it the data of one tap (a
 * screen_tap, filled by the store worker) and asks it to draw into an area; taps on its buttons
 * come back as screen_action values. Sizes come from screen_metrics, computed from the area, so
 * the same code fits 800x480 through 1920x1080, landscape or portrait.
 */
#ifndef KITH_SCREENS_H
#define KITH_SCREENS_H

#include <stdint.h>

#include "store/store.h"
#include "ui/ui.h"

/* ---- Theme (assets/theme/kith.theme) ------------------------------------------------------- */
typedef struct screen_theme {
	SDL_Color background; /* behind everything */
	SDL_Color surface;    /* cards */
	SDL_Color pressed;    /* a card or button under a finger */
	SDL_Color text;       /* primary text */
	SDL_Color muted;      /* secondary text */
	SDL_Color accent;     /* headings, times, the attract animation */
	SDL_Color ok;         /* "Checked in" */
	SDL_Color again;      /* "Welcome back" */
	SDL_Color warn;       /* reader banner, unknown badge */
	SDL_Color button;     /* primary button fill */
	SDL_Color button_text;
} screen_theme;

void screen_theme_default(screen_theme *t);
/* Sets one "key = #RRGGBB" entry; returns 0, or -1 for an unknown key or bad colour. */
int screen_theme_set(screen_theme *t, const char *key, const char *value);

/* ---- Metrics from the area's size ---------------------------------------------------------- */
typedef struct screen_metrics {
	SDL_Rect area;  /* where screens draw (the window minus the demo legend) */
	int portrait;   /* taller than wide */
	float s;        /* scale: 1.0 at 800x480 */
	int margin, gap, pad, radius;
	int px_name, px_title, px_body, px_small, px_label; /* type scale */
	int touch;      /* minimum touch target side */
} screen_metrics;

void screen_metrics_compute(screen_metrics *m, SDL_Rect area);

/* ---- Data of one tap ------------------------------------------------------------------------- */
#define SCREEN_GROUPS_MAX 8
#define SCREEN_SESSIONS_MAX 48

enum screen_tap_kind {
	SCREEN_TAP_KNOWN,   /* checked in (or a repeat inside the window) */
	SCREEN_TAP_UNKNOWN, /* badge not in the roster */
	SCREEN_TAP_ERROR,   /* storage failed: nothing was confirmed */
};

typedef struct screen_tap {
	enum screen_tap_kind kind;
	store_attendee attendee;
	store_tap tap;
	int ngroups;
	store_group_colleagues groups[SCREEN_GROUPS_MAX];
	int nsessions;
	store_session sessions[SCREEN_SESSIONS_MAX];
	char uid_hex[24];       /* the badge UID, for the unknown screen and the log */
	uint64_t detected_ns;   /* when the reader saw the badge (tap-to-frame timing) */
} screen_tap;

/* ---- Screens --------------------------------------------------------------------------------- */
enum screen_id {
	SCREEN_ATTRACT,
	SCREEN_WELCOME,
	SCREEN_CONSENT,
	SCREEN_UNKNOWN,
	SCREEN_ERROR,
	SCREEN_SESSIONS, /* session browser and detail (screens/sessions.h) */
	SCREEN_ADMIN,    /* operator screen behind a PIN (screens/admin.h) */
};

enum screen_action {
	SCREEN_ACTION_NONE,
	SCREEN_ACTION_DONE, /* "Done": back to attract now */
	SCREEN_ACTION_YES,  /* consent: show me */
	SCREEN_ACTION_NO,   /* consent: do not show me */
	SCREEN_ACTION_SESSIONS, /* "Sessions & map": open the session browser */
	SCREEN_ACTION_SESSION,  /* welcome: a session row was tapped (picked_session) */
};

typedef struct screen_state {
	enum screen_id id;
	const screen_tap *tap;   /* data for welcome/consent/unknown (owned by the app) */
	uint64_t shown_ns;       /* when this screen appeared (entrance animation) */
	int entrance_ended;      /* the frame after the entrance animation has been asked for */
	const char *conference;  /* conference name from the database meta */
	const char *location;    /* this kiosk's location */
	int64_t now;             /* wall clock, for times and "upcoming" */
	ui_tap done, yes, no;    /* buttons, rects set while drawing */
	ui_scroll sessions;      /* the welcome screen's session list */
	ui_tap browse;           /* "Sessions & map" button (attract, welcome) */
	int session_row_h;       /* welcome: height of a session row, set while drawing */
	int picked_session;      /* welcome: index of the tapped session row */
} screen_state;

const char *screen_name(enum screen_id id);
/* Routes one pointer event to the current screen's widgets. */
enum screen_action screen_pointer(screen_state *st, const ui_pointer *p);
/* Entrance animations (the welcome name fading in) last at most this long. */
#define SCREEN_ENTRANCE_NS 600000000ULL

/* Advances animations; returns 1 while something moves (the app keeps drawing frames). */
int screen_update(screen_state *st, float dt, uint64_t now_ns);
void screen_draw(ui *u, screen_state *st, const screen_theme *t, const screen_metrics *m,
		 uint64_t now_ns);

/* Overlays drawn over any screen. */
/* The reader banner: a strip of screen_banner_height at the top of the window; the app gives
 * the screens the area below it, so nothing hides under it. */
int screen_banner_height(ui *u, const screen_metrics *m);
void screen_banner_draw(ui *u, const screen_theme *t, const screen_metrics *m, SDL_Rect r,
			const char *title, const char *detail);

/* Shared drawing helpers (screens/common.c). */
void screen_button(ui *u, const screen_theme *t, const screen_metrics *m, ui_tap *tap,
		   SDL_Rect r, const char *label, int primary);
void screen_clock(char *buf, size_t size, int64_t when); /* "14:05" local time */

#endif
