/* Unit tests for the toolkit's text runs, on SDL's dummy video driver with the real fonts:
 * every character is drawn by a font that has its glyph. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "ui_fixture.h"

#include "ui/ui.h"
#include "ui/ui_internal.h" /* the text cache's counters */

#include <stdio.h>


static int width(ui *u, const char *text)
{
	int w = 0, h = 0;
	ui_text_size(u, text, UI_FACE_REGULAR, 32, &w, &h);
	return w;
}

/* Lit pixels in the upper half of the rectangle [x0, x1) x [top, top + height / 2). */
static int lit_upper_half(ui *u, int x0, int x1, int top, int height)
{
	SDL_Rect r = { x0, top, x1 - x0, height / 2 };
	uint32_t px[64 * 64];
	int lit = 0;

	assert_true(r.w > 0 && r.w <= 64 && r.h <= 64);
	assert_int_equal(SDL_RenderReadPixels(ui_renderer(u), &r, SDL_PIXELFORMAT_ARGB8888, px,
					      r.w * 4), 0);
	for (int i = 0; i < r.w * r.h; i++)
		lit += (px[i] & 0xFF) > 0x80;
	return lit;
}

/* "…" after CJK text: the CJK fallback has no ellipsis glyph, so the ellipsis must be drawn in
 * the primary font (three dots on the baseline), never as the fallback's empty box (whose
 * outline lights the upper half of the cell). */
static void test_ellipsis_after_cjk_uses_a_font_that_has_it(void **state)
{
	ui *u = *state;
	const SDL_Color white = { 255, 255, 255, 255 }, black = { 0, 0, 0, 255 };
	int cjk = width(u, "地域");
	int ellipsis = width(u, "\xE2\x80\xA6");
	int h = ui_line_height(u, UI_FACE_REGULAR, 32);

	assert_true(cjk > 0 && ellipsis > 0);
	ui_frame_begin(u, "test", black);
	ui_text(u, "地域\xE2\x80\xA6", UI_FACE_REGULAR, 32, white, 0, 0, 800, UI_LEFT);
	assert_true(lit_upper_half(u, 0, cjk, 0, h) > 0); /* the CJK did draw */
	assert_int_equal(lit_upper_half(u, cjk + 2, cjk + ellipsis - 2, 0, h), 0);
	ui_frame_discard(u);
}

/* Punctuation the fallback does have (a space) stays in the CJK run. */
static void test_space_between_cjk_stays_in_run(void **state)
{
	ui *u = *state;
	assert_true(width(u, "田中 花子") > width(u, "田中花子"));
}

/* The text cache is bounded by its pixel bytes, not only by its count: a soak of a thousand
 * distinct names keeps it within the budget, and a line evicted long ago draws again. */
static void test_text_cache_stays_within_its_bytes(void **state)
{
	ui_options o = { .title = "test", .width = 800, .height = 480,
			 .text_cache_bytes = 1024 * 1024 };
	const SDL_Color white = { 255, 255, 255, 255 }, black = { 0, 0, 0, 255 };
	char line[64];
	size_t most = 0;
	ui *u = NULL;

	(void)state;
	assert_int_equal(ui_open(&u, &o), 0);
	for (int i = 0; i < 1000; i++) {
		snprintf(line, sizeof line, "Attendee number %d of a long day", i);
		ui_frame_begin(u, "test", black);
		ui_text(u, line, UI_FACE_BOLD, 16 + i % 20, white, 0, 0, 800, UI_LEFT);
		ui_frame_discard(u);
		assert_true(u->cache_bytes <= u->cache_bytes_max);
		most = u->cache_bytes > most ? u->cache_bytes : most;
	}
	assert_true(u->cache_len > 1 && u->cache_len < 1000);
	assert_true(most > u->cache_bytes_max / 2); /* the budget, not the count, was the bound */
	{
		size_t sum = 0;
		for (int i = 0; i < u->cache_len; i++)
			sum += u->cache[i].bytes;
		assert_true(sum == u->cache_bytes); /* evictions kept the books */
	}
	ui_frame_begin(u, "test", black);
	assert_true(ui_text(u, "Attendee number 0 of a long day", UI_FACE_BOLD, 16, white, 0, 0,
			    800, UI_LEFT).w > 100);
	ui_frame_discard(u);
	ui_close(u);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ellipsis_after_cjk_uses_a_font_that_has_it),
		cmocka_unit_test(test_space_between_cjk_stays_in_run),
		cmocka_unit_test(test_text_cache_stays_within_its_bytes),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
