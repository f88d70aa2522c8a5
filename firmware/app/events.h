/* Event plumbing: worker threads talk to the SDL thread only through SDL user events.
 *
 * SDL_PushEvent is thread-safe; the payload (data1) is a heap block the receiving side frees.
 * The reader's callbacks (reader thread) and the store worker's results arrive this way, so the
 * SDL thread never waits for a reader or a disk.
 */
#ifndef KITH_APP_EVENTS_H
#define KITH_APP_EVENTS_H

#include <SDL.h>

#include "nfc/reader.h"

enum kiosk_event {
	KIOSK_EV_BADGE,  /* data1: reader_badge* (free) */
	KIOSK_EV_READER, /* code: enum reader_state; data1: char* detail (free) or NULL */
	KIOSK_EV_TAP,    /* data1: screen_tap* (free), the store worker's answer to a badge */
	KIOSK_EV_COUNT,
};

typedef struct kiosk_events {
	Uint32 base; /* first SDL user event type, from SDL_RegisterEvents */
} kiosk_events;

int events_register(kiosk_events *e); /* 0, or -1 when SDL has no event types left */
/* Posts one event; on failure frees data1 and returns -1. Any thread. */
int events_post(const kiosk_events *e, enum kiosk_event which, int code, void *data1);
/* Which kiosk event ev is, or -1 for any other SDL event. */
int events_which(const kiosk_events *e, const SDL_Event *ev);
/* Reader callbacks that post KIOSK_EV_BADGE / KIOSK_EV_READER; ctx = the kiosk_events. */
reader_callbacks events_reader_callbacks(kiosk_events *e);

#endif
