/* SDL glue for USB sync (see sync_link.h). The progress callback runs on the sync worker: it
 * copies the report (its strings die with the callback) into a heap block and posts it as
 * KIOSK_EV_SYNC; the SDL thread takes it in sync_link_event and frees it.
 */
#include "app/sync_link.h"
#include "app/watchdog.h"
#include "common/log.h"
#include "common/util.h"

#include <stdlib.h>
#include <string.h>

struct sync_link {
	const kiosk_events *events; /* where progress goes; set before the sync threads start */
	usb_sync *sync;
};

typedef struct report {
	usb_sync_progress p;  /* stick and message point into the fields below */
	char stick[4096];
	char message[512];
} report;

static void on_progress(void *ctx, const usb_sync_progress *p)
{
	sync_link *l = ctx;
	report *r = xcalloc(1, sizeof(*r));

	r->p = *p;
	str_copy_utf8(r->stick, sizeof(r->stick), p->stick ? p->stick : "");
	str_copy_utf8(r->message, sizeof(r->message), p->message ? p->message : "");
	r->p.stick = r->stick;
	r->p.message = r->message;
	/* Queue full: the next report carries the news; only the last one must arrive. */
	if (events_post(l->events, KIOSK_EV_SYNC, 0, r) < 0 && p->finished)
		log_warn("usb: could not post the sync result: %s", SDL_GetError());
}

int sync_link_start(sync_link **out, const usb_sync_config *cfg, const kiosk_events *events)
{
	sync_link *l = xcalloc(1, sizeof(*l));
	usb_sync_callbacks cb = { .progress = on_progress, .ctx = l };

	*out = NULL;
	l->events = events;
	if (usb_sync_start(&l->sync, cfg, &cb) < 0) {
		free(l);
		return -1;
	}
	*out = l;
	return 0;
}

int sync_link_event(sync_link *l, const SDL_Event *ev, sync_overlay *o, uint64_t now_ns)
{
	report *r;
	if (l == NULL || events_which(l->events, ev) != KIOSK_EV_SYNC)
		return 0;
	r = ev->user.data1;
	sync_overlay_update(o, &r->p, now_ns);
	if (r->p.finished && r->p.error != USB_SYNC_EGONE && r->p.error != USB_SYNC_EIO)
		watchdog_eject(r->stick); /* the image unmounts it: pulling it now is harmless */
	free(r);
	return 1;
}

int sync_link_request(sync_link *l)
{
	return l != NULL ? usb_sync_request(l->sync) : 0;
}

void sync_link_stop(sync_link *l)
{
	if (l == NULL)
		return;
	usb_sync_stop(l->sync); /* reports still queued are freed by events_drain */
	free(l);
}
