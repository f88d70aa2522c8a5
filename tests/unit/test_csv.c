/* Unit tests for kioskctl's input parsing: the RFC 4180 reader (physical line numbers, quotes,
 * BOM, CRLF), badge UIDs, ISO 8601 times and zones, and the roster/schedule models. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../tools/kioskctl/kioskctl.h"
#include "common/clock.h"

static void test_csv_quotes_newlines_and_lines(void **state)
{
	(void)state;
	const char *in = "\xEF\xBB\xBF" "a,b\r\n\"x, \"\"y\"\"\",\"two\nlines\"\r\n\n,last\n";
	csv_reader r;
	csv_record rec;
	char err[128];

	csv_init(&r, in, strlen(in));
	assert_int_equal(csv_next(&r, &rec, err, sizeof err), 1);
	assert_int_equal(rec.line, 1);
	assert_int_equal(rec.nfields, 2);
	assert_string_equal(rec.fields[0], "a"); /* BOM skipped */
	assert_int_equal(csv_next(&r, &rec, err, sizeof err), 1);
	assert_int_equal(rec.line, 2);
	assert_string_equal(rec.fields[0], "x, \"y\"");
	assert_string_equal(rec.fields[1], "two\nlines");
	assert_int_equal(csv_next(&r, &rec, err, sizeof err), 1);
	assert_int_equal(rec.line, 5); /* blank line 4 skipped, line 3 was inside quotes */
	assert_string_equal(rec.fields[0], "");
	assert_string_equal(rec.fields[1], "last");
	assert_int_equal(csv_next(&r, &rec, err, sizeof err), 0);
	csv_free(&r);
}

static void test_csv_errors(void **state)
{
	(void)state;
	const char *in = "a\n\"x\"y,z\nok\n\"open\nstill open\n";
	csv_reader r;
	csv_record rec;
	char err[128];

	csv_init(&r, in, strlen(in));
	assert_int_equal(csv_next(&r, &rec, err, sizeof err), 1);
	assert_int_equal(csv_next(&r, &rec, err, sizeof err), -1);
	assert_int_equal(rec.line, 2);
	assert_non_null(strstr(err, "after a closing quote"));
	assert_int_equal(csv_next(&r, &rec, err, sizeof err), 1); /* recovers on the next line */
	assert_string_equal(rec.fields[0], "ok");
	assert_int_equal(csv_next(&r, &rec, err, sizeof err), -1);
	assert_int_equal(rec.line, 4);
	assert_non_null(strstr(err, "unterminated"));
	assert_int_equal(csv_next(&r, &rec, err, sizeof err), 0);
	csv_free(&r);
}

/* A bare CR ends a line (old Mac Excel) unless it is quoted; field lengths count a NUL. */
static void test_csv_cr_only_and_nul(void **state)
{
	(void)state;
	const char in[] = "a,b\rx,\"q\rr\"\r\ry,N\0L\r";
	csv_reader r;
	csv_record rec;
	char err[128];
	unsigned cp = 99;

	csv_init(&r, in, sizeof in - 1);
	assert_int_equal(csv_next(&r, &rec, err, sizeof err), 1);
	assert_int_equal(rec.line, 1);
	assert_string_equal(rec.fields[1], "b");
	assert_int_equal(csv_next(&r, &rec, err, sizeof err), 1);
	assert_int_equal(rec.line, 2);
	assert_string_equal(rec.fields[1], "q\rr"); /* quoted CR kept as data */
	assert_int_equal(csv_bad_control(&rec, &cp), -1);
	assert_int_equal(csv_next(&r, &rec, err, sizeof err), 1);
	assert_int_equal(rec.line, 5); /* line 3 was inside quotes, line 4 blank */
	assert_int_equal(rec.lens[1], 3);
	assert_int_equal(csv_bad_control(&rec, &cp), 1);
	assert_int_equal(cp, 0);
	assert_int_equal(csv_next(&r, &rec, err, sizeof err), 0);
	csv_free(&r);
}

