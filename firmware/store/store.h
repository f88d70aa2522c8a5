/* Storage: the kiosk's SQLite database, shared by firmware/ and tools/.
 *
 * One opaque handle per connection (SQLite connections are not shared across threads: the UI
 * thread, the USB sync thread and kioskctl each open their own). The database is WAL with
 * synchronous=FULL, so a function that returns success for a write has made it durable.
 *
 * Conventions: functions return 0 on success and a negative STORE_E* code on failure
 * (store_errmsg() says what); lookups return 1 when found, 0 when not. Output structs use fixed
 * buffers (UTF-8, truncated on a character boundary); input uses plain C strings of any length.
 * Times are Unix epoch seconds, UTC. "Local day" boundaries are computed by the caller.
 */
#ifndef KITH_STORE_H
#define KITH_STORE_H

#include <stddef.h>
#include <stdint.h>

#define STORE_SCHEMA_VERSION 4 /* PRAGMA user_version after migrations */

enum store_error {
	STORE_EIO = -1,       /* SQLite failed (disk, corruption, full); see store_errmsg */
	STORE_EINVAL = -2,    /* caller passed something invalid */
	STORE_ECONFLICT = -3, /* unique key already exists (e.g. duplicate attendee_id) */
	STORE_ESCHEMA = -4,   /* database is from a newer Kith or not a Kith database */
};

enum store_open_flags {
	STORE_OPEN_CREATE = 1 << 0,   /* create the file and schema if missing */
	STORE_OPEN_READONLY = 1 << 1, /* read-only (reports, validation) */
};

enum store_visibility {
	STORE_VISIBLE_UNSET = -1, /* roster left it blank: the kiosk asks at the first tap */
	STORE_VISIBLE_NO = 0,
	STORE_VISIBLE_YES = 1,
};

#define STORE_ID_MAX 64
#define STORE_NAME_MAX 192
#define STORE_GROUP_MAX 96
#define STORE_PLACE_MAX 96 /* room, track, kiosk location, floor name */
#define STORE_TITLE_MAX 256
#define STORE_SPEAKERS_MAX 256
#define STORE_POLYGON_MAX 512
#define STORE_ABSTRACT_MAX 4096 /* a session's abstract, bytes with the NUL: a screenful or two */
#define STORE_COLLEAGUES_MAX 12 /* newest colleagues returned per group */

typedef struct store store;

/* ---- Opening ---------------------------------------------------------------------------- */
/* Like sqlite3_open, *out is set even on failure (to a handle that only holds the message):
 * print store_errmsg(*out), then store_close(*out). STORE_ESCHEMA: not a Kith database, a
 * check-in export, or a newer schema; STORE_EIO: cannot open (missing without CREATE, ...).
 * Each thread opens its own handle on the same file (busy timeout 5 s between them). */
int store_open(store **out, const char *path, int flags);
void store_close(store *s);
const char *store_errmsg(const store *s);
int store_begin(store *s);    /* explicit transaction (imports): all or nothing */
int store_commit(store *s);
int store_rollback(store *s);
int store_meta_set(store *s, const char *key, const char *value);
int store_meta_get(store *s, const char *key, char *out, size_t outsize); /* 1 found, 0 not */

/* ---- Conference data in (kioskctl imports, demo, conference.sqlite) -------------------- */
typedef struct store_attendee_in {
	const char *id;          /* attendee_id, unique, required */
	const char *name;        /* required */
	const char *affiliation; /* may be NULL or "" */
	int visible;             /* enum store_visibility */
} store_attendee_in;

int store_attendee_put(store *s, const store_attendee_in *a); /* STORE_ECONFLICT on duplicate */
int store_attendee_add_group(store *s, const char *attendee_id, const char *group_name);
int store_badge_put(store *s, const uint8_t *uid, size_t uid_len, const char *attendee_id);
int store_attendee_set_visible(store *s, const char *attendee_id, int visible);

