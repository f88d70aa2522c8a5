/* Storage: opening a kiosk database, conference data in, and the tap path.
 *
 * Start at store_open (connection set-up and migrations, schema in store_schema.c), then
 * store_checkin_record and store_colleagues: the two queries behind every badge tap. Sessions
 * and the venue live in store_sessions.c, the export and merges in export.c.
 *
 * Every statement is prepared once per handle (store_stmt) and reused. A write that returns
 * success has been committed with synchronous=FULL, i.e. is on disk; writes that touch
 * several rows go through store_tx_begin/end, which nests inside a caller's store_begin.
 */
#include "store/store_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/util.h"

#define BUSY_TIMEOUT_MS 5000 /* the UI and USB-sync threads share the file */

sqlite3 *store_db(store *s)
{
	return s->db;
}

int store_fail(store *s, int rc, const char *what)
{
	int code = STORE_EIO;
	const char *msg = s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc);

	if ((rc & 0xff) == SQLITE_CONSTRAINT)
		code = STORE_ECONFLICT;
	else if ((rc & 0xff) == SQLITE_NOTADB || (rc & 0xff) == SQLITE_CORRUPT)
		code = STORE_ESCHEMA;
	snprintf(s->err, sizeof s->err, "%s: %s", what, msg);
	return code;
}

int store_einval(store *s, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(s->err, sizeof s->err, fmt, ap);
	va_end(ap);
	return STORE_EINVAL;
}

int store_exec(store *s, const char *sql, const char *what)
{
	int rc = sqlite3_exec(s->db, sql, NULL, NULL, NULL);
	return rc == SQLITE_OK ? 0 : store_fail(s, rc, what);
}

sqlite3_stmt *store_stmt(store *s, enum store_slot slot, const char *sql)
{
	sqlite3_stmt *st = s->stmt[slot];
	if (st == NULL) {
		int rc = sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL);
		if (rc != SQLITE_OK) {
			store_fail(s, rc, "preparing a query");
			return NULL;
		}
		s->stmt[slot] = st;
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return st;
}

int store_tx_begin(store *s, int *outer)
{
	*outer = !sqlite3_get_autocommit(s->db);
	return store_exec(s, *outer ? "SAVEPOINT store_tx" : "BEGIN IMMEDIATE",
			  "starting a transaction");
}

int store_tx_end(store *s, int outer, int ok)
{
	if (ok)
		return store_exec(s, outer ? "RELEASE store_tx" : "COMMIT", "committing");
	/* Keep the message of the failure that got us here. */
	char keep[sizeof s->err];
	memcpy(keep, s->err, sizeof keep);
	sqlite3_exec(s->db, outer ? "ROLLBACK TO store_tx; RELEASE store_tx" : "ROLLBACK",
		     NULL, NULL, NULL);
	memcpy(s->err, keep, sizeof keep);
	return 0;
}

void store_col_text(sqlite3_stmt *st, int col, char *dst, size_t dstsize)
{
	const unsigned char *t = sqlite3_column_text(st, col);
	str_copy_utf8(dst, dstsize, t ? (const char *)t : "");
}

/* Step a statement that returns no rows. */
static int step_done(store *s, sqlite3_stmt *st, const char *what)
{
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : store_fail(s, rc, what);
}

static int text_ok(store *s, const char *field, const char *v, int required)
{
	if (v == NULL || v[0] == '\0')
		return required ? store_einval(s, "%s is empty", field) : 0;
	if (!utf8_valid(v, strlen(v)))
		return store_einval(s, "%s is not valid UTF-8", field);
	return 0;
}

/* ---- Time as text ---------------------------------------------------------------------- */