static void test_roster_refuses_nul_and_controls(void **state)
{
	(void)state;
	const char in[] = "attendee_id,name,affiliation\nX-1,Fir\0st,\nX-2,\"E\x1b\",\"a\tb\nc\"\n"
			  "X-3,\"ok\tname\",\"line\r\nbreak\"\n";
	roster r;
	diag d = { 0 };
	assert_int_equal(roster_parse(&r, "r.csv", in, sizeof in - 1, &d), 2);
	assert_string_equal(d.lines[0], "r.csv:2: NUL byte in field 2 (name); a NUL would cut the text "
					 "short: remove it, and save the file as UTF-8 (not UTF-16)");
	assert_string_equal(d.lines[1], "r.csv:3: control character U+001B in field 2 (name); only TAB, "
					 "LF and CR may appear inside a field");
	assert_int_equal(r.n, 1);
	assert_string_equal(r.v[0].name, "ok\tname");
	assert_string_equal(r.v[0].affiliation, "line\r\nbreak");
	roster_free(&r);
	diag_free(&d);

	const char hdr[] = "attendee_id,name\n";
	assert_int_equal(roster_parse(&r, "h.csv", hdr, sizeof hdr - 1, &d), 1);
	assert_string_equal(d.lines[0], "h.csv: no attendees after the header row");
	roster_free(&r);
	diag_free(&d);
}

