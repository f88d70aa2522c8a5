/* Unit tests for sync/mountinfo: parsing /proc/self/mountinfo lines and picking the mounts at
 * or below --usb-dir, which is how the kiosk tells a stick appeared or went. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "common/util.h"
#include "sync/mountinfo.h"

static void test_parse_line_fields(void **state)
{
	(void)state;
	mount_entry e;
	assert_int_equal(mountinfo_parse_line("36 35 98:0 /mnt1 /mnt/parent rw,noatime master:1 - "
					      "ext3 /dev/root rw,errors=continue", &e), 0);
	assert_int_equal(e.id, 36);
	assert_string_equal(e.point, "/mnt/parent");
	assert_string_equal(e.fstype, "ext3");
	assert_false(e.readonly);

	assert_int_equal(mountinfo_parse_line("412 30 7:3 / /media/usb/sda1 ro,relatime - vfat "
					      "/dev/loop3 ro,fmask=0022\n", &e), 0);
	assert_int_equal(e.id, 412);
	assert_string_equal(e.point, "/media/usb/sda1");
	assert_string_equal(e.fstype, "vfat");
	assert_true(e.readonly);
}

static void test_parse_line_unescapes_point(void **state)
{
	(void)state;
	mount_entry e;
	assert_int_equal(mountinfo_parse_line("50 30 7:1 / /media/usb/My\\040Stick\\134x rw - vfat "
					      "/dev/sdb1 rw", &e), 0);
	assert_string_equal(e.point, "/media/usb/My Stick\\x");
	/* "rootfs-ish" options such as "rw,ro-ish" must not read as read-only */
	assert_int_equal(mountinfo_parse_line("51 30 7:1 / /x rwx,roo - vfat s rw", &e), 0);
	assert_false(e.readonly);
}

static void test_parse_line_rejects_garbage(void **state)
{
	(void)state;
	mount_entry e;
	const char *bad[] = { "", "\n", "x 1 2 3 4 5 - a b c", "36 35 98:0 /mnt1", 
			      "36 35 98:0 / /p rw shared:1", "-5 1 0:1 / /p rw - t s o",
			      "99999999999 1 0:1 / /p rw - t s o" };
	for (size_t i = 0; i < ARRAY_LEN(bad); i++)
		assert_int_equal(mountinfo_parse_line(bad[i], &e), -1);
	/* a mount point longer than the buffer is refused, not truncated */
	size_t n = MOUNTINFO_PATH_MAX + 100;
	char *line = calloc(1, n + 64);
	strcpy(line, "1 1 0:1 / /");
	memset(line + strlen(line), 'a', n);
	strcat(line, " rw - vfat s rw");
	assert_int_equal(mountinfo_parse_line(line, &e), -1);
	free(line);
}

static void test_is_under(void **state)
{
	(void)state;
	assert_true(mountinfo_is_under("/media/usb", "/media/usb"));
	assert_true(mountinfo_is_under("/media/usb/sda1", "/media/usb"));
	assert_true(mountinfo_is_under("/media/usb/a/b", "/media/usb"));
	assert_false(mountinfo_is_under("/media/usb2", "/media/usb"));
	assert_false(mountinfo_is_under("/media", "/media/usb"));
	assert_true(mountinfo_is_under("/anything", "/"));
}

static void test_filter_keeps_sticks_and_newest_on_a_point(void **state)
{
	(void)state;
	const char *text =
		"22 27 0:21 / /proc rw,relatime - proc proc rw\n"
		"100 27 7:1 / /media/usb/a rw - vfat /dev/loop1 rw\n"
		"garbage line\n"
		"101 27 7:2 / /media/usb2 rw - vfat /dev/loop2 rw\n"
		"102 27 7:3 / /media/usb/b ro - vfat /dev/loop3 ro\n"
		"103 100 7:4 / /media/usb/a rw - ext4 /dev/loop4 rw"; /* stacked, no newline */
	mount_entry *m = NULL;
	int n = mountinfo_filter(text, "/media/usb", &m);
	assert_int_equal(n, 2);
	assert_int_equal(m[0].id, 103);
	assert_string_equal(m[0].fstype, "ext4");
	assert_int_equal(m[1].id, 102);
	assert_true(m[1].readonly);
	free(m);
	assert_int_equal(mountinfo_filter("", "/media/usb", &m), 0);
	free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_line_fields),
		cmocka_unit_test(test_parse_line_unescapes_point),
		cmocka_unit_test(test_parse_line_rejects_garbage),
		cmocka_unit_test(test_is_under),
		cmocka_unit_test(test_filter_keeps_sticks_and_newest_on_a_point),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
