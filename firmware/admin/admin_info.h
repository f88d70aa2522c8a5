/* What the admin screen shows that is not in the database: the hourly chart's scale, free
 * space on the data partition, and setting the wall clock (a Pi without network or RTC boots
 * with a wrong time). Pure functions and thin system calls, unit-tested without a screen.
 */
#ifndef KITH_ADMIN_INFO_H
#define KITH_ADMIN_INFO_H

#include <stddef.h>
#include <stdint.h>

/* A "nice" top for the chart's axis: the smallest 1/2/5 x 10^k >= the largest count (>= 5). */
int64_t admin_chart_axis(const int64_t counts[24]);
/* Bar height in pixels for count on an axis of axis_max spanning plot_h pixels; a non-zero
 * count is at least 2 px so that one check-in is visible. */
int admin_chart_bar(int64_t count, int64_t axis_max, int plot_h);

/* Free and total bytes of the filesystem holding path (a file or directory); 0 or -errno. */
int admin_free_space(const char *path, uint64_t *free_bytes, uint64_t *total_bytes);
/* "1.2 GB", "850 MB", "12 kB" (decimal units, as on the stick's label). */
void admin_format_bytes(uint64_t bytes, char *out, size_t outsize);

/* "YYYY-MM-DD HH:MM" in the local time zone (TZ) -> UTC epoch; -1 if malformed or not a real
 * local time (2026-02-30, a skipped DST hour). */
int admin_parse_local_time(const char *text, int64_t *out);
/* Sets CLOCK_REALTIME. 0, or -1 with a message for the screen in err (e.g. the kiosk lacks
 * CAP_SYS_TIME). */
int admin_set_wall_clock(int64_t epoch, char *err, size_t errsize);

#endif
