/* Screens: what the kiosk shows, drawn every frame from plain data with the ui toolkit.
 *
 * A screen knows nothing of libnfc or threads. The tap screens (attract, welcome, consent,
 * unknown, error) know nothing of SQLite either: the app hands them the data of one tap (a
 * screen_tap, filled by the store worker). The session browser and the admin screen do read:
 * through the SDL thread's read-only connection (screen_env.db) they query sessions, tracks,
 * days and the venue (sessions.c, session_detail.c), counts, per-hour check-ins and sync
 * meta, plus statvfs on the data partition (admin.c), and pages of colleagues (colleagues.c),
 * when a tab, category, query, the board's 2 s refresh or a scroll asks, never per frame. WAL readers never wait for the check-in writer,
 * but a read can wait for the disk: `make bench` measures each of these reads on a cold page
 * cache (rows "cold read: ..."); see docs/CONTRACT.md "Screens".
 *
 * Each screen is a row of screen_ops (below; one row per screen in screen_list.h) and the
 * router (router.h) sends it input, updates and draws; taps on its buttons come back as
 * screen_action values for the app to act on. Sizes come from screen_metrics, computed from
 * the area, so the same code fits 800x480 through 1920x1080, landscape or portrait.
 */
#ifndef KITH_SCREENS_H
#define KITH_SCREENS_H

#include <stdint.h>

#include "store/store.h"
#include "sync/lan_sync.h"
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
	SDL_Color outline;    /* the edge of a control whose fill is too close to what is around it */
} screen_theme;

void screen_theme_default(screen_theme *t);
/* Sets one "key = #RRGGBB" entry; returns 0, or -1 for an unknown key or bad colour. */
int screen_theme_set(screen_theme *t, const char *key, const char *value);
/* The theme file's key for a colour at offsetof(screen_theme, ...), "?" for none. */
const char *screen_theme_key(size_t off);

/* ---- Metrics from the area's size ---------------------------------------------------------- */
typedef struct screen_metrics {
	SDL_Rect area;  /* where screens draw (the window minus the demo legend) */
	int portrait;   /* taller than wide */
	float s;        /* scale: 1.0 at 800x480 */
	int margin, gap, pad, radius;
	int px_name, px_title, px_body, px_small, px_label; /* type scale */
	int touch;      /* minimum touch target side */
	int bar_h;      /* top bars, tab rows, the search field and admin's action buttons */
	int bar_button_w; /* the button on the left of a top bar */
	int back_w;     /* the browser's Back beside the tabs (landscape) */
	int chip_h;     /* small buttons: breadcrumbs, floor chips, "All sessions" */
	int chip_w_max; /* a floor chip at most */
	int time_w;     /* the time column of a session row */
	int wide_button_w; /* a lone centred action ("Set clock") */
	float px_per_mm;  /* the panel's pixel density (display_diagonal) */
	int target_min;   /* a touch target's shortest side: 9.6 mm in pixels */
	int target_gap;   /* the space between two touch targets: 2.5 mm in pixels */
} screen_metrics;

void screen_metrics_compute(screen_metrics *m, SDL_Rect area);
/* The physical rule (docs/CONTRACT.md "Touch targets"): with the display's whole logical size
 * and its diagonal in inches, sets px_per_mm, target_min and target_gap and raises touch,
 * bar_h and chip_h to target_min. compute() assumes a 7" panel of the area's size. */
void screen_metrics_physical(screen_metrics *m, int display_w, int display_h, double diagonal_in);

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

/* ---- What stops the kiosk at start-up (the fault screen, app/startup.c) -------------------- */
typedef struct screen_fault {
	const char *title;  /* for the operator, e.g. "Storage full: see the admin guide" */
	const char *body;   /* what the kiosk does meanwhile */
	const char *detail; /* the reason, or the refused config lines: one a line, small text */
	unsigned tries;     /* attempts so far: the scene's "tries" note, for tests */
} screen_fault;

/* ---- Screens --------------------------------------------------------------------------------- */
enum screen_id {
#define SCREEN(id, name) SCREEN_##id,
#include "screens/screen_list.h"
#undef SCREEN
	SCREEN_COUNT
};

enum screen_action {
	SCREEN_ACTION_NONE,
	SCREEN_ACTION_DONE, /* "Done", "Close" or a screen's own timeout: back to attract now */
	SCREEN_ACTION_YES,  /* consent: show me */
	SCREEN_ACTION_NO,   /* consent: do not show me */
	SCREEN_ACTION_SESSIONS, /* "Sessions & map": open the session browser */
	SCREEN_ACTION_SESSION,  /* welcome: a session row was tapped (picked_session) */
	SCREEN_ACTION_BACK,     /* the browser's Back: to the screen it was opened from */
	SCREEN_ACTION_COLLEAGUES, /* welcome: a group's "+N more" (picked_group): all colleagues */
	SCREEN_ACTION_GROUPS,     /* welcome: "+N more groups": all of the attendee's groups */
	SCREEN_ACTION_STAFF,    /* admin's PIN pad took the staff PIN: open staff mode */
	SCREEN_ACTION_SPEECH,   /* attract's accessibility button: speech on (or off) */
};

struct staff_job;

/* What the app lends the screens once, at start-up (screen_open_all); copied by those that keep
 * it. */
