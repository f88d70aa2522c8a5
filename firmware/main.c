/* Kith kiosk: tap a badge, get checked in, see which colleagues are here.
 *
 * To understand everything else, start reading main(); docs/ARCHITECTURE.md has the full
 * picture. Five threads, one owner each:
 *   - SDL (this one): the window, the screens (app/kiosk.c) and a read-only database
 *     connection for the session browser and the admin screen.
 *   - reader (nfc/reader.c): libnfc; hands each badge straight to the store worker.
 *   - store worker (app/worker.c): the database connection for check-ins; posts KIOSK_EV_TAP
 *     only after the check-in is committed, so nothing says "checked in" before it is.
 *   - USB watcher and sync worker (sync/usb_sync.c, with --usb-dir): mounts, then one stick at
 *     a time, with their own connections.
 *   - speech (ui/ui_speech.c), once a visitor presses "Read aloud": espeak-ng, queuing samples
 *     to the audio device the SDL thread opened (ui/ui_audio.c) for the tap's tones.
 *   - LAN sync (sync/lan_sync.c, with lan_dir): publishes this kiosk's file into its Syncthing
 *     folder and takes in the peers' files, with its own connection.
 * Other threads reach the SDL thread only through app/events.c. SIGTERM/SIGINT set a flag; the
 * loop ends, the threads stop, the worker finishes the write in flight, and the kiosk exits 0.
 */
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <SDL.h>

#include "app/config.h"
#include "app/kiosk.h"
#include "app/lan_link.h"
#include "app/startup.h"
#include "app/watchdog.h"
#include "app/worker.h"
#include "common/clock.h"
#include "common/log.h"
#include "common/util.h"
#include "store/store.h"

static volatile sig_atomic_t quit_requested; /* the only file-static: set by signal handlers */

static void on_signal(int sig)
{
	(void)sig;
	quit_requested = 1;
}

static void signals_install(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sa.sa_handler = SIG_IGN; /* the demo FIFO may lose its reader */
	sigaction(SIGPIPE, &sa, NULL);
}

/* The conference's time zone (meta "timezone") decides where "today" starts. */
static void apply_meta(kiosk *k, store *db)
{
	static const char *name_keys[] = { "conference_name", "conference", "name", "title" };
	char tz[128];

	if (store_meta_get(db, "timezone", tz, sizeof tz) != 1)
		tz[0] = '\0';
	clock_set_zone(tz);
	if (tz[0])
		log_info("timezone %s", tz);
	for (size_t i = 0; i < ARRAY_LEN(name_keys); i++)
		if (store_meta_get(db, name_keys[i], k->conference, sizeof k->conference) == 1 &&
		    k->conference[0])
			break;
}

static void run(kiosk *k)
{
	uint64_t next_frame = 0;
	int moving = 1, ready = 0;
	struct watchdog wd = { 0 }; /* systemd restarts a kiosk whose loop stops turning */

	while (!quit_requested) {
		uint64_t now = time_mono_ns();
		/* Attract's calm pulse needs no more than 30 fps; lists and fades get 60. */
		uint64_t interval = k->screen.id == SCREEN_ATTRACT && !k->bench_scroll ? 33000000ULL
										       : 16000000ULL;
		int wait_ms = 100;
		SDL_Event ev;

		watchdog_kick(&wd);

		if (k->dim > 0.99f)
			interval = 100000000ULL; /* dimmed: a slow pulse is plenty */
		if (moving)
			wait_ms = next_frame > now ? (int)((next_frame - now) / 1000000) : 0;
		if (SDL_WaitEventTimeout(&ev, wait_ms)) {
			do {
				if (ev.type == SDL_QUIT)
					quit_requested = 1;
				else
					kiosk_event(k, &ev);
			} while (SDL_PollEvent(&ev));
		}
		now = time_mono_ns();
		moving = kiosk_update(k, now);
		if (k->dirty || (moving && now >= next_frame)) {
			kiosk_draw(k, now);
			next_frame = now + interval;
			if (!ready) {
				/* Started once the first frame is up: the warm-up frame compiles the GPU's
				 * shaders, which TimeoutStartSec= covers and WatchdogSec= need not. */
				watchdog_ready();
				ready = 1;
			}
		}
	}
}

