/* Unit tests for itemizing a line (ui_runs.c), on SDL's dummy video driver with the installed
 * fonts: controls never reach a font, mixed directions come out in visual order, every script
 * gets a font that has it, and an emoji sequence stays in one run. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ui_fixture.h"

#include "common/utf8.h"
#include "ui/ui_internal.h"


static int have(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (f)
		fclose(f);
	return f != NULL;
}

static void run_text(const ui_line *l, int i, char *out)
{
	memcpy(out, l->text + l->run[i].start, (size_t)l->run[i].len);
	out[l->run[i].len] = '\0';
}

static void test_clean_controls(void **state)
{
	char out[64];
	(void)state;
	assert_int_equal(ui_text_clean("County\nLibrary", out, sizeof out), 1);
	assert_string_equal(out, "County Library");
	ui_text_clean("a\tb\r\nc", out, sizeof out);
	assert_string_equal(out, "a b  c");
	ui_text_clean("x\x1b[0m\x07y\x7f", out, sizeof out);
	assert_string_equal(out, "x[0my");
	ui_text_clean("p\xC2\x85q\xE2\x80\xA8r\xC2\x9B", out, sizeof out); /* NEL, LS, CSI */
	assert_string_equal(out, "p q r");
	assert_int_equal(ui_text_clean("Jonas Müller", out, sizeof out), 0);
	assert_string_equal(out, "Jonas Müller");
}

/* Every code point of the line is in the font of its run. */
static void assert_covered(ui *u, const ui_line *l)
{
	for (int i = 0; i < l->nrun; i++) {
		const char *p = l->text + l->run[i].start, *end = p + l->run[i].len;
		while (p < end) {
			uint32_t cp = utf8_next(&p);
			assert_true(ui_font_covers(u, l->run[i].font, 32, cp));
		}
	}
}

static void test_every_script_has_a_font(void **state)
{
	static const char *names[] = { "김민준", "สมชาย ใจดี", "प्रिया शर्मा", "অমিত দাস",
				       "கமலா", "አበበ በቀለ", "Γιώργος", "Анна", "נועה כהן" };
	ui *u = *state;
	ui_line l;

	if (!have("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc") ||
	    !have("/usr/share/fonts/truetype/noto/NotoSansThai-Regular.ttf"))
		skip(); /* tools/install-deps.sh run */
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		assert_true(ui_line_itemize(u, names[i], UI_FACE_REGULAR, 32, &l) > 0);
		assert_int_equal(l.missing, 0);
		assert_string_equal(l.text, names[i]);
		assert_covered(u, &l);
	}
	ui_line_itemize(u, "प्रिया", UI_FACE_REGULAR, 32, &l); /* shaped as Devanagari */
	assert_int_equal(l.nrun, 1);
	assert_string_equal(l.run[0].script, "Deva");
	ui_line_itemize(u, "김민준", UI_FACE_BOLD, 32, &l);
	assert_string_equal(l.run[0].script, "Hang");
}

/* "محمد العلي (MIT)": right-to-left paragraph; visually ")" "MIT" then the Arabic. */
static void test_bidi_arabic_with_latin(void **state)
{
	ui *u = *state;
	ui_line l;
	char t[256];

	assert_int_equal(ui_line_itemize(u, "محمد العلي (MIT)", UI_FACE_REGULAR, 32, &l), 3);
	run_text(&l, 0, t);
	assert_string_equal(t, ")");
	assert_true(l.run[0].level & 1);
	run_text(&l, 1, t);
	assert_string_equal(t, "MIT");
	assert_false(l.run[1].level & 1);
	run_text(&l, 2, t);
	assert_string_equal(t, "محمد العلي (");
	assert_true(l.run[2].level & 1);
	assert_string_equal(l.run[2].script, "Arab");
}

