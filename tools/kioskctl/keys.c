/* kioskctl keys and kioskctl sign: the organiser's conference key (docs/THREAT-MODEL.md).
 *
 *   kioskctl keys init SECRET_FILE [PUBLIC_FILE]   a new key pair (secret 0600, never
 *                                                   overwritten; public default SECRET_FILE.pub)
 *   kioskctl keys show KEY_FILE                     the public key and its fingerprint
 *   kioskctl sign FILE --key SECRET_FILE [--conference-id ID] [--badge-policy P]
 *       writes FILE.sig. When FILE is a conference bundle (a Kith database), its meta first
 *       gets conference_key (the public key, so a new kiosk can learn it), conference_id (given,
 *       or kept, or made from the key) and badge_policy (given, or kept), then it is signed:
 *       any later change to the bundle breaks the signature.
 *   kioskctl verify FILE --key PUBLIC_OR_SECRET_FILE
 *       checks FILE against FILE.sig the way a kiosk does (sign_verify_file): exit 0 valid,
 *       1 unsigned, tampered or signed by another key.
 * The secret key file stays on the laptop: no command here copies it anywhere.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "common/sign.h"
#include "kioskctl.h"

static int keys_usage(void)
{
	fprintf(stderr, "usage: kioskctl keys init SECRET_FILE [PUBLIC_FILE]\n"
			"       kioskctl keys show KEY_FILE\n");
	return EXIT_USAGE;
}

static int keys_show(const char *path)
{
	uint8_t pk[SIGN_PUBLIC_BYTES], sk[SIGN_SECRET_BYTES];
	char hex[SIGN_PUBLIC_HEX], fp[SIGN_FINGERPRINT_MAX], err[512];

	if (sign_public_load(path, pk, err, sizeof err) < 0 &&
	    sign_secret_load(path, sk, pk, err, sizeof err) < 0) {
		fprintf(stderr, "kioskctl: keys: %s\n", err);
		return EXIT_BADINPUT;
	}
	sodium_memzero(sk, sizeof sk);
	sign_public_to_hex(pk, hex);
	sign_fingerprint(pk, fp);
	printf("public key %s\nfingerprint %s\n", hex, fp);
	return EXIT_OK;
}

int cmd_keys(int argc, char **argv)
{
	uint8_t pk[SIGN_PUBLIC_BYTES];
	char pub[4200], hex[SIGN_PUBLIC_HEX], fp[SIGN_FINGERPRINT_MAX], err[512];

	if (argc == 3 && strcmp(argv[1], "show") == 0)
		return keys_show(argv[2]);
	if ((argc != 3 && argc != 4) || strcmp(argv[1], "init") != 0)
		return keys_usage();
	snprintf(pub, sizeof pub, "%s", argc == 4 ? argv[3] : argv[2]);
	if (argc == 3)
		strncat(pub, ".pub", sizeof pub - strlen(pub) - 1);
	if (sign_keypair_write(argv[2], pub, pk, err, sizeof err) < 0) {
		fprintf(stderr, "kioskctl: keys init: %s\n", err);
		return EXIT_BADINPUT;
	}
	sign_public_to_hex(pk, hex);
	sign_fingerprint(pk, fp);
	printf("secret key %s (keep it on this laptop; never on a stick or a kiosk)\n"
	       "public key %s: %s\nfingerprint %s\n"
	       "put it in kith.txt as conference_key=%s\n", argv[2], pub, hex, fp, hex);
	return EXIT_OK;
}

static int policy_valid(const char *p)
{
	return strcmp(p, "open") == 0 || strcmp(p, "signed") == 0 ||
	       strcmp(p, "signed-or-roster-uid") == 0;
}

/* Puts the key, the conference id and the policy into a bundle's meta. 0, -1 not a Kith
 * database (sign it as a plain file), -2 failed (printed). */
static int bundle_prepare(const char *path, const uint8_t pk[SIGN_PUBLIC_BYTES],
			  const char *conf_id, const char *policy)
{
	store *s = NULL;
	char hex[SIGN_PUBLIC_HEX], have[STORE_ID_MAX];
	int rc = store_open(&s, path, 0);

	if (rc == STORE_ESCHEMA || rc == STORE_EIO) {
		store_close(s);
		return -1;
	}
	sign_public_to_hex(pk, hex);
	if (rc == 0 && conf_id == NULL && store_meta_get(s, "conference_id", have, sizeof have) != 1) {
		snprintf(have, sizeof have, "conf-%.16s", hex);
		conf_id = have;
	}
	if (rc == 0)
		rc = store_begin(s);
	if (rc == 0)
		rc = store_meta_set(s, "conference_key", hex);
	if (rc == 0 && conf_id != NULL)
		rc = store_meta_set(s, "conference_id", conf_id);
	if (rc == 0 && policy != NULL)
		rc = store_meta_set(s, "badge_policy", policy);
	if (rc == 0)
		rc = store_commit(s);
	if (rc != 0) {
		fprintf(stderr, "kioskctl: sign: %s: %s\n", path, store_errmsg(s));
		store_rollback(s);
	}
	store_close(s); /* the last connection: SQLite folds the WAL back into the file */
	return rc == 0 ? 0 : -2;
}

