/* Unit tests for staff mode's storage, on real SQLite files: the name search (prefix, case,
 * diacritics, CJK, Cyrillic, hostile text), staff check-ins marked in the export, cards bound
 * and revoked, the badge-event merge between kiosks (latest event wins, in any order), a
 * version-1 database migrating, an export written before staff mode still merging, a
 * conference bundle reindexing the names, and the staff PIN on the admin gate. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "schema_v1.h"
#include <sqlite3.h>
#include <unistd.h>

#include "admin/pin_gate.h"
#include "common/util.h"
#include "store/export.h"
#include "store/store.h"

#define DAY0 1795737600 /* 2026-11-27T00:00:00Z */
#define T9 (DAY0 + 9 * 3600)

typedef struct fixture {
	char dir[64];
} fixture;

static int setup(void **state)
{
	fixture *f = xcalloc(1, sizeof *f);
	strcpy(f->dir, "/tmp/kith-staff-XXXXXX");
	if (mkdtemp(f->dir) == NULL)
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	char cmd[160];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
	if (system(cmd) != 0)
		return -1;
	free(f);
	return 0;
}

static char *path_in(const fixture *f, const char *name)
{
	static char buf[16][160];
	static int next;
	char *p = buf[next++ % 16];
	snprintf(p, sizeof buf[0], "%s/%s", f->dir, name);
	return p;
}

static const char *const names[] = {
	"María González-Hernández", "Zoë Müller", "田中花子", "Мария Иванова", "Marco Rossi",
	"Ana \"Quotes\" O'Neil", "Søren Ødegaard", "Ελένη Παπαδοπούλου",
};
#define NNAMES (int)(sizeof names / sizeof names[0])

static store *kiosk(const char *path, const char *id)
{
	store *s;
	assert_int_equal(store_open(&s, path, STORE_OPEN_CREATE), 0);
	assert_int_equal(store_kiosk_set(s, id, id), 0);
	assert_int_equal(store_begin(s), 0);
	for (int i = 0; i < NNAMES; i++) {
		char aid[16];
		snprintf(aid, sizeof aid, "a%d", i + 1);
		store_attendee_in a = { .id = aid, .name = names[i], .affiliation = "Lib",
					.visible = 1 };
		assert_int_equal(store_attendee_put(s, &a), 0);
	}
	uint8_t uid[4] = { 0x04, 0xA1, 0xB2, 0xC3 };
	assert_int_equal(store_badge_put(s, uid, 4, "a1"), 0);
	assert_int_equal(store_commit(s), 0);
	return s;
}

/* The first hit's name, or "" when none. */
static const char *first(store *s, const char *q, int *n)
{
	static store_attendee out[8];
	*n = store_attendee_search(s, q, out, 8);
	assert_true(*n >= 0);
	return *n ? out[0].name : "";
}

static void test_search(void **state)
{
	fixture *f = *state;
	store *s = kiosk(path_in(f, "k.db"), "k1");
	int n;
	assert_string_equal(first(s, "gonz", &n), names[0]); /* diacritics, middle word */
	assert_int_equal(n, 1);
	assert_string_equal(first(s, "MARIA", &n), names[0]); /* case and á */
	assert_string_equal(first(s, "zoe mu", &n), names[1]); /* two prefixes, ë and ü */
	assert_string_equal(first(s, "田中", &n), names[2]);   /* CJK by its first characters */
	assert_string_equal(first(s, "мар", &n), names[3]);    /* Cyrillic, folded */
	assert_string_equal(first(s, "ИВАН", &n), names[3]);
	assert_string_equal(first(s, "zoe MÜLL", &n), names[1]);
	assert_string_equal(first(s, "soren ode", &n), names[6]); /* ø: no decomposition */
	assert_string_equal(first(s, "ελενη", &n), names[7]);     /* Greek tonos and case */
	first(s, "mar", &n);
	assert_int_equal(n, 2); /* María, Marco (not Мария: another script) */
	first(s, "\"* NEAR( OR", &n); /* FTS5 syntax is only text */
	assert_int_equal(n, 0);
	first(s, "o'neil", &n);
	assert_int_equal(n, 1);
	first(s, "  ", &n);
	assert_int_equal(n, 0);
	first(s, "xyz", &n);
	assert_int_equal(n, 0);
	store_close(s);
}

