/* Text: measuring, drawing and caching lines, and word wrap.
 *
 * ui_runs.c splits a line into runs of one font, one direction and one script, in visual order
 * (fonts chosen by coverage: ui_font.c). Each run is shaped by SDL_ttf's HarfBuzz with its own
 * direction and script (joined Arabic, Devanagari conjuncts, one glyph per emoji sequence) and
 * the runs are laid side by side on one baseline. Colour emoji come from a fixed-size bitmap
 * font and are scaled to the line (SDL_SoftStretchLinear).
 *
 * Rendered lines are kept as textures keyed by (text, face, size, colour without alpha), LRU
 * bounded by count and by pixel bytes, so an unchanged frame rasterises nothing; alpha is applied at draw time so fades do
 * not fill the cache. Sizes are memoised the same way for layout code that measures each frame.
 * The scene gets, for each text, which font drew which code points (ui_scene_glyphs), so a test
 * can check that every glyph came from a font that has it.
 */
#include "ui/ui_internal.h"

#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "common/utf8.h"
#include "common/util.h"

#define MEASURE_SLOTS 2048
#define ELLIPSIS "\xE2\x80\xA6"

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

/* Scale of a run's font: bitmap emoji are drawn at the height of the face's line. */
static float run_scale(ui *u, int face, int px, int font)
{
	TTF_Font *f, *base;
	if (!ui_font_bitmap(u, font))
		return 1.0f;
	f = ui_font_get(u, font, px);
	base = ui_font_get(u, face, px);
	if (!f || !base || TTF_FontHeight(f) <= 0)
		return 1.0f;
	return (float)TTF_FontHeight(base) / (float)TTF_FontHeight(f);
}

/* Sets the run's direction and script on its font; returns the font (NULL if unavailable). */
static TTF_Font *run_font(ui *u, const ui_run *r, int px)
{
	TTF_Font *f = ui_font_get(u, r->font, px);
	if (!f)
		return NULL;
	TTF_SetFontDirection(f, (r->level & 1) ? TTF_DIRECTION_RTL : TTF_DIRECTION_LTR);
	TTF_SetFontScriptName(f, r->script);
	return f;
}

static void run_text(const ui_line *l, const ui_run *r, char *buf)
{
	memcpy(buf, l->text + r->start, (size_t)r->len);
	buf[r->len] = '\0';
}

static int run_size(ui *u, const ui_line *l, const ui_run *r, int face, int px, int *w)
{
	char buf[UI_LINE_MAX];
	TTF_Font *f = run_font(u, r, px);
	int h;

	*w = 0;
	if (!f)
		return -1;
	run_text(l, r, buf);
	if (TTF_SizeUTF8(f, buf, w, &h) != 0)
		return -1;
	*w = (int)(*w * run_scale(u, face, px, r->font) + 0.5f);
	return 0;
}

/* Renders one run; *asc gets its ascent in the returned surface's pixels. */
static SDL_Surface *run_render(ui *u, const ui_line *l, const ui_run *r, int face, int px,
			       SDL_Color c, int *asc)
{
	char buf[UI_LINE_MAX];
	TTF_Font *f = run_font(u, r, px);
	SDL_Surface *s, *scaled;
	float k;

	if (!f)
		return NULL;
	run_text(l, r, buf);
	s = TTF_RenderUTF8_Blended(f, buf, c);
	*asc = TTF_FontAscent(f);
	k = run_scale(u, face, px, r->font);
	if (!s || k == 1.0f)
		return s;
	scaled = SDL_CreateRGBSurfaceWithFormat(0, (int)(s->w * k + 0.5f), (int)(s->h * k + 0.5f), 32,
						s->format->format);
	if (scaled && scaled->w > 0 && scaled->h > 0 && SDL_SoftStretchLinear(s, NULL, scaled, NULL) == 0) {
		*asc = (int)(*asc * k + 0.5f);
		SDL_FreeSurface(s);
		return scaled;
	}
	SDL_FreeSurface(scaled);
	SDL_FreeSurface(s);
	return NULL;
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
	ui_line line;
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
	n = ui_line_itemize(u, text, face, px, &line);
	for (int i = 0; i < n; i++) {
		int rw = 0;
		if (run_size(u, &line, &line.run[i], face, px, &rw) == 0)
			total += rw;
	}
	*w = total;
	slot->hash = hash;
	slot->w = total;
}

