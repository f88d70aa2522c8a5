/* pn532-sim: a PN532 NFC reader behind a pseudo-terminal, for tests and `make run`.
 *
 * libnfc's pn532_uart driver opens the pty's slave (through the --link symlink) exactly as it
 * opens /dev/ttyS0 on a Pi, so everything above the wire — libnfc, the kiosk's reader module,
 * Debian's nfc-list and nfc-poll — runs for real. The program is one poll() loop (sim_run):
 * bytes from the host go through the frame parser (frame_feed) to the command handlers
 * (chip_command), which queue an ACK and a reply with the time each is due (out_push); commands
 * that wait for a tag (InListPassiveTarget with infinite retries, InAutoPoll) park in `pend`
 * until a tag is presented. Commands on stdin change the world: present, remove, unplug, plug.
 *
 * Three rules keep clients honest: anything new from the host drops a reply still queued for
 * an older command, a client that closes or dies (the pty hangs up, client_gone) takes its
 * waiting command with it, so a killed client's answer never reaches the next one; and while
 * unplugged nothing is answered at all.
 *
 * Commands beyond docs/CONTRACT.md "build/pn532-sim", for tests: present-raw UID HEX (user
 * memory from page 4), present-ul UID [TEXT] (a plain Ultralight: READ only), leave-after N (the
 * next tag leaves after N exchanges), lock, stats (byte and poll counters), dump (tag memory).
 * With --realtime every byte takes 86.8 us (115200 baud, 8N1) and tag operations take their
 * radio time, so latency measured here is what a Pi would see.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "common/log.h"
#include "common/util.h"
#include "nfc/ndef.h"

#define BYTE_NS 86806ULL              /* one 8N1 byte at 115200 baud */
#define RADIO_ANTICOLL7_NS 3000000ULL /* REQA + two cascade levels */
#define RADIO_ANTICOLL4_NS 2000000ULL /* REQA + one cascade level */
#define RADIO_NOTAG_NS 1000000ULL     /* one REQA that nobody answers */
#define RADIO_READ_NS 2000000ULL      /* NTAG READ: 16 bytes back */
#define RADIO_WRITE_NS 4100000ULL     /* NTAG WRITE: EEPROM programming time */
#define RADIO_SHORT_NS 1000000ULL     /* GET_VERSION, presence checks */
#define AUTOPOLL_UNIT_NS 150000000ULL /* InAutoPoll period unit */

#define NTAG215_PAGES 135
#define NTAG_USER_FIRST 4
#define NTAG_USER_LAST 129
#define NTAG_DYNLOCK_PAGE 130
#define FRAME_MAX 300
#define RX_MAX 2048
#define OUT_MAX 8

static volatile sig_atomic_t sim_quit; /* set by SIGTERM/SIGINT */

typedef struct out_chunk {
	uint8_t bytes[FRAME_MAX]; /* a whole ACK or reply frame */
	size_t len;
	uint64_t due_ns;          /* when its last byte would have left a real UART */
} out_chunk;

typedef struct tag {
	int present;                       /* in the field */
	int selected;                      /* activated by InListPassiveTarget/InAutoPoll */
	uint8_t uid[10];
	size_t uid_len;                    /* 4 (Classic-like, UID only) or 7 (NTAG215) */
	uint8_t mem[NTAG215_PAGES * 4];    /* NTAG215 memory image, page 0 first */
	long leave_after;                  /* >0: leaves after this many more exchanges */
	int ultralight;                    /* a plain Ultralight: no FAST_READ, no GET_VERSION */
} tag;

typedef struct pending {
	int cmd;               /* 0, 0x4A (InListPassiveTarget) or 0x60 (InAutoPoll) */
	uint8_t brty;          /* InListPassiveTarget modulation */
	uint64_t deadline_ns;  /* InListPassiveTarget: when the chip gives up (retries spent) */
	uint8_t init[12];      /* InListPassiveTarget initiator data (a UID to select) */
	size_t init_len;
	uint8_t types[16];     /* InAutoPoll target types */
	size_t ntypes;
	uint64_t next_round_ns; /* InAutoPoll: when the chip next looks at the field */
	uint64_t period_ns;    /* InAutoPoll: time between polling rounds */
	unsigned rounds;       /* InAutoPoll: rounds allowed, 0 = forever */
	unsigned rounds_done;  /* InAutoPoll: rounds that found nothing */
} pending;

