/* Unit tests for the exchange (sync/exchange.h) on real files: publish and take round trip,
 * sealed segments written once, incremental takes (unchanged files not copied, only new
 * check-ins read, segments in any order), consent answers that travel with the latest
 * winning both ways, an old format-1 file, and bad files (garbage, too large, under another
 * kiosk's name) refused by name while the rest keeps merging, and a vanished file MISSING. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "schema_v1.h"
#include <dirent.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/clock.h"
#include "common/util.h"
#include "store/export.h"
#include "store/store.h"
#include "sync/exchange.h"

#define DAY0 1795737600 /* 2026-11-27T00:00:00Z */
#define BLOCK 10        /* segment rows in these tests */

typedef struct fixture {
	char dir[64];           /* mkdtemp */
	char pub_a[96], pub_b[96], tmp[96];
	store *a, *b;           /* kiosks A and B */
	int next_a, next_b;     /* taps so far (their times) */
} fixture;

static const char *const ids[] = { "a1", "a2", "a3", "a4" };

/* Which file each open kiosk handle is (q reads it). */
static struct { store *s; char path[160]; } opened[4];

static const char *store_path_of(store *s)
{
	for (size_t i = 0; i < ARRAY_LEN(opened); i++)
		if (opened[i].s == s)
			return opened[i].path;
	fail_msg("unknown store");
	return NULL;
}

static store *kiosk(const fixture *f, const char *file, const char *kiosk_id)
{
	char path[160];
	store *s;
	snprintf(path, sizeof path, "%s/%s", f->dir, file);
	assert_int_equal(store_open(&s, path, STORE_OPEN_CREATE), 0);
	for (size_t i = 0; i < ARRAY_LEN(opened); i++)
		if (opened[i].s == NULL || strstr(opened[i].path, file) != NULL) {
			opened[i].s = s;
			snprintf(opened[i].path, sizeof opened[i].path, "%s", path);
			break;
		}
	assert_int_equal(store_begin(s), 0);
	for (int i = 0; i < 4; i++) {
		store_attendee_in a = { .id = ids[i], .name = "Zoë 田中", .affiliation = "Lib",
					.visible = 1 };
		assert_int_equal(store_attendee_put(s, &a), 0);
		assert_int_equal(store_attendee_add_group(s, ids[i], "CLENE"), 0);
	}
	assert_int_equal(store_commit(s), 0);
	assert_int_equal(store_kiosk_set(s, kiosk_id, kiosk_id[0] == 'A' ? "Hall A" : "Hall B"), 0);
	store_set_repeat_window(s, 0);
	return s;
}

static void taps(store *s, int *next, int n)
{
	store_tap t;
	for (int i = 0; i < n; i++, (*next)++)
		assert_int_equal(store_checkin_record(s, ids[*next % 4], DAY0 + 9 * 3600 + 60 * *next,
						      DAY0, &t), 0);
}

static int setup(void **state)
{
	fixture *f = xcalloc(1, sizeof *f);
	strcpy(f->dir, "/tmp/kith-exchange-XXXXXX");
	if (mkdtemp(f->dir) == NULL)
		return -1;
	snprintf(f->pub_a, sizeof f->pub_a, "%s/kith-A", f->dir);
	snprintf(f->pub_b, sizeof f->pub_b, "%s/kith-B", f->dir);
	snprintf(f->tmp, sizeof f->tmp, "%s/tmp", f->dir);
	mkdir(f->pub_a, 0755);
	mkdir(f->pub_b, 0755);
	mkdir(f->tmp, 0700);
	f->a = kiosk(f, "a.db", "A");
	f->b = kiosk(f, "b.db", "B");
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	char cmd[160];
	store_close(f->a);
	store_close(f->b);
	memset(opened, 0, sizeof opened);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
	if (system(cmd) != 0)
		return -1;
	free(f);
	return 0;
}

