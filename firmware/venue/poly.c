/* Room outlines: a strict, locale-independent parser, the canonical text form, and the
 * geometry the venue map needs (area, centroid, hit test, ear-clipping triangulation).
 *
 * Numbers are parsed by hand rather than with strtof so that a kiosk running under a locale
 * with a decimal comma still reads "12.5,3" the same way, and so that "nan", "inf", hex
 * floats and exponents (all accepted by strtof) are refused. Start with venue_poly_parse().
 * Built into libkith: kioskctl import-rooms validates with this same parser.
 */
#include "venue/poly.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define POLY_MIN_AREA 0.01 /* m^2: anything smaller is a typo, not a room */

static int fail(char *err, size_t errsize, const char *msg, int point)
{
	if (err != NULL && errsize > 0) {
		if (point > 0)
			snprintf(err, errsize, "point %d: %s", point, msg);
		else
			snprintf(err, errsize, "%s", msg);
	}
	return -1;
}

/* One decimal number: [+-]digits[.digits] or [+-].digits. Advances *s past it. */
static int parse_number(const char **s, double *out)
{
	const char *p = *s;
	double sign = 1.0, v = 0.0, scale = 0.1;
	int digits = 0;

	if (*p == '+' || *p == '-') {
		sign = *p == '-' ? -1.0 : 1.0;
		p++;
	}
	for (; *p >= '0' && *p <= '9'; p++, digits++) {
		if (digits > 12)
			return -1; /* keeps v finite and exact enough; no venue needs more */
		v = v * 10.0 + (*p - '0');
	}
	if (*p == '.') {
		p++;
		for (int frac = 0; *p >= '0' && *p <= '9'; p++, digits++, frac++) {
			if (frac < 9)
				v += (*p - '0') * scale;
			scale /= 10.0;
		}
	}
	if (digits == 0)
		return -1;
	*out = sign * v;
	*s = p;
	return 0;
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* 1 if segments ab and cd share any point (proper crossing, touching or collinear overlap). */
static double cross3(venue_pt o, venue_pt a, venue_pt b)
{
	return ((double)a.x - o.x) * ((double)b.y - o.y) - ((double)a.y - o.y) * ((double)b.x - o.x);
}

static int on_segment(venue_pt a, venue_pt b, venue_pt p)
{
	return fmin(a.x, b.x) <= p.x && p.x <= fmax(a.x, b.x) && fmin(a.y, b.y) <= p.y &&
	       p.y <= fmax(a.y, b.y);
}

static int sgn(double v)
{
	return (v > 1e-9) - (v < -1e-9);
}

static int segments_touch(venue_pt a, venue_pt b, venue_pt c, venue_pt d)
{
	int d1 = sgn(cross3(c, d, a)), d2 = sgn(cross3(c, d, b));
	int d3 = sgn(cross3(a, b, c)), d4 = sgn(cross3(a, b, d));
	if (d1 * d2 < 0 && d3 * d4 < 0)
		return 1;
	return (d1 == 0 && on_segment(c, d, a)) || (d2 == 0 && on_segment(c, d, b)) ||
	       (d3 == 0 && on_segment(a, b, c)) || (d4 == 0 && on_segment(a, b, d));
}

static int validate(venue_poly *p, char *err, size_t errsize)
{
	char msg[96];

	/* A closing point equal to the first (as GIS tools write) is dropped, not an error. */
	if (p->n > 3 && p->pt[0].x == p->pt[p->n - 1].x && p->pt[0].y == p->pt[p->n - 1].y)
		p->n--;
	if (p->n < 3)
		return fail(err, errsize, "an outline needs at least 3 points", 0);
	for (int i = 0; i < p->n; i++) {
		venue_pt a = p->pt[i], b = p->pt[(i + 1) % p->n];
		if (a.x == b.x && a.y == b.y) {
			snprintf(msg, sizeof msg, "repeats point %d", i + 1);
			return fail(err, errsize, msg, (i + 1) % p->n + 1);
		}
	}
	/* Every pair of edges that are not neighbours must stay apart. n <= 40: n^2 is cheap. */
	for (int i = 0; i < p->n; i++) {
		for (int j = i + 2; j < p->n; j++) {
			if (i == 0 && j == p->n - 1)
				continue; /* the closing edge neighbours the first */
			if (segments_touch(p->pt[i], p->pt[i + 1], p->pt[j], p->pt[(j + 1) % p->n])) {
				snprintf(msg, sizeof msg,
					 "edges %d-%d and %d-%d cross: the outline must not "
					 "cross itself",
					 i + 1, i + 2, j + 1, (j + 1) % p->n + 1);
				return fail(err, errsize, msg, 0);
			}
		}
	}
	if (fabs(venue_poly_area(p)) < POLY_MIN_AREA)
		return fail(err, errsize, "the outline has no area (all points on a line?)", 0);
	return 0;
}

int venue_poly_parse(const char *text, venue_poly *out, char *err, size_t errsize)
{
	const char *s = text;
	double v[4];
	char msg[96];

	memset(out, 0, sizeof *out);
	if (text == NULL)
		return fail(err, errsize, "no outline", 0);
	while (is_space(*s))
		s++;
	if (*s == '\0')
		return fail(err, errsize, "no outline", 0);

	while (*s != '\0') {
		int k = 0, point = out->n + 1;
		for (;;) {
			const char *start = s;
			if (parse_number(&s, &v[k]) < 0) {
				size_t len = strcspn(start, ", \t\r\n");
				snprintf(msg, sizeof msg, "'%.*s' is not a number (metres, like 12.5)",
					 (int)(len > 20 ? 20 : len), start);
				return fail(err, errsize, msg, point);
			}
			if (!isfinite(v[k]) || fabs(v[k]) > VENUE_COORD_MAX) {
				snprintf(msg, sizeof msg, "coordinate out of range (max %.0f m)",
					 (double)VENUE_COORD_MAX);
				return fail(err, errsize, msg, point);
			}
			k++;
			if (*s != ',')
				break;
			if (k == 4)
				return fail(err, errsize, "too many numbers (want x,y)", point);
			s++;
		}
		if (*s != '\0' && !is_space(*s))
			return fail(err, errsize, "want x,y pairs separated by spaces", point);
		while (is_space(*s))
			s++;

		if (k == 4) { /* a rectangle x,y,w,h: only as the whole outline */
			if (out->n != 0 || *s != '\0')
				return fail(err, errsize,
					    "a rectangle x,y,w,h must be the whole outline", point);
			if (!(v[2] > 0 && v[3] > 0))
				return fail(err, errsize, "rectangle width and height must be > 0", 0);
			if (fabs(v[0] + v[2]) > VENUE_COORD_MAX || fabs(v[1] + v[3]) > VENUE_COORD_MAX)
				return fail(err, errsize, "rectangle reaches out of range", 0);
			out->n = 4;
			out->pt[0] = (venue_pt){ (float)v[0], (float)v[1] };
			out->pt[1] = (venue_pt){ (float)(v[0] + v[2]), (float)v[1] };
			out->pt[2] = (venue_pt){ (float)(v[0] + v[2]), (float)(v[1] + v[3]) };
			out->pt[3] = (venue_pt){ (float)v[0], (float)(v[1] + v[3]) };
			break;
		}
		if (k != 2)
			return fail(err, errsize, "want x,y (or one rectangle x,y,w,h)", point);
		if (out->n == VENUE_POLY_MAX) {
			snprintf(msg, sizeof msg, "too many points (at most %d)", VENUE_POLY_MAX);
			return fail(err, errsize, msg, 0);
		}
		out->pt[out->n++] = (venue_pt){ (float)v[0], (float)v[1] };
	}
	if (validate(out, err, errsize) < 0) {
		out->n = 0;
		return -1;
	}
	return 0;
}

/* Fixed-point, locale-independent: "12.5", "-3", "0.25". */
static int put_coord(char *out, size_t outsize, size_t *pos, float f)
{
	long long c = llround((double)f * 100.0);
	char buf[32];
	int len;
	unsigned long long a = (unsigned long long)(c < 0 ? -c : c);

	if (a % 100 == 0)
		len = snprintf(buf, sizeof buf, "%s%llu", c < 0 ? "-" : "", a / 100);
	else if (a % 10 == 0)
		len = snprintf(buf, sizeof buf, "%s%llu.%llu", c < 0 ? "-" : "", a / 100, a % 100 / 10);
	else
		len = snprintf(buf, sizeof buf, "%s%llu.%02llu", c < 0 ? "-" : "", a / 100, a % 100);
	if (len < 0 || *pos + (size_t)len + 1 > outsize)
		return -1;
	memcpy(out + *pos, buf, (size_t)len + 1);
	*pos += (size_t)len;
	return 0;
}

int venue_poly_format(const venue_poly *p, char *out, size_t outsize)
{
	size_t pos = 0;
	if (outsize == 0)
		return -1;
	out[0] = '\0';
	for (int i = 0; i < p->n; i++) {
		if (i > 0) {
			if (pos + 2 > outsize)
				return -1;
			out[pos++] = ' ';
			out[pos] = '\0';
		}
		if (put_coord(out, outsize, &pos, p->pt[i].x) < 0 || pos + 2 > outsize)
			return -1;
		out[pos++] = ',';
		out[pos] = '\0';
		if (put_coord(out, outsize, &pos, p->pt[i].y) < 0)
			return -1;
	}
	return 0;
}

double venue_poly_area(const venue_poly *p)
{
	double a = 0;
	for (int i = 0; i < p->n; i++) {
		venue_pt u = p->pt[i], w = p->pt[(i + 1) % p->n];
		a += (double)u.x * w.y - (double)w.x * u.y;
	}
	return a / 2.0;
}

venue_pt venue_poly_centroid(const venue_poly *p)
{
	double a = 0, cx = 0, cy = 0;
	for (int i = 0; i < p->n; i++) {
		venue_pt u = p->pt[i], w = p->pt[(i + 1) % p->n];
		double c = (double)u.x * w.y - (double)w.x * u.y;
		a += c;
		cx += ((double)u.x + w.x) * c;
		cy += ((double)u.y + w.y) * c;
	}
	if (fabs(a) < 1e-12) {
		venue_pt m = { 0, 0 };
		for (int i = 0; i < p->n; i++) {
			m.x += p->pt[i].x / (float)p->n;
			m.y += p->pt[i].y / (float)p->n;
		}
		return m;
	}
	return (venue_pt){ (float)(cx / (3.0 * a)), (float)(cy / (3.0 * a)) };
}

void venue_poly_bounds(const venue_poly *p, venue_pt *min, venue_pt *max)
{
	*min = *max = p->pt[0];
	for (int i = 1; i < p->n; i++) {
		min->x = fminf(min->x, p->pt[i].x);
		min->y = fminf(min->y, p->pt[i].y);
		max->x = fmaxf(max->x, p->pt[i].x);
		max->y = fmaxf(max->y, p->pt[i].y);
	}
}

/* Even-odd crossing test: a tap on a shared wall goes to one room, never to both. */
int venue_poly_contains(const venue_poly *p, float x, float y)
{
	int in = 0;
	for (int i = 0, j = p->n - 1; i < p->n; j = i++) {
		venue_pt a = p->pt[i], b = p->pt[j];
		if ((a.y > y) != (b.y > y)) {
			double xc = (double)a.x + ((double)y - a.y) * ((double)b.x - a.x) /
							((double)b.y - a.y);
			if (x < xc)
				in = !in;
		}
	}
	return in;
}

/* p strictly inside or on the border of triangle abc (abc counter-clockwise, y up). */
static int in_triangle(venue_pt a, venue_pt b, venue_pt c, venue_pt p)
{
	return cross3(a, b, p) >= -1e-9 && cross3(b, c, p) >= -1e-9 && cross3(c, a, p) >= -1e-9;
}

int venue_poly_triangulate(const venue_poly *p, int idx[VENUE_TRI_MAX])
{
	int v[VENUE_POLY_MAX], n = p->n, tris = 0;

	if (n < 3 || n > VENUE_POLY_MAX)
		return -1;
	/* Work in positive (counter-clockwise in y-up terms) order so "convex" is one sign. */
	int ccw = venue_poly_area(p) > 0;
	for (int i = 0; i < n; i++)
		v[i] = ccw ? i : n - 1 - i;

	int guard = 2 * n * n; /* every pass either clips or relaxes; never loops forever */
	int relaxed = 0, miss = 0;
	for (int i = 0; n > 2 && guard-- > 0;) {
		int ia = v[(i + n - 1) % n], ib = v[i], ic = v[(i + 1) % n];
		venue_pt a = p->pt[ia], b = p->pt[ib], c = p->pt[ic];
		double turn = cross3(a, b, c);
		int ear = turn > 1e-9;
		for (int k = 0; ear && k < n; k++) {
			int iv = v[k];
			if (iv == ia || iv == ib || iv == ic)
				continue;
			venue_pt q = p->pt[iv];
			/* A vertex touching the candidate ear blocks it unless it sits exactly on
			 * a corner we share (duplicate coordinates cannot occur after validation). */
			if (in_triangle(a, b, c, q))
				ear = 0;
		}
		if (!ear && relaxed && fabs(turn) <= 1e-9)
			ear = 2; /* collinear vertex: drop it without emitting a sliver */
		if (ear) {
			if (ear == 1) {
				idx[3 * tris] = ia;
				idx[3 * tris + 1] = ib;
				idx[3 * tris + 2] = ic;
				tris++;
			}
			memmove(&v[i], &v[i + 1], (size_t)(n - i - 1) * sizeof v[0]);
			n--;
			if (i >= n)
				i = 0;
			miss = 0;
			relaxed = 0;
			continue;
		}
		i = (i + 1) % n;
		if (++miss >= n) {
			if (relaxed)
				return -1;
			relaxed = 1; /* a full lap without an ear: only collinear runs remain */
			miss = 0;
		}
	}
	return n <= 2 ? tris : -1;
}
