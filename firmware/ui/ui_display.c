/* The display: window, renderer, rotation and the drawing primitives.
 *
 * With --rotate 0 screens draw straight into the window. Otherwise they draw into a target
 * texture of the logical size (width and height swapped for 90/270) which ui_frame_end copies
 * into the window turned by the given angle; ui_input.c turns touch coordinates the same way.
 * Rounded corners and discs come from one antialiased disc texture scaled and tinted, so cards
 * look smooth on any renderer, including the software one.
 */
#include "ui/ui_internal.h"

#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "common/util.h"

#define DISC_PX 256 /* antialiased disc/ring textures, scaled down as needed */

/* On the console (KMSDRM: the Pi, and the QEMU image test) SDL's default desktop-GL renderer
 * presents only the clear colour: on virtio-gpu with Mesa every texture and shape was missing.
 * GLES2 is EGL's native API and what the Pi's V3D/VC4 drivers are built for, so it is the
 * default there; SDL_RENDER_DRIVER in the environment still wins (a default-priority hint). */
static void prefer_gles_on_kms(void)
{
	const char *video = SDL_GetCurrentVideoDriver();

	if (video && SDL_strcasecmp(video, "KMSDRM") == 0)
		SDL_SetHintWithPriority(SDL_HINT_RENDER_DRIVER, "opengles2", SDL_HINT_DEFAULT);
}

static SDL_Texture *make_disc_px(SDL_Renderer *r, float inner, int px)
{
	SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, px, px, 32, SDL_PIXELFORMAT_ARGB8888);
	SDL_Texture *t;
	float c = px / 2.0f, ro = px / 2.0f, ri = ro * inner;

	if (!s)
		return NULL;
	for (int y = 0; y < px; y++) {
		Uint32 *row = (Uint32 *)((Uint8 *)s->pixels + y * s->pitch);
		for (int x = 0; x < px; x++) {
			float dx = x + 0.5f - c, dy = y + 0.5f - c;
			float d = SDL_sqrtf(dx * dx + dy * dy);
			float a = ui_clamp01(ro - d); /* outer edge, 1 px of coverage */
			if (inner > 0)
				a *= ui_clamp01(d - ri);
			row[x] = ((Uint32)(a * 255.0f + 0.5f) << 24) | 0xFFFFFF;
		}
	}
	t = SDL_CreateTextureFromSurface(r, s);
	SDL_FreeSurface(s);
	if (t)
		SDL_SetTextureBlendMode(t, SDL_BLENDMODE_BLEND);
	return t;
}

static SDL_Texture *make_disc(SDL_Renderer *r, float inner)
{
	return make_disc_px(r, inner, DISC_PX);
}

/* A disc drawn at exactly radius rad, so rounded corners are unscaled copies (the software
 * renderer's scaled blended copy is its slowest path). A few radii are ever used. */
static SDL_Texture *corner_disc(ui *u, int rad)
{
	int i;
	for (i = 0; i < UI_CORNER_SLOTS && u->corner[i]; i++)
		if (u->corner_rad[i] == rad)
			return u->corner[i];
	if (i == UI_CORNER_SLOTS)
		return NULL; /* full: fall back to scaling the big disc */
	u->corner[i] = make_disc_px(u->renderer, 0, 2 * rad);
	u->corner_rad[i] = rad;
	return u->corner[i];
}

static int make_target(ui *u)
{
	if (u->target)
		SDL_DestroyTexture(u->target);
	u->target = NULL;
	SDL_GetRendererOutputSize(u->renderer, &u->win_w, &u->win_h);
	if (u->rotate == 90 || u->rotate == 270) {
		u->w = u->win_h;
		u->h = u->win_w;
	} else {
		u->w = u->win_w;
		u->h = u->win_h;
	}
	if (u->rotate == 0)
		return 0;
	u->target = SDL_CreateTexture(u->renderer, SDL_PIXELFORMAT_ARGB8888,
				      SDL_TEXTUREACCESS_TARGET, u->w, u->h);
	if (!u->target) {
		log_error("ui: rotation target %dx%d: %s", u->w, u->h, SDL_GetError());
		return -1;
	}
	return 0;
}

