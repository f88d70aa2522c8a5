/* Importing a conference bundle (kith/conference.sqlite, made by kioskctl) into the kiosk.
 * Internal to the USB sync module. */
#ifndef KITH_SYNC_CONFERENCE_H
#define KITH_SYNC_CONFERENCE_H

#include <stddef.h>
#include <stdint.h>

enum conference_result {
	CONFERENCE_IMPORTED = 1,  /* the kiosk now has the bundle's roster and schedule */
	CONFERENCE_NOT_NEWER = 0, /* the kiosk already has this version or a newer one */
	CONFERENCE_EREFUSED = -1, /* the bundle is bad: err says why; the kiosk is unchanged */
	CONFERENCE_EKIOSK = -2,   /* the kiosk's own database failed; it is unchanged */
};

/* Checks the bundle at path (a private copy; mtime is the original's on the stick): readable,
 * integrity_check ok, PRAGMA user_version == STORE_SCHEMA_VERSION, the conference tables with
 * the kiosk's columns, at least one attendee, no orphan rows. If it is newer than what the kiosk
 * has (meta conference_version, else the file's mtime), replaces the kiosk's conference data
 * with it in one transaction; check-ins and the kiosk's own records are untouched. */
int conference_import(const char *db_path, const char *path, int64_t mtime, char *err,
		      size_t errlen);

#endif
