/* Event plumbing: the one way any thread talks to the SDL thread.
 *
 * SDL_PushEvent is thread-safe; the payload (data1) is a heap block (or NULL) that the SDL thread
 * frees after handling it, and events_drain frees whatever is left at exit. Three threads post
 * here: the reader (its state), the store worker (tap results), the USB sync worker (its
 * progress) and the LAN sync thread (arrivals, peer status). Badges do not pass through here: the reader hands them to the worker directly.
 */
#ifndef KITH_APP_EVENTS_H
#define KITH_APP_EVENTS_H

#include <SDL.h>

#include "nfc/reader.h"

enum kiosk_event {
	KIOSK_EV_READER, /* code: enum reader_state; data1: char* detail (free) or NULL */
	KIOSK_EV_TAP,    /* data1: screen_tap* (free), posted after the check-in is committed */
	KIOSK_EV_SYNC,   /* data1: the sync link's progress report (free) */
	KIOSK_EV_STAFF,  /* data1: staff_result* (free), the worker's answer to a staff job */
	KIOSK_EV_LAN,    /* code: 1 check-ins arrived from peers, 0 peer status changed; no data1 */
	KIOSK_EV_COLLEAGUES, /* data1: screen_tap* (free) with fresh colleagues, from the worker */
	KIOSK_EV_COUNT,
};

typedef struct kiosk_events {
	Uint32 base; /* first SDL user event type, from SDL_RegisterEvents; set before any thread */
} kiosk_events;

int events_register(kiosk_events *e); /* 0, or -1 when SDL has no event types left */
/* Posts one event; on failure frees data1 and returns -1 (quiet: the caller knows whether
 * losing it matters). Any thread. */
int events_post(const kiosk_events *e, enum kiosk_event which, int code, void *data1);
/* Which kiosk event ev is, or -1 for any other SDL event. */
int events_which(const kiosk_events *e, const SDL_Event *ev);
/* Posts a reader state change as KIOSK_EV_READER (copies detail). Any thread. */
void events_post_reader_state(const kiosk_events *e, enum reader_state state, const char *detail);
/* At exit, after every posting thread has stopped: frees the payloads still queued. */
void events_drain(const kiosk_events *e);

#endif
