/* Logging to stderr, one line per event: "2026-11-27T10:01:02Z kiosk: message".
 * Thread-safe (one fprintf per line). die() is for start-up errors only. */
#ifndef KITH_LOG_H
#define KITH_LOG_H

#define KITH_PRINTF(a, b) __attribute__((format(printf, a, b)))

void log_set_name(const char *program);              /* prefix, e.g. "kiosk" */
void log_info(const char *fmt, ...) KITH_PRINTF(1, 2);
void log_warn(const char *fmt, ...) KITH_PRINTF(1, 2);
void log_error(const char *fmt, ...) KITH_PRINTF(1, 2);
_Noreturn void die(const char *fmt, ...) KITH_PRINTF(1, 2);

/* Start-up only: while a sink is set, every error line (its message, without stamp or level) is
 * also handed to fn, so whatever a loader reports can be shown on screen too (config_load).
 * Set and cleared on one thread before any other thread starts; NULL clears it. */
typedef void (*log_sink_fn)(void *ctx, const char *msg);
void log_set_error_sink(log_sink_fn fn, void *ctx);

#endif
