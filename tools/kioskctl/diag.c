/* The problem list every import fills: each bad thing found becomes one "FILE:LINE: message"
 * line, all of them are printed, and a non-empty list means nothing is written. Also reading
 * an input file whole (inputs are at most a few megabytes; a buffer keeps the parsers simple
 * and lets them report exact physical lines). */
#include "kioskctl.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/util.h"

void diag_add(diag *d, const char *file, long line, const char *fmt, ...)
{
	char msg[1024];
	char full[1400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (line > 0)
		snprintf(full, sizeof full, "%s:%ld: %s", file, line, msg);
	else
		snprintf(full, sizeof full, "%s: %s", file, msg);
	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 16;
		d->lines = xreallocarray(d->lines, d->cap, sizeof *d->lines);
		d->at = xreallocarray(d->at, d->cap, sizeof *d->at);
	}
	d->at[d->n] = line;
	d->lines[d->n++] = xstrdup(full);
}

/* Problems print in line order (a stable insertion sort: several per line keep their order),
 * so the organiser can walk through the file top to bottom. */
void diag_print(const diag *d, FILE *f)
{
	size_t *order = xcalloc(d->n, sizeof *order);
	for (size_t i = 0; i < d->n; i++) {
		size_t j = i;
		while (j > 0 && d->at[order[j - 1]] > d->at[i]) {
			order[j] = order[j - 1];
			j--;
		}
		order[j] = i;
	}
	for (size_t i = 0; i < d->n; i++)
		fprintf(f, "%s\n", d->lines[order[i]]);
	free(order);
}

void diag_free(diag *d)
{
	for (size_t i = 0; i < d->n; i++)
		free(d->lines[i]);
	free(d->lines);
	free(d->at);
	d->lines = NULL;
	d->at = NULL;
	d->n = d->cap = 0;
}

int file_read_all(const char *path, char **out, size_t *len, diag *d)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t n = 0, cap = 0;

	if (f == NULL) {
		diag_add(d, path, 0, "cannot open: %s", strerror(errno));
		return -1;
	}
	for (;;) {
		if (cap - n < 65536) {
			cap = cap ? cap * 2 : 131072;
			buf = xreallocarray(buf, cap, 1);
		}
		size_t got = fread(buf + n, 1, cap - n - 1, f);
		n += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		diag_add(d, path, 0, "cannot read: %s", strerror(errno));
		fclose(f);
		free(buf);
		return -1;
	}
	fclose(f);
	buf[n] = '\0';
	*out = buf;
	*len = n;
	return 0;
}
