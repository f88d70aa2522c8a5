/* Storage benchmark driver (make bench, via tests/bench/bench-store.sh).
 *
 * Builds a synthetic conference in DIR: 100,000 attendees with badges, in 1-3 of 300 groups
 * (skewed: a few groups have thousands of members, as regional networks do), and 1,000,000
 * check-ins over four days at eight kiosks. Then it times what a tap costs in storage
 * (badge lookup + record with its durable commit + colleague query), and the check-in export
 * against `sqlite3 DB ".backup FILE"` of the same database. Prints rows of the make-bench
 * table; never fails on a time.
 *
 * Usage: bench_store DIR [ATTENDEES CHECKINS TAPS]
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "common/util.h"
#include "store/export.h"
#include "store/store.h"

#define DAY0 1795737600 /* 2026-11-27T00:00:00Z, the first conference day (UTC) */
#define DAYS 4
#define KIOSKS 8
#define GROUPS 300

static uint64_t rng_state = 0x9E3779B97F4A7C15ULL;

static uint64_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static double rng_unit(void)
{
	return (double)(rng() >> 11) / 9007199254740992.0;
}

static void check(int rc, store *s, const char *what)
{
	if (rc < 0) {
		fprintf(stderr, "bench_store: %s: %s\n", what, store_errmsg(s));
		exit(1);
	}
}

static void uid_of(int i, uint8_t uid[7])
{
	uid[0] = 0x04;
	for (int k = 1; k < 7; k++)
		uid[k] = (uint8_t)((uint32_t)(i * 2654435761u) >> (k * 4));
	uid[5] = (uint8_t)(i >> 8);
	uid[6] = (uint8_t)i;
	uid[4] = (uint8_t)(i >> 16);
}

static void group_name(int g, char *out, size_t n)
{
	static const char *const named[] = { "Regional Network North", "CLENE", "Infopeople",
					     "ASTD", "LibraryLearning", "Regional Network South" };
	if (g < (int)ARRAY_LEN(named))
		snprintf(out, n, "%s", named[g]);
	else
		snprintf(out, n, "Special Interest %03d", g);
}

