/* Start-up steps that can stop the kiosk, and what it shows instead of a restart loop behind a
 * black screen: the fault screen (screens/fault.c) with what is wrong, for the operator.
 *
 * A database that cannot be opened (a full data partition, a path that is not a database) is
 * retried with a bounded back-off while the fault screen says why; the reader and the store
 * worker are not started until it opens, so no badge is acknowledged meanwhile. A refused config
 * (--errors-on-screen) is shown until the kiosk is stopped. Both kick the systemd watchdog.
 * docs/ARCHITECTURE.md "Start-up" has the order.
 */
#ifndef KITH_APP_STARTUP_H
#define KITH_APP_STARTUP_H

#include <signal.h>

#include "app/kiosk.h"
#include "store/store.h"

/* SDL, then the window from k->cfg (size, rotation, fonts, scene file) into k->ui. 0 or -1
 * (logged). */
int startup_display_open(kiosk *k, const char *title);

/* Opens the kiosk's database read-write and records the kiosk row. When that fails, opens the
 * display (if it is not yet) and holds on the fault screen, trying again every 1, 2, then 4 s,
 * until it works (0, *db open) or *quit is set (1, nothing open but k->ui). */
int startup_store_open(kiosk *k, store **db, volatile sig_atomic_t *quit);

/* config_load refused k->cfg and asked for --errors-on-screen: opens the display with the
 * safe settings it has (built-in fonts and colours), shows every refused line on the fault
 * screen until *quit is set, then closes the display. */
void startup_config_refused(kiosk *k, volatile sig_atomic_t *quit);

#endif
