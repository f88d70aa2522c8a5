/* The operator's admin screen, behind a PIN: kiosk health at a glance (reader state and last
 * error, check-ins today and in total, unique attendees, today's check-ins per hour, last USB
 * sync and its result, free space on the data partition, software version) and the actions
 * an operator needs on a kiosk without network or keyboard: sync now, dim/wake, set the wall
 * clock, back to attract. It is reached by a long press on a screen corner (admin/
 * corner_press.h, fed by the app on the attract screen) and times out back to attract.
 */
#ifndef KITH_ADMIN_SCREEN_H
#define KITH_ADMIN_SCREEN_H

#include <stdint.h>

#include "screens/screens.h"
#include "store/store.h"

#define ADMIN_IDLE_MS 60000 /* no touch for this long: back to attract */

typedef struct admin_screen admin_screen;

/* What the app knows and the database does not; set whenever it changes. */
/* The last USB sync and its result are read from the database (meta usb_last_sync*, noted
 * by the sync module), so they are right even after a restart. */
typedef struct admin_status {
	char reader[48];             /* reader state, e.g. "ready", "absent" */
	char reader_error[160];      /* what is wrong now; "" when it works (the screen keeps the
					last one, with its time) */
} admin_status;

typedef struct admin_hooks {
	int (*sync_now)(void *ctx);         /* sticks queued (>= 0), < 0 sync is off; NULL: off */
	void (*set_dim)(void *ctx, int on); /* dim now (on = 1); a touch wakes. NULL: cannot */
	void *ctx;
} admin_hooks;

enum admin_action {
	ADMIN_NONE,
	ADMIN_CLOSE, /* back to attract (Close, or the idle timeout) */
	ADMIN_STAFF, /* the staff PIN was entered: open staff mode */
};

/* pin: the configured admin PIN (4..12 digits); anything else leaves the screen locked with
 * a note on how to set one. db_path: the database file, for free space. */
admin_screen *admin_screen_new(store *db, const char *pin, const char *db_path,
			       const admin_hooks *hooks);
void admin_screen_free(admin_screen *a);
void admin_screen_open(admin_screen *a, uint64_t now_ms); /* shows the PIN pad */
void admin_screen_set_status(admin_screen *a, const admin_status *st);
const char *admin_screen_name(const admin_screen *a);    /* "admin-pin", "admin", "admin-clock" */

enum admin_action admin_screen_pointer(admin_screen *a, const ui_pointer *p, uint64_t now_ms);
enum admin_action admin_screen_update(admin_screen *a, int64_t now, uint64_t now_ms);
void admin_screen_draw(admin_screen *a, ui *u, const screen_theme *t, const screen_metrics *m,
		       int64_t now, uint64_t now_ms);

#endif
