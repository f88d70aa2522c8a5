/* Checking untrusted check-in exports (a stick, another kiosk) before a row is read.
 *
 * export_open_input opens the file read-only with trusted_schema off and a length limit, runs
 * quick_check, and checks the application id and the checkins columns; export_validate_rows
 * then checks every row (ids, seq, an exact ISO-8601 UTC time) before the first is written.
 * The merges in export_merge.c use nothing from an input that has not passed through here.
 */
#include "store/export_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "common/util.h"
#include "store/store_int.h"

#define INPUT_MAX_BYTES 1000000 /* longest string or blob read from an untrusted file */
#define PROBLEMS_SHOWN 3    /* bad rows named in the message before "and N more" */

void export_seterr(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	if (err == NULL || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

const char *export_plain_sqlite(int rc, sqlite3 *db)
{
	switch (rc & 0xff) {
	case SQLITE_FULL: return "the disk is full";
	case SQLITE_READONLY: return "the file or disk is read-only";
	case SQLITE_IOERR: return "the disk failed to read or write";
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB: return "the file is damaged or not a database";
	case SQLITE_CANTOPEN: return "the file cannot be opened";
	case SQLITE_BUSY: return "the database is busy";
	default: return db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
	}
}

/* quick_check on an open connection: 0 when "ok", else -1 with err. */
int export_quick_check(sqlite3 *db, const char *path, char *err, size_t errlen)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(db, "PRAGMA quick_check(1)", -1, &st, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		export_seterr(err, errlen, "%s: %s", path, export_plain_sqlite(rc, db));
		sqlite3_finalize(st);
		return -1;
	}
	const char *res = (const char *)sqlite3_column_text(st, 0);
	if (res == NULL || strcmp(res, "ok") != 0) {
		export_seterr(err, errlen, "%s is damaged (quick_check: %.120s)", path, res ? res : "?");
		sqlite3_finalize(st);
		return -1;
	}
	sqlite3_finalize(st);
	return 0;
}

/* 1 if table has column col. */
int export_has_column(sqlite3 *db, const char *table, const char *col)
{
	sqlite3_stmt *st = NULL;
	int found = 0;
	if (sqlite3_prepare_v2(db, "SELECT 1 FROM pragma_table_info(?1) WHERE name = ?2 "
			       "COLLATE NOCASE", -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, col, -1, SQLITE_STATIC);
		found = sqlite3_step(st) == SQLITE_ROW;
	}
	sqlite3_finalize(st);
	return found;
}

/* Opens an export from outside read-only, inside a read transaction (one snapshot for the
 * checks and the copy), after quick_check and a schema check. */
int export_open_input(const char *path, const char *label, sqlite3 **out, char *err,
		      size_t errlen)
{
	sqlite3 *db = NULL;
	static const char *const cols[] = { "kiosk_id", "seq", "attendee_id", "checked_in_at" };
	int rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL);

	*out = NULL;
	if (rc != SQLITE_OK) {
		export_seterr(err, errlen, "cannot open %s: %s", label, export_plain_sqlite(rc, db));
		goto fail;
	}
	sqlite3_limit(db, SQLITE_LIMIT_LENGTH, INPUT_MAX_BYTES);
	sqlite3_busy_timeout(db, 2000);
	if ((rc = sqlite3_exec(db, "PRAGMA trusted_schema = OFF; PRAGMA query_only = ON; BEGIN; "
			       "SELECT count(*) FROM sqlite_master", NULL, NULL, NULL)) != SQLITE_OK) {
		export_seterr(err, errlen, "%s is not a readable SQLite file (%s)", label,
		       export_plain_sqlite(rc, db));
		goto fail;
	}
	if (export_quick_check(db, label, err, errlen) < 0)
		goto fail;
	{
		sqlite3_stmt *st = NULL;
		int app = 0;
		if (sqlite3_prepare_v2(db, "PRAGMA application_id", -1, &st, NULL) == SQLITE_OK &&
		    sqlite3_step(st) == SQLITE_ROW)
			app = sqlite3_column_int(st, 0);
		sqlite3_finalize(st);
		if (app == STORE_APP_ID) {
			export_seterr(err, errlen, "%s is a kiosk database, not a check-in export "
			       "(make one with kioskctl export)", label);
			goto fail;
		}
	}
	for (size_t i = 0; i < ARRAY_LEN(cols); i++)
		if (!export_has_column(db, "checkins", cols[i])) {
			export_seterr(err, errlen, "%s is not a Kith check-in export (no checkins.%s)", label,
			       cols[i]);
			goto fail;
		}
	*out = db;
	return 0;
fail:
	sqlite3_close(db);
	return STORE_ESCHEMA;
}

