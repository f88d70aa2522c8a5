/* The exchange (exchange.h): one copy of the rules for files between kiosks, for the stick and
 * for the LAN. See docs/CONTRACT.md "Exchange".
 *
 * Publishing cuts this kiosk's log in blocks of seqs: a full block is written once as a sealed
 * segment and left alone, so a refresh costs one small open segment whatever the size of the
 * conference. Taking in is incremental twice over: a file that looks as it did when last
 * merged (size, mtime, a digest of its SQLite header) is not copied at all, and from a file
 * that changed only the check-ins above what this kiosk holds of each source kiosk are read
 * (store_merge_exchange). Start with exchange_take_file and exchange_publish_with.
 */
#define _GNU_SOURCE
#include "sync/exchange.h"
#include "sync/stickfile.h"
#include "store/export.h"
#include "common/log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define DEFAULT_MAX_FILE (INT64_C(1) << 30)
/* The digest of a file: all of it up to DIGEST_WHOLE bytes (an open segment, rewritten with
 * one more row, can keep its size and, fresh each time, its header), else SQLite's header
 * (a big file is a stick's whole file, replaced with a new size/mtime); a sealed segment by
 * name, its header only: a rescan offers every sealed segment and must not read them all. */
#define DIGEST_HEADER 100
#define DIGEST_WHOLE (INT64_C(2) << 20)

const char exchange_stignore[] =
	"// Kith (docs/CONTRACT.md \"Exchange\"): only finished check-in files travel.\n"
	"(?d).*.tmp-*\n"
	"(?d)*.tmp\n"
	"(?d)*-journal\n"
	"(?d)*-wal\n"
	"(?d)*-shm\n"
	"(?d).kith-*\n";

/* "checkins-" and the kiosk id as it goes into a file name: characters other than
 * [A-Za-z0-9._-] made '_'; reserve bytes are left for the suffix. Every id (shorter than
 * STORE_ID_MAX) fits whole in EXCHANGE_NAME_MAX, so every caller gets the same name. */
static size_t put_id(const char *kiosk_id, char *out, size_t outsize, size_t reserve)
{
	size_t n = (size_t)snprintf(out, outsize, "checkins-");
	for (const char *p = kiosk_id; *p != '\0' && n + reserve < outsize; p++) {
		char c = *p;
		int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
			 c == '-' || c == '_' || c == '.';
		out[n++] = ok ? c : '_';
	}
	out[n] = '\0';
	return n;
}

void exchange_file_name(const char *kiosk_id, char *out, size_t outsize)
{
	size_t n = put_id(kiosk_id, out, outsize, 8);
	snprintf(out + n, outsize - n, ".sqlite");
}

/* The name of a file of kind (enum export_kind): export_name_fn for the store's check. */
static void kind_name(int kind, const char *kiosk_id, int64_t segment, char *out,
		      size_t outsize)
{
	size_t n = put_id(kiosk_id, out, outsize, kind == EXPORT_KIND_WHOLE ? 8 : 32);
	if (kind == EXPORT_KIND_SEALED)
		snprintf(out + n, outsize - n, ".%06lld.sqlite", (long long)segment);
	else if (kind == EXPORT_KIND_OPEN)
		snprintf(out + n, outsize - n, ".open.sqlite");
	else
		snprintf(out + n, outsize - n, ".sqlite");
}

int exchange_name_is_file(const char *name)
{
	size_t n = strlen(name);
	return n > 16 && n < EXCHANGE_NAME_MAX && strncmp(name, "checkins-", 9) == 0 &&
	       strcmp(name + n - 7, ".sqlite") == 0 && strchr(name, '/') == NULL &&
	       strstr(name, ".tmp") == NULL;
}

int exchange_write_stignore(const char *dir, char *err, size_t errlen)
{
	char path[4200], tmp[4220], have[sizeof exchange_stignore];
	size_t len = sizeof exchange_stignore - 1;
	FILE *f;
	snprintf(path, sizeof path, "%s/.stignore", dir);
	if ((f = fopen(path, "re")) != NULL) {
		size_t got = fread(have, 1, sizeof have, f);
		fclose(f);
		if (got == len && memcmp(have, exchange_stignore, len) == 0)
			return 0;
	}
	snprintf(tmp, sizeof tmp, "%s/.kith-stignore.tmp", dir);
	if ((f = fopen(tmp, "we")) == NULL || fwrite(exchange_stignore, 1, len, f) != len ||
	    fflush(f) != 0 || fsync(fileno(f)) != 0 || fclose(f) != 0 || (f = NULL) != NULL ||
	    rename(tmp, path) != 0) {
		snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
		if (f)
			fclose(f);
		unlink(tmp);
		return -1;
	}
	return 0;
}

