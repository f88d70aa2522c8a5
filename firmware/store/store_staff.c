/* Storage for staff mode: the name search, check-ins on someone's behalf, and cards bound or
 * revoked at the desk.
 *
 * The search is FTS5 over attendee_fts (names folded a little further than unicode61 does,
 * kept by store_attendee_put and the conference import through store_staff_index*; see the
 * v2 migration in store_schema.c): every word of the staff member's text becomes a quoted
 * prefix term, so user text is never FTS5 syntax. Rows come in rowid order and stop at the
 * LIMIT, so a one-letter prefix at 100,000 attendees costs the same as a rare one; the few
 * rows are then sorted by name here.
 *
 * Badge events are append-only, keyed (kiosk_id, seq) like check-ins, and travel in the
 * export (export_badges.c). The latest event per card wins (time, then kiosk id, then seq);
 * the trigger badge_events_apply keeps the badges and revoked_badges tables in step with it,
 * and store_badge_state reads the events themselves, so a roster reload that rewrites badges
 * cannot undo what staff did. Statements here are prepared per call (no cached slots): staff
 * actions are rare and a keystroke's search is far from the cost of a prepare.
 */
#include "store/store_int.h"

#include <stdlib.h>
#include <string.h>

#include "common/utf8.h"
#include "common/util.h"

#define SEARCH_WORDS_MAX 8

/* A byte of a word: ASCII letters and digits, and any non-ASCII byte (FTS5's tokenizer
 * splits and folds those itself inside the quotes, which can never be syntax). */
static int word_byte(unsigned char c)
{
	return c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	       (c >= 'A' && c <= 'Z');
}

/* "w1"* "w2"* ... for user text; NULL when it has no word. Caller frees. */
static char *name_query(const char *text)
{
	size_t len = strlen(text);
	char *q = xcalloc(len + 4 * SEARCH_WORDS_MAX + 1, 1), *o = q;
	const unsigned char *p = (const unsigned char *)text;
	int words = 0;

	while (*p && words < SEARCH_WORDS_MAX) {
		while (*p && !word_byte(*p))
			p++;
		if (!*p)
			break;
		const unsigned char *w = p;
		while (*p && word_byte(*p))
			p++;
		if (o != q)
			*o++ = ' ';
		*o++ = '"';
		memcpy(o, w, (size_t)(p - w));
		o += p - w;
		*o++ = '"';
		*o++ = '*';
		words++;
	}
	if (words == 0) {
		free(q);
		return NULL;
	}
	return q;
}

/* Letters unicode61's remove_diacritics leaves alone because Unicode gives them no
 * decomposition, but that people type without their mark: "lukasz" for Łukasz, "soren" for
 * Søren, "ελενη" for Ελένη. Applied to names when indexed and to what staff type. */
static const struct {
	uint32_t from;
	const char *to;
} extra_folds[] = {
	{ 0x00C6, "ae" }, { 0x00E6, "ae" }, { 0x00D0, "d" }, { 0x00F0, "d" }, { 0x00D8, "o" },
	{ 0x00F8, "o" }, { 0x00DE, "th" }, { 0x00FE, "th" }, { 0x00DF, "ss" }, { 0x0110, "d" },
	{ 0x0111, "d" }, { 0x0126, "h" }, { 0x0127, "h" }, { 0x0131, "i" }, { 0x0141, "l" },
	{ 0x0142, "l" }, { 0x0152, "oe" }, { 0x0153, "oe" }, { 0x0386, "α" }, { 0x0388, "ε" },
	{ 0x0389, "η" }, { 0x038A, "ι" }, { 0x038C, "ο" }, { 0x038E, "υ" }, { 0x038F, "ω" },
	{ 0x0390, "ι" }, { 0x03AA, "ι" }, { 0x03AB, "υ" }, { 0x03AC, "α" }, { 0x03AD, "ε" },
	{ 0x03AE, "η" }, { 0x03AF, "ι" }, { 0x03B0, "υ" }, { 0x03C2, "σ" }, { 0x03CA, "ι" },
	{ 0x03CB, "υ" }, { 0x03CC, "ο" }, { 0x03CD, "υ" }, { 0x03CE, "ω" }, { 0x0401, "е" },
	{ 0x0451, "е" },
};