/* Days since 1970-01-01 of a civil date, and back (H. Hinnant's algorithms). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

/* "2026-11-27T10:01:02Z"; returns -1 for a time outside years 1970..9999. */
int store_iso_format(int64_t t, char out[21])
{
	int64_t y;
	int m, d;
	if (t < STORE_ISO_MIN || t > STORE_ISO_MAX)
		return -1;
	civil_from_days(t / 86400, &y, &m, &d);
	int sec = (int)(t % 86400);
	/* By hand: this runs a million times per export, and the ranges are known. */
	int v[6] = { (int)y, m, d, sec / 3600, sec / 60 % 60, sec % 60 };
	static const char sep[] = "--T::Z";
	char *o = out;
	for (int i = 0; i < 6; i++) {
		if (i == 0) {
			*o++ = (char)('0' + v[0] / 1000);
			*o++ = (char)('0' + v[0] / 100 % 10);
		}
		*o++ = (char)('0' + v[i] / 10 % 10);
		*o++ = (char)('0' + v[i] % 10);
		*o++ = sep[i];
	}
	*o = '\0';
	return 0;
}

/* Exactly YYYY-MM-DDTHH:MM:SSZ with a real date; returns 0 and the epoch, or -1. */
int store_iso_parse(const char *s, size_t len, int64_t *out)
{
	static const char shape[] = "dddd-dd-ddTdd:dd:ddZ";
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int v[6] = { 0 }, field = 0;
	if (s == NULL || len != sizeof shape - 1)
		return -1;
	for (size_t i = 0; i < len; i++) {
		if (shape[i] == 'd') {
			if (s[i] < '0' || s[i] > '9')
				return -1;
			v[field] = v[field] * 10 + (s[i] - '0');
		} else if (s[i] != shape[i]) {
			return -1;
		} else {
			field++;
		}
	}
	int y = v[0], mo = v[1], d = v[2];
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] ||
	    (mo == 2 && d == 29 && !leap) || v[3] > 23 || v[4] > 59 || v[5] > 59)
		return -1;
	*out = days_from_civil(y, mo, d) * 86400 + v[3] * 3600 + v[4] * 60 + v[5];
	return 0;
}

/* ---- Opening -------------------------------------------------------------------------- */

int store_open(store **out, const char *path, int flags)
{
	store *s = xcalloc(1, sizeof *s);
	int oflags = SQLITE_OPEN_NOMUTEX, rc;

	*out = NULL;
	s->repeat_window = 60;
	s->readonly = !!(flags & STORE_OPEN_READONLY);
	if (s->readonly)
		oflags |= SQLITE_OPEN_READONLY;
	else
		oflags |= SQLITE_OPEN_READWRITE | ((flags & STORE_OPEN_CREATE) ? SQLITE_OPEN_CREATE : 0);
	rc = sqlite3_open_v2(path, &s->db, oflags, NULL);
	if (rc != SQLITE_OK) {
		snprintf(s->err, sizeof s->err, "cannot open %s: %s", path,
			 s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc));
		rc = STORE_EIO;
		goto fail;
	}
	sqlite3_extended_result_codes(s->db, 1);
	sqlite3_busy_timeout(s->db, BUSY_TIMEOUT_MS);
	/* temp_store: every multi-row put runs in a SAVEPOINT, whose statement journal would
	 * otherwise be a temp file written for each of a 100,000-row import's puts. */
	if ((rc = store_exec(s, "PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL; "
			     "PRAGMA temp_store = MEMORY;", "configuring the database")) < 0)
		goto fail;
	/* Look before touching: switching to WAL would rewrite a stranger's file. */
	if ((rc = store_schema_migrate(s, 0)) < 0)
		goto fail;
	if (rc == 1 && s->readonly) {
		snprintf(s->err, sizeof s->err, "%s has an older or no Kith schema; open it "
			 "read-write once to upgrade it", path);
		rc = STORE_ESCHEMA;
		goto fail;
	}
	if (!s->readonly && ((rc = store_exec(s, "PRAGMA journal_mode = WAL", "opening")) < 0 ||
			     (rc = store_schema_migrate(s, 1)) < 0))
		goto fail;
	*out = s;
	return 0;
fail:
	if (rc == STORE_EIO && s->db && (sqlite3_errcode(s->db) & 0xff) == SQLITE_NOTADB)
		rc = STORE_ESCHEMA;
	{
		/* Like sqlite3_open: *out still gets a handle, holding only the message, so the
		 * caller can print store_errmsg(*out) before store_close(*out). */
		store *e = xcalloc(1, sizeof *e);
		memcpy(e->err, s->err, sizeof e->err);
		store_close(s);
		*out = e;
	}
	return rc;
}

