/* The wall clock and the conference day, in one place for the kiosk and kioskctl.
 *
 * Every reading of the wall time goes through clock_now(). Tests, and only tests, move it with
 * the environment variable KITH_CLOCK (docs/CONTRACT.md "Test clock"):
 *   KITH_CLOCK=2026-03-29T01:30:00Z        start at this instant (UTC) ...
 *   KITH_CLOCK=2026-03-29T03:30:00+02:00   ... or with its UTC offset ...
 *   KITH_CLOCK=@1774747800                 ... or as Unix seconds;
 *   KITH_CLOCK=+3600, KITH_CLOCK=-86400    the real clock shifted by that many seconds.
 * A set instant keeps running (instant + monotonic time since clock_init), so timeouts and
 * repeat windows behave as usual. The production unit file removes KITH_CLOCK.
 *
 * A conference day starts at a local time ("day_starts", default 04:00) in the zone of TZ, not
 * at midnight: after an evening reception, people who checked in at 22:00 are still "here
 * today" at 00:30. Monotonic time for animations stays in util.h's time_mono_ns().
 */
#ifndef KITH_CLOCK_H
#define KITH_CLOCK_H

#include <stddef.h>
#include <stdint.h>

#define CLOCK_DAY_STARTS_DEFAULT (4 * 60) /* minutes after local midnight: 04:00 */

/* Reads KITH_CLOCK. 0 when unset or valid (a set clock is logged as a warning on every start);
 * -1 when malformed, after one error line naming the value and the accepted forms. Call it
 * once at start-up, before any thread starts: the clock is read-only afterwards. */
int clock_init(void);
/* The same for a given value (NULL or "" = the real clock); err gets the message. */
int clock_init_spec(const char *spec, char *err, size_t errsize);
/* 1 when KITH_CLOCK moved the clock. */
int clock_is_set(void);
/* Wall time, Unix seconds: the real clock, or the one KITH_CLOCK set. */
int64_t clock_now(void);

/* Days since 1970-01-01 of a proleptic Gregorian date, and back: pure arithmetic, no zone. */
int64_t clock_days_from_civil(int64_t y, int m, int d);
void clock_civil_from_days(int64_t days, int64_t *y, int *m, int *d);

/* Parses "HH:MM" (00:00..23:59) into minutes after midnight. 0, or -1 if malformed. */
int clock_parse_day_starts(const char *v, int *minutes);
/* The day_starts the kiosk uses (clock_day_start); default CLOCK_DAY_STARTS_DEFAULT. Set once at
 * start-up, before threads. */
void clock_set_day_starts(int minutes);
int clock_day_starts(void);

/* UTC epoch at which the conference day containing t began, local time of TZ, with the day
 * starting day_starts minutes after midnight. DST-safe: a start time that does not exist that
 * night (spring forward) becomes the first instant after the gap; one that exists twice (fall
 * back) is the earlier. */
int64_t clock_day_start_at(int64_t t, int day_starts);
/* clock_day_start_at with the configured day_starts. */
int64_t clock_day_start(int64_t t);
/* The start of the conference day after the one that began at day_start (23, 24 or 25 h on). */
int64_t clock_next_day_start(int64_t day_start);
/* Local midnight at or before t in zone tz (NULL or "": TZ as it is). */
int64_t clock_local_midnight_in(const char *tz, int64_t t);

/* Makes tz (the conference's zone, meta "timezone") the process's local time for good; NULL or
 * "" leaves TZ as it is. Start-up only, before threads (setenv). */
void clock_set_zone(const char *tz);

/* Points TZ at tz for one local-time computation (NULL or "": leave it) and returns the value
 * to hand back to clock_tz_pop(), which restores it. Not thread-safe (setenv): start-up and
 * single-threaded tools only. */
char *clock_tz_push(const char *tz);
void clock_tz_pop(char *saved);

#endif
