/* pn532-sim: placeholder until the NFC issue lands the emulator. */
#include <stdio.h>

int main(void)
{
	fprintf(stderr, "pn532-sim: not yet\n");
	return 2;
}
