/* The kiosk's UI toolkit: an immediate-mode layer over SDL2 and SDL2_ttf.
 *
 * Screens draw every frame from their own state; the toolkit makes that cheap (text textures are
 * cached, fonts opened once per size) and makes the same code fit any display (layout metrics
 * from the window size, --rotate done here, touch coordinates rotated to match). Input arrives
 * as pointer events (finger or mouse, one per physical tap) that widgets consume while drawing.
 * Every text drawn is recorded with its rectangle in a scene that tests read (ui_scene_*).
 *
 * Only the SDL thread calls these functions.
 */
#ifndef KITH_UI_H
#define KITH_UI_H

#include <stdint.h>

#include <SDL.h>

typedef struct ui ui;

/* ---- Opening the display ------------------------------------------------------------------ */
enum ui_face {
	UI_FACE_REGULAR,
	UI_FACE_BOLD,
	UI_FACE_COUNT,
};

typedef struct ui_options {
	const char *title;       /* window title */
	int width, height;       /* window size; 0 = 1024x600 */
	int fullscreen;          /* 1: desktop fullscreen (KMSDRM: the whole panel) */
	int rotate;              /* 0, 90, 180, 270 (clockwise), for displays mounted sideways */
	const char *font[UI_FACE_COUNT]; /* NULL: DejaVu Sans / DejaVu Sans Bold */
	const char *font_fallback;       /* NULL: Droid Sans Fallback (CJK); after it, any
	                                    installed font that has the character (fontconfig) */
	const char *scene_file;  /* NULL: no scene description; else rewritten when it changes */
	int text_cache_max;      /* textures kept (LRU); 0 = 384 */
	size_t text_cache_bytes; /* their pixels at most; 0 = four screens' worth, at least 4 MiB */
} ui_options;

int ui_open(ui **out, const ui_options *opt); /* 0, or -1 with a log line saying why */
void ui_close(ui *u);

/* ---- Frames -------------------------------------------------------------------------------- */
/* Logical size: what screens lay out in (the window size, swapped for 90/270). */
int ui_width(const ui *u);
int ui_height(const ui *u);
/* Picks up a window resize; returns 1 when the logical size changed (screens relayout). */
int ui_handle_window_event(ui *u, const SDL_Event *ev);

void ui_frame_begin(ui *u, const char *screen_name, SDL_Color background);
/* Presents; returns the SDL_GetPerformanceCounter-based nanoseconds spent since frame_begin. */
uint64_t ui_frame_end(ui *u);
/* Ends a frame without presenting it or recording its scene: a warm-up draw that opens fonts
 * and fills the text cache while nobody is looking. */
void ui_frame_discard(ui *u);
/* Global dim (0 = none, 255 = black) laid over everything at frame end. */
void ui_set_dim(ui *u, uint8_t alpha);

/* ---- Drawing ------------------------------------------------------------------------------- */
void ui_fill(ui *u, SDL_Rect r, SDL_Color c);
void ui_round_rect(ui *u, SDL_Rect r, int radius, SDL_Color c);
void ui_disc(ui *u, int cx, int cy, int radius, SDL_Color c); /* filled, antialiased */
void ui_ring(ui *u, int cx, int cy, int radius, SDL_Color c); /* thin outline */
void ui_clip_push(ui *u, SDL_Rect r); /* nested clips intersect */
void ui_clip_pop(ui *u);
/* The renderer, for drawing the toolkit does not offer (the venue map's SDL_RenderGeometry);
 * draws land in the current frame, rotation and clip included. */
SDL_Renderer *ui_renderer(ui *u);

/* ---- Text ---------------------------------------------------------------------------------- */
enum ui_align {
	UI_LEFT,
	UI_CENTER,
	UI_RIGHT,
};

/* Text is UTF-8. A tab or newline draws as a space, other control characters draw as nothing,
 * each character comes from the first font that has it (the face, the fallback, then any
 * installed font), mixed directions are ordered by the Unicode bidi algorithm, and a character
 * no installed font has is left out and logged once per string: never a box. */
