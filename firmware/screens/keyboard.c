/* On-screen keyboard: three layers of four rows. Each row is a string of keys separated by
 * spaces; special keys are named in angle brackets. Keys are laid out to a 10-key grid so that
 * every layer has the same key width and the fingers' targets do not jump between layers.
 *
 * Keys keep the touch-target rule (docs/CONTRACT.md "Touch targets": 9.6 mm a side, 2.5 mm
 * apart; m->target_min, m->target_gap). Where ten such keys do not fit across (a 7" panel in
 * portrait is 91 mm wide), the keyboard becomes six rows of six, letters in alphabetical
 * order: a QWERTY row cut in half is harder to find letters on than the alphabet. */
#include "screens/keyboard.h"

#include <string.h>

#define KB_COLS 10
#define KB_ROWS 4
#define KB_NARROW_COLS 6
#define KB_NARROW_ROWS 6

/* Special keys: label shown, and what a tap does. */
#define K_BACK "<back>"
#define K_DIGITS "<123>"
#define K_LETTERS "<abc>"
#define K_ACCENTS "<áé>"
#define K_SPACE "<space>"
#define K_CLEAR "<clear>"

static const char *const layers[3][4] = {
	{ "q w e r t y u i o p", "a s d f g h j k l", "z x c v b n m " K_BACK,
	  K_DIGITS " " K_ACCENTS " " K_SPACE " " K_CLEAR },
	{ "1 2 3 4 5 6 7 8 9 0", "- ' & . , : / ( ) #", "+ @ ! ? \" ; _ " K_BACK,
	  K_LETTERS " " K_ACCENTS " " K_SPACE " " K_CLEAR },
	{ "é è ê ë á à â ä å æ", "ó ò ô ö ø õ ú ù û ü", "í ì î ï ñ ç ß œ " K_BACK,
	  K_LETTERS " " K_DIGITS " " K_SPACE " " K_CLEAR },
};

/* The same layers for a narrow keyboard, KB_NARROW_COLS wide; space is 3 keys, others 1. */
static const char *const narrow_layers[3][KB_NARROW_ROWS] = {
	{ "a b c d e f", "g h i j k l", "m n o p q r", "s t u v w x", "y z - ' . " K_BACK,
	  K_DIGITS " " K_ACCENTS " " K_SPACE " " K_CLEAR },
	{ "1 2 3 4 5 6", "7 8 9 0 - '", "& . , : / (", ") # + @ ! ?", "\" ; _ " K_BACK,
	  K_LETTERS " " K_ACCENTS " " K_SPACE " " K_CLEAR },
	{ "é è ê ë á à", "â ä å æ ó ò", "ô ö ø õ ú ù", "û ü í ì î ï", "ñ ç ß œ " K_BACK,
	  K_LETTERS " " K_DIGITS " " K_SPACE " " K_CLEAR },
};

/* 1 when ten keys of the rule's size do not fit across w. */
static int kb_narrow(const screen_metrics *m, int w)
{
	return KB_COLS * m->target_min + (KB_COLS - 1) * m->target_gap > w;
}

/* Width of a key in grid columns. */
static float key_cols(const char *key, int narrow)
{
	if (strcmp(key, K_SPACE) == 0)
		return narrow ? 3.0f : 4.0f;
	if (narrow)
		return 1.0f;
	return key[0] == '<' && key[1] != '\0' ? 2.0f : 1.0f;
}

static const char *key_label(const char *key)
{
	if (strcmp(key, K_BACK) == 0)
		return "⌫";
	if (strcmp(key, K_DIGITS) == 0)
		return "123";
	if (strcmp(key, K_LETTERS) == 0)
		return "abc";
	if (strcmp(key, K_ACCENTS) == 0)
		return "áéü";
	if (strcmp(key, K_SPACE) == 0)
		return "space";
	if (strcmp(key, K_CLEAR) == 0)
		return "Clear";
	return key;
}

void keyboard_init(keyboard *k)
{
	memset(k, 0, sizeof *k);
}

int keyboard_height(const screen_metrics *m, int w, int h_avail)
{
	int narrow = kb_narrow(m, w), rows = narrow ? KB_NARROW_ROWS : KB_ROWS;
	int key_w = w / (narrow ? KB_NARROW_COLS : KB_COLS);
	int key_h = key_w * 9 / 10;
	if (key_h < (int)(m->touch * 0.7f))
		key_h = (int)(m->touch * 0.7f);
	if (key_h > m->touch)
		key_h = m->touch;
	if (key_h < m->target_min)
		key_h = m->target_min;
	int h = rows * key_h + (rows - 1) * m->target_gap;
	/* Comfortable keys take at most 55% of the height; keys of the rule's minimum size may
	 * take up to 70%, leaving the results a row or two. */
	int rule_h = rows * m->target_min + (rows - 1) * m->target_gap;
	int cap = h_avail * 55 / 100;
	if (cap < rule_h)
		cap = rule_h < h_avail * 70 / 100 ? rule_h : h_avail * 70 / 100;
	return h > cap ? cap : h;
}

