/* The check-in export (SPEC.md "Check-in export") and the merges that read exports.
 *
 * export_write copies the kiosk database's check-ins into a fresh file beside the target with
 * one INSERT..SELECT per chunk over an ATTACHed connection (journal off: the file is thrown
 * away on any failure), then fsyncs it, reopens it read-only for quick_check and a row count,
 * renames it over the target and fsyncs the directory. A stick pulled at any moment holds
 * the old file or the new one.
 *
 * Merges read an untrusted file (a stick, another kiosk): open_input opens it read-only with
 * trusted_schema off, runs quick_check, checks the tables and columns, and every row is
 * checked (ids, seq, an exact ISO-8601 UTC time) before the first one is written. The union
 * is on (kiosk_id, seq), so merging the same file twice adds nothing; a row whose key exists
 * with other content is kept as it was and counted as a conflict in the log.
 */
#include "store/export.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "common/clock.h"
#include "common/log.h"
#include "common/util.h"
#include "store/store_int.h"

#define CHUNK_SEQS 65536    /* check-ins per INSERT..SELECT (progress and cancel granularity) */
#define MERGE_TX_ROWS 2000  /* rows per transaction merging into a live kiosk database */
#define MERGE_BUSY_RETRIES 6 /* busy timeouts (5 s each) a merge waits out before giving up */
#define INPUT_MAX_BYTES 1000000 /* longest string or blob read from an untrusted file */
#define PROBLEMS_SHOWN 3    /* bad rows named in the message before "and N more" */

static const char export_schema[] =
	"PRAGMA user_version = 1;\n"
	"CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;\n"
	"CREATE TABLE kiosks(\n"
	"  kiosk_id TEXT PRIMARY KEY,\n"
	"  location TEXT NOT NULL DEFAULT '',\n"
	"  software_version TEXT NOT NULL DEFAULT '',\n"
	"  first_seq INTEGER,\n"
	"  last_seq INTEGER) WITHOUT ROWID;\n"
	"CREATE TABLE attendees(\n"
	"  attendee_id TEXT PRIMARY KEY,\n"
	"  name TEXT NOT NULL,\n"
	"  affiliation TEXT NOT NULL DEFAULT '',\n"
	"  groups TEXT NOT NULL DEFAULT '') WITHOUT ROWID;\n"
	"CREATE TABLE checkins(\n"
	"  kiosk_id TEXT NOT NULL,\n"
	"  seq INTEGER NOT NULL,\n"
	"  attendee_id TEXT NOT NULL,\n"
	"  checked_in_at TEXT NOT NULL,\n" /* ISO 8601 UTC: 2026-11-27T10:01:02Z */
	"  PRIMARY KEY (kiosk_id, seq)) WITHOUT ROWID;\n"
	"CREATE VIEW checkin_log AS\n"
	"  SELECT c.checked_in_at, c.kiosk_id, coalesce(k.location, '') AS location, c.seq,\n"
	"    c.attendee_id, coalesce(a.name, '') AS name,\n"
	"    coalesce(a.affiliation, '') AS affiliation, coalesce(a.groups, '') AS groups\n"
	"  FROM checkins c LEFT JOIN attendees a ON a.attendee_id = c.attendee_id\n"
	"  LEFT JOIN kiosks k ON k.kiosk_id = c.kiosk_id\n"
	"  ORDER BY c.checked_in_at, c.kiosk_id, c.seq;\n";

_Static_assert(EXPORT_FORMAT_VERSION == 1, "export_schema sets user_version 1");

static void seterr(char *err, size_t errlen, const char *fmt, ...) KITH_PRINTF(3, 4);
static void seterr(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	if (err == NULL || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

/* ---- Time as text --------------------------------------------------------------------- */

/* ---- Files ---------------------------------------------------------------------------- */

static int fsync_path(const char *path, int directory)
{
	int fd = open(path, directory ? O_RDONLY | O_DIRECTORY : O_RDONLY);
	if (fd < 0)
		return -1;
	int rc = fsync(fd);
	int saved = errno;
	close(fd);
	errno = saved;
	return rc;
}

/* The directory part of path ("." when none). Caller frees. */
static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (slash == NULL)
		return xstrdup(".");
	if (slash == path)
		return xstrdup("/");
	char *d = xstrdup(path);
	d[slash - path] = '\0';
	return d;
}

/* A new empty file beside path, named .<base>.tmp-XXXXXX (hidden, and never matching the
 * checkins-*.sqlite pattern USB sync scans). Caller frees. NULL with err on failure. */
static char *temp_beside(const char *path, char *err, size_t errlen)
{
	char *dir = dir_of(path);
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	size_t n = strlen(dir) + strlen(base) + 16;
	char *tmp = xcalloc(n, 1);
	snprintf(tmp, n, "%s/.%s.tmp-XXXXXX", dir, base);
	int fd = mkstemp(tmp);
	if (fd < 0) {
		seterr(err, errlen, "cannot create a file in %s: %s", dir, strerror(errno));
		free(dir);
		free(tmp);
		return NULL;
	}
	close(fd);
	free(dir);
	return tmp;
}

static const char *plain_sqlite(int rc, sqlite3 *db)
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
static int quick_check(sqlite3 *db, const char *path, char *err, size_t errlen)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(db, "PRAGMA quick_check(1)", -1, &st, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		seterr(err, errlen, "%s: %s", path, plain_sqlite(rc, db));
		sqlite3_finalize(st);
		return -1;
	}
	const char *res = (const char *)sqlite3_column_text(st, 0);
	if (res == NULL || strcmp(res, "ok") != 0) {
		seterr(err, errlen, "%s is damaged (quick_check: %.120s)", path, res ? res : "?");
		sqlite3_finalize(st);
		return -1;
	}
	sqlite3_finalize(st);
	return 0;
}