/* Width and height of text in face at px pixels. */
void ui_text_size(ui *u, const char *text, int face, int px, int *w, int *h);
/* Line height of face at px (ascent + descent + gap). */
int ui_line_height(ui *u, int face, int px);
/* Draws one line of text with its top edge at y, aligned in [x, x + max_w). Text wider than
 * max_w is cut at a character boundary and ends with "…". Returns the drawn rectangle. */
SDL_Rect ui_text(ui *u, const char *text, int face, int px, SDL_Color c, int x, int y,
		 int max_w, enum ui_align align);
/* The largest size in [min_px, px] at which text fits max_w (min_px if none). */
int ui_text_fit(ui *u, const char *text, int face, int px, int min_px, int max_w);
/* Word-wraps into at most max_lines lines (the last one ellipsised); returns height used. Lines
 * break at spaces, at newlines in the text, and between any two CJK, kana or Hangul characters. */
int ui_text_wrap(ui *u, const char *text, int face, int px, SDL_Color c, int x, int y, int max_w,
		 int max_lines, enum ui_align align);

/* ---- Input ----------------------------------------------------------------------------------- */
enum ui_pointer_kind {
	UI_POINTER_NONE,
	UI_POINTER_DOWN,
	UI_POINTER_MOVE,
	UI_POINTER_UP,
};

typedef struct ui_pointer {
	enum ui_pointer_kind kind;
	int x, y;        /* logical coordinates (rotation applied) */
	uint64_t t_ns;   /* time_mono_ns() when it was seen */
} ui_pointer;

/* Feeds an SDL event; returns 1 if it was a pointer event (consumed), 0 otherwise. Mouse events
 * synthesised from touches and finger events synthesised from the mouse are dropped, so each
 * physical tap arrives exactly once. */
int ui_input_event(ui *u, const SDL_Event *ev);
/* Takes the next queued pointer event (kind NONE when empty). */
ui_pointer ui_input_next(ui *u);
/* 1 while a finger or button is down. */
int ui_input_down(const ui *u);

/* ---- Widgets (immediate mode) ---------------------------------------------------------------- */
/* A tap recogniser for one rectangle: feed it every pointer event; it reports a tap when a press
 * starts and ends inside, and whether it is pressed now (for the pressed look). */
typedef struct ui_tap {
	SDL_Rect rect;  /* where it is this frame */
	int pressed;    /* a press started inside and is still down */
	int inside;     /* the pressing pointer is inside now */
} ui_tap;
int ui_tap_feed(ui_tap *t, const ui_pointer *p); /* 1 on a completed tap */

/* Kinetic scrolling: drag to move, fling to coast with friction, rubber band at the ends. */
typedef struct ui_scroll {
	SDL_Rect view;    /* viewport in logical coordinates */
	float offset;     /* content scrolled up by this many pixels */
	float velocity;   /* px/s while coasting */
	float content_h;  /* total content height */
	int tracking;     /* a pointer went down inside the view */
	int dragging;     /* moved past the slop: a drag, not a tap */
	int start_y, last_y;
	uint64_t last_ns;
} ui_scroll;
/* Returns 1 when the event was a drag (callers cancel taps under it). */
int ui_scroll_feed(ui_scroll *s, const ui_pointer *p);
/* Advances coasting by dt seconds; returns 1 while it still moves (keep drawing frames). */
int ui_scroll_update(ui_scroll *s, float dt);

/* ---- Animation --------------------------------------------------------------------------- */
float ui_ease_out(float t);              /* 0..1 -> 0..1, cubic */
float ui_clamp01(float t);
SDL_Color ui_mix(SDL_Color a, SDL_Color b, float t);

/* ---- Scene description (for tests) ------------------------------------------------------- */
/* Adds a non-text marker to the scene ("button x y w h label"). */
void ui_scene_note(ui *u, const char *kind, SDL_Rect r, const char *label);

/* ---- Timing ------------------------------------------------------------------------------ */
/* Time (time_mono_ns) of the last ui_frame_end's present. */
uint64_t ui_last_present_ns(const ui *u);

#endif
