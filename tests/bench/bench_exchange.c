/* Exchange benchmark driver (make bench, via tests/bench/bench-exchange.sh).
 *
 * What publishing and taking in cost as a conference grows (docs/CONTRACT.md "Exchange"):
 *   - publish per tap (time and bytes written) at 10,000 and at 1,000,000 existing check-ins
 *     of this kiosk (goal: ratio <= 1.5), and with the open block nearly full (worst case);
 *   - the first publish of 500,000 check-ins (every sealed segment at once);
 *   - a kiosk that has merged 500,000 of a peer's check-ins taking one new one (every file of
 *     the peer's folder offered, as a rescan would);
 *   - the first full merge of 2 x 500,000 (two stick whole files) into a fresh kiosk, the
 *     16 s of issue 12, for comparison.
 * Fixtures are written with direct SQL (one recursive INSERT through the store's triggers).
 * Prints rows of the make-bench table; never fails on a time.
 *
 * Usage: bench_exchange DIR [BIG]   (BIG: the large fixture, default 1000000)
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "common/util.h"
#include "store/export.h"
#include "store/store.h"
#include "sync/exchange.h"

#define DAY0 1795737600 /* 2026-11-27T00:00:00Z */
#define ATTENDEES 2000
#define TAPS 30

static const char *dir;

static void die_if(int bad, const char *what, const char *why)
{
	if (bad) {
		fprintf(stderr, "bench_exchange: %s: %s\n", what, why);
		exit(1);
	}
}

