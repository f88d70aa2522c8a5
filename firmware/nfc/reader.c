/* The badge reader: one worker thread that owns libnfc, polls for ISO14443A badges and reports
 * badges and reader state through callbacks.
 *
 * Start reading at reader_main: it opens the device (reader_open), then alternates between
 * waiting for a tag (poll_once) and, once one answers, reading it (badge_read) and watching it
 * rest on the reader (presence_wait) so a resting card is one event. Any device-level error
 * closes the device and goes back to opening with backoff.
 *
 * Why not nfc_initiator_select_passive_target: on a PN532 it waits for its ACK and answer with
 * no timeout at all, so a reader that stops answering (cable pulled) would hang the thread for
 * ever, and nfc-poll's InAutoPoll looks once per 150 ms period. For pn53x-family devices we send
 * InListPassiveTarget ourselves through libnfc's exported pn53x_transceive, with a timeout, and
 * let the chip retry activation POLL_RETRIES times: the chip waits for the tag (no busy host
 * loop) and answers "no target" on its own after a few tens of ms, so the next poll is clean.
 * Per tap the wire carries: InListPassiveTarget, InDataExchange FAST_READ pages 3-7 (CC and the
 * first 16 bytes of the NDEF TLV; more pages only if the TLV is longer), then, every
 * PRESENCE_MS while the card rests, READ page 0 (NTAG) or InListPassiveTarget with its UID
 * (other cards).
 *
 * KITH_READER_PRESENCE_MS (1..1000, default 100) sets that interval. A tap is only over once a
 * presence check finds the card gone, so the interval bounds the tap rate: the tap soak
 * (tests/soak/tap-soak.sh) sets it low to push a million taps through pn532-sim in hours, not days.
 */
#include "nfc/reader.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <nfc/nfc.h>

#include "common/log.h"
#include "common/util.h"
#include "nfc/ndef.h"

/* libnfc exports its PN53x command path (pn53x-tamashell uses it) but no header declares it. */
int pn53x_transceive(nfc_device *pnd, const uint8_t *tx, const size_t tx_len, uint8_t *rx,
		     const size_t rx_len, int timeout);

#define POLL_RETRIES 0x10        /* chip-side activation tries per poll (~1 ms each) */
#define POLL_TIMEOUT_MS 500      /* ACK + answer; past it the reader is deemed gone */
#define EXCHANGE_TIMEOUT_MS 400  /* one tag command (READ is ~6 ms on the wire; the chip
				  * times the tag out itself, so only a dead reader hits this) */
#define COMMAND_TIMEOUT_MS 250   /* libnfc's own commands (RFConfiguration, InRelease...) */
#define PRESENCE_MS 100          /* how often a resting card is checked (default) */
#define BACKOFF_FIRST_MS 100
#define BACKOFF_MAX_MS 1000      /* keeps recovery after a replug under two seconds */
#define NTAG_PAGE 4
#define FAST_READ_MAX_PAGES 56   /* PN532 frames carry at most ~250 bytes */
#define USER_MAX_BYTES 1024      /* NTAG216 has 888; anything claiming more is not believed */

#define CMD_IN_LIST_PASSIVE_TARGET 0x4A
#define CMD_IN_DATA_EXCHANGE 0x40
#define CMD_RF_CONFIGURATION 0x32
#define NTAG_READ 0x30
#define NTAG_FAST_READ 0x3A

typedef struct tag_info {
	uint8_t atqa[2];
	uint8_t sak;
	uint8_t uid[10];
	size_t uid_len;
} tag_info;