/* Logs a character no installed font has, once per string (the text cache redraws it without
 * asking again; the ring forgets only after UI_MISSING_LOG other such strings). */
static void missing_log(ui *u, const char *text, uint32_t cp)
{
	uint64_t h = fnv(1469598103934665603ULL, text, strlen(text));
	for (int i = 0; i < UI_MISSING_LOG; i++)
		if (u->missing_logged[i] == h)
			return;
	u->missing_logged[u->missing_next] = h;
	u->missing_next = (u->missing_next + 1) % UI_MISSING_LOG;
	log_warn("ui: no installed font has U+%04X in \"%s\": left out", (unsigned)cp, text);
}

/* "covered" or "missing=U+XXXX", then for each run FONTFILE:HEX,HEX,... of the code points it
 * drew (ignorables left out): what the scene reports for a test to check against the fonts. */
static char *glyph_report(ui *u, const ui_line *l)
{
	size_t cap = 64, len;
	char *out;

	for (int i = 0; i < l->nrun; i++)
		cap += strlen(ui_font_path(u, l->run[i].font)) + 2 + (size_t)l->run[i].len * 9;
	out = xcalloc(cap, 1);
	if (l->missing)
		snprintf(out, cap, "missing=U+%04X", (unsigned)l->missing);
	else
		snprintf(out, cap, "covered");
	len = strlen(out);
	for (int i = 0; i < l->nrun; i++) {
		const char *p = l->text + l->run[i].start, *end = p + l->run[i].len;
		char sep = ':';
		len += (size_t)snprintf(out + len, cap - len, " %s", ui_font_path(u, l->run[i].font));
		while (p < end) {
			uint32_t cp = utf8_next(&p);
			if (ui_font_ignorable(cp))
				continue;
			len += (size_t)snprintf(out + len, cap - len, "%c%04X", sep, (unsigned)cp);
			sep = ',';
		}
	}
	return out;
}

/* The line's runs rendered into one texture, baselines aligned; *lift is how far its fonts
 * rise above the theme's ascent. NULL when nothing drew. */
static SDL_Texture *line_render(ui *u, const char *text, ui_line *l, int face, int px,
				SDL_Color c, int *lift)
{
	SDL_Surface *parts[UI_RUNS_MAX] = { 0 }, *line = NULL;
	SDL_Texture *tex = NULL;
	SDL_Color opaque = { c.r, c.g, c.b, 255 };
	int asc[UI_RUNS_MAX] = { 0 }, n = ui_line_itemize(u, text, face, px, l);
	int w = 0, max_asc = 0, max_desc = 0, x = 0, base_asc;

	if (l->missing)
		missing_log(u, text, l->missing);
	for (int i = 0; i < n; i++) {
		parts[i] = run_render(u, l, &l->run[i], face, px, opaque, &asc[i]);
		if (!parts[i])
			continue;
		w += parts[i]->w;
		if (asc[i] > max_asc)
			max_asc = asc[i];
		if (parts[i]->h - asc[i] > max_desc)
			max_desc = parts[i]->h - asc[i];
	}
	if (w == 0)
		goto done;
	{ /* the theme's baseline: fonts with a taller ascent rise above the line's top */
		TTF_Font *f = ui_font_get(u, face, px), *fb = ui_font_get(u, UI_FACE_COUNT, px);
		base_asc = f ? TTF_FontAscent(f) : max_asc;
		if (fb && TTF_FontAscent(fb) > base_asc)
			base_asc = TTF_FontAscent(fb);
	}
	line = SDL_CreateRGBSurfaceWithFormat(0, w, max_asc + max_desc, 32, SDL_PIXELFORMAT_ARGB8888);
	if (!line)
		goto done;
	SDL_FillRect(line, NULL, SDL_MapRGBA(line->format, c.r, c.g, c.b, 0));
	for (int i = 0; i < n; i++) { /* runs are in visual order already */
		if (!parts[i])
			continue;
		SDL_Rect d = { x, max_asc - asc[i], parts[i]->w, parts[i]->h };
		SDL_SetSurfaceBlendMode(parts[i], SDL_BLENDMODE_NONE);
		SDL_BlitSurface(parts[i], NULL, line, &d);
		x += parts[i]->w;
	}
	tex = SDL_CreateTextureFromSurface(u->renderer, line);
	if (tex)
		SDL_SetTextureBlendMode(tex, SDL_BLENDMODE_BLEND);
	*lift = max_asc > base_asc ? max_asc - base_asc : 0;
done:
	for (int i = 0; i < n; i++)
		SDL_FreeSurface(parts[i]);
	SDL_FreeSurface(line);
	return tex;
}

