/* The reader module against the real libnfc and pn532-sim (a child process on a pty).
 *
 * Each test starts a sim and a reader, drives the sim from stdin as a person would tap badges,
 * and waits for the reader's callbacks with deadlines (never a bare sleep). Where a test needs
 * to know the reader has seen a card leave, it watches the sim's count of "no target" answers.
 * kith-test: tsan (tests/run.sh also runs it under ThreadSanitizer)
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <pthread.h>
#include <time.h>

#include <cmocka.h>

#include "common/util.h"
#include "nfc/reader.h"
#include "sim_client.h"

#define MAX_EVENTS 64
#define SEC 1000000000ULL

typedef struct events {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	reader_badge badges[MAX_EVENTS];
	size_t nbadges;
	enum reader_state states[MAX_EVENTS];
	uint64_t state_ns[MAX_EVENTS];
	size_t nstates;
} events;

typedef struct fixture {
	sim_client sim;
	events ev;
	reader *r;
} fixture;

static void on_badge(void *ctx, const reader_badge *b)
{
	events *e = ctx;
	pthread_mutex_lock(&e->lock);
	if (e->nbadges < MAX_EVENTS)
		e->badges[e->nbadges++] = *b;
	pthread_cond_broadcast(&e->cond);
	pthread_mutex_unlock(&e->lock);
}

static void on_state(void *ctx, enum reader_state st, const char *detail)
{
	events *e = ctx;
	(void)detail;
	pthread_mutex_lock(&e->lock);
	if (e->nstates < MAX_EVENTS) {
		e->state_ns[e->nstates] = time_mono_ns();
		e->states[e->nstates++] = st;
	}
	pthread_cond_broadcast(&e->cond);
	pthread_mutex_unlock(&e->lock);
}

/* Waits until at least n badges arrived or the deadline passes; returns the count. */
static size_t wait_badges(events *e, size_t n, uint64_t timeout_ns)
{
	uint64_t deadline = time_mono_ns() + timeout_ns;
	pthread_mutex_lock(&e->lock);
	while (e->nbadges < n && time_mono_ns() < deadline) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += 20000000L;
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&e->cond, &e->lock, &ts);
	}
	size_t got = e->nbadges;
	pthread_mutex_unlock(&e->lock);
	return got;
}

/* Waits for a state report at index >= from; returns its index or -1. */
static int wait_state(events *e, size_t from, enum reader_state want, uint64_t timeout_ns)
{
	uint64_t deadline = time_mono_ns() + timeout_ns;
	int found = -1;
	pthread_mutex_lock(&e->lock);
	while (found < 0) {
		for (size_t i = from; i < e->nstates; i++) {
			if (e->states[i] == want) {
				found = (int)i;
				break;
			}
		}
		if (found >= 0 || time_mono_ns() >= deadline)
			break;
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += 20000000L;
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&e->cond, &e->lock, &ts);
	}
	pthread_mutex_unlock(&e->lock);
	return found;
}

/* Waits until the sim has answered `more` further "no target" polls: the reader has seen the
 * field empty since the last call. */
static void wait_empty_polls(sim_client *s, long long more)
{
	long long base = sim_stat(s, "empty");
	uint64_t deadline = time_mono_ns() + 5 * SEC;
	while (sim_stat(s, "empty") < base + more && time_mono_ns() < deadline) {
		struct timespec ts = { 0, 5000000L };
		nanosleep(&ts, NULL); /* pacing the stats requests, not synchronisation */
	}
	assert_true(sim_stat(s, "empty") >= base + more);
}

static int setup(void **state)
{
	fixture *f = xcalloc(1, sizeof *f);
	pthread_mutex_init(&f->ev.lock, NULL);
	pthread_cond_init(&f->ev.cond, NULL);
	if (sim_start(&f->sim, 0, NULL) < 0)
		return -1;
	reader_callbacks cb = { .badge = on_badge, .state = on_state, .ctx = &f->ev };
	if (reader_start(&f->r, f->sim.connstring, &cb) < 0)
		return -1;
	if (wait_state(&f->ev, 0, READER_READY, 10 * SEC) < 0)
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	reader_stop(f->r);
	sim_stop(&f->sim, 0);
	pthread_cond_destroy(&f->ev.cond);
	pthread_mutex_destroy(&f->ev.lock);
	free(f);
	return 0;
}

