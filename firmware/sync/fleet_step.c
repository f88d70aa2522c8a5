/* The fleet step of a USB sync (fleet_step.h): the stick's fleet file and this kiosk's
 * Syncthing identity into the kiosk's data folder.
 *
 * Everything is read into memory from private copies (stickfile_copy: no links, size-limited)
 * and checked before the first byte is written: the fleet parses and lists this kiosk
 * (common/fleet.c), and an identity on the stick is a certificate whose device ID is the one
 * the fleet gives this kiosk, with a private key beside it. Then the files are replaced one by
 * one (temp, fsync, rename, fsync the folder), identity first and fleet.json last, so
 * fleet.json never names an identity the kiosk does not hold. The fleet file is kept as its
 * exact bytes, so a signature beside it (issue 16) stays valid.
 * A kiosk that trusts a conference key takes a fleet only with kith/fleet.json.sig, by that
 * key, over exactly the bytes read: a fleet names the peers that receive every check-in, so a
 * forged one would hand the conference to a rogue peer (docs/THREAT-MODEL.md).
 */
#define _GNU_SOURCE
#include "sync/fleet_step.h"
#include "sync/stickfile.h"
#include "sync/conference.h"
#include "store/export.h"
#include "common/fleet.h"
#include "common/log.h"
#include "common/util.h"

#include <errno.h>
#include <sodium.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_PEM_BYTES 16384

typedef struct blob {
	char *data;
	size_t len;
} blob;

/* Copies dirfd/name off the stick and reads the copy into *out (NUL-terminated).
 * Returns 0, STICKFILE_ENOENT, or a negative STICKFILE_E* with why set. */
static int read_stick_file(int dirfd, const char *name, int64_t max, const char *tmpdir,
			   blob *out, char *why, size_t whysize)
{
	char *copy = NULL;
	time_t mtime;
	FILE *f = NULL;
	struct stat st;
	int rc = stickfile_copy(dirfd, name, max, tmpdir, &copy, &mtime, why, whysize);

	if (rc != 0)
		return rc;
	rc = STICKFILE_ELOCAL;
	if ((f = fopen(copy, "rb")) == NULL || fstat(fileno(f), &st) < 0) {
		snprintf(why, whysize, "cannot read the copy of %s: %s", name, strerror(errno));
		goto cleanup;
	}
	out->len = (size_t)st.st_size;
	out->data = xcalloc(out->len + 1, 1);
	if (fread(out->data, 1, out->len, f) != out->len) {
		snprintf(why, whysize, "cannot read the copy of %s", name);
		goto cleanup;
	}
	rc = 0;
cleanup:
	if (f != NULL)
		fclose(f);
	unlink(copy);
	free(copy);
	return rc;
}

/* The kiosks' signing keys the fleet lists become the keys their check-in files must be signed
 * with (meta trust_kiosk_key.<id>, export_sign_check); a kiosk listed without one keeps what
 * pairing gave it. */
static void trust_kiosk_keys(store *s, const fleet *f)
{
	for (size_t i = 0; i < f->n_kiosks; i++) {
		char key[STORE_ID_MAX + sizeof(EXPORT_TRUST_KIOSK_META)];
		if (f->kiosks[i].sign_key == NULL || f->kiosks[i].sign_key[0] == '\0')
			continue;
		snprintf(key, sizeof(key), "%s%s", EXPORT_TRUST_KIOSK_META, f->kiosks[i].id);
		if (store_meta_set(s, key, f->kiosks[i].sign_key) < 0)
			log_warn("fleet: cannot trust the key of %s: %s", f->kiosks[i].id,
				 store_errmsg(s));
	}
}

/* With a trusted conference key, text (the fleet as read) must carry kith/fleet.json.sig by
 * that key; an open kiosk takes it unchecked, as it takes bundles. 0, or a negative
 * STICKFILE_E* with why set. */