typedef struct sim {
	int master;             /* pty master: our side of the wire */
	int no_client;          /* the slave side is closed: nobody to answer */
	char link[PATH_MAX];    /* the symlink clients open */
	int realtime;           /* pace bytes and radio like real hardware */
	int plugged;            /* 0: answer nothing, as with the cable pulled */
	uint8_t rx[RX_MAX];     /* bytes from the host not yet parsed */
	size_t rx_len;
	out_chunk out[OUT_MAX]; /* frames waiting for their due time */
	size_t out_len;
	uint64_t wire_free_ns;  /* when the simulated UART finishes what is queued */
	uint8_t last_reply[FRAME_MAX]; /* for NACK: the host asks for it again */
	size_t last_reply_len;
	pending pend;           /* a command waiting for a tag */
	uint8_t regs[0x10000];  /* register file for Read/WriteRegister */
	uint8_t mxrty_passive;  /* RFConfiguration MaxRetries: 0xFF = wait for a tag */
	tag tag;
	long leave_after_next;  /* `leave-after N`: the next tag presented leaves after N exchanges */
	uint64_t rx_bytes, tx_bytes, frames, tag_ops; /* counters for `stats` */
	uint64_t polls_empty;   /* InListPassiveTarget answered "no target" (tests sync on it) */
} sim;

static void on_signal(int sig)
{
	(void)sig;
	sim_quit = 1;
}

/* ---- output: frames with due times --------------------------------------------------- */

static void out_drop(sim *s)
{
	s->out_len = 0;
	s->wire_free_ns = 0;
}

/* Queues a frame that starts on the wire after `delay_ns` (radio/processing time). */
static void out_push(sim *s, const uint8_t *bytes, size_t len, uint64_t delay_ns)
{
	uint64_t now = time_mono_ns(), start;
	out_chunk *c;

	if (s->out_len == OUT_MAX || len > FRAME_MAX)
		return;
	if (!s->realtime)
		delay_ns = 0;
	start = (s->wire_free_ns > now ? s->wire_free_ns : now) + delay_ns;
	c = &s->out[s->out_len++];
	memcpy(c->bytes, bytes, len);
	c->len = len;
	c->due_ns = start + (s->realtime ? len * BYTE_NS : 0);
	s->wire_free_ns = c->due_ns;
}

static void out_flush_due(sim *s)
{
	uint64_t now = time_mono_ns();
	size_t done = 0;

	while (done < s->out_len && s->out[done].due_ns <= now) {
		out_chunk *c = &s->out[done];
		ssize_t n = write(s->master, c->bytes, c->len);
		if (n > 0)
			s->tx_bytes += (uint64_t)n;
		done++;
	}
	if (done > 0) {
		memmove(s->out, s->out + done, (s->out_len - done) * sizeof s->out[0]);
		s->out_len -= done;
	}
}

static const uint8_t ACK_FRAME[6] = { 0x00, 0x00, 0xFF, 0x00, 0xFF, 0x00 };
static const uint8_t ERROR_FRAME[8] = { 0x00, 0x00, 0xFF, 0x01, 0xFF, 0x7F, 0x81, 0x00 };

/* Sends the reply to command `cmd`: D5, cmd+1, data; normal or extended frame. */
static void reply(sim *s, uint8_t cmd, const uint8_t *data, size_t len, uint64_t delay_ns)
{
	uint8_t f[FRAME_MAX];
	size_t n = 0, body = len + 2;
	uint8_t dcs;

	if (len + 12 > sizeof f)
		return;
	f[n++] = 0x00;
	f[n++] = 0x00;
	f[n++] = 0xFF;
	if (body <= 255) {
		f[n++] = (uint8_t)body;
		f[n++] = (uint8_t)(0x100 - body);
	} else {
		f[n++] = 0xFF;
		f[n++] = 0xFF;
		f[n++] = (uint8_t)(body >> 8);
		f[n++] = (uint8_t)body;
		f[n] = (uint8_t)(0x100 - (((body >> 8) + body) & 0xFF));
		n++;
	}
	f[n++] = 0xD5;
	f[n++] = (uint8_t)(cmd + 1);
	dcs = (uint8_t)(0xD5 + cmd + 1);
	for (size_t i = 0; i < len; i++) {
		f[n++] = data[i];
		dcs = (uint8_t)(dcs + data[i]);
	}
	f[n++] = (uint8_t)(0x100 - dcs);
	f[n++] = 0x00;
	memcpy(s->last_reply, f, n);
	s->last_reply_len = n;
	out_push(s, f, n, delay_ns);
}

/* ---- the tag ---------------------------------------------------------------------------- */