void store_close(store *s)
{
	if (s == NULL)
		return;
	for (int i = 0; i < SLOT_COUNT; i++)
		sqlite3_finalize(s->stmt[i]);
	if (s->db)
		sqlite3_close_v2(s->db);
	free(s);
}

const char *store_errmsg(const store *s)
{
	if (s == NULL)
		return "no database";
	return s->err[0] ? s->err : "no error";
}

int store_begin(store *s)
{
	return store_exec(s, "BEGIN IMMEDIATE", "starting a transaction");
}

int store_commit(store *s)
{
	return store_exec(s, "COMMIT", "committing");
}

int store_rollback(store *s)
{
	if (sqlite3_get_autocommit(s->db))
		return 0;
	return store_exec(s, "ROLLBACK", "rolling back");
}

int store_meta_set(store *s, const char *key, const char *value)
{
	int rc;
	if ((rc = text_ok(s, "meta key", key, 1)) < 0 ||
	    (rc = text_ok(s, "meta value", value ? value : "", 0)) < 0)
		return rc;
	sqlite3_stmt *st = store_stmt(s, SLOT_META_SET,
		"INSERT INTO meta(key, value) VALUES (?1, ?2) "
		"ON CONFLICT(key) DO UPDATE SET value = excluded.value");
	if (st == NULL)
		return STORE_EIO;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, value ? value : "", -1, SQLITE_STATIC);
	return step_done(s, st, "saving a setting");
}

int store_meta_get(store *s, const char *key, char *out, size_t outsize)
{
	sqlite3_stmt *st = store_stmt(s, SLOT_META_GET, "SELECT value FROM meta WHERE key = ?1");
	int rc, found = 0;
	if (st == NULL)
		return STORE_EIO;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		store_col_text(st, 0, out, outsize);
		found = 1;
	} else if (rc != SQLITE_DONE) {
		found = store_fail(s, rc, "reading a setting");
	}
	sqlite3_reset(st);
	return found;
}

/* ---- Conference data in --------------------------------------------------------------- */

/* attendees.id for attendee_id: >0 found, 0 unknown, <0 error. */
static int64_t attendee_rowid(store *s, const char *attendee_id)
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
	if ((rc = text_ok(s, "attendee_id", a->id, 1)) < 0 ||
	    (rc = text_ok(s, "name", a->name, 1)) < 0 ||
	    (rc = text_ok(s, "affiliation", a->affiliation, 0)) < 0)
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
	rc = step_done(s, st, "adding an attendee");
	if (rc == STORE_ECONFLICT)
		snprintf(s->err, sizeof s->err, "duplicate attendee_id %s", a->id);
	return rc;
}

int store_attendee_add_group(store *s, const char *attendee_id, const char *group_name)
{
	int rc, outer;
	int64_t who;
	if ((rc = text_ok(s, "attendee_id", attendee_id, 1)) < 0 ||
	    (rc = text_ok(s, "group name", group_name, 1)) < 0)
		return rc;
	if ((who = attendee_rowid(s, attendee_id)) < 0)
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
	if ((rc = step_done(s, g, "adding a group")) == 0)
		rc = step_done(s, m, "adding a group membership");
	store_tx_end(s, outer, rc == 0);
	return rc;
}

