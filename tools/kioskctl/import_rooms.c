/* `kioskctl import-rooms`: the organiser's room geometry (see import_rooms.h for the format).
 *
 * Like the other imports it is two steps: rooms_parse() reads every row into memory and
 * collects every problem as "FILE:LINE: what is wrong" (bad numbers, outlines that cross
 * themselves, duplicate rooms, two names for one floor, rooms that overlap on a floor); only a
 * clean file is written, in one transaction, by rooms_store(). Outlines are parsed by the
 * kiosk's own parser (venue/poly.c) so that what kioskctl accepts the kiosk can draw.
 */
#include "import_rooms.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/util.h"
#include "venue/poly.h"

enum { COL_ROOM, COL_FLOOR, COL_FLOOR_NAME, COL_AREA, COL_POLYGON, COL_COUNT };
static const char *const room_columns[COL_COUNT] = {
	"room", "floor", "floor_name", "area", "polygon",
};

#define FLOOR_MIN -20
#define FLOOR_MAX 200

static const char *field(const csv_record *rec, const int *idx, int col)
{
	if (idx[col] < 0 || (size_t)idx[col] >= rec->nfields)
		return "";
	return str_trim(rec->fields[idx[col]]);
}

static int has_control(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7F)
			return 1;
	return 0;
}

/* ASCII-lower-cased copy for duplicate detection ("Hall C" and "hall c" are one room). */
static char *fold(const char *s)
{
	char *k = xstrdup(s);
	for (char *p = k; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return k;
}

static int parse_floor(const char *s, int *out)
{
	char *end;
	if (s[0] == '\0')
		return -1;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno != 0 || *end != '\0' || end == s || v < FLOOR_MIN || v > FLOOR_MAX)
		return -1;
	*out = (int)v;
	return 0;
}

static int check_text(const char *file, long line, const char *col, const char *s, diag *d)
{
	if (strlen(s) >= STORE_PLACE_MAX) {
		diag_add(d, file, line, "%s is longer than %d bytes", col, STORE_PLACE_MAX - 1);
		return -1;
	}
	if (has_control(s)) {
		diag_add(d, file, line, "%s contains a control character", col);
		return -1;
	}
	return 0;
}

static void rooms_row(rooms *r, const char *file, const csv_record *rec, const int *idx,
		      strmap *names, diag *d)
{
	size_t before = d->n;
	if (csv_check_controls(rec, file, room_columns, idx, COL_COUNT, d) < 0)
		return;
	int bad = csv_bad_utf8(rec);
	if (bad >= 0) {
		diag_add(d, file, rec->line, "invalid UTF-8 in field %d; save the file as UTF-8", bad + 1);
		return;
	}
	const char *name = field(rec, idx, COL_ROOM);
	const char *floor_text = field(rec, idx, COL_FLOOR);
	const char *floor_name = field(rec, idx, COL_FLOOR_NAME);
	const char *area = field(rec, idx, COL_AREA);
	const char *poly_text = field(rec, idx, COL_POLYGON);
	venue_poly poly;
	char why[160], canon[STORE_POLYGON_MAX] = "";
	int floor = 0;

	if (name[0] == '\0')
		diag_add(d, file, rec->line, "missing room name");
	else
		check_text(file, rec->line, "room", name, d);
	if (parse_floor(floor_text, &floor) < 0)
		diag_add(d, file, rec->line,
			 "floor '%.20s' is not a whole number from %d to %d (0 = ground floor)",
			 floor_text, FLOOR_MIN, FLOOR_MAX);
	check_text(file, rec->line, "floor_name", floor_name, d);
	check_text(file, rec->line, "area", area, d);
	if (poly_text[0] != '\0') {
		if (venue_poly_parse(poly_text, &poly, why, sizeof why) < 0)
			diag_add(d, file, rec->line, "polygon: %s", why);
		else if (venue_poly_format(&poly, canon, sizeof canon) < 0)
			diag_add(d, file, rec->line, "polygon: too long once written (%d bytes at most); "
				 "use fewer points", STORE_POLYGON_MAX - 1);
	}
	if (name[0] != '\0') {
		char *key = fold(name);
		long first = strmap_put(names, key, rec->line);
		free(key);
		if (first >= 0)
			diag_add(d, file, rec->line, "room '%s' appears twice (first on line %ld)", name, first);
	}
	if (d->n != before)
		return;
	if (r->n == ROOMS_MAX) {
		diag_add(d, file, rec->line, "too many rooms: the kiosk's map holds %d", ROOMS_MAX);
		return;
	}
	if (r->n == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 32;
		r->v = xreallocarray(r->v, r->cap, sizeof *r->v);
	}
	room_row *e = &r->v[r->n++];
	e->name = xstrdup(name);
	e->floor_name = xstrdup(floor_name);
	e->area = xstrdup(area);
	e->polygon = xstrdup(canon);
	e->floor = floor;
	e->line = rec->line;
}

