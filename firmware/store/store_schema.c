/* Schema and migrations of the kiosk database.
 *
 * PRAGMA user_version is the schema version; migrations[i] takes a database from version i to
 * i + 1 inside one transaction, so a power cut mid-migration leaves the old version intact.
 * A fresh file runs them all. To change the schema, append a migration; never edit one that
 * has shipped.
 *
 * Check-ins are append-only and keyed (kiosk_id, seq): a Pi has no RTC, so neither identity
 * nor order depends on the wall clock. The tap path needs "who of my groups is here today,
 * newest first" in well under a millisecond on 100,000 attendees and a million check-ins, so
 * two derived tables are kept by triggers in the same transaction as every check-in (whoever
 * writes it: a tap, a merge, a tool):
 *   presence        attendee_id -> their latest check-in (any kiosk)
 *   group_presence  (attendee, group) -> latest check-in and the attendee's visible flag,
 *                   indexed by (group, visible, time) so a group's visible members here today
 *                   are one index range, newest first.
 * The colleague query still joins attendees.visible = 1, so the privacy rule never rests on
 * the derived copy alone.
 *
 * export_checkins is the check-in log already in the export's exact shape (ISO 8601 text
 * times), written by a trigger beside each check-in. An export is taken while someone waits
 * at the kiosk with a stick; this way it is SQLite's raw table-to-table copy instead of a
 * million conversions, for one more small insert per tap (whose cost is the fsync anyway).
 */
#include "store/store_int.h"

#include <stdio.h>
#include <string.h>

