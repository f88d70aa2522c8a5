/* Time for the importers: ISO 8601 parsing, and local conference time -> UTC epoch.
 *
 * Schedules state times in the conference's zone (CSV) or with an explicit offset (pretalx
 * `date`). Local time is resolved with the C library's zone database by pointing TZ at the
 * zone for the duration of one mktime()/localtime_r() call and restoring it afterwards;
 * kioskctl is single-threaded, so this is safe here (it would not be in the kiosk). */
#include "kioskctl.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "common/clock.h"
#include "common/util.h"

static int days_in_month(int y, int m)
{
	static const int dm[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return dm[m - 1];
}

/* Reads exactly n digits. */
static int digits(const char **p, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)(*p)[i]))
			return -1;
		v = v * 10 + ((*p)[i] - '0');
	}
	*p += n;
	*out = v;
	return 0;
}

int iso_parse(const char *s, civil_time *c, int date_only)
{
	const char *p = s;
	memset(c, 0, sizeof *c);
	while (*p == ' ')
		p++;
	if (digits(&p, 4, &c->year) || *p++ != '-' || digits(&p, 2, &c->mon) || *p++ != '-' ||
	    digits(&p, 2, &c->day))
		return -1;
	if (c->year < 1970 || c->year > 9999 || c->mon < 1 || c->mon > 12 || c->day < 1 ||
	    c->day > days_in_month(c->year, c->mon))
		return -1;
	if (*p == '\0' || (*p == ' ' && p[strspn(p, " ")] == '\0'))
		return date_only ? 0 : -1;
	if (*p != 'T' && *p != ' ')
		return -1;
	p++;
	if (digits(&p, 2, &c->hour) || *p++ != ':' || digits(&p, 2, &c->min))
		return -1;
	if (*p == ':') {
		p++;
		if (digits(&p, 2, &c->sec))
			return -1;
		if (*p == '.' || *p == ',') {
			p++;
			if (!isdigit((unsigned char)*p))
				return -1;
			while (isdigit((unsigned char)*p))
				p++;
		}
	}
	if (c->hour > 23 || c->min > 59 || c->sec > 59)
		return -1;
	if (*p == 'Z' || *p == 'z') {
		c->has_offset = 1;
		p++;
	} else if (*p == '+' || *p == '-') {
		int sign = *p++ == '-' ? -1 : 1, oh, om = 0;
		if (digits(&p, 2, &oh))
			return -1;
		if (*p == ':')
			p++;
		if (isdigit((unsigned char)*p) && digits(&p, 2, &om))
			return -1;
		if (oh > 18 || om > 59)
			return -1;
		c->has_offset = 1;
		c->offset = sign * (oh * 3600 + om * 60);
	}
	while (*p == ' ')
		p++;
	return *p == '\0' ? 0 : -1;
}

int64_t civil_to_epoch(const civil_time *c)
{
	int64_t days = clock_days_from_civil(c->year, c->mon, c->day);
	return days * 86400 + c->hour * 3600 + c->min * 60 + c->sec;
}

int civil_resolve(const civil_time *c, const char *tz, int64_t *out)
{
	if (c->has_offset) {
		*out = civil_to_epoch(c) - c->offset;
		return 0;
	}
	struct tm tm = { 0 };
	tm.tm_year = c->year - 1900;
	tm.tm_mon = c->mon - 1;
	tm.tm_mday = c->day;
	tm.tm_hour = c->hour;
	tm.tm_min = c->min;
	tm.tm_sec = c->sec;
	tm.tm_isdst = -1;
	char *saved = clock_tz_push(tz);
	time_t t = mktime(&tm);
	clock_tz_pop(saved);
	if (t == (time_t)-1)
		return -1;
	*out = (int64_t)t;
	return 0;
}

int tz_valid(const char *tz)
{
	char path[512];
	struct stat st;
	const char *dir = getenv("TZDIR");

	if (tz == NULL || *tz == '\0' || strlen(tz) > 200)
		return 0;
	if (strcmp(tz, "UTC") == 0 || strcmp(tz, "GMT") == 0)
		return 1;
	if (tz[0] == '/' || strstr(tz, "..") != NULL)
		return 0;
	snprintf(path, sizeof path, "%s/%s", dir ? dir : "/usr/share/zoneinfo", tz);
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

long duration_parse(const char *s)
{
	long part[3];
	int n = 0;
	const char *p = s;

	while (*p == ' ')
		p++;
	for (;;) {
		if (!isdigit((unsigned char)*p) || n == 3)
			return -1;
		long v = 0;
		int len = 0;
		while (isdigit((unsigned char)*p) && len < 6) {
			v = v * 10 + (*p++ - '0');
			len++;
		}
		if (isdigit((unsigned char)*p))
			return -1;
		part[n++] = v;
		if (*p != ':')
			break;
		p++;
	}
	while (*p == ' ')
		p++;
	if (*p != '\0')
		return -1;
	if (n == 1)
		return part[0] * 60; /* bare minutes */
	if (n == 2)
		return part[0] * 3600 + part[1] * 60;
	return part[0] * 3600 + part[1] * 60 + part[2];
}
