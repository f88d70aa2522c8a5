/* The store worker thread: badge -> lookup -> committed check-in -> log line -> screen data.
 * A small mutex-protected job ring fed by the reader thread (badges) and the SDL thread
 * (consent answers); see worker.h. Start reading at worker_main().
 */
#include "app/worker.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/badge_check.h"
#include "common/clock.h"
#include "common/log.h"
#include "common/util.h"
#include "screens/screens.h"
#include "screens/staff.h"

#define JOBS_MAX 16
#define SESSION_HORIZON_S (36 * 3600) /* "upcoming": the rest of today and tomorrow morning */

enum job_kind {
	JOB_BADGE,
	JOB_VISIBLE,
	JOB_STAFF,   /* staff mode's check-in or card binding (screens/staff.h) */
	JOB_COLLEAGUES,
};

typedef struct job {
	enum job_kind kind;
	reader_badge badge;           /* JOB_BADGE */
	char attendee_id[STORE_ID_MAX]; /* JOB_VISIBLE, JOB_COLLEAGUES */
	int visible;
	staff_job staff;              /* JOB_STAFF */
} job;

struct worker {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	job jobs[JOBS_MAX];   /* ring, guarded by lock */
	int head, len;        /* guarded by lock */
	int stopping;         /* guarded by lock */
	staff_job capture;    /* staff mode waits for a new card: kind CAPTURE; guarded by lock */
	uint64_t capture_from; /* only badges detected after this (mono ns); guarded by lock */
	store *db;            /* only the worker thread touches it */
	worker_params p;      /* read-only once the thread runs */
	char kiosk_id[STORE_ID_MAX]; /* read-only once the thread runs */
};

static void uid_to_hex(const uint8_t *uid, size_t len, char *out, size_t outsize)
{
	size_t i;
	for (i = 0; i < len && 2 * i + 2 < outsize; i++)
		snprintf(out + 2 * i, 3, "%02X", uid[i]);
	out[2 * i] = '\0';
}

static void post_staff(worker *w, staff_result *r)
{
	if (events_post(w->p.events, KIOSK_EV_STAFF, 0, r) < 0)
		log_error("events: lost a staff result (%s)", SDL_GetError());
}

/* Staff mode is waiting for a new card and this badge was tapped after it began: it is
 * captured for binding, not checked in. Returns 1 when captured. */
static int staff_capture_take(worker *w, const reader_badge *b)
{
	staff_job c;
	int take;
	pthread_mutex_lock(&w->lock);
	take = w->capture.kind == STAFF_JOB_CAPTURE && b->detected_ns >= w->capture_from &&
	       time_mono_ns() < w->capture.until_ns;
	c = w->capture;
	if (take)
		memset(&w->capture, 0, sizeof w->capture);
	pthread_mutex_unlock(&w->lock);
	if (!take)
		return 0;
	staff_result *r = xcalloc(1, sizeof *r);
	r->kind = STAFF_RESULT_CAPTURED;
	str_copy_utf8(r->attendee_id, sizeof r->attendee_id, c.attendee_id);
	uid_to_hex(b->uid, b->uid_len, r->uid_hex, sizeof r->uid_hex);
	int rc = store_badge_state(w->db, b->uid, b->uid_len, &r->holder);
	if (rc == STORE_BADGE_NO_EVENT)
		rc = store_badge_lookup(w->db, NULL, b->uid, b->uid_len, &r->holder);
	r->has_holder = rc == 1;
	log_info("staff: captured card %s for %s (%s); it is %s%s", r->uid_hex, c.attendee_id,
		 c.name, r->has_holder ? "bound to " : "not bound",
		 r->has_holder ? r->holder.id : "");
	post_staff(w, r);
	return 1;
}

/* Staff's word on a card first (revoked, or bound at a desk here or at any kiosk), then the
 * roster's, by the NDEF id the badge policy believed (NULL: by UID). Returns like store_badge_lookup; STORE_BADGE_REVOKED for a revoked card. */
static int badge_lookup(worker *w, const char *ndef_id, const reader_badge *b,
			store_attendee *out)
{
	int rc = store_badge_state(w->db, b->uid, b->uid_len, out);
	if (rc != STORE_BADGE_NO_EVENT)
		return rc;
	return store_badge_lookup(w->db, ndef_id, b->uid, b->uid_len, out);
}

