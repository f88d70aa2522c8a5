/* Unit tests for venue/poly and venue/venue: outline parsing and validation, triangulation,
 * hit tests, fitting a floor to the screen, locating the kiosk and the route in words. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "common/util.h"
#include "venue/poly.h"
#include "venue/venue.h"

static void test_parse_points_and_rect(void **state)
{
	(void)state;
	venue_poly p;
	char err[128];
	assert_int_equal(venue_poly_parse("0,0 10,0 10,5 0,5", &p, err, sizeof err), 0);
	assert_int_equal(p.n, 4);
	assert_true(fabs(venue_poly_area(&p) - 50.0) < 1e-6);

	assert_int_equal(venue_poly_parse(" 2.5,-1,4,3 ", &p, err, sizeof err), 0);
	assert_int_equal(p.n, 4);
	assert_true(p.pt[2].x == 6.5f && p.pt[2].y == 2.0f);

	/* A closing point repeated (GIS style) is dropped. */
	assert_int_equal(venue_poly_parse("0,0 4,0 4,4 0,0", &p, err, sizeof err), 0);
	assert_int_equal(p.n, 3);
}

static void test_parse_rejects_bad_outlines(void **state)
{
	(void)state;
	struct { const char *text, *why; } bad[] = {
		{ "", "no outline" },
		{ "0,0 1,1", "at least 3" },
		{ "0,0 nan,1 2,2", "point 2" },
		{ "0,0 inf,1 2,2", "point 2" },
		{ "0,0 1e3,1 2,2", "point 2" },
		{ "0,0 0x10,1 2,2", "point 2" },
		{ "0,0 1,1 2", "point 3" },
		{ "0,0 1,1,1 2,2", "point 2" },
		{ "0,0 20000,0 1,1", "out of range" },
		{ "0,0 10,10 10,0 0,10", "cross" },          /* bow tie */
		{ "0,0 1,1 2,2", "no area" },
		{ "0,0 1,0 1,0 0,1", "repeats" },
		{ "0,0,0,5", "width and height" },
		{ "0,0,5,5 1,1", "whole outline" },
		{ "0;0 1;0 1;1", "point 1" },
	};
	for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
		venue_poly p;
		char err[128] = "";
		assert_int_equal(venue_poly_parse(bad[i].text, &p, err, sizeof err), -1);
		if (strstr(err, bad[i].why) == NULL)
			fail_msg("'%s': message '%s' lacks '%s'", bad[i].text, err, bad[i].why);
	}
	/* Too many points: bounded before anything is stored. */
	char big[4096] = "";
	for (int i = 0; i <= VENUE_POLY_MAX; i++) {
		char pt[32];
		double a = 2 * 3.14159265 * i / (VENUE_POLY_MAX + 1);
		snprintf(pt, sizeof pt, "%.3f,%.3f ", 10 * cos(a), 10 * sin(a));
		strcat(big, pt);
	}
	venue_poly p;
	char err[128];
	assert_int_equal(venue_poly_parse(big, &p, err, sizeof err), -1);
	assert_non_null(strstr(err, "too many points"));
}

static void test_format_round_trip(void **state)
{
	(void)state;
	venue_poly p, q;
	char text[512], err[128];
	assert_int_equal(venue_poly_parse("0,0 12.5,0 12.25,-3.1 0.05,-4", &p, err, sizeof err), 0);
	assert_int_equal(venue_poly_format(&p, text, sizeof text), 0);
	assert_string_equal(text, "0,0 12.5,0 12.25,-3.1 0.05,-4");
	assert_int_equal(venue_poly_parse(text, &q, err, sizeof err), 0);
	assert_int_equal(q.n, p.n);
	assert_int_equal(venue_poly_format(&p, text, 10), -1); /* does not fit: says so */
}

/* The triangles of an outline cover exactly its area, whatever the winding. */
static void check_triangulation(const char *text)
{
	venue_poly p;
	int idx[VENUE_TRI_MAX];
	char err[128];
	assert_int_equal(venue_poly_parse(text, &p, err, sizeof err), 0);
	int t = venue_poly_triangulate(&p, idx);
	assert_true(t >= 1 && t <= p.n - 2);
	double sum = 0;
	for (int i = 0; i < t; i++) {
		venue_pt a = p.pt[idx[3 * i]], b = p.pt[idx[3 * i + 1]], c = p.pt[idx[3 * i + 2]];
		sum += fabs(((double)b.x - a.x) * ((double)c.y - a.y) -
			    ((double)c.x - a.x) * ((double)b.y - a.y)) / 2;
		/* Every triangle's centre lies inside the outline (no ear outside a notch). */
		assert_true(venue_poly_contains(&p, (a.x + b.x + c.x) / 3, (a.y + b.y + c.y) / 3));
	}
	if (fabs(sum - fabs(venue_poly_area(&p))) > 1e-3)
		fail_msg("'%s': triangles cover %f, outline %f", text, sum, fabs(venue_poly_area(&p)));
}