int ui_open(ui **out, const ui_options *opt)
{
	static const char *default_font[UI_FACE_COUNT + 1] = {
		"/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
		"/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
		"/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
	};
	ui *u = xcalloc(1, sizeof *u);
	Uint32 wflags = SDL_WINDOW_SHOWN | SDL_WINDOW_ALLOW_HIGHDPI;
	int w = opt->width > 0 ? opt->width : 1024, h = opt->height > 0 ? opt->height : 600;

	*out = NULL;
	u->rotate = opt->rotate;
	for (int i = 0; i < UI_FACE_COUNT; i++)
		u->font_path[i] = xstrdup(opt->font[i] ? opt->font[i] : default_font[i]);
	u->font_path[UI_FACE_COUNT] = xstrdup(opt->font_fallback ? opt->font_fallback
							     : default_font[UI_FACE_COUNT]);
	u->cache_max = opt->text_cache_max > 0 ? opt->text_cache_max : 384;
	u->cache = xcalloc((size_t)u->cache_max, sizeof *u->cache);
	if (opt->scene_file && *opt->scene_file)
		u->scene_file = xstrdup(opt->scene_file);

	if (TTF_Init() != 0) {
		log_error("ui: TTF_Init: %s", TTF_GetError());
		goto fail;
	}
	for (int i = 0; i < UI_FACE_COUNT; i++) {
		if (!ui_font_get(u, i, 24)) {
			log_error("ui: cannot open font %s: %s", u->font_path[i], TTF_GetError());
			goto fail;
		}
	}
	if (!ui_font_get(u, UI_FACE_COUNT, 24))
		log_warn("ui: no fallback font %s: CJK names will show boxes",
			 u->font_path[UI_FACE_COUNT]);

	if (opt->fullscreen)
		wflags |= SDL_WINDOW_FULLSCREEN_DESKTOP;
	if (opt->rotate == 90 || opt->rotate == 270) {
		int t = w; /* --window gives the logical size; the panel is turned */
		w = h;
		h = t;
	}
	u->window = SDL_CreateWindow(opt->title ? opt->title : "Kith", SDL_WINDOWPOS_CENTERED,
				     SDL_WINDOWPOS_CENTERED, w, h, wflags);
	if (!u->window) {
		log_error("ui: window: %s", SDL_GetError());
		goto fail;
	}
	prefer_gles_on_kms();
	u->renderer = SDL_CreateRenderer(u->window, -1,
					 SDL_RENDERER_ACCELERATED | SDL_RENDERER_PRESENTVSYNC |
						 SDL_RENDERER_TARGETTEXTURE);
	if (!u->renderer)
		u->renderer = SDL_CreateRenderer(u->window, -1, SDL_RENDERER_SOFTWARE);
	if (!u->renderer) {
		log_error("ui: renderer: %s", SDL_GetError());
		goto fail;
	}
	SDL_SetRenderDrawBlendMode(u->renderer, SDL_BLENDMODE_BLEND);
	u->disc = make_disc(u->renderer, 0);
	u->ring = make_disc(u->renderer, 0.94f);
	if (make_target(u) != 0)
		goto fail;
	u->cache_bytes_max = opt->text_cache_bytes;
	if (u->cache_bytes_max == 0) { /* a screen can show about one screen of text */
		u->cache_bytes_max = 4 * (size_t)u->w * (size_t)u->h * 4;
		if (u->cache_bytes_max < ((size_t)4 << 20))
			u->cache_bytes_max = (size_t)4 << 20;
	}
	{
		SDL_RendererInfo info;
		SDL_GetRendererInfo(u->renderer, &info);
		log_info("ui: %s renderer, window %dx%d, logical %dx%d, rotate %d", info.name,
			 u->win_w, u->win_h, u->w, u->h, u->rotate);
	}
	*out = u;
	return 0;
fail:
	ui_close(u);
	return -1;
}