/* 1 if table has column col. */
static int has_column(sqlite3 *db, const char *table, const char *col)
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
static int open_input(const char *path, sqlite3 **out, char *err, size_t errlen)
{
	sqlite3 *db = NULL;
	static const char *const cols[] = { "kiosk_id", "seq", "attendee_id", "checked_in_at" };
	int rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL);

	*out = NULL;
	if (rc != SQLITE_OK) {
		seterr(err, errlen, "cannot open %s: %s", path, plain_sqlite(rc, db));
		goto fail;
	}
	sqlite3_limit(db, SQLITE_LIMIT_LENGTH, INPUT_MAX_BYTES);
	sqlite3_busy_timeout(db, 2000);
	if ((rc = sqlite3_exec(db, "PRAGMA trusted_schema = OFF; PRAGMA query_only = ON; BEGIN; "
			       "SELECT count(*) FROM sqlite_master", NULL, NULL, NULL)) != SQLITE_OK) {
		seterr(err, errlen, "%s is not a readable SQLite file (%s)", path,
		       plain_sqlite(rc, db));
		goto fail;
	}
	if (quick_check(db, path, err, errlen) < 0)
		goto fail;
	{
		sqlite3_stmt *st = NULL;
		int app = 0;
		if (sqlite3_prepare_v2(db, "PRAGMA application_id", -1, &st, NULL) == SQLITE_OK &&
		    sqlite3_step(st) == SQLITE_ROW)
			app = sqlite3_column_int(st, 0);
		sqlite3_finalize(st);
		if (app == STORE_APP_ID) {
			seterr(err, errlen, "%s is a kiosk database, not a check-in export "
			       "(make one with kioskctl export)", path);
			goto fail;
		}
	}
	for (size_t i = 0; i < ARRAY_LEN(cols); i++)
		if (!has_column(db, "checkins", cols[i])) {
			seterr(err, errlen, "%s is not a Kith check-in export (no checkins.%s)", path,
			       cols[i]);
			goto fail;
		}
	*out = db;
	return 0;
fail:
	sqlite3_close(db);
	return STORE_ESCHEMA;
}

/* An id from outside: non-empty UTF-8 shorter than STORE_ID_MAX, no control characters. */
static int id_ok(sqlite3_stmt *st, int col)
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

static const char rows_sql[] =
	"SELECT kiosk_id, seq, attendee_id, checked_in_at FROM checkins ORDER BY kiosk_id, seq";

/* One input row, checked. Returns NULL when fine, else what is wrong. */
static const char *row_problem(sqlite3_stmt *st, int64_t *when)
{
	if (!id_ok(st, 0))
		return "kiosk_id is missing or not a short text";
	if (sqlite3_column_type(st, 1) != SQLITE_INTEGER || sqlite3_column_int64(st, 1) <= 0)
		return "seq is not a positive integer";
	if (!id_ok(st, 2))
		return "attendee_id is missing or not a short text";
	if (sqlite3_column_type(st, 3) != SQLITE_TEXT ||
	    store_iso_parse((const char *)sqlite3_column_text(st, 3), (size_t)sqlite3_column_bytes(st, 3),
		      when) < 0)
		return "checked_in_at is not an ISO 8601 UTC time like 2026-11-27T10:01:02Z";
	return NULL;
}

