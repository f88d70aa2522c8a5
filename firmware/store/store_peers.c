/* Storage: another kiosk as seen through its merged check-ins; see store_peers.h. Called every
 * few seconds by the LAN sync thread, so both reads are index lookups: kiosks by its key, the
 * newest check-in by the (kiosk_id, seq) primary key. */
#include "store/store_peers.h"
#include "store/store_int.h"

#include <string.h>

int store_peer_info_get(store *s, const char *kiosk_id, store_peer_info *out)
{
	static const char sql[] =
		"SELECT (SELECT location FROM kiosks WHERE kiosk_id = ?1),"
		" c.seq, c.checked_in_at FROM (SELECT 1) LEFT JOIN"
		" (SELECT seq, checked_in_at FROM checkins WHERE kiosk_id = ?1"
		"  ORDER BY seq DESC LIMIT 1) c";
	sqlite3_stmt *st = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = sqlite3_prepare_v2(store_db(s), sql, -1, &st, NULL);
	if (rc != SQLITE_OK)
		return store_fail(s, rc, "reading a peer kiosk");
	sqlite3_bind_text(st, 1, kiosk_id, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		store_col_text(st, 0, out->location, sizeof(out->location));
		out->last_seq = sqlite3_column_int64(st, 1);
		out->last_at = sqlite3_column_int64(st, 2);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : store_fail(s, rc, "reading a peer kiosk");
}
