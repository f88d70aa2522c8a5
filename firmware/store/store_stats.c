/* Storage: counts for the admin screen and reports. */
#include "store/store_int.h"

#include <string.h>

int store_stats_get(store *s, int64_t day_start, store_stats *out)
{
	sqlite3_stmt *st = store_stmt(s, SLOT_STATS,
		"SELECT (SELECT count(*) FROM checkins),"
		" (SELECT count(*) FROM checkins WHERE checked_in_at >= ?1 AND checked_in_at < ?2),"
		" (SELECT count(DISTINCT attendee_id) FROM checkins"
		"   WHERE checked_in_at >= ?1 AND checked_in_at < ?2),"
		" (SELECT count(*) FROM attendees),"
		" (SELECT count(*) FROM sessions)");
	int rc;
	if (st == NULL)
		return STORE_EIO;
	sqlite3_bind_int64(st, 1, day_start);
	sqlite3_bind_int64(st, 2, day_start + 86400);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		out->checkins_total = sqlite3_column_int64(st, 0);
		out->checkins_today = sqlite3_column_int64(st, 1);
		out->attendees_today = sqlite3_column_int64(st, 2);
		out->attendees_total = sqlite3_column_int64(st, 3);
		out->sessions_total = sqlite3_column_int64(st, 4);
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 0 : store_fail(s, rc, "counting check-ins");
}

int store_checkins_per_hour(store *s, int64_t day_start, int64_t counts[24])
{
	sqlite3_stmt *st = store_stmt(s, SLOT_PER_HOUR,
		"SELECT (checked_in_at - ?1) / 3600, count(*) FROM checkins "
		"WHERE checked_in_at >= ?1 AND checked_in_at < ?1 + 86400 GROUP BY 1");
	int rc;
	if (st == NULL)
		return STORE_EIO;
	memset(counts, 0, 24 * sizeof counts[0]);
	sqlite3_bind_int64(st, 1, day_start);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t h = sqlite3_column_int64(st, 0);
		if (h >= 0 && h < 24)
			counts[h] = sqlite3_column_int64(st, 1);
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : store_fail(s, rc, "counting check-ins per hour");
}
