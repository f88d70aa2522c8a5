/* Logging: a timestamped line on stderr per call. The kiosk's stderr goes to the journal on the
 * Pi, so lines are short, greppable and never multi-line. */
#include "common/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "common/clock.h"

static const char *log_program = "kith"; /* set once at start-up, read-only after */
static log_sink_fn log_error_sink;       /* start-up only (log.h), NULL after */
static void *log_error_sink_ctx;

void log_set_name(const char *program)
{
	log_program = program;
}

static void log_line(const char *level, const char *fmt, va_list ap)
{
	char msg[1024];
	char stamp[32];
	struct tm tm;
	time_t now = (time_t)clock_now();

	vsnprintf(msg, sizeof msg, fmt, ap);
	gmtime_r(&now, &tm);
	strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm);
	fprintf(stderr, "%s %s: %s%s\n", stamp, log_program, level, msg);
}

void log_set_error_sink(log_sink_fn fn, void *ctx)
{
	log_error_sink = fn;
	log_error_sink_ctx = ctx;
}

void log_info(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	log_line("", fmt, ap);
	va_end(ap);
}

void log_warn(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	log_line("warning: ", fmt, ap);
	va_end(ap);
}

void log_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	log_line("error: ", fmt, ap);
	va_end(ap);
	if (log_error_sink) {
		char msg[1024];
		va_start(ap, fmt);
		vsnprintf(msg, sizeof msg, fmt, ap);
		va_end(ap);
		log_error_sink(log_error_sink_ctx, msg);
	}
}

void die(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	log_line("fatal: ", fmt, ap);
	va_end(ap);
	exit(1);
}
