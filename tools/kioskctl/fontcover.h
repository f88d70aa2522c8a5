/* Which characters no installed font can draw: the import-time warning that a name would show
 * as boxes.
 *
 * Built once per run from fontconfig (the union of every installed font's charset); each
 * character is then one lookup. This checks the organiser's machine, which is only a hint for
 * the kiosk image; it warns and never refuses: a name is data, not an error. */
#ifndef KIOSKCTL_FONTCOVER_H
#define KIOSKCTL_FONTCOVER_H

#include <stdint.h>
#include <stdio.h>

typedef struct fontcover fontcover;

/* NULL when fontconfig cannot be initialised or lists no font (then it says so on out). */
fontcover *fontcover_open(FILE *out);
/* 1 if some installed font has cp. Characters drawn as nothing or as a space (controls,
 * joiners, variation selectors, tag characters) count as covered. */
int fontcover_has(const fontcover *fc, uint32_t cp);
/* Prints "FILE:LINE: warning: no installed font has U+XXXX in FIELD 'text'" once per missing
 * code point of text (valid UTF-8). Returns how many it printed. fc may be NULL. */
int fontcover_warn(const fontcover *fc, FILE *out, const char *file, long line,
		   const char *field, const char *text);
void fontcover_close(fontcover *fc);

#endif