static const char *const migrations[] = {
	/* 0 -> 1: the first schema. */
	"CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;\n"
	"CREATE TABLE attendees(\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  attendee_id TEXT NOT NULL UNIQUE,\n"
	"  name TEXT NOT NULL,\n"
	"  affiliation TEXT NOT NULL DEFAULT '',\n"
	"  visible INTEGER NOT NULL DEFAULT -1 CHECK (visible IN (-1, 0, 1)),\n"
	"  groups TEXT NOT NULL DEFAULT '');\n" /* "A; B", kept by the membership triggers */
	"CREATE TABLE badges(\n"
	"  uid TEXT PRIMARY KEY,\n" /* upper-case hex */
	"  attendee INTEGER NOT NULL REFERENCES attendees(id) ON DELETE CASCADE) WITHOUT ROWID;\n"
	"CREATE INDEX badges_attendee ON badges(attendee);\n"
	"CREATE TABLE groups(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);\n"
	"CREATE TABLE memberships(\n"
	"  attendee INTEGER NOT NULL REFERENCES attendees(id) ON DELETE CASCADE,\n"
	"  group_id INTEGER NOT NULL REFERENCES groups(id) ON DELETE CASCADE,\n"
	"  PRIMARY KEY (attendee, group_id)) WITHOUT ROWID;\n"
	"CREATE INDEX memberships_group ON memberships(group_id);\n"
	"CREATE TABLE rooms(\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  name TEXT NOT NULL UNIQUE,\n"
	"  floor INTEGER NOT NULL DEFAULT 0,\n"
	"  floor_name TEXT NOT NULL DEFAULT '',\n"
	"  area TEXT NOT NULL DEFAULT '',\n"
	"  polygon TEXT NOT NULL DEFAULT '');\n"
	"CREATE TABLE tracks(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);\n"
	"CREATE TABLE sessions(\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  session_id TEXT NOT NULL UNIQUE,\n"
	"  title TEXT NOT NULL,\n"
	"  track INTEGER REFERENCES tracks(id),\n"
	"  room INTEGER REFERENCES rooms(id),\n"
	"  speakers TEXT NOT NULL DEFAULT '',\n"
	"  start_at INTEGER NOT NULL,\n"
	"  end_at INTEGER NOT NULL,\n"
	"  CHECK (end_at > start_at));\n"
	"CREATE INDEX sessions_start ON sessions(start_at);\n"
	"CREATE INDEX sessions_end ON sessions(end_at);\n"
	"CREATE INDEX sessions_track ON sessions(track, start_at);\n"
	"CREATE INDEX sessions_room ON sessions(room, start_at);\n"
	"CREATE TABLE session_groups(\n"
	"  group_id INTEGER NOT NULL REFERENCES groups(id) ON DELETE CASCADE,\n"
	"  session INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,\n"
	"  PRIMARY KEY (group_id, session)) WITHOUT ROWID;\n"
	"CREATE INDEX session_groups_session ON session_groups(session);\n"
	/* rowid = sessions.id; text is CJK-segmented (store_fts_segment). */
	"CREATE VIRTUAL TABLE session_fts USING fts5(title, track, speakers, room,\n"
	"  tokenize = 'unicode61 remove_diacritics 2');\n"
	"CREATE TABLE kiosks(\n"
	"  kiosk_id TEXT PRIMARY KEY,\n"
	"  location TEXT NOT NULL DEFAULT '',\n"
	"  software_version TEXT NOT NULL DEFAULT '') WITHOUT ROWID;\n"
	/* attendee_id is text, not a reference: merged exports may name attendees this
	 * kiosk's roster does not (yet) have, and a roster reload must not touch check-ins. */
	"CREATE TABLE checkins(\n"
	"  kiosk_id TEXT NOT NULL,\n"
	"  seq INTEGER NOT NULL CHECK (seq > 0),\n"
	"  attendee_id TEXT NOT NULL,\n"
	"  checked_in_at INTEGER NOT NULL CHECK (checked_in_at BETWEEN 0 AND 253402300799),\n"
	"  PRIMARY KEY (kiosk_id, seq)) WITHOUT ROWID;\n"
	"CREATE INDEX checkins_attendee ON checkins(attendee_id, kiosk_id, seq);\n"
	"CREATE INDEX checkins_time ON checkins(checked_in_at);\n"
	"CREATE TABLE export_checkins(\n" /* columns, types and key exactly as in export.c */
	"  kiosk_id TEXT NOT NULL,\n"
	"  seq INTEGER NOT NULL,\n"
	"  attendee_id TEXT NOT NULL,\n"
	"  checked_in_at TEXT NOT NULL,\n"
	"  PRIMARY KEY (kiosk_id, seq)) WITHOUT ROWID;\n"
	/* Names for the export, in its exact shape too; kept when an attendee leaves the roster,
	 * since their check-ins stay. */
	"CREATE TABLE export_attendees(\n"
	"  attendee_id TEXT PRIMARY KEY,\n"
	"  name TEXT NOT NULL,\n"
	"  affiliation TEXT NOT NULL DEFAULT '',\n"
	"  groups TEXT NOT NULL DEFAULT '') WITHOUT ROWID;\n"
	/* Upserts, not INSERT OR REPLACE, in triggers: the OR-clause of the statement that
	 * fires a trigger overrides the one inside it (an INSERT OR IGNORE would turn a
	 * replace into nothing); an upsert's DO UPDATE holds whatever fired it. */
	"CREATE TRIGGER attendees_export_add AFTER INSERT ON attendees BEGIN\n"
	"  INSERT INTO export_attendees(attendee_id, name, affiliation, groups)\n"
	"    VALUES (NEW.attendee_id, NEW.name, NEW.affiliation, NEW.groups)\n"
	"    ON CONFLICT(attendee_id) DO UPDATE SET name = excluded.name,\n"
	"      affiliation = excluded.affiliation, groups = excluded.groups;\n"
	"END;\n"
	"CREATE TRIGGER attendees_export_change\n"
	"  AFTER UPDATE OF attendee_id, name, affiliation, groups ON attendees BEGIN\n"
	"  INSERT INTO export_attendees(attendee_id, name, affiliation, groups)\n"
	"    VALUES (NEW.attendee_id, NEW.name, NEW.affiliation, NEW.groups)\n"
	"    ON CONFLICT(attendee_id) DO UPDATE SET name = excluded.name,\n"
	"      affiliation = excluded.affiliation, groups = excluded.groups;\n"
	"END;\n"
	"CREATE TRIGGER checkins_export AFTER INSERT ON checkins BEGIN\n"
	"  INSERT INTO export_checkins(kiosk_id, seq, attendee_id, checked_in_at)\n"
	"    VALUES (NEW.kiosk_id, NEW.seq, NEW.attendee_id,\n"
	"            strftime('%Y-%m-%dT%H:%M:%SZ', NEW.checked_in_at, 'unixepoch'))\n"
	"    ON CONFLICT(kiosk_id, seq) DO UPDATE SET attendee_id = excluded.attendee_id,\n"
	"      checked_in_at = excluded.checked_in_at;\n"
	"END;\n"
	"CREATE TRIGGER checkins_unexport AFTER DELETE ON checkins BEGIN\n"
	"  DELETE FROM export_checkins WHERE kiosk_id = OLD.kiosk_id AND seq = OLD.seq;\n"
	"END;\n"
	"CREATE TRIGGER checkins_no_update BEFORE UPDATE ON checkins BEGIN\n"
	"  SELECT RAISE(ABORT, 'check-ins are append-only');\n"
	"END;\n"
	"CREATE TABLE presence(\n"
	"  attendee_id TEXT PRIMARY KEY,\n"
	"  kiosk_id TEXT NOT NULL,\n"
	"  seq INTEGER NOT NULL,\n"
	"  checked_in_at INTEGER NOT NULL) WITHOUT ROWID;\n"
	"CREATE INDEX presence_time ON presence(checked_in_at);\n"
	"CREATE TABLE group_presence(\n"
	"  attendee INTEGER NOT NULL REFERENCES attendees(id) ON DELETE CASCADE,\n"
	"  group_id INTEGER NOT NULL REFERENCES groups(id) ON DELETE CASCADE,\n"
	"  visible INTEGER NOT NULL,\n"
	"  checked_in_at INTEGER NOT NULL,\n"
	"  kiosk_id TEXT NOT NULL,\n"
	"  PRIMARY KEY (attendee, group_id)) WITHOUT ROWID;\n"
	"CREATE INDEX group_presence_recent ON group_presence(group_id, visible, checked_in_at);\n"
	"CREATE TRIGGER checkins_presence AFTER INSERT ON checkins BEGIN\n"
	"  INSERT INTO presence(attendee_id, kiosk_id, seq, checked_in_at)\n"
	"    VALUES (NEW.attendee_id, NEW.kiosk_id, NEW.seq, NEW.checked_in_at)\n"
	"    ON CONFLICT(attendee_id) DO UPDATE SET kiosk_id = excluded.kiosk_id,\n"
	"      seq = excluded.seq, checked_in_at = excluded.checked_in_at\n"
	"    WHERE excluded.checked_in_at >= presence.checked_in_at;\n"
	"  INSERT INTO group_presence(attendee, group_id, visible, checked_in_at, kiosk_id)\n"
	"    SELECT a.id, m.group_id, a.visible, NEW.checked_in_at, NEW.kiosk_id\n"
	"    FROM attendees a JOIN memberships m ON m.attendee = a.id\n"
	"    WHERE a.attendee_id = NEW.attendee_id\n"
	"    ON CONFLICT(attendee, group_id) DO UPDATE SET\n"
	"      checked_in_at = excluded.checked_in_at, kiosk_id = excluded.kiosk_id\n"
	"    WHERE excluded.checked_in_at >= group_presence.checked_in_at;\n"
	"END;\n"
	"CREATE TRIGGER memberships_presence AFTER INSERT ON memberships BEGIN\n"
	"  INSERT INTO group_presence(attendee, group_id, visible, checked_in_at, kiosk_id)\n"
	"    SELECT a.id, NEW.group_id, a.visible, p.checked_in_at, p.kiosk_id\n"
	"    FROM attendees a JOIN presence p ON p.attendee_id = a.attendee_id\n"
	"    WHERE a.id = NEW.attendee\n"
	"    ON CONFLICT(attendee, group_id) DO UPDATE SET visible = excluded.visible,\n"
	"      checked_in_at = excluded.checked_in_at, kiosk_id = excluded.kiosk_id;\n"
	"END;\n"
	"CREATE TRIGGER memberships_unpresence AFTER DELETE ON memberships BEGIN\n"
	"  DELETE FROM group_presence WHERE attendee = OLD.attendee AND group_id = OLD.group_id;\n"
	"END;\n"
	"CREATE TRIGGER memberships_groups_add AFTER INSERT ON memberships BEGIN\n"
	"  UPDATE attendees SET groups = coalesce((SELECT group_concat(name, '; ') FROM\n"
	"    (SELECT g.name FROM memberships m JOIN groups g ON g.id = m.group_id\n"
	"     WHERE m.attendee = NEW.attendee ORDER BY g.name COLLATE NOCASE, g.name)), '')\n"
	"  WHERE id = NEW.attendee;\n"
	"END;\n"
	"CREATE TRIGGER memberships_groups_del AFTER DELETE ON memberships BEGIN\n"
	"  UPDATE attendees SET groups = coalesce((SELECT group_concat(name, '; ') FROM\n"
	"    (SELECT g.name FROM memberships m JOIN groups g ON g.id = m.group_id\n"
	"     WHERE m.attendee = OLD.attendee ORDER BY g.name COLLATE NOCASE, g.name)), '')\n"
	"  WHERE id = OLD.attendee;\n"
	"END;\n"
	"CREATE TRIGGER groups_rename AFTER UPDATE OF name ON groups BEGIN\n"
	"  UPDATE attendees SET groups = coalesce((SELECT group_concat(name, '; ') FROM\n"
	"    (SELECT g.name FROM memberships m JOIN groups g ON g.id = m.group_id\n"
	"     WHERE m.attendee = attendees.id ORDER BY g.name COLLATE NOCASE, g.name)), '')\n"
	"  WHERE id IN (SELECT attendee FROM memberships WHERE group_id = NEW.id);\n"
	"END;\n"
	"CREATE TRIGGER attendees_visible AFTER UPDATE OF visible ON attendees BEGIN\n"
	"  UPDATE group_presence SET visible = NEW.visible WHERE attendee = NEW.id;\n"
	"END;\n",
	/* v2: exchange: consent answers that travel between kiosks (latest wins), and what this
	 * kiosk has merged of each other kiosk, so a live merge reads only what is new. */
	"CREATE TABLE consent(\n" /* the latest answer known per attendee, from any kiosk */
	"  attendee_id TEXT PRIMARY KEY,\n"
	"  visible INTEGER NOT NULL CHECK (visible IN (0, 1)),\n"
	"  answered_at INTEGER NOT NULL,\n" /* unix seconds */
	"  kiosk_id TEXT NOT NULL,\n"        /* where it was given */
	"  at_seq INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID;\n" /* own answers: the seq block that publishes it */
	"CREATE INDEX consent_kiosk ON consent(kiosk_id, at_seq);\n"
	/* An attendee who joins the roster after answering elsewhere gets the answer. */
	"CREATE TRIGGER attendees_consent AFTER INSERT ON attendees WHEN NEW.visible = -1 BEGIN\n"
	"  UPDATE attendees SET visible = (SELECT visible FROM consent\n"
	"    WHERE attendee_id = NEW.attendee_id) WHERE id = NEW.id\n"
	"    AND EXISTS (SELECT 1 FROM consent WHERE attendee_id = NEW.attendee_id);\n"
	"END;\n"
	"CREATE TABLE exchange_seen(\n" /* per source kiosk: seqs 1..contiguous are all here */
	"  kiosk_id TEXT PRIMARY KEY,\n"
	"  contiguous INTEGER NOT NULL) WITHOUT ROWID;\n"
	"CREATE TABLE exchange_files(\n" /* per file name merged: how it looked then */
	"  name TEXT PRIMARY KEY,\n"
	"  size INTEGER NOT NULL,\n"
	"  mtime_ns INTEGER NOT NULL,\n"
	"  digest INTEGER NOT NULL,\n" /* FNV-1a of the file (of its header when large) */
	"  sealed INTEGER NOT NULL) WITHOUT ROWID;\n",
	/* v3: staff: staff check-ins, badge bindings and revocations that travel between kiosks,
	 * and the attendee name index for the staff search (store_staff.c). */
	"CREATE TABLE staff_checkins(\n" /* check-ins a staff member made on someone's behalf */
	"  kiosk_id TEXT NOT NULL,\n"
	"  seq INTEGER NOT NULL,\n"
	"  PRIMARY KEY (kiosk_id, seq)) WITHOUT ROWID;\n"
	/* Append-only like check-ins and keyed the same way; the latest event per uid (at, then
	 * kiosk_id, then seq) decides whether the card is bound and to whom. */
	"CREATE TABLE badge_events(\n"
	"  kiosk_id TEXT NOT NULL,\n"
	"  seq INTEGER NOT NULL CHECK (seq > 0),\n"
	"  uid TEXT NOT NULL,\n" /* upper-case hex */
	"  action TEXT NOT NULL CHECK (action IN ('bind', 'revoke')),\n"
	"  attendee_id TEXT NOT NULL,\n"
	"  at INTEGER NOT NULL CHECK (at BETWEEN 0 AND 253402300799),\n"
	"  PRIMARY KEY (kiosk_id, seq)) WITHOUT ROWID;\n"
	"CREATE INDEX badge_events_uid ON badge_events(uid, at, kiosk_id, seq);\n"
	"CREATE TABLE revoked_badges(uid TEXT PRIMARY KEY) WITHOUT ROWID;\n"
	/* Whoever inserts an event (a staff action, a merge), the badges table follows the
	 * latest one; an older event arriving late changes nothing. */
	"CREATE TRIGGER badge_events_apply AFTER INSERT ON badge_events\n"
	"  WHEN NOT EXISTS (SELECT 1 FROM badge_events e WHERE e.uid = NEW.uid AND\n"
	"    (e.at > NEW.at OR (e.at = NEW.at AND (e.kiosk_id > NEW.kiosk_id OR\n"
	"     (e.kiosk_id = NEW.kiosk_id AND e.seq > NEW.seq)))))\n"
	"BEGIN\n"
	"  DELETE FROM badges WHERE uid = NEW.uid AND NEW.action = 'revoke';\n"
	"  INSERT INTO revoked_badges(uid) SELECT NEW.uid WHERE NEW.action = 'revoke'\n"
	"    ON CONFLICT(uid) DO NOTHING;\n"
	"  DELETE FROM revoked_badges WHERE uid = NEW.uid AND NEW.action = 'bind';\n"
	"  INSERT INTO badges(uid, attendee) SELECT NEW.uid, a.id FROM attendees a\n"
	"    WHERE a.attendee_id = NEW.attendee_id AND NEW.action = 'bind'\n"
	"    ON CONFLICT(uid) DO UPDATE SET attendee = excluded.attendee;\n"
	"END;\n"
	/* Name search: unicode61 folds case (Latin, Greek, Cyrillic ...) and strips diacritics;
	 * a prefix query is one index range at 100,000 attendees. Kept by store_attendee_put and
	 * the conference import (store_staff_index*), not by triggers: a trigger may not touch a
	 * virtual table while the import runs with trusted_schema off. */
	/* rowid = attendees.id; name as store_staff.c folds it (ł, ø, ß, Greek tonos ... which
	 * unicode61 keeps); names already here are indexed as they are until the next import. */
	"CREATE VIRTUAL TABLE attendee_fts USING fts5(name,\n"
	"  tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3');\n"
	"INSERT INTO attendee_fts(rowid, name) SELECT id, name FROM attendees;\n",
	/* v4: detail: sessions.abstract, the frab/pretalx/CSV abstract the session detail shows
	 * (issue 14). Not in session_fts: search stays on what a list row shows. */
	"ALTER TABLE sessions ADD COLUMN abstract TEXT NOT NULL DEFAULT '';\n",
};