/* ---- Taking in -------------------------------------------------------------------------- */

/* 1 if name is a sealed segment's ("checkins-<id>.<digits>.sqlite"). Such a file is never
 * rewritten, so its header suffices; a file posing under that name with the same size, mtime
 * and header is at worst not merged, and what it holds is checked when it is. */
static int sealed_name(const char *name)
{
	size_t n = strlen(name), d = 0;
	if (n < 8 || strcmp(name + n - 7, ".sqlite") != 0)
		return 0;
	for (size_t i = n - 7; i > 0 && name[i - 1] >= '0' && name[i - 1] <= '9'; i--)
		d++;
	return d == 6 && n - 7 - d > 0 && name[n - 7 - d - 1] == '.';
}

/* How name in dirfd looks now, without following a link: size, mtime and digest.
 * 0, or -1 with errno (ENOENT when missing). */
static int look(int dirfd, const char *name, store_exchange_file *f)
{
	unsigned char buf[65536];
	struct stat st;
	uint64_t h = 1469598103934665603ULL;
	int64_t want, off = 0;
	int fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		errno = EINVAL; /* stickfile_copy says what it is */
		return -1;
	}
	want = st.st_size <= DIGEST_WHOLE && !sealed_name(name) ? st.st_size : DIGEST_HEADER;
	while (off < want) {
		size_t chunk = (size_t)(want - off) < sizeof buf ? (size_t)(want - off) : sizeof buf;
		ssize_t got = pread(fd, buf, chunk, off);
		if (got <= 0)
			break;
		for (ssize_t i = 0; i < got; i++)
			h = (h ^ buf[i]) * 1099511628211ULL;
		off += got;
	}
	close(fd);
	f->size = st.st_size;
	f->mtime_ns = (int64_t)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec;
	f->digest = (int64_t)(h & INT64_MAX);
	f->sealed = 0;
	return 0;
}

int exchange_take_file(store *s, int dirfd, const char *name, const exchange_limits *lim,
		       const char *tmpdir, exchange_take_result *res)
{
	int64_t max = lim != NULL && lim->max_file_bytes > 0 ? lim->max_file_bytes :
								 DEFAULT_MAX_FILE;
	store_exchange_file now, then;
	export_take take;
	char *copy = NULL;
	time_t mtime;
	int rc, looked;

	memset(res, 0, sizeof *res);
	looked = look(dirfd, name, &now) == 0;
	if (!looked && errno == ENOENT)
		return EXCHANGE_MISSING;
	if (looked && store_exchange_file_get(s, name, &then) == 1 && then.size == now.size &&
	    then.mtime_ns == now.mtime_ns && then.digest == now.digest) {
		res->unchanged = 1;
		return EXCHANGE_MERGED;
	}
	rc = stickfile_copy(dirfd, name, max, tmpdir, &copy, &mtime, res->why, sizeof(res->why));
	if (rc == STICKFILE_ENOENT)
		return EXCHANGE_MISSING;
	if (rc < 0)
		return rc == STICKFILE_EIO ? EXCHANGE_EIO : rc == STICKFILE_ELOCAL ? EXCHANGE_ELOCAL :
										       EXCHANGE_REFUSED;
	/* Signed by the kiosk it claims to come from (issue 16), before a row is read. */
	rc = export_sign_check(s, copy, name, res->why, sizeof(res->why));
	if (rc == 0)
		rc = store_merge_exchange(s, copy, name, kind_name, &take, res->why,
					  sizeof(res->why));
	else if (rc == EXPORT_SIGN_ASIDE)
		rc = STORE_EINVAL; /* kept aside: offered for pairing, not merged */
	unlink(copy);
	free(copy);
	res->added = take.added;
	res->consent = take.consent;
	res->read = take.read;
	if (rc == STORE_EIO)
		return EXCHANGE_ELOCAL;
	if (rc < 0)
		return EXCHANGE_REFUSED;
	/* Remember it as it looked before the copy: if it changed since, the next look differs
	 * and it is merged again (idempotent), never skipped wrongly. */
	if (looked) {
		now.sealed = take.kind == EXPORT_KIND_SEALED;
		if (store_exchange_file_put(s, name, &now) < 0)
			log_warn("exchange: %s: %s", name, store_errmsg(s));
	}
	return EXCHANGE_MERGED;
}