static void test_ndef_badge(void **state)
{
	fixture *f = *state;
	assert_int_equal(sim_cmd(&f->sim, NULL, 0, "present 04a1b2c3d4e5f6 A-0001"), 0);
	assert_int_equal(wait_badges(&f->ev, 1, 5 * SEC), 1);
	assert_int_equal(f->ev.badges[0].uid_len, 7);
	assert_memory_equal(f->ev.badges[0].uid, "\x04\xa1\xb2\xc3\xd4\xe5\xf6", 7);
	assert_string_equal(f->ev.badges[0].attendee_id, "A-0001");
	assert_true(f->ev.badges[0].detected_ns > 0);
}

static void test_long_id_and_utf8(void **state)
{
	fixture *f = *state;
	/* 40 bytes of id: the TLV runs past the first read, so the reader must read more. */
	const char *id = "Ünïcødé-attendee-0123456789-abcdef";
	assert_int_equal(sim_cmd(&f->sim, NULL, 0, "present 04000000000001 %s", id), 0);
	assert_int_equal(wait_badges(&f->ev, 1, 5 * SEC), 1);
	assert_string_equal(f->ev.badges[0].attendee_id, id);
}

static void test_ultralight_without_fast_read(void **state)
{
	fixture *f = *state;
	/* FAST_READ is refused: the reader selects the tag again and reads page by page. */
	assert_int_equal(sim_cmd(&f->sim, NULL, 0, "present-ul 04888888888888 UL-attendee-000123456789"), 0);
	assert_int_equal(wait_badges(&f->ev, 1, 5 * SEC), 1);
	assert_string_equal(f->ev.badges[0].attendee_id, "UL-attendee-000123456789");
}

static void test_uid_only_badge(void **state)
{
	fixture *f = *state;
	assert_int_equal(sim_cmd(&f->sim, NULL, 0, "present a1b2c3d4"), 0);
	assert_int_equal(wait_badges(&f->ev, 1, 5 * SEC), 1);
	assert_int_equal(f->ev.badges[0].uid_len, 4);
	assert_memory_equal(f->ev.badges[0].uid, "\xa1\xb2\xc3\xd4", 4);
	assert_string_equal(f->ev.badges[0].attendee_id, "");
}

static void test_blank_ntag_is_uid_only(void **state)
{
	fixture *f = *state;
	assert_int_equal(sim_cmd(&f->sim, NULL, 0, "present 04111111111111"), 0);
	assert_int_equal(wait_badges(&f->ev, 1, 5 * SEC), 1);
	assert_int_equal(f->ev.badges[0].uid_len, 7);
	assert_string_equal(f->ev.badges[0].attendee_id, "");
}

static void test_garbage_ndef_is_uid_only(void **state)
{
	fixture *f = *state;
	/* Short record whose payload length (0x40) runs far past the 16-byte message. */
	assert_int_equal(sim_cmd(&f->sim, NULL, 0,
				 "present-raw 04222222222222 0310d1014054026e6141414141414141fe"), 0);
	assert_int_equal(wait_badges(&f->ev, 1, 5 * SEC), 1);
	assert_string_equal(f->ev.badges[0].attendee_id, "");
	assert_int_equal(f->ev.badges[0].uid_len, 7);
	/* And the reader carries on: the next badge reads normally. */
	assert_int_equal(sim_cmd(&f->sim, NULL, 0, "remove"), 0);
	wait_empty_polls(&f->sim, 1);
	assert_int_equal(sim_cmd(&f->sim, NULL, 0, "present 04333333333333 B-7"), 0);
	assert_int_equal(wait_badges(&f->ev, 2, 5 * SEC), 2);
	assert_string_equal(f->ev.badges[1].attendee_id, "B-7");
}