static int check_signature(store *s, const fleet_step_in *in, const blob *text, char *why,
			   size_t whysize)
{
	char path[4200], *sig = NULL;
	time_t mtime;
	int fd, rc;

	snprintf(path, sizeof(path), "%s/fleet.json", in->tmpdir);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0 || write(fd, text->data, text->len) != (ssize_t)text->len) {
		snprintf(why, whysize, "cannot keep a copy of fleet.json: %s", strerror(errno));
		if (fd >= 0)
			close(fd);
		unlink(path);
		return STICKFILE_ELOCAL;
	}
	close(fd);
	rc = stickfile_copy(in->kithfd, "fleet.json.sig", 4096, in->tmpdir, &sig, &mtime, why,
			    whysize);
	if (rc == STICKFILE_ENOENT)
		rc = 0; /* none: refused below if the kiosk has a key */
	if (rc == 0 && conference_verify_signed_copy(s, path, sig, why, whysize) < 0)
		rc = STICKFILE_EREFUSED;
	unlink(path);
	if (sig != NULL)
		unlink(sig);
	free(sig);
	return rc;
}

/* Writes data into dirfd/name atomically (temp, fsync, rename, fsync the folder). */
static int write_atomic(int dirfd, const char *name, const blob *b, mode_t mode)
{
	char tmp[128];
	int fd, ok;

	snprintf(tmp, sizeof(tmp), ".%s.tmp", name);
	fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, mode);
	if (fd < 0)
		return -1;
	ok = write(fd, b->data, b->len) == (ssize_t)b->len && fsync(fd) == 0;
	if (close(fd) != 0 || !ok || renameat(dirfd, tmp, dirfd, name) != 0 || fsync(dirfd) != 0) {
		int e = errno;
		unlinkat(dirfd, tmp, 0);
		errno = e;
		return -1;
	}
	return 0;
}

/* The stick's identity for kiosk id, if it has one: 1 read and checked against device_id,
 * 0 none on the stick, negative STICKFILE_E* with why. */
