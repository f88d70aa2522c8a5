/* Command line and config file. Everything from outside is checked here with a message that
 * names the flag, file and line, so the rest of the kiosk can trust kiosk_config.
 * Start reading at config_load().
 */
#include "app/config.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/clock.h"
#include "common/log.h"
#include "common/sign.h"
#include "common/util.h"

#define CONFIG_FILE_MAX (1 << 20)
#define LINE_MAX_LEN 1024
#define CONFIG_ERRORS_MAX 8192

static const char usage[] =
	"usage: kiosk [--db FILE] [--reader CONNSTRING] [--usb-dir DIR] [--kiosk-id ID]\n"
	"             [--location TEXT] [--fullscreen | --window WxH] [--rotate 0|90|180|270]\n"
	"             [--config FILE] [--errors-on-screen] [--conference-key HEX]\n";

static void set_str(char **dst, const char *v)
{
	free(*dst);
	*dst = v ? xstrdup(v) : NULL;
}

static int parse_int(const char *v, int lo, int hi, int *out)
{
	char *end;
	long n;
	errno = 0;
	n = strtol(v, &end, 10);
	if (errno || end == v || *end || n < lo || n > hi)
		return -1;
	*out = (int)n;
	return 0;
}

static int parse_window(const char *v, int *w, int *h)
{
	char *end;
	long a, b;
	errno = 0;
	a = strtol(v, &end, 10);
	if (errno || end == v || (*end != 'x' && *end != 'X'))
		return -1;
	v = end + 1;
	b = strtol(v, &end, 10);
	if (errno || end == v || *end || a < 240 || b < 240 || a > 8192 || b > 8192)
		return -1;
	*w = (int)a;
	*h = (int)b;
	return 0;
}

static int parse_rotate(const char *v, int *out)
{
	int r;
	if (parse_int(v, 0, 270, &r) != 0 || r % 90 != 0)
		return -1;
	*out = r;
	return 0;
}

/* Keys shared by the file and, for the flags of docs/CONTRACT.md "build/kiosk", the command
 * line. */
static int apply_pair(void *ctx, const char *key, const char *v, const char *name, int line)
{
	kiosk_config *c = ctx;
	static const struct {
		const char *key;
		size_t off;
	} strs[] = {
		{ "db", offsetof(kiosk_config, db_path) },
		{ "reader", offsetof(kiosk_config, reader) },
		{ "usb_dir", offsetof(kiosk_config, usb_dir) },
		{ "kiosk_id", offsetof(kiosk_config, kiosk_id) },
		{ "location", offsetof(kiosk_config, location) },
		{ "admin_pin", offsetof(kiosk_config, admin_pin) },
		{ "staff_pin", offsetof(kiosk_config, staff_pin) },
		{ "font", offsetof(kiosk_config, font_regular) },
		{ "font_bold", offsetof(kiosk_config, font_bold) },
		{ "font_fallback", offsetof(kiosk_config, font_fallback) },
		{ "scene_file", offsetof(kiosk_config, scene_file) },
		{ "theme_file", offsetof(kiosk_config, theme_file) },
		{ "demo_sim_fifo", offsetof(kiosk_config, demo_sim_fifo) },
		{ "demo_badges", offsetof(kiosk_config, demo_badges) },
		{ "lan_dir", offsetof(kiosk_config, lan_dir) },
		{ "syncthing_api", offsetof(kiosk_config, syncthing_api) },
		{ "syncthing_api_key_file", offsetof(kiosk_config, syncthing_api_key_file) },
	};
	static const struct {
		const char *key;
		size_t off;
		int lo, hi;
	} ints[] = {
		{ "idle_timeout", offsetof(kiosk_config, idle_timeout), 1, 86400 },
		{ "dim_timeout", offsetof(kiosk_config, dim_timeout), 1, 86400 },
		{ "repeat_window", offsetof(kiosk_config, repeat_window), 0, 86400 },
		{ "volume", offsetof(kiosk_config, volume), 0, 100 },
		{ "lan_cutoff", offsetof(kiosk_config, lan_cutoff), 1, 86400 },
		{ "lan_max_file_mb", offsetof(kiosk_config, lan_max_file_mb), 0, 65536 },
	};

	for (size_t i = 0; i < ARRAY_LEN(strs); i++) {
		if (strcmp(key, strs[i].key) == 0) {
			set_str((char **)((char *)c + strs[i].off), v);
			return 0;
		}
	}
	for (size_t i = 0; i < ARRAY_LEN(ints); i++) {
		if (strcmp(key, ints[i].key) == 0) {
			if (parse_int(v, ints[i].lo, ints[i].hi, (int *)((char *)c + ints[i].off))) {
				log_error("%s:%d: %s must be a number from %d to %d, not '%s'", name,
					  line, key, ints[i].lo, ints[i].hi, v);
				return -1;
			}
			return 0;
		}
	}
	if (strcmp(key, "window") == 0) {
		if (parse_window(v, &c->width, &c->height) != 0) {
			log_error("%s:%d: window must be WIDTHxHEIGHT (e.g. 800x480), not '%s'", name,
				  line, v);
			return -1;
		}
		return 0;
	}
	if (strcmp(key, "rotate") == 0) {
		if (parse_rotate(v, &c->rotate) != 0) {
			log_error("%s:%d: rotate must be 0, 90, 180 or 270, not '%s'", name, line, v);
			return -1;
		}
		return 0;
	}
	if (strcmp(key, "day_starts") == 0) {
		if (clock_parse_day_starts(v, &c->day_starts) != 0) {
			log_error("%s:%d: day_starts must be a local time HH:MM from 00:00 to 23:59 "
				  "(e.g. 04:00), not '%s'", name, line, v);
			return -1;
		}
		return 0;
	}
	if (strcmp(key, "conference_key") == 0) {
		uint8_t pk[SIGN_PUBLIC_BYTES];
		if (v[0] != '\0' && sign_public_from_hex(v, pk) != 0) {
			log_error("%s:%d: conference_key must be the 64 hex digits of the conference's "
				  "public key (kioskctl keys init), not '%s'", name, line, v);
			return -1;
		}
		set_str(&c->conference_key, v[0] ? v : NULL);
		return 0;
	}
	if (strcmp(key, "display_diagonal") == 0) {
		char *end;
		errno = 0;
		double d = strtod(v, &end);
		if (errno != 0 || end == v || *end != '\0' || !(d >= 3.0 && d <= 100.0)) {
			log_error("%s:%d: display_diagonal must be the display's diagonal in inches, "
				  "from 3 to 100 (e.g. 7 or 10.1), not '%s'", name, line, v);
			return -1;
		}
		c->display_diagonal = d;
		return 0;
	}
	if (strcmp(key, "fullscreen") == 0) {
		if (parse_int(v, 0, 1, &c->fullscreen) != 0) {
			log_error("%s:%d: fullscreen must be 0 or 1, not '%s'", name, line, v);
			return -1;
		}
		return 0;
	}
	log_warn("%s:%d: unknown key '%s' ignored", name, line, key);
	return 0;
}