typedef struct screen_env {
	store *db;               /* the UI thread's read-only connection; NULL: browser and admin off */
	const char *location;    /* this kiosk's --location ("you are here") */
	const char *db_path;     /* the database file (admin: free space on its partition) */
	const char *admin_pin;   /* the configured admin PIN, or NULL */
	const char *staff_pin;   /* the configured staff PIN, or NULL (same pad; staff.c) */
	/* staff mode's jobs for the store worker (screens/staff.h); NULL: staff mode off */
	int (*staff_job)(void *ctx, const struct staff_job *job);
	int (*sync_now)(void *ctx);         /* admin: sync sticks now (see admin_hooks) */
	void (*set_dim)(void *ctx, int on); /* admin: dim the screen now */
	void *ctx;               /* for sync_now and set_dim: the app */
} screen_env;

typedef struct screen_state {
	enum screen_id id;
	const screen_tap *tap;   /* data for welcome/consent/unknown (owned by the app) */
	uint64_t shown_ns;       /* when this screen appeared (entrance animation) */
	int entrance_ended;      /* the frame after the entrance animation has been asked for */
	const char *conference;  /* conference name from the database meta */
	const char *location;    /* this kiosk's location */
	int64_t now;             /* wall clock, for times and "upcoming" */
	const char *reader;      /* the reader's state name ("ready"), for admin */
	const char *reader_error; /* what is wrong with the reader now; "" when it works */
	const screen_fault *fault; /* the fault screen's message (owned by the app) */
	const lan_status *lan;   /* LAN sync peers (owned by the app); NULL without lan_dir */
	ui_tap done, yes, no;    /* buttons, rects set while drawing */
	ui_scroll sessions;      /* the welcome screen's session list */
	ui_tap browse;           /* "Sessions & map" button (attract, welcome) */
	ui_tap speak;            /* attract's accessibility button (speech on request) */
	int speech_on;           /* speech is on for this visitor (the button says so) */
	int session_row_h;       /* welcome: height of a session row, set while drawing */
	int picked_session;      /* welcome: index of the tapped session row */
	ui_tap more[SCREEN_GROUPS_MAX]; /* welcome: each group card's "+N more" (rects set drawing) */
	ui_tap more_groups;      /* welcome: "+N more groups" */
	int picked_group;        /* welcome: index of the group whose "+N more" was tapped */
	void *self[SCREEN_COUNT]; /* each screen's private state from its open hook (router.c) */
} screen_state;

/* One screen's behaviour: its row in the router's table (screens/router.c, screen_list.h).
 * self is the screen's private state (what open returned; NULL for the screens that keep
 * everything in screen_state). Every hook but draw may be NULL. What most screens leave behind
 * is the app's tap data and the widgets, which the app resets; a screen that loads personal
 * data itself (the colleague lists) drops it in its leave hook. */
typedef struct screen_ops {
	const char *name;  /* the scene and log name */
	/* Once at start-up; returns the private state, or NULL: the screen is off (no database). */
	void *(*open)(const screen_env *env);
	void (*close)(void *self);
	const char *(*view)(const void *self); /* the view shown, for screens with several */
	/* Before the app shows it; what: which item to open (the browser: a session id), NULL for
	 * the screen's start. Returns 0, or -1 when there is nothing to show (the app stays). */
	int (*enter)(void *self, screen_state *st, const char *what, int64_t now, uint64_t now_ns);
	enum screen_action (*pointer)(void *self, screen_state *st, const ui_pointer *p,
				      uint64_t now_ns);
	/* Keyboard: typed text and key presses. A screen with a text hook takes every key. */
	void (*text)(void *self, screen_state *st, const char *utf8);
	void (*key)(void *self, screen_state *st, SDL_Keycode key);
	/* Returns 1 while something moves; may ask for an action (*act) outside a pointer event. */
	int (*update)(void *self, screen_state *st, float dt, uint64_t now_ns,
		      enum screen_action *act);
	void (*draw)(void *self, ui *u, screen_state *st, const screen_theme *t,
		     const screen_metrics *m, uint64_t now_ns);
	/* When the app shows another screen: drop what was loaded for this visitor (names). */
	void (*leave)(void *self);
} screen_ops;

#define SCREEN(id, name) extern const screen_ops screen_##name##_ops;
#include "screens/screen_list.h"
#undef SCREEN

/* Entrance animations (the welcome name fading in) last at most this long. */
#define SCREEN_ENTRANCE_NS 600000000ULL

/* ---- Widgets (screens/common.c) ------------------------------------------------------------ */
/* The reader banner: a strip of screen_banner_height at the top of the window; the app gives
 * the screens the area below it, so nothing hides under it. */
int screen_banner_height(ui *u, const screen_metrics *m);
void screen_banner_draw(ui *u, const screen_theme *t, const screen_metrics *m, SDL_Rect r,
			const char *title, const char *detail);
void screen_button(ui *u, const screen_theme *t, const screen_metrics *m, ui_tap *tap,
		   SDL_Rect r, const char *label, int primary);
/* A control's shape: fill, with an outline around it when the fill alone stands out from the
 * background by less than 3:1 (WCAG 1.4.11; screens/contrast.h). */
void screen_control(ui *u, const screen_theme *t, const screen_metrics *m, SDL_Rect r,
		    int radius, SDL_Color fill);
void screen_clock(char *buf, size_t size, int64_t when); /* "14:05" local time */

/* The top bar of the browser, the session detail and the admin views. */
typedef struct screen_bar {
	ui_tap *back;            /* the button on the left; its rect is set while drawing */
	const char *back_label;  /* "‹ Back", "Cancel" */
	const char *title;       /* after the button; NULL: none */
	int title_min_px;        /* a long title shrinks down to this size */
	int clock;               /* 1: the clock on the right */
} screen_bar;
/* Draws the bar at the top of m->area; returns its height (m->bar_h). */
int screen_top_bar(ui *u, const screen_theme *t, const screen_metrics *m, const screen_bar *b,
		   int64_t now);

#endif
