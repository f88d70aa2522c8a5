/* Unit tests for common/util: UTF-8 validation and UTF-8-safe truncation. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "common/util.h"

static void test_utf8_valid_accepts_scripts(void **state)
{
	(void)state;
	const char *ok[] = { "", "ascii", "Zoë Müller", "田中 花子", "مكتبة", "📚 Library", };
	for (size_t i = 0; i < ARRAY_LEN(ok); i++)
		assert_true(utf8_valid(ok[i], strlen(ok[i])));
}

static void test_utf8_valid_rejects_bad(void **state)
{
	(void)state;
	const char *bad[] = { "\xC3", "\xC0\xAF", "\xED\xA0\x80", "\xF4\x90\x80\x80", "a\xFF", "\xE2\x82", };
	for (size_t i = 0; i < ARRAY_LEN(bad); i++)
		assert_false(utf8_valid(bad[i], strlen(bad[i])));
}

static void test_str_copy_utf8_never_cuts_a_character(void **state)
{
	(void)state;
	char buf[5];
	assert_int_equal(str_copy_utf8(buf, sizeof buf, "ab田中"), 1);
	assert_string_equal(buf, "ab");
	assert_int_equal(str_copy_utf8(buf, sizeof buf, "abcd"), 0);
	assert_string_equal(buf, "abcd");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_utf8_valid_accepts_scripts),
		cmocka_unit_test(test_utf8_valid_rejects_bad),
		cmocka_unit_test(test_str_copy_utf8_never_cuts_a_character),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
