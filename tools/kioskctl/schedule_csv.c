/* Schedule CSV (docs/CONTRACT.md "Input formats"): session_id,title,track,room,start,end,speakers,groups
 * and an optional abstract (line breaks inside the quoted field are kept),
 * with start/end as ISO 8601 local time in the conference zone (an explicit Z or offset is
 * honoured too). Same reader and header rules as the roster. */
#include "kioskctl.h"

#include <stdlib.h>
#include <string.h>

#include "common/util.h"

enum { SC_ID, SC_TITLE, SC_TRACK, SC_ROOM, SC_START, SC_END, SC_SPEAKERS, SC_GROUPS, SC_ABSTRACT,
       SC_COUNT };
static const char *const sched_columns[SC_COUNT] = {
	"session_id", "title", "track", "room", "start", "end", "speakers", "groups", "abstract",
};

static const char *col(const csv_record *rec, const int *idx, int c)
{
	if (idx[c] < 0 || (size_t)idx[c] >= rec->nfields)
		return "";
	return str_trim(rec->fields[idx[c]]);
}

static int parse_when(const char *file, long line, const char *what, const char *text,
		      const char *tz, int64_t *out, diag *d)
{
	civil_time c;
	if (text[0] == '\0') {
		diag_add(d, file, line, "missing %s time", what);
		return -1;
	}
	if (iso_parse(text, &c, 0) < 0 || civil_resolve(&c, tz, out) < 0) {
		diag_add(d, file, line, "bad %s time '%s': expected ISO 8601 like 2026-05-14T09:30", what, text);
		return -1;
	}
	return 0;
}

int schedule_parse_csv(schedule *sc, const char *file, const char *data, size_t len,
		       const char *tz, diag *d)
{
	csv_reader rd;
	csv_record rec;
	char err[256];
	int idx[SC_COUNT];
	size_t before = d->n;
	int rc;

	csv_init(&rd, data, len);
	static const int required[] = { SC_ID, SC_TITLE, SC_START, SC_END };
	if (csv_read_header(&rd, file, sched_columns, SC_COUNT, required, ARRAY_LEN(required), idx,
			    d) != 0)
		goto out;

	while ((rc = csv_next(&rd, &rec, err, sizeof err)) != 0) {
		if (rc < 0) {
			diag_add(d, file, rec.line, "%s", err);
			continue;
		}
		if (csv_check_controls(&rec, file, sched_columns, idx, SC_COUNT, d) < 0)
			continue;
		int bad = csv_bad_utf8(&rec);
		if (bad >= 0) {
			diag_add(d, file, rec.line, "invalid UTF-8 in field %d; save the file as UTF-8", bad + 1);
			continue;
		}
		int64_t start = 0, end = 0;
		int ok = parse_when(file, rec.line, "start", col(&rec, idx, SC_START), tz, &start, d) == 0;
		ok &= parse_when(file, rec.line, "end", col(&rec, idx, SC_END), tz, &end, d) == 0;
		if (!ok)
			continue;
		sched_session *s = schedule_add(sc);
		s->line = rec.line;
		s->id = xstrdup(col(&rec, idx, SC_ID));
		s->title = xstrdup(col(&rec, idx, SC_TITLE));
		s->track = xstrdup(col(&rec, idx, SC_TRACK));
		s->room = xstrdup(col(&rec, idx, SC_ROOM));
		s->speakers = xstrdup(col(&rec, idx, SC_SPEAKERS));
		s->abstract = xstrdup(col(&rec, idx, SC_ABSTRACT));
		s->ngroups = split_names(col(&rec, idx, SC_GROUPS), &s->groups);
		s->start = start;
		s->end = end;
	}
	if (d->n == before && sc->n == 0)
		diag_add(d, file, 0, "no sessions after the header row");
out:
	csv_free(&rd);
	schedule_validate(sc, file, d);
	return (int)(d->n - before);
}
