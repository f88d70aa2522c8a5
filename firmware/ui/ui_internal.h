/* Private to firmware/ui: the ui struct shared by the toolkit's files. Screens never include it. */
#ifndef KITH_UI_INTERNAL_H
#define KITH_UI_INTERNAL_H

#include <SDL_ttf.h>
#include <fontconfig/fontconfig.h>

#include "ui/ui.h"

#define UI_FONT_SLOTS 48   /* (font, px) pairs kept open */
#define UI_FOUND_MAX 32    /* fonts fontconfig found for characters the theme lacks */
#define UI_FONT_FOUND (UI_FACE_COUNT + 1) /* font id of found[0] */
#define UI_PICK_SLOTS 256  /* remembered fontconfig answers, by code point */
#define UI_MISSING_LOG 32  /* strings whose missing characters were already logged */
#define UI_CLIP_DEPTH 8
#define UI_POINTER_QUEUE 64
#define UI_SCENE_INIT 4096
#define UI_CORNER_SLOTS 16 /* exact-radius discs for rounded corners */

typedef struct ui_font_slot {
	int face;          /* font id: enum ui_face, UI_FACE_COUNT (theme fallback) or found */
	int px;            /* pixel size; 0 for a bitmap font (its strike index) */
	TTF_Font *font;
	uint64_t used;     /* frame number of last use */
} ui_font_slot;

typedef struct ui_found {
	char *path;            /* font file */
	int index;             /* face in a collection (.ttc) */
	int bold;              /* found for the bold face */
	int bitmap;            /* fixed strikes only (colour emoji): opened once, scaled */
	FcCharSet *charset;    /* what it covers, from fontconfig's cache: asked without opening */
} ui_found;

typedef struct ui_font_pick {
	uint32_t cp;           /* code point asked about */
	int key;               /* 1 + bold * 2 + emoji; 0: slot unused */
	int id;                /* font id fontconfig gave, or -1: no installed font has it */
} ui_font_pick;

typedef struct ui_text_entry {
	uint64_t hash;      /* FNV-1a over (text, face, px, colour) */
	char *text;
	int face, px;
	SDL_Color color;
	SDL_Texture *tex;
	int w, h;
	int lift;           /* drawn this far above y: a found font's ascent is above the theme's */
	size_t bytes;       /* w * h * 4: what it counts against cache_bytes_max */
	char *glyphs;       /* scene report: "covered" or "missing=U+XXXX", then FONT:HEX,... */
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
	FcConfig *fc;                  /* fontconfig, loaded at the first character the theme lacks */
	ui_found found[UI_FOUND_MAX];  /* fonts found by coverage, font id UI_FONT_FOUND + i */
	int found_len;
	ui_font_pick picks[UI_PICK_SLOTS]; /* fontconfig answers, so each code point is asked once */
	uint64_t missing_logged[UI_MISSING_LOG]; /* hashes of strings logged as missing glyphs */
	int missing_next;              /* ring position in missing_logged */

	ui_text_entry *cache;          /* text textures, LRU-bounded by count and by bytes */
	int cache_len, cache_max;
	size_t cache_bytes, cache_bytes_max;
	void *measure;                 /* memoised text widths (ui_text.c) */
	void *itemize;                 /* per-character scratch arrays (ui_runs.c) */

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

/* ui_font.c: font ids (see there), coverage, and fontconfig lookups. */
TTF_Font *ui_font_get(ui *u, int id, int px); /* NULL if it cannot be opened */
const char *ui_font_path(const ui *u, int id);
int ui_font_bitmap(const ui *u, int id);      /* 1: fixed-size strikes, scale when drawing */
int ui_font_ignorable(uint32_t cp);           /* drawn as nothing: no font needs it */
int ui_font_covers(ui *u, int id, int px, uint32_t cp);
/* An installed font with cp for face (colour first when emoji), or -1: none has it. */
int ui_font_find(ui *u, int face, uint32_t cp, int emoji);
/* Loads fontconfig now if it is not loaded yet (it is loaded at first need otherwise). */
int ui_font_warm(ui *u);
void ui_font_close(ui *u);

/* ui_runs.c: a line of text split into runs of one font and one direction, in visual order. */
#define UI_LINE_MAX 1024   /* bytes of a line drawn; longer text is cut */
#define UI_RUNS_MAX 32     /* runs in a line; the last takes the rest */

typedef struct ui_run {
	int start, len;        /* bytes in ui_line.text */
	int font;              /* font id */
	int level;             /* bidi embedding level: odd runs are right-to-left */
	char script[5];        /* ISO 15924 tag for HarfBuzz ("Latn", "Deva", ...) */
} ui_run;

typedef struct ui_line {
	char text[UI_LINE_MAX]; /* the line as drawn: controls made spaces or dropped, and
	                           characters no font has left out */
	ui_run run[UI_RUNS_MAX]; /* visual order, left to right */
	int nrun;
	uint32_t missing;       /* first code point no installed font has (0: none) */
} ui_line;
/* Returns the number of runs (0 when nothing can be drawn). */
int ui_line_itemize(ui *u, const char *text, int face, int px, ui_line *out);
/* Copies text with tabs, newlines and other line breaks as spaces and other control characters
 * left out; returns 1 if anything changed. */
int ui_text_clean(const char *text, char *out, size_t size);

void ui_text_cache_free(ui *u);
void ui_scene_begin(ui *u);
void ui_scene_text(ui *u, SDL_Rect r, const char *text);
void ui_scene_glyphs(ui *u, SDL_Rect r, const char *report);
void ui_scene_end(ui *u);

#endif
