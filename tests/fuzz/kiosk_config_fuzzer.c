/* libFuzzer harness for the kiosk's config file parser (and the theme file, same walker).
 * The fuzz build links only the shared sources, so the parser is compiled in here. */
#include "app/config.c"

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	kiosk_config c;
	config_defaults(&c);
	config_apply_text(&c, (const char *)data, size, "fuzz");
	config_free(&c);
	return 0;
}
