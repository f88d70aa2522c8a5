/* Unit tests for sync/stick_verify: the read-back that alone may say "Check-ins saved to the
 * stick". A real export (export_write from a real kiosk database) in a temp folder standing in
 * for the stick, then spoiled in each way a stick could spoil it. */
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

#include "store/export.h"
#include "store/store.h"
#include "sync/stick_verify.h"

#define ROWS 40
#define NAME "checkins-k1.sqlite"

typedef struct fixture {
	char dir[64];   /* the "stick" */
	char tmp[80];   /* the kiosk's private copies */
	char db[96];    /* the kiosk database (beside the stick folder, not on it) */
	char path[128]; /* the export on the "stick" */
	int dirfd;
} fixture;

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof(*f));
	store *s = NULL;
	char err[256];
	snprintf(f->dir, sizeof(f->dir), "/tmp/kith-verify.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->tmp, sizeof(f->tmp), "%s/.copies", f->dir);
	assert_int_equal(mkdir(f->tmp, 0700), 0);
	snprintf(f->db, sizeof(f->db), "%s/.kiosk.db", f->dir);
	snprintf(f->path, sizeof(f->path), "%s/%s", f->dir, NAME);
	f->dirfd = open(f->dir, O_RDONLY | O_DIRECTORY);
	assert_true(f->dirfd >= 0);

	assert_int_equal(store_open(&s, f->db, STORE_OPEN_CREATE), 0);
	assert_int_equal(store_kiosk_set(s, "k1", "Hall A"), 0);
	for (int i = 0; i < ROWS; i++) {
		char id[16];
		store_tap tap;
		snprintf(id, sizeof(id), "a%d", i);
		store_attendee_in a = { .id = id, .name = id, .visible = STORE_VISIBLE_YES };
		assert_int_equal(store_attendee_put(s, &a), 0);
		assert_int_equal(store_checkin_record(s, id, 1790000000 + i * 100, 1789990000, &tap),
				 0);
	}
	assert_int_equal(export_write(s, f->path, NULL, NULL, err, sizeof(err)), 0);
	store_close(s);
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

static int verify(fixture *f, int64_t lo, int64_t hi, int64_t *rows, char *err, size_t errlen)
{
	return stick_verify_export(f->dirfd, NAME, 1 << 24, f->tmp, lo, hi, rows, err, errlen);
}

/* Nothing but the kiosk's own files left in the copies folder. */
static void assert_no_copies(fixture *f)
{
	char cmd[160];
	snprintf(cmd, sizeof(cmd), "test -z \"$(ls -A '%s')\"", f->tmp);
	assert_int_equal(system(cmd), 0);
}

static void test_good_export_verifies(void **state)
{
	fixture *f = *state;
	char err[400] = "";
	int64_t rows = 0;
	assert_int_equal(verify(f, ROWS, ROWS, &rows, err, sizeof(err)), 0);
	assert_int_equal(rows, ROWS);
	/* taps during the sync: the kiosk had ROWS before the export and more after */
	assert_int_equal(verify(f, ROWS, ROWS + 5, &rows, err, sizeof(err)), 0);
	assert_no_copies(f);
}

static void test_row_count_must_match(void **state)
{
	fixture *f = *state;
	char err[400] = "", sql[256];
	int64_t rows = 0;
	assert_int_equal(verify(f, ROWS + 1, ROWS + 1, &rows, err, sizeof(err)), STICK_VERIFY_EBAD);
	assert_int_equal(rows, ROWS);
	assert_non_null(strstr(err, "reads back with 40 check-ins; the kiosk has 41"));
	snprintf(sql, sizeof(sql), "sqlite3 '%s' 'DELETE FROM checkins WHERE seq %% 2 = 0'", f->path);
	assert_int_equal(system(sql), 0);
	assert_int_equal(verify(f, ROWS, ROWS, &rows, err, sizeof(err)), STICK_VERIFY_EBAD);
	assert_int_equal(rows, ROWS / 2);
	assert_no_copies(f);
}

static void test_truncated_or_garbage_refused(void **state)
{
	fixture *f = *state;
	char err[400] = "";
	int64_t rows = 0;
	struct stat st;
	assert_int_equal(stat(f->path, &st), 0);
	assert_int_equal(truncate(f->path, st.st_size / 2), 0);
	assert_int_equal(verify(f, ROWS, ROWS, &rows, err, sizeof(err)), STICK_VERIFY_EBAD);
	assert_non_null(strstr(err, NAME));
	FILE *fp = fopen(f->path, "w");
	assert_non_null(fp);
	for (int i = 0; i < 5000; i++)
		fputs("not an export at all ", fp);
	fclose(fp);
	assert_int_equal(verify(f, ROWS, ROWS, &rows, err, sizeof(err)), STICK_VERIFY_EBAD);
	assert_int_equal(rows, -1);
	assert_no_copies(f);
}

static void test_link_missing_or_other_db_refused(void **state)
{
	fixture *f = *state;
	char err[400] = "", real[160];
	int64_t rows = 0;
	snprintf(real, sizeof(real), "%s/real.sqlite", f->dir);
	assert_int_equal(rename(f->path, real), 0);
	assert_int_equal(verify(f, ROWS, ROWS, &rows, err, sizeof(err)), STICK_VERIFY_EBAD);
	assert_non_null(strstr(err, "is not on the stick"));
	assert_int_equal(symlink("real.sqlite", f->path), 0);
	assert_int_equal(verify(f, ROWS, ROWS, &rows, err, sizeof(err)), STICK_VERIFY_EBAD);
	assert_non_null(strstr(err, "is a link"));
	unlink(f->path);
	/* a kiosk database is SQLite and passes quick_check, but is not an export */
	char cmd[300];
	snprintf(cmd, sizeof(cmd), "cp '%s' '%s'", f->db, f->path);
	assert_int_equal(system(cmd), 0);
	assert_int_equal(verify(f, 0, 1000, &rows, err, sizeof(err)), STICK_VERIFY_EBAD);
	assert_non_null(strstr(err, "is a kiosk database, not a check-in export"));
	assert_no_copies(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_good_export_verifies, setup, teardown),
		cmocka_unit_test_setup_teardown(test_row_count_must_match, setup, teardown),
		cmocka_unit_test_setup_teardown(test_truncated_or_garbage_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_link_missing_or_other_db_refused, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
