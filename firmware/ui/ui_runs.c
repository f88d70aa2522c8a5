/* Itemizing a line: which font draws each character, in which direction, in which order.
 *
 * Start at ui_line_itemize. The text is cleaned first (a tab or newline in a field is a space,
 * other control characters never reach a font). Directions come from the Unicode bidi algorithm
 * (Debian's libfribidi: "محمد العلي (MIT)", digits inside Arabic). Each character then gets the
 * first font that has it: the theme face, the theme fallback, then a font fontconfig finds by
 * coverage (ui_font.c). Combining marks, joiners and emoji modifiers stay with the character
 * before them, so a Devanagari syllable, a ZWJ family, a flag or a skin tone reaches HarfBuzz
 * as one piece and is drawn as the one glyph the font has for it, never as several boxes.
 * A character no installed font has is left out (it would draw as .notdef, a box) and reported.
 * Runs of one font, one embedding level and one script are finally put in visual order (rule L2
 * of UAX #9); SDL_ttf shapes each with HarfBuzz in its own direction and script.
 */
#include "ui/ui_internal.h"

#include <string.h>

#include <fribidi.h>
#include <hb.h>

#include "common/utf8.h"
#include "common/util.h"

#define CPS_MAX UI_LINE_MAX

/* Per-character working arrays, kept in the ui (u->itemize) rather than on the stack. */
typedef struct itemize_scratch {
	uint32_t cps[CPS_MAX];                 /* the cleaned line's code points */
	FriBidiCharType types[CPS_MAX];        /* bidi classes */
	FriBidiBracketType brackets[CPS_MAX];  /* paired brackets (rule N0) */
	FriBidiLevel levels[CPS_MAX];          /* resolved embedding levels */
	hb_script_t run_script[UI_RUNS_MAX];   /* first strong script of each run */
} itemize_scratch;

int ui_text_clean(const char *text, char *out, size_t size)
{
	const char *p = text;
	size_t n = 0;
	int changed = 0;

	while (*p) {
		const char *at = p;
		uint32_t cp = utf8_next(&p);
		char enc[UTF8_MAX];
		int len;

		if (cp == '\t' || cp == '\n' || cp == '\r' || cp == '\v' || cp == '\f' ||
		    cp == 0x85 || cp == 0x2028 || cp == 0x2029) {
			enc[0] = ' ';
			len = 1;
			changed = 1;
		} else if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F)) {
			changed = 1; /* ESC, BEL and the like: nothing to draw */
			continue;
		} else {
			len = utf8_encode(cp, enc);
			if (len != (int)(p - at))
				changed = 1; /* a malformed byte became U+FFFD */
		}
		if (n + (size_t)len >= size) {
			changed = 1;
			break;
		}
		memcpy(out + n, enc, (size_t)len);
		n += (size_t)len;
	}
	out[n] = '\0';
	return changed;
}

/* Spaces, digits and punctuation stay in the run they are in when its font has them. */
static int is_neutral(uint32_t cp)
{
	return cp < 0x80 ? !((cp | 0x20) >= 'a' && (cp | 0x20) <= 'z') : (cp >= 0x2000 && cp <= 0x206F);
}

/* Characters that belong to the one before them: marks, emoji modifiers, the keycap. */
static int is_attached(hb_unicode_funcs_t *uf, uint32_t cp, uint32_t prev)
{
	hb_unicode_general_category_t gc = hb_unicode_general_category(uf, cp);
	return gc == HB_UNICODE_GENERAL_CATEGORY_NON_SPACING_MARK ||
	       gc == HB_UNICODE_GENERAL_CATEGORY_SPACING_MARK ||
	       gc == HB_UNICODE_GENERAL_CATEGORY_ENCLOSING_MARK || (cp >= 0x1F3FB && cp <= 0x1F3FF) ||
	       prev == 0x200D || ((cp >= 0x1F1E6 && cp <= 0x1F1FF) && prev >= 0x1F1E6 && prev <= 0x1F1FF);
}

/* Wants an emoji font: pictographs, flags, and any symbol asked for with VS16 (U+FE0F). */
static int wants_emoji(uint32_t cp, uint32_t next)
{
	return (cp >= 0x1F000 && cp <= 0x1FAFF) || next == 0xFE0F;
}

static int pick_font(ui *u, int face, int px, int cur, uint32_t cp, uint32_t prev, uint32_t next,
		     hb_unicode_funcs_t *uf)
{
	int id;

	if (ui_font_ignorable(cp))
		return cur >= 0 ? cur : -2; /* -2: nothing to draw, nothing missing */
	/* A space after an emoji goes back to the text font: the emoji font's is far wider. */
	if (cur >= 0 && (is_attached(uf, cp, prev) || (is_neutral(cp) && !ui_font_bitmap(u, cur))) &&
	    ui_font_covers(u, cur, px, cp))
		return cur;
	if (wants_emoji(cp, next) && (id = ui_font_find(u, face, cp, 1)) >= 0)
		return id;
	if (ui_font_covers(u, face, px, cp))
		return face;
	if (ui_font_covers(u, UI_FACE_COUNT, px, cp))
		return UI_FACE_COUNT; /* opened only now: it is large */
	return ui_font_find(u, face, cp, 0);
}

