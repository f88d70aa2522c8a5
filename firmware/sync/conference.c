/* The conference bundle step of USB sync: kith/conference.sqlite replaces the kiosk's roster
 * and schedule.
 *
 * The file handling is done before this is called: step_import in sync_run.c takes the file
 * off the stick with stickfile_copy (O_NOFOLLOW, regular files only, size checked before and
 * while copying) into a private folder, so a stick pulled or swapped midway cannot change what
 * is checked. Checking and applying the bundle is SQL against the store's schema, so it lives
 * in the store (store_conference_replace, firmware/store/store_conference.c); this maps its
 * result to the sync's terms.
 */
#include "sync/conference.h"

#include <stdio.h>

int conference_import(store *s, const char *path, int64_t mtime, char *err, size_t errlen)
{
	int rc = store_conference_replace(s, path, mtime);

	err[0] = '\0';
	if (rc >= 0)
		return rc == 1 ? CONFERENCE_IMPORTED : CONFERENCE_NOT_NEWER;
	snprintf(err, errlen, "%s", store_errmsg(s));
	return rc == STORE_EINVAL ? CONFERENCE_EREFUSED : CONFERENCE_EKIOSK;
}