static void test_removed_mid_read(void **state)
{
	fixture *f = *state;
	/* The tag answers one exchange (pages 3-7) and is gone before the second. */
	assert_int_equal(sim_cmd(&f->sim, NULL, 0, "leave-after 2"), 0);
	assert_int_equal(sim_cmd(&f->sim, NULL, 0,
				 "present 04444444444444 a-long-attendee-identifier-0001"), 0);
	wait_empty_polls(&f->sim, 2);
	assert_int_equal(wait_badges(&f->ev, 1, 0), 0);
	assert_true(sim_stat(&f->sim, "tagops") >= 2);
	/* Tapped again properly: one complete badge. */
	assert_int_equal(sim_cmd(&f->sim, NULL, 0,
				 "present 04444444444444 a-long-attendee-identifier-0001"), 0);
	assert_int_equal(wait_badges(&f->ev, 1, 5 * SEC), 1);
	assert_string_equal(f->ev.badges[0].attendee_id, "a-long-attendee-identifier-0001");
}

static void test_resting_card_is_one_event(void **state)
{
	fixture *f = *state;
	assert_int_equal(sim_cmd(&f->sim, NULL, 0, "present 04555555555555 C-1"), 0);
	assert_int_equal(wait_badges(&f->ev, 1, 5 * SEC), 1);
	long long ops = sim_stat(&f->sim, "frames");
	/* Held for five seconds: a second event would arrive within this wait. */
	assert_int_equal(wait_badges(&f->ev, 2, 5 * SEC), 1);
	/* The reader kept checking (it did not just go quiet). */
	assert_true(sim_stat(&f->sim, "frames") > ops + 10);
}

static void test_same_card_twice(void **state)
{
	fixture *f = *state;
	assert_int_equal(sim_cmd(&f->sim, NULL, 0, "present 04666666666666 D-2"), 0);
	assert_int_equal(wait_badges(&f->ev, 1, 5 * SEC), 1);
	assert_int_equal(sim_cmd(&f->sim, NULL, 0, "remove"), 0);
	wait_empty_polls(&f->sim, 1);
	assert_int_equal(sim_cmd(&f->sim, NULL, 0, "present 04666666666666 D-2"), 0);
	assert_int_equal(wait_badges(&f->ev, 2, 5 * SEC), 2);
	assert_string_equal(f->ev.badges[1].attendee_id, "D-2");
	assert_memory_equal(f->ev.badges[0].uid, f->ev.badges[1].uid, 7);
}

static void test_unplug_replug(void **state)
{
	fixture *f = *state;
	size_t from = f->ev.nstates;
	assert_int_equal(sim_cmd(&f->sim, NULL, 0, "unplug"), 0);
	int i = wait_state(&f->ev, from, READER_FAILED, 10 * SEC);
	assert_true(i >= 0);
	/* Let it fall through to "absent" attempts before the cable comes back. */
	assert_true(wait_state(&f->ev, (size_t)i, READER_ABSENT, 10 * SEC) >= 0);
	size_t before_plug = f->ev.nstates;
	uint64_t plugged = time_mono_ns();
	assert_int_equal(sim_cmd(&f->sim, NULL, 0, "plug"), 0);
	int ready = wait_state(&f->ev, before_plug, READER_READY, 5 * SEC);
	assert_true(ready >= 0);
	print_message("ready %.0f ms after plug\n", (double)(f->ev.state_ns[ready] - plugged) / 1e6);
	assert_true(f->ev.state_ns[ready] - plugged < 2 * SEC);
	assert_int_equal(sim_cmd(&f->sim, NULL, 0, "present 04777777777777 E-3"), 0);
	assert_int_equal(wait_badges(&f->ev, 1, 5 * SEC), 1);
	assert_string_equal(f->ev.badges[0].attendee_id, "E-3");
}