static char *trim(char *s)
{
	char *e;
	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		*--e = '\0';
	return s;
}

int config_parse_pairs(const char *text, size_t len, const char *name, config_pair_fn fn,
		       void *ctx)
{
	size_t pos = 0;
	int lineno = 0, bad = 0;

	while (pos < len) {
		char line[LINE_MAX_LEN];
		size_t end = pos, n;
		char *key, *val, *eq;

		while (end < len && text[end] != '\n')
			end++;
		n = end - pos;
		lineno++;
		if (n >= sizeof line) {
			log_error("%s:%d: line longer than %d bytes", name, lineno, LINE_MAX_LEN - 1);
			bad++;
			pos = end + 1;
			continue;
		}
		memcpy(line, text + pos, n);
		line[n] = '\0';
		pos = end + 1;
		if (memchr(line, '\0', n) || !utf8_valid(line, n)) {
			log_error("%s:%d: not UTF-8 text", name, lineno);
			bad++;
			continue;
		}
		key = trim(line);
		if (*key == '#' || *key == '\0')
			continue;
		eq = strchr(key, '=');
		if (!eq) {
			log_error("%s:%d: expected 'key = value'", name, lineno);
			bad++;
			continue;
		}
		*eq = '\0';
		val = trim(eq + 1);
		key = trim(key);
		if (*key == '\0') {
			log_error("%s:%d: empty key", name, lineno);
			bad++;
			continue;
		}
		if (fn(ctx, key, val, name, lineno) != 0)
			bad++;
	}
	return bad;
}

int config_apply_text(kiosk_config *c, const char *text, size_t len, const char *name)
{
	return config_parse_pairs(text, len, name, apply_pair, c);
}

char *config_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t n;

	if (!f)
		return NULL;
	buf = xcalloc(CONFIG_FILE_MAX + 1, 1);
	n = fread(buf, 1, CONFIG_FILE_MAX + 1, f);
	if (ferror(f) || n > CONFIG_FILE_MAX) {
		fclose(f);
		free(buf);
		return NULL;
	}
	fclose(f);
	buf[n] = '\0';
	*len = n;
	return buf;
}

static void config_defaults(kiosk_config *c)
{
	char host[256];
	memset(c, 0, sizeof *c);
	c->db_path = xstrdup("kith.db");
	if (gethostname(host, sizeof host) != 0 || !*host)
		strcpy(host, "kiosk");
	host[sizeof host - 1] = '\0';
	c->kiosk_id = xstrdup(host);
	c->location = xstrdup("");
	c->idle_timeout = 20;
	c->dim_timeout = 180;
	c->display_diagonal = 7.0; /* the official Raspberry Pi touchscreen */
	c->repeat_window = 60;
	c->volume = KIOSK_VOLUME_DEFAULT;
	c->lan_cutoff = 60;
	c->day_starts = CLOCK_DAY_STARTS_DEFAULT;
}

