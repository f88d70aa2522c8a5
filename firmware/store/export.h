/* The check-in export (docs/CONTRACT.md "Check-in export") and merging of exports.
 *
 * One copy of this code serves `kioskctl export`/`merge` and the kiosk's USB sync. An export is
 * a standalone SQLite file readable with any SQLite browser: checkins(kiosk_id, seq,
 * attendee_id, checked_in_at ISO-8601 UTC, PRIMARY KEY(kiosk_id, seq)), the attendees and
 * groups needed to read it, kiosk metadata, and a checkin_log view ordered by time.
 * Files named as inputs are untrusted (they may come from a stick): opened read-only, checked
 * with quick_check and for the expected tables before a row is read.
 */
#ifndef KITH_EXPORT_H
#define KITH_EXPORT_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

/* Progress: done out of total units (rows or pages); return nonzero to cancel. May be NULL. */
typedef int (*export_progress_fn)(void *ctx, int64_t done, int64_t total);

/* Writes the export of s to out_path atomically: a temp file beside it, fsync, quick_check,
 * rename over out_path, fsync the directory. A crash at any moment leaves the previous
 * out_path or the new one, never a torn file. On failure err says why in plain words, the
 * temp file is removed and out_path is untouched. Returns 0 or a negative STORE_E* code. */
int export_write(store *s, const char *out_path, export_progress_fn progress, void *ctx,
		 char *err, size_t errlen);

/* One block of this kiosk's log for the exchange (docs/CONTRACT.md "Exchange"). */
typedef struct export_segment {
	const char *kiosk_id;        /* whose check-ins: only rows of this kiosk are written */
	int64_t block;               /* block number, recorded in meta.segment */
	int64_t first_seq, last_seq; /* the block's seq range */
	int sealed;                  /* 1: the block is full and this file is final */
} export_segment;

/* The check-ins of seg (and the attendees they name, the kiosk's row, its consent answers
 * published by this block) as an export, written like export_write. *rows (may be NULL)
 * gets the check-ins written. */
int export_write_segment(store *s, const char *out_path, const export_segment *seg,
			 int64_t *rows, char *err, size_t errlen);

/* Union of the check-ins (and the attendee/kiosk rows they need) of in_path into the export
 * file out_path, created if missing. Idempotent: merging twice adds nothing. *added (may be
 * NULL) gets the number of new check-ins. */
int export_merge(const char *out_path, const char *in_path, int64_t *added, char *err,
		 size_t errlen);

/* Union of another kiosk's export into the kiosk's own database (USB sync, step 2), so the
 * colleagues view covers every booth. Rows already present are left alone. */
int store_merge_export(store *s, const char *in_path, int64_t *added, char *err, size_t errlen);

/* Reads an export from outside as a merge would (read-only, quick_check, the tables) and counts
 * its check-ins; refuses anything whose application_id is not an export's. label names the file
 * in err (path may be a private copy). Returns 0 with *rows, or a negative STORE_E* code. */
int export_count(const char *path, const char *label, int64_t *rows, char *err, size_t errlen);

/* ---- The exchange's bookkeeping (store_exchange.c) -------------------------------------- */
/* Records this kiosk's consent answer (0 or 1) for the exchange, as the latest one known;
 * store_attendee_set_visible calls it in its transaction. */
int store_consent_record(store *s, const char *attendee_id, int visible);
/* The highest seq of kiosk_id's check-ins here (0 when none). */
int store_exchange_own_max_seq(store *s, const char *kiosk_id, int64_t *max_seq);
/* A short text that changes whenever the check-ins of kiosk_id in seqs lo..hi or its consent
 * answers published by that block change: the publisher rewrites a block only then. */
int store_exchange_block_print(store *s, const char *kiosk_id, int64_t lo, int64_t hi,
			       char *out, size_t outsize);

typedef struct store_exchange_file {
	int64_t size, mtime_ns; /* as stat saw it before the copy that was merged */
	int64_t digest;         /* FNV-1a of the file (of its header when large) */
	int sealed;             /* it said it was a sealed segment */
} store_exchange_file;
/* What was merged under name: 1 with *f, 0 if never. f NULL in _put forgets name. */
int store_exchange_file_get(store *s, const char *name, store_exchange_file *f);
int store_exchange_file_put(store *s, const char *name, const store_exchange_file *f);
/* Every check-in of kiosk_id with seq 1..*contiguous is here (0: nothing known). */
int store_exchange_seen(store *s, const char *kiosk_id, int64_t *contiguous);
/* Moves kiosk_id's contiguous mark up from from as far as the check-ins here allow. */
int store_exchange_advance(store *s, const char *kiosk_id, int64_t from, int64_t *contiguous);

