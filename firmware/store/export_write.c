/* The check-in export (docs/CONTRACT.md "Check-in export"): export_write.
 *
 * export_write copies the kiosk database's check-ins into a fresh file beside the target with
 * one INSERT..SELECT over an ATTACHed connection (journal off: the file is thrown away on any
 * failure), then fsyncs it, reopens it read-only for quick_check and a row count, renames it
 * over the target and fsyncs the directory. A stick pulled at any moment holds the old file
 * or the new one. The file helpers here serve export_merge too.
 */
#include "store/export_int.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
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

static const char export_schema[] =
	"PRAGMA user_version = 2;\n"
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
	/* v2: consent answers (latest known per attendee), so a "No" given anywhere hides the
	 * person everywhere; answered_at ISO 8601 UTC like checked_in_at. */
	"CREATE TABLE consent(\n"
	"  attendee_id TEXT PRIMARY KEY,\n"
	"  visible INTEGER NOT NULL,\n" /* 1 yes, 0 no */
	"  answered_at TEXT NOT NULL,\n"
	"  kiosk_id TEXT NOT NULL) WITHOUT ROWID;\n"
	"CREATE VIEW checkin_log AS\n"
	"  SELECT c.checked_in_at, c.kiosk_id, coalesce(k.location, '') AS location, c.seq,\n"
	"    c.attendee_id, coalesce(a.name, '') AS name,\n"
	"    coalesce(a.affiliation, '') AS affiliation, coalesce(a.groups, '') AS groups\n"
	"  FROM checkins c LEFT JOIN attendees a ON a.attendee_id = c.attendee_id\n"
	"  LEFT JOIN kiosks k ON k.kiosk_id = c.kiosk_id\n"
	"  ORDER BY c.checked_in_at, c.kiosk_id, c.seq;\n";

_Static_assert(EXPORT_FORMAT_VERSION == 2, "export_schema sets user_version 2");
/* ---- Files ---------------------------------------------------------------------------- */

