/* libFuzzer harness for sync/syncthing_api's JSON readers: Syncthing's answers (local, but a
 * crashed or foreign process could answer anything on the socket). */
#include "sync/syncthing_api.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	const char *c, *end;
	if (text == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	(void)syncthing_json_int(text, "needBytes", -1);
	(void)syncthing_json_int(text, "connected", 0);
	c = syncthing_json_find(text, "connections");
	if (c != NULL && (*c == '{' || *c == '[')) {
		end = syncthing_json_skip(c);
		if (end != NULL && (end <= c || end > text + size))
			abort();
	}
	free(text);
	return 0;
}