/* ---- Publishing ------------------------------------------------------------------------- */

/* Notes name (written, size bytes) in out. */
static void published(exchange_published *out, const char *name, const char *path)
{
	struct stat st;
	if (stat(path, &st) == 0)
		out->bytes_written += st.st_size;
	if (out->count < 4)
		snprintf(out->names[out->count], sizeof out->names[0], "%s", name);
	else
		out->all = 1;
	out->count++;
}

/* Writes block k of kiosk_id (seqs k*rows+1 .. (k+1)*rows) as name. */
static int write_block(store *s, const char *dir, const char *kiosk_id, int64_t k,
		       int64_t rows, int sealed, exchange_published *out, char *err,
		       size_t errlen)
{
	char name[EXCHANGE_NAME_MAX], path[4400];
	export_segment seg = { .kiosk_id = kiosk_id, .block = k, .first_seq = k * rows + 1,
			       .last_seq = (k + 1) * rows, .sealed = sealed };
	int rc;
	kind_name(sealed ? EXPORT_KIND_SEALED : EXPORT_KIND_OPEN, kiosk_id, k, name, sizeof name);
	snprintf(path, sizeof path, "%s/%s", dir, name);
	if ((rc = export_write_segment(s, path, &seg, NULL, err, errlen)) < 0)
		return rc;
	published(out, name, path);
	return 0;
}

int exchange_publish_with(store *s, const char *dir, const char *kiosk_id,
			  const exchange_publish_opts *opts, exchange_published *out, char *err,
			  size_t errlen)
{
	int64_t rows = opts && opts->segment_rows > 0 ? opts->segment_rows : EXCHANGE_SEGMENT_ROWS;
	int64_t max_seq, open_block;
	char name[EXCHANGE_NAME_MAX], path[4400], print[128], key[STORE_ID_MAX + 32],
		was[128] = "";
	struct stat st;
	int rc;

	memset(out, 0, sizeof *out);
	if (kiosk_id == NULL || kiosk_id[0] == '\0') {
		snprintf(err, errlen, "publishing needs a kiosk id");
		return STORE_EINVAL;
	}
	if (exchange_write_stignore(dir, err, errlen) < 0)
		return STORE_EIO;
	if ((rc = store_exchange_own_max_seq(s, kiosk_id, &max_seq)) < 0)
		goto storefail;
	/* Sealed blocks: written once, when missing (only the one just filled, normally). */
	open_block = max_seq / rows;
	for (int64_t k = 0; k < open_block; k++) {
		kind_name(EXPORT_KIND_SEALED, kiosk_id, k, name, sizeof name);
		snprintf(path, sizeof path, "%s/%s", dir, name);
		if (lstat(path, &st) == 0)
			continue;
		if ((rc = write_block(s, dir, kiosk_id, k, rows, 1, out, err, errlen)) < 0)
			return rc;
	}
	/* The open block: rewritten only when its check-ins or consent answers changed. */
	if ((rc = store_exchange_block_print(s, kiosk_id, open_block * rows + 1,
					     (open_block + 1) * rows, print, sizeof print)) < 0)
		goto storefail;
	snprintf(key, sizeof key, "exchange.open.%s", kiosk_id);
	kind_name(EXPORT_KIND_OPEN, kiosk_id, open_block, name, sizeof name);
	snprintf(path, sizeof path, "%s/%s", dir, name);
	if (store_meta_get(s, key, was, sizeof was) == 1 && strcmp(was, print) == 0 &&
	    lstat(path, &st) == 0)
		return 0;
	if ((rc = write_block(s, dir, kiosk_id, open_block, rows, 0, out, err, errlen)) < 0)
		return rc;
	if ((rc = store_meta_set(s, key, print)) < 0)
		goto storefail;
	return 0;
storefail:
	snprintf(err, errlen, "cannot publish: %s", store_errmsg(s));
	return rc;
}

int exchange_publish(store *s, const char *dir, const char *kiosk_id, exchange_published *out,
		     char *err, size_t errlen)
{
	return exchange_publish_with(s, dir, kiosk_id, NULL, out, err, errlen);
}