/* One name per floor number: "Level 2" on one row and "L2" on another is a typo. */
static void check_floor_names(const rooms *r, const char *file, diag *d)
{
	for (size_t i = 0; i < r->n; i++) {
		if (r->v[i].floor_name[0] == '\0')
			continue;
		for (size_t j = 0; j < i; j++) {
			if (r->v[j].floor != r->v[i].floor || r->v[j].floor_name[0] == '\0')
				continue;
			if (strcmp(r->v[j].floor_name, r->v[i].floor_name) != 0)
				diag_add(d, file, r->v[i].line,
					 "floor %d is called '%s' here but '%s' on line %ld",
					 r->v[i].floor, r->v[i].floor_name, r->v[j].floor_name,
					 r->v[j].line);
			break;
		}
	}
}

static double orient(venue_pt o, venue_pt a, venue_pt b)
{
	return ((double)a.x - o.x) * ((double)b.y - o.y) - ((double)a.y - o.y) * ((double)b.x - o.x);
}

/* Rooms may share walls but not floor space: a tap must land in one room only. Two outlines
 * overlap when edges cross properly or a point inside one (a triangle's centre) lies in the
 * other. */
static int overlap(const venue_poly *a, const venue_poly *b)
{
	venue_pt alo, ahi, blo, bhi;
	int idx[VENUE_TRI_MAX];

	venue_poly_bounds(a, &alo, &ahi);
	venue_poly_bounds(b, &blo, &bhi);
	if (ahi.x <= blo.x || bhi.x <= alo.x || ahi.y <= blo.y || bhi.y <= alo.y)
		return 0;
	for (int i = 0; i < a->n; i++) {
		venue_pt p = a->pt[i], q = a->pt[(i + 1) % a->n];
		for (int j = 0; j < b->n; j++) {
			venue_pt u = b->pt[j], w = b->pt[(j + 1) % b->n];
			double d1 = orient(u, w, p), d2 = orient(u, w, q);
			double d3 = orient(p, q, u), d4 = orient(p, q, w);
			if (((d1 > 1e-9 && d2 < -1e-9) || (d1 < -1e-9 && d2 > 1e-9)) &&
			    ((d3 > 1e-9 && d4 < -1e-9) || (d3 < -1e-9 && d4 > 1e-9)))
				return 1;
		}
	}
	for (int pass = 0; pass < 2; pass++) {
		const venue_poly *x = pass ? b : a, *y = pass ? a : b;
		int t = venue_poly_triangulate(x, idx);
		for (int k = 0; k < t; k++) {
			venue_pt p = x->pt[idx[3 * k]], q = x->pt[idx[3 * k + 1]], s = x->pt[idx[3 * k + 2]];
			if (venue_poly_contains(y, (p.x + q.x + s.x) / 3, (p.y + q.y + s.y) / 3))
				return 1;
		}
	}
	return 0;
}

static void check_overlaps(const rooms *r, const char *file, diag *d)
{
	venue_poly *shape = xcalloc(r->n ? r->n : 1, sizeof *shape);
	char why[160];

	for (size_t i = 0; i < r->n; i++)
		if (r->v[i].polygon[0] != '\0' &&
		    venue_poly_parse(r->v[i].polygon, &shape[i], why, sizeof why) < 0)
			shape[i].n = 0; /* cannot happen: it parsed before formatting */
	for (size_t i = 0; i < r->n; i++) {
		for (size_t j = 0; j < i; j++) {
			if (shape[i].n == 0 || shape[j].n == 0 || r->v[i].floor != r->v[j].floor)
				continue;
			if (overlap(&shape[i], &shape[j]))
				diag_add(d, file, r->v[i].line,
					 "room '%s' overlaps room '%s' (line %ld) on floor %d",
					 r->v[i].name, r->v[j].name, r->v[j].line, r->v[i].floor);
		}
	}
	free(shape);
}