int export_fsync_path(const char *path, int directory)
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
char *export_dir_of(const char *path)
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
char *export_temp_beside(const char *path, char *err, size_t errlen)
{
	char *dir = export_dir_of(path);
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	size_t n = strlen(dir) + strlen(base) + 16;
	char *tmp = xcalloc(n, 1);
	snprintf(tmp, n, "%s/.%s.tmp-XXXXXX", dir, base);
	int fd = mkstemp(tmp);
	if (fd < 0) {
		export_seterr(err, errlen, "cannot create a file in %s: %s", dir, strerror(errno));
		free(dir);
		free(tmp);
		return NULL;
	}
	/* mkstemp makes it 0600, but an export is for sharing: in a Syncthing folder on the image
	 * (issue 12) Syncthing runs as another user and reads it through the folder's default
	 * ACL, which grants no more than these group bits (the ACL mask). Others get nothing. */
	(void)fchmod(fd, 0640);
	close(fd);
	free(dir);
	return tmp;
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
int export_create(const char *path, char *err, size_t errlen)
{
	/* Big pages: fewer to write, flush and quick_check; the file is written once. */
	return export_create_paged(path, 65536, err, errlen);
}

int export_create_paged(const char *path, int page_size, char *err, size_t errlen)
{
	sqlite3 *db = NULL;
	char app[64], pages[96];
	int rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL);
	snprintf(app, sizeof app, "PRAGMA application_id = %d;", EXPORT_APP_ID);
	snprintf(pages, sizeof pages, "PRAGMA page_size = %d; PRAGMA journal_mode = DELETE; BEGIN",
		 page_size);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(db, pages, NULL, NULL, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(db, app, NULL, NULL, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(db, export_schema, NULL, NULL, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		export_seterr(err, errlen, "cannot write %s: %s", path, export_plain_sqlite(rc, db));
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
		export_seterr(err, errlen, "cannot reopen %s: %s", path, export_plain_sqlite(rc, db));
		goto fail;
	}
	if (export_quick_check(db, path, err, errlen) < 0)
		goto fail;
	if (sqlite3_prepare_v2(db, "SELECT count(*) FROM checkins", -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (n != expect) {
		export_seterr(err, errlen, "%s reads back %lld check-ins instead of %lld", path,
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

/* One export_write under way: what its steps share. */
typedef struct export_job {
	store *s;            /* the handle exported (exported_by is its kiosk id) */
	sqlite3 *db;         /* its connection; the temp file is attached as kith_export */
	copy_progress cp;    /* the caller's progress and cancel; cp.total = check-ins */
	kiosk_span *spans;   /* every kiosk with its seq range (kiosk_spans) */
	int nspans;          /* entries in spans */
	const char *what;    /* the step under way, for the message if SQLite fails */
	const export_segment *seg; /* NULL: the whole log (the stick's form); else one block */
} export_job;

/* The caller's progress at done of the total; 1 (cancelled) when it asks to stop. */
static int job_cancelled(export_job *j, int64_t done)
{
	if (j->cp.fn && j->cp.fn(j->cp.ctx, done, j->cp.total))
		j->cp.cancelled = 1;
	return j->cp.cancelled;
}

/* A segment's check-ins: this kiosk's seqs of one block (an index range of the key) and the
 * attendees they name. An SQLite code. */
static int job_copy_segment(export_job *j)
{
	const export_segment *g = j->seg;
	sqlite3_stmt *st = NULL;
	int rc;

	j->what = "copying a segment's check-ins";
	j->spans = xcalloc(1, sizeof *j->spans);
	rc = sqlite3_prepare_v2(j->db, "INSERT INTO kith_export.checkins SELECT * FROM "
				"main.export_checkins WHERE kiosk_id = ?1 AND seq BETWEEN ?2 AND ?3",
				-1, &st, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_bind_text(st, 1, g->kiosk_id, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, g->first_seq);
		sqlite3_bind_int64(st, 3, g->last_seq);
		rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : sqlite3_errcode(j->db);
	}
	sqlite3_finalize(st);
	st = NULL;
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(j->db, "SELECT count(*), min(seq), max(seq) FROM "
					"kith_export.checkins", -1, &st, NULL);
	if (rc == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW) {
		j->cp.total = sqlite3_column_int64(st, 0);
		str_copy_utf8(j->spans[0].id, sizeof j->spans[0].id, g->kiosk_id);
		j->spans[0].first = sqlite3_column_int64(st, 1);
		j->spans[0].last = sqlite3_column_int64(st, 2);
		j->nspans = j->cp.total > 0;
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(j->db, "INSERT INTO kith_export.attendees SELECT a.* FROM "
				  "main.export_attendees a WHERE a.attendee_id IN "
				  "(SELECT attendee_id FROM kith_export.checkins)", NULL, NULL, NULL);
	return rc;
}

/* The check-ins, counted and then copied in one statement. An SQLite code; a cancel is
 * SQLITE_OK with j->cp.cancelled set. */
static int job_copy_checkins(export_job *j)
{
	sqlite3_stmt *c = NULL;
	int rc;

	if (j->seg != NULL)
		return job_copy_segment(j);
	j->what = "reading the check-ins";
	if ((rc = kiosk_spans(j->db, &j->spans, &j->nspans)) != SQLITE_OK)
		return rc;
	if ((rc = sqlite3_prepare_v2(j->db, "SELECT count(*) FROM main.export_checkins", -1, &c,
				     NULL)) == SQLITE_OK && (rc = sqlite3_step(c)) == SQLITE_ROW) {
		j->cp.total = sqlite3_column_int64(c, 0);
		rc = SQLITE_OK;
	}
	sqlite3_finalize(c);
	if (rc != SQLITE_OK || job_cancelled(j, 0))
		return rc;
	/* export_checkins (kept by a trigger, see store_schema.c) has the export's columns,
	 * types and key, and the target is empty: SQLite copies the records as they are. */
	j->what = "copying check-ins";
	sqlite3_progress_handler(j->db, PROGRESS_OPS, copy_tick, &j->cp);
	rc = sqlite3_exec(j->db, "INSERT INTO kith_export.checkins SELECT * FROM "
			  "main.export_checkins", NULL, NULL, NULL);
	sqlite3_progress_handler(j->db, 0, NULL, NULL);
	if (j->cp.cancelled || rc != SQLITE_OK)
		return j->cp.cancelled ? SQLITE_OK : rc;
	job_cancelled(j, j->cp.total);
	return SQLITE_OK;
}

/* Kiosks, attendees, settings and the export's own meta rows. An SQLite code. */
static int job_copy_rest(export_job *j)
{
	char now_iso[21];
	int rc;

	j->what = "copying kiosks, attendees and settings";
	store_iso_format(clock_now() < STORE_ISO_MIN ? STORE_ISO_MIN : clock_now(), now_iso);
	if (j->seg != NULL) {
		/* A segment names only its own kiosk; its seq range is the segment's. */
		if ((rc = exec_bind(j->db, "INSERT INTO kith_export.kiosks(kiosk_id, location, "
				    "software_version) SELECT kiosk_id, location, software_version "
				    "FROM main.kiosks WHERE kiosk_id = ?1", j->seg->kiosk_id)) !=
		    SQLITE_OK)
			return rc;
	} else if ((rc = sqlite3_exec(j->db,
		"INSERT INTO kith_export.kiosks(kiosk_id, location, software_version, first_seq, last_seq)"
		" SELECT kiosk_id, location, software_version,"
		"  (SELECT min(seq) FROM main.checkins c WHERE c.kiosk_id = k.kiosk_id),"
		"  (SELECT max(seq) FROM main.checkins c WHERE c.kiosk_id = k.kiosk_id)"
		" FROM main.kiosks k ORDER BY kiosk_id;"
		"INSERT INTO kith_export.attendees SELECT * FROM main.export_attendees;",
		NULL, NULL, NULL)) != SQLITE_OK) {
		return rc;
	}
	if ((rc = sqlite3_exec(j->db, "INSERT INTO kith_export.meta(key, value) SELECT key, value "
			       "FROM main.meta WHERE key NOT LIKE 'exchange.%';", NULL, NULL, NULL)) != SQLITE_OK)
		return rc;
	/* Kiosks only known from check-ins (no kiosks row) still get a row. */
	for (int i = 0; i < j->nspans; i++) {
		sqlite3_stmt *k = NULL;
		if ((rc = sqlite3_prepare_v2(j->db, "INSERT OR IGNORE INTO kith_export.kiosks"
					     "(kiosk_id, first_seq, last_seq) VALUES (?1, ?2, ?3)",
					     -1, &k, NULL)) != SQLITE_OK)
			return rc;
		sqlite3_bind_text(k, 1, j->spans[i].id, -1, SQLITE_STATIC);
		sqlite3_bind_int64(k, 2, j->spans[i].first);
		sqlite3_bind_int64(k, 3, j->spans[i].last);
		rc = sqlite3_step(k);
		sqlite3_finalize(k);
		if (rc != SQLITE_DONE)
			return rc;
	}
	sqlite3_stmt *m = NULL;
	char block[24];
	snprintf(block, sizeof block, "%lld", j->seg ? (long long)j->seg->block : 0LL);
	if ((rc = sqlite3_prepare_v2(j->db, "INSERT OR REPLACE INTO kith_export.meta(key, value) "
				     "VALUES ('export_format', ?6), ('exported_at', ?1), "
				     "('exported_by', ?2), ('software_version', ?3), "
				     "('exchange_kind', ?4), ('segment', ?5)",
				     -1, &m, NULL)) != SQLITE_OK)
		return rc;
	sqlite3_bind_text(m, 1, now_iso, -1, SQLITE_STATIC);
	sqlite3_bind_text(m, 2, j->seg ? j->seg->kiosk_id : j->s->kiosk_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(m, 3, KITH_VERSION, -1, SQLITE_STATIC);
	sqlite3_bind_text(m, 4, j->seg == NULL ? "whole" : j->seg->sealed ? "sealed" : "open", -1,
			  SQLITE_STATIC);
	sqlite3_bind_text(m, 5, block, -1, SQLITE_STATIC);
	sqlite3_bind_int(m, 6, EXPORT_FORMAT_VERSION);
	rc = sqlite3_step(m);
	sqlite3_finalize(m);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* Consent answers: all known (the whole log), or this kiosk's answers published by the
 * segment's block (consent.at_seq in its range). An SQLite code. */
static int job_copy_consent(export_job *j)
{
	j->what = "copying consent answers";
	if (j->seg == NULL)
		return export_copy_consent(j->db, "1", "", 0, 0);
	return export_copy_consent(j->db, "kiosk_id = ?1 AND at_seq BETWEEN ?2 AND ?3",
				   j->seg->kiosk_id, j->seg->first_seq, j->seg->last_seq);
}

/* What an export holds besides check-ins, each table by its own writer, in order. A new
 * table (staff badges, a signature) is one more row here. */
/* Staff check-ins, badge bindings and revocations (export_badges.c). */
static int job_copy_badges(export_job *j)
{
	return export_badges_write(j->db);
}

static int (*const job_writers[])(export_job *) = {
	job_copy_consent,
	job_copy_rest,
	job_copy_badges,
};

/* The detached temp file onto the disk, checked, renamed over out_path. 0 or STORE_EIO. */
static int job_finish(const char *tmp, const char *out_path, int64_t rows, char *err,
		      size_t errlen)
{
	char *dir;
	if (export_fsync_path(tmp, 0) < 0) {
		export_seterr(err, errlen, "cannot flush %s to disk: %s", tmp, strerror(errno));
		return STORE_EIO;
	}
	if (verify_export(tmp, rows, err, errlen) < 0)
		return STORE_EIO;
	if (rename(tmp, out_path) < 0) {
		export_seterr(err, errlen, "cannot replace %s: %s", out_path, strerror(errno));
		return STORE_EIO;
	}
	dir = export_dir_of(out_path);
	if (export_fsync_path(dir, 1) < 0)
		log_warn("export: cannot flush directory %s: %s", dir, strerror(errno));
	free(dir);
	return 0;
}

/* export_write and export_write_segment: the file of job j at out_path. */
static int write_job(export_job *jp, const char *out_path, int page_size, char *err,
		     size_t errlen)
{
	export_job j = *jp;
	char *tmp = NULL;
	int rc, attached = 0, in_tx = 0, ret = STORE_EIO;

	export_seterr(err, errlen, "no error");
	if (out_path == NULL || out_path[0] == '\0') {
		export_seterr(err, errlen, "no export file named");
		return STORE_EINVAL;
	}
	if ((tmp = export_temp_beside(out_path, err, errlen)) == NULL)
		return STORE_EIO;
	if ((ret = export_create_paged(tmp, page_size, err, errlen)) < 0)
		goto fail;
	ret = STORE_EIO;
	j.what = "attaching the export";
	if ((rc = exec_bind(j.db, "ATTACH ?1 AS kith_export", tmp)) != SQLITE_OK)
		goto sqlfail;
	attached = 1;
	/* The temp file is thrown away on any failure, so it needs no journal. */
	if ((rc = sqlite3_exec(j.db, "PRAGMA kith_export.journal_mode = OFF;"
			       "PRAGMA kith_export.synchronous = OFF;"
			       "PRAGMA kith_export.cache_size = -16384;"
			       "BEGIN", NULL, NULL, NULL)) != SQLITE_OK)
		goto sqlfail;
	in_tx = 1;
	if ((rc = job_copy_checkins(&j)) != SQLITE_OK)
		goto sqlfail;
	if (j.cp.cancelled) {
		export_seterr(err, errlen, "export cancelled");
		ret = STORE_EINVAL;
		goto fail;
	}
	for (size_t w = 0; w < ARRAY_LEN(job_writers); w++)
		if ((rc = job_writers[w](&j)) != SQLITE_OK)
			goto sqlfail;
	j.what = "finishing the export";
	if ((rc = sqlite3_exec(j.db, "COMMIT", NULL, NULL, NULL)) != SQLITE_OK)
		goto sqlfail;
	in_tx = 0;
	if ((rc = sqlite3_exec(j.db, "DETACH kith_export", NULL, NULL, NULL)) != SQLITE_OK)
		goto sqlfail;
	attached = 0;
	/* A segment is read by the transport's own user (Syncthing runs apart from the kiosk):
	 * readable before it gets its name, never after. */
	if (j.seg != NULL && chmod(tmp, 0644) < 0)
		log_warn("export: cannot make %s readable: %s", tmp, strerror(errno));
	if ((ret = export_sign_temp(j.s, tmp, err, errlen)) < 0 ||
	    (ret = job_finish(tmp, out_path, j.cp.total, err, errlen)) < 0)
		goto fail;
	free(tmp);
	free(j.spans);
	jp->cp.total = j.cp.total;
	export_seterr(err, errlen, "exported %lld check-ins", (long long)j.cp.total);
	return 0;

sqlfail:
	export_seterr(err, errlen, "cannot write %s (%s): %s", out_path, j.what,
		      export_plain_sqlite(rc, j.db));
fail:
	if (in_tx)
		sqlite3_exec(j.db, "ROLLBACK", NULL, NULL, NULL);
	if (attached)
		sqlite3_exec(j.db, "DETACH kith_export", NULL, NULL, NULL);
	unlink(tmp);
	free(tmp);
	free(j.spans);
	return ret;
}

int export_write(store *s, const char *out_path, export_progress_fn progress, void *ctx,
		 char *err, size_t errlen)
{
	export_job j = { .s = s, .db = store_db(s), .cp = { .fn = progress, .ctx = ctx },
			 .what = "" };
	return write_job(&j, out_path, 65536, err, errlen);
}

int export_write_segment(store *s, const char *out_path, const export_segment *seg,
			 int64_t *rows, char *err, size_t errlen)
{
	/* Small pages: the open segment is rewritten on every refresh and is often nearly empty;
	 * 4 KiB pages keep an empty one at a few pages instead of a few 64 KiB ones. */
	export_job j = { .s = s, .db = store_db(s), .what = "", .seg = seg };
	int rc = write_job(&j, out_path, 4096, err, errlen);
	if (rows)
		*rows = rc == 0 ? j.cp.total : 0;
	return rc;
}
