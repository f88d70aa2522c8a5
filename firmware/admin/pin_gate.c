/* The admin PIN gate. The comparison touches every byte of a fixed-size buffer whatever the
 * input, so its timing says nothing about how many leading digits were right; the lock uses
 * the monotonic clock so that setting the wall clock cannot shorten it. */
#include "admin/pin_gate.h"

#include <stdlib.h>
#include <string.h>

#include "common/util.h"

struct pin_gate {
	char pin[PIN_GATE_MAX_DIGITS + 1]; /* the configured PIN, NUL-padded; "" = disabled */
	char staff[PIN_GATE_MAX_DIGITS + 1]; /* the staff PIN, NUL-padded; "" = none */
	int failures;                      /* wrong PINs since the last right one */
	uint64_t lock_ms;                  /* length of the next lock */
	uint64_t locked_until;             /* monotonic ms; 0 = not locked */
};

int pin_gate_valid_pin(const char *pin)
{
	size_t n = pin ? strlen(pin) : 0;
	if (n < PIN_GATE_MIN_DIGITS || n > PIN_GATE_MAX_DIGITS)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (pin[i] < '0' || pin[i] > '9')
			return 0;
	return 1;
}

pin_gate *pin_gate_new(const char *pin)
{
	pin_gate *g = xcalloc(1, sizeof *g);
	if (pin_gate_valid_pin(pin))
		memcpy(g->pin, pin, strlen(pin));
	g->lock_ms = PIN_GATE_LOCK_MS;
	return g;
}

void pin_gate_free(pin_gate *g)
{
	if (g == NULL)
		return;
	/* Leave no PIN in freed heap memory. volatile keeps the stores from being elided. */
	volatile char *p = g->pin, *q = g->staff;
	for (size_t i = 0; i < sizeof g->pin; i++)
		p[i] = q[i] = 0;
	free(g);
}

int pin_gate_enabled(const pin_gate *g)
{
	return g != NULL && (g->pin[0] != '\0' || g->staff[0] != '\0');
}

int pin_gate_admin_enabled(const pin_gate *g)
{
	return g != NULL && g->pin[0] != '\0';
}

void pin_gate_set_staff(pin_gate *g, const char *pin)
{
	memset(g->staff, 0, sizeof g->staff);
	if (pin_gate_valid_pin(pin) && strcmp(pin, g->pin) != 0)
		memcpy(g->staff, pin, strlen(pin));
}

/* Compares the whole buffer: the differing bytes and length are OR-ed, never branched on. */
static int same_pin(const char *want, const char *entered)
{
	char buf[PIN_GATE_MAX_DIGITS + 1] = { 0 };
	size_t n = strnlen(entered, PIN_GATE_MAX_DIGITS + 1);
	unsigned diff = n > PIN_GATE_MAX_DIGITS;
	memcpy(buf, entered, n > PIN_GATE_MAX_DIGITS ? PIN_GATE_MAX_DIGITS : n);
	for (size_t i = 0; i < sizeof buf; i++)
		diff |= (unsigned char)(want[i] ^ buf[i]);
	return diff == 0;
}

enum pin_result pin_gate_try(pin_gate *g, const char *entered, uint64_t now_ms)
{
	if (!pin_gate_enabled(g))
		return PIN_DISABLED;
	if (pin_gate_locked_for(g, now_ms) > 0)
		return PIN_LOCKED;
	/* Both comparisons always run: which PIN matched leaves no trace in the timing. */
	int admin = entered != NULL && g->pin[0] && same_pin(g->pin, entered);
	int staff = entered != NULL && g->staff[0] && same_pin(g->staff, entered);
	if (admin || staff) {
		g->failures = 0;
		g->lock_ms = PIN_GATE_LOCK_MS;
		g->locked_until = 0;
		return admin ? PIN_OK : PIN_OK_STAFF;
	}
	g->failures++;
	if (g->failures >= PIN_GATE_FREE_TRIES) {
		g->locked_until = now_ms + g->lock_ms;
		g->lock_ms = g->lock_ms * 2 > PIN_GATE_LOCK_MAX_MS ? PIN_GATE_LOCK_MAX_MS
								   : g->lock_ms * 2;
	}
	return PIN_WRONG;
}

uint64_t pin_gate_locked_for(const pin_gate *g, uint64_t now_ms)
{
	return g->locked_until > now_ms ? g->locked_until - now_ms : 0;
}

int pin_gate_failures(const pin_gate *g)
{
	return g->failures;
}
