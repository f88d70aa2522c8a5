/* The USB sync overlay: a card over whatever screen is showing while a stick syncs — a bar,
 * counts, and at the end "Safe to remove" or what went wrong in plain words.
 * Plain data in (usb_sync_progress copies, handed over by app/sync_link.c); drawn with the ui
 * toolkit on the SDL thread. Knows nothing of threads or SQLite.
 */
#ifndef KITH_SYNC_OVERLAY_H
#define KITH_SYNC_OVERLAY_H

#include <stdint.h>

#include "screens/screens.h"
#include "sync/usb_sync.h"

#define SYNC_OVERLAY_OK_NS (20ull * 1000000000ull)   /* "safe to remove" stays this long */
#define SYNC_OVERLAY_ERR_NS (90ull * 1000000000ull)  /* a problem stays longer (or a tap) */

typedef struct sync_overlay {
	int visible;             /* drawn this frame */
	enum usb_sync_stage stage;
	int64_t done, total;     /* within the stage */
	char message[512];       /* latest line from the sync */
	int finished;            /* the sync ended */
	int error;               /* enum usb_sync_error, with finished */
	uint64_t changed_ns;     /* when the last report came (hide timer, entrance) */
	ui_tap dismiss;          /* the whole card: a tap hides a finished overlay */
} sync_overlay;

/* Takes one progress report (copied; p's strings need not outlive the call). */
void sync_overlay_update(sync_overlay *o, const usb_sync_progress *p, uint64_t now_ns);
/* Routes a pointer event while visible; returns 1 when it was used (the screen under the
 * overlay must not also act on it). */
int sync_overlay_pointer(sync_overlay *o, const ui_pointer *p);
/* Hides a finished overlay when its time is up; returns 1 while visible (keep drawing). */
int sync_overlay_tick(sync_overlay *o, uint64_t now_ns);
void sync_overlay_draw(sync_overlay *o, ui *u, const screen_theme *t, const screen_metrics *m);

#endif
