/* The fleet file: parse, validate whole, format. See fleet.h and docs/CONTRACT.md "Fleet file".
 *
 * Validation is in two passes: the JSON's shape (every field known, of its type, within its
 * limit) while building the struct, then the fleet as a whole (no id or device ID twice, this
 * kiosk present). Either pass stops at the first problem: the file is refused whole anyway,
 * and one clear sentence is what the admin screen has room for.
 */
#include "common/fleet.h"
#include "common/sign.h"
#include "common/log.h"
#include "common/utf8.h"
#include "common/util.h"

#include <json-c/json.h>
#include <sodium.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define JSON_MAX_DEPTH 8 /* the format nests 4 deep; deeper is not a fleet file */

static const char base32[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/* ---- Device IDs --------------------------------------------------------------------------- */

/* Syncthing's check character for 13 base32 characters (lib/protocol/luhn.go: Luhn mod 32
 * over the base32 alphabet, factors 1,2,1,2... from the left). */
static char luhn32(const char *s)
{
	int factor = 1, sum = 0;
	for (int i = 0; i < 13; i++) {
		int addend = factor * (int)(strchr(base32, s[i]) - base32);
		factor = factor == 1 ? 2 : 1;
		sum += addend / 32 + addend % 32;
	}
	return base32[(32 - sum % 32) % 32];
}

int fleet_device_id_check(const char *id, char *canon, size_t canonsize, char *err,
			  size_t errlen)
{
	char raw[57];
	size_t n = 0;

	for (const char *p = id; *p != '\0'; p++) {
		char c = (char)toupper((unsigned char)*p);
		if (c == '-' || c == ' ')
			continue;
		if (strchr(base32, c) == NULL || c == '\0')
			return util_fail(err, errlen, "it has '%c', which no device ID has (A-Z and 2-7 only)",
				    isprint((unsigned char)*p) ? *p : '?');
		if (n == 56)
			return util_fail(err, errlen, "it is longer than a device ID (56 characters)");
		raw[n++] = c;
	}
	raw[n] = '\0';
	if (n != 56)
		return util_fail(err, errlen, "it has %zu characters where a device ID has 56", n);
	for (int g = 0; g < 4; g++)
		if (luhn32(raw + g * 14) != raw[g * 14 + 13])
			return util_fail(err, errlen, "its check character %d is wrong (a typo, or not "
				    "a device ID)", g + 1);
	if (canonsize < FLEET_DEVICE_ID_LEN + 1)
		return util_fail(err, errlen, "no room for the device ID");
	for (int g = 0, o = 0; g < 8; g++) {
		memcpy(canon + o, raw + g * 7, 7);
		o += 7;
		canon[o++] = g < 7 ? '-' : '\0';
	}
	return 0;
}

int fleet_device_id_of_cert(const char *pem, size_t len, char *canon, size_t canonsize,
			    char *err, size_t errlen)
{
	static const char begin[] = "-----BEGIN CERTIFICATE-----", end[] = "-----END CERTIFICATE-----";
	unsigned char der[8192], hash[crypto_hash_sha256_BYTES];
	char raw[57], *text = NULL;
	const char *b, *e;
	size_t derlen = 0;
	int rc = -1;

	if (len > 65536 || (text = strndup(pem, len)) == NULL || strlen(text) != len ||
	    (b = strstr(text, begin)) == NULL || (e = strstr(b, end)) == NULL) {
		util_fail(err, errlen, "it is not a PEM certificate");
		goto cleanup;
	}
	b += sizeof(begin) - 1;
	if (sodium_base642bin(der, sizeof(der), b, (size_t)(e - b), " \r\n", &derlen, NULL,
			      sodium_base64_VARIANT_ORIGINAL) != 0 || derlen == 0) {
		util_fail(err, errlen, "its certificate is not valid base64");
		goto cleanup;
	}
	crypto_hash_sha256(hash, der, derlen);
	/* base32 (RFC 4648, no padding) of 32 bytes is 52 characters; then 4 check characters. */
	for (int i = 0, g = 0, o = 0; g < 52; g++) {
		int bit = g * 5, byte = bit / 8, shift = bit % 8;
		unsigned v = (unsigned)hash[byte] << 8 | (byte + 1 < 32 ? hash[byte + 1] : 0);
		raw[o++] = base32[(v >> (11 - shift)) & 31];
		if (++i == 13) {
			raw[o] = luhn32(raw + o - 13);
			o++;
			i = 0;
		}
	}
	raw[56] = '\0';
	rc = fleet_device_id_check(raw, canon, canonsize, err, errlen);
cleanup:
	free(text);
	return rc;
}

int fleet_kiosk_id_valid(const char *id, const char **why)
{
	size_t n = strlen(id);
	const char *w = NULL;
	if (n == 0)
		w = "it is empty";
	else if (n > FLEET_ID_MAX)
		w = "it is longer than 48 characters";
	else if (id[0] == '.' || id[0] == '-')
		w = "it starts with '.' or '-'";
	else
		for (size_t i = 0; i < n && w == NULL; i++)
			if (!isalnum((unsigned char)id[i]) && id[i] != '_' && id[i] != '.' &&
			    id[i] != '-')
				w = "only letters, digits, '_', '.' and '-' are allowed";
	if (why != NULL)
		*why = w;
	return w == NULL;
}

/* "dynamic", or tcp://, tcp4://, tcp6:// or quic:// with a host and a port. */
static int address_valid(const char *a)
{
	static const char *schemes[] = { "tcp://", "tcp4://", "tcp6://", "quic://" };
	const char *rest = NULL, *colon;
	size_t n = strlen(a);

	if (strcmp(a, "dynamic") == 0)
		return 1;
	if (n > FLEET_ADDRESS_MAX)
		return 0;
	for (size_t i = 0; i < ARRAY_LEN(schemes) && rest == NULL; i++)
		if (strncmp(a, schemes[i], strlen(schemes[i])) == 0)
			rest = a + strlen(schemes[i]);
	if (rest == NULL || *rest == '\0')
		return 0;
	for (const char *p = rest; *p != '\0'; p++)
		if (!isalnum((unsigned char)*p) && strchr(".-_:[]%", *p) == NULL)
			return 0;
	colon = strrchr(rest, ':');
	if (colon == NULL || colon == rest || colon[1] == '\0' || strlen(colon + 1) > 5)
		return 0;
	for (const char *p = colon + 1; *p != '\0'; p++)
		if (!isdigit((unsigned char)*p))
			return 0;
	return atoi(colon + 1) >= 1 && atoi(colon + 1) <= 65535;
}

/* ---- Parsing ------------------------------------------------------------------------------ */

typedef struct parse {
	char *err;
	size_t errlen;
} parse;

static void device_clear(fleet_device *d)
{
	free(d->id);
	free(d->device_id);
	free(d->location);
	free(d->sign_key);
	for (size_t i = 0; i < d->n_addresses; i++)
		free(d->addresses[i]);
	free(d->addresses);
	memset(d, 0, sizeof(*d));
}

void fleet_free(fleet *f)
{
	if (f == NULL)
		return;
	for (size_t i = 0; i < f->n_kiosks; i++)
		device_clear(&f->kiosks[i]);
	free(f->kiosks);
	if (f->organiser != NULL)
		device_clear(f->organiser);
	free(f->organiser);
	free(f);
}

/* A text field: a JSON string, valid UTF-8 without control characters, at most max bytes. */
static int get_text(parse *p, json_object *o, const char *what, const char *key, size_t max,
		    int required, char **out)
{
	json_object *v;
	const char *s;
	size_t n;

	if (!json_object_object_get_ex(o, key, &v) || v == NULL) {
		if (!required) {
			*out = xstrdup("");
			return 0;
		}
		return util_fail(p->err, p->errlen, "%s has no \"%s\"", what, key);
	}
	if (!json_object_is_type(v, json_type_string))
		return util_fail(p->err, p->errlen, "%s: \"%s\" is not a string", what, key);
	s = json_object_get_string(v);
	n = (size_t)json_object_get_string_len(v);
	if (strlen(s) != n || !utf8_valid(s, n))
		return util_fail(p->err, p->errlen, "%s: \"%s\" is not valid UTF-8 text", what, key);
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return util_fail(p->err, p->errlen, "%s: \"%s\" has a control character", what,
				    key);
	if (n > max)
		return util_fail(p->err, p->errlen, "%s: \"%s\" is longer than %zu bytes", what, key,
			    max);
	if (required && n == 0)
		return util_fail(p->err, p->errlen, "%s: \"%s\" is empty", what, key);
	*out = xstrdup(s);
	return 0;
}

static int only_keys(parse *p, json_object *o, const char *what, const char *const *keys)
{
	json_object_object_foreach(o, key, val) {
		int known = 0;
		(void)val;
		for (size_t i = 0; keys[i] != NULL; i++)
			known |= strcmp(keys[i], key) == 0;
		if (!known)
			return util_fail(p->err, p->errlen, "%s has an unknown field \"%.40s\"", what, key);
	}
	return 0;
}

static int get_addresses(parse *p, json_object *o, const char *what, fleet_device *d)
{
	json_object *arr;
	size_t n;

	if (!json_object_object_get_ex(o, "addresses", &arr) || arr == NULL)
		return 0; /* optional: local discovery finds it */
	if (!json_object_is_type(arr, json_type_array))
		return util_fail(p->err, p->errlen, "%s: \"addresses\" is not a list", what);
	n = json_object_array_length(arr);
	if (n > FLEET_MAX_ADDRESSES)
		return util_fail(p->err, p->errlen, "%s has more than %d addresses", what,
			    FLEET_MAX_ADDRESSES);
	d->addresses = xcalloc(n ? n : 1, sizeof(char *));
	for (size_t i = 0; i < n; i++) {
		json_object *a = json_object_array_get_idx(arr, i);
		const char *s;
		if (!json_object_is_type(a, json_type_string))
			return util_fail(p->err, p->errlen, "%s: address %zu is not a string", what, i + 1);
		s = json_object_get_string(a);
		if (strlen(s) != (size_t)json_object_get_string_len(a) || !address_valid(s))
			return util_fail(p->err, p->errlen, "%s: address '%.60s' is not tcp://HOST:PORT, "
				    "quic://HOST:PORT or dynamic", what, s);
		d->addresses[d->n_addresses++] = xstrdup(s);
	}
	return 0;
}

static int get_device_id(parse *p, json_object *o, const char *what, fleet_device *d)
{
	char *raw = NULL, canon[FLEET_DEVICE_ID_LEN + 1], why[120];
	if (get_text(p, o, what, "device_id", 80, 1, &raw) < 0)
		return -1;
	if (fleet_device_id_check(raw, canon, sizeof(canon), why, sizeof(why)) < 0) {
		util_fail(p->err, p->errlen, "%s has device ID '%.70s', which is not a Syncthing device "
		     "ID: %s", what, raw, why);
		free(raw);
		return -1;
	}
	free(raw);
	d->device_id = xstrdup(canon);
	return 0;
}

static int parse_kiosk(parse *p, json_object *o, size_t index, fleet_device *d)
{
	static const char *const keys[] = { "kiosk_id", "device_id", "location", "addresses",
					    "sign_key", NULL };
	char what[FLEET_ID_MAX + 40];
	const char *why;

	snprintf(what, sizeof(what), "kiosk %zu", index + 1);
	if (!json_object_is_type(o, json_type_object))
		return util_fail(p->err, p->errlen, "%s is not an object", what);
	if (get_text(p, o, what, "kiosk_id", 200, 1, &d->id) < 0)
		return -1;
	if (!fleet_kiosk_id_valid(d->id, &why))
		return util_fail(p->err, p->errlen, "%s has kiosk id '%.60s', which is not allowed: %s",
			    what, d->id, why);
	snprintf(what, sizeof(what), "kiosk '%s'", d->id);
	if (only_keys(p, o, what, keys) < 0 || get_device_id(p, o, what, d) < 0 ||
	    get_text(p, o, what, "location", FLEET_LOCATION_MAX, 1, &d->location) < 0 ||
	    get_addresses(p, o, what, d) < 0 ||
	    get_text(p, o, what, "sign_key", 2 * SIGN_PUBLIC_BYTES, 0, &d->sign_key) < 0)
		return -1;
	if (d->sign_key[0] != '\0') {
		uint8_t pk[SIGN_PUBLIC_BYTES];
		if (strlen(d->sign_key) != 2 * SIGN_PUBLIC_BYTES ||
		    sign_public_from_hex(d->sign_key, pk) != 0)
			return util_fail(p->err, p->errlen, "%s: \"sign_key\" is not the 64 hex digits of "
				    "a public key", what);
	}
	return 0;
}

static int parse_organiser(parse *p, json_object *o, fleet_device *d)
{
	static const char *const keys[] = { "name", "device_id", "addresses", NULL };
	const char *what = "the organiser";
	const char *why;

	if (!json_object_is_type(o, json_type_object))
		return util_fail(p->err, p->errlen, "the organiser is not an object");
	if (only_keys(p, o, what, keys) < 0 || get_text(p, o, what, "name", 200, 1, &d->id) < 0)
		return -1;
	if (!fleet_kiosk_id_valid(d->id, &why))
		return util_fail(p->err, p->errlen, "the organiser's name '%.60s' is not allowed: %s",
			    d->id, why);
	d->location = xstrdup("");
	return get_device_id(p, o, what, d) < 0 || get_addresses(p, o, what, d) < 0 ? -1 : 0;
}

static int parse_top(parse *p, json_object *root, fleet *f)
{
	static const char *const keys[] = { "kith_fleet", "fleet_version", "kiosks", "organiser",
					    NULL };
	json_object *v, *arr;
	size_t n;

	if (!json_object_is_type(root, json_type_object))
		return util_fail(p->err, p->errlen, "it is not a JSON object");
	if (!json_object_object_get_ex(root, "kith_fleet", &v) ||
	    !json_object_is_type(v, json_type_int) || json_object_get_int64(v) != FLEET_FORMAT)
		return util_fail(p->err, p->errlen, "it is not a Kith fleet file (\"kith_fleet\": %d "
			    "is missing)", FLEET_FORMAT);
	if (only_keys(p, root, "the fleet", keys) < 0)
		return -1;
	if (!json_object_object_get_ex(root, "fleet_version", &v) ||
	    !json_object_is_type(v, json_type_int) || json_object_get_int64(v) < 1 ||
	    json_object_get_int64(v) > 1000000000)
		return util_fail(p->err, p->errlen, "\"fleet_version\" is missing or not a whole number "
			    "from 1");
	f->version = (long)json_object_get_int64(v);
	if (!json_object_object_get_ex(root, "kiosks", &arr) ||
	    !json_object_is_type(arr, json_type_array))
		return util_fail(p->err, p->errlen, "it has no list of \"kiosks\"");
	n = json_object_array_length(arr);
	if (n == 0)
		return util_fail(p->err, p->errlen, "its list of kiosks is empty");
	if (n > FLEET_MAX_KIOSKS)
		return util_fail(p->err, p->errlen, "it lists %zu kiosks (at most %d)", n,
			    FLEET_MAX_KIOSKS);
	f->kiosks = xcalloc(n, sizeof(fleet_device));
	for (size_t i = 0; i < n; i++) {
		f->n_kiosks = i + 1;
		if (parse_kiosk(p, json_object_array_get_idx(arr, i), i, &f->kiosks[i]) < 0)
			return -1;
	}
	if (json_object_object_get_ex(root, "organiser", &v) && v != NULL) {
		f->organiser = xcalloc(1, sizeof(fleet_device));
		if (parse_organiser(p, v, f->organiser) < 0)
			return -1;
	}
	return 0;
}

/* The whole-fleet rules: one kiosk per id and one device per device ID (the organiser too). */
static int check_unique(parse *p, const fleet *f)
{
	for (size_t i = 0; i < f->n_kiosks; i++) {
		const fleet_device *a = &f->kiosks[i];
		for (size_t j = i + 1; j < f->n_kiosks; j++) {
			if (strcmp(a->id, f->kiosks[j].id) == 0)
				return util_fail(p->err, p->errlen, "kiosk id '%s' is listed twice", a->id);
			if (strcmp(a->device_id, f->kiosks[j].device_id) == 0)
				return util_fail(p->err, p->errlen, "kiosks '%s' and '%s' have the same "
					    "device ID", a->id, f->kiosks[j].id);
		}
		if (f->organiser != NULL && strcmp(a->device_id, f->organiser->device_id) == 0)
			return util_fail(p->err, p->errlen, "kiosk '%s' and the organiser have the same "
				    "device ID", a->id);
	}
	return 0;
}

int fleet_parse(const char *text, size_t len, const char *self_id, fleet **out, char *err,
		size_t errlen)
{
	parse p = { .err = err, .errlen = errlen };
	json_tokener *tok = NULL;
	json_object *root = NULL;
	fleet *f = NULL;
	int rc = -1;

	*out = NULL;
	if (len > FLEET_MAX_BYTES) {
		util_fail(err, errlen, "it is larger than %d KiB", FLEET_MAX_BYTES / 1024);
		goto cleanup;
	}
	if (memchr(text, '\0', len) != NULL || !utf8_valid(text, len)) {
		util_fail(err, errlen, "it is not UTF-8 text");
		goto cleanup;
	}
	tok = json_tokener_new_ex(JSON_MAX_DEPTH);
	if (tok == NULL) {
		util_fail(err, errlen, "out of memory");
		goto cleanup;
	}
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	root = json_tokener_parse_ex(tok, text, (int)len);
	if (root == NULL || json_tokener_get_error(tok) != json_tokener_success) {
		util_fail(err, errlen, "it is not valid JSON (%s near byte %zu)",
		     json_tokener_error_desc(json_tokener_get_error(tok)),
		     json_tokener_get_parse_end(tok));
		goto cleanup;
	}
	for (size_t i = json_tokener_get_parse_end(tok); i < len; i++)
		if (!isspace((unsigned char)text[i])) {
			util_fail(err, errlen, "it has more after the JSON object (byte %zu)", i);
			goto cleanup;
		}
	f = xcalloc(1, sizeof(*f));
	if (parse_top(&p, root, f) < 0 || check_unique(&p, f) < 0)
		goto cleanup;
	if (self_id != NULL && fleet_find(f, self_id) == NULL) {
		util_fail(err, errlen, "it does not list this kiosk ('%.60s')", self_id);
		goto cleanup;
	}
	*out = f;
	f = NULL;
	rc = 0;
cleanup:
	fleet_free(f);
	json_object_put(root);
	if (tok != NULL)
		json_tokener_free(tok);
	return rc;
}

const fleet_device *fleet_find(const fleet *f, const char *kiosk_id)
{
	for (size_t i = 0; f != NULL && i < f->n_kiosks; i++)
		if (strcmp(f->kiosks[i].id, kiosk_id) == 0)
			return &f->kiosks[i];
	return NULL;
}

/* ---- Formatting --------------------------------------------------------------------------- */

typedef struct sbuf {
	char *p;
	size_t n, cap;
} sbuf;

static void put(sbuf *b, const char *s, size_t n)
{
	if (b->n + n + 1 > b->cap) {
		b->cap = (b->n + n + 1) * 2;
		b->p = xreallocarray(b->p, b->cap, 1);
	}
	memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = '\0';
}

static void puts_(sbuf *b, const char *s)
{
	put(b, s, strlen(s));
}

/* A JSON string: quotes, backslashes and control characters escaped; UTF-8 as it is. */
static void put_string(sbuf *b, const char *s)
{
	put(b, "\"", 1);
	for (; *s != '\0'; s++) {
		char esc[8];
		if (*s == '"' || *s == '\\') {
			esc[0] = '\\';
			esc[1] = *s;
			put(b, esc, 2);
		} else if ((unsigned char)*s < 0x20) {
			snprintf(esc, sizeof(esc), "\\u%04x", (unsigned char)*s);
			puts_(b, esc);
		} else {
			put(b, s, 1);
		}
	}
	put(b, "\"", 1);
}

static void put_addresses(sbuf *b, const fleet_device *d)
{
	if (d->n_addresses == 0)
		return;
	puts_(b, ", \"addresses\": [");
	for (size_t i = 0; i < d->n_addresses; i++) {
		if (i > 0)
			puts_(b, ", ");
		put_string(b, d->addresses[i]);
	}
	puts_(b, "]");
}

char *fleet_format(const fleet *f)
{
	sbuf b = { 0 };
	char num[32];

	snprintf(num, sizeof(num), "%ld", f->version);
	puts_(&b, "{\n  \"kith_fleet\": 1,\n  \"fleet_version\": ");
	puts_(&b, num);
	puts_(&b, ",\n  \"kiosks\": [\n");
	for (size_t i = 0; i < f->n_kiosks; i++) {
		const fleet_device *d = &f->kiosks[i];
		puts_(&b, "    {\"kiosk_id\": ");
		put_string(&b, d->id);
		puts_(&b, ", \"device_id\": ");
		put_string(&b, d->device_id);
		puts_(&b, ", \"location\": ");
		put_string(&b, d->location);
		put_addresses(&b, d);
		if (d->sign_key != NULL && d->sign_key[0] != '\0') {
			puts_(&b, ", \"sign_key\": ");
			put_string(&b, d->sign_key);
		}
		puts_(&b, i + 1 < f->n_kiosks ? "},\n" : "}\n");
	}
	puts_(&b, "  ]");
	if (f->organiser != NULL) {
		puts_(&b, ",\n  \"organiser\": {\"name\": ");
		put_string(&b, f->organiser->id);
		puts_(&b, ", \"device_id\": ");
		put_string(&b, f->organiser->device_id);
		put_addresses(&b, f->organiser);
		puts_(&b, "}");
	}
	puts_(&b, "\n}\n");
	return b.p;
}
