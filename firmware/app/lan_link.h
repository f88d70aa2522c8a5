/* The kiosk's end of LAN sync (sync/lan_sync.h): starts it from the config and turns its
 * notifications (on the LAN thread) into KIOSK_EV_LAN events for the SDL thread. */
#ifndef KITH_APP_LAN_LINK_H
#define KITH_APP_LAN_LINK_H

#include "app/kiosk.h"

/* Sets k->lan, or leaves it NULL (logged): the kiosk then runs as without lan_dir. */
void lan_link_start(kiosk *k);

#endif
