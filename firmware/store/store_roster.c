/* Storage: conference data in (kioskctl imports, the demo): attendees, their groups and
 * badges. Each put checks its text (present where required, valid UTF-8) before any SQL.
 */
#include "store/store_int.h"

#include <stdio.h>
#include <string.h>

/* attendees.id for attendee_id: >0 found, 0 unknown, <0 error. */
int64_t store_attendee_rowid(store *s, const char *attendee_id)
{
	sqlite3_stmt *st = store_stmt(s, SLOT_ATT_ROWID,
				      "SELECT id FROM attendees WHERE attendee_id = ?1");
	int64_t id = 0;
	int rc;
	if (st == NULL)
		return STORE_EIO;
	sqlite3_bind_text(st, 1, attendee_id, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		id = sqlite3_column_int64(st, 0);
	else if (rc != SQLITE_DONE)
		id = store_fail(s, rc, "looking up an attendee");
	sqlite3_reset(st);
	return id;
}

int store_attendee_put(store *s, const store_attendee_in *a)
{
	int rc;
	if (a == NULL)
		return store_einval(s, "no attendee given");
	if ((rc = store_text_ok(s, "attendee_id", a->id, 1)) < 0 ||
	    (rc = store_text_ok(s, "name", a->name, 1)) < 0 ||
	    (rc = store_text_ok(s, "affiliation", a->affiliation, 0)) < 0)
		return rc;
	if (a->visible < STORE_VISIBLE_UNSET || a->visible > STORE_VISIBLE_YES)
		return store_einval(s, "visible must be 1, 0 or unset (attendee %s)", a->id);
	sqlite3_stmt *st = store_stmt(s, SLOT_ATT_PUT,
		"INSERT INTO attendees(attendee_id, name, affiliation, visible) VALUES (?1,?2,?3,?4)");
	if (st == NULL)
		return STORE_EIO;
	sqlite3_bind_text(st, 1, a->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, a->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, a->affiliation ? a->affiliation : "", -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 4, a->visible);
	rc = store_step_done(s, st, "adding an attendee");
	if (rc == STORE_ECONFLICT)
		snprintf(s->err, sizeof s->err, "duplicate attendee_id %s", a->id);
	return rc;
}

int store_attendee_add_group(store *s, const char *attendee_id, const char *group_name)
{
	int rc, outer;
	int64_t who;
	if ((rc = store_text_ok(s, "attendee_id", attendee_id, 1)) < 0 ||
	    (rc = store_text_ok(s, "group name", group_name, 1)) < 0)
		return rc;
	if ((who = store_attendee_rowid(s, attendee_id)) < 0)
		return (int)who;
	if (who == 0)
		return store_einval(s, "unknown attendee %s", attendee_id);
	sqlite3_stmt *g = store_stmt(s, SLOT_GROUP_ENSURE,
				     "INSERT INTO groups(name) VALUES (?1) ON CONFLICT(name) DO NOTHING");
	sqlite3_stmt *m = store_stmt(s, SLOT_MEMBER_PUT,
		"INSERT OR IGNORE INTO memberships(attendee, group_id) "
		"SELECT ?1, id FROM groups WHERE name = ?2");
	if (g == NULL || m == NULL)
		return STORE_EIO;
	if ((rc = store_tx_begin(s, &outer)) < 0)
		return rc;
	sqlite3_bind_text(g, 1, group_name, -1, SQLITE_STATIC);
	sqlite3_bind_int64(m, 1, who);
	sqlite3_bind_text(m, 2, group_name, -1, SQLITE_STATIC);
	if ((rc = store_step_done(s, g, "adding a group")) == 0)
		rc = store_step_done(s, m, "adding a group membership");
	store_tx_end(s, outer, rc == 0);
	return rc;
}

/* "04A1B2C3" for the UID bytes; uid lengths are those of ISO 14443-3 (4, 7, 10). */
int store_uid_hex(store *s, const uint8_t *uid, size_t len, char out[21])
{
	static const char hex[] = "0123456789ABCDEF";
	if (uid == NULL || (len != 4 && len != 7 && len != 10))
		return store_einval(s, "a badge UID is 4, 7 or 10 bytes, not %zu", uid ? len : 0);
	for (size_t i = 0; i < len; i++) {
		out[2 * i] = hex[uid[i] >> 4];
		out[2 * i + 1] = hex[uid[i] & 15];
	}
	out[2 * len] = '\0';
	return 0;
}

int store_badge_put(store *s, const uint8_t *uid, size_t uid_len, const char *attendee_id)
{
	char hex[21];
	int rc;
	int64_t who;
	if ((rc = store_uid_hex(s, uid, uid_len, hex)) < 0 ||
	    (rc = store_text_ok(s, "attendee_id", attendee_id, 1)) < 0)
		return rc;
	if ((who = store_attendee_rowid(s, attendee_id)) < 0)
		return (int)who;
	if (who == 0)
		return store_einval(s, "unknown attendee %s", attendee_id);
	sqlite3_stmt *st = store_stmt(s, SLOT_BADGE_PUT,
		"INSERT INTO badges(uid, attendee) VALUES (?1, ?2) ON CONFLICT(uid) DO NOTHING");
	if (st == NULL)
		return STORE_EIO;
	sqlite3_bind_text(st, 1, hex, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, who);
	if ((rc = store_step_done(s, st, "adding a badge")) < 0 || sqlite3_changes(s->db) == 1)
		return rc;
	/* The UID exists: fine if it is already this attendee's. */
	sqlite3_stmt *o = store_stmt(s, SLOT_BADGE_OWNER,
		"SELECT a.id, a.attendee_id FROM badges b JOIN attendees a ON a.id = b.attendee "
		"WHERE b.uid = ?1");
	if (o == NULL)
		return STORE_EIO;
	sqlite3_bind_text(o, 1, hex, -1, SQLITE_STATIC);
	rc = sqlite3_step(o);
	if (rc == SQLITE_ROW && sqlite3_column_int64(o, 0) != who) {
		snprintf(s->err, sizeof s->err, "badge UID %s already belongs to attendee %s", hex,
			 (const char *)sqlite3_column_text(o, 1));
		rc = STORE_ECONFLICT;
	} else {
		rc = rc == SQLITE_ROW ? 0 : store_fail(s, rc, "checking a badge");
	}
	sqlite3_reset(o);
	return rc;
}

int store_attendee_set_visible(store *s, const char *attendee_id, int visible)
{
	int rc;
	if ((rc = store_text_ok(s, "attendee_id", attendee_id, 1)) < 0)
		return rc;
	if (visible < STORE_VISIBLE_UNSET || visible > STORE_VISIBLE_YES)
		return store_einval(s, "visible must be 1, 0 or -1, not %d", visible);
	sqlite3_stmt *st = store_stmt(s, SLOT_ATT_VISIBLE,
				      "UPDATE attendees SET visible = ?2 WHERE attendee_id = ?1");
	if (st == NULL)
		return STORE_EIO;
	sqlite3_bind_text(st, 1, attendee_id, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, visible);
	if ((rc = store_step_done(s, st, "saving visibility")) < 0)
		return rc;
	if (sqlite3_changes(s->db) == 0)
		return store_einval(s, "unknown attendee %s", attendee_id);
	return 0;
}
