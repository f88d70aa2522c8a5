/* The exchange's bookkeeping in the kiosk database (docs/CONTRACT.md "Exchange"):
 *   consent         the latest consent answer known per attendee; this kiosk's own answers
 *                   carry at_seq, the seq block whose segment publishes them;
 *   exchange_seen   per source kiosk, the highest seq below which every check-in is here,
 *                   so a merge reads only what is above it;
 *   exchange_files  per file merged, its size, mtime and header digest then, so an unchanged
 *                   file is skipped without being copied or opened.
 * The exchange (sync/exchange.c) calls these; the merge itself is in export_merge.c.
 */
#include "store/export_int.h"

#include <stdio.h>
#include <string.h>

#include "common/clock.h"
#include "store/store_int.h"

int store_consent_record(store *s, const char *attendee_id, int visible)
{
	sqlite3_stmt *st = NULL;
	int rc;
	if (visible != STORE_VISIBLE_YES && visible != STORE_VISIBLE_NO)
		return 0; /* "unset" is not an answer */
	/* The answer just given is the latest: never older than one already known, so a kiosk
	 * whose clock lags cannot lose a "No" to an earlier "Yes". */
	rc = sqlite3_prepare_v2(s->db,
		"INSERT INTO consent(attendee_id, visible, answered_at, kiosk_id, at_seq) VALUES (?1, "
		"?2, max(?3, coalesce((SELECT answered_at + 1 FROM consent WHERE attendee_id = ?1), "
		"0)), ?4, (SELECT coalesce(max(seq), 0) + 1 FROM checkins WHERE kiosk_id = ?4)) "
		"ON CONFLICT(attendee_id) DO UPDATE SET visible = excluded.visible, "
		"answered_at = excluded.answered_at, kiosk_id = excluded.kiosk_id, "
		"at_seq = excluded.at_seq", -1, &st, NULL);
	if (rc != SQLITE_OK)
		return store_fail(s, rc, "saving a consent answer");
	sqlite3_bind_text(st, 1, attendee_id, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, visible);
	sqlite3_bind_int64(st, 3, clock_now());
	sqlite3_bind_text(st, 4, s->kiosk_id, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : store_fail(s, rc, "saving a consent answer");
}

/* One row of two int64 from sql bound with text t (and int64 a, b when the SQL has them). */
static int query_pair(store *s, const char *sql, const char *t, int64_t a, int64_t b,
		      int64_t *x, int64_t *y, const char *what)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_bind_text(st, 1, t, -1, SQLITE_STATIC);
		if (sqlite3_bind_parameter_count(st) >= 3) {
			sqlite3_bind_int64(st, 2, a);
			sqlite3_bind_int64(st, 3, b);
		}
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW) {
			*x = sqlite3_column_int64(st, 0);
			if (y)
				*y = sqlite3_column_int64(st, 1);
			rc = SQLITE_OK;
		}
	}
	sqlite3_finalize(st);
	return rc == SQLITE_OK ? 0 : store_fail(s, rc, what);
}

int store_exchange_own_max_seq(store *s, const char *kiosk_id, int64_t *max_seq)
{
	return query_pair(s, "SELECT coalesce(max(seq), 0), 0 FROM checkins WHERE kiosk_id = ?1",
			  kiosk_id, 0, 0, max_seq, NULL, "reading this kiosk's last check-in");
}

int store_exchange_block_print(store *s, const char *kiosk_id, int64_t lo, int64_t hi,
			       char *out, size_t outsize)
{
	int64_t maxseq = 0, n = 0, sum = 0;
	int rc = query_pair(s, "SELECT coalesce(max(seq), 0), count(*) FROM checkins WHERE "
			    "kiosk_id = ?1 AND seq BETWEEN ?2 AND ?3", kiosk_id, lo, hi, &maxseq,
			    &n, "reading a block");
	if (rc == 0)
		rc = query_pair(s, "SELECT count(*), coalesce(sum(answered_at * 2 + visible), 0) "
				"FROM consent WHERE kiosk_id = ?1 AND at_seq BETWEEN ?2 AND ?3",
				kiosk_id, lo, hi, &n, &sum, "reading a block's consent answers");
	if (rc == 0)
		snprintf(out, outsize, "%lld-%lld:%lld:%lld:%lld", (long long)lo, (long long)hi,
			 (long long)maxseq, (long long)n, (long long)sum);
	return rc;
}