int cmd_sign(int argc, char **argv)
{
	const char *file = NULL, *key = NULL, *conf_id = NULL, *policy = NULL;
	uint8_t sk[SIGN_SECRET_BYTES], pk[SIGN_PUBLIC_BYTES];
	char err[512], fp[SIGN_FINGERPRINT_MAX];
	int rc = EXIT_BADINPUT, b;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--key") == 0 && i + 1 < argc)
			key = argv[++i];
		else if (strcmp(argv[i], "--conference-id") == 0 && i + 1 < argc)
			conf_id = argv[++i];
		else if (strcmp(argv[i], "--badge-policy") == 0 && i + 1 < argc)
			policy = argv[++i];
		else if (strncmp(argv[i], "--", 2) == 0 || file != NULL)
			goto usage;
		else
			file = argv[i];
	}
	if (file == NULL || key == NULL)
		goto usage;
	if (policy != NULL && !policy_valid(policy)) {
		fprintf(stderr, "kioskctl: sign: --badge-policy must be open, signed or "
			"signed-or-roster-uid, not '%s'\n", policy);
		return EXIT_USAGE;
	}
	if (conf_id != NULL && (conf_id[0] == '\0' || strlen(conf_id) >= STORE_ID_MAX)) {
		fprintf(stderr, "kioskctl: sign: --conference-id must be 1 to %d bytes\n",
			STORE_ID_MAX - 1);
		return EXIT_USAGE;
	}
	if (sign_secret_load(key, sk, pk, err, sizeof err) < 0) {
		fprintf(stderr, "kioskctl: sign: %s\n", err);
		return EXIT_BADINPUT;
	}
	b = bundle_prepare(file, pk, conf_id, policy);
	if (b == -2)
		goto out;
	if (b == -1 && (conf_id != NULL || policy != NULL)) {
		fprintf(stderr, "kioskctl: sign: %s is not a conference bundle: --conference-id and "
			"--badge-policy apply only to one\n", file);
		goto out;
	}
	if (sign_file_write_sig(file, sk, err, sizeof err) < 0) {
		fprintf(stderr, "kioskctl: sign: %s\n", err);
		goto out;
	}
	sign_fingerprint(pk, fp);
	printf("signed %s%s with %s: %s.sig\n", file, b == 0 ? " (conference bundle)" : "", fp, file);
	rc = EXIT_OK;
out:
	sodium_memzero(sk, sizeof sk);
	return rc;
usage:
	fprintf(stderr, "usage: kioskctl sign FILE --key SECRET_FILE [--conference-id ID] "
		"[--badge-policy open|signed|signed-or-roster-uid]\n");
	return EXIT_USAGE;
}

int cmd_verify(int argc, char **argv)
{
	uint8_t pk[SIGN_PUBLIC_BYTES], sk[SIGN_SECRET_BYTES];
	char err[600], dir[4200];
	const char *slash;
	int dfd, rc;

	if (argc != 4 || strcmp(argv[2], "--key") != 0) {
		fprintf(stderr, "usage: kioskctl verify FILE --key KEY_FILE\n");
		return EXIT_USAGE;
	}
	if (sign_public_load(argv[3], pk, err, sizeof err) < 0 &&
	    sign_secret_load(argv[3], sk, pk, err, sizeof err) < 0) {
		fprintf(stderr, "kioskctl: verify: %s\n", err);
		return EXIT_BADINPUT;
	}
	sodium_memzero(sk, sizeof sk);
	slash = strrchr(argv[1], '/');
	snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - argv[1]) + 1 : 1,
		 slash ? argv[1] : ".");
	if ((dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		fprintf(stderr, "kioskctl: verify: %s: cannot open its folder\n", argv[1]);
		return EXIT_BADINPUT;
	}
	rc = sign_verify_file(dfd, slash ? slash + 1 : argv[1], 0, pk, err, sizeof err);
	close(dfd);
	if (rc < 0) {
		fprintf(stderr, "kioskctl: verify: %s\n", err);
		return EXIT_BADINPUT;
	}
	printf("%s: signature valid\n", argv[1]);
	return EXIT_OK;
}
