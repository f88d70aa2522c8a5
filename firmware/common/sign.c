/* Keys and Ed25519 signatures: thin, checked wrappers over libsodium (see sign.h).
 *
 * Everything read here may come from a stick (signatures) or a shared laptop (key files), so
 * files are opened with O_NOFOLLOW, sizes are bounded, and the hex parser takes exactly the
 * digits it expects. Start at sign_verify_paths: it is what the kiosk runs on a bundle.
 */
#define _GNU_SOURCE
#include "common/sign.h"
#include "common/util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#define KEY_FILE_MAX 512
#define CHUNK 65536

int sign_init(void)
{
	return sodium_init() < 0 ? -1 : 0;
}

/* Exactly n bytes of hex, blanks and a line end around it allowed. */
static int hex_parse(const char *text, size_t textlen, uint8_t *out, size_t n)
{
	size_t start = 0, end = textlen, used = 0;
	while (start < end && (text[start] == ' ' || text[start] == '\t'))
		start++;
	while (end > start && (text[end - 1] == '\n' || text[end - 1] == '\r' ||
			       text[end - 1] == ' ' || text[end - 1] == '\t'))
		end--;
	if (end - start != 2 * n)
		return -1;
	if (sodium_hex2bin(out, n, text + start, end - start, NULL, &used, NULL) != 0 || used != n)
		return -1;
	return 0;
}

/* Reads a small file (no link, regular) into buf; *mode gets its permissions. */
static int small_read(int dirfd, const char *path, char *buf, size_t bufsize, size_t *len,
		      mode_t *mode, char *err, size_t errlen)
{
	struct stat st;
	ssize_t n;
	int fd = openat(dirfd, path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);

	if (fd < 0)
		return util_fail(err, errlen, "%s: %s", path, errno == ELOOP ? "is a symbolic link" :
			    strerror(errno));
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return util_fail(err, errlen, "%s: not a regular file", path);
	}
	if (st.st_size >= (off_t)bufsize) {
		close(fd);
		return util_fail(err, errlen, "%s: too large for a key or signature (%lld bytes)", path,
			    (long long)st.st_size);
	}
	n = read(fd, buf, bufsize - 1);
	close(fd);
	if (n < 0)
		return util_fail(err, errlen, "%s: %s", path, strerror(errno));
	buf[n] = '\0';
	*len = (size_t)n;
	if (mode)
		*mode = st.st_mode;
	return 0;
}

static int write_exclusive(const char *path, const char *text, mode_t mode, char *err,
			   size_t errlen)
{
	size_t len = strlen(text);
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
	if (fd < 0)
		return util_fail(err, errlen, "%s: %s", path, errno == EEXIST ?
			    "already exists; not overwritten" : strerror(errno));
	if (fchmod(fd, mode) < 0 || write(fd, text, len) != (ssize_t)len || fsync(fd) < 0) {
		int e = errno;
		close(fd);
		unlink(path);
		return util_fail(err, errlen, "%s: %s", path, strerror(e));
	}
	close(fd);
	return 0;
}

int sign_keypair_write(const char *secret_path, const char *public_path,
		       uint8_t pk[SIGN_PUBLIC_BYTES], char *err, size_t errlen)
{
	uint8_t p[SIGN_PUBLIC_BYTES], s[SIGN_SECRET_BYTES];
	char shex[2 * SIGN_SECRET_BYTES + 2], phex[SIGN_PUBLIC_HEX + 1];
	int rc = -1;

	if (sign_init() < 0)
		return util_fail(err, errlen, "libsodium failed to start");
	crypto_sign_keypair(p, s);
	sodium_bin2hex(shex, sizeof shex, s, sizeof s);
	strcat(shex, "\n");
	sodium_bin2hex(phex, sizeof phex, p, sizeof p);
	strcat(phex, "\n");
	if (write_exclusive(secret_path, shex, 0600, err, errlen) < 0)
		goto out;
	if (write_exclusive(public_path, phex, 0644, err, errlen) < 0) {
		unlink(secret_path);
		goto out;
	}
	if (pk)
		memcpy(pk, p, sizeof p);
	rc = 0;
out:
	sodium_memzero(s, sizeof s);
	sodium_memzero(shex, sizeof shex);
	return rc;
}