struct reader {
	pthread_t thread;
	pthread_mutex_t lock;      /* guards stop and dev against reader_stop */
	pthread_cond_t wake;       /* signalled by reader_stop to cut a wait short */
	int stop;                  /* guarded by lock; set once by reader_stop */
	char *connstring;          /* NULL: libnfc's default device */
	reader_callbacks cb;       /* read-only once the thread runs */
	nfc_context *ctx;
	nfc_device *dev;           /* open device or NULL; guarded by lock for reader_stop, which
				    * aborts it; only the reader thread writes it, so it reads it
				    * unlocked */
	int raw;                   /* pn53x-family: InListPassiveTarget with a timeout */
	enum reader_state state;   /* last state reported */
	int state_valid;           /* 0 until the first report */
	int fast_read;             /* current tag answered FAST_READ (NTAG21x) */
	uint64_t presence_ns;      /* how often a resting card is checked */
	tag_info cur;              /* the tag being read or watched */
	tag_info resting;          /* a card that rested when the device failed... */
	int resting_valid;         /* ...not reported again if still there after reopening */
};

const char *reader_state_name(enum reader_state state)
{
	switch (state) {
	case READER_ABSENT: return "absent";
	case READER_OPENING: return "opening";
	case READER_READY: return "ready";
	case READER_FAILED: return "failed";
	}
	return "?";
}

static void state_set(reader *r, enum reader_state state, const char *detail)
{
	if (r->state_valid && r->state == state)
		return;
	r->state = state;
	r->state_valid = 1;
	log_info("reader: %s%s%s", reader_state_name(state), detail ? ": " : "", detail ? detail : "");
	if (r->cb.state)
		r->cb.state(r->cb.ctx, state, detail);
}

static int stopping(reader *r)
{
	pthread_mutex_lock(&r->lock);
	int s = r->stop;
	pthread_mutex_unlock(&r->lock);
	return s;
}

/* Sleeps until deadline (monotonic ns) or reader_stop. Returns 1 if stopping. */
static int wait_until(reader *r, uint64_t deadline)
{
	pthread_mutex_lock(&r->lock);
	while (!r->stop) {
		uint64_t now = time_mono_ns();
		if (now >= deadline)
			break;
		struct timespec ts = { .tv_sec = (time_t)(deadline / 1000000000ULL),
				       .tv_nsec = (long)(deadline % 1000000000ULL) };
		pthread_cond_timedwait(&r->wake, &r->lock, &ts); /* the condvar runs on CLOCK_MONOTONIC */
	}
	int s = r->stop;
	pthread_mutex_unlock(&r->lock);
	return s;
}

static void device_close(reader *r)
{
	nfc_device *dev;

	pthread_mutex_lock(&r->lock);
	dev = r->dev;
	r->dev = NULL;
	pthread_mutex_unlock(&r->lock);
	if (dev)
		nfc_close(dev);
}

/* Opens and initialises the device. 0, -1 (nothing answers: absent) or -2 (failed). */
static int reader_open(reader *r, char *why, size_t whylen)
{
	nfc_device *dev = nfc_open(r->ctx, r->connstring);
	const char *cs;

	if (dev == NULL) {
		snprintf(why, whylen, "no reader answers at %s", r->connstring ? r->connstring : "(default)");
		return -1;
	}
	pthread_mutex_lock(&r->lock);
	r->dev = dev;
	pthread_mutex_unlock(&r->lock);
	state_set(r, READER_OPENING, nfc_device_get_name(dev));
	cs = nfc_device_get_connstring(dev);
	r->raw = strncmp(cs, "pn532_", 6) == 0 || strncmp(cs, "pn533_", 6) == 0 ||
		 strncmp(cs, "acr122_", 7) == 0 || strncmp(cs, "pn53x_", 6) == 0;
	if (nfc_initiator_init(dev) < 0 ||
	    nfc_device_set_property_int(dev, NP_TIMEOUT_COMMAND, COMMAND_TIMEOUT_MS) < 0 ||
	    nfc_device_set_property_bool(dev, NP_AUTO_ISO14443_4, false) < 0 ||
	    nfc_device_set_property_bool(dev, NP_HANDLE_CRC, true) < 0 ||
	    nfc_device_set_property_bool(dev, NP_EASY_FRAMING, true) < 0 ||
	    nfc_device_set_property_bool(dev, NP_INFINITE_SELECT, false) < 0) {
		snprintf(why, whylen, "initialising %s: %s", nfc_device_get_name(dev), nfc_strerror(dev));
		return -2;
	}
	if (r->raw) {
		/* MxRtyATR, MxRtyPSL, MxRtyPassiveActivation: the chip waits for a tag itself. */
		const uint8_t cfg[] = { CMD_RF_CONFIGURATION, 0x05, 0xFF, 0x01, POLL_RETRIES };
		if (pn53x_transceive(dev, cfg, sizeof cfg, NULL, 0, COMMAND_TIMEOUT_MS) < 0) {
			snprintf(why, whylen, "configuring retries: %s", nfc_strerror(dev));
			return -2;
		}
	}
	return 0;
}

