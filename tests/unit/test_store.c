/* Unit tests for the storage module on real SQLite files in a temp directory: migrations,
 * the tap path (repeat window, seq, durability after a crash), the colleague privacy rule,
 * session queries and search with hostile input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/util.h"
#include "store/store.h"

#define DAY0 1795737600 /* 2026-11-27T00:00:00Z */

typedef struct fixture {
	char dir[64];   /* mkdtemp directory */
	char path[128]; /* dir/kiosk.db */
	store *s;       /* open, with kiosk "k1" at "Hall A foyer" */
} fixture;

static int setup(void **state)
{
	fixture *f = xcalloc(1, sizeof *f);
	strcpy(f->dir, "/tmp/kith-store-XXXXXX");
	if (mkdtemp(f->dir) == NULL)
		return -1;
	snprintf(f->path, sizeof f->path, "%s/kiosk.db", f->dir);
	if (store_open(&f->s, f->path, STORE_OPEN_CREATE) != 0)
		return -1;
	if (store_kiosk_set(f->s, "k1", "Hall A foyer") != 0)
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	char cmd[160];
	store_close(f->s);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
	if (system(cmd) != 0)
		return -1;
	free(f);
	return 0;
}

static void add_attendee(store *s, const char *id, const char *name, int visible,
			 const char *groups)
{
	store_attendee_in a = { .id = id, .name = name, .affiliation = "Lib", .visible = visible };
	assert_int_equal(store_attendee_put(s, &a), 0);
	char buf[256];
	snprintf(buf, sizeof buf, "%s", groups ? groups : "");
	for (char *g = strtok(buf, ";"); g; g = strtok(NULL, ";"))
		assert_int_equal(store_attendee_add_group(s, id, g), 0);
}