static exchange_published publish(store *s, const char *dir, const char *id)
{
	exchange_publish_opts o = { .segment_rows = BLOCK };
	exchange_published p;
	char err[300];
	if (exchange_publish_with(s, dir, id, &o, &p, err, sizeof err) != 0)
		fail_msg("publish: %s", err);
	return p;
}

static int take(store *s, const fixture *f, const char *dir, const char *name,
		exchange_take_result *r)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY);
	assert_true(fd >= 0);
	int rc = exchange_take_file(s, fd, name, NULL, f->tmp, r);
	close(fd);
	return rc;
}

/* Takes every exchange file in dir; returns check-ins added. */
static int64_t take_all(store *s, const fixture *f, const char *dir)
{
	static const char *const names[] = { "checkins-A.000000.sqlite", "checkins-A.000001.sqlite",
					     "checkins-A.000002.sqlite", "checkins-A.open.sqlite",
					     "checkins-B.000000.sqlite", "checkins-B.open.sqlite" };
	exchange_take_result r;
	int64_t added = 0;
	for (size_t i = 0; i < ARRAY_LEN(names); i++) {
		int rc = take(s, f, dir, names[i], &r);
		if (rc != EXCHANGE_MERGED && rc != EXCHANGE_MISSING)
			fail_msg("%s: %d %s", names[i], rc, r.why);
		added += r.added;
	}
	return added;
}

/* A query on kiosk s's database file through a connection of its own. */
static int64_t q(store *s, const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	int64_t v = -1;
	assert_int_equal(sqlite3_open_v2(store_path_of(s), &db, SQLITE_OPEN_READONLY, NULL),
			 SQLITE_OK);
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(db));
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

static void stat_of(const char *dir, const char *name, struct stat *st)
{
	char p[256];
	snprintf(p, sizeof p, "%s/%s", dir, name);
	assert_int_equal(stat(p, st), 0);
}

static void test_round_trip(void **state)
{
	fixture *f = *state;
	taps(f->a, &f->next_a, 25);
	exchange_published p = publish(f->a, f->pub_a, "A");
	assert_int_equal(p.count, 3); /* blocks 0 and 1 sealed, block 2 open */
	assert_string_equal(p.names[0], "checkins-A.000000.sqlite");
	assert_string_equal(p.names[1], "checkins-A.000001.sqlite");
	assert_string_equal(p.names[2], "checkins-A.open.sqlite");
	assert_true(p.bytes_written > 0);
	assert_int_equal(take_all(f->b, f, f->pub_a), 25);
	assert_int_equal(q(f->b, "SELECT count(*) FROM checkins WHERE kiosk_id = 'A'"), 25);
	assert_int_equal(q(f->b, "SELECT contiguous FROM exchange_seen WHERE kiosk_id = 'A'"), 25);
	/* No side file in the folder; .stignore covers them. */
	struct stat st;
	char p2[256];
	snprintf(p2, sizeof p2, "%s/checkins-A.open.sqlite-journal", f->pub_a);
	assert_int_not_equal(stat(p2, &st), 0);
	stat_of(f->pub_a, ".stignore", &st);
	assert_true(st.st_size > 0);
	/* Taking twice adds nothing. */
	assert_int_equal(take_all(f->b, f, f->pub_a), 0);
	/* Only finished files in the folder: no temp, journal or WAL file left behind. */
	DIR *d = opendir(f->pub_a);
	struct dirent *e;
	int files = 0;
	assert_non_null(d);
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0 ||
		    strcmp(e->d_name, ".stignore") == 0)
			continue;
		if (!exchange_name_is_file(e->d_name))
			fail_msg("stray file %s in the published folder", e->d_name);
		files++;
	}
	closedir(d);
	assert_int_equal(files, 3);
}

static void test_first_publish_of_many_blocks(void **state)
{
	fixture *f = *state;
	taps(f->a, &f->next_a, 55);
	exchange_published p = publish(f->a, f->pub_a, "A");
	assert_int_equal(p.count, 6); /* 5 sealed + open: more than names holds */
	assert_int_equal(p.all, 1);
	assert_string_equal(p.names[3], "checkins-A.000003.sqlite");
	assert_int_equal(take_all(f->b, f, f->pub_a), 35); /* take_all names blocks 0-2 + open */
}

