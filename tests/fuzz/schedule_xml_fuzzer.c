/* libFuzzer harness: frab/pretalx schedule.xml parsing + validation, in memory only. */
#include <stddef.h>
#include <stdint.h>

#include "../../tools/kioskctl/kioskctl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	diag d = { 0 };
	schedule sc = { 0 };
	schedule_parse_xml(&sc, "fuzz.xml", (const char *)data, size, "UTC", &d);
	schedule_free(&sc);
	diag_free(&d);
	return 0;
}
