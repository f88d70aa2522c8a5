/* The venue: rooms with their floor, area and outline, and what the kiosk asks of them —
 * which rooms share a floor, where the kiosk stands, how a floor fits the screen, which room
 * a finger is on, and how to walk from here to there, in words.
 *
 * Pure logic (no SDL, no SQLite): venue_load() in venue_store.c fills it from the database;
 * tests fill it by hand with venue_add_room().
 */
#ifndef KITH_VENUE_H
#define KITH_VENUE_H

#include <stddef.h>

#include "venue/poly.h"

#define VENUE_ROOMS_MAX 256
#define VENUE_FLOORS_MAX 32
#define VENUE_NAME_MAX 96

typedef struct venue venue;

typedef struct venue_room {
	char name[VENUE_NAME_MAX];       /* "Hall C" */
	int floor;                       /* level number, 0 = ground */
	char floor_name[VENUE_NAME_MAX]; /* "Level 2"; "" = derive from floor */
	char area[VENUE_NAME_MAX];       /* "east wing"; may be "" */
	int has_shape;                   /* 0: no outline (listed, not drawn) */
	venue_poly shape;                /* metres */
	venue_pt centre;                 /* centroid, for labels and routes */
	int tris;                        /* triangles in tri[] */
	int tri[VENUE_TRI_MAX];          /* ear-clipped, indices into shape.pt */
} venue_room;

/* How a floor maps to a viewport: screen = offset + metres * scale (aspect kept). */
typedef struct venue_view {
	float scale;   /* pixels per metre */
	float ox, oy;  /* pixel position of (0 m, 0 m) */
} venue_view;

venue *venue_new(void);
void venue_free(venue *v);

/* Adds a room; polygon may be NULL/"" for a room without geometry. Returns the room's index,
 * or -1 with a reason in err (bad outline, duplicate name, too many rooms). */
int venue_add_room(venue *v, const char *name, int floor, const char *floor_name,
		   const char *area, const char *polygon, char *err, size_t errsize);

int venue_room_count(const venue *v);
const venue_room *venue_room_at(const venue *v, int i);
int venue_room_find(const venue *v, const char *name); /* case-insensitive; -1 if none */

/* Distinct floors that have at least one drawable room, ascending; returns how many. */
int venue_floors(const venue *v, int *floors, int max);
/* Display name of a floor: the rooms' floor_name, else "Ground floor" / "Level N". */
void venue_floor_name(const venue *v, int floor, char *out, size_t outsize);

/* The room the kiosk stands in, from its --location text: an exact (case-insensitive) room
 * name, else the longest room name the text contains ("Foyer by Hall A" -> "Hall A").
 * Returns the index or -1. */
int venue_locate(const venue *v, const char *location);

/* Fits every outline of floor into the w x h viewport at (x, y) with margin pixels spare,
 * centred, aspect kept. Returns 0, or -1 if the floor has nothing to draw. */
int venue_fit(const venue *v, int floor, float x, float y, float w, float h, float margin,
	      venue_view *out);
/* Index of the room of floor under pixel (px, py), or -1. */
int venue_hit(const venue *v, int floor, const venue_view *view, float px, float py);

/* Directions from room `from` (the kiosk; -1 if unknown) to room `to`, e.g.
 * "Level 2, east wing, past Hall C" or "Take the stairs or lift up to Level 2, then the east
 * wing, past Hall C". Always writes something useful; returns 0, -1 if `to` is invalid. */
int venue_route(const venue *v, int from, int to, char *out, size_t outsize);

#endif
