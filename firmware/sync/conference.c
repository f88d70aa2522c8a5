/* The conference bundle step of USB sync: kith/conference.sqlite replaces the kiosk's roster
 * and schedule, if it is signed by the conference key the kiosk trusts.
 *
 * The file handling is done before this is called: step_import in sync_run.c takes the file
 * and its detached signature off the stick with stickfile_copy (O_NOFOLLOW, regular files
 * only, size checked before and while copying) into a private folder, so a stick pulled or
 * swapped midway cannot change what is checked. The signature is checked on those copies
 * first (common/sign.h); checking and applying the bundle is SQL against the store's schema,
 * so it lives in the store (store_conference_replace, firmware/store/store_conference.c); this
 * maps its result to the sync's terms.
 */
#include "sync/conference.h"

#include <stdio.h>
#include <string.h>

#include "common/log.h"

int conference_key_get(store *s, uint8_t pk[SIGN_PUBLIC_BYTES])
{
	char hex[SIGN_PUBLIC_HEX + 8];
	int rc = store_meta_get(s, TRUST_KEY_META, hex, sizeof hex);
	if (rc <= 0)
		return rc;
	if (sign_public_from_hex(hex, pk) < 0) {
		log_error("kiosk meta %s is not a key: bundles are refused until it is set again",
			  TRUST_KEY_META);
		memset(pk, 0, SIGN_PUBLIC_BYTES); /* verifies nothing */
	}
	return 1;
}

int conference_key_boot(store *s, const char *hex)
{
	uint8_t want[SIGN_PUBLIC_BYTES], have[SIGN_PUBLIC_BYTES];
	char fp[SIGN_FINGERPRINT_MAX];
	int rc;

	if (hex == NULL || hex[0] == '\0')
		return 0;
	if (sign_public_from_hex(hex, want) < 0)
		return -1; /* config.c checked it already */
	sign_fingerprint(want, fp);
	if ((rc = conference_key_get(s, have)) < 0)
		return rc;
	if (rc == 1) {
		if (memcmp(have, want, sizeof have) == 0)
			return 0;
		log_error("conference_key %s in the config is not the key this kiosk trusts; "
			  "change it on the admin screen (PIN)", fp);
		return 1;
	}
	if (store_meta_set(s, TRUST_KEY_META, hex) < 0)
		return -1;
	log_info("conference key %s learned from the config", fp);
	return 0;
}

int conference_key_accept_offered(store *s)
{
	char hex[SIGN_PUBLIC_HEX + 8], fp[SIGN_FINGERPRINT_MAX];
	uint8_t pk[SIGN_PUBLIC_BYTES];
	int rc = store_meta_get(s, TRUST_OFFERED_META, hex, sizeof hex);

	if (rc <= 0)
		return rc;
	if (sign_public_from_hex(hex, pk) < 0)
		return 0;
	if (store_meta_set(s, TRUST_KEY_META, hex) < 0 || store_meta_set(s, TRUST_OFFERED_META, "") < 0)
		return -1;
	sign_fingerprint(pk, fp);
	log_warn("conference key changed to %s on the admin screen", fp);
	return 1;
}

/* The key a bundle names for itself (its meta conference_key): 1 found, 0 none. */
static int bundle_key(const char *path, uint8_t pk[SIGN_PUBLIC_BYTES])
{
	store *b = NULL;
	char hex[SIGN_PUBLIC_HEX + 8];
	int rc = store_open(&b, path, STORE_OPEN_READONLY);

	if (rc == 0)
		rc = store_meta_get(b, "conference_key", hex, sizeof hex);
	store_close(b);
	return rc == 1 && sign_public_from_hex(hex, pk) == 0 ? 1 : 0;
}