/* NTAG215 memory: UID and BCCs in pages 0-2, CC in page 3, the NDEF TLV from page 4. */
static void tag_setup(tag *t, const uint8_t *uid, size_t uid_len, const uint8_t *user, size_t user_len)
{
	memset(t, 0, sizeof *t);
	t->present = 1;
	memcpy(t->uid, uid, uid_len);
	t->uid_len = uid_len;
	if (uid_len != 7)
		return;
	uint8_t *m = t->mem;
	m[0] = uid[0];
	m[1] = uid[1];
	m[2] = uid[2];
	m[3] = (uint8_t)(0x88 ^ uid[0] ^ uid[1] ^ uid[2]);
	m[4] = uid[3];
	m[5] = uid[4];
	m[6] = uid[5];
	m[7] = uid[6];
	m[8] = (uint8_t)(uid[3] ^ uid[4] ^ uid[5] ^ uid[6]);
	m[9] = 0x48; /* internal */
	m[12] = 0xE1;
	m[13] = 0x10;
	m[14] = 0x3E; /* 496 bytes of NDEF area */
	m[15] = 0x00;
	if (user_len > (NTAG_USER_LAST - NTAG_USER_FIRST + 1) * 4)
		user_len = (NTAG_USER_LAST - NTAG_USER_FIRST + 1) * 4;
	memcpy(m + NTAG_USER_FIRST * 4, user, user_len);
	m[131 * 4 + 0] = 0x04; /* CFG0 */
	m[131 * 4 + 3] = 0xFF; /* AUTH0: no password protection */
}

static int tag_is_ntag(const tag *t)
{
	return t->uid_len == 7;
}

/* A page the tag refuses to write: UID pages, CC bits already set are OR-ed (OTP), and
 * pages behind a static (page 2) or dynamic (page 130) lock bit. */
static int tag_page_locked(const tag *t, unsigned page)
{
	const uint8_t *m = t->mem;
	if (page < 2 || page >= NTAG215_PAGES)
		return 1;
	if (page == 3 && (m[10] & 0x01))
		return 1;
	if (page >= 4 && page <= 7 && (m[10] & (1u << (page))))
		return 1;
	if (page >= 8 && page <= 15 && (m[11] & (1u << (page - 8))))
		return 1;
	if (page >= 16 && page <= NTAG_USER_LAST) {
		unsigned bit = (page - 16) / 16; /* NTAG215: one dynamic lock bit per 16 pages */
		uint8_t dyn = bit < 8 ? m[NTAG_DYNLOCK_PAGE * 4] : m[NTAG_DYNLOCK_PAGE * 4 + 1];
		if (dyn & (1u << (bit % 8)))
			return 1;
	}
	return 0;
}

/* Runs one tag command (InDataExchange payload). Fills out/out_len; returns the PN532 status
 * byte (0 ok, 0x01 timeout: the tag did not answer) and the radio time it took. */
static uint8_t tag_exchange(sim *s, const uint8_t *cmd, size_t len, uint8_t *out, size_t *out_len,
			    uint64_t *radio_ns)
{
	tag *t = &s->tag;

	*out_len = 0;
	*radio_ns = RADIO_SHORT_NS;
	if (!t->present || !t->selected || len == 0)
		return 0x01;
	s->tag_ops++;
	if (t->leave_after > 0 && --t->leave_after == 0) {
		t->present = 0;
		t->selected = 0;
		return 0x01;
	}
	if (!tag_is_ntag(t))
		return 0x01; /* a Classic-like card answers nothing without authentication */
	if (t->ultralight && (cmd[0] == 0x60 || cmd[0] == 0x3A)) {
		t->selected = 0; /* NAK: the tag falls back to idle and must be selected again */
		return 0x01;
	}
	switch (cmd[0]) {
	case 0x60: { /* GET_VERSION: NTAG215 */
		static const uint8_t v[8] = { 0x00, 0x04, 0x04, 0x02, 0x01, 0x00, 0x11, 0x03 };
		memcpy(out, v, sizeof v);
		*out_len = sizeof v;
		return 0;
	}
	case 0x30: /* READ: four pages, rolling over at the end of memory */
		if (len < 2 || cmd[1] >= NTAG215_PAGES)
			return 0x01;
		for (unsigned i = 0; i < 16; i++)
			out[i] = t->mem[((cmd[1] * 4u) + i) % (NTAG215_PAGES * 4)];
		*out_len = 16;
		*radio_ns = RADIO_READ_NS;
		return 0;
	case 0x3A: /* FAST_READ start..end */
		if (len < 3 || cmd[1] > cmd[2] || cmd[2] >= NTAG215_PAGES || (cmd[2] - cmd[1] + 1) * 4 > 240)
			return 0x01;
		*out_len = (size_t)(cmd[2] - cmd[1] + 1) * 4;
		memcpy(out, t->mem + cmd[1] * 4, *out_len);
		*radio_ns = RADIO_SHORT_NS + *out_len * 80000ULL;
		return 0;
	case 0xA2: /* WRITE one page */
		if (len < 6 || tag_page_locked(t, cmd[1]))
			return 0x01;
		*radio_ns = RADIO_WRITE_NS;
		if (cmd[1] == 2 || cmd[1] == 3) { /* lock bytes and CC are one-time programmable */
			for (int i = (cmd[1] == 2 ? 2 : 0); i < 4; i++)
				t->mem[cmd[1] * 4 + i] |= cmd[2 + i];
			return 0;
		}
		if (cmd[1] == NTAG_DYNLOCK_PAGE) { /* dynamic lock bits are OTP too */
			for (int i = 0; i < 3; i++)
				t->mem[cmd[1] * 4 + i] |= cmd[2 + i];
			return 0;
		}
		memcpy(t->mem + cmd[1] * 4, cmd + 2, 4);
		return 0;
	default:
		return 0x01;
	}
}

