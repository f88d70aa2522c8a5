/* Fonts: the theme's faces first, then whatever installed font covers a character, found through
 * fontconfig by coverage (its charset matching) rather than a hand-kept list of files.
 *
 * Font ids: 0..UI_FACE_COUNT-1 are the theme faces, UI_FACE_COUNT the theme's fallback (Droid
 * Sans Fallback: CJK), and UI_FONT_FOUND + i the i-th font fontconfig found. A found font is only
 * a path and a charset until a run needs it, so neither fontconfig nor a large file (the Noto CJK
 * collection, the colour emoji font) costs anything at start-up or for a Latin-only screen.
 * Fixed-size colour bitmap fonts (Debian's Noto Color Emoji is CBDT with one 109 ppem strike)
 * open once and are scaled by ui_text.c; SDL_ttf selects their strike by index, not by size.
 */
#include "ui/ui_internal.h"

#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "common/util.h"


static const char *font_file(const ui *u, int id, int *index)
{
	*index = 0;
	if (id <= UI_FACE_COUNT)
		return u->font_path[id];
	*index = u->found[id - UI_FONT_FOUND].index;
	return u->found[id - UI_FONT_FOUND].path;
}

const char *ui_font_path(const ui *u, int id)
{
	int index;
	return font_file(u, id, &index);
}

int ui_font_bitmap(const ui *u, int id)
{
	return id >= UI_FONT_FOUND && u->found[id - UI_FONT_FOUND].bitmap;
}

TTF_Font *ui_font_get(ui *u, int id, int px)
{
	ui_font_slot *free_slot = NULL, *lru = NULL;
	const char *path;
	int index;

	if (id < 0 || id >= UI_FONT_FOUND + u->found_len)
		return NULL;
	if (ui_font_bitmap(u, id))
		px = 0; /* the strike index: one slot for every size */
	else if (px < 4)
		px = 4;
	for (int i = 0; i < UI_FONT_SLOTS; i++) {
		ui_font_slot *s = &u->fonts[i];
		if (s->font && s->face == id && s->px == px) {
			s->used = u->frame;
			return s->font;
		}
		if (!s->font && !free_slot)
			free_slot = s;
		if (s->font && (!lru || s->used < lru->used))
			lru = s;
	}
	if (!free_slot) {
		/* Textures already rendered keep their pixels; only the TTF_Font goes. */
		TTF_CloseFont(lru->font);
		lru->font = NULL;
		free_slot = lru;
	}
	path = font_file(u, id, &index);
	free_slot->font = TTF_OpenFontIndex(path, px, index);
	if (!free_slot->font)
		return NULL;
	free_slot->face = id;
	free_slot->px = px;
	free_slot->used = u->frame;
	return free_slot->font;
}

/* Ignored when deciding coverage: HarfBuzz draws nothing for them (joiners, variation
 * selectors, bidi marks, tags), so a font need not have them. */
int ui_font_ignorable(uint32_t cp)
{
	return (cp >= 0x200B && cp <= 0x200F) || (cp >= 0x202A && cp <= 0x202E) ||
	       (cp >= 0x2060 && cp <= 0x206F) || (cp >= 0xFE00 && cp <= 0xFE0F) ||
	       cp == 0xFEFF || (cp >= 0xE0000 && cp <= 0xE0FFF);
}

int ui_font_covers(ui *u, int id, int px, uint32_t cp)
{
	if (ui_font_ignorable(cp))
		return 1;
	if (id >= UI_FONT_FOUND)
		return FcCharSetHasChar(u->found[id - UI_FONT_FOUND].charset, cp);
	TTF_Font *f = ui_font_get(u, id, px);
	return f && TTF_GlyphIsProvided32(f, cp);
}

