/* kioskctl badge-write: puts an attendee id on an NTAG21x badge as an NDEF Text record.
 *
 * The organiser lays a badge on the reader and runs
 *   kioskctl badge-write --reader CONNSTRING ATTENDEE_ID
 * We wait for a tag, make sure it is an NTAG21x (GET_VERSION) that is neither statically nor
 * dynamically locked nor marked read-only in its capability container, write the NDEF TLV page
 * by page (NTAG WRITE), read it back and parse it with the kiosk's own parser. Anything refused
 * says why in one line. Exit codes as for every kioskctl command: 0 written, 1 refused or
 * failed, 2 usage.
 *
 * With --key SECRET_FILE --conference-id ID a second record, kith.app:sig (nfc/ndef.h), holds
 * an Ed25519 signature over the conference id, the attendee id and this tag's UID, so a copy
 * on another tag fails (docs/THREAT-MODEL.md). --lock then, after the read-back verified,
 * marks the capability container read-only and sets the dynamic and static lock bits (OTP:
 * the tag can never be rewritten), and reads the lock bytes back.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <nfc/nfc.h>

#include "common/sign.h"
#include "common/util.h"
#include "nfc/ndef.h"

#include "kioskctl.h"

#define WAIT_FOR_TAG_NS (15ULL * 1000000000ULL)
#define EXCHANGE_TIMEOUT_MS 200
#define NTAG_READ 0x30
#define NTAG_WRITE 0xA2
#define NTAG_GET_VERSION 0x60

typedef struct ntag_model {
	uint8_t storage;     /* GET_VERSION byte 6 */
	const char *name;
	uint8_t cc_size;     /* CC byte 2: NDEF area / 8 */
	unsigned dynlock;    /* page of the dynamic lock bytes */
} ntag_model;

static const ntag_model ntag_models[] = {
	{ 0x0F, "NTAG213", 0x12, 0x28 },
	{ 0x11, "NTAG215", 0x3E, 0x82 },
	{ 0x13, "NTAG216", 0x6D, 0xE2 },
};

typedef struct writer {
	nfc_context *ctx;
	nfc_device *dev;
	nfc_target target;
	char uid[24];        /* hex, for messages */
	int sign;            /* 1: sk and conf_id are set */
	uint8_t sk[SIGN_SECRET_BYTES];
	uint8_t pk[SIGN_PUBLIC_BYTES];
	const char *conf_id;
	int lock;            /* --lock */
} writer;

static int usage(void)
{
	fprintf(stderr, "usage: kioskctl badge-write --reader CONNSTRING [--key SECRET_FILE "
		"--conference-id ID] [--lock] ATTENDEE_ID\n");
	return 2;
}

static int exchange(writer *w, const uint8_t *tx, size_t txlen, uint8_t *rx, size_t rxlen)
{
	return nfc_initiator_transceive_bytes(w->dev, tx, txlen, rx, rxlen, EXCHANGE_TIMEOUT_MS);
}

static int page_read(writer *w, unsigned page, uint8_t out[16])
{
	const uint8_t cmd[] = { NTAG_READ, (uint8_t)page };
	return exchange(w, cmd, sizeof cmd, out, 16) == 16 ? 0 : -1;
}

static int page_write(writer *w, unsigned page, const uint8_t data[4])
{
	const uint8_t cmd[] = { NTAG_WRITE, (uint8_t)page, data[0], data[1], data[2], data[3] };
	uint8_t rx[4];
	return exchange(w, cmd, sizeof cmd, rx, sizeof rx) < 0 ? -1 : 0;
}

/* Waits for a tag on the reader, polling briefly so Ctrl-C stays responsive. */
static int tag_wait(writer *w)
{
	const nfc_modulation mod = { .nmt = NMT_ISO14443A, .nbr = NBR_106 };
	uint64_t deadline = time_mono_ns() + WAIT_FOR_TAG_NS;
	int said = 0;

	while (time_mono_ns() < deadline) {
		int rc = nfc_initiator_select_passive_target(w->dev, mod, NULL, 0, &w->target);
		if (rc > 0)
			return 0;
		if (rc < 0 && rc != NFC_ETIMEOUT && rc != NFC_ERFTRANS)
			return -1;
		if (!said) {
			fprintf(stderr, "kioskctl: badge-write: place a badge on the reader...\n");
			said = 1;
		}
		struct timespec ts = { 0, 50000000L };
		nanosleep(&ts, NULL);
	}
	return -1;
}