/* Flags: "--name VALUE" pairs mapped onto the config keys, plus --fullscreen and --help. */
static int apply_args(kiosk_config *c, int argc, char **argv, int want_config_only)
{
	static const struct {
		const char *flag, *key;
	} flags[] = {
		{ "--db", "db" },          { "--reader", "reader" },     { "--usb-dir", "usb_dir" },
		{ "--kiosk-id", "kiosk_id" }, { "--location", "location" }, { "--window", "window" },
		{ "--rotate", "rotate" },  { "--config", NULL },
		{ "--conference-key", "conference_key" },
	};
	int saw_window = 0;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		size_t k;
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			fputs(usage, stdout);
			return 1;
		}
		if (strcmp(a, "--fullscreen") == 0) {
			if (!want_config_only)
				c->fullscreen = 1;
			continue;
		}
		if (strcmp(a, "--errors-on-screen") == 0) {
			c->errors_on_screen = 1;
			continue;
		}
		for (k = 0; k < ARRAY_LEN(flags); k++)
			if (strcmp(a, flags[k].flag) == 0)
				break;
		if (k == ARRAY_LEN(flags)) {
			log_error("unknown option '%s'", a);
			fputs(usage, stderr);
			return -1;
		}
		if (i + 1 >= argc) {
			log_error("%s needs a value", a);
			fputs(usage, stderr);
			return -1;
		}
		i++;
		if (!flags[k].key) {
			if (want_config_only)
				set_str(&c->config_path, argv[i]);
			continue;
		}
		if (want_config_only)
			continue;
		if (strcmp(flags[k].key, "window") == 0)
			saw_window = 1;
		if (apply_pair(c, flags[k].key, argv[i], "command line", i) != 0) {
			fprintf(stderr, "%s", usage);
			return -1;
		}
	}
	if (!want_config_only && saw_window && c->fullscreen) {
		log_error("--fullscreen and --window exclude each other");
		fputs(usage, stderr);
		return -1;
	}
	if (!want_config_only && saw_window)
		c->fullscreen = 0;
	return 0;
}

static int config_read(kiosk_config *c, int argc, char **argv)
{
	int rc;

	config_defaults(c);
	rc = apply_args(c, argc, argv, 1);
	if (rc != 0)
		return rc;
	if (c->config_path) {
		size_t len = 0;
		char *text = config_read_file(c->config_path, &len);
		if (!text) {
			log_error("cannot read config file %s", c->config_path);
			return -1;
		}
		rc = config_apply_text(c, text, len, c->config_path);
		free(text);
		if (rc != 0) {
			/* Refused by config_load (the lines were logged); the flags still apply, so
			 * that --errors-on-screen shows the message on the display they ask for. */
			fprintf(stderr, "kiosk: %s: %d bad line%s (see above)\n", c->config_path, rc,
				rc == 1 ? "" : "s");
		}
	}
	rc = apply_args(c, argc, argv, 0);
	if (rc != 0)
		return rc;
	/* The clock is process state: settle it here, before any thread reads it. */
	if (clock_init() != 0)
		return -1;
	clock_set_day_starts(c->day_starts);
	return 0;
}

void config_free(kiosk_config *c)
{
	char **strs[] = { &c->db_path,   &c->reader,       &c->usb_dir,     &c->kiosk_id,
			  &c->location,  &c->config_path,  &c->admin_pin,   &c->font_regular,
			  &c->font_bold, &c->font_fallback, &c->scene_file, &c->theme_file,
			  &c->demo_sim_fifo, &c->demo_badges, &c->errors, &c->conference_key,
			  &c->staff_pin, &c->lan_dir, &c->syncthing_api,
			  &c->syncthing_api_key_file };
	for (size_t i = 0; i < ARRAY_LEN(strs); i++) {
		free(*strs[i]);
		*strs[i] = NULL;
	}
}

/* Appends one error line to c->errors (bounded: a screen shows a few dozen lines at most). */
static void config_collect(void *ctx, const char *msg)
{
	kiosk_config *c = ctx;
	size_t have = c->errors ? strlen(c->errors) : 0, add = strlen(msg);

	if (have + add + 2 > CONFIG_ERRORS_MAX)
		return;
	c->errors = xreallocarray(c->errors, have + add + 2, 1);
	memcpy(c->errors + have, msg, add);
	memcpy(c->errors + have + add, "\n", 2);
}

int config_load(kiosk_config *c, int argc, char **argv)
{
	int rc;

	log_set_error_sink(config_collect, c);
	rc = config_read(c, argc, argv);
	log_set_error_sink(NULL, NULL);
	for (int i = 1; i < argc; i++) /* even when an earlier flag was refused */
		if (strcmp(argv[i], "--errors-on-screen") == 0)
			c->errors_on_screen = 1;
	if (rc == 0 && c->errors)
		rc = -1;
	return rc;
}
