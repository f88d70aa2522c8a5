/* Filling the venue from the kiosk's database: every stored room, with or without an outline.
 * A room whose stored outline no longer validates (a conference.sqlite written by something
 * other than kioskctl) is kept without its outline and logged, so one bad row never hides the
 * rest of the map. */
#include "venue/venue_store.h"

#include <stdlib.h>

#include "common/log.h"
#include "common/util.h"

int venue_load(venue *v, store *s)
{
	store_room *rooms = xcalloc(VENUE_ROOMS_MAX, sizeof *rooms);
	char err[200];
	int n = store_rooms(s, rooms, VENUE_ROOMS_MAX);

	if (n < 0) {
		free(rooms);
		return -1;
	}
	for (int i = 0; i < n; i++) {
		const store_room *r = &rooms[i];
		if (venue_add_room(v, r->name, r->floor, r->floor_name, r->area, r->polygon, err,
				   sizeof err) >= 0)
			continue;
		log_warn("venue: %s; drawn without an outline", err);
		venue_add_room(v, r->name, r->floor, r->floor_name, r->area, "", err, sizeof err);
	}
	free(rooms);
	return n;
}
