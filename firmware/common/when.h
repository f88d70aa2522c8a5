/* Times said plainly: a session's start with its day when it is not today.
 *
 * "09:00" today, "Tomorrow 09:00" on the next date, "Tue 09:00" later in the coming week (or
 * on an earlier day), "Tue 8 Dec 09:00" further away. Days are calendar days in the
 * process's zone (the conference's, clock_set_zone), as people read them, not the conference
 * day of "who is here today" (day_starts): at 23:00 a session at 01:00 is "Tomorrow 01:00",
 * and at 03:59 one at 04:09 is "04:09". Dates never carry strftime's padded %e.
 */
#ifndef KITH_WHEN_H
#define KITH_WHEN_H

#include <stddef.h>
#include <stdint.h>

/* The label for an instant seen at now, as above (English, UTF-8). */
void when_label(char *buf, size_t size, int64_t when, int64_t now);
/* Only the day part: "" for today, "Tomorrow", "Tue" or "Tue 8 Dec". */
void when_day(char *buf, size_t size, int64_t when, int64_t now);
/* A local date without padding: fmt is strftime's, with %e replaced by the unpadded day. */
void when_date(char *buf, size_t size, const char *fmt, int64_t when);

#endif
