/* The fleet file (docs/CONTRACT.md "Fleet file"): which kiosks sync live with each other over
 * Syncthing, by kiosk id, Syncthing device ID, location and optional static addresses, plus
 * the organiser's laptop as an optional receive-only peer.
 *
 * Shared by the kiosk (the stick's fleet step, sync/fleet_step.c) and kioskctl (which writes
 * the file and turns it into a Syncthing config). The file comes from outside, so it is parsed
 * whole and refused whole: malformed JSON, a missing or unknown field, two kiosks with one id
 * or one device ID, a device ID that is not a Syncthing device ID (its shape and its four
 * Luhn mod-32 check characters), or a fleet without this kiosk. The reason is one sentence in
 * plain words for the log and the admin screen.
 *
 * The kiosk keeps the accepted file's bytes as they came (a detached signature beside it,
 * issue 16, stays valid), so fleet_format writes one canonical form: kioskctl's output.
 */
#ifndef KITH_COMMON_FLEET_H
#define KITH_COMMON_FLEET_H

#include <stddef.h>

#define FLEET_FORMAT 1                /* "kith_fleet" in the file */
#define FLEET_MAX_BYTES (256 * 1024)  /* bigger than any real fleet; refused above */
#define FLEET_MAX_KIOSKS 256
#define FLEET_MAX_ADDRESSES 8
#define FLEET_ID_MAX 48               /* kiosk id: becomes a folder id kith-<id> and a file name */
#define FLEET_LOCATION_MAX 96         /* bytes, UTF-8 */
#define FLEET_ADDRESS_MAX 128
#define FLEET_DEVICE_ID_LEN 63        /* XXXXXXX-XXXXXXX-... : 8 groups of 7 */

typedef struct fleet_device {
	char *id;          /* kiosk id; for the organiser, its name */
	char *device_id;   /* canonical: upper case, 8 dash-separated groups of 7 */
	char *location;    /* "" for the organiser */
	char **addresses;  /* "tcp://HOST:PORT", "quic://HOST:PORT" or "dynamic" */
	size_t n_addresses;
	char *sign_key;    /* kiosks: "" or the 64 hex digits of the kiosk's Ed25519 public key,
			    * which its check-in files must be signed with (issue 16) */
} fleet_device;

typedef struct fleet {
	long version;           /* "fleet_version": a newer fleet replaces an older one */
	fleet_device *kiosks;   /* in file order */
	size_t n_kiosks;
	fleet_device *organiser; /* NULL when the fleet has none */
} fleet;

/* Parses and validates text (len bytes, need not be NUL-terminated). self_id, when not NULL,
 * must be one of the kiosks. Returns 0 and *out (fleet_free), or -1 with err set to the
 * reason ("kiosk 'hall-b' has device ID ... which is not a Syncthing device ID: ..."). */
int fleet_parse(const char *text, size_t len, const char *self_id, fleet **out, char *err,
		size_t errlen);
void fleet_free(fleet *f);

/* The kiosk with this id, or NULL. */
const fleet_device *fleet_find(const fleet *f, const char *kiosk_id);

/* 1 if id is a valid kiosk id: 1..FLEET_ID_MAX of [A-Za-z0-9_.-], not starting with '.' or
 * '-'; else 0 and why (a short phrase) in *why. */
int fleet_kiosk_id_valid(const char *id, const char **why);

/* Checks a Syncthing device ID (with or without dashes or spaces, any case; the 52-character
 * form without check characters is refused: it cannot be checked). Returns 0 and the canonical
 * form in canon (at least FLEET_DEVICE_ID_LEN + 1 bytes), or -1 with the reason in err. */
int fleet_device_id_check(const char *id, char *canon, size_t canonsize, char *err,
			  size_t errlen);

/* The device ID of a Syncthing identity's certificate (cert.pem: PEM, one CERTIFICATE): the
 * SHA-256 of its DER bytes in base32 with the check characters, as Syncthing computes it.
 * Returns 0 and the canonical ID, or -1 with err ("it is not a PEM certificate"). */
int fleet_device_id_of_cert(const char *pem, size_t len, char *canon, size_t canonsize,
			    char *err, size_t errlen);

/* The canonical JSON text of f (malloc'd, ends with a newline): stable bytes for a signature. */
char *fleet_format(const fleet *f);

#endif
