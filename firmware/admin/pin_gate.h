/* The admin PIN gate: constant-time comparison and rate limiting of wrong PINs.
 *
 * After PIN_GATE_FREE_TRIES wrong PINs in a row the gate locks for PIN_GATE_LOCK_MS, and each
 * further wrong PIN after a lock doubles the lock (capped at PIN_GATE_LOCK_MAX_MS). A right PIN
 * resets the count. The caller passes a monotonic time in ms, so the wall clock (which the admin
 * screen itself can set) cannot shorten a lock. No configured PIN means the admin screen is off.
 */
#ifndef KITH_PIN_GATE_H
#define KITH_PIN_GATE_H

#include <stdint.h>

#define PIN_GATE_FREE_TRIES 3
#define PIN_GATE_LOCK_MS 30000
#define PIN_GATE_LOCK_MAX_MS (60 * 60 * 1000)
#define PIN_GATE_MIN_DIGITS 4
#define PIN_GATE_MAX_DIGITS 12

enum pin_result {
	PIN_OK = 0,
	PIN_WRONG = 1,    /* wrong; more tries allowed (or the lock starts now) */
	PIN_LOCKED = 2,   /* locked: the entry was not even compared */
	PIN_DISABLED = 3, /* no valid PIN configured */
	PIN_OK_STAFF = 4, /* the staff PIN (pin_gate_set_staff) */
};

typedef struct pin_gate pin_gate;

/* pin: the configured PIN, 4..12 ASCII digits; NULL, "" or malformed disables the gate. */
pin_gate *pin_gate_new(const char *pin);
void pin_gate_free(pin_gate *g);
int pin_gate_valid_pin(const char *pin); /* 1 if pin is 4..12 digits (for config checks) */
int pin_gate_enabled(const pin_gate *g);
/* A second PIN on the same gate (staff mode): pin_gate_try answers PIN_OK_STAFF for it. Both
 * share one count of wrong PINs and one lock, so two PINs give an attacker no extra tries.
 * NULL, "", malformed or equal to the admin PIN: no staff PIN. The gate is enabled when
 * either PIN is set. */
void pin_gate_set_staff(pin_gate *g, const char *pin);
int pin_gate_admin_enabled(const pin_gate *g); /* the admin PIN (not only staff's) is set */

enum pin_result pin_gate_try(pin_gate *g, const char *entered, uint64_t now_ms);
/* Milliseconds until entries are compared again; 0 when not locked. */
uint64_t pin_gate_locked_for(const pin_gate *g, uint64_t now_ms);
int pin_gate_failures(const pin_gate *g); /* wrong PINs since the last right one */

#endif
