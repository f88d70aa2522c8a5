/* Unit tests for the kiosk's command line and config file (firmware/app/config.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "app/config.h"
#include "common/clock.h"

static int load(kiosk_config *c, int argc, const char **argv)
{
	return config_load(c, argc, (char **)argv);
}

static void test_flags_as_spec(void **state)
{
	kiosk_config c;
	const char *argv[] = { "kiosk", "--db", "k.db", "--reader", "pn532_uart:/dev/ttyS0",
			       "--usb-dir", "/media", "--kiosk-id", "k7", "--location", "Hall C",
			       "--window", "1024x600", "--rotate", "270" };
	(void)state;
	assert_int_equal(load(&c, (int)(sizeof argv / sizeof argv[0]), argv), 0);
	assert_string_equal(c.db_path, "k.db");
	assert_string_equal(c.reader, "pn532_uart:/dev/ttyS0");
	assert_string_equal(c.usb_dir, "/media");
	assert_string_equal(c.kiosk_id, "k7");
	assert_string_equal(c.location, "Hall C");
	assert_int_equal(c.width, 1024);
	assert_int_equal(c.height, 600);
	assert_int_equal(c.rotate, 270);
	assert_int_equal(c.fullscreen, 0);
	config_free(&c);
}

static void test_bad_flags_refused(void **state)
{
	const char *bad[][3] = {
		{ "kiosk", "--rotate", "45" },   { "kiosk", "--window", "800" },
		{ "kiosk", "--window", "10x10" }, { "kiosk", "--bogus", "1" },
		{ "kiosk", "--db", NULL },
	};
	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		kiosk_config c;
		int argc = bad[i][2] ? 3 : 2;
		assert_int_equal(load(&c, argc, bad[i]), -1);
		config_free(&c);
	}
	{
		kiosk_config c;
		const char *both[] = { "kiosk", "--fullscreen", "--window", "800x480" };
		assert_int_equal(load(&c, 4, both), -1);
		config_free(&c);
	}
}

static void test_file_keys_and_bad_lines(void **state)
{
	kiosk_config c;
	const char *argv[] = { "kiosk" };
	const char good[] = "# comment\n  idle_timeout = 45 \r\ndim_timeout=600\nrepeat_window = 0\n"
			    "admin_pin = 2468\nscene_file = /tmp/s\nwhat_is_this = 1\n\n";
	const char bad[] = "idle_timeout = soon\nno equals sign\n = x\nrotate = 33\n";
	(void)state;
	assert_int_equal(load(&c, 1, argv), 0);
	assert_int_equal(c.idle_timeout, 20); /* defaults */
	assert_int_equal(c.repeat_window, 60);
	assert_int_equal(config_apply_text(&c, good, sizeof good - 1, "t.conf"), 0);
	assert_int_equal(c.idle_timeout, 45);
	assert_int_equal(c.dim_timeout, 600);
	assert_int_equal(c.repeat_window, 0);
	assert_string_equal(c.admin_pin, "2468");
	assert_string_equal(c.scene_file, "/tmp/s");
	assert_int_equal(config_apply_text(&c, bad, sizeof bad - 1, "t.conf"), 4);
	assert_int_equal(c.idle_timeout, 45); /* a bad value changes nothing */
	assert_int_equal(c.rotate, 0);
	/* NUL bytes and invalid UTF-8 are bad lines, never crashes. */
	assert_int_equal(config_apply_text(&c, "a = \xff\n", 6, "t.conf"), 1);
	assert_int_equal(config_apply_text(&c, "a = b\0c\n", 8, "t.conf"), 1);
	config_free(&c);
}

