/* Importing a conference bundle (kith/conference.sqlite, made by kioskctl) into the kiosk.
 * Internal to the USB sync module. */
#ifndef KITH_SYNC_CONFERENCE_H
#define KITH_SYNC_CONFERENCE_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

enum conference_result {
	CONFERENCE_IMPORTED = 1,  /* the kiosk now has the bundle's roster and schedule */
	CONFERENCE_NOT_NEWER = 0, /* the kiosk already has this version or a newer one */
	CONFERENCE_EREFUSED = -1, /* the bundle is bad: err says why; the kiosk is unchanged */
	CONFERENCE_EKIOSK = -2,   /* the kiosk's own database failed; it is unchanged */
};

/* Checks the bundle at path (a private copy; mtime is the original's on the stick) and, if it
 * is newer than what the kiosk has, replaces the kiosk's conference data with it in one
 * transaction (store_conference_replace says exactly what is checked). s is the sync's own
 * handle, outside a transaction. err gets the reason for a refusal in plain words. */
int conference_import(store *s, const char *path, int64_t mtime, char *err, size_t errlen);

#endif
