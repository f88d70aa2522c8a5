/* libFuzzer harness for the conference bundle check (firmware/sync/conference.c): the bytes
 * of kith/conference.sqlite as a stick would carry them, imported into a real kiosk database.
 * Whatever the input, the import either refuses it or applies it, and the kiosk database
 * stays intact (integrity_check). The module lives in the kiosk library, so it is compiled in. */
#include "sync/conference.c"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char dir[64], db_path[96], in_path[96];

static void setup(void)
{
	store *s = NULL;
	snprintf(dir, sizeof(dir), "/tmp/kith-conf-fuzz.XXXXXX");
	if (mkdtemp(dir) == NULL)
		abort();
	snprintf(db_path, sizeof(db_path), "%s/kiosk.db", dir);
	snprintf(in_path, sizeof(in_path), "%s/conference.sqlite", dir);
	if (store_open(&s, db_path, STORE_OPEN_CREATE) < 0)
		abort();
	store_close(s);
}

static void teardown(void)
{
	char p[128];
	const char *suffix[] = { "", "-wal", "-shm", "-journal" };
	for (size_t i = 0; i < 4; i++) {
		snprintf(p, sizeof(p), "%s%s", db_path, suffix[i]);
		unlink(p);
	}
	unlink(in_path);
	rmdir(dir);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[512];
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	FILE *f;

	if (dir[0] == '\0') {
		setup();
		atexit(teardown);
	}
	f = fopen(in_path, "wb");
	if (f == NULL || fwrite(data, 1, size, f) != size || fclose(f) != 0)
		abort();
	int rc = conference_import(db_path, in_path, (int64_t)size, err, sizeof(err));
	if (rc < 0 && err[0] == '\0')
		abort(); /* a refusal always says why */
	if (sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "PRAGMA quick_check", -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_ROW ||
	    strcmp((const char *)sqlite3_column_text(st, 0), "ok") != 0)
		abort();
	sqlite3_finalize(st);
	sqlite3_close(db);
	return 0;
}