_Static_assert(sizeof migrations / sizeof migrations[0] == STORE_SCHEMA_VERSION,
	       "one migration per schema version");

/* 1 if the file has any schema object at all. */
static int has_objects(store *s)
{
	sqlite3_stmt *st = NULL;
	int found = 0;
	if (sqlite3_prepare_v2(s->db, "SELECT 1 FROM sqlite_master LIMIT 1", -1, &st, NULL) ==
	    SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		found = 1;
	sqlite3_finalize(st);
	return found;
}

static int pragma_int(store *s, const char *sql, int *out)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL);
	if (rc == SQLITE_OK) {
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW) {
			*out = sqlite3_column_int(st, 0);
			rc = SQLITE_OK;
		}
	}
	sqlite3_finalize(st);
	return rc == SQLITE_OK ? 0 : store_fail(s, rc, "reading the schema version");
}

/* Refuses a file that is not ours or too new (STORE_ESCHEMA). With may_write, brings the
 * schema to STORE_SCHEMA_VERSION and returns 0; without, returns 1 if that is needed. */
int store_schema_migrate(store *s, int may_write)
{
	int version = 0, app = 0, rc;

	if ((rc = pragma_int(s, "PRAGMA user_version", &version)) < 0 ||
	    (rc = pragma_int(s, "PRAGMA application_id", &app)) < 0)
		return rc;
	if (app == EXPORT_APP_ID) {
		snprintf(s->err, sizeof s->err,
			 "this is a check-in export, not a kiosk database");
		return STORE_ESCHEMA;
	}
	if ((version != 0 || app != 0) && app != STORE_APP_ID) {
		snprintf(s->err, sizeof s->err, "not a Kith database (application_id %#x)",
			 (unsigned)app);
		return STORE_ESCHEMA;
	}
	if (version == 0 && has_objects(s)) {
		snprintf(s->err, sizeof s->err, "not a Kith database (it has other tables)");
		return STORE_ESCHEMA;
	}
	if (version > STORE_SCHEMA_VERSION) {
		snprintf(s->err, sizeof s->err,
			 "database is from a newer Kith (schema %d; this build knows up to %d)",
			 version, STORE_SCHEMA_VERSION);
		return STORE_ESCHEMA;
	}
	if (version == STORE_SCHEMA_VERSION)
		return 0;
	if (!may_write)
		return 1;
	for (; version < STORE_SCHEMA_VERSION; version++) {
		char tail[96];
		if ((rc = store_exec(s, "BEGIN IMMEDIATE", "starting a migration")) < 0)
			return rc;
		snprintf(tail, sizeof tail, "PRAGMA user_version = %d; PRAGMA application_id = %d;",
			 version + 1, STORE_APP_ID);
		if ((rc = store_exec(s, migrations[version], "migrating the schema")) < 0 ||
		    (rc = store_exec(s, tail, "migrating the schema")) < 0 ||
		    (rc = store_exec(s, "COMMIT", "committing a migration")) < 0) {
			char keep[sizeof s->err];
			memcpy(keep, s->err, sizeof keep);
			sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
			memcpy(s->err, keep, sizeof keep);
			return rc;
		}
	}
	return 0;
}
