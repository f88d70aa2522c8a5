/* Staff mode (screens/staff.c): what the staff screen asks of the store worker and what comes
 * back. The screen never writes: a check-in on someone's behalf and a card binding are worker
 * jobs (the worker is the only writer of check-ins), and capturing "the next card tapped" is
 * a flag the worker reads for each badge in order, so a badge is either captured or checked
 * in, never both. Results come back as KIOSK_EV_STAFF events, which the app hands to
 * staff_screen_result.
 */
#ifndef KITH_STAFF_H
#define KITH_STAFF_H

#include <stdint.h>

#include "screens/screens.h"
#include "store/store.h"

#define STAFF_IDLE_MS 60000    /* like admin: no touch for this long, back to attract */
#define STAFF_CAPTURE_MS 15000 /* waiting for the new card at most this long (under the
				 * default idle_timeout of 20 s, so its own message shows) */

enum staff_job_kind {
	STAFF_JOB_CHECKIN,        /* check attendee_id in on their behalf */
	STAFF_JOB_CAPTURE,        /* the next card tapped (detected after now) is not a check-in */
	STAFF_JOB_CAPTURE_CANCEL, /* stop waiting for a card */
	STAFF_JOB_BIND,           /* bind uid_hex to attendee_id (revoke_old: revoke their others) */
};

typedef struct staff_job {
	enum staff_job_kind kind;
	char attendee_id[STORE_ID_MAX];
	char name[STORE_NAME_MAX]; /* for the log line: whom */
	char uid_hex[24];          /* STAFF_JOB_BIND */
	int revoke_old;            /* STAFF_JOB_BIND */
	uint64_t until_ns;         /* STAFF_JOB_CAPTURE: time_mono_ns() deadline */
} staff_job;

enum staff_result_kind {
	STAFF_RESULT_CHECKED_IN, /* committed (tap.repeat: already inside the repeat window) */
	STAFF_RESULT_CAPTURED,   /* a card was tapped: uid_hex, and holder if it is bound */
	STAFF_RESULT_BOUND,      /* uid_hex bound to attendee_id; revoked other cards revoked */
	STAFF_RESULT_FAILED,     /* message says why; nothing changed */
};

typedef struct staff_result {
	enum staff_result_kind kind;
	char attendee_id[STORE_ID_MAX];
	char uid_hex[24];
	int has_holder;          /* CAPTURED: the card is someone's already */
	store_attendee holder;
	store_tap tap;           /* CHECKED_IN */
	int revoked;             /* BOUND */
	char message[200];       /* FAILED */
} staff_result;

/* The app hands the worker's answer to the staff screen's state (self from screen_state). */
void staff_screen_result(void *self, const staff_result *r);

#endif
