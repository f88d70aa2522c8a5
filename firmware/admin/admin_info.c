/* Helpers behind the admin screen: chart scale, free space (statvfs), local time parsing and
 * setting the wall clock (clock_settime, which needs CAP_SYS_TIME; the systemd unit grants
 * it, a desktop run does not, and the screen says so rather than pretending). */
#include "admin/admin_info.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/statvfs.h>
#include <time.h>

int64_t admin_chart_axis(const int64_t counts[24])
{
	int64_t max = 0;
	for (int h = 0; h < 24; h++)
		if (counts[h] > max)
			max = counts[h];
	if (max <= 5)
		return 5;
	for (int64_t p = 1; p <= INT64_MAX / 10; p *= 10) {
		if (max <= p)
			return p;
		if (max <= 2 * p)
			return 2 * p;
		if (max <= 5 * p)
			return 5 * p;
	}
	return max;
}

int admin_chart_bar(int64_t count, int64_t axis_max, int plot_h)
{
	if (count <= 0 || axis_max <= 0 || plot_h <= 0)
		return 0;
	if (count >= axis_max)
		return plot_h;
	int h = (int)((count * plot_h + axis_max / 2) / axis_max);
	return h < 2 ? 2 : h;
}

int admin_free_space(const char *path, uint64_t *free_bytes, uint64_t *total_bytes)
{
	struct statvfs st;
	if (statvfs(path, &st) != 0)
		return -errno;
	*free_bytes = (uint64_t)st.f_bavail * st.f_frsize;
	*total_bytes = (uint64_t)st.f_blocks * st.f_frsize;
	return 0;
}

void admin_format_bytes(uint64_t bytes, char *out, size_t outsize)
{
	const char *unit[] = { "bytes", "kB", "MB", "GB", "TB" };
	double v = (double)bytes;
	int u = 0;
	while (v >= 1000 && u < 4) {
		v /= 1000;
		u++;
	}
	if (u == 0)
		snprintf(out, outsize, "%llu bytes", (unsigned long long)bytes);
	else if (v < 10)
		snprintf(out, outsize, "%.1f %s", v, unit[u]);
	else
		snprintf(out, outsize, "%.0f %s", v, unit[u]);
}

int admin_parse_local_time(const char *text, int64_t *out)
{
	int y, mo, d, h, mi, used = 0;
	if (text == NULL || sscanf(text, "%4d-%2d-%2d %2d:%2d%n", &y, &mo, &d, &h, &mi, &used) != 5 ||
	    text[used] != '\0')
		return -1;
	if (y < 2020 || y > 2100 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 ||
	    h < 0 || mi < 0)
		return -1;
	struct tm tm = { .tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d, .tm_hour = h,
			 .tm_min = mi, .tm_isdst = -1 };
	time_t t = mktime(&tm);
	/* mktime normalises 02-30 to 03-02 and a skipped DST hour to the next: refuse both. */
	if (t == (time_t)-1 || tm.tm_year != y - 1900 || tm.tm_mon != mo - 1 || tm.tm_mday != d ||
	    tm.tm_hour != h || tm.tm_min != mi)
		return -1;
	*out = (int64_t)t;
	return 0;
}

int admin_set_wall_clock(int64_t epoch, char *err, size_t errsize)
{
	struct timespec ts = { .tv_sec = (time_t)epoch, .tv_nsec = 0 };
	if (clock_settime(CLOCK_REALTIME, &ts) == 0)
		return 0;
	if (errno == EPERM)
		snprintf(err, errsize, "Not allowed to set the clock: the kiosk is running without "
				       "CAP_SYS_TIME (kith-kiosk.service grants it)");
	else
		snprintf(err, errsize, "Could not set the clock: %s", strerror(errno));
	return -1;
}
