/* kiosk-fixture: a deterministic conference for the kiosk's screen tests, screenshots and bench.
 *
 * Usage: kiosk-fixture DB [--attendees N] [--edge IN OUT]
 * Written through the real storage module (store.h), so the kiosk reads exactly what a roster
 * import would give it. The people the tests look for:
 *   A1  Maria González-Hernández  visible, groups Digital Preservation, Open Access Advocates,
 *                                 Rare Books & Manuscripts; the tapper in most tests
 *   A2  田中 花子 (CJK), A3 محمد العلي (Arabic), A4 Jonas Müller ... A14: visible colleagues,
 *       checked in today at other kiosks
 *   A5  Hidden Hannelore          visible = 0, checked in today: must never appear
 *   A6  Undecided Ulrike          visible unset, checked in today: asked at her tap
 *   A16 Night Owl Nadia, A17 Early Emil, A18 Edge Tapper Theo: group Night Shift only. With
 *       --edge IN OUT (Unix seconds), Nadia checked in at IN and Emil at OUT: the tests pick IN
 *       inside the current conference day and OUT just before it, from their own reckoning of
 *       day_starts, and tap Theo to see Nadia and not Emil.
 * "Now" is clock_now(), so KITH_CLOCK moves the whole fixture. Today's check-ins are "N minutes
 * ago", squeezed into the current conference day when it began less than 75 minutes ago.
 * Badge of attendee Ai: UID 04A1B2C3D4 followed by i as four hex digits (7 bytes).
 * With --attendees N, N more attendees (B1..BN, 200 groups) fill the roster for the bench.
 * Sessions for the groups start every 20 minutes from half an hour ago.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/clock.h"
#include "store/store.h"

#define DP "Digital Preservation"
#define OA "Open Access Advocates"
#define RB "Rare Books & Manuscripts"
#define NS "Night Shift"

static const struct {
	const char *name, *affiliation;
	int visible;
	const char *groups[3];
	int checked_in; /* minutes ago, 0 = not today */
} people[] = {
	{ "Maria González-Hernández", "Biblioteca Nacional de España", 1, { DP, OA, RB }, 0 },
	{ "田中 花子", "国立国会図書館 (National Diet Library)", 1, { DP, NULL, NULL }, 4 },
	{ "محمد العلي", "مكتبة الإسكندرية", 1, { DP, OA, NULL }, 9 },
	{ "Jonas Müller", "Staatsbibliothek zu Berlin", 1, { DP, RB, NULL }, 15 },
	{ "Hidden Hannelore", "Private Archive", 0, { DP, OA, RB }, 2 },
	{ "Undecided Ulrike", "Stadtbücherei Ulm", -1, { DP, OA, NULL }, 3 },
	{ "Priya Raghunathan", "Indian Institute of Science Library", 1, { DP, NULL, NULL }, 21 },
	{ "Olu Adeyemi", "University of Lagos Library", 1, { OA, DP, NULL }, 26 },
	{ "Sofia Rossi", "Biblioteca Ambrosiana", 1, { RB, DP, NULL }, 33 },
	{ "Liam O'Connor", "Trinity College Dublin", 1, { DP, NULL, NULL }, 41 },
	{ "Chen Wei", "Peking University Library", 1, { OA, NULL, NULL }, 48 },
	{ "Emma Johansson", "Kungliga biblioteket", 1, { DP, OA, NULL }, 55 },
	{ "Nguyễn Thị Hương", "National Library of Vietnam", 1, { DP, NULL, NULL }, 62 },
	{ "Aleksandra Wiśniewska-Kowalczyk", "Biblioteka Narodowa, Warszawa", 1, { DP, RB, NULL }, 70 },
	{ "Tomás Ó Briain", "Leabharlann Náisiúnta na hÉireann", 1, { OA, NULL, NULL }, 0 },
	{ "Night Owl Nadia", "Nachtbibliothek", 1, { NS, NULL, NULL }, 0 },
	{ "Early Emil", "Frühbücherei", 1, { NS, NULL, NULL }, 0 },
	{ "Edge Tapper Theo", "Randarchiv", 1, { NS, NULL, NULL }, 0 },
};

static const struct {
	const char *id, *location;
} kiosks[] = {
	{ "k-hall-c", "Hall C foyer" },
	{ "k-level2", "Level 2 lounge" },
	{ "k-east", "East entrance" },
};

static const char *titles[] = {
	"Preserving born-digital archives at scale",
	"Open metadata: a hands-on workshop",
	"Conservation of medieval bindings",
	"Persistent identifiers for everyone",
	"Web archiving on a small budget",
	"Rights, licences and open access mandates",
};
static const char *rooms[] = { "Hall A", "Room 2.14", "Auditorium", "Hall C", "Room 1.02" };

static void uid_of(const char *prefix, int i, uint8_t uid[7])
{
	uid[0] = 0x04;
	uid[1] = prefix[0] == 'A' ? 0xA1 : 0xB1;
	uid[2] = 0xB2;
	uid[3] = 0xC3;
	uid[4] = 0xD4;
	uid[5] = (uint8_t)(i >> 8);
	uid[6] = (uint8_t)i;
}

static int fail(store *s, const char *what)
{
	fprintf(stderr, "kiosk-fixture: %s: %s\n", what, s ? store_errmsg(s) : "open failed");
	return 1;
}

