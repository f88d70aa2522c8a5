/* An RFC 4180 CSV reader over an in-memory buffer.
 *
 * Our own ~150 lines instead of libcsv because error messages must name the *physical* line
 * where a record (or an unterminated quoted field) starts, even when quoted fields contain
 * newlines; libcsv reports neither. Accepts: a UTF-8 BOM, LF, CRLF or a bare CR (old Mac
 * Excel saves CR-only files; a CR outside quotes is never data in RFC 4180), quoted fields with
 * commas, doubled quotes and newlines, blank lines (skipped). Rejects text after a closing
 * quote and an unterminated quote. Bytes are passed through untouched, NUL bytes included
 * (each field's length is kept): the caller, which knows the column names, rejects NUL,
 * control characters (csv_check_controls) and bad UTF-8 (csv_bad_utf8). */
#include "kioskctl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/util.h"

void csv_init(csv_reader *r, const char *data, size_t len)
{
	memset(r, 0, sizeof *r);
	r->p = data;
	r->end = data + len;
	r->line = 1;
	if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
		r->p += 3;
}

void csv_free(csv_reader *r)
{
	free(r->buf);
	free(r->offs);
	free(r->lens);
	free(r->fields);
	memset(r, 0, sizeof *r);
}

static void csv_putc(csv_reader *r, char c)
{
	if (r->buflen == r->bufcap) {
		r->bufcap = r->bufcap ? r->bufcap * 2 : 256;
		r->buf = xreallocarray(r->buf, r->bufcap, 1);
	}
	r->buf[r->buflen++] = c;
}

static void csv_end_field(csv_reader *r, size_t start)
{
	csv_putc(r, '\0');
	if (r->nfields == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 16;
		r->offs = xreallocarray(r->offs, r->cap, sizeof *r->offs);
		r->lens = xreallocarray(r->lens, r->cap, sizeof *r->lens);
		r->fields = xreallocarray(r->fields, r->cap, sizeof *r->fields);
	}
	r->offs[r->nfields++] = start;
}

/* At a line end (LF, CRLF or a bare CR) at r->p? Returns its length, else 0. */
static size_t csv_eol(const csv_reader *r)
{
	if (r->p < r->end && r->p[0] == '\n')
		return 1;
	if (r->p < r->end && r->p[0] == '\r')
		return r->end - r->p >= 2 && r->p[1] == '\n' ? 2 : 1;
	return 0;
}

static void csv_skip_line(csv_reader *r)
{
	size_t eol;
	while (r->p < r->end && csv_eol(r) == 0)
		r->p++;
	if ((eol = csv_eol(r)) != 0) {
		r->p += eol;
		r->line++;
	}
}

int csv_next(csv_reader *r, csv_record *rec, char *err, size_t errlen)
{
	size_t eol;

	/* Blank lines between records carry nothing. */
	while ((eol = csv_eol(r)) != 0) {
		r->p += eol;
		r->line++;
	}
	rec->line = r->line;
	rec->fields = NULL;
	rec->nfields = 0;
	if (r->p >= r->end)
		return 0;

	r->buflen = 0;
	r->nfields = 0;
	for (;;) {
		size_t start = r->buflen;
		if (r->p < r->end && *r->p == '"') {
			long qline = r->line;
			r->p++;
			for (;;) {
				if (r->p >= r->end) {
					snprintf(err, errlen, "unterminated quoted field (the quote opens on line %ld)", qline);
					rec->line = qline;
					return -1;
				}
				char c = *r->p++;
				if (c == '"') {
					if (r->p < r->end && *r->p == '"') {
						csv_putc(r, '"');
						r->p++;
						continue;
					}
					break;
				}
				/* A quoted CR stays data; it ends a line only in a CR-only file. */
				if (c == '\n' || (c == '\r' && (r->p >= r->end || *r->p != '\n')))
					r->line++;
				csv_putc(r, c);
			}
			if (r->p < r->end && *r->p != ',' && csv_eol(r) == 0) {
				snprintf(err, errlen, "text after a closing quote (line %ld); quote the whole field and double any quote inside it", r->line);
				csv_skip_line(r);
				return -1;
			}
		} else {
			while (r->p < r->end && *r->p != ',' && csv_eol(r) == 0)
				csv_putc(r, *r->p++);
		}
		csv_end_field(r, start);
		if (r->p < r->end && *r->p == ',') {
			r->p++;
			continue;
		}
		eol = csv_eol(r);
		r->p += eol;
		if (eol)
			r->line++;
		break;
	}
	for (size_t i = 0; i < r->nfields; i++) {
		r->fields[i] = r->buf + r->offs[i];
		r->lens[i] = (i + 1 < r->nfields ? r->offs[i + 1] : r->buflen) - r->offs[i] - 1;
	}
	rec->fields = r->fields;
	rec->lens = r->lens;
	rec->nfields = r->nfields;
	return 1;
}