/* The id of the found font (path, index), adding it from the match m if new; -1 if full. */
static int found_add(ui *u, FcPattern *m, int bold)
{
	FcChar8 *file;
	FcCharSet *cs;
	FcBool outline = FcTrue;
	int index = 0;

	if (FcPatternGetString(m, FC_FILE, 0, &file) != FcResultMatch ||
	    FcPatternGetCharSet(m, FC_CHARSET, 0, &cs) != FcResultMatch)
		return -1;
	FcPatternGetInteger(m, FC_INDEX, 0, &index);
	/* Colour bitmap fonts say scalable (fontconfig scales them) but have no outlines. */
	FcPatternGetBool(m, FC_OUTLINE, 0, &outline);
	for (int i = 0; i < u->found_len; i++)
		if (u->found[i].index == index && strcmp(u->found[i].path, (char *)file) == 0)
			return UI_FONT_FOUND + i;
	if (u->found_len == UI_FOUND_MAX)
		return -1;
	ui_found *f = &u->found[u->found_len];
	f->path = xstrdup((char *)file);
	f->index = index;
	f->bold = bold;
	f->bitmap = !outline;
	f->charset = FcCharSetCopy(cs);
	log_info("ui: font %s (%d) for characters the theme fonts lack", f->path, index);
	return UI_FONT_FOUND + u->found_len++;
}

int ui_font_warm(ui *u)
{
	if (u->fc)
		return 0;
	u->fc = FcInitLoadConfigAndFonts();
	if (!u->fc) {
		log_warn("ui: fontconfig has no configuration: only the theme fonts draw");
		return -1;
	}
	return 0;
}

/* Asks fontconfig for the best installed font that has cp (bold, colour emoji when asked). */
static int found_match(ui *u, uint32_t cp, int bold, int emoji)
{
	FcPattern *p = NULL, *m = NULL;
	FcCharSet *cs = NULL;
	FcResult res;
	int id = -1;

	if (ui_font_warm(u) != 0)
		return -1;
	p = FcPatternCreate();
	cs = FcCharSetCreate();
	if (!p || !cs || !FcCharSetAddChar(cs, cp))
		goto done;
	FcPatternAddCharSet(p, FC_CHARSET, cs);
	FcPatternAddString(p, FC_FAMILY, (const FcChar8 *)"sans-serif");
	FcPatternAddInteger(p, FC_WEIGHT, bold ? FC_WEIGHT_BOLD : FC_WEIGHT_REGULAR);
	if (emoji)
		FcPatternAddBool(p, FC_COLOR, FcTrue);
	FcConfigSubstitute(u->fc, p, FcMatchPattern);
	FcDefaultSubstitute(p);
	m = FcFontMatch(u->fc, p, &res);
	if (!m)
		goto done;
	FcCharSet *mcs;
	if (FcPatternGetCharSet(m, FC_CHARSET, 0, &mcs) == FcResultMatch && FcCharSetHasChar(mcs, cp))
		id = found_add(u, m, bold);
done:
	if (m)
		FcPatternDestroy(m);
	if (cs)
		FcCharSetDestroy(cs);
	if (p)
		FcPatternDestroy(p);
	return id;
}

int ui_font_find(ui *u, int face, uint32_t cp, int emoji)
{
	int bold = face == UI_FACE_BOLD;
	size_t slot = (cp * 2654435761u + (uint32_t)(bold * 2 + emoji)) % UI_PICK_SLOTS;
	ui_font_pick *pk = &u->picks[slot];

	/* Fonts already found first: one look at their charsets, no fontconfig query. */
	for (int i = 0; i < u->found_len; i++)
		if (u->found[i].bold == bold && (!emoji || u->found[i].bitmap) &&
		    FcCharSetHasChar(u->found[i].charset, cp))
			return UI_FONT_FOUND + i;
	if (pk->cp == cp && pk->key == bold * 2 + emoji + 1)
		return pk->id; /* asked before (most often: no font has it) */
	pk->cp = cp;
	pk->key = bold * 2 + emoji + 1;
	pk->id = found_match(u, cp, bold, emoji);
	return pk->id;
}

void ui_font_close(ui *u)
{
	for (int i = 0; i < UI_FONT_SLOTS; i++)
		if (u->fonts[i].font) {
			TTF_CloseFont(u->fonts[i].font);
			u->fonts[i].font = NULL;
		}
	for (int i = 0; i < u->found_len; i++) {
		free(u->found[i].path);
		FcCharSetDestroy(u->found[i].charset);
	}
	u->found_len = 0;
	if (u->fc)
		FcConfigDestroy(u->fc);
	u->fc = NULL;
}
