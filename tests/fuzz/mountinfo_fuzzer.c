/* libFuzzer harness for sync/mountinfo: the mount table text, whose mount points anyone who
 * can mount a stick chooses. */
#include "sync/mountinfo.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	mount_entry *list = NULL;
	if (text == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	int n = mountinfo_filter(text, "/media/usb", &list);
	for (int i = 0; i < n; i++)
		if (!mountinfo_is_under(list[i].point, "/media/usb"))
			abort();
	free(list);
	free(text);
	return 0;
}
