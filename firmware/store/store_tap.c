/* Storage: the tap path. A badge to an attendee, the durable check-in, and "who of my
 * groups is here today" -- the three queries behind every tap, kept fast by the derived
 * presence tables (see store_schema.c), which store_presence_rebuild recomputes.
 */
#include "store/store_int.h"

#include <string.h>

static void attendee_row(sqlite3_stmt *st, store_attendee *out)
{
	store_col_text(st, 0, out->id, sizeof out->id);
	store_col_text(st, 1, out->name, sizeof out->name);
	store_col_text(st, 2, out->affiliation, sizeof out->affiliation);
	out->visible = sqlite3_column_int(st, 3);
}

/* Runs a bound attendee query (NULL: it failed to prepare): 1 with out filled, 0 for no row,
 * or an error. */
static int attendee_step(store *s, sqlite3_stmt *st, store_attendee *out)
{
	int rc = st ? store_step_row(s, st, "looking up a badge") : STORE_EIO;
	if (rc == 1) {
		attendee_row(st, out);
		sqlite3_reset(st);
	}
	return rc;
}

int store_badge_lookup(store *s, const char *ndef_attendee_id, const uint8_t *uid,
		       size_t uid_len, store_attendee *out)
{
	int rc;
	if (ndef_attendee_id && ndef_attendee_id[0]) {
		if ((rc = attendee_step(s, store_query(s, SLOT_ATT_GET,
			"SELECT attendee_id, name, affiliation, visible FROM attendees "
			"WHERE attendee_id = ?1", "t", ndef_attendee_id), out)) != 0)
			return rc; /* found, or an error; not found falls back to the UID */
	}
	char hex[21];
	if (uid == NULL || uid_len == 0 || store_uid_hex(s, uid, uid_len, hex) < 0)
		return 0; /* an odd UID is simply not one of ours */
	return attendee_step(s, store_query(s, SLOT_BADGE_GET,
		"SELECT a.attendee_id, a.name, a.affiliation, a.visible "
		"FROM badges b JOIN attendees a ON a.id = b.attendee WHERE b.uid = ?1", "t", hex),
		out);
}

/* One row (seq, checked_in_at) or none; returns 1/0 or an error. */
static int step_pair(store *s, sqlite3_stmt *st, int64_t *a, int64_t *b, const char *what)
{
	int rc = store_step_row(s, st, what);
	if (rc == 1) {
		*a = sqlite3_column_int64(st, 0);
		*b = sqlite3_column_int64(st, 1);
		sqlite3_reset(st);
	}
	return rc;
}

