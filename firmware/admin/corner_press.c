/* Long press on a screen corner: see corner_press.h. */
#include "admin/corner_press.h"

#include <math.h>

void corner_press_init(corner_press *c, int w, int h)
{
	*c = (corner_press){ .w = w, .h = h };
}

int corner_press_zone(const corner_press *c)
{
	int s = c->w < c->h ? c->w : c->h;
	int z = s / 8;
	return z < 48 ? 48 : z;
}

static int in_corner(const corner_press *c, float x, float y)
{
	float z = (float)corner_press_zone(c);
	int left = x < z, right = x >= c->w - z, top = y < z, bottom = y >= c->h - z;
	return (left || right) && (top || bottom);
}

void corner_press_down(corner_press *c, float x, float y, uint64_t now_ms)
{
	c->down = in_corner(c, x, y);
	c->x0 = x;
	c->y0 = y;
	c->since_ms = now_ms;
	c->fired = 0;
}

void corner_press_move(corner_press *c, float x, float y)
{
	float slop = CORNER_PRESS_SLOP_FRAC * (float)(c->w < c->h ? c->w : c->h);
	if (c->down && (fabsf(x - c->x0) > slop || fabsf(y - c->y0) > slop))
		c->down = 0; /* a swipe, not a hold */
}

void corner_press_up(corner_press *c)
{
	c->down = 0;
}

int corner_press_poll(corner_press *c, uint64_t now_ms)
{
	if (!c->down || c->fired || now_ms - c->since_ms < CORNER_PRESS_MS)
		return 0;
	c->fired = 1;
	return 1;
}

float corner_press_progress(const corner_press *c, uint64_t now_ms)
{
	if (!c->down || c->fired)
		return 0;
	float p = (float)(now_ms - c->since_ms) / CORNER_PRESS_MS;
	return p > 1 ? 1 : p;
}