static void test_triangulate_concave(void **state)
{
	(void)state;
	check_triangulation("0,0 10,0 10,10 0,10");
	check_triangulation("0,10 10,10 10,0 0,0");                        /* other winding */
	check_triangulation("0,0 30,0 30,10 10,10 10,30 0,30");            /* L */
	check_triangulation("0,0 30,0 30,30 20,30 20,10 10,10 10,30 0,30"); /* U */
	check_triangulation("0,0 5,0 10,0 10,10 0,10");                    /* collinear point */
	check_triangulation("0,0 10,0 10,10 5,2 0,10");                    /* deep notch */
}

static void test_contains(void **state)
{
	(void)state;
	venue_poly p;
	char err[128];
	assert_int_equal(venue_poly_parse("0,0 30,0 30,10 10,10 10,30 0,30", &p, err, sizeof err), 0);
	assert_true(venue_poly_contains(&p, 5, 5));
	assert_true(venue_poly_contains(&p, 5, 25));
	assert_false(venue_poly_contains(&p, 20, 20)); /* in the L's notch */
	assert_false(venue_poly_contains(&p, -1, 5));
}

static venue *demo_venue(void)
{
	venue *v = venue_new();
	char err[128];
	/* Ground floor: a corridor of halls running west to east. */
	assert_int_equal(venue_add_room(v, "Foyer", 0, "Ground floor", "entrance", "0,0,10,10", err, sizeof err), 0);
	assert_int_equal(venue_add_room(v, "Hall A", 0, "Ground floor", "west wing", "10,0,10,10", err, sizeof err), 1);
	assert_int_equal(venue_add_room(v, "Hall B", 0, "Ground floor", "east wing", "20,0,10,10", err, sizeof err), 2);
	assert_int_equal(venue_add_room(v, "Hall C", 0, "Ground floor", "east wing", "30,0,10,10", err, sizeof err), 3);
	/* Level 2 */
	assert_int_equal(venue_add_room(v, "Room 201", 2, "Level 2", "east wing", "30,0,10,10", err, sizeof err), 4);
	assert_int_equal(venue_add_room(v, "Room 202", 2, "Level 2", "east wing", "20,0,10,10", err, sizeof err), 5);
	assert_int_equal(venue_add_room(v, "Café 東", 2, "Level 2", "", "0,0,10,10", err, sizeof err), 6);
	/* Listed but not drawn: no outline yet. */
	assert_int_equal(venue_add_room(v, "Annex", 1, "", "", "", err, sizeof err), 7);
	return v;
}

static void test_add_room_errors(void **state)
{
	(void)state;
	venue *v = demo_venue();
	char err[128];
	assert_int_equal(venue_add_room(v, "hall a", 0, "", "", "0,0,1,1", err, sizeof err), -1);
	assert_non_null(strstr(err, "twice"));
	assert_int_equal(venue_add_room(v, "Bad", 0, "", "", "0,0 1,1", err, sizeof err), -1);
	assert_non_null(strstr(err, "room 'Bad'"));
	assert_int_equal(venue_room_count(v), 8);
	venue_free(v);
}

static void test_floors_and_names(void **state)
{
	(void)state;
	venue *v = demo_venue();
	int floors[8];
	char name[64];
	assert_int_equal(venue_floors(v, floors, 8), 2); /* the Annex has no outline */
	assert_int_equal(floors[0], 0);
	assert_int_equal(floors[1], 2);
	venue_floor_name(v, 2, name, sizeof name);
	assert_string_equal(name, "Level 2");
	venue_floor_name(v, 1, name, sizeof name);
	assert_string_equal(name, "Level 1");
	venue_free(v);
}

