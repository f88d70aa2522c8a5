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
		rc = export_merge_consent_file(out, in);
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

/* What the input says it is: meta exchange_kind, exported_by, segment (a file of format 1
 * has none of them: a whole file of whoever exported it). */
static void input_identity(sqlite3 *in, int *kind, char *by, size_t bylen, int64_t *segment)
{
	static const char *const cols[] = { "key", "value" };
	sqlite3_stmt *st = NULL;
	*kind = EXPORT_KIND_WHOLE;
	*segment = -1;
	by[0] = '\0';
	if (export_prepare_optional(in, "meta", cols, 2, &st) != SQLITE_OK || st == NULL) {
		sqlite3_finalize(st);
		return;
	}
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *k = export_in_text(st, 0), *v = export_in_text(st, 1);
		if (strcmp(k, "exported_by") == 0 && export_id_ok(st, 1))
			str_copy_utf8(by, bylen, v);
		else if (strcmp(k, "exchange_kind") == 0)
			*kind = strcmp(v, "sealed") == 0 ? EXPORT_KIND_SEALED :
				strcmp(v, "open") == 0 ? EXPORT_KIND_OPEN : EXPORT_KIND_WHOLE;
		else if (strcmp(k, "segment") == 0)
			*segment = strtoll(v, NULL, 10);
	}
	sqlite3_finalize(st);
}

/* A file's name must be the name of what it says it is, and a segment must hold only its
 * own kiosk's check-ins: a file put under another kiosk's name, or a stranger's, is refused
 * whole. 0 or STORE_ESCHEMA with err. */
static int check_identity(sqlite3 *in, const char *name, export_name_fn canonical, int *kind,
			  char *err, size_t errlen)
{
	char by[STORE_ID_MAX], want[256];
	int64_t segment;
	sqlite3_stmt *st = NULL;
	int ok = 1;

	input_identity(in, kind, by, sizeof by, &segment);
	if (name == NULL || canonical == NULL)
		return 0;
	if (by[0] == '\0') {
		if (*kind == EXPORT_KIND_WHOLE)
			return 0; /* format 1 from a tool: no kiosk to hold the name to */
		export_seterr(err, errlen, "%s says it is a segment but not whose", name);
		return STORE_ESCHEMA;
	}
	if (*kind != EXPORT_KIND_WHOLE && segment < 0) {
		export_seterr(err, errlen, "%s says it is a segment but not which", name);
		return STORE_ESCHEMA;
	}
	canonical(*kind, by, segment, want, sizeof want);
	if (strcmp(want, name) != 0) {
		export_seterr(err, errlen, "%s holds the check-ins of kiosk %s and should be named "
			      "%s: refused", name, by, want);
		return STORE_ESCHEMA;
	}
	if (*kind == EXPORT_KIND_WHOLE)
		return 0;
	/* Both ends of the key: one kiosk only, and it is the one named. */
	if (sqlite3_prepare_v2(in, "SELECT (SELECT min(kiosk_id) FROM checkins) IS NOT ?1 OR "
			       "(SELECT max(kiosk_id) FROM checkins) IS NOT ?1", -1, &st, NULL) ==
	    SQLITE_OK) {
		sqlite3_bind_text(st, 1, by, -1, SQLITE_STATIC);
		ok = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0) == 0;
		/* An empty segment (min NULL) is fine. */
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	if (!ok && sqlite3_prepare_v2(in, "SELECT count(*) = 0 FROM checkins", -1, &st, NULL) ==
		   SQLITE_OK) {
		ok = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0) == 1;
		sqlite3_finalize(st);
	}
	if (!ok) {
		export_seterr(err, errlen, "%s is kiosk %s's segment but holds other kiosks' "
			      "check-ins: refused", name, by);
		return STORE_ESCHEMA;
	}
	return 0;
}

/* The source kiosks of the input's check-ins, each with what this kiosk already holds of it
 * (its contiguous mark). A NULL kiosk_id is a malformed row: STORE_EINVAL. */
typedef struct source_kiosk {
	char id[STORE_ID_MAX];
	int64_t seen; /* seqs 1..seen of this kiosk are here already: not read */
} source_kiosk;

