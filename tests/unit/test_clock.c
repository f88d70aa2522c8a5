/* Unit tests for common/clock: the conference day in Europe/Berlin across DST gaps and
 * overlaps, a leap day and a year end, with day_starts 00:00 and 04:00; the test clock
 * (KITH_CLOCK) forms and the messages for malformed values. Expected instants come from GNU
 * date (`date -u -d 2026-03-29T01:30Z +%s`), not from the code under test. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "common/clock.h"
#include "common/util.h"

#define H4 (4 * 60)

static int berlin(void **state)
{
	(void)state;
	setenv("TZ", "Europe/Berlin", 1);
	tzset();
	clock_set_day_starts(-1);
	return 0;
}

static void test_day_starts_at_four_not_midnight(void **state)
{
	(void)state;
	/* 2026-05-12 03:59 CEST still belongs to the day that began 2026-05-11 04:00 CEST. */
	assert_int_equal(clock_day_start_at(1778551140, H4), 1778464800);
	/* 04:01: a new day, begun at 04:00. */
	assert_int_equal(clock_day_start_at(1778551260, H4), 1778551200);
	/* The first second of the day is in it. */
	assert_int_equal(clock_day_start_at(1778551200, H4), 1778551200);
	assert_int_equal(clock_day_start_at(1778551199, H4), 1778464800);
	/* 00:05 local: yesterday's conference day. */
	assert_int_equal(clock_day_start_at(1778537100, H4), 1778464800);
	/* The default is 04:00. */
	assert_int_equal(clock_day_start(1778537100), 1778464800);
}

static void test_day_starts_at_midnight(void **state)
{
	(void)state;
	/* 00:05 CEST on 12 May: the day began at 00:00 CEST = 22:00Z on 11 May. */
	assert_int_equal(clock_day_start_at(1778537100, 0), 1778536800);
	assert_int_equal(clock_day_start_at(1778536799, 0), 1778536800 - 86400);
	clock_set_day_starts(0);
	assert_int_equal(clock_day_start(1778537100), 1778536800);
	assert_int_equal(clock_next_day_start(1778536800), 1778536800 + 86400);
	clock_set_day_starts(-1);
}

static void test_spring_forward(void **state)
{
	(void)state;
	/* 2026-03-29 03:30 CEST (01:30Z), the night clocks skip 02:00-03:00. */
	assert_int_equal(clock_day_start_at(1774747800, H4), 1774666800); /* 28 Mar 04:00 CET */
	/* The day that begins at 04:00 CEST on the 29th is 23 hours after the one before. */
	assert_int_equal(clock_next_day_start(1774666800), 1774749600);
	assert_int_equal(clock_day_start_at(1774749600, H4), 1774749600);
	/* Midnight was still CET. */
	assert_int_equal(clock_day_start_at(1774747800, 0), 1774738800);
	/* A day start inside the gap (02:30) begins when the gap ends, 03:00 CEST = 01:00Z. */
	assert_int_equal(clock_day_start_at(1774747800, 150), 1774746000);
	assert_int_equal(clock_day_start_at(1774753200, 150), 1774746000);
	assert_int_equal(clock_day_start_at(1774745999, 150), 1774746000 - 23 * 3600 - 1800);
}

static void test_fall_back(void **state)
{
	(void)state;
	/* 2026-10-25 12:00 CET: the day began at 04:00 CET = 03:00Z, 25 hours after the one
	 * before (04:00 CEST on the 24th = 02:00Z). */
	assert_int_equal(clock_day_start_at(1792926000, H4), 1792897200);
	assert_int_equal(clock_next_day_start(1792807200), 1792897200);
	/* 02:30 happens twice that night; the day starts at the first (CEST, 00:30Z), and the
	 * second pass through 02:45 (CET, 01:45Z) is still in it. */
	assert_int_equal(clock_day_start_at(1792892700, 150), 1792888200);
	assert_int_equal(clock_day_start_at(1792888200, 150), 1792888200);
}

static void test_leap_day(void **state)
{
	(void)state;
	/* 2028-03-01 03:00 CET: still the conference day of 29 February (04:00 CET = 03:00Z). */
	assert_int_equal(clock_day_start_at(1835488800, H4), 1835406000);
	assert_int_equal(clock_day_start_at(1835427600, H4), 1835406000);
	assert_int_equal(clock_next_day_start(1835406000), 1835406000 + 86400);
	/* With day_starts 00:00, 1 March 03:00 is 1 March. */
	assert_int_equal(clock_day_start_at(1835488800, 0), 1835406000 + 86400 - 4 * 3600);
}

static void test_year_end(void **state)
{
	(void)state;
	/* 2026-12-31 23:59 CET and 2027-01-01 00:01 CET: both on the day of 31 December. */
	assert_int_equal(clock_day_start_at(1798757940, H4), 1798686000);
	assert_int_equal(clock_day_start_at(1798758060, H4), 1798686000);
	/* With day_starts 00:00, 00:01 on New Year is a new day that began at 23:00Z. */
	assert_int_equal(clock_day_start_at(1798758060, 0), 1798758000);
}

