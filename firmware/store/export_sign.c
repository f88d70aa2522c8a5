/* Signed kiosk files: each export carries its kiosk's signature inside it (export.h).
 *
 * Why inside and generic: a detached .sig would not survive the file being rewritten by
 * SQLite (or by Syncthing's temp-and-rename), and a digest that names its tables would miss
 * those added later (consents, staff events). So the digest walks whatever the file holds:
 * every table but `signature` in name order, its column names, its rows ordered by all
 * columns, each value tagged with its type (integer and real as 8 big-endian bytes, text and
 * blob with their length). Editing, adding or removing any row, table or column changes it.
 * Start at export_sign_check: it is what a kiosk runs on a peer's file before merging it.
 */
#include "store/export_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "common/sign.h"
#include "common/util.h"
#include "store/store_int.h"

#define DIGEST_BYTES 64
#define TABLES_MAX 256 /* a hostile file with more tables is refused */
static const char digest_magic[] = "kith-export-1";

static void feed(crypto_generichash_state *h, const void *p, size_t n)
{
	crypto_generichash_update(h, p, n);
}

static void feed_u64(crypto_generichash_state *h, uint64_t v)
{
	uint8_t b[8];
	for (int i = 0; i < 8; i++)
		b[i] = (uint8_t)(v >> (56 - 8 * i));
	feed(h, b, sizeof b);
}

static void feed_bytes(crypto_generichash_state *h, uint8_t tag, const void *p, size_t n)
{
	feed(h, &tag, 1);
	feed_u64(h, n);
	if (n)
		feed(h, p, n);
}

static void feed_value(crypto_generichash_state *h, sqlite3_stmt *st, int col)
{
	uint8_t tag;
	switch (sqlite3_column_type(st, col)) {
	case SQLITE_INTEGER:
		tag = 'i';
		feed(h, &tag, 1);
		feed_u64(h, (uint64_t)sqlite3_column_int64(st, col));
		break;
	case SQLITE_FLOAT: {
		double d = sqlite3_column_double(st, col);
		uint64_t bits;
		memcpy(&bits, &d, sizeof bits);
		tag = 'f';
		feed(h, &tag, 1);
		feed_u64(h, bits);
		break;
	}
	case SQLITE_TEXT:
		feed_bytes(h, 't', sqlite3_column_text(st, col), (size_t)sqlite3_column_bytes(st, col));
		break;
	case SQLITE_BLOB:
		feed_bytes(h, 'b', sqlite3_column_blob(st, col), (size_t)sqlite3_column_bytes(st, col));
		break;
	default:
		tag = 'n';
		feed(h, &tag, 1);
	}
}

/* One table: its name, its columns, its rows in the order of all columns. */
static int digest_table(sqlite3 *db, crypto_generichash_state *h, const char *name)
{
	sqlite3_stmt *st = NULL;
	char *sql = sqlite3_mprintf("SELECT * FROM main.\"%w\"", name), *ordered = NULL;
	int rc, n;

	if (sql == NULL)
		return SQLITE_NOMEM;
	rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
	if (rc != SQLITE_OK)
		goto out;
	n = sqlite3_column_count(st);
	feed_bytes(h, 'T', name, strlen(name));
	feed_u64(h, (uint64_t)n);
	for (int i = 0; i < n; i++) {
		const char *c = sqlite3_column_name(st, i);
		feed_bytes(h, 'C', c ? c : "", c ? strlen(c) : 0);
	}
	sqlite3_finalize(st);
	st = NULL;
	ordered = sqlite3_mprintf("%s ORDER BY", sql);
	for (int i = 1; ordered != NULL && i <= n; i++) {
		char *next = sqlite3_mprintf("%s%s %d", ordered, i > 1 ? "," : "", i);
		sqlite3_free(ordered);
		ordered = next;
	}
	if (ordered == NULL) {
		rc = SQLITE_NOMEM;
		goto out;
	}
	if ((rc = sqlite3_prepare_v2(db, ordered, -1, &st, NULL)) != SQLITE_OK)
		goto out;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		feed(h, "R", 1);
		for (int i = 0; i < n; i++)
			feed_value(h, st, i);
	}
	rc = rc == SQLITE_DONE ? SQLITE_OK : rc;
