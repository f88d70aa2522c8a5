/* Roster CSV (docs/CONTRACT.md "Input formats"): parse and validate every row into memory, then write
 * the lot inside the caller's transaction.
 *
 * Start at roster_parse(): header mapping (any order, any case, unknown columns ignored), then
 * one pass over the records collecting every problem with the physical line it starts on. */
#include "kioskctl.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "common/util.h"

enum { COL_ID, COL_NAME, COL_AFFIL, COL_GROUPS, COL_UID, COL_VISIBLE, COL_COUNT };
static const char *const roster_columns[COL_COUNT] = {
	"attendee_id", "name", "affiliation", "groups", "badge_uid", "visible",
};

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

int uid_parse(const char *s, uint8_t *out)
{
	int n = 0, half = -1;

	for (; *s; s++) {
		if (*s == ':' || *s == ' ' || *s == '-') {
			if (half >= 0)
				return -1; /* a separator inside a byte */
			continue;
		}
		int v = hexval((unsigned char)*s);
		if (v < 0)
			return -1;
		if (half < 0) {
			half = v;
		} else {
			if (n == 10)
				return -1;
			out[n++] = (uint8_t)(half << 4 | v);
			half = -1;
		}
	}
	if (half >= 0 || (n != 4 && n != 7 && n != 10))
		return -1;
	return n;
}

static const char *field(const csv_record *rec, const int *idx, int col)
{
	if (idx[col] < 0 || (size_t)idx[col] >= rec->nfields)
		return "";
	return str_trim(rec->fields[idx[col]]);
}

static char *uid_key(const uint8_t *uid, size_t len, char *buf)
{
	for (size_t i = 0; i < len; i++)
		sprintf(buf + 2 * i, "%02X", uid[i]);
	buf[2 * len] = '\0';
	return buf;
}

static void roster_row(roster *r, const char *file, const csv_record *rec, const int *idx,
		       strmap *ids, strmap *uids, diag *d)
{
	size_t before = d->n;
	if (csv_check_controls(rec, file, roster_columns, idx, COL_COUNT, d) < 0)
		return;
	int bad = csv_bad_utf8(rec);
	if (bad >= 0) {
		const char *col = "an ignored column";
		for (int c = 0; c < COL_COUNT; c++)
			if (idx[c] == bad)
				col = roster_columns[c];
		diag_add(d, file, rec->line, "invalid UTF-8 in %s (field %d); save the file as UTF-8",
			 col, bad + 1);
		return;
	}
	const char *id = field(rec, idx, COL_ID);
	const char *name = field(rec, idx, COL_NAME);
	const char *uidtext = field(rec, idx, COL_UID);
	const char *vis = field(rec, idx, COL_VISIBLE);
	uint8_t uid[10];
	int uid_len = 0, visible = STORE_VISIBLE_UNSET;

	if (id[0] == '\0')
		diag_add(d, file, rec->line, "missing attendee_id");
	else if (strlen(id) >= STORE_ID_MAX)
		diag_add(d, file, rec->line, "attendee_id '%.40s...' is longer than %d bytes", id, STORE_ID_MAX - 1);
	if (name[0] == '\0')
		diag_add(d, file, rec->line, "missing name%s%s", id[0] ? " for attendee " : "", id);
	if (uidtext[0] != '\0') {
		uid_len = uid_parse(uidtext, uid);
		if (uid_len < 0)
			diag_add(d, file, rec->line,
				 "bad badge_uid '%s': expected 4, 7 or 10 bytes of hex, e.g. 04:A2:2B:1C:5D:80:00", uidtext);
	}
	if (strcmp(vis, "1") == 0)
		visible = STORE_VISIBLE_YES;
	else if (strcmp(vis, "0") == 0)
		visible = STORE_VISIBLE_NO;
	else if (vis[0] != '\0')
		diag_add(d, file, rec->line, "bad visible '%s': expected 1, 0 or empty", vis);

	if (id[0] != '\0') {
		long first = strmap_put(ids, id, rec->line);
		if (first >= 0)
			diag_add(d, file, rec->line, "duplicate attendee_id '%s' (first on line %ld)", id, first);
	}
	if (uid_len > 0) {
		char key[24];
		long first = strmap_put(uids, uid_key(uid, (size_t)uid_len, key), rec->line);
		if (first >= 0)
			diag_add(d, file, rec->line, "duplicate badge_uid %s (first on line %ld)", key, first);
	}
	if (d->n != before)
		return;

	if (r->n == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 256;
		r->v = xreallocarray(r->v, r->cap, sizeof *r->v);
	}
	roster_entry *e = &r->v[r->n++];
	memset(e, 0, sizeof *e);
	e->id = xstrdup(id);
	e->name = xstrdup(name);
	e->affiliation = xstrdup(field(rec, idx, COL_AFFIL));
	e->ngroups = split_names(field(rec, idx, COL_GROUPS), &e->groups);
	memcpy(e->uid, uid, sizeof uid);
	e->uid_len = (size_t)uid_len;
	e->visible = visible;
	e->line = rec->line;
}