int export_count(const char *path, const char *label, int64_t *rows, char *err, size_t errlen)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	int rc = export_open_input(path, label, &db, err, errlen);

	*rows = -1;
	if (rc < 0)
		return rc;
	rc = STORE_ESCHEMA;
	if (sqlite3_prepare_v2(db, "PRAGMA application_id", -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_ROW || sqlite3_column_int(st, 0) != EXPORT_APP_ID) {
		export_seterr(err, errlen, "%s is something other than a check-in export", label);
		goto done;
	}
	sqlite3_finalize(st);
	if (sqlite3_prepare_v2(db, "SELECT count(*) FROM checkins", -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_ROW) {
		export_seterr(err, errlen, "%s has no readable check-ins (%s)", label,
			      sqlite3_errmsg(db));
		goto done;
	}
	*rows = sqlite3_column_int64(st, 0);
	rc = 0;
done:
	sqlite3_finalize(st);
	sqlite3_close(db);
	return rc;
}

/* An id from outside: non-empty UTF-8 shorter than STORE_ID_MAX, no control characters. */
int export_id_ok(sqlite3_stmt *st, int col)
{
	if (sqlite3_column_type(st, col) != SQLITE_TEXT)
		return 0;
	const char *v = (const char *)sqlite3_column_text(st, col);
	int n = sqlite3_column_bytes(st, col);
	if (v == NULL || n <= 0 || n >= STORE_ID_MAX || !utf8_valid(v, (size_t)n))
		return 0;
	for (int i = 0; i < n; i++)
		if ((unsigned char)v[i] < 0x20 || v[i] == 0x7f)
			return 0;
	return 1;
}

/* One input row, checked. Returns NULL when fine, else what is wrong. */
const char *export_row_problem(sqlite3_stmt *st, int64_t *when)
{
	if (!export_id_ok(st, 0))
		return "kiosk_id is missing or not a short text";
	if (sqlite3_column_type(st, 1) != SQLITE_INTEGER || sqlite3_column_int64(st, 1) <= 0)
		return "seq is not a positive integer";
	if (!export_id_ok(st, 2))
		return "attendee_id is missing or not a short text";
	if (sqlite3_column_type(st, 3) != SQLITE_TEXT ||
	    store_iso_parse((const char *)sqlite3_column_text(st, 3), (size_t)sqlite3_column_bytes(st, 3),
		      when) < 0)
		return "checked_in_at is not an ISO 8601 UTC time like 2026-11-27T10:01:02Z";
	return NULL;
}

/* First pass over the input: every row well-formed, or err names the first few bad ones. */
int export_validate_rows(sqlite3 *in, const char *path, int64_t *rows, char *err, size_t errlen)
{
	sqlite3_stmt *st = NULL;
	int64_t bad = 0, n = 0, when;
	size_t used = 0;
	int rc = sqlite3_prepare_v2(in, EXPORT_ROWS_SQL, -1, &st, NULL);

	if (rc != SQLITE_OK) {
		export_seterr(err, errlen, "%s: cannot read check-ins: %s", path, export_plain_sqlite(rc, in));
		return STORE_ESCHEMA;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *why = export_row_problem(st, &when);
		n++;
		if (why == NULL)
			continue;
		if (bad++ < PROBLEMS_SHOWN && err && used < errlen) {
			const unsigned char *k = sqlite3_column_text(st, 0);
			int w = snprintf(err + used, errlen - used, "%s%s: check-in (%.40s, %lld): %s",
					 used ? "; " : "", path, k ? (const char *)k : "?",
					 (long long)sqlite3_column_int64(st, 1), why);
			used += w > 0 ? (size_t)w : 0;
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		export_seterr(err, errlen, "%s: cannot read check-ins: %s", path, export_plain_sqlite(rc, in));
		return STORE_ESCHEMA;
	}
	if (bad > PROBLEMS_SHOWN && err && used < errlen)
		snprintf(err + used, errlen - used, "; and %lld more", (long long)(bad - PROBLEMS_SHOWN));
	*rows = n;
	return bad ? STORE_EINVAL : 0;
}

/* Statement over the input's table with the named columns, missing ones as ''; *out is
 * NULL when the table (or its first, key column) is missing. */
int export_prepare_optional(sqlite3 *in, const char *table, const char *const *cols, int ncols,
			    sqlite3_stmt **out)
{
	char sql[512];
	size_t used = (size_t)snprintf(sql, sizeof sql, "SELECT ");
	*out = NULL;
	if (!export_has_column(in, table, cols[0]))
		return SQLITE_OK;
	for (int i = 0; i < ncols && used < sizeof sql; i++)
		used += (size_t)snprintf(sql + used, sizeof sql - used, "%s%s%s%s", i ? ", " : "",
					 export_has_column(in, table, cols[i]) ? "\"" : "'",
					 export_has_column(in, table, cols[i]) ? cols[i] : "",
					 export_has_column(in, table, cols[i]) ? "\"" : "'");
	if (used < sizeof sql)
		snprintf(sql + used, sizeof sql - used, " FROM \"%s\"", table);
	return sqlite3_prepare_v2(in, sql, -1, out, NULL);
}

/* Input text column as a C string for binding; "" for NULL or non-UTF-8. */
const char *export_in_text(sqlite3_stmt *st, int col)
{
	const char *v = (const char *)sqlite3_column_text(st, col);
	if (v == NULL || !utf8_valid(v, (size_t)sqlite3_column_bytes(st, col)))
		return "";
	return v;
}
