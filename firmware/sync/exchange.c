/* The exchange (exchange.h): one copy of the rules for files between kiosks, for the stick and
 * for the LAN. This first form publishes the whole log as one file and merges a whole file;
 * see docs/CONTRACT.md "Exchange". */
#define _GNU_SOURCE
#include "sync/exchange.h"
#include "sync/stickfile.h"
#include "store/export.h"
#include "common/log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DEFAULT_MAX_FILE (INT64_C(1) << 30)

void exchange_file_name(const char *kiosk_id, char *out, size_t outsize)
{
	size_t n = (size_t)snprintf(out, outsize, "checkins-");
	for (const char *p = kiosk_id; *p != '\0' && n + 8 < outsize; p++) {
		char c = *p;
		int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
			 c == '-' || c == '_' || c == '.';
		out[n++] = ok ? c : '_';
	}
	snprintf(out + n, outsize - n, ".sqlite");
}

int exchange_take_file(store *s, int dirfd, const char *name, const exchange_limits *lim,
		       const char *tmpdir, exchange_take_result *res)
{
	int64_t max = lim != NULL && lim->max_file_bytes > 0 ? lim->max_file_bytes :
								 DEFAULT_MAX_FILE;
	char *copy = NULL;
	time_t mtime;
	int rc;

	res->added = 0;
	res->why[0] = '\0';
	rc = stickfile_copy(dirfd, name, max, tmpdir, &copy, &mtime, res->why, sizeof(res->why));
	if (rc == STICKFILE_ENOENT)
		return EXCHANGE_MISSING;
	if (rc == 0) {
		rc = export_sign_check(s, copy, res->why, sizeof(res->why)); /* signing: issue 16 */
		if (rc == 0)
			rc = store_merge_export(s, copy, &res->added, res->why, sizeof(res->why));
		unlink(copy);
		free(copy);
		if (rc == 0)
			return EXCHANGE_MERGED;
		rc = STICKFILE_EREFUSED;
	}
	return rc == STICKFILE_EIO ? EXCHANGE_EIO : rc == STICKFILE_ELOCAL ? EXCHANGE_ELOCAL :
									       EXCHANGE_REFUSED;
}

int exchange_publish(store *s, const char *dir, const char *kiosk_id, exchange_published *out,
		     char *err, size_t errlen)
{
	char name[EXCHANGE_NAME_MAX], path[4200];
	int rc;

	memset(out, 0, sizeof(*out));
	exchange_file_name(kiosk_id, name, sizeof(name));
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((rc = export_write(s, path, NULL, NULL, err, errlen)) < 0)
		return rc;
	out->count = 1;
	snprintf(out->names[0], sizeof(out->names[0]), "%s", name);
	return 0;
}