static void build(const char *path, int attendees, int checkins)
{
	store *s;
	char id[32], name[64], gname[64];
	uint64_t t0 = time_mono_ns();

	check(store_open(&s, path, STORE_OPEN_CREATE), s, "open");
	check(store_meta_set(s, "conference_name", "Bench Library Conference"), s, "meta");
	check(store_meta_set(s, "timezone", "UTC"), s, "meta");
	check(store_begin(s), s, "begin");
	for (int i = 0; i < attendees; i++) {
		uint8_t uid[7];
		snprintf(id, sizeof id, "A%06d", i);
		snprintf(name, sizeof name, "Attendee %06d", i);
		/* Most answered yes, some no, some never answered. */
		int r = (int)(rng() % 10);
		store_attendee_in a = { .id = id, .name = name, .affiliation = "Some Library",
					.visible = r < 7 ? 1 : r < 9 ? 0 : -1 };
		check(store_attendee_put(s, &a), s, "attendee");
		uid_of(i, uid);
		check(store_badge_put(s, uid, 7, id), s, "badge");
		int n = 1 + (int)(rng() % 3);
		for (int k = 0; k < n; k++) {
			double u = rng_unit();
			group_name((int)(GROUPS * u * u), gname, sizeof gname);
			check(store_attendee_add_group(s, id, gname), s, "group");
		}
	}
	check(store_commit(s), s, "commit roster");
	for (int k = 0; k < KIOSKS; k++) {
		char kid[16], loc[32];
		snprintf(kid, sizeof kid, "k%d", k);
		snprintf(loc, sizeof loc, "Hall %c entrance", 'A' + k);
		check(store_kiosk_set(s, kid, loc), s, "kiosk");
	}
	store_close(s);
	uint64_t t1 = time_mono_ns();

	/* Check-ins in bulk through plain SQL, with the per-row triggers that keep the derived
	 * tables set aside and those tables rebuilt once at the end (store_presence_rebuild). */
	sqlite3 *db;
	sqlite3_stmt *ins, *trig;
	int64_t seq[KIOSKS] = { 0 };
	char *triggers[8];
	int ntriggers = 0;
	if (sqlite3_open(path, &db) != SQLITE_OK ||
	    sqlite3_exec(db, "PRAGMA synchronous = OFF; PRAGMA cache_size = -262144; BEGIN",
			 NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND "
			       "tbl_name = 'checkins' AND sql LIKE '%AFTER INSERT%'", -1, &trig,
			       NULL) != SQLITE_OK) {
		fprintf(stderr, "bench_store: bulk load: %s\n", sqlite3_errmsg(db));
		exit(1);
	}
	while (ntriggers < 8 && sqlite3_step(trig) == SQLITE_ROW) {
		char drop[128];
		triggers[ntriggers++] = xstrdup((const char *)sqlite3_column_text(trig, 1));
		snprintf(drop, sizeof drop, "DROP TRIGGER \"%s\"", sqlite3_column_text(trig, 0));
		if (sqlite3_exec(db, drop, NULL, NULL, NULL) != SQLITE_OK) {
			fprintf(stderr, "bench_store: %s: %s\n", drop, sqlite3_errmsg(db));
			exit(1);
		}
	}
	sqlite3_finalize(trig);
	if (sqlite3_prepare_v2(db, "INSERT INTO checkins(kiosk_id, seq, attendee_id, checked_in_at) "
			       "VALUES (?1, ?2, ?3, ?4)", -1, &ins, NULL) != SQLITE_OK) {
		fprintf(stderr, "bench_store: bulk load: %s\n", sqlite3_errmsg(db));
		exit(1);
	}
	int per_day = checkins / DAYS;
	for (int i = 0; i < checkins; i++) {
		int day = i / per_day < DAYS ? i / per_day : DAYS - 1;
		int k = (int)(rng() % KIOSKS);
		char kid[16];
		/* 08:00..18:00, in order within the day. */
		int64_t when = DAY0 + 86400LL * day + 8 * 3600 +
			       (int64_t)(i % per_day) * 36000 / per_day;
		snprintf(kid, sizeof kid, "k%d", k);
		snprintf(id, sizeof id, "A%06d", (int)(rng() % (uint64_t)attendees));
		sqlite3_bind_text(ins, 1, kid, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(ins, 2, ++seq[k]);
		sqlite3_bind_text(ins, 3, id, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(ins, 4, when);
		if (sqlite3_step(ins) != SQLITE_DONE) {
			fprintf(stderr, "bench_store: bulk load: %s\n", sqlite3_errmsg(db));
			exit(1);
		}
		sqlite3_reset(ins);
	}
	sqlite3_finalize(ins);
	for (int i = 0; i < ntriggers; i++) {
		if (sqlite3_exec(db, triggers[i], NULL, NULL, NULL) != SQLITE_OK) {
			fprintf(stderr, "bench_store: bulk load: %s\n", sqlite3_errmsg(db));
			exit(1);
		}
		free(triggers[i]);
	}
	if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		fprintf(stderr, "bench_store: bulk load: %s\n", sqlite3_errmsg(db));
		exit(1);
	}
	check(store_open(&s, path, 0), s, "open");
	check(store_presence_rebuild(s), s, "rebuilding presence");
	store_close(s);
	if (sqlite3_exec(db, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL) !=
	    SQLITE_OK) {
		fprintf(stderr, "bench_store: bulk load: %s\n", sqlite3_errmsg(db));
		exit(1);
	}
	sqlite3_close(db);
	fprintf(stderr, "bench_store: roster %d in %.1f s, %d check-ins in %.1f s\n", attendees,
		(double)(t1 - t0) / 1e9, checkins, (double)(time_mono_ns() - t1) / 1e9);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static void row(const char *area, const char *measure, double median_ms, double p99_ms,
		const char *target, const char *note)
{
	char med[32], p99[32];
	snprintf(med, sizeof med, "%.3f ms", median_ms);
	if (p99_ms >= 0)
		snprintf(p99, sizeof p99, "%.3f ms", p99_ms);
	else
		snprintf(p99, sizeof p99, "-");
	printf("%-10s | %-52s | %12s | %12s | %-22s | %s\n", area, measure, med, p99, target, note);
}

static void pct(uint64_t *v, int n, double *median, double *p99)
{
	qsort(v, (size_t)n, sizeof v[0], cmp_u64);
	*median = (double)v[n / 2] / 1e6;
	*p99 = (double)v[(n * 99) / 100] / 1e6;
}

static void taps(const char *path, int attendees, int n)
{
	store *s;
	uint64_t *total = xcalloc((size_t)n, sizeof *total);
	uint64_t *query = xcalloc((size_t)n, sizeof *query);
	uint64_t *rec = xcalloc((size_t)n, sizeof *rec);
	store_group_colleagues groups[8];
	int64_t day_start = DAY0 + 86400LL * (DAYS - 1), now = day_start + 17 * 3600;
	int64_t shown = 0;

	check(store_open(&s, path, 0), s, "open");
	check(store_kiosk_set(s, "kbench", "Bench booth"), s, "kiosk");
	for (int i = 0; i < n; i++) {
		uint8_t uid[7];
		store_attendee who;
		store_tap tap;
		uid_of((int)(rng() % (uint64_t)attendees), uid);
		uint64_t t0 = time_mono_ns();
		if (store_badge_lookup(s, NULL, uid, 7, &who) != 1)
			check(-1, s, "badge lookup found nobody");
		uint64_t t1 = time_mono_ns();
		check(store_checkin_record(s, who.id, now + i, day_start, &tap), s, "record");
		uint64_t t2 = time_mono_ns();
		int g = store_colleagues(s, who.id, day_start, groups, 8);
		check(g, s, "colleagues");
		uint64_t t3 = time_mono_ns();
		for (int k = 0; k < g; k++)
			shown += groups[k].count;
		total[i] = t3 - t0;
		rec[i] = t2 - t1;
		query[i] = (t1 - t0) + (t3 - t2);
	}
	store_close(s);
	double med, p99;
	char note[96];
	pct(total, n, &med, &p99);
	snprintf(note, sizeof note, "%d taps, %.1f colleagues shown/tap", n, (double)shown / n);
	row("store", "tap: badge lookup + record (durable) + colleagues", med, p99, "p99 < 2 ms",
	    note);
	pct(rec, n, &med, &p99);
	row("store", "  of which record + COMMIT (WAL fsync, sync=FULL)", med, p99, "-",
	    "disk fsync latency");
	pct(query, n, &med, &p99);
	row("store", "  of which lookup + colleague query", med, p99, "-", "100k att., 1M check-ins");
	free(total);
	free(query);
	free(rec);
}

static void export_vs_backup(const char *dir, const char *path)
{
	store *s;
	char out[512], bak[512], cmd[1200], err[256];
	uint64_t ex[3], bk[3];

	snprintf(out, sizeof out, "%s/export.sqlite", dir);
	snprintf(bak, sizeof bak, "%s/backup.sqlite", dir);
	check(store_open(&s, path, 0), s, "open");
	for (int r = 0; r < 3; r++) {
		uint64_t t0 = time_mono_ns();
		if (export_write(s, out, NULL, NULL, err, sizeof err) != 0) {
			fprintf(stderr, "bench_store: export: %s\n", err);
			exit(1);
		}
		ex[r] = time_mono_ns() - t0;
		remove(bak);
		snprintf(cmd, sizeof cmd, "sqlite3 '%s' \".backup '%s'\"", path, bak);
		t0 = time_mono_ns();
		if (system(cmd) != 0) {
			fprintf(stderr, "bench_store: %s failed\n", cmd);
			exit(1);
		}
		bk[r] = time_mono_ns() - t0;
	}
	store_close(s);
	qsort(ex, 3, sizeof ex[0], cmp_u64);
	qsort(bk, 3, sizeof bk[0], cmp_u64);
	char note[96];
	snprintf(note, sizeof note, "%.2fx of .backup (%.0f ms)", (double)ex[1] / (double)bk[1],
		 (double)bk[1] / 1e6);
	row("export", "export_write of 1M check-ins (median of 3)", (double)ex[1] / 1e6, -1,
	    "<= 1.2x sqlite3 .backup", note);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: bench_store DIR [ATTENDEES CHECKINS TAPS]\n");
		return 2;
	}
	int attendees = argc > 2 ? atoi(argv[2]) : 100000;
	int checkins = argc > 3 ? atoi(argv[3]) : 1000000;
	int n = argc > 4 ? atoi(argv[4]) : 2000;
	char path[512];
	snprintf(path, sizeof path, "%s/bench.db", argv[1]);
	if (attendees < 1 || checkins < DAYS || n < 1)
		return 2;
	/* BENCH_STORE_REUSE=1 keeps an existing DIR/bench.db (for iterating on the queries). */
	const char *reuse = getenv("BENCH_STORE_REUSE");
	FILE *exists = fopen(path, "rb");
	if (exists)
		fclose(exists);
	if (!(reuse && reuse[0] == '1' && exists))
		build(path, attendees, checkins);
	taps(path, attendees, n);
	export_vs_backup(argv[1], path);
	return 0;
}
