/* Recognises the operator's way into the admin screen: a finger held still on a screen
 * corner for CORNER_PRESS_MS. An ordinary tap (short, or moving, or away from the corner) never
 * triggers it, so attendees do not stumble in. Pure state machine fed with pixel positions and
 * monotonic milliseconds; the screen decides what to do when it fires.
 */
#ifndef KITH_CORNER_PRESS_H
#define KITH_CORNER_PRESS_H

#include <stdint.h>

#define CORNER_PRESS_MS 2000
#define CORNER_PRESS_SLOP_FRAC 0.03f /* movement allowed, as a fraction of the short side */

typedef struct corner_press {
	int w, h;           /* screen size in pixels */
	int down;           /* a finger is down inside a corner */
	float x0, y0;       /* where it went down */
	uint64_t since_ms;  /* when it went down */
	int fired;          /* already triggered for this press */
} corner_press;

void corner_press_init(corner_press *c, int w, int h);
/* Size of the square corner zone in pixels (a comfortable thumb, at least 48 px). */
int corner_press_zone(const corner_press *c);
void corner_press_down(corner_press *c, float x, float y, uint64_t now_ms);
void corner_press_move(corner_press *c, float x, float y);
void corner_press_up(corner_press *c);
/* Call every frame (and on events): returns 1 exactly once when the hold completes. */
int corner_press_poll(corner_press *c, uint64_t now_ms);
/* 0..1 progress of the hold in progress (for a filling ring); 0 when none. */
float corner_press_progress(const corner_press *c, uint64_t now_ms);

#endif