static int64_t sql_int(const char *path, const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	int64_t v = -12345;
	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

/* ---- Opening and migrations ----------------------------------------------------------- */

static void test_fresh_file_is_migrated_and_reopens(void **state)
{
	fixture *f = *state;
	assert_int_equal(sql_int(f->path, "PRAGMA user_version"), STORE_SCHEMA_VERSION);
	store_close(f->s);
	f->s = NULL;
	/* Reopen without CREATE: same schema, data kept, WAL on. */
	assert_int_equal(store_open(&f->s, f->path, 0), 0);
	assert_int_equal(store_meta_set(f->s, "conference_name", "Lib Summit"), 0);
	store_close(f->s);
	assert_int_equal(store_open(&f->s, f->path, STORE_OPEN_READONLY), 0);
	char name[64];
	assert_int_equal(store_meta_get(f->s, "conference_name", name, sizeof name), 1);
	assert_string_equal(name, "Lib Summit");
	assert_int_equal(store_meta_get(f->s, "timezone", name, sizeof name), 0);
	assert_int_equal(sql_int(f->path, "SELECT count(*) FROM pragma_journal_mode "
				 "WHERE journal_mode = 'wal'"), 1);
}

static void test_open_refuses_strangers(void **state)
{
	fixture *f = *state;
	store *s = NULL;
	char p[160];

	snprintf(p, sizeof p, "%s/missing.db", f->dir);
	assert_true(store_open(&s, p, 0) < 0);
	assert_non_null(strstr(store_errmsg(s), "cannot open"));
	store_close(s);
	assert_int_equal(access(p, F_OK), -1); /* not created by a failed open */

	snprintf(p, sizeof p, "%s/text.db", f->dir);
	FILE *fp = fopen(p, "w");
	assert_non_null(fp);
	fputs("this is not a database, just some text that is long enough to look like one....."
	      "................................................................................",
	      fp);
	fclose(fp);
	assert_int_equal(store_open(&s, p, 0), STORE_ESCHEMA);
	store_close(s);

	/* A newer schema than this build knows. */
	snprintf(p, sizeof p, "%s/future.db", f->dir);
	assert_int_equal(store_open(&s, p, STORE_OPEN_CREATE), 0);
	store_close(s);
	sqlite3 *db;
	assert_int_equal(sqlite3_open(p, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "PRAGMA user_version = 99", 0, 0, 0), SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(store_open(&s, p, 0), STORE_ESCHEMA);
	assert_non_null(strstr(store_errmsg(s), "newer"));
	store_close(s);

	/* Somebody else's SQLite file. */
	snprintf(p, sizeof p, "%s/other.db", f->dir);
	assert_int_equal(sqlite3_open(p, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "CREATE TABLE t(x)", 0, 0, 0), SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(store_open(&s, p, 0), STORE_ESCHEMA);
	assert_non_null(strstr(store_errmsg(s), "not a Kith database"));
	store_close(s);
}

static void test_import_rules(void **state)
{
	fixture *f = *state;
	store_attendee_in a = { .id = "a1", .name = "Zoë Müller", .visible = -1 };
	assert_int_equal(store_attendee_put(f->s, &a), 0);
	assert_int_equal(store_attendee_put(f->s, &a), STORE_ECONFLICT);
	assert_non_null(strstr(store_errmsg(f->s), "a1"));
	store_attendee_in bad = { .id = "a2", .name = "\xC3(", .visible = 1 };
	assert_int_equal(store_attendee_put(f->s, &bad), STORE_EINVAL);
	bad.name = "x";
	bad.visible = 2;
	assert_int_equal(store_attendee_put(f->s, &bad), STORE_EINVAL);

	const uint8_t uid[7] = { 4, 0xA1, 0xB2, 0xC3, 0xD4, 0xE5, 0xF6 };
	assert_int_equal(store_badge_put(f->s, uid, 7, "a1"), 0);
	assert_int_equal(store_badge_put(f->s, uid, 7, "a1"), 0); /* same owner: fine */
	assert_int_equal(store_badge_put(f->s, uid, 5, "a1"), STORE_EINVAL);
	assert_int_equal(store_badge_put(f->s, uid, 4, "nobody"), STORE_EINVAL);
	store_attendee_in b = { .id = "a3", .name = "Other", .visible = 1 };
	assert_int_equal(store_attendee_put(f->s, &b), 0);
	assert_int_equal(store_badge_put(f->s, uid, 7, "a3"), STORE_ECONFLICT);

	store_session_in bs = { .id = "s1", .title = "T", .start = 100, .end = 50 };
	assert_int_equal(store_session_put(f->s, &bs), STORE_EINVAL);
	assert_int_equal(store_kiosk_set(f->s, "../evil", "x"), STORE_EINVAL);

	/* An import rolled back leaves nothing behind. */
	assert_int_equal(store_begin(f->s), 0);
	store_attendee_in c = { .id = "a4", .name = "Gone", .visible = 1 };
	assert_int_equal(store_attendee_put(f->s, &c), 0);
	assert_int_equal(store_attendee_add_group(f->s, "a4", "CLENE"), 0);
	assert_int_equal(store_rollback(f->s), 0);
	store_attendee out;
	assert_int_equal(store_badge_lookup(f->s, "a4", NULL, 0, &out), 0);
}

/* A session's abstract (issue 14): stored with its line breaks, read apart from the lists,
 * replaced on re-import, capped at STORE_ABSTRACT_MAX - 1 bytes. */
static void test_session_abstract(void **state)
{
	fixture *f = *state;
	char out[STORE_ABSTRACT_MAX], big[STORE_ABSTRACT_MAX + 1];
	store_session_in in = { .id = "s1", .title = "T", .start = 100, .end = 200,
				.abstract = "Line one.\nLíne two — 二." };
	assert_int_equal(store_session_put(f->s, &in), 0);
	assert_int_equal(store_session_abstract(f->s, "s1", out, sizeof out), 1);
	assert_string_equal(out, "Line one.\nLíne two — 二.");
	assert_int_equal(store_session_abstract(f->s, "nope", out, sizeof out), 0);
	assert_string_equal(out, "");
	in.abstract = NULL; /* a re-import without one clears it */
	assert_int_equal(store_session_put(f->s, &in), 0);
	assert_int_equal(store_session_abstract(f->s, "s1", out, sizeof out), 1);
	assert_string_equal(out, "");
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	big[STORE_ABSTRACT_MAX - 1] = '\0'; /* 4095 bytes: fits */
	in.abstract = big;
	assert_int_equal(store_session_put(f->s, &in), 0);
	assert_int_equal(store_session_abstract(f->s, "s1", out, sizeof out), 1);
	assert_int_equal(strlen(out), STORE_ABSTRACT_MAX - 1);
	big[STORE_ABSTRACT_MAX - 1] = 'x'; /* 4096: refused, the stored one kept */
	assert_int_equal(store_session_put(f->s, &in), STORE_EINVAL);
	assert_non_null(strstr(store_errmsg(f->s), "abstract of session s1 is 4096 bytes"));
	in.abstract = "\xff";
	assert_int_equal(store_session_put(f->s, &in), STORE_EINVAL);
	assert_int_equal(store_session_abstract(f->s, "s1", out, sizeof out), 1);
	assert_int_equal(strlen(out), STORE_ABSTRACT_MAX - 1);
}

static void test_badge_lookup_ndef_then_uid(void **state)
{
	fixture *f = *state;
	add_attendee(f->s, "a1", "Ana", 1, NULL);
	add_attendee(f->s, "a2", "田中 花子", 0, NULL);
	const uint8_t uid[4] = { 0xDE, 0xAD, 0xBE, 0xEF };
	assert_int_equal(store_badge_put(f->s, uid, 4, "a2"), 0);
	store_attendee out;

	assert_int_equal(store_badge_lookup(f->s, "a1", uid, 4, &out), 1);
	assert_string_equal(out.id, "a1");
	assert_int_equal(store_badge_lookup(f->s, "", uid, 4, &out), 1);
	assert_string_equal(out.name, "田中 花子");
	assert_int_equal(out.visible, 0);
	/* An unknown NDEF id falls back to the UID. */
	assert_int_equal(store_badge_lookup(f->s, "zz", uid, 4, &out), 1);
	assert_string_equal(out.id, "a2");
	const uint8_t other[4] = { 1, 2, 3, 4 };
	assert_int_equal(store_badge_lookup(f->s, NULL, other, 4, &out), 0);
	assert_int_equal(store_badge_lookup(f->s, NULL, other, 3, &out), 0);
}

/* ---- The tap path --------------------------------------------------------------------- */

static void test_repeat_window(void **state)
{
	fixture *f = *state;
	store_tap t;
	add_attendee(f->s, "a1", "Ana", 1, "CLENE");
	store_set_repeat_window(f->s, 60);
	int64_t now = DAY0 + 9 * 3600;

	assert_int_equal(store_checkin_record(f->s, "a1", now, DAY0, &t), 0);
	assert_int_equal(t.repeat, 0);
	assert_int_equal(t.first_today, 1);
	assert_int_equal(t.seq, 1);
	assert_int_equal(store_checkin_record(f->s, "a1", now + 59, DAY0, &t), 0);
	assert_int_equal(t.repeat, 1);
	assert_int_equal(t.seq, 1);
	assert_int_equal(t.checked_in_at, now);
	assert_int_equal(sql_int(f->path, "SELECT count(*) FROM checkins"), 1);
	assert_int_equal(store_checkin_record(f->s, "a1", now + 60, DAY0, &t), 0);
	assert_int_equal(t.repeat, 0);
	assert_int_equal(t.first_today, 0);
	assert_int_equal(t.seq, 2);
	/* Clock went backwards after a power cut: stored, not a repeat. */
	assert_int_equal(store_checkin_record(f->s, "a1", now - 3600, DAY0, &t), 0);
	assert_int_equal(t.repeat, 0);
	assert_int_equal(t.seq, 3);
	assert_int_equal(sql_int(f->path, "SELECT count(*) FROM checkins"), 3);
	/* The next day, the first tap is first_today again. */
	assert_int_equal(store_checkin_record(f->s, "a1", now + 86400, DAY0 + 86400, &t), 0);
	assert_int_equal(t.first_today, 1);
	/* Unknown attendee: refused, nothing stored. */
	assert_int_equal(store_checkin_record(f->s, "ghost", now, DAY0, &t), STORE_EINVAL);
	assert_int_equal(sql_int(f->path, "SELECT count(*) FROM checkins"), 4);
}

static void test_first_today_across_kiosks(void **state)
{
	fixture *f = *state;
	store *other;
	store_tap t;
	add_attendee(f->s, "a1", "Ana", 1, NULL);
	assert_int_equal(store_open(&other, f->path, 0), 0);
	assert_int_equal(store_kiosk_set(other, "k2", "Level 2"), 0);
	assert_int_equal(store_checkin_record(other, "a1", DAY0 + 100, DAY0, &t), 0);
	assert_int_equal(t.first_today, 1);
	assert_int_equal(t.seq, 1);
	/* Same attendee, other kiosk, a second later: not a repeat here, not first today. */
	assert_int_equal(store_checkin_record(f->s, "a1", DAY0 + 101, DAY0, &t), 0);
	assert_int_equal(t.repeat, 0);
	assert_int_equal(t.first_today, 0);
	assert_int_equal(t.seq, 1);
	store_close(other);
}

static void test_seq_monotonic_across_reopen(void **state)
{
	fixture *f = *state;
	store_tap t;
	add_attendee(f->s, "a1", "Ana", 1, NULL);
	add_attendee(f->s, "a2", "Ben", 1, NULL);
	for (int i = 0; i < 3; i++)
		assert_int_equal(store_checkin_record(f->s, i % 2 ? "a2" : "a1",
						      DAY0 + 1000 * i, DAY0, &t), 0);
	assert_int_equal(t.seq, 3);
	store_close(f->s);
	assert_int_equal(store_open(&f->s, f->path, 0), 0);
	assert_int_equal(store_kiosk_set(f->s, "k1", "Hall A foyer"), 0);
	/* The wall clock is now far in the past: seq still grows. */
	assert_int_equal(store_checkin_record(f->s, "a2", 5, 0, &t), 0);
	assert_int_equal(t.seq, 4);
	assert_int_equal(store_kiosk_set(f->s, "k9", "Annex"), 0);
	assert_int_equal(store_checkin_record(f->s, "a2", 6, 0, &t), 0);
	assert_int_equal(t.seq, 1);
}

static void test_checkin_survives_crash(void **state)
{
	fixture *f = *state;
	add_attendee(f->s, "a1", "Ana", 1, NULL);
	store_close(f->s);
	f->s = NULL;

	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		store *s;
		store_tap t;
		if (store_open(&s, f->path, 0) != 0 || store_kiosk_set(s, "k1", "x") != 0 ||
		    store_checkin_record(s, "a1", DAY0 + 5, DAY0, &t) != 0)
			_exit(3);
		/* Acknowledged: now die without closing (no checkpoint, WAL left behind). */
		kill(getpid(), SIGKILL);
		_exit(4);
	}
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	char wal[160];
	snprintf(wal, sizeof wal, "%s-wal", f->path);
	struct stat st;
	assert_int_equal(stat(wal, &st), 0);
	assert_true(st.st_size > 0);
	assert_int_equal(store_open(&f->s, f->path, 0), 0);
	assert_int_equal(sql_int(f->path, "SELECT count(*) FROM checkins WHERE attendee_id = 'a1' "
				 "AND kiosk_id = 'k1' AND seq = 1"), 1);
}

/* ---- Colleagues ----------------------------------------------------------------------- */

static int names_contain(const store_group_colleagues *g, const char *name)
{
	for (int i = 0; i < g->count; i++)
		if (strcmp(g->colleagues[i].name, name) == 0)
			return 1;
	return 0;
}

static void test_colleagues_only_visible(void **state)
{
	fixture *f = *state;
	store_group_colleagues out[4];
	store_tap t;
	add_attendee(f->s, "me", "Asker", -1, "CLENE");
	add_attendee(f->s, "yes", "Visible Yes", 1, "CLENE");
	add_attendee(f->s, "no", "Visible No", 0, "CLENE");
	add_attendee(f->s, "unset", "Visible Unset", -1, "CLENE");
	add_attendee(f->s, "flip", "Flipper", 1, "CLENE");
	const char *all[] = { "me", "yes", "no", "unset", "flip" };
	for (int i = 0; i < 5; i++)
		assert_int_equal(store_checkin_record(f->s, all[i], DAY0 + 3600 + i, DAY0, &t), 0);

	assert_int_equal(store_colleagues(f->s, "me", DAY0, out, 4), 1);
	assert_string_equal(out[0].group, "CLENE");
	assert_int_equal(out[0].total, 2);
	assert_int_equal(out[0].count, 2);
	assert_true(names_contain(&out[0], "Visible Yes"));
	assert_true(names_contain(&out[0], "Flipper"));
	assert_false(names_contain(&out[0], "Visible No"));
	assert_false(names_contain(&out[0], "Visible Unset"));
	assert_false(names_contain(&out[0], "Asker"));

	/* Flipper changes their mind: gone at once, without a new check-in. */
	assert_int_equal(store_attendee_set_visible(f->s, "flip", 0), 0);
	assert_int_equal(store_colleagues(f->s, "me", DAY0, out, 4), 1);
	assert_int_equal(out[0].total, 1);
	assert_int_equal(out[0].count, 1);
	assert_string_equal(out[0].colleagues[0].name, "Visible Yes");
	/* Unset answers yes at the kiosk: shown. */
	assert_int_equal(store_attendee_set_visible(f->s, "unset", 1), 0);
	assert_int_equal(store_colleagues(f->s, "me", DAY0, out, 4), 1);
	assert_int_equal(out[0].total, 2);
	assert_true(names_contain(&out[0], "Visible Unset"));
	/* A membership added after the check-in counts too; a visible=0 one never does. */
	assert_int_equal(store_attendee_add_group(f->s, "no", "ASTD"), 0);
	assert_int_equal(store_attendee_add_group(f->s, "yes", "ASTD"), 0);
	assert_int_equal(store_attendee_add_group(f->s, "me", "ASTD"), 0);
	assert_int_equal(store_colleagues(f->s, "me", DAY0, out, 4), 2);
	assert_string_equal(out[0].group, "ASTD");
	assert_int_equal(out[0].total, 1);
	assert_string_equal(out[0].colleagues[0].name, "Visible Yes");
	assert_string_equal(out[1].group, "CLENE");
	/* The raw-SQL route: even if the derived table were stale, attendees.visible rules. */
	sqlite3 *db;
	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "DROP TRIGGER attendees_visible;"
				      "UPDATE attendees SET visible = 0 WHERE attendee_id = 'yes'",
				      0, 0, 0), SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(store_colleagues(f->s, "me", DAY0, out, 4), 2);
	assert_false(names_contain(&out[0], "Visible Yes"));
	assert_false(names_contain(&out[1], "Visible Yes"));
}

static void test_colleagues_newest_first_with_totals(void **state)
{
	fixture *f = *state;
	store_group_colleagues out[3];
	store_tap t;
	store *k2;
	char id[16], name[32];

	add_attendee(f->s, "me", "Asker", 1, "Infopeople;ASTD;zeta");
	assert_int_equal(store_open(&k2, f->path, 0), 0);
	assert_int_equal(store_kiosk_set(k2, "k2", "Level 2, east"), 0);
	for (int i = 0; i < 15; i++) {
		snprintf(id, sizeof id, "p%02d", i);
		snprintf(name, sizeof name, "Person %02d", i);
		add_attendee(f->s, id, name, 1, "Infopeople");
		/* Odd ones at the other kiosk; two of them yesterday (not counted). */
		int64_t when = i < 2 ? DAY0 - 600 + i : DAY0 + 60 * i;
		assert_int_equal(store_checkin_record(i % 2 ? k2 : f->s, id, when, DAY0, &t), 0);
	}
	assert_int_equal(store_colleagues(f->s, "me", DAY0, out, 3), 3);
	assert_string_equal(out[0].group, "ASTD");
	assert_int_equal(out[0].total, 0);
	assert_int_equal(out[0].count, 0);
	assert_string_equal(out[1].group, "Infopeople");
	assert_int_equal(out[1].total, 13);
	assert_int_equal(out[1].count, STORE_COLLEAGUES_MAX);
	assert_string_equal(out[1].colleagues[0].name, "Person 14");
	assert_string_equal(out[1].colleagues[0].location, "Hall A foyer");
	assert_string_equal(out[1].colleagues[1].name, "Person 13");
	assert_string_equal(out[1].colleagues[1].location, "Level 2, east");
	assert_int_equal(out[1].colleagues[1].checked_in_at, DAY0 + 60 * 13);
	for (int i = 1; i < out[1].count; i++)
		assert_true(out[1].colleagues[i - 1].checked_in_at >
			    out[1].colleagues[i].checked_in_at);
	assert_string_equal(out[2].group, "zeta");
	/* A later tap moves a person to the top (latest check-in wins). */
	assert_int_equal(store_checkin_record(k2, "p03", DAY0 + 5000, DAY0, &t), 0);
	assert_int_equal(store_colleagues(f->s, "me", DAY0, out, 2), 2);
	assert_string_equal(out[1].colleagues[0].name, "Person 03");
	assert_int_equal(out[1].total, 13);
	store_close(k2);
	/* Unknown asker: no groups, no error. */
	assert_int_equal(store_colleagues(f->s, "nobody", DAY0, out, 3), 0);
}

/* Every colleague, a page at a time: keyset paging over ties in time (two check-ins in the
 * same second), never a duplicate or a gap, never a hidden or unanswered person. */
static void test_colleague_pages_cover_everyone_once(void **state)
{
	fixture *f = *state;
	store_colleague page[10];
	store_colleague_cursor cur = { 0 };
	store_group_count groups[4];
	store_tap t;
	char id[16], name[32], seen[100] = { 0 };
	int n, total = 0, pages = 0;
	int64_t last_at = INT64_MAX;

	add_attendee(f->s, "me", "Asker", 1, "Big;Small");
	for (int i = 0; i < 95; i++) {
		snprintf(id, sizeof id, "p%02d", i);
		snprintf(name, sizeof name, "Person %02d", i);
		/* Every 10th hidden, every 10th (plus 5) unanswered. */
		add_attendee(f->s, id, name, i % 10 == 0 ? 0 : i % 10 == 5 ? -1 : 1, "Big");
		/* Two by two in the same second: ties the cursor must break by attendee. */
		assert_int_equal(store_checkin_record(f->s, id, DAY0 + 60 + i / 2, DAY0, &t), 0);
	}
	while ((n = store_colleagues_page(f->s, "me", "Big", DAY0, &cur, page, 10)) > 0) {
		pages++;
		for (int k = 0; k < n; k++) {
			int who = atoi(page[k].name + strlen("Person "));
			assert_true(who % 10 != 0 && who % 10 != 5);
			assert_int_equal(seen[who], 0);
			seen[who] = 1;
			assert_true(page[k].checked_in_at <= last_at);
			last_at = page[k].checked_in_at;
			total++;
		}
	}
	assert_int_equal(n, 0);
	assert_int_equal(total, 95 - 10 - 9); /* 10 hidden (0, 10, .. 90), 9 unanswered */
	assert_int_equal(pages, 8);
	/* The groups, with the same count welcome shows. */
	assert_int_equal(store_attendee_groups(f->s, "me", DAY0, groups, 4), 2);
	assert_string_equal(groups[0].group, "Big");
	assert_int_equal(groups[0].total, total);
	assert_string_equal(groups[1].group, "Small");
	assert_int_equal(groups[1].total, 0);
	/* Nothing for an unknown asker or group. */
	memset(&cur, 0, sizeof cur);
	assert_int_equal(store_colleagues_page(f->s, "me", "Nope", DAY0, &cur, page, 10), 0);
	assert_int_equal(store_attendee_groups(f->s, "nobody", DAY0, groups, 4), 0);
}

/* ---- Sessions ------------------------------------------------------------------------- */

static void add_session(store *s, const char *id, const char *title, const char *track,
			const char *room, int64_t start, int minutes)
{
	store_session_in in = { .id = id, .title = title, .track = track, .room = room,
				.speakers = "Ada Lovelace; 李 小龙", .start = start,
				.end = start + 60 * minutes };
	assert_int_equal(store_session_put(s, &in), 0);
}

static void seed_sessions(store *s)
{
	int64_t t = DAY0 + 9 * 3600;
	store_room_in r = { .name = "Hall C", .floor = 2, .floor_name = "Level 2",
			    .area = "east wing", .polygon = "0,0 10,0 10,8 0,8" };
	assert_int_equal(store_room_put(s, &r), 0);
	add_session(s, "s1", "The Future of Library Learning", "Learning", "Hall C", t, 60);
	add_session(s, "s2", "Café Müller: Zoë's data stories", "Data", "Room 101", t + 1800, 60);
	add_session(s, "s3", "图书馆的未来", "International", "Hall C", t + 3600, 45);
	add_session(s, "s4", "図書館とデジタル化", "International", "Room 101", t + 7200, 45);
	add_session(s, "s5", "Yesterday's keynote", "Learning", "Hall C", t - 86400, 60);
	add_session(s, "s6", "مستقبل المكتبات", "International", "Room 101", t + 9000, 30);
	assert_int_equal(store_session_add_group(s, "s2", "CLENE"), 0);
	assert_int_equal(store_session_add_group(s, "s5", "CLENE"), 0);
	assert_int_equal(store_session_add_group(s, "nope", "CLENE"), STORE_EINVAL);
}

static int search(store *s, const char *text, store_session *out, int max)
{
	return store_sessions(s, STORE_SESSIONS_SEARCH, text, 0, 0, out, max);
}

static void test_sessions_queries(void **state)
{
	fixture *f = *state;
	store_session out[8];
	int64_t t = DAY0 + 9 * 3600;
	seed_sessions(f->s);

	/* Now (s1 running) and next within 40 minutes (s2). */
	assert_int_equal(store_sessions(f->s, STORE_SESSIONS_NOW_NEXT, NULL, t + 600, 40 * 60,
					out, 8), 2);
	assert_string_equal(out[0].id, "s1");
	assert_string_equal(out[0].room, "Hall C");
	assert_string_equal(out[1].id, "s2");
	assert_int_equal(store_sessions(f->s, STORE_SESSIONS_TRACK, "International", t, 0, out, 8), 3);
	assert_string_equal(out[0].id, "s3");
	assert_int_equal(store_sessions(f->s, STORE_SESSIONS_ROOM, "Hall C", 0, 0, out, 8), 3);
	assert_string_equal(out[0].id, "s5");
	assert_int_equal(store_sessions(f->s, STORE_SESSIONS_DAY, NULL, DAY0, 86400, out, 8), 5);
	assert_int_equal(store_sessions(f->s, STORE_SESSIONS_DAY, NULL, DAY0, 86400, out, 2), 2);

	add_attendee(f->s, "me", "Asker", 1, "CLENE");
	assert_int_equal(store_sessions(f->s, STORE_SESSIONS_GROUPS, "me", t, 0, out, 8), 1);
	assert_string_equal(out[0].id, "s2");
	assert_string_equal(out[0].track, "Data");

	assert_int_equal(store_session_get(f->s, "s3", &out[0]), 1);
	assert_string_equal(out[0].title, "图书馆的未来");
	assert_int_equal(store_session_get(f->s, "none", &out[0]), 0);

	char tracks[8][STORE_PLACE_MAX];
	assert_int_equal(store_tracks(f->s, tracks, 8), 3);
	assert_string_equal(tracks[0], "Data");
	store_room rooms[4];
	assert_int_equal(store_rooms(f->s, rooms, 4), 2);
	assert_string_equal(rooms[0].name, "Room 101"); /* created by a session, floor 0 */
	assert_string_equal(rooms[1].polygon, "0,0 10,0 10,8 0,8");
	assert_int_equal(store_room_get(f->s, "Hall C", &rooms[0]), 1);
	assert_string_equal(rooms[0].area, "east wing");

	/* Replacing a session by id updates its search text too. */
	add_session(f->s, "s1", "Makerspaces everywhere", "Learning", "Hall C", t, 60);
	assert_int_equal(search(f->s, "future", out, 8), 0);
	assert_int_equal(search(f->s, "makersp", out, 8), 1);
	assert_string_equal(out[0].id, "s1");
}

static void test_search_accents_cjk_prefix(void **state)
{
	fixture *f = *state;
	store_session out[8];
	seed_sessions(f->s);

	assert_int_equal(search(f->s, "muller", out, 8), 1);
	assert_string_equal(out[0].id, "s2");
	assert_int_equal(search(f->s, "Mül", out, 8), 1);
	assert_int_equal(search(f->s, "zoe", out, 8), 1);
	assert_int_equal(search(f->s, "CAFÉ", out, 8), 1);
	assert_int_equal(search(f->s, "libr", out, 8), 1);
	assert_string_equal(out[0].id, "s1");
	assert_int_equal(search(f->s, "l", out, 8), 6); /* as-you-type: one letter; all by Lovelace */
	assert_int_equal(search(f->s, "future lib", out, 8), 1);
	assert_int_equal(search(f->s, "future nothing", out, 8), 0);
	assert_int_equal(search(f->s, "图书馆", out, 8), 1);
	assert_string_equal(out[0].id, "s3");
	assert_int_equal(search(f->s, "未来", out, 8), 1);
	assert_int_equal(search(f->s, "図書館", out, 8), 1);
	assert_string_equal(out[0].id, "s4");
	assert_int_equal(search(f->s, "图", out, 8), 1);
	assert_int_equal(search(f->s, "デジタル", out, 8), 1);
	assert_int_equal(search(f->s, "小龙", out, 8), 6); /* speakers */
	assert_int_equal(search(f->s, "المكتبات", out, 8), 1);
	assert_int_equal(search(f->s, "hall c intern", out, 8), 1);
	assert_string_equal(out[0].id, "s3");
}

static void test_search_hostile_text_never_errors(void **state)
{
	fixture *f = *state;
	store_session out[8];
	seed_sessions(f->s);
	const char *hostile[] = {
		"\"", "\"\"", "'", "*", "**", "-", "--", "-future", "future -data", "NEAR(",
		"NEAR(a b", "NEAR(future library, 2)", "(", ")", "((future", "future)", "a AND",
		"OR", "NOT", "future OR", "title:future", "{title}: x", "^future", "+", "\\",
		"'; DROP TABLE sessions; --", "\"future\"*", "fut\"ure", "%", "_", "\xC3",
		"\xFF\xFE", "   ", "", "\t\n", "a b c d e f g h i j k l m n o p q r s t u v w x",
		"图\"书(馆", "😀", "NEAR", "AND", "future*lib",
	};
	for (size_t i = 0; i < ARRAY_LEN(hostile); i++) {
		int n = search(f->s, hostile[i], out, 8);
		if (n < 0)
			fail_msg("search for <%s> failed: %s", hostile[i], store_errmsg(f->s));
	}
	assert_int_equal(search(f->s, "-future", out, 8), 1); /* '-' is a separator, not NOT */
	assert_int_equal(search(f->s, "NEAR(future", out, 8), 0); /* "near" is a word here */
	assert_int_equal(search(f->s, "(((future", out, 8), 1);
	assert_int_equal(search(f->s, "\"future", out, 8), 1);
	assert_int_equal(search(f->s, NULL, out, 8), 0);
	/* The table is still there. */
	assert_int_equal(sql_int(f->path, "SELECT count(*) FROM sessions"), 6);
}

static void test_stats_and_per_hour(void **state)
{
	fixture *f = *state;
	store_tap t;
	store_stats st;
	int64_t hours[24];
	seed_sessions(f->s);
	add_attendee(f->s, "a1", "Ana", 1, NULL);
	add_attendee(f->s, "a2", "Ben", 1, NULL);
	add_attendee(f->s, "a3", "Cy", 1, NULL);
	assert_int_equal(store_checkin_record(f->s, "a1", DAY0 - 100, DAY0 - 86400, &t), 0);
	assert_int_equal(store_checkin_record(f->s, "a1", DAY0 + 9 * 3600, DAY0, &t), 0);
	assert_int_equal(store_checkin_record(f->s, "a2", DAY0 + 9 * 3600 + 5, DAY0, &t), 0);
	assert_int_equal(store_checkin_record(f->s, "a1", DAY0 + 14 * 3600, DAY0, &t), 0);
	assert_int_equal(store_stats_get(f->s, DAY0, &st), 0);
	assert_int_equal(st.checkins_total, 4);
	assert_int_equal(st.checkins_today, 3);
	assert_int_equal(st.attendees_today, 2);
	assert_int_equal(st.attendees_total, 3);
	assert_int_equal(st.sessions_total, 6);
	assert_int_equal(store_checkins_per_hour(f->s, DAY0, hours), 0);
	assert_int_equal(hours[9], 2);
	assert_int_equal(hours[14], 1);
	assert_int_equal(hours[0] + hours[23], 0);
}


static void test_presence_rebuild_repairs(void **state)
{
	fixture *f = *state;
	store_group_colleagues out[2];
	store_tap t;
	add_attendee(f->s, "me", "Asker", 1, "CLENE");
	add_attendee(f->s, "b", "Bea", 1, "CLENE");
	add_attendee(f->s, "c", "Cy", 0, "CLENE");
	assert_int_equal(store_checkin_record(f->s, "b", DAY0 + 100, DAY0, &t), 0);
	assert_int_equal(store_checkin_record(f->s, "b", DAY0 + 900, DAY0, &t), 0);
	assert_int_equal(store_checkin_record(f->s, "c", DAY0 + 200, DAY0, &t), 0);
	sqlite3 *db;
	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "DELETE FROM presence; DELETE FROM group_presence; "
				      "DELETE FROM export_checkins", 0, 0, 0), SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(store_colleagues(f->s, "me", DAY0, out, 2), 1);
	assert_int_equal(out[0].total, 0);
	assert_int_equal(store_presence_rebuild(f->s), 0);
	assert_int_equal(store_colleagues(f->s, "me", DAY0, out, 2), 1);
	assert_int_equal(out[0].total, 1);
	assert_string_equal(out[0].colleagues[0].name, "Bea");
	assert_int_equal(out[0].colleagues[0].checked_in_at, DAY0 + 900);
	assert_int_equal(sql_int(f->path, "SELECT count(*) FROM export_checkins"), 3);
	assert_int_equal(sql_int(f->path, "SELECT count(*) FROM presence"), 2);
	/* Groups text follows memberships. */
	assert_int_equal(store_attendee_add_group(f->s, "b", "ASTD"), 0);
	assert_int_equal(sql_int(f->path, "SELECT count(*) FROM attendees WHERE "
				 "attendee_id = 'b' AND groups = 'ASTD; CLENE'"), 1);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_fresh_file_is_migrated_and_reopens),
		T(test_open_refuses_strangers),
		T(test_import_rules),
		T(test_session_abstract),
		T(test_badge_lookup_ndef_then_uid),
		T(test_repeat_window),
		T(test_first_today_across_kiosks),
		T(test_seq_monotonic_across_reopen),
		T(test_checkin_survives_crash),
		T(test_colleagues_only_visible),
		T(test_colleagues_newest_first_with_totals),
		T(test_colleague_pages_cover_everyone_once),
		T(test_sessions_queries),
		T(test_search_accents_cjk_prefix),
		T(test_search_hostile_text_never_errors),
		T(test_stats_and_per_hour),
		T(test_presence_rebuild_repairs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
