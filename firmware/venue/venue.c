/* The venue model: a list of rooms with pre-triangulated outlines, and the questions the
 * session-detail screen asks of it. Everything here is plain arithmetic on at most a few
 * hundred rooms, so each call simply walks the list; nothing is cached beyond the outlines'
 * triangles, which are computed once when a room is added (the map draws them every frame).
 *
 * Route text is built from the organiser's own words (floor_name, area) plus one landmark:
 * the room whose centre lies closest to the straight line from the kiosk to the target,
 * somewhere along the way ("past Hall C"). Read venue_route() last; it uses the rest.
 */
#include "venue/venue.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/util.h"

struct venue {
	venue_room *rooms; /* rooms[0..count) in the order added */
	int count;
	int cap;
};

venue *venue_new(void)
{
	return xcalloc(1, sizeof(venue));
}

void venue_free(venue *v)
{
	if (v == NULL)
		return;
	free(v->rooms);
	free(v);
}

int venue_add_room(venue *v, const char *name, int floor, const char *floor_name,
		   const char *area, const char *polygon, char *err, size_t errsize)
{
	char why[160];

	if (name == NULL || name[0] == '\0') {
		snprintf(err, errsize, "room has no name");
		return -1;
	}
	if (venue_room_find(v, name) >= 0) {
		snprintf(err, errsize, "room '%s' appears twice", name);
		return -1;
	}
	if (v->count == VENUE_ROOMS_MAX) {
		snprintf(err, errsize, "too many rooms (at most %d)", VENUE_ROOMS_MAX);
		return -1;
	}
	if (v->count == v->cap) {
		v->cap = v->cap ? v->cap * 2 : 16;
		v->rooms = xreallocarray(v->rooms, (size_t)v->cap, sizeof *v->rooms);
	}
	venue_room *r = &v->rooms[v->count];
	memset(r, 0, sizeof *r);
	str_copy_utf8(r->name, sizeof r->name, name);
	r->floor = floor;
	str_copy_utf8(r->floor_name, sizeof r->floor_name, floor_name ? floor_name : "");
	str_copy_utf8(r->area, sizeof r->area, area ? area : "");
	if (polygon != NULL && polygon[0] != '\0') {
		if (venue_poly_parse(polygon, &r->shape, why, sizeof why) < 0) {
			snprintf(err, errsize, "room '%s': %s", name, why);
			return -1;
		}
		r->tris = venue_poly_triangulate(&r->shape, r->tri);
		if (r->tris <= 0) {
			snprintf(err, errsize, "room '%s': outline cannot be drawn", name);
			return -1;
		}
		r->has_shape = 1;
		r->centre = venue_poly_centroid(&r->shape);
		/* An L- or U-shaped room's centroid can fall outside it; labels and routes need a
		 * point inside, so fall back to the middle of its largest triangle. */
		if (!venue_poly_contains(&r->shape, r->centre.x, r->centre.y)) {
			double best = -1;
			for (int t = 0; t < r->tris; t++) {
				venue_pt a = r->shape.pt[r->tri[3 * t]], b = r->shape.pt[r->tri[3 * t + 1]],
					 c = r->shape.pt[r->tri[3 * t + 2]];
				double ar = fabs(((double)b.x - a.x) * ((double)c.y - a.y) -
						 ((double)c.x - a.x) * ((double)b.y - a.y));
				if (ar > best) {
					best = ar;
					r->centre = (venue_pt){ (a.x + b.x + c.x) / 3, (a.y + b.y + c.y) / 3 };
				}
			}
		}
	}
	return v->count++;
}

int venue_room_count(const venue *v)
{
	return v->count;
}

const venue_room *venue_room_at(const venue *v, int i)
{
	return i >= 0 && i < v->count ? &v->rooms[i] : NULL;
}

int venue_room_find(const venue *v, const char *name)
{
	if (name == NULL)
		return -1;
	for (int i = 0; i < v->count; i++)
		if (strcasecmp(v->rooms[i].name, name) == 0)
			return i;
	return -1;
}

