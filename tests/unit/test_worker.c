/* The store worker on a real SQLite file, with the reader's side played by a thread of our own.
 *
 * What it holds the worker to: a badge handed over through worker_reader_callbacks (on another
 * thread, as the reader does) comes back to the SDL thread as KIOSK_EV_TAP only once its
 * check-in is committed; reader state changes come back as KIOSK_EV_READER; and worker_stop
 * with a queue full of work still writes every consent answer. Under `make SANITIZE=thread` the
 * last test is the one that races submit and stop.
 * kith-test: tsan (tests/run.sh also runs it under ThreadSanitizer)
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <pthread.h>
#include <sqlite3.h>

#include "app/events.h"
#include "app/worker.h"
#include "common/util.h"
#include "screens/screens.h"
#include "store/store.h"

#define NATTENDEES 8

typedef struct fixture {
	char dir[64];     /* mkdtemp directory */
	char path[128];   /* dir/kiosk.db */
	kiosk_events ev;  /* registered with SDL's event subsystem */
	worker *w;        /* running, owns its own connection to path */
} fixture;

static int64_t sql_int(const char *path, const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	int64_t v = -12345;
	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	sqlite3_busy_timeout(db, 5000);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

static int setup(void **state)
{
	fixture *f = xcalloc(1, sizeof *f);
	store *s = NULL;
	worker_params wp = { &f->ev, "k1", 0, NULL };

	strcpy(f->dir, "/tmp/kith-worker-XXXXXX");
	if (mkdtemp(f->dir) == NULL)
		return -1;
	snprintf(f->path, sizeof f->path, "%s/kiosk.db", f->dir);
	if (store_open(&s, f->path, STORE_OPEN_CREATE) != 0 || store_kiosk_set(s, "k1", "Hall") != 0)
		return -1;
	for (int i = 0; i < NATTENDEES; i++) {
		char id[16], name[32];
		snprintf(id, sizeof id, "a%d", i);
		snprintf(name, sizeof name, "Person %d", i);
		store_attendee_in a = { .id = id, .name = name, .affiliation = "Lib",
					.visible = STORE_VISIBLE_UNSET };
		if (store_attendee_put(s, &a) != 0)
			return -1;
	}
	if (SDL_Init(SDL_INIT_EVENTS) != 0 || events_register(&f->ev) != 0)
		return -1;
	if (worker_start(&f->w, s, &wp) != 0)
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	char cmd[160];
	worker_stop(f->w);
	events_drain(&f->ev);
	SDL_Quit();
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
	if (system(cmd) != 0)
		return -1;
	free(f);
	return 0;
}

/* Waits up to 10 s for the next kiosk event of kind `which`; others are freed and skipped. */
static void *wait_event(const kiosk_events *e, enum kiosk_event which, int *code)
{
	uint64_t deadline = time_mono_ns() + 10000000000ULL;
	SDL_Event ev;
	while (time_mono_ns() < deadline) {
		if (!SDL_WaitEventTimeout(&ev, 50))
			continue;
		if (events_which(e, &ev) == (int)which) {
			if (code)
				*code = ev.user.code;
			return ev.user.data1;
		}
		if (events_which(e, &ev) >= 0)
			free(ev.user.data1);
	}
	fail_msg("no kiosk event %d within 10 s", (int)which);
	return NULL;
}

typedef struct reader_side {
	reader_callbacks cb;
	int nbadges;
	uint64_t detected_ns;
} reader_side;

/* Plays the reader thread: a state change, then badges a0, a1, ... */
static void *reader_thread(void *arg)
{
	reader_side *r = arg;
	r->cb.state(r->cb.ctx, READER_READY, "sim");
	for (int i = 0; i < r->nbadges; i++) {
		reader_badge b;
		memset(&b, 0, sizeof b);
		b.uid[0] = (uint8_t)i;
		b.uid_len = 4;
		snprintf(b.attendee_id, sizeof b.attendee_id, "a%d", i);
		b.detected_ns = r->detected_ns;
		r->cb.badge(r->cb.ctx, &b);
	}
	return NULL;
}

static void test_tap_is_committed_before_its_event(void **state)
{
	fixture *f = *state;
	reader_side r = { worker_reader_callbacks(f->w), 1, 123456789 };
	pthread_t t;
	int code = -1;

	assert_int_equal(pthread_create(&t, NULL, reader_thread, &r), 0);
	char *detail = wait_event(&f->ev, KIOSK_EV_READER, &code);
	assert_int_equal(code, READER_READY);
	assert_string_equal(detail, "sim");
	free(detail);
	screen_tap *d = wait_event(&f->ev, KIOSK_EV_TAP, NULL);
	assert_int_equal(pthread_join(t, NULL), 0);
	assert_int_equal(d->kind, SCREEN_TAP_KNOWN);
	assert_string_equal(d->attendee.id, "a0");
	assert_true(d->tap.first_today);
	assert_true(d->detected_ns == 123456789); /* tap-to-frame timing survives the hand-over */
	/* Another connection already sees the check-in: it was committed before the event. */
	assert_int_equal(sql_int(f->path, "SELECT count(*) FROM checkins WHERE attendee_id = 'a0'"), 1);
	free(d);
}

static void test_stop_with_work_queued(void **state)
{
	fixture *f = *state;
	reader_side r = { worker_reader_callbacks(f->w), NATTENDEES, 1 };
	pthread_t t;

	/* Badges from the "reader" race consent answers from this thread and the stop below. */
	assert_int_equal(pthread_create(&t, NULL, reader_thread, &r), 0);
	for (int i = 0; i < NATTENDEES; i++) {
		char id[16];
		snprintf(id, sizeof id, "a%d", i);
		assert_int_equal(worker_submit_visible(f->w, id, STORE_VISIBLE_YES), 0);
	}
	assert_int_equal(pthread_join(t, NULL), 0);
	worker_stop(f->w);
	f->w = NULL;
	/* Every answer a person gave is written; badges in the queue may have been dropped. */
	assert_int_equal(sql_int(f->path, "SELECT count(*) FROM attendees WHERE visible = 1"),
			 NATTENDEES);
	assert_true(sql_int(f->path, "SELECT count(*) FROM checkins") <= NATTENDEES);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_tap_is_committed_before_its_event, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stop_with_work_queued, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
