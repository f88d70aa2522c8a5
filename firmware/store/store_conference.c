/* Storage: a conference bundle (kith/conference.sqlite, made by kioskctl) replacing the kiosk's
 * roster and schedule.
 *
 * A bundle is a Kith database (same schema, same application_id). We never trust it: the
 * caller hands us a private copy, which is ATTACHed read-only and immutable to the handle's
 * connection (trusted_schema off, defensive on, for the length of the import), and checked
 * before anything is written: integrity_check, schema version, each conference table present
 * as a real table with the kiosk's own columns, at least one attendee, no empty ids or names,
 * no orphan rows (foreign_key_check, and the session search index against the sessions).
 * Then, in one IMMEDIATE transaction, the conference tables are emptied and refilled from the
 * bundle; the derived group_presence is rebuilt by the schema's own membership trigger.
 * Check-ins, presence and kiosks are never touched; of meta only the conference's own settings
 * (conference_*, timezone) are taken. A "visible" answer an attendee gave at this kiosk
 * survives a bundle that still says "ask".
 * Start reading at store_conference_replace().
 */
#include "store/store_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/clock.h"
#include "common/log.h"
#include "common/util.h"

#define MAX_ATTENDEES 1000000          /* far beyond any conference; more is not a roster */
#define BUNDLE_BUSY_TIMEOUT_MS 10000   /* the import waits out the UI thread's taps */
#define BUNDLE_MAX_LENGTH (1 << 20)    /* no field of a roster is a megabyte */

/* The conference tables, parents before children (insert order; deletes run backwards).
 * Everything else in the kiosk database belongs to the kiosk. */
static const char *const tables[] = {
	"attendees", "groups", "memberships", "badges", "rooms", "tracks", "sessions",
	"session_groups",
};

/* Outcome of a step: the bundle is bad (refused), or the kiosk's own database failed. */
enum { REFUSED = STORE_EINVAL, KIOSK = STORE_EIO };

typedef struct ctx {
	store *s;      /* the caller's handle */
	sqlite3 *db;   /* its connection, the bundle attached as "conf" */
	char *err;     /* s->err: the reason, in plain words */
	size_t errlen;
} ctx;

/* Sets the reason (arguments may point into c->err itself) and returns rc. */
static int fail(ctx *c, int rc, const char *fmt, ...) KITH_PRINTF(3, 4);
static int fail(ctx *c, int rc, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	snprintf(c->err, c->errlen, "%s", buf);
	return rc;
}

/* Prepares and steps sql: SQLITE_ROW (*st on the row), SQLITE_DONE, or an SQLite error with
 * err set. The caller finalizes *st. */