static int input_sources(store *s, sqlite3 *in, const char *path, source_kiosk **out, int *n,
			 char *err, size_t errlen)
{
	sqlite3_stmt *st = NULL;
	int cap = 4, rc, ret = 0;
	source_kiosk *k = xcalloc((size_t)cap, sizeof *k);
	*n = 0;
	rc = sqlite3_prepare_v2(in,
		"WITH RECURSIVE ids(id) AS (SELECT min(kiosk_id) FROM checkins UNION ALL "
		"SELECT (SELECT min(kiosk_id) FROM checkins WHERE kiosk_id > id) FROM ids "
		"WHERE id IS NOT NULL) SELECT id FROM ids WHERE id IS NOT NULL", -1, &st, NULL);
	while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		rc = SQLITE_OK;
		if (!export_id_ok(st, 0)) {
			export_seterr(err, errlen, "%s: check-ins with a kiosk_id that is not a short "
				      "text", path);
			ret = STORE_EINVAL;
			break;
		}
		if (*n == cap)
			k = xreallocarray(k, (size_t)(cap *= 2), sizeof *k);
		str_copy_utf8(k[*n].id, sizeof k[*n].id, (const char *)sqlite3_column_text(st, 0));
		if ((ret = store_exchange_seen(s, k[*n].id, &k[*n].seen)) < 0) {
			export_seterr(err, errlen, "%s", store_errmsg(s));
			break;
		}
		(*n)++;
	}
	if (ret == 0 && rc != SQLITE_DONE) {
		export_seterr(err, errlen, "%s: cannot read check-ins: %s", path,
			      export_plain_sqlite(rc, in));
		ret = STORE_ESCHEMA;
	}
	sqlite3_finalize(st);
	if (ret == 0 && sqlite3_prepare_v2(in, "SELECT 1 FROM checkins WHERE kiosk_id IS NULL "
					   "LIMIT 1", -1, &st, NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW) {
			export_seterr(err, errlen, "%s: check-ins without a kiosk_id", path);
			ret = STORE_EINVAL;
		}
		sqlite3_finalize(st);
	}
	*out = k;
	return ret;
}

/* The input's check-ins of one source kiosk above its mark, in seq order. */
static int prepare_above(sqlite3 *in, const source_kiosk *k, sqlite3_stmt **st)
{
	int rc = sqlite3_prepare_v2(in, "SELECT kiosk_id, seq, attendee_id, checked_in_at FROM "
				    "checkins WHERE kiosk_id = ?1 AND seq > ?2 ORDER BY seq", -1,
				    st, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_bind_text(*st, 1, k->id, -1, SQLITE_STATIC);
		sqlite3_bind_int64(*st, 2, k->seen);
	}
	return rc;
}

/* First pass: every row that will be read is well-formed (before anything is written). */
static int validate_above(sqlite3 *in, const char *path, const source_kiosk *k, int nk,
			  int64_t *rows, char *err, size_t errlen)
{
	int64_t when;
	*rows = 0;
	for (int i = 0; i < nk; i++) {
		sqlite3_stmt *st = NULL;
		int rc = prepare_above(in, &k[i], &st);
		while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
			const char *why = export_row_problem(st, &when);
			rc = SQLITE_OK;
			(*rows)++;
			if (why != NULL) {
				export_seterr(err, errlen, "%s: check-in (%.40s, %lld): %s", path,
					      k[i].id, (long long)sqlite3_column_int64(st, 1), why);
				sqlite3_finalize(st);
				return STORE_EINVAL;
			}
		}
		sqlite3_finalize(st);
		if (rc != SQLITE_DONE) {
			export_seterr(err, errlen, "%s: cannot read check-ins: %s", path,
				      export_plain_sqlite(rc, in));
			return STORE_ESCHEMA;
		}
	}
	return 0;
}

/* Second pass: one source kiosk's rows above its mark into the kiosk database, in
 * transactions of MERGE_TX_ROWS (taps must not wait behind a big merge; each is idempotent).
 * The last transaction stays open for the caller (*in_tx). 0 or a store code. */
