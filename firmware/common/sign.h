/* Keys and Ed25519 signatures (libsodium), shared by the kiosk and kioskctl (docs/THREAT-MODEL.md,
 * docs/CONTRACT.md "Keys and signatures").
 *
 * Key files are one line of lowercase hex: a public key is 64 hex digits (32 bytes), a secret
 * key 128 (libsodium's 64-byte form, seed then public key). A secret key file must be a regular
 * file, not a link, and readable by its owner only (mode 0600 or stricter), or it is refused.
 * A detached signature (FILE.sig beside FILE) is one line of 128 hex digits: Ed25519ph
 * (crypto_sign_init/update/final) over the file's exact bytes, so a file of any size is
 * signed and checked in one streaming pass. No crypto of our own: only libsodium calls.
 * Functions return 0 or -1 with err (plain words) unless they say otherwise.
 */
#ifndef KITH_SIGN_H
#define KITH_SIGN_H

#include <stddef.h>
#include <stdint.h>

#define SIGN_PUBLIC_BYTES 32
#define SIGN_SECRET_BYTES 64
#define SIGN_BYTES 64
#define SIGN_PUBLIC_HEX (2 * SIGN_PUBLIC_BYTES + 1) /* with the NUL */
#define SIGN_FINGERPRINT_MAX 24                     /* "ab12 cd34 ef56 7890" + NUL */
#define SIGN_SIG_FILE_MAX 512                       /* a .sig file larger than this is refused */

/* sodium_init, once per process (thread-safe, idempotent). -1 only if libsodium cannot start. */
int sign_init(void);

/* ---- Keys ------------------------------------------------------------------------------ */
/* Makes a key pair: secret_path (0600, created exclusively: an existing file is never
 * overwritten) and public_path (0644, also exclusive). pk (may be NULL) gets the public key. */
int sign_keypair_write(const char *secret_path, const char *public_path,
		       uint8_t pk[SIGN_PUBLIC_BYTES], char *err, size_t errlen);
/* Loads a secret key, refusing a link, a non-regular file, group/other permissions, or a file
 * whose embedded public key does not match its seed. pk (may be NULL) gets its public key. */
int sign_secret_load(const char *path, uint8_t sk[SIGN_SECRET_BYTES],
		     uint8_t pk[SIGN_PUBLIC_BYTES], char *err, size_t errlen);
int sign_public_load(const char *path, uint8_t pk[SIGN_PUBLIC_BYTES], char *err, size_t errlen);
/* Hex text <-> key; _from_hex takes exactly 64 hex digits (surrounding blanks allowed). */
int sign_public_from_hex(const char *hex, uint8_t pk[SIGN_PUBLIC_BYTES]);
void sign_public_to_hex(const uint8_t pk[SIGN_PUBLIC_BYTES], char out[SIGN_PUBLIC_HEX]);
/* A short form people compare by eye (admin screen, kioskctl): 8 bytes of BLAKE2b of the key. */
void sign_fingerprint(const uint8_t pk[SIGN_PUBLIC_BYTES], char out[SIGN_FINGERPRINT_MAX]);

/* ---- Messages ---------------------------------------------------------------------------- */
void sign_detached(const uint8_t sk[SIGN_SECRET_BYTES], const void *msg, size_t len,
		   uint8_t sig[SIGN_BYTES]);
int sign_verify(const uint8_t pk[SIGN_PUBLIC_BYTES], const void *msg, size_t len,
		const uint8_t sig[SIGN_BYTES]); /* 0 valid, -1 not */

/* ---- Files (detached FILE.sig) ---------------------------------------------------------- */
/* Writes path + ".sig" (temp, fsync, rename) signing the file's bytes. */
int sign_file_write_sig(const char *path, const uint8_t sk[SIGN_SECRET_BYTES], char *err,
			size_t errlen);
/* Checks file_path against the signature in sig_path (both private copies, or the organiser's
 * own files). Returns 0 valid, -1 with err: no signature, malformed, does not match. */
int sign_verify_paths(const char *file_path, const char *sig_path,
		      const uint8_t pk[SIGN_PUBLIC_BYTES], char *err, size_t errlen);
/* The same for name and name + ".sig" in the folder dirfd (e.g. the fleet file kith/fleet.json
 * on a stick), opened without following links, the file at most max_bytes. Reads each once;
 * the caller must then use a private copy of what was checked, not the stick's file again. */
int sign_verify_file(int dirfd, const char *name, int64_t max_bytes,
		     const uint8_t pk[SIGN_PUBLIC_BYTES], char *err, size_t errlen);

/* ---- Badges ------------------------------------------------------------------------------- */
/* What a badge signature covers: "kith-badge-1", NUL, conference id, NUL, attendee id, NUL,
 * the UID bytes. Returns the length written, or 0 if outsize is too small. */
size_t sign_badge_message(const char *conference_id, const char *attendee_id,
			  const uint8_t *uid, size_t uid_len, uint8_t *out, size_t outsize);
/* 4 bytes naming the conference on the badge (BLAKE2b of its id), so a refusal can say
 * "wrong conference" rather than "bad signature". */
void sign_conference_tag(const char *conference_id, uint8_t tag[4]);

#endif
