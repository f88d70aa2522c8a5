/* The conference bundle import: kith/conference.sqlite replaces the kiosk's roster and schedule.
 *
 * A bundle is a Kith database made by kioskctl (same schema, same application_id). We never
 * trust it: the caller hands us a private copy, which is ATTACHed read-only and immutable to
 * our own connection to the kiosk database (trusted_schema off, defensive on), and checked
 * before anything is written: integrity_check, schema version, each conference table present
 * as a real table with the kiosk's own columns, at least one attendee, no empty ids or names,
 * no orphan rows (foreign_key_check, and the session search index against the sessions).
 * Then, in one IMMEDIATE transaction, the conference tables are emptied and refilled from the
 * bundle; the derived group_presence is rebuilt by the schema's own membership trigger.
 * Check-ins, presence and kiosks are never touched; of meta only the conference's own settings
 * (conference_*, timezone) are taken. A "visible" answer an attendee gave at this kiosk
 * survives a bundle that still says "ask".
 * Start reading at conference_import().
 */
#include "sync/conference.h"
#include "store/store.h"
#include "common/clock.h"
#include "common/log.h"
#include "common/util.h"

#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* PRAGMA application_id values, as firmware/store writes them (store_int.h, internal there). */
#define KITH_DB_APP_ID 0x4B697468     /* "Kith": a kiosk database or conference bundle */
#define KITH_EXPORT_APP_ID 0x4B746858 /* "KthX": a check-in export */
#define MAX_ATTENDEES 1000000         /* far beyond any conference; more is not a roster */

/* The conference tables, parents before children (insert order; deletes run backwards).
 * Everything else in the kiosk database belongs to the kiosk. */
static const char *const tables[] = {
	"attendees", "groups", "memberships", "badges", "rooms", "tracks", "sessions",
	"session_groups",
};

typedef struct ctx {
	sqlite3 *db;   /* our connection to the kiosk database, bundle attached as "conf" */
	char *err;
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

/* First column of the first row of sql as an int64; -1 on error (err set). */
static int query_int(ctx *c, const char *sql, int64_t *out)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(c->db, sql, -1, &st, NULL);
	if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		*out = sqlite3_column_int64(st, 0);
		rc = SQLITE_OK;
	} else if (rc == SQLITE_DONE) {
		*out = 0;
		rc = SQLITE_OK;
	}
	if (rc != SQLITE_OK)
		snprintf(c->err, c->errlen, "%s", sqlite3_errmsg(c->db));
	sqlite3_finalize(st);
	return rc == SQLITE_OK ? 0 : -1;
}

/* First column of the first row as text into out (""); 1 if there was a row, 0 if not, -1. */
static int query_text(ctx *c, const char *sql, const char *arg, char *out, size_t outsize)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(c->db, sql, -1, &st, NULL), found = 0;
	out[0] = '\0';
	if (rc == SQLITE_OK && arg != NULL)
		rc = sqlite3_bind_text(st, 1, arg, -1, SQLITE_STATIC);
	if (rc == SQLITE_OK) {
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW) {
			const char *t = (const char *)sqlite3_column_text(st, 0);
			str_copy_utf8(out, outsize, t ? t : "");
			found = 1;
			rc = SQLITE_OK;
		} else if (rc == SQLITE_DONE) {
			rc = SQLITE_OK;
		}
	}
	if (rc != SQLITE_OK)
		snprintf(c->err, c->errlen, "%s", sqlite3_errmsg(c->db));
	sqlite3_finalize(st);
	return rc == SQLITE_OK ? found : -1;
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