int sign_secret_load(const char *path, uint8_t sk[SIGN_SECRET_BYTES],
		     uint8_t pk[SIGN_PUBLIC_BYTES], char *err, size_t errlen)
{
	char buf[KEY_FILE_MAX];
	uint8_t p[SIGN_PUBLIC_BYTES];
	size_t len;
	mode_t mode;
	int rc = -1;

	if (sign_init() < 0)
		return util_fail(err, errlen, "libsodium failed to start");
	if (small_read(AT_FDCWD, path, buf, sizeof buf, &len, &mode, err, errlen) < 0)
		return -1;
	if (mode & 077) {
		util_fail(err, errlen, "%s: secret key readable by others (mode %03o); chmod 600 it",
		     path, (unsigned)(mode & 0777));
		goto out;
	}
	if (hex_parse(buf, len, sk, SIGN_SECRET_BYTES) < 0) {
		util_fail(err, errlen, "%s: not a secret key (want one line of %d hex digits)", path,
		     2 * SIGN_SECRET_BYTES);
		goto out;
	}
	crypto_sign_ed25519_sk_to_pk(p, sk);
	{
		uint8_t seed[crypto_sign_SEEDBYTES], p2[SIGN_PUBLIC_BYTES], s2[SIGN_SECRET_BYTES];
		crypto_sign_ed25519_sk_to_seed(seed, sk);
		crypto_sign_seed_keypair(p2, s2, seed);
		sodium_memzero(seed, sizeof seed);
		sodium_memzero(s2, sizeof s2);
		if (sodium_memcmp(p, p2, sizeof p) != 0) {
			util_fail(err, errlen, "%s: damaged secret key (its public half does not match)", path);
			sodium_memzero(sk, SIGN_SECRET_BYTES);
			goto out;
		}
	}
	if (pk)
		memcpy(pk, p, sizeof p);
	rc = 0;
out:
	sodium_memzero(buf, sizeof buf);
	return rc;
}

int sign_public_load(const char *path, uint8_t pk[SIGN_PUBLIC_BYTES], char *err, size_t errlen)
{
	char buf[KEY_FILE_MAX];
	size_t len;

	if (small_read(AT_FDCWD, path, buf, sizeof buf, &len, NULL, err, errlen) < 0)
		return -1;
	if (hex_parse(buf, len, pk, SIGN_PUBLIC_BYTES) < 0)
		return util_fail(err, errlen, "%s: not a public key (want one line of %d hex digits)",
			    path, 2 * SIGN_PUBLIC_BYTES);
	return 0;
}

int sign_public_from_hex(const char *hex, uint8_t pk[SIGN_PUBLIC_BYTES])
{
	return hex_parse(hex, strlen(hex), pk, SIGN_PUBLIC_BYTES);
}

void sign_public_to_hex(const uint8_t pk[SIGN_PUBLIC_BYTES], char out[SIGN_PUBLIC_HEX])
{
	sodium_bin2hex(out, SIGN_PUBLIC_HEX, pk, SIGN_PUBLIC_BYTES);
}

void sign_fingerprint(const uint8_t pk[SIGN_PUBLIC_BYTES], char out[SIGN_FINGERPRINT_MAX])
{
	uint8_t h[8];
	size_t o = 0;
	crypto_generichash(h, sizeof h, pk, SIGN_PUBLIC_BYTES, NULL, 0);
	for (size_t i = 0; i < sizeof h; i++) {
		if (i > 0 && i % 2 == 0)
			out[o++] = ' ';
		snprintf(out + o, SIGN_FINGERPRINT_MAX - o, "%02x", h[i]);
		o += 2;
	}
	out[o] = '\0';
}

void sign_detached(const uint8_t sk[SIGN_SECRET_BYTES], const void *msg, size_t len,
		   uint8_t sig[SIGN_BYTES])
{
	crypto_sign_detached(sig, NULL, msg, len, sk);
}

int sign_verify(const uint8_t pk[SIGN_PUBLIC_BYTES], const void *msg, size_t len,
		const uint8_t sig[SIGN_BYTES])
{
	return crypto_sign_verify_detached(sig, msg, len, pk) == 0 ? 0 : -1;
}

/* Feeds the whole file at fd into st (Ed25519ph), at most max_bytes. */
static int hash_fd(int fd, crypto_sign_state *st, int64_t max_bytes, const char *name,
		   char *err, size_t errlen)
{
	static const size_t chunk = CHUNK;
	unsigned char *buf = sodium_malloc(chunk);
	int64_t total = 0;
	ssize_t n;

	if (buf == NULL)
		return util_fail(err, errlen, "out of memory");
	crypto_sign_init(st);
	while ((n = read(fd, buf, chunk)) > 0) {
		total += n;
		if (max_bytes > 0 && total > max_bytes) {
			sodium_free(buf);
			return util_fail(err, errlen, "%s is larger than %lld bytes", name,
				    (long long)max_bytes);
		}
		crypto_sign_update(st, buf, (unsigned long long)n);
	}
	sodium_free(buf);
	if (n < 0)
		return util_fail(err, errlen, "%s: %s", name, strerror(errno));
	return 0;
}

