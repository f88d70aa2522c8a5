/* pretalx schedule.json (the frab JSON export), read with json-c.
 *
 * json-c because it is small, in Debian main for years (used by systemd-cryptsetup, rsyslog,
 * bind9...), and has a strict mode that also rejects invalid UTF-8. It keeps no positions, so
 * for "FILE:LINE" messages a tiny scanner records the line of every '{' in document order; a
 * pre-order walk of the parsed tree meets objects in that same order, which maps each object
 * to its line (see json_lines_build).
 *
 * Shape: schedule.conference.{title,time_zone_name,days[]}, each day {date, day_start,
 * rooms: {"Room": [event...]}}, each event {id|guid, date (ISO with offset, authoritative),
 * start, duration, room, title, track, persons[{public_name|name}]}. */
#include "kioskctl.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "common/util.h"

typedef struct json_line {
	const json_object *obj;
	long line;
} json_line;

typedef struct json_lines {
	long *brace;      /* line of each '{' in the text, in order */
	size_t nbrace, next;
	json_line *map;   /* object -> line, sorted by obj */
	size_t n, cap;
} json_lines;

static void json_lines_walk(json_lines *jl, json_object *o)
{
	if (json_object_is_type(o, json_type_object)) {
		if (jl->n == jl->cap) {
			jl->cap = jl->cap ? jl->cap * 2 : 64;
			jl->map = xreallocarray(jl->map, jl->cap, sizeof *jl->map);
		}
		jl->map[jl->n].obj = o;
		jl->map[jl->n++].line = jl->next < jl->nbrace ? jl->brace[jl->next] : 0;
		jl->next++;
		json_object_object_foreach(o, key, val) {
			(void)key;
			json_lines_walk(jl, val);
		}
	} else if (json_object_is_type(o, json_type_array)) {
		size_t n = json_object_array_length(o);
		for (size_t i = 0; i < n; i++)
			json_lines_walk(jl, json_object_array_get_idx(o, i));
	}
}

static int json_line_cmp(const void *a, const void *b)
{
	const json_object *x = ((const json_line *)a)->obj, *y = ((const json_line *)b)->obj;
	return x < y ? -1 : x > y;
}

static void json_lines_build(json_lines *jl, const char *data, size_t len, json_object *root)
{
	long line = 1;
	int in_str = 0;

	memset(jl, 0, sizeof *jl);
	for (size_t i = 0; i < len; i++) {
		char c = data[i];
		if (c == '\n')
			line++;
		if (in_str) {
			if (c == '\\')
				i++; /* an escaped quote or backslash does not end the string */
			else if (c == '"')
				in_str = 0;
		} else if (c == '"') {
			in_str = 1;
		} else if (c == '{') {
			if ((jl->nbrace & (jl->nbrace + 1)) == 0) /* grow at 0, 1, 3, 7, ... */
				jl->brace = xreallocarray(jl->brace, 2 * jl->nbrace + 2, sizeof *jl->brace);
			jl->brace[jl->nbrace++] = line;
		}
	}
	json_lines_walk(jl, root);
	if (jl->n > 0)
		qsort(jl->map, jl->n, sizeof *jl->map, json_line_cmp);
}

static long json_line_of(const json_lines *jl, const json_object *o)
{
	json_line key = { o, 0 };
	if (jl->n == 0)
		return 0;
	const json_line *hit = bsearch(&key, jl->map, jl->n, sizeof *jl->map, json_line_cmp);
	return hit ? hit->line : 0;
}

static void json_lines_free(json_lines *jl)
{
	free(jl->brace);
	free(jl->map);
}

/* What json-c would lose without a word, found in the raw text before it parses: a raw NUL
 * ends its input early ("unexpected end of data"), raw control characters inside strings are
 * accepted, and an integer past 64 bits is clamped (a pretalx id 99999999999999999999
 * became 18446744073709551615). Each is named with its line and the key it belongs to.
 * Returns -1 after a diagnostic. */
