/* Unit tests for the NDEF parser and builder: real badge layouts, then each way a badge can lie. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "common/util.h"
#include "nfc/ndef.h"

static int parse(const uint8_t *b, size_t n, char id[NDEF_ID_MAX], const char **why)
{
	*why = NULL;
	return ndef_parse_attendee(b, n, id, why);
}

#define P(arr) ({ int rc_ = parse(arr, sizeof arr, id, &why); if (rc_ < 0) print_message("why: %s\n", why ? why : "-"); rc_; })

static void test_build_then_parse(void **state)
{
	(void)state;
	uint8_t mem[496];
	char id[NDEF_ID_MAX];
	const char *why;
	int n = ndef_build_text("A-0001", mem, sizeof mem);
	/* 03 len | D1 01 09 'T' 02 'e' 'n' A-0001 | FE */
	assert_int_equal(n, 2 + 4 + 3 + 6 + 1);
	assert_int_equal(mem[0], 0x03);
	assert_int_equal(mem[2], 0xD1);
	assert_int_equal(mem[n - 1], 0xFE);
	assert_int_equal(parse(mem, (size_t)n, id, &why), NDEF_OK);
	assert_string_equal(id, "A-0001");
	assert_int_equal(ndef_tlv_span(mem, 4), n - 1);
	/* Too small a buffer is refused, not overrun. */
	assert_int_equal(ndef_build_text("A-0001", mem, 10), -1);
}

static void test_long_text_uses_long_forms(void **state)
{
	(void)state;
	uint8_t mem[600];
	char text[301], id[NDEF_ID_MAX];
	const char *why;
	memset(text, 'x', 300);
	text[300] = '\0';
	int n = ndef_build_text(text, mem, sizeof mem);
	assert_true(n > 300);
	assert_int_equal(mem[1], 0xFF);          /* 3-byte TLV length */
	assert_int_equal(mem[4] & 0x10, 0);      /* SR clear: 4-byte payload length */
	assert_int_equal(ndef_tlv_span(mem, 16), n - 1);
	/* It parses structurally, but such an id is refused. */
	assert_int_equal(parse(mem, (size_t)n, id, &why), NDEF_EMALFORMED);
	assert_non_null(strstr(why, "longer"));
}

static void test_uri_last_segment(void **state)
{
	(void)state;
	char id[NDEF_ID_MAX];
	const char *why;
	const uint8_t https[] = { 0x03, 0x1E, 0xD1, 0x01, 0x1A, 'U', 0x04,
		'c','o','n','f','.','e','x','a','m','p','l','e','.','o','r','g','/','a','/','A','-','0','0','0','1', 0xFE };
	assert_int_equal(P(https), NDEF_OK);
	assert_string_equal(id, "A-0001");
	const uint8_t query[] = { 0x03, 0x12, 0xD1, 0x01, 0x0E, 'U', 0x03,
		'h','/','x','/','B','-','7','/','?','q','=','1','#', 0xFE };
	assert_int_equal(P(query), NDEF_OK);
	assert_string_equal(id, "B-7");
	const uint8_t nopath[] = { 0x03, 0x0A, 0xD1, 0x01, 0x06, 'U', 0x04, 'h','o','s','t','/', 0xFE };
	assert_int_equal(P(nopath), NDEF_EMPTY);
	const uint8_t reserved[] = { 0x03, 0x07, 0xD1, 0x01, 0x03, 'U', 0x99, 'a','/', 0xFE };
	assert_int_equal(P(reserved), NDEF_EMALFORMED);
}

/* A badge written by a phone app often carries the conference page (URI) first: the Text
 * record after it holds the id and wins; a URI is the fallback only when no Text record
 * holds one. */
