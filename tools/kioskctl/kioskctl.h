/* kioskctl internals: subcommands, the problem list, and the in-memory models that imports
 * parse into before a single byte is written.
 *
 * Every import is two steps: parse + validate into a model (roster, schedule) collecting every
 * problem as "FILE:LINE: what is wrong", then, only if there were none, write the model in one
 * store transaction. The fuzz harnesses drive the first step alone.
 */
#ifndef KIOSKCTL_H
#define KIOSKCTL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "common/log.h"
#include "store/store.h"

/* Exit codes (docs/CONTRACT.md "build/kioskctl"). */
enum { EXIT_OK = 0, EXIT_BADINPUT = 1, EXIT_USAGE = 2 };

/* ---- Subcommands (one file each; main.c dispatches through a table) ------------------- */
int cmd_init(int argc, char **argv);
int cmd_import_roster(int argc, char **argv);
int cmd_import_schedule(int argc, char **argv);
int cmd_demo(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_merge(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_badge_write(int argc, char **argv); /* tools/kioskctl/badge_write.c (NFC) */
int cmd_keys(int argc, char **argv);        /* tools/kioskctl/keys.c */
int cmd_sign(int argc, char **argv);        /* tools/kioskctl/keys.c */
int cmd_verify(int argc, char **argv);      /* tools/kioskctl/keys.c */
int cmd_fleet(int argc, char **argv);       /* tools/kioskctl/fleet.c (live sync, issue 12) */

/* ---- Problems: every one is kept, printed one per line --------------------------------- */
typedef struct diag {
	char **lines; /* "FILE:LINE: message" */
	long *at;     /* LINE of each, for printing in file order */
	size_t n, cap;
} diag;
void diag_add(diag *d, const char *file, long line, const char *fmt, ...) KITH_PRINTF(4, 5);
void diag_print(const diag *d, FILE *f);
void diag_free(diag *d);

/* Reads a whole file into a NUL-terminated buffer (*len excludes the NUL). On failure returns
 * -1 and puts "FILE: reason" into d. */
int file_read_all(const char *path, char **out, size_t *len, diag *d);

/* ---- A set of strings with a value (duplicate detection at 100,000 rows) --------------- */
typedef struct strmap {
	struct strmap_slot *slots;
	size_t cap, n;
} strmap;
/* Returns the value already stored for key, or -1 after inserting key -> value. */
long strmap_put(strmap *m, const char *key, long value);
void strmap_free(strmap *m);

/* ---- RFC 4180 CSV ------------------------------------------------------------------------ */
typedef struct csv_reader {
	const char *p, *end; /* unread input */
	long line;           /* physical line of p (1-based) */
	char *buf;           /* field bytes of the current record, NUL-separated */
	size_t buflen, bufcap;
	size_t *offs;        /* field start offsets into buf */
	size_t *lens;        /* field lengths (a field may hold a NUL byte) */
	char **fields;       /* pointers into buf, valid until the next csv_next */
	size_t nfields, cap;
} csv_reader;

typedef struct csv_record {
	char **fields;
	const size_t *lens; /* bytes in each field: a NUL inside ends the C string early */
	size_t nfields;
	long line; /* physical line where the record starts */
} csv_record;

void csv_init(csv_reader *r, const char *data, size_t len); /* skips a UTF-8 BOM */
/* 1: a record; 0: end of input; -1: a malformed record (err says why, rec->line where it
 * starts); reading may continue after -1 except after an unterminated quote (then 0 follows). */
int csv_next(csv_reader *r, csv_record *rec, char *err, size_t errlen);
void csv_free(csv_reader *r);
/* Index of the first field holding a NUL byte or a C0 control other than TAB, LF and CR, or
 * -1; *cp gets that byte. */
int csv_bad_control(const csv_record *rec, unsigned *cp);
/* Reports the first NUL or control character in rec as "NUL byte in field N (column)", naming
 * the column from names/idx as csv_header_map filled them. Returns -1 after a diagnostic. */
int csv_check_controls(const csv_record *rec, const char *file, const char *const *names,
		       const int *idx, int n, diag *d);
/* Index of the first field of rec that is not valid UTF-8, or -1. */
int csv_bad_utf8(const csv_record *rec);
/* Maps header columns (case-insensitive, trimmed) to indexes: idx[i] = column of names[i],
 * or -1. Returns the column index of the first duplicate header among names, or -1. */
int csv_header_map(const csv_record *hdr, const char *const *names, int n, int *idx);
/* Reads and maps the header row: an empty file, a malformed or non-UTF-8 header, a duplicate
 * column or a missing required one (required[] indexes names) is reported to d with its line.
 * Returns 0 when the rows can be read, -1 after a diagnostic. */
int csv_read_header(csv_reader *rd, const char *file, const char *const *names, int n,
		    const int *required, int nrequired, int *idx, diag *d);

/* Trims ASCII white space in place; returns s. */
char *str_trim(char *s);
/* Splits s on ';' into trimmed, non-empty, de-duplicated, xstrdup'd names. */
size_t split_names(const char *s, char ***out);
void free_names(char **names, size_t n);

/* ---- Roster ------------------------------------------------------------------------------ */
typedef struct roster_entry {
	char *id, *name, *affiliation;
	char **groups;
	size_t ngroups;
	uint8_t uid[10];
	size_t uid_len; /* 0: no badge UID */
	int visible;    /* enum store_visibility */
	long line;
} roster_entry;

typedef struct roster {
	roster_entry *v;
	size_t n, cap;
} roster;

/* Parses and validates; returns the number of problems added to d. */
int roster_parse(roster *r, const char *file, const char *data, size_t len, diag *d);
/* Writes r inside the caller's transaction; problems (e.g. an id already stored) go to d. */
int roster_store(const roster *r, store *s, const char *file, diag *d);
void roster_free(roster *r);
/* Parses "04:A2:..." / "04 a2 ..." / "04A2..." into 4, 7 or 10 bytes; returns the length or -1. */
int uid_parse(const char *s, uint8_t *out);

/* ---- Schedule ---------------------------------------------------------------------------- */
typedef struct sched_session {
	char *id, *title, *track, *room, *speakers;
	char *abstract; /* "" when the file has none */
	char **groups;
	size_t ngroups;
	int64_t start, end; /* UTC epoch seconds */
	long line;
} sched_session;

typedef struct schedule {
	char *conference; /* title, or NULL */
	char *timezone;   /* IANA zone the file declares, or NULL */
	sched_session *v;
	size_t n, cap;
} schedule;

/* Each returns the number of problems added to d. tz: zone for local times without an
 * offset (NULL: the TZ environment / system zone). */
int schedule_parse_csv(schedule *sc, const char *file, const char *data, size_t len,
		       const char *tz, diag *d);
int schedule_parse_xml(schedule *sc, const char *file, const char *data, size_t len,
		       const char *tz, diag *d);
int schedule_parse_json(schedule *sc, const char *file, const char *data, size_t len,
			const char *tz, diag *d);
/* Checks ids are unique and end > start across the parsed sessions. */
int schedule_validate(const schedule *sc, const char *file, diag *d);
sched_session *schedule_add(schedule *sc);

/* One frab/pretalx event (XML or JSON), its fields read by the caller as owned strings ("" when
 * missing). quote_date/quote_start name those fields in messages as the format spells them. */
typedef struct sched_event {
	char *id, *date, *start, *duration, *room, *title, *track, *speakers;
	char *abstract; /* the abstract, else the description; may be NULL */
	const char *quote_date, *quote_start;
} sched_event;
/* Resolves the event's start — its own ISO date is authoritative (pretalx days run past
 * midnight), else the day's date with its start, rolled past midnight when before the day's
 * start — and its duration, then adds it to sc (room defaults to room_name) or reports why
 * not. Takes ownership of every string in ev. */
void schedule_add_event(schedule *sc, sched_event *ev, const char *day_date, int64_t day_start,
			const char *room_name, const char *tz, const char *file, long line, diag *d);
int schedule_store(const schedule *sc, store *s, const char *file, diag *d);
void schedule_free(schedule *sc);

/* ---- Time -------------------------------------------------------------------------------- */
typedef struct civil_time {
	int year, mon, day, hour, min, sec; /* mon 1..12 */
	int has_offset;                      /* the text carried Z or +HH:MM */
	int offset;                          /* seconds east of UTC */
} civil_time;

/* ISO 8601 "YYYY-MM-DD[T| ]HH:MM[:SS][.fff][Z|+HH:MM|+HHMM]"; date_only allows "YYYY-MM-DD".
 * Returns 0 or -1. */
int iso_parse(const char *s, civil_time *out, int date_only);
int64_t civil_to_epoch(const civil_time *c); /* as if UTC, ignoring offsets */
/* The instant: the offset when the text had one, else local time in zone tz. */
int civil_resolve(const civil_time *c, const char *tz, int64_t *out);
int tz_valid(const char *tz);                         /* 1 if a zone we can find */
/* Parses "HH:MM" / "H:MM:SS" / "MM" into seconds; -1 if malformed. */
long duration_parse(const char *s);

#endif
