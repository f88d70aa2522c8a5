/* The wall clock (real, or set by KITH_CLOCK for tests) and conference-day arithmetic.
 * See clock.h for the rules; start reading at clock_init_spec() and clock_day_start_at().
 *
 * The clock's settings are process state like TZ itself: written once by clock_init() and
 * clock_set_day_starts() before any thread starts, read-only afterwards, so clock_now() needs
 * no lock. That is why they are a file-static here rather than a handle passed to the log,
 * the worker, the screens and every kioskctl command that reads the time.
 */
#include "common/clock.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/log.h"
#include "common/util.h"

#define CLOCK_ACCEPTED                                                                           \
	"accepted: YYYY-MM-DDTHH:MM:SSZ, YYYY-MM-DDTHH:MM:SS+HH:MM (or -HH:MM), @UNIX_SECONDS, " \
	"+SECONDS or -SECONDS"

enum clock_mode { CLOCK_REAL, CLOCK_FROM, CLOCK_SHIFT };

static struct {
	enum clock_mode mode; /* how clock_now() answers */
	int64_t base;         /* CLOCK_FROM: the instant set; CLOCK_SHIFT: seconds added */
	uint64_t mono0;       /* CLOCK_FROM: time_mono_ns() when it was set */
	int day_starts;       /* minutes after local midnight; -1 until set (= default) */
} state = { CLOCK_REAL, 0, 0, -1 };

int64_t clock_days_from_civil(int64_t y, int m, int d)
{
	y -= m <= 2; /* H. Hinnant's days_from_civil */
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void clock_civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
	z += 719468; /* H. Hinnant's civil_from_days */
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

static int month_days(int y, int m)
{
	static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return m == 2 && leap ? 29 : days[m - 1];
}

/* n decimal digits at *p into *out; advances *p. */
static int digits(const char **p, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if ((*p)[i] < '0' || (*p)[i] > '9')
			return -1;
		v = v * 10 + ((*p)[i] - '0');
	}
	*p += n;
	*out = v;
	return 0;
}

static int lit(const char **p, char c)
{
	if (**p != c)
		return -1;
	(*p)++;
	return 0;
}

/* "YYYY-MM-DDTHH:MM:SS" then "Z" or "+HH:MM"/"-HH:MM", nothing after. */
static int parse_iso(const char *s, int64_t *out)
{
	int y, mo, d, h, mi, sec, oh = 0, om = 0, sign = 0;
	const char *p = s;
	if (digits(&p, 4, &y) || lit(&p, '-') || digits(&p, 2, &mo) || lit(&p, '-') ||
	    digits(&p, 2, &d) || lit(&p, 'T') || digits(&p, 2, &h) || lit(&p, ':') ||
	    digits(&p, 2, &mi) || lit(&p, ':') || digits(&p, 2, &sec))
		return -1;
	if (*p == 'Z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		sign = *p++ == '-' ? -1 : 1;
		if (digits(&p, 2, &oh) || lit(&p, ':') || digits(&p, 2, &om) || oh > 14 || om > 59)
			return -1;
	} else {
		return -1;
	}
	if (*p != '\0' || y < 1970 || mo < 1 || mo > 12 || d < 1 || d > month_days(y, mo) ||
	    h > 23 || mi > 59 || sec > 59)
		return -1;
	*out = clock_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec -
	       sign * (oh * 3600 + om * 60);
	return 0;
}

/* Decimal seconds after a sign or '@', bounded to +-2^40 (tens of thousands of years). */
static int parse_seconds(const char *s, int64_t *out)
{
	char *end;
	long long v;
	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || *end != '\0' || v > (1LL << 40))
		return -1;
	*out = (int64_t)v;
	return 0;
}

int clock_init_spec(const char *spec, char *err, size_t errsize)
{
	int64_t v;
	state.mode = CLOCK_REAL;
	if (spec == NULL || *spec == '\0')
		return 0;
	if ((spec[0] == '+' || spec[0] == '-') && parse_seconds(spec + 1, &v) == 0) {
		state.mode = CLOCK_SHIFT;
		state.base = spec[0] == '-' ? -v : v;
		return 0;
	}
	if ((spec[0] == '@' && parse_seconds(spec + 1, &v) == 0) || parse_iso(spec, &v) == 0) {
		state.mode = CLOCK_FROM;
		state.base = v;
		state.mono0 = time_mono_ns();
		return 0;
	}
	snprintf(err, errsize, "KITH_CLOCK='%s' is not a time (%s)", spec, CLOCK_ACCEPTED);
	return -1;
}

int clock_init(void)
{
	const char *spec = getenv("KITH_CLOCK");
	char err[512];
	if (clock_init_spec(spec, err, sizeof err) != 0) {
		log_error("%s", err);
		return -1;
	}
	if (state.mode != CLOCK_REAL) {
		/* Loud on purpose: a kiosk on a set clock files check-ins under the wrong day. */
		char when[32];
		time_t now = (time_t)clock_now();
		struct tm tm;
		gmtime_r(&now, &tm);
		strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
		log_warn("clock: KITH_CLOCK=%s: the clock is SET FOR TESTING and reads %s, not the "
			 "real time (never set it on a kiosk)", spec, when);
	}
	return 0;
}

