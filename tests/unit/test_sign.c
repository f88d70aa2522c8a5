/* Unit tests for keys and signatures (common/sign.h), the badge signature record
 * (nfc/ndef.h) and signed kiosk files (store/export_sign.c), on real files: key files and
 * their permissions, detached file signatures and one flipped byte, badge records that round
 * trip or are malformed, and an export whose rows, tables or claim change after signing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "common/sign.h"
#include "nfc/ndef.h"
#include "store/export.h"
#include "store/store.h"
#include "sync/conference.h"

typedef struct fixture {
	char dir[64];
	char path[4][200];
} fixture;

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof *f);
	strcpy(f->dir, "/tmp/kith-sign-XXXXXX");
	if (f == NULL || mkdtemp(f->dir) == NULL)
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
	if (system(cmd) != 0)
		return -1;
	free(f);
	return 0;
}

static const char *p(fixture *f, int i, const char *name)
{
	snprintf(f->path[i], sizeof f->path[i], "%s/%s", f->dir, name);
	return f->path[i];
}

static void write_text(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
}

static void flip_byte(const char *path, long off)
{
	int fd = open(path, O_RDWR);
	unsigned char c;
	assert_true(fd >= 0);
	assert_int_equal(pread(fd, &c, 1, off), 1);
	c ^= 0x01;
	assert_int_equal(pwrite(fd, &c, 1, off), 1);
	close(fd);
}

static void test_keys_permissions(void **state)
{
	fixture *f = *state;
	uint8_t pk[SIGN_PUBLIC_BYTES], pk2[SIGN_PUBLIC_BYTES], sk[SIGN_SECRET_BYTES];
	char err[512];
	struct stat st;

	assert_int_equal(sign_keypair_write(p(f, 0, "k"), p(f, 1, "k.pub"), pk, err, sizeof err), 0);
	assert_int_equal(stat(f->path[0], &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	/* never overwritten */
	assert_int_equal(sign_keypair_write(f->path[0], p(f, 2, "k2.pub"), NULL, err, sizeof err), -1);
	assert_non_null(strstr(err, "already exists"));
	assert_int_equal(sign_secret_load(f->path[0], sk, pk2, err, sizeof err), 0);
	assert_memory_equal(pk, pk2, sizeof pk);
	assert_int_equal(sign_public_load(f->path[1], pk2, err, sizeof err), 0);
	assert_memory_equal(pk, pk2, sizeof pk);
	/* readable by others: refused */
	assert_int_equal(chmod(f->path[0], 0640), 0);
	assert_int_equal(sign_secret_load(f->path[0], sk, NULL, err, sizeof err), -1);
	assert_non_null(strstr(err, "readable by others"));
	/* a link is not followed */
	assert_int_equal(chmod(f->path[0], 0600), 0);
	assert_int_equal(symlink(f->path[0], p(f, 3, "link")), 0);
	assert_int_equal(sign_secret_load(f->path[3], sk, NULL, err, sizeof err), -1);
	/* damaged: the public half does not match the seed */
	flip_byte(f->path[0], 100);
	assert_int_equal(sign_secret_load(f->path[0], sk, NULL, err, sizeof err), -1);
	/* not hex, wrong length */
	write_text(p(f, 2, "bad.pub"), "zz\n");
	assert_int_equal(sign_public_load(f->path[2], pk2, err, sizeof err), -1);
	assert_int_equal(sign_public_from_hex("  0011", pk2), -1);
}

static void test_sign_verify_file(void **state)
{
	fixture *f = *state;
	uint8_t pk[SIGN_PUBLIC_BYTES], sk[SIGN_SECRET_BYTES], other[SIGN_PUBLIC_BYTES];
	char err[512];
	int dfd;

	assert_int_equal(sign_keypair_write(p(f, 0, "k"), p(f, 1, "k.pub"), pk, err, sizeof err), 0);
	assert_int_equal(sign_secret_load(f->path[0], sk, NULL, err, sizeof err), 0);
	assert_int_equal(sign_keypair_write(p(f, 2, "o"), p(f, 3, "o.pub"), other, err, sizeof err), 0);
	write_text(p(f, 0, "fleet.json"), "{\"kiosks\": [{\"kiosk_id\": \"a\"}]}\n");
	assert_int_equal(sign_verify_paths(f->path[0], NULL, pk, err, sizeof err), -1);
	assert_int_equal(sign_file_write_sig(f->path[0], sk, err, sizeof err), 0);
	assert_int_equal(sign_verify_paths(f->path[0], p(f, 1, "fleet.json.sig"), pk, err, sizeof err), 0);
	assert_int_equal(sign_verify_paths(f->path[0], f->path[1], other, err, sizeof err), -1);
	dfd = open(f->dir, O_RDONLY | O_DIRECTORY);
	assert_true(dfd >= 0);
	assert_int_equal(sign_verify_file(dfd, "fleet.json", 0, pk, err, sizeof err), 0);
	assert_int_equal(sign_verify_file(dfd, "fleet.json", 4, pk, err, sizeof err), -1); /* size */
	flip_byte(f->path[0], 5);
	assert_int_equal(sign_verify_file(dfd, "fleet.json", 0, pk, err, sizeof err), -1);
	assert_non_null(strstr(err, "not signed by the conference key"));
	assert_int_equal(sign_verify_file(dfd, "missing.json", 0, pk, err, sizeof err), -1);
	assert_non_null(strstr(err, "no signature"));
	close(dfd);
}

