/* Storage internals shared by the store_*.c and export_*.c files; nothing outside
 * firmware/store includes this (but the export merge fuzzer, for the application ids). */
#ifndef KITH_STORE_INT_H
#define KITH_STORE_INT_H

#include <sqlite3.h>

#include "store/store.h"

/* application_id values: tell a kiosk database from a check-in export at open time. */
#define STORE_APP_ID 0x4B697468  /* "Kith" */
#define EXPORT_APP_ID 0x4B746858 /* "KthX" */
#define EXPORT_FORMAT_VERSION 2  /* PRAGMA user_version of an export file */
#define STORE_BUSY_TIMEOUT_MS 5000 /* the UI and USB-sync threads share the file */

/* One slot per cached prepared statement, grouped by the file that uses it. */
enum store_slot {
	SLOT_META_SET, SLOT_META_GET, SLOT_KIOSK_PUT,                         /* store.c */
	SLOT_ATT_PUT, SLOT_ATT_ROWID, SLOT_ATT_VISIBLE,                       /* store_roster.c */
	SLOT_GROUP_ENSURE, SLOT_MEMBER_PUT, SLOT_BADGE_PUT, SLOT_BADGE_OWNER,
	SLOT_ATT_GET, SLOT_BADGE_GET,                                         /* store_tap.c */
	SLOT_TAP_LAST_HERE, SLOT_TAP_LAST_ANY, SLOT_TAP_NEXT_SEQ, SLOT_TAP_INSERT,
	SLOT_COLL_GROUPS, SLOT_COLL_TOTAL, SLOT_COLL_LIST,
	SLOT_COLL_PAGE, SLOT_COLL_ALL_GROUPS,                                 /* store_colleagues.c */
	SLOT_STATS, SLOT_PER_HOUR,                                            /* store_stats.c */
	SLOT_ROOM_PUT, SLOT_ROOM_ENSURE, SLOT_TRACK_ENSURE,                   /* store_sessions.c */
	SLOT_SESSION_PUT, SLOT_FTS_DELETE, SLOT_FTS_INSERT, SLOT_SESSION_GROUP,
	SLOT_SES_NOW_NEXT, SLOT_SES_TRACK, SLOT_SES_ROOM, SLOT_SES_DAY, SLOT_SES_SEARCH,
	SLOT_SES_GROUPS, SLOT_SES_GET, SLOT_TRACKS, SLOT_ROOMS, SLOT_ROOM_GET, SLOT_SES_ABSTRACT,
	SLOT_MERGE_CHECKIN, SLOT_MERGE_KIOSK,                                 /* export_merge.c */
	SLOT_COUNT
};

struct store {
	sqlite3 *db;                         /* this handle's own connection */
	sqlite3_stmt *stmt[SLOT_COUNT];      /* prepared lazily, kept for the handle's life */
	char kiosk_id[STORE_ID_MAX];         /* set by store_kiosk_set; "" until then */
	int repeat_window;                   /* seconds; a tap inside it is a repeat */
	int readonly;                        /* opened with STORE_OPEN_READONLY */
	char err[512];                       /* last error, plain words */
};

/* The cached statement for slot (prepared from sql the first time), reset and unbound;
 * NULL on failure with s->err set. */
sqlite3_stmt *store_stmt(store *s, enum store_slot slot, const char *sql);

/* Record an error: "what: sqlite message" into s->err; returns the STORE_E* code for rc. */
int store_fail(store *s, int rc, const char *what);
int store_einval(store *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Step a statement that returns no rows, and reset it: 0 or the store_fail code. */
int store_step_done(store *s, sqlite3_stmt *st, const char *what);

/* Text from a caller: 0 if v is valid UTF-8 (and non-empty when required), else
 * STORE_EINVAL naming field. */
int store_text_ok(store *s, const char *field, const char *v, int required);

/* store_stmt(slot, sql) with the arguments bound in order, one letter of types each: 't' text
 * (NULL binds ""), 'i' int, 'I' int64_t. Text is bound SQLITE_STATIC: step before it goes
 * away. NULL on failure, with s->err set. */
sqlite3_stmt *store_query(store *s, enum store_slot slot, const char *sql, const char *types,
			  ...);

/* One write of one statement: store_query(slot, sql, types, ...), then store_step_done(what). */
int store_write(store *s, enum store_slot slot, const char *sql, const char *what,
		const char *types, ...);

/* Step a query of at most one row: 1 when there is one (read it, then sqlite3_reset),
 * 0 when there is none, or the store_fail code; reset in both of those cases. */
int store_step_row(store *s, sqlite3_stmt *st, const char *what);

/* Run SQL without results on the handle's connection. */
int store_exec(store *s, const char *sql, const char *what);

/* Transactions that nest: BEGIN IMMEDIATE at top level, a SAVEPOINT inside a caller's
 * transaction. store_tx_end commits (ok) or rolls back (!ok) what store_tx_begin opened. */
int store_tx_begin(store *s, int *outer);
int store_tx_end(store *s, int outer, int ok);

/* Copy column col of st into dst as UTF-8, "" for NULL. */
void store_col_text(sqlite3_stmt *st, int col, char *dst, size_t dstsize);

/* The text FTS5 indexes for a session field: CJK characters spaced apart so each is a token
 * (unicode61 would otherwise treat a whole CJK run as one word). Caller frees. */
char *store_fts_segment(const char *text);

/* Checks (may_write 0: returns 1 if an upgrade is due) or migrates the schema. */
int store_schema_migrate(store *s, int may_write);

/* Check-in times as stored: "2026-11-27T10:01:02Z". store_iso_format fails (-1) outside
 * years 1970..9999; store_iso_parse accepts exactly that shape with a real date. */
#define STORE_ISO_MIN 0LL            /* 1970-01-01T00:00:00Z */
#define STORE_ISO_MAX 253402300799LL /* 9999-12-31T23:59:59Z */
int store_iso_format(int64_t t, char out[21]);
int store_iso_parse(const char *s, size_t len, int64_t *out);

sqlite3 *store_db(store *s);

/* attendees.id for attendee_id: >0 found, 0 unknown, <0 error (store_roster.c). */
int64_t store_attendee_rowid(store *s, const char *attendee_id);
/* The same, but an unknown attendee is STORE_EINVAL ("unknown attendee ..."). */
int64_t store_attendee_known(store *s, const char *attendee_id);
/* "04A1B2C3" for a 4-, 7- or 10-byte badge UID; STORE_EINVAL for other lengths. */
int store_uid_hex(store *s, const uint8_t *uid, size_t len, char out[21]);
/* The staff name index (store_staff.c): one new attendee's name, or the whole roster again
 * after a bulk replacement. 0 or the store_fail code. */
int store_staff_index(store *s, int64_t attendee_rowid, const char *name);
int store_staff_reindex(store *s);
/* The group's row, created if missing (attendees and sessions both name groups). */
int store_group_ensure(store *s, const char *group_name);

#endif