static void test_locate(void **state)
{
	(void)state;
	venue *v = demo_venue();
	assert_int_equal(venue_locate(v, "foyer"), 0);
	assert_int_equal(venue_locate(v, "Kiosk 3, Foyer by the doors"), 0);
	assert_int_equal(venue_locate(v, "Café 東"), 6);
	assert_int_equal(venue_locate(v, "Car park"), -1);
	assert_int_equal(venue_locate(v, ""), -1);
	venue_free(v);
}

static void test_fit_keeps_aspect_and_hit(void **state)
{
	(void)state;
	venue *v = demo_venue();
	venue_view view;
	/* Ground floor is 40 m x 10 m; an 800 x 400 viewport with 20 px margin: 760/40 = 19
	 * px/m wide, 360/10 = 36 tall -> 19 (aspect kept), centred vertically. */
	assert_int_equal(venue_fit(v, 0, 0, 0, 800, 400, 20, &view), 0);
	assert_true(fabsf(view.scale - 19.0f) < 1e-4);
	assert_true(fabsf(view.ox - 20.0f) < 1e-3);
	assert_true(fabsf(view.oy - (20 + (360 - 190) / 2.0f)) < 1e-3);
	/* The middle of Hall B (25 m, 5 m) on screen hits Hall B; outside hits nothing. */
	assert_int_equal(venue_hit(v, 0, &view, view.ox + 25 * view.scale, view.oy + 5 * view.scale), 2);
	assert_int_equal(venue_hit(v, 0, &view, 5, 5), -1);
	/* Same spot on Level 2 is Room 202. */
	assert_int_equal(venue_fit(v, 2, 0, 0, 800, 400, 20, &view), 0);
	assert_int_equal(venue_hit(v, 2, &view, view.ox + 25 * view.scale, view.oy + 5 * view.scale), 5);
	assert_int_equal(venue_fit(v, 1, 0, 0, 800, 400, 20, &view), -1); /* nothing to draw */
	/* Portrait viewport: width limits. */
	assert_int_equal(venue_fit(v, 0, 0, 0, 480, 800, 0, &view), 0);
	assert_true(fabsf(view.scale - 12.0f) < 1e-4);
	venue_free(v);
}

static void test_route_words(void **state)
{
	(void)state;
	venue *v = demo_venue();
	char r[256];
	/* Same floor: from the Foyer to Hall C passes Hall A and Hall B; the nearer-goal one. */
	assert_int_equal(venue_route(v, 0, 3, r, sizeof r), 0);
	assert_string_equal(r, "On this floor, east wing, past Hall B");
	/* Next door: nothing in between. */
	assert_int_equal(venue_route(v, 0, 1, r, sizeof r), 0);
	assert_string_equal(r, "On this floor, west wing");
	/* Another floor: up, then the area and a landmark on that floor. */
	assert_int_equal(venue_route(v, 0, 4, r, sizeof r), 0);
	assert_string_equal(r, "Take the stairs or lift up to Level 2, then east wing, past Room 202");
	assert_int_equal(venue_route(v, 4, 0, r, sizeof r), 0);
	assert_true(strncmp(r, "Take the stairs or lift down to Ground floor, then entrance", 59) == 0);
	/* Kiosk location unknown: floor, area and the nearest room. */
	assert_int_equal(venue_route(v, -1, 4, r, sizeof r), 0);
	assert_string_equal(r, "Level 2, east wing, next to Room 202");
	/* Target without outline or area. */
	assert_int_equal(venue_route(v, 0, 7, r, sizeof r), 0);
	assert_string_equal(r, "Take the stairs or lift up to Level 1");
	assert_int_equal(venue_route(v, 2, 2, r, sizeof r), 0);
	assert_string_equal(r, "You are here");
	assert_int_equal(venue_route(v, 0, 99, r, sizeof r), -1);
	/* A short buffer truncates but stays terminated. */
	assert_int_equal(venue_route(v, 0, 4, r, 12), 0);
	assert_int_equal(strlen(r), 11);
	venue_free(v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_points_and_rect),
		cmocka_unit_test(test_parse_rejects_bad_outlines),
		cmocka_unit_test(test_format_round_trip),
		cmocka_unit_test(test_triangulate_concave),
		cmocka_unit_test(test_contains),
		cmocka_unit_test(test_add_room_errors),
		cmocka_unit_test(test_floors_and_names),
		cmocka_unit_test(test_locate),
		cmocka_unit_test(test_fit_keeps_aspect_and_hit),
		cmocka_unit_test(test_route_words),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
