/* Small helpers shared by firmware and tools: checked allocation, bounded string copy, time. */
#ifndef KITH_UTIL_H
#define KITH_UTIL_H

#include <stddef.h>
#include <stdint.h>

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Allocation that dies on failure (out of memory on a kiosk is not recoverable) and checks
 * nmemb * size for overflow in one place. */
void *xcalloc(size_t nmemb, size_t size);
void *xreallocarray(void *ptr, size_t nmemb, size_t size);
char *xstrdup(const char *s);

/* Copy src into dst (size dstsize), always NUL-terminated, never cutting a UTF-8 sequence in
 * half. Returns 1 if src was truncated, 0 otherwise. */
int str_copy_utf8(char *dst, size_t dstsize, const char *src);

/* Defined in common/utf8.c with the rest of UTF-8; declared here too for the callers that have
 * always found it here (new code includes common/utf8.h). */
int utf8_valid(const char *s, size_t len);

/* Writes fmt into err (errlen bytes; err may be NULL) and returns -1: the "say why, then fail"
 * of the parsers and checks that report into a caller's buffer. */
int util_fail(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Monotonic clock in nanoseconds (for latency and timeouts; never the wall clock). */
uint64_t time_mono_ns(void);

#endif