static void test_resting_card_survives_reader_reset(void **state)
{
	fixture *f = *state;
	assert_int_equal(sim_cmd(&f->sim, NULL, 0, "present 04999999999999 R-1"), 0);
	assert_int_equal(wait_badges(&f->ev, 1, 5 * SEC), 1);
	size_t from = f->ev.nstates;
	assert_int_equal(sim_cmd(&f->sim, NULL, 0, "unplug"), 0);
	assert_true(wait_state(&f->ev, from, READER_FAILED, 10 * SEC) >= 0);
	from = f->ev.nstates;
	assert_int_equal(sim_cmd(&f->sim, NULL, 0, "plug"), 0);
	assert_true(wait_state(&f->ev, from, READER_READY, 5 * SEC) >= 0);
	/* Back to watching the card (presence READs reach the tag): still the one tap. */
	long long ops = sim_stat(&f->sim, "tagops");
	uint64_t deadline = time_mono_ns() + 5 * SEC;
	while (sim_stat(&f->sim, "tagops") < ops + 3 && time_mono_ns() < deadline) {
		struct timespec ts = { 0, 10000000L };
		nanosleep(&ts, NULL);
	}
	assert_true(sim_stat(&f->sim, "tagops") >= ops + 3);
	assert_int_equal(wait_badges(&f->ev, 2, 0), 1);
	/* Lifted and tapped again: a new event. */
	assert_int_equal(sim_cmd(&f->sim, NULL, 0, "remove"), 0);
	wait_empty_polls(&f->sim, 1);
	assert_int_equal(sim_cmd(&f->sim, NULL, 0, "present 04999999999999 R-1"), 0);
	assert_int_equal(wait_badges(&f->ev, 2, 5 * SEC), 2);
}

static void test_stop_mid_poll_is_prompt(void **state)
{
	fixture *f = *state;
	/* The reader is in a poll most of the time; stopping must not wait out long timeouts. */
	wait_empty_polls(&f->sim, 3);
	uint64_t t0 = time_mono_ns();
	reader_stop(f->r);
	f->r = NULL;
	assert_true(time_mono_ns() - t0 < SEC);
}

static void test_absent_at_start_then_appears(void **state)
{
	(void)state;
	events ev;
	reader *r;
	sim_client s;
	char dir[] = "/tmp/kith-absent-XXXXXX";
	char cs[PATH_MAX + 32];

	memset(&ev, 0, sizeof ev);
	pthread_mutex_init(&ev.lock, NULL);
	pthread_cond_init(&ev.cond, NULL);
	assert_non_null(mkdtemp(dir));
	snprintf(cs, sizeof cs, "pn532_uart:%s/pn532", dir);
	reader_callbacks cb = { .badge = on_badge, .state = on_state, .ctx = &ev };
	assert_int_equal(reader_start(&r, cs, &cb), 0);
	assert_true(wait_state(&ev, 0, READER_ABSENT, 5 * SEC) >= 0);
	assert_int_equal(sim_start(&s, 0, dir), 0);
	assert_true(wait_state(&ev, 0, READER_READY, 5 * SEC) >= 0);
	reader_stop(r);
	sim_stop(&s, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_ndef_badge, setup, teardown),
		cmocka_unit_test_setup_teardown(test_long_id_and_utf8, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ultralight_without_fast_read, setup, teardown),
		cmocka_unit_test_setup_teardown(test_uid_only_badge, setup, teardown),
		cmocka_unit_test_setup_teardown(test_blank_ntag_is_uid_only, setup, teardown),
		cmocka_unit_test_setup_teardown(test_garbage_ndef_is_uid_only, setup, teardown),
		cmocka_unit_test_setup_teardown(test_removed_mid_read, setup, teardown),
		cmocka_unit_test_setup_teardown(test_resting_card_is_one_event, setup, teardown),
		cmocka_unit_test_setup_teardown(test_same_card_twice, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unplug_replug, setup, teardown),
		cmocka_unit_test_setup_teardown(test_resting_card_survives_reader_reset, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stop_mid_poll_is_prompt, setup, teardown),
		cmocka_unit_test(test_absent_at_start_then_appears),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
