/* kioskctl badge-write against the real libnfc and pn532-sim: a blank NTAG215 gets the id and
 * reads back through the kiosk's parser; Classic-like and locked badges are refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "common/util.h"
#include "nfc/ndef.h"
#include "sim_client.h"

int cmd_badge_write(int argc, char **argv);

static int run(sim_client *s, const char *id)
{
	char *argv[] = { (char *)"badge-write", (char *)"--reader", s->connstring, (char *)id, NULL };
	return cmd_badge_write(4, argv);
}

/* The tag's user memory (from page 4) as the sim holds it. */
static void dump_user(sim_client *s, uint8_t *mem, size_t len)
{
	char line[4096];
	assert_int_equal(sim_cmd(s, line, sizeof line, "dump"), 0);
	size_t n = 0;
	for (const char *p = line + 4; *p && n < 16 + len;) {
		if (*p == ' ') {
			p++;
			continue;
		}
		unsigned v;
		assert_int_equal(sscanf(p, "%2x", &v), 1);
		if (n >= 16)
			mem[n - 16] = (uint8_t)v;
		n++;
		p += 2;
	}
}

static void test_round_trip(void **state)
{
	(void)state;
	sim_client s;
	uint8_t mem[128];
	char id[NDEF_ID_MAX];
	const char *why;

	assert_int_equal(sim_start(&s, 0, NULL), 0);
	assert_int_equal(sim_cmd(&s, NULL, 0, "present 04a1b2c3d4e5f6"), 0);
	assert_int_equal(run(&s, "A-0042"), 0);
	dump_user(&s, mem, sizeof mem);
	assert_int_equal(ndef_parse_attendee(mem, sizeof mem, id, &why), NDEF_OK);
	assert_string_equal(id, "A-0042");
	/* Overwriting with a longer, non-ASCII id works too. */
	assert_int_equal(run(&s, "Zoë-Ünïcødé-2026-0001"), 0);
	dump_user(&s, mem, sizeof mem);
	assert_int_equal(ndef_parse_attendee(mem, sizeof mem, id, &why), NDEF_OK);
	assert_string_equal(id, "Zoë-Ünïcødé-2026-0001");
	sim_stop(&s, 0);
}

static void test_refuses_classic_and_locked(void **state)
{
	(void)state;
	sim_client s;

	assert_int_equal(sim_start(&s, 0, NULL), 0);
	assert_int_equal(sim_cmd(&s, NULL, 0, "present a1b2c3d4"), 0);
	assert_int_equal(run(&s, "A-1"), 1);
	assert_int_equal(sim_cmd(&s, NULL, 0, "present-ul 04000000000008"), 0);
	assert_int_equal(run(&s, "A-1"), 1); /* no GET_VERSION: not an NTAG21x */
	assert_int_equal(sim_cmd(&s, NULL, 0, "present 04000000000009 OLD-1"), 0);
	assert_int_equal(sim_cmd(&s, NULL, 0, "lock"), 0);
	assert_int_equal(run(&s, "A-1"), 1);
	assert_int_equal(sim_stat(&s, "tagops") >= 1, 1);
	sim_stop(&s, 0);
}

static void test_bad_usage_and_ids(void **state)
{
	(void)state;
	char *noreader[] = { (char *)"badge-write", (char *)"A-1", NULL };
	assert_int_equal(cmd_badge_write(2, noreader), 2);
	char *ctrl[] = { (char *)"badge-write", (char *)"--reader", (char *)"pn532_uart:/nonexistent",
			 (char *)"A\x01", NULL };
	assert_int_equal(cmd_badge_write(4, ctrl), 1);
	char *noread[] = { (char *)"badge-write", (char *)"--reader", (char *)"pn532_uart:/nonexistent/x",
			   (char *)"A-1", NULL };
	assert_int_equal(cmd_badge_write(4, noread), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_refuses_classic_and_locked),
		cmocka_unit_test(test_bad_usage_and_ids),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
