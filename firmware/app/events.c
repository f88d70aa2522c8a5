/* SDL user events between threads; see events.h. */
#include "app/events.h"

#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "common/util.h"

int events_register(kiosk_events *e)
{
	Uint32 base = SDL_RegisterEvents(KIOSK_EV_COUNT);
	if (base == (Uint32)-1) {
		log_error("events: SDL has no user event types left");
		return -1;
	}
	e->base = base;
	return 0;
}

int events_post(const kiosk_events *e, enum kiosk_event which, int code, void *data1)
{
	SDL_Event ev;
	memset(&ev, 0, sizeof ev);
	ev.type = e->base + (Uint32)which;
	ev.user.code = code;
	ev.user.data1 = data1;
	if (SDL_PushEvent(&ev) != 1) {
		free(data1);
		return -1;
	}
	return 0;
}

int events_which(const kiosk_events *e, const SDL_Event *ev)
{
	if (ev->type < e->base || ev->type >= e->base + KIOSK_EV_COUNT)
		return -1;
	return (int)(ev->type - e->base);
}

void events_post_reader_state(const kiosk_events *e, enum reader_state state, const char *detail)
{
	if (events_post(e, KIOSK_EV_READER, (int)state, detail ? xstrdup(detail) : NULL) < 0)
		log_error("events: lost a reader state change (%s)", SDL_GetError());
}

void events_drain(const kiosk_events *e)
{
	SDL_Event ev;
	while (SDL_PeepEvents(&ev, 1, SDL_GETEVENT, e->base, e->base + KIOSK_EV_COUNT - 1) == 1)
		free(ev.user.data1);
}
