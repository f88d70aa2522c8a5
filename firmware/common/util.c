/* Checked allocation, UTF-8-safe copying and the monotonic clock. */
#include "common/util.h"
#include "common/log.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void *xcalloc(size_t nmemb, size_t size)
{
	void *p = calloc(nmemb ? nmemb : 1, size ? size : 1);
	if (p == NULL)
		die("out of memory (%zu x %zu bytes)", nmemb, size);
	return p;
}

void *xreallocarray(void *ptr, size_t nmemb, size_t size)
{
	if (size != 0 && nmemb > SIZE_MAX / size)
		die("allocation overflow (%zu x %zu bytes)", nmemb, size);
	size_t bytes = nmemb * size;
	void *p = realloc(ptr, bytes != 0 ? bytes : 1);
	if (p == NULL)
		die("out of memory (%zu x %zu bytes)", nmemb, size);
	return p;
}

char *xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = xcalloc(1, n);
	memcpy(p, s, n);
	return p;
}

int str_copy_utf8(char *dst, size_t dstsize, const char *src)
{
	size_t n = strlen(src);
	int truncated = 0;

	if (dstsize == 0)
		return n > 0;
	if (n >= dstsize) {
		n = dstsize - 1;
		/* Back up over continuation bytes so no sequence is cut in half. */
		while (n > 0 && ((unsigned char)src[n] & 0xC0) == 0x80)
			n--;
		truncated = 1;
	}
	memcpy(dst, src, n);
	dst[n] = '\0';
	return truncated;
}

uint64_t time_mono_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

int util_fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	if (err != NULL && errlen > 0) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -1;
}
