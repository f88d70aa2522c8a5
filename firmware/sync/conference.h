/* Importing a conference bundle (kith/conference.sqlite, made by kioskctl) into the kiosk, and
 * the conference key that bundles must be signed with (docs/THREAT-MODEL.md).
 * Internal to the USB sync module, plus the key functions start-up and the admin screen use. */
#ifndef KITH_SYNC_CONFERENCE_H
#define KITH_SYNC_CONFERENCE_H

#include <stddef.h>
#include <stdint.h>

#include "common/sign.h"
#include "store/store.h"

/* Kiosk meta keys (never copied from a bundle: they do not start with "conference_"). */
#define TRUST_KEY_META "trust_conference_key"             /* hex: bundles must be signed by it */
#define TRUST_OFFERED_META "trust_conference_key_offered" /* hex: a refused bundle's signer */

enum conference_result {
	CONFERENCE_IMPORTED = 1,  /* the kiosk now has the bundle's roster and schedule */
	CONFERENCE_NOT_NEWER = 0, /* the kiosk already has this version or a newer one */
	CONFERENCE_EREFUSED = -1, /* the bundle is bad: err says why; the kiosk is unchanged */
	CONFERENCE_EKIOSK = -2,   /* the kiosk's own database failed; it is unchanged */
};

/* Checks the bundle at path (a private copy; mtime is the original's on the stick) and, if it
 * is newer than what the kiosk has, replaces the kiosk's conference data with it in one
 * transaction (store_conference_replace says exactly what is checked). s is the sync's own
 * handle, outside a transaction. err gets the reason for a refusal in plain words.
 * sig_path is the private copy of conference.sqlite.sig, NULL when the stick has none. With a
 * trusted conference key the bundle must be signed by it; without one, a signed bundle whose
 * meta conference_key verifies it teaches the kiosk that key (trust on first use), and an
 * unsigned bundle without a key is taken as before (open kiosk). */
int conference_import(store *s, const char *path, const char *sig_path, int64_t mtime,
		      char *err, size_t errlen);

/* The trusted key: 1 and pk filled, 0 none, <0 store error. */
int conference_key_get(store *s, uint8_t pk[SIGN_PUBLIC_BYTES]);
/* At start: conference_key= from the config (kith.txt). Learned when the kiosk has no key;
 * a different key is NOT taken (that needs the admin PIN): logged, and 1 is returned. */
int conference_key_boot(store *s, const char *hex);
/* Admin action behind the PIN: trust the key of the last bundle refused for its signer.
 * 1 changed, 0 nothing offered, <0 store error. */
int conference_key_accept_offered(store *s);

/* For the fleet file (kith/fleet.json and fleet.json.sig), or any file the conference signs:
 * path and sig_path (NULL: none on the stick) are private copies (stickfile_copy), checked
 * against the trusted conference key; use the copy afterwards, never the stick's file. With a
 * key: 0 signed by it, -1 refused (err says why). Without one (open kiosk): 0, unsigned files
 * with a logged warning, since there is nothing to check them against. */
int conference_verify_signed_copy(store *s, const char *path, const char *sig_path, char *err,
				  size_t errlen);

#endif