int venue_floors(const venue *v, int *floors, int max)
{
	int n = 0;
	for (int i = 0; i < v->count; i++) {
		if (!v->rooms[i].has_shape)
			continue;
		int f = v->rooms[i].floor, k = 0;
		while (k < n && floors[k] < f)
			k++;
		if (k < n && floors[k] == f)
			continue;
		if (n == max)
			continue;
		memmove(&floors[k + 1], &floors[k], (size_t)(n - k) * sizeof *floors);
		floors[k] = f;
		n++;
	}
	return n;
}

void venue_floor_name(const venue *v, int floor, char *out, size_t outsize)
{
	for (int i = 0; i < v->count; i++) {
		if (v->rooms[i].floor == floor && v->rooms[i].floor_name[0] != '\0') {
			str_copy_utf8(out, outsize, v->rooms[i].floor_name);
			return;
		}
	}
	if (floor == 0)
		snprintf(out, outsize, "Ground floor");
	else
		snprintf(out, outsize, "Level %d", floor);
}

/* strcasestr is a GNU extension; room names are short, so the quadratic scan is fine. ASCII
 * case folding only: other scripts must match exactly, which is what organisers type. */
static int contains_nocase(const char *hay, const char *needle)
{
	size_t n = strlen(needle);
	if (n == 0)
		return 0;
	for (const char *p = hay; *p != '\0'; p++)
		if (strncasecmp(p, needle, n) == 0)
			return 1;
	return 0;
}

int venue_locate(const venue *v, const char *location)
{
	int best = -1;
	size_t best_len = 0;

	if (location == NULL || location[0] == '\0')
		return -1;
	int exact = venue_room_find(v, location);
	if (exact >= 0)
		return exact;
	for (int i = 0; i < v->count; i++) {
		size_t len = strlen(v->rooms[i].name);
		if (len > best_len && contains_nocase(location, v->rooms[i].name)) {
			best = i;
			best_len = len;
		}
	}
	return best;
}

int venue_fit(const venue *v, int floor, float x, float y, float w, float h, float margin,
	      venue_view *out)
{
	venue_pt lo = { 0, 0 }, hi = { 0, 0 };
	int any = 0;

	for (int i = 0; i < v->count; i++) {
		const venue_room *r = &v->rooms[i];
		venue_pt a, b;
		if (r->floor != floor || !r->has_shape)
			continue;
		venue_poly_bounds(&r->shape, &a, &b);
		if (!any) {
			lo = a;
			hi = b;
			any = 1;
		}
		lo.x = fminf(lo.x, a.x);
		lo.y = fminf(lo.y, a.y);
		hi.x = fmaxf(hi.x, b.x);
		hi.y = fmaxf(hi.y, b.y);
	}
	if (!any)
		return -1;
	float aw = w - 2 * margin, ah = h - 2 * margin;
	if (aw < 1)
		aw = 1;
	if (ah < 1)
		ah = 1;
	float mw = fmaxf(hi.x - lo.x, 0.01f), mh = fmaxf(hi.y - lo.y, 0.01f);
	out->scale = fminf(aw / mw, ah / mh);
	out->ox = x + margin + (aw - mw * out->scale) / 2 - lo.x * out->scale;
	out->oy = y + margin + (ah - mh * out->scale) / 2 - lo.y * out->scale;
	return 0;
}

int venue_hit(const venue *v, int floor, const venue_view *view, float px, float py)
{
	if (view->scale <= 0)
		return -1;
	float mx = (px - view->ox) / view->scale, my = (py - view->oy) / view->scale;
	for (int i = 0; i < v->count; i++) {
		const venue_room *r = &v->rooms[i];
		if (r->floor == floor && r->has_shape && venue_poly_contains(&r->shape, mx, my))
			return i;
	}
	return -1;
}

/* The room on `floor` (other than skip1/skip2) whose centre lies nearest the path a -> b and
 * well along it; -1 when none is close enough to be a useful landmark. */