/* text with extra_folds applied (never longer: every letter folded is two bytes and becomes
 * at most two; anything else, malformed bytes too, is copied as it is). Caller frees. */
static char *fold(const char *text)
{
	size_t cap = strlen(text) * 2 + 1, n = 0;
	char *out = xcalloc(cap, 1);
	const char *p = text;
	while (*p) {
		const char *start = p;
		uint32_t c = utf8_next(&p);
		const char *to = NULL;
		for (size_t i = 0; i < ARRAY_LEN(extra_folds) && !to; i++)
			if (extra_folds[i].from == c)
				to = extra_folds[i].to;
		size_t len = to ? strlen(to) : (size_t)(p - start);
		if (n + len + 1 > cap) /* cannot happen: no fold is longer than its letter */
			break;
		memcpy(out + n, to ? to : start, len);
		n += len;
	}
	out[n] = '\0';
	return out;
}

int store_staff_index(store *s, int64_t attendee_rowid, const char *name)
{
	sqlite3_stmt *st = NULL;
	char *key = fold(name ? name : "");
	int rc = sqlite3_prepare_v2(s->db, "INSERT INTO attendee_fts(rowid, name) VALUES (?1, ?2)",
				    -1, &st, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_bind_int64(st, 1, attendee_rowid);
		sqlite3_bind_text(st, 2, key, -1, SQLITE_STATIC);
		rc = sqlite3_step(st);
	}
	sqlite3_finalize(st);
	free(key);
	return rc == SQLITE_DONE ? 0 : store_fail(s, rc, "indexing a name");
}

int store_staff_reindex(store *s)
{
	sqlite3_stmt *st = NULL;
	int rc = store_exec(s, "DELETE FROM attendee_fts", "indexing the names");
	if (rc < 0)
		return rc;
	if ((rc = sqlite3_prepare_v2(s->db, "SELECT id, name FROM attendees", -1, &st, NULL)) !=
	    SQLITE_OK)
		return store_fail(s, rc, "indexing the names");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(st, 1);
		if (store_staff_index(s, sqlite3_column_int64(st, 0), name) < 0) {
			sqlite3_finalize(st);
			return STORE_EIO;
		}
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : store_fail(s, rc, "indexing the names");
}

static int by_name(const void *a, const void *b)
{
	const store_attendee *x = a, *y = b;
	int c = strcmp(x->name, y->name);
	return c ? c : strcmp(x->id, y->id);
}

int store_attendee_search(store *s, const char *text, store_attendee *out, int max)
{
	sqlite3_stmt *st = NULL;
	char *q;
	int n = 0, rc;

	if (max <= 0 || text == NULL || !utf8_valid(text, strlen(text)))
		return 0;
	char *folded = fold(text);
	q = name_query(folded);
	free(folded);
	if (q == NULL)
		return 0;
	rc = sqlite3_prepare_v2(s->db,
		"SELECT a.attendee_id, a.name, a.affiliation, a.visible FROM attendees a "
		"JOIN (SELECT rowid AS id FROM attendee_fts WHERE attendee_fts MATCH ?1 "
		"      ORDER BY rowid LIMIT ?2) f ON f.id = a.id", -1, &st, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_bind_text(st, 1, q, -1, SQLITE_STATIC);
		sqlite3_bind_int(st, 2, max);
		while (n < max && (rc = sqlite3_step(st)) == SQLITE_ROW) {
			store_col_text(st, 0, out[n].id, sizeof out[n].id);
			store_col_text(st, 1, out[n].name, sizeof out[n].name);
			store_col_text(st, 2, out[n].affiliation, sizeof out[n].affiliation);
			out[n].visible = sqlite3_column_int(st, 3);
			n++;
		}
		if (rc == SQLITE_DONE || rc == SQLITE_ROW)
			rc = SQLITE_OK;
	}
	sqlite3_finalize(st);
	free(q);
	if (rc != SQLITE_OK)
		return store_fail(s, rc, "searching names");
	qsort(out, (size_t)n, sizeof *out, by_name);
	return n;
}