/* Digits inside Arabic stay left-to-right in the middle; a Latin line stays one run. */
static void test_bidi_digits_and_ltr(void **state)
{
	ui *u = *state;
	ui_line l;
	char t[256];

	assert_int_equal(ui_line_itemize(u, "قاعة 42 الكبرى", UI_FACE_REGULAR, 32, &l), 3);
	run_text(&l, 0, t);
	assert_string_equal(t, " الكبرى"); /* the space after the digits is at level 1 */
	run_text(&l, 1, t);
	assert_string_equal(t, "42");
	assert_false(l.run[1].level & 1);
	assert_int_equal(ui_line_itemize(u, "Noa Cohen נועה כהן", UI_FACE_REGULAR, 32, &l), 2);
	run_text(&l, 0, t);
	assert_string_equal(t, "Noa Cohen ");
	assert_int_equal(l.run[0].level, 0);
	assert_int_equal(l.run[1].level, 1);
}

/* A ZWJ family, a flag and a skin tone are each one run of one font: one glyph, not boxes. */
static void test_emoji_sequences_stay_whole(void **state)
{
	static const char *seqs[] = { "👨‍👩‍👧", "🇩🇪", "👍🏽", "🎉" };
	ui *u = *state;
	ui_line l;
	char t[256];

	if (!have("/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf"))
		skip();
	for (size_t i = 0; i < sizeof seqs / sizeof seqs[0]; i++) {
		char line[64];
		snprintf(line, sizeof line, "Sam %s Lee", seqs[i]);
		assert_int_equal(ui_line_itemize(u, line, UI_FACE_REGULAR, 32, &l), 3);
		assert_int_equal(l.missing, 0);
		run_text(&l, 1, t);
		assert_string_equal(t, seqs[i]);
		assert_true(ui_font_bitmap(u, l.run[1].font)); /* the colour font */
		run_text(&l, 2, t);
		assert_string_equal(t, " Lee"); /* the space is the text font's, not the emoji's */
	}
}

/* A character no installed font has is left out, not drawn as .notdef. */
static void test_missing_left_out(void **state)
{
	ui *u = *state;
	ui_line l;

	ui_line_itemize(u, "A\xF0\x9F\xBF\xBD" "B", UI_FACE_REGULAR, 32, &l); /* U+1FFFD */
	assert_int_equal(l.missing, 0x1FFFD);
	assert_string_equal(l.text, "AB");
}

/* Word wrap breaks between Hangul syllables (no spaces needed) and at newlines. */
static void test_wrap_hangul_and_newline(void **state)
{
	ui *u = *state;
	const SDL_Color white = { 255, 255, 255, 255 }, black = { 0, 0, 0, 255 };
	const char *ko = "국립중앙도서관국립중앙도서관국립중앙도서관";
	int lh = ui_line_height(u, UI_FACE_REGULAR, 24), w, h;

	ui_text_size(u, ko, UI_FACE_REGULAR, 24, &w, &h);
	ui_frame_begin(u, "test", black);
	assert_true(ui_text_wrap(u, ko, UI_FACE_REGULAR, 24, white, 0, 0, w / 2 + 10, 4, UI_LEFT) >=
		    2 * lh);
	assert_true(ui_text_wrap(u, "County\nLibrary", UI_FACE_REGULAR, 24, white, 0, 0, 700, 3,
				 UI_LEFT) >= 2 * lh);
	assert_true(ui_text_wrap(u, "County Library", UI_FACE_REGULAR, 24, white, 0, 0, 700, 3,
				 UI_LEFT) < 2 * lh);
	ui_frame_discard(u);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clean_controls),
		cmocka_unit_test(test_every_script_has_a_font),
		cmocka_unit_test(test_bidi_arabic_with_latin),
		cmocka_unit_test(test_bidi_digits_and_ltr),
		cmocka_unit_test(test_emoji_sequences_stay_whole),
		cmocka_unit_test(test_missing_left_out),
		cmocka_unit_test(test_wrap_hangul_and_newline),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
