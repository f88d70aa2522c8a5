/* The staff tables of the check-in export (docs/CONTRACT.md "Check-in export", "Staff mode"):
 * which check-ins staff made on someone's behalf, and the cards staff bound or revoked.
 *
 *   staff_checkins(kiosk_id, seq)        a check-in of checkins made by staff, same key
 *   badge_events(kiosk_id, seq, uid, action 'bind'|'revoke', attendee_id, at ISO 8601 UTC)
 *   checkin_methods                      view: checkins with method 'badge' or 'staff'
 *
 * Writer and mergers, each hooked by one call into export_write.c and export_merge.c. Files
 * written before staff mode have none of these tables: they merge as before. Input rows are
 * untrusted: every row of both tables is checked before any is taken, and a bad one refuses
 * the tables with its key and what is wrong (the check-ins of the same file, already checked
 * on their own, stay merged). The union is on (kiosk_id, seq), so merging is idempotent; which
 * binding holds is decided at the kiosk by the latest event per card (store_schema.c v2).
 */
#include "store/export_int.h"

#include <stdio.h>
#include <string.h>

#include "store/store_int.h"

/* Created in schema (main or an attached name) if missing: the export's staff tables. */
static int badges_schema(sqlite3 *db, const char *schema)
{
	char sql[1400];
	snprintf(sql, sizeof sql,
		 "CREATE TABLE IF NOT EXISTS %1$s.staff_checkins(\n"
		 "  kiosk_id TEXT NOT NULL,\n"
		 "  seq INTEGER NOT NULL,\n"
		 "  PRIMARY KEY (kiosk_id, seq)) WITHOUT ROWID;\n"
		 "CREATE TABLE IF NOT EXISTS %1$s.badge_events(\n"
		 "  kiosk_id TEXT NOT NULL,\n"
		 "  seq INTEGER NOT NULL,\n"
		 "  uid TEXT NOT NULL,\n"
		 "  action TEXT NOT NULL,\n"
		 "  attendee_id TEXT NOT NULL,\n"
		 "  at TEXT NOT NULL,\n"
		 "  PRIMARY KEY (kiosk_id, seq)) WITHOUT ROWID;\n"
		 "CREATE VIEW IF NOT EXISTS %1$s.checkin_methods AS\n"
		 "  SELECT c.kiosk_id, c.seq, c.attendee_id, c.checked_in_at,\n"
		 "    CASE WHEN s.seq IS NULL THEN 'badge' ELSE 'staff' END AS method\n"
		 "  FROM checkins c LEFT JOIN staff_checkins s\n"
		 "    ON s.kiosk_id = c.kiosk_id AND s.seq = c.seq;\n",
		 schema);
	return sqlite3_exec(db, sql, NULL, NULL, NULL);
}

int export_badges_write(sqlite3 *db)
{
	int rc = badges_schema(db, "kith_export");
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(db,
			"INSERT INTO kith_export.staff_checkins SELECT kiosk_id, seq FROM "
			"main.staff_checkins;"
			"INSERT INTO kith_export.badge_events SELECT kiosk_id, seq, uid, action, "
			" attendee_id, strftime('%Y-%m-%dT%H:%M:%SZ', at, 'unixepoch') "
			"FROM main.badge_events;", NULL, NULL, NULL);
	return rc;
}

/* 1 if the input has the table. */
static int has_table(sqlite3 *in, const char *table)
{
	return export_has_column(in, table, "kiosk_id");
}

static int uid_ok(sqlite3_stmt *st, int col)
{
	const char *h = (const char *)sqlite3_column_text(st, col);
	int n = sqlite3_column_bytes(st, col);
	if (sqlite3_column_type(st, col) != SQLITE_TEXT || (n != 8 && n != 14 && n != 20))
		return 0;
	for (int i = 0; i < n; i++)
		if (!((h[i] >= '0' && h[i] <= '9') || (h[i] >= 'A' && h[i] <= 'F')))
			return 0;
	return 1;
}