/* Target data as InListPassiveTarget reports it: Tg, SENS_RES, SEL_RES, NFCID1. */
static size_t tag_target_data(const tag *t, uint8_t *out)
{
	size_t n = 0;
	out[n++] = 0x01;
	out[n++] = 0x00;
	out[n++] = tag_is_ntag(t) ? 0x44 : 0x04;
	out[n++] = tag_is_ntag(t) ? 0x00 : 0x08;
	out[n++] = (uint8_t)t->uid_len;
	memcpy(out + n, t->uid, t->uid_len);
	return n + t->uid_len;
}

/* 1 if the tag in the field answers this ISO14443A activation (initiator data, if any, is the
 * UID to select, cascade tags included). */
static int tag_answers(const tag *t, const uint8_t *init, size_t init_len)
{
	uint8_t want[10];
	size_t n = 0;

	if (!t->present)
		return 0;
	for (size_t i = 0; i < init_len && n < sizeof want; i++) {
		if (init[i] == 0x88 && (i == 0 || (i == 4 && init_len == 12)))
			continue;
		want[n++] = init[i];
	}
	return init_len == 0 || (n == t->uid_len && memcmp(want, t->uid, n) == 0);
}

static uint64_t tag_anticoll_ns(const tag *t)
{
	return t->uid_len == 7 ? RADIO_ANTICOLL7_NS : RADIO_ANTICOLL4_NS;
}

/* ---- waiting commands -------------------------------------------------------------------- */

static int pend_try(sim *s)
{
	pending *p = &s->pend;
	uint8_t d[64];
	size_t n;

	if (p->cmd == 0x4A) {
		if (p->brty != 0x00 || !tag_answers(&s->tag, p->init, p->init_len)) {
			if (time_mono_ns() < p->deadline_ns)
				return 0;
			d[0] = 0;
			p->cmd = 0;
			s->polls_empty++;
			reply(s, 0x4A, d, 1, 0);
			return 1;
		}
		d[0] = 1;
		n = 1 + tag_target_data(&s->tag, d + 1);
		s->tag.selected = 1;
		p->cmd = 0;
		reply(s, 0x4A, d, n, tag_anticoll_ns(&s->tag));
		return 1;
	}
	if (p->cmd == 0x60) {
		int match = -1;
		for (size_t i = 0; i < p->ntypes && match < 0; i++)
			if (p->types[i] == 0x10 || p->types[i] == 0x00)
				match = p->types[i]; /* generic 106 kbps or MIFARE: our tags qualify */
		if (time_mono_ns() < p->next_round_ns)
			return 0;
		if (s->tag.present && match >= 0) {
			d[0] = 1;
			d[1] = (uint8_t)match;
			n = tag_target_data(&s->tag, d + 3);
			d[2] = (uint8_t)n;
			s->tag.selected = 1;
			p->cmd = 0;
			reply(s, 0x60, d, n + 3, tag_anticoll_ns(&s->tag));
			return 1;
		}
		/* Real hardware looks once per period; without --realtime we look all the time. */
		if (s->realtime)
			p->next_round_ns += p->period_ns;
		if (p->rounds && ++p->rounds_done >= p->rounds) {
			d[0] = 0;
			p->cmd = 0;
			reply(s, 0x60, d, 1, 0);
			return 1;
		}
		return 0;
	}
	return 0;
}

/* When the waiting command next needs a look, for the poll() timeout. */
static uint64_t pend_next_ns(const sim *s)
{
	if (s->pend.cmd == 0x60 && s->realtime)
		return s->pend.next_round_ns;
	if (s->pend.cmd == 0x4A)
		return s->pend.deadline_ns;
	return UINT64_MAX;
}

/* ---- PN532 commands ------------------------------------------------------------------------ */

/* wire_len: the whole frame's size; a real UART delivers its last byte wire_len bytes after
 * the first, so the ACK cannot leave before that. */
