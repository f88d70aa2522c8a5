/* Consent answers in check-in exports (docs/CONTRACT.md "Check-in export", format 2).
 *
 * An attendee's "show me to my colleagues?" answer is given at one kiosk and must hold at
 * every kiosk: a "No" anywhere hides them everywhere. The latest answer wins: answered_at,
 * then kiosk_id as the tiebreak, so every kiosk settles on the same answer whatever order
 * the files arrive in. Exports of format 1 have no consent table and add nothing here.
 * Input rows are untrusted: ids, the 0/1 answer and the ISO time are checked one by one and
 * a bad row is skipped (counted in the log), never stored.
 */
#include "store/export_int.h"

#include <stdio.h>
#include <string.h>

#include "common/log.h"
#include "store/store_int.h"

/* The input's consent rows: attendee_id, visible, answered_at, kiosk_id. */
static const char *const consent_cols[] = { "attendee_id", "visible", "answered_at", "kiosk_id" };

int export_copy_consent(sqlite3 *db, const char *where, const char *kiosk_id, int64_t lo,
			int64_t hi)
{
	char sql[512];
	sqlite3_stmt *st = NULL;
	snprintf(sql, sizeof sql, "INSERT INTO kith_export.consent(attendee_id, visible, "
		 "answered_at, kiosk_id) SELECT attendee_id, visible, strftime('%%Y-%%m-%%dT"
		 "%%H:%%M:%%SZ', answered_at, 'unixepoch'), kiosk_id FROM main.consent WHERE %s",
		 where);
	int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
	if (rc == SQLITE_OK) {
		if (sqlite3_bind_parameter_count(st) >= 1)
			sqlite3_bind_text(st, 1, kiosk_id, -1, SQLITE_STATIC);
		if (sqlite3_bind_parameter_count(st) >= 3) {
			sqlite3_bind_int64(st, 2, lo);
			sqlite3_bind_int64(st, 3, hi);
		}
		rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : sqlite3_errcode(db);
	}
	sqlite3_finalize(st);
	return rc;
}

/* One input consent row, checked: 0 with *visible and *when, or -1. */
static int consent_row_ok(sqlite3_stmt *st, int *visible, int64_t *when)
{
	if (!export_id_ok(st, 0) || !export_id_ok(st, 3))
		return -1;
	if (sqlite3_column_type(st, 1) != SQLITE_INTEGER && sqlite3_column_type(st, 1) != SQLITE_TEXT)
		return -1;
	int64_t v = sqlite3_column_int64(st, 1);
	const char *vt = (const char *)sqlite3_column_text(st, 1);
	if ((v != 0 && v != 1) || vt == NULL || (strcmp(vt, "0") != 0 && strcmp(vt, "1") != 0))
		return -1;
	if (sqlite3_column_type(st, 2) != SQLITE_TEXT ||
	    store_iso_parse((const char *)sqlite3_column_text(st, 2),
			    (size_t)sqlite3_column_bytes(st, 2), when) < 0)
		return -1;
	*visible = (int)v;
	return 0;
}

/* Latest wins: the stored row is replaced only by a later answer (or, at the same second, by
 * the greater kiosk id). */
#define CONSENT_UPSERT(table, when_expr) \
	"INSERT INTO " table "(attendee_id, visible, answered_at, kiosk_id) VALUES (?1, ?2, " \
	when_expr ", ?4) ON CONFLICT(attendee_id) DO UPDATE SET visible = excluded.visible, " \
	"answered_at = excluded.answered_at, kiosk_id = excluded.kiosk_id " \
	"WHERE excluded.answered_at > " table ".answered_at OR (excluded.answered_at = " \
	table ".answered_at AND excluded.kiosk_id > " table ".kiosk_id)"

/* Walks the input's consent rows through upsert (bound ?1..?4; ?3 as unix seconds or ISO
 * text per iso) and, when a row won, through apply (bound ?1, ?2; may be NULL). */
static int consent_walk(sqlite3 *out, sqlite3 *in, const char *upsert, int iso,
			const char *apply, int64_t *won)
{
	sqlite3_stmt *src = NULL, *up = NULL, *ap = NULL;
	int64_t bad = 0, when;
	int visible;
	int rc = export_prepare_optional(in, "consent", consent_cols, 4, &src);
	if (rc != SQLITE_OK || src == NULL)
		return rc; /* format 1: no consent table */
	rc = sqlite3_prepare_v2(out, upsert, -1, &up, NULL);
	if (rc == SQLITE_OK && apply != NULL)
		rc = sqlite3_prepare_v2(out, apply, -1, &ap, NULL);
	while (rc == SQLITE_OK && (rc = sqlite3_step(src)) == SQLITE_ROW) {
		rc = SQLITE_OK;
		if (consent_row_ok(src, &visible, &when) < 0) {
			bad++;
			continue;
		}
		sqlite3_reset(up);
		sqlite3_bind_text(up, 1, (const char *)sqlite3_column_text(src, 0), -1,
				  SQLITE_TRANSIENT);
		sqlite3_bind_int(up, 2, visible);
		if (iso)
			sqlite3_bind_text(up, 3, (const char *)sqlite3_column_text(src, 2), -1,
					  SQLITE_TRANSIENT);
		else
			sqlite3_bind_int64(up, 3, when);
		sqlite3_bind_text(up, 4, (const char *)sqlite3_column_text(src, 3), -1,
				  SQLITE_TRANSIENT);
		if ((rc = sqlite3_step(up)) != SQLITE_DONE)
			break;
		rc = SQLITE_OK;
		if (sqlite3_changes(out) == 0 || ap == NULL)
			continue;
		sqlite3_reset(ap);
		sqlite3_bind_text(ap, 1, (const char *)sqlite3_column_text(src, 0), -1,
				  SQLITE_TRANSIENT);
		sqlite3_bind_int(ap, 2, visible);
		if ((rc = sqlite3_step(ap)) != SQLITE_DONE)
			break;
		rc = SQLITE_OK;
		*won += sqlite3_changes(out);
	}
	if (rc == SQLITE_DONE)
		rc = SQLITE_OK;
	if (bad)
		log_warn("merge: skipped %lld malformed consent answers", (long long)bad);
	sqlite3_finalize(src);
	sqlite3_finalize(up);
	sqlite3_finalize(ap);
	return rc;
}

int export_merge_consent_store(store *s, sqlite3 *in, int64_t *changed)
{
	int64_t won = 0;
	/* ISO times compare as text in the file; the kiosk keeps unix seconds. The attendee's
	 * visible flag follows the winning answer (triggers carry it to group_presence). */
	int rc = consent_walk(store_db(s), in, CONSENT_UPSERT("consent", "?3"), 0,
			      "UPDATE attendees SET visible = ?2 WHERE attendee_id = ?1 AND "
			      "visible <> ?2", &won);
	if (changed)
		*changed = won;
	return rc == SQLITE_OK ? 0 : store_fail(s, rc, "merging consent answers");
}

int export_merge_consent_file(sqlite3 *out, sqlite3 *in)
{
	int64_t won = 0;
	/* An output of format 1 gets the table first. */
	int rc = sqlite3_exec(out, "CREATE TABLE IF NOT EXISTS consent(attendee_id TEXT PRIMARY "
			      "KEY, visible INTEGER NOT NULL, answered_at TEXT NOT NULL, kiosk_id "
			      "TEXT NOT NULL) WITHOUT ROWID", NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		return rc;
	return consent_walk(out, in, CONSENT_UPSERT("consent", "?3"), 1, NULL, &won);
}
