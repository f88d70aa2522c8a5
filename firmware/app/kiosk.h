/* The kiosk's state and its per-frame steps, owned by main() and run on the SDL thread.
 *
 * kiosk_event() takes one SDL event (input, reader state, tap results from the worker),
 * kiosk_update() advances timers (idle timeout, dim, animations) and kiosk_draw() draws one
 * frame; the screens get theirs through the router (screens/router.h). Check-in storage is
 * the worker's and the reader is its own thread; the only reads on this thread are the
 * session browser's and the admin screen's, through browse_db (bound: `make bench`, rows
 * "cold read: ...").
 */
#ifndef KITH_APP_KIOSK_H
#define KITH_APP_KIOSK_H

#include <stdint.h>

#include "admin/corner_press.h"
#include "app/config.h"
#include "app/events.h"
#include "app/sync_link.h"
#include "app/worker.h"
#include "nfc/reader.h"
#include "sync/lan_sync.h"
#include "screens/router.h"
#include "screens/screens.h"
#include "screens/still_there.h"
#include "ui/ui.h"
#include "ui/ui_audio.h"
#include "ui/ui_speech.h"

#define KIOSK_DEMO_BADGES 9

typedef struct kiosk_demo_badge {
	char key;              /* '1'..'9' */
	char uid_hex[24];      /* what pn532-sim presents */
	char text[64];         /* NDEF text (attendee id) or "" for UID-only */
	char label[96];        /* legend line, e.g. "Ana Lima (unset visibility)" */
} kiosk_demo_badge;

typedef struct kiosk {
	kiosk_config cfg;              /* flags + config file */
	screen_theme theme;
	ui *ui;
	kiosk_events events;
	worker *worker;                /* owns the store connection */
	reader *reader;
	sync_link *sync;               /* USB sync (--usb-dir), NULL without */
	sync_overlay sync_overlay;     /* its card over the screens */
	lan_sync *lan;                 /* LAN sync (lan_dir), NULL without */
	lan_status lan_status;         /* its last status, lent to the screens */

	char conference[128];          /* meta: the conference name */
	screen_state screen;           /* current screen and its widgets */
	screen_tap *tap;               /* data of the last tap (owned), NULL on attract */
	int consent_pending;           /* consent asked; answer not given yet */
	unsigned taps_shown;           /* tap results shown (scene 'taps' line, for tests) */

	enum reader_state reader_state;
	char reader_detail[128];
	int reader_seen_ready;         /* banner only after the first failure or long absence */
	uint64_t started_ns;

	uint64_t last_activity_ns;     /* last touch or badge */
	float dim;                     /* 0 awake .. 1 dimmed (animated) */
	int swallow_until_up;          /* a touch woke the screen: it must not also act */
	int dirty;                     /* something changed: draw a frame */
	uint64_t last_frame_ns;

	int timing;                    /* KITH_TIMING=1: log timing lines */
	int bench_scroll;              /* KITH_BENCH_SCROLL=1: scroll the session list forever */
	uint64_t pending_tap_ns;       /* badge detection time awaiting its first frame */
	long long t0_realtime_ns;      /* KITH_T0_NS: launch time for the cold-start figure */
	int attract_presented;
	int warmed;                    /* the warm-up draw has run */

	int demo_fd;                   /* demo: FIFO into pn532-sim's stdin, or -1 */
	kiosk_demo_badge demo[KIOSK_DEMO_BADGES];
	int ndemo;
	uint64_t demo_remove_ns;       /* when to lift the presented demo badge (0 = none) */

	store *browse_db;              /* the SDL thread's read-only connection (browser, admin) */
	corner_press corner;           /* a long press on a corner of attract opens admin */
	enum screen_id browse_from;    /* where the browser's Back returns to */
	still_there still;             /* "Still there?" over a browsing screen before attract */
	int still_s;                   /* its warning, s (STILL_THERE_S; KITH_STILL_THERE_S) */

	ui_audio *audio;               /* the tones' and speech's device (never NULL after init) */
	ui_speech *speech;             /* the speech thread, started at the first "Read aloud" */
	int tone_queued;               /* a tap's tone was just queued: speech goes after it */
	uint64_t spoken_shown_ns;      /* shown_ns of the screen last read aloud */
	char spoken_view[32];          /* and its view (the browser's list or detail) */
} kiosk;

/* Everything after config and window: theme, events. main() starts worker and reader. */
int kiosk_init(kiosk *k);
void kiosk_event(kiosk *k, const SDL_Event *ev);
/* Returns 1 when frames should keep coming (animation), 0 when idle. */
int kiosk_update(kiosk *k, uint64_t now_ns);
void kiosk_draw(kiosk *k, uint64_t now_ns);
void kiosk_cleanup(kiosk *k);

/* Demo mode (app/demo.c): legend and keys feeding pn532-sim. */
int demo_open(kiosk *k);
void demo_key(kiosk *k, SDL_Keycode key, uint64_t now_ns);
void demo_update(kiosk *k, uint64_t now_ns);
int demo_legend_width(const kiosk *k);
void demo_legend_draw(kiosk *k, SDL_Rect r);
void demo_close(kiosk *k);

#endif