static int read_identity(const fleet_step_in *in, const char *device_id, blob *cert, blob *key,
			 char *why, size_t whysize)
{
	char dir[FLEET_ID_MAX + 16], have[FLEET_DEVICE_ID_LEN + 1], err[200];
	int idsfd = -1, fd = -1, rc;

	idsfd = openat(in->kithfd, "identities", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	snprintf(dir, sizeof(dir), "%s", in->kiosk_id);
	if (idsfd >= 0)
		fd = openat(idsfd, dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		rc = errno == ENOENT ? 0 : STICKFILE_EREFUSED;
		if (rc < 0)
			snprintf(why, whysize, "kith/identities/%s is not a folder (links are not "
				 "followed)", in->kiosk_id);
		goto cleanup;
	}
	if ((rc = read_stick_file(fd, "cert.pem", MAX_PEM_BYTES, in->tmpdir, cert, why,
				  whysize)) < 0 ||
	    (rc = read_stick_file(fd, "key.pem", MAX_PEM_BYTES, in->tmpdir, key, why, whysize)) < 0) {
		if (rc == STICKFILE_ENOENT) {
			snprintf(why, whysize, "kith/identities/%s lacks cert.pem or key.pem",
				 in->kiosk_id);
			rc = STICKFILE_EREFUSED;
		}
		goto cleanup;
	}
	if (fleet_device_id_of_cert(cert->data, cert->len, have, sizeof(have), err,
				    sizeof(err)) < 0) {
		snprintf(why, whysize, "kith/identities/%s/cert.pem: %s", in->kiosk_id, err);
		rc = STICKFILE_EREFUSED;
	} else if (strcmp(have, device_id) != 0) {
		snprintf(why, whysize, "the identity for '%s' on the stick is device %.7s..., but "
			 "the fleet file says %.7s...", in->kiosk_id, have, device_id);
		rc = STICKFILE_EREFUSED;
	} else if (strstr(key->data, "PRIVATE KEY-----") == NULL) {
		snprintf(why, whysize, "kith/identities/%s/key.pem is not a private key",
			 in->kiosk_id);
		rc = STICKFILE_EREFUSED;
	} else {
		rc = 1;
	}
cleanup:
	if (fd >= 0)
		close(fd);
	if (idsfd >= 0)
		close(idsfd);
	return rc;
}

/* Stores the identity (when given) and then fleet.json in data_dir. */
static int store_files(const fleet_step_in *in, const blob *fleet_text, const blob *cert,
		       const blob *key)
{
	int dfd = open(in->data_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC), idfd = -1, rc = -1;

	if (dfd < 0)
		goto cleanup;
	if (cert->data != NULL) {
		if (mkdirat(dfd, "syncthing-identity", 0750) < 0 && errno != EEXIST)
			goto cleanup;
		idfd = openat(dfd, "syncthing-identity", O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
			      O_CLOEXEC);
		if (idfd < 0 || write_atomic(idfd, "key.pem", key, 0600) < 0 ||
		    write_atomic(idfd, "cert.pem", cert, 0644) < 0)
			goto cleanup;
	}
	rc = write_atomic(dfd, "fleet.json", fleet_text, 0644);
cleanup:
	if (rc < 0)
		log_error("fleet: cannot store the fleet in %s: %s", in->data_dir, strerror(errno));
	if (idfd >= 0)
		close(idfd);
	if (dfd >= 0)
		close(dfd);
	return rc;
}

/* The fleet_version the kiosk holds (meta), 0 when none. */
static long stored_version(store *s)
{
	char v[32];
	return store_meta_get(s, "fleet_version", v, sizeof(v)) == 1 ? strtol(v, NULL, 10) : 0;
}

static void note_outcome(store *s, const char *result, const char *message, long version)
{
	char v[32];
	snprintf(v, sizeof(v), "%ld", version);
	if ((version > 0 && store_meta_set(s, "fleet_version", v) < 0) ||
	    store_meta_set(s, "fleet_last_result", result) < 0 ||
	    store_meta_set(s, "fleet_last_message", message) < 0)
		log_warn("fleet: cannot note the outcome: %s", store_errmsg(s));
}

static int refuse(store *s, int rc, const char *why)
{
	log_warn("fleet: kith/fleet.json refused: %s", why);
	if (rc == STICKFILE_EIO)
		return FLEET_STEP_EIO;
	if (rc == STICKFILE_ELOCAL)
		return FLEET_STEP_EKIOSK;
	note_outcome(s, "refused", why, 0);
	return FLEET_STEP_EREFUSED;
}

int fleet_step_run(store *s, const fleet_step_in *in, char *why, size_t whysize)
{
	blob text = { 0 }, cert = { 0 }, key = { 0 };
	fleet *f = NULL;
	int rc;

	why[0] = '\0';
	rc = read_stick_file(in->kithfd, "fleet.json", FLEET_MAX_BYTES, in->tmpdir, &text, why,
			     whysize);
	if (rc == STICKFILE_ENOENT) {
		rc = FLEET_STEP_NONE;
		goto cleanup;
	}
	if (rc < 0) {
		rc = refuse(s, rc, why);
		goto cleanup;
	}
	if (fleet_parse(text.data, text.len, in->kiosk_id, &f, why, whysize) < 0) {
		rc = refuse(s, STICKFILE_EREFUSED, why);
		goto cleanup;
	}
	if (f->version <= stored_version(s)) {
		log_info("fleet: kith/fleet.json is version %ld; the kiosk has %ld: kept as it is",
			 f->version, stored_version(s));
		rc = FLEET_STEP_NOT_NEWER;
		goto cleanup;
	}
	if ((rc = check_signature(s, in, &text, why, whysize)) < 0) {
		rc = refuse(s, rc, why);
		goto cleanup;
	}
	rc = read_identity(in, fleet_find(f, in->kiosk_id)->device_id, &cert, &key, why,
			   whysize);
	if (rc < 0) {
		rc = refuse(s, rc, why);
		goto cleanup;
	}
	if (store_files(in, &text, &cert, &key) < 0) {
		snprintf(why, whysize, "the kiosk could not store it");
		rc = FLEET_STEP_EKIOSK;
		goto cleanup;
	}
	trust_kiosk_keys(s, f);
	{
		char msg[300];
		const fleet_device *me = fleet_find(f, in->kiosk_id);
		snprintf(msg, sizeof(msg), "fleet version %ld: %zu kiosks%s; this kiosk is %s%s",
			 f->version, f->n_kiosks, f->organiser ? " and the organiser" : "",
			 me->device_id, cert.data ? " (identity from the stick)" : "");
		note_outcome(s, "ok", msg, f->version);
		log_info("fleet: stored %s/fleet.json: %s", in->data_dir, msg);
	}
	rc = FLEET_STEP_STORED;
cleanup:
	fleet_free(f);
	free(text.data);
	free(cert.data);
	if (key.data != NULL)
		sodium_memzero(key.data, key.len); /* a private key: not left in freed memory */
	free(key.data);
	return rc;
}
