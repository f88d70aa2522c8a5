/* Unit tests for sync/stickfile: how files on a stick are read before SQLite may see them —
 * no links followed, nothing but regular files, size limits, and which names count as other
 * kiosks' exports. Real files in a temp folder. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "sync/stickfile.h"

typedef struct fixture {
	char dir[64];   /* the "stick" */
	char tmp[80];   /* the kiosk's private copies */
	int dirfd;
} fixture;

static void put(fixture *f, const char *name, const char *text)
{
	char p[160];
	snprintf(p, sizeof(p), "%s/%s", f->dir, name);
	FILE *fp = fopen(p, "w");
	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
}

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof(*f));
	snprintf(f->dir, sizeof(f->dir), "/tmp/kith-stickfile.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->tmp, sizeof(f->tmp), "%s/.copies", f->dir);
	assert_int_equal(mkdir(f->tmp, 0700), 0);
	f->dirfd = open(f->dir, O_RDONLY | O_DIRECTORY);
	assert_true(f->dirfd >= 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	char cmd[128];
	close(f->dirfd);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
	assert_int_equal(system(cmd), 0);
	free(f);
	return 0;
}

static void test_copy_regular_file(void **state)
{
	fixture *f = *state;
	char err[256], *copy = NULL, buf[64] = "";
	time_t mtime = 0;
	put(f, "conference.sqlite", "hello stick");
	assert_int_equal(stickfile_copy(f->dirfd, "conference.sqlite", 1024, f->tmp, &copy, &mtime,
					err, sizeof(err)), 0);
	assert_non_null(copy);
	assert_true(strncmp(copy, f->tmp, strlen(f->tmp)) == 0);
	assert_true(mtime > 0);
	FILE *fp = fopen(copy, "r");
	assert_non_null(fp);
	assert_non_null(fgets(buf, sizeof(buf), fp));
	fclose(fp);
	assert_string_equal(buf, "hello stick");
	unlink(copy);
	free(copy);
}

static void test_refuses_symlink_fifo_dir_and_large(void **state)
{
	fixture *f = *state;
	char err[256], *copy = NULL, p[160];
	time_t mtime;
	put(f, "real", "x");
	snprintf(p, sizeof(p), "%s/link.sqlite", f->dir);
	assert_int_equal(symlink("/etc/passwd", p), 0);
	assert_int_equal(stickfile_copy(f->dirfd, "link.sqlite", 1 << 20, f->tmp, &copy, &mtime,
					err, sizeof(err)), STICKFILE_EREFUSED);
	assert_non_null(strstr(err, "link"));
	assert_null(copy);

	snprintf(p, sizeof(p), "%s/fifo.sqlite", f->dir);
	assert_int_equal(mkfifo(p, 0600), 0); /* must not block on open */
	assert_int_equal(stickfile_copy(f->dirfd, "fifo.sqlite", 1 << 20, f->tmp, &copy, &mtime,
					err, sizeof(err)), STICKFILE_EREFUSED);
	assert_non_null(strstr(err, "not a regular file"));

	assert_int_equal(stickfile_copy(f->dirfd, ".copies", 1 << 20, f->tmp, &copy, &mtime, err,
					sizeof(err)), STICKFILE_EREFUSED);

	put(f, "big.sqlite", "0123456789abcdef");
	assert_int_equal(stickfile_copy(f->dirfd, "big.sqlite", 8, f->tmp, &copy, &mtime, err,
					sizeof(err)), STICKFILE_EREFUSED);
	assert_non_null(strstr(err, "too large"));

	assert_int_equal(stickfile_copy(f->dirfd, "missing.sqlite", 8, f->tmp, &copy, &mtime, err,
					sizeof(err)), STICKFILE_ENOENT);
	/* nothing was left behind in the private folder */
	char cmd[160];
	snprintf(cmd, sizeof(cmd), "test -z \"$(ls -A '%s')\"", f->tmp);
	assert_int_equal(system(cmd), 0);
}

static void test_list_exports(void **state)
{
	fixture *f = *state;
	char **names = NULL;
	put(f, "checkins-b.sqlite", "");
	put(f, "checkins-a.sqlite", "");
	put(f, "checkins-me.sqlite", "");
	put(f, "checkins-.sqlite", "");        /* no kiosk id */
	put(f, "checkins-c.sqlite.tmp", "");   /* a temp file */
	put(f, "conference.sqlite", "");
	int n = stickfile_list_exports(f->dirfd, "checkins-me.sqlite", &names, 10);
	assert_int_equal(n, 2);
	assert_string_equal(names[0], "checkins-a.sqlite");
	assert_string_equal(names[1], "checkins-b.sqlite");
	stickfile_names_free(names, n);
	n = stickfile_list_exports(f->dirfd, "none", &names, 1); /* bounded */
	assert_int_equal(n, 1);
	stickfile_names_free(names, n);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_copy_regular_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refuses_symlink_fifo_dir_and_large, setup, teardown),
		cmocka_unit_test_setup_teardown(test_list_exports, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
