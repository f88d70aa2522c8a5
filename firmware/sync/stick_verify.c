/* Verifying the export on the stick: the only evidence for "Check-ins saved to the stick".
 *
 * export_write checks its temp file before the rename, but the card speaks about the file on
 * the stick after it: a stick that acknowledges writes it then loses, a folder that turned out
 * to be something else, or a file swapped between the rename and now would all pass that
 * check. So the file is read back as the merge reads other kiosks' files (stickfile_copy,
 * which also drops the cached pages so the bytes come from the device), and the store opens
 * only the private copy, as it opens any export from outside (export_count: read-only,
 * trusted_schema off, quick_check, an export's application_id), and counts its check-ins.
 * The count is compared with the kiosk's own before and after the export (taps may arrive in
 * between, so a range rather than one number; the same number when nobody tapped).
 */
#include "sync/stick_verify.h"
#include "sync/stickfile.h"
#include "store/export.h"
#include "common/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* The checks on the private copy: the store reads it as any export from outside, then the
 * count must be the kiosk's. */
static int check_copy(const char *copy, const char *name, int64_t min_rows, int64_t max_rows,
		      int64_t *rows, char *err, size_t errlen)
{
	char why[300];
	int64_t n;

	if (export_count(copy, name, &n, why, sizeof(why)) < 0) {
		snprintf(err, errlen, "%s reads back wrong: %s", name, why);
		return STICK_VERIFY_EBAD;
	}
	*rows = n;
	if (n >= min_rows && n <= max_rows)
		return 0;
	if (min_rows == max_rows)
		snprintf(err, errlen, "%s reads back with %lld check-ins; the kiosk has %lld", name,
			 (long long)n, (long long)min_rows);
	else
		snprintf(err, errlen, "%s reads back with %lld check-ins; the kiosk had %lld to %lld",
			 name, (long long)n, (long long)min_rows, (long long)max_rows);
	return STICK_VERIFY_EBAD;
}

/* Removes the copy and what SQLite may have made beside it (a WAL-mode file gets -wal and
 * -shm even when opened read-only). */
static void remove_copy(char *copy)
{
	static const char *const sidecars[] = { "-wal", "-shm", "-journal" };
	size_t n = strlen(copy) + 16;
	char *p = xcalloc(1, n);
	for (size_t i = 0; i < ARRAY_LEN(sidecars); i++) {
		snprintf(p, n, "%s%s", copy, sidecars[i]);
		unlink(p);
	}
	free(p);
	unlink(copy);
	free(copy);
}

int stick_verify_export(int dirfd, const char *name, int64_t max_bytes, const char *tmpdir,
			int64_t min_rows, int64_t max_rows, int64_t *rows, char *err,
			size_t errlen)
{
	char *copy = NULL, why[400];
	time_t mtime;
	int rc;

	*rows = -1;
	rc = stickfile_copy(dirfd, name, max_bytes, tmpdir, &copy, &mtime, why, sizeof(why));
	switch (rc) {
	case 0:
		break;
	case STICKFILE_ENOENT:
	case STICKFILE_EREFUSED:
		snprintf(err, errlen, "after writing, %s", why);
		return STICK_VERIFY_EBAD;
	case STICKFILE_ELOCAL:
		snprintf(err, errlen, "%s", why);
		return STICK_VERIFY_ELOCAL;
	default:
		snprintf(err, errlen, "%s", why);
		return STICK_VERIFY_EIO;
	}
	rc = check_copy(copy, name, min_rows, max_rows, rows, err, errlen);
	remove_copy(copy);
	return rc;
}