static int strong_script(hb_script_t s)
{
	return s != HB_SCRIPT_COMMON && s != HB_SCRIPT_INHERITED && s != HB_SCRIPT_UNKNOWN;
}

/* Rule L2: from the highest level down to the lowest odd one, reverse every sequence of runs
 * at that level or above. */
static void runs_reorder(ui_run *run, int n)
{
	int hi = 0, lo_odd = 255;

	for (int i = 0; i < n; i++) {
		if (run[i].level > hi)
			hi = run[i].level;
		if ((run[i].level & 1) && run[i].level < lo_odd)
			lo_odd = run[i].level;
	}
	for (int lev = hi; lev >= lo_odd && lev > 0; lev--) {
		for (int i = 0; i < n;) {
			if (run[i].level < lev) {
				i++;
				continue;
			}
			int j = i;
			while (j < n && run[j].level >= lev)
				j++;
			for (int a = i, b = j - 1; a < b; a++, b--) {
				ui_run t = run[a];
				run[a] = run[b];
				run[b] = t;
			}
			i = j;
		}
	}
}

int ui_line_itemize(ui *u, const char *text, int face, int px, ui_line *out)
{
	itemize_scratch *scr = u->itemize ? u->itemize : (u->itemize = xcalloc(1, sizeof *scr));
	uint32_t *cps = scr->cps;
	FriBidiCharType *types = scr->types;
	FriBidiBracketType *brackets = scr->brackets;
	FriBidiLevel *levels = scr->levels;
	hb_script_t *run_script = scr->run_script;
	hb_unicode_funcs_t *uf = hb_unicode_funcs_get_default();
	char clean[UI_LINE_MAX];
	const char *p = clean;
	int n = 0, rtl = 0, cur = -1, len = 0;

	out->nrun = 0;
	out->missing = 0;
	out->text[0] = '\0';
	ui_text_clean(text, clean, sizeof clean);
	while (*p && n < CPS_MAX) {
		cps[n] = utf8_next(&p);
		if (cps[n] >= 0x0590)
			rtl = 1; /* only then is the bidi algorithm worth running */
		n++;
	}
	memset(levels, 0, (size_t)n * sizeof levels[0]);
	if (rtl && n > 0) {
		FriBidiParType base = FRIBIDI_PAR_ON; /* direction of the first strong character */
		fribidi_get_bidi_types(cps, n, types);
		fribidi_get_bracket_types(cps, n, types, brackets);
		if (!fribidi_get_par_embedding_levels_ex(types, brackets, n, &base, levels))
			memset(levels, 0, (size_t)n * sizeof levels[0]);
	}
	for (int i = 0; i < n; i++) {
		uint32_t prev = i > 0 ? cps[i - 1] : 0, next = i + 1 < n ? cps[i + 1] : 0;
		int id = pick_font(u, face, px, cur, cps[i], prev, next, uf);
		hb_script_t sc = hb_unicode_script(uf, cps[i]);
		char enc[UTF8_MAX];
		int k = utf8_encode(cps[i], enc);
		ui_run *r = out->nrun > 0 ? &out->run[out->nrun - 1] : NULL;

		if (id < 0) {
			if (id == -1 && !out->missing)
				out->missing = cps[i];
			continue;
		}
		if (len + k >= UI_LINE_MAX)
			break;
		if (!r || r->font != id || r->level != levels[i] ||
		    (strong_script(sc) && strong_script(run_script[out->nrun - 1]) &&
		     sc != run_script[out->nrun - 1])) {
			if (out->nrun == UI_RUNS_MAX)
				break; /* a name never has this many; the rest is not drawn */
			r = &out->run[out->nrun];
			r->start = len;
			r->len = 0;
			r->font = id;
			r->level = levels[i];
			run_script[out->nrun++] = HB_SCRIPT_COMMON;
		}
		if (strong_script(sc) && !strong_script(run_script[out->nrun - 1]))
			run_script[out->nrun - 1] = sc;
		memcpy(out->text + len, enc, (size_t)k);
		len += k;
		r->len += k;
		cur = id;
	}
	out->text[len] = '\0';
	for (int i = 0; i < out->nrun; i++)
		hb_tag_to_string(hb_script_to_iso15924_tag(run_script[i]), out->run[i].script);
	for (int i = 0; i < out->nrun; i++)
		out->run[i].script[4] = '\0';
	runs_reorder(out->run, out->nrun);
	return out->nrun;
}
