/* Checked allocation, UTF-8-safe copying and the monotonic clock. */
#include "common/util.h"
#include "common/log.h"

#include <stdint.h>
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

int utf8_valid(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	while (i < len) {
		unsigned char c = p[i];
		size_t need;
		uint32_t cp, min;

		if (c < 0x80) { i++; continue; }
		else if ((c & 0xE0) == 0xC0) { need = 1; cp = c & 0x1F; min = 0x80; }
		else if ((c & 0xF0) == 0xE0) { need = 2; cp = c & 0x0F; min = 0x800; }
		else if ((c & 0xF8) == 0xF0) { need = 3; cp = c & 0x07; min = 0x10000; }
		else return 0;
		if (len - i <= need)
			return 0;
		for (size_t k = 1; k <= need; k++) {
			if ((p[i + k] & 0xC0) != 0x80)
				return 0;
			cp = (cp << 6) | (p[i + k] & 0x3F);
		}
		if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return 0;
		i += need + 1;
	}
	return 1;
}

uint64_t time_mono_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}