typedef struct store_room_in {
	const char *name;       /* unique, e.g. "Hall C" */
	int floor;              /* level number, 0 = ground */
	const char *floor_name; /* e.g. "Level 2" */
	const char *area;       /* e.g. "east wing"; used in route text */
	const char *polygon;    /* venue-map outline: "x,y x,y x,y ..." in metres, >= 3 points */
} store_room_in;
int store_room_put(store *s, const store_room_in *r); /* insert or update by name */

typedef struct store_session_in {
	const char *id;       /* session_id, unique */
	const char *title;
	const char *track;    /* may be NULL/"" */
	const char *room;     /* room name; created (without geometry) if unknown */
	const char *speakers; /* "A; B" */
	int64_t start, end;   /* UTC epoch seconds; end > start */
	const char *abstract; /* may be NULL/""; under STORE_ABSTRACT_MAX bytes, LF kept */
} store_session_in;
int store_session_put(store *s, const store_session_in *in); /* insert or replace by id */
int store_session_add_group(store *s, const char *session_id, const char *group_name);

/* Replaces the kiosk's roster and schedule with a conference bundle (kith/conference.sqlite,
 * made by kioskctl), if it is valid and newer. path is a private copy of the untrusted file
 * (mtime is the original's): it is checked first -- integrity_check, PRAGMA user_version ==
 * STORE_SCHEMA_VERSION, the conference tables with the kiosk's columns, at least one
 * attendee, no orphan rows -- and is newer when its meta conference_version is higher than
 * the kiosk's, or (without one) when mtime is later. The replacement is one transaction;
 * check-ins and the kiosk's own records are untouched. Needs a writable handle outside a
 * transaction. Returns 1 replaced, 0 not newer, STORE_EINVAL when the bundle is refused
 * (store_errmsg says why in plain words), or STORE_EIO when the kiosk's database failed. */
int store_conference_replace(store *s, const char *path, int64_t mtime);

/* ---- The kiosk's own identity ---------------------------------------------------------- */
/* Sets this connection's kiosk id and location (stored in the kiosks table); check-ins
 * recorded through this handle carry the id and the next seq for it. The id names files on
 * USB sticks, so it may use only letters, digits, '-', '_' and '.' (else STORE_EINVAL). */
int store_kiosk_set(store *s, const char *kiosk_id, const char *location);
void store_set_repeat_window(store *s, int seconds); /* default 60 */

/* ---- The tap path ------------------------------------------------------------------------ */
typedef struct store_attendee {
	char id[STORE_ID_MAX];
	char name[STORE_NAME_MAX];
	char affiliation[STORE_NAME_MAX];
	int visible; /* enum store_visibility */
} store_attendee;

/* Badge -> attendee: the NDEF attendee id first (may be NULL/""), then the UID.
 * Returns 1 and fills out when known, 0 for an unknown badge. */
int store_badge_lookup(store *s, const char *ndef_attendee_id, const uint8_t *uid,
		       size_t uid_len, store_attendee *out);

typedef struct store_tap {
	int repeat;          /* 1: same attendee tapped here inside the repeat window; nothing stored */
	int first_today;     /* 1: no earlier check-in (any kiosk) since day_start */
	int64_t seq;         /* seq of this check-in (or of the earlier one, for a repeat) */
	int64_t checked_in_at; /* UTC epoch seconds of that check-in */
} store_tap;

/* Records a check-in of attendee_id at this kiosk at wall time now (UTC). Committed (durable)
 * before it returns 0. day_start is the UTC epoch of the local midnight that began today.
 * STORE_EINVAL for an attendee not in the roster or before store_kiosk_set. A clock that went
 * backwards (now earlier than the last tap here) is stored, not taken for a repeat. */
int store_checkin_record(store *s, const char *attendee_id, int64_t now, int64_t day_start,
			 store_tap *out);

typedef struct store_colleague {
	char name[STORE_NAME_MAX];
	char affiliation[STORE_NAME_MAX];
	char location[STORE_PLACE_MAX]; /* location of the kiosk they checked in at */
	int64_t checked_in_at;          /* their latest check-in today */
} store_colleague;

