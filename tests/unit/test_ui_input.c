/* Unit tests for the UI toolkit's tap recogniser and kinetic scrolling (firmware/ui). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "ui/ui.h"

static ui_pointer ptr(enum ui_pointer_kind k, int x, int y, uint64_t ms)
{
	ui_pointer p = { k, x, y, ms * 1000000ULL };
	return p;
}

static void test_tap_inside_only(void **state)
{
	ui_tap t = { { 10, 10, 100, 50 }, 0, 0 };
	ui_pointer p;
	(void)state;
	p = ptr(UI_POINTER_DOWN, 20, 20, 0);
	assert_int_equal(ui_tap_feed(&t, &p), 0);
	assert_true(t.pressed && t.inside);
	p = ptr(UI_POINTER_UP, 30, 30, 50);
	assert_int_equal(ui_tap_feed(&t, &p), 1); /* one tap, once */
	assert_int_equal(ui_tap_feed(&t, &p), 0);
	/* Pressed inside, slid out, released outside: no tap. */
	p = ptr(UI_POINTER_DOWN, 20, 20, 100);
	ui_tap_feed(&t, &p);
	p = ptr(UI_POINTER_MOVE, 300, 20, 120);
	ui_tap_feed(&t, &p);
	assert_false(t.inside);
	p = ptr(UI_POINTER_UP, 300, 20, 140);
	assert_int_equal(ui_tap_feed(&t, &p), 0);
	/* Pressed outside, released inside: no tap either. */
	p = ptr(UI_POINTER_DOWN, 0, 0, 200);
	ui_tap_feed(&t, &p);
	p = ptr(UI_POINTER_UP, 20, 20, 220);
	assert_int_equal(ui_tap_feed(&t, &p), 0);
}

static void test_scroll_drag_and_fling(void **state)
{
	ui_scroll s;
	ui_pointer p;
	int moving, frames = 0;
	(void)state;
	memset(&s, 0, sizeof s);
	s.view = (SDL_Rect){ 0, 0, 400, 300 };
	s.content_h = 3000;
	p = ptr(UI_POINTER_DOWN, 100, 250, 0);
	assert_int_equal(ui_scroll_feed(&s, &p), 0);
	p = ptr(UI_POINTER_MOVE, 100, 245, 10); /* inside the slop: still a tap */
	assert_int_equal(ui_scroll_feed(&s, &p), 0);
	for (int i = 1; i <= 10; i++) {
		p = ptr(UI_POINTER_MOVE, 100, 245 - 20 * i, 10 + 10 * (uint64_t)i);
		assert_int_equal(ui_scroll_feed(&s, &p), 1);
	}
	assert_true(s.offset > 150);
	p = ptr(UI_POINTER_UP, 100, 45, 115);
	assert_int_equal(ui_scroll_feed(&s, &p), 1); /* the lift ends a drag, not a tap */
	assert_true(s.velocity > 500);
	{
		float before = s.offset;
		do {
			moving = ui_scroll_update(&s, 1.0f / 60);
		} while (moving && ++frames < 600);
		assert_true(s.offset > before); /* coasted on */
		assert_true(frames < 600);      /* and stopped by friction */
	}
}

static void test_scroll_rubber_band(void **state)
{
	ui_scroll s;
	int frames = 0;
	(void)state;
	memset(&s, 0, sizeof s);
	s.view = (SDL_Rect){ 0, 0, 400, 300 };
	s.content_h = 1000;
	s.offset = -120; /* pulled past the top */
	while (ui_scroll_update(&s, 1.0f / 60) && ++frames < 600)
		;
	assert_true(s.offset == 0.0f);
	s.offset = 900; /* past the end: max is 700 */
	frames = 0;
	while (ui_scroll_update(&s, 1.0f / 60) && ++frames < 600)
		;
	assert_true(s.offset == 700.0f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tap_inside_only),
		cmocka_unit_test(test_scroll_drag_and_fling),
		cmocka_unit_test(test_scroll_rubber_band),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
