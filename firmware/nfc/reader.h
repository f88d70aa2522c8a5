/* The badge reader: a worker thread that owns libnfc and reports badges and reader state.
 *
 * It polls ISO14443A only, reads the UID and only the NDEF pages it needs, and reports one
 * badge per presentation (a card resting on the reader is one event; lift and tap again is a
 * new one). A missing, unplugged or misbehaving reader is retried with backoff. Callbacks run
 * on the reader thread: the kiosk queues badges on its store worker and posts state changes to
 * the SDL thread, tests record them. The module knows nothing of SDL or SQLite.
 */
#ifndef KITH_READER_H
#define KITH_READER_H

#include <stddef.h>
#include <stdint.h>

#include "nfc/ndef.h"

enum reader_state {
	READER_ABSENT,  /* no device answers (not plugged, wrong connstring) */
	READER_OPENING, /* device found, initialising */
	READER_READY,   /* polling for badges */
	READER_FAILED,  /* device answered garbage or errored; retrying with backoff */
};

typedef struct reader_badge {
	uint8_t uid[10];
	size_t uid_len;                 /* 4, 7 or 10 */
	char attendee_id[NDEF_ID_MAX];  /* from the NDEF Text/URI record; "" for UID-only */
	uint64_t detected_ns;           /* time_mono_ns() when the tag answered the poll */
	int has_sig;                    /* 1: sig holds a well-formed kith.app:sig record */
	ndef_badge_sig sig;             /* checked by the worker (app/badge_check.c), not here */
} reader_badge;

typedef struct reader_callbacks {
	void (*badge)(void *ctx, const reader_badge *badge);
	void (*state)(void *ctx, enum reader_state state, const char *detail);
	void *ctx;
} reader_callbacks;

typedef struct reader reader;

/* connstring NULL: libnfc's default device. Starts the thread; returns 0 or -1. */
int reader_start(reader **out, const char *connstring, const reader_callbacks *cb);
/* Stops polling (interrupting a poll in progress), joins the thread, frees. */
void reader_stop(reader *r);
const char *reader_state_name(enum reader_state state);

#endif