static int json_prescan(const char *data, size_t len, const char *file, diag *d)
{
	const char *str = NULL, *key = "", *last = "";
	size_t klen = 0, lastlen = 0;
	long line = 1;

	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)data[i];
		if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
			int kl = (int)(klen > 40 ? 40 : klen);
			if (c == 0)
				diag_add(d, file, line, "NUL byte in field \"%.*s\"; a NUL would cut the "
					 "text short: remove it, and save the file as UTF-8", kl, key);
			else
				diag_add(d, file, line, "control character U+%04X in field \"%.*s\"; only "
					 "TAB, LF and CR may appear in text", c, kl, key);
			return -1;
		}
		if (c == '\n')
			line++;
		if (str != NULL) {
			if (c == '\\' && i + 1 < len && (unsigned char)data[i + 1] >= 0x20) {
				i++; /* an escaped quote does not end the string; a control is still seen */
			} else if (c == '"') {
				last = str;
				lastlen = (size_t)(data + i - str);
				str = NULL;
			}
		} else if (c == '"') {
			str = data + i + 1;
		} else if (c == ':') {
			key = last;
			klen = lastlen;
		} else if (c == '-' || (c >= '0' && c <= '9')) {
			size_t end = i + 1;
			int integer = 1;
			while (end < len && strchr("0123456789.eE+-", data[end]) != NULL && data[end] != '\0') {
				integer &= data[end] >= '0' && data[end] <= '9';
				end++;
			}
			char *num = xcalloc(1, end - i + 1);
			memcpy(num, data + i, end - i);
			errno = 0;
			int over = 0;
			if (!integer)
				over = isinf(strtod(num, NULL));
			else if (c == '-')
				(void)strtoll(num, NULL, 10);
			else
				(void)strtoull(num, NULL, 10);
			over |= errno == ERANGE && integer;
			free(num);
			if (over) {
				diag_add(d, file, line, "number %.*s%s in field \"%.*s\" is too large to keep "
					 "exactly; write it as a string", (int)(end - i > 40 ? 40 : end - i),
					 data + i, end - i > 40 ? "..." : "", (int)(klen > 40 ? 40 : klen), key);
				return -1;
			}
			i = end - 1;
		}
	}
	return 0;
}

/* Escaped \u0000 and control characters survive parsing inside json-c's strings (which keep
 * their length): a NUL would cut the text short when it is copied, so refuse them by key. */
static void json_check_strings(const json_lines *jl, json_object *o, long line,
			       const char *key, const char *file, diag *d);

static void json_check_string(json_object *v, long line, const char *key, const char *file,
			      diag *d)
{
	const char *s = json_object_get_string(v);
	int n = json_object_get_string_len(v);
	for (int i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x20 || c == '\t' || c == '\n' || c == '\r')
			continue;
		if (c == 0)
			diag_add(d, file, line, "NUL byte (\\u0000) in field \"%.40s\"; a NUL would cut "
				 "the text short", key);
		else
			diag_add(d, file, line, "control character U+%04X in field \"%.40s\"; only TAB, "
				 "LF and CR may appear in text", c, key);
		return;
	}
}

static void json_check_strings(const json_lines *jl, json_object *o, long line,
			       const char *key, const char *file, diag *d)
{
	if (json_object_is_type(o, json_type_string)) {
		json_check_string(o, line, key, file, d);
	} else if (json_object_is_type(o, json_type_object)) {
		long at = json_line_of(jl, o);
		json_object_object_foreach(o, k, val)
			json_check_strings(jl, val, at ? at : line, k, file, d);
	} else if (json_object_is_type(o, json_type_array)) {
		size_t n = json_object_array_length(o);
		for (size_t i = 0; i < n; i++)
			json_check_strings(jl, json_object_array_get_idx(o, i), line, key, file, d);
	}
}

/* A member as trimmed text (numbers too: pretalx ids are numbers); "" when absent/null. */
static char *member_text(json_object *o, const char *key)
{
	json_object *v;
	if (!json_object_is_type(o, json_type_object) || !json_object_object_get_ex(o, key, &v) ||
	    v == NULL || json_object_is_type(v, json_type_object) || json_object_is_type(v, json_type_array))
		return xcalloc(1, 1);
	return str_trim(xstrdup(json_object_get_string(v)));
}

static json_object *member(json_object *o, const char *key, json_type type)
{
	json_object *v;
	if (!json_object_is_type(o, json_type_object) || !json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, type))
		return NULL;
	return v;
}

static char *persons_of(json_object *ev)
{
	json_object *ps = member(ev, "persons", json_type_array);
	char *out = xcalloc(1, 1);
	size_t len = 0, n = ps ? json_object_array_length(ps) : 0;

	for (size_t i = 0; i < n; i++) {
		json_object *p = json_object_array_get_idx(ps, i);
		char *name = member_text(p, "public_name");
		if (name[0] == '\0') {
			free(name);
			name = member_text(p, "name");
		}
		size_t add = strlen(name);
		if (add > 0) {
			out = xreallocarray(out, len + add + 3, 1);
			if (len > 0) {
				memcpy(out + len, "; ", 2);
				len += 2;
			}
			memcpy(out + len, name, add + 1);
			len += add;
		}
		free(name);
	}
	return out;
}