/* Splits a row of the layer table into its keys. */
static int split_row(const char *row, char keys[][16], int max)
{
	int n = 0;
	const char *p = row;
	while (*p && n < max) {
		size_t len = strcspn(p, " ");
		if (len > 0 && len < 16) {
			memcpy(keys[n], p, len);
			keys[n][len] = '\0';
			n++;
		}
		p += len;
		while (*p == ' ')
			p++;
	}
	return n;
}

/* The key strings stored in k->key_text must outlive the frame: keep pointers into the
 * constant layer tables by re-finding each key's position there. */
static const char *intern(const char *row, const char *key)
{
	size_t len = strlen(key);
	for (const char *p = row; *p; p++)
		if (strncmp(p, key, len) == 0 && (p[len] == ' ' || p[len] == '\0') &&
		    (p == row || p[-1] == ' '))
			return p;
	return row;
}

void keyboard_draw(keyboard *k, ui *u, const screen_theme *t, const screen_metrics *m, SDL_Rect r)
{
	int narrow = kb_narrow(m, r.w);
	int ncols = narrow ? KB_NARROW_COLS : KB_COLS, nrows = narrow ? KB_NARROW_ROWS : KB_ROWS;
	int gap = m->target_gap;
	int key_h = (r.h - (nrows - 1) * gap) / nrows;
	float col_w = (float)(r.w + gap) / ncols;
	int n = 0;

	if (narrow && col_w - gap > key_h * 3 / 2)
		col_w = (float)(key_h * 3 / 2 + gap); /* square-ish keys, centred */
	ui_fill(u, r, t->background);
	for (int row = 0; row < nrows; row++) {
		char keys[KB_COLS + 2][16];
		const char *src = narrow ? narrow_layers[k->layer][row] : layers[k->layer][row];
		int nk = split_row(src, keys, KB_COLS + 2);
		float cols = 0;
		for (int i = 0; i < nk; i++)
			cols += key_cols(keys[i], narrow);
		float x = r.x + (r.w - cols * col_w + gap) / 2;
		int y = r.y + row * (key_h + gap);
		for (int i = 0; i < nk && n < KEYBOARD_KEYS_MAX; i++, n++) {
			float kw = key_cols(keys[i], narrow) * col_w - gap;
			SDL_Rect kr = { (int)x, y, (int)kw, key_h };
			const char *label = key_label(keys[i]);
			int special = keys[i][0] == '<' && keys[i][1] != '\0';
			SDL_Color fill = special ? ui_mix(t->surface, t->background, 0.45f) : t->surface;
			k->keys[n].rect = kr;
			k->key_text[n] = intern(src, keys[i]);
			if (k->keys[n].pressed && k->keys[n].inside)
				fill = t->pressed;
			screen_control(u, t, m, kr, m->radius / 2, fill);
			int px = special ? m->px_small : m->px_body;
			px = ui_text_fit(u, label, UI_FACE_BOLD, px, m->px_label, kr.w - 4);
			int lh = ui_line_height(u, UI_FACE_BOLD, px);
			ui_text(u, label, UI_FACE_BOLD, px, special ? t->muted : t->text, kr.x + 2,
				kr.y + (kr.h - lh) / 2, kr.w - 4, UI_CENTER);
			ui_scene_note(u, "key", kr, label);
			x += kw + gap;
		}
	}
	k->nkeys = n;
}

enum keyboard_event keyboard_pointer(keyboard *k, const ui_pointer *p, char *text, size_t size)
{
	for (int i = 0; i < k->nkeys; i++) {
		if (!ui_tap_feed(&k->keys[i], p))
			continue;
		char key[16];
		size_t len = strcspn(k->key_text[i], " ");
		if (len >= sizeof key)
			return KEYBOARD_NONE;
		memcpy(key, k->key_text[i], len);
		key[len] = '\0';
		if (strcmp(key, K_BACK) == 0)
			return KEYBOARD_BACKSPACE;
		if (strcmp(key, K_CLEAR) == 0)
			return KEYBOARD_CLEAR;
		if (strcmp(key, K_DIGITS) == 0) {
			k->layer = 1;
			return KEYBOARD_NONE;
		}
		if (strcmp(key, K_LETTERS) == 0) {
			k->layer = 0;
			return KEYBOARD_NONE;
		}
		if (strcmp(key, K_ACCENTS) == 0) {
			k->layer = 2;
			return KEYBOARD_NONE;
		}
		if (strcmp(key, K_SPACE) == 0)
			strcpy(key, " ");
		if (strlen(key) + 1 > size)
			return KEYBOARD_NONE;
		memcpy(text, key, strlen(key) + 1);
		return KEYBOARD_TEXT;
	}
	return KEYBOARD_NONE;
}