/* "m minutes ago", kept inside the conference day that began at day_start (order kept). */
static int64_t minutes_ago(time_t now, int64_t day_start, int m)
{
	int64_t span = (int64_t)now - day_start;
	if (span >= 75 * 60)
		return (int64_t)now - m * 60;
	return (int64_t)now - span * m / 71;
}

int main(int argc, char **argv)
{
	store *s = NULL;
	int extra = 0;
	time_t now;
	int64_t day_start;
	char id[32];

	long long edge_in = 0, edge_out = 0;
	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--attendees") == 0 && i + 1 < argc) {
			extra = atoi(argv[++i]);
		} else if (strcmp(argv[i], "--edge") == 0 && i + 2 < argc) {
			edge_in = atoll(argv[i + 1]);
			edge_out = atoll(argv[i + 2]);
			i += 2;
		} else {
			argc = 0;
		}
	}
	if (argc < 2) {
		fprintf(stderr, "usage: kiosk-fixture DB [--attendees N] [--edge IN OUT]\n");
		return 2;
	}
	remove(argv[1]);
	if (store_open(&s, argv[1], STORE_OPEN_CREATE) != 0)
		return fail(s, argv[1]);
	setenv("TZ", "Europe/Berlin", 1);
	tzset();
	if (clock_init() != 0) /* "now" is the tests' instant (KITH_CLOCK), as in the kiosk */
		return 2;
	now = (time_t)clock_now();
	day_start = clock_day_start((int64_t)now);
	store_meta_set(s, "conference_name", "Libraries Connect 2026");
	store_meta_set(s, "timezone", "Europe/Berlin");
	if (store_begin(s) != 0)
		return fail(s, "begin");
	for (size_t i = 0; i < sizeof people / sizeof people[0]; i++) {
		store_attendee_in a = { id, people[i].name, people[i].affiliation, people[i].visible };
		uint8_t uid[7];
		snprintf(id, sizeof id, "A%zu", i + 1);
		if (store_attendee_put(s, &a) != 0)
			return fail(s, id);
		uid_of("A", (int)i + 1, uid);
		store_badge_put(s, uid, 7, id);
		for (int g = 0; g < 3 && people[i].groups[g]; g++)
			store_attendee_add_group(s, id, people[i].groups[g]);
	}
	for (int i = 1; i <= extra; i++) {
		char name[64], grp[32];
		store_attendee_in a = { id, name, "Public Library", 1 };
		uint8_t uid[7];
		snprintf(id, sizeof id, "B%d", i);
		snprintf(name, sizeof name, "Bench Attendee %d", i);
		if (store_attendee_put(s, &a) != 0)
			return fail(s, id);
		uid_of("B", i, uid);
		uid[4] = (uint8_t)(i >> 16);
		store_badge_put(s, uid, 7, id);
		snprintf(grp, sizeof grp, "Section %03d", i % 200);
		store_attendee_add_group(s, id, grp);
		store_attendee_add_group(s, id, i % 7 == 0 ? DP : OA);
	}
	for (int i = 0; i < 48; i++) {
		char sid[16], title[128];
		store_session_in in;
		snprintf(sid, sizeof sid, "S%02d", i + 1);
		snprintf(title, sizeof title, "%s%s", titles[i % 6], i >= 6 ? " (repeat)" : "");
		in.id = sid;
		in.title = title;
		in.track = i % 2 ? "Preservation" : "Open Science";
		in.room = rooms[i % 5];
		in.speakers = "A. Speaker; B. Speaker";
		in.start = (int64_t)now - 1800 + i * 1200;
		in.end = in.start + 3600;
		if (store_session_put(s, &in) != 0)
			return fail(s, sid);
		store_session_add_group(s, sid, i % 3 == 2 ? RB : i % 2 ? DP : OA);
	}
	if (store_commit(s) != 0)
		return fail(s, "commit");
	/* Colleagues checked in today at other kiosks, through the tap path itself. */
	for (size_t k = 0; k < sizeof kiosks / sizeof kiosks[0]; k++) {
		store *ks = NULL;
		if (store_open(&ks, argv[1], 0) != 0 || store_kiosk_set(ks, kiosks[k].id, kiosks[k].location))
			return fail(ks, kiosks[k].id);
		for (size_t i = k; i < sizeof people / sizeof people[0]; i += 3) {
			store_tap tap;
			if (!people[i].checked_in)
				continue;
			snprintf(id, sizeof id, "A%zu", i + 1);
			if (store_checkin_record(ks, id, minutes_ago(now, day_start, people[i].checked_in),
						 day_start, &tap) != 0)
				return fail(ks, id);
		}
		if (k == 0 && edge_in) {
			store_tap tap;
			if (store_checkin_record(ks, "A17", edge_out, clock_day_start(edge_out), &tap) != 0 ||
			    store_checkin_record(ks, "A16", edge_in, clock_day_start(edge_in), &tap) != 0)
				return fail(ks, "--edge");
		}
		for (int i = 1; i <= extra / 100; i++) { /* one in a hundred is here already */
			store_tap tap;
			if ((size_t)i % 3 != k)
				continue;
			snprintf(id, sizeof id, "B%d", i * 100);
			store_checkin_record(ks, id, (int64_t)now - (i % 300) * 60, day_start, &tap);
		}
		store_close(ks);
	}
	store_close(s);
	return 0;
}
