/* libFuzzer harness for the conference bundle check (store_conference_replace, in
 * firmware/store/store_conference.c): the bytes of kith/conference.sqlite as a stick would
 * carry them, imported into a real kiosk database through one store handle, as USB sync does.
 * Whatever the input, the import either refuses it (and says why) or applies it; the kiosk
 * database stays intact (quick_check) and the handle is left as it was: no transaction open,
 * the bundle detached, foreign keys on. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "store/store.h"
#include "store/store_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char dir[64], db_path[96], in_path[96];
static store *kiosk;

static void teardown(void)
{
	char p[128];
	const char *suffix[] = { "", "-wal", "-shm", "-journal" };
	store_close(kiosk);
	for (size_t i = 0; i < 4; i++) {
		snprintf(p, sizeof(p), "%s%s", db_path, suffix[i]);
		unlink(p);
	}
	unlink(in_path);
	rmdir(dir);
}

static void setup(void)
{
	snprintf(dir, sizeof(dir), "/tmp/kith-conf-fuzz.XXXXXX");
	if (mkdtemp(dir) == NULL)
		abort();
	snprintf(db_path, sizeof(db_path), "%s/kiosk.db", dir);
	snprintf(in_path, sizeof(in_path), "%s/conference.sqlite", dir);
	if (store_open(&kiosk, db_path, STORE_OPEN_CREATE) < 0)
		abort();
	atexit(teardown);
}

/* First column of the first row of sql on db, as an int; -1 on any failure. */
static int query_int(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st = NULL;
	int v = -1;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	FILE *f;

	if (kiosk == NULL)
		setup();
	f = fopen(in_path, "wb");
	if (f == NULL || fwrite(data, 1, size, f) != size || fclose(f) != 0)
		abort();
	int rc = store_conference_replace(kiosk, in_path, (int64_t)size);
	if (rc < 0 && strcmp(store_errmsg(kiosk), "no error") == 0)
		abort(); /* a refusal always says why */
	if (!sqlite3_get_autocommit(store_db(kiosk)) ||
	    sqlite3_db_filename(store_db(kiosk), "conf") != NULL ||
	    query_int(store_db(kiosk), "PRAGMA foreign_keys") != 1)
		abort(); /* the handle is as it was */
	if (sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "PRAGMA quick_check", -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_ROW ||
	    strcmp((const char *)sqlite3_column_text(st, 0), "ok") != 0)
		abort();
	sqlite3_finalize(st);
	sqlite3_close(db);
	return 0;
}