/* "04A1B2C3" for the UID bytes; uid lengths are those of ISO 14443-3 (4, 7, 10). */
static int uid_hex(store *s, const uint8_t *uid, size_t len, char out[21])
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
	if ((rc = uid_hex(s, uid, uid_len, hex)) < 0 ||
	    (rc = text_ok(s, "attendee_id", attendee_id, 1)) < 0)
		return rc;
	if ((who = attendee_rowid(s, attendee_id)) < 0)
		return (int)who;
	if (who == 0)
		return store_einval(s, "unknown attendee %s", attendee_id);
	sqlite3_stmt *st = store_stmt(s, SLOT_BADGE_PUT,
		"INSERT INTO badges(uid, attendee) VALUES (?1, ?2) ON CONFLICT(uid) DO NOTHING");
	if (st == NULL)
		return STORE_EIO;
	sqlite3_bind_text(st, 1, hex, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, who);
	if ((rc = step_done(s, st, "adding a badge")) < 0 || sqlite3_changes(s->db) == 1)
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
	if ((rc = text_ok(s, "attendee_id", attendee_id, 1)) < 0)
		return rc;
	if (visible < STORE_VISIBLE_UNSET || visible > STORE_VISIBLE_YES)
		return store_einval(s, "visible must be 1, 0 or -1, not %d", visible);
	sqlite3_stmt *st = store_stmt(s, SLOT_ATT_VISIBLE,
				      "UPDATE attendees SET visible = ?2 WHERE attendee_id = ?1");
	if (st == NULL)
		return STORE_EIO;
	sqlite3_bind_text(st, 1, attendee_id, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, visible);
	if ((rc = step_done(s, st, "saving visibility")) < 0)
		return rc;
	if (sqlite3_changes(s->db) == 0)
		return store_einval(s, "unknown attendee %s", attendee_id);
	return 0;
}

/* ---- The kiosk's identity ------------------------------------------------------------- */

int store_kiosk_set(store *s, const char *kiosk_id, const char *location)
{
	int rc;
	if ((rc = text_ok(s, "kiosk id", kiosk_id, 1)) < 0 ||
	    (rc = text_ok(s, "location", location, 0)) < 0)
		return rc;
	/* The id names files on USB sticks (kith/checkins-<id>.sqlite): keep it portable. */
	for (const char *p = kiosk_id; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' || *p == '.'))
			return store_einval(s, "kiosk id \"%s\" may only use letters, digits, "
					    "'-', '_' and '.'", kiosk_id);
	if (strlen(kiosk_id) >= STORE_ID_MAX || kiosk_id[0] == '.')
		return store_einval(s, "kiosk id \"%s\" is too long or starts with '.'", kiosk_id);
	sqlite3_stmt *st = store_stmt(s, SLOT_KIOSK_PUT,
		"INSERT INTO kiosks(kiosk_id, location, software_version) VALUES (?1, ?2, ?3) "
		"ON CONFLICT(kiosk_id) DO UPDATE SET location = excluded.location, "
		"software_version = excluded.software_version");
	if (st == NULL)
		return STORE_EIO;
	sqlite3_bind_text(st, 1, kiosk_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, location ? location : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, KITH_VERSION, -1, SQLITE_STATIC);
	if (!s->readonly && (rc = step_done(s, st, "saving the kiosk identity")) < 0)
		return rc;
	str_copy_utf8(s->kiosk_id, sizeof s->kiosk_id, kiosk_id);
	return 0;
}

void store_set_repeat_window(store *s, int seconds)
{
	s->repeat_window = seconds < 0 ? 0 : seconds;
}

/* ---- The tap path --------------------------------------------------------------------- */

static void attendee_row(sqlite3_stmt *st, store_attendee *out)
{
	store_col_text(st, 0, out->id, sizeof out->id);
	store_col_text(st, 1, out->name, sizeof out->name);
	store_col_text(st, 2, out->affiliation, sizeof out->affiliation);
	out->visible = sqlite3_column_int(st, 3);
}

/* Runs a bound attendee query: 1 with out filled, 0 for no row, or an error. */
static int attendee_step(store *s, sqlite3_stmt *st, store_attendee *out)
{
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		attendee_row(st, out);
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return 1;
	return rc == SQLITE_DONE ? 0 : store_fail(s, rc, "looking up a badge");
}

int store_badge_lookup(store *s, const char *ndef_attendee_id, const uint8_t *uid,
		       size_t uid_len, store_attendee *out)
{
	int rc;
	if (ndef_attendee_id && ndef_attendee_id[0]) {
		sqlite3_stmt *st = store_stmt(s, SLOT_ATT_GET,
			"SELECT attendee_id, name, affiliation, visible FROM attendees "
			"WHERE attendee_id = ?1");
		if (st == NULL)
			return STORE_EIO;
		sqlite3_bind_text(st, 1, ndef_attendee_id, -1, SQLITE_STATIC);
		if ((rc = attendee_step(s, st, out)) != 0)
			return rc; /* found, or an error; not found falls back to the UID */
	}
	char hex[21];
	if (uid == NULL || uid_len == 0 || uid_hex(s, uid, uid_len, hex) < 0)
		return 0; /* an odd UID is simply not one of ours */
	sqlite3_stmt *st = store_stmt(s, SLOT_BADGE_GET,
		"SELECT a.attendee_id, a.name, a.affiliation, a.visible "
		"FROM badges b JOIN attendees a ON a.id = b.attendee WHERE b.uid = ?1");
	if (st == NULL)
		return STORE_EIO;
	sqlite3_bind_text(st, 1, hex, -1, SQLITE_STATIC);
	return attendee_step(s, st, out);
}

/* One row (seq, checked_in_at) or none; returns 1/0 or an error. */
static int step_pair(store *s, sqlite3_stmt *st, int64_t *a, int64_t *b, const char *what)
{
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*a = sqlite3_column_int64(st, 0);
		*b = sqlite3_column_int64(st, 1);
	}
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return 1;
	return rc == SQLITE_DONE ? 0 : store_fail(s, rc, what);
}

