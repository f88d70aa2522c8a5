/* Room outlines for the venue map: parsing, validation and the geometry the map needs.
 *
 * Coordinates are metres on the floor plan, x to the east and y to the south (as a plan is
 * drawn on paper and as the screen counts pixels). Outlines come from outside (a CSV an
 * organiser typed, a conference.sqlite from a USB stick), so parsing bounds everything: at most
 * VENUE_POLY_MAX points, finite numbers within +-VENUE_COORD_MAX, a simple (non-self-
 * intersecting) polygon with a real area, so that triangulation and hit tests are well defined.
 */
#ifndef KITH_VENUE_POLY_H
#define KITH_VENUE_POLY_H

#include <stddef.h>

#define VENUE_POLY_MAX 40        /* points per outline; the stored text is <= 512 bytes */
#define VENUE_COORD_MAX 10000.0f /* metres; a 20 km venue is a typo */
#define VENUE_TRI_MAX (3 * (VENUE_POLY_MAX - 2)) /* triangle indices per outline */

typedef struct venue_pt {
	float x, y; /* metres */
} venue_pt;

typedef struct venue_poly {
	int n;                       /* points in pt[], 3..VENUE_POLY_MAX */
	venue_pt pt[VENUE_POLY_MAX]; /* outline, either winding, not closed (last != first) */
} venue_poly;

/* Parses "x,y x,y x,y ..." (whitespace-separated points) or a rectangle "x,y,w,h" (w, h > 0)
 * and validates it. Returns 0, or -1 with a one-line reason in err (e.g. "point 3: 'x' is not
 * a number"). */
int venue_poly_parse(const char *text, venue_poly *out, char *err, size_t errsize);

/* Writes the canonical "x,y x,y ..." form (at most 2 decimals). Returns 0, or -1 when it does
 * not fit in outsize. */
int venue_poly_format(const venue_poly *p, char *out, size_t outsize);

double venue_poly_area(const venue_poly *p); /* signed: > 0 when clockwise on screen */
venue_pt venue_poly_centroid(const venue_poly *p);
void venue_poly_bounds(const venue_poly *p, venue_pt *min, venue_pt *max);
int venue_poly_contains(const venue_poly *p, float x, float y); /* 1 inside, 0 outside */

/* Ear-clipping triangulation of a simple polygon: fills idx with 3 * (n - 2) indices into
 * p->pt and returns the triangle count, or -1 if the polygon is degenerate. */
int venue_poly_triangulate(const venue_poly *p, int idx[VENUE_TRI_MAX]);

#endif