static void test_badge_record(void **state)
{
	uint8_t pk[SIGN_PUBLIC_BYTES], sk[SIGN_SECRET_BYTES], msg[256], mem[256];
	const uint8_t uid[7] = { 0x04, 0xA1, 0xB2, 0xC3, 0xD4, 0xE5, 0xF6 };
	ndef_badge_sig sig, got;
	char id[NDEF_ID_MAX];
	const char *why;
	size_t n;
	int len;

	(void)state;
	assert_int_equal(sign_init(), 0);
	crypto_sign_keypair(pk, sk); /* a key pair without files */
	memset(&sig, 0, sizeof sig);
	sig.uid_len = 7;
	memcpy(sig.uid, uid, 7);
	sign_conference_tag("conf-1", sig.conf_tag);
	n = sign_badge_message("conf-1", "A-00042", uid, 7, msg, sizeof msg);
	assert_true(n > 0);
	sign_detached(sk, msg, n, sig.sig);
	len = ndef_build_badge("A-00042", &sig, mem, sizeof mem);
	assert_true(len > 0 && len < 144); /* fits an NTAG213 */
	assert_int_equal(ndef_parse_attendee(mem, (size_t)len, id, &why), NDEF_OK);
	assert_string_equal(id, "A-00042");
	assert_int_equal(ndef_parse_signature(mem, (size_t)len, &got, &why), 1);
	assert_memory_equal(&got.sig, &sig.sig, sizeof sig.sig);
	assert_int_equal(sign_verify(pk, msg, n, got.sig), 0);
	/* another UID: another message, the signature fails */
	n = sign_badge_message("conf-1", "A-00042", (const uint8_t *)"\x04\x00\x00\x00\x00\x00\x01", 7,
			       msg, sizeof msg);
	assert_int_equal(sign_verify(pk, msg, n, got.sig), -1);
	/* a plain Text badge has none */
	len = ndef_build_text("A-00042", mem, sizeof mem);
	assert_int_equal(ndef_parse_signature(mem, (size_t)len, &got, &why), 0);
	/* truncated payload: malformed, never a signature */
	len = ndef_build_badge("A-1", &sig, mem, sizeof mem);
	/* TLV (2), Text record (3 + "T" + status, "en", "A-1" = 10), then the sig record's
	 * header, type length and payload length: one byte short of what the record needs. */
	assert_int_equal(mem[2 + 10 + 1], strlen(NDEF_SIG_TYPE));
	mem[2 + 10 + 2] -= 1;
	assert_true(ndef_parse_signature(mem, (size_t)len, &got, &why) < 0);
	/* too small a buffer */
	assert_int_equal(ndef_build_badge("A-1", &sig, mem, 40), -1);
}

/* A kiosk database with check-ins, its key beside it, exported as kiosk "k1". */
static void make_export(fixture *f, const char *db, const char *out, char *pkhex)
{
	store *s = NULL;
	uint8_t pk[SIGN_PUBLIC_BYTES];
	char err[512], keyp[300], pubp[300];
	store_tap tap;
	store_attendee_in a = { "A1", "Ada", "", 1 };

	assert_int_equal(store_open(&s, db, STORE_OPEN_CREATE), 0);
	assert_int_equal(store_attendee_put(s, &a), 0);
	assert_int_equal(store_kiosk_set(s, "k1", "Hall"), 0);
	assert_int_equal(store_checkin_record(s, "A1", 1795737600 + 3600, 1795737600, &tap), 0);
	snprintf(keyp, sizeof keyp, "%s.key", db);
	snprintf(pubp, sizeof pubp, "%s.key.pub", db);
	assert_int_equal(sign_keypair_write(keyp, pubp, pk, err, sizeof err), 0);
	sign_public_to_hex(pk, pkhex);
	assert_int_equal(export_write(s, out, NULL, NULL, err, sizeof err), 0);
	store_close(s);
	(void)f;
}

