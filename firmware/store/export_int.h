/* Internals shared by the export_*.c files (the check-in export and merges); nothing else
 * includes this. export_check.c reads untrusted exports, export_write.c writes files. */
#ifndef KITH_EXPORT_INT_H
#define KITH_EXPORT_INT_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#include "common/log.h"
#include "store/export.h"

/* Check-ins of an input in key order, the shape export_row_problem checks. */
#define EXPORT_ROWS_SQL \
	"SELECT kiosk_id, seq, attendee_id, checked_in_at FROM checkins ORDER BY kiosk_id, seq"

/* ---- export_check.c: untrusted input ---------------------------------------------------- */
/* Formats into err (if any); every public export function leaves a message there. */
void export_seterr(char *err, size_t errlen, const char *fmt, ...) KITH_PRINTF(3, 4);
/* A failed SQLite call in plain words ("the disk is full"). */
const char *export_plain_sqlite(int rc, sqlite3 *db);
/* quick_check on an open connection: 0 when "ok", else -1 with err. */
int export_quick_check(sqlite3 *db, const char *path, char *err, size_t errlen);
int export_has_column(sqlite3 *db, const char *table, const char *col); /* 1 or 0 */
/* Opens an export from outside read-only, inside a read transaction, after quick_check and
 * a schema check; STORE_ESCHEMA with err otherwise. */
int export_open_input(const char *path, const char *label, sqlite3 **out, char *err,
		      size_t errlen); /* label: how messages name the file */
/* Column col of st is an id from outside we accept: 1 or 0. */
int export_id_ok(sqlite3_stmt *st, int col);
/* One EXPORT_ROWS_SQL row, checked: NULL when fine (*when gets the time), else what is wrong. */
const char *export_row_problem(sqlite3_stmt *st, int64_t *when);
/* Every input row well-formed (STORE_EINVAL with the first few named in err otherwise). */
int export_validate_rows(sqlite3 *in, const char *path, int64_t *rows, char *err,
			 size_t errlen);
/* The input's table with the named columns, missing ones as ''; *out NULL when the table
 * (or its first, key column) is missing. Returns an SQLite code. */
int export_prepare_optional(sqlite3 *in, const char *table, const char *const *cols, int ncols,
			    sqlite3_stmt **out);
/* Input text column as a C string for binding; "" for NULL or non-UTF-8. */
const char *export_in_text(sqlite3_stmt *st, int col);

/* ---- export_write.c: files ---------------------------------------------------------------- */
int export_fsync_path(const char *path, int directory); /* 0 or -1 with errno */
char *export_dir_of(const char *path); /* the directory part ("." when none); caller frees */
/* A new empty file beside path, .<base>.tmp-XXXXXX; caller frees; NULL with err. */
char *export_temp_beside(const char *path, char *err, size_t errlen);
/* Creates the export schema in an empty file: 0 or STORE_EIO with err. */
int export_create(const char *path, char *err, size_t errlen);
int export_create_paged(const char *path, int page_size, char *err, size_t errlen);

/* ---- export_consent.c: consent answers in exports (latest answer wins) ------------------- */
/* Copies consent rows (main.consent, filtered by where, a fixed SQL condition over its
 * columns with ?1 = kiosk id, ?2/?3 = an at_seq range) into kith_export.consent. */
int export_copy_consent(sqlite3 *db, const char *where, const char *kiosk_id, int64_t lo,
			int64_t hi);
/* The input's consent answers into the kiosk database, latest wins (answered_at, then
 * kiosk_id); an input without the table adds nothing. *changed: answers that won. */
int export_merge_consent_store(store *s, sqlite3 *in, int64_t *changed);
/* The same into another export file (kioskctl merge). An SQLite code. */
int export_merge_consent_file(sqlite3 *out, sqlite3 *in);

/* ---- export_badges.c: the staff tables (staff_checkins, badge_events) ------------------- */
int export_badges_write(sqlite3 *db); /* into the attached kith_export; an SQLite code */
int export_badges_merge_file(sqlite3 *out, sqlite3 *in); /* export into export; SQLite code */
/* Into the kiosk database (the trigger applies the latest binding): 0 or STORE_E* with err. */
int export_badges_merge_store(store *s, sqlite3 *in, const char *label, char *err,
			      size_t errlen);

#endif
