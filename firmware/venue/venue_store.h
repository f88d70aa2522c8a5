/* Loading the venue model from the kiosk's database (kept apart from venue.c so the pure
 * geometry needs no SQLite in tests). */
#ifndef KITH_VENUE_STORE_H
#define KITH_VENUE_STORE_H

#include "store/store.h"
#include "venue/venue.h"

/* Adds every stored room to v; returns how many rooms were read, or -1 on a database error. */
int venue_load(venue *v, store *s);

#endif
