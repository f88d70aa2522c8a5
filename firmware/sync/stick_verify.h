/* Reading this kiosk's own export back from the stick after it was written.
 * Internal to the USB sync module. */
#ifndef KITH_SYNC_STICK_VERIFY_H
#define KITH_SYNC_STICK_VERIFY_H

#include <stddef.h>
#include <stdint.h>

enum stick_verify_error {
	STICK_VERIFY_EBAD = -1,   /* the file on the stick is not the export that was written */
	STICK_VERIFY_EIO = -2,    /* reading it back from the stick failed */
	STICK_VERIFY_ELOCAL = -3, /* the kiosk could not make or read its private copy */
};

/* Reads name in dirfd back as an untrusted file (stickfile_copy: no links, regular, at most
 * max_bytes, from the device rather than the page cache) into a copy in tmpdir, then checks
 * the copy: an SQLite check-in export, quick_check ok, and between min_rows and max_rows
 * check-ins. *rows gets the count when it could be read. Returns 0 or a negative
 * STICK_VERIFY_E*; err says what in plain words. */
int stick_verify_export(int dirfd, const char *name, int64_t max_bytes, const char *tmpdir,
			int64_t min_rows, int64_t max_rows, int64_t *rows, char *err,
			size_t errlen);

#endif