/* First pass over the input: every row well-formed, or err names the first few bad ones. */
static int validate_rows(sqlite3 *in, const char *path, int64_t *rows, char *err, size_t errlen)
{
	sqlite3_stmt *st = NULL;
	int64_t bad = 0, n = 0, when;
	size_t used = 0;
	int rc = sqlite3_prepare_v2(in, rows_sql, -1, &st, NULL);

	if (rc != SQLITE_OK) {
		seterr(err, errlen, "%s: cannot read check-ins: %s", path, plain_sqlite(rc, in));
		return STORE_ESCHEMA;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *why = row_problem(st, &when);
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
		seterr(err, errlen, "%s: cannot read check-ins: %s", path, plain_sqlite(rc, in));
		return STORE_ESCHEMA;
	}
	if (bad > PROBLEMS_SHOWN && err && used < errlen)
		snprintf(err + used, errlen - used, "; and %lld more", (long long)(bad - PROBLEMS_SHOWN));
	*rows = n;
	return bad ? STORE_EINVAL : 0;
}

/* 1 if a and b are the same file (merging a file into itself is a no-op). */
static int same_file(const char *a, const char *b)
{
	struct stat sa, sb;
	return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
	       sa.st_ino == sb.st_ino;
}

/* ---- export_write --------------------------------------------------------------------- */

typedef struct kiosk_span {
	char id[STORE_ID_MAX];
	int64_t first, last; /* seq range; first > last when the kiosk has no check-ins */
} kiosk_span;

/* Every kiosk with its seq range, from the kiosks table and the check-ins themselves. */
static int kiosk_spans(sqlite3 *db, kiosk_span **out, int *n)
{
	sqlite3_stmt *st = NULL;
	int cap = 8, rc;
	kiosk_span *k = xcalloc((size_t)cap, sizeof *k);
	*n = 0;
	rc = sqlite3_prepare_v2(db,
		"WITH RECURSIVE ids(id) AS ("
		"  SELECT min(kiosk_id) FROM main.checkins"
		"  UNION ALL SELECT (SELECT min(kiosk_id) FROM main.checkins WHERE kiosk_id > id)"
		"  FROM ids WHERE id IS NOT NULL) "
		"SELECT id, (SELECT min(seq) FROM main.checkins WHERE kiosk_id = id),"
		" (SELECT max(seq) FROM main.checkins WHERE kiosk_id = id) FROM ids WHERE id IS NOT NULL",
		-1, &st, NULL);
	while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		rc = SQLITE_OK;
		if (*n == cap)
			k = xreallocarray(k, (size_t)(cap *= 2), sizeof *k);
		store_col_text(st, 0, k[*n].id, sizeof k[*n].id);
		k[*n].first = sqlite3_column_int64(st, 1);
		k[*n].last = sqlite3_column_int64(st, 2);
		(*n)++;
	}
	sqlite3_finalize(st);
	*out = k;
	return rc == SQLITE_DONE || rc == SQLITE_OK ? SQLITE_OK : rc;
}

static int exec_bind(sqlite3 *db, const char *sql, const char *text)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
	if (rc == SQLITE_OK) {
		if (text)
			sqlite3_bind_text(st, 1, text, -1, SQLITE_STATIC);
		rc = sqlite3_step(st);
		if (rc == SQLITE_DONE || rc == SQLITE_ROW)
			rc = SQLITE_OK;
	}
	sqlite3_finalize(st);
	return rc;
}