static void test_sealed_never_rewritten(void **state)
{
	fixture *f = *state;
	struct stat s0, s1, o0, n0, n1, o1;
	taps(f->a, &f->next_a, 23);
	publish(f->a, f->pub_a, "A");
	stat_of(f->pub_a, "checkins-A.000000.sqlite", &s0);
	stat_of(f->pub_a, "checkins-A.000001.sqlite", &s1);
	stat_of(f->pub_a, "checkins-A.open.sqlite", &o0);
	/* Nothing new: nothing written. */
	assert_int_equal(publish(f->a, f->pub_a, "A").count, 0);
	taps(f->a, &f->next_a, 3); /* 26: still block 2 */
	exchange_published p = publish(f->a, f->pub_a, "A");
	assert_int_equal(p.count, 1);
	assert_string_equal(p.names[0], "checkins-A.open.sqlite");
	stat_of(f->pub_a, "checkins-A.000000.sqlite", &n0);
	stat_of(f->pub_a, "checkins-A.000001.sqlite", &n1);
	stat_of(f->pub_a, "checkins-A.open.sqlite", &o1);
	assert_true(n0.st_ino == s0.st_ino && n0.st_mtim.tv_nsec == s0.st_mtim.tv_nsec &&
		    n0.st_mtim.tv_sec == s0.st_mtim.tv_sec);
	assert_true(n1.st_ino == s1.st_ino && n1.st_mtim.tv_sec == s1.st_mtim.tv_sec &&
		    n1.st_mtim.tv_nsec == s1.st_mtim.tv_nsec);
	assert_true(o1.st_ino != o0.st_ino); /* replaced by rename */
	/* Filling block 2 seals it: the sealed file and the (now empty) open one. */
	taps(f->a, &f->next_a, 4);
	p = publish(f->a, f->pub_a, "A");
	assert_int_equal(p.count, 2);
	assert_string_equal(p.names[0], "checkins-A.000002.sqlite");
	assert_string_equal(p.names[1], "checkins-A.open.sqlite");
}

static void test_incremental(void **state)
{
	fixture *f = *state;
	exchange_take_result r;
	taps(f->a, &f->next_a, 25);
	publish(f->a, f->pub_a, "A");
	/* Out of order: the open block first (a gap below it), then the sealed ones. */
	assert_int_equal(take(f->b, f, f->pub_a, "checkins-A.open.sqlite", &r), EXCHANGE_MERGED);
	assert_int_equal(r.added, 5);
	assert_int_equal(q(f->b, "SELECT coalesce((SELECT contiguous FROM exchange_seen WHERE "
			  "kiosk_id = 'A'), 0)"), 0);
	assert_int_equal(take(f->b, f, f->pub_a, "checkins-A.000001.sqlite", &r), EXCHANGE_MERGED);
	assert_int_equal(take(f->b, f, f->pub_a, "checkins-A.000000.sqlite", &r), EXCHANGE_MERGED);
	assert_int_equal(q(f->b, "SELECT contiguous FROM exchange_seen WHERE kiosk_id = 'A'"), 25);
	/* Unchanged files: not copied, not opened. */
	assert_int_equal(take(f->b, f, f->pub_a, "checkins-A.000000.sqlite", &r), EXCHANGE_MERGED);
	assert_int_equal(r.unchanged, 1);
	assert_int_equal(r.read, 0);
	assert_int_equal(take(f->b, f, f->pub_a, "checkins-A.open.sqlite", &r), EXCHANGE_MERGED);
	assert_int_equal(r.unchanged, 1);
	/* A grown open segment: only the new rows are read. */
	taps(f->a, &f->next_a, 2);
	publish(f->a, f->pub_a, "A");
	assert_int_equal(take(f->b, f, f->pub_a, "checkins-A.open.sqlite", &r), EXCHANGE_MERGED);
	assert_int_equal(r.unchanged, 0);
	assert_int_equal(r.added, 2);
	assert_int_equal(r.read, 2);
	assert_int_equal(take(f->b, f, f->pub_a, "checkins-A.000001.sqlite", &r), EXCHANGE_MERGED);
	assert_int_equal(r.unchanged, 1);
	assert_int_equal(q(f->b, "SELECT count(*) FROM checkins WHERE kiosk_id = 'A'"), 27);
	/* The stick's whole file of A into a kiosk that has it all: nothing read. */
	char path[200], err[300];
	snprintf(path, sizeof path, "%s/checkins-A.sqlite", f->pub_b);
	assert_int_equal(export_write(f->a, path, NULL, NULL, err, sizeof err), 0);
	assert_int_equal(take(f->b, f, f->pub_b, "checkins-A.sqlite", &r), EXCHANGE_MERGED);
	assert_int_equal(r.read, 0);
	assert_int_equal(r.added, 0);
}

