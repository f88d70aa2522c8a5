/* Scene description: what a frame shows, as text, for tests (and for curious operators).
 *
 * Every ui_text() call appends its string and rectangle; after the frame is presented, a scene
 * that differs from the last written one replaces the scene file atomically (temp + rename), so
 * a test polling the file always reads a whole frame. Format, one item a line:
 *   screen NAME
 *   size W H
 *   text X Y W H STRING        (rectangle in logical pixels)
 *   clipped X Y W H STRING     (a text partly scrolled out of a list viewport: the visible part)
 *   glyphs X Y W H REPORT      (after a text: "covered" or "missing=U+XXXX", then per run,
 *                               in visual order, FONTFILE:HEX,HEX,... of the code points drawn)
 *   button X Y W H LABEL       (ui_scene_note markers)
 *   unclipped X Y W H          (after a marker partly scrolled out of its viewport: its whole
 *                               rectangle; the marker's own line has the visible part)
 */
#include "ui/ui_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "common/util.h"

static void scene_add(ui *u, const char *line)
{
	size_t len = strlen(line);
	if (u->scene_len + len + 1 > u->scene_cap) {
		size_t cap = u->scene_cap ? u->scene_cap : UI_SCENE_INIT;
		while (u->scene_len + len + 1 > cap)
			cap *= 2;
		u->scene = xreallocarray(u->scene, cap, 1);
		u->scene_cap = cap;
	}
	memcpy(u->scene + u->scene_len, line, len + 1);
	u->scene_len += len;
}

void ui_scene_begin(ui *u)
{
	char line[128];
	if (!u->scene_file)
		return;
	u->scene_len = 0;
	snprintf(line, sizeof line, "screen %s\nsize %d %d\n", u->screen_name, u->w, u->h);
	scene_add(u, line);
}

static void scene_item(ui *u, const char *kind, SDL_Rect r, const char *text)
{
	char line[1200];
	SDL_Rect vis = r;

	if (!u->scene_file)
		return;
	if (u->clip_depth > 0 && !SDL_IntersectRect(&r, &u->clip[u->clip_depth - 1], &vis))
		return; /* scrolled out of its viewport: not on screen */
	if (!SDL_RectEquals(&r, &vis) && strcmp(kind, "text") == 0)
		kind = "clipped"; /* partly scrolled out of a list viewport */
	snprintf(line, sizeof line, "%s %d %d %d %d ", kind, vis.x, vis.y, vis.w, vis.h);
	scene_add(u, line);
	/* One line per item: newlines in data must not forge items. */
	for (const char *p = text; *p; p++) {
		char c[2] = { *p == '\n' || *p == '\r' ? ' ' : *p, 0 };
		scene_add(u, c);
	}
	scene_add(u, "\n");
	if (!SDL_RectEquals(&r, &vis) && strcmp(kind, "clipped") != 0) {
		/* A control partly scrolled out of its list: its whole size, for the targets
		 * checker (tests/e2e/lib/targets.py), which measures controls, not what shows. */
		snprintf(line, sizeof line, "unclipped %d %d %d %d\n", r.x, r.y, r.w, r.h);
		scene_add(u, line);
	}
}

void ui_scene_text(ui *u, SDL_Rect r, const char *text)
{
	scene_item(u, "text", r, text);
}

void ui_scene_glyphs(ui *u, SDL_Rect r, const char *report)
{
	char line[64];

	if (!u->scene_file)
		return;
	if (u->clip_depth > 0 && !SDL_IntersectRect(&r, &u->clip[u->clip_depth - 1], &r))
		return;
	/* Written whole: the report is longer than scene_item's line and has no newlines. */
	snprintf(line, sizeof line, "glyphs %d %d %d %d ", r.x, r.y, r.w, r.h);
	scene_add(u, line);
	scene_add(u, report);
	scene_add(u, "\n");
}

void ui_scene_note(ui *u, const char *kind, SDL_Rect r, const char *label)
{
	scene_item(u, kind, r, label);
}

/* Replaces the scene file with the last presented frame's scene, atomically. */
static int scene_write(ui *u)
{
	char tmp[4096];
	FILE *f;
	const char *text = u->scene_prev ? u->scene_prev : "";

	if (!u->scene_file)
		return 0;
	snprintf(tmp, sizeof tmp, "%s.tmp", u->scene_file);
	f = fopen(tmp, "w");
	if (!f) {
		log_warn("ui: scene file %s: cannot write", tmp);
		return -1;
	}
	fputs(text, f);
	if (fclose(f) != 0 || rename(tmp, u->scene_file) != 0) {
		log_warn("ui: scene file %s: cannot replace", u->scene_file);
		remove(tmp);
		return -1;
	}
	return 0;
}

void ui_scene_end(ui *u)
{
	if (!u->scene_file || !u->scene)
		return;
	if (u->scene_prev && strcmp(u->scene_prev, u->scene) == 0)
		return;
	free(u->scene_prev);
	u->scene_prev = xstrdup(u->scene);
	scene_write(u);
}
