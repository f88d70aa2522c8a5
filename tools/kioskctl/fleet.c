/* `kioskctl fleet`: provisioning live sync (issue 12), on the organiser's laptop.
 *
 *   kioskctl fleet new DIR --kiosk ID=LOCATION[@ADDR[,ADDR...]]... [--organiser NAME[@ADDR...]]
 *     [--sign-key ID=PUBLIC_KEY_FILE]... (each kiosk's signing key, kept from the last fleet)
 *     One Syncthing identity per kiosk (Syncthing's own `syncthing generate`) in DIR/ID/, and
 *     DIR/fleet.json listing them all (docs/CONTRACT.md "Fleet file"). Run again with one more
 *     --kiosk to add a kiosk mid-conference: identities already in DIR are kept (their device
 *     IDs do not change), and fleet_version goes up by one so kiosks take the new file.
 *   kioskctl fleet config FLEET.json ID HOME [--folders DIR] [--gui ADDR] [--api-key-file F]
 *                         [--listen ADDR] [--no-local-discovery]
 *     HOME/config.xml for kiosk ID (or the organiser, by its name) from the fleet file. Local
 *     discovery only when some peer has no address.
 *   kioskctl fleet check FLEET.json [ID [--list]]
 *     Validates the file as kiosk ID would; prints the reason a kiosk would give. --list: one
 *     line per kiosk folder, "ID self" or "ID peer" (for the image's kith-syncthing-setup).
 *
 * The fleet file is parsed by the same common/fleet.c the kiosk uses, and kioskctl writes
 * fleet_format's canonical bytes, so what is signed (issue 16) is what the kiosk stores.
 */
#include "kioskctl.h"

#include "common/fleet.h"
#include "common/sign.h"
#include "common/util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define DEFAULT_FOLDERS "/var/lib/kith/lan"
#define DEFAULT_GUI "/run/kith-syncthing/gui.sock"
#define DEFAULT_LISTEN "tcp://:22000,quic://:22000"

static int usage(void)
{
	fprintf(stderr,
		"usage: kioskctl fleet new DIR --kiosk ID=LOCATION[@ADDR[,ADDR]]... "
		"[--organiser NAME[@ADDR[,ADDR]]] [--sign-key ID=PUBLIC_KEY_FILE]...\n"
		"       kioskctl fleet config FLEET.json ID HOME [--folders DIR] [--gui ADDR]\n"
		"                             [--api-key-file FILE] [--listen ADDR] "
		"[--no-local-discovery]\n"
		"       kioskctl fleet check FLEET.json [ID [--list]]\n");
	return EXIT_USAGE;
}

/* Reads FLEET.json and parses it (self_id may be NULL); prints the reason on failure. */
static fleet *load_fleet(const char *path, const char *self_id)
{
	diag d = { 0 };
	char *text = NULL, err[400];
	size_t len = 0;
	fleet *f = NULL;

	if (file_read_all(path, &text, &len, &d) < 0) {
		diag_print(&d, stderr);
		diag_free(&d);
		return NULL;
	}
	if (fleet_parse(text, len, self_id, &f, err, sizeof(err)) < 0)
		fprintf(stderr, "%s: refused: %s\n", path, err);
	free(text);
	return f;
}

/* ---- fleet new ---------------------------------------------------------------------------- */

/* Splits "A,B,C" into d's addresses. -1 (with a message) if one is not an address. */
static int take_addresses(fleet_device *d, const char *list)
{
	char *copy = xstrdup(list), *save = NULL;
	for (char *a = strtok_r(copy, ",", &save); a != NULL; a = strtok_r(NULL, ",", &save)) {
		if (d->n_addresses == FLEET_MAX_ADDRESSES) {
			fprintf(stderr, "%s: more than %d addresses\n", d->id, FLEET_MAX_ADDRESSES);
			free(copy);
			return -1;
		}
		d->addresses = xreallocarray(d->addresses, d->n_addresses + 1, sizeof(char *));
		d->addresses[d->n_addresses++] = xstrdup(a);
	}
	free(copy);
	return 0;
}

