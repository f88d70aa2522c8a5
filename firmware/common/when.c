/* Day labels for session times (when.h): which calendar day an instant falls on, compared
 * with now's, and a short name for it. */
#include "common/when.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "common/clock.h"

void when_date(char *buf, size_t size, const char *fmt, int64_t when)
{
	/* strftime's %e pads with a space ("Tue  1 Dec"); %-d is glibc's only. Expand %e here. */
	char f[96], day[4];
	size_t o = 0;
	time_t t = (time_t)when;
	struct tm tm;

	localtime_r(&t, &tm);
	snprintf(day, sizeof day, "%d", tm.tm_mday);
	for (const char *p = fmt; *p && o + 3 < sizeof f; p++) {
		if (p[0] == '%' && p[1] == 'e') {
			for (const char *d = day; *d && o + 1 < sizeof f; d++)
				f[o++] = *d;
			p++;
		} else {
			f[o++] = *p;
		}
	}
	f[o] = '\0';
	if (size == 0)
		return;
	/* f is fmt with digits in place of %e: the callers' literals, so nothing to check. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	if (strftime(buf, size, f, &tm) == 0)
		buf[0] = '\0';
#pragma GCC diagnostic pop
}

void when_day(char *buf, size_t size, int64_t when, int64_t now)
{
	/* Calendar days, not conference days: a person reads "Tomorrow" by the date. At 23:00 a
	 * bare "01:00" looks gone by; at 03:59 "Tomorrow 04:09" would be plain wrong. */
	int64_t today = clock_day_start_at(now, 0);
	int64_t tomorrow = clock_day_start_at(today + 36 * 3600, 0); /* 23, 24 or 25 h on */
	int64_t day = clock_day_start_at(when, 0);

	if (size == 0)
		return;
	buf[0] = '\0';
	if (day == today)
		return;
	if (day == tomorrow) {
		snprintf(buf, size, "Tomorrow");
		return;
	}
	/* A week on (or a day gone by) a weekday alone is ambiguous: add the date. */
	if (day > today && day - today < 6 * 86400 + 3600)
		when_date(buf, size, "%a", day);
	else
		when_date(buf, size, "%a %e %b", day);
}

void when_label(char *buf, size_t size, int64_t when, int64_t now)
{
	char day[32], hm[8];
	time_t t = (time_t)when;
	struct tm tm;

	if (size == 0)
		return;
	localtime_r(&t, &tm);
	snprintf(hm, sizeof hm, "%02d:%02d", tm.tm_hour, tm.tm_min);
	when_day(day, sizeof day, when, now);
	if (day[0])
		snprintf(buf, size, "%s %s", day, hm);
	else
		snprintf(buf, size, "%s", hm);
}
