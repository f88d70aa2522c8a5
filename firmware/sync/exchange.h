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
	int64_t consent; /* consent answers that changed an attendee's visibility here */
	int64_t read;   /* check-ins read from the file: those above what was already here */
	int unchanged;  /* 1: same size, mtime and header digest as when last merged: not copied */
	char why[400];  /* with REFUSED, EIO, ELOCAL: why, in plain words (the caller names the file) */
} exchange_take_result;

/* Published files (docs/CONTRACT.md "Exchange"). A kiosk's check-ins are cut in blocks of
 * EXCHANGE_SEGMENT_ROWS by seq: block k holds seqs k*N+1 .. (k+1)*N. A full block is written
 * once as a sealed segment "checkins-<id>.<kkkkkk>.sqlite" and never rewritten; the block
 * still filling is "checkins-<id>.open.sqlite", rewritten by each refresh (at most N rows).
 * The stick keeps the whole-file form "checkins-<id>.sqlite"; exchange_take_file takes all
 * three. Every file says inside what it is (meta exchange_kind, exported_by, segment) and a
 * file whose name is not the name of what it says it is, is refused. */
#define EXCHANGE_SEGMENT_ROWS 10000

/* The .stignore of a kiosk folder: temp files, SQLite side files, hidden work files. */
extern const char exchange_stignore[];

/* Writes dir/.stignore (exchange_stignore) atomically if it is missing or different.
 * 0, or -1 with err. */
int exchange_write_stignore(const char *dir, char *err, size_t errlen);

/* 1 if name looks like an exchange file (checkins-*.sqlite, not hidden, not a temp or side
 * file): what a transport passes to exchange_take_file. Says nothing about its content. */
int exchange_name_is_file(const char *name);

/* "checkins-<kiosk_id>.sqlite", with characters other than [A-Za-z0-9._-] made '_'. The
 * stick's form of a kiosk's whole log, and the name a kiosk's files start from. */
void exchange_file_name(const char *kiosk_id, char *out, size_t outsize);

/* Takes in one other kiosk's file, name in the folder dirfd: copies it to tmpdir under the
 * rules above, checks it, merges what is new into s. Never writes dirfd. Incremental: a
 * file unchanged since its last merge (size, mtime, header digest) is not even copied, and
 * only check-ins above what this kiosk already holds of each source kiosk are read. */
int exchange_take_file(store *s, int dirfd, const char *name, const exchange_limits *lim,
		       const char *tmpdir, exchange_take_result *res);

/* What exchange_publish wrote, so that a transport can point its engine at just those files. */
typedef struct exchange_published {
	int count;                                /* files replaced (0: nothing new) */
	char names[4][EXCHANGE_NAME_MAX];         /* their names within dir */
	int64_t bytes_written;
	int all; /* 1: more than 4 files were written (first publish of a big log): scan the
		  * whole folder; names holds the first 4 */
} exchange_published;

typedef struct exchange_publish_opts {
	int64_t segment_rows; /* block size; 0 = EXCHANGE_SEGMENT_ROWS (tests use small ones) */
} exchange_publish_opts;

/* Refreshes this kiosk's published files in dir (its own folder on a live transport) so they
 * hold every check-in and consent answer of this kiosk: writes the sealed segments missing
 * from dir, then the open segment (only when it changed; count 0 otherwise). Each file is replaced atomically
 * (temp, fsync, rename, fsync dir) as a rollback-journal SQLite file; no -wal or -journal
 * file is ever left in dir. Returns 0 or a negative STORE_E* code with err. */
int exchange_publish(store *s, const char *dir, const char *kiosk_id, exchange_published *out,
		     char *err, size_t errlen);
/* The same with options (opts may be NULL). */
int exchange_publish_with(store *s, const char *dir, const char *kiosk_id,
			  const exchange_publish_opts *opts, exchange_published *out, char *err,
			  size_t errlen);

#endif