static void row(const char *measure, double median_ms, double p99_ms, const char *target,
		const char *note)
{
	char med[32], p99[32];
	snprintf(med, sizeof med, "%.3f ms", median_ms);
	if (p99_ms >= 0)
		snprintf(p99, sizeof p99, "%.3f ms", p99_ms);
	else
		snprintf(p99, sizeof p99, "-");
	printf("%-10s | %-52s | %12s | %12s | %-22s | %s\n", "exchange", measure, med, p99, target,
	       note);
	fflush(stdout);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* CPU time of this process, ns: on a loaded machine, wall time mostly measures the others. */
static uint64_t cpu_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static double ms(uint64_t ns)
{
	return (double)ns / 1e6;
}

/* A kiosk database name.db with ATTENDEES attendees and n check-ins of kiosk id. */
static store *fixture(const char *name, const char *id, int64_t n)
{
	char path[512], sql[600];
	store *s;
	sqlite3 *db;
	snprintf(path, sizeof path, "%s/%s.db", dir, name);
	die_if(store_open(&s, path, STORE_OPEN_CREATE) < 0, path, "open");
	die_if(store_kiosk_set(s, id, id) < 0, id, store_errmsg(s));
	store_set_repeat_window(s, 0);
	store_close(s);
	die_if(sqlite3_open(path, &db) != SQLITE_OK, path, "sqlite open");
	snprintf(sql, sizeof sql,
		 "PRAGMA synchronous = OFF; BEGIN;"
		 "WITH RECURSIVE i(v) AS (SELECT 1 UNION ALL SELECT v + 1 FROM i WHERE v < %d) "
		 "INSERT INTO attendees(attendee_id, name, visible) SELECT 'p' || v, 'Person ' || v, 1 "
		 "FROM i;"
		 "WITH RECURSIVE i(v) AS (SELECT 1 UNION ALL SELECT v + 1 FROM i WHERE v < %lld) "
		 "INSERT INTO checkins(kiosk_id, seq, attendee_id, checked_in_at) "
		 "SELECT '%s', v, 'p' || (1 + v %% %d), %d + v / 4 FROM i; COMMIT",
		 ATTENDEES, (long long)n, id, ATTENDEES, DAY0);
	die_if(sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK, "fixture", sqlite3_errmsg(db));
	sqlite3_close(db);
	die_if(store_open(&s, path, 0) < 0, path, "reopen");
	die_if(store_kiosk_set(s, id, id) < 0, id, store_errmsg(s));
	store_set_repeat_window(s, 0);
	return s;
}

static void tap(store *s, int64_t i)
{
	store_tap t;
	char who[16];
	snprintf(who, sizeof who, "p%lld", (long long)(1 + i % ATTENDEES));
	die_if(store_checkin_record(s, who, DAY0 + 86400 + i, DAY0, &t) < 0, "tap", store_errmsg(s));
}

static void publish(store *s, const char *folder, const char *id, exchange_published *p)
{
	char err[400];
	die_if(exchange_publish(s, folder, id, p, err, sizeof err) < 0, "publish", err);
}

/* Publish after each of TAPS taps: median/p99 time and mean bytes written. */
static double publish_per_tap(store *s, const char *id, int64_t existing, const char *label,
			      double *bytes)
{
	char folder[512], measure[96], note[96];
	uint64_t t[TAPS];
	int64_t total = 0;
	exchange_published p;
	snprintf(folder, sizeof folder, "%s/kith-%s", dir, id);
	mkdir(folder, 0755);
	publish(s, folder, id, &p); /* the sealed segments of the fixture, once */
	for (int i = 0; i < TAPS; i++) {
		tap(s, existing + i);
		uint64_t t0 = time_mono_ns();
		publish(s, folder, id, &p);
		t[i] = time_mono_ns() - t0;
		total += p.bytes_written;
	}
	qsort(t, TAPS, sizeof t[0], cmp_u64);
	*bytes = (double)total / TAPS;
	snprintf(measure, sizeof measure, "publish per tap, %s", label);
	snprintf(note, sizeof note, "%.0f bytes written/tap", *bytes);
	row(measure, ms(t[TAPS / 2]), ms(t[TAPS * 99 / 100]), "flat in log size", note);
	return ms(t[TAPS / 2]);
}

/* Offers every file of folder to s, as a transport's rescan would. */
static int64_t take_folder(store *s, const char *folder, int64_t *files)
{
	char tmp[512];
	struct dirent *e;
	int64_t added = 0;
	snprintf(tmp, sizeof tmp, "%s/tmp", dir);
	mkdir(tmp, 0700);
	int fd = open(folder, O_RDONLY | O_DIRECTORY);
	DIR *d = opendir(folder);
	die_if(fd < 0 || d == NULL, folder, "open");
	*files = 0;
	while ((e = readdir(d)) != NULL) {
		exchange_take_result r;
		if (!exchange_name_is_file(e->d_name))
			continue;
		int rc = exchange_take_file(s, fd, e->d_name, NULL, tmp, &r);
		die_if(rc != EXCHANGE_MERGED, e->d_name, r.why);
		added += r.added;
		(*files)++;
	}
	closedir(d);
	close(fd);
	return added;
}

int main(int argc, char **argv)
{
	int64_t big = argc > 2 ? atoll(argv[2]) : 1000000, files;
	double b_small, b_big, b_worst, t_small, t_big;
	char note[160], folder[512], err[400];
	exchange_published p;

	if (argc < 2) {
		fprintf(stderr, "usage: bench_exchange DIR [BIG]\n");
		return 2;
	}
	dir = argv[1];

	/* Publishing at 10k and at 1M of this kiosk's check-ins, and the worst case. */
	store *s10 = fixture("k10", "S", 10000);
	t_small = publish_per_tap(s10, "S", 10000, "10,000 check-ins", &b_small);
	store_close(s10);
	uint64_t t0 = time_mono_ns();
	store *sbig = fixture("kbig", "M", big);
	double fixture_s = (double)(time_mono_ns() - t0) / 1e9;
	char label[96];
	snprintf(label, sizeof label, "%lld check-ins", (long long)big);
	t_big = publish_per_tap(sbig, "M", big, label, &b_big);
	store_close(sbig);
	snprintf(note, sizeof note, "time %.2fx, bytes %.2fx (fixture %.1f s)", t_big / t_small,
		 b_big / b_small, fixture_s);
	row("publish per tap: ratio 1M / 10k", t_big / t_small, -1, "ratio <= 1.5", note);
	store *sw = fixture("kworst", "W", 2 * EXCHANGE_SEGMENT_ROWS - TAPS - 1);
	publish_per_tap(sw, "W", 2 * EXCHANGE_SEGMENT_ROWS - TAPS - 1,
			"open block nearly full (worst)", &b_worst);
	store_close(sw);

	/* A peer with 500k: its first publish, a kiosk's first take, then one new check-in. */
	int64_t half = big / 2;
	store *a = fixture("peer", "A", half);
	snprintf(folder, sizeof folder, "%s/kith-A", dir);
	mkdir(folder, 0755);
	t0 = time_mono_ns();
	publish(a, folder, "A", &p);
	snprintf(note, sizeof note, "%d files, %.1f MB", p.count, (double)p.bytes_written / 1e6);
	snprintf(label, sizeof label, "first publish of %lld (all sealed segments)", (long long)half);
	row(label, ms(time_mono_ns() - t0), -1, "once per kiosk", note);
	store *b = fixture("taker", "B", 0);
	t0 = time_mono_ns();
	uint64_t c0 = cpu_ns();
	int64_t added = take_folder(b, folder, &files);
	snprintf(note, sizeof note, "%lld from %lld files; cpu %.1f s", (long long)added,
		 (long long)files, (double)(cpu_ns() - c0) / 1e9);
	snprintf(label, sizeof label, "first take of a peer's %lld (segments)", (long long)half);
	row(label, ms(time_mono_ns() - t0), -1, "-", note);
	uint64_t inc[TAPS], inc_cpu = 0;
	for (int i = 0; i < TAPS; i++) {
		tap(a, half + i);
		publish(a, folder, "A", &p);
		t0 = time_mono_ns();
		c0 = cpu_ns();
		added = take_folder(b, folder, &files);
		inc_cpu += cpu_ns() - c0;
		inc[i] = time_mono_ns() - t0;
		die_if(added != 1, "incremental take", "did not add exactly 1");
	}
	qsort(inc, TAPS, sizeof inc[0], cmp_u64);
	snprintf(note, sizeof note, "%lld files offered, 1 read; cpu %.1f ms", (long long)files,
		 ms(inc_cpu) / TAPS);
	snprintf(label, sizeof label, "take 1 new check-in after %lld merged", (long long)half);
	row(label, ms(inc[TAPS / 2]), ms(inc[TAPS * 99 / 100]), "<< 16 s; ~1 s budget", note);
	store_close(b);

	/* The stick's way, for comparison: two whole files of 500k into a fresh kiosk. */
	char wa[600], wd[600], stick[512], cmd[1400];
	snprintf(stick, sizeof stick, "%s/stick", dir);
	mkdir(stick, 0755);
	snprintf(wa, sizeof wa, "%s/checkins-A.sqlite", stick);
	snprintf(wd, sizeof wd, "%s/checkins-D.sqlite", stick);
	die_if(export_write(a, wa, NULL, NULL, err, sizeof err) < 0, "export A", err);
	store_close(a);
	/* Kiosk D's file: A's, renamed to D in place (no second 500k fixture to build). */
	snprintf(cmd, sizeof cmd, "cp '%s' '%s'", wa, wd);
	die_if(system(cmd) != 0, "copy", wd);
	sqlite3 *dd;
	die_if(sqlite3_open(wd, &dd) != SQLITE_OK, wd, "open");
	die_if(sqlite3_exec(dd, "BEGIN; UPDATE checkins SET kiosk_id = 'D'; UPDATE kiosks SET "
			    "kiosk_id = 'D'; UPDATE meta SET value = 'D' WHERE key = 'exported_by'; "
			    "DELETE FROM consent; COMMIT; VACUUM", NULL, NULL, NULL) != SQLITE_OK,
	       wd, sqlite3_errmsg(dd));
	sqlite3_close(dd);
	store *c = fixture("fresh", "C", 0);
	t0 = time_mono_ns();
	c0 = cpu_ns();
	added = take_folder(c, stick, &files);
	uint64_t full = time_mono_ns() - t0;
	snprintf(note, sizeof note, "%lld from %lld whole files; cpu %.1f s", (long long)added,
		 (long long)files, (double)(cpu_ns() - c0) / 1e9);
	snprintf(label, sizeof label, "first full merge of 2 x %lld (stick files)", (long long)half);
	row(label, ms(full), -1, "2 x 500k was 16 s", note);
	t0 = time_mono_ns();
	added = take_folder(c, stick, &files);
	row("same 2 whole files again (unchanged)", ms(time_mono_ns() - t0), -1, "-",
	    "skipped by size, mtime, digest");
	store_close(c);
	return 0;
}