int sign_file_write_sig(const char *path, const uint8_t sk[SIGN_SECRET_BYTES], char *err,
			size_t errlen)
{
	crypto_sign_state st;
	uint8_t sig[SIGN_BYTES];
	char hex[2 * SIGN_BYTES + 2], sigpath[4200], tmp[4210];
	int fd, rc;

	if (sign_init() < 0)
		return util_fail(err, errlen, "libsodium failed to start");
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return util_fail(err, errlen, "%s: %s", path, strerror(errno));
	rc = hash_fd(fd, &st, 0, path, err, errlen);
	close(fd);
	if (rc < 0)
		return -1;
	crypto_sign_final_create(&st, sig, NULL, sk);
	sodium_bin2hex(hex, sizeof hex, sig, sizeof sig);
	strcat(hex, "\n");
	snprintf(sigpath, sizeof sigpath, "%s.sig", path);
	snprintf(tmp, sizeof tmp, "%s.tmp", sigpath);
	unlink(tmp);
	if (write_exclusive(tmp, hex, 0644, err, errlen) < 0)
		return -1;
	if (rename(tmp, sigpath) < 0) {
		unlink(tmp);
		return util_fail(err, errlen, "%s: %s", sigpath, strerror(errno));
	}
	return 0;
}

/* The common core: the file at fd against the hex signature text. */
static int verify_fd(int fd, const char *name, const char *sigtext, size_t siglen,
		     int64_t max_bytes, const uint8_t pk[SIGN_PUBLIC_BYTES], char *err,
		     size_t errlen)
{
	crypto_sign_state st;
	uint8_t sig[SIGN_BYTES];

	if (sign_init() < 0)
		return util_fail(err, errlen, "libsodium failed to start");
	if (hex_parse(sigtext, siglen, sig, sizeof sig) < 0)
		return util_fail(err, errlen, "%s.sig is not a signature (want one line of %d hex digits)",
			    name, 2 * SIGN_BYTES);
	if (hash_fd(fd, &st, max_bytes, name, err, errlen) < 0)
		return -1;
	if (crypto_sign_final_verify(&st, sig, pk) != 0)
		return util_fail(err, errlen, "%s is not signed by the conference key (tampered, or "
			    "signed by another key)", name);
	return 0;
}

int sign_verify_paths(const char *file_path, const char *sig_path,
		      const uint8_t pk[SIGN_PUBLIC_BYTES], char *err, size_t errlen)
{
	char sigtext[SIGN_SIG_FILE_MAX];
	const char *base = strrchr(file_path, '/');
	size_t siglen;
	int fd, rc;

	base = base ? base + 1 : file_path;
	if (sig_path == NULL)
		return util_fail(err, errlen, "%s has no signature (.sig file)", base);
	if (small_read(AT_FDCWD, sig_path, sigtext, sizeof sigtext, &siglen, NULL, err, errlen) < 0)
		return -1;
	if ((fd = open(file_path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0)
		return util_fail(err, errlen, "%s: %s", base, strerror(errno));
	rc = verify_fd(fd, base, sigtext, siglen, 0, pk, err, errlen);
	close(fd);
	return rc;
}

int sign_verify_file(int dirfd, const char *name, int64_t max_bytes,
		     const uint8_t pk[SIGN_PUBLIC_BYTES], char *err, size_t errlen)
{
	char sigtext[SIGN_SIG_FILE_MAX], signame[1024];
	struct stat st;
	size_t siglen;
	int fd, rc;

	snprintf(signame, sizeof signame, "%s.sig", name);
	if (faccessat(dirfd, signame, F_OK, AT_SYMLINK_NOFOLLOW) < 0 && errno == ENOENT)
		return util_fail(err, errlen, "%s has no signature (%s is missing)", name, signame);
	if (small_read(dirfd, signame, sigtext, sizeof sigtext, &siglen, NULL, err, errlen) < 0)
		return -1;
	if ((fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK)) < 0)
		return util_fail(err, errlen, "%s: %s", name, errno == ELOOP ? "is a symbolic link" :
			    strerror(errno));
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return util_fail(err, errlen, "%s: not a regular file", name);
	}
	rc = verify_fd(fd, name, sigtext, siglen, max_bytes, pk, err, errlen);
	close(fd);
	return rc;
}

size_t sign_badge_message(const char *conference_id, const char *attendee_id,
			  const uint8_t *uid, size_t uid_len, uint8_t *out, size_t outsize)
{
	static const char magic[] = "kith-badge-1";
	size_t c = strlen(conference_id), a = strlen(attendee_id);
	size_t need = sizeof magic + c + 1 + a + 1 + uid_len, p = 0;

	if (need > outsize)
		return 0;
	memcpy(out + p, magic, sizeof magic); /* with its NUL */
	p += sizeof magic;
	memcpy(out + p, conference_id, c + 1);
	p += c + 1;
	memcpy(out + p, attendee_id, a + 1);
	p += a + 1;
	memcpy(out + p, uid, uid_len);
	return p + uid_len;
}

void sign_conference_tag(const char *conference_id, uint8_t tag[4])
{
	uint8_t h[16];
	crypto_generichash(h, sizeof h, (const uint8_t *)conference_id, strlen(conference_id),
			   NULL, 0);
	memcpy(tag, h, 4);
}
