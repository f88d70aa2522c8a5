/* Unit tests for common/utf8: the one decoder every module shares. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "common/utf8.h"

static void test_next_decodes_each_length(void **state)
{
	const char *s = "A\xC3\xA9\xE4\xB8\xAD\xF0\x9F\x8E\x89", *p = s; /* A é 中 🎉 */
	(void)state;
	assert_int_equal(utf8_next(&p), 'A');
	assert_int_equal(utf8_next(&p), 0xE9);
	assert_int_equal(utf8_next(&p), 0x4E2D);
	assert_int_equal(utf8_next(&p), 0x1F389);
	assert_int_equal(*p, '\0');
}

/* Malformed input reads as U+FFFD one byte at a time and never steps over the NUL. */
static void test_next_malformed_is_replacement(void **state)
{
	const char *cases[] = { "\x80", "\xC3", "\xE4\xB8", "\xC0\xAF", "\xED\xA0\x80",
				"\xF4\x90\x80\x80", "\xFF" };
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *p = cases[i];
		assert_int_equal(utf8_next(&p), 0xFFFD);
		assert_ptr_equal(p, cases[i] + 1);
	}
}

static void test_prev_steps_back_one_character(void **state)
{
	const char *s = "a\xE4\xB8\xAD";
	(void)state;
	assert_ptr_equal(utf8_prev(s, s + 4), s + 1);
	assert_ptr_equal(utf8_prev(s, s + 1), s);
}

static void test_encode_round_trips(void **state)
{
	const uint32_t cps[] = { 0x24, 0xA2, 0x939, 0xAD6D, 0x1F1E9, 0x10FFFF };
	(void)state;
	for (size_t i = 0; i < sizeof cps / sizeof cps[0]; i++) {
		char buf[UTF8_MAX + 1] = { 0 };
		const char *p = buf;
		int n = utf8_encode(cps[i], buf);
		assert_true(utf8_valid(buf, (size_t)n));
		assert_int_equal(utf8_next(&p), cps[i]);
		assert_int_equal(p - buf, n);
	}
	{
		char buf[UTF8_MAX];
		assert_int_equal(utf8_encode(0xD800, buf), 3); /* a surrogate becomes U+FFFD */
		assert_memory_equal(buf, "\xEF\xBF\xBD", 3);
	}
}

static void test_valid(void **state)
{
	(void)state;
	assert_true(utf8_valid("한국어 ไทย", strlen("한국어 ไทย")));
	assert_false(utf8_valid("\xC0\xAF", 2));
	assert_false(utf8_valid("\xE4\xB8", 2));
}

/* The one CJK test: Han, kana and Hangul break anywhere; Latin, Thai and Arabic do not. */
static void test_is_wide_includes_hangul(void **state)
{
	(void)state;
	assert_true(utf8_is_wide(0x4E2D));  /* 中 */
	assert_true(utf8_is_wide(0x3042));  /* あ */
	assert_true(utf8_is_wide(0x30AB));  /* カ */
	assert_true(utf8_is_wide(0xAD6D));  /* 국 */
	assert_true(utf8_is_wide(0x1100));  /* Hangul jamo */
	assert_false(utf8_is_wide('a'));
	assert_false(utf8_is_wide(0x0E44)); /* Thai */
	assert_false(utf8_is_wide(0x0645)); /* Arabic */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_next_decodes_each_length),
		cmocka_unit_test(test_next_malformed_is_replacement),
		cmocka_unit_test(test_prev_steps_back_one_character),
		cmocka_unit_test(test_encode_round_trips),
		cmocka_unit_test(test_valid),
		cmocka_unit_test(test_is_wide_includes_hangul),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