int store_exchange_file_get(store *s, const char *name, store_exchange_file *f)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(s->db, "SELECT size, mtime_ns, digest, sealed FROM "
				    "exchange_files WHERE name = ?1", -1, &st, NULL);
	memset(f, 0, sizeof *f);
	if (rc == SQLITE_OK) {
		sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW) {
			f->size = sqlite3_column_int64(st, 0);
			f->mtime_ns = sqlite3_column_int64(st, 1);
			f->digest = sqlite3_column_int64(st, 2);
			f->sealed = sqlite3_column_int(st, 3);
		}
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_ROW)
		return 1;
	return rc == SQLITE_DONE ? 0 : store_fail(s, rc, "reading what was merged");
}

int store_exchange_file_put(store *s, const char *name, const store_exchange_file *f)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(s->db, f == NULL ? "DELETE FROM exchange_files WHERE name = ?1" :
				    "INSERT OR REPLACE INTO exchange_files(name, size, mtime_ns, "
				    "digest, sealed) VALUES (?1, ?2, ?3, ?4, ?5)", -1, &st, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
		if (f != NULL) {
			sqlite3_bind_int64(st, 2, f->size);
			sqlite3_bind_int64(st, 3, f->mtime_ns);
			sqlite3_bind_int64(st, 4, f->digest);
			sqlite3_bind_int(st, 5, f->sealed);
		}
		rc = sqlite3_step(st);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : store_fail(s, rc, "remembering a merged file");
}

int store_exchange_seen(store *s, const char *kiosk_id, int64_t *contiguous)
{
	*contiguous = 0;
	return query_pair(s, "SELECT coalesce((SELECT contiguous FROM exchange_seen WHERE "
			  "kiosk_id = ?1), 0), 0", kiosk_id, 0, 0, contiguous, NULL,
			  "reading what was merged");
}

int store_exchange_advance(store *s, const char *kiosk_id, int64_t from, int64_t *contiguous)
{
	int64_t next = 0, end = from;
	/* Seq from+1 here: the run goes on to the first seq whose successor is missing. The
	 * scan covers the rows just merged (a range of the key), not the kiosk's whole log. */
	int rc = query_pair(s, "SELECT count(*), 0 FROM checkins WHERE kiosk_id = ?1 AND seq = ?2 "
			    "+ 1 AND ?3 = ?3", kiosk_id, from, 0, &next, NULL, "advancing");
	if (rc == 0 && next)
		rc = query_pair(s, "SELECT coalesce((SELECT c.seq FROM checkins c WHERE c.kiosk_id = "
				"?1 AND c.seq > ?2 AND NOT EXISTS (SELECT 1 FROM checkins d WHERE "
				"d.kiosk_id = ?1 AND d.seq = c.seq + 1) ORDER BY c.seq LIMIT 1), ?2), ?3",
				kiosk_id, from, 0, &end, NULL, "advancing");
	if (rc == 0 && end > from) {
		sqlite3_stmt *st = NULL;
		rc = sqlite3_prepare_v2(s->db, "INSERT OR REPLACE INTO exchange_seen(kiosk_id, "
					"contiguous) VALUES (?1, ?2)", -1, &st, NULL);
		if (rc == SQLITE_OK) {
			sqlite3_bind_text(st, 1, kiosk_id, -1, SQLITE_STATIC);
			sqlite3_bind_int64(st, 2, end);
			rc = sqlite3_step(st) == SQLITE_DONE ? 0 : store_fail(s, sqlite3_errcode(s->db),
									     "advancing");
		} else {
			rc = store_fail(s, rc, "advancing");
		}
		sqlite3_finalize(st);
	}
	*contiguous = end;
	return rc;
}
