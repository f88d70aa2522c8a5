/* libFuzzer harness for the NDEF parser: whatever a badge holds, parsing must not crash, must
 * yield a valid id or none, and ndef_build_text's output must parse back to the same text. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/util.h"
#include "nfc/ndef.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char id[NDEF_ID_MAX];
	const char *why = NULL;
	int rc = ndef_parse_attendee(data, size, id, &why);

	if (rc == NDEF_OK) {
		size_t n = strnlen(id, NDEF_ID_MAX);
		if (n == 0 || n >= NDEF_ID_MAX || !utf8_valid(id, n))
			abort();
	} else if (rc != NDEF_EMPTY && rc != NDEF_EMALFORMED && rc != NDEF_ETRUNCATED) {
		abort();
	} else if (rc != NDEF_EMPTY && why == NULL) {
		abort(); /* every refusal says why */
	}
	(void)ndef_tlv_span(data, size);
	if (size >= 4)
		(void)ndef_cc_valid(data);

	/* Round trip: a text that is a valid id must come back unchanged. */
	if (size > 0 && size < NDEF_ID_MAX) {
		char text[NDEF_ID_MAX];
		uint8_t mem[128];
		int ok = utf8_valid((const char *)data, size);
		for (size_t i = 0; i < size && ok; i++)
			if (data[i] < 0x20 || data[i] == 0x7F)
				ok = 0;
		if (ok) {
			memcpy(text, data, size);
			text[size] = '\0';
			int len = ndef_build_text(text, mem, sizeof mem);
			if (len < 0 || ndef_parse_attendee(mem, (size_t)len, id, &why) != NDEF_OK ||
			    strcmp(id, text) != 0 || ndef_tlv_span(mem, (size_t)len) != len - 1)
				abort();
		}
	}
	return 0;
}
