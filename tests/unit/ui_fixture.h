/* A cmocka fixture for tests of the ui toolkit: a real SDL window on the dummy video driver with
 * the software renderer, so text is really shaped and rendered, with no display needed. */
#ifndef KITH_TEST_UI_FIXTURE_H
#define KITH_TEST_UI_FIXTURE_H

#include <stdlib.h>

#include "ui/ui.h"

static int setup(void **state)
{
	ui_options o = { .title = "test", .width = 800, .height = 480 };
	ui *u = NULL;

	setenv("SDL_VIDEODRIVER", "dummy", 1);
	setenv("SDL_RENDER_DRIVER", "software", 1);
	if (ui_open(&u, &o) != 0)
		return -1;
	*state = u;
	return 0;
}

static int teardown(void **state)
{
	ui_close(*state);
	return 0;
}

#endif