int rooms_parse(rooms *r, const char *file, const char *data, size_t len, diag *d)
{
	csv_reader rd;
	csv_record rec;
	char err[256];
	int idx[COL_COUNT];
	strmap names = { 0 };
	size_t before = d->n;
	int rc;

	memset(r, 0, sizeof *r);
	csv_init(&rd, data, len);
	static const int required[] = { COL_ROOM, COL_FLOOR };
	if (csv_read_header(&rd, file, room_columns, COL_COUNT, required, ARRAY_LEN(required), idx,
			    d) != 0)
		goto out;

	while ((rc = csv_next(&rd, &rec, err, sizeof err)) != 0) {
		if (rc < 0) {
			diag_add(d, file, rec.line, "%s", err);
			continue;
		}
		if (rec.nfields == 1 && rec.fields[0][0] == '\0')
			continue; /* a blank line */
		rooms_row(r, file, &rec, idx, &names, d);
	}
	if (d->n == before && r->n == 0)
		diag_add(d, file, 0, "no rooms after the header");
	/* Across rows: among the rows that parsed, so one run reports every problem. */
	check_floor_names(r, file, d);
	check_overlaps(r, file, d);
out:
	strmap_free(&names);
	csv_free(&rd);
	return (int)(d->n - before);
}

int rooms_store(const rooms *r, store *s, const char *file, diag *d)
{
	size_t before = d->n;
	for (size_t i = 0; i < r->n; i++) {
		const room_row *e = &r->v[i];
		store_room_in in = { e->name, e->floor, e->floor_name, e->area, e->polygon };
		if (store_room_put(s, &in) < 0)
			diag_add(d, file, e->line, "cannot store room '%s': %s", e->name, store_errmsg(s));
	}
	return (int)(d->n - before);
}

void rooms_free(rooms *r)
{
	for (size_t i = 0; i < r->n; i++) {
		free(r->v[i].name);
		free(r->v[i].floor_name);
		free(r->v[i].area);
		free(r->v[i].polygon);
	}
	free(r->v);
	memset(r, 0, sizeof *r);
}

int cmd_import_rooms(int argc, char **argv)
{
	diag d = { 0 };
	rooms r = { 0 };
	store *s = NULL;
	char *data = NULL;
	size_t len;
	int rc = EXIT_BADINPUT;

	if (argc != 3 || argv[1][0] == '-' || argv[2][0] == '-') {
		fprintf(stderr, "usage: kioskctl import-rooms DB rooms.csv\n"
				"  rooms.csv columns: room,floor,floor_name,area,polygon\n"
				"  polygon: \"x,y x,y x,y ...\" in metres, or a rectangle \"x,y,w,h\"\n");
		return EXIT_USAGE;
	}
	const char *db = argv[1], *file = argv[2];
	if (file_read_all(file, &data, &len, &d) < 0)
		goto out;
	if (rooms_parse(&r, file, data, len, &d) > 0)
		goto out;
	/* Rooms belong to a conference: the database must exist (kioskctl init, demo or an
	 * import made it), so a typo in DB does not silently create a stray file. */
	if (access(db, F_OK) != 0) {
		diag_add(&d, db, 0, "no such database (create it with kioskctl init)");
		goto out;
	}
	if (store_open(&s, db, 0) < 0) {
		diag_add(&d, db, 0, "cannot open database: %s", s ? store_errmsg(s) : "unknown error");
		goto out;
	}
	if (store_begin(s) < 0) {
		diag_add(&d, db, 0, "cannot start a transaction: %s", store_errmsg(s));
		goto out;
	}
	if (rooms_store(&r, s, file, &d) > 0) {
		store_rollback(s);
		goto out;
	}
	if (store_commit(s) < 0) {
		diag_add(&d, db, 0, "cannot commit: %s", store_errmsg(s));
		store_rollback(s);
		goto out;
	}
	printf("%s: imported %zu rooms into %s\n", file, r.n, db);
	rc = EXIT_OK;
out:
	store_close(s);
	diag_print(&d, stderr);
	if (rc != EXIT_OK)
		fprintf(stderr, "kioskctl: nothing imported (%zu problem%s)\n", d.n, d.n == 1 ? "" : "s");
	diag_free(&d);
	rooms_free(&r);
	free(data);
	return rc;
}
