/* Unit tests for the admin screen's logic: the PIN gate's rate limit, the corner long press
 * that opens it, the hourly chart's scale, byte formatting and local time parsing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "admin/admin_info.h"
#include "admin/corner_press.h"
#include "admin/pin_gate.h"

static void test_pin_validity(void **state)
{
	(void)state;
	assert_true(pin_gate_valid_pin("1234"));
	assert_true(pin_gate_valid_pin("123456789012"));
	assert_false(pin_gate_valid_pin("123"));
	assert_false(pin_gate_valid_pin("1234567890123"));
	assert_false(pin_gate_valid_pin("12a4"));
	assert_false(pin_gate_valid_pin(""));
	assert_false(pin_gate_valid_pin(NULL));
	pin_gate *g = pin_gate_new("12x4");
	assert_false(pin_gate_enabled(g));
	assert_int_equal(pin_gate_try(g, "12x4", 0), PIN_DISABLED);
	pin_gate_free(g);
}

static void test_pin_right_and_wrong(void **state)
{
	(void)state;
	pin_gate *g = pin_gate_new("4711");
	assert_int_equal(pin_gate_try(g, "4712", 1000), PIN_WRONG);
	assert_int_equal(pin_gate_try(g, "47111", 1000), PIN_WRONG); /* a prefix is not enough */
	assert_int_equal(pin_gate_try(g, "471", 1000), PIN_WRONG);
	assert_int_equal(pin_gate_failures(g), 3);
	pin_gate_free(g);
	g = pin_gate_new("4711");
	assert_int_equal(pin_gate_try(g, "", 0), PIN_WRONG);
	assert_int_equal(pin_gate_try(g, NULL, 0), PIN_WRONG);
	assert_int_equal(pin_gate_try(g, "4711", 0), PIN_OK);
	assert_int_equal(pin_gate_failures(g), 0);
	pin_gate_free(g);
}

static void test_pin_rate_limit_doubles(void **state)
{
	(void)state;
	pin_gate *g = pin_gate_new("4711");
	uint64_t t = 10000;
	for (int i = 0; i < PIN_GATE_FREE_TRIES; i++)
		assert_int_equal(pin_gate_try(g, "0000", t), PIN_WRONG);
	assert_int_equal(pin_gate_locked_for(g, t), PIN_GATE_LOCK_MS);
	/* While locked even the right PIN is not compared. */
	assert_int_equal(pin_gate_try(g, "4711", t + PIN_GATE_LOCK_MS - 1), PIN_LOCKED);
	t += PIN_GATE_LOCK_MS;
	assert_int_equal(pin_gate_locked_for(g, t), 0);
	/* One more wrong PIN after a lock locks again, twice as long. */
	assert_int_equal(pin_gate_try(g, "0000", t), PIN_WRONG);
	assert_int_equal(pin_gate_locked_for(g, t), 2 * PIN_GATE_LOCK_MS);
	t += 2 * PIN_GATE_LOCK_MS;
	assert_int_equal(pin_gate_try(g, "0000", t), PIN_WRONG);
	assert_int_equal(pin_gate_locked_for(g, t), 4 * PIN_GATE_LOCK_MS);
	/* Capped. */
	for (int i = 0; i < 20; i++) {
		t += pin_gate_locked_for(g, t);
		pin_gate_try(g, "0000", t);
	}
	assert_int_equal(pin_gate_locked_for(g, t), PIN_GATE_LOCK_MAX_MS);
	/* The right PIN after the lock resets everything. */
	t += PIN_GATE_LOCK_MAX_MS;
	assert_int_equal(pin_gate_try(g, "4711", t), PIN_OK);
	assert_int_equal(pin_gate_try(g, "0000", t), PIN_WRONG);
	assert_int_equal(pin_gate_locked_for(g, t), 0);
	pin_gate_free(g);
}

