/* `kioskctl import-rooms DB rooms.csv`: the venue's room geometry for the kiosk's map.
 *
 * rooms.csv (RFC 4180, UTF-8, header row, columns in any order, names case-insensitive):
 *   room        required, unique (case-insensitive); the name sessions use
 *   floor       required whole number, 0 = ground, -1 = basement
 *   floor_name  e.g. "Level 2" (one name per floor number)
 *   area        e.g. "east wing" (used in the route text)
 *   polygon     "x,y x,y x,y ..." in metres (x east, y south), or a rectangle "x,y,w,h"; empty =
 *               a room listed without an outline
 * All or nothing: any problem, nothing is written; rooms already stored and not in the file stay.
 */
#ifndef KIOSKCTL_IMPORT_ROOMS_H
#define KIOSKCTL_IMPORT_ROOMS_H

#include "kioskctl.h"

#define ROOMS_MAX 256 /* what the kiosk's map loads (VENUE_ROOMS_MAX) */

typedef struct room_row {
	char *name, *floor_name, *area;
	char *polygon; /* canonical "x,y x,y ..." or "" */
	int floor;
	long line;
} room_row;

typedef struct rooms {
	room_row *v;
	size_t n, cap;
} rooms;

/* Parses and validates; returns the number of problems added to d. */
int rooms_parse(rooms *r, const char *file, const char *data, size_t len, diag *d);
int rooms_store(const rooms *r, store *s, const char *file, diag *d);
void rooms_free(rooms *r);

int cmd_import_rooms(int argc, char **argv);

#endif