static void test_schedule_json_refuses_overflow_and_nul(void **state)
{
	(void)state;
	const char *head = "{\"schedule\": {\"conference\": {\"days\": [{\"date\": \"2026-05-14\", \"rooms\": {\"R\": [\n";
	const char *tail = "]}}]}}}\n";
	struct { const char *event, *want; } cases[] = {
		{ "{\"id\": 99999999999999999999999999999999, \"date\": \"2026-05-14T10:00:00Z\", \"duration\": \"01:00\", \"title\": \"T\"}",
		  "s.json:2: number 99999999999999999999999999999999 in field \"id\" is too large to keep exactly; write it as a string" },
		{ "{\"id\": 1, \"date\": \"2026-05-14T10:00:00Z\", \"duration\": \"01:00\", \"title\": \"F\\u0000\"}",
		  "s.json:2: NUL byte (\\u0000) in field \"title\"; a NUL would cut the text short" },
		{ "{\"id\": 1, \"date\": \"2026-05-14T10:00:00Z\", \"duration\": \"01:00\", \"title\": \"F\x07\"}",
		  "s.json:2: control character U+0007 in field \"title\"; only TAB, LF and CR may appear in text" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char in[512];
		schedule sc = { 0 };
		diag d = { 0 };
		snprintf(in, sizeof in, "%s%s\n%s", head, cases[i].event, tail);
		assert_int_equal(schedule_parse_json(&sc, "s.json", in, strlen(in), "UTC", &d), 1);
		assert_string_equal(d.lines[0], cases[i].want);
		assert_int_equal(sc.n, 0);
		schedule_free(&sc);
		diag_free(&d);
	}
}

static void test_uid_parse(void **state)
{
	(void)state;
	uint8_t u[10];
	assert_int_equal(uid_parse("04:a2:2B:1c:5D:80:01", u), 7);
	assert_int_equal(u[0], 0x04);
	assert_int_equal(u[6], 0x01);
	assert_int_equal(uid_parse("04 A2 2B 1C", u), 4);
	assert_int_equal(uid_parse("0102030405060708090A", u), 10);
	assert_int_equal(uid_parse("04:A2:2B", u), -1);        /* 3 bytes */
	assert_int_equal(uid_parse("04:A2:2B:1C:5", u), -1);   /* half a byte */
	assert_int_equal(uid_parse("0:4A:22:B1C", u), -1);     /* separator inside a byte */
	assert_int_equal(uid_parse("04:A2:2B:ZZ", u), -1);
	assert_int_equal(uid_parse("0102030405060708090A0B", u), -1);
	assert_int_equal(uid_parse("", u), -1);
}

static void test_iso_and_zones(void **state)
{
	(void)state;
	civil_time c;
	int64_t t;
	assert_int_equal(iso_parse("2026-05-14T09:00", &c, 0), 0);
	assert_int_equal(civil_resolve(&c, "Europe/Berlin", &t), 0);
	assert_int_equal(t, 1778742000);
	assert_int_equal(civil_resolve(&c, "America/Chicago", &t), 0);
	assert_int_equal(t, 1778767200);
	assert_int_equal(iso_parse("2026-05-15T00:30:00+02:00", &c, 0), 0);
	assert_int_equal(civil_resolve(&c, "UTC", &t), 0); /* the offset wins over the zone */
	assert_int_equal(t, 1778797800);
	assert_int_equal(iso_parse("2026-05-14 09:00:00.250Z", &c, 0), 0);
	assert_int_equal(civil_to_epoch(&c), 1778749200);
	assert_int_equal(iso_parse("2026-02-29T10:00", &c, 0), -1); /* not a leap year */
	assert_int_equal(iso_parse("2026-05-14T24:00", &c, 0), -1);
	assert_int_equal(iso_parse("2026-05-14", &c, 0), -1);
	assert_int_equal(iso_parse("2026-05-14", &c, 1), 0);
	assert_int_equal(iso_parse("14/05/2026 09:00", &c, 0), -1);
	assert_true(tz_valid("Europe/Berlin"));
	assert_true(tz_valid("UTC"));
	assert_false(tz_valid("Not/AZone"));
	assert_false(tz_valid("../../etc/passwd"));
	assert_int_equal(clock_local_midnight_in("Europe/Berlin", 1779015600), 1778968800);
	assert_int_equal(duration_parse("01:30"), 5400);
	assert_int_equal(duration_parse("0:45:30"), 2730);
	assert_int_equal(duration_parse("45"), 2700);
	assert_int_equal(duration_parse("soon"), -1);
	assert_int_equal(duration_parse("1::2"), -1);
}

static void test_roster_all_problems_and_exact_unicode(void **state)
{
	(void)state;
	const char *in = "Name,ATTENDEE_ID,groups,badge_uid\r\n"
			 "\"Zoë \"\"Z\"\" 田中\",A-1, a ; b ;a;,04:A2:2B:1C:5D:80:01\r\n"
			 "Bob,A-1,,04:A2:2B:1C:5D:80:01\r\n"
			 ",A-2,,\r\n";
	roster r;
	diag d = { 0 };
	assert_int_equal(roster_parse(&r, "r.csv", in, strlen(in), &d), 3);
	assert_int_equal(r.n, 1);
	assert_string_equal(r.v[0].name, "Zoë \"Z\" 田中");
	assert_int_equal(r.v[0].ngroups, 2); /* trimmed, de-duplicated, empty dropped */
	assert_string_equal(r.v[0].groups[1], "b");
	assert_int_equal(r.v[0].visible, STORE_VISIBLE_UNSET);
	assert_string_equal(d.lines[0], "r.csv:3: duplicate attendee_id 'A-1' (first on line 2)");
	assert_string_equal(d.lines[1], "r.csv:3: duplicate badge_uid 04A22B1C5D8001 (first on line 2)");
	assert_string_equal(d.lines[2], "r.csv:4: missing name for attendee A-2");
	roster_free(&r);
	diag_free(&d);
}

static void test_schedule_xml_refuses_entities(void **state)
{
	(void)state;
	const char *in = "<?xml version=\"1.0\"?>\n<!DOCTYPE s [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n"
			 "<schedule><conference><title>&x;</title></conference></schedule>\n";
	schedule sc = { 0 };
	diag d = { 0 };
	assert_int_equal(schedule_parse_xml(&sc, "s.xml", in, strlen(in), "UTC", &d), 1);
	assert_null(sc.conference);
	schedule_free(&sc);
	diag_free(&d);
}

static void test_schedule_json_lines(void **state)
{
	(void)state;
	const char *in = "{\"schedule\": {\"conference\": {\"title\": \"T\", \"days\": [\n"
			 "{\"date\": \"2026-05-14\", \"rooms\": {\"Hall\": [\n"
			 "{\"id\": 5, \"date\": \"2026-05-14T10:00:00Z\", \"duration\": \"01:00\", \"title\": \"ok\"},\n"
			 "{\"id\": \"a \\\"{\\\" b\", \"date\": \"2026-05-14T10:00:00Z\", \"duration\": \"xx\", \"title\": \"bad\"}\n"
			 "]}}]}}}\n";
	schedule sc = { 0 };
	diag d = { 0 };
	assert_int_equal(schedule_parse_json(&sc, "s.json", in, strlen(in), "UTC", &d), 1);
	assert_string_equal(d.lines[0], "s.json:4: bad event duration 'xx': expected HH:MM");
	assert_int_equal(sc.n, 1);
	assert_string_equal(sc.v[0].id, "5");
	assert_string_equal(sc.v[0].room, "Hall");
	assert_int_equal(sc.v[0].end - sc.v[0].start, 3600);
	assert_int_equal(sc.v[0].line, 3);
	schedule_free(&sc);
	diag_free(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_csv_quotes_newlines_and_lines),
		cmocka_unit_test(test_csv_errors),
		cmocka_unit_test(test_csv_cr_only_and_nul),
		cmocka_unit_test(test_roster_refuses_nul_and_controls),
		cmocka_unit_test(test_schedule_json_refuses_overflow_and_nul),
		cmocka_unit_test(test_uid_parse),
		cmocka_unit_test(test_iso_and_zones),
		cmocka_unit_test(test_roster_all_problems_and_exact_unicode),
		cmocka_unit_test(test_schedule_xml_refuses_entities),
		cmocka_unit_test(test_schedule_json_lines),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
