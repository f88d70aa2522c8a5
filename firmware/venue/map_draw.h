/* Drawing a floor of the venue with SDL's geometry renderer: filled room outlines (ear-clipped
 * at load), walls, the highlighted room and the "you are here" marker. Text is not drawn here:
 * the caller's label callback places each room name with the UI toolkit's text cache, so this
 * module needs nothing but a renderer.
 */
#ifndef KITH_MAP_DRAW_H
#define KITH_MAP_DRAW_H

#include <SDL.h>

#include "venue/venue.h"

typedef struct venue_map_style {
	SDL_Color room;        /* fill of an ordinary room */
	SDL_Color wall;        /* outline of every room */
	SDL_Color highlight;   /* fill of the session's room */
	SDL_Color highlight_wall;
	SDL_Color here;        /* the "you are here" dot */
	SDL_Color here_ring;   /* its ring, for contrast on any fill */
	float wall_px;         /* outline width in pixels */
	float here_px;         /* dot radius in pixels */
} venue_map_style;

/* Called once per drawn room: put `text` centred at (cx, cy), at most max_w pixels wide.
 * role: 0 ordinary room, 1 highlighted room, 2 the kiosk's room. */
typedef void (*venue_label_fn)(void *ctx, const char *text, float cx, float cy, float max_w,
			       int role);

void venue_map_style_default(venue_map_style *s);

/* Draws every room of `floor`; highlight/here are room indices or -1 (here is drawn only if
 * that room is on this floor). label may be NULL. Returns 0 or -1 (SDL error). */
int venue_map_draw(SDL_Renderer *r, const venue *v, int floor, const venue_view *view,
		   int highlight, int here, const venue_map_style *style, venue_label_fn label,
		   void *label_ctx);

#endif
