/* `kioskctl init`, `import-roster` and `import-schedule`.
 *
 * The all-or-nothing rule lives here: the input is parsed and validated completely before the
 * database is even opened; only a clean model is written, in one transaction, and any problem
 * found while writing (an id already stored) rolls it back. A database that did not exist
 * before a failed import is removed again, so a failed import leaves the disk as it was. */
#include "kioskctl.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "common/util.h"
#include "fontcover.h"

static void usage(const char *cmd, const char *args)
{
	fprintf(stderr, "usage: kioskctl %s %s\n", cmd, args);
}

int cmd_init(int argc, char **argv)
{
	store *s = NULL;
	if (argc != 2 || argv[1][0] == '-') {
		usage("init", "DB");
		return EXIT_USAGE;
	}
	if (store_open(&s, argv[1], STORE_OPEN_CREATE) < 0) {
		fprintf(stderr, "%s: cannot create database: %s\n", argv[1], s ? store_errmsg(s) : "");
		store_close(s);
		return EXIT_BADINPUT;
	}
	store_close(s);
	return EXIT_OK;
}

static void remove_db(const char *path)
{
	char side[4096];
	unlink(path);
	snprintf(side, sizeof side, "%s-wal", path);
	unlink(side);
	snprintf(side, sizeof side, "%s-shm", path);
	unlink(side);
	snprintf(side, sizeof side, "%s-journal", path);
	unlink(side);
}

typedef int (*write_fn)(const void *model, store *s, const char *file, diag *d);

/* Opens db (creating it), writes the model in one transaction, commits or rolls back. */
static int import_write(const char *db, const char *file, const void *model, write_fn fn,
			diag *d)
{
	store *s = NULL;
	int existed = access(db, F_OK) == 0;

	if (store_open(&s, db, STORE_OPEN_CREATE) < 0) {
		diag_add(d, db, 0, "cannot open database: %s", s ? store_errmsg(s) : "unknown error");
		goto fail;
	}
	if (store_begin(s) < 0) {
		diag_add(d, db, 0, "cannot start a transaction: %s", store_errmsg(s));
		goto fail;
	}
	if (fn(model, s, file, d) > 0) {
		store_rollback(s);
		goto fail;
	}
	if (store_commit(s) < 0) {
		diag_add(d, db, 0, "cannot commit: %s", store_errmsg(s));
		store_rollback(s);
		goto fail;
	}
	store_close(s);
	return 0;
fail:
	store_close(s);
	if (!existed)
		remove_db(db);
	return -1;
}

static int roster_write_fn(const void *model, store *s, const char *file, diag *d)
{
	return roster_store(model, s, file, d);
}

static int schedule_write_fn(const void *model, store *s, const char *file, diag *d)
{
	return schedule_store(model, s, file, d);
}

/* After a good import: a name no installed font can draw is worth a warning, never a refusal. */
static void warn_roster_glyphs(const roster *r, const char *file)
{
	fontcover *fc = fontcover_open(stderr);
	for (size_t i = 0; fc != NULL && i < r->n; i++) {
		fontcover_warn(fc, stderr, file, r->v[i].line, "name", r->v[i].name);
		fontcover_warn(fc, stderr, file, r->v[i].line, "affiliation", r->v[i].affiliation);
	}
	fontcover_close(fc);
}

static void warn_schedule_glyphs(const schedule *sc, const char *file)
{
	fontcover *fc = fontcover_open(stderr);
	for (size_t i = 0; fc != NULL && i < sc->n; i++) {
		fontcover_warn(fc, stderr, file, sc->v[i].line, "title", sc->v[i].title);
		if (sc->v[i].speakers != NULL)
			fontcover_warn(fc, stderr, file, sc->v[i].line, "speakers", sc->v[i].speakers);
	}
	fontcover_close(fc);
}

int cmd_import_roster(int argc, char **argv)
{
	diag d = { 0 };
	roster r = { 0 };
	char *data = NULL;
	size_t len;
	int rc = EXIT_BADINPUT;

	if (argc != 3 || argv[1][0] == '-' || argv[2][0] == '-') {
		usage("import-roster", "DB roster.csv");
		return EXIT_USAGE;
	}
	const char *db = argv[1], *file = argv[2];
	if (file_read_all(file, &data, &len, &d) < 0)
		goto out;
	if (roster_parse(&r, file, data, len, &d) > 0)
		goto out;
	if (import_write(db, file, &r, roster_write_fn, &d) < 0)
		goto out;
	printf("%s: imported %zu attendees into %s\n", file, r.n, db);
	warn_roster_glyphs(&r, file);
	rc = EXIT_OK;
out:
	diag_print(&d, stderr);
	if (rc != EXIT_OK)
		fprintf(stderr, "kioskctl: nothing imported (%zu problem%s)\n", d.n, d.n == 1 ? "" : "s");
	diag_free(&d);
	roster_free(&r);
	free(data);
	return rc;
}

