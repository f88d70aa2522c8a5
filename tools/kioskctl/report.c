/* `kioskctl report`: check-ins per group, per day and per hour, from a kiosk database or a
 * check-in export (told apart by their tables: a kiosk has memberships, an export keeps each
 * attendee's groups as "A; B" text).
 *
 * The source is ATTACHed read-only to an in-memory database; check-ins are copied there with
 * their local day and hour (the conference zone from meta "timezone", else UTC with a note on
 * stderr: the organiser's laptop zone says nothing about the conference), group memberships
 * beside them, and three GROUP BY queries print either aligned tables or one CSV (--csv) with
 * a header row for spreadsheets. The CSV names its zone on every row, and neutralises cells
 * a spreadsheet would run as a formula (a group called "=cmd|calc!A1"). */
#include "kioskctl.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/utf8.h"
#include "common/clock.h"
#include "common/util.h"

typedef struct report {
	sqlite3 *db;   /* :memory: with the source attached as "src" */
	int csv;       /* --csv */
	char zone[128]; /* IANA zone of the day and hour buckets; "UTC" when the source has none */
} report;

static int has_table(report *r, const char *table)
{
	sqlite3_stmt *st;
	int found = 0;
	if (sqlite3_prepare_v2(r->db, "SELECT 1 FROM src.sqlite_master WHERE type IN ('table','view') AND name = ?1",
			       -1, &st, NULL) != SQLITE_OK)
		return 0;
	sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
	found = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	return found;
}

