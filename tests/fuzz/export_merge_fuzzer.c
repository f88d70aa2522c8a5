/* libFuzzer harness for reading check-in exports from outside (firmware/store/export.c): the
 * bytes of a kith/checkins-*.sqlite as a stick would carry them, merged both into an export
 * (kioskctl merge) and into a kiosk database (USB sync). Whatever the input, each merge either
 * refuses it with a message or takes it, and the kiosk database stays intact. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>

#include <sqlite3.h>

#include "store/export.h"
#include "store/store.h"
#include "store/store_int.h"
#include "sync/exchange.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char dir[64], db_path[96], in_path[96], out_path[96];
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
	unlink(out_path);
	rmdir(dir);
}

static void setup(void)
{
	snprintf(dir, sizeof(dir), "/tmp/kith-export-fuzz.XXXXXX");
	if (mkdtemp(dir) == NULL)
		abort();
	snprintf(db_path, sizeof(db_path), "%s/kiosk.db", dir);
	snprintf(in_path, sizeof(in_path), "%s/checkins-x.sqlite", dir);
	snprintf(out_path, sizeof(out_path), "%s/merged.sqlite", dir);
	store_attendee_in a = { .id = "A0001", .name = "Zoë", .visible = 1 };
	if (store_open(&kiosk, db_path, STORE_OPEN_CREATE) < 0 ||
	    store_attendee_put(kiosk, &a) < 0 || store_attendee_add_group(kiosk, "A0001", "CLENE") < 0 ||
	    store_kiosk_set(kiosk, "booth-1", "Foyer") < 0)
		abort();
	atexit(teardown);
}

static int intact(const char *path)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	int ok = sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
		 sqlite3_prepare_v2(db, "PRAGMA quick_check", -1, &st, NULL) == SQLITE_OK &&
		 sqlite3_step(st) == SQLITE_ROW &&
		 strcmp((const char *)sqlite3_column_text(st, 0), "ok") == 0;
	sqlite3_finalize(st);
	sqlite3_close(db);
	return ok;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[512];
	int64_t added, when;
	FILE *f;

	if (dir[0] == '\0')
		setup();
	/* The time parser on its own, too. */
	store_iso_parse((const char *)data, size < 32 ? size : 32, &when);

	f = fopen(in_path, "wb");
	if (f == NULL || fwrite(data, 1, size, f) != size || fclose(f) != 0)
		abort();
	unlink(out_path);
	err[0] = '\0';
	if (export_merge(out_path, in_path, &added, err, sizeof(err)) < 0 && err[0] == '\0')
		abort(); /* a refusal always says why */
	if (access(out_path, F_OK) == 0 && !intact(out_path))
		abort();
	err[0] = '\0';
	if (store_merge_export(kiosk, in_path, &added, err, sizeof(err)) < 0 && err[0] == '\0')
		abort();
	if (!intact(db_path))
		abort();
	/* The exchange's way in: the name check, the file memory, the per-kiosk marks. */
	exchange_take_result r;
	int dfd = open(dir, O_RDONLY | O_DIRECTORY);
	if (dfd < 0)
		abort();
	int rc = exchange_take_file(kiosk, dfd, "checkins-x.sqlite", NULL, dir, &r);
	close(dfd);
	if ((rc == EXCHANGE_REFUSED || rc == EXCHANGE_ELOCAL) && r.why[0] == '\0')
		abort();
	if (!intact(db_path))
		abort();
	return 0;
}
