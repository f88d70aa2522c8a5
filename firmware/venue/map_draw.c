/* The venue map: each room is one SDL_RenderGeometry call for its fill (triangles computed
 * once by venue_add_room) and one for its walls (a quad per edge, stretched by half the wall
 * width at both ends so that corners close). The "you are here" marker is a triangle fan.
 * All vertices are built on the stack: at most VENUE_POLY_MAX points per room, no allocation
 * per frame. */
#include "venue/map_draw.h"

#include <math.h>

#define FAN_SEGMENTS 32
#define PI_F 3.14159265f

void venue_map_style_default(venue_map_style *s)
{
	*s = (venue_map_style){
		.room = { 0xE8, 0xEC, 0xF1, 0xFF },
		.wall = { 0x5B, 0x67, 0x78, 0xFF },
		.highlight = { 0xF2, 0xA9, 0x00, 0xFF },
		.highlight_wall = { 0x8A, 0x5A, 0x00, 0xFF },
		.here = { 0xD6, 0x28, 0x28, 0xFF },
		.here_ring = { 0xFF, 0xFF, 0xFF, 0xFF },
		.wall_px = 2.0f,
		.here_px = 10.0f,
	};
}

static SDL_Vertex vtx(float x, float y, SDL_Color c)
{
	return (SDL_Vertex){ .position = { x, y }, .color = c, .tex_coord = { 0, 0 } };
}

static int draw_room(SDL_Renderer *r, const venue_room *room, const venue_view *view,
		     SDL_Color fill, SDL_Color wall, float wall_px)
{
	SDL_Vertex v[4 * VENUE_POLY_MAX];
	int idx[6 * VENUE_POLY_MAX];
	int n = room->shape.n;

	if (n < 3 || n > VENUE_POLY_MAX)
		return 0;
	for (int i = 0; i < n; i++)
		v[i] = vtx(view->ox + room->shape.pt[i].x * view->scale,
			   view->oy + room->shape.pt[i].y * view->scale, fill);
	if (SDL_RenderGeometry(r, NULL, v, n, room->tri, 3 * room->tris) < 0)
		return -1;

	/* Walls: one quad per edge, extended by half the width so corners meet. */
	float hw = wall_px / 2;
	int nv = 0, ni = 0;
	for (int i = 0; i < n; i++) {
		SDL_FPoint a = { view->ox + room->shape.pt[i].x * view->scale,
				 view->oy + room->shape.pt[i].y * view->scale };
		SDL_FPoint b = { view->ox + room->shape.pt[(i + 1) % n].x * view->scale,
				 view->oy + room->shape.pt[(i + 1) % n].y * view->scale };
		float dx = b.x - a.x, dy = b.y - a.y, len = sqrtf(dx * dx + dy * dy);
		if (len < 1e-3f)
			continue;
		dx = dx / len * hw;
		dy = dy / len * hw;
		v[nv + 0] = vtx(a.x - dx - dy, a.y - dy + dx, wall);
		v[nv + 1] = vtx(b.x + dx - dy, b.y + dy + dx, wall);
		v[nv + 2] = vtx(b.x + dx + dy, b.y + dy - dx, wall);
		v[nv + 3] = vtx(a.x - dx + dy, a.y - dy - dx, wall);
		int q[6] = { nv, nv + 1, nv + 2, nv, nv + 2, nv + 3 };
		for (int k = 0; k < 6; k++)
			idx[ni++] = q[k];
		nv += 4;
	}
	return SDL_RenderGeometry(r, NULL, v, nv, idx, ni);
}

static int draw_disc(SDL_Renderer *r, float cx, float cy, float radius, SDL_Color c)
{
	SDL_Vertex v[FAN_SEGMENTS + 1];
	int idx[3 * FAN_SEGMENTS];
	v[0] = vtx(cx, cy, c);
	for (int i = 0; i < FAN_SEGMENTS; i++) {
		float a = (float)i * 2.0f * PI_F / FAN_SEGMENTS;
		v[i + 1] = vtx(cx + radius * cosf(a), cy + radius * sinf(a), c);
		idx[3 * i] = 0;
		idx[3 * i + 1] = i + 1;
		idx[3 * i + 2] = (i + 1) % FAN_SEGMENTS + 1;
	}
	return SDL_RenderGeometry(r, NULL, v, FAN_SEGMENTS + 1, idx, 3 * FAN_SEGMENTS);
}

int venue_map_draw(SDL_Renderer *r, const venue *v, int floor, const venue_view *view,
		   int highlight, int here, const venue_map_style *style, venue_label_fn label,
		   void *label_ctx)
{
	int count = venue_room_count(v);

	/* Ordinary rooms first, the highlighted one last so its walls sit on top. */
	for (int pass = 0; pass < 2; pass++) {
		for (int i = 0; i < count; i++) {
			const venue_room *room = venue_room_at(v, i);
			if (room->floor != floor || !room->has_shape || (i == highlight) != pass)
				continue;
			SDL_Color fill = pass ? style->highlight : style->room;
			SDL_Color wall = pass ? style->highlight_wall : style->wall;
			if (draw_room(r, room, view, fill, wall, pass ? style->wall_px * 2 : style->wall_px) < 0)
				return -1;
		}
	}
	if (label != NULL) {
		for (int i = 0; i < count; i++) {
			const venue_room *room = venue_room_at(v, i);
			if (room->floor != floor || !room->has_shape)
				continue;
			venue_pt lo, hi;
			venue_poly_bounds(&room->shape, &lo, &hi);
			label(label_ctx, room->name, view->ox + room->centre.x * view->scale,
			      view->oy + room->centre.y * view->scale,
			      (hi.x - lo.x) * view->scale * 0.9f,
			      i == highlight ? 1 : i == here ? 2 : 0);
		}
	}
	const venue_room *h = venue_room_at(v, here);
	if (h != NULL && h->floor == floor && h->has_shape) {
		/* Below the label's centre line so the room's name stays readable. */
		venue_pt lo, hi;
		venue_poly_bounds(&h->shape, &lo, &hi);
		float cx = view->ox + h->centre.x * view->scale;
		float cy = view->oy + h->centre.y * view->scale;
		float room_h = (hi.y - lo.y) * view->scale;
		if (room_h > 6 * style->here_px)
			cy += room_h / 4;
		if (draw_disc(r, cx, cy, style->here_px + 3, style->here_ring) < 0 ||
		    draw_disc(r, cx, cy, style->here_px, style->here) < 0)
			return -1;
	}
	return 0;
}
