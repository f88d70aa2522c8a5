/* "Still there?": the prompt over a browsing screen (the session browser and its detail, the
 * colleague lists) before the idle return to attract, with one large button to stay (WCAG
 * 2.2.1, timing adjustable: at least 20 s of warning and a simple way to extend).
 *
 * The app decides when (app/kiosk.c: after idle_timeout on a browsing screen, and attract
 * STILL_THERE_S later; KITH_STILL_THERE_S shortens it for tests); this draws the card and
 * takes the touch that answers it. The personal welcome screen never gets it: it clears on
 * idle_timeout as before.
 */
#ifndef KITH_STILL_THERE_H
#define KITH_STILL_THERE_H

#include <stdint.h>

#include "screens/screens.h"

#define STILL_THERE_S 20 /* warning before the return to attract, seconds */

typedef struct still_there {
	int visible;      /* shown this frame */
	int seconds_left; /* until attract, for the card and the scene ("still-there N") */
	ui_tap stay;      /* the button; its rect is set while drawing */
} still_there;

/* While visible, takes every pointer event (the screen under it must not act): returns 1. The
 * touch itself is the answer; the caller counts it as activity, which hides the card. */
int still_there_pointer(still_there *s, const ui_pointer *p);
void still_there_draw(still_there *s, ui *u, const screen_theme *t, const screen_metrics *m);

#endif
