/* LAN sync: this kiosk's end of the Syncthing transport (docs/ARCHITECTURE.md "LAN sync",
 * docs/CONTRACT.md "LAN sync").
 *
 * lan_dir holds one folder per kiosk, kith-<kiosk-id>/: this kiosk's own (Syncthing sends it,
 * only this kiosk writes it) and one per peer (Syncthing receives them; the kiosk only reads).
 * One thread, with its own store connection:
 *   - publishes: after lan_sync_poke (a committed tap or consent answer) it refreshes this
 *     kiosk's files through exchange_publish, at most once a second while pokes keep coming,
 *     then asks Syncthing to scan exactly the files that changed;
 *   - receives: inotify on the peer folders says a file arrived; each is taken in with
 *     exchange_take_file (a briefly missing file is retried, a bad one refused by name);
 *   - watches: every few seconds, Syncthing's REST API says which peers are reachable and how
 *     far behind each folder is; lan_sync_status hands a copy to the SDL thread.
 * Syncthing being down changes nothing but the status: taps are committed by the store worker
 * as always, and the next publish or arrival catches up.
 */
#ifndef KITH_SYNC_LAN_SYNC_H
#define KITH_SYNC_LAN_SYNC_H

#include <stdint.h>

#include "store/store.h"

#define LAN_PEERS_MAX 64

typedef struct lan_sync lan_sync;

/* Called on the LAN thread: added > 0 after check-ins arrived, 0 when only the status changed. */
typedef void (*lan_sync_notify_fn)(void *ctx, int64_t added);

typedef struct lan_sync_config {
	const char *db_path, *lan_dir, *kiosk_id;
	const char *api_addr;     /* NULL: no REST API (publish and receive still work) */
	const char *api_key_file;
	int cutoff_s;             /* cut off from every peer this long: lan_status.cut_off */
	int64_t max_file_bytes;   /* a bigger peer file is refused; 0: the exchange's default */
	lan_sync_notify_fn notify;
	void *notify_ctx;
} lan_sync_config;

typedef struct lan_peer {
	char kiosk_id[STORE_ID_MAX];
	char location[STORE_PLACE_MAX]; /* from its check-ins' kiosk row; "" until known */
	int64_t last_seen;    /* wall time (clock_now) a file of it was last taken in; 0: never */
	int64_t last_seq;     /* its newest check-in held here */
	int reachable;        /* a device sharing its folder is connected: 1/0, -1 unknown */
	int64_t need_bytes;   /* how far behind its folder is (Syncthing); -1 unknown */
	int64_t need_files;
	char problem[200];    /* the last refusal of one of its files, "" when none */
} lan_peer;

typedef struct lan_status {
	int api_ok;           /* Syncthing answered the last status poll */
	char api_error[160];  /* why not */
	int connected;        /* devices connected now */
	int cut_off;          /* no device connected for longer than cutoff_s */
	int64_t published;    /* refreshes of this kiosk's files so far */
	int64_t taken;        /* check-ins taken in from peers so far */
	int npeers;
	lan_peer peers[LAN_PEERS_MAX];
} lan_status;

/* Starts the thread (strings are copied). 0, or -1 (logged). */
int lan_sync_start(lan_sync **out, const lan_sync_config *cfg);
/* Something new to publish (any thread; cheap; NULL is fine). */
void lan_sync_poke(lan_sync *l);
/* A copy of the latest status (any thread). 0, or -1 when l is NULL. */
int lan_sync_status(lan_sync *l, lan_status *out);
void lan_sync_stop(lan_sync *l); /* NULL is fine */

#endif