static void do_badge(worker *w, const reader_badge *b)
{
	if (staff_capture_take(w, b))
		return;
	screen_tap *d = xcalloc(1, sizeof *d);
	int64_t now = clock_now();
	int64_t day_start = clock_day_start(now);
	uint64_t t0 = time_mono_ns();
	badge_verdict v;
	int rc;

	d->detected_ns = b->detected_ns;
	uid_to_hex(b->uid, b->uid_len, d->uid_hex, sizeof d->uid_hex);
	/* The badge policy first: a refused badge never reaches a lookup or a check-in. */
	if ((rc = badge_check(w->db, b, &v)) == 0 && v.refusal != BADGE_ACCEPTED) {
		log_info("tap attendee=- result=refused kiosk=%s uid=%s ndef=%s reason=%s", w->kiosk_id,
			 d->uid_hex, b->attendee_id[0] ? b->attendee_id : "-",
			 badge_refusal_name(v.refusal));
		badge_refusal_count(w->db, v.refusal);
		d->kind = SCREEN_TAP_UNKNOWN;
		goto post;
	}
	if (rc == 0)
		rc = badge_lookup(w, v.ndef_id, b, &d->attendee);
	if (rc == STORE_BADGE_REVOKED) { /* the unknown screen's words: see the desk */
		log_info("tap attendee=- result=revoked kiosk=%s uid=%s", w->kiosk_id, d->uid_hex);
		d->kind = SCREEN_TAP_UNKNOWN;
		goto post;
	}
	if (rc < 0) {
		log_error("tap attendee=- result=error kiosk=%s uid=%s: lookup: %s", w->kiosk_id,
			  d->uid_hex, store_errmsg(w->db));
		d->kind = SCREEN_TAP_ERROR;
		goto post;
	}
	if (rc == 0) {
		log_info("tap attendee=- result=unknown kiosk=%s uid=%s ndef=%s", w->kiosk_id,
			 d->uid_hex, b->attendee_id[0] ? b->attendee_id : "-");
		d->kind = SCREEN_TAP_UNKNOWN;
		goto post;
	}
	rc = store_checkin_record(w->db, d->attendee.id, now, day_start, &d->tap);
	if (rc < 0) {
		log_error("tap attendee=%s result=error kiosk=%s: %s", d->attendee.id, w->kiosk_id,
			  store_errmsg(w->db));
		d->kind = SCREEN_TAP_ERROR;
		goto post;
	}
	/* The check-in is durable now: this line is the acknowledgement tests hold us to. */
	log_info("tap attendee=%s result=%s kiosk=%s seq=%lld", d->attendee.id,
		 d->tap.repeat ? "repeat" : d->tap.first_today ? "checkin" : "again", w->kiosk_id,
		 (long long)d->tap.seq);
	if (!d->tap.repeat)
		lan_sync_poke(w->p.lan); /* the other kiosks hear of it within a second */
	d->kind = SCREEN_TAP_KNOWN;
	rc = store_colleagues(w->db, d->attendee.id, day_start, d->groups, SCREEN_GROUPS_MAX);
	if (rc < 0) {
		log_warn("colleagues for %s: %s", d->attendee.id, store_errmsg(w->db));
		rc = 0;
	}
	d->ngroups = rc;
	rc = store_sessions(w->db, STORE_SESSIONS_GROUPS, d->attendee.id, now, SESSION_HORIZON_S,
			    d->sessions, SCREEN_SESSIONS_MAX);
	if (rc < 0) {
		log_warn("sessions for %s: %s", d->attendee.id, store_errmsg(w->db));
		rc = 0;
	}
	d->nsessions = rc;
post:
	if (w->p.timing)
		log_info("timing tap_store_us=%llu",
			 (unsigned long long)((time_mono_ns() - t0) / 1000));
	if (events_post(w->p.events, KIOSK_EV_TAP, 0, d) < 0)
		log_error("events: lost a tap result (%s)", SDL_GetError());
}