static void set_clock(int64_t t)
{
	char spec[32], err[200];
	snprintf(spec, sizeof spec, "@%lld", (long long)t);
	assert_int_equal(clock_init_spec(spec, err, sizeof err), 0);
}

static void test_consent_latest_wins(void **state)
{
	fixture *f = *state;
	exchange_take_result r;
	taps(f->a, &f->next_a, 3);
	taps(f->b, &f->next_b, 3);
	/* "No" at A ... */
	set_clock(DAY0 + 10 * 3600);
	assert_int_equal(store_attendee_set_visible(f->a, "a2", 0), 0);
	publish(f->a, f->pub_a, "A");
	assert_int_equal(take(f->b, f, f->pub_a, "checkins-A.open.sqlite", &r), EXCHANGE_MERGED);
	assert_int_equal(r.consent, 1);
	assert_int_equal(q(f->b, "SELECT visible FROM attendees WHERE attendee_id = 'a2'"), 0);
	assert_int_equal(q(f->b, "SELECT count(*) FROM group_presence gp JOIN attendees a ON "
			  "a.id = gp.attendee WHERE a.attendee_id = 'a2' AND gp.visible = 1"), 0);
	/* ... then "Yes" at B, later: A follows. */
	set_clock(DAY0 + 11 * 3600);
	assert_int_equal(store_attendee_set_visible(f->b, "a2", 1), 0);
	publish(f->b, f->pub_b, "B");
	assert_int_equal(take(f->a, f, f->pub_b, "checkins-B.open.sqlite", &r), EXCHANGE_MERGED);
	assert_int_equal(r.consent, 1);
	assert_int_equal(q(f->a, "SELECT visible FROM attendees WHERE attendee_id = 'a2'"), 1);
	/* A's older "No" arriving again at B (its file refreshed) does not win. */
	taps(f->a, &f->next_a, 1);
	publish(f->a, f->pub_a, "A");
	assert_int_equal(take(f->b, f, f->pub_a, "checkins-A.open.sqlite", &r), EXCHANGE_MERGED);
	assert_int_equal(r.consent, 0);
	assert_int_equal(q(f->b, "SELECT visible FROM attendees WHERE attendee_id = 'a2'"), 1);
	/* And a later "No" at A wins everywhere, even with A's clock behind B's answer. */
	set_clock(DAY0 + 10 * 3600 + 5);
	assert_int_equal(store_attendee_set_visible(f->a, "a2", 0), 0);
	publish(f->a, f->pub_a, "A");
	assert_int_equal(take(f->b, f, f->pub_a, "checkins-A.open.sqlite", &r), EXCHANGE_MERGED);
	assert_int_equal(q(f->b, "SELECT visible FROM attendees WHERE attendee_id = 'a2'"), 0);
	/* The whole (stick) file carries consent too. */
	char path[200], err[300];
	snprintf(path, sizeof path, "%s/checkins-B.sqlite", f->pub_b);
	assert_int_equal(export_write(f->b, path, NULL, NULL, err, sizeof err), 0);
	store *c = kiosk(f, "c.db", "C");
	assert_int_equal(take(c, f, f->pub_b, "checkins-B.sqlite", &r), EXCHANGE_MERGED);
	assert_int_equal(q(c, "SELECT visible FROM attendees WHERE attendee_id = 'a2'"), 0);
	store_close(c);
	clock_init_spec(NULL, err, sizeof err);
}

