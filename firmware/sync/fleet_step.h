/* The fleet step of a USB sync: kith/fleet.json (docs/CONTRACT.md "Fleet file") and this
 * kiosk's Syncthing identity, kith/identities/<kiosk-id>/{cert,key}.pem, from the stick into
 * the kiosk's data folder (beside its database), where the Syncthing service's start-up
 * (image/rootfs/usr/lib/kith/syncthing-setup) makes Syncthing's config from them.
 * Internal to sync/: called once by usb_sync_run after the conference bundle step. */
#ifndef KITH_SYNC_FLEET_STEP_H
#define KITH_SYNC_FLEET_STEP_H

#include <stddef.h>

#include "store/store.h"

enum fleet_step_result {
	FLEET_STEP_NONE = 0,      /* no kith/fleet.json on the stick */
	FLEET_STEP_STORED = 1,    /* a newer fleet (and this kiosk's identity, if given) stored */
	FLEET_STEP_NOT_NEWER = 2, /* valid, but the kiosk has this fleet_version or a newer one */
	FLEET_STEP_EREFUSED = -1, /* refused whole: why says so; nothing stored changed */
	FLEET_STEP_EIO = -2,      /* the stick failed while reading */
	FLEET_STEP_EKIOSK = -3,   /* the kiosk's own data folder or database failed */
};

typedef struct fleet_step_in {
	int kithfd;             /* the stick's kith folder */
	const char *kiosk_id;   /* this kiosk: the fleet must list it */
	const char *data_dir;   /* where fleet.json and syncthing-identity/ are kept */
	const char *tmpdir;     /* private folder for copies of the stick's files */
} fleet_step_in;

/* Validates the stick's fleet file (and identity) whole and, when newer than the kiosk's,
 * stores them atomically; records the outcome in meta (fleet_version, fleet_last_result,
 * fleet_last_message) for the admin screen. why gets the reason of a refusal. */
int fleet_step_run(store *s, const fleet_step_in *in, char *why, size_t whysize);

#endif