int clock_is_set(void)
{
	return state.mode != CLOCK_REAL;
}

int64_t clock_now(void)
{
	switch (state.mode) {
	case CLOCK_FROM:
		return state.base + (int64_t)((time_mono_ns() - state.mono0) / 1000000000ULL);
	case CLOCK_SHIFT:
		return (int64_t)time(NULL) + state.base;
	case CLOCK_REAL:
		break;
	}
	return (int64_t)time(NULL);
}

int clock_parse_day_starts(const char *v, int *minutes)
{
	int h, m;
	const char *p = v;
	if (v == NULL || digits(&p, 2, &h) || lit(&p, ':') || digits(&p, 2, &m) || *p != '\0' ||
	    h > 23 || m > 59)
		return -1;
	*minutes = h * 60 + m;
	return 0;
}

void clock_set_day_starts(int minutes)
{
	state.day_starts = minutes;
}

int clock_day_starts(void)
{
	return state.day_starts < 0 ? CLOCK_DAY_STARTS_DEFAULT : state.day_starts;
}

/* Local wall time as one comparable number: minutes since a fixed origin. */
static int64_t wall_key(const struct tm *tm)
{
	int64_t days = clock_days_from_civil(tm->tm_year + 1900, tm->tm_mon + 1, tm->tm_mday);
	return (days * 24 + tm->tm_hour) * 60 + tm->tm_min;
}

/* mktime of that date and wall time read as standard (isdst 0) or summer (1) time; 0 and the
 * instant if that reading really is that local time. */
static int resolve_as(const struct tm *date, int minutes, int isdst, int64_t *out)
{
	struct tm tm = *date, back;
	tm.tm_hour = minutes / 60;
	tm.tm_min = minutes % 60;
	tm.tm_sec = 0;
	tm.tm_isdst = isdst;
	time_t r = mktime(&tm);
	if (r == (time_t)-1 || localtime_r(&r, &back) == NULL)
		return -1;
	if (back.tm_isdst != isdst || back.tm_year != date->tm_year || back.tm_mon != date->tm_mon ||
	    back.tm_mday != date->tm_mday || back.tm_hour != minutes / 60 || back.tm_min != minutes % 60)
		return -1;
	*out = (int64_t)r;
	return 0;
}

/* The instant the wall clock of that date first reads minutes after midnight (or later). */
static int64_t resolve(const struct tm *date, int minutes)
{
	int64_t a, b;
	int has_a = resolve_as(date, minutes, 0, &a) == 0, has_b = resolve_as(date, minutes, 1, &b) == 0;
	if (has_a && has_b)
		return a < b ? a : b; /* fall back: the wall time happens twice, take the first */
	if (has_a || has_b)
		return has_a ? a : b;
	/* A DST gap: the first second whose wall time is at or after the wanted one. The gap lies
	 * within a few hours of the naive UTC reading; bisect over that range. */
	struct tm want = *date, tm;
	want.tm_hour = minutes / 60;
	want.tm_min = minutes % 60;
	int64_t key = wall_key(&want);
	int64_t day = clock_days_from_civil(date->tm_year + 1900, date->tm_mon + 1, date->tm_mday);
	int64_t lo = day * 86400 + minutes * 60 - 16 * 3600;
	int64_t hi = lo + 32 * 3600;
	while (hi - lo > 1) {
		int64_t mid = lo + (hi - lo) / 2;
		time_t tt = (time_t)mid;
		localtime_r(&tt, &tm);
		if (wall_key(&tm) >= key)
			hi = mid;
		else
			lo = mid;
	}
	return hi;
}

int64_t clock_day_start_at(int64_t t, int day_starts)
{
	time_t tt = (time_t)t;
	struct tm date;
	localtime_r(&tt, &date);
	int64_t start = resolve(&date, day_starts);
	if (start <= t)
		return start;
	/* Before today's start time: the conference day began on the previous calendar date. */
	date.tm_mday -= 1;
	date.tm_hour = 12;
	date.tm_min = date.tm_sec = 0;
	date.tm_isdst = -1;
	tt = mktime(&date);
	localtime_r(&tt, &date);
	return resolve(&date, day_starts);
}

int64_t clock_day_start(int64_t t)
{
	return clock_day_start_at(t, clock_day_starts());
}

int64_t clock_next_day_start(int64_t day_start)
{
	/* +26 h lands inside the next day whether this one has 23, 24 or 25 hours. */
	return clock_day_start(day_start + 26 * 3600);
}

int64_t clock_local_midnight_in(const char *tz, int64_t t)
{
	char *saved = clock_tz_push(tz);
	int64_t m = clock_day_start_at(t, 0);
	clock_tz_pop(saved);
	return m;
}

char *clock_tz_push(const char *tz)
{
	const char *old = getenv("TZ");
	char *saved = old ? xstrdup(old) : NULL;
	if (tz != NULL && *tz != '\0')
		setenv("TZ", tz, 1);
	tzset();
	return saved;
}

void clock_tz_pop(char *saved)
{
	if (saved != NULL)
		setenv("TZ", saved, 1);
	else
		unsetenv("TZ");
	tzset();
	free(saved);
}

void clock_set_zone(const char *tz)
{
	if (tz != NULL && tz[0] != '\0')
		setenv("TZ", tz, 1);
	tzset();
}