int roster_parse(roster *r, const char *file, const char *data, size_t len, diag *d)
{
	csv_reader rd;
	csv_record rec;
	char err[256];
	int idx[COL_COUNT];
	strmap ids = { 0 }, uids = { 0 };
	size_t before = d->n;
	int rc;

	memset(r, 0, sizeof *r);
	csv_init(&rd, data, len);
	static const int required[] = { COL_ID, COL_NAME };
	if (csv_read_header(&rd, file, roster_columns, COL_COUNT, required, ARRAY_LEN(required),
			    idx, d) != 0)
		goto out;

	while ((rc = csv_next(&rd, &rec, err, sizeof err)) != 0) {
		if (rc < 0) {
			diag_add(d, file, rec.line, "%s", err);
			continue;
		}
		roster_row(r, file, &rec, idx, &ids, &uids, d);
	}
	/* A header alone is almost always a mangled file; "imported 0" would hide that. */
	if (d->n == before && r->n == 0)
		diag_add(d, file, 0, "no attendees after the header row");
out:
	strmap_free(&ids);
	strmap_free(&uids);
	csv_free(&rd);
	return (int)(d->n - before);
}

int roster_store(const roster *r, store *s, const char *file, diag *d)
{
	size_t before = d->n;

	for (size_t i = 0; i < r->n; i++) {
		const roster_entry *e = &r->v[i];
		store_attendee_in in = { e->id, e->name, e->affiliation, e->visible };
		int rc = store_attendee_put(s, &in);
		if (rc == STORE_ECONFLICT) {
			diag_add(d, file, e->line, "attendee_id '%s' is already in the database", e->id);
			continue;
		}
		if (rc < 0)
			goto fail;
		for (size_t g = 0; g < e->ngroups; g++)
			if (store_attendee_add_group(s, e->id, e->groups[g]) < 0)
				goto fail;
		if (e->uid_len > 0) {
			rc = store_badge_put(s, e->uid, e->uid_len, e->id);
			if (rc == STORE_ECONFLICT) {
				char key[24];
				diag_add(d, file, e->line, "badge_uid %s already belongs to another attendee in the database",
					 uid_key(e->uid, e->uid_len, key));
			} else if (rc < 0) {
				goto fail;
			}
		}
	}
	return (int)(d->n - before);
fail:
	diag_add(d, file, 0, "database error: %s", store_errmsg(s));
	return (int)(d->n - before);
}

void roster_free(roster *r)
{
	for (size_t i = 0; i < r->n; i++) {
		free(r->v[i].id);
		free(r->v[i].name);
		free(r->v[i].affiliation);
		free_names(r->v[i].groups, r->v[i].ngroups);
	}
	free(r->v);
	memset(r, 0, sizeof *r);
}