static void test_uri_then_text(void **state)
{
	(void)state;
	char id[NDEF_ID_MAX];
	const char *why;
	const uint8_t uri_text[] = { 0x03, 0x28,
		0x91, 0x01, 0x17, 'U', 0x04,
		'c','o','n','f','.','e','x','a','m','p','l','e','.','o','r','g','/','a','/','X','-','9',
		0x51, 0x01, 0x09, 'T', 0x02, 'e', 'n', 'A', '-', '0', '0', '4', '2', 0xFE };
	assert_int_equal(P(uri_text), NDEF_OK);
	assert_string_equal(id, "A-0042");
	/* A URI without a path (the site's home page) before the Text record. */
	const uint8_t home_text[] = { 0x03, 0x16,
		0x91, 0x01, 0x08, 'U', 0x04, 'c','o','n','f','.','x','/',
		0x51, 0x01, 0x06, 'T', 0x02, 'e', 'n', 'B', '-', '1', 0xFE };
	assert_int_equal(P(home_text), NDEF_OK);
	assert_string_equal(id, "B-1");
	/* A Text record that holds no usable id (a control character): the URI's id. */
	const uint8_t bad_text_uri[] = { 0x03, 0x15,
		0x91, 0x01, 0x05, 'T', 0x02, 'e', 'n', 'A', 0x1B,
		0x51, 0x01, 0x08, 'U', 0x04, 'h','/','a','/','C','-','3' , 0xFE };
	assert_int_equal(P(bad_text_uri), NDEF_OK);
	assert_string_equal(id, "C-3");
	/* Neither holds one: the first record's reason. */
	const uint8_t neither[] = { 0x03, 0x10,
		0x91, 0x01, 0x05, 'T', 0x02, 'e', 'n', 'A', 0x1B,
		0x51, 0x01, 0x03, 'U', 0x04, 'h','/', 0xFE };
	assert_int_equal(P(neither), NDEF_EMALFORMED);
	assert_non_null(why);
	assert_string_equal(id, "");
}

static void test_tlvs_before_ndef_are_skipped(void **state)
{
	(void)state;
	char id[NDEF_ID_MAX];
	const char *why;
	const uint8_t b[] = { 0x00, 0x01, 0x03, 0xA0, 0x0C, 0x34, 0x02, 0x03, 0x00, 0x10, 0x00, 0x00,
		0x03, 0x0A, 0xD1, 0x01, 0x06, 'T', 0x02, 'e', 'n', 'D', '-', '4', 0xFE };
	assert_int_equal(P(b), NDEF_OK);
	assert_string_equal(id, "D-4");
	/* With only the first bytes, the span is a lower bound past what we have. */
	assert_true(ndef_tlv_span(b, 6) > 6);
	assert_int_equal(ndef_tlv_span(b, sizeof b), 14 + 10);
}

static void test_utf16_text(void **state)
{
	(void)state;
	char id[NDEF_ID_MAX];
	const char *why;
	const uint8_t be[] = { 0x03, 0x0D, 0xD1, 0x01, 0x09, 'T', 0x82, 'e', 'n', 0xFE, 0xFF, 0x00, 'A', 0x00, 0xE9, 0xFE };
	assert_int_equal(P(be), NDEF_OK);
	assert_string_equal(id, "A\xC3\xA9");
	const uint8_t lone[] = { 0x03, 0x0A, 0xD1, 0x01, 0x06, 'T', 0x82, 'e', 'n', 0xD8, 0x00, 0xFE };
	assert_int_equal(P(lone), NDEF_EMALFORMED);
}

static void test_empty_and_blank(void **state)
{
	(void)state;
	char id[NDEF_ID_MAX];
	const char *why;
	const uint8_t blank[] = { 0x03, 0x00, 0xFE, 0x00 };
	assert_int_equal(P(blank), NDEF_EMPTY);
	const uint8_t term[] = { 0xFE, 0x00, 0x00, 0x00 };
	assert_int_equal(P(term), NDEF_EMPTY);
	assert_int_equal(ndef_tlv_span(term, sizeof term), -1);
	const uint8_t mime_only[] = { 0x03, 0x0D, 0xD2, 0x0A, 0x00, 't','e','x','t','/','p','l','a','i','n', 0xFE };
	assert_int_equal(P(mime_only), NDEF_EMPTY);
}