/* The bundle's checks, on the attached "conf" schema. 0 ok, else CONFERENCE_EREFUSED. */
static int validate(ctx *c)
{
	char text[256], sql[512], cols_main[1024], cols_conf[1024];
	int64_t v;

	if (query_text(c, "PRAGMA conf.integrity_check(20)", NULL, text, sizeof(text)) != 1)
		return fail(c, CONFERENCE_EREFUSED, "it is not a readable database (%s)", c->err);
	if (strcmp(text, "ok") != 0)
		return fail(c, CONFERENCE_EREFUSED, "it is damaged (%s)", text);
	if (query_int(c, "PRAGMA conf.application_id", &v) < 0)
		return fail(c, CONFERENCE_EREFUSED, "it is not a readable database (%s)", c->err);
	if (v == KITH_EXPORT_APP_ID)
		return fail(c, CONFERENCE_EREFUSED, "%s", "it is a check-in export, not conference data");
	if (v != KITH_DB_APP_ID)
		return fail(c, CONFERENCE_EREFUSED, "%s", "it is not a Kith conference file");
	if (query_int(c, "PRAGMA conf.user_version", &v) < 0)
		return CONFERENCE_EREFUSED;
	if (v != STORE_SCHEMA_VERSION) {
		snprintf(text, sizeof(text), "%lld (this kiosk reads %d)", (long long)v,
			 STORE_SCHEMA_VERSION);
		return fail(c, CONFERENCE_EREFUSED,
			    "it was made by a different version of Kith: schema version %s", text);
	}
	for (size_t i = 0; i < ARRAY_LEN(tables); i++) {
		snprintf(sql, sizeof(sql), "SELECT count(*) FROM conf.sqlite_master WHERE type = "
			 "'table' AND name = '%s'", tables[i]);
		if (query_int(c, sql, &v) < 0 || v != 1)
			return fail(c, CONFERENCE_EREFUSED, "its table %s is missing", tables[i]);
		snprintf(sql, sizeof(sql), "SELECT group_concat(name || ' ' || type || ' ' || pk, ',') "
			 "FROM pragma_table_info('%s', 'main')", tables[i]);
		if (query_text(c, sql, NULL, cols_main, sizeof(cols_main)) < 0)
			return CONFERENCE_EKIOSK;
		snprintf(sql, sizeof(sql), "SELECT group_concat(name || ' ' || type || ' ' || pk, ',') "
			 "FROM pragma_table_info('%s', 'conf')", tables[i]);
		if (query_text(c, sql, NULL, cols_conf, sizeof(cols_conf)) < 0)
			return CONFERENCE_EREFUSED;
		if (strcmp(cols_main, cols_conf) != 0)
			return fail(c, CONFERENCE_EREFUSED, "its table %s has the wrong columns",
				    tables[i]);
	}
	if (query_int(c, "SELECT count(*) FROM conf.sqlite_master WHERE type = 'table' AND "
		      "name = 'session_fts'", &v) < 0 || v != 1)
		return fail(c, CONFERENCE_EREFUSED, "%s", "its session search index is missing");
	if (query_int(c, "SELECT count(*) FROM conf.attendees", &v) < 0)
		return fail(c, CONFERENCE_EREFUSED, "its roster cannot be read (%s)", c->err);
	if (v == 0)
		return fail(c, CONFERENCE_EREFUSED, "%s", "its roster is empty");
	if (v > MAX_ATTENDEES)
		return fail(c, CONFERENCE_EREFUSED, "%s", "its roster is impossibly large");
	if (query_int(c, "SELECT count(*) FROM conf.attendees WHERE attendee_id = '' OR "
		      "name = '' OR typeof(attendee_id) <> 'text' OR typeof(name) <> 'text'",
		      &v) < 0 || v != 0)
		return fail(c, CONFERENCE_EREFUSED, "%s", "some attendees have no id or no name");
	if (query_text(c, "PRAGMA conf.foreign_key_check",
		       NULL, text, sizeof(text)) != 0)
		return fail(c, CONFERENCE_EREFUSED, "its table %s has rows pointing at nothing",
			    text[0] ? text : "?");
	/* The search index must describe exactly the sessions there are. */
	if (query_int(c, "SELECT (SELECT count(*) FROM conf.session_fts) <> "
		      "(SELECT count(*) FROM conf.sessions) OR EXISTS (SELECT 1 FROM "
		      "conf.session_fts f LEFT JOIN conf.sessions s ON s.id = f.rowid "
		      "WHERE s.id IS NULL)", &v) < 0)
		return fail(c, CONFERENCE_EREFUSED, "its session search index is damaged (%s)",
			    c->err);
	if (v != 0)
		return fail(c, CONFERENCE_EREFUSED, "%s", "its session search index does not "
			    "match its sessions");
	return 0;
}

