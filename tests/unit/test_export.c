/* Unit tests for the check-in export and merges, on real files: the export round trip,
 * idempotent merges with overlapping kiosks, a read-only target that keeps the old file, and
 * damaged or malformed inputs refused with a message and nothing written. */
#define _GNU_SOURCE /* unshare, mount: a real read-only filesystem when we are root */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <dirent.h>
#include <pthread.h>
#include <sched.h>
#include <sqlite3.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "common/clock.h"
#include "common/util.h"
#include "store/export.h"
#include "store/store.h"

#define DAY0 1795737600 /* 2026-11-27T00:00:00Z */

typedef struct fixture {
	char dir[64]; /* mkdtemp directory */
} fixture;

static int setup(void **state)
{
	fixture *f = xcalloc(1, sizeof *f);
	strcpy(f->dir, "/tmp/kith-export-XXXXXX");
	if (mkdtemp(f->dir) == NULL)
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	char cmd[160];
	snprintf(cmd, sizeof cmd, "chmod -R u+w '%s'; rm -rf '%s'", f->dir, f->dir);
	if (system(cmd) != 0)
		return -1;
	free(f);
	return 0;
}

static char *path_in(const fixture *f, const char *name)
{
	static char buf[32][160];
	static int next;
	char *p = buf[next++ % 32];
	snprintf(p, sizeof buf[0], "%s/%s", f->dir, name);
	return p;
}

/* A kiosk database with a small roster and n check-ins at kiosk_id, one a minute from 9:00. */
static store *kiosk_db(const char *path, const char *kiosk_id, const char *location, int n)
{
	store *s;
	store_tap t;
	assert_int_equal(store_open(&s, path, STORE_OPEN_CREATE), 0);
	assert_int_equal(store_meta_set(s, "conference_name", "Library Summit"), 0);
	assert_int_equal(store_meta_set(s, "timezone", "Europe/Berlin"), 0);
	static const char *const ids[] = { "a1", "a2", "a3", "a4" };
	static const char *const names[] = { "Zoë Müller", "田中 花子", "Ana \"Quotes\" O'Neil",
					     "سارة" };
	assert_int_equal(store_begin(s), 0);
	for (int i = 0; i < 4; i++) {
		store_attendee_in a = { .id = ids[i], .name = names[i], .affiliation = "Lib",
					.visible = 1 };
		if (store_attendee_put(s, &a) == 0) {
			assert_int_equal(store_attendee_add_group(s, ids[i], "CLENE"), 0);
			if (i % 2 == 0)
				assert_int_equal(store_attendee_add_group(s, ids[i], "ASTD"), 0);
		}
	}
	assert_int_equal(store_commit(s), 0);
	assert_int_equal(store_kiosk_set(s, kiosk_id, location), 0);
	store_set_repeat_window(s, 0);
	for (int i = 0; i < n; i++)
		assert_int_equal(store_checkin_record(s, ids[i % 4], DAY0 + 9 * 3600 + 60 * i, DAY0,
						      &t), 0);
	return s;
}

/* Expect success, or fail with the message the call left in err. */
#define OK(call)                                                                               \
	do {                                                                                   \
		int ok_rc_ = (call);                                                           \
		if (ok_rc_ != 0)                                                               \
			fail_msg("%s returned %d: %s", #call, ok_rc_, err);                      \
	} while (0)

static int64_t sql_int(const char *path, const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	int64_t v = -12345;
	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(db));
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

static void sql_text(const char *path, const char *sql, char *out, size_t outsize)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	out[0] = '\0';
	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(db));
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		snprintf(out, outsize, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	sqlite3_close(db);
}

static void sql_exec(const char *path, const char *sql)
{
	sqlite3 *db;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(db));
	sqlite3_close(db);
}

/* Whole-file contents, for "unchanged" checks. */
static char *slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	assert_non_null(fp);
	fseek(fp, 0, SEEK_END);
	long n = ftell(fp);
	fseek(fp, 0, SEEK_SET);
	char *buf = xcalloc((size_t)n + 1, 1);
	assert_int_equal(fread(buf, 1, (size_t)n, fp), (size_t)n);
	fclose(fp);
	*len = (size_t)n;
	return buf;
}

static int files_in(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;
	assert_non_null(d);
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			n++;
	closedir(d);
	return n;
}

