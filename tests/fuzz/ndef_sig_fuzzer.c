/* libFuzzer harness for the badge signature record (ndef_parse_signature, issue 16): whatever a
 * badge holds, parsing must not crash, must report found/none/malformed and nothing else, a
 * found record must have a UID length the format allows, and ndef_build_badge's output must
 * parse back to the same record and id. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "nfc/ndef.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ndef_badge_sig sig, back;
	char id[NDEF_ID_MAX];
	const char *why = NULL;
	uint8_t mem[256];
	int rc = ndef_parse_signature(data, size, &sig, &why);

	if (rc == 1) {
		if (sig.uid_len != 4 && sig.uid_len != 7 && sig.uid_len != 10)
			abort();
	} else if (rc != 0 && rc != NDEF_EMALFORMED && rc != NDEF_ETRUNCATED) {
		abort();
	} else if (rc < 0 && why == NULL) {
		abort(); /* every refusal says why */
	}
	/* Round trip: the input's first bytes as a signature record. */
	if (size >= 4 + 10 + NDEF_SIG_BYTES) {
		memset(&sig, 0, sizeof sig);
		memcpy(sig.conf_tag, data, 4);
		sig.uid_len = 4 + 3 * (data[4] % 3);
		memcpy(sig.uid, data + 4, sig.uid_len);
		memcpy(sig.sig, data + 14, NDEF_SIG_BYTES);
		int len = ndef_build_badge("A-00042", &sig, mem, sizeof mem);
		if (len < 0 || ndef_parse_signature(mem, (size_t)len, &back, &why) != 1 ||
		    memcmp(&back, &sig, sizeof sig) != 0 ||
		    ndef_parse_attendee(mem, (size_t)len, id, &why) != NDEF_OK ||
		    strcmp(id, "A-00042") != 0)
			abort();
	}
	return 0;
}