static void test_hostile(void **state)
{
	(void)state;
	char id[NDEF_ID_MAX];
	const char *why;
	const uint8_t overlong_tlv[] = { 0x03, 0x40, 0xD1, 0x01, 0x03, 'T', 0x02, 'e', 'n', 0xFE };
	assert_int_equal(P(overlong_tlv), NDEF_ETRUNCATED);
	assert_int_equal(ndef_tlv_span(overlong_tlv, 4), 2 + 0x40);
	const uint8_t past_end[] = { 0x03, 0xFF, 0xFF, 0xF0, 0xD1 };
	assert_int_equal(P(past_end), NDEF_ETRUNCATED);
	const uint8_t sr0_huge[] = { 0x03, 0x0C, 0xC1, 0x01, 0xFF, 0xFF, 0xFF, 0xF0, 'T', 0x02, 'e', 'n', 'A', 0x00, 0xFE };
	assert_int_equal(P(sr0_huge), NDEF_EMALFORMED);
	assert_non_null(why);
	const uint8_t chunked[] = { 0x03, 0x08, 0xB1, 0x01, 0x04, 'T', 0x02, 'e', 'n', 'A', 0xFE };
	assert_int_equal(P(chunked), NDEF_EMALFORMED);
	assert_non_null(strstr(why, "chunked"));
	const uint8_t zero_type[] = { 0x03, 0x07, 0xD1, 0x00, 0x04, 0x02, 'e', 'n', 'A', 0xFE };
	assert_int_equal(P(zero_type), NDEF_EMALFORMED);
	assert_non_null(strstr(why, "zero-length type"));
	const uint8_t lang_past[] = { 0x03, 0x07, 0xD1, 0x01, 0x03, 'T', 0x3F, 'e', 'n', 0xFE };
	assert_int_equal(P(lang_past), NDEF_EMALFORMED);
	const uint8_t control[] = { 0x03, 0x09, 0xD1, 0x01, 0x05, 'T', 0x02, 'e', 'n', 'A', 0x1B, 0xFE };
	assert_int_equal(P(control), NDEF_EMALFORMED);
	const uint8_t bad_utf8[] = { 0x03, 0x09, 0xD1, 0x01, 0x05, 'T', 0x02, 'e', 'n', 0xC0, 0xAF, 0xFE };
	assert_int_equal(P(bad_utf8), NDEF_EMALFORMED);
	const uint8_t no_mb[] = { 0x03, 0x08, 0x51, 0x01, 0x04, 'T', 0x02, 'e', 'n', 'A', 0xFE };
	assert_int_equal(P(no_mb), NDEF_EMALFORMED);
	const uint8_t unknown_tlv[] = { 0x42, 0x01, 0x00, 0x03, 0x00 };
	assert_int_equal(P(unknown_tlv), NDEF_EMALFORMED);
	/* Nothing at all. */
	assert_int_equal(parse((const uint8_t *)"", 0, id, &why), NDEF_ETRUNCATED);
}

static void test_cc(void **state)
{
	(void)state;
	const uint8_t ok[4] = { 0xE1, 0x10, 0x3E, 0x00 };
	const uint8_t ro[4] = { 0xE1, 0x10, 0x3E, 0x0F };   /* read-only is still readable */
	const uint8_t v2[4] = { 0xE1, 0x20, 0x3E, 0x00 };
	const uint8_t nomagic[4] = { 0x00, 0x10, 0x3E, 0x00 };
	const uint8_t noread[4] = { 0xE1, 0x10, 0x3E, 0x80 };
	assert_true(ndef_cc_valid(ok));
	assert_true(ndef_cc_valid(ro));
	assert_false(ndef_cc_valid(v2));
	assert_false(ndef_cc_valid(nomagic));
	assert_false(ndef_cc_valid(noread));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_build_then_parse),
		cmocka_unit_test(test_long_text_uses_long_forms),
		cmocka_unit_test(test_uri_last_segment),
		cmocka_unit_test(test_uri_then_text),
		cmocka_unit_test(test_tlvs_before_ndef_are_skipped),
		cmocka_unit_test(test_utf16_text),
		cmocka_unit_test(test_empty_and_blank),
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_cc),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