enum sched_format { FMT_CSV, FMT_XML, FMT_JSON };

static enum sched_format sniff_format(const char *file, const char *data, size_t len)
{
	const char *dot = strrchr(file, '.');
	if (dot != NULL && strcasecmp(dot, ".csv") == 0)
		return FMT_CSV;
	if (dot != NULL && strcasecmp(dot, ".xml") == 0)
		return FMT_XML;
	if (dot != NULL && strcasecmp(dot, ".json") == 0)
		return FMT_JSON;
	size_t i = len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
	while (i < len && strchr(" \t\r\n", data[i]) != NULL)
		i++;
	if (i < len && data[i] == '<')
		return FMT_XML;
	if (i < len && data[i] == '{')
		return FMT_JSON;
	return FMT_CSV;
}

/* The zone of the conference already in db (meta "timezone"), if any. */
static char *db_timezone(const char *db)
{
	store *s = NULL;
	char zone[128];
	char *out = NULL;
	if (access(db, F_OK) != 0 || store_open(&s, db, STORE_OPEN_READONLY) < 0) {
		store_close(s);
		return NULL;
	}
	if (store_meta_get(s, "timezone", zone, sizeof zone) == 1 && zone[0] != '\0')
		out = xstrdup(zone);
	store_close(s);
	return out;
}

int cmd_import_schedule(int argc, char **argv)
{
	diag d = { 0 };
	schedule sc = { 0 };
	char *data = NULL, *dbzone = NULL;
	const char *db = NULL, *file = NULL, *tz = NULL;
	size_t len;
	int rc = EXIT_BADINPUT;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--tz") == 0 && i + 1 < argc) {
			tz = argv[++i];
		} else if (argv[i][0] == '-' && argv[i][1] != '\0') {
			goto usage;
		} else if (db == NULL) {
			db = argv[i];
		} else if (file == NULL) {
			file = argv[i];
		} else {
			goto usage;
		}
	}
	if (db == NULL || file == NULL)
		goto usage;
	if (tz != NULL && !tz_valid(tz)) {
		fprintf(stderr, "kioskctl: unknown time zone '%s' (e.g. Europe/Berlin, America/Chicago)\n", tz);
		return EXIT_USAGE;
	}
	if (tz == NULL)
		tz = dbzone = db_timezone(db);
	if (file_read_all(file, &data, &len, &d) < 0)
		goto out;
	switch (sniff_format(file, data, len)) {
	case FMT_CSV:
		schedule_parse_csv(&sc, file, data, len, tz, &d);
		if (sc.timezone == NULL && tz != NULL && dbzone == NULL)
			sc.timezone = xstrdup(tz); /* --tz names the conference zone from now on */
		break;
	case FMT_XML:
		schedule_parse_xml(&sc, file, data, len, tz, &d);
		break;
	case FMT_JSON:
		schedule_parse_json(&sc, file, data, len, tz, &d);
		break;
	}
	/* A schedule file that parses but holds no session is a mistake, not an empty import. */
	if (d.n == 0 && sc.n == 0)
		diag_add(&d, file, 0, "no sessions in the file");
	if (d.n > 0)
		goto out;
	if (import_write(db, file, &sc, schedule_write_fn, &d) < 0)
		goto out;
	printf("%s: imported %zu sessions into %s\n", file, sc.n, db);
	warn_schedule_glyphs(&sc, file);
	rc = EXIT_OK;
out:
	diag_print(&d, stderr);
	if (rc != EXIT_OK)
		fprintf(stderr, "kioskctl: nothing imported (%zu problem%s)\n", d.n, d.n == 1 ? "" : "s");
	diag_free(&d);
	schedule_free(&sc);
	free(data);
	free(dbzone);
	return rc;
usage:
	usage("import-schedule", "DB FILE.csv|schedule.xml|schedule.json [--tz ZONE]");
	return EXIT_USAGE;
}
