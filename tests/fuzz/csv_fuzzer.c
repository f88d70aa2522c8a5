/* libFuzzer harness: roster and schedule CSV parsing + validation, in memory only (no DB).
 * The first byte picks roster or schedule so one corpus covers both. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../tools/kioskctl/kioskctl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	diag d = { 0 };
	char *buf = malloc(size + 1);
	if (buf == NULL)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	if (size > 0 && (data[0] & 1)) {
		schedule sc = { 0 };
		schedule_parse_csv(&sc, "fuzz.csv", buf, size, "UTC", &d);
		schedule_free(&sc);
	} else {
		roster r = { 0 };
		roster_parse(&r, "fuzz.csv", buf, size, &d);
		roster_free(&r);
	}
	diag_free(&d);
	free(buf);
	return 0;
}
