/* libFuzzer harness: the fleet file (common/fleet.c), as a kiosk parses it from a stick.
 * Whatever parses must format to text that parses again to the same fleet (kioskctl writes
 * fleet_format's bytes and a kiosk must accept them). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/fleet.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[400];
	fleet *f = NULL, *again = NULL;
	if (fleet_parse((const char *)data, size, size > 0 && data[0] == '{' ? "hall-a" : NULL, &f,
			err, sizeof(err)) == 0) {
		char *text = fleet_format(f);
		if (fleet_parse(text, strlen(text), NULL, &again, err, sizeof(err)) != 0 ||
		    again->n_kiosks != f->n_kiosks || again->version != f->version)
			abort();
		fleet_free(again);
		free(text);
	}
	fleet_free(f);
	return 0;
}
