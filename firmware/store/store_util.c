/* Storage internals every store_*.c file uses: errors, cached statements, nested
 * transactions, and the checks and steps that each write repeats. Declared in store_int.h.
 */
#include "store/store_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "common/util.h"

sqlite3 *store_db(store *s)
{
	return s->db;
}

int store_fail(store *s, int rc, const char *what)
{
	int code = STORE_EIO;
	const char *msg = s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc);

	if ((rc & 0xff) == SQLITE_CONSTRAINT)
		code = STORE_ECONFLICT;
	else if ((rc & 0xff) == SQLITE_NOTADB || (rc & 0xff) == SQLITE_CORRUPT)
		code = STORE_ESCHEMA;
	snprintf(s->err, sizeof s->err, "%s: %s", what, msg);
	return code;
}

int store_einval(store *s, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(s->err, sizeof s->err, fmt, ap);
	va_end(ap);
	return STORE_EINVAL;
}

int store_exec(store *s, const char *sql, const char *what)
{
	int rc = sqlite3_exec(s->db, sql, NULL, NULL, NULL);
	return rc == SQLITE_OK ? 0 : store_fail(s, rc, what);
}

sqlite3_stmt *store_stmt(store *s, enum store_slot slot, const char *sql)
{
	sqlite3_stmt *st = s->stmt[slot];
	if (st == NULL) {
		int rc = sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL);
		if (rc != SQLITE_OK) {
			store_fail(s, rc, "preparing a query");
			return NULL;
		}
		s->stmt[slot] = st;
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return st;
}

int store_tx_begin(store *s, int *outer)
{
	*outer = !sqlite3_get_autocommit(s->db);
	return store_exec(s, *outer ? "SAVEPOINT store_tx" : "BEGIN IMMEDIATE",
			  "starting a transaction");
}

int store_tx_end(store *s, int outer, int ok)
{
	if (ok)
		return store_exec(s, outer ? "RELEASE store_tx" : "COMMIT", "committing");
	/* Keep the message of the failure that got us here. */
	char keep[sizeof s->err];
	memcpy(keep, s->err, sizeof keep);
	sqlite3_exec(s->db, outer ? "ROLLBACK TO store_tx; RELEASE store_tx" : "ROLLBACK",
		     NULL, NULL, NULL);
	memcpy(s->err, keep, sizeof keep);
	return 0;
}

void store_col_text(sqlite3_stmt *st, int col, char *dst, size_t dstsize)
{
	const unsigned char *t = sqlite3_column_text(st, col);
	str_copy_utf8(dst, dstsize, t ? (const char *)t : "");
}


int store_step_done(store *s, sqlite3_stmt *st, const char *what)
{
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : store_fail(s, rc, what);
}

int store_text_ok(store *s, const char *field, const char *v, int required)
{
	if (v == NULL || v[0] == '\0')
		return required ? store_einval(s, "%s is empty", field) : 0;
	if (!utf8_valid(v, strlen(v)))
		return store_einval(s, "%s is not valid UTF-8", field);
	return 0;
}

/* store_query with a va_list: binds in order, one letter of types each: 't' text (NULL
 * binds ""), 'i' int, 'I' int64_t. Text is SQLITE_STATIC: the caller steps before it goes. */
static sqlite3_stmt *query_v(store *s, enum store_slot slot, const char *sql, const char *types,
			     va_list ap)
{
	sqlite3_stmt *st = store_stmt(s, slot, sql);
	for (int i = 0; st != NULL && types[i] != '\0'; i++) {
		if (types[i] == 't') {
			const char *v = va_arg(ap, const char *);
			sqlite3_bind_text(st, i + 1, v ? v : "", -1, SQLITE_STATIC);
		} else if (types[i] == 'i') {
			sqlite3_bind_int(st, i + 1, va_arg(ap, int));
		} else {
			sqlite3_bind_int64(st, i + 1, va_arg(ap, int64_t));
		}
	}
	return st;
}

sqlite3_stmt *store_query(store *s, enum store_slot slot, const char *sql, const char *types,
			  ...)
{
	va_list ap;
	va_start(ap, types);
	sqlite3_stmt *st = query_v(s, slot, sql, types, ap);
	va_end(ap);
	return st;
}

int store_write(store *s, enum store_slot slot, const char *sql, const char *what,
		const char *types, ...)
{
	va_list ap;
	va_start(ap, types);
	sqlite3_stmt *st = query_v(s, slot, sql, types, ap);
	va_end(ap);
	return st ? store_step_done(s, st, what) : STORE_EIO;
}

int store_step_row(store *s, sqlite3_stmt *st, const char *what)
{
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		return 1;
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : store_fail(s, rc, what);
}