static void chip_command(sim *s, const uint8_t *d, size_t len, size_t wire_len)
{
	uint8_t cmd = d[0], r[FRAME_MAX];
	size_t n = 0;
	const uint8_t *a = d + 1;
	size_t alen = len - 1;

	s->frames++;
	out_push(s, ACK_FRAME, sizeof ACK_FRAME, wire_len * BYTE_NS);
	switch (cmd) {
	case 0x00: /* Diagnose */
		if (alen >= 1 && a[0] == 0x00) {
			memcpy(r, a, alen);
			n = alen;
		} else if (alen >= 1 && a[0] == 0x06) { /* card presence */
			r[n++] = (s->tag.present && s->tag.selected) ? 0x00 : 0x01;
		} else {
			r[n++] = 0x00;
		}
		reply(s, cmd, r, n, alen >= 1 && a[0] == 0x06 ? RADIO_SHORT_NS : 0);
		return;
	case 0x02: /* GetFirmwareVersion: PN532 v1.6, ISO14443A/B and ISO18092 */
		r[0] = 0x32;
		r[1] = 0x01;
		r[2] = 0x06;
		r[3] = 0x07;
		reply(s, cmd, r, 4, 0);
		return;
	case 0x04: /* GetGeneralStatus */
		r[n++] = 0x00;
		r[n++] = 0x01;
		r[n++] = s->tag.selected ? 1 : 0;
		if (s->tag.selected) {
			r[n++] = 0x01;
			r[n++] = 0x00;
			r[n++] = 0x00;
			r[n++] = 0x00;
		}
		r[n++] = 0x00;
		reply(s, cmd, r, n, 0);
		return;
	case 0x06: /* ReadRegister */
		for (size_t i = 0; i + 1 < alen && n < 128; i += 2)
			r[n++] = s->regs[(a[i] << 8) | a[i + 1]];
		reply(s, cmd, r, n, 0);
		return;
	case 0x08: /* WriteRegister */
		for (size_t i = 0; i + 2 < alen; i += 3)
			s->regs[(a[i] << 8) | a[i + 1]] = a[i + 2];
		reply(s, cmd, r, 0, 0);
		return;
	case 0x0C: /* ReadGPIO */
		r[0] = 0xFF;
		r[1] = 0xFF;
		r[2] = 0x00;
		reply(s, cmd, r, 3, 0);
		return;
	case 0x0E: /* WriteGPIO */
	case 0x10: /* SetSerialBaudRate */
	case 0x12: /* SetParameters */
	case 0x14: /* SAMConfiguration */
		reply(s, cmd, r, 0, 0);
		return;
	case 0x16: /* PowerDown */
		r[0] = 0x00;
		reply(s, cmd, r, 1, 0);
		return;
	case 0x32: /* RFConfiguration */
		if (alen >= 4 && a[0] == 0x05)
			s->mxrty_passive = a[3];
		if (alen >= 2 && a[0] == 0x01 && !(a[1] & 0x01))
			s->tag.selected = 0; /* field off: the tag loses power */
		reply(s, cmd, r, 0, 0);
		return;
	case 0x4A: /* InListPassiveTarget */
		if (alen < 2) {
			out_push(s, ERROR_FRAME, sizeof ERROR_FRAME, 0);
			return;
		}
		s->tag.selected = 0;
		memset(&s->pend, 0, sizeof s->pend);
		s->pend.cmd = 0x4A;
		s->pend.brty = a[1];
		s->pend.init_len = alen - 2 > sizeof s->pend.init ? sizeof s->pend.init : alen - 2;
		memcpy(s->pend.init, a + 2, s->pend.init_len);
		/* The chip retries activation MxRtyPassiveActivation+1 times (0xFF: until a tag
		 * comes or the host aborts); a tag arriving meanwhile is found at once. This wait is
		 * the chip's, not the wire's, so it applies without --realtime too. */
		s->pend.deadline_ns = s->mxrty_passive == 0xFF ? UINT64_MAX :
			time_mono_ns() + RADIO_NOTAG_NS * ((uint64_t)s->mxrty_passive + 1);
		pend_try(s);
		return;
	case 0x60: /* InAutoPoll */
		if (alen < 3) {
			out_push(s, ERROR_FRAME, sizeof ERROR_FRAME, 0);
			return;
		}
		s->tag.selected = 0;
		memset(&s->pend, 0, sizeof s->pend);
		s->pend.cmd = 0x60;
		s->pend.rounds = a[0] == 0xFF ? 0 : a[0];
		s->pend.period_ns = a[1] * AUTOPOLL_UNIT_NS;
		s->pend.next_round_ns = time_mono_ns();
		s->pend.ntypes = alen - 2 > sizeof s->pend.types ? sizeof s->pend.types : alen - 2;
		memcpy(s->pend.types, a + 2, s->pend.ntypes);
		pend_try(s);
		return;
	case 0x40: { /* InDataExchange */
		uint64_t radio;
		uint8_t st;
		if (alen < 1 || a[0] != 0x01) {
			r[0] = 0x27; /* wrong context */
			reply(s, cmd, r, 1, 0);
			return;
		}
		st = tag_exchange(s, a + 1, alen - 1, r + 1, &n, &radio);
		r[0] = st;
		reply(s, cmd, r, st == 0 ? n + 1 : 1, radio);
		return;
	}
	case 0x42: /* InCommunicateThru: nothing here speaks raw frames; the field stays quiet */
		r[0] = 0x01;
		reply(s, cmd, r, 1, RADIO_NOTAG_NS);
		return;
	case 0x44: /* InDeselect */
	case 0x52: /* InRelease */
		s->tag.selected = 0;
		r[0] = 0x00;
		reply(s, cmd, r, 1, 0);
		return;
	case 0x50: /* InSelect */
		r[0] = s->tag.present ? 0x00 : 0x27;
		if (s->tag.present)
			s->tag.selected = 1;
		reply(s, cmd, r, 1, RADIO_SHORT_NS);
		return;
	case 0x46: /* InJumpForPSL */
	case 0x4E: /* InPSL */
	case 0x56: /* InJumpForDEP */
	case 0x58: /* InATR */
		r[0] = 0x01;
		reply(s, cmd, r, 1, RADIO_NOTAG_NS);
		return;
	default:
		s->last_reply_len = 0;
		out_push(s, ERROR_FRAME, sizeof ERROR_FRAME, 0);
		return;
	}
}