int main(int argc, char **argv)
{
	kiosk *k = xcalloc(1, sizeof *k);
	store *db = NULL;
	int rc;

	log_set_name("kiosk");
	/* Text textures of every size are made and freed all day. glibc's default raises its mmap
	 * threshold after the first large free, so later ones land in the heap and fragment it
	 * (the soak's heap swung 28 to 44 MiB); fixed, every buffer of 128 KiB or more goes back
	 * to the kernel when freed. A kiosk runs for days on a 1 GB Pi. */
	mallopt(M_MMAP_THRESHOLD, 128 * 1024);
	signals_install();
	rc = config_load(&k->cfg, argc, argv);
	if (rc != 0) {
		if (rc < 0 && k->cfg.errors_on_screen)
			startup_config_refused(k, &quit_requested); /* the appliance: until stopped */
		config_free(&k->cfg);
		free(k);
		return rc > 0 ? 0 : 2;
	}

	/* A database that cannot be opened holds the kiosk on the fault screen, retrying; the
	 * reader and the worker start only once it is open, so nothing is acknowledged before. */
	if (startup_store_open(k, &db, &quit_requested) != 0) {
		ui_close(k->ui);
		SDL_Quit();
		config_free(&k->cfg);
		free(k);
		log_info("stopped while waiting for the database");
		return 0;
	}
	store_set_repeat_window(db, k->cfg.repeat_window);
	apply_meta(k, db);

	if (!k->ui && startup_display_open(k, k->conference[0] ? k->conference : "Kith kiosk") != 0)
		die("cannot open the display (see above)");
	if (kiosk_init(k) != 0)
		die("cannot set up events");
	if (k->cfg.lan_dir != NULL && k->cfg.lan_dir[0])
		lan_link_start(k); /* before the worker, which pokes it after each commit */
	{
		worker_params wp = { &k->events, k->cfg.kiosk_id, k->timing, k->lan };
		if (worker_start(&k->worker, db, &wp) != 0)
			die("cannot start the store worker");
	}
	{
		reader_callbacks cb = worker_reader_callbacks(k->worker);
		if (reader_start(&k->reader, k->cfg.reader, &cb) != 0) {
			log_error("reader: cannot start; check-in by badge is unavailable");
			k->reader_state = READER_FAILED;
		}
	}
	if (k->cfg.usb_dir != NULL) {
		usb_sync_config uc = { .db_path = k->cfg.db_path, .usb_dir = k->cfg.usb_dir,
				       .kiosk_id = k->cfg.kiosk_id, .location = k->cfg.location };
		if (sync_link_start(&k->sync, &uc, &k->events) != 0)
			log_error("usb: cannot start; sticks will not sync");
	}
	log_info("kiosk %s started: kiosk-id %s, db %s, reader %s", KITH_VERSION, k->cfg.kiosk_id,
		 k->cfg.db_path, k->cfg.reader ? k->cfg.reader : "(libnfc default)");

	run(k); /* kith-kiosk.service (Type=notify) counts as started after its first frame */

	log_info("stopping");
	if (k->reader)
		reader_stop(k->reader);
	sync_link_stop(k->sync); /* a sync in progress fails cleanly */
	worker_stop(k->worker); /* finishes the write in flight */
	lan_sync_stop(k->lan);  /* after the worker: it pokes the LAN thread */
	events_drain(&k->events); /* nobody posts any more: free the payloads still queued */
	kiosk_cleanup(k);
	ui_close(k->ui);
	SDL_Quit();
	config_free(&k->cfg);
	free(k);
	log_info("stopped");
	return 0;
}