static void test_utc_zone(void **state)
{
	(void)state;
	char *saved = clock_tz_push("UTC");
	assert_int_equal(clock_day_start_at(1778551140, H4), 1778472000); /* 11 May 04:00Z */
	clock_tz_pop(saved);
	assert_string_equal(getenv("TZ"), "Europe/Berlin");
	/* kioskctl's midnight in a named zone (was tz_local_midnight). */
	assert_int_equal(clock_local_midnight_in("Europe/Berlin", 1779015600), 1778968800);
	assert_string_equal(getenv("TZ"), "Europe/Berlin");
}

static void test_parse_day_starts(void **state)
{
	(void)state;
	int m = -1;
	assert_int_equal(clock_parse_day_starts("04:00", &m), 0);
	assert_int_equal(m, 240);
	assert_int_equal(clock_parse_day_starts("00:00", &m), 0);
	assert_int_equal(m, 0);
	assert_int_equal(clock_parse_day_starts("23:59", &m), 0);
	assert_int_equal(m, 23 * 60 + 59);
	const char *bad[] = { "25:00", "24:00", "abc", "4:00", "04:60", "04:00 ", "", "04", "-1:00",
			      "04:00:00", "０4:00" };
	for (size_t i = 0; i < ARRAY_LEN(bad); i++)
		assert_int_equal(clock_parse_day_starts(bad[i], &m), -1);
	assert_int_equal(clock_parse_day_starts(NULL, &m), -1);
}

static void test_set_clock_forms(void **state)
{
	(void)state;
	char err[512];
	int64_t now;

	assert_int_equal(clock_init_spec("2026-03-29T01:30:00Z", err, sizeof err), 0);
	assert_true(clock_is_set());
	now = clock_now();
	assert_true(now >= 1774747800 && now <= 1774747802);
	assert_int_equal(clock_init_spec("2026-03-29T03:30:00+02:00", err, sizeof err), 0);
	now = clock_now();
	assert_true(now >= 1774747800 && now <= 1774747802);
	assert_int_equal(clock_init_spec("2026-03-28T20:30:00-05:00", err, sizeof err), 0);
	now = clock_now();
	assert_true(now >= 1774747800 && now <= 1774747802);
	assert_int_equal(clock_init_spec("@1835488800", err, sizeof err), 0);
	now = clock_now();
	assert_true(now >= 1835488800 && now <= 1835488802);
	assert_int_equal(clock_init_spec("2028-02-29T00:00:00Z", err, sizeof err), 0);

	assert_int_equal(clock_init_spec("+3600", err, sizeof err), 0);
	int64_t d = clock_now() - (int64_t)time(NULL);
	assert_true(d >= 3599 && d <= 3601);
	assert_int_equal(clock_init_spec("-86400", err, sizeof err), 0);
	d = clock_now() - (int64_t)time(NULL);
	assert_true(d >= -86401 && d <= -86399);

	assert_int_equal(clock_init_spec(NULL, err, sizeof err), 0);
	assert_false(clock_is_set());
	d = clock_now() - (int64_t)time(NULL);
	assert_true(d >= -1 && d <= 1);
}

static void test_set_clock_runs_on(void **state)
{
	(void)state;
	char err[512];
	assert_int_equal(clock_init_spec("@1774747800", err, sizeof err), 0);
	struct timespec ts = { 1, 100000000 };
	nanosleep(&ts, NULL);
	assert_true(clock_now() >= 1774747801);
	clock_init_spec(NULL, err, sizeof err);
}

static void test_set_clock_refuses_malformed(void **state)
{
	(void)state;
	const char *bad[] = { "2026-02-29T00:00:00Z", "2026-03-29 01:30:00Z", "2026-03-29T01:30:00",
			      "2026-13-01T00:00:00Z", "2026-03-29T24:00:00Z", "tomorrow", "+", "@",
			      "+12abc", "--5", "2026-03-29T01:30:00+2", "2026-03-29T01:30:00Zx",
			      "1774747800", "@-5", "+99999999999999999999" };
	for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
		char err[512] = "";
		assert_int_equal(clock_init_spec(bad[i], err, sizeof err), -1);
		assert_non_null(strstr(err, bad[i]));
		assert_non_null(strstr(err, "YYYY-MM-DDTHH:MM:SSZ"));
		assert_false(clock_is_set());
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_day_starts_at_four_not_midnight, berlin),
		cmocka_unit_test_setup(test_day_starts_at_midnight, berlin),
		cmocka_unit_test_setup(test_spring_forward, berlin),
		cmocka_unit_test_setup(test_fall_back, berlin),
		cmocka_unit_test_setup(test_leap_day, berlin),
		cmocka_unit_test_setup(test_year_end, berlin),
		cmocka_unit_test_setup(test_utc_zone, berlin),
		cmocka_unit_test(test_parse_day_starts),
		cmocka_unit_test(test_set_clock_forms),
		cmocka_unit_test(test_set_clock_runs_on),
		cmocka_unit_test(test_set_clock_refuses_malformed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