typedef struct store_group_colleagues {
	char group[STORE_GROUP_MAX];
	int total; /* visible colleagues in this group checked in since day_start */
	int count; /* entries in colleagues[], newest first, count <= STORE_COLLEAGUES_MAX */
	store_colleague colleagues[STORE_COLLEAGUES_MAX];
} store_group_colleagues;

/* For each of the attendee's groups (alphabetical, up to max_groups), the *visible* other
 * members checked in since day_start, newest first. Attendees with visible 0 or unset never
 * appear. Returns the number of groups filled (>= 0) or an error. */
int store_colleagues(store *s, const char *attendee_id, int64_t day_start,
		     store_group_colleagues *out, int max_groups);

/* ---- Every colleague (the colleague and group lists; store_colleagues.c) ----------------- */
/* Where a page of one group's colleagues ended: the last row's check-in time and attendee row.
 * A zeroed cursor starts at the newest. Keyset paging:
 * each page is one index range from the cursor, never an OFFSET, so page 500 of a group of
 * 100,000 costs what page 1 costs. */
typedef struct store_colleague_cursor {
	int started;  /* 0: from the newest */
	int64_t at;   /* checked_in_at of the last row returned */
	int64_t key;  /* its attendee row */
} store_colleague_cursor;

/* Up to max of group's visible colleagues of attendee_id checked in since day_start, newest
 * first (ties by attendee, newest row first), after *cur; advances *cur past them. The same
 * rule as store_colleagues: visible 0 or unset never appear, nor the attendee. Returns how
 * many were filled (0 at the end) or an error. */
int store_colleagues_page(store *s, const char *attendee_id, const char *group,
			  int64_t day_start, store_colleague_cursor *cur, store_colleague *out,
			  int max);

#define STORE_GROUP_COUNT_CAP 5000 /* a group list counts this far: "5000+ here" */
typedef struct store_group_count {
	char group[STORE_GROUP_MAX];
	int total; /* as store_group_colleagues.total, but at most STORE_GROUP_COUNT_CAP */
} store_group_count;
/* All of attendee_id's groups (alphabetical, up to max) with how many visible colleagues are
 * here since day_start, counted up to STORE_GROUP_COUNT_CAP (a total that reaches it means
 * "at least": counting a group of 100,000 would cost frames, and nobody reads past 5000).
 * Returns how many were filled or an error. */
int store_attendee_groups(store *s, const char *attendee_id, int64_t day_start,
			  store_group_count *out, int max);

/* ---- Sessions ----------------------------------------------------------------------------- */
typedef struct store_session {
	char id[STORE_ID_MAX];
	char title[STORE_TITLE_MAX];
	char track[STORE_PLACE_MAX];
	char room[STORE_PLACE_MAX];
	char speakers[STORE_SPEAKERS_MAX];
	int64_t start, end; /* UTC */
} store_session;

enum store_session_filter {
	/* All filters but DAY keep sessions that end after now and start before now + horizon
	 * (horizon <= 0: no limit), so now = 0, horizon = 0 means "all of them". */
	STORE_SESSIONS_NOW_NEXT, /* running at now, or starting within horizon; by start, room */
	STORE_SESSIONS_TRACK,    /* arg = track name; by start */
	STORE_SESSIONS_ROOM,     /* arg = room name; by start */
	STORE_SESSIONS_DAY,      /* start in [now, now + horizon): caller passes the day's bounds */
	STORE_SESSIONS_SEARCH,   /* arg = user text; FTS5 prefix match over title, track,
				    speakers, room; by rank then start */
	STORE_SESSIONS_GROUPS,   /* arg = attendee_id; sessions of their groups ending after now */
};

/* Fills up to max sessions; returns how many (>= 0) or an error. */
int store_sessions(store *s, enum store_session_filter filter, const char *arg, int64_t now,
		   int64_t horizon, store_session *out, int max);
