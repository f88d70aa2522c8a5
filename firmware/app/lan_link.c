/* LAN sync to SDL events; see lan_link.h. */
#include "app/lan_link.h"

#include "common/log.h"

static void on_lan(void *ctx, int64_t added)
{
	const kiosk_events *ev = ctx;
	/* A lost status event costs nothing: the next one carries the same news. */
	(void)events_post(ev, KIOSK_EV_LAN, added > 0, NULL);
}

void lan_link_start(kiosk *k)
{
	lan_sync_config lc = {
		.db_path = k->cfg.db_path,
		.lan_dir = k->cfg.lan_dir,
		.kiosk_id = k->cfg.kiosk_id,
		.api_addr = k->cfg.syncthing_api,
		.api_key_file = k->cfg.syncthing_api_key_file,
		.cutoff_s = k->cfg.lan_cutoff,
		.max_file_bytes = (int64_t)k->cfg.lan_max_file_mb << 20,
		.notify = on_lan,
		.notify_ctx = &k->events,
	};
	if (lan_sync_start(&k->lan, &lc) != 0)
		k->lan = NULL;
}