int csv_bad_control(const csv_record *rec, unsigned *cp)
{
	for (size_t i = 0; i < rec->nfields; i++) {
		for (size_t k = 0; k < rec->lens[i]; k++) {
			unsigned char c = (unsigned char)rec->fields[i][k];
			if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
				*cp = c;
				return (int)i;
			}
		}
	}
	return -1;
}

int csv_check_controls(const csv_record *rec, const char *file, const char *const *names,
		       const int *idx, int n, diag *d)
{
	unsigned cp;
	int bad = csv_bad_control(rec, &cp);
	if (bad < 0)
		return 0;
	const char *col = "an ignored column";
	for (int c = 0; c < n; c++)
		if (idx[c] == bad)
			col = names[c];
	if (cp == 0)
		diag_add(d, file, rec->line, "NUL byte in field %d (%s); a NUL would cut the text short: "
			 "remove it, and save the file as UTF-8 (not UTF-16)", bad + 1, col);
	else
		diag_add(d, file, rec->line, "control character U+%04X in field %d (%s); only TAB, LF "
			 "and CR may appear inside a field", cp, bad + 1, col);
	return -1;
}

int csv_bad_utf8(const csv_record *rec)
{
	for (size_t i = 0; i < rec->nfields; i++) {
		if (!utf8_valid(rec->fields[i], strlen(rec->fields[i])))
			return (int)i;
	}
	return -1;
}

int csv_header_map(const csv_record *hdr, const char *const *names, int n, int *idx)
{
	int dup = -1;
	for (int i = 0; i < n; i++)
		idx[i] = -1;
	for (size_t c = 0; c < hdr->nfields; c++) {
		char *h = str_trim(hdr->fields[c]);
		for (int i = 0; i < n; i++) {
			if (strcasecmp(h, names[i]) != 0)
				continue;
			if (idx[i] >= 0 && dup < 0)
				dup = (int)c;
			else if (idx[i] < 0)
				idx[i] = (int)c;
		}
	}
	return dup;
}

int csv_read_header(csv_reader *rd, const char *file, const char *const *names, int n,
		    const int *required, int nrequired, int *idx, diag *d)
{
	csv_record rec;
	char err[256];
	size_t before = d->n;
	int rc = csv_next(rd, &rec, err, sizeof err);

	if (rc == 0) {
		char want[512] = "";
		size_t len = 0;
		for (int i = 0; i < n && len < sizeof want; i++)
			len += (size_t)snprintf(want + len, sizeof want - len, "%s%s", i ? "," : "",
						names[i]);
		diag_add(d, file, 1, "empty file: expected a header row %s", want);
		return -1;
	}
	if (rc < 0) {
		diag_add(d, file, rec.line, "%s", err);
		return -1;
	}
	unsigned cp;
	if (csv_bad_control(&rec, &cp) >= 0) {
		if (cp == 0)
			diag_add(d, file, rec.line, "NUL byte in the header row; save the file as UTF-8 (not UTF-16)");
		else
			diag_add(d, file, rec.line, "control character U+%04X in the header row", cp);
		return -1;
	}
	if (csv_bad_utf8(&rec) >= 0) {
		diag_add(d, file, rec.line, "invalid UTF-8 in the header row; save the file as UTF-8");
		return -1;
	}
	int dup = csv_header_map(&rec, names, n, idx);
	if (dup >= 0)
		diag_add(d, file, rec.line, "column '%s' appears twice in the header", rec.fields[dup]);
	for (int i = 0; i < nrequired; i++)
		if (idx[required[i]] < 0)
			diag_add(d, file, rec.line, "missing required column '%s' in the header",
				 names[required[i]]);
	return d->n == before ? 0 : -1;
}