/* Checks the tag and returns its model, or NULL after printing why it is refused. */
static const ntag_model *tag_check(writer *w, uint8_t cc[4])
{
	const nfc_iso14443a_info *a = &w->target.nti.nai;
	uint8_t v[16], p[16];
	const ntag_model *m = NULL;

	if (!(a->abtAtqa[0] == 0x00 && a->abtAtqa[1] == 0x44 && a->btSak == 0x00)) {
		fprintf(stderr, "kioskctl: badge-write: badge %s is not an NTAG21x (ATQA %02X%02X, SAK %02X); "
			"use NTAG213/215/216 badges\n", w->uid, a->abtAtqa[0], a->abtAtqa[1], a->btSak);
		return NULL;
	}
	const uint8_t gv[] = { NTAG_GET_VERSION };
	int n = exchange(w, gv, sizeof gv, v, sizeof v);
	if (n == 8 && v[1] == 0x04 && v[2] == 0x04) {
		for (size_t i = 0; i < ARRAY_LEN(ntag_models); i++)
			if (ntag_models[i].storage == v[6])
				m = &ntag_models[i];
	}
	if (m == NULL) {
		fprintf(stderr, "kioskctl: badge-write: badge %s is not an NTAG21x (GET_VERSION %s); "
			"use NTAG213/215/216 badges\n", w->uid, n == 8 ? "names another chip" : "unanswered");
		return NULL;
	}
	if (page_read(w, 2, p) < 0) {
		fprintf(stderr, "kioskctl: badge-write: badge %s: cannot read its lock bytes\n", w->uid);
		return NULL;
	}
	memcpy(cc, p + 4, 4);
	if (p[2] != 0 || p[3] != 0) {
		fprintf(stderr, "kioskctl: badge-write: badge %s is locked (static lock bytes %02X %02X)\n",
			w->uid, p[2], p[3]);
		return NULL;
	}
	if (cc[0] != 0 && !(cc[0] == 0xE1 && (cc[1] >> 4) == 1)) {
		fprintf(stderr, "kioskctl: badge-write: badge %s has a capability container that is not "
			"NDEF (%02X %02X %02X %02X)\n", w->uid, cc[0], cc[1], cc[2], cc[3]);
		return NULL;
	}
	if ((cc[3] & 0x0F) != 0) {
		fprintf(stderr, "kioskctl: badge-write: badge %s is read-only (capability container "
			"write access %X)\n", w->uid, cc[3] & 0x0F);
		return NULL;
	}
	if (page_read(w, m->dynlock, p) < 0) {
		fprintf(stderr, "kioskctl: badge-write: badge %s: cannot read its dynamic lock bytes\n", w->uid);
		return NULL;
	}
	if (p[0] != 0 || p[1] != 0 || p[2] != 0) {
		fprintf(stderr, "kioskctl: badge-write: badge %s is locked (dynamic lock bytes "
			"%02X %02X %02X)\n", w->uid, p[0], p[1], p[2]);
		return NULL;
	}
	return m;
}

static int id_check(const char *id)
{
	size_t n = strlen(id);
	if (n == 0 || n >= NDEF_ID_MAX) {
		fprintf(stderr, "kioskctl: badge-write: attendee id must be 1 to %d bytes, not %zu\n",
			NDEF_ID_MAX - 1, n);
		return -1;
	}
	if (!utf8_valid(id, n)) {
		fprintf(stderr, "kioskctl: badge-write: attendee id is not valid UTF-8\n");
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		if ((unsigned char)id[i] < 0x20 || id[i] == 0x7F) {
			fprintf(stderr, "kioskctl: badge-write: attendee id contains a control character\n");
			return -1;
		}
	}
	return 0;
}

