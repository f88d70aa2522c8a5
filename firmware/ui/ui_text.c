/* Text: fonts by (face, size), a font fallback chain, and a texture cache.
 *
 * A string is split into runs by the font that has its glyphs (TTF_GlyphIsProvided32): DejaVu
 * Sans first, then the fallback face (Droid Sans Fallback: CJK). Runs in Arabic or Hebrew are
 * shaped right-to-left: Debian's SDL_ttf 2.20 is built with HarfBuzz, so TTF_SetFontDirection
 * and TTF_SetFontScriptName give joined, correctly ordered Arabic within a run; a line whose
 * first strong character is right-to-left lays its runs out right to left (no full bidi).
 *
 * Rendered lines are kept as textures keyed by (text, face, size, colour without alpha), LRU
 * bounded, so an unchanged frame rasterises nothing; alpha is applied at draw time so fades do
 * not fill the cache. Sizes are memoised the same way for layout code that measures each frame.
 */
#include "ui/ui_internal.h"

#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "common/util.h"

#define RUNS_MAX 32
#define MEASURE_SLOTS 2048
#define ELLIPSIS "\xE2\x80\xA6"

typedef struct text_run {
	const char *start;
	size_t len;
	TTF_Font *font;
	int rtl;
} text_run;

TTF_Font *ui_font_get(ui *u, int face, int px)
{
	ui_font_slot *free_slot = NULL, *lru = NULL;

	if (px < 4)
		px = 4;
	for (int i = 0; i < UI_FONT_SLOTS; i++) {
		ui_font_slot *s = &u->fonts[i];
		if (s->font && s->face == face && s->px == px) {
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
	free_slot->font = TTF_OpenFont(u->font_path[face], px);
	if (!free_slot->font)
		return NULL;
	free_slot->face = face;
	free_slot->px = px;
	free_slot->used = u->frame;
	return free_slot->font;
}

static uint64_t fnv(uint64_t h, const void *data, size_t len)
{
	const unsigned char *p = data;
	for (size_t i = 0; i < len; i++)
		h = (h ^ p[i]) * 1099511628211ULL;
	return h;
}

static uint64_t text_hash(const char *text, int face, int px, SDL_Color c)
{
	uint64_t h = fnv(1469598103934665603ULL, text, strlen(text));
	int k[4] = { face, px, (c.r << 16) | (c.g << 8) | c.b, 0x5a };
	return fnv(h, k, sizeof k);
}

/* Decodes one UTF-8 sequence (input is validated upstream; bad bytes read as U+FFFD). */
static uint32_t utf8_next(const char **sp)
{
	const unsigned char *s = (const unsigned char *)*sp;
	uint32_t cp;
	int n;

	if (s[0] < 0x80) {
		cp = s[0];
		n = 1;
	} else if ((s[0] & 0xE0) == 0xC0 && (s[1] & 0xC0) == 0x80) {
		cp = ((uint32_t)(s[0] & 0x1F) << 6) | (s[1] & 0x3F);
		n = 2;
	} else if ((s[0] & 0xF0) == 0xE0 && (s[1] & 0xC0) == 0x80 && (s[2] & 0xC0) == 0x80) {
		cp = ((uint32_t)(s[0] & 0x0F) << 12) | ((uint32_t)(s[1] & 0x3F) << 6) | (s[2] & 0x3F);
		n = 3;
	} else if ((s[0] & 0xF8) == 0xF0 && (s[1] & 0xC0) == 0x80 && (s[2] & 0xC0) == 0x80 &&
		   (s[3] & 0xC0) == 0x80) {
		cp = ((uint32_t)(s[0] & 0x07) << 18) | ((uint32_t)(s[1] & 0x3F) << 12) |
		     ((uint32_t)(s[2] & 0x3F) << 6) | (s[3] & 0x3F);
		n = 4;
	} else {
		cp = 0xFFFD;
		n = 1;
	}
	*sp += n;
	return cp;
}

static int is_rtl(uint32_t cp)
{
	return (cp >= 0x0590 && cp <= 0x08FF) || (cp >= 0xFB1D && cp <= 0xFDFF) ||
	       (cp >= 0xFE70 && cp <= 0xFEFF);
}

/* Spaces, digits and punctuation stay in the run they are in. */
static int is_neutral(uint32_t cp)
{
	return cp < 0x80 ? !((cp | 0x20) >= 'a' && (cp | 0x20) <= 'z') : (cp >= 0x2000 && cp <= 0x206F);
}

/* Splits text into runs by font and direction; returns the number of runs (<= RUNS_MAX, the
 * last run takes the rest when there are more). */
static int text_runs(ui *u, const char *text, int face, int px, text_run *runs)
{
	TTF_Font *primary = ui_font_get(u, face, px);
	TTF_Font *fallback = NULL; /* opened only for a glyph the primary lacks (it is large) */
	int n = 0;
	const char *p = text;

	if (!primary)
		return 0;
	while (*p) {
		const char *at = p;
		uint32_t cp = utf8_next(&p);
		TTF_Font *f = primary;
		int rtl = is_rtl(cp);

		if (!TTF_GlyphIsProvided32(primary, cp)) {
			if (!fallback)
				fallback = ui_font_get(u, UI_FACE_COUNT, px);
			if (fallback && TTF_GlyphIsProvided32(fallback, cp))
				f = fallback;
		}
		/* A neutral joins the run it is in only if that run's font has it: the CJK
		 * fallback has no "…", which would otherwise draw as an empty box. */
		int joins = n > 0 && is_neutral(cp) && TTF_GlyphIsProvided32(runs[n - 1].font, cp);
		if (n > 0 && (joins || (runs[n - 1].font == f && runs[n - 1].rtl == rtl) ||
			      n == RUNS_MAX)) {
			runs[n - 1].len = (size_t)(p - runs[n - 1].start);
			continue;
		}
		runs[n].start = at;
		runs[n].len = (size_t)(p - at);
		runs[n].font = f;
		runs[n].rtl = rtl;
		n++;
	}
	return n;
}

static void run_direction(TTF_Font *f, int rtl)
{
	TTF_SetFontDirection(f, rtl ? TTF_DIRECTION_RTL : TTF_DIRECTION_LTR);
	TTF_SetFontScriptName(f, rtl ? "Arab" : "Latn");
}

static int run_size(const text_run *r, int *w, int *h)
{
	char buf[1024];
	size_t len = r->len < sizeof buf - 1 ? r->len : sizeof buf - 1;
	int rc;

	memcpy(buf, r->start, len);
	buf[len] = '\0';
	run_direction(r->font, r->rtl);
	rc = TTF_SizeUTF8(r->font, buf, w, h);
	run_direction(r->font, 0);
	return rc;
}

static SDL_Surface *run_render(const text_run *r, SDL_Color c)
{
	char buf[1024];
	size_t len = r->len < sizeof buf - 1 ? r->len : sizeof buf - 1;
	SDL_Surface *s;

	memcpy(buf, r->start, len);
	buf[len] = '\0';
	run_direction(r->font, r->rtl);
	s = TTF_RenderUTF8_Blended(r->font, buf, c);
	run_direction(r->font, 0);
	return s;
}

/* The taller of the face and the fallback: a CJK name must fit the line it is given. */
int ui_line_height(ui *u, int face, int px)
{
	TTF_Font *f = ui_font_get(u, face, px);
	TTF_Font *fb = ui_font_get(u, UI_FACE_COUNT, px);
	int h = f ? TTF_FontHeight(f) : px;
	if (fb && TTF_FontHeight(fb) > h)
		h = TTF_FontHeight(fb);
	return h;
}

/* Memoised measurement: layout code measures the same strings every frame. */
typedef struct measure_slot {
	uint64_t hash;
	int w;
} measure_slot;

void ui_text_size(ui *u, const char *text, int face, int px, int *w, int *h)
{
	static const SDL_Color key = { 0, 0, 0, 0 };
	text_run runs[RUNS_MAX];
	uint64_t hash = text_hash(text, face, px, key) | 1;
	measure_slot *slot;
	int n, total = 0;

	*h = ui_line_height(u, face, px);
	if (!u->measure)
		u->measure = xcalloc(MEASURE_SLOTS, sizeof(measure_slot));
	slot = &((measure_slot *)u->measure)[hash % MEASURE_SLOTS];
	if (slot->hash == hash) {
		*w = slot->w;
		return;
	}
	n = text_runs(u, text, face, px, runs);
	for (int i = 0; i < n; i++) {
		int rw = 0, rh = 0;
		if (run_size(&runs[i], &rw, &rh) == 0)
			total += rw;
	}
	*w = total;
	slot->hash = hash;
	slot->w = total;
}

static ui_text_entry *cache_find(ui *u, const char *text, int face, int px, SDL_Color c)
{
	uint64_t hash = text_hash(text, face, px, c);
	ui_text_entry *lru = NULL;

	for (int i = 0; i < u->cache_len; i++) {
		ui_text_entry *e = &u->cache[i];
		if (e->hash == hash && e->face == face && e->px == px && e->color.r == c.r &&
		    e->color.g == c.g && e->color.b == c.b && strcmp(e->text, text) == 0) {
			e->used = u->frame;
			return e;
		}
	}
	/* Miss: render the runs into one surface, baselines aligned. */
	{
		text_run runs[RUNS_MAX];
		SDL_Surface *parts[RUNS_MAX] = { 0 };
		int asc[RUNS_MAX], n = text_runs(u, text, face, px, runs);
		int w = 0, max_asc = 0, max_desc = 0, x = 0, first_rtl = 0;
		SDL_Surface *line;
		SDL_Texture *tex;
		SDL_Color opaque = { c.r, c.g, c.b, 255 };

		for (int i = 0; i < n; i++) {
			if (!is_neutral((uint32_t)(unsigned char)runs[i].start[0])) {
				first_rtl = runs[i].rtl;
				break;
			}
		}
		for (int i = 0; i < n; i++) {
			parts[i] = run_render(&runs[i], opaque);
			asc[i] = TTF_FontAscent(runs[i].font);
			if (!parts[i])
				continue;
			w += parts[i]->w;
			if (asc[i] > max_asc)
				max_asc = asc[i];
			if (parts[i]->h - asc[i] > max_desc)
				max_desc = parts[i]->h - asc[i];
		}
		if (w == 0) {
			for (int i = 0; i < n; i++)
				SDL_FreeSurface(parts[i]);
			return NULL;
		}
		line = SDL_CreateRGBSurfaceWithFormat(0, w, max_asc + max_desc, 32,
						      SDL_PIXELFORMAT_ARGB8888);
		if (!line)
			return NULL;
		SDL_FillRect(line, NULL, SDL_MapRGBA(line->format, c.r, c.g, c.b, 0));
		for (int k = 0; k < n; k++) {
			int i = first_rtl ? n - 1 - k : k; /* right-to-left line: runs in reverse */
			if (!parts[i])
				continue;
			SDL_Rect d = { x, max_asc - asc[i], parts[i]->w, parts[i]->h };
			SDL_SetSurfaceBlendMode(parts[i], SDL_BLENDMODE_NONE);
			SDL_BlitSurface(parts[i], NULL, line, &d);
			x += parts[i]->w;
			SDL_FreeSurface(parts[i]);
		}
		tex = SDL_CreateTextureFromSurface(u->renderer, line);
		SDL_FreeSurface(line);
		if (!tex)
			return NULL;
		SDL_SetTextureBlendMode(tex, SDL_BLENDMODE_BLEND);

		if (u->cache_len < u->cache_max) {
			lru = &u->cache[u->cache_len++];
		} else {
			for (int i = 0; i < u->cache_len; i++)
				if (!lru || u->cache[i].used < lru->used)
					lru = &u->cache[i];
			SDL_DestroyTexture(lru->tex);
			free(lru->text);
		}
		lru->hash = hash;
		lru->text = xstrdup(text);
		lru->face = face;
		lru->px = px;
		lru->color = c;
		lru->tex = tex;
		SDL_QueryTexture(tex, NULL, NULL, &lru->w, &lru->h);
		lru->used = u->frame;
		return lru;
	}
}

void ui_text_cache_free(ui *u)
{
	for (int i = 0; i < u->cache_len; i++) {
		SDL_DestroyTexture(u->cache[i].tex);
		free(u->cache[i].text);
	}
	u->cache_len = 0;
	free(u->measure);
	u->measure = NULL;
}

/* The longest prefix of text that fits max_w with "…" appended, written into buf. */
static void ellipsize(ui *u, const char *text, int face, int px, int max_w, char *buf, size_t bufsize)
{
	size_t offs[512];
	int n = 0, lo = 0, hi;
	const char *p = text;

	while (*p && n < (int)ARRAY_LEN(offs) - 1) {
		offs[n++] = (size_t)(p - text);
		utf8_next(&p);
	}
	offs[n] = (size_t)(p - text);
	hi = n;
	while (lo < hi) { /* largest k with width(prefix(k) + "…") <= max_w */
		int mid = (lo + hi + 1) / 2, w, h;
		size_t len = offs[mid];
		while (len > 0 && text[len - 1] == ' ')
			len--;
		if (len + sizeof ELLIPSIS > bufsize)
			len = bufsize - sizeof ELLIPSIS;
		memcpy(buf, text, len);
		memcpy(buf + len, ELLIPSIS, sizeof ELLIPSIS);
		ui_text_size(u, buf, face, px, &w, &h);
		if (w <= max_w)
			lo = mid;
		else
			hi = mid - 1;
	}
	{
		size_t len = offs[lo];
		while (len > 0 && text[len - 1] == ' ')
			len--;
		if (len + sizeof ELLIPSIS > bufsize)
			len = bufsize - sizeof ELLIPSIS;
		memcpy(buf, text, len);
		memcpy(buf + len, ELLIPSIS, sizeof ELLIPSIS);
	}
}

SDL_Rect ui_text(ui *u, const char *text, int face, int px, SDL_Color c, int x, int y, int max_w,
		 enum ui_align align)
{
	SDL_Rect r = { x, y, 0, 0 };
	char cut[1024];
	const char *draw = text;
	ui_text_entry *e;
	int w, h;

	if (!text || !*text || max_w <= 0)
		return r;
	ui_text_size(u, text, face, px, &w, &h);
	if (w > max_w) {
		ellipsize(u, text, face, px, max_w, cut, sizeof cut);
		draw = cut;
	}
	e = cache_find(u, draw, face, px, c);
	if (!e)
		return r;
	r.w = e->w < max_w ? e->w : max_w;
	r.h = e->h;
	if (align == UI_CENTER)
		r.x = x + (max_w - r.w) / 2;
	else if (align == UI_RIGHT)
		r.x = x + max_w - r.w;
	SDL_SetTextureAlphaMod(e->tex, c.a);
	{
		SDL_Rect src = { 0, 0, r.w, r.h };
		SDL_RenderCopy(u->renderer, e->tex, &src, &r);
	}
	ui_scene_text(u, r, draw);
	return r;
}

int ui_text_fit(ui *u, const char *text, int face, int px, int min_px, int max_w)
{
	int w, h;
	for (int s = px; s > min_px; s -= (s > 40 ? 4 : 2)) {
		ui_text_size(u, text, face, s, &w, &h);
		if (w <= max_w)
			return s;
	}
	return min_px;
}

int ui_text_wrap(ui *u, const char *text, int face, int px, SDL_Color c, int x, int y, int max_w,
		 int max_lines, enum ui_align align)
{
	char line[1024];
	const char *p = text;
	int lh = ui_line_height(u, face, px), used = 0;

	for (int n = 0; n < max_lines && *p; n++) {
		size_t best = 0, len = 0;
		const char *q = p;
		while (*q == ' ')
			q++;
		p = q;
		/* Grow word by word while it fits. */
		for (;;) {
			const char *sp = strchr(p + len + (len ? 1 : 0), ' ');
			size_t cand = sp ? (size_t)(sp - p) : strlen(p);
			int w, h;
			if (cand >= sizeof line)
				break;
			memcpy(line, p, cand);
			line[cand] = '\0';
			ui_text_size(u, line, face, px, &w, &h);
			if (w > max_w && best > 0)
				break;
			best = cand;
			if (w > max_w || !sp)
				break;
			len = cand;
		}
		if (best == 0)
			break;
		if (n == max_lines - 1) /* last line: the rest, ellipsised by ui_text */
			best = strlen(p) < sizeof line ? strlen(p) : sizeof line - 1;
		memcpy(line, p, best);
		line[best] = '\0';
		ui_text(u, line, face, px, c, x, y + used, max_w, align);
		used += lh;
		p += best;
	}
	return used;
}