int store_session_get(store *s, const char *session_id, store_session *out); /* 1/0 */
/* The session's abstract ("" when it has none) into out; kept out of store_session so that
 * lists of hundreds of sessions stay small. Returns 1 found, 0 unknown session, or an error. */
int store_session_abstract(store *s, const char *session_id, char *out, size_t size);

/* Distinct names, alphabetical; returns how many were filled. */
int store_tracks(store *s, char (*out)[STORE_PLACE_MAX], int max);

/* ---- Venue ------------------------------------------------------------------------------- */
typedef struct store_room {
	char name[STORE_PLACE_MAX];
	int floor;
	char floor_name[STORE_PLACE_MAX];
	char area[STORE_PLACE_MAX];
	char polygon[STORE_POLYGON_MAX]; /* "x,y x,y ..." metres; "" when no geometry */
} store_room;
int store_rooms(store *s, store_room *out, int max); /* by floor, name */
int store_room_get(store *s, const char *name, store_room *out); /* 1/0 */

/* Recomputes the derived "who is here" tables (presence, group_presence) from the check-ins
 * and the roster. Triggers keep them current on every write; this is for after bulk loads
 * that bypass them, or as a repair. One transaction. */
int store_presence_rebuild(store *s);

/* ---- Counts (admin screen, reports) ----------------------------------------------------- */
typedef struct store_stats {
	int64_t checkins_total;
	int64_t checkins_today;  /* since day_start */
	int64_t attendees_today; /* unique attendees since day_start */
	int64_t attendees_total; /* roster size */
	int64_t sessions_total;
} store_stats;
int store_stats_get(store *s, int64_t day_start, store_stats *out);
/* Check-ins per hour in [day_start, day_start + 24h). */
int store_checkins_per_hour(store *s, int64_t day_start, int64_t counts[24]);

/* ---- Staff mode (store_staff.c) ------------------------------------------------------------ */
/* Attendees whose name has words starting with every word of text (any script; case and
 * diacritics folded: "gonz" finds "González", "мар" finds "Мария"), by name. A CJK name
 * written without spaces is one word: it is found by its first characters. Returns how many
 * were filled (0 for text without a word), or an error. */
int store_attendee_search(store *s, const char *text, store_attendee *out, int max);

/* store_checkin_record on someone's behalf, marked as a staff check-in (staff_checkins, in
 * the same transaction; a repeat inside the window stores nothing). */
int store_staff_checkin(store *s, const char *attendee_id, int64_t now, int64_t day_start,
			store_tap *out);
/* 1 if (kiosk_id, seq) is a staff check-in, 0 if not, or an error. */
int store_checkin_is_staff(store *s, const char *kiosk_id, int64_t seq);

enum store_badge_state {
	STORE_BADGE_NO_EVENT = 0, /* no staff ever bound or revoked this card: ask the roster */
	STORE_BADGE_BOUND = 1,    /* bound by staff (out filled, if the roster knows them) */
	STORE_BADGE_REVOKED = 2,  /* revoked: send the holder to the desk, check nothing in */
};
/* What the latest badge event says about uid (any kiosk's, merged). STORE_BADGE_BOUND with an
 * attendee this roster lacks reads as STORE_BADGE_NO_EVENT. Or an error. */
int store_badge_state(store *s, const uint8_t *uid, size_t uid_len, store_attendee *out);
/* Binds the card uid_hex ("04A1B2C3", upper-case hex of 4, 7 or 10 bytes) to attendee_id as
 * a badge event of this kiosk at now; with revoke_others, every other card bound to them is
 * revoked in the same transaction (*revoked gets how many; may be NULL). Durable on return. */
int store_badge_bind(store *s, const char *uid_hex, const char *attendee_id, int revoke_others,
		     int64_t now, int *revoked);
/* Revokes the card uid_hex (its holder attendee_id is noted in the event). */
int store_badge_revoke(store *s, const char *uid_hex, const char *attendee_id, int64_t now);
/* The cards bound to attendee_id now (hex), at most max; returns how many, or an error. */
int store_attendee_badges(store *s, const char *attendee_id, char (*out)[21], int max);

#endif