/* Makes the tag read-only for good: CC write access 0x0F, then the dynamic lock bits, then
 * the static ones (which also freeze the CC and themselves). Each is one-time programmable.
 * The lock bytes are read back; 0, or 1 after printing why. */
static int badge_lock(writer *w, const ntag_model *m)
{
	static const uint8_t cc_ro[4] = { 0x00, 0x00, 0x00, 0x0F };
	static const uint8_t dyn[4] = { 0xFF, 0xFF, 0xFF, 0x00 };
	static const uint8_t stat[4] = { 0x00, 0x00, 0xFF, 0xFF };
	uint8_t p[16];

	if (page_write(w, 3, cc_ro) < 0 || page_write(w, m->dynlock, dyn) < 0 ||
	    page_write(w, 2, stat) < 0) {
		fprintf(stderr, "kioskctl: badge-write: badge %s: setting the lock bits failed "
			"(badge moved?); it is written and verified but may not be locked\n", w->uid);
		return 1;
	}
	if (page_read(w, 2, p) < 0 || p[2] != 0xFF || p[3] != 0xFF || (p[7] & 0x0F) != 0x0F) {
		fprintf(stderr, "kioskctl: badge-write: badge %s: the lock bits did not stick\n",
			w->uid);
		return 1;
	}
	return 0;
}

/* Writes and verifies. 0, or 1 after printing why. */
static int badge_write(writer *w, const char *id)
{
	uint8_t cc[4], mem[256], back[256 + 16];
	ndef_badge_sig sig, got_sig;
	const ntag_model *m;
	char got[NDEF_ID_MAX];
	const char *why = NULL;
	int len;

	if ((m = tag_check(w, cc)) == NULL)
		return 1;
	if (w->sign) {
		const nfc_iso14443a_info *a = &w->target.nti.nai;
		uint8_t msg[256];
		size_t n;
		if (a->szUidLen != 4 && a->szUidLen != 7 && a->szUidLen != 10) {
			fprintf(stderr, "kioskctl: badge-write: badge %s has a UID of %zu bytes; cannot "
				"sign it\n", w->uid, a->szUidLen);
			return 1;
		}
		sig.uid_len = a->szUidLen;
		memcpy(sig.uid, a->abtUid, sig.uid_len);
		sign_conference_tag(w->conf_id, sig.conf_tag);
		n = sign_badge_message(w->conf_id, id, sig.uid, sig.uid_len, msg, sizeof msg);
		if (n == 0)
			return 1;
		sign_detached(w->sk, msg, n, sig.sig);
	}
	len = ndef_build_badge(id, w->sign ? &sig : NULL, mem, sizeof mem);
	if (len < 0 || (size_t)len > (size_t)m->cc_size * 8) {
		fprintf(stderr, "kioskctl: badge-write: attendee id does not fit a %s\n", m->name);
		return 1;
	}
	while (len % 4)
		mem[len++] = 0x00;
	if (cc[0] == 0) {
		/* A blank tag: announce NDEF (version 1.0, full size, read/write). CC bits are OTP. */
		const uint8_t newcc[4] = { 0xE1, 0x10, m->cc_size, 0x00 };
		if (page_write(w, 3, newcc) < 0) {
			fprintf(stderr, "kioskctl: badge-write: badge %s: writing the capability container failed\n", w->uid);
			return 1;
		}
	}
	for (int off = 0; off < len; off += 4) {
		if (page_write(w, 4 + (unsigned)off / 4, mem + off) < 0) {
			fprintf(stderr, "kioskctl: badge-write: badge %s: write of page %d failed "
				"(badge moved?); nothing is verified, run again\n", w->uid, 4 + off / 4);
			return 1;
		}
	}
	for (int off = 0; off < len; off += 16) {
		if (page_read(w, 4 + (unsigned)off / 4, back + off) < 0) {
			fprintf(stderr, "kioskctl: badge-write: badge %s: read-back failed (badge moved?)\n", w->uid);
			return 1;
		}
	}
	if (memcmp(back, mem, (size_t)len) != 0 ||
	    ndef_parse_attendee(back, (size_t)len, got, &why) != NDEF_OK || strcmp(got, id) != 0) {
		fprintf(stderr, "kioskctl: badge-write: badge %s: read-back does not match what was written%s%s\n",
			w->uid, why ? ": " : "", why ? why : "");
		return 1;
	}
	if (w->sign) {
		uint8_t msg[256];
		size_t n = sign_badge_message(w->conf_id, id, sig.uid, sig.uid_len, msg, sizeof msg);
		if (ndef_parse_signature(back, (size_t)len, &got_sig, &why) != 1 ||
		    sign_verify(w->pk, msg, n, got_sig.sig) != 0) {
			fprintf(stderr, "kioskctl: badge-write: badge %s: the signature read back does "
				"not verify%s%s\n", w->uid, why ? ": " : "", why ? why : "");
			return 1;
		}
	}
	if (w->lock && badge_lock(w, m) != 0)
		return 1;
	printf("wrote %s to badge %s (%s)%s%s\n", id, w->uid, m->name, w->sign ? ", signed" : "",
	       w->lock ? ", locked" : "");
	return 0;
}