out:
	sqlite3_finalize(st);
	sqlite3_free(sql);
	sqlite3_free(ordered);
	return rc;
}

/* The canonical digest of every table of db's main schema but `signature`. An SQLite code. */
static int digest_db(sqlite3 *db, uint8_t out[DIGEST_BYTES])
{
	crypto_generichash_state h;
	sqlite3_stmt *st = NULL;
	char *names[TABLES_MAX];
	int n = 0, rc;

	crypto_generichash_init(&h, NULL, 0, DIGEST_BYTES);
	feed(&h, digest_magic, sizeof digest_magic);
	rc = sqlite3_prepare_v2(db, "SELECT name FROM main.sqlite_master WHERE type = 'table' AND "
				"name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name <> 'signature' "
				"ORDER BY name COLLATE BINARY", -1, &st, NULL);
	if (rc == SQLITE_OK) {
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			const char *t = (const char *)sqlite3_column_text(st, 0);
			if (n == TABLES_MAX) {
				rc = SQLITE_TOOBIG;
				break;
			}
			names[n++] = xstrdup(t ? t : "");
		}
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_DONE)
		rc = SQLITE_OK;
	for (int i = 0; i < n; i++) {
		if (rc == SQLITE_OK)
			rc = digest_table(db, &h, names[i]);
		free(names[i]);
	}
	crypto_generichash_final(&h, out, DIGEST_BYTES);
	return rc;
}

