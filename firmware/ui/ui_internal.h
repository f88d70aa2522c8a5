/* Private to firmware/ui: the ui struct shared by the toolkit's files. Screens never include it. */
#ifndef KITH_UI_INTERNAL_H
#define KITH_UI_INTERNAL_H

#include <SDL_ttf.h>

#include "ui/ui.h"

#define UI_FONT_SLOTS 48   /* (face, px) pairs kept open */
#define UI_CLIP_DEPTH 8
#define UI_POINTER_QUEUE 64
#define UI_SCENE_INIT 4096
#define UI_CORNER_SLOTS 16 /* exact-radius discs for rounded corners */

typedef struct ui_font_slot {
	int face;          /* enum ui_face, or UI_FACE_COUNT for the fallback face */
	int px;
	TTF_Font *font;
	uint64_t used;     /* frame number of last use */
} ui_font_slot;

typedef struct ui_text_entry {
	uint64_t hash;      /* FNV-1a over (text, face, px, colour) */
	char *text;
	int face, px;
	SDL_Color color;
	SDL_Texture *tex;
	int w, h;
	uint64_t used;      /* frame number of last use (LRU) */
} ui_text_entry;

struct ui {
	SDL_Window *window;
	SDL_Renderer *renderer;
	SDL_Texture *target;           /* rotation target (NULL when rotate == 0) */
	SDL_Texture *disc, *ring;      /* antialiased shapes, tinted per draw */
	SDL_Texture *corner[UI_CORNER_SLOTS]; /* discs of radius corner_rad[i], unscaled corners */
	int corner_rad[UI_CORNER_SLOTS];
	int rotate;                    /* 0/90/180/270 */
	int win_w, win_h;              /* renderer output size */
	int w, h;                      /* logical size */
	uint8_t dim;                   /* overlay alpha at frame end */
	uint64_t frame;                /* frames begun */
	uint64_t frame_start_ns;
	uint64_t last_present_ns;

	char *font_path[UI_FACE_COUNT + 1]; /* [UI_FACE_COUNT] is the fallback */
	ui_font_slot fonts[UI_FONT_SLOTS];

	ui_text_entry *cache;          /* text textures, LRU-bounded */
	int cache_len, cache_max;
	void *measure;                 /* memoised text widths (ui_text.c) */

	SDL_Rect clip[UI_CLIP_DEPTH];
	int clip_depth;

	ui_pointer queue[UI_POINTER_QUEUE]; /* pointer events waiting for the screens */
	int q_head, q_len;
	int down;                      /* a pointer is down */
	SDL_FingerID finger;           /* the finger we follow (others are ignored) */
	int finger_down;

	char *scene_file;              /* NULL: scene not recorded */
	char screen_name[64];
	char *scene, *scene_prev;      /* this frame's and last written scene text */
	size_t scene_len, scene_cap;
};

TTF_Font *ui_font_get(ui *u, int face, int px); /* face UI_FACE_COUNT = fallback */
void ui_text_cache_free(ui *u);
void ui_scene_begin(ui *u);
void ui_scene_text(ui *u, SDL_Rect r, const char *text);
void ui_scene_end(ui *u);

#endif