/* A device-level error (the reader, not the tag, failed). */
static int device_error(int rc)
{
	return rc == NFC_EIO || rc == NFC_ETIMEOUT || rc == NFC_ENOTSUCHDEV || rc == NFC_ECHIP ||
	       rc == NFC_ESOFT || rc == NFC_EINVARG || rc == NFC_EOVFLOW;
}

/* One activation attempt. 1 tag found, 0 none, <0 device error. with_uid: select that card only
 * (presence check of a resting card). */
static int poll_once(reader *r, tag_info *t, const tag_info *with_uid)
{
	uint8_t cmd[16] = { CMD_IN_LIST_PASSIVE_TARGET, 0x01, 0x00 };
	size_t n = 3;
	uint8_t rx[64];
	int rc;

	if (!r->raw) {
		nfc_target nt;
		const nfc_modulation mod = { .nmt = NMT_ISO14443A, .nbr = NBR_106 };
		rc = nfc_initiator_select_passive_target(r->dev, mod, with_uid ? with_uid->uid : NULL,
							 with_uid ? with_uid->uid_len : 0, &nt);
		if (rc <= 0)
			return rc < 0 && device_error(rc) ? rc : 0;
		memcpy(t->atqa, nt.nti.nai.abtAtqa, 2);
		t->sak = nt.nti.nai.btSak;
		t->uid_len = nt.nti.nai.szUidLen > sizeof t->uid ? sizeof t->uid : nt.nti.nai.szUidLen;
		memcpy(t->uid, nt.nti.nai.abtUid, t->uid_len);
		if (!with_uid)
			wait_until(r, time_mono_ns() + 20000000ULL); /* no chip-side wait: pace it */
		return 1;
	}
	if (with_uid) {
		/* ISO14443-3 cascade: 7-byte UIDs are sent as CT + 3 bytes, then 4 bytes. */
		if (with_uid->uid_len == 7) {
			cmd[n++] = 0x88;
			memcpy(cmd + n, with_uid->uid, 7);
			n += 7;
		} else {
			memcpy(cmd + n, with_uid->uid, with_uid->uid_len);
			n += with_uid->uid_len;
		}
	}
	rc = pn53x_transceive(r->dev, cmd, n, rx, sizeof rx, POLL_TIMEOUT_MS);
	if (rc < 0)
		return device_error(rc) ? rc : 0;
	if (rc < 1 || rx[0] == 0)
		return 0;
	/* NbTg, Tg, SENS_RES (2), SEL_RES, NFCIDLength, NFCID1 */
	if (rc < 6 || rx[5] > rc - 6 || rx[5] > 12)
		return NFC_EIO;
	t->atqa[0] = rx[2];
	t->atqa[1] = rx[3];
	t->sak = rx[4];
	if (rx[5] == 8 && rx[6] == 0x88) {
		memcpy(t->uid, rx + 7, 7);
		t->uid_len = 7;
	} else if (rx[5] <= sizeof t->uid) {
		memcpy(t->uid, rx + 6, rx[5]);
		t->uid_len = rx[5];
	} else {
		return NFC_EIO;
	}
	return 1;
}

