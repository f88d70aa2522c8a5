/* The schedule model shared by the CSV, frab/pretalx XML and pretalx JSON importers: the
 * parsers fill it, schedule_validate() applies the rules common to every format (unique ids,
 * a session ends after it starts, UTF-8), schedule_store() writes it in one transaction. */
#include "kioskctl.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/util.h"

sched_session *schedule_add(schedule *sc)
{
	if (sc->n == sc->cap) {
		sc->cap = sc->cap ? sc->cap * 2 : 64;
		sc->v = xreallocarray(sc->v, sc->cap, sizeof *sc->v);
	}
	sched_session *s = &sc->v[sc->n++];
	memset(s, 0, sizeof *s);
	return s;
}

void schedule_add_event(schedule *sc, sched_event *ev, const char *day_date, int64_t day_start,
			const char *room_name, const char *tz, const char *file, long line, diag *d)
{
	civil_time c;
	int64_t t0 = 0;
	long secs;
	int ok = 1;

	if (ev->date[0] != '\0') {
		if (iso_parse(ev->date, &c, 0) < 0 || civil_resolve(&c, tz, &t0) < 0) {
			diag_add(d, file, line, "bad event date '%s': expected ISO 8601 like 2026-05-14T09:30:00+02:00", ev->date);
			ok = 0;
		}
	} else if (day_date[0] != '\0' && ev->start[0] != '\0') {
		char buf[64];
		snprintf(buf, sizeof buf, "%.10sT%.8s", day_date, ev->start);
		if (iso_parse(buf, &c, 0) < 0 || civil_resolve(&c, tz, &t0) < 0) {
			diag_add(d, file, line, "bad event start '%s' on day %s", ev->start, day_date);
			ok = 0;
		} else if (day_start != 0 && t0 < day_start) {
			t0 += 86400; /* after the day's change-over time: past midnight */
		}
	} else {
		diag_add(d, file, line, "event has neither %s nor a day date with %s", ev->quote_date,
			 ev->quote_start);
		ok = 0;
	}
	secs = duration_parse(ev->duration);
	if (ev->duration[0] == '\0' || secs < 0) {
		diag_add(d, file, line, "bad event duration '%s': expected HH:MM", ev->duration);
		ok = 0;
	}
	if (ok) {
		sched_session *s = schedule_add(sc);
		s->line = line;
		s->id = ev->id;
		s->title = ev->title;
		s->track = ev->track;
		if (ev->room[0] == '\0') {
			free(ev->room);
			ev->room = xstrdup(room_name);
		}
		s->room = ev->room;
		s->speakers = ev->speakers;
		s->abstract = ev->abstract ? ev->abstract : xstrdup("");
		s->start = t0;
		s->end = t0 + secs;
		ev->id = ev->title = ev->track = ev->room = ev->speakers = ev->abstract = NULL;
	}
	free(ev->id);
	free(ev->date);
	free(ev->start);
	free(ev->duration);
	free(ev->room);
	free(ev->title);
	free(ev->track);
	free(ev->speakers);
	free(ev->abstract);
}

static void fmt_utc(int64_t t, char *buf, size_t len)
{
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	strftime(buf, len, "%Y-%m-%d %H:%M UTC", &tm);
}

static int str_ok(const char *s)
{
	return s == NULL || utf8_valid(s, strlen(s));
}

int schedule_validate(const schedule *sc, const char *file, diag *d)
{
	strmap ids = { 0 };
	size_t before = d->n;

	for (size_t i = 0; i < sc->n; i++) {
		const sched_session *s = &sc->v[i];
		int utf_ok = str_ok(s->id) && str_ok(s->title) && str_ok(s->track) &&
			     str_ok(s->room) && str_ok(s->speakers) && str_ok(s->abstract);
		for (size_t g = 0; g < s->ngroups; g++)
			utf_ok = utf_ok && str_ok(s->groups[g]);
		if (!utf_ok) {
			diag_add(d, file, s->line, "invalid UTF-8 in a session; save the file as UTF-8");
			continue;
		}
		if (s->id == NULL || s->id[0] == '\0') {
			diag_add(d, file, s->line, "missing session id");
		} else if (strlen(s->id) >= STORE_ID_MAX) {
			diag_add(d, file, s->line, "session id '%.40s...' is longer than %d bytes", s->id, STORE_ID_MAX - 1);
		} else {
			long first = strmap_put(&ids, s->id, s->line);
			if (first >= 0)
				diag_add(d, file, s->line, "duplicate session id '%s' (first on line %ld)", s->id, first);
		}
		if (s->title == NULL || s->title[0] == '\0')
			diag_add(d, file, s->line, "missing title for session '%s'", s->id ? s->id : "");
		if (s->abstract != NULL && strlen(s->abstract) >= STORE_ABSTRACT_MAX)
			diag_add(d, file, s->line, "abstract of session '%s' is %zu bytes; the kiosk "
				 "shows at most %d: shorten it", s->id ? s->id : "", strlen(s->abstract),
				 STORE_ABSTRACT_MAX - 1);
		if (s->end <= s->start) {
			char a[40], b[40];
			fmt_utc(s->start, a, sizeof a);
			fmt_utc(s->end, b, sizeof b);
			if (s->end == s->start)
				diag_add(d, file, s->line, "session '%s' ends when it starts (%s)",
					 s->id ? s->id : "", a);
			else
				diag_add(d, file, s->line, "session '%s' ends (%s) before it starts (%s)",
					 s->id ? s->id : "", b, a);
		}
	}
	strmap_free(&ids);
	return (int)(d->n - before);
}

int schedule_store(const schedule *sc, store *s, const char *file, diag *d)
{
	size_t before = d->n;

	if (sc->conference != NULL && sc->conference[0] != '\0' &&
	    store_meta_set(s, "conference_name", sc->conference) < 0)
		goto fail;
	if (sc->timezone != NULL && sc->timezone[0] != '\0' &&
	    store_meta_set(s, "timezone", sc->timezone) < 0)
		goto fail;
	for (size_t i = 0; i < sc->n; i++) {
		const sched_session *e = &sc->v[i];
		store_session_in in = { e->id, e->title, e->track ? e->track : "",
					e->room ? e->room : "", e->speakers ? e->speakers : "",
					e->start, e->end, e->abstract ? e->abstract : "" };
		if (store_session_put(s, &in) < 0)
			goto fail;
		for (size_t g = 0; g < e->ngroups; g++)
			if (store_session_add_group(s, e->id, e->groups[g]) < 0)
				goto fail;
	}
	return (int)(d->n - before);
fail:
	diag_add(d, file, 0, "database error: %s", store_errmsg(s));
	return (int)(d->n - before);
}

void schedule_free(schedule *sc)
{
	for (size_t i = 0; i < sc->n; i++) {
		sched_session *s = &sc->v[i];
		free(s->id);
		free(s->title);
		free(s->track);
		free(s->room);
		free(s->speakers);
		free(s->abstract);
		free_names(s->groups, s->ngroups);
	}
	free(sc->v);
	free(sc->conference);
	free(sc->timezone);
	memset(sc, 0, sizeof *sc);
}