static int landmark_on_path(const venue *v, int floor, venue_pt a, venue_pt b, int skip1,
			    int skip2)
{
	double dx = (double)b.x - a.x, dy = (double)b.y - a.y, len2 = dx * dx + dy * dy;
	double len = sqrt(len2), best = 1e300;
	int found = -1;

	if (len < 1.0)
		return -1;
	for (int i = 0; i < v->count; i++) {
		const venue_room *r = &v->rooms[i];
		if (i == skip1 || i == skip2 || r->floor != floor || !r->has_shape)
			continue;
		double t = (((double)r->centre.x - a.x) * dx + ((double)r->centre.y - a.y) * dy) / len2;
		if (t < 0.15 || t > 0.95)
			continue;
		double px = a.x + t * dx - r->centre.x, py = a.y + t * dy - r->centre.y;
		double d = sqrt(px * px + py * py);
		if (d > fmax(0.35 * len, 5.0))
			continue;
		/* Prefer what is near the line, then what is nearer the goal (the last thing
		 * passed is the one people remember). */
		double score = d - 0.1 * t * len;
		if (score < best) {
			best = score;
			found = i;
		}
	}
	return found;
}

/* Nearest drawable room to room `to` on its floor (other than skip), -1 if none. */
static int nearest_room(const venue *v, int to, int skip)
{
	const venue_room *t = &v->rooms[to];
	double best = 1e300;
	int found = -1;
	for (int i = 0; i < v->count; i++) {
		const venue_room *r = &v->rooms[i];
		if (i == to || i == skip || r->floor != t->floor || !r->has_shape)
			continue;
		double dx = (double)r->centre.x - t->centre.x, dy = (double)r->centre.y - t->centre.y;
		if (dx * dx + dy * dy < best) {
			best = dx * dx + dy * dy;
			found = i;
		}
	}
	return found;
}

int venue_route(const venue *v, int from, int to, char *out, size_t outsize)
{
	char floor_name[VENUE_NAME_MAX], tail[2 * VENUE_NAME_MAX + 32] = "";

	if (outsize == 0)
		return -1;
	out[0] = '\0';
	if (to < 0 || to >= v->count)
		return -1;
	if (from >= v->count)
		from = -1;
	const venue_room *t = &v->rooms[to], *f = from >= 0 ? &v->rooms[from] : NULL;
	if (from == to) {
		snprintf(out, outsize, "You are here");
		return 0;
	}
	venue_floor_name(v, t->floor, floor_name, sizeof floor_name);

	/* The landmark: from the kiosk's spot (or the point straight above/below it on
	 * another floor, where the stairs usually are) towards the target. */
	int mark = -1;
	const char *how = "past";
	if (t->has_shape && f != NULL && f->has_shape)
		mark = landmark_on_path(v, t->floor, f->centre, t->centre, from, to);
	if (mark < 0 && t->has_shape && (f == NULL || !f->has_shape || f->floor != t->floor)) {
		mark = nearest_room(v, to, from);
		how = "next to";
	}
	if (mark >= 0)
		snprintf(tail, sizeof tail, "%s%s %s", t->area[0] ? ", " : "", how,
			 v->rooms[mark].name);

	if (f == NULL) {
		snprintf(out, outsize, "%s%s%s%s%s", floor_name, t->area[0] ? ", " : "", t->area,
			 mark >= 0 ? (t->area[0] ? "" : ", ") : "", tail);
	} else if (f->floor == t->floor) {
		if (t->area[0] == '\0' && mark < 0)
			snprintf(out, outsize, "On this floor (%s)", floor_name);
		else
			snprintf(out, outsize, "On this floor, %s%s", t->area, tail);
	} else {
		const char *dir = t->floor > f->floor ? "up" : "down";
		if (t->area[0] == '\0' && mark < 0)
			snprintf(out, outsize, "Take the stairs or lift %s to %s", dir, floor_name);
		else
			snprintf(out, outsize, "Take the stairs or lift %s to %s, then %s%s", dir,
				 floor_name, t->area, tail);
	}
	return 0;
}