/* 1 for the NTAG21x/Ultralight family (ATQA 00 44, SAK 00), which answers READ. */
static int tag_is_ntag(const tag_info *t)
{
	return t->atqa[0] == 0x00 && t->atqa[1] == 0x44 && t->sak == 0x00;
}

/* One tag command through InDataExchange. Bytes received (>= 0), or <0: NFC_ERFTRANS means
 * the tag did not answer, anything else that the reader failed. */
static int tag_exchange(reader *r, const uint8_t *tx, size_t tx_len, uint8_t *rx, size_t rx_len)
{
	return nfc_initiator_transceive_bytes(r->dev, tx, tx_len, rx, rx_len, EXCHANGE_TIMEOUT_MS);
}

/* Reads `count` pages from `first` into out (count * 4 bytes). 0, or the exchange error. */
static int pages_read(reader *r, unsigned first, unsigned count, uint8_t *out)
{
	uint8_t rx[FAST_READ_MAX_PAGES * NTAG_PAGE + 8];

	while (count > 0) {
		unsigned chunk = count > FAST_READ_MAX_PAGES ? FAST_READ_MAX_PAGES : count;
		int rc;
		if (r->fast_read) {
			const uint8_t cmd[] = { NTAG_FAST_READ, (uint8_t)first, (uint8_t)(first + chunk - 1) };
			rc = tag_exchange(r, cmd, sizeof cmd, rx, sizeof rx);
			if (rc == (int)(chunk * NTAG_PAGE)) {
				memcpy(out, rx, chunk * NTAG_PAGE);
				out += chunk * NTAG_PAGE;
				first += chunk;
				count -= chunk;
				continue;
			}
			if (rc < 0 && rc != NFC_ERFTRANS)
				return rc;
			/* An Ultralight without FAST_READ: its NAK sent it back to idle, so select
			 * it again and fall back to READ. */
			r->fast_read = 0;
			tag_info again;
			if ((rc = poll_once(r, &again, &r->cur)) <= 0)
				return rc < 0 ? rc : NFC_ERFTRANS;
		}
		const uint8_t cmd[] = { NTAG_READ, (uint8_t)first };
		rc = tag_exchange(r, cmd, sizeof cmd, rx, sizeof rx);
		if (rc < 0)
			return rc;
		if (rc != 16)
			return NFC_ERFTRANS;
		chunk = count > 4 ? 4 : count;
		memcpy(out, rx, chunk * NTAG_PAGE);
		out += chunk * NTAG_PAGE;
		first += chunk;
		count -= chunk;
	}
	return 0;
}

/* Reads the NDEF area of an NTAG/Ultralight: CC and the first 16 user bytes in one exchange,
 * then only as many further pages as the TLV says. Fills b->attendee_id when the badge holds
 * one. Returns 0 (read, id or not), NFC_ERFTRANS (tag stopped answering) or a device error. */
static int badge_read_ndef(reader *r, reader_badge *b)
{
	uint8_t mem[4 + USER_MAX_BYTES];   /* page 3 (CC) then user memory from page 4 */
	uint8_t *user = mem + 4;
	size_t have = 16, capacity;
	const char *why = NULL;
	int rc, span;

	r->fast_read = 1;
	if ((rc = pages_read(r, 3, 5, mem)) < 0)
		return rc;
	if (!ndef_cc_valid(mem)) {
		log_info("reader: badge has no NDEF capability container: UID only");
		return 0;
	}
	capacity = (size_t)mem[2] * 8;
	if (capacity > USER_MAX_BYTES)
		capacity = USER_MAX_BYTES;
	for (int rounds = 0; rounds < 8; rounds++) {
		span = ndef_tlv_span(user, have);
		if (span < 0 || (size_t)span <= have || have >= capacity)
			break;
		size_t want = (size_t)span > capacity ? capacity : (size_t)span;
		unsigned first = 4 + (unsigned)(have / NTAG_PAGE);
		unsigned count = (unsigned)((want - have + NTAG_PAGE - 1) / NTAG_PAGE);
		if ((rc = pages_read(r, first, count, user + have)) < 0)
			return rc;
		have += count * NTAG_PAGE;
	}
	rc = ndef_parse_attendee(user, have, b->attendee_id, &why);
	if (rc == NDEF_OK) {
		b->has_sig = ndef_parse_signature(user, have, &b->sig, NULL) == 1;
		return 0;
	}
	b->attendee_id[0] = '\0';
	if (rc == NDEF_EMPTY)
		log_info("reader: badge holds no attendee id (%s): UID only", why ? why : "empty");
	else
		log_warn("reader: badge NDEF is malformed (%s): UID only", why ? why : "?");
	return 0;
}