/* ---- frame parser ---------------------------------------------------------------------------- */

/* Consumes complete frames from s->rx. Wake-up bytes (0x55, zeros) and noise before a start
 * code are skipped; a frame with a bad checksum is dropped as a real chip would. */
static void frame_feed(sim *s)
{
	size_t i = 0;

	for (;;) {
		size_t start, len, hdr;
		while (i + 1 < s->rx_len && !(s->rx[i] == 0x00 && s->rx[i + 1] == 0xFF))
			i++;
		if (i + 1 >= s->rx_len)
			break;
		start = i;
		if (s->rx_len - start < 5)
			break;
		uint8_t l = s->rx[start + 2], lcs = s->rx[start + 3];
		if (l == 0x00 && lcs == 0xFF) { /* ACK from the host: abort the running command */
			memset(&s->pend, 0, sizeof s->pend);
			out_drop(s);
			i = start + 5;
			continue;
		}
		if (l == 0xFF && lcs == 0x00) { /* NACK: send the last reply again */
			if (s->last_reply_len)
				out_push(s, s->last_reply, s->last_reply_len, 0);
			i = start + 5;
			continue;
		}
		if (l == 0xFF && lcs == 0xFF) { /* extended frame */
			if (s->rx_len - start < 7)
				break;
			len = ((size_t)s->rx[start + 4] << 8) | s->rx[start + 5];
			if (((s->rx[start + 4] + s->rx[start + 5] + s->rx[start + 6]) & 0xFF) != 0) {
				i = start + 2;
				continue;
			}
			hdr = 7;
		} else {
			if (((l + lcs) & 0xFF) != 0) {
				i = start + 2;
				continue;
			}
			len = l;
			hdr = 4;
		}
		if (len < 2 || len > FRAME_MAX - 2) {
			i = start + 2;
			continue;
		}
		if (s->rx_len - start < hdr + len + 2)
			break;
		const uint8_t *d = s->rx + start + hdr;
		uint8_t sum = 0;
		for (size_t k = 0; k <= len; k++)
			sum = (uint8_t)(sum + d[k]);
		i = start + hdr + len + 2;
		if (sum != 0 || d[0] != 0xD4)
			continue;
		chip_command(s, d + 1, len - 1, hdr + len + 2 + 1);
	}
	/* Keep an unfinished frame (or a lone trailing zero that may start one). */
	if (i > s->rx_len)
		i = s->rx_len;
	memmove(s->rx, s->rx + i, s->rx_len - i);
	s->rx_len -= i;
}

static void host_read(sim *s)
{
	uint8_t buf[512];
	ssize_t n = read(s->master, buf, sizeof buf);

	if (n <= 0)
		return;
	s->rx_bytes += (uint64_t)n;
	if (!s->plugged)
		return;
	/* Anything new from the host means any queued reply is for a client that gave up. */
	out_drop(s);
	memset(&s->pend, 0, sizeof s->pend);
	if (s->rx_len + (size_t)n > sizeof s->rx)
		s->rx_len = 0;
	memcpy(s->rx + s->rx_len, buf, (size_t)n);
	s->rx_len += (size_t)n;
	frame_feed(s);
}

/* ---- stdin commands ------------------------------------------------------------------------- */

static int hex_decode(const char *hex, uint8_t *out, size_t max)
{
	size_t n = 0;
	while (hex[0] && hex[1]) {
		unsigned v;
		if (n == max || sscanf(hex, "%2x", &v) != 1)
			return -1;
		out[n++] = (uint8_t)v;
		hex += 2;
		if (*hex == ':')
			hex++;
	}
	return hex[0] ? -1 : (int)n;
}