/* "ID=LOCATION[@ADDRS]" (kiosk) or "NAME[@ADDRS]" (organiser, with_location 0). */
static int parse_device_arg(const char *arg, int with_location, fleet_device *d)
{
	const char *eq = with_location ? strchr(arg, '=') : NULL, *at;
	const char *why;

	if (with_location && eq == NULL) {
		fprintf(stderr, "--kiosk %s: expected ID=LOCATION[@ADDRESS]\n", arg);
		return -1;
	}
	at = strrchr(with_location ? eq : arg, '@');
	d->id = with_location ? strndup(arg, (size_t)(eq - arg)) :
		at ? strndup(arg, (size_t)(at - arg)) : xstrdup(arg);
	d->location = with_location ? (at ? strndup(eq + 1, (size_t)(at - eq - 1)) :
				       xstrdup(eq + 1)) : xstrdup("");
	if (d->id == NULL || d->location == NULL) {
		fprintf(stderr, "out of memory\n");
		return -1;
	}
	if (!fleet_kiosk_id_valid(d->id, &why)) {
		fprintf(stderr, "%s: '%s' is not allowed as an id: %s\n", arg, d->id, why);
		return -1;
	}
	return at != NULL ? take_addresses(d, at + 1) : 0;
}

/* The device ID Syncthing prints for the identity in home: `syncthing serve --device-id`. */
static int device_id_of(const char *home, char *out, size_t outsize)
{
	char cmd[4400], line[256], err[160];
	FILE *p;
	int rc = -1;

	snprintf(cmd, sizeof(cmd), "syncthing serve --home '%s' --device-id 2>&1", home);
	if (strchr(home, '\'') != NULL || (p = popen(cmd, "r")) == NULL) {
		fprintf(stderr, "%s: cannot run syncthing\n", home);
		return -1;
	}
	while (fgets(line, sizeof(line), p) != NULL) {
		line[strcspn(line, "\r\n")] = '\0';
		if (rc < 0 && fleet_device_id_check(line, out, outsize, err, sizeof(err)) == 0)
			rc = 0;
	}
	if (pclose(p) != 0)
		rc = -1;
	if (rc < 0)
		fprintf(stderr, "%s: syncthing gave no device ID (is the syncthing package "
			"installed?)\n", home);
	return rc;
}

/* DIR/ID holds this device's Syncthing identity: kept when it is there, else generated. */
static int identity(const char *dir, fleet_device *d)
{
	char home[4200], cert[4300], cmd[4500], canon[FLEET_DEVICE_ID_LEN + 1];
	snprintf(home, sizeof(home), "%s/%s", dir, d->id);
	snprintf(cert, sizeof(cert), "%s/cert.pem", home);
	if (access(cert, F_OK) != 0) {
		snprintf(cmd, sizeof(cmd), "syncthing generate --home '%s' --no-default-folder "
			 "--skip-port-probing >/dev/null 2>&1", home);
		if (strchr(home, '\'') != NULL || system(cmd) != 0) {
			fprintf(stderr, "%s: `syncthing generate` failed\n", home);
			return -1;
		}
		printf("%s: new identity\n", d->id);
	}
	if (device_id_of(home, canon, sizeof(canon)) < 0)
		return -1;
	d->device_id = xstrdup(canon);
	return 0;
}