/* Files whose name says they are an export's temp file (".NAME.tmp-XXXXXX"). */
static int temp_files_in(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;
	assert_non_null(d);
	while ((e = readdir(d)) != NULL)
		if (strstr(e->d_name, ".tmp-"))
			n++;
	closedir(d);
	return n;
}

static int count_progress(void *ctx, int64_t done, int64_t total)
{
	int64_t *calls = ctx;
	assert_true(done <= total);
	calls[0]++;
	calls[1] = done;
	return 0;
}

static void test_export_round_trip(void **state)
{
	fixture *f = *state;
	char err[256], text[256];
	int64_t calls[2] = { 0, 0 }, added = -1;
	store *s = kiosk_db(path_in(f, "k1.db"), "k1", "Hall A foyer", 10);
	const char *out = path_in(f, "out/checkins-k1.sqlite");

	mkdir(path_in(f, "out"), 0755);
	OK(export_write(s, out, count_progress, calls, err, sizeof err));
	assert_true(calls[0] >= 1);
	assert_int_equal(calls[1], 10);
	assert_int_equal(files_in(path_in(f, "out")), 1); /* no temp file left */
	assert_int_equal(sql_int(out, "SELECT count(*) FROM checkins"), 10);
	sql_text(out, "SELECT checked_in_at FROM checkins WHERE kiosk_id = 'k1' AND seq = 2", text,
		 sizeof text);
	assert_string_equal(text, "2026-11-27T09:01:00Z");
	sql_text(out, "SELECT groups FROM attendees WHERE attendee_id = 'a1'", text, sizeof text);
	assert_string_equal(text, "ASTD; CLENE");
	sql_text(out, "SELECT name FROM attendees WHERE attendee_id = 'a3'", text, sizeof text);
	assert_string_equal(text, "Ana \"Quotes\" O'Neil");
	sql_text(out, "SELECT value FROM meta WHERE key = 'timezone'", text, sizeof text);
	assert_string_equal(text, "Europe/Berlin");
	sql_text(out, "SELECT location || '/' || first_seq || '/' || last_seq FROM kiosks", text,
		 sizeof text);
	assert_string_equal(text, "Hall A foyer/1/10");
	sql_text(out, "SELECT name || ' @ ' || location FROM checkin_log LIMIT 1 OFFSET 1", text,
		 sizeof text);
	assert_string_equal(text, "田中 花子 @ Hall A foyer");
	assert_int_equal(sql_int(out, "SELECT count(*) FROM pragma_table_info('checkins') "
				 "WHERE pk > 0"), 2);
	/* A kiosk database refuses to open an export by mistake. */
	store *wrong;
	assert_int_equal(store_open(&wrong, out, 0), STORE_ESCHEMA);
	assert_non_null(strstr(store_errmsg(wrong), "export"));
	store_close(wrong);

	/* Another kiosk takes the export in: the colleague view now covers booth k1. */
	store *k2 = kiosk_db(path_in(f, "k2.db"), "k2", "Level 2", 0);
	OK(store_merge_export(k2, out, &added, err, sizeof err));
	assert_int_equal(added, 10);
	store_group_colleagues g[2];
	assert_int_equal(store_colleagues(k2, "a4", DAY0, g, 2), 1);
	assert_string_equal(g[0].group, "CLENE");
	assert_int_equal(g[0].total, 3);
	assert_string_equal(g[0].colleagues[0].location, "Hall A foyer");
	assert_int_equal(g[0].colleagues[0].checked_in_at, DAY0 + 9 * 3600 + 60 * 9);
	OK(store_merge_export(k2, out, &added, err, sizeof err));
	assert_int_equal(added, 0);
	assert_int_equal(sql_int(path_in(f, "k2.db"), "SELECT count(*) FROM checkins"), 10);

	/* Exporting again replaces the file; k2's export carries k1's rows too. */
	OK(export_write(s, out, NULL, NULL, err, sizeof err));
	const char *out2 = path_in(f, "out/checkins-k2.sqlite");
	store_tap t;
	assert_int_equal(store_checkin_record(k2, "a1", DAY0 + 20 * 3600, DAY0, &t), 0);
	OK(export_write(k2, out2, NULL, NULL, err, sizeof err));
	assert_int_equal(sql_int(out2, "SELECT count(*) FROM checkins"), 11);
	assert_int_equal(sql_int(out2, "SELECT count(*) FROM kiosks"), 2);
	assert_int_equal(files_in(path_in(f, "out")), 2);
	store_close(k2);
	store_close(s);
}