/* raw: 1 user memory given in hex; 2 a plain Ultralight (READ only) with TEXT. */
static void command_present(sim *s, char *args, int raw)
{
	char *uid_hex = strtok(args, " \t");
	char *rest = strtok(NULL, "");
	uint8_t uid[10], user[(NTAG_USER_LAST - NTAG_USER_FIRST + 1) * 4];
	int uid_len, user_len = 0;

	if (uid_hex == NULL || (uid_len = hex_decode(uid_hex, uid, sizeof uid)) < 0 ||
	    (uid_len != 4 && uid_len != 7)) {
		printf("error present needs a 4- or 7-byte UID in hex\n");
		return;
	}
	while (rest && (*rest == ' ' || *rest == '\t'))
		rest++;
	memset(user, 0, sizeof user);
	if (raw == 1) {
		if (rest == NULL || (user_len = hex_decode(rest, user, sizeof user)) < 0) {
			printf("error present-raw needs user memory in hex\n");
			return;
		}
	} else if (rest && *rest) {
		if ((user_len = ndef_build_text(rest, user, sizeof user)) < 0) {
			printf("error text does not fit an NTAG215\n");
			return;
		}
	} else {
		user[0] = 0x03; /* an empty NDEF message, as a fresh NTAG ships */
		user[1] = 0x00;
		user[2] = 0xFE;
		user_len = 3;
	}
	tag_setup(&s->tag, uid, (size_t)uid_len, user, (size_t)user_len);
	s->tag.leave_after = s->leave_after_next;
	s->tag.ultralight = raw == 2;
	s->leave_after_next = 0;
	pend_try(s);
	out_flush_due(s); /* an answer the tag triggers is on the wire before we say ok */
	printf("ok present %s\n", uid_hex);
}

static void command_line(sim *s, char *line)
{
	char *cmd;
	line[strcspn(line, "\r\n")] = '\0';
	cmd = strtok(line, " \t");
	if (cmd == NULL)
		return;
	char *args = strtok(NULL, "");
	if (args == NULL)
		args = (char *)"";
	if (strcmp(cmd, "present") == 0) {
		command_present(s, args, 0);
	} else if (strcmp(cmd, "present-raw") == 0) {
		command_present(s, args, 1);
	} else if (strcmp(cmd, "present-ul") == 0) {
		command_present(s, args, 2);
	} else if (strcmp(cmd, "remove") == 0) {
		s->tag.present = 0;
		s->tag.selected = 0;
		printf("ok remove\n");
	} else if (strcmp(cmd, "leave-after") == 0) {
		s->leave_after_next = strtol(args, NULL, 10);
		printf("ok leave-after %ld\n", s->leave_after_next);
	} else if (strcmp(cmd, "lock") == 0) {
		/* Sets the static lock bytes and marks the CC read-only, as a finished badge run might. */
		s->tag.mem[10] = 0xFF;
		s->tag.mem[11] = 0xFF;
		s->tag.mem[15] = 0x0F;
		printf("ok lock\n");
	} else if (strcmp(cmd, "dump") == 0) {
		printf("dump");
		for (size_t i = 0; i < sizeof s->tag.mem; i++)
			printf("%s%02x", i % 4 ? "" : " ", s->tag.mem[i]);
		printf("\n");
	} else if (strcmp(cmd, "unplug") == 0) {
		s->plugged = 0;
		out_drop(s);
		memset(&s->pend, 0, sizeof s->pend);
		s->rx_len = 0;
		printf("ok unplug\n");
	} else if (strcmp(cmd, "plug") == 0) {
		s->plugged = 1;
		s->mxrty_passive = 0xFF; /* a chip that just powered up has its defaults back */
		printf("ok plug\n");
	} else if (strcmp(cmd, "stats") == 0) {
		printf("stats rx=%llu tx=%llu frames=%llu tagops=%llu empty=%llu present=%d selected=%d "
		       "waiting=%02x plugged=%d\n",
		       (unsigned long long)s->rx_bytes, (unsigned long long)s->tx_bytes,
		       (unsigned long long)s->frames, (unsigned long long)s->tag_ops,
		       (unsigned long long)s->polls_empty, s->tag.present, s->tag.selected, s->pend.cmd,
		       s->plugged);
	} else if (strcmp(cmd, "quit") == 0) {
		sim_quit = 1;
		printf("ok quit\n");
	} else {
		printf("error unknown command '%s' (present, present-raw, present-ul, remove, leave-after, lock, "
		       "unplug, plug, stats, dump, quit)\n", cmd);
	}
}

/* ---- setup and loop ------------------------------------------------------------------------ */