/* 0: the bundle may be imported (*learn set when its key is to be trusted after); -1 refused. */
static int signature_check(store *s, const char *path, const char *sig_path,
			   uint8_t learn[SIGN_PUBLIC_BYTES], int *learning, char *err, size_t errlen)
{
	uint8_t trusted[SIGN_PUBLIC_BYTES], own[SIGN_PUBLIC_BYTES];
	char fp[SIGN_FINGERPRINT_MAX], ofp[SIGN_FINGERPRINT_MAX], hex[SIGN_PUBLIC_HEX];
	int has_own = bundle_key(path, own);
	int rc = conference_key_get(s, trusted);

	*learning = 0;
	if (rc < 0) {
		snprintf(err, errlen, "the kiosk's database failed: %s", store_errmsg(s));
		return -1;
	}
	if (rc == 1) {
		sign_fingerprint(trusted, fp);
		if (sig_path == NULL) {
			snprintf(err, errlen, "it is not signed (no conference.sqlite.sig); this kiosk "
				 "takes only bundles signed with conference key %s", fp);
			return -1;
		}
		if (sign_verify_paths(path, sig_path, trusted, err, errlen) == 0)
			return 0;
		if (has_own && memcmp(own, trusted, sizeof own) != 0 &&
		    sign_verify_paths(path, sig_path, own, NULL, 0) == 0) {
			sign_fingerprint(own, ofp);
			sign_public_to_hex(own, hex);
			store_meta_set(s, TRUST_OFFERED_META, hex);
			snprintf(err, errlen, "it is signed by another conference key (%s, not %s); a "
				 "key change needs the admin PIN", ofp, fp);
		}
		return -1;
	}
	if (sig_path == NULL && !has_own)
		return 0; /* no key anywhere: an open kiosk, as before signatures */
	if (sig_path == NULL || !has_own) {
		snprintf(err, errlen, sig_path == NULL ? "it names a conference key but is not signed "
			 "(no conference.sqlite.sig)" : "it is signed but names no conference_key");
		return -1;
	}
	if (sign_verify_paths(path, sig_path, own, err, errlen) < 0)
		return -1;
	memcpy(learn, own, SIGN_PUBLIC_BYTES);
	*learning = 1;
	return 0;
}

int conference_import(store *s, const char *path, const char *sig_path, int64_t mtime,
		      char *err, size_t errlen)
{
	uint8_t learn[SIGN_PUBLIC_BYTES];
	char hex[SIGN_PUBLIC_HEX], fp[SIGN_FINGERPRINT_MAX];
	int learning, rc;

	err[0] = '\0';
	if (signature_check(s, path, sig_path, learn, &learning, err, errlen) < 0)
		return CONFERENCE_EREFUSED;
	rc = store_conference_replace(s, path, mtime);
	if (rc < 0) {
		snprintf(err, errlen, "%s", store_errmsg(s));
		return rc == STORE_EINVAL ? CONFERENCE_EREFUSED : CONFERENCE_EKIOSK;
	}
	if (learning && rc == 1) {
		sign_public_to_hex(learn, hex);
		sign_fingerprint(learn, fp);
		if (store_meta_set(s, TRUST_KEY_META, hex) < 0) {
			snprintf(err, errlen, "%s", store_errmsg(s));
			return CONFERENCE_EKIOSK;
		}
		log_info("conference key %s learned from the first signed bundle (trust on first use)",
			 fp);
	}
	return rc == 1 ? CONFERENCE_IMPORTED : CONFERENCE_NOT_NEWER;
}

int conference_verify_signed_copy(store *s, const char *path, const char *sig_path, char *err,
				  size_t errlen)
{
	uint8_t trusted[SIGN_PUBLIC_BYTES];
	int rc = conference_key_get(s, trusted);

	err[0] = '\0';
	if (rc < 0) {
		snprintf(err, errlen, "the kiosk's database failed: %s", store_errmsg(s));
		return -1;
	}
	if (rc == 0) {
		log_warn("%s taken unchecked: this kiosk has no conference key (open)", path);
		return 0;
	}
	return sign_verify_paths(path, sig_path, trusted, err, errlen) == 0 ? 0 : -1;
}