/* Drops the least recently used line; the last entry takes its place. */
static void cache_evict_lru(ui *u)
{
	ui_text_entry *lru = &u->cache[0];

	for (int i = 1; i < u->cache_len; i++)
		if (u->cache[i].used < lru->used)
			lru = &u->cache[i];
	u->cache_bytes -= lru->bytes;
	SDL_DestroyTexture(lru->tex);
	free(lru->text);
	free(lru->glyphs);
	*lru = u->cache[--u->cache_len];
}

/* A slot for a line of `bytes` pixel bytes. The cache is bounded by its pixels as well as by
 * its count: counted alone, its memory swung by 15 MiB over a soak as long names replaced
 * short ones, and a kiosk that runs for days should hold a steady size. */
static ui_text_entry *cache_slot(ui *u, size_t bytes)
{
	while (u->cache_len > 0 &&
	       (u->cache_len >= u->cache_max || u->cache_bytes + bytes > u->cache_bytes_max))
		cache_evict_lru(u);
	u->cache_bytes += bytes;
	return &u->cache[u->cache_len++];
}

static ui_text_entry *cache_find(ui *u, const char *text, int face, int px, SDL_Color c)
{
	uint64_t hash = text_hash(text, face, px, c);
	ui_text_entry *e;
	SDL_Texture *tex;
	ui_line l;
	int lift = 0;

	for (int i = 0; i < u->cache_len; i++) {
		e = &u->cache[i];
		if (e->hash == hash && e->face == face && e->px == px && e->color.r == c.r &&
		    e->color.g == c.g && e->color.b == c.b && strcmp(e->text, text) == 0) {
			e->used = u->frame;
			return e;
		}
	}
	tex = line_render(u, text, &l, face, px, c, &lift);
	if (!tex)
		return NULL;
	{
		int w = 0, h = 0;
		SDL_QueryTexture(tex, NULL, NULL, &w, &h);
		e = cache_slot(u, (size_t)w * (size_t)h * 4);
		e->w = w;
		e->h = h;
		e->bytes = (size_t)w * (size_t)h * 4;
	}
	e->hash = hash;
	e->text = xstrdup(text);
	e->face = face;
	e->px = px;
	e->color = c;
	e->tex = tex;
	e->lift = lift;
	e->glyphs = u->scene_file ? glyph_report(u, &l) : NULL;
	e->used = u->frame;
	return e;
}

void ui_text_cache_free(ui *u)
{
	for (int i = 0; i < u->cache_len; i++) {
		SDL_DestroyTexture(u->cache[i].tex);
		free(u->cache[i].text);
		free(u->cache[i].glyphs);
	}
	u->cache_len = 0;
	u->cache_bytes = 0;
	free(u->measure);
	u->measure = NULL;
}

/* The first len bytes of text, trailing spaces dropped, and "…", into buf. */
static void prefix_ellipsis(const char *text, size_t len, char *buf, size_t bufsize)
{
	while (len > 0 && text[len - 1] == ' ')
		len--;
	if (len + sizeof ELLIPSIS > bufsize)
		len = bufsize - sizeof ELLIPSIS;
	memcpy(buf, text, len);
	memcpy(buf + len, ELLIPSIS, sizeof ELLIPSIS);
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
		prefix_ellipsis(text, offs[mid], buf, bufsize);
		ui_text_size(u, buf, face, px, &w, &h);
		if (w <= max_w)
			lo = mid;
		else
			hi = mid - 1;
	}
	prefix_ellipsis(text, offs[lo], buf, bufsize);
}

