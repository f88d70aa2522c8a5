/* Turns a kiosk database back into schema version 1 (as wave 1 left it), for the tests that
 * check a v1 file migrates: every object a later migration added is dropped here, in one
 * place, so a new migration needs one more line here, not one more copy in each test. */
#ifndef KITH_TEST_SCHEMA_V1_H
#define KITH_TEST_SCHEMA_V1_H

#include <sqlite3.h>

#define SCHEMA_V1_SQL                                                                     \
	/* v2: the exchange */                                                             \
	"DROP TRIGGER IF EXISTS attendees_consent; DROP TABLE IF EXISTS consent;"          \
	"DROP TABLE IF EXISTS exchange_seen; DROP TABLE IF EXISTS exchange_files;"         \
	/* v3: staff mode */                                                               \
	"DROP TABLE IF EXISTS attendee_fts; DROP TRIGGER IF EXISTS badge_events_apply;"    \
	"DROP TABLE IF EXISTS badge_events; DROP TABLE IF EXISTS revoked_badges;"          \
	"DROP TABLE IF EXISTS staff_checkins;"                                             \
	/* v4: session abstracts */                                                        \
	"ALTER TABLE sessions DROP COLUMN abstract;"                                       \
	"PRAGMA user_version = 1;"

static inline int schema_downgrade_to_v1(sqlite3 *db)
{
	return sqlite3_exec(db, SCHEMA_V1_SQL, NULL, NULL, NULL);
}

#endif
