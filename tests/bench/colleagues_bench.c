/* Driver for tests/bench/bench-colleagues.sh: the colleague list's reads at 100,000 attendees.
 *
 *   colleagues_bench DB [--attendees N]
 *
 * Builds DB (N attendees, default 100,000, all in one group with the asker and all checked in
 * today: the worst group there can be), then through a read-only connection, as the kiosk's
 * UI thread reads it, measures opening a group's list (its first page), opening the group
 * list (every group with its count) and every page of a scroll from the top to the bottom
 * (store_colleagues_page, 40 rows, keyset). Prints make bench rows; never fails on a time.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "common/util.h"
#include "store/store.h"

#define PAGE 40 /* as screens/colleagues.c */
#define DAY0 1796101200LL /* 2026-12-01 06:00 CET: any fixed day */

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static void report(const char *measure, uint64_t *ns, int n)
{
	char m1[32], m2[32], note[64];
	qsort(ns, (size_t)n, sizeof *ns, cmp_u64);
	snprintf(m1, sizeof m1, "%.3f ms", ns[n / 2] / 1e6);
	snprintf(m2, sizeof m2, "%.3f ms", ns[(n * 99) / 100 < n ? (n * 99) / 100 : n - 1] / 1e6);
	snprintf(note, sizeof note, "n=%d, worst %.3f ms", n, ns[n - 1] / 1e6);
	printf("%-10s | %-52s | %12s | %12s | %-22s | %s\n", "colleague", measure, m1, m2,
	       "< 16.7 ms (1 frame)", note);
	fflush(stdout);
}

/* The roster through the store (as an import writes it), the check-ins in one SQL statement
 * (as a merge of other kiosks' exports lands them): the triggers keep presence as always. */
static int make_db(const char *path, int n)
{
	store *s = NULL;
	sqlite3 *db = NULL;
	char sql[1024];
	int rc = 1;

	if (store_open(&s, path, STORE_OPEN_CREATE) != 0) {
		fprintf(stderr, "%s: %s\n", path, s ? store_errmsg(s) : "cannot open");
		goto out;
	}
	if (store_kiosk_set(s, "bench-1", "Main entrance") != 0)
		goto out;
	store_attendee_in me = { "me", "Asker", "", 1 };
	if (store_attendee_put(s, &me) != 0 || store_attendee_add_group(s, "me", "Everyone") != 0 ||
	    store_attendee_add_group(s, "me", "Small") != 0)
		goto out;
	store_close(s);
	s = NULL;
	if (sqlite3_open(path, &db) != SQLITE_OK)
		goto out;
	/* Every 50th hidden; many in the same second: ties for the keyset. */
	snprintf(sql, sizeof sql,
		 "BEGIN;"
		 "WITH RECURSIVE i(x) AS (SELECT 0 UNION ALL SELECT x + 1 FROM i WHERE x + 1 < %d)"
		 " INSERT INTO attendees(attendee_id, name, affiliation, visible)"
		 " SELECT printf('b%%06d', x), printf('Attendee %%06d', x), 'Bench University',"
		 " x %% 50 <> 0 FROM i;"
		 "INSERT INTO memberships(attendee, group_id) SELECT a.id, g.id FROM attendees a,"
		 " groups g WHERE g.name = 'Everyone' AND a.attendee_id LIKE 'b%%';"
		 "INSERT INTO checkins(kiosk_id, seq, attendee_id, checked_in_at)"
		 " SELECT 'bench-2', a.id, a.attendee_id, %lld + 60 + a.id / 3 FROM attendees a"
		 " WHERE a.attendee_id LIKE 'b%%';"
		 "COMMIT;",
		 n, (long long)DAY0);
	if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK) {
		fprintf(stderr, "%s: %s\n", path, sqlite3_errmsg(db));
		goto out;
	}
	rc = 0;
out:
	if (rc && s)
		fprintf(stderr, "%s: %s\n", path, store_errmsg(s));
	sqlite3_close(db);
	store_close(s);
	return rc;
}

int main(int argc, char **argv);
int main(int argc, char **argv)
{
	int n = 100000, pages = 0, total = 0, k;
	store *s = NULL;
	store_group_count groups[8];
	store_colleague rows[PAGE];
	store_colleague_cursor cur;
	uint64_t *ns, t0;
	char what[96];

	if (argc >= 4 && strcmp(argv[2], "--attendees") == 0)
		n = atoi(argv[3]);
	if (argc < 2 || n <= 0) {
		fprintf(stderr, "usage: colleagues_bench DB [--attendees N]\n");
		return 2;
	}
	if (make_db(argv[1], n) != 0)
		return 1;
	if (store_open(&s, argv[1], STORE_OPEN_READONLY) != 0) {
		fprintf(stderr, "%s: %s\n", argv[1], s ? store_errmsg(s) : "cannot open");
		return 1;
	}
	ns = xcalloc((size_t)n / PAGE + 200, sizeof *ns);
	for (k = 0; k < 100; k++) { /* "+N more": the group's first page */
		t0 = time_mono_ns();
		memset(&cur, 0, sizeof cur);
		if (store_colleagues_page(s, "me", "Everyone", DAY0, &cur, rows, PAGE) != PAGE)
			goto fail;
		ns[k] = time_mono_ns() - t0;
	}
	snprintf(what, sizeof what, "open a group's list: first page (%dk here)", n / 1000);
	report(what, ns, k);
	for (k = 0; k < 30; k++) { /* "+N more groups": every group with its count */
		t0 = time_mono_ns();
		if (store_attendee_groups(s, "me", DAY0, groups, 8) != 2)
			goto fail;
		ns[k] = time_mono_ns() - t0;
	}
	snprintf(what, sizeof what, "open the group list: counts (%dk in one group)", n / 1000);
	report(what, ns, k);
	memset(&cur, 0, sizeof cur);
	for (;;) { /* a scroll from top to bottom, a page at a time */
		t0 = time_mono_ns();
		int got = store_colleagues_page(s, "me", "Everyone", DAY0, &cur, rows, PAGE);
		if (got < 0)
			goto fail;
		ns[pages++] = time_mono_ns() - t0;
		total += got;
		if (got < PAGE)
			break;
	}
	snprintf(what, sizeof what, "scroll: one page of %d, top to bottom (%d rows)", PAGE, total);
	report(what, ns, pages);
	free(ns);
	store_close(s);
	return 0;
fail:
	fprintf(stderr, "colleagues_bench: %s\n", store_errmsg(s));
	store_close(s);
	return 1;
}