static void test_merge_idempotent_overlapping(void **state)
{
	fixture *f = *state;
	char err[256];
	int64_t added = -1;
	const char *a = path_in(f, "a.sqlite"), *b = path_in(f, "b.sqlite");
	const char *out = path_in(f, "all.sqlite");

	/* A: k1 with 3 check-ins. B: the same k1 later (5) plus k2 (2): they overlap. */
	store *k1 = kiosk_db(path_in(f, "k1.db"), "k1", "Foyer", 3);
	OK(export_write(k1, a, NULL, NULL, err, sizeof err));
	store_tap t;
	assert_int_equal(store_checkin_record(k1, "a1", DAY0 + 12 * 3600, DAY0, &t), 0);
	assert_int_equal(store_checkin_record(k1, "a2", DAY0 + 12 * 3600 + 1, DAY0, &t), 0);
	store *k2 = kiosk_db(path_in(f, "k2.db"), "k2", "Annex", 2);
	OK(store_merge_export(k2, a, &added, err, sizeof err));
	OK(export_write(k1, b, NULL, NULL, err, sizeof err));
	assert_int_equal(export_merge(b, path_in(f, "x"), &added, err, sizeof err) < 0, 1);
	char bk2[160];
	snprintf(bk2, sizeof bk2, "%s", path_in(f, "bk2.sqlite"));
	OK(export_write(k2, bk2, NULL, NULL, err, sizeof err));
	OK(export_merge(b, bk2, &added, err, sizeof err));
	assert_int_equal(added, 2); /* k2's own two; k1's three are already in b */
	store_close(k1);
	store_close(k2);

	OK(export_merge(out, a, &added, err, sizeof err));
	assert_int_equal(added, 3);
	OK(export_merge(out, b, &added, err, sizeof err));
	assert_int_equal(added, 4);
	for (int round = 0; round < 2; round++) {
		OK(export_merge(out, a, &added, err, sizeof err));
		assert_int_equal(added, 0);
		OK(export_merge(out, b, &added, err, sizeof err));
		assert_int_equal(added, 0);
	}
	OK(export_merge(out, out, &added, err, sizeof err));
	assert_int_equal(added, 0);
	assert_int_equal(sql_int(out, "SELECT count(*) FROM checkins"), 7);
	assert_int_equal(sql_int(out, "SELECT count(*) FROM (SELECT DISTINCT kiosk_id, seq "
				 "FROM checkins)"), 7);
	assert_int_equal(sql_int(out, "SELECT last_seq FROM kiosks WHERE kiosk_id = 'k1'"), 5);
	assert_int_equal(sql_int(out, "SELECT last_seq FROM kiosks WHERE kiosk_id = 'k2'"), 2);
	assert_int_equal(sql_int(out, "SELECT count(*) FROM kiosks WHERE location = 'Annex'"), 1);
	assert_int_equal(sql_int(out, "SELECT count(*) FROM attendees"), 4); /* whole roster */
	assert_int_equal(sql_int(out, "SELECT count(*) FROM checkin_log"), 7);
	assert_int_equal(files_in(f->dir), 6); /* k1.db k2.db a b bk2 all: no temp or journal left */
}

/* In a child: a real read-only filesystem (tmpfs remounted ro) when we are root, else a
 * directory without write permission. Exit 0 pass, 77 skip, other fail. */