static void uid_hex(const tag_info *t, char *out, size_t outlen)
{
	size_t o = 0;
	out[0] = '\0';
	for (size_t i = 0; i < t->uid_len && o + 3 <= outlen; i++)
		o += (size_t)snprintf(out + o, outlen - o, "%02X", t->uid[i]);
}

/* Handles one presentation: read, report, then wait until the card leaves. <0: device error. */
static int badge_handle(reader *r, const tag_info *t, uint64_t detected_ns)
{
	reader_badge b;
	char hex[24];
	int rc = 0;

	memset(&b, 0, sizeof b);
	r->cur = *t;
	memcpy(b.uid, t->uid, t->uid_len);
	b.uid_len = t->uid_len;
	b.detected_ns = detected_ns;
	uid_hex(t, hex, sizeof hex);
	if (tag_is_ntag(t)) /* anything else (Classic, DESFire...) is a UID-only badge */
		rc = badge_read_ndef(r, &b);
	if (rc == NFC_ERFTRANS) {
		/* Gone mid-read, or a card that does not speak NTAG. Which one decides the event. */
		tag_info again;
		int p = poll_once(r, &again, t);
		if (p < 0)
			return p;
		if (p == 0) {
			log_info("reader: badge %s left the field during the read", hex);
			return 0;
		}
		b.attendee_id[0] = '\0';
		log_info("reader: badge %s did not answer NTAG reads: UID only", hex);
	} else if (rc < 0) {
		return rc;
	}
	log_info("reader: badge %s%s%s", hex, b.attendee_id[0] ? " id " : "", b.attendee_id);
	if (r->cb.badge)
		r->cb.badge(r->cb.ctx, &b);
	return 1;
}

/* Waits while the card rests on the reader. 0 when it left, 1 stopping, <0 device error.
 * An NTAG is asked for page 0 (it stays selected; what libnfc's own presence check does);
 * other cards are selected again by UID. */
static int presence_wait(reader *r, const tag_info *t)
{
	for (;;) {
		tag_info again;
		int rc;
		if (wait_until(r, time_mono_ns() + r->presence_ns))
			return 1;
		if (tag_is_ntag(t)) {
			const uint8_t cmd[] = { NTAG_READ, 0x00 };
			uint8_t rx[20];
			rc = tag_exchange(r, cmd, sizeof cmd, rx, sizeof rx);
			if (rc == 16)
				continue;
			if (rc < 0 && rc != NFC_ERFTRANS && device_error(rc))
				return rc;
			return 0;
		}
		rc = poll_once(r, &again, t);
		if (rc <= 0)
			return rc;
	}
}

