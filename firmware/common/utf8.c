/* UTF-8 decoding and encoding, kept in one place so every module agrees on what a malformed
 * sequence is (it reads as U+FFFD, one byte at a time) and on which scripts break anywhere. */
#include "common/utf8.h"

uint32_t utf8_next(const char **sp)
{
	const unsigned char *s = (const unsigned char *)*sp;
	uint32_t cp, min;
	int n;

	if (s[0] < 0x80) {
		*sp += 1;
		return s[0];
	}
	if ((s[0] & 0xE0) == 0xC0) {
		n = 2; cp = s[0] & 0x1F; min = 0x80;
	} else if ((s[0] & 0xF0) == 0xE0) {
		n = 3; cp = s[0] & 0x0F; min = 0x800;
	} else if ((s[0] & 0xF8) == 0xF0) {
		n = 4; cp = s[0] & 0x07; min = 0x10000;
	} else {
		goto bad;
	}
	for (int k = 1; k < n; k++) { /* a NUL is not a continuation byte: never read past it */
		if ((s[k] & 0xC0) != 0x80)
			goto bad;
		cp = (cp << 6) | (s[k] & 0x3F);
	}
	if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		goto bad;
	*sp += n;
	return cp;
bad:
	*sp += 1;
	return 0xFFFD;
}

const char *utf8_prev(const char *s, const char *p)
{
	do
		p--;
	while (p > s && ((unsigned char)*p & 0xC0) == 0x80);
	return p;
}

int utf8_encode(uint32_t cp, char out[UTF8_MAX])
{
	if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		cp = 0xFFFD;
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xC0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xE0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
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

int utf8_is_wide(uint32_t c)
{
	return (c >= 0x1100 && c <= 0x11FF) ||   /* Hangul jamo */
	       (c >= 0x2E80 && c <= 0x2FDF) ||   /* CJK radicals, Kangxi */
	       (c >= 0x3000 && c <= 0x30FF) ||   /* CJK punctuation, hiragana, katakana */
	       (c >= 0x3130 && c <= 0x318F) ||   /* Hangul compatibility jamo */
	       (c >= 0x31F0 && c <= 0x31FF) ||   /* katakana extensions */
	       (c >= 0x3400 && c <= 0x4DBF) ||   /* CJK extension A */
	       (c >= 0x4E00 && c <= 0x9FFF) ||   /* CJK unified ideographs */
	       (c >= 0xA960 && c <= 0xA97F) ||   /* Hangul jamo extended A */
	       (c >= 0xAC00 && c <= 0xD7FF) ||   /* Hangul syllables, jamo extended B */
	       (c >= 0xF900 && c <= 0xFAFF) ||   /* compatibility ideographs */
	       (c >= 0xFF66 && c <= 0xFFDC) ||   /* half-width katakana and Hangul */
	       (c >= 0x20000 && c <= 0x3134F);   /* extensions B..G */
}