/* Creates the export schema in an empty file. */
static int create_export(const char *path, char *err, size_t errlen)
{
	sqlite3 *db = NULL;
	char app[64];
	int rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL);
	snprintf(app, sizeof app, "PRAGMA application_id = %d;", EXPORT_APP_ID);
	if (rc == SQLITE_OK)
		/* Big pages: fewer to write, flush and quick_check; the file is written once. */
		rc = sqlite3_exec(db, "PRAGMA page_size = 65536; PRAGMA journal_mode = DELETE; BEGIN",
				  NULL, NULL, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(db, app, NULL, NULL, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(db, export_schema, NULL, NULL, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		seterr(err, errlen, "cannot write %s: %s", path, plain_sqlite(rc, db));
	sqlite3_close(db);
	return rc == SQLITE_OK ? 0 : STORE_EIO;
}

/* Reopens a finished export read-only: quick_check and the check-in count must match. */
static int verify_export(const char *path, int64_t expect, char *err, size_t errlen)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	int64_t n = -1;
	int rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL);
	if (rc != SQLITE_OK) {
		seterr(err, errlen, "cannot reopen %s: %s", path, plain_sqlite(rc, db));
		goto fail;
	}
	if (quick_check(db, path, err, errlen) < 0)
		goto fail;
	if (sqlite3_prepare_v2(db, "SELECT count(*) FROM checkins", -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (n != expect) {
		seterr(err, errlen, "%s reads back %lld check-ins instead of %lld", path,
		       (long long)n, (long long)expect);
		goto fail;
	}
	sqlite3_close(db);
	return 0;
fail:
	sqlite3_close(db);
	return STORE_EIO;
}

/* The check-in copy is one statement (SQLite's table-to-table transfer); the progress
 * handler turns its VM steps into an estimate for the caller's bar and its cancel. */
typedef struct copy_progress {
	export_progress_fn fn; /* the caller's, may be NULL */
	void *ctx;
	int64_t total;         /* check-ins to copy */
	int64_t ticks;         /* handler calls so far */
	int cancelled;
} copy_progress;

#define PROGRESS_OPS 20000 /* VM instructions between progress calls */
#define OPS_PER_ROW 5      /* roughly, for the transfer loop; only an estimate */

static int copy_tick(void *arg)
{
	copy_progress *p = arg;
	int64_t done = ++p->ticks * PROGRESS_OPS / OPS_PER_ROW;
	if (p->fn == NULL)
		return 0;
	if (done > p->total * 95 / 100)
		done = p->total * 95 / 100;
	if (p->fn(p->ctx, done, p->total)) {
		p->cancelled = 1;
		return 1;
	}
	return 0;
}

int export_write(store *s, const char *out_path, export_progress_fn progress, void *ctx,
		 char *err, size_t errlen)
{
	sqlite3 *db = store_db(s);
	char *tmp = NULL, *dir = NULL, now_iso[21];
	kiosk_span *spans = NULL;
	int nspans = 0, rc, attached = 0, in_tx = 0, ret = STORE_EIO;
	int64_t rows = 0;
	copy_progress cp = { .fn = progress, .ctx = ctx };
	const char *what = "";

	seterr(err, errlen, "no error");
	if (out_path == NULL || out_path[0] == '\0') {
		seterr(err, errlen, "no export file named");
		return STORE_EINVAL;
	}
	if ((tmp = temp_beside(out_path, err, errlen)) == NULL)
		return STORE_EIO;
	if ((ret = create_export(tmp, err, errlen)) < 0)
		goto fail;
	ret = STORE_EIO;
	what = "attaching the export";
	if ((rc = exec_bind(db, "ATTACH ?1 AS kith_export", tmp)) != SQLITE_OK)
		goto sqlfail;
	attached = 1;
	/* The temp file is thrown away on any failure, so it needs no journal. */
	if ((rc = sqlite3_exec(db, "PRAGMA kith_export.journal_mode = OFF;"
			       "PRAGMA kith_export.synchronous = OFF;"
			       "PRAGMA kith_export.cache_size = -16384;"
			       "BEGIN", NULL, NULL, NULL)) != SQLITE_OK)
		goto sqlfail;
	in_tx = 1;
	what = "reading the check-ins";
	if ((rc = kiosk_spans(db, &spans, &nspans)) != SQLITE_OK)
		goto sqlfail;
	{
		sqlite3_stmt *c = NULL;
		if ((rc = sqlite3_prepare_v2(db, "SELECT count(*) FROM main.export_checkins", -1, &c,
					     NULL)) == SQLITE_OK && (rc = sqlite3_step(c)) == SQLITE_ROW) {
			rows = sqlite3_column_int64(c, 0);
			rc = SQLITE_OK;
		}
		sqlite3_finalize(c);
		if (rc != SQLITE_OK)
			goto sqlfail;
	}
	cp.total = rows;
	if (progress && progress(ctx, 0, rows)) {
		seterr(err, errlen, "export cancelled");
		ret = STORE_EINVAL;
		goto fail;
	}
	/* export_checkins (kept by a trigger, see store_schema.c) has the export's columns,
	 * types and key, and the target is empty: SQLite copies the records as they are. */
	what = "copying check-ins";
	sqlite3_progress_handler(db, PROGRESS_OPS, copy_tick, &cp);
	rc = sqlite3_exec(db, "INSERT INTO kith_export.checkins SELECT * FROM main.export_checkins",
			  NULL, NULL, NULL);
	sqlite3_progress_handler(db, 0, NULL, NULL);
	if (cp.cancelled) {
		seterr(err, errlen, "export cancelled");
		ret = STORE_EINVAL;
		goto fail;
	}
	if (rc != SQLITE_OK)
		goto sqlfail;
	if (progress && progress(ctx, rows, rows)) {
		seterr(err, errlen, "export cancelled");
		ret = STORE_EINVAL;
		goto fail;
	}
	what = "copying kiosks, attendees and settings";
	store_iso_format(clock_now() < STORE_ISO_MIN ? STORE_ISO_MIN : clock_now(), now_iso);
	if ((rc = sqlite3_exec(db,
		"INSERT INTO kith_export.kiosks(kiosk_id, location, software_version, first_seq, last_seq)"
		" SELECT kiosk_id, location, software_version,"
		"  (SELECT min(seq) FROM main.checkins c WHERE c.kiosk_id = k.kiosk_id),"
		"  (SELECT max(seq) FROM main.checkins c WHERE c.kiosk_id = k.kiosk_id)"
		" FROM main.kiosks k ORDER BY kiosk_id;"
		"INSERT INTO kith_export.attendees SELECT * FROM main.export_attendees;"
		"INSERT INTO kith_export.meta(key, value) SELECT key, value FROM main.meta;",
		NULL, NULL, NULL)) != SQLITE_OK)
		goto sqlfail;
	/* Kiosks only known from check-ins (no kiosks row) still get a row. */
	for (int i = 0; i < nspans; i++) {
		sqlite3_stmt *k = NULL;
		if ((rc = sqlite3_prepare_v2(db, "INSERT OR IGNORE INTO kith_export.kiosks"
					     "(kiosk_id, first_seq, last_seq) VALUES (?1, ?2, ?3)",
					     -1, &k, NULL)) != SQLITE_OK)
			goto sqlfail;
		sqlite3_bind_text(k, 1, spans[i].id, -1, SQLITE_STATIC);
		sqlite3_bind_int64(k, 2, spans[i].first);
		sqlite3_bind_int64(k, 3, spans[i].last);
		rc = sqlite3_step(k);
		sqlite3_finalize(k);
		if (rc != SQLITE_DONE)
			goto sqlfail;
	}
	{
		sqlite3_stmt *m = NULL;
		if ((rc = sqlite3_prepare_v2(db, "INSERT OR REPLACE INTO kith_export.meta(key, value) "
					     "VALUES ('export_format', '1'), ('exported_at', ?1), "
					     "('exported_by', ?2), ('software_version', ?3)",
					     -1, &m, NULL)) != SQLITE_OK)
			goto sqlfail;
		sqlite3_bind_text(m, 1, now_iso, -1, SQLITE_STATIC);
		sqlite3_bind_text(m, 2, s->kiosk_id, -1, SQLITE_STATIC);
		sqlite3_bind_text(m, 3, KITH_VERSION, -1, SQLITE_STATIC);
		rc = sqlite3_step(m);
		sqlite3_finalize(m);
		if (rc != SQLITE_DONE)
			goto sqlfail;
	}
	what = "finishing the export";
	if ((rc = sqlite3_exec(db, "COMMIT", NULL, NULL, NULL)) != SQLITE_OK)
		goto sqlfail;
	in_tx = 0;
	if ((rc = sqlite3_exec(db, "DETACH kith_export", NULL, NULL, NULL)) != SQLITE_OK)
		goto sqlfail;
	attached = 0;

	if (fsync_path(tmp, 0) < 0) {
		seterr(err, errlen, "cannot flush %s to disk: %s", tmp, strerror(errno));
		goto fail;
	}
	if ((ret = verify_export(tmp, rows, err, errlen)) < 0)
		goto fail;
	ret = STORE_EIO;
	if (rename(tmp, out_path) < 0) {
		seterr(err, errlen, "cannot replace %s: %s", out_path, strerror(errno));
		goto fail;
	}
	dir = dir_of(out_path);
	if (fsync_path(dir, 1) < 0)
		log_warn("export: cannot flush directory %s: %s", dir, strerror(errno));
	free(dir);
	free(tmp);
	free(spans);
	seterr(err, errlen, "exported %lld check-ins", (long long)rows);
	return 0;

sqlfail:
	seterr(err, errlen, "cannot write %s (%s): %s", out_path, what, plain_sqlite(rc, db));
fail:
	if (in_tx)
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	if (attached)
		sqlite3_exec(db, "DETACH kith_export", NULL, NULL, NULL);
	unlink(tmp);
	free(tmp);
	free(spans);
	return ret;
}

/* ---- Merges --------------------------------------------------------------------------- */

/* Statement over the input's table with the named columns, missing ones as ''; *out is
 * NULL when the table (or its first, key column) is missing. */
static int prepare_optional(sqlite3 *in, const char *table, const char *const *cols, int ncols,
			    sqlite3_stmt **out)
{
	char sql[512];
	size_t used = (size_t)snprintf(sql, sizeof sql, "SELECT ");
	*out = NULL;
	if (!has_column(in, table, cols[0]))
		return SQLITE_OK;
	for (int i = 0; i < ncols && used < sizeof sql; i++)
		used += (size_t)snprintf(sql + used, sizeof sql - used, "%s%s%s%s", i ? ", " : "",
					 has_column(in, table, cols[i]) ? "\"" : "'",
					 has_column(in, table, cols[i]) ? cols[i] : "",
					 has_column(in, table, cols[i]) ? "\"" : "'");
	if (used < sizeof sql)
		snprintf(sql + used, sizeof sql - used, " FROM \"%s\"", table);
	return sqlite3_prepare_v2(in, sql, -1, out, NULL);
}

/* Input text column as a C string for binding; "" for NULL or non-UTF-8. */
static const char *in_text(sqlite3_stmt *st, int col)
{
	const char *v = (const char *)sqlite3_column_text(st, col);
	if (v == NULL || !utf8_valid(v, (size_t)sqlite3_column_bytes(st, col)))
		return "";
	return v;
}

/* Location and version of kiosk id in the input, "" if unknown. */
static void input_kiosk(sqlite3 *in, const char *id, char *loc, size_t loclen, char *ver,
			size_t verlen)
{
	static const char *const cols[] = { "kiosk_id", "location", "software_version" };
	sqlite3_stmt *st = NULL;
	loc[0] = ver[0] = '\0';
	if (prepare_optional(in, "kiosks", cols, 3, &st) != SQLITE_OK || st == NULL) {
		sqlite3_finalize(st);
		return;
	}
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (sqlite3_column_type(st, 0) == SQLITE_TEXT &&
		    strcmp((const char *)sqlite3_column_text(st, 0), id) == 0) {
			str_copy_utf8(loc, loclen, in_text(st, 1));
			str_copy_utf8(ver, verlen, in_text(st, 2));
			break;
		}
	}
	sqlite3_finalize(st);
}

/* Opens an existing export for writing, checked like an input first. */
static int open_export_rw(const char *path, sqlite3 **out, char *err, size_t errlen)
{
	sqlite3 *db = NULL;
	int rc = open_input(path, &db, err, errlen);
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
		seterr(err, errlen, "cannot write %s: %s", path, plain_sqlite(rc, db));
		sqlite3_close(db);
		return STORE_EIO;
	}
	*out = db;
	return 0;
}

