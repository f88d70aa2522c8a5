/* Untrusted files on a stick, handled without following links or trusting sizes.
 * Internal to sync/: the USB sync and the exchange (exchange.c). */
#ifndef KITH_SYNC_STICKFILE_H
#define KITH_SYNC_STICKFILE_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

enum stickfile_error {
	STICKFILE_ENOENT = -1,  /* no such file */
	STICKFILE_EREFUSED = -2, /* a link, not a regular file, or too large: err says which */
	STICKFILE_EIO = -3,     /* reading the stick failed */
	STICKFILE_ELOCAL = -4,  /* writing the local copy failed */
};

/* Copies the regular file name in directory dirfd to a new file in tmpdir, refusing symlinks
 * (O_NOFOLLOW), anything but a regular file and anything over max_bytes (checked before and
 * while copying). The file's cached pages are dropped first, so the copy is what the device
 * gives back. *copy gets the malloc'd path of the copy, *mtime the file's mtime.
 * Returns 0 or a negative STICKFILE_E*; err says what in plain words. */
int stickfile_copy(int dirfd, const char *name, int64_t max_bytes, const char *tmpdir,
		   char **copy, time_t *mtime, char *err, size_t errlen);

/* Names in dirfd matching "checkins-*.sqlite" other than skip, sorted; at most max.
 * *names is malloc'd, each name too (stickfile_names_free). Returns the count or -1. */
int stickfile_list_exports(int dirfd, const char *skip, char ***names, int max);
void stickfile_names_free(char **names, int count);

#endif