static void sql(const char *path, const char *q)
{
	sqlite3 *db;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, q, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

static void test_export_signature(void **state)
{
	fixture *f = *state;
	char pkhex[SIGN_PUBLIC_HEX], why[512], q[1024], kiosk[64], fp[32];
	store *r = NULL;

	make_export(f, p(f, 0, "k1.db"), p(f, 1, "e.sqlite"), pkhex);
	/* the receiving kiosk: a signed conference that trusts k1's key */
	assert_int_equal(store_open(&r, p(f, 2, "r.db"), STORE_OPEN_CREATE), 0);
	assert_int_equal(store_meta_set(r, "trust_conference_key", pkhex), 0); /* any key */
	assert_int_equal(export_sign_check(r, f->path[1], NULL, why, sizeof why), EXPORT_SIGN_ASIDE);
	assert_non_null(strstr(why, "kept aside"));
	assert_int_equal(store_meta_set(r, "trust_kiosk_key.k1", pkhex), 0);
	assert_int_equal(export_sign_check(r, f->path[1], NULL, why, sizeof why), EXPORT_SIGN_OK);
	assert_int_equal(export_sign_inspect(f->path[1], kiosk, sizeof kiosk, fp, sizeof fp, why,
					     sizeof why), 1);
	assert_string_equal(kiosk, "k1");
	/* SQLite rewriting the file keeps the signature valid */
	sql(f->path[1], "VACUUM");
	assert_int_equal(export_sign_check(r, f->path[1], NULL, why, sizeof why), EXPORT_SIGN_OK);
	/* a row edited after signing */
	snprintf(q, sizeof q, "cp '%s' '%s'", f->path[1], p(f, 3, "edited.sqlite"));
	assert_int_equal(system(q), 0);
	sql(f->path[3], "UPDATE checkins SET checked_in_at = '2026-11-27T09:00:00Z'");
	assert_int_equal(export_sign_check(r, f->path[3], NULL, why, sizeof why), STORE_EINVAL);
	assert_non_null(strstr(why, "changed after"));
	/* a table added after signing (one this code does not know) */
	snprintf(q, sizeof q, "cp '%s' '%s'", f->path[1], f->path[3]);
	assert_int_equal(system(q), 0);
	sql(f->path[3], "CREATE TABLE consents(a); INSERT INTO consents VALUES (1)");
	assert_int_equal(export_sign_check(r, f->path[3], NULL, why, sizeof why), STORE_EINVAL);
	/* claims another kiosk than it was signed as */
	snprintf(q, sizeof q, "cp '%s' '%s'", f->path[1], f->path[3]);
	assert_int_equal(system(q), 0);
	sql(f->path[3], "UPDATE signature SET kiosk_id = 'k2'");
	assert_int_equal(export_sign_check(r, f->path[3], NULL, why, sizeof why), STORE_EINVAL);
	/* unsigned, in a signed conference */
	sql(f->path[3], "DROP TABLE signature");
	assert_int_equal(export_sign_check(r, f->path[3], NULL, why, sizeof why), STORE_EINVAL);
	assert_non_null(strstr(why, "not signed"));
	assert_int_equal(export_sign_inspect(f->path[3], kiosk, sizeof kiosk, fp, sizeof fp, why,
					     sizeof why), 0);
	/* ... and on an open kiosk (no conference key): taken, with a warning */
	assert_int_equal(store_meta_set(r, "trust_conference_key", ""), 0);
	assert_int_equal(export_sign_check(r, f->path[3], NULL, why, sizeof why), EXPORT_SIGN_OK);
	store_close(r);
}

/* The fleet step's check: a kiosk with a conference key takes only a file signed by it. */
static void test_fleet_copy(void **state)
{
	fixture *f = *state;
	uint8_t pk[SIGN_PUBLIC_BYTES], sk[SIGN_SECRET_BYTES];
	char hex[SIGN_PUBLIC_HEX], err[512];
	store *s = NULL;

	assert_int_equal(sign_keypair_write(p(f, 0, "k"), p(f, 1, "k.pub"), pk, err, sizeof err), 0);
	assert_int_equal(sign_secret_load(f->path[0], sk, NULL, err, sizeof err), 0);
	write_text(p(f, 2, "fleet.json"), "{\"kiosks\": []}\n");
	assert_int_equal(store_open(&s, p(f, 3, "k.db"), STORE_OPEN_CREATE), 0);
	/* open kiosk: taken */
	assert_int_equal(conference_verify_signed_copy(s, f->path[2], NULL, err, sizeof err), 0);
	sign_public_to_hex(pk, hex);
	assert_int_equal(store_meta_set(s, TRUST_KEY_META, hex), 0);
	assert_int_equal(conference_verify_signed_copy(s, f->path[2], NULL, err, sizeof err), -1);
	assert_int_equal(sign_file_write_sig(f->path[2], sk, err, sizeof err), 0);
	assert_int_equal(conference_verify_signed_copy(s, f->path[2], p(f, 1, "fleet.json.sig"), err,
						       sizeof err), 0);
	write_text(f->path[2], "{\"kiosks\": [{\"kiosk_id\": \"rogue\"}]}\n");
	assert_int_equal(conference_verify_signed_copy(s, f->path[2], f->path[1], err, sizeof err), -1);
	store_close(s);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_keys_permissions),
		T(test_sign_verify_file),
		T(test_badge_record),
		T(test_export_signature),
		T(test_fleet_copy),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
