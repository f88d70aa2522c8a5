/* bench_nfc: tap latency of the kiosk's reader module against pn532-sim --realtime, beside
 * Debian's nfc-poll on the same emulator and the physical floor of one tap.
 *
 * Each tap is presented at a random phase of the reader's polling cycle (a random 0-40 ms
 * pause after the previous card left; 0-300 ms for nfc-poll, whose InAutoPoll looks once per
 * 300 ms period). Latency runs from writing `present` to the sim until the badge callback
 * (reader) or until nfc-poll prints the UID. Prints bench rows (tests/bench/run.sh format).
 * A second run alternates unsigned and signed badges (issue 16): the signed one's event also
 * includes the Ed25519 check the kiosk's worker does (app/badge_check.c), so the difference is
 * the extra pages read plus the verification.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "common/sign.h"
#include "common/util.h"
#include "nfc/reader.h"
#include "../unit/sim_client.h"

#define TAPS 30
#define POLL_TAPS 12
#define SIGNED_TAPS 20 /* of each kind, alternating */
#define BYTE_NS 86806.0 /* 115200 baud, 8N1 */

typedef struct bench {
	uint8_t pk[SIGN_PUBLIC_BYTES]; /* the conference key signed badges are checked with */
	int verified, verify_failed;   /* signed badges checked so far */
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int badges;          /* badge callbacks so far */
	uint64_t last_ns;    /* when the last one arrived */
	int ready;
} bench;

static void on_badge(void *ctx, const reader_badge *b)
{
	bench *x = ctx;
	int ok = -1;
	if (b->has_sig) { /* what badge_check does for a signed badge */
		uint8_t msg[256];
		size_t n = sign_badge_message("bench-conf", b->attendee_id, b->uid, b->uid_len, msg,
					      sizeof msg);
		ok = n > 0 ? sign_verify(x->pk, msg, n, b->sig.sig) : -1;
	}
	pthread_mutex_lock(&x->lock);
	if (b->has_sig) {
		x->verified++;
		x->verify_failed += ok != 0;
	}
	x->badges++;
	x->last_ns = time_mono_ns();
	pthread_cond_broadcast(&x->cond);
	pthread_mutex_unlock(&x->lock);
}

static void on_state(void *ctx, enum reader_state st, const char *detail)
{
	bench *x = ctx;
	(void)detail;
	pthread_mutex_lock(&x->lock);
	x->ready = st == READER_READY;
	pthread_cond_broadcast(&x->cond);
	pthread_mutex_unlock(&x->lock);
}

static int wait_for(bench *x, int badges, int ready, uint64_t timeout_ns)
{
	uint64_t deadline = time_mono_ns() + timeout_ns;
	int ok;
	pthread_mutex_lock(&x->lock);
	while (!(ok = (badges ? x->badges >= badges : x->ready == ready)) && time_mono_ns() < deadline) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += 2000000L;
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&x->cond, &x->lock, &ts);
	}
	pthread_mutex_unlock(&x->lock);
	return ok ? 0 : -1;
}

