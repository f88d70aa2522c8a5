/* The kiosk's end of USB sync: starts the sync module and posts its progress callbacks (on the
 * sync worker thread) as KIOSK_EV_SYNC events (app/events.h), which the SDL thread hands to the
 * overlay. A stick that synced is handed to the image's eject service (watchdog_eject).
 */
#ifndef KITH_APP_SYNC_LINK_H
#define KITH_APP_SYNC_LINK_H

#include <SDL.h>

#include "app/events.h"
#include "screens/sync_overlay.h"
#include "sync/usb_sync.h"

typedef struct sync_link sync_link;

/* Starts watching cfg->usb_dir; progress goes to events (which must outlive the link).
 * 0, or -1 (logged). */
int sync_link_start(sync_link **out, const usb_sync_config *cfg, const kiosk_events *events);
/* If ev is KIOSK_EV_SYNC: updates the overlay, frees the payload, returns 1. Else 0.
 * l may be NULL (no --usb-dir). */
int sync_link_event(sync_link *l, const SDL_Event *ev, sync_overlay *o, uint64_t now_ns);
/* "Sync now" from the admin screen: returns how many sticks were queued. */
int sync_link_request(sync_link *l);
void sync_link_stop(sync_link *l); /* NULL is fine */

#endif
