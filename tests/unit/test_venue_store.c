/* Unit test for venue/venue_store: rooms round-trip through a real SQLite file into the venue
 * model; a stored outline that no longer validates keeps its room (without an outline). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "store/store.h"
#include "venue/venue_store.h"

static void test_load_rooms(void **state)
{
	(void)state;
	char dir[] = "/tmp/kith-venue-XXXXXX", path[256], side[300];
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/kiosk.db", dir);
	store *s = NULL;
	assert_int_equal(store_open(&s, path, STORE_OPEN_CREATE), 0);
	store_room_in rooms[] = {
		{ "Hall A", 0, "Ground floor", "west wing", "0,0 20,0 20,10 0,10" },
		{ "Room 201", 2, "Level 2", "east wing", "20,0 30,0 30,10 20,10" },
		{ "Broken", 1, "Level 1", "", "0,0 10,10 10,0 0,10" }, /* crosses itself */
		{ "Annex", 1, "Level 1", "", "" },
	};
	for (size_t i = 0; i < sizeof rooms / sizeof rooms[0]; i++)
		assert_int_equal(store_room_put(s, &rooms[i]), 0);

	venue *v = venue_new();
	assert_int_equal(venue_load(v, s), 4);
	assert_int_equal(venue_room_count(v), 4);
	const venue_room *r = venue_room_at(v, venue_room_find(v, "Room 201"));
	assert_non_null(r);
	assert_int_equal(r->floor, 2);
	assert_string_equal(r->area, "east wing");
	assert_true(r->has_shape);
	r = venue_room_at(v, venue_room_find(v, "Broken"));
	assert_non_null(r);
	assert_false(r->has_shape);
	int floors[4];
	assert_int_equal(venue_floors(v, floors, 4), 2);
	venue_free(v);
	store_close(s);
	unlink(path);
	snprintf(side, sizeof side, "%s-wal", path);
	unlink(side);
	snprintf(side, sizeof side, "%s-shm", path);
	unlink(side);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_load_rooms),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