static void do_visible(worker *w, const job *j)
{
	if (store_attendee_set_visible(w->db, j->attendee_id, j->visible) < 0)
		log_error("consent attendee=%s visible=%d: %s", j->attendee_id, j->visible,
			  store_errmsg(w->db));
	else {
		log_info("consent attendee=%s visible=%d kiosk=%s", j->attendee_id, j->visible,
			 w->kiosk_id);
		lan_sync_poke(w->p.lan); /* a "No" hides them on every kiosk */
	}
}

/* A welcome screen that is showing gets the colleagues who just arrived from other kiosks. */
static void do_colleagues(worker *w, const job *j)
{
	screen_tap *d = xcalloc(1, sizeof *d);
	int rc;

	str_copy_utf8(d->attendee.id, sizeof d->attendee.id, j->attendee_id);
	rc = store_colleagues(w->db, j->attendee_id, clock_day_start(clock_now()), d->groups,
			      SCREEN_GROUPS_MAX);
	if (rc < 0) {
		log_warn("colleagues for %s: %s", j->attendee_id, store_errmsg(w->db));
		free(d);
		return;
	}
	d->ngroups = rc;
	(void)events_post(w->p.events, KIOSK_EV_COLLEAGUES, 0, d); /* lost: the next tap has them */
}

/* A staff check-in or binding: committed, logged with what and whom, answered. */
static void do_staff(worker *w, const staff_job *j)
{
	staff_result *r = xcalloc(1, sizeof *r);
	int64_t now = clock_now();
	int rc;

	str_copy_utf8(r->attendee_id, sizeof r->attendee_id, j->attendee_id);
	str_copy_utf8(r->uid_hex, sizeof r->uid_hex, j->uid_hex);
	if (j->kind == STAFF_JOB_CHECKIN) {
		rc = store_staff_checkin(w->db, j->attendee_id, now, clock_day_start(now), &r->tap);
		if (rc == 0) {
			r->kind = STAFF_RESULT_CHECKED_IN;
			/* Durable now, like a tap's line; method=staff marks it. */
			log_info("staff: checked in attendee=%s (%s) result=%s kiosk=%s seq=%lld "
				 "method=staff", j->attendee_id, j->name,
				 r->tap.repeat ? "repeat" : r->tap.first_today ? "checkin" : "again",
				 w->kiosk_id, (long long)r->tap.seq);
		}
	} else {
		rc = store_badge_bind(w->db, j->uid_hex, j->attendee_id, j->revoke_old, now,
				      &r->revoked);
		if (rc == 0) {
			r->kind = STAFF_RESULT_BOUND;
			log_info("staff: bound card %s to attendee=%s (%s); revoked %d old card%s "
				 "kiosk=%s", j->uid_hex, j->attendee_id, j->name, r->revoked,
				 r->revoked == 1 ? "" : "s", w->kiosk_id);
		}
	}
	if (rc < 0) {
		r->kind = STAFF_RESULT_FAILED;
		snprintf(r->message, sizeof r->message, "%s", store_errmsg(w->db));
		log_error("staff: %s for attendee=%s failed: %s",
			  j->kind == STAFF_JOB_CHECKIN ? "check-in" : "binding", j->attendee_id,
			  r->message);
	}
	post_staff(w, r);
}

static void *worker_main(void *arg)
{
	worker *w = arg;

	for (;;) {
		job j;
		int stopping;
		pthread_mutex_lock(&w->lock);
		while (w->len == 0 && !w->stopping)
			pthread_cond_wait(&w->wake, &w->lock);
		if (w->len == 0) {
			pthread_mutex_unlock(&w->lock);
			break;
		}
		j = w->jobs[w->head];
		w->head = (w->head + 1) % JOBS_MAX;
		w->len--;
		stopping = w->stopping; /* read under the lock: worker_stop writes it */
		pthread_mutex_unlock(&w->lock);
		/* Stopping: answers people gave are still written; unacknowledged badges are not. */
		if (stopping && j.kind == JOB_BADGE)
			continue;

		if (j.kind == JOB_BADGE)
			do_badge(w, &j.badge);
		else if (j.kind == JOB_STAFF)
			do_staff(w, &j.staff);
		else if (j.kind == JOB_COLLEAGUES)
			do_colleagues(w, &j);
		else
			do_visible(w, &j);
	}
	return NULL;
}