int cmd_badge_write(int argc, char **argv)
{
	const char *connstring = NULL, *id = NULL, *key = NULL;
	char err[512];
	writer w;
	int rc = 1;

	memset(&w, 0, sizeof w);
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--reader") == 0 && i + 1 < argc)
			connstring = argv[++i];
		else if (strcmp(argv[i], "--key") == 0 && i + 1 < argc)
			key = argv[++i];
		else if (strcmp(argv[i], "--conference-id") == 0 && i + 1 < argc)
			w.conf_id = argv[++i];
		else if (strcmp(argv[i], "--lock") == 0)
			w.lock = 1;
		else if (strncmp(argv[i], "--", 2) == 0 || id != NULL)
			return usage();
		else
			id = argv[i];
	}
	if (connstring == NULL || id == NULL)
		return usage();
	if ((key == NULL) != (w.conf_id == NULL))
		return usage(); /* a signature needs both the key and the conference it is for */
	if (id_check(id) < 0)
		return 1;
	if (key != NULL) {
		if (sign_secret_load(key, w.sk, w.pk, err, sizeof err) < 0) {
			fprintf(stderr, "kioskctl: badge-write: %s\n", err);
			return 1;
		}
		w.sign = 1;
	}
	nfc_init(&w.ctx);
	if (w.ctx == NULL) {
		fprintf(stderr, "kioskctl: badge-write: libnfc failed to initialise\n");
		return 1;
	}
	w.dev = nfc_open(w.ctx, connstring);
	if (w.dev == NULL) {
		fprintf(stderr, "kioskctl: badge-write: no reader answers at %s\n", connstring);
		goto fail;
	}
	if (nfc_initiator_init(w.dev) < 0 ||
	    nfc_device_set_property_bool(w.dev, NP_INFINITE_SELECT, false) < 0 ||
	    nfc_device_set_property_bool(w.dev, NP_AUTO_ISO14443_4, false) < 0) {
		fprintf(stderr, "kioskctl: badge-write: reader %s: %s\n", connstring, nfc_strerror(w.dev));
		goto fail;
	}
	if (tag_wait(&w) < 0) {
		fprintf(stderr, "kioskctl: badge-write: no badge on the reader\n");
		goto fail;
	}
	for (size_t i = 0, o = 0; i < w.target.nti.nai.szUidLen && o + 3 <= sizeof w.uid; i++)
		o += (size_t)snprintf(w.uid + o, sizeof w.uid - o, "%02X", w.target.nti.nai.abtUid[i]);
	rc = badge_write(&w, id);
fail:
	if (w.dev)
		nfc_close(w.dev);
	nfc_exit(w.ctx);
	memset(w.sk, 0, sizeof w.sk);
	return rc;
}