int store_staff_checkin(store *s, const char *attendee_id, int64_t now, int64_t day_start,
			store_tap *out)
{
	int rc, outer;
	store_tap tap;

	if ((rc = store_tx_begin(s, &outer)) < 0)
		return rc;
	if ((rc = store_checkin_record(s, attendee_id, now, day_start, &tap)) < 0)
		goto fail;
	if (!tap.repeat) {
		sqlite3_stmt *st = NULL;
		rc = sqlite3_prepare_v2(s->db, "INSERT INTO staff_checkins(kiosk_id, seq) VALUES (?1, ?2)",
					-1, &st, NULL);
		if (rc == SQLITE_OK) {
			sqlite3_bind_text(st, 1, s->kiosk_id, -1, SQLITE_STATIC);
			sqlite3_bind_int64(st, 2, tap.seq);
			rc = sqlite3_step(st);
		}
		sqlite3_finalize(st);
		if (rc != SQLITE_DONE) {
			rc = store_fail(s, rc, "marking a staff check-in");
			goto fail;
		}
	}
	if ((rc = store_tx_end(s, outer, 1)) < 0)
		return rc;
	*out = tap;
	return 0;
fail:
	store_tx_end(s, outer, 0);
	return rc;
}

int store_checkin_is_staff(store *s, const char *kiosk_id, int64_t seq)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(s->db, "SELECT 1 FROM staff_checkins WHERE kiosk_id = ?1 AND "
				    "seq = ?2", -1, &st, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_bind_text(st, 1, kiosk_id ? kiosk_id : "", -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, seq);
		rc = sqlite3_step(st);
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_ROW)
		return 1;
	return rc == SQLITE_DONE ? 0 : store_fail(s, rc, "reading staff check-ins");
}

int store_badge_state(store *s, const uint8_t *uid, size_t uid_len, store_attendee *out)
{
	sqlite3_stmt *st = NULL;
	char hex[21];
	int rc, state = STORE_BADGE_NO_EVENT;

	if (uid == NULL || uid_len == 0 || store_uid_hex(s, uid, uid_len, hex) < 0)
		return 0;
	rc = sqlite3_prepare_v2(s->db,
		"SELECT e.action, a.attendee_id, a.name, a.affiliation, a.visible "
		"FROM (SELECT action, attendee_id FROM badge_events WHERE uid = ?1 "
		"      ORDER BY at DESC, kiosk_id DESC, seq DESC LIMIT 1) e "
		"LEFT JOIN attendees a ON a.attendee_id = e.attendee_id", -1, &st, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_bind_text(st, 1, hex, -1, SQLITE_STATIC);
		rc = sqlite3_step(st);
	}
	if (rc == SQLITE_ROW) {
		const char *action = (const char *)sqlite3_column_text(st, 0);
		if (action && strcmp(action, "revoke") == 0) {
			state = STORE_BADGE_REVOKED;
		} else if (sqlite3_column_type(st, 1) != SQLITE_NULL) {
			state = STORE_BADGE_BOUND;
			store_col_text(st, 1, out->id, sizeof out->id);
			store_col_text(st, 2, out->name, sizeof out->name);
			store_col_text(st, 3, out->affiliation, sizeof out->affiliation);
			out->visible = sqlite3_column_int(st, 4);
		}
		rc = SQLITE_DONE;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? state : store_fail(s, rc, "reading badge events");
}

/* "04A1B2C3": upper-case hex of a 4-, 7- or 10-byte UID. */
static int uid_hex_ok(const char *h)
{
	size_t n = h ? strlen(h) : 0;
	if (n != 8 && n != 14 && n != 20)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((h[i] >= '0' && h[i] <= '9') || (h[i] >= 'A' && h[i] <= 'F')))
			return 0;
	return 1;
}