static void test_corner_press(void **state)
{
	(void)state;
	corner_press c;
	corner_press_init(&c, 800, 480);
	assert_int_equal(corner_press_zone(&c), 60);
	/* A held corner fires once, after 2 s, not before. */
	corner_press_down(&c, 790, 10, 1000);
	assert_int_equal(corner_press_poll(&c, 1000 + CORNER_PRESS_MS - 1), 0);
	assert_true(corner_press_progress(&c, 2000) > 0.49f);
	assert_int_equal(corner_press_poll(&c, 1000 + CORNER_PRESS_MS), 1);
	assert_int_equal(corner_press_poll(&c, 1000 + CORNER_PRESS_MS + 500), 0);
	corner_press_up(&c);
	/* An ordinary tap in the corner never fires. */
	corner_press_down(&c, 5, 475, 5000);
	corner_press_up(&c);
	assert_int_equal(corner_press_poll(&c, 9000), 0);
	/* A long press in the middle of the screen never fires. */
	corner_press_down(&c, 400, 240, 10000);
	assert_int_equal(corner_press_poll(&c, 20000), 0);
	corner_press_up(&c);
	/* Sliding away (a scroll that started in a corner) cancels. */
	corner_press_down(&c, 10, 10, 30000);
	corner_press_move(&c, 10, 60);
	assert_int_equal(corner_press_poll(&c, 40000), 0);
	/* Every corner works; a small wobble is allowed. */
	float corners[4][2] = { { 1, 1 }, { 799, 1 }, { 1, 479 }, { 799, 479 } };
	for (int i = 0; i < 4; i++) {
		corner_press_down(&c, corners[i][0], corners[i][1], 50000);
		corner_press_move(&c, corners[i][0] + (i % 2 ? -5 : 5), corners[i][1]);
		assert_int_equal(corner_press_poll(&c, 52000), 1);
		corner_press_up(&c);
	}
}

static void test_chart_scale(void **state)
{
	(void)state;
	int64_t c[24] = { 0 };
	assert_int_equal(admin_chart_axis(c), 5);
	c[9] = 7;
	assert_int_equal(admin_chart_axis(c), 10);
	c[10] = 130;
	assert_int_equal(admin_chart_axis(c), 200);
	c[11] = 4999;
	assert_int_equal(admin_chart_axis(c), 5000);
	assert_int_equal(admin_chart_bar(0, 200, 100), 0);
	assert_int_equal(admin_chart_bar(1, 5000, 100), 2); /* one check-in stays visible */
	assert_int_equal(admin_chart_bar(100, 200, 100), 50);
	assert_int_equal(admin_chart_bar(200, 200, 100), 100);
}

static void test_bytes_and_space(void **state)
{
	(void)state;
	char b[32];
	admin_format_bytes(999, b, sizeof b);
	assert_string_equal(b, "999 bytes");
	admin_format_bytes(1234567, b, sizeof b);
	assert_string_equal(b, "1.2 MB");
	admin_format_bytes(29500000000ULL, b, sizeof b);
	assert_string_equal(b, "30 GB");
	uint64_t fr = 0, tot = 0;
	assert_int_equal(admin_free_space("/", &fr, &tot), 0);
	assert_true(tot > 0 && fr <= tot);
	assert_true(admin_free_space("/nonexistent/kith", &fr, &tot) < 0);
}

static void test_parse_local_time(void **state)
{
	(void)state;
	int64_t t;
	setenv("TZ", "Europe/Berlin", 1);
	tzset();
	assert_int_equal(admin_parse_local_time("2026-11-27 10:30", &t), 0);
	assert_int_equal(t, 1795771800); /* 09:30 UTC */
	assert_int_equal(admin_parse_local_time("2026-02-30 10:00", &t), -1);
	assert_int_equal(admin_parse_local_time("2026-03-29 02:30", &t), -1); /* skipped hour */
	assert_int_equal(admin_parse_local_time("2026-11-27 10:30x", &t), -1);
	assert_int_equal(admin_parse_local_time("27.11.2026 10:30", &t), -1);
	assert_int_equal(admin_parse_local_time("2026-11-27 24:00", &t), -1);
	unsetenv("TZ");
	tzset();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pin_validity),
		cmocka_unit_test(test_pin_right_and_wrong),
		cmocka_unit_test(test_pin_rate_limit_doubles),
		cmocka_unit_test(test_corner_press),
		cmocka_unit_test(test_chart_scale),
		cmocka_unit_test(test_bytes_and_space),
		cmocka_unit_test(test_parse_local_time),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
