/* Every colleague: the pages behind welcome's "+N more" and "+N more groups".
 *
 * Welcome gets the newest twelve per group with the tap (store_colleagues in store_tap.c). The
 * colleague list pages through the rest on the UI thread's read-only connection, one page per
 * scroll step, with a keyset on (checked_in_at, attendee) descending: each page is one range
 * of the group_presence_recent index (group_id, visible, checked_in_at; the table's key adds
 * attendee), so a page deep in a group of 100,000 costs what the first one does, and nothing
 * holds more than a page (make bench: "colleague list").
 *
 * The visible rule is welcome's: the trigger-kept copy narrows the range, and the listed names
 * are checked against attendees.visible itself.
 */
#include "store/store_int.h"

#include <string.h>

int store_colleagues_page(store *s, const char *attendee_id, const char *group,
			  int64_t day_start, store_colleague_cursor *cur, store_colleague *out,
			  int max)
{
	int64_t who;
	int n = 0, rc;
	sqlite3_stmt *st;

	if (max <= 0 || attendee_id == NULL || group == NULL || cur == NULL)
		return STORE_EINVAL;
	if ((who = store_attendee_rowid(s, attendee_id)) <= 0)
		return (int)who;
	/* The row-value comparison keeps it one index range; a fresh cursor starts above all. */
	st = store_query(s, SLOT_COLL_PAGE,
		"SELECT a.name, a.affiliation, coalesce(k.location, gp.kiosk_id), gp.checked_in_at, "
		"gp.attendee "
		"FROM group_presence gp JOIN attendees a ON a.id = gp.attendee "
		"LEFT JOIN kiosks k ON k.kiosk_id = gp.kiosk_id "
		"WHERE gp.group_id = (SELECT id FROM groups WHERE name = ?1) AND gp.visible = 1 "
		"AND gp.checked_in_at >= ?2 AND gp.attendee <> ?3 AND a.visible = 1 "
		"AND (gp.checked_in_at, gp.attendee) < (?4, ?5) "
		"ORDER BY gp.checked_in_at DESC, gp.attendee DESC LIMIT ?6",
		"tIIIIi", group, day_start, who, cur->started ? cur->at : INT64_MAX,
		cur->started ? cur->key : INT64_MAX, max);
	if (st == NULL)
		return STORE_EIO;
	while (n < max && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		store_colleague *c = &out[n++];
		memset(c, 0, sizeof *c);
		store_col_text(st, 0, c->name, sizeof c->name);
		store_col_text(st, 1, c->affiliation, sizeof c->affiliation);
		store_col_text(st, 2, c->location, sizeof c->location);
		c->checked_in_at = sqlite3_column_int64(st, 3);
		cur->started = 1;
		cur->at = c->checked_in_at;
		cur->key = sqlite3_column_int64(st, 4);
	}
	if (n < max && rc != SQLITE_DONE) {
		rc = store_fail(s, rc, "listing colleagues");
		sqlite3_reset(st);
		return rc;
	}
	sqlite3_reset(st);
	return n;
}

int store_attendee_groups(store *s, const char *attendee_id, int64_t day_start,
			  store_group_count *out, int max)
{
	int64_t who;
	int n = 0, rc;
	sqlite3_stmt *st;

	if (max <= 0 || attendee_id == NULL)
		return STORE_EINVAL;
	if ((who = store_attendee_rowid(s, attendee_id)) <= 0)
		return (int)who;
	/* The count is store_colleagues' total, one covering index range per group, stopped at
	 * the cap: a whole group of 100,000 is 30 ms here (make bench), 5000 about a frame's tenth. */
	st = store_query(s, SLOT_COLL_ALL_GROUPS,
		"SELECT g.name, (SELECT count(*) FROM (SELECT 1 FROM group_presence gp "
		"WHERE gp.group_id = g.id AND gp.visible = 1 AND gp.checked_in_at >= ?2 "
		"AND gp.attendee <> ?1 LIMIT ?3)) "
		"FROM memberships m JOIN groups g ON g.id = m.group_id "
		"WHERE m.attendee = ?1 ORDER BY g.name COLLATE NOCASE, g.name",
		"IIi", who, day_start, STORE_GROUP_COUNT_CAP);
	if (st == NULL)
		return STORE_EIO;
	while (n < max && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		memset(&out[n], 0, sizeof out[n]);
		store_col_text(st, 0, out[n].group, sizeof out[n].group);
		out[n].total = sqlite3_column_int(st, 1);
		n++;
	}
	if (n < max && rc != SQLITE_DONE) {
		rc = store_fail(s, rc, "listing groups");
		sqlite3_reset(st);
		return rc;
	}
	sqlite3_reset(st);
	return n;
}