int export_sign_temp(store *s, const char *path, char *err, size_t errlen)
{
	const char *dbfile = sqlite3_db_filename(store_db(s), "main");
	uint8_t sk[SIGN_SECRET_BYTES], pk[SIGN_PUBLIC_BYTES], digest[DIGEST_BYTES], sig[SIGN_BYTES];
	char keypath[4200], pkhex[SIGN_PUBLIC_HEX], sighex[2 * SIGN_BYTES + 1], why[512];
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	int rc;

	if (dbfile == NULL || dbfile[0] == '\0' || s->kiosk_id[0] == '\0')
		return 0; /* not a kiosk's handle (kioskctl export): nobody to sign as */
	snprintf(keypath, sizeof keypath, "%s%s", dbfile, EXPORT_KIOSK_KEY_SUFFIX);
	if (access(keypath, F_OK) < 0 && errno == ENOENT)
		return 0; /* no kiosk key here (the organiser's laptop): the file stays unsigned */
	if (sign_secret_load(keypath, sk, pk, why, sizeof why) < 0) {
		export_seterr(err, errlen, "cannot sign the export: %s", why);
		return STORE_EIO;
	}
	rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(db, "PRAGMA journal_mode = OFF; BEGIN", NULL, NULL, NULL);
	if (rc == SQLITE_OK)
		rc = digest_db(db, digest);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(db, "CREATE TABLE signature(kiosk_id TEXT NOT NULL, "
				  "public_key TEXT NOT NULL, sig TEXT NOT NULL)", NULL, NULL, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(db, "INSERT INTO signature VALUES (?1, ?2, ?3)", -1, &st, NULL);
	if (rc == SQLITE_OK) {
		sign_detached(sk, digest, sizeof digest, sig);
		sign_public_to_hex(pk, pkhex);
		sodium_bin2hex(sighex, sizeof sighex, sig, sizeof sig);
		sqlite3_bind_text(st, 1, s->kiosk_id, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, pkhex, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, sighex, -1, SQLITE_STATIC);
		rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : sqlite3_errcode(db);
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		export_seterr(err, errlen, "cannot sign the export: %s", export_plain_sqlite(rc, db));
	sqlite3_close(db);
	sodium_memzero(sk, sizeof sk);
	return rc == SQLITE_OK ? 0 : STORE_EIO;
}

typedef struct claim {
	int has;                         /* 1: a signature row is there */
	char kiosk_id[STORE_ID_MAX];
	uint8_t pk[SIGN_PUBLIC_BYTES];
	char pkhex[SIGN_PUBLIC_HEX];
	char fp[SIGN_FINGERPRINT_MAX];
} claim;

/* Reads and checks the file's signature against its own claim. 0 (c->has says whether it
 * is signed at all), or STORE_EINVAL with why. */
static int claim_check(sqlite3 *db, const char *label, claim *c, char *why, size_t whylen)
{
	sqlite3_stmt *st = NULL;
	uint8_t sig[SIGN_BYTES], digest[DIGEST_BYTES];
	const char *id, *pk, *sg, *by = NULL;
	int rc, rows = 0, bad = 0;

	memset(c, 0, sizeof *c);
	if (!export_has_column(db, "signature", "sig"))
		return 0;
	c->has = 1;
	rc = sqlite3_prepare_v2(db, "SELECT kiosk_id, public_key, sig FROM signature", -1, &st, NULL);
	while (rc == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW) {
		rows++;
		id = (const char *)sqlite3_column_text(st, 0);
		pk = (const char *)sqlite3_column_text(st, 1);
		sg = (const char *)sqlite3_column_text(st, 2);
		if (rows > 1 || !export_id_ok(st, 0) || pk == NULL || sg == NULL ||
		    sign_public_from_hex(pk, c->pk) < 0 ||
		    strlen(sg) != 2 * SIGN_BYTES ||
		    sodium_hex2bin(sig, sizeof sig, sg, strlen(sg), NULL, NULL, NULL) != 0) {
			bad = 1;
			break;
		}
		str_copy_utf8(c->kiosk_id, sizeof c->kiosk_id, id);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_OK || bad || rows != 1) {
		export_seterr(why, whylen, "%s has a malformed signature table", label);
		return STORE_EINVAL;
	}
	sign_public_to_hex(c->pk, c->pkhex);
	sign_fingerprint(c->pk, c->fp);
	if ((rc = digest_db(db, digest)) != SQLITE_OK) {
		export_seterr(why, whylen, "%s cannot be read to check its signature (%s)", label,
			      export_plain_sqlite(rc, db));
		return STORE_EINVAL;
	}
	if (sign_verify(c->pk, digest, sizeof digest, sig) != 0) {
		export_seterr(why, whylen, "%s does not match its signature: it was changed after "
			      "kiosk %s signed it", label, c->kiosk_id);
		return STORE_EINVAL;
	}
	/* The file names its kiosk in meta too; the two must agree. */
	if (sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key = 'exported_by'", -1, &st,
			       NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		by = (const char *)sqlite3_column_text(st, 0);
	if (by != NULL && strcmp(by, c->kiosk_id) != 0) {
		export_seterr(why, whylen, "%s says it is from kiosk %s but is signed as kiosk %s",
			      label, by, c->kiosk_id);
		sqlite3_finalize(st);
		return STORE_EINVAL;
	}
	sqlite3_finalize(st);
	return 0;
}

static const char *base_name(const char *path)
{
	const char *b = strrchr(path, '/');
	return b ? b + 1 : path;
}

int export_sign_inspect(const char *path, char *kiosk_id, size_t idsize, char *fingerprint,
			size_t fpsize, char *why, size_t whylen)
{
	sqlite3 *db = NULL;
	claim c;
	int rc;

	if (sign_init() < 0) {
		export_seterr(why, whylen, "libsodium failed to start");
		return STORE_EIO;
	}
	if ((rc = export_open_input(path, base_name(path), &db, why, whylen)) < 0)
		return rc;
	rc = claim_check(db, base_name(path), &c, why, whylen);
	sqlite3_close(db);
	if (rc < 0)
		return rc;
	str_copy_utf8(kiosk_id, idsize, c.kiosk_id);
	str_copy_utf8(fingerprint, fpsize, c.fp);
	return c.has;
}

int export_sign_check(store *s, const char *path, const char *name, char *why, size_t whylen)
{
	char key[STORE_ID_MAX + 32], have[SIGN_PUBLIC_HEX + 8], conf[SIGN_PUBLIC_HEX + 8];
	const char *label = name != NULL ? name : base_name(path);
	sqlite3 *db = NULL;
	claim c;
	int rc, locked;

	if (sign_init() < 0) {
		export_seterr(why, whylen, "libsodium failed to start");
		return STORE_EIO;
	}
	/* A kiosk with a conference key is a signed conference; without one, an open demo. */
	locked = store_meta_get(s, "trust_conference_key", conf, sizeof conf) == 1 && conf[0];
	if ((rc = export_open_input(path, label, &db, why, whylen)) < 0)
		return rc;
	rc = claim_check(db, label, &c, why, whylen);
	sqlite3_close(db);
	if (rc < 0)
		return rc;
	if (!c.has) {
		if (locked) {
			export_seterr(why, whylen, "%s is not signed by the kiosk it comes from", label);
			return STORE_EINVAL;
		}
		log_warn("exchange: %s is unsigned; merged because this kiosk has no conference key "
			 "(open)", label);
		return EXPORT_SIGN_OK;
	}
	snprintf(key, sizeof key, "%s%s", EXPORT_TRUST_KIOSK_META, c.kiosk_id);
	if (store_meta_get(s, key, have, sizeof have) == 1 && have[0]) {
		if (strcmp(have, c.pkhex) != 0) {
			export_seterr(why, whylen, "%s claims kiosk %s but is signed by another key (%s)",
				      label, c.kiosk_id, c.fp);
			return STORE_EINVAL;
		}
		return EXPORT_SIGN_OK;
	}
	if (!locked) {
		log_warn("exchange: %s is signed by kiosk %s (key %s), not known here; merged because "
			 "this kiosk has no conference key (open)", label, c.kiosk_id, c.fp);
		return EXPORT_SIGN_OK;
	}
	snprintf(key, sizeof key, "%s%s", EXPORT_OFFER_KIOSK_META, c.kiosk_id);
	if (store_meta_set(s, key, c.pkhex) < 0)
		log_warn("exchange: cannot note kiosk %s for pairing: %s", c.kiosk_id, store_errmsg(s));
	export_seterr(why, whylen, "kept aside: %s is from kiosk %s (key %s), which this kiosk "
		      "does not know; pair it on the admin screen", label, c.kiosk_id, c.fp);
	return EXPORT_SIGN_ASIDE;
}

int export_pair_offers(store *s, char (*ids)[STORE_ID_MAX], int max)
{
	sqlite3_stmt *st = NULL;
	size_t plen = strlen(EXPORT_OFFER_KIOSK_META);
	int n = 0;

	if (sqlite3_prepare_v2(store_db(s), "SELECT substr(key, ?1) FROM meta WHERE "
			       "substr(key, 1, ?2) = ?3 AND value <> '' ORDER BY key", -1, &st,
			       NULL) != SQLITE_OK)
		return STORE_EIO;
	sqlite3_bind_int(st, 1, (int)plen + 1);
	sqlite3_bind_int(st, 2, (int)plen);
	sqlite3_bind_text(st, 3, EXPORT_OFFER_KIOSK_META, -1, SQLITE_STATIC);
	while (n < max && sqlite3_step(st) == SQLITE_ROW) {
		const char *id = (const char *)sqlite3_column_text(st, 0);
		str_copy_utf8(ids[n++], STORE_ID_MAX, id ? id : "");
	}
	sqlite3_finalize(st);
	return n;
}

int export_pair_accept(store *s, const char *kiosk_id)
{
	char offer[STORE_ID_MAX + 32], trust[STORE_ID_MAX + 32], hex[SIGN_PUBLIC_HEX + 8];
	uint8_t pk[SIGN_PUBLIC_BYTES];
	int rc;

	snprintf(offer, sizeof offer, "%s%s", EXPORT_OFFER_KIOSK_META, kiosk_id);
	snprintf(trust, sizeof trust, "%s%s", EXPORT_TRUST_KIOSK_META, kiosk_id);
	if ((rc = store_meta_get(s, offer, hex, sizeof hex)) <= 0)
		return rc;
	if (sign_public_from_hex(hex, pk) < 0)
		return 0;
	if (store_begin(s) < 0)
		return STORE_EIO;
	if (store_meta_set(s, trust, hex) < 0 || store_meta_set(s, offer, "") < 0 ||
	    store_commit(s) < 0) {
		store_rollback(s);
		return STORE_EIO;
	}
	return 1;
}
