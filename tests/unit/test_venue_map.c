/* Unit test for venue/map_draw: draws a floor with SDL's software renderer into a surface
 * and reads pixels back: the highlighted room is in the highlight colour, others in the room
 * colour, the "you are here" dot in its room, nothing outside the rooms, concave rooms filled
 * only where they are. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "venue/map_draw.h"
#include "venue/venue.h"

typedef struct fixture {
	SDL_Surface *surf;
	SDL_Renderer *r;
	venue *v;
	venue_map_style style;
	int labels[8]; /* role of each room's label, -1 = not labelled */
} fixture;

static int setup(void **state)
{
	static fixture f;
	char err[128];
	memset(&f, 0, sizeof f);
	f.surf = SDL_CreateRGBSurfaceWithFormat(0, 400, 200, 32, SDL_PIXELFORMAT_RGBA8888);
	assert_non_null(f.surf);
	f.r = SDL_CreateSoftwareRenderer(f.surf);
	assert_non_null(f.r);
	f.v = venue_new();
	assert_true(venue_add_room(f.v, "Foyer", 0, "", "", "0,0,10,10", err, sizeof err) == 0);
	assert_true(venue_add_room(f.v, "Hall A", 0, "", "", "10,0,10,10", err, sizeof err) == 1);
	/* An L-shaped hall: its notch (30..40, 0..5) must stay background. */
	assert_true(venue_add_room(f.v, "Hall B", 0, "", "", "20,0 30,0 30,5 40,5 40,10 20,10", err, sizeof err) == 2);
	assert_true(venue_add_room(f.v, "Upstairs", 1, "", "", "0,0,10,10", err, sizeof err) == 3);
	venue_map_style_default(&f.style);
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	venue_free(f->v);
	SDL_DestroyRenderer(f->r);
	SDL_FreeSurface(f->surf);
	return 0;
}

static SDL_Color pixel(fixture *f, float x, float y)
{
	Uint32 p = ((Uint32 *)f->surf->pixels)[(int)y * (f->surf->pitch / 4) + (int)x];
	SDL_Color c;
	SDL_GetRGBA(p, f->surf->format, &c.r, &c.g, &c.b, &c.a);
	return c;
}

static int same(SDL_Color a, SDL_Color b)
{
	return abs(a.r - b.r) <= 2 && abs(a.g - b.g) <= 2 && abs(a.b - b.b) <= 2;
}

static void label(void *ctx, const char *text, float cx, float cy, float max_w, int role)
{
	fixture *f = ctx;
	(void)cx;
	(void)cy;
	assert_true(max_w > 0);
	int i = strcmp(text, "Foyer") == 0 ? 0 : strcmp(text, "Hall A") == 0 ? 1
		: strcmp(text, "Hall B") == 0 ? 2 : 3;
	f->labels[i] = role;
}

static void test_draw_floor(void **state)
{
	fixture *f = *state;
	venue_view view;
	SDL_Color bg = { 0x10, 0x20, 0x30, 0xFF };

	assert_int_equal(venue_fit(f->v, 0, 0, 0, 400, 200, 0, &view), 0); /* 10 px per metre */
	SDL_SetRenderDrawColor(f->r, bg.r, bg.g, bg.b, 0xFF);
	SDL_RenderClear(f->r);
	memset(f->labels, -1, sizeof f->labels);
	assert_int_equal(venue_map_draw(f->r, f->v, 0, &view, 1, 0, &f->style, label, f), 0);
	SDL_RenderPresent(f->r);

	float y0 = view.oy; /* floor is 40 x 10 m in a 400 x 200 viewport: centred vertically */
	assert_true(same(pixel(f, 150, y0 + 20), f->style.highlight)); /* Hall A */
	assert_true(same(pixel(f, 250, y0 + 80), f->style.room));      /* Hall B */
	assert_true(same(pixel(f, 350, y0 + 80), f->style.room));      /* Hall B's foot */
	assert_true(same(pixel(f, 350, y0 + 20), bg));                 /* Hall B's notch */
	assert_true(same(pixel(f, 50, y0 + 75), f->style.here));       /* marker in the Foyer, below its label... */
	assert_true(same(pixel(f, 20, y0 + 20), f->style.room));       /* ...not filling it */
	assert_true(same(pixel(f, 200, 2), bg));                       /* above the floor */
	assert_true(same(pixel(f, 100, y0 + 50), f->style.highlight_wall)); /* Foyer | Hall A wall */
	assert_int_equal(f->labels[0], 2);
	assert_int_equal(f->labels[1], 1);
	assert_int_equal(f->labels[2], 0);
	assert_int_equal(f->labels[3], -1); /* other floor: not drawn */
}

static void test_other_floor_has_no_marker(void **state)
{
	fixture *f = *state;
	venue_view view;
	assert_int_equal(venue_fit(f->v, 1, 0, 0, 400, 200, 0, &view), 0);
	SDL_SetRenderDrawColor(f->r, 0, 0, 0, 0xFF);
	SDL_RenderClear(f->r);
	assert_int_equal(venue_map_draw(f->r, f->v, 1, &view, 3, 0, &f->style, NULL, NULL), 0);
	SDL_RenderPresent(f->r);
	assert_true(same(pixel(f, 200, 100), f->style.highlight)); /* Upstairs, no red dot */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_draw_floor),
		cmocka_unit_test(test_other_floor_has_no_marker),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
