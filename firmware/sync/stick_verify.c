/* Verifying the export on the stick: the only evidence for "Check-ins saved to the stick".
 *
 * export_write checks its temp file before the rename, but the card speaks about the file on
 * the stick after it: a stick that acknowledges writes it then loses, a folder that turned out
 * to be something else, or a file swapped between the rename and now would all pass that
 * check. So the file is read back as the merge reads other kiosks' files (stickfile_copy,
 * which also drops the cached pages so the bytes come from the device), and SQLite opens only
 * the private copy: read-only, trusted_schema off, quick_check, then the check-in count.
 * The count is compared with the kiosk's own before and after the export (taps may arrive in
 * between, so a range rather than one number; the same number when nobody tapped).
 */
#include "sync/stick_verify.h"
#include "sync/stickfile.h"
#include "common/util.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define EXPORT_APP_ID 0x4B746858 /* "KthX", as export.c writes it */

/* One integer from sql on db; -1 when it cannot be read. */
static int query_int64(sqlite3 *db, const char *sql, int64_t *out)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
	if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW)
		*out = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : -1;
}

/* The checks on the private copy. */
static int check_copy(const char *copy, const char *name, int64_t min_rows, int64_t max_rows,
		      int64_t *rows, char *err, size_t errlen)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	int64_t app = 0, n = -1;
	int rc = STICK_VERIFY_EBAD;
	const char *qc;

	if (sqlite3_open_v2(copy, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
	    sqlite3_exec(db, "PRAGMA trusted_schema = OFF; PRAGMA query_only = ON", NULL, NULL,
			 NULL) != SQLITE_OK) {
		snprintf(err, errlen, "%s reads back as something SQLite cannot open (%s)", name,
			 db ? sqlite3_errmsg(db) : "out of memory");
		goto done;
	}
	if (sqlite3_prepare_v2(db, "PRAGMA quick_check(1)", -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_ROW) {
		snprintf(err, errlen, "%s reads back as a damaged file (%s)", name,
			 sqlite3_errmsg(db));
		goto done;
	}
	qc = (const char *)sqlite3_column_text(st, 0);
	if (qc == NULL || strcmp(qc, "ok") != 0) {
		snprintf(err, errlen, "%s reads back as a damaged file (quick_check: %.120s)", name,
			 qc ? qc : "?");
		goto done;
	}
	if (query_int64(db, "PRAGMA application_id", &app) < 0 || app != EXPORT_APP_ID) {
		snprintf(err, errlen, "%s reads back as something other than a check-in export",
			 name);
		goto done;
	}
	if (query_int64(db, "SELECT count(*) FROM checkins", &n) < 0) {
		snprintf(err, errlen, "%s reads back without its check-ins (%s)", name,
			 sqlite3_errmsg(db));
		goto done;
	}
	*rows = n;
	if (n < min_rows || n > max_rows) {
		if (min_rows == max_rows)
			snprintf(err, errlen, "%s reads back with %lld check-ins; the kiosk has %lld",
				 name, (long long)n, (long long)min_rows);
		else
			snprintf(err, errlen, "%s reads back with %lld check-ins; the kiosk had "
				 "%lld to %lld", name, (long long)n, (long long)min_rows,
				 (long long)max_rows);
		goto done;
	}
	rc = 0;
done:
	sqlite3_finalize(st);
	sqlite3_close(db);
	return rc;
}

/* Removes the copy and what SQLite may have made beside it (a WAL-mode file gets -wal and
 * -shm even when opened read-only). */
static void remove_copy(char *copy)
{
	static const char *const sidecars[] = { "-wal", "-shm", "-journal" };
	size_t n = strlen(copy) + 16;
	char *p = xcalloc(1, n);
	for (size_t i = 0; i < ARRAY_LEN(sidecars); i++) {
		snprintf(p, n, "%s%s", copy, sidecars[i]);
		unlink(p);
	}
	free(p);
	unlink(copy);
	free(copy);
}

int stick_verify_export(int dirfd, const char *name, int64_t max_bytes, const char *tmpdir,
			int64_t min_rows, int64_t max_rows, int64_t *rows, char *err,
			size_t errlen)
{
	char *copy = NULL, why[400];
	time_t mtime;
	int rc;

	*rows = -1;
	rc = stickfile_copy(dirfd, name, max_bytes, tmpdir, &copy, &mtime, why, sizeof(why));
	switch (rc) {
	case 0:
		break;
	case STICKFILE_ENOENT:
	case STICKFILE_EREFUSED:
		snprintf(err, errlen, "after writing, %s", why);
		return STICK_VERIFY_EBAD;
	case STICKFILE_ELOCAL:
		snprintf(err, errlen, "%s", why);
		return STICK_VERIFY_ELOCAL;
	default:
		snprintf(err, errlen, "%s", why);
		return STICK_VERIFY_EIO;
	}
	rc = check_copy(copy, name, min_rows, max_rows, rows, err, errlen);
	remove_copy(copy);
	return rc;
}