/* What is wrong with one badge_events row (columns as EVENTS_SQL), or NULL. */
static const char *event_problem(sqlite3_stmt *st, int64_t *at)
{
	const char *action = (const char *)sqlite3_column_text(st, 3);
	if (!export_id_ok(st, 0))
		return "kiosk_id is missing or not a short text";
	if (sqlite3_column_type(st, 1) != SQLITE_INTEGER || sqlite3_column_int64(st, 1) <= 0)
		return "seq is not a positive integer";
	if (!uid_ok(st, 2))
		return "uid is not 8, 14 or 20 upper-case hex digits";
	if (sqlite3_column_type(st, 3) != SQLITE_TEXT || action == NULL ||
	    (strcmp(action, "bind") != 0 && strcmp(action, "revoke") != 0))
		return "action is neither 'bind' nor 'revoke'";
	if (!export_id_ok(st, 4))
		return "attendee_id is missing or not a short text";
	if (sqlite3_column_type(st, 5) != SQLITE_TEXT ||
	    store_iso_parse((const char *)sqlite3_column_text(st, 5),
			    (size_t)sqlite3_column_bytes(st, 5), at) < 0)
		return "at is not an ISO 8601 UTC time like 2026-11-27T10:01:02Z";
	return NULL;
}

#define EVENTS_SQL "SELECT kiosk_id, seq, uid, action, attendee_id, at FROM badge_events"
#define STAFF_SQL "SELECT kiosk_id, seq FROM staff_checkins"

/* Every row of the input's staff tables well-formed: 0, or -1 with the first bad one in err. */
static int validate(sqlite3 *in, const char *label, char *err, size_t errlen)
{
	sqlite3_stmt *st = NULL;
	int64_t at;
	int rc = SQLITE_OK, bad = 0;

	if (has_table(in, "badge_events") && (rc = sqlite3_prepare_v2(in, EVENTS_SQL, -1, &st,
								       NULL)) == SQLITE_OK) {
		while (!bad && (rc = sqlite3_step(st)) == SQLITE_ROW) {
			const char *why = event_problem(st, &at);
			if (why) {
				export_seterr(err, errlen, "%s: badge event (%.64s, %lld): %s; no "
					      "badge bindings taken from it", label,
					      (const char *)sqlite3_column_text(st, 0),
					      (long long)sqlite3_column_int64(st, 1), why);
				bad = 1;
			}
		}
		sqlite3_finalize(st);
		st = NULL;
	}
	if (!bad && has_table(in, "staff_checkins") &&
	    (rc = sqlite3_prepare_v2(in, STAFF_SQL, -1, &st, NULL)) == SQLITE_OK) {
		while (!bad && (rc = sqlite3_step(st)) == SQLITE_ROW) {
			if (!export_id_ok(st, 0) || sqlite3_column_type(st, 1) != SQLITE_INTEGER ||
			    sqlite3_column_int64(st, 1) <= 0) {
				export_seterr(err, errlen, "%s: a staff_checkins row has no valid "
					      "kiosk_id and seq; no staff marks taken from it", label);
				bad = 1;
			}
		}
		sqlite3_finalize(st);
	}
	if (!bad && rc != SQLITE_OK && rc != SQLITE_DONE) {
		export_seterr(err, errlen, "%s: cannot read the staff tables: %s", label,
			      export_plain_sqlite(rc, in));
		bad = 1;
	}
	return bad ? -1 : 0;
}

/* Copies the (validated) input rows into out with the two inserts; at_epoch: badge_events.at
 * as epoch seconds (the kiosk) or as the input's ISO text (an export file). */