/* One badge event of this kiosk, numbered after its last, inside the caller's transaction. */
static int add_event(store *s, const char *uid_hex, const char *action, const char *attendee_id,
		     int64_t now)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(s->db,
		"INSERT INTO badge_events(kiosk_id, seq, uid, action, attendee_id, at) "
		"SELECT ?1, coalesce(max(seq), 0) + 1, ?2, ?3, ?4, ?5 FROM badge_events "
		"WHERE kiosk_id = ?1", -1, &st, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_bind_text(st, 1, s->kiosk_id, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, uid_hex, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, action, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, attendee_id, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 5, now);
		rc = sqlite3_step(st);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : store_fail(s, rc, "recording a badge event");
}

/* The checks every badge event needs: a kiosk id, a sane clock, a well-formed UID and a
 * known attendee. */
static int event_ok(store *s, const char *uid_hex, const char *attendee_id, int64_t now)
{
	int64_t who;
	if (s->kiosk_id[0] == '\0')
		return store_einval(s, "this kiosk has no id yet (store_kiosk_set)");
	if (!uid_hex_ok(uid_hex))
		return store_einval(s, "a badge UID is 8, 14 or 20 upper-case hex digits");
	if (now < STORE_ISO_MIN || now > STORE_ISO_MAX)
		return store_einval(s, "the clock reads an impossible time (%lld)", (long long)now);
	if ((who = store_attendee_known(s, attendee_id)) < 0)
		return (int)who;
	return 0;
}

int store_badge_bind(store *s, const char *uid_hex, const char *attendee_id, int revoke_others,
		     int64_t now, int *revoked)
{
	char old[16][21];
	int rc, outer, n = 0;

	if (revoked)
		*revoked = 0;
	if ((rc = event_ok(s, uid_hex, attendee_id, now)) < 0)
		return rc;
	if ((rc = store_tx_begin(s, &outer)) < 0)
		return rc;
	if (revoke_others && (n = store_attendee_badges(s, attendee_id, old, 16)) < 0) {
		rc = n;
		goto fail;
	}
	for (int i = 0; i < n; i++) {
		if (strcmp(old[i], uid_hex) == 0)
			continue;
		if ((rc = add_event(s, old[i], "revoke", attendee_id, now)) < 0)
			goto fail;
		if (revoked)
			(*revoked)++;
	}
	if ((rc = add_event(s, uid_hex, "bind", attendee_id, now)) < 0)
		goto fail;
	return store_tx_end(s, outer, 1);
fail:
	store_tx_end(s, outer, 0);
	return rc;
}

int store_badge_revoke(store *s, const char *uid_hex, const char *attendee_id, int64_t now)
{
	int rc, outer;
	if ((rc = event_ok(s, uid_hex, attendee_id, now)) < 0)
		return rc;
	if ((rc = store_tx_begin(s, &outer)) < 0)
		return rc;
	if ((rc = add_event(s, uid_hex, "revoke", attendee_id, now)) < 0) {
		store_tx_end(s, outer, 0);
		return rc;
	}
	return store_tx_end(s, outer, 1);
}

int store_attendee_badges(store *s, const char *attendee_id, char (*out)[21], int max)
{
	sqlite3_stmt *st = NULL;
	int n = 0;
	int rc = sqlite3_prepare_v2(s->db,
		"SELECT b.uid FROM badges b JOIN attendees a ON a.id = b.attendee "
		"WHERE a.attendee_id = ?1 ORDER BY b.uid", -1, &st, NULL);
	if (rc == SQLITE_OK)
		sqlite3_bind_text(st, 1, attendee_id ? attendee_id : "", -1, SQLITE_STATIC);
	while (rc == SQLITE_OK && n < max && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		store_col_text(st, 0, out[n], 21);
		n++;
		rc = SQLITE_OK;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_OK && rc != SQLITE_DONE)
		return store_fail(s, rc, "reading an attendee's badges");
	return n;
}
