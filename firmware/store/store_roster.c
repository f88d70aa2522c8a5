/* Storage: conference data in (kioskctl imports, the demo): attendees, their groups and
 * badges. Each put checks its text (present where required, valid UTF-8) before any SQL.
 */
#include "store/store_int.h"
#include "store/export.h"

#include <stdio.h>
#include <string.h>

/* attendees.id for attendee_id: >0 found, 0 unknown, <0 error. */
int64_t store_attendee_rowid(store *s, const char *attendee_id)
{
	sqlite3_stmt *st = store_query(s, SLOT_ATT_ROWID, "SELECT id FROM attendees WHERE "
				       "attendee_id = ?1", "t", attendee_id);
	int64_t id = st ? store_step_row(s, st, "looking up an attendee") : STORE_EIO;
	if (id == 1) {
		id = sqlite3_column_int64(st, 0);
		sqlite3_reset(st);
	}
	return id;
}

int64_t store_attendee_known(store *s, const char *attendee_id)
{
	int64_t who = store_attendee_rowid(s, attendee_id);
	if (who == 0)
		return store_einval(s, "unknown attendee %s", attendee_id);
	return who;
}

int store_group_ensure(store *s, const char *group_name)
{
	return store_write(s, SLOT_GROUP_ENSURE,
			   "INSERT INTO groups(name) VALUES (?1) ON CONFLICT(name) DO NOTHING",
			   "adding a group", "t", group_name);
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
	rc = store_write(s, SLOT_ATT_PUT, "INSERT INTO attendees(attendee_id, name, affiliation, "
			 "visible) VALUES (?1,?2,?3,?4)", "adding an attendee", "ttti", a->id,
			 a->name, a->affiliation, a->visible);
	if (rc == STORE_ECONFLICT)
		snprintf(s->err, sizeof s->err, "duplicate attendee_id %s", a->id);
	if (rc == 0) /* the staff name search (store_staff.c) */
		rc = store_staff_index(s, sqlite3_last_insert_rowid(s->db), a->name);
	return rc;
}

int store_attendee_add_group(store *s, const char *attendee_id, const char *group_name)
{
	int rc, outer;
	int64_t who;
	if ((rc = store_text_ok(s, "attendee_id", attendee_id, 1)) < 0 ||
	    (rc = store_text_ok(s, "group name", group_name, 1)) < 0)
		return rc;
	if ((who = store_attendee_known(s, attendee_id)) < 0)
		return (int)who;
	if ((rc = store_tx_begin(s, &outer)) < 0)
		return rc;
	if ((rc = store_group_ensure(s, group_name)) == 0)
		rc = store_write(s, SLOT_MEMBER_PUT, "INSERT OR IGNORE INTO memberships(attendee, "
				 "group_id) SELECT ?1, id FROM groups WHERE name = ?2",
				 "adding a group membership", "It", who, group_name);
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
	if ((who = store_attendee_known(s, attendee_id)) < 0)
		return (int)who;
	if ((rc = store_write(s, SLOT_BADGE_PUT, "INSERT INTO badges(uid, attendee) VALUES "
			      "(?1, ?2) ON CONFLICT(uid) DO NOTHING", "adding a badge", "tI", hex,
			      who)) < 0 || sqlite3_changes(s->db) == 1)
		return rc;
	/* The UID exists: fine if it is already this attendee's. */
	sqlite3_stmt *o = store_query(s, SLOT_BADGE_OWNER,
		"SELECT a.id, a.attendee_id FROM badges b JOIN attendees a ON a.id = b.attendee "
		"WHERE b.uid = ?1", "t", hex);
	if (o == NULL)
		return STORE_EIO;
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
	int outer = 0;
	if ((rc = store_tx_begin(s, &outer)) < 0)
		return rc;
	if ((rc = store_write(s, SLOT_ATT_VISIBLE, "UPDATE attendees SET visible = ?2 WHERE "
			      "attendee_id = ?1", "saving visibility", "ti", attendee_id,
			      visible)) == 0 && sqlite3_changes(s->db) == 0)
		rc = store_einval(s, "unknown attendee %s", attendee_id);
	/* The answer travels to the other kiosks (export.h, the exchange). */
	if (rc == 0)
		rc = store_consent_record(s, attendee_id, visible);
	if (rc < 0) {
		store_tx_end(s, outer, 0);
		return rc;
	}
	return store_tx_end(s, outer, 1);
}
