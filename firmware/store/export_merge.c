/* Merging check-in exports: export_merge (file into file, kioskctl merge) and
 * store_merge_export (another kiosk's export into the kiosk database, USB sync step 2).
 *
 * Inputs are untrusted and pass export_check.c first. The union is on (kiosk_id, seq), so
 * merging the same file twice adds nothing; a row whose key exists with other content is
 * kept as it was and counted as a conflict in the log.
 */
#include "store/export_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/log.h"
#include "common/util.h"
#include "store/store_int.h"

#define MERGE_TX_ROWS 2000  /* rows per transaction merging into a live kiosk database */
#define MERGE_BUSY_RETRIES 6 /* busy timeouts (5 s each) a merge waits out before giving up */

/* 1 if a and b are the same file (merging a file into itself is a no-op). */
static int same_file(const char *a, const char *b)
{
	struct stat sa, sb;
	return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
	       sa.st_ino == sb.st_ino;
}
/* Location and version of kiosk id in the input, "" if unknown. */
static void input_kiosk(sqlite3 *in, const char *id, char *loc, size_t loclen, char *ver,
			size_t verlen)
{
	static const char *const cols[] = { "kiosk_id", "location", "software_version" };
	sqlite3_stmt *st = NULL;
	loc[0] = ver[0] = '\0';
	if (export_prepare_optional(in, "kiosks", cols, 3, &st) != SQLITE_OK || st == NULL) {
		sqlite3_finalize(st);
		return;
	}
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (sqlite3_column_type(st, 0) == SQLITE_TEXT &&
		    strcmp((const char *)sqlite3_column_text(st, 0), id) == 0) {
			str_copy_utf8(loc, loclen, export_in_text(st, 1));
			str_copy_utf8(ver, verlen, export_in_text(st, 2));
			break;
		}
	}
	sqlite3_finalize(st);
}

/* Opens an existing export for writing, checked like an input first. */
static int open_export_rw(const char *path, sqlite3 **out, char *err, size_t errlen)
{
	sqlite3 *db = NULL;
	int rc = export_open_input(path, path, &db, err, errlen);
	if (rc < 0)
		return rc;
	sqlite3_close(db);
	rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_busy_timeout(db, 5000);
		rc = sqlite3_exec(db, "PRAGMA synchronous = FULL; PRAGMA trusted_schema = OFF",
				  NULL, NULL, NULL);
	}
	if (rc != SQLITE_OK) {
		export_seterr(err, errlen, "cannot write %s: %s", path, export_plain_sqlite(rc, db));
		sqlite3_close(db);
		return STORE_EIO;
	}
	*out = db;
	return 0;
}

/* The statements merge_checkins writes out's export tables with. */
typedef struct merge_stmts {
	sqlite3_stmt *ins;   /* a check-in, unless its key exists */
	sqlite3_stmt *same;  /* 1 if the existing check-in of that key is the same */
	sqlite3_stmt *kiosk; /* a kiosk's row, unless it exists */
	sqlite3_stmt *span;  /* a kiosk's seq range from the check-ins */
} merge_stmts;