/* A file as Kith wrote it before consent travelled (export format 1). */
static void make_v1(const char *path)
{
	sqlite3 *db;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "DROP TABLE consent; DELETE FROM meta WHERE key IN "
				      "('exchange_kind', 'segment'); UPDATE meta SET value = '1' "
				      "WHERE key = 'export_format'; PRAGMA user_version = 1",
				      NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

static void test_v1_file_merges(void **state)
{
	fixture *f = *state;
	exchange_take_result r;
	char path[200], err[300];
	taps(f->a, &f->next_a, 7);
	assert_int_equal(store_attendee_set_visible(f->a, "a1", 0), 0);
	snprintf(path, sizeof path, "%s/checkins-A.sqlite", f->pub_b);
	assert_int_equal(export_write(f->a, path, NULL, NULL, err, sizeof err), 0);
	make_v1(path);
	assert_int_equal(take(f->b, f, f->pub_b, "checkins-A.sqlite", &r), EXCHANGE_MERGED);
	assert_int_equal(r.added, 7);
	assert_int_equal(r.consent, 0);
	assert_int_equal(q(f->b, "SELECT visible FROM attendees WHERE attendee_id = 'a1'"), 1);
}

static void write_file(const char *dir, const char *name, const void *data, size_t n)
{
	char p[256];
	snprintf(p, sizeof p, "%s/%s", dir, name);
	FILE *o = fopen(p, "w");
	assert_non_null(o);
	assert_int_equal(fwrite(data, 1, n, o), n);
	fclose(o);
}

static void copy_file(const char *dir, const char *from, const char *to)
{
	char cmd[600];
	snprintf(cmd, sizeof cmd, "cp '%s/%s' '%s/%s'", dir, from, dir, to);
	assert_int_equal(system(cmd), 0);
}

static void test_bad_files_refused_by_name(void **state)
{
	fixture *f = *state;
	exchange_take_result r;
	char junk[5000];
	memset(junk, 'x', sizeof junk);
	taps(f->a, &f->next_a, 12);
	publish(f->a, f->pub_a, "A");
	/* A stranger's garbage. */
	write_file(f->pub_a, "checkins-Z.open.sqlite", junk, sizeof junk);
	assert_int_equal(take(f->b, f, f->pub_a, "checkins-Z.open.sqlite", &r), EXCHANGE_REFUSED);
	assert_non_null(strstr(r.why, "checkins-Z.open.sqlite"));
	/* A's file under another kiosk's name, and a sealed one posing as another block. */
	copy_file(f->pub_a, "checkins-A.open.sqlite", "checkins-C.open.sqlite");
	assert_int_equal(take(f->b, f, f->pub_a, "checkins-C.open.sqlite", &r), EXCHANGE_REFUSED);
	assert_non_null(strstr(r.why, "checkins-C.open.sqlite"));
	assert_non_null(strstr(r.why, "checkins-A.open.sqlite"));
	copy_file(f->pub_a, "checkins-A.000000.sqlite", "checkins-A.000007.sqlite");
	assert_int_equal(take(f->b, f, f->pub_a, "checkins-A.000007.sqlite", &r), EXCHANGE_REFUSED);
	assert_non_null(strstr(r.why, "checkins-A.000007.sqlite"));
	/* Too large. */
	exchange_limits lim = { .max_file_bytes = 1000 };
	int fd = open(f->pub_a, O_RDONLY | O_DIRECTORY);
	assert_int_equal(exchange_take_file(f->b, fd, "checkins-A.000000.sqlite", &lim, f->tmp, &r),
			 EXCHANGE_REFUSED);
	assert_non_null(strstr(r.why, "checkins-A.000000.sqlite"));
	close(fd);
	assert_int_equal(q(f->b, "SELECT count(*) FROM checkins WHERE kiosk_id <> 'B'"), 0);
	/* The rest keeps syncing. */
	assert_int_equal(take_all(f->b, f, f->pub_a), 12);
}

static void test_vanished_is_missing(void **state)
{
	fixture *f = *state;
	exchange_take_result r;
	char p[256];
	taps(f->a, &f->next_a, 4);
	publish(f->a, f->pub_a, "A");
	/* Listed, then gone before the copy (Syncthing deletes, then renames in). */
	snprintf(p, sizeof p, "%s/checkins-A.open.sqlite", f->pub_a);
	assert_int_equal(unlink(p), 0);
	assert_int_equal(take(f->b, f, f->pub_a, "checkins-A.open.sqlite", &r), EXCHANGE_MISSING);
	assert_int_equal(q(f->b, "SELECT count(*) FROM checkins WHERE kiosk_id = 'A'"), 0);
	/* Back again: merged. */
	publish(f->a, f->pub_a, "A");
	assert_int_equal(take(f->b, f, f->pub_a, "checkins-A.open.sqlite", &r), EXCHANGE_MERGED);
	assert_int_equal(r.added, 4);
}

/* A kiosk database of schema 1 (before the exchange tables) migrates, keeping its check-ins,
 * and then records and exchanges consent answers. Schema 2 only adds objects, so dropping
 * them gives exactly the schema-1 file. */
static void test_v1_database_migrates(void **state)
{
	fixture *f = *state;
	char path[160];
	sqlite3 *db;
	taps(f->a, &f->next_a, 3);
	store_close(f->a);
	snprintf(path, sizeof path, "%s/a.db", f->dir);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(schema_downgrade_to_v1(db), SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(store_open(&f->a, path, STORE_OPEN_CREATE), 0);
	opened[0].s = f->a;
	assert_int_equal(q(f->a, "PRAGMA user_version"), STORE_SCHEMA_VERSION);
	assert_int_equal(q(f->a, "SELECT count(*) FROM checkins"), 3);
	assert_int_equal(store_kiosk_set(f->a, "A", "Hall A"), 0);
	assert_int_equal(store_attendee_set_visible(f->a, "a3", 0), 0);
	assert_int_equal(q(f->a, "SELECT count(*) FROM consent WHERE kiosk_id = 'A'"), 1);
}

static void test_names(void **state)
{
	(void)state;
	char n[EXCHANGE_NAME_MAX];
	exchange_file_name("Hall C/1", n, sizeof n);
	assert_string_equal(n, "checkins-Hall_C_1.sqlite");
	assert_true(exchange_name_is_file("checkins-A.open.sqlite"));
	assert_true(exchange_name_is_file("checkins-A.000003.sqlite"));
	assert_false(exchange_name_is_file(".checkins-A.open.sqlite.tmp-abc123"));
	assert_false(exchange_name_is_file("checkins-A.open.sqlite-journal"));
	assert_false(exchange_name_is_file("notes.txt"));
	assert_non_null(strstr(exchange_stignore, "*-wal"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test_setup_teardown(test_round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sealed_never_rewritten, setup, teardown),
		cmocka_unit_test_setup_teardown(test_first_publish_of_many_blocks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_incremental, setup, teardown),
		cmocka_unit_test_setup_teardown(test_consent_latest_wins, setup, teardown),
		cmocka_unit_test_setup_teardown(test_v1_file_merges, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_files_refused_by_name, setup, teardown),
		cmocka_unit_test_setup_teardown(test_vanished_is_missing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_v1_database_migrates, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
