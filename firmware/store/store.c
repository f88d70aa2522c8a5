/* Storage: the handle. Opening a kiosk database, transactions, settings (meta) and the
 * kiosk's own identity.
 *
 * Start at store_open (connection set-up and migrations, schema in store_schema.c). The rest
 * of the store is split by concern: store_roster.c (conference data in), store_tap.c (the
 * queries behind every badge tap), store_stats.c (counts), store_sessions.c (sessions and the
 * venue), store_conference.c (a conference bundle replacing the roster and schedule),
 * export_*.c (the check-in export and merges); store_util.c and store_time.c are helpers.
 *
 * Every statement is prepared once per handle (store_stmt) and reused. A write that returns
 * success has been committed with synchronous=FULL, i.e. is on disk; writes that touch
 * several rows go through store_tx_begin/end, which nests inside a caller's store_begin.
 */
#include "store/store_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/util.h"


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
	sqlite3_busy_timeout(s->db, STORE_BUSY_TIMEOUT_MS);
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
	if ((rc = store_text_ok(s, "meta key", key, 1)) < 0 ||
	    (rc = store_text_ok(s, "meta value", value ? value : "", 0)) < 0)
		return rc;
	return store_write(s, SLOT_META_SET, "INSERT INTO meta(key, value) VALUES (?1, ?2) "
			   "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
			   "saving a setting", "tt", key, value);
}

int store_meta_get(store *s, const char *key, char *out, size_t outsize)
{
	sqlite3_stmt *st = store_query(s, SLOT_META_GET, "SELECT value FROM meta WHERE key = ?1",
				       "t", key);
	int found = st ? store_step_row(s, st, "reading a setting") : STORE_EIO;
	if (found == 1) {
		store_col_text(st, 0, out, outsize);
		sqlite3_reset(st);
	}
	return found;
}


/* ---- The kiosk's identity ------------------------------------------------------------- */

int store_kiosk_set(store *s, const char *kiosk_id, const char *location)
{
	int rc;
	if ((rc = store_text_ok(s, "kiosk id", kiosk_id, 1)) < 0 ||
	    (rc = store_text_ok(s, "location", location, 0)) < 0)
		return rc;
	/* The id names files on USB sticks (kith/checkins-<id>.sqlite): keep it portable. */
	for (const char *p = kiosk_id; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' || *p == '.'))
			return store_einval(s, "kiosk id \"%s\" may only use letters, digits, "
					    "'-', '_' and '.'", kiosk_id);
	if (strlen(kiosk_id) >= STORE_ID_MAX || kiosk_id[0] == '.')
		return store_einval(s, "kiosk id \"%s\" is too long or starts with '.'", kiosk_id);
	/* A read-only handle (reports) still takes the id, but cannot record it. */
	if (!s->readonly && (rc = store_write(s, SLOT_KIOSK_PUT,
		"INSERT INTO kiosks(kiosk_id, location, software_version) VALUES (?1, ?2, ?3) "
		"ON CONFLICT(kiosk_id) DO UPDATE SET location = excluded.location, "
		"software_version = excluded.software_version",
		"saving the kiosk identity", "ttt", kiosk_id, location, KITH_VERSION)) < 0)
		return rc;
	str_copy_utf8(s->kiosk_id, sizeof s->kiosk_id, kiosk_id);
	return 0;
}

void store_set_repeat_window(store *s, int seconds)
{
	s->repeat_window = seconds < 0 ? 0 : seconds;
}