static int merge_prepare(sqlite3 *out, merge_stmts *m)
{
	int rc = sqlite3_prepare_v2(out, "INSERT OR IGNORE INTO checkins(kiosk_id, seq, "
				    "attendee_id, checked_in_at) VALUES (?1, ?2, ?3, ?4)", -1,
				    &m->ins, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(out, "SELECT attendee_id = ?3 AND checked_in_at = ?4 FROM "
					"checkins WHERE kiosk_id = ?1 AND seq = ?2", -1, &m->same, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(out, "INSERT OR IGNORE INTO kiosks(kiosk_id, location, "
					"software_version) VALUES (?1, ?2, ?3)", -1, &m->kiosk, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(out, "UPDATE kiosks SET "
					"first_seq = (SELECT min(seq) FROM checkins WHERE kiosk_id = ?1), "
					"last_seq = (SELECT max(seq) FROM checkins WHERE kiosk_id = ?1) "
					"WHERE kiosk_id = ?1", -1, &m->span, NULL);
	return rc;
}

static void merge_finalize(merge_stmts *m)
{
	sqlite3_finalize(m->ins);
	sqlite3_finalize(m->same);
	sqlite3_finalize(m->kiosk);
	sqlite3_finalize(m->span);
}

/* Seq ranges of every kiosk in out (the input may have added some). */
static int merge_spans(sqlite3 *out, merge_stmts *m)
{
	sqlite3_stmt *ids = NULL;
	int rc = sqlite3_prepare_v2(out, "SELECT kiosk_id FROM kiosks", -1, &ids, NULL);
	while (rc == SQLITE_OK && (rc = sqlite3_step(ids)) == SQLITE_ROW) {
		sqlite3_reset(m->span);
		sqlite3_bind_value(m->span, 1, sqlite3_column_value(ids, 0));
		rc = sqlite3_step(m->span) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
	}
	if (rc == SQLITE_DONE)
		rc = SQLITE_OK;
	sqlite3_finalize(ids);
	return rc;
}

/* Copies the input's check-ins (all valid, checked by validate_rows) into out's checkins and
 * kiosks inside the caller's transaction. */
static int merge_checkins(sqlite3 *out, sqlite3 *in, int64_t *added, int64_t *conflicts)
{
	merge_stmts m = { NULL, NULL, NULL, NULL };
	sqlite3_stmt *rows = NULL;
	char last_kiosk[STORE_ID_MAX] = "";
	int rc = sqlite3_prepare_v2(in, EXPORT_ROWS_SQL, -1, &rows, NULL);

	if (rc == SQLITE_OK)
		rc = merge_prepare(out, &m);
	while (rc == SQLITE_OK && (rc = sqlite3_step(rows)) == SQLITE_ROW) {
		const char *k = (const char *)sqlite3_column_text(rows, 0);
		if (strcmp(k, last_kiosk) != 0) {
			char loc[STORE_PLACE_MAX], ver[STORE_PLACE_MAX];
			input_kiosk(in, k, loc, sizeof loc, ver, sizeof ver);
			str_copy_utf8(last_kiosk, sizeof last_kiosk, k);
			sqlite3_reset(m.kiosk);
			sqlite3_bind_text(m.kiosk, 1, last_kiosk, -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(m.kiosk, 2, loc, -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(m.kiosk, 3, ver, -1, SQLITE_TRANSIENT);
			if ((rc = sqlite3_step(m.kiosk)) != SQLITE_DONE)
				break;
		}
		for (int i = 0; i < 4; i++)
			sqlite3_bind_value(m.ins, i + 1, sqlite3_column_value(rows, i));
		if ((rc = sqlite3_step(m.ins)) != SQLITE_DONE)
			break;
		sqlite3_reset(m.ins);
		if (sqlite3_changes(out) == 1) {
			(*added)++;
		} else {
			for (int i = 0; i < 4; i++)
				sqlite3_bind_value(m.same, i + 1, sqlite3_column_value(rows, i));
			if (sqlite3_step(m.same) == SQLITE_ROW && sqlite3_column_int(m.same, 0) == 0)
				(*conflicts)++;
			sqlite3_reset(m.same);
		}
		rc = SQLITE_OK;
	}
	if (rc == SQLITE_DONE)
		rc = SQLITE_OK;
	if (rc == SQLITE_OK)
		rc = merge_spans(out, &m);
	sqlite3_finalize(rows);
	merge_finalize(&m);
	return rc;
}

/* Rows of the input's optional table (attendees or meta) that out lacks, via insert (one
 * "?" per column); a table the input does not have is skipped. key_is_id: rows whose first
 * column is not a well-formed id are skipped. */
static int merge_optional(sqlite3 *out, sqlite3 *in, const char *table,
			  const char *const *cols, int ncols, const char *insert, int key_is_id)
{
	sqlite3_stmt *src = NULL, *ins = NULL;
	int rc = export_prepare_optional(in, table, cols, ncols, &src);
	if (rc != SQLITE_OK || src == NULL)
		return rc;
	rc = sqlite3_prepare_v2(out, insert, -1, &ins, NULL);
	while (rc == SQLITE_OK && (rc = sqlite3_step(src)) == SQLITE_ROW) {
		if (key_is_id && !export_id_ok(src, 0))
			continue;
		sqlite3_reset(ins);
		for (int i = 0; i < ncols; i++)
			sqlite3_bind_text(ins, i + 1, export_in_text(src, i), -1, SQLITE_TRANSIENT);
		rc = sqlite3_step(ins) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
	}
	if (rc == SQLITE_DONE)
		rc = SQLITE_OK;
	sqlite3_finalize(src);
	sqlite3_finalize(ins);
	return rc;
}

/* The whole input into out's export tables, inside the caller's transaction. */
static int merge_into_export(sqlite3 *out, sqlite3 *in, int64_t *added, int64_t *conflicts)
{
	static const char *const acols[] = { "attendee_id", "name", "affiliation", "groups" };
	static const char *const mcols[] = { "key", "value" };
	int rc = merge_checkins(out, in, added, conflicts);
	/* Attendees and settings the output lacks. */
	if (rc == SQLITE_OK)
		rc = merge_optional(out, in, "attendees", acols, 4, "INSERT OR IGNORE INTO "
				    "attendees(attendee_id, name, affiliation, groups) VALUES "
				    "(?1, ?2, ?3, ?4)", 1);
	if (rc == SQLITE_OK)
		rc = merge_optional(out, in, "meta", mcols, 2, "INSERT OR IGNORE INTO meta(key, "
				    "value) VALUES (?1, ?2)", 0);
	if (rc == SQLITE_OK)
		rc = export_badges_merge_file(out, in); /* staff tables, export_badges.c */
	return rc;
}

int export_merge(const char *out_path, const char *in_path, int64_t *added, char *err,
		 size_t errlen)
{
	sqlite3 *in = NULL, *out = NULL;
	char *tmp = NULL;
	int64_t rows = 0, n_added = 0, conflicts = 0;
	int rc, ret;
	struct stat st;

	export_seterr(err, errlen, "no error");
	if (added)
		*added = 0;
	if (out_path == NULL || in_path == NULL || !out_path[0] || !in_path[0]) {
		export_seterr(err, errlen, "merge needs an output and an input file");
		return STORE_EINVAL;
	}
	if (same_file(out_path, in_path))
		return 0;
	if ((ret = export_open_input(in_path, in_path, &in, err, errlen)) < 0 ||
	    (ret = export_validate_rows(in, in_path, &rows, err, errlen)) < 0)
		goto done;
	if (stat(out_path, &st) == 0) {
		if ((ret = open_export_rw(out_path, &out, err, errlen)) < 0)
			goto done;
	} else {
		/* A new output appears whole or not at all. */
		if ((tmp = export_temp_beside(out_path, err, errlen)) == NULL) {
			ret = STORE_EIO;
			goto done;
		}
		if ((ret = export_create(tmp, err, errlen)) < 0 ||
		    (ret = open_export_rw(tmp, &out, err, errlen)) < 0)
			goto done;
	}
	ret = STORE_EIO;
	if ((rc = sqlite3_exec(out, "BEGIN IMMEDIATE", NULL, NULL, NULL)) != SQLITE_OK ||
	    (rc = merge_into_export(out, in, &n_added, &conflicts)) != SQLITE_OK ||
	    (rc = sqlite3_exec(out, "COMMIT", NULL, NULL, NULL)) != SQLITE_OK) {
		export_seterr(err, errlen, "cannot merge into %s: %s", out_path, export_plain_sqlite(rc, out));
		sqlite3_exec(out, "ROLLBACK", NULL, NULL, NULL);
		goto done;
	}
	sqlite3_close(out);
	out = NULL;
	if (tmp) {
		char *dir = export_dir_of(out_path);
		if (export_fsync_path(tmp, 0) < 0 || rename(tmp, out_path) < 0) {
			export_seterr(err, errlen, "cannot write %s: %s", out_path, strerror(errno));
			free(dir);
			goto done;
		}
		export_fsync_path(dir, 1);
		free(dir);
		free(tmp);
		tmp = NULL;
	}
	if (conflicts)
		log_warn("merge %s: %lld check-ins have the same kiosk and seq as different ones "
			 "already in %s; kept the existing ones", in_path, (long long)conflicts,
			 out_path);
	if (added)
		*added = n_added;
	export_seterr(err, errlen, "%lld new check-ins of %lld", (long long)n_added, (long long)rows);
	ret = 0;
done:
	sqlite3_close(in);
	sqlite3_close(out);
	if (tmp) {
		unlink(tmp);
		free(tmp);
	}
	return ret;
}

/* Opens a merge transaction on the kiosk database. Taps come first: if the UI thread keeps
 * the file busy past the busy timeout, wait and try again (the merge is idempotent and
 * resumable). */
static int merge_batch_begin(store *s, int *outer)
{
	int rc, tries = 0;
	while ((rc = store_tx_begin(s, outer)) < 0 && tries++ < MERGE_BUSY_RETRIES &&
	       (sqlite3_errcode(store_db(s)) & 0xff) == SQLITE_BUSY)
		;
	return rc;
}

/* One checked input row (kiosk k, time when) into the kiosk database; a kiosk not seen on
 * the previous row gets its row first. 0 or the store_fail code. */
static int merge_row(store *s, sqlite3 *in, sqlite3_stmt *rows, const char *k, int64_t when,
		     char last_kiosk[STORE_ID_MAX], int64_t *added)
{
	sqlite3_stmt *ins = store_stmt(s, SLOT_MERGE_CHECKIN,
		"INSERT OR IGNORE INTO checkins(kiosk_id, seq, attendee_id, checked_in_at) "
		"VALUES (?1, ?2, ?3, ?4)");
	sqlite3_stmt *kiosk = store_stmt(s, SLOT_MERGE_KIOSK,
		"INSERT OR IGNORE INTO kiosks(kiosk_id, location, software_version) VALUES (?1,?2,?3)");
	int rc;
	if (ins == NULL || kiosk == NULL)
		return STORE_EIO;
	if (strcmp(k, last_kiosk) != 0) {
		char loc[STORE_PLACE_MAX], ver[STORE_PLACE_MAX];
		str_copy_utf8(last_kiosk, STORE_ID_MAX, k);
		input_kiosk(in, last_kiosk, loc, sizeof loc, ver, sizeof ver);
		sqlite3_bind_text(kiosk, 1, last_kiosk, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(kiosk, 2, loc, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(kiosk, 3, ver, -1, SQLITE_TRANSIENT);
		if ((rc = sqlite3_step(kiosk)) != SQLITE_DONE)
			return store_fail(s, rc, "saving a kiosk");
	}
	sqlite3_bind_text(ins, 1, k, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(ins, 2, sqlite3_column_int64(rows, 1));
	sqlite3_bind_text(ins, 3, (const char *)sqlite3_column_text(rows, 2), -1,
			  SQLITE_TRANSIENT);
	sqlite3_bind_int64(ins, 4, when);
	if ((rc = sqlite3_step(ins)) != SQLITE_DONE)
		return store_fail(s, rc, "saving a check-in");
	*added += sqlite3_changes(store_db(s));
	return 0;
}

int store_merge_export(store *s, const char *in_path, int64_t *added, char *err, size_t errlen)
{
	sqlite3 *in = NULL;
	sqlite3_stmt *rows = NULL;
	int64_t n = 0, n_added = 0, when;
	int ret, rc, outer = 0, in_tx = 0, batch = 0;
	char last_kiosk[STORE_ID_MAX] = "";

	export_seterr(err, errlen, "no error");
	if (added)
		*added = 0;
	if (in_path == NULL || in_path[0] == '\0') {
		export_seterr(err, errlen, "no file to merge");
		return STORE_EINVAL;
	}
	if ((ret = export_open_input(in_path, in_path, &in, err, errlen)) < 0 ||
	    (ret = export_validate_rows(in, in_path, &n, err, errlen)) < 0)
		goto done;
	ret = STORE_EIO;
	if ((rc = sqlite3_prepare_v2(in, EXPORT_ROWS_SQL, -1, &rows, NULL)) != SQLITE_OK) {
		export_seterr(err, errlen, "%s: cannot read check-ins: %s", in_path,
			      export_plain_sqlite(rc, in));
		goto done;
	}
	/* Short transactions: the UI thread's taps must not wait behind a big merge. */
	while ((rc = sqlite3_step(rows)) == SQLITE_ROW) {
		const char *k = (const char *)sqlite3_column_text(rows, 0);
		if (export_row_problem(rows, &when) != NULL) /* changed since validation: impossible */
			continue;
		if (!in_tx) {
			if (merge_batch_begin(s, &outer) < 0)
				goto storefail;
			in_tx = 1;
			batch = 0;
		}
		if (merge_row(s, in, rows, k, when, last_kiosk, &n_added) < 0)
			goto storefail;
		if (++batch == MERGE_TX_ROWS) {
			if (store_tx_end(s, outer, 1) < 0)
				goto storefail;
			in_tx = 0;
		}
	}
	if (rc != SQLITE_DONE) {
		export_seterr(err, errlen, "%s: cannot read check-ins: %s", in_path,
			      export_plain_sqlite(rc, in));
		goto rollback;
	}
	if (in_tx && store_tx_end(s, outer, 1) < 0)
		goto storefail;
	in_tx = 0;
	if ((ret = export_badges_merge_store(s, in, in_path, err, errlen)) < 0) /* staff tables */
		goto done;
	if (added)
		*added = n_added;
	export_seterr(err, errlen, "%lld new check-ins of %lld", (long long)n_added, (long long)n);
	ret = 0;
	goto done;
storefail:
	export_seterr(err, errlen, "cannot merge %s: %s", in_path, store_errmsg(s));
rollback:
	if (in_tx)
		store_tx_end(s, outer, 0);
	if (added)
		*added = n_added; /* earlier batches are committed, and harmless: idempotent */
done:
	sqlite3_finalize(rows);
	sqlite3_close(in);
	return ret;
}