/* 1 if the bundle is newer than what the kiosk has, 0 if not, <0 on error. Newer means a
 * higher meta conference_version when the bundle has one, else a later file mtime. */
static int is_newer(ctx *c, int64_t mtime, char *version, size_t vsize)
{
	char have[64];
	int found = query_text(c, "SELECT value FROM conf.meta WHERE key = 'conference_version'",
			       NULL, version, vsize);
	if (found < 0)
		return CONFERENCE_EREFUSED;
	if (found) {
		char *end;
		long long v = strtoll(version, &end, 10);
		if (*end != '\0' || end == version || v < 0)
			return fail(c, CONFERENCE_EREFUSED, "its conference_version '%s' is not a number",
				    version);
		int k = query_text(c, "SELECT value FROM main.meta WHERE key = 'conference_version'",
				   NULL, have, sizeof(have));
		if (k < 0)
			return CONFERENCE_EKIOSK;
		return k == 0 || v > atoll(have);
	}
	int k = query_text(c, "SELECT value FROM main.meta WHERE key = 'conference_mtime'", NULL,
			   have, sizeof(have));
	if (k < 0)
		return CONFERENCE_EKIOSK;
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

static int set_meta(ctx *c, const char *key, const char *value)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(c->db, "INSERT OR REPLACE INTO main.meta(key, value) "
				    "VALUES (?, ?)", -1, &st, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
		rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
	}
	if (rc != SQLITE_OK)
		snprintf(c->err, c->errlen, "%s", sqlite3_errmsg(c->db));
	sqlite3_finalize(st);
	return rc == SQLITE_OK ? 0 : -1;
}

/* The replacement itself; the caller holds the transaction. A constraint of the kiosk's schema
 * (NOT NULL, UNIQUE, CHECK) that the bundle breaks fails the insert: refused, rolled back. */
static int apply(ctx *c, int64_t mtime, const char *version)
{
	char sql[512], buf[32];

	/* Answers to "show me to colleagues?" given here, to keep over a bundle that says "ask". */
	if (exec(c, "CREATE TEMP TABLE kept_visible AS SELECT attendee_id, visible "
		 "FROM main.attendees WHERE visible <> -1") < 0)
		return CONFERENCE_EKIOSK;
	if (exec(c, "DELETE FROM main.session_fts; DELETE FROM main.group_presence") < 0)
		return CONFERENCE_EKIOSK;
	for (size_t i = ARRAY_LEN(tables); i-- > 0;) {
		snprintf(sql, sizeof(sql), "DELETE FROM main.%s", tables[i]);
		if (exec(c, sql) < 0)
			return CONFERENCE_EKIOSK;
	}
	for (size_t i = 0; i < ARRAY_LEN(tables); i++) {
		snprintf(sql, sizeof(sql), "INSERT INTO main.%s SELECT * FROM conf.%s", tables[i],
			 tables[i]);
		if (exec(c, sql) < 0)
			return fail(c, CONFERENCE_EREFUSED, "its data breaks a rule of the kiosk (%s)",
				    c->err);
		if (strcmp(tables[i], "attendees") == 0 &&
		    exec(c, "UPDATE main.attendees SET visible = (SELECT k.visible FROM "
			 "temp.kept_visible k WHERE k.attendee_id = attendees.attendee_id) "
			 "WHERE visible = -1 AND attendee_id IN (SELECT attendee_id FROM "
			 "temp.kept_visible)") < 0)
			return CONFERENCE_EKIOSK;
	}
	if (exec(c, "INSERT INTO main.session_fts(rowid, title, track, speakers, room) "
		 "SELECT rowid, title, track, speakers, room FROM conf.session_fts") < 0)
		return fail(c, CONFERENCE_EREFUSED, "its session search index cannot be read (%s)",
			    c->err);
	if (exec(c, "DROP TABLE temp.kept_visible") < 0)
		return CONFERENCE_EKIOSK;
	/* The conference's own settings travel with it (name on screen, timezone for "today"). */
	if (exec(c, "INSERT OR REPLACE INTO main.meta(key, value) SELECT key, value FROM conf.meta "
		 "WHERE typeof(key) = 'text' AND typeof(value) = 'text' AND (key = 'timezone' OR "
		 "(key LIKE 'conference\\_%' ESCAPE '\\' AND key NOT IN ('conference_mtime', "
		 "'conference_imported_at')))") < 0)
		return fail(c, CONFERENCE_EREFUSED, "its settings cannot be read (%s)", c->err);
	snprintf(buf, sizeof(buf), "%lld", (long long)mtime);
	if (set_meta(c, "conference_mtime", buf) < 0 ||
	    (version[0] != '\0' && set_meta(c, "conference_version", version) < 0))
		return CONFERENCE_EKIOSK;
	snprintf(buf, sizeof(buf), "%lld", (long long)clock_now());
	if (set_meta(c, "conference_imported_at", buf) < 0)
		return CONFERENCE_EKIOSK;
	return 0;
}