SDL_Rect ui_text(ui *u, const char *text, int face, int px, SDL_Color c, int x, int y, int max_w,
		 enum ui_align align)
{
	SDL_Rect r = { x, y, 0, 0 };
	char cut[UI_LINE_MAX], clean[UI_LINE_MAX];
	const char *draw;
	ui_text_entry *e;
	int w, h;

	if (!text || !*text || max_w <= 0)
		return r;
	/* Tabs and newlines as spaces, other controls gone, before measuring, caching and the
	 * scene: what the scene says is what is on screen. */
	ui_text_clean(text, clean, sizeof clean);
	draw = text = clean;
	if (!*text)
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
	r.y -= e->lift;
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
	if (e->glyphs)
		ui_scene_glyphs(u, r, e->glyphs);
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

/* The longest prefix of p[0..rest) that fits max_w, in bytes: at least one character. Breaks go
 * at the last space, except between characters of scripts written without spaces (CJK, kana,
 * Hangul), where any boundary will do. */
static size_t wrap_cut(ui *u, const char *p, size_t rest, int face, int px, int max_w)
{
	char line[UI_LINE_MAX];
	size_t offs[UI_LINE_MAX];
	int nb = 0, lo = -1, hi;

	for (size_t i = 1; i <= rest; i++)
		if (i == rest || ((unsigned char)p[i] & 0xC0) != 0x80)
			offs[nb++] = i;
	if (nb == 0)
		return 0;
	hi = nb - 1;
	while (lo < hi) { /* binary search over character boundaries: one measure per probe */
		int mid = (lo + hi + 1) / 2, w, h;
		memcpy(line, p, offs[mid]);
		line[offs[mid]] = '\0';
		ui_text_size(u, line, face, px, &w, &h);
		if (w <= max_w)
			lo = mid;
		else
			hi = mid - 1;
	}
	size_t cut = offs[lo >= 0 ? lo : 0];
	if (cut < rest && p[cut] != ' ') {
		const char *at = p + cut, *before = utf8_prev(p, at);
		uint32_t next = utf8_next(&at), prev = utf8_next(&before);
		if (!utf8_is_wide(next) && !utf8_is_wide(prev)) {
			/* Inside a word of a spaced script: go back to the last space, if any. */
			const char *sp = p + cut;
			while (sp > p && sp[-1] != ' ')
				sp--;
			if (sp > p)
				cut = (size_t)(sp - p);
		}
	}
	return cut;
}

int ui_text_wrap(ui *u, const char *text, int face, int px, SDL_Color c, int x, int y, int max_w,
		 int max_lines, enum ui_align align)
{
	char line[UI_LINE_MAX];
	const char *p = text;
	int lh = ui_line_height(u, face, px), used = 0;

	for (int n = 0; n < max_lines && *p; n++) {
		size_t rest, cut;
		SDL_Rect r;

		while (*p == ' ')
			p++;
		if (*p == '\n') { /* an empty line in the field */
			p++;
			used += lh;
			continue;
		}
		rest = strcspn(p, "\n"); /* a newline in the field breaks the line */
		if (n == max_lines - 1) /* last line: the rest, newlines as spaces, ellipsised */
			rest = strlen(p);
		if (rest >= sizeof line) {
			rest = sizeof line - 1;
			while (rest > 0 && ((unsigned char)p[rest] & 0xC0) == 0x80)
				rest--;
		}
		cut = n == max_lines - 1 ? rest : wrap_cut(u, p, rest, face, px, max_w);
		if (cut == 0)
			break;
		memcpy(line, p, cut);
		line[cut] = '\0';
		r = ui_text(u, line, face, px, c, x, y + used, max_w, align);
		used += r.h > lh ? r.h : lh; /* fallback fonts may be taller */
		p += cut;
		if (*p == '\n')
			p++;
	}
	return used;
}
