/* The exchange: what a kiosk gives to the other kiosks and what it takes in from them
 * (docs/CONTRACT.md "Exchange").
 *
 * Two transports move files and nothing else: a USB stick's kith/ folder (sync_run.c) and a
 * Syncthing folder per kiosk on the LAN (lan_sync.c). What goes into a published file, and
 * whether another kiosk's file is taken in and how, is decided here, once, for both. The store
 * does the SQL (export.h); this module adds the rules for files that arrive from outside:
 *   - a file is untrusted: never followed through a link, size-limited, copied to a private
 *     temp file before SQLite opens it (read-only), then checked (quick_check, schema);
 *   - a refused file is refused alone, with the reason, and the rest keeps going;
 *   - a file that is briefly missing (Syncthing deletes, then renames in) is not an error;
 *   - a transport never writes into another kiosk's folder.
 * Functions run on the caller's thread, with the caller's store handle.
 */
#ifndef KITH_SYNC_EXCHANGE_H
#define KITH_SYNC_EXCHANGE_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

#define EXCHANGE_NAME_MAX 160

typedef struct exchange_limits {
	int64_t max_file_bytes; /* another kiosk's file larger than this is refused; 0 = 1 GiB */
} exchange_limits;

/* What happened to one file from another kiosk. */
enum exchange_take_status {
	EXCHANGE_MERGED = 0,   /* read, checked, merged (added may be 0) */
	EXCHANGE_MISSING = 1,  /* not there (now): try again on the next event, not an error */
	EXCHANGE_REFUSED = -1, /* the file is bad: why says what, by name */
	EXCHANGE_EIO = -2,     /* the folder could not be read */
	EXCHANGE_ELOCAL = -3,  /* the kiosk's own database or temp folder failed */
};

typedef struct exchange_take_result {
	int64_t added;  /* new check-ins */
	char why[400];  /* with REFUSED, EIO, ELOCAL: why, in plain words (the caller names the file) */
} exchange_take_result;

/* "checkins-<kiosk_id>.sqlite", with characters other than [A-Za-z0-9._-] made '_'. The
 * stick's form of a kiosk's whole log, and the name a kiosk's files start from. */
void exchange_file_name(const char *kiosk_id, char *out, size_t outsize);

/* Takes in one other kiosk's file, name in the folder dirfd: copies it to tmpdir under the
 * rules above, checks it, merges what is new into s. Never writes dirfd. */
int exchange_take_file(store *s, int dirfd, const char *name, const exchange_limits *lim,
		       const char *tmpdir, exchange_take_result *res);

/* What exchange_publish wrote, so that a transport can point its engine at just those files. */
typedef struct exchange_published {
	int count;                                /* files replaced (0: nothing new) */
	char names[4][EXCHANGE_NAME_MAX];         /* their names within dir */
	int64_t bytes_written;
} exchange_published;

/* Refreshes this kiosk's published files in dir (its own folder on a live transport) so they
 * hold every check-in and consent answer of this kiosk. Each file is replaced atomically
 * (temp, fsync, rename, fsync dir) as a rollback-journal SQLite file; no -wal or -journal
 * file is ever left in dir. Returns 0 or a negative STORE_E* code with err. */
int exchange_publish(store *s, const char *dir, const char *kiosk_id, exchange_published *out,
		     char *err, size_t errlen);

#endif