/* Copies the input's check-ins (all valid, checked by validate_rows) into out's export
 * tables inside the caller's transaction. */
static int merge_into_export(sqlite3 *out, sqlite3 *in, int64_t *added, int64_t *conflicts)
{
	sqlite3_stmt *rows = NULL, *ins = NULL, *same = NULL, *kiosk = NULL, *span = NULL;
	char last_kiosk[STORE_ID_MAX] = "";
	int rc;

	rc = sqlite3_prepare_v2(in, rows_sql, -1, &rows, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(out, "INSERT OR IGNORE INTO checkins(kiosk_id, seq, "
					"attendee_id, checked_in_at) VALUES (?1, ?2, ?3, ?4)", -1, &ins,
					NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(out, "SELECT attendee_id = ?3 AND checked_in_at = ?4 FROM "
					"checkins WHERE kiosk_id = ?1 AND seq = ?2", -1, &same, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(out, "INSERT OR IGNORE INTO kiosks(kiosk_id, location, "
					"software_version) VALUES (?1, ?2, ?3)", -1, &kiosk, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(out, "UPDATE kiosks SET "
					"first_seq = (SELECT min(seq) FROM checkins WHERE kiosk_id = ?1), "
					"last_seq = (SELECT max(seq) FROM checkins WHERE kiosk_id = ?1) "
					"WHERE kiosk_id = ?1", -1, &span, NULL);
	while (rc == SQLITE_OK && (rc = sqlite3_step(rows)) == SQLITE_ROW) {
		const char *k = (const char *)sqlite3_column_text(rows, 0);
		if (strcmp(k, last_kiosk) != 0) {
			char loc[STORE_PLACE_MAX], ver[STORE_PLACE_MAX];
			input_kiosk(in, k, loc, sizeof loc, ver, sizeof ver);
			str_copy_utf8(last_kiosk, sizeof last_kiosk, k);
			sqlite3_reset(kiosk);
			sqlite3_bind_text(kiosk, 1, last_kiosk, -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(kiosk, 2, loc, -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(kiosk, 3, ver, -1, SQLITE_TRANSIENT);
			if ((rc = sqlite3_step(kiosk)) != SQLITE_DONE)
				break;
		}
		for (int i = 0; i < 4; i++)
			sqlite3_bind_value(ins, i + 1, sqlite3_column_value(rows, i));
		if ((rc = sqlite3_step(ins)) != SQLITE_DONE)
			break;
		sqlite3_reset(ins);
		if (sqlite3_changes(out) == 1) {
			(*added)++;
		} else {
			for (int i = 0; i < 4; i++)
				sqlite3_bind_value(same, i + 1, sqlite3_column_value(rows, i));
			if (sqlite3_step(same) == SQLITE_ROW && sqlite3_column_int(same, 0) == 0)
				(*conflicts)++;
			sqlite3_reset(same);
		}
		rc = SQLITE_OK;
	}
	if (rc == SQLITE_DONE)
		rc = SQLITE_OK;
	/* Seq ranges of every kiosk the input named. */
	if (rc == SQLITE_OK) {
		sqlite3_stmt *ids = NULL;
		rc = sqlite3_prepare_v2(out, "SELECT kiosk_id FROM kiosks", -1, &ids, NULL);
		while (rc == SQLITE_OK && (rc = sqlite3_step(ids)) == SQLITE_ROW) {
			sqlite3_reset(span);
			sqlite3_bind_value(span, 1, sqlite3_column_value(ids, 0));
			rc = sqlite3_step(span) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
		}
		if (rc == SQLITE_DONE)
			rc = SQLITE_OK;
		sqlite3_finalize(ids);
	}
	sqlite3_finalize(rows);
	sqlite3_finalize(ins);
	sqlite3_finalize(same);
	sqlite3_finalize(kiosk);
	sqlite3_finalize(span);
	if (rc != SQLITE_OK)
		return rc;

	/* Attendees and settings the output lacks. */
	static const char *const acols[] = { "attendee_id", "name", "affiliation", "groups" };
	static const char *const mcols[] = { "key", "value" };
	sqlite3_stmt *src = NULL;
	if ((rc = prepare_optional(in, "attendees", acols, 4, &src)) != SQLITE_OK)
		return rc;
	if (src) {
		rc = sqlite3_prepare_v2(out, "INSERT OR IGNORE INTO attendees(attendee_id, name, "
					"affiliation, groups) VALUES (?1, ?2, ?3, ?4)", -1, &ins, NULL);
		while (rc == SQLITE_OK && (rc = sqlite3_step(src)) == SQLITE_ROW) {
			if (!id_ok(src, 0))
				continue;
			sqlite3_reset(ins);
			for (int i = 0; i < 4; i++)
				sqlite3_bind_text(ins, i + 1, in_text(src, i), -1, SQLITE_TRANSIENT);
			rc = sqlite3_step(ins) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
		}
		if (rc == SQLITE_DONE)
			rc = SQLITE_OK;
		sqlite3_finalize(src);
		sqlite3_finalize(ins);
		if (rc != SQLITE_OK)
			return rc;
	}
	if ((rc = prepare_optional(in, "meta", mcols, 2, &src)) != SQLITE_OK)
		return rc;
	if (src) {
		rc = sqlite3_prepare_v2(out, "INSERT OR IGNORE INTO meta(key, value) VALUES (?1, ?2)",
					-1, &ins, NULL);
		while (rc == SQLITE_OK && (rc = sqlite3_step(src)) == SQLITE_ROW) {
			sqlite3_reset(ins);
			sqlite3_bind_text(ins, 1, in_text(src, 0), -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(ins, 2, in_text(src, 1), -1, SQLITE_TRANSIENT);
			rc = sqlite3_step(ins) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
		}
		if (rc == SQLITE_DONE)
			rc = SQLITE_OK;
		sqlite3_finalize(src);
		sqlite3_finalize(ins);
	}
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

	seterr(err, errlen, "no error");
	if (added)
		*added = 0;
	if (out_path == NULL || in_path == NULL || !out_path[0] || !in_path[0]) {
		seterr(err, errlen, "merge needs an output and an input file");
		return STORE_EINVAL;
	}
	if (same_file(out_path, in_path))
		return 0;
	if ((ret = open_input(in_path, &in, err, errlen)) < 0 ||
	    (ret = validate_rows(in, in_path, &rows, err, errlen)) < 0)
		goto done;
	if (stat(out_path, &st) == 0) {
		if ((ret = open_export_rw(out_path, &out, err, errlen)) < 0)
			goto done;
	} else {
		/* A new output appears whole or not at all. */
		if ((tmp = temp_beside(out_path, err, errlen)) == NULL) {
			ret = STORE_EIO;
			goto done;
		}
		if ((ret = create_export(tmp, err, errlen)) < 0 ||
		    (ret = open_export_rw(tmp, &out, err, errlen)) < 0)
			goto done;
	}
	ret = STORE_EIO;
	if ((rc = sqlite3_exec(out, "BEGIN IMMEDIATE", NULL, NULL, NULL)) != SQLITE_OK ||
	    (rc = merge_into_export(out, in, &n_added, &conflicts)) != SQLITE_OK ||
	    (rc = sqlite3_exec(out, "COMMIT", NULL, NULL, NULL)) != SQLITE_OK) {
		seterr(err, errlen, "cannot merge into %s: %s", out_path, plain_sqlite(rc, out));
		sqlite3_exec(out, "ROLLBACK", NULL, NULL, NULL);
		goto done;
	}
	sqlite3_close(out);
	out = NULL;
	if (tmp) {
		char *dir = dir_of(out_path);
		if (fsync_path(tmp, 0) < 0 || rename(tmp, out_path) < 0) {
			seterr(err, errlen, "cannot write %s: %s", out_path, strerror(errno));
			free(dir);
			goto done;
		}
		fsync_path(dir, 1);
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
	seterr(err, errlen, "%lld new check-ins of %lld", (long long)n_added, (long long)rows);
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

int store_merge_export(store *s, const char *in_path, int64_t *added, char *err, size_t errlen)
{
	sqlite3 *in = NULL;
	sqlite3_stmt *rows = NULL;
	int64_t n = 0, n_added = 0, when;
	int ret, rc, outer = 0, in_tx = 0, batch = 0;
	char last_kiosk[STORE_ID_MAX] = "";

	seterr(err, errlen, "no error");
	if (added)
		*added = 0;
	if (in_path == NULL || in_path[0] == '\0') {
		seterr(err, errlen, "no file to merge");
		return STORE_EINVAL;
	}
	if ((ret = open_input(in_path, &in, err, errlen)) < 0 ||
	    (ret = validate_rows(in, in_path, &n, err, errlen)) < 0)
		goto done;
	sqlite3_stmt *ins = store_stmt(s, SLOT_MERGE_CHECKIN,
		"INSERT OR IGNORE INTO checkins(kiosk_id, seq, attendee_id, checked_in_at) "
		"VALUES (?1, ?2, ?3, ?4)");
	sqlite3_stmt *kiosk = store_stmt(s, SLOT_MERGE_KIOSK,
		"INSERT OR IGNORE INTO kiosks(kiosk_id, location, software_version) VALUES (?1,?2,?3)");
	ret = STORE_EIO;
	if (ins == NULL || kiosk == NULL) {
		seterr(err, errlen, "%s", store_errmsg(s));
		goto done;
	}
	if ((rc = sqlite3_prepare_v2(in, rows_sql, -1, &rows, NULL)) != SQLITE_OK) {
		seterr(err, errlen, "%s: cannot read check-ins: %s", in_path, plain_sqlite(rc, in));
		goto done;
	}
	/* Short transactions: the UI thread's taps must not wait behind a big merge. */
	while ((rc = sqlite3_step(rows)) == SQLITE_ROW) {
		const char *k = (const char *)sqlite3_column_text(rows, 0);
		if (row_problem(rows, &when) != NULL) /* changed since validation: impossible */
			continue;
		if (!in_tx) {
			/* Taps come first: if the UI thread keeps the file busy past the busy
			 * timeout, wait and try again (the merge is idempotent and resumable). */
			int tries = 0;
			while ((rc = store_tx_begin(s, &outer)) < 0 && tries++ < MERGE_BUSY_RETRIES &&
			       (sqlite3_errcode(store_db(s)) & 0xff) == SQLITE_BUSY)
				;
			if (rc < 0)
				goto storefail;
			in_tx = 1;
			batch = 0;
		}
		if (strcmp(k, last_kiosk) != 0) {
			char loc[STORE_PLACE_MAX], ver[STORE_PLACE_MAX];
			str_copy_utf8(last_kiosk, sizeof last_kiosk, k);
			input_kiosk(in, last_kiosk, loc, sizeof loc, ver, sizeof ver);
			sqlite3_reset(kiosk);
			sqlite3_bind_text(kiosk, 1, last_kiosk, -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(kiosk, 2, loc, -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(kiosk, 3, ver, -1, SQLITE_TRANSIENT);
			if ((rc = sqlite3_step(kiosk)) != SQLITE_DONE) {
				store_fail(s, rc, "saving a kiosk");
				goto storefail;
			}
		}
		sqlite3_reset(ins);
		sqlite3_bind_text(ins, 1, k, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(ins, 2, sqlite3_column_int64(rows, 1));
		sqlite3_bind_text(ins, 3, (const char *)sqlite3_column_text(rows, 2), -1,
				  SQLITE_TRANSIENT);
		sqlite3_bind_int64(ins, 4, when);
		if ((rc = sqlite3_step(ins)) != SQLITE_DONE) {
			store_fail(s, rc, "saving a check-in");
			goto storefail;
		}
		n_added += sqlite3_changes(store_db(s));
		if (++batch == MERGE_TX_ROWS) {
			if (store_tx_end(s, outer, 1) < 0)
				goto storefail;
			in_tx = 0;
		}
	}
	if (rc != SQLITE_DONE) {
		seterr(err, errlen, "%s: cannot read check-ins: %s", in_path, plain_sqlite(rc, in));
		goto rollback;
	}
	if (in_tx && store_tx_end(s, outer, 1) < 0)
		goto storefail;
	in_tx = 0;
	if (added)
		*added = n_added;
	seterr(err, errlen, "%lld new check-ins of %lld", (long long)n_added, (long long)n);
	ret = 0;
	goto done;
storefail:
	seterr(err, errlen, "cannot merge %s: %s", in_path, store_errmsg(s));
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