static int query_row(ctx *c, const char *sql, sqlite3_stmt **st)
{
	int rc = sqlite3_prepare_v2(c->db, sql, -1, st, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(*st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		snprintf(c->err, c->errlen, "%s", sqlite3_errmsg(c->db));
	return rc;
}

/* First column of the first row of sql as an int64 (0 with no row); -1 on error (err set). */
static int query_int(ctx *c, const char *sql, int64_t *out)
{
	sqlite3_stmt *st = NULL;
	int rc = query_row(c, sql, &st);
	*out = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

/* First column of the first row as text into out (""); 1 if there was a row, 0 if not, -1. */
static int query_text(ctx *c, const char *sql, char *out, size_t outsize)
{
	sqlite3_stmt *st = NULL;
	int rc = query_row(c, sql, &st);
	out[0] = '\0';
	if (rc == SQLITE_ROW) {
		const char *t = (const char *)sqlite3_column_text(st, 0);
		str_copy_utf8(out, outsize, t ? t : "");
	}
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

/* "file:" URI for path, percent-escaping what a URI would misread. Caller frees. */
static char *file_uri(const char *path)
{
	size_t n = strlen(path);
	char *uri = xcalloc(1, n * 3 + 48), *p = uri;
	p += sprintf(p, "file:");
	for (const char *s = path; *s != '\0'; s++) {
		unsigned char ch = (unsigned char)*s;
		if (ch == '%' || ch == '?' || ch == '#' || ch <= ' ' || ch >= 0x7f)
			p += sprintf(p, "%%%02X", ch);
		else
			*p++ = (char)ch;
	}
	sprintf(p, "?mode=ro&immutable=1");
	return uri;
}

/* The bundle's checks, on the attached "conf" schema. 0 ok, else REFUSED. */
static int validate(ctx *c)
{
	char text[256], sql[512], cols_main[1024], cols_conf[1024];
	int64_t v;

	if (query_text(c, "PRAGMA conf.integrity_check(20)", text, sizeof(text)) != 1)
		return fail(c, REFUSED, "it is not a readable database (%s)", c->err);
	if (strcmp(text, "ok") != 0)
		return fail(c, REFUSED, "it is damaged (%s)", text);
	if (query_int(c, "PRAGMA conf.application_id", &v) < 0)
		return fail(c, REFUSED, "it is not a readable database (%s)", c->err);
	if (v == EXPORT_APP_ID)
		return fail(c, REFUSED, "%s", "it is a check-in export, not conference data");
	if (v != STORE_APP_ID)
		return fail(c, REFUSED, "%s", "it is not a Kith conference file");
	if (query_int(c, "PRAGMA conf.user_version", &v) < 0)
		return REFUSED;
	if (v != STORE_SCHEMA_VERSION) {
		snprintf(text, sizeof(text), "%lld (this kiosk reads %d)", (long long)v,
			 STORE_SCHEMA_VERSION);
		return fail(c, REFUSED,
			    "it was made by a different version of Kith: schema version %s", text);
	}
	for (size_t i = 0; i < ARRAY_LEN(tables); i++) {
		snprintf(sql, sizeof(sql), "SELECT count(*) FROM conf.sqlite_master WHERE type = "
			 "'table' AND name = '%s'", tables[i]);
		if (query_int(c, sql, &v) < 0 || v != 1)
			return fail(c, REFUSED, "its table %s is missing", tables[i]);
		snprintf(sql, sizeof(sql), "SELECT group_concat(name || ' ' || type || ' ' || pk, ',') "
			 "FROM pragma_table_info('%s', 'main')", tables[i]);
		if (query_text(c, sql, cols_main, sizeof(cols_main)) < 0)
			return KIOSK;
		snprintf(sql, sizeof(sql), "SELECT group_concat(name || ' ' || type || ' ' || pk, ',') "
			 "FROM pragma_table_info('%s', 'conf')", tables[i]);
		if (query_text(c, sql, cols_conf, sizeof(cols_conf)) < 0)
			return REFUSED;
		if (strcmp(cols_main, cols_conf) != 0)
			return fail(c, REFUSED, "its table %s has the wrong columns",
				    tables[i]);
	}
	if (query_int(c, "SELECT count(*) FROM conf.sqlite_master WHERE type = 'table' AND "
		      "name = 'session_fts'", &v) < 0 || v != 1)
		return fail(c, REFUSED, "%s", "its session search index is missing");
	if (query_int(c, "SELECT count(*) FROM conf.attendees", &v) < 0)
		return fail(c, REFUSED, "its roster cannot be read (%s)", c->err);
	if (v == 0)
		return fail(c, REFUSED, "%s", "its roster is empty");
	if (v > MAX_ATTENDEES)
		return fail(c, REFUSED, "%s", "its roster is impossibly large");
	if (query_int(c, "SELECT count(*) FROM conf.attendees WHERE attendee_id = '' OR "
		      "name = '' OR typeof(attendee_id) <> 'text' OR typeof(name) <> 'text'",
		      &v) < 0 || v != 0)
		return fail(c, REFUSED, "%s", "some attendees have no id or no name");
	if (query_text(c, "PRAGMA conf.foreign_key_check", text, sizeof(text)) != 0)
		return fail(c, REFUSED, "its table %s has rows pointing at nothing",
			    text[0] ? text : "?");
	/* The search index must describe exactly the sessions there are. */
	if (query_int(c, "SELECT (SELECT count(*) FROM conf.session_fts) <> "
		      "(SELECT count(*) FROM conf.sessions) OR EXISTS (SELECT 1 FROM "
		      "conf.session_fts f LEFT JOIN conf.sessions s ON s.id = f.rowid "
		      "WHERE s.id IS NULL)", &v) < 0)
		return fail(c, REFUSED, "its session search index is damaged (%s)",
			    c->err);
	if (v != 0)
		return fail(c, REFUSED, "%s", "its session search index does not "
			    "match its sessions");
	return 0;
}

/* 1 if the bundle is newer than what the kiosk has, 0 if not, <0 on error. Newer means a
 * higher meta conference_version when the bundle has one, else a later file mtime. */
static int is_newer(ctx *c, int64_t mtime, char *version, size_t vsize)
{
	char have[64];
	int found = query_text(c, "SELECT value FROM conf.meta WHERE key = 'conference_version'",
			       version, vsize);
	if (found < 0)
		return REFUSED;
	if (found) {
		char *end;
		long long v = strtoll(version, &end, 10);
		if (*end != '\0' || end == version || v < 0)
			return fail(c, REFUSED, "its conference_version '%s' is not a number",
				    version);
		int k = store_meta_get(c->s, "conference_version", have, sizeof(have));
		if (k < 0)
			return KIOSK;
		return k == 0 || v > atoll(have);
	}
	int k = store_meta_get(c->s, "conference_mtime", have, sizeof(have));
	if (k < 0)
		return KIOSK;
	return k == 0 || mtime > atoll(have);
}

static int exec(ctx *c, const char *sql)
{
	char *msg = NULL;
	if (sqlite3_exec(c->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		snprintf(c->err, c->errlen, "%s", msg ? msg : sqlite3_errmsg(c->db));
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

/* The replacement itself; the caller holds the transaction. A constraint of the kiosk's schema
 * (NOT NULL, UNIQUE, CHECK) that the bundle breaks fails the insert: refused, rolled back. */
static int apply(ctx *c, int64_t mtime, const char *version)
{
	char sql[512], buf[32];

	/* Answers to "show me to colleagues?" given here, to keep over a bundle that says "ask". */
	if (exec(c, "CREATE TEMP TABLE kept_visible AS SELECT attendee_id, visible "
		 "FROM main.attendees WHERE visible <> -1") < 0)
		return KIOSK;
	if (exec(c, "DELETE FROM main.session_fts; DELETE FROM main.group_presence") < 0)
		return KIOSK;
	for (size_t i = ARRAY_LEN(tables); i-- > 0;) {
		snprintf(sql, sizeof(sql), "DELETE FROM main.%s", tables[i]);
		if (exec(c, sql) < 0)
			return KIOSK;
	}
	for (size_t i = 0; i < ARRAY_LEN(tables); i++) {
		snprintf(sql, sizeof(sql), "INSERT INTO main.%s SELECT * FROM conf.%s", tables[i],
			 tables[i]);
		if (exec(c, sql) < 0)
			return fail(c, REFUSED, "its data breaks a rule of the kiosk (%s)",
				    c->err);
		if (strcmp(tables[i], "attendees") == 0 &&
		    exec(c, "UPDATE main.attendees SET visible = (SELECT k.visible FROM "
			 "temp.kept_visible k WHERE k.attendee_id = attendees.attendee_id) "
			 "WHERE visible = -1 AND attendee_id IN (SELECT attendee_id FROM "
			 "temp.kept_visible)") < 0)
			return KIOSK;
	}
	if (exec(c, "INSERT INTO main.session_fts(rowid, title, track, speakers, room) "
		 "SELECT rowid, title, track, speakers, room FROM conf.session_fts") < 0)
		return fail(c, REFUSED, "its session search index cannot be read (%s)",
			    c->err);
	if (store_staff_reindex(c->s) < 0) /* the staff name search (store_staff.c) */
		return KIOSK;
	if (exec(c, "DROP TABLE temp.kept_visible") < 0)
		return KIOSK;
	/* The conference's own settings travel with it (name on screen, timezone for "today"). */
	if (exec(c, "INSERT OR REPLACE INTO main.meta(key, value) SELECT key, value FROM conf.meta "
		 "WHERE typeof(key) = 'text' AND typeof(value) = 'text' AND (key = 'timezone' OR "
		 "key = 'badge_policy' OR "
		 "(key LIKE 'conference\\_%' ESCAPE '\\' AND key NOT IN ('conference_mtime', "
		 "'conference_imported_at')))") < 0)
		return fail(c, REFUSED, "its settings cannot be read (%s)", c->err);
	snprintf(buf, sizeof(buf), "%lld", (long long)mtime);
	if (store_meta_set(c->s, "conference_mtime", buf) < 0 ||
	    (version[0] != '\0' && store_meta_set(c->s, "conference_version", version) < 0))
		return KIOSK;
	snprintf(buf, sizeof(buf), "%lld", (long long)clock_now());
	if (store_meta_set(c->s, "conference_imported_at", buf) < 0)
		return KIOSK;
	return 0;
}

/* Attaches the bundle at path as "conf", read-only and immutable. */
static int attach(ctx *c, const char *path)
{
	sqlite3_stmt *st = NULL;
	char *uri = file_uri(path);
	int rc = 0;
	if (sqlite3_prepare_v2(c->db, "ATTACH ? AS conf", -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_bind_text(st, 1, uri, -1, SQLITE_STATIC) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_DONE)
		rc = fail(c, REFUSED, "it is not a readable database (%s)", sqlite3_errmsg(c->db));
	sqlite3_finalize(st);
	free(uri);
	return rc;
}

/* apply() and the final foreign-key check in one IMMEDIATE transaction: 0 or an error. */
static int replace(ctx *c, int64_t mtime, const char *version)
{
	char table[128];
	int rc, bad;

	if (exec(c, "BEGIN IMMEDIATE") < 0)
		return KIOSK;
	if ((rc = apply(c, mtime, version)) != 0)
		goto rollback;
	/* the result must hang together in the kiosk's own terms, too */
	bad = query_text(c, "PRAGMA main.foreign_key_check", table, sizeof(table));
	if (bad != 0) {
		rc = fail(c, bad < 0 ? KIOSK : REFUSED, "its table %s has rows pointing at nothing",
			  table);
		goto rollback;
	}
	if (exec(c, "COMMIT") < 0) {
		rc = KIOSK;
		goto rollback;
	}
	return 0;
rollback: {
		char keep[sizeof c->s->err];
		snprintf(keep, sizeof(keep), "%s", c->err);
		sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
		snprintf(c->err, c->errlen, "%s", keep);
	}
	return rc;
}

int store_conference_replace(store *s, const char *path, int64_t mtime)
{
	ctx c = { .s = s, .db = store_db(s), .err = s->err, .errlen = sizeof s->err };
	char version[64] = "";
	int rc, defensive = 0, trusted = 1, length;

	s->err[0] = '\0';
	if (s->readonly || !sqlite3_get_autocommit(c.db))
		return store_einval(s, "a conference import needs a writable handle outside a "
				    "transaction");
	/* The bundle is hostile: this connection treats every schema as untrusted while it is
	 * attached, and everything is put back as it was afterwards. foreign_keys is off so the
	 * tables can be emptied and refilled in any order; the result is checked at the end. */
	sqlite3_db_config(c.db, SQLITE_DBCONFIG_DEFENSIVE, -1, &defensive);
	sqlite3_db_config(c.db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, -1, &trusted);
	sqlite3_db_config(c.db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
	sqlite3_db_config(c.db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
	length = sqlite3_limit(c.db, SQLITE_LIMIT_LENGTH, BUNDLE_MAX_LENGTH);
	sqlite3_busy_timeout(c.db, BUNDLE_BUSY_TIMEOUT_MS);
	if (exec(&c, "PRAGMA foreign_keys = OFF") < 0) {
		rc = KIOSK;
		goto done;
	}
	if ((rc = attach(&c, path)) != 0)
		goto detach;
	if ((rc = validate(&c)) != 0)
		goto detach;
	if ((rc = is_newer(&c, mtime, version, sizeof(version))) <= 0)
		goto detach;
	rc = replace(&c, mtime, version);
	if (rc == 0)
		rc = 1;
detach:
	sqlite3_exec(c.db, "DETACH conf", NULL, NULL, NULL);
	sqlite3_exec(c.db, "PRAGMA foreign_keys = ON", NULL, NULL, NULL);
done:
	sqlite3_busy_timeout(c.db, STORE_BUSY_TIMEOUT_MS);
	sqlite3_limit(c.db, SQLITE_LIMIT_LENGTH, length);
	sqlite3_db_config(c.db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, trusted, NULL);
	sqlite3_db_config(c.db, SQLITE_DBCONFIG_DEFENSIVE, defensive, NULL);
	return rc;
}
