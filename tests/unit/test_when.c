/* Unit tests for common/when: session times said with their conference day ("Tomorrow 09:00",
 * "Thu 09:00") in Europe/Berlin with day_starts 04:00, across a year end and both DST changes,
 * and dates without strftime's padded %e. Instants come from GNU date
 * (`TZ=Europe/Berlin date -d 2026-12-02T09:00 +%s`), not from the code under test. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>

#include <cmocka.h>

#include "common/clock.h"
#include "common/when.h"

static int berlin(void **state)
{
	(void)state;
	setenv("TZ", "Europe/Berlin", 1);
	tzset();
	clock_set_day_starts(-1); /* the default, 04:00 */
	return 0;
}

static void label_is(int64_t when, int64_t now, const char *want)
{
	char buf[64];
	when_label(buf, sizeof buf, when, now);
	assert_string_equal(buf, want);
}

#define TUE_2300 1796162400 /* 2026-12-01 23:00 CET, a Tuesday */

static void test_today_is_plain(void **state)
{
	(void)state;
	label_is(1796164200, TUE_2300, "23:30");
	/* 01:00 after midnight is on the next date: a bare "01:00" at 23:00 looks gone by. */
	label_is(1796169600, TUE_2300, "Tomorrow 01:00");
	/* Across day_starts (04:00), the same date: no day, though the conference day differs. */
	label_is(1796180340 + 600, 1796180340, "04:09"); /* 03:59 -> 04:09 */
}

static void test_tomorrow_at_23(void **state)
{
	(void)state;
	label_is(1796198400, TUE_2300, "Tomorrow 09:00");
}

static void test_later_days_say_the_weekday(void **state)
{
	(void)state;
	label_is(1796284800, TUE_2300, "Thu 09:00");
	/* A week and more away, or a day gone by: the date too, never "Thu  10 Dec". */
	label_is(1796889600, TUE_2300, "Thu 10 Dec 09:00");
	label_is(1796025600, TUE_2300, "Mon 30 Nov 09:00");
}

static void test_across_new_year(void **state)
{
	(void)state;
	label_is(1798794000, 1798750800, "Tomorrow 10:00"); /* 31 Dec 22:00 -> 1 Jan 10:00 */
	label_is(1798880400, 1798750800, "Sat 10:00");
}

static void test_across_dst(void **state)
{
	(void)state;
	/* Spring forward: the night of 27/28 March 2027 has 23 hours. */
	label_is(1806217200, 1806184800, "Tomorrow 09:00");
	/* Fall back: 30/31 October 2027 has 25. */
	label_is(1824969600, 1824930000, "Tomorrow 09:00");
	label_is(1825056000, 1824930000, "Mon 09:00");
}

static void test_date_has_no_double_space(void **state)
{
	char buf[64];
	(void)state;
	when_date(buf, sizeof buf, "%a %e %b", TUE_2300);
	assert_string_equal(buf, "Tue 1 Dec");
	when_date(buf, sizeof buf, "%A %e %B", TUE_2300);
	assert_string_equal(buf, "Tuesday 1 December");
	when_date(buf, sizeof buf, "%a %e %b", 1796889600);
	assert_string_equal(buf, "Thu 10 Dec");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_today_is_plain, berlin),
		cmocka_unit_test_setup(test_tomorrow_at_23, berlin),
		cmocka_unit_test_setup(test_later_days_say_the_weekday, berlin),
		cmocka_unit_test_setup(test_across_new_year, berlin),
		cmocka_unit_test_setup(test_across_dst, berlin),
		cmocka_unit_test_setup(test_date_has_no_double_space, berlin),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