int conference_import(const char *db_path, const char *path, int64_t mtime, char *err,
		      size_t errlen)
{
	ctx c = { .err = err, .errlen = errlen };
	char version[64] = "";
	char *uri = NULL;
	sqlite3_stmt *st = NULL;
	int rc, in_tx = 0;

	err[0] = '\0';
	rc = sqlite3_open_v2(db_path, &c.db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_URI, NULL);
	if (rc != SQLITE_OK) {
		snprintf(err, errlen, "opening %s: %s", db_path,
			 c.db ? sqlite3_errmsg(c.db) : "out of memory");
		rc = CONFERENCE_EKIOSK;
		goto done;
	}
	sqlite3_busy_timeout(c.db, 10000);
	sqlite3_db_config(c.db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
	sqlite3_db_config(c.db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
	sqlite3_limit(c.db, SQLITE_LIMIT_LENGTH, 1 << 20); /* no field of a roster is a megabyte */
	if (exec(&c, "PRAGMA synchronous = FULL; PRAGMA foreign_keys = OFF") < 0) {
		rc = CONFERENCE_EKIOSK;
		goto done;
	}
	uri = file_uri(path);
	if (sqlite3_prepare_v2(c.db, "ATTACH ? AS conf", -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_bind_text(st, 1, uri, -1, SQLITE_STATIC) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_DONE) {
		snprintf(err, errlen, "it is not a readable database (%s)", sqlite3_errmsg(c.db));
		rc = CONFERENCE_EREFUSED;
		goto done;
	}
	sqlite3_finalize(st);
	st = NULL;

	if ((rc = validate(&c)) != 0)
		goto done;
	if ((rc = is_newer(&c, mtime, version, sizeof(version))) <= 0)
		goto done;
	if (exec(&c, "BEGIN IMMEDIATE") < 0) {
		rc = CONFERENCE_EKIOSK;
		goto done;
	}
	in_tx = 1;
	if ((rc = apply(&c, mtime, version)) != 0)
		goto done;
	{ /* the result must hang together in the kiosk's own terms, too */
		char table[128];
		int bad = query_text(&c, "PRAGMA main.foreign_key_check", NULL, table,
				     sizeof(table));
		if (bad != 0) {
			rc = fail(&c, bad < 0 ? CONFERENCE_EKIOSK : CONFERENCE_EREFUSED,
				  "its table %s has rows pointing at nothing", table);
			goto done;
		}
	}
	if (exec(&c, "COMMIT") < 0) {
		rc = CONFERENCE_EKIOSK;
		goto done;
	}
	in_tx = 0;
	rc = CONFERENCE_IMPORTED;
done:
	if (in_tx) {
		char keep[512];
		snprintf(keep, sizeof(keep), "%s", err);
		sqlite3_exec(c.db, "ROLLBACK", NULL, NULL, NULL);
		snprintf(err, errlen, "%s", keep);
	}
	sqlite3_finalize(st);
	sqlite3_close(c.db);
	free(uri);
	return rc;
}