static int exec(report *r, const char *sql)
{
	char *msg = NULL;
	if (sqlite3_exec(r->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		fprintf(stderr, "kioskctl report: %s\n", msg ? msg : sqlite3_errmsg(r->db));
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

/* Copies check-ins with their local day and hour and how they were made into
 * ci(attendee_id, day, hour, method). */
static int load_checkins(report *r, int is_export)
{
	sqlite3_stmt *sel = NULL, *ins = NULL;
	int rc = -1;
	/* Staff mode marks check-ins made on someone's behalf (staff_checkins, same key); files
	 * from before it have no such table: all their check-ins are by badge. */
	char q[512];
	snprintf(q, sizeof q, "SELECT attendee_id, %s, %s FROM src.checkins c",
		 is_export ? "CAST(strftime('%s', checked_in_at) AS INTEGER)" : "checked_in_at",
		 has_table(r, "staff_checkins")
			 ? "CASE WHEN EXISTS (SELECT 1 FROM src.staff_checkins s WHERE s.kiosk_id = "
			   "c.kiosk_id AND s.seq = c.seq) THEN 'staff' ELSE 'badge' END"
			 : "'badge'");
	if (sqlite3_prepare_v2(r->db, q, -1, &sel, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(r->db, "INSERT INTO ci(attendee_id, day, hour, method) "
			       "VALUES (?1, ?2, ?3, ?4)", -1, &ins, NULL) != SQLITE_OK) {
		fprintf(stderr, "kioskctl report: %s\n", sqlite3_errmsg(r->db));
		goto out;
	}
	char *saved = clock_tz_push(r->zone);
	int step;
	while ((step = sqlite3_step(sel)) == SQLITE_ROW) {
		time_t t = (time_t)sqlite3_column_int64(sel, 1);
		struct tm tm;
		char day[16];
		if (sqlite3_column_type(sel, 1) == SQLITE_NULL || localtime_r(&t, &tm) == NULL)
			continue; /* an unreadable time is not counted */
		strftime(day, sizeof day, "%Y-%m-%d", &tm);
		sqlite3_bind_value(ins, 1, sqlite3_column_value(sel, 0));
		sqlite3_bind_text(ins, 2, day, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int(ins, 3, tm.tm_hour);
		sqlite3_bind_value(ins, 4, sqlite3_column_value(sel, 2));
		if (sqlite3_step(ins) != SQLITE_DONE)
			break;
		sqlite3_reset(ins);
	}
	clock_tz_pop(saved);
	if (step != SQLITE_DONE) {
		fprintf(stderr, "kioskctl report: %s\n", sqlite3_errmsg(r->db));
		goto out;
	}
	rc = 0;
out:
	sqlite3_finalize(sel);
	sqlite3_finalize(ins);
	return rc;
}

/* An export keeps groups as "A; B" text per attendee: split into ag(attendee_id, grp). */
static int load_export_groups(report *r)
{
	sqlite3_stmt *sel = NULL, *ins = NULL;
	int rc = -1, step;
	if (sqlite3_prepare_v2(r->db, "SELECT attendee_id, groups FROM src.attendees", -1, &sel, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(r->db, "INSERT OR IGNORE INTO ag(attendee_id, grp) VALUES (?1, ?2)", -1, &ins, NULL) != SQLITE_OK) {
		fprintf(stderr, "kioskctl report: %s\n", sqlite3_errmsg(r->db));
		goto out;
	}
	while ((step = sqlite3_step(sel)) == SQLITE_ROW) {
		const unsigned char *g = sqlite3_column_text(sel, 1);
		char **names;
		size_t n = split_names(g ? (const char *)g : "", &names);
		for (size_t i = 0; i < n; i++) {
			sqlite3_bind_value(ins, 1, sqlite3_column_value(sel, 0));
			sqlite3_bind_text(ins, 2, names[i], -1, SQLITE_TRANSIENT);
			sqlite3_step(ins);
			sqlite3_reset(ins);
		}
		free_names(names, n);
	}
	rc = step == SQLITE_DONE ? 0 : -1;
out:
	sqlite3_finalize(sel);
	sqlite3_finalize(ins);
	return rc;
}

/* Display width of UTF-8 text: code points, East Asian wide ones counting two. */
static int text_width(const char *s)
{
	int w = 0;
	while (*s) {
		uint32_t cp = utf8_next(&s);
		w += (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) ||
		     (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
		     (cp >= 0xFF00 && cp <= 0xFF60) ? 2 : 1;
	}
	return w;
}

/* One CSV cell. A cell starting with = + - @ TAB or CR is a formula to a spreadsheet: it gets
 * a leading ' and quotes (OWASP "CSV injection"), so it shows as the text it is. */
static void csv_field(const char *s)
{
	int formula = s[0] != '\0' && strchr("=+-@\t\r", s[0]) != NULL;
	if (!formula && strpbrk(s, ",\"\r\n") == NULL) {
		fputs(s, stdout);
		return;
	}
	putchar('"');
	if (formula)
		putchar('\'');
	for (; *s; s++) {
		if (*s == '"')
			putchar('"');
		putchar(*s);
	}
	putchar('"');
}

/* Runs one section's query: columns key, [hour,] checkins, attendees. */
static int section(report *r, const char *name, const char *title, const char *sql, int with_hour)
{
	sqlite3_stmt *st;
	int step;
	if (sqlite3_prepare_v2(r->db, sql, -1, &st, NULL) != SQLITE_OK) {
		fprintf(stderr, "kioskctl report: %s\n", sqlite3_errmsg(r->db));
		return -1;
	}
	if (!r->csv)
		printf("\n%-44s %10s %10s\n", title, "check-ins", "attendees");
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		const char *key = (const char *)sqlite3_column_text(st, 0);
		int hour = sqlite3_column_int(st, 1);
		long long n = sqlite3_column_int64(st, 2), people = sqlite3_column_int64(st, 3);
		key = key ? key : "";
		if (r->csv) {
			printf("%s,", name);
			csv_field(key);
			if (with_hour)
				printf(",%02d:00,%lld,%lld,", hour, n, people);
			else
				printf(",,%lld,%lld,", n, people);
			csv_field(r->zone);
			putchar('\n');
		} else {
			char label[512];
			if (with_hour)
				snprintf(label, sizeof label, "%s %02d:00", key, hour);
			else
				snprintf(label, sizeof label, "%s", key);
			int pad = 44 - text_width(label);
			printf("%s%*s %10lld %10lld\n", label, pad > 0 ? pad : 0, "", n, people);
		}
	}
	sqlite3_finalize(st);
	return step == SQLITE_DONE ? 0 : -1;
}

int cmd_report(int argc, char **argv)
{
	report r;
	const char *path = NULL;
	char *uri = NULL;
	int rc = EXIT_BADINPUT;

	memset(&r, 0, sizeof r);
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--csv") == 0)
			r.csv = 1;
		else if (argv[i][0] != '-' && path == NULL)
			path = argv[i];
		else
			goto usage;
	}
	if (path == NULL)
		goto usage;

	FILE *probe = fopen(path, "rb");
	if (probe == NULL) {
		fprintf(stderr, "%s: cannot open\n", path);
		return EXIT_BADINPUT;
	}
	fclose(probe);
	if (sqlite3_open(":memory:", &r.db) != SQLITE_OK)
		goto out;
	uri = sqlite3_mprintf("file:%s?mode=ro", path);
	sqlite3_stmt *att;
	/* ATTACH with a bound URI: no quoting trouble with odd file names. */
	if (sqlite3_db_config(r.db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(r.db, "ATTACH ?1 AS src", -1, &att, NULL) != SQLITE_OK) {
		fprintf(stderr, "%s: %s\n", path, sqlite3_errmsg(r.db));
		goto out;
	}
	sqlite3_bind_text(att, 1, uri, -1, SQLITE_STATIC);
	int arc = sqlite3_step(att);
	sqlite3_finalize(att);
	if (arc != SQLITE_DONE) {
		fprintf(stderr, "%s: cannot open: %s\n", path, sqlite3_errmsg(r.db));
		goto out;
	}
	if (!has_table(&r, "checkins") || !has_table(&r, "attendees")) {
		fprintf(stderr, "%s: not a Kith kiosk database or check-in export (no checkins table)\n", path);
		goto out;
	}
	int is_export = !has_table(&r, "memberships");
	if (has_table(&r, "meta")) {
		sqlite3_stmt *st;
		if (sqlite3_prepare_v2(r.db, "SELECT value FROM src.meta WHERE key = 'timezone'", -1, &st, NULL) == SQLITE_OK) {
			if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0) != NULL &&
			    tz_valid((const char *)sqlite3_column_text(st, 0)))
				str_copy_utf8(r.zone, sizeof r.zone, (const char *)sqlite3_column_text(st, 0));
			sqlite3_finalize(st);
		}
	}
	if (r.zone[0] == '\0') {
		snprintf(r.zone, sizeof r.zone, "UTC");
		fprintf(stderr, "kioskctl report: %s names no conference time zone; days and hours are in UTC\n", path);
	}
	if (exec(&r, "CREATE TABLE ci(attendee_id TEXT, day TEXT, hour INTEGER, method TEXT);"
		     "CREATE TABLE ag(attendee_id TEXT, grp TEXT, PRIMARY KEY(attendee_id, grp));") < 0)
		goto out;
	if (exec(&r, "BEGIN") < 0 || load_checkins(&r, is_export) < 0)
		goto out;
	if (is_export ? load_export_groups(&r) < 0
		      : exec(&r, "INSERT OR IGNORE INTO ag SELECT a.attendee_id, g.name FROM src.attendees a "
				 "JOIN src.memberships m ON m.attendee = a.id JOIN src.groups g ON g.id = m.group_id") < 0)
		goto out;
	if (exec(&r, "COMMIT; CREATE INDEX ci_att ON ci(attendee_id);") < 0)
		goto out;

	if (r.csv) {
		printf("section,key,hour,checkins,attendees,time_zone\n");
	} else {
		sqlite3_stmt *st;
		if (sqlite3_prepare_v2(r.db, "SELECT count(*), count(DISTINCT attendee_id), "
				       "(SELECT count(DISTINCT kiosk_id) FROM src.checkins) FROM ci", -1, &st, NULL) != SQLITE_OK)
			goto out;
		if (sqlite3_step(st) == SQLITE_ROW)
			printf("%s: %lld check-ins by %lld attendees at %lld kiosks (times in %s)\n", path,
			       (long long)sqlite3_column_int64(st, 0), (long long)sqlite3_column_int64(st, 1),
			       (long long)sqlite3_column_int64(st, 2), r.zone);
		sqlite3_finalize(st);
	}
	if (section(&r, "total", "Total", "SELECT 'all', 0, count(*), count(DISTINCT attendee_id) FROM ci", 0) < 0 ||
	    section(&r, "group", "Per group",
		    "SELECT ag.grp, 0, count(*), count(DISTINCT ci.attendee_id) FROM ci JOIN ag USING (attendee_id) "
		    "GROUP BY ag.grp ORDER BY 3 DESC, 1", 0) < 0 ||
	    section(&r, "method", "Per method (badge, or staff on their behalf)",
		    "SELECT method, 0, count(*), count(DISTINCT attendee_id) FROM ci GROUP BY method "
		    "ORDER BY method", 0) < 0 ||
	    section(&r, "day", "Per day",
		    "SELECT day, 0, count(*), count(DISTINCT attendee_id) FROM ci GROUP BY day ORDER BY day", 0) < 0 ||
	    section(&r, "hour", "Per hour",
		    "SELECT day, hour, count(*), count(DISTINCT attendee_id) FROM ci GROUP BY day, hour ORDER BY day, hour", 1) < 0)
		goto out;
	rc = EXIT_OK;
out:
	sqlite3_free(uri);
	sqlite3_close(r.db);
	return rc;
usage:
	fprintf(stderr, "usage: kioskctl report DB_OR_EXPORT [--csv]\n");
	return EXIT_USAGE;
}