static void *reader_main(void *arg)
{
	reader *r = arg;
	uint64_t backoff_ms = BACKOFF_FIRST_MS;
	char why[256];

	while (!stopping(r)) {
		uint64_t attempt = time_mono_ns();
		int rc = reader_open(r, why, sizeof why);

		if (rc == 0) {
			state_set(r, READER_READY, nfc_device_get_name(r->dev));
			backoff_ms = BACKOFF_FIRST_MS;
			while (!stopping(r)) {
				tag_info t;
				rc = poll_once(r, &t, NULL);
				if (rc < 0)
					break;
				if (rc == 0) {
					r->resting_valid = 0; /* the field was seen empty: next one is a tap */
					continue;
				}
				if (r->resting_valid && t.uid_len == r->resting.uid_len &&
				    memcmp(t.uid, r->resting.uid, t.uid_len) == 0) {
					rc = 1; /* the same card still resting across a reopen: no new tap */
				} else {
					rc = badge_handle(r, &t, time_mono_ns());
				}
				r->resting_valid = 0;
				if (rc == 1) {
					rc = presence_wait(r, &t);
					if (rc < 0) {
						r->resting = t;
						r->resting_valid = 1;
					}
				}
				if (rc < 0)
					break;
			}
			if (stopping(r))
				break;
			snprintf(why, sizeof why, "%s", nfc_strerror(r->dev));
			state_set(r, READER_FAILED, why);
			device_close(r);
		} else {
			if (rc == -2)
				state_set(r, READER_FAILED, why);
			else
				state_set(r, READER_ABSENT, why);
			device_close(r);
		}
		/* Backoff counts from the attempt's start: a slow failed open (a silent reader
		 * takes a second to time out) is itself most of the wait. */
		if (wait_until(r, attempt + backoff_ms * 1000000ULL))
			break;
		backoff_ms = backoff_ms * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS : backoff_ms * 2;
	}
	device_close(r);
	return NULL;
}

int reader_start(reader **out, const char *connstring, const reader_callbacks *cb)
{
	reader *r = xcalloc(1, sizeof *r);

	*out = NULL;
	if (cb)
		r->cb = *cb;
	if (connstring)
		r->connstring = xstrdup(connstring);
	r->presence_ns = PRESENCE_MS * 1000000ULL;
	const char *pms = getenv("KITH_READER_PRESENCE_MS");
	if (pms) {
		char *end;
		long ms = strtol(pms, &end, 10);
		if (end == pms || *end || ms < 1 || ms > 1000)
			log_warn("reader: KITH_READER_PRESENCE_MS=%s is not 1..1000 (ms): using %d", pms,
				 PRESENCE_MS);
		else
			r->presence_ns = (uint64_t)ms * 1000000ULL;
		log_info("reader: presence check every %llu ms",
			 (unsigned long long)(r->presence_ns / 1000000ULL));
	}
	pthread_condattr_t attr;
	pthread_mutex_init(&r->lock, NULL);
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&r->wake, &attr);
	pthread_condattr_destroy(&attr);
	nfc_init(&r->ctx);
	if (r->ctx == NULL) {
		log_error("reader: libnfc failed to initialise");
		goto fail;
	}
	if (pthread_create(&r->thread, NULL, reader_main, r) != 0) {
		log_error("reader: cannot start the reader thread: %s", strerror(errno));
		goto fail;
	}
	*out = r;
	return 0;
fail:
	if (r->ctx)
		nfc_exit(r->ctx);
	pthread_cond_destroy(&r->wake);
	pthread_mutex_destroy(&r->lock);
	free(r->connstring);
	free(r);
	return -1;
}

void reader_stop(reader *r)
{
	if (r == NULL)
		return;
	pthread_mutex_lock(&r->lock);
	r->stop = 1;
	pthread_cond_broadcast(&r->wake);
	/* Cuts short a poll waiting for its answer (libnfc sends the chip an abort ACK). */
	if (r->dev)
		nfc_abort_command(r->dev);
	pthread_mutex_unlock(&r->lock);
	pthread_join(r->thread, NULL);
	nfc_exit(r->ctx);
	pthread_cond_destroy(&r->wake);
	pthread_mutex_destroy(&r->lock);
	free(r->connstring);
	free(r);
}