static int copy_rows(sqlite3 *in, sqlite3 *out, const char *ins_event, const char *ins_staff,
		     int at_epoch)
{
	sqlite3_stmt *src = NULL, *ins = NULL;
	int64_t at;
	int rc = SQLITE_OK;

	if (has_table(in, "badge_events")) {
		rc = sqlite3_prepare_v2(in, EVENTS_SQL " ORDER BY at, kiosk_id, seq", -1, &src, NULL);
		if (rc == SQLITE_OK)
			rc = sqlite3_prepare_v2(out, ins_event, -1, &ins, NULL);
		while (rc == SQLITE_OK && (rc = sqlite3_step(src)) == SQLITE_ROW) {
			if (event_problem(src, &at) != NULL) /* checked before: cannot happen */
				continue;
			sqlite3_reset(ins);
			for (int i = 0; i < 5; i++)
				sqlite3_bind_value(ins, i + 1, sqlite3_column_value(src, i));
			if (at_epoch)
				sqlite3_bind_int64(ins, 6, at);
			else
				sqlite3_bind_value(ins, 6, sqlite3_column_value(src, 5));
			rc = sqlite3_step(ins) == SQLITE_DONE ? SQLITE_OK : sqlite3_errcode(out);
		}
		if (rc == SQLITE_DONE)
			rc = SQLITE_OK;
		sqlite3_finalize(src);
		sqlite3_finalize(ins);
		src = ins = NULL;
	}
	if (rc == SQLITE_OK && has_table(in, "staff_checkins")) {
		rc = sqlite3_prepare_v2(in, STAFF_SQL, -1, &src, NULL);
		if (rc == SQLITE_OK)
			rc = sqlite3_prepare_v2(out, ins_staff, -1, &ins, NULL);
		while (rc == SQLITE_OK && (rc = sqlite3_step(src)) == SQLITE_ROW) {
			sqlite3_reset(ins);
			sqlite3_bind_value(ins, 1, sqlite3_column_value(src, 0));
			sqlite3_bind_value(ins, 2, sqlite3_column_value(src, 1));
			rc = sqlite3_step(ins) == SQLITE_DONE ? SQLITE_OK : sqlite3_errcode(out);
		}
		if (rc == SQLITE_DONE)
			rc = SQLITE_OK;
		sqlite3_finalize(src);
		sqlite3_finalize(ins);
	}
	return rc;
}

int export_badges_merge_file(sqlite3 *out, sqlite3 *in)
{
	char err[300];
	int rc = badges_schema(out, "main");
	if (rc != SQLITE_OK)
		return rc;
	if (validate(in, "input", err, sizeof err) < 0) {
		log_warn("merge: %s", err);
		return SQLITE_OK; /* the check-ins still merge; the warning names what was left */
	}
	return copy_rows(in, out,
		"INSERT OR IGNORE INTO badge_events(kiosk_id, seq, uid, action, attendee_id, at) "
		"VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
		"INSERT OR IGNORE INTO staff_checkins(kiosk_id, seq) VALUES (?1, ?2)", 0);
}

int export_badges_merge_store(store *s, sqlite3 *in, const char *label, char *err, size_t errlen)
{
	int rc, outer;
	if (validate(in, label, err, errlen) < 0)
		return STORE_EINVAL;
	if ((rc = store_tx_begin(s, &outer)) < 0)
		goto storefail;
	rc = copy_rows(in, store_db(s),
		"INSERT OR IGNORE INTO badge_events(kiosk_id, seq, uid, action, attendee_id, at) "
		"VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
		"INSERT OR IGNORE INTO staff_checkins(kiosk_id, seq) VALUES (?1, ?2)", 1);
	if (rc != SQLITE_OK) {
		store_fail(s, rc, "merging badge events");
		store_tx_end(s, outer, 0);
		goto storefail;
	}
	if (store_tx_end(s, outer, 1) < 0)
		goto storefail;
	return 0;
storefail:
	export_seterr(err, errlen, "cannot merge the staff tables of %s: %s", label, store_errmsg(s));
	return STORE_EIO;
}
