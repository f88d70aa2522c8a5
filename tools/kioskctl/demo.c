/* `kioskctl demo`: a believable library conference, the data `make run` shows.
 *
 * Deterministic for a seed (our own splitmix64, never rand()), so tests and screenshots can
 * rely on it; everything is written through the store API in one transaction into a temp file
 * that is renamed over DB at the end, so a half-built demo never exists. Times are relative to
 * "now" (--now pins it): four days of sessions starting today in the conference zone, and
 * check-ins from several kiosks earlier today, so "now & next" and "colleagues here" are
 * never empty when someone tries the kiosk. Start reading at cmd_demo(). */
#include "kioskctl.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common/clock.h"
#include "common/util.h"
#include "demo_data.h"

typedef struct demo_opts {
	long attendees, groups, sessions, checkins; /* checkins < 0: about 40% of attendees */
	uint64_t seed;
	int64_t now;
	const char *tz;
} demo_opts;

typedef struct demo {
	demo_opts o;
	uint64_t rng;     /* splitmix64 state */
	store *s;
	char **names;     /* attendee names (speakers are drawn from them) */
	char **groups;    /* the groups in use */
	long ngroups;
	int64_t day0;     /* local midnight that begins today (UTC epoch) */
} demo;

static uint64_t rnd(demo *d)
{
	uint64_t z = (d->rng += 0x9E3779B97F4A7C15ULL);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

static long rnd_below(demo *d, long n)
{
	return n <= 1 ? 0 : (long)(rnd(d) % (uint64_t)n);
}

static double rnd_unit(demo *d)
{
	return (double)(rnd(d) >> 11) / 9007199254740992.0;
}

/* Skewed pick in [0, n): low indexes are common (big groups, busy libraries). */
static long rnd_skewed(demo *d, long n)
{
	double u = rnd_unit(d);
	long i = (long)(n * u * u);
	return i < n ? i : n - 1;
}

/* Commits every DEMO_CHUNK rows: one huge transaction would outgrow SQLite's page cache and
 * spill dirty pages over and over (minutes instead of seconds at 100,000 attendees). The demo
 * is still all-or-nothing: it is built in a temp file renamed into place at the end. */
#define DEMO_CHUNK 2000
static int demo_chunk(demo *d, long i)
{
	if (i % DEMO_CHUNK != DEMO_CHUNK - 1)
		return 0;
	return store_commit(d->s) < 0 || store_begin(d->s) < 0 ? -1 : 0;
}

static char *demo_name(demo *d)
{
	int total = 0, pick;
	for (int i = 0; i < demo_ncultures; i++)
		total += demo_cultures[i].weight;
	pick = (int)rnd_below(d, total);
	const struct demo_culture *c = demo_cultures;
	while (pick >= c->weight) {
		pick -= c->weight;
		c++;
	}
	const char *g = c->given[rnd_below(d, c->ngiven)];
	const char *f = c->family[rnd_below(d, c->nfamily)];
	char buf[256];
	switch (c->order) {
	case DEMO_GIVEN_FIRST: snprintf(buf, sizeof buf, "%s %s", g, f); break;
	case DEMO_FAMILY_FIRST: snprintf(buf, sizeof buf, "%s %s", f, g); break;
	case DEMO_FAMILY_FIRST_TIGHT: snprintf(buf, sizeof buf, "%s%s", f, g); break;
	case DEMO_GIVEN_ONLY: snprintf(buf, sizeof buf, "%s", g); break;
	}
	return xstrdup(buf);
}

static int demo_rooms_put(demo *d)
{
	for (int i = 0; i < demo_nrooms; i++) {
		const struct demo_room *r = &demo_rooms[i];
		char poly[128];
		snprintf(poly, sizeof poly, "%d,%d %d,%d %d,%d %d,%d", r->x, r->y, r->x + r->w, r->y,
			 r->x + r->w, r->y + r->h, r->x, r->y + r->h);
		store_room_in in = { r->name, r->floor, r->floor_name, r->area, poly };
		if (store_room_put(d->s, &in) < 0)
			return -1;
	}
	return 0;
}

static int demo_attendees_put(demo *d)
{
	d->names = xcalloc((size_t)d->o.attendees, sizeof *d->names);
	/* A bijection of the index gives unique 7-byte NXP-style UIDs (04:...) without a lookup. */
	uint64_t uid_salt = rnd(d) & 0xFFFFFFFFFFFFULL;
	for (long i = 0; i < d->o.attendees; i++) {
		char id[32];
		snprintf(id, sizeof id, "A-%05ld", i + 1);
		d->names[i] = demo_name(d);
		double v = rnd_unit(d);
		int visible = v < 0.82 ? STORE_VISIBLE_YES : v < 0.91 ? STORE_VISIBLE_NO : STORE_VISIBLE_UNSET;
		store_attendee_in in = { id, d->names[i],
					 demo_libraries[rnd_skewed(d, demo_nlibraries)], visible };
		if (store_attendee_put(d->s, &in) < 0)
			return -1;
		double k = rnd_unit(d);
		int ng = k < 0.40 ? 1 : k < 0.75 ? 2 : k < 0.93 ? 3 : 4;
		for (int g = 0; g < ng; g++)
			if (store_attendee_add_group(d->s, id, d->groups[rnd_skewed(d, d->ngroups)]) < 0)
				return -1;
		uint64_t x = ((uint64_t)(i + 1) * 0x9E3779B97F4BULL + uid_salt) & 0xFFFFFFFFFFFFULL;
		uint8_t uid[7] = { 0x04 };
		for (int b = 0; b < 6; b++)
			uid[1 + b] = (uint8_t)(x >> (8 * (5 - b)));
		if (store_badge_put(d->s, uid, sizeof uid, id) < 0 || demo_chunk(d, i) < 0)
			return -1;
	}
	return 0;
}

static void demo_speakers(demo *d, char *buf, size_t len)
{
	int n = 1 + (int)rnd_below(d, 3);
	buf[0] = '\0';
	for (int i = 0; i < n; i++) {
		size_t used = strlen(buf);
		snprintf(buf + used, len - used, "%s%s", i ? "; " : "",
			 d->names[rnd_below(d, d->o.attendees)]);
	}
}

struct slot {
	int start_min, minutes; /* local minutes after midnight */
};
static const struct slot demo_slots[] = {
	{ 9 * 60, 75 }, { 10 * 60 + 30, 75 }, { 12 * 60, 45 }, { 13 * 60 + 30, 75 },
	{ 15 * 60, 75 }, { 16 * 60 + 30, 75 }, { 18 * 60, 60 },
};
#define NSLOTS ((long)ARRAY_LEN(demo_slots))

static int demo_session_put(demo *d, const char *id, const char *title, const char *room,
			    int64_t start, int64_t end)
{
	char speakers[STORE_SPEAKERS_MAX], abstract[640];
	demo_speakers(d, speakers, sizeof speakers);
	/* An abstract of a few lines, so the session detail shows one; no random draw, so the
	 * same seed still gives the same conference as before. */
	snprintf(abstract, sizeof abstract, "%s: what worked, what did not, and what we would do "
		 "differently next time. The speakers walk through a real deployment, with the "
		 "numbers, the mistakes and the fixes.\nBring your questions: the last fifteen "
		 "minutes are for discussion.", title);
	store_session_in in = { id, title, demo_tracks[rnd_below(d, demo_ntracks)], room, speakers,
				start, end, abstract };
	if (store_session_put(d->s, &in) < 0)
		return -1;
	if (rnd_unit(d) < 0.6 &&
	    store_session_add_group(d->s, id, d->groups[rnd_below(d, d->ngroups)]) < 0)
		return -1;
	return 0;
}

/* The local midnight that begins day n of the conference (DST-safe: resolved per day). */
static int64_t demo_day(demo *d, int n)
{
	return clock_local_midnight_in(d->o.tz, d->day0 + (int64_t)n * 86400 + 12 * 3600);
}

static int demo_sessions_put(demo *d)
{
	/* Sessions go in every room except the foyer; the auditorium opens each day. */
	const char *rooms[32];
	long nrooms = 0;
	for (int i = 0; i < demo_nrooms && nrooms < 32; i++)
		if (strcmp(demo_rooms[i].name, "Foyer") != 0)
			rooms[nrooms++] = demo_rooms[i].name;
	for (long k = 0; k < d->o.sessions; k++) {
		long day = k * 4 / d->o.sessions;
		long first = day * d->o.sessions / 4;
		long j = k - first;
		const struct slot *sl = &demo_slots[j % NSLOTS];
		const char *room = rooms[(nrooms - 4 + j / NSLOTS) % nrooms]; /* Auditorium first */
		int64_t start = demo_day(d, (int)day) + sl->start_min * 60;
		char id[32], title[STORE_TITLE_MAX];
		snprintf(id, sizeof id, "S-%04ld", k + 1);
		if (j == 0)
			snprintf(title, sizeof title, "Keynote: %s", demo_title_topic[rnd_below(d, demo_ntitle_topic)]);
		else
			snprintf(title, sizeof title, "%s %s", demo_title_lead[rnd_below(d, demo_ntitle_lead)],
				 demo_title_topic[rnd_below(d, demo_ntitle_topic)]);
		title[0] = title[0] >= 'a' && title[0] <= 'z' ? (char)(title[0] - 32) : title[0];
		if (demo_session_put(d, id, title, room, start, start + sl->minutes * 60) < 0)
			return -1;
	}
	/* Outside programme hours, an open lounge programme keeps "now & next" alive. */
	int64_t hour = d->o.now - (d->o.now - d->day0) % 3600;
	int local_hour = (int)((d->o.now - d->day0) / 3600);
	if (local_hour < 9 || local_hour >= 19) {
		static const char *const owls[] = {
			"Night Owls: open study hall", "Night Owls: unconference pitches",
			"Night Owls: library trivia", "Night Owls: quiet reading hour",
		};
		for (int i = 0; i < 4; i++) {
			char id[32];
			snprintf(id, sizeof id, "S-N%d", i + 1);
			if (demo_session_put(d, id, owls[i], "Members Lounge", hour + i * 3600,
					     hour + (i + 1) * 3600) < 0)
				return -1;
		}
	}
	return 0;
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

/* Check-ins earlier today at every kiosk, in time order per kiosk (seq follows time). */
static int demo_checkins_put(demo *d)
{
	int64_t open = d->day0 + 7 * 3600 + 30 * 60;
	if (open > d->o.now - 3600)
		open = d->o.now - 3600 > d->day0 ? d->o.now - 3600 : d->day0;
	int64_t span = d->o.now - 60 - open;
	if (span < 60)
		span = 60;
	long per = d->o.checkins / demo_nkiosks + 1;
	int64_t *times = xcalloc((size_t)per, sizeof *times);
	store_tap tap;

	store_set_repeat_window(d->s, 60);
	for (int k = 0; k < demo_nkiosks; k++) {
		long n = d->o.checkins / demo_nkiosks + (k < d->o.checkins % demo_nkiosks);
		if (store_kiosk_set(d->s, demo_kiosks[k].id, demo_kiosks[k].location) < 0)
			goto fail;
		for (long i = 0; i < n; i++) {
			/* Arrivals bunch up in the morning: skew towards the start. */
			double u = rnd_unit(d);
			times[i] = open + (int64_t)(span * (k % 2 ? u : u * (0.5 + 0.5 * u)));
		}
		qsort(times, (size_t)n, sizeof *times, cmp_i64);
		for (long i = 0; i < n; i++) {
			char id[32];
			snprintf(id, sizeof id, "A-%05ld", rnd_below(d, d->o.attendees) + 1);
			if (store_checkin_record(d->s, id, times[i], d->day0, &tap) < 0 ||
			    demo_chunk(d, i) < 0)
				goto fail;
		}
	}
	free(times);
	return 0;
fail:
	free(times);
	return -1;
}

static int parse_long(const char *s, long min, long max, long *out)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

/* The conference zone: --tz, else $TZ, else /etc/timezone, else UTC. */
static char *demo_zone(const char *opt)
{
	if (opt != NULL)
		return xstrdup(opt);
	const char *env = getenv("TZ");
	if (env != NULL && tz_valid(env[0] == ':' ? env + 1 : env))
		return xstrdup(env[0] == ':' ? env + 1 : env);
	FILE *f = fopen("/etc/timezone", "r");
	char buf[128];
	if (f != NULL) {
		int ok = fgets(buf, sizeof buf, f) != NULL;
		fclose(f);
		if (ok && tz_valid(str_trim(buf)))
			return xstrdup(buf);
	}
	return xstrdup("UTC");
}

static int demo_build(demo *d, const char *path)
{
	char title[96];
	time_t now = (time_t)d->o.now;
	struct tm tm;
	gmtime_r(&now, &tm);
	snprintf(title, sizeof title, "Library Learning Summit %d", tm.tm_year + 1900);

	if (store_begin(d->s) < 0)
		return -1;
	if (store_meta_set(d->s, "conference_name", title) < 0 ||
	    store_meta_set(d->s, "timezone", d->o.tz) < 0 ||
	    demo_rooms_put(d) < 0 || demo_attendees_put(d) < 0 || demo_sessions_put(d) < 0 ||
	    demo_checkins_put(d) < 0) {
		fprintf(stderr, "%s: %s\n", path, store_errmsg(d->s));
		store_rollback(d->s);
		return -1;
	}
	if (store_commit(d->s) < 0) {
		fprintf(stderr, "%s: %s\n", path, store_errmsg(d->s));
		return -1;
	}
	return 0;
}

int cmd_demo(int argc, char **argv)
{
	demo d;
	const char *db = NULL, *tzopt = NULL;
	char *zone = NULL;
	char tmp[4096] = "";
	int rc = EXIT_BADINPUT;
	long seed = 1;

	memset(&d, 0, sizeof d);
	d.o.attendees = 2000;
	d.o.groups = 24;
	d.o.sessions = 240;
	d.o.checkins = -1;
	d.o.now = clock_now();
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		long n;
		if (a[0] != '-') {
			if (db != NULL)
				goto usage;
			db = a;
			continue;
		}
		if (v == NULL)
			goto usage;
		i++;
		if (strcmp(a, "--attendees") == 0 && parse_long(v, 1, 10000000, &n) == 0)
			d.o.attendees = n;
		else if (strcmp(a, "--groups") == 0 && parse_long(v, 1, 10000, &n) == 0)
			d.o.groups = n;
		else if (strcmp(a, "--sessions") == 0 && parse_long(v, 1, 1000000, &n) == 0)
			d.o.sessions = n;
		else if (strcmp(a, "--checkins") == 0 && parse_long(v, 0, 100000000, &n) == 0)
			d.o.checkins = n;
		else if (strcmp(a, "--seed") == 0 && parse_long(v, 0, 0x7fffffffL, &n) == 0)
			seed = n;
		else if (strcmp(a, "--now") == 0 && parse_long(v, 86400 * 2, 0x7fffffffL, &n) == 0)
			d.o.now = n;
		else if (strcmp(a, "--tz") == 0 && tz_valid(v))
			tzopt = v;
		else
			goto usage;
	}
	if (db == NULL)
		goto usage;
	if (d.o.checkins < 0)
		d.o.checkins = d.o.attendees * 2 / 5;
	d.o.seed = (uint64_t)seed;
	d.rng = 0x4B697468ULL * 2654435761ULL ^ d.o.seed;
	zone = demo_zone(tzopt);
	d.o.tz = zone;
	d.day0 = clock_local_midnight_in(zone, d.o.now);

	/* Never overwrite real conference data. */
	if (access(db, F_OK) == 0) {
		store *old = NULL;
		store_stats st = { 0 };
		if (store_open(&old, db, STORE_OPEN_READONLY) < 0 ||
		    store_stats_get(old, 0, &st) < 0) {
			fprintf(stderr, "%s: exists and is not a Kith database; demo needs a new file\n", db);
			store_close(old);
			goto out;
		}
		store_close(old);
		if (st.attendees_total > 0 || st.checkins_total > 0) {
			fprintf(stderr, "%s: already holds %lld attendees and %lld check-ins; demo needs a new file (delete it first)\n",
				db, (long long)st.attendees_total, (long long)st.checkins_total);
			goto out;
		}
	}

	d.ngroups = d.o.groups;
	d.groups = xcalloc((size_t)d.ngroups, sizeof *d.groups);
	for (long i = 0; i < d.ngroups; i++) {
		char buf[64];
		if (i < demo_ngroups)
			d.groups[i] = xstrdup(demo_groups[i]);
		else {
			snprintf(buf, sizeof buf, "Regional Network %ld", i - demo_ngroups + 1);
			d.groups[i] = xstrdup(buf);
		}
	}

	snprintf(tmp, sizeof tmp, "%s.demo-tmp", db);
	unlink(tmp);
	if (store_open(&d.s, tmp, STORE_OPEN_CREATE) < 0) {
		fprintf(stderr, "%s: cannot create: %s\n", tmp, d.s ? store_errmsg(d.s) : "");
		goto out;
	}
	if (demo_build(&d, db) < 0)
		goto out;
	store_close(d.s);
	d.s = NULL;
	if (rename(tmp, db) < 0) {
		fprintf(stderr, "%s: cannot rename %s into place: %s\n", db, tmp, strerror(errno));
		goto out;
	}
	rc = EXIT_OK;
out:
	store_close(d.s);
	if (rc != EXIT_OK && tmp[0] != '\0')
		unlink(tmp);
	if (d.names != NULL)
		for (long i = 0; i < d.o.attendees; i++)
			free(d.names[i]);
	free(d.names);
	for (long i = 0; i < d.ngroups; i++)
		free(d.groups[i]);
	free(d.groups);
	free(zone);
	return rc;
usage:
	fprintf(stderr, "usage: kioskctl demo DB [--attendees N] [--groups N] [--sessions N] [--seed S]\n"
			"                    [--checkins N] [--now EPOCH] [--tz ZONE]\n");
	return EXIT_USAGE;
}
