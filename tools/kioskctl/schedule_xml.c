/* frab / pretalx schedule.xml, read with libxml2.
 *
 * libxml2 because it is the XML parser Debian (and GNOME, and most of the distribution)
 * maintains and fuzzes continuously; we use its tree API with the hostile-input settings:
 * no network (XML_PARSE_NONET), no entity substitution and no DTD loading (neither option is
 * passed), and any document carrying a DOCTYPE is refused outright, so entity tricks (billion
 * laughs, external files) never get a chance. Text is gathered from text/CDATA children only.
 *
 * Shape: schedule/conference/{title,time_zone_name}, schedule/day[@date]/room[@name]/event
 * with {date (ISO with offset, authoritative: pretalx days run past midnight), start,
 * duration, room, title, track, persons/person, abstract or description}. */
#include "kioskctl.h"

#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "common/util.h"

static int is_elem(const xmlNode *n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

static xmlNode *child(const xmlNode *n, const char *name)
{
	for (xmlNode *c = n->children; c != NULL; c = c->next)
		if (is_elem(c, name))
			return c;
	return NULL;
}

/* The element's own text (text and CDATA children), trimmed; "" when absent. */
static char *text_of(const xmlNode *n)
{
	size_t len = 0;
	char *out = xcalloc(1, 1);
	if (n == NULL)
		return out;
	for (xmlNode *c = n->children; c != NULL; c = c->next) {
		if ((c->type != XML_TEXT_NODE && c->type != XML_CDATA_SECTION_NODE) || c->content == NULL)
			continue;
		size_t add = strlen((const char *)c->content);
		out = xreallocarray(out, len + add + 1, 1);
		memcpy(out + len, c->content, add + 1);
		len += add;
	}
	return str_trim(out);
}

/* libxml2 stops at a raw NUL ("Premature end of data") and names a raw control character
 * without its element; find the first of either ourselves and name the element it is in
 * (the last start tag before it). Control characters written as &#27; are refused by
 * libxml2 itself: XML 1.0 does not allow them. Returns -1 after a diagnostic. */
static int xml_check_controls(const char *data, size_t len, const char *file, diag *d)
{
	const char *elem = "", *p;
	size_t elen = 0;
	long line = 1;

	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)data[i];
		if (c == '\n')
			line++;
		if (c == '<' && i + 1 < len && strchr("/!?", data[i + 1]) == NULL) {
			elem = p = data + i + 1;
			while (p < data + len && strchr(" \t\r\n/>", *p) == NULL && *p != '\0')
				p++;
			elen = (size_t)(p - elem);
		}
		if (c >= 0x20 || c == '\t' || c == '\n' || c == '\r')
			continue;
		if (c == 0)
			diag_add(d, file, line, "NUL byte in field <%.*s>; a NUL would cut the text short: "
				 "remove it, and save the file as UTF-8 (not UTF-16)", (int)(elen > 40 ? 40 : elen), elem);
		else
			diag_add(d, file, line, "control character U+%04X in field <%.*s>; only TAB, LF and "
				 "CR may appear in text", c, (int)(elen > 40 ? 40 : elen), elem);
		return -1;
	}
	return 0;
}

static char *attr(const xmlNode *n, const char *name)
{
	xmlChar *v = xmlGetProp((xmlNode *)n, (const xmlChar *)name);
	char *out = xstrdup(v ? (const char *)v : "");
	xmlFree(v);
	return str_trim(out);
}

