/* libFuzzer harness for the room geometry CSV (kioskctl import-rooms): any bytes must parse
 * into a model or a list of problems, never crash, overrun or loop. Drives the parse and
 * validate step only (no database), which is where all outside bytes are handled. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../tools/kioskctl/import_rooms.h"
#include "venue/poly.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	if (text == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	diag d = { 0 };
	rooms r;
	int problems = rooms_parse(&r, "fuzz.csv", text, size, &d);
	/* Invariant: a clean parse yields rooms with canonical, re-parseable outlines. */
	if (problems == 0) {
		for (size_t i = 0; i < r.n; i++) {
			venue_poly p;
			char err[160];
			if (r.v[i].polygon[0] != '\0' && venue_poly_parse(r.v[i].polygon, &p, err, sizeof err) < 0)
				abort();
		}
	}
	rooms_free(&r);
	diag_free(&d);
	free(text);
	return 0;
}