int worker_start(worker **out, store *db, const worker_params *p)
{
	worker *w = xcalloc(1, sizeof *w);
	w->db = db;
	w->p = *p;
	str_copy_utf8(w->kiosk_id, sizeof w->kiosk_id, p->kiosk_id);
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->wake, NULL);
	if (pthread_create(&w->thread, NULL, worker_main, w) != 0) {
		log_error("worker: cannot start thread");
		pthread_mutex_destroy(&w->lock);
		pthread_cond_destroy(&w->wake);
		free(w);
		*out = NULL;
		return -1;
	}
	*out = w;
	return 0;
}

static int submit(worker *w, const job *j)
{
	int rc = 0;
	pthread_mutex_lock(&w->lock);
	if (w->len == JOBS_MAX || w->stopping) {
		rc = -1;
	} else {
		w->jobs[(w->head + w->len) % JOBS_MAX] = *j;
		w->len++;
		pthread_cond_signal(&w->wake);
	}
	pthread_mutex_unlock(&w->lock);
	if (rc)
		log_warn("worker: busy, dropped a %s", j->kind == JOB_BADGE ? "badge" :
			 j->kind == JOB_STAFF ? "staff action" : "consent answer");
	return rc;
}

int worker_submit_badge(worker *w, const reader_badge *badge)
{
	job j;
	memset(&j, 0, sizeof j);
	j.kind = JOB_BADGE;
	j.badge = *badge;
	return submit(w, &j);
}

/* Reader thread: the badge is copied into the queue, so the reader never waits for a disk. */
static void on_badge(void *ctx, const reader_badge *badge)
{
	worker_submit_badge(ctx, badge);
}

static void on_reader_state(void *ctx, enum reader_state state, const char *detail)
{
	worker *w = ctx;
	events_post_reader_state(w->p.events, state, detail);
}

reader_callbacks worker_reader_callbacks(worker *w)
{
	reader_callbacks cb = { on_badge, on_reader_state, w };
	return cb;
}

int worker_submit_visible(worker *w, const char *attendee_id, int visible)
{
	job j;
	memset(&j, 0, sizeof j);
	j.kind = JOB_VISIBLE;
	str_copy_utf8(j.attendee_id, sizeof j.attendee_id, attendee_id);
	j.visible = visible;
	return submit(w, &j);
}

int worker_submit_staff(worker *w, const staff_job *sj)
{
	job j;
	if (sj->kind == STAFF_JOB_CAPTURE || sj->kind == STAFF_JOB_CAPTURE_CANCEL) {
		/* A flag, not a job: the worker reads it for every badge, in order. */
		staff_job was;
		pthread_mutex_lock(&w->lock);
		was = w->capture;
		w->capture = *sj;
		w->capture_from = time_mono_ns();
		pthread_mutex_unlock(&w->lock);
		if (sj->kind == STAFF_JOB_CAPTURE)
			log_info("staff: waiting for a new card for attendee=%s (%s)", sj->attendee_id,
				 sj->name);
		else if (was.kind == STAFF_JOB_CAPTURE && time_mono_ns() < was.until_ns)
			log_info("staff: stopped waiting for a card for attendee=%s (%s)",
				 was.attendee_id, was.name);
		return 0;
	}
	memset(&j, 0, sizeof j);
	j.kind = JOB_STAFF;
	j.staff = *sj;
	return submit(w, &j);
}

int worker_submit_colleagues(worker *w, const char *attendee_id)
{
	job j;
	memset(&j, 0, sizeof j);
	j.kind = JOB_COLLEAGUES;
	str_copy_utf8(j.attendee_id, sizeof j.attendee_id, attendee_id);
	return submit(w, &j);
}

void worker_stop(worker *w)
{
	if (!w)
		return;
	pthread_mutex_lock(&w->lock);
	w->stopping = 1;
	pthread_cond_signal(&w->wake);
	pthread_mutex_unlock(&w->lock);
	pthread_join(w->thread, NULL);
	store_close(w->db);
	pthread_mutex_destroy(&w->lock);
	pthread_cond_destroy(&w->wake);
	free(w);
}