void ui_close(ui *u)
{
	if (!u)
		return;
	ui_text_cache_free(u);
	free(u->cache);
	free(u->itemize);
	ui_font_close(u);
	for (int i = 0; i <= UI_FACE_COUNT; i++)
		free(u->font_path[i]);
	if (u->disc)
		SDL_DestroyTexture(u->disc);
	for (int i = 0; i < UI_CORNER_SLOTS; i++)
		if (u->corner[i])
			SDL_DestroyTexture(u->corner[i]);
	if (u->ring)
		SDL_DestroyTexture(u->ring);
	if (u->target)
		SDL_DestroyTexture(u->target);
	if (u->renderer)
		SDL_DestroyRenderer(u->renderer);
	if (u->window)
		SDL_DestroyWindow(u->window);
	if (TTF_WasInit())
		TTF_Quit();
	free(u->scene_file);
	free(u->scene);
	free(u->scene_prev);
	free(u);
}

int ui_width(const ui *u)
{
	return u->w;
}

int ui_height(const ui *u)
{
	return u->h;
}

int ui_handle_window_event(ui *u, const SDL_Event *ev)
{
	int ow = u->w, oh = u->h;

	if (ev->type != SDL_WINDOWEVENT || ev->window.event != SDL_WINDOWEVENT_SIZE_CHANGED)
		return 0;
	make_target(u);
	return ow != u->w || oh != u->h;
}

void ui_set_dim(ui *u, uint8_t alpha)
{
	u->dim = alpha;
}

void ui_frame_begin(ui *u, const char *screen_name, SDL_Color bg)
{
	u->frame++;
	u->frame_start_ns = time_mono_ns();
	u->clip_depth = 0;
	str_copy_utf8(u->screen_name, sizeof u->screen_name, screen_name);
	SDL_SetRenderTarget(u->renderer, u->target);
	SDL_RenderSetClipRect(u->renderer, NULL);
	SDL_SetRenderDrawColor(u->renderer, bg.r, bg.g, bg.b, 255);
	SDL_RenderClear(u->renderer);
	ui_scene_begin(u);
}

uint64_t ui_frame_end(ui *u)
{
	SDL_RenderSetClipRect(u->renderer, NULL);
	if (u->dim) {
		SDL_Rect all = { 0, 0, u->w, u->h };
		SDL_SetRenderDrawBlendMode(u->renderer, SDL_BLENDMODE_BLEND);
		SDL_SetRenderDrawColor(u->renderer, 0, 0, 0, u->dim);
		SDL_RenderFillRect(u->renderer, &all);
	}
	if (u->target) {
		SDL_Rect dst = { (u->win_w - u->w) / 2, (u->win_h - u->h) / 2, u->w, u->h };
		SDL_SetRenderTarget(u->renderer, NULL);
		SDL_SetRenderDrawColor(u->renderer, 0, 0, 0, 255);
		SDL_RenderClear(u->renderer);
		SDL_RenderCopyEx(u->renderer, u->target, NULL, &dst, u->rotate, NULL, SDL_FLIP_NONE);
	}
	SDL_RenderPresent(u->renderer);
	u->last_present_ns = time_mono_ns();
	ui_scene_end(u);
	return u->last_present_ns - u->frame_start_ns;
}

void ui_frame_discard(ui *u)
{
	/* The warm-up is the time to load fontconfig (5-15 ms here): after the first frame, so
	 * cold start does not pay, and before the first badge, so no tap does. */
	ui_font_warm(u);
	SDL_RenderSetClipRect(u->renderer, NULL);
	u->scene_len = 0;
	if (u->scene)
		u->scene[0] = '\0';
}

uint64_t ui_last_present_ns(const ui *u)
{
	return u->last_present_ns;
}

/* ---- Primitives ------------------------------------------------------------------------------ */

/* Opaque fills skip blending: on the software renderer that is a SIMD fill, not a
 * per-pixel blend. */
static void draw_color(ui *u, SDL_Color c)
{
	SDL_SetRenderDrawBlendMode(u->renderer, c.a == 255 ? SDL_BLENDMODE_NONE : SDL_BLENDMODE_BLEND);
	SDL_SetRenderDrawColor(u->renderer, c.r, c.g, c.b, c.a);
}

void ui_fill(ui *u, SDL_Rect r, SDL_Color c)
{
	draw_color(u, c);
	SDL_RenderFillRect(u->renderer, &r);
}