/* "A; B" from persons/person. */
static char *persons_of(const xmlNode *ev)
{
	xmlNode *ps = child(ev, "persons");
	char *out = xcalloc(1, 1);
	size_t len = 0;
	if (ps == NULL)
		return out;
	for (xmlNode *p = ps->children; p != NULL; p = p->next) {
		if (!is_elem(p, "person"))
			continue;
		char *name = text_of(p);
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

/* frab has <abstract> (short) and <description> (long); pretalx fills both, often the same.
 * The abstract wins; the description stands in when there is no abstract. */
static char *abstract_of(const xmlNode *ev)
{
	char *a = text_of(child(ev, "abstract"));
	if (a[0] != '\0')
		return a;
	free(a);
	return text_of(child(ev, "description"));
}

static void xml_event(schedule *sc, const char *file, const xmlNode *ev, const char *day_date,
		      int64_t day_start, const char *room_name, const char *tz, diag *d)
{
	long line = xmlGetLineNo((xmlNode *)ev);
	sched_event e = {
		.id = attr(ev, "id"),
		.date = text_of(child(ev, "date")),
		.start = text_of(child(ev, "start")),
		.duration = text_of(child(ev, "duration")),
		.room = text_of(child(ev, "room")),
		.title = text_of(child(ev, "title")),
		.track = text_of(child(ev, "track")),
		.speakers = persons_of(ev),
		.abstract = abstract_of(ev),
		.quote_date = "<date>",
		.quote_start = "<start>",
	};

	if (e.id[0] == '\0') {
		free(e.id);
		e.id = attr(ev, "guid");
	}
	schedule_add_event(sc, &e, day_date, day_start, room_name, tz, file, line, d);
}

int schedule_parse_xml(schedule *sc, const char *file, const char *data, size_t len,
		       const char *tz, diag *d)
{
	size_t before = d->n;
	xmlParserCtxt *ctx = NULL;
	xmlDoc *doc = NULL;
	char *zone = NULL;

	if (len > (size_t)0x7fffffff) {
		diag_add(d, file, 0, "file too large");
		return 1;
	}
	if (xml_check_controls(data, len, file, d) < 0)
		return 1;
	ctx = xmlNewParserCtxt();
	if (ctx == NULL) {
		diag_add(d, file, 0, "out of memory");
		return 1;
	}
	doc = xmlCtxtReadMemory(ctx, data, (int)len, file, NULL,
				XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
				XML_PARSE_BIG_LINES);
	if (doc == NULL) {
		const xmlError *e = xmlCtxtGetLastError(ctx);
		char msg[256] = "not well-formed XML";
		if (e != NULL && e->message != NULL) {
			snprintf(msg, sizeof msg, "%s", e->message);
			str_trim(msg);
		}
		diag_add(d, file, e ? e->line : 0, "XML error: %s", msg);
		goto out;
	}
	if (doc->intSubset != NULL || doc->extSubset != NULL) {
		diag_add(d, file, 1, "a DOCTYPE is not accepted in a schedule (entities are not expanded)");
		goto out;
	}
	xmlNode *root = xmlDocGetRootElement(doc);
	if (root == NULL || !is_elem(root, "schedule")) {
		diag_add(d, file, root ? xmlGetLineNo(root) : 1,
			 "not a frab/pretalx schedule: the root element is <%s>, expected <schedule>",
			 root ? (const char *)root->name : "");
		goto out;
	}
	xmlNode *conf = child(root, "conference");
	if (conf != NULL) {
		sc->conference = text_of(child(conf, "title"));
		zone = text_of(child(conf, "time_zone_name"));
		if (zone[0] != '\0') {
			if (!tz_valid(zone)) {
				diag_add(d, file, xmlGetLineNo(child(conf, "time_zone_name")),
					 "unknown time zone '%s'", zone);
				goto out;
			}
			sc->timezone = xstrdup(zone);
			tz = sc->timezone;
		}
	}
	for (xmlNode *day = root->children; day != NULL; day = day->next) {
		if (!is_elem(day, "day"))
			continue;
		char *ddate = attr(day, "date");
		char *dstart = attr(day, "start");
		civil_time c;
		int64_t day_start = 0;
		if (dstart[0] != '\0' && (iso_parse(dstart, &c, 0) < 0 || civil_resolve(&c, tz, &day_start) < 0))
			day_start = 0;
		for (xmlNode *room = day->children; room != NULL; room = room->next) {
			if (!is_elem(room, "room"))
				continue;
			char *rname = attr(room, "name");
			for (xmlNode *ev = room->children; ev != NULL; ev = ev->next)
				if (is_elem(ev, "event"))
					xml_event(sc, file, ev, ddate, day_start, rname, tz, d);
			free(rname);
		}
		free(ddate);
		free(dstart);
	}
	schedule_validate(sc, file, d);
out:
	free(zone);
	xmlFreeDoc(doc);
	xmlFreeParserCtxt(ctx);
	return (int)(d->n - before);
}
