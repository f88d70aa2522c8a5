/* Glyph coverage through fontconfig (see fontcover.h).
 *
 * FcFontList with FC_CHARSET returns every installed face with its charset; their union,
 * built once, answers FcCharSetHasChar for each code point of each name. fontconfig caches
 * its scan on disk, so this costs tens of milliseconds, not a font load. */
#include "fontcover.h"

#include <fontconfig/fontconfig.h>
#include <stdlib.h>
#include <string.h>

#include "common/utf8.h"
#include "common/util.h"

struct fontcover {
	FcCharSet *all; /* union of every installed font's charset */
};

fontcover *fontcover_open(FILE *out)
{
	FcPattern *pat = NULL;
	FcObjectSet *os = NULL;
	FcFontSet *fs = NULL;
	fontcover *fc = NULL;

	if (!FcInit())
		goto fail;
	fc = xcalloc(1, sizeof *fc);
	fc->all = FcCharSetCreate();
	pat = FcPatternCreate();
	os = FcObjectSetBuild(FC_CHARSET, (char *)NULL);
	if (fc->all == NULL || pat == NULL || os == NULL)
		goto fail;
	fs = FcFontList(NULL, pat, os);
	if (fs == NULL)
		goto fail;
	for (int i = 0; i < fs->nfont; i++) {
		FcCharSet *cs;
		if (FcPatternGetCharSet(fs->fonts[i], FC_CHARSET, 0, &cs) == FcResultMatch)
			FcCharSetMerge(fc->all, cs, NULL);
	}
	if (FcCharSetCount(fc->all) == 0) {
		fprintf(out, "kioskctl: warning: fontconfig lists no fonts; names are not checked for "
			     "characters no font can draw\n");
		goto fail;
	}
	FcFontSetDestroy(fs);
	FcObjectSetDestroy(os);
	FcPatternDestroy(pat);
	return fc;
fail:
	if (fs != NULL)
		FcFontSetDestroy(fs);
	if (os != NULL)
		FcObjectSetDestroy(os);
	if (pat != NULL)
		FcPatternDestroy(pat);
	fontcover_close(fc);
	return NULL;
}

/* Drawn as nothing or as a space, never as a box of their own: C0/C1 controls (TAB, LF, CR
 * are data and the kiosk draws them as spaces), joiners and marks, variation selectors,
 * emoji tag characters. */
static int invisible(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x00AD || cp == 0x034F ||
	       (cp >= 0x180B && cp <= 0x180F) || (cp >= 0x200B && cp <= 0x200F) ||
	       (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2060 && cp <= 0x206F) ||
	       (cp >= 0xFE00 && cp <= 0xFE0F) || cp == 0xFEFF || (cp >= 0xE0000 && cp <= 0xE0FFF);
}

int fontcover_has(const fontcover *fc, uint32_t cp)
{
	return invisible(cp) || FcCharSetHasChar(fc->all, cp);
}

int fontcover_warn(const fontcover *fc, FILE *out, const char *file, long line,
		   const char *field, const char *text)
{
	uint32_t seen[16];
	int nseen = 0, printed = 0;
	const char *p = text;
	char shown[96];

	if (fc == NULL)
		return 0;
	/* The text as one line: its TAB/LF/CR are data but would break the message. */
	str_copy_utf8(shown, sizeof shown, text);
	for (char *c = shown; *c; c++)
		if ((unsigned char)*c < 0x20)
			*c = ' ';
	while (*p != '\0') {
		uint32_t cp = utf8_next(&p);
		if (fontcover_has(fc, cp))
			continue;
		int dup = 0;
		for (int i = 0; i < nseen && !dup; i++)
			dup = seen[i] == cp;
		if (dup)
			continue;
		if (nseen < (int)ARRAY_LEN(seen))
			seen[nseen++] = cp;
		fprintf(out, "%s:%ld: warning: no installed font has U+%04X in %s '%s'; the kiosk "
			     "needs a font for it\n", file, line, (unsigned)cp, field, shown);
		printed++;
	}
	return printed;
}

void fontcover_close(fontcover *fc)
{
	if (fc == NULL)
		return;
	if (fc->all != NULL)
		FcCharSetDestroy(fc->all);
	free(fc);
	FcFini(); /* fontconfig's caches, so leak checkers see a clean exit */
}