static int64_t query_int(const char *path, const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	int64_t v = -1;
	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

static void test_staff_checkin_in_export(void **state)
{
	fixture *f = *state;
	store *s = kiosk(path_in(f, "k.db"), "k1");
	store_tap t;
	char err[256];
	assert_int_equal(store_checkin_record(s, "a2", T9, DAY0, &t), 0);
	assert_int_equal(store_staff_checkin(s, "a1", T9 + 10, DAY0, &t), 0);
	assert_int_equal(t.repeat, 0);
	assert_int_equal(store_checkin_is_staff(s, "k1", t.seq), 1);
	assert_int_equal(store_checkin_is_staff(s, "k1", 1), 0);
	assert_int_equal(export_write(s, path_in(f, "x.sqlite"), NULL, NULL, err, sizeof err), 0);
	assert_int_equal(query_int(path_in(f, "x.sqlite"), "SELECT count(*) FROM checkin_methods "
				   "WHERE method = 'staff' AND attendee_id = 'a1'"), 1);
	assert_int_equal(query_int(path_in(f, "x.sqlite"), "SELECT count(*) FROM checkin_methods "
				   "WHERE method = 'badge' AND attendee_id = 'a2'"), 1);
	/* Into an export file and into another kiosk, the mark travels. */
	assert_int_equal(export_merge(path_in(f, "m.sqlite"), path_in(f, "x.sqlite"), NULL, err,
				      sizeof err), 0);
	assert_int_equal(query_int(path_in(f, "m.sqlite"), "SELECT count(*) FROM checkin_methods "
				   "WHERE method = 'staff'"), 1);
	store *b = kiosk(path_in(f, "b.db"), "k2");
	assert_int_equal(store_merge_export(b, path_in(f, "x.sqlite"), NULL, err, sizeof err), 0);
	assert_int_equal(store_checkin_is_staff(b, "k1", 2), 1);
	store_close(b);
	store_close(s);
}

static void test_bind_revoke(void **state)
{
	fixture *f = *state;
	store *s = kiosk(path_in(f, "k.db"), "k1");
	uint8_t old[4] = { 0x04, 0xA1, 0xB2, 0xC3 }, neu[7] = { 0x04, 1, 2, 3, 4, 5, 6 };
	store_attendee a;
	int revoked = -1;
	char uids[4][21];

	assert_int_equal(store_badge_state(s, old, 4, &a), STORE_BADGE_NO_EVENT);
	assert_int_equal(store_badge_bind(s, "zz", "a1", 0, T9, NULL), STORE_EINVAL);
	assert_int_equal(store_badge_bind(s, "04010203040506", "nobody", 0, T9, NULL), STORE_EINVAL);
	assert_int_equal(store_badge_bind(s, "04010203040506", "a1", 1, T9, &revoked), 0);
	assert_int_equal(revoked, 1);
	assert_int_equal(store_badge_state(s, neu, 7, &a), STORE_BADGE_BOUND);
	assert_string_equal(a.id, "a1");
	assert_int_equal(store_badge_lookup(s, NULL, neu, 7, &a), 1);
	assert_int_equal(store_badge_state(s, old, 4, &a), STORE_BADGE_REVOKED);
	assert_int_equal(store_badge_lookup(s, NULL, old, 4, &a), 0);
	assert_int_equal(store_attendee_badges(s, "a1", uids, 4), 1);
	assert_string_equal(uids[0], "04010203040506");
	/* Bound again later: the latest event wins. */
	assert_int_equal(store_badge_bind(s, "04A1B2C3", "a2", 0, T9 + 60, NULL), 0);
	assert_int_equal(store_badge_state(s, old, 4, &a), STORE_BADGE_BOUND);
	assert_string_equal(a.id, "a2");
	assert_int_equal(store_badge_revoke(s, "04A1B2C3", "a2", T9 + 120), 0);
	assert_int_equal(store_badge_state(s, old, 4, &a), STORE_BADGE_REVOKED);
	store_close(s);
}

/* Two kiosks act on the same card; whatever order the files arrive in, both end with the
 * latest event (time, then kiosk id). */
static void test_badge_event_merge(void **state)
{
	fixture *f = *state;
	store *a = kiosk(path_in(f, "a.db"), "ka"), *b = kiosk(path_in(f, "b.db"), "kb");
	store *c = kiosk(path_in(f, "c.db"), "kc");
	uint8_t card[7] = { 0x04, 1, 2, 3, 4, 5, 6 };
	store_attendee who;
	char err[256];

	assert_int_equal(store_badge_bind(a, "04010203040506", "a3", 0, T9 + 100, NULL), 0);
	assert_int_equal(store_badge_bind(b, "04010203040506", "a4", 0, T9 + 50, NULL), 0);
	assert_int_equal(export_write(a, path_in(f, "a.sqlite"), NULL, NULL, err, sizeof err), 0);
	assert_int_equal(export_write(b, path_in(f, "b.sqlite"), NULL, NULL, err, sizeof err), 0);
	/* b's older event arrives last at a; a's newer one at b: both say a3. */
	assert_int_equal(store_merge_export(a, path_in(f, "b.sqlite"), NULL, err, sizeof err), 0);
	assert_int_equal(store_merge_export(b, path_in(f, "a.sqlite"), NULL, err, sizeof err), 0);
	assert_int_equal(store_badge_state(a, card, 7, &who), STORE_BADGE_BOUND);
	assert_string_equal(who.id, "a3");
	assert_int_equal(store_badge_lookup(b, NULL, card, 7, &who), 1);
	assert_string_equal(who.id, "a3");
	/* c gets them in the other order, and twice: the same answer. */
	assert_int_equal(store_merge_export(c, path_in(f, "a.sqlite"), NULL, err, sizeof err), 0);
	assert_int_equal(store_merge_export(c, path_in(f, "b.sqlite"), NULL, err, sizeof err), 0);
	assert_int_equal(store_merge_export(c, path_in(f, "b.sqlite"), NULL, err, sizeof err), 0);
	assert_int_equal(store_badge_lookup(c, NULL, card, 7, &who), 1);
	assert_string_equal(who.id, "a3");
	/* A revocation from b, later still, wins everywhere. */
	assert_int_equal(store_badge_revoke(b, "04010203040506", "a3", T9 + 200), 0);
	assert_int_equal(export_write(b, path_in(f, "b.sqlite"), NULL, NULL, err, sizeof err), 0);
	assert_int_equal(store_merge_export(c, path_in(f, "b.sqlite"), NULL, err, sizeof err), 0);
	assert_int_equal(store_badge_state(c, card, 7, &who), STORE_BADGE_REVOKED);
	assert_int_equal(store_badge_lookup(c, NULL, card, 7, &who), 0);
	store_close(a);
	store_close(b);
	store_close(c);
}

/* A forged event is named and refused; nothing of the staff tables is taken. */
static void test_bad_event_refused(void **state)
{
	fixture *f = *state;
	store *a = kiosk(path_in(f, "a.db"), "ka"), *b = kiosk(path_in(f, "b.db"), "kb");
	char err[256], *x = path_in(f, "a.sqlite");
	sqlite3 *db;
	assert_int_equal(store_badge_bind(a, "04010203040506", "a3", 0, T9, NULL), 0);
	assert_int_equal(export_write(a, x, NULL, NULL, err, sizeof err), 0);
	assert_int_equal(sqlite3_open(x, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "INSERT INTO badge_events VALUES ('ka', 9, 'nothex', "
				      "'bind', 'a1', '2026-11-27T10:00:00Z')", NULL, NULL, NULL),
			 SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(store_merge_export(b, x, NULL, err, sizeof err), STORE_EINVAL);
	assert_non_null(strstr(err, "uid is not"));
	uint8_t card[7] = { 0x04, 1, 2, 3, 4, 5, 6 };
	store_attendee who;
	assert_int_equal(store_badge_state(b, card, 7, &who), STORE_BADGE_NO_EVENT);
	store_close(a);
	store_close(b);
}

/* An export of the format before staff mode (no staff tables) merges, both ways. */
static void test_old_export_merges(void **state)
{
	fixture *f = *state;
	store *a = kiosk(path_in(f, "a.db"), "ka"), *b = kiosk(path_in(f, "b.db"), "kb");
	char err[256], *x = path_in(f, "a.sqlite");
	sqlite3 *db;
	store_tap t;
	int64_t added = -1;
	assert_int_equal(store_checkin_record(a, "a1", T9, DAY0, &t), 0);
	assert_int_equal(export_write(a, x, NULL, NULL, err, sizeof err), 0);
	assert_int_equal(sqlite3_open(x, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "DROP VIEW checkin_methods; DROP TABLE badge_events; "
				      "DROP TABLE staff_checkins", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(store_merge_export(b, x, &added, err, sizeof err), 0);
	assert_int_equal(added, 1);
	assert_int_equal(export_merge(path_in(f, "m.sqlite"), x, &added, err, sizeof err), 0);
	assert_int_equal(added, 1);
	assert_int_equal(query_int(path_in(f, "m.sqlite"), "SELECT count(*) FROM checkin_methods "
				   "WHERE method = 'badge'"), 1);
	store_close(a);
	store_close(b);
}

/* A version-1 database (built here as the first migration left it) migrates, and the names
 * already in it are searchable. */
static void test_v1_migrates(void **state)
{
	fixture *f = *state;
	char *p = path_in(f, "v1.db");
	store *s = kiosk(p, "k1");
	sqlite3 *db;
	int n;
	store_close(s);
	assert_int_equal(sqlite3_open(p, &db), SQLITE_OK);
	assert_int_equal(schema_downgrade_to_v1(db), SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(store_open(&s, p, 0), 0);
	assert_string_equal(first(s, "zoe", &n), names[1]);
	store_close(s);
	assert_int_equal(query_int(p, "PRAGMA user_version"), STORE_SCHEMA_VERSION);
}

/* A conference bundle replaces the roster: the name index follows it, and a card staff bound
 * before still greets its holder (the events outrank the new badges table). */
static void test_bundle_reindexes(void **state)
{
	fixture *f = *state;
	store *s = kiosk(path_in(f, "k.db"), "k1"), *b;
	uint8_t card[7] = { 0x04, 1, 2, 3, 4, 5, 6 };
	store_attendee who;
	int n;
	assert_int_equal(store_badge_bind(s, "04010203040506", "a2", 0, T9, NULL), 0);
	assert_int_equal(store_open(&b, path_in(f, "bundle.db"), STORE_OPEN_CREATE), 0);
	store_attendee_in a1 = { .id = "a2", .name = "Zoë Müller", .visible = 1 };
	store_attendee_in a2 = { .id = "a9", .name = "Łukasz Nowak", .visible = 1 };
	assert_int_equal(store_attendee_put(b, &a1), 0);
	assert_int_equal(store_attendee_put(b, &a2), 0);
	store_close(b);
	assert_int_equal(store_conference_replace(s, path_in(f, "bundle.db"), 4102444800LL), 1);
	assert_string_equal(first(s, "lukasz", &n), "Łukasz Nowak");
	first(s, "gonz", &n);
	assert_int_equal(n, 0); /* no longer in the roster */
	assert_int_equal(store_badge_state(s, card, 7, &who), STORE_BADGE_BOUND);
	assert_string_equal(who.id, "a2");
	store_close(s);
}

/* The staff PIN shares the admin gate's count and lock: two PINs give no extra tries. */
static void test_staff_pin_gate(void **state)
{
	(void)state;
	pin_gate *g = pin_gate_new("4711");
	pin_gate_set_staff(g, "2468");
	assert_int_equal(pin_gate_try(g, "2468", 1000), PIN_OK_STAFF);
	assert_int_equal(pin_gate_try(g, "4711", 1000), PIN_OK);
	assert_int_equal(pin_gate_try(g, "1111", 1000), PIN_WRONG);
	assert_int_equal(pin_gate_try(g, "2222", 1000), PIN_WRONG);
	assert_int_equal(pin_gate_try(g, "3333", 1000), PIN_WRONG);
	assert_int_equal(pin_gate_try(g, "2468", 2000), PIN_LOCKED);
	assert_int_equal(pin_gate_try(g, "2468", 1000 + PIN_GATE_LOCK_MS), PIN_OK_STAFF);
	pin_gate_set_staff(g, "4711"); /* the admin PIN cannot double as staff's */
	assert_int_equal(pin_gate_try(g, "4711", 1000 + PIN_GATE_LOCK_MS), PIN_OK);
	pin_gate_set_staff(g, "12");   /* malformed: no staff PIN */
	assert_int_equal(pin_gate_try(g, "12", 1000 + PIN_GATE_LOCK_MS), PIN_WRONG);
	pin_gate_free(g);
	g = pin_gate_new(NULL);        /* staff only: the pad works, admin never opens */
	assert_int_equal(pin_gate_enabled(g), 0);
	pin_gate_set_staff(g, "2468");
	assert_int_equal(pin_gate_enabled(g), 1);
	assert_int_equal(pin_gate_admin_enabled(g), 0);
	assert_int_equal(pin_gate_try(g, "2468", 0), PIN_OK_STAFF);
	assert_int_equal(pin_gate_try(g, "", 0), PIN_WRONG);
	pin_gate_free(g);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_search), T(test_staff_checkin_in_export), T(test_bind_revoke),
		T(test_badge_event_merge), T(test_bad_event_refused), T(test_old_export_merges),
		T(test_v1_migrates), T(test_bundle_reindexes), T(test_staff_pin_gate),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