static int sim_open(sim *s)
{
	struct termios tio;
	char tmp[PATH_MAX + 16];
	const char *slave_name;

	s->master = posix_openpt(O_RDWR | O_NOCTTY);
	if (s->master < 0 || grantpt(s->master) < 0 || unlockpt(s->master) < 0)
		return -1;
	slave_name = ptsname(s->master);
	if (slave_name == NULL)
		return -1;
	int slave = open(slave_name, O_RDWR | O_NOCTTY);
	if (slave < 0)
		return -1;
	/* Raw from the start: a cooked pty would echo our replies back to us between clients.
	 * The settings live as long as our master does; the slave is not kept open, so that a
	 * client closing or dying shows up as a hangup (client_gone). */
	if (tcgetattr(slave, &tio) == 0) {
		cfmakeraw(&tio);
		cfsetispeed(&tio, B115200);
		cfsetospeed(&tio, B115200);
		tcsetattr(slave, TCSANOW, &tio);
	}
	close(slave);
	fcntl(s->master, F_SETFL, fcntl(s->master, F_GETFL) | O_NONBLOCK);
	snprintf(tmp, sizeof tmp, "%s.%ld.tmp", s->link, (long)getpid());
	unlink(tmp);
	if (symlink(slave_name, tmp) < 0 || rename(tmp, s->link) < 0) {
		unlink(tmp);
		return -1;
	}
	return 0;
}

/* The last client closed the port (or was killed): whatever it was waiting for must not be
 * answered into the pty, where the next client would read it as the reply to its own command. */
static void client_gone(sim *s)
{
	uint8_t junk[512];
	while (read(s->master, junk, sizeof junk) > 0)
		;
	out_drop(s);
	memset(&s->pend, 0, sizeof s->pend);
	s->rx_len = 0;
	s->tag.selected = 0;
	s->no_client = 1;
}

static void sim_run(sim *s)
{
	char line[1024];
	size_t line_len = 0;
	int stdin_open = 1;

	while (!sim_quit) {
		struct pollfd p[2] = { { .fd = s->no_client ? -1 : s->master, .events = POLLIN },
				       { .fd = stdin_open ? 0 : -1, .events = POLLIN } };
		uint64_t now = time_mono_ns(), next = pend_next_ns(s);
		struct timespec ts, *tsp = NULL;

		if (s->out_len > 0 && s->out[0].due_ns < next)
			next = s->out[0].due_ns;
		/* With no client the master reports a hangup without end: look again every 2 ms
		 * instead of spinning on it. */
		if (s->no_client && next > now + 2000000ULL)
			next = now + 2000000ULL;
		if (next != UINT64_MAX) {
			uint64_t wait = next > now ? next - now : 0;
			ts.tv_sec = (time_t)(wait / 1000000000ULL);
			ts.tv_nsec = (long)(wait % 1000000000ULL);
			tsp = &ts; /* ppoll, not poll: byte pacing needs better than milliseconds */
		}
		if (ppoll(p, 2, tsp, NULL) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (s->no_client) {
			struct pollfd m = { .fd = s->master, .events = POLLIN };
			if (poll(&m, 1, 0) >= 0 && !(m.revents & POLLHUP))
				s->no_client = 0; /* a client opened the port */
			if (!s->no_client && (m.revents & POLLIN))
				host_read(s);
		} else if (p[0].revents & POLLHUP) {
			client_gone(s);
		} else if (p[0].revents & POLLIN) {
			host_read(s);
		}
		if (p[1].revents & (POLLIN | POLLHUP)) {
			ssize_t n = read(0, line + line_len, sizeof line - 1 - line_len);
			if (n <= 0) {
				stdin_open = 0; /* keep serving: a background sim may have no stdin */
			} else {
				line_len += (size_t)n;
				char *nl;
				while ((nl = memchr(line, '\n', line_len)) != NULL) {
					size_t one = (size_t)(nl - line) + 1;
					char cmd[1024];
					memcpy(cmd, line, one);
					cmd[one] = '\0';
					command_line(s, cmd);
					memmove(line, line + one, line_len - one);
					line_len -= one;
				}
				if (line_len == sizeof line - 1)
					line_len = 0;
			}
		}
		if (s->pend.cmd)
			pend_try(s);
		out_flush_due(s);
	}
}

static void usage(void)
{
	fprintf(stderr, "usage: pn532-sim --link PATH [--realtime]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	static sim s; /* 64 KiB of registers: keep it off the stack */
	struct sigaction sa;

	log_set_name("pn532-sim");
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--link") == 0 && i + 1 < argc) {
			snprintf(s.link, sizeof s.link, "%s", argv[++i]);
		} else if (strcmp(argv[i], "--realtime") == 0) {
			s.realtime = 1;
		} else {
			usage();
		}
	}
	if (s.link[0] == '\0')
		usage();
	s.plugged = 1;
	s.no_client = 1;
	s.mxrty_passive = 0xFF;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (sim_open(&s) < 0)
		die("cannot create the pty and link %s: %s", s.link, strerror(errno));
	printf("ready %s\n", s.link);
	sim_run(&s);
	unlink(s.link);
	return 0;
}