static void json_event(schedule *sc, const char *file, const json_lines *jl, json_object *ev,
		       const char *day_date, int64_t day_start, const char *room_name,
		       const char *tz, diag *d)
{
	long line = json_line_of(jl, ev);
	if (!json_object_is_type(ev, json_type_object)) {
		diag_add(d, file, line, "an event in room '%s' is not an object", room_name);
		return;
	}
	sched_event e = {
		.id = member_text(ev, "id"),
		.date = member_text(ev, "date"),
		.start = member_text(ev, "start"),
		.duration = member_text(ev, "duration"),
		.room = member_text(ev, "room"),
		.title = member_text(ev, "title"),
		.track = member_text(ev, "track"),
		.speakers = persons_of(ev),
		.abstract = member_text(ev, "abstract"),
		.quote_date = "\"date\"",
		.quote_start = "\"start\"",
	};

	if (e.id[0] == '\0') {
		free(e.id);
		e.id = member_text(ev, "guid");
	}
	if (e.abstract[0] == '\0') { /* as in schedule.xml: the description stands in */
		free(e.abstract);
		e.abstract = member_text(ev, "description");
	}
	schedule_add_event(sc, &e, day_date, day_start, room_name, tz, file, line, d);
}

int schedule_parse_json(schedule *sc, const char *file, const char *data, size_t len,
			const char *tz, diag *d)
{
	size_t before = d->n;
	json_tokener *tok = json_tokener_new_ex(JSON_TOKENER_DEFAULT_DEPTH);
	json_object *root = NULL;
	json_lines jl;
	char *zone = NULL;

	memset(&jl, 0, sizeof jl);
	if (tok == NULL) {
		diag_add(d, file, 0, "out of memory");
		return 1;
	}
	if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
		data += 3;
		len -= 3;
	}
	if (json_prescan(data, len, file, d) < 0)
		goto out;
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
	root = len > 0 && len < (size_t)0x7fffffff ? json_tokener_parse_ex(tok, data, (int)len) : NULL;
	enum json_tokener_error jerr = json_tokener_get_error(tok);
	size_t end = json_tokener_get_parse_end(tok);
	if (root == NULL || jerr != json_tokener_success) {
		long line = 1;
		for (size_t i = 0; i < end && i < len; i++)
			line += data[i] == '\n';
		diag_add(d, file, line, "JSON error: %s",
			 len == 0 ? "empty file" : jerr == json_tokener_continue ? "unexpected end of file"
										 : json_tokener_error_desc(jerr));
		goto out;
	}
	for (size_t i = end; i < len; i++) {
		if (data[i] != ' ' && data[i] != '\n' && data[i] != '\r' && data[i] != '\t') {
			long line = 1;
			for (size_t k = 0; k < i; k++)
				line += data[k] == '\n';
			diag_add(d, file, line, "JSON error: text after the end of the document");
			goto out;
		}
	}
	json_lines_build(&jl, data, len, root);
	json_check_strings(&jl, root, 1, "", file, d);
	if (d->n != before)
		goto out;

	json_object *conf = member(member(root, "schedule", json_type_object), "conference",
				   json_type_object);
	if (conf == NULL) {
		diag_add(d, file, 1, "not a pretalx schedule.json: no schedule.conference object");
		goto out;
	}
	sc->conference = member_text(conf, "title");
	zone = member_text(conf, "time_zone_name");
	if (zone[0] != '\0') {
		if (!tz_valid(zone)) {
			diag_add(d, file, json_line_of(&jl, conf), "unknown time zone '%s'", zone);
			goto out;
		}
		sc->timezone = xstrdup(zone);
		tz = sc->timezone;
	}
	json_object *days = member(conf, "days", json_type_array);
	size_t ndays = days ? json_object_array_length(days) : 0;
	for (size_t i = 0; i < ndays; i++) {
		json_object *day = json_object_array_get_idx(days, i);
		json_object *rooms = member(day, "rooms", json_type_object);
		if (rooms == NULL)
			continue;
		char *ddate = member_text(day, "date");
		char *dstart = member_text(day, "day_start");
		civil_time c;
		int64_t day_start = 0;
		if (dstart[0] != '\0' && (iso_parse(dstart, &c, 0) < 0 || civil_resolve(&c, tz, &day_start) < 0))
			day_start = 0;
		json_object_object_foreach(rooms, rname, events) {
			if (!json_object_is_type(events, json_type_array)) {
				diag_add(d, file, json_line_of(&jl, rooms), "room '%s' is not a list of events", rname);
				continue;
			}
			size_t nev = json_object_array_length(events);
			for (size_t k = 0; k < nev; k++)
				json_event(sc, file, &jl, json_object_array_get_idx(events, k), ddate,
					   day_start, rname, tz, d);
		}
		free(ddate);
		free(dstart);
	}
	schedule_validate(sc, file, d);
out:
	free(zone);
	json_lines_free(&jl);
	json_object_put(root);
	json_tokener_free(tok);
	return (int)(d->n - before);
}