int store_checkin_record(store *s, const char *attendee_id, int64_t now, int64_t day_start,
			 store_tap *out)
{
	int rc, outer, found;
	int64_t seq = 0, at = 0, who;
	store_tap tap = { 0 };

	if (s->kiosk_id[0] == '\0')
		return store_einval(s, "this kiosk has no id yet (store_kiosk_set)");
	if ((rc = store_text_ok(s, "attendee_id", attendee_id, 1)) < 0)
		return rc;
	/* The export writes times as 1970..9999 text; anything else is a broken clock. */
	if (now < STORE_ISO_MIN || now > STORE_ISO_MAX)
		return store_einval(s, "the clock reads an impossible time (%lld)", (long long)now);
	sqlite3_stmt *here = store_stmt(s, SLOT_TAP_LAST_HERE,
		"SELECT seq, checked_in_at FROM checkins WHERE attendee_id = ?1 AND kiosk_id = ?2 "
		"ORDER BY seq DESC LIMIT 1");
	sqlite3_stmt *any = store_stmt(s, SLOT_TAP_LAST_ANY,
		"SELECT seq, checked_in_at FROM presence WHERE attendee_id = ?1");
	sqlite3_stmt *next = store_stmt(s, SLOT_TAP_NEXT_SEQ,
		"SELECT coalesce(max(seq), 0) + 1, 0 FROM checkins WHERE kiosk_id = ?1");
	sqlite3_stmt *ins = store_stmt(s, SLOT_TAP_INSERT,
		"INSERT INTO checkins(kiosk_id, seq, attendee_id, checked_in_at) VALUES (?1,?2,?3,?4)");
	if (here == NULL || any == NULL || next == NULL || ins == NULL)
		return STORE_EIO;
	if ((who = store_attendee_known(s, attendee_id)) < 0)
		return (int)who;

	if ((rc = store_tx_begin(s, &outer)) < 0)
		return rc;
	sqlite3_bind_text(here, 1, attendee_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(here, 2, s->kiosk_id, -1, SQLITE_STATIC);
	if ((found = step_pair(s, here, &seq, &at, "checking for a repeat tap")) < 0) {
		rc = found;
		goto fail;
	}
	/* A clock that went backwards (now < at) is not a repeat: store the tap. */
	if (found && now >= at && now - at < s->repeat_window) {
		tap.repeat = 1;
		tap.seq = seq;
		tap.checked_in_at = at;
	}
	sqlite3_bind_text(any, 1, attendee_id, -1, SQLITE_STATIC);
	if ((found = step_pair(s, any, &seq, &at, "checking today's check-ins")) < 0) {
		rc = found;
		goto fail;
	}
	/* presence holds the newest check-in of the attendee at any kiosk. */
	tap.first_today = !(found && at >= day_start);
	if (tap.repeat) {
		store_tx_end(s, outer, 1);
		*out = tap;
		return 0;
	}
	sqlite3_bind_text(next, 1, s->kiosk_id, -1, SQLITE_STATIC);
	if ((rc = step_pair(s, next, &seq, &at, "numbering the check-in")) < 0)
		goto fail;
	sqlite3_bind_text(ins, 1, s->kiosk_id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(ins, 2, seq);
	sqlite3_bind_text(ins, 3, attendee_id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(ins, 4, now);
	if ((rc = store_step_done(s, ins, "recording the check-in")) < 0)
		goto fail;
	if ((rc = store_tx_end(s, outer, 1)) < 0) {
		if (!outer && !sqlite3_get_autocommit(s->db))
			store_tx_end(s, 0, 0);
		return rc;
	}
	tap.seq = seq;
	tap.checked_in_at = now;
	*out = tap;
	return 0;
fail:
	store_tx_end(s, outer, 0);
	return rc;
}

int store_colleagues(store *s, const char *attendee_id, int64_t day_start,
		     store_group_colleagues *out, int max_groups)
{
	int64_t who;
	int n = 0, rc;

	if (max_groups <= 0 || attendee_id == NULL)
		return 0;
	if ((who = store_attendee_rowid(s, attendee_id)) <= 0)
		return (int)who;
	sqlite3_stmt *groups = store_stmt(s, SLOT_COLL_GROUPS,
		"SELECT g.id, g.name FROM memberships m JOIN groups g ON g.id = m.group_id "
		"WHERE m.attendee = ?1 ORDER BY g.name COLLATE NOCASE, g.name");
	/* The total counts the trigger-kept copy of visible (one covering index range, fast on
	 * groups of thousands); the names listed are checked against attendees.visible itself,
	 * so no one hidden is ever shown even if the copy were stale. */
	sqlite3_stmt *total = store_stmt(s, SLOT_COLL_TOTAL,
		"SELECT count(*) FROM group_presence "
		"WHERE group_id = ?1 AND visible = 1 AND checked_in_at >= ?2 AND attendee <> ?3");
	sqlite3_stmt *list = store_stmt(s, SLOT_COLL_LIST,
		"SELECT a.name, a.affiliation, coalesce(k.location, gp.kiosk_id), gp.checked_in_at "
		"FROM group_presence gp JOIN attendees a ON a.id = gp.attendee "
		"LEFT JOIN kiosks k ON k.kiosk_id = gp.kiosk_id "
		"WHERE gp.group_id = ?1 AND gp.visible = 1 AND gp.checked_in_at >= ?2 "
		"AND gp.attendee <> ?3 AND a.visible = 1 "
		"ORDER BY gp.checked_in_at DESC, gp.attendee DESC LIMIT " "12");
	_Static_assert(STORE_COLLEAGUES_MAX == 12, "keep the LIMIT above in step");
	if (groups == NULL || total == NULL || list == NULL)
		return STORE_EIO;
	sqlite3_bind_int64(groups, 1, who);
	while (n < max_groups && (rc = sqlite3_step(groups)) == SQLITE_ROW) {
		store_group_colleagues *g = &out[n];
		int64_t gid = sqlite3_column_int64(groups, 0);
		memset(g, 0, sizeof *g);
		store_col_text(groups, 1, g->group, sizeof g->group);

		sqlite3_reset(total);
		sqlite3_bind_int64(total, 1, gid);
		sqlite3_bind_int64(total, 2, day_start);
		sqlite3_bind_int64(total, 3, who);
		if ((rc = sqlite3_step(total)) != SQLITE_ROW)
			goto fail;
		g->total = sqlite3_column_int(total, 0);
		sqlite3_reset(total);

		sqlite3_reset(list);
		sqlite3_bind_int64(list, 1, gid);
		sqlite3_bind_int64(list, 2, day_start);
		sqlite3_bind_int64(list, 3, who);
		while (g->count < STORE_COLLEAGUES_MAX && (rc = sqlite3_step(list)) == SQLITE_ROW) {
			store_colleague *c = &g->colleagues[g->count++];
			store_col_text(list, 0, c->name, sizeof c->name);
			store_col_text(list, 1, c->affiliation, sizeof c->affiliation);
			store_col_text(list, 2, c->location, sizeof c->location);
			c->checked_in_at = sqlite3_column_int64(list, 3);
		}
		sqlite3_reset(list);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE)
			goto fail;
		n++;
	}
	if (n < max_groups && rc != SQLITE_DONE)
		goto fail;
	sqlite3_reset(groups);
	return n;
fail:
	rc = store_fail(s, rc, "finding colleagues");
	sqlite3_reset(groups);
	sqlite3_reset(total);
	sqlite3_reset(list);
	return rc;
}

int store_presence_rebuild(store *s)
{
	int rc, outer;
	if ((rc = store_tx_begin(s, &outer)) < 0)
		return rc;
	/* SQLite takes the bare columns of a max() aggregate from the row holding the max. */
	rc = store_exec(s,
		"DELETE FROM group_presence; DELETE FROM presence;"
		"INSERT INTO presence(attendee_id, kiosk_id, seq, checked_in_at)"
		" SELECT attendee_id, kiosk_id, seq, max(checked_in_at) FROM checkins"
		" GROUP BY attendee_id;"
		"INSERT INTO group_presence(attendee, group_id, visible, checked_in_at, kiosk_id)"
		" SELECT a.id, m.group_id, a.visible, p.checked_in_at, p.kiosk_id"
		" FROM presence p JOIN attendees a ON a.attendee_id = p.attendee_id"
		" JOIN memberships m ON m.attendee = a.id;",
		"rebuilding presence");
	/* The export-shaped copy of the log, if a bulk load went around its trigger. */
	if (rc == 0)
		rc = store_exec(s,
			"INSERT OR IGNORE INTO export_checkins(kiosk_id, seq, attendee_id, checked_in_at)"
			" SELECT kiosk_id, seq, attendee_id,"
			"  strftime('%Y-%m-%dT%H:%M:%SZ', checked_in_at, 'unixepoch') FROM checkins"
			" WHERE (SELECT count(*) FROM export_checkins) <> (SELECT count(*) FROM checkins)",
			"rebuilding the export log");
	if (rc < 0) {
		store_tx_end(s, outer, 0);
		return rc;
	}
	return store_tx_end(s, outer, 1);
}
