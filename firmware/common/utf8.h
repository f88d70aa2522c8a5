/* UTF-8: the one decoder and encoder the firmware and tools share, and the one test for scripts
 * written without spaces between words (CJK, kana, Hangul). */
#ifndef KITH_UTF8_H
#define KITH_UTF8_H

#include <stddef.h>
#include <stdint.h>

#define UTF8_MAX 4 /* bytes in the longest sequence */

/* Decodes the sequence at *sp and advances *sp past it. A malformed byte (bad lead, missing
 * continuation, overlong, surrogate, past U+10FFFF) reads as U+FFFD and advances one byte, so
 * a loop over any NUL-terminated string ends. */
uint32_t utf8_next(const char **sp);
/* Start of the character before p, not before s (p > s). */
const char *utf8_prev(const char *s, const char *p);
/* Writes cp (U+0000..U+10FFFF, not a surrogate; else U+FFFD) into out; returns 1..4. */
int utf8_encode(uint32_t cp, char out[UTF8_MAX]);
/* 1 if the len bytes at s are valid UTF-8 (no overlongs, no surrogates), else 0. */
int utf8_valid(const char *s, size_t len);
/* 1 for CJK ideographs, kana and Hangul: a line may break between any two of them. (Search
 * splits Han and kana only: store_sessions.c says why.) */
int utf8_is_wide(uint32_t cp);

#endif