static void tinted(SDL_Texture *t, SDL_Color c)
{
	SDL_SetTextureColorMod(t, c.r, c.g, c.b);
	SDL_SetTextureAlphaMod(t, c.a);
}

void ui_round_rect(ui *u, SDL_Rect r, int radius, SDL_Color c)
{
	const int half = DISC_PX / 2;
	int rad = radius;

	if (rad * 2 > r.w)
		rad = r.w / 2;
	if (rad * 2 > r.h)
		rad = r.h / 2;
	if (rad <= 1 || !u->disc) {
		ui_fill(u, r, c);
		return;
	}
	{
		SDL_Texture *disc = corner_disc(u, rad);
		int hs = disc ? rad : half;
		SDL_Rect src[4] = { { 0, 0, hs, hs }, { hs, 0, hs, hs },
				    { 0, hs, hs, hs }, { hs, hs, hs, hs } };
		SDL_Rect dst[4] = { { r.x, r.y, rad, rad }, { r.x + r.w - rad, r.y, rad, rad },
				    { r.x, r.y + r.h - rad, rad, rad },
				    { r.x + r.w - rad, r.y + r.h - rad, rad, rad } };
		if (!disc)
			disc = u->disc;
		tinted(disc, c);
		for (int i = 0; i < 4; i++)
			SDL_RenderCopy(u->renderer, disc, &src[i], &dst[i]);
	}
	draw_color(u, c);
	{
		SDL_Rect rects[3] = { { r.x + rad, r.y, r.w - 2 * rad, rad },
				      { r.x, r.y + rad, r.w, r.h - 2 * rad },
				      { r.x + rad, r.y + r.h - rad, r.w - 2 * rad, rad } };
		for (int i = 0; i < 3; i++) /* a zero-height band would still paint a row */
			if (rects[i].w > 0 && rects[i].h > 0)
				SDL_RenderFillRect(u->renderer, &rects[i]);
	}
}

void ui_disc(ui *u, int cx, int cy, int radius, SDL_Color c)
{
	SDL_Rect d = { cx - radius, cy - radius, 2 * radius, 2 * radius };
	if (!u->disc || radius <= 0)
		return;
	tinted(u->disc, c);
	SDL_RenderCopy(u->renderer, u->disc, NULL, &d);
}

void ui_ring(ui *u, int cx, int cy, int radius, SDL_Color c)
{
	SDL_Rect d = { cx - radius, cy - radius, 2 * radius, 2 * radius };
	if (!u->ring || radius <= 0)
		return;
	tinted(u->ring, c);
	SDL_RenderCopy(u->renderer, u->ring, NULL, &d);
}

void ui_clip_push(ui *u, SDL_Rect r)
{
	SDL_Rect c = r;
	if (u->clip_depth > 0)
		SDL_IntersectRect(&u->clip[u->clip_depth - 1], &r, &c);
	if (u->clip_depth < UI_CLIP_DEPTH)
		u->clip[u->clip_depth++] = c;
	SDL_RenderSetClipRect(u->renderer, &c);
}

void ui_clip_pop(ui *u)
{
	if (u->clip_depth > 0)
		u->clip_depth--;
	SDL_RenderSetClipRect(u->renderer, u->clip_depth ? &u->clip[u->clip_depth - 1] : NULL);
}

/* ---- Animation helpers ------------------------------------------------------------------------ */

float ui_clamp01(float t)
{
	return t < 0 ? 0 : t > 1 ? 1 : t;
}

float ui_ease_out(float t)
{
	float k = 1 - ui_clamp01(t);
	return 1 - k * k * k;
}

SDL_Color ui_mix(SDL_Color a, SDL_Color b, float t)
{
	SDL_Color c;
	t = ui_clamp01(t);
	c.r = (Uint8)(a.r + (b.r - a.r) * t);
	c.g = (Uint8)(a.g + (b.g - a.g) * t);
	c.b = (Uint8)(a.b + (b.b - a.b) * t);
	c.a = (Uint8)(a.a + (b.a - a.a) * t);
	return c;
}

SDL_Renderer *ui_renderer(ui *u)
{
	return u->renderer;
}
