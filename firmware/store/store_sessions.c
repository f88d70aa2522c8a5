/* Storage: rooms, tracks, sessions and session search.
 *
 * Search is FTS5 (unicode61, diacritics folded, so "muller" finds "Müller") over a copy of
 * each session's title, track, speakers and room. CJK scripts have no spaces between words,
 * so store_fts_segment spaces every Han/kana character apart on the way in, and the search
 * text gets the same treatment: "图书馆" becomes the phrase "图 书 馆" and finds "图书馆的未来".
 * User text is never handed to FTS5 as syntax: fts_query keeps only word characters and
 * wraps every word in double quotes as a prefix term ("word"*), so quotes, stars, NEAR(,
 * minus signs and brackets are just separators.
 */
#include "store/store_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/utf8.h"
#include "common/util.h"

#define SEARCH_TERMS_MAX 16 /* words of user text used; the rest is ignored */

/* The character at p (common/utf8's reading, malformed bytes one at a time); returns its
 * length (>= 1). */
static size_t char_at(const unsigned char *p, uint32_t *cp)
{
	const char *e = (const char *)p;
	*cp = utf8_next(&e);
	return (size_t)(e - (const char *)p);
}

/* Characters FTS5's unicode61 tokenizer leaves unsegmented because their scripts put no
 * spaces between words: Han and kana. Not Hangul: Korean spaces its words, so the tokenizer
 * already makes words of it, and splitting it here would stop indexes built before from
 * matching (common/utf8's utf8_is_wide, for line breaking, is a different question). */
static int fts_splits_char(uint32_t c)
{
	return (c >= 0x3040 && c <= 0x30FF) ||   /* hiragana, katakana */
	       (c >= 0x31F0 && c <= 0x31FF) ||   /* katakana extensions */
	       (c >= 0x3400 && c <= 0x4DBF) ||   /* CJK extension A */
	       (c >= 0x4E00 && c <= 0x9FFF) ||   /* CJK unified ideographs */
	       (c >= 0xF900 && c <= 0xFAFF) ||   /* compatibility ideographs */
	       (c >= 0xFF66 && c <= 0xFF9F) ||   /* half-width katakana */
	       (c >= 0x20000 && c <= 0x3134F);   /* extensions B..G */
}

char *store_fts_segment(const char *text)
{
	const unsigned char *p = (const unsigned char *)(text ? text : "");
	size_t len = strlen((const char *)p);
	char *out = xcalloc(len * 3 + 1, 1), *o = out;

	while (*p) {
		uint32_t c;
		size_t n = char_at(p, &c);
		if (fts_splits_char(c))
			*o++ = ' ';
		memcpy(o, p, n);
		o += n;
		if (fts_splits_char(c))
			*o++ = ' ';
		p += n;
	}
	*o = '\0';
	return out;
}

/* A word byte for the query splitter: ASCII letters and digits, and any non-ASCII byte (FTS5
 * folds and splits those itself inside the quotes, which can never be syntax). */
static int word_byte(unsigned char c)
{
	return c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	       (c >= 'A' && c <= 'Z');
}

/* FTS5 query for user text: "w1"* "w2"* ... with runs of CJK characters as one phrase.
 * Returns NULL when the text has no word in it. Caller frees. */
static char *fts_query(const char *user)
{
	char *seg = store_fts_segment(user);
	size_t len = strlen(seg);
	char *q = xcalloc(len * 2 + 8 * SEARCH_TERMS_MAX + 1, 1), *o = q;
	const unsigned char *p = (const unsigned char *)seg;
	int terms = 0, in_cjk = 0;

	while (*p && terms < SEARCH_TERMS_MAX) {
		uint32_t c;
		while (*p && !word_byte(*p))
			p++;
		if (!*p)
			break;
		const unsigned char *w = p;
		while (*p && word_byte(*p))
			p++;
		if ((size_t)(p - w) == char_at(w, &c) && fts_splits_char(c)) {
			/* One CJK character: extend the open phrase or start one. */
			if (in_cjk) {
				o[-1] = ' ';
			} else {
				if (o != q)
					*o++ = ' ';
				*o++ = '"';
				terms++;
			}
			memcpy(o, w, (size_t)(p - w));
			o += p - w;
			*o++ = '"';
			in_cjk = 1;
			continue;
		}
		in_cjk = 0;
		if (o != q)
			*o++ = ' ';
		*o++ = '"';
		memcpy(o, w, (size_t)(p - w));
		o += p - w;
		*o++ = '"';
		*o++ = '*';
		terms++;
	}
	*o = '\0';
	free(seg);
	if (terms == 0) {
		free(q);
		return NULL;
	}
	return q;
}

/* ---- Data in -------------------------------------------------------------------------- */