static void pause_ms(double ms)
{
	struct timespec ts = { (time_t)(ms / 1000), (long)((ms - (time_t)(ms / 1000) * 1000) * 1e6) };
	nanosleep(&ts, NULL);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double pct(double *v, int n, double p)
{
	qsort(v, (size_t)n, sizeof *v, cmp_double);
	int i = (int)(p * (n - 1) + 0.5);
	return v[i < n ? i : n - 1];
}

static void row(const char *measure, const char *median, const char *p99, const char *target,
		const char *ratio)
{
	printf("%-10s | %-52s | %12s | %12s | %-22s | %s\n", "nfc", measure, median, p99, target, ratio);
}

/* Waits until the sim reports the reader saw an empty field `more` times since `base`. */
static void wait_empty(sim_client *s, long long base, long long more)
{
	uint64_t deadline = time_mono_ns() + 5000000000ULL;
	while (sim_stat(s, "empty") < base + more && time_mono_ns() < deadline)
		pause_ms(2);
}

/* Runs nfc-poll for one tap; returns the present -> UID-printed latency in ms, or -1. */
static double nfc_poll_tap(sim_client *s, int i)
{
	int fds[2];
	char buf[4096];
	size_t have = 0;
	pid_t pid;
	double ms = -1;

	if (pipe(fds) < 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		dup2(fds[1], 1);
		dup2(fds[1], 2);
		close(fds[0]);
		setenv("LIBNFC_AUTO_SCAN", "false", 1);
		setenv("LIBNFC_DEFAULT_DEVICE", s->connstring, 1);
		execlp("nfc-poll", "nfc-poll", (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	/* Wait until nfc-poll's InAutoPoll is running on the sim, then a random phase. */
	uint64_t deadline = time_mono_ns() + 5000000000ULL;
	char line[1024];
	while (time_mono_ns() < deadline) {
		sim_cmd(s, line, sizeof line, "stats");
		if (strstr(line, "waiting=60"))
			break;
		pause_ms(2);
	}
	pause_ms((double)(rand() % 300));
	uint64_t t0 = time_mono_ns();
	sim_cmd(s, NULL, 0, "present 04b0b0b0b0b0%02x P-%d", i & 0xFF, i);
	deadline = t0 + 5000000000ULL;
	while (time_mono_ns() < deadline && have < sizeof buf - 1) {
		struct pollfd p = { .fd = fds[0], .events = POLLIN };
		if (poll(&p, 1, 50) <= 0)
			continue;
		ssize_t n = read(fds[0], buf + have, sizeof buf - 1 - have);
		if (n <= 0)
			break;
		have += (size_t)n;
		buf[have] = '\0';
		if (strstr(buf, "UID (NFCID1)")) {
			ms = (double)(time_mono_ns() - t0) / 1e6;
			break;
		}
	}
	sim_cmd(s, NULL, 0, "remove");
	/* nfc-poll notices the removal and exits; drain its output meanwhile. */
	int status;
	deadline = time_mono_ns() + 5000000000ULL;
	while (waitpid(pid, &status, WNOHANG) == 0) {
		if (time_mono_ns() > deadline) {
			kill(pid, SIGTERM);
			waitpid(pid, &status, 0);
			break;
		}
		struct pollfd p = { .fd = fds[0], .events = POLLIN };
		if (poll(&p, 1, 20) > 0 && read(fds[0], buf, sizeof buf) <= 0)
			pause_ms(5);
	}
	close(fds[0]);
	return ms;
}

/* A badge as kioskctl badge-write --key signs it, as the sim's present-raw hex. */
static void signed_memory_hex(const uint8_t sk[SIGN_SECRET_BYTES], const uint8_t uid[7], int i,
			      char *hex, size_t hexsize)
{
	ndef_badge_sig sig;
	uint8_t msg[256], mem[256];
	char id[16];
	size_t n;
	int len;

	snprintf(id, sizeof id, "A-%05d", i);
	memset(&sig, 0, sizeof sig);
	sig.uid_len = 7;
	memcpy(sig.uid, uid, 7);
	sign_conference_tag("bench-conf", sig.conf_tag);
	n = sign_badge_message("bench-conf", id, uid, 7, msg, sizeof msg);
	sign_detached(sk, msg, n, sig.sig);
	len = ndef_build_badge(id, &sig, mem, sizeof mem);
	for (int k = 0; k < len && (size_t)(2 * k + 3) <= hexsize; k++)
		snprintf(hex + 2 * k, 3, "%02x", mem[k]);
}

int main(void)
{
	sim_client s;
	bench x;
	reader *r;
	double lat[TAPS], bytes[TAPS], plat[POLL_TAPS];
	int np = 0;
	char m[32], p[32], ratio[64];

	srand(42);
	memset(&x, 0, sizeof x);
	pthread_mutex_init(&x.lock, NULL);
	pthread_cond_init(&x.cond, NULL);
	if (sim_start(&s, 1, NULL) < 0) {
		fprintf(stderr, "bench_nfc: cannot start pn532-sim\n");
		return 1;
	}
	reader_callbacks cb = { .badge = on_badge, .state = on_state, .ctx = &x };
	if (reader_start(&r, s.connstring, &cb) < 0 || wait_for(&x, 0, 1, 10000000000ULL) < 0) {
		fprintf(stderr, "bench_nfc: reader did not become ready\n");
		return 1;
	}
	for (int i = 0; i < TAPS; i++) {
		long long empty = sim_stat(&s, "empty");
		wait_empty(&s, empty, 1);
		pause_ms((double)(rand() % 40));
		long long b0 = sim_stat(&s, "rx") + sim_stat(&s, "tx");
		uint64_t t0 = time_mono_ns();
		sim_cmd(&s, NULL, 0, "present 04a0a0a0a0a0%02x A-%04d", i & 0xFF, i);
		if (wait_for(&x, i + 1, 0, 5000000000ULL) < 0) {
			fprintf(stderr, "bench_nfc: tap %d: no badge event\n", i);
			return 1;
		}
		lat[i] = (double)(x.last_ns - t0) / 1e6;
		/* The poll that finds the tag was already on the wire before `present` (its
		 * command and ACK: 11 + 6 bytes), so add those; stats are read right after the
		 * event, before the first presence check (100 ms later). */
		bytes[i] = (double)(sim_stat(&s, "rx") + sim_stat(&s, "tx") - b0) + 17;
		empty = sim_stat(&s, "empty");
		sim_cmd(&s, NULL, 0, "remove");
		wait_empty(&s, empty, 1);
	}
	/* Signed versus unsigned, alternating in one run. */
	uint8_t sk[SIGN_SECRET_BYTES];
	double ulat[SIGNED_TAPS], slat[SIGNED_TAPS], sbytes[SIGNED_TAPS];
	int nu = 0, ns = 0, base = TAPS;
	sign_init();
	crypto_sign_keypair(x.pk, sk);
	for (int i = 0; i < 2 * SIGNED_TAPS; i++) {
		int sign = i % 2;
		char hex[600];
		uint8_t uid[7] = { 0x04, 0xC0, 0xC0, 0xC0, 0xC0, 0xC0, (uint8_t)i };
		long long empty = sim_stat(&s, "empty");
		wait_empty(&s, empty, 1);
		pause_ms((double)(rand() % 40));
		if (sign)
			signed_memory_hex(sk, uid, i, hex, sizeof hex);
		long long b0 = sim_stat(&s, "rx") + sim_stat(&s, "tx");
		uint64_t t0 = time_mono_ns();
		if (sign)
			sim_cmd(&s, NULL, 0, "present-raw 04c0c0c0c0c0%02x %s", i & 0xFF, hex);
		else
			sim_cmd(&s, NULL, 0, "present 04c0c0c0c0c0%02x A-%05d", i & 0xFF, i);
		if (wait_for(&x, base + i + 1, 0, 5000000000ULL) < 0) {
			fprintf(stderr, "bench_nfc: signed run, tap %d: no badge event\n", i);
			return 1;
		}
		double ms = (double)(x.last_ns - t0) / 1e6;
		if (sign) {
			sbytes[ns] = (double)(sim_stat(&s, "rx") + sim_stat(&s, "tx") - b0) + 17;
			slat[ns++] = ms;
		} else {
			ulat[nu++] = ms;
		}
		empty = sim_stat(&s, "empty");
		sim_cmd(&s, NULL, 0, "remove");
		wait_empty(&s, empty, 1);
	}
	reader_stop(r);
	for (int i = 0; i < POLL_TAPS; i++) {
		double ms = nfc_poll_tap(&s, i);
		if (ms >= 0)
			plat[np++] = ms;
	}
	sim_stop(&s, 0);

	/* The floor: one InListPassiveTarget and one 4-page READ, wire and radio, nothing else.
	 * Frames: command 7+data bytes, ACK 6, answer 7+data bytes. */
	double list_bytes = (7 + 4) + 6 + (7 + 15);   /* D4 4A 01 00 / D5 4B 01 Tg ATQA SAK 07 UID */
	double read_bytes = (7 + 5) + 6 + (7 + 19);   /* D4 40 01 30 04 / D5 41 00 + 16 bytes */
	double floor_ms = (list_bytes + read_bytes) * BYTE_NS / 1e6 + 3.0 + 2.0;

	double med = pct(lat, TAPS, 0.5), p99 = pct(lat, TAPS, 0.99);
	snprintf(m, sizeof m, "%.1f ms", med);
	snprintf(p, sizeof p, "%.1f ms", p99);
	if (np > 0) {
		double pm = pct(plat, np, 0.5);
		snprintf(ratio, sizeof ratio, "%.2f x nfc-poll", med / pm);
	} else {
		snprintf(ratio, sizeof ratio, "nfc-poll unavailable");
	}
	row("tap -> badge event, reader module (30 taps)", m, p, "<= 1.0 x nfc-poll", ratio);
	if (np > 0) {
		snprintf(m, sizeof m, "%.1f ms", pct(plat, np, 0.5));
		snprintf(p, sizeof p, "%.1f ms", pct(plat, np, 0.99));
		snprintf(ratio, sizeof ratio, "%d taps, InAutoPoll", np);
		row("tap -> UID printed, Debian nfc-poll (same sim)", m, p, "peer", ratio);
	}
	snprintf(m, sizeof m, "%.1f ms", floor_ms);
	snprintf(ratio, sizeof ratio, "%.2f x floor (p99 %.2f)", med / floor_ms, p99 / floor_ms);
	row("physical floor: InListPassiveTarget + 1 READ", m, m, "reader <= 1.5 x floor", ratio);
	snprintf(m, sizeof m, "%.0f B", pct(bytes, TAPS, 0.5));
	snprintf(p, sizeof p, "%.0f B", pct(bytes, TAPS, 0.99));
	snprintf(ratio, sizeof ratio, "floor %.0f B (READ; we FAST_READ 3-7)", list_bytes + read_bytes);
	row("UART bytes per tap (poll + NDEF read, both ways)", m, p, "-", ratio);

	double um = pct(ulat, nu, 0.5), up = pct(ulat, nu, 0.99);
	double sm = pct(slat, ns, 0.5), sp = pct(slat, ns, 0.99);
	snprintf(m, sizeof m, "%.1f ms", um);
	snprintf(p, sizeof p, "%.1f ms", up);
	row("tap -> badge event, unsigned (alternating run)", m, p, "-", "Text record only");
	snprintf(m, sizeof m, "%.1f ms", sm);
	snprintf(p, sizeof p, "%.1f ms", sp);
	snprintf(ratio, sizeof ratio, "+%.1f ms p50, +%.1f ms p99%s", sm - um, sp - up,
		 x.verify_failed ? " VERIFY FAILED" : "");
	row("tap -> badge event, signed + Ed25519 verify", m, p, "<= +10 ms p99", ratio);
	snprintf(m, sizeof m, "%.0f B", pct(sbytes, ns, 0.5));
	snprintf(p, sizeof p, "%.0f B", pct(sbytes, ns, 0.99));
	snprintf(ratio, sizeof ratio, "%d signed taps verified", x.verified - x.verify_failed);
	row("UART bytes per signed tap (poll + NDEF + sig)", m, p, "-", ratio);

	/* The verification alone, as the worker runs it per signed tap. */
	double vus[200];
	uint8_t vmsg[256], vsig[SIGN_BYTES];
	size_t vn = sign_badge_message("bench-conf", "A-00001", (const uint8_t *)"\x04\x01\x02\x03\x04\x05\x06",
				       7, vmsg, sizeof vmsg);
	sign_detached(sk, vmsg, vn, vsig);
	for (int i = 0; i < 200; i++) {
		uint64_t t0 = time_mono_ns();
		if (sign_verify(x.pk, vmsg, vn, vsig) != 0)
			return 1;
		vus[i] = (double)(time_mono_ns() - t0) / 1e3;
	}
	snprintf(m, sizeof m, "%.0f us", pct(vus, 200, 0.5));
	snprintf(p, sizeof p, "%.0f us", pct(vus, 200, 0.99));
	row("Ed25519 verify of one badge (libsodium)", m, p, "< 1 ms", "200 runs, this machine");
	return 0;
}