/* Writes text to path atomically: temp file, fsync, rename. */
static int write_atomic(const char *path, const char *text, mode_t mode)
{
	char tmp[4200];
	size_t len = strlen(text);
	int fd, ok;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	if (fd < 0) {
		fprintf(stderr, "%s: %s\n", tmp, strerror(errno));
		return -1;
	}
	ok = write(fd, text, len) == (ssize_t)len && fsync(fd) == 0;
	if (close(fd) != 0 || !ok || rename(tmp, path) != 0) {
		fprintf(stderr, "%s: cannot write: %s\n", path, strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}

/* d's signing key (issue 16): from --sign-key ID=PUBLIC_KEY_FILE (the kiosk's
 * <database>.key.pub, shown on its admin screen), else the one the previous fleet had. */
static int sign_key_for(fleet_device *d, const fleet *old, const char **args, size_t n)
{
	size_t idlen = strlen(d->id);
	for (size_t i = 0; i < n; i++) {
		uint8_t pk[SIGN_PUBLIC_BYTES];
		char hex[SIGN_PUBLIC_HEX], err[300];
		if (strncmp(args[i], d->id, idlen) != 0 || args[i][idlen] != '=')
			continue;
		if (sign_public_load(args[i] + idlen + 1, pk, err, sizeof(err)) < 0) {
			fprintf(stderr, "--sign-key %s: %s\n", args[i], err);
			return -1;
		}
		sign_public_to_hex(pk, hex);
		free(d->sign_key);
		d->sign_key = xstrdup(hex);
		return 0;
	}
	for (size_t i = 0; old != NULL && i < old->n_kiosks; i++)
		if (strcmp(old->kiosks[i].id, d->id) == 0 && old->kiosks[i].sign_key != NULL &&
		    old->kiosks[i].sign_key[0] != '\0') {
			free(d->sign_key);
			d->sign_key = xstrdup(old->kiosks[i].sign_key);
		}
	return 0;
}

static int fleet_new(int argc, char **argv)
{
	fleet f = { .version = 1 }, *old = NULL, *check = NULL;
	char path[4200], err[400], *text = NULL;
	const char *dir, **sign_args;
	size_t n_keys = 0;
	int rc = EXIT_BADINPUT;

	if (argc < 2 || argv[1][0] == '-')
		return usage();
	dir = argv[1];
	f.kiosks = xcalloc((size_t)argc, sizeof(fleet_device));
	sign_args = xcalloc((size_t)argc, sizeof(*sign_args));
	for (int i = 2; i < argc; i++) {
		if (i + 1 >= argc)
			return usage();
		if (strcmp(argv[i], "--kiosk") == 0) {
			if (parse_device_arg(argv[++i], 1, &f.kiosks[f.n_kiosks++]) < 0)
				goto out;
		} else if (strcmp(argv[i], "--sign-key") == 0) {
			if (n_keys == (size_t)argc)
				goto out;
			sign_args[n_keys++] = argv[++i];
		} else if (strcmp(argv[i], "--organiser") == 0 && f.organiser == NULL) {
			f.organiser = xcalloc(1, sizeof(fleet_device));
			if (parse_device_arg(argv[++i], 0, f.organiser) < 0)
				goto out;
		} else {
			rc = usage();
			goto out;
		}
	}
	if (f.n_kiosks == 0) {
		fprintf(stderr, "kioskctl fleet new: no --kiosk given\n");
		goto out;
	}
	if (mkdir(dir, 0700) < 0 && errno != EEXIST) {
		fprintf(stderr, "%s: %s\n", dir, strerror(errno));
		goto out;
	}
	snprintf(path, sizeof(path), "%s/fleet.json", dir);
	if (access(path, F_OK) == 0) { /* a fleet already here: this one replaces it */
		if ((old = load_fleet(path, NULL)) == NULL)
			goto out;
		f.version = old->version + 1;
	}
	for (size_t i = 0; i < f.n_kiosks; i++)
		if (identity(dir, &f.kiosks[i]) < 0 ||
		    sign_key_for(&f.kiosks[i], old, sign_args, n_keys) < 0)
			goto out;
	if (f.organiser != NULL && identity(dir, f.organiser) < 0)
		goto out;
	text = fleet_format(&f);
	/* What kioskctl writes must be what a kiosk accepts: parse it back before writing. */
	if (fleet_parse(text, strlen(text), NULL, &check, err, sizeof(err)) < 0) {
		fprintf(stderr, "%s: not written: %s\n", path, err);
		goto out;
	}
	if (write_atomic(path, text, 0644) < 0)
		goto out;
	printf("%s: fleet_version %ld, %zu kiosks%s\n", path, f.version, f.n_kiosks,
	       f.organiser ? " and the organiser" : "");
	rc = EXIT_OK;
out:
	free(sign_args);
	free(text);
	fleet_free(check);
	fleet_free(old);
	{ /* f itself is on the stack; its parts are freed as fleet_free would */
		fleet *heap = xcalloc(1, sizeof(*heap));
		*heap = f;
		fleet_free(heap);
	}
	return rc;
}

/* ---- fleet config ------------------------------------------------------------------------- */

/* XML text: & < > " escaped (ids and addresses are plain; locations may hold anything). */
static void xml_put(FILE *o, const char *s)
{
	for (; *s != '\0'; s++)
		switch (*s) {
		case '&': fputs("&amp;", o); break;
		case '<': fputs("&lt;", o); break;
		case '>': fputs("&gt;", o); break;
		case '"': fputs("&quot;", o); break;
		default: fputc(*s, o);
		}
}

/* The API key in file: read when the file is there (so the kiosk's copy stays valid), else 32
 * random letters and digits written to it (mode 0640: the kiosk reads it through its group). */
static int api_key(const char *file, char *key, size_t keysize)
{
	static const char abc[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
	unsigned char rnd[32];
	FILE *f = fopen(file, "r");
	int fd;

	if (f != NULL) {
		int ok = fgets(key, (int)keysize, f) != NULL;
		fclose(f);
		key[strcspn(key, "\r\n")] = '\0';
		if (ok && strlen(key) >= 16 && strspn(key, abc) == strlen(key))
			return 0;
		fprintf(stderr, "%s: not an API key (16 or more letters and digits)\n", file);
		return -1;
	}
	fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
	if (fd < 0 || read(fd, rnd, sizeof(rnd)) != (ssize_t)sizeof(rnd) || keysize < 33) {
		fprintf(stderr, "cannot make an API key\n");
		if (fd >= 0)
			close(fd);
		return -1;
	}
	close(fd);
	for (size_t i = 0; i < sizeof(rnd); i++)
		key[i] = abc[rnd[i] % (sizeof(abc) - 1)];
	key[32] = '\0';
	{
		char line[160];
		snprintf(line, sizeof(line), "%s\n", key);
		return write_atomic(file, line, 0640);
	}
}

typedef struct config_opts {
	const char *folders, *gui, *listen, *api_key_file;
	int local_discovery;
} config_opts;

static void write_folder(FILE *o, const fleet *f, const fleet_device *owner,
			 const fleet_device *self, const config_opts *c)
{
	fprintf(o, "    <folder id=\"kith-%s\" label=\"kith-%s\" path=\"", owner->id, owner->id);
	xml_put(o, c->folders);
	/* ignorePerms: the kiosk and Syncthing are two users sharing the folders by group.
	 * fsWatcherDelayS 1: the kiosk asks for a scan itself; the watcher is the fallback. */
	fprintf(o, "/kith-%s\" type=\"%s\" rescanIntervalS=\"60\" fsWatcherEnabled=\"true\" "
		"fsWatcherDelayS=\"1\" ignorePerms=\"true\" autoNormalize=\"true\">\n", owner->id,
		owner == self ? "sendonly" : "receiveonly");
	for (size_t i = 0; i < f->n_kiosks; i++)
		fprintf(o, "        <device id=\"%s\" introducedBy=\"\"></device>\n",
			f->kiosks[i].device_id);
	if (f->organiser != NULL)
		fprintf(o, "        <device id=\"%s\" introducedBy=\"\"></device>\n",
			f->organiser->device_id);
	fputs("        <maxConflicts>0</maxConflicts>\n"
	      "        <markerName>.stfolder</markerName>\n"
	      "    </folder>\n", o);
}

static void write_device(FILE *o, const fleet_device *d)
{
	fprintf(o, "    <device id=\"%s\" name=\"", d->device_id);
	xml_put(o, d->id);
	fputs("\" compression=\"metadata\" introducer=\"false\" skipIntroductionRemovals=\"false\" "
	      "introducedBy=\"\">\n", o);
	if (d->n_addresses == 0)
		fputs("        <address>dynamic</address>\n", o);
	for (size_t i = 0; i < d->n_addresses; i++) {
		fputs("        <address>", o);
		xml_put(o, d->addresses[i]);
		fputs("</address>\n", o);
	}
	fputs("        <paused>false</paused>\n"
	      "        <autoAcceptFolders>false</autoAcceptFolders>\n"
	      "    </device>\n", o);
}

/* One <listenAddress> per comma-separated address. */
static void write_listen(FILE *o, const char *list)
{
	char *copy = xstrdup(list), *save = NULL;
	for (char *a = strtok_r(copy, ", ", &save); a != NULL; a = strtok_r(NULL, ", ", &save)) {
		fputs("        <listenAddress>", o);
		xml_put(o, a);
		fputs("</listenAddress>\n", o);
	}
	free(copy);
}

/* Syncthing's config for self. Only what Kith needs is set; Syncthing fills in the rest with
 * its defaults. Every switch that could reach beyond the LAN is off. */
static void write_config(FILE *o, const fleet *f, const fleet_device *self, const char *key,
			 const config_opts *c)
{
	fputs("<configuration version=\"36\">\n", o);
	for (size_t i = 0; i < f->n_kiosks; i++)
		write_folder(o, f, &f->kiosks[i], self, c);
	for (size_t i = 0; i < f->n_kiosks; i++)
		write_device(o, &f->kiosks[i]);
	if (f->organiser != NULL)
		write_device(o, f->organiser);
	fputs("    <gui enabled=\"true\" tls=\"false\" debugging=\"false\">\n        <address>", o);
	xml_put(o, c->gui);
	fprintf(o, "</address>\n        <apikey>%s</apikey>\n        <theme>default</theme>\n", key);
	/* A socket path: the kiosk (another user, in Syncthing's group) must be able to connect. */
	if (c->gui[0] == '/')
		fputs("        <unixSocketPermissions>660</unixSocketPermissions>\n", o);
	fputs("    </gui>\n    <options>\n", o);
	write_listen(o, c->listen);
	fprintf(o, "        <globalAnnounceServer></globalAnnounceServer>\n"
		"        <globalAnnounceEnabled>false</globalAnnounceEnabled>\n"
		"        <localAnnounceEnabled>%s</localAnnounceEnabled>\n"
		"        <relaysEnabled>false</relaysEnabled>\n"
		"        <natEnabled>false</natEnabled>\n"
		"        <stunKeepaliveStartS>0</stunKeepaliveStartS>\n"
		"        <stunKeepaliveMinS>0</stunKeepaliveMinS>\n"
		"        <stunServer></stunServer>\n"
		"        <reconnectionIntervalS>10</reconnectionIntervalS>\n"
		"        <startBrowser>false</startBrowser>\n"
		"        <urAccepted>-1</urAccepted>\n"
		"        <urInitialDelayS>0</urInitialDelayS>\n"
		"        <crashReportingEnabled>false</crashReportingEnabled>\n"
		"        <autoUpgradeIntervalH>0</autoUpgradeIntervalH>\n"
		"        <restartOnWakeup>false</restartOnWakeup>\n"
		"        <setLowPriority>true</setLowPriority>\n"
		"    </options>\n"
		"    <defaults>\n"
		"        <device id=\"\" introducer=\"false\">\n"
		"            <address>dynamic</address>\n"
		"            <autoAcceptFolders>false</autoAcceptFolders>\n"
		"        </device>\n"
		"    </defaults>\n"
		"</configuration>\n", c->local_discovery ? "true" : "false");
}

/* Local discovery broadcasts on the LAN; it is only needed to find a peer the fleet gives no
 * address (self's own addresses do not matter: the peers dial those). */
static int fleet_needs_discovery(const fleet *f, const fleet_device *self)
{
	for (size_t i = 0; i < f->n_kiosks; i++)
		if (&f->kiosks[i] != self && f->kiosks[i].n_addresses == 0)
			return 1;
	return f->organiser != NULL && f->organiser != self && f->organiser->n_addresses == 0;
}

static int fleet_config(int argc, char **argv)
{
	config_opts c = { .folders = DEFAULT_FOLDERS, .gui = DEFAULT_GUI,
			  .listen = DEFAULT_LISTEN, .local_discovery = 1 };
	char key[128], keyfile[4200], path[4200], tmp[4300], have[FLEET_DEVICE_ID_LEN + 1];
	const fleet_device *self;
	fleet *f = NULL;
	FILE *o = NULL;
	int rc = EXIT_BADINPUT;

	if (argc < 4 || argv[1][0] == '-' || argv[2][0] == '-' || argv[3][0] == '-')
		return usage();
	snprintf(keyfile, sizeof(keyfile), "%s/apikey", argv[3]);
	c.api_key_file = keyfile;
	for (int i = 4; i < argc; i++) {
		const char **opt = strcmp(argv[i], "--folders") == 0 ? &c.folders :
				   strcmp(argv[i], "--gui") == 0 ? &c.gui :
				   strcmp(argv[i], "--listen") == 0 ? &c.listen :
				   strcmp(argv[i], "--api-key-file") == 0 ? &c.api_key_file : NULL;
		if (strcmp(argv[i], "--no-local-discovery") == 0)
			c.local_discovery = 0;
		else if (opt != NULL && i + 1 < argc)
			*opt = argv[++i];
		else
			return usage();
	}
	if ((f = load_fleet(argv[1], NULL)) == NULL)
		goto out;
	self = fleet_find(f, argv[2]);
	if (self == NULL && f->organiser != NULL && strcmp(f->organiser->id, argv[2]) == 0)
		self = f->organiser;
	if (self == NULL) {
		fprintf(stderr, "%s: refused: it does not list '%s'\n", argv[1], argv[2]);
		goto out;
	}
	if (!fleet_needs_discovery(f, self))
		c.local_discovery = 0;
	/* The identity in HOME must be the one the fleet names, or no peer would accept it. */
	if (device_id_of(argv[3], have, sizeof(have)) < 0)
		goto out;
	if (strcmp(have, self->device_id) != 0) {
		fprintf(stderr, "%s: its identity is %s, but %s lists %s for '%s'\n", argv[3], have,
			argv[1], self->device_id, self->id);
		goto out;
	}
	if (api_key(c.api_key_file, key, sizeof(key)) < 0)
		goto out;
	snprintf(path, sizeof(path), "%s/config.xml", argv[3]);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	if ((o = fopen(tmp, "w")) == NULL) {
		fprintf(stderr, "%s: %s\n", tmp, strerror(errno));
		goto out;
	}
	write_config(o, f, self, key, &c);
	if (fflush(o) != 0 || fsync(fileno(o)) != 0 || fclose(o) != 0) {
		o = NULL;
		fprintf(stderr, "%s: cannot write: %s\n", tmp, strerror(errno));
		unlink(tmp);
		goto out;
	}
	o = NULL;
	if (rename(tmp, path) != 0) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		goto out;
	}
	printf("%s: %s, %zu folders, %zu peers\n", path, self->id, f->n_kiosks,
	       f->n_kiosks + (f->organiser != NULL) - 1);
	rc = EXIT_OK;
out:
	if (o != NULL)
		fclose(o);
	fleet_free(f);
	return rc;
}

static int fleet_check(int argc, char **argv)
{
	fleet *f;
	int list = argc == 4 && strcmp(argv[3], "--list") == 0;
	if (argc < 2 || argc > 4 || (argc == 4 && !list) || (argc == 3 && argv[2][0] == '-'))
		return usage();
	if ((f = load_fleet(argv[1], argc >= 3 ? argv[2] : NULL)) == NULL)
		return EXIT_BADINPUT;
	if (list) /* one line per kiosk folder: ID self|peer (kith-syncthing-setup reads it) */
		for (size_t i = 0; i < f->n_kiosks; i++)
			printf("%s %s\n", f->kiosks[i].id,
			       strcmp(f->kiosks[i].id, argv[2]) == 0 ? "self" : "peer");
	else
		printf("%s: fleet_version %ld, %zu kiosks%s: ok\n", argv[1], f->version, f->n_kiosks,
		       f->organiser ? " and the organiser" : "");
	fleet_free(f);
	return EXIT_OK;
}

int cmd_fleet(int argc, char **argv)
{
	if (argc < 2)
		return usage();
	if (strcmp(argv[1], "new") == 0)
		return fleet_new(argc - 1, argv + 1);
	if (strcmp(argv[1], "config") == 0)
		return fleet_config(argc - 1, argv + 1);
	if (strcmp(argv[1], "check") == 0)
		return fleet_check(argc - 1, argv + 1);
	return usage();
}