int store_checkin_record(store *s, const char *attendee_id, int64_t now, int64_t day_start,
			 store_tap *out)
{
	int rc, outer, found;
	int64_t seq = 0, at = 0, who;
	store_tap tap = { 0 };

	if (s->kiosk_id[0] == '\0')
		return store_einval(s, "this kiosk has no id yet (store_kiosk_set)");
	if ((rc = text_ok(s, "attendee_id", attendee_id, 1)) < 0)
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
	if ((who = attendee_rowid(s, attendee_id)) < 0)
		return (int)who;
	if (who == 0)
		return store_einval(s, "unknown attendee %s", attendee_id);

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
	if ((rc = step_done(s, ins, "recording the check-in")) < 0)
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
	if ((who = attendee_rowid(s, attendee_id)) <= 0)
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

/* ---- Counts --------------------------------------------------------------------------- */

int store_stats_get(store *s, int64_t day_start, store_stats *out)
{
	sqlite3_stmt *st = store_stmt(s, SLOT_STATS,
		"SELECT (SELECT count(*) FROM checkins),"
		" (SELECT count(*) FROM checkins WHERE checked_in_at >= ?1 AND checked_in_at < ?2),"
		" (SELECT count(DISTINCT attendee_id) FROM checkins"
		"   WHERE checked_in_at >= ?1 AND checked_in_at < ?2),"
		" (SELECT count(*) FROM attendees),"
		" (SELECT count(*) FROM sessions)");
	int rc;
	if (st == NULL)
		return STORE_EIO;
	sqlite3_bind_int64(st, 1, day_start);
	sqlite3_bind_int64(st, 2, day_start + 86400);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		out->checkins_total = sqlite3_column_int64(st, 0);
		out->checkins_today = sqlite3_column_int64(st, 1);
		out->attendees_today = sqlite3_column_int64(st, 2);
		out->attendees_total = sqlite3_column_int64(st, 3);
		out->sessions_total = sqlite3_column_int64(st, 4);
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 0 : store_fail(s, rc, "counting check-ins");
}

int store_checkins_per_hour(store *s, int64_t day_start, int64_t counts[24])
{
	sqlite3_stmt *st = store_stmt(s, SLOT_PER_HOUR,
		"SELECT (checked_in_at - ?1) / 3600, count(*) FROM checkins "
		"WHERE checked_in_at >= ?1 AND checked_in_at < ?1 + 86400 GROUP BY 1");
	int rc;
	if (st == NULL)
		return STORE_EIO;
	memset(counts, 0, 24 * sizeof counts[0]);
	sqlite3_bind_int64(st, 1, day_start);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t h = sqlite3_column_int64(st, 0);
		if (h >= 0 && h < 24)
			counts[h] = sqlite3_column_int64(st, 1);
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : store_fail(s, rc, "counting check-ins per hour");
}