static int merge_above(store *s, sqlite3 *in, const source_kiosk *k, int *in_tx, int *outer,
		       int64_t *added)
{
	sqlite3_stmt *rows = NULL;
	char last_kiosk[STORE_ID_MAX] = "";
	int64_t when;
	int rc = prepare_above(in, k, &rows), batch = 0;
	if (rc != SQLITE_OK) {
		sqlite3_finalize(rows);
		return store_fail(s, rc, "reading the file's check-ins");
	}
	while ((rc = sqlite3_step(rows)) == SQLITE_ROW) {
		if (export_row_problem(rows, &when) != NULL) /* changed since validation: impossible */
			continue;
		if (!*in_tx) {
			if (merge_batch_begin(s, outer) < 0)
				goto fail;
			*in_tx = 1;
			batch = 0;
		}
		if (merge_row(s, in, rows, k->id, when, last_kiosk, added) < 0)
			goto fail;
		if (++batch == MERGE_TX_ROWS) {
			if (store_tx_end(s, *outer, 1) < 0)
				goto fail;
			*in_tx = 0;
		}
	}
	sqlite3_finalize(rows);
	return rc == SQLITE_DONE ? 0 : store_fail(s, rc, "reading the file's check-ins");
fail:
	sqlite3_finalize(rows);
	return -1;
}

int store_merge_exchange(store *s, const char *in_path, const char *name,
			 export_name_fn canonical, export_take *res, char *err, size_t errlen)
{
	sqlite3 *in = NULL;
	source_kiosk *k = NULL;
	int64_t n = 0, contiguous;
	int ret, nk = 0, outer = 0, in_tx = 0;
	const char *label = name ? name : in_path;

	export_seterr(err, errlen, "no error");
	memset(res, 0, sizeof *res);
	if (in_path == NULL || in_path[0] == '\0') {
		export_seterr(err, errlen, "no file to merge");
		return STORE_EINVAL;
	}
	if ((ret = export_open_input(in_path, label, &in, err, errlen)) < 0 ||
	    (ret = check_identity(in, name, canonical, &res->kind, err, errlen)) < 0 ||
	    (ret = input_sources(s, in, label, &k, &nk, err, errlen)) < 0 ||
	    (ret = validate_above(in, label, k, nk, &n, err, errlen)) < 0)
		goto done;
	res->read = n;
	ret = STORE_EIO;
	/* Merged rows need no fsync of their own (this connection only; taps on theirs stay
	 * FULL): a power cut may drop the last merge transactions, their marks and file memory
	 * with them, and the next take merges them again. WAL keeps the file consistent. */
	if (n > 0)
		sqlite3_exec(store_db(s), "PRAGMA synchronous = NORMAL", NULL, NULL, NULL);
	for (int i = 0; i < nk; i++) {
		if (merge_above(s, in, &k[i], &in_tx, &outer, &res->added) < 0)
			goto storefail;
		if (!in_tx) {
			if (merge_batch_begin(s, &outer) < 0)
				goto storefail;
			in_tx = 1;
		}
		if (store_exchange_advance(s, k[i].id, k[i].seen, &contiguous) < 0)
			goto storefail;
	}
	/* Consent answers and the marks commit with the last check-ins. */
	if (!in_tx) {
		if (merge_batch_begin(s, &outer) < 0)
			goto storefail;
		in_tx = 1;
	}
	if (export_merge_consent_store(s, in, &res->consent) < 0)
		goto storefail;
	if (store_tx_end(s, outer, 1) < 0)
		goto storefail;
	in_tx = 0;
	if ((ret = export_badges_merge_store(s, in, label, err, errlen)) < 0) /* staff tables */
		goto done;
	export_seterr(err, errlen, "%lld new check-ins of %lld read", (long long)res->added,
		      (long long)n);
	ret = 0;
	goto done;
storefail:
	export_seterr(err, errlen, "cannot merge %s: %s", label, store_errmsg(s));
	if (in_tx)
		store_tx_end(s, outer, 0);
done:
	if (res->read > 0)
		sqlite3_exec(store_db(s), "PRAGMA synchronous = FULL", NULL, NULL, NULL);
	free(k);
	sqlite3_close(in);
	return ret;
}

int store_merge_export(store *s, const char *in_path, int64_t *added, char *err, size_t errlen)
{
	export_take t;
	int rc = store_merge_exchange(s, in_path, NULL, NULL, &t, err, errlen);
	if (added)
		*added = t.added;
	return rc;
}
