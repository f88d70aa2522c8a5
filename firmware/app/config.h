/* Kiosk configuration: the command-line flags of docs/CONTRACT.md "build/kiosk" plus an
 * optional `--config FILE` of `key = value` lines (# comments). The file is read first; flags
 * on the command line win.
 */
#ifndef KITH_APP_CONFIG_H
#define KITH_APP_CONFIG_H

#include <stddef.h>

#define KIOSK_VOLUME_DEFAULT 70

typedef struct kiosk_config {
	char *db_path;        /* --db: the kiosk's own database (default kith.db) */
	char *reader;         /* --reader: libnfc connstring; NULL = libnfc's default device */
	char *usb_dir;        /* --usb-dir: where sticks get mounted (USB sync module) */
	char *kiosk_id;       /* --kiosk-id (default: host name) */
	char *location;       /* --location: shown on screen and stored with each check-in */
	int fullscreen;       /* --fullscreen */
	int width, height;    /* --window WxH (logical, before rotation); 0 = default */
	int rotate;           /* --rotate 0|90|180|270 */
	char *config_path;    /* --config */

	int idle_timeout;     /* s without activity before personal data leaves the screen */
	int dim_timeout;      /* s without activity before the screen dims */
	int repeat_window;    /* s in which a second tap of a badge is not a new check-in */
	int volume;           /* 0..100: tones and speech; 0 opens no audio device (sound off) */
	int day_starts;       /* minutes after local midnight when a conference day starts (04:00) */
	double display_diagonal; /* inches (7): the panel's size, for touch targets in mm */
	char *admin_pin;      /* admin screen PIN (admin module) */
	char *conference_key; /* hex public key bundles must be signed with (kith.txt); NULL: learn */
	char *staff_pin;      /* staff mode PIN, entered on the same pad (screens/staff.c) */
	char *font_regular, *font_bold, *font_fallback; /* NULL: DejaVu Sans, Droid fallback */
	char *scene_file;     /* NULL: none; else the scene description is kept there (tests) */
	char *theme_file;     /* NULL: built-in colours; e.g. assets/theme/kith.theme */
	char *demo_sim_fifo;  /* demo: keys 1..8 write pn532-sim commands into this FIFO */
	char *demo_badges;    /* demo: "KEY UID_HEX TEXT|- LABEL..." lines for the legend */
	int errors_on_screen; /* --errors-on-screen: a refused config is shown, not exit 2 */
	char *errors;         /* what config_load refused, one message a line; NULL when none */

	/* LAN sync (sync/lan_sync.h); none of it without lan_dir. */
	char *lan_dir;        /* root of the kith-<kiosk-id>/ Syncthing folders */
	char *syncthing_api;  /* socket path, or http://127.0.0.1:PORT (tests) */
	char *syncthing_api_key_file;
	int lan_cutoff;       /* s without any connected peer before welcome says so (60) */
	int lan_max_file_mb;  /* a bigger peer file is refused (0: the exchange's 1 GiB) */
} kiosk_config;

/* Fills defaults, reads --config (if given) and the flags, then sets the clock (KITH_CLOCK,
 * day_starts: common/clock.h). Returns 0 to run, 1 when --help was printed, -1 after printing
 * a message naming the bad flag, line or KITH_CLOCK value. Every error line logged while
 * loading (config's own and those of anything it calls) is also kept in c->errors, and any
 * such line refuses the config: the kiosk shows them with --errors-on-screen. */
int config_load(kiosk_config *c, int argc, char **argv);
/* Applies `key = value` text (a config file's contents); name is used in messages. Unknown keys
 * are warned about and skipped; returns the number of bad lines (0 = all good). */
int config_apply_text(kiosk_config *c, const char *text, size_t len, const char *name);
void config_free(kiosk_config *c);

/* The generic `key = value` line walker, shared with the theme file. fn returns 0 if it
 * accepted the pair, -1 to report the line as bad. Returns the number of bad lines. */
typedef int (*config_pair_fn)(void *ctx, const char *key, const char *value, const char *name,
			      int line);
int config_parse_pairs(const char *text, size_t len, const char *name, config_pair_fn fn,
		       void *ctx);
/* Reads a whole small file (<= 1 MiB) into a NUL-terminated buffer; NULL on failure. */
char *config_read_file(const char *path, size_t *len);

#endif