static int readonly_child(const char *dir)
{
	char ro[128], db[160], out[192], err[256];
	size_t n0, n1;
	snprintf(ro, sizeof ro, "%s/stick", dir);
	snprintf(db, sizeof db, "%s/k1.db", dir);
	snprintf(out, sizeof out, "%s/checkins-k1.sqlite", ro);
	if (mkdir(ro, 0755) < 0)
		return 2;
	int as_root = geteuid() == 0;
	if (as_root && (unshare(CLONE_NEWNS) < 0 ||
			mount("none", "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
			mount("kith-test", ro, "tmpfs", 0, "size=4m") < 0))
		return 77;
	store *s = kiosk_db(db, "k1", "Foyer", 5);
	if (export_write(s, out, NULL, NULL, err, sizeof err) != 0)
		return 3;
	char *before = slurp(out, &n0);
	store_tap t;
	if (store_checkin_record(s, "a1", DAY0 + 20 * 3600, DAY0, &t) != 0)
		return 4;
	if (as_root ? mount(NULL, ro, NULL, MS_REMOUNT | MS_RDONLY, NULL) < 0
		    : chmod(ro, 0555) < 0)
		return 77;
	int rc = export_write(s, out, NULL, NULL, err, sizeof err);
	fprintf(stderr, "read-only export said: %s\n", err);
	if (rc >= 0 || strstr(err, ro) == NULL)
		return 5;
	char *after = slurp(out, &n1);
	if (n0 != n1 || memcmp(before, after, n0) != 0 || files_in(ro) != 1)
		return 6;
	store_close(s);
	free(before);
	free(after);
	return 0;
}

static void test_export_to_readonly_keeps_old_file(void **state)
{
	fixture *f = *state;
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(readonly_child(f->dir));
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	if (WEXITSTATUS(status) == 77)
		skip();
	assert_int_equal(WEXITSTATUS(status), 0);
}

static void test_bad_inputs_refused(void **state)
{
	fixture *f = *state;
	char err[512];
	int64_t added = -1;
	const char *good = path_in(f, "good.sqlite"), *out = path_in(f, "out.sqlite");
	store *k1 = kiosk_db(path_in(f, "k1.db"), "k1", "Foyer", 600);
	OK(export_write(k1, good, NULL, NULL, err, sizeof err));
	OK(export_merge(out, good, &added, err, sizeof err));
	size_t n0, n1;
	char *before = slurp(out, &n0);

	/* Not SQLite at all. */
	const char *txt = path_in(f, "notes.sqlite");
	FILE *fp = fopen(txt, "w");
	fputs("attendee_id,name\nx,y\n", fp);
	fclose(fp);
	assert_true(export_merge(out, txt, &added, err, sizeof err) < 0);
	assert_non_null(strstr(err, "notes.sqlite"));
	assert_true(store_merge_export(k1, txt, &added, err, sizeof err) < 0);

	/* SQLite, but no check-ins table. */
	const char *other = path_in(f, "other.sqlite");
	sql_exec(other, "CREATE TABLE people(name TEXT)");
	assert_int_equal(export_merge(out, other, &added, err, sizeof err), STORE_ESCHEMA);
	assert_non_null(strstr(err, "not a Kith check-in export"));

	/* Damaged: garbage over the middle pages of a valid export. */
	const char *bad = path_in(f, "damaged.sqlite");
	size_t n;
	char *bytes = slurp(good, &n);
	assert_true(n > 3 * 4096);
	memset(bytes + 4096 + 100, 0xA5, n - 4096 - 200);
	fp = fopen(bad, "wb");
	fwrite(bytes, 1, n, fp);
	fclose(fp);
	free(bytes);
	int rc = export_merge(out, bad, &added, err, sizeof err);
	assert_true(rc < 0);
	assert_non_null(strstr(err, "damaged.sqlite"));
	rc = store_merge_export(k1, bad, &added, err, sizeof err);
	assert_true(rc < 0);

	/* Well-formed file, malformed rows: every problem named, nothing taken. */
	const char *rows = path_in(f, "rows.sqlite");
	sql_exec(rows, "CREATE TABLE checkins(kiosk_id TEXT, seq INTEGER, attendee_id TEXT, "
		 "checked_in_at TEXT, PRIMARY KEY(kiosk_id, seq));"
		 "INSERT INTO checkins VALUES ('k9', 1, 'a1', '2026-11-27T10:00:00Z'),"
		 "('k9', 2, 'a1', 'yesterday'), ('k9', 3, 'a2', '2026-02-30T10:00:00Z'),"
		 "('k9', 4, '', '2026-11-27T10:00:00Z'), ('k9', -5, 'a1', '2026-11-27T10:00:00Z'),"
		 "('k9', 6, 'a1', 1795773662)");
	assert_int_equal(export_merge(out, rows, &added, err, sizeof err), STORE_EINVAL);
	assert_non_null(strstr(err, "(k9, 2)"));
	assert_non_null(strstr(err, "and 2 more"));
	assert_int_equal(store_merge_export(k1, rows, &added, err, sizeof err), STORE_EINVAL);
	assert_int_equal(sql_int(path_in(f, "k1.db"), "SELECT count(*) FROM checkins"), 600);

	char *after = slurp(out, &n1);
	assert_int_equal(n0, n1);
	assert_memory_equal(before, after, n0);
	free(before);
	free(after);
	/* A kiosk database is not an export, as input or as output. */
	assert_int_equal(export_merge(out, path_in(f, "k1.db"), &added, err, sizeof err),
			 STORE_ESCHEMA);
	assert_non_null(strstr(err, "kiosk database"));
	assert_int_equal(export_merge(path_in(f, "k1.db"), good, &added, err, sizeof err),
			 STORE_ESCHEMA);
	assert_non_null(strstr(err, "kiosk database"));
	assert_int_equal(sql_int(path_in(f, "k1.db"), "SELECT count(*) FROM checkins"), 600);
	/* A missing input names itself. */
	assert_true(export_merge(out, path_in(f, "nope.sqlite"), &added, err, sizeof err) < 0);
	assert_non_null(strstr(err, "nope.sqlite"));
	store_close(k1);
}

static void test_merge_into_own_kiosk_keeps_seq_unique(void **state)
{
	fixture *f = *state;
	char err[256];
	int64_t added;
	store_tap t;
	/* The kiosk's database was replaced (say, a new SD card) but the stick holds its old
	 * export: merging it back must make the next tap continue after the old seqs. */
	store *old = kiosk_db(path_in(f, "old.db"), "k1", "Foyer", 6);
	OK(export_write(old, path_in(f, "old.sqlite"), NULL, NULL, err, sizeof err));
	store_close(old);
	store *fresh = kiosk_db(path_in(f, "fresh.db"), "k1", "Foyer", 0);
	assert_int_equal(store_merge_export(fresh, path_in(f, "old.sqlite"), &added, err,
					    sizeof err), 0);
	assert_int_equal(added, 6);
	assert_int_equal(store_checkin_record(fresh, "a1", DAY0 + 23 * 3600, DAY0, &t), 0);
	assert_int_equal(t.seq, 7);
	store_close(fresh);
}


static int cancel_at_once(void *ctx, int64_t done, int64_t total)
{
	(void)ctx;
	(void)done;
	(void)total;
	return 1;
}

static void test_export_cancel_keeps_old_file(void **state)
{
	fixture *f = *state;
	char err[256];
	size_t n0, n1;
	store *s = kiosk_db(path_in(f, "k1.db"), "k1", "Foyer", 50);
	const char *out = path_in(f, "out.sqlite");
	OK(export_write(s, out, NULL, NULL, err, sizeof err));
	char *before = slurp(out, &n0);
	store_tap t;
	assert_int_equal(store_checkin_record(s, "a1", DAY0 + 20 * 3600, DAY0, &t), 0);
	assert_true(export_write(s, out, cancel_at_once, NULL, err, sizeof err) < 0);
	assert_non_null(strstr(err, "cancelled"));
	char *after = slurp(out, &n1);
	assert_int_equal(n0, n1);
	assert_memory_equal(before, after, n0);
	assert_int_equal(temp_files_in(f->dir), 0);
	/* The handle is still fine for taps and a later export. */
	assert_int_equal(store_checkin_record(s, "a2", DAY0 + 21 * 3600, DAY0, &t), 0);
	OK(export_write(s, out, NULL, NULL, err, sizeof err));
	assert_int_equal(sql_int(out, "SELECT count(*) FROM checkins"), 52);
	free(before);
	free(after);
	store_close(s);
}

/* The USB-sync thread merges and exports on its own handle while the UI thread taps on
 * another: no tap may fail because the file is busy. */
typedef struct sync_job {
	const char *db, *in, *out; /* kiosk database, export to merge, export to write */
	int rc;                    /* 0 when both worked */
	volatile int done;
	char err[256];
} sync_job;

static void *sync_thread(void *arg)
{
	sync_job *j = arg;
	store *s;
	int64_t added;
	j->rc = store_open(&s, j->db, 0);
	if (j->rc == 0)
		j->rc = store_merge_export(s, j->in, &added, j->err, sizeof j->err);
	if (j->rc == 0)
		j->rc = export_write(s, j->out, NULL, NULL, j->err, sizeof j->err);
	store_close(s);
	j->done = 1;
	return NULL;
}

static void test_taps_during_sync_never_fail(void **state)
{
	fixture *f = *state;
	char err[256];
	/* An export from another kiosk big enough to take several merge transactions. */
	store *other = kiosk_db(path_in(f, "k2.db"), "k2", "Annex", 0);
	assert_int_equal(store_begin(other), 0);
	store_tap t;
	for (int i = 0; i < 12000; i++)
		assert_int_equal(store_checkin_record(other, i % 2 ? "a1" : "a2", DAY0 + i, DAY0, &t), 0);
	assert_int_equal(store_commit(other), 0);
	OK(export_write(other, path_in(f, "k2.sqlite"), NULL, NULL, err, sizeof err));
	store_close(other);

	store *ui = kiosk_db(path_in(f, "k1.db"), "k1", "Foyer", 0);
	sync_job job = { .db = path_in(f, "k1.db"), .in = path_in(f, "k2.sqlite"),
			 .out = path_in(f, "k1.sqlite") };
	pthread_t th;
	assert_int_equal(pthread_create(&th, NULL, sync_thread, &job), 0);
	int taps = 0;
	/* Taps as fast as a crowd can (every 5 ms, far beyond a real booth), for as long as
	 * the sync runs. */
	while (!job.done || taps < 20) {
		int rc = store_checkin_record(ui, taps % 2 ? "a3" : "a4", DAY0 + 50000 + taps, DAY0, &t);
		if (rc != 0)
			fail_msg("tap %d during sync: %s", taps, store_errmsg(ui));
		taps++;
		nanosleep(&(struct timespec){ .tv_nsec = 5000000 }, NULL);
	}
	assert_int_equal(pthread_join(th, NULL), 0);
	if (job.rc != 0)
		fail_msg("sync thread: %s", job.err);
	assert_int_equal(sql_int(path_in(f, "k1.db"), "SELECT count(*) FROM checkins"),
			 12000 + taps);
	assert_true(sql_int(path_in(f, "k1.sqlite"), "SELECT count(*) FROM checkins") >= 12000);
	store_close(ui);
}
/* Format 2 carries consent answers; kioskctl merge keeps the latest per attendee whichever
 * file comes first, and the export stays readable (ISO times, plain columns). */
static void test_consent_in_exports_latest_wins(void **state)
{
	fixture *f = *state;
	char err[300], text[128];
	store *k1 = kiosk_db(path_in(f, "k1.db"), "k1", "Hall A", 2);
	store *k2 = kiosk_db(path_in(f, "k2.db"), "k2", "Hall B", 2);
	assert_int_equal(clock_init_spec("@1795770000", err, sizeof err), 0);
	assert_int_equal(store_attendee_set_visible(k1, "a2", 0), 0);
	assert_int_equal(clock_init_spec("@1795773600", err, sizeof err), 0);
	assert_int_equal(store_attendee_set_visible(k2, "a2", 1), 0);
	OK(export_write(k1, path_in(f, "e1.sqlite"), NULL, NULL, err, sizeof err));
	OK(export_write(k2, path_in(f, "e2.sqlite"), NULL, NULL, err, sizeof err));
	assert_int_equal(sql_int(path_in(f, "e1.sqlite"), "PRAGMA user_version"), 2);
	sql_text(path_in(f, "e1.sqlite"), "SELECT visible || ' ' || answered_at || ' ' || kiosk_id "
		 "FROM consent", text, sizeof text);
	assert_string_equal(text, "0 2026-11-27T09:00:00Z k1");
	for (int order = 0; order < 2; order++) {
		const char *out = path_in(f, order ? "m2.sqlite" : "m1.sqlite");
		OK(export_merge(out, path_in(f, order ? "e2.sqlite" : "e1.sqlite"), NULL, err,
				sizeof err));
		OK(export_merge(out, path_in(f, order ? "e1.sqlite" : "e2.sqlite"), NULL, err,
				sizeof err));
		sql_text(out, "SELECT visible || ' ' || kiosk_id FROM consent WHERE attendee_id = "
			 "'a2'", text, sizeof text);
		assert_string_equal(text, "1 k2");
	}
	/* Into a kiosk: k2's later "Yes" beats k1's own earlier "No". */
	int64_t added;
	OK(store_merge_export(k1, path_in(f, "e2.sqlite"), &added, err, sizeof err));
	assert_int_equal(sql_int(path_in(f, "k1.db"), "SELECT visible FROM attendees WHERE "
				 "attendee_id = 'a2'"), 1);
	clock_init_spec(NULL, err, sizeof err);
	store_close(k1);
	store_close(k2);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_export_round_trip),
		T(test_merge_idempotent_overlapping),
		T(test_export_to_readonly_keeps_old_file),
		T(test_bad_inputs_refused),
		T(test_merge_into_own_kiosk_keeps_seq_unique),
		T(test_export_cancel_keeps_old_file),
		T(test_taps_during_sync_never_fail),
		T(test_consent_in_exports_latest_wins),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
