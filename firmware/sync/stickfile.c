/* Reading untrusted files from a stick.
 *
 * Nothing on a stick is opened by SQLite in place: a hostile or failing stick could swap a file
 * between our check and SQLite's open, vanish mid-read, or make SQLite try to create -wal/-shm
 * files on a read-only filesystem. Instead each file is opened once with O_NOFOLLOW, checked
 * with fstat (regular, size limit), and copied to a private temp file on the kiosk's own disk;
 * SQLite only ever sees that copy. The sync also reads its own export back this way to verify
 * it (stick_verify.c).
 */
#define _GNU_SOURCE
#include "sync/stickfile.h"
#include "common/util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int stickfile_copy(int dirfd, const char *name, int64_t max_bytes, const char *tmpdir,
		   char **copy, time_t *mtime, char *err, size_t errlen)
{
	int in = -1, out = -1, rc = STICKFILE_EIO;
	char *path = NULL;
	struct stat st;
	static const size_t bufsize = 1 << 16;
	char *buf = NULL;
	int64_t total = 0;

	*copy = NULL;
	in = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (in < 0) {
		if (errno == ENOENT) {
			snprintf(err, errlen, "%s is not on the stick", name);
			return STICKFILE_ENOENT;
		}
		if (errno == ELOOP) {
			snprintf(err, errlen, "%s is a link, not a file", name);
			return STICKFILE_EREFUSED;
		}
		snprintf(err, errlen, "could not open %s on the stick (%s)", name, strerror(errno));
		return STICKFILE_EIO;
	}
	if (fstat(in, &st) < 0) {
		snprintf(err, errlen, "could not read %s on the stick (%s)", name, strerror(errno));
		goto fail;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s is not a regular file", name);
		rc = STICKFILE_EREFUSED;
		goto fail;
	}
	if ((int64_t)st.st_size > max_bytes) {
		snprintf(err, errlen, "%s is too large (%lld MB, limit %lld MB)", name,
			 (long long)(st.st_size >> 20), (long long)(max_bytes >> 20));
		rc = STICKFILE_EREFUSED;
		goto fail;
	}
	/* Back to blocking reads now that we know it is a regular file. */
	fcntl(in, F_SETFL, fcntl(in, F_GETFL) & ~O_NONBLOCK);
	/* Read what the stick holds, not what the page cache remembers: for the kiosk's own
	 * export that is the whole point of reading it back (clean pages only; best effort). */
	posix_fadvise(in, 0, 0, POSIX_FADV_DONTNEED);
	*mtime = st.st_mtime;

	size_t plen = strlen(tmpdir) + 32;
	path = xcalloc(1, plen);
	snprintf(path, plen, "%s/stick-XXXXXX", tmpdir);
	out = mkostemp(path, O_CLOEXEC);
	if (out < 0) {
		snprintf(err, errlen, "could not make a temp file in %s (%s)", tmpdir, strerror(errno));
		free(path);
		path = NULL;
		rc = STICKFILE_ELOCAL;
		goto fail;
	}
	buf = xcalloc(1, bufsize);
	for (;;) {
		ssize_t n = read(in, buf, bufsize);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			snprintf(err, errlen, "reading %s from the stick failed (%s)", name, strerror(errno));
			goto fail;
		}
		if (n == 0)
			break;
		total += n;
		if (total > max_bytes) { /* it grew under us */
			snprintf(err, errlen, "%s is too large (over %lld MB)", name,
				 (long long)(max_bytes >> 20));
			rc = STICKFILE_EREFUSED;
			goto fail;
		}
		for (ssize_t off = 0; off < n;) {
			ssize_t w = write(out, buf + off, (size_t)(n - off));
			if (w < 0) {
				if (errno == EINTR)
					continue;
				snprintf(err, errlen, "copying %s to the kiosk failed (%s)", name,
					 strerror(errno));
				rc = STICKFILE_ELOCAL;
				goto fail;
			}
			off += w;
		}
	}
	free(buf);
	buf = NULL;
	close(in);
	in = -1;
	if (close(out) < 0) {
		out = -1;
		snprintf(err, errlen, "copying %s to the kiosk failed (%s)", name, strerror(errno));
		rc = STICKFILE_ELOCAL;
		goto fail;
	}
	*copy = path;
	return 0;
fail:
	free(buf);
	if (in >= 0)
		close(in);
	if (out >= 0)
		close(out);
	if (path != NULL) {
		unlink(path);
		free(path);
	}
	return rc;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int is_export_name(const char *name)
{
	static const char prefix[] = "checkins-", suffix[] = ".sqlite";
	size_t n = strlen(name), p = sizeof(prefix) - 1, s = sizeof(suffix) - 1;
	return n > p + s && strncmp(name, prefix, p) == 0 && strcmp(name + n - s, suffix) == 0;
}

int stickfile_list_exports(int dirfd, const char *skip, char ***names, int max)
{
	int fd = dup(dirfd), count = 0;
	char **list = NULL;
	DIR *d;
	struct dirent *de;

	*names = NULL;
	if (fd < 0)
		return -1;
	d = fdopendir(fd);
	if (d == NULL) {
		close(fd);
		return -1;
	}
	rewinddir(d);
	list = xcalloc((size_t)max + 1, sizeof(*list));
	while ((de = readdir(d)) != NULL && count < max) {
		if (!is_export_name(de->d_name) || strcmp(de->d_name, skip) == 0)
			continue;
		list[count++] = xstrdup(de->d_name);
	}
	closedir(d);
	qsort(list, (size_t)count, sizeof(*list), name_cmp);
	*names = list;
	return count;
}

void stickfile_names_free(char **names, int count)
{
	if (names == NULL)
		return;
	for (int i = 0; i < count; i++)
		free(names[i]);
	free(names);
}