/* display_diagonal (issue 14): inches, default 7 (the official Pi touchscreen), 3 to 100. */
static void test_display_diagonal(void **state)
{
	kiosk_config c;
	const char *argv[] = { "kiosk" };
	(void)state;
	assert_int_equal(load(&c, 1, argv), 0);
	assert_true(c.display_diagonal == 7.0);
	assert_int_equal(config_apply_text(&c, "display_diagonal = 10.1\n", 24, "t.conf"), 0);
	assert_true(c.display_diagonal > 10.09 && c.display_diagonal < 10.11);
	static const char *const bad[] = { "display_diagonal = 2.9\n", "display_diagonal = 101\n",
					   "display_diagonal = 7in\n", "display_diagonal = nan\n",
					   "display_diagonal =\n" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_int_equal(config_apply_text(&c, bad[i], strlen(bad[i]), "t.conf"), 1);
	assert_true(c.display_diagonal > 10.09 && c.display_diagonal < 10.11); /* unchanged */
	config_free(&c);
}

static void test_flags_override_file(void **state)
{
	kiosk_config c;
	char path[] = "/tmp/kith-config-test-XXXXXX";
	int fd = mkstemp(path);
	FILE *f = fdopen(fd, "w");
	const char *argv[] = { "kiosk", "--config", path, "--location", "Flag wins" };
	(void)state;
	fputs("location = File loses\nidle_timeout = 7\nwindow = 480x800\n", f);
	fclose(f);
	assert_int_equal(load(&c, 5, argv), 0);
	assert_string_equal(c.location, "Flag wins");
	assert_int_equal(c.idle_timeout, 7);
	assert_int_equal(c.width, 480);
	assert_int_equal(c.height, 800);
	config_free(&c);
	remove(path);
}

/* day_starts: HH:MM from 00:00 to 23:59, default 04:00; anything else is a bad line. */
static void test_day_starts(void **state)
{
	kiosk_config c;
	const char *argv[] = { "kiosk" };
	(void)state;
	assert_int_equal(load(&c, 1, argv), 0);
	assert_int_equal(c.day_starts, 4 * 60);
	assert_int_equal(clock_day_starts(), 4 * 60);
	assert_int_equal(config_apply_text(&c, "day_starts = 00:00\n", 19, "t.conf"), 0);
	assert_int_equal(c.day_starts, 0);
	assert_int_equal(config_apply_text(&c, "day_starts = 05:30\n", 19, "t.conf"), 0);
	assert_int_equal(c.day_starts, 5 * 60 + 30);
	const char bad[] = "day_starts = 25:00\nday_starts = abc\nday_starts = 4\nday_starts =\n";
	assert_int_equal(config_apply_text(&c, bad, sizeof bad - 1, "t.conf"), 4);
	assert_int_equal(c.day_starts, 5 * 60 + 30); /* a bad value changes nothing */
	config_free(&c);
}

/* volume: 0..100, default 70 (docs/CONTRACT.md "Sound and speech"); 0 is sound off. */
static void test_volume(void **state)
{
	kiosk_config c;
	const char *argv[] = { "kiosk" };
	const char bad[] = "volume = 101\nvolume = -1\nvolume = loud\nvolume = 50%\n";
	(void)state;
	assert_int_equal(load(&c, 1, argv), 0);
	assert_int_equal(c.volume, 70);
	assert_int_equal(config_apply_text(&c, "volume = 0\n", 11, "t.conf"), 0);
	assert_int_equal(c.volume, 0);
	assert_int_equal(config_apply_text(&c, "volume = 100\n", 13, "t.conf"), 0);
	assert_int_equal(config_apply_text(&c, bad, sizeof bad - 1, "t.conf"), 4);
	assert_int_equal(c.volume, 100); /* a bad value changes nothing */
	config_free(&c);
}

/* A malformed KITH_CLOCK refuses to start (config_load -1: the kiosk exits 2). */
static void test_bad_test_clock_refused(void **state)
{
	kiosk_config c;
	const char *argv[] = { "kiosk" };
	(void)state;
	setenv("KITH_CLOCK", "yesterday", 1);
	assert_int_equal(load(&c, 1, argv), -1);
	config_free(&c);
	setenv("KITH_CLOCK", "2026-03-29T01:30:00Z", 1);
	assert_int_equal(load(&c, 1, argv), 0);
	assert_true(clock_is_set());
	config_free(&c);
	unsetenv("KITH_CLOCK");
	assert_int_equal(load(&c, 1, argv), 0);
	assert_false(clock_is_set());
	config_free(&c);
}

/* Every refused line is kept for the screen (--errors-on-screen), FILE:LINE, value and form;
 * the flags still apply after a bad file, so the message shows on the display they ask for. */
static void test_refused_lines_collected(void **state)
{
	kiosk_config c;
	char path[] = "/tmp/kith-config-test-XXXXXX";
	int fd = mkstemp(path);
	FILE *f = fdopen(fd, "w");
	const char *argv[] = { "kiosk", "--config", path, "--window", "640x480", "--errors-on-screen" };
	const char *bogus[] = { "kiosk", "--bogus", "--errors-on-screen" };
	const char *fine[] = { "kiosk", "--window", "800x480" };
	char want[256];
	(void)state;
	fputs("rotate = 45\nscene_file = /tmp/s\nwindow = abc\n", f);
	fclose(f);
	assert_int_equal(load(&c, 6, argv), -1);
	assert_int_equal(c.errors_on_screen, 1);
	assert_non_null(c.errors);
	snprintf(want, sizeof want, "%s:1: rotate must be 0, 90, 180 or 270, not '45'\n", path);
	assert_non_null(strstr(c.errors, want));
	snprintf(want, sizeof want, "%s:3: window must be WIDTHxHEIGHT (e.g. 800x480), not 'abc'\n",
		 path);
	assert_non_null(strstr(c.errors, want));
	assert_string_equal(c.scene_file, "/tmp/s");
	assert_int_equal(c.width, 640);
	assert_int_equal(c.rotate, 0);
	config_free(&c);
	assert_null(c.errors);
	remove(path);

	/* A refused flag before --errors-on-screen: the flag is still seen. */
	assert_int_equal(load(&c, 3, bogus), -1);
	assert_int_equal(c.errors_on_screen, 1);
	assert_non_null(strstr(c.errors, "unknown option '--bogus'"));
	config_free(&c);

	assert_int_equal(load(&c, 3, fine), 0);
	assert_null(c.errors);
	assert_int_equal(c.errors_on_screen, 0);
	config_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_flags_as_spec),
		cmocka_unit_test(test_bad_flags_refused),
		cmocka_unit_test(test_file_keys_and_bad_lines),
		cmocka_unit_test(test_flags_override_file),
		cmocka_unit_test(test_day_starts),
		cmocka_unit_test(test_volume),
		cmocka_unit_test(test_bad_test_clock_refused),
		cmocka_unit_test(test_refused_lines_collected),
		cmocka_unit_test(test_display_diagonal),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