/* What an exchange file says it is (meta exchange_kind, exported_by, segment). */
enum export_kind { EXPORT_KIND_WHOLE = 0, EXPORT_KIND_SEALED = 1, EXPORT_KIND_OPEN = 2 };

/* The merge the exchange runs (store_merge_export is this without a name): checks that name
 * is the canonical name of what the file says it is (exchange_name) and, for a segment,
 * that it holds only its kiosk's check-ins; then merges only check-ins above each source
 * kiosk's contiguous mark, and consent answers (latest wins). */
typedef struct export_take {
	int64_t added;       /* new check-ins */
	int64_t consent;     /* consent answers that changed an attendee here */
	int64_t read;        /* check-ins read from the file (above the marks) */
	int kind;            /* enum export_kind */
} export_take;
typedef void (*export_name_fn)(int kind, const char *kiosk_id, int64_t segment, char *out,
			       size_t outsize);
int store_merge_exchange(store *s, const char *in_path, const char *name,
			 export_name_fn canonical, export_take *res, char *err, size_t errlen);

/* ---- Signed kiosk files (export_sign.c, docs/THREAT-MODEL.md) ---------------------------
 * An export carries its kiosk's Ed25519 signature inside it, in a table
 * signature(kiosk_id, public_key, sig) (hex), over a canonical digest of every other table:
 * tables in name order, each with its column names, rows in the order of all their columns,
 * each value type-tagged. It survives SQLite rewriting the file (VACUUM, a page size change)
 * and covers tables added later without this code knowing them. */
#define EXPORT_KIOSK_KEY_SUFFIX ".key"          /* the kiosk's secret key: <database>.key */
#define EXPORT_TRUST_KIOSK_META "trust_kiosk_key." /* + kiosk id: hex key trusted for it */
#define EXPORT_OFFER_KIOSK_META "pair_offer."      /* + kiosk id: a kept-aside file's key */

enum export_sign_verdict {
	EXPORT_SIGN_OK = 0,    /* signed by the key trusted for the kiosk it claims (or open) */
	EXPORT_SIGN_ASIDE = 1, /* validly signed by a kiosk this one does not know: not merged */
};

/* Signs a finished export at path (a temp file nobody else has open) with the key of the
 * kiosk whose database s is: <database>.key beside it. Without that file (kioskctl on a
 * laptop) the export stays unsigned: 0. 0 or STORE_EIO with err. */
int export_sign_temp(store *s, const char *path, char *err, size_t errlen);

/* Before a peer's file (a private copy) is merged into s. With a trusted conference key the
 * file must be signed, untampered, and signed by the key s trusts for the kiosk it names
 * (EXPORT_TRUST_KIOSK_META, from the fleet file or admin pairing); a valid file from a kiosk
 * with no trusted key is EXPORT_SIGN_ASIDE (its key offered for pairing). Without a conference
 * key (open kiosk), unsigned files are taken with a logged warning. Returns EXPORT_SIGN_OK,
 * EXPORT_SIGN_ASIDE, or STORE_EINVAL (refused) / STORE_EIO; why says what in plain words,
 * naming the file as name (NULL: path's last part; a private copy is named as the original). */
int export_sign_check(store *s, const char *path, const char *name, char *why, size_t whylen);

/* The file's own claim, checked for consistency only (the organiser's laptop, which has no
 * fleet): 1 signed and untampered (kiosk_id and fingerprint filled), 0 unsigned, STORE_EINVAL
 * tampered or malformed (why). */
int export_sign_inspect(const char *path, char *kiosk_id, size_t idsize, char *fingerprint,
			size_t fpsize, char *why, size_t whylen);

/* Admin pairing: the kiosks whose files were kept aside (pair_offer.<id>), up to max ids
 * (each STORE_ID_MAX), alphabetical; returns how many. */
int export_pair_offers(store *s, char (*ids)[STORE_ID_MAX], int max);
/* Trusts the offered key for kiosk_id (the admin pressed Pair behind the PIN). 1 paired,
 * 0 nothing offered, <0 store error. */
int export_pair_accept(store *s, const char *kiosk_id);

#endif
