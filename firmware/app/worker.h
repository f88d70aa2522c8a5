/* The store worker: the thread that owns the kiosk's database connection during the run.
 *
 * The reader thread hands it badges (worker_reader_callbacks) and the SDL thread consent
 * answers; for a badge it looks the attendee up, commits the check-in (durable before anything
 * says "checked in"), logs the tap, gathers the colleagues and sessions to show, and posts
 * KIOSK_EV_TAP with a screen_tap. Jobs run in order; worker_stop lets the job in flight finish,
 * so SIGTERM never tears a write.
 */
#ifndef KITH_APP_WORKER_H
#define KITH_APP_WORKER_H

#include "app/events.h"
#include "nfc/reader.h"
#include "store/store.h"
#include "sync/lan_sync.h"

typedef struct worker worker;

typedef struct worker_params {
	const kiosk_events *events; /* where results go */
	const char *kiosk_id;       /* for the tap log line */
	int timing;                 /* 1: log how long each tap's storage work took */
	lan_sync *lan;              /* poked after each commit (NULL: no LAN sync) */
} worker_params;

/* Takes ownership of db (closed by worker_stop). 0 or -1. */
int worker_start(worker **out, store *db, const worker_params *p);
int worker_submit_badge(worker *w, const reader_badge *badge); /* any thread */
int worker_submit_visible(worker *w, const char *attendee_id, int visible);
struct staff_job;
/* Staff mode (screens/staff.h): a check-in or binding is queued like a badge and answered
 * with KIOSK_EV_STAFF; a capture sets the flag do_badge reads. SDL thread. 0 or -1 (busy). */
int worker_submit_staff(worker *w, const struct staff_job *j);
/* Reads attendee_id's colleagues again (check-ins arrived from other kiosks) and posts them as
 * KIOSK_EV_COLLEAGUES (a screen_tap with attendee.id, ngroups and groups set). */
int worker_submit_colleagues(worker *w, const char *attendee_id);
/* Callbacks for reader_start (ctx = w): badges go straight into w's queue, reader state
 * changes to the SDL thread as KIOSK_EV_READER. w must outlive the reader. */
reader_callbacks worker_reader_callbacks(worker *w);
/* Finishes the job in flight and queued consent answers (queued badges were never
 * acknowledged and are dropped), joins, closes the database. */
void worker_stop(worker *w);

#endif
