/* Private to the admin screen (screens/admin.c, admin_clock.c): its state. */
#ifndef KITH_ADMIN_INT_H
#define KITH_ADMIN_INT_H

#include "admin/pin_gate.h"
#include "common/sign.h"
#include "screens/admin.h"
#include "sync/lan_sync.h"

#define PIN_KEYS 12

enum admin_view { VIEW_PIN, VIEW_BOARD, VIEW_CLOCK, VIEW_TRUST };
#define TRUST_PAIR_MAX 3   /* kept-aside kiosks offered for pairing at once */
#define TRUST_REASONS 4    /* badge refusal reasons counted (app/badge_check.h) */
enum clock_field { CF_DAY, CF_HOUR, CF_MIN, CF_COUNT };

struct admin_screen {
	store *db;
	char *db_path;
	pin_gate *gate;
	admin_hooks hooks;
	admin_status status;
	char last_error[200];      /* the reader's last error with its time; kept after recovery */

	enum admin_view view;
	uint64_t last_touch_ms;   /* for the idle timeout */
	char entered[PIN_GATE_MAX_DIGITS + 1];
	char message[160];        /* feedback under the pad or the board's actions */
	ui_tap keys[PIN_KEYS], cancel;

	int64_t sync_when;         /* meta usb_last_sync; 0 = never */
	char sync_result[240];     /* "ok: ...", "stick full: ..." */
	store_stats stats;
	int64_t hours[24];
	int have_stats;
	uint64_t refreshed_ms;
	uint64_t free_bytes, total_bytes;
	ui_tap close, sync, dim, clock;

	uint64_t tick_ns;         /* the last update: the views redraw once a second */

	const lan_status *lan;    /* LAN sync's peers (the app's), NULL without lan_dir */

	int64_t clock_value;      /* the time being set, UTC epoch */
	ui_tap plus[CF_COUNT], minus[CF_COUNT], clock_set, clock_cancel;

	/* Signatures view (admin_trust.c), read from meta with the board's refresh. */
	char trust_key[SIGN_FINGERPRINT_MAX];     /* the conference key's fingerprint; "" none */
	char trust_offered[SIGN_FINGERPRINT_MAX]; /* a refused bundle's key; "" none */
	char trust_policy[32];                    /* badge_policy as the kiosk applies it */
	int64_t refused[TRUST_REASONS];           /* badge refusals by reason */
	int npair;                                /* kept-aside kiosks in pair_ids */
	char pair_ids[TRUST_PAIR_MAX][STORE_ID_MAX];
	char pair_fp[TRUST_PAIR_MAX][SIGN_FINGERPRINT_MAX];
	ui_tap trust, trust_back, trust_accept, pair[TRUST_PAIR_MAX];
};


/* The LAN peers list (admin_peers.c): one line per peer kiosk within r. */
void admin_peers_draw(ui *u, const screen_theme *t, const screen_metrics *m, SDL_Rect r,
		      const lan_status *lan, int64_t now);

/* Setting the clock (admin_clock.c). */
enum admin_action admin_clock_pointer(admin_screen *a, const ui_pointer *p);
void admin_clock_draw(admin_screen *a, ui *u, const screen_theme *t, const screen_metrics *m);

/* Keys, badge refusals and pairing (admin_trust.c). */
void admin_trust_refresh(admin_screen *a);
enum admin_action admin_trust_pointer(admin_screen *a, const ui_pointer *p);
void admin_trust_draw(admin_screen *a, ui *u, const screen_theme *t, const screen_metrics *m);

#endif
