/* Unit tests for the screens' animation clock (firmware/screens/router.c): the app draws a frame
 * only while screen_update says something moves, so that answer decides what stays on screen. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "screens/router.h"

#define MS 1000000ULL

/* A frame that takes longer than the whole entrance (a first frame compiling shaders, as under
 * QEMU's emulation) must still be followed by one frame drawn at the animation's end state:
 * the welcome screen's name fades in, and the frame drawn at the start shows it transparent. */
static void test_entrance_ends_with_a_frame(void **state)
{
	screen_state st;
	enum screen_action act;
	(void)state;
	memset(&st, 0, sizeof st);
	st.id = SCREEN_WELCOME;
	st.shown_ns = 1000 * MS;
	assert_int_equal(screen_update(&st, 0.016f, 1000 * MS, &act), 1);  /* first frame */
	assert_int_equal(screen_update(&st, 4.0f, 5000 * MS, &act), 1);    /* 4 s later: one more */
	assert_int_equal(screen_update(&st, 0.016f, 5016 * MS, &act), 0);  /* then rest */
	assert_int_equal(screen_update(&st, 0.016f, 5032 * MS, &act), 0);
}

static void test_entrance_at_frame_rate(void **state)
{
	screen_state st;
	enum screen_action act;
	int frames = 0;
	uint64_t t;
	(void)state;
	memset(&st, 0, sizeof st);
	st.id = SCREEN_UNKNOWN;
	st.shown_ns = 0;
	for (t = 0; t < 2000 * MS; t += 16 * MS)
		frames += screen_update(&st, 0.016f, t, &act);
	/* Every frame of the animation plus the one at its end, and nothing after. */
	assert_int_equal(frames, (int)(SCREEN_ENTRANCE_NS / (16 * MS)) + 2);
}

static void test_attract_always_moves(void **state)
{
	screen_state st;
	enum screen_action act;
	(void)state;
	memset(&st, 0, sizeof st);
	st.id = SCREEN_ATTRACT;
	assert_int_equal(screen_update(&st, 0.016f, 60000 * MS, &act), 1);
	assert_int_equal(screen_update(&st, 0.016f, 61000 * MS, &act), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_entrance_ends_with_a_frame),
		cmocka_unit_test(test_entrance_at_frame_rate),
		cmocka_unit_test(test_attract_always_moves),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
