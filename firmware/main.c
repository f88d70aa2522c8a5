/* Kith kiosk: placeholder until the kiosk issue wires reader, storage and UI together. */
#include "common/log.h"

int main(void)
{
	log_set_name("kiosk");
	log_info("kiosk " KITH_VERSION);
	return 0;
}
