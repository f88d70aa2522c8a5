/* libFuzzer harness for the kiosk's config file parser (and the theme file, same walker).
 * config_load with no flags and no --config fills the defaults; the text is then applied. */
#include <stdint.h>

#include "app/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *argv[] = { "kiosk", NULL };
	kiosk_config c;
	config_load(&c, 1, argv);
	config_apply_text(&c, (const char *)data, size, "fuzz");
	config_free(&c);
	return 0;
}
