/* Storage: what this kiosk knows of another kiosk from the check-ins merged from it (the LAN
 * peers list on the admin screen). Same conventions as store.h. */
#ifndef KITH_STORE_PEERS_H
#define KITH_STORE_PEERS_H

#include <stdint.h>

#include "store/store.h"

typedef struct store_peer_info {
	char location[STORE_PLACE_MAX]; /* from its kiosks row, "" when not known yet */
	int64_t last_seq;               /* its newest check-in held here (0: none) */
	int64_t last_at;                /* that check-in's time (its clock), 0 when none */
} store_peer_info;

/* 0 and fills out (zeros when nothing is known of kiosk_id), or STORE_EIO. */
int store_peer_info_get(store *s, const char *kiosk_id, store_peer_info *out);

#endif