int store_room_put(store *s, const store_room_in *r)
{
	int rc;
	if (r == NULL)
		return store_einval(s, "no room given");
	if ((rc = store_text_ok(s, "room name", r->name, 1)) < 0 ||
	    (rc = store_text_ok(s, "floor name", r->floor_name, 0)) < 0 ||
	    (rc = store_text_ok(s, "area", r->area, 0)) < 0 ||
	    (rc = store_text_ok(s, "polygon", r->polygon, 0)) < 0)
		return rc;
	if (r->polygon && strlen(r->polygon) >= STORE_POLYGON_MAX)
		return store_einval(s, "outline of room %s is longer than %d characters", r->name,
				    STORE_POLYGON_MAX - 1);
	return store_write(s, SLOT_ROOM_PUT,
		"INSERT INTO rooms(name, floor, floor_name, area, polygon) VALUES (?1,?2,?3,?4,?5) "
		"ON CONFLICT(name) DO UPDATE SET floor = excluded.floor, "
		"floor_name = excluded.floor_name, area = excluded.area, polygon = excluded.polygon",
		"saving a room", "tittt", r->name, r->floor, r->floor_name, r->area, r->polygon);
}

int store_session_put(store *s, const store_session_in *in)
{
	int rc, outer;
	int64_t id = 0;
	char *seg[4] = { NULL, NULL, NULL, NULL };

	if (in == NULL)
		return store_einval(s, "no session given");
	if ((rc = store_text_ok(s, "session_id", in->id, 1)) < 0 ||
	    (rc = store_text_ok(s, "title", in->title, 1)) < 0 ||
	    (rc = store_text_ok(s, "track", in->track, 0)) < 0 ||
	    (rc = store_text_ok(s, "room", in->room, 0)) < 0 ||
	    (rc = store_text_ok(s, "speakers", in->speakers, 0)) < 0 ||
	    (rc = store_text_ok(s, "abstract", in->abstract, 0)) < 0)
		return rc;
	if (in->abstract && strlen(in->abstract) >= STORE_ABSTRACT_MAX)
		return store_einval(s, "abstract of session %s is %zu bytes; at most %d", in->id,
				    strlen(in->abstract), STORE_ABSTRACT_MAX - 1);
	if (in->end <= in->start)
		return store_einval(s, "session %s ends before it starts", in->id);
	sqlite3_stmt *put = store_stmt(s, SLOT_SESSION_PUT,
		"INSERT INTO sessions(session_id, title, track, room, speakers, start_at, end_at, "
		"abstract) VALUES (?1, ?2, (SELECT id FROM tracks WHERE name = ?3), "
		"(SELECT id FROM rooms WHERE name = ?4), ?5, ?6, ?7, ?8) "
		"ON CONFLICT(session_id) DO UPDATE SET title = excluded.title, "
		"track = excluded.track, room = excluded.room, speakers = excluded.speakers, "
		"start_at = excluded.start_at, end_at = excluded.end_at, "
		"abstract = excluded.abstract "
		"RETURNING id");
	if (put == NULL)
		return STORE_EIO;
	if ((rc = store_tx_begin(s, &outer)) < 0)
		return rc;
	if (in->track && in->track[0] && (rc = store_write(s, SLOT_TRACK_ENSURE,
		"INSERT INTO tracks(name) VALUES (?1) ON CONFLICT(name) DO NOTHING",
		"saving a track", "t", in->track)) < 0)
		goto fail;
	if (in->room && in->room[0] && (rc = store_write(s, SLOT_ROOM_ENSURE,
		"INSERT INTO rooms(name) VALUES (?1) ON CONFLICT(name) DO NOTHING",
		"saving a room", "t", in->room)) < 0)
		goto fail;
	sqlite3_bind_text(put, 1, in->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(put, 2, in->title, -1, SQLITE_STATIC);
	sqlite3_bind_text(put, 3, in->track ? in->track : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(put, 4, in->room ? in->room : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(put, 5, in->speakers ? in->speakers : "", -1, SQLITE_STATIC);
	sqlite3_bind_int64(put, 6, in->start);
	sqlite3_bind_int64(put, 7, in->end);
	sqlite3_bind_text(put, 8, in->abstract ? in->abstract : "", -1, SQLITE_STATIC);
	rc = sqlite3_step(put);
	if (rc == SQLITE_ROW) {
		id = sqlite3_column_int64(put, 0);
		rc = sqlite3_step(put);
	}
	sqlite3_reset(put);
	if (rc != SQLITE_DONE || id == 0) {
		rc = store_fail(s, rc, "saving a session");
		goto fail;
	}
	if ((rc = store_write(s, SLOT_FTS_DELETE, "DELETE FROM session_fts WHERE rowid = ?1",
			      "indexing a session", "I", id)) < 0)
		goto fail;
	seg[0] = store_fts_segment(in->title);
	seg[1] = store_fts_segment(in->track);
	seg[2] = store_fts_segment(in->speakers);
	seg[3] = store_fts_segment(in->room);
	rc = store_write(s, SLOT_FTS_INSERT, "INSERT INTO session_fts(rowid, title, track, "
			 "speakers, room) VALUES (?1,?2,?3,?4,?5)", "indexing a session", "Itttt",
			 id, seg[0], seg[1], seg[2], seg[3]);
fail:
	for (int i = 0; i < 4; i++)
		free(seg[i]);
	if (rc < 0) {
		store_tx_end(s, outer, 0);
		return rc;
	}
	return store_tx_end(s, outer, 1);
}

int store_session_add_group(store *s, const char *session_id, const char *group_name)
{
	int rc, outer;
	if ((rc = store_text_ok(s, "session_id", session_id, 1)) < 0 ||
	    (rc = store_text_ok(s, "group name", group_name, 1)) < 0)
		return rc;
	if ((rc = store_tx_begin(s, &outer)) < 0)
		return rc;
	if ((rc = store_group_ensure(s, group_name)) == 0 &&
	    (rc = store_write(s, SLOT_SESSION_GROUP, "INSERT OR IGNORE INTO session_groups("
		"group_id, session) SELECT g.id, x.id FROM groups g, sessions x WHERE g.name = ?1 "
		"AND x.session_id = ?2", "adding a session group", "tt", group_name,
		session_id)) == 0 && sqlite3_changes(s->db) == 0) {
		/* Either already there, or the session is unknown: tell which. */
		store_session known;
		int found = store_session_get(s, session_id, &known);
		if (found == 0)
			rc = store_einval(s, "unknown session %s", session_id);
		else if (found < 0)
			rc = found;
	}
	store_tx_end(s, outer, rc == 0);
	return rc;
}

/* ---- Queries -------------------------------------------------------------------------- */

#define SESSION_COLS \
	"SELECT x.session_id, x.title, coalesce(t.name, ''), coalesce(r.name, ''), " \
	"x.speakers, x.start_at, x.end_at FROM sessions x " \
	"LEFT JOIN tracks t ON t.id = x.track LEFT JOIN rooms r ON r.id = x.room "

static void session_row(sqlite3_stmt *st, store_session *out)
{
	store_col_text(st, 0, out->id, sizeof out->id);
	store_col_text(st, 1, out->title, sizeof out->title);
	store_col_text(st, 2, out->track, sizeof out->track);
	store_col_text(st, 3, out->room, sizeof out->room);
	store_col_text(st, 4, out->speakers, sizeof out->speakers);
	out->start = sqlite3_column_int64(st, 5);
	out->end = sqlite3_column_int64(st, 6);
}

int store_sessions(store *s, enum store_session_filter filter, const char *arg, int64_t now,
		   int64_t horizon, store_session *out, int max)
{
	sqlite3_stmt *st = NULL;
	char *query = NULL;
	int n = 0, rc;
	/* "No horizon" means everything ahead. */
	int64_t until = horizon > 0 && now < INT64_MAX - horizon ? now + horizon : INT64_MAX;

	if (max <= 0)
		return 0;
	switch (filter) {
	case STORE_SESSIONS_NOW_NEXT:
		st = store_stmt(s, SLOT_SES_NOW_NEXT, SESSION_COLS
			"WHERE x.end_at > ?1 AND x.start_at < ?2 "
			"ORDER BY x.start_at, r.name, x.session_id LIMIT ?3");
		break;
	case STORE_SESSIONS_TRACK:
		st = store_stmt(s, SLOT_SES_TRACK, SESSION_COLS
			"WHERE t.name = ?4 AND x.end_at > ?1 AND x.start_at < ?2 "
			"ORDER BY x.start_at, r.name, x.session_id LIMIT ?3");
		break;
	case STORE_SESSIONS_ROOM:
		st = store_stmt(s, SLOT_SES_ROOM, SESSION_COLS
			"WHERE r.name = ?4 AND x.end_at > ?1 AND x.start_at < ?2 "
			"ORDER BY x.start_at, x.session_id LIMIT ?3");
		break;
	case STORE_SESSIONS_DAY:
		st = store_stmt(s, SLOT_SES_DAY, SESSION_COLS
			"WHERE x.start_at >= ?1 AND x.start_at < ?2 "
			"ORDER BY x.start_at, r.name, x.session_id LIMIT ?3");
		break;
	case STORE_SESSIONS_SEARCH:
		if (arg == NULL || (query = fts_query(arg)) == NULL)
			return 0;
		st = store_stmt(s, SLOT_SES_SEARCH, SESSION_COLS
			"JOIN (SELECT rowid AS id, rank FROM session_fts WHERE session_fts MATCH ?4) f "
			"ON f.id = x.id WHERE x.end_at > ?1 AND x.start_at < ?2 "
			"ORDER BY f.rank, x.start_at, x.session_id LIMIT ?3");
		arg = query;
		break;
	case STORE_SESSIONS_GROUPS:
		st = store_stmt(s, SLOT_SES_GROUPS, SESSION_COLS
			"WHERE x.id IN (SELECT sg.session FROM attendees a "
			" JOIN memberships m ON m.attendee = a.id "
			" JOIN session_groups sg ON sg.group_id = m.group_id WHERE a.attendee_id = ?4) "
			"AND x.end_at > ?1 AND x.start_at < ?2 "
			"ORDER BY x.start_at, r.name, x.session_id LIMIT ?3");
		break;
	default:
		return store_einval(s, "unknown session filter %d", (int)filter);
	}
	if (st == NULL) {
		free(query);
		return STORE_EIO;
	}
	if (filter != STORE_SESSIONS_NOW_NEXT && filter != STORE_SESSIONS_DAY)
		sqlite3_bind_text(st, 4, arg ? arg : "", -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 1, now);
	sqlite3_bind_int64(st, 2, until);
	sqlite3_bind_int(st, 3, max);
	while (n < max && (rc = sqlite3_step(st)) == SQLITE_ROW)
		session_row(st, &out[n++]);
	if (n < max && rc != SQLITE_DONE)
		n = store_fail(s, rc, "finding sessions");
	sqlite3_reset(st);
	free(query);
	return n;
}

int store_session_get(store *s, const char *session_id, store_session *out)
{
	sqlite3_stmt *st = store_query(s, SLOT_SES_GET, SESSION_COLS "WHERE x.session_id = ?1",
				       "t", session_id);
	int rc = st ? store_step_row(s, st, "reading a session") : STORE_EIO;
	if (rc == 1) {
		session_row(st, out);
		sqlite3_reset(st);
	}
	return rc;
}

int store_session_abstract(store *s, const char *session_id, char *out, size_t size)
{
	sqlite3_stmt *st = store_query(s, SLOT_SES_ABSTRACT,
				       "SELECT abstract FROM sessions WHERE session_id = ?1", "t",
				       session_id);
	int rc = st ? store_step_row(s, st, "reading a session's abstract") : STORE_EIO;
	if (size > 0)
		out[0] = '\0';
	if (rc == 1) {
		store_col_text(st, 0, out, size);
		sqlite3_reset(st);
	}
	return rc;
}

int store_tracks(store *s, char (*out)[STORE_PLACE_MAX], int max)
{
	sqlite3_stmt *st = store_stmt(s, SLOT_TRACKS,
		"SELECT name FROM tracks ORDER BY name COLLATE NOCASE, name");
	int n = 0, rc = SQLITE_DONE;
	if (st == NULL)
		return STORE_EIO;
	while (n < max && (rc = sqlite3_step(st)) == SQLITE_ROW)
		store_col_text(st, 0, out[n++], STORE_PLACE_MAX);
	if (n < max && rc != SQLITE_DONE)
		n = store_fail(s, rc, "listing tracks");
	sqlite3_reset(st);
	return n;
}

static void room_row(sqlite3_stmt *st, store_room *out)
{
	store_col_text(st, 0, out->name, sizeof out->name);
	out->floor = sqlite3_column_int(st, 1);
	store_col_text(st, 2, out->floor_name, sizeof out->floor_name);
	store_col_text(st, 3, out->area, sizeof out->area);
	store_col_text(st, 4, out->polygon, sizeof out->polygon);
}

int store_rooms(store *s, store_room *out, int max)
{
	sqlite3_stmt *st = store_stmt(s, SLOT_ROOMS,
		"SELECT name, floor, floor_name, area, polygon FROM rooms "
		"ORDER BY floor, name COLLATE NOCASE, name");
	int n = 0, rc = SQLITE_DONE;
	if (st == NULL)
		return STORE_EIO;
	while (n < max && (rc = sqlite3_step(st)) == SQLITE_ROW)
		room_row(st, &out[n++]);
	if (n < max && rc != SQLITE_DONE)
		n = store_fail(s, rc, "listing rooms");
	sqlite3_reset(st);
	return n;
}

int store_room_get(store *s, const char *name, store_room *out)
{
	sqlite3_stmt *st = store_query(s, SLOT_ROOM_GET, "SELECT name, floor, floor_name, area, "
				       "polygon FROM rooms WHERE name = ?1", "t", name);
	int rc = st ? store_step_row(s, st, "reading a room") : STORE_EIO;
	if (rc == 1) {
		room_row(st, out);
		sqlite3_reset(st);
	}
	return rc;
}
