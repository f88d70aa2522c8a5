/* The USB sync overlay (see sync_overlay.h). One card, centred: a title that says what is
 * happening, a bar over the whole sync (export is most of the work, then merge, then the
 * conference bundle), a count line, and when it ends the outcome in the sync module's own
 * words with "Safe to remove" on its own line in the "ok" colour, or the problem in "warn".
 */
#include "screens/sync_overlay.h"
#include "common/util.h"

#include <stdio.h>
#include <string.h>

void sync_overlay_update(sync_overlay *o, const usb_sync_progress *p, uint64_t now_ns)
{
	if (p->stage == USB_SYNC_FOUND)
		memset(o, 0, sizeof(*o));
	o->visible = 1;
	o->stage = p->stage;
	o->done = p->done;
	o->total = p->total;
	o->finished = p->finished;
	o->error = p->finished ? p->error : 0;
	str_copy_utf8(o->message, sizeof(o->message), p->message ? p->message : "");
	o->changed_ns = now_ns;
}

int sync_overlay_pointer(sync_overlay *o, const ui_pointer *p)
{
	if (!o->visible)
		return 0;
	if (ui_tap_feed(&o->dismiss, p) && o->finished)
		o->visible = 0;
	return 1; /* modal: the screen underneath does not see taps while the card is up */
}

int sync_overlay_tick(sync_overlay *o, uint64_t now_ns)
{
	if (o->visible && o->finished &&
	    now_ns - o->changed_ns > (o->error ? SYNC_OVERLAY_ERR_NS : SYNC_OVERLAY_OK_NS))
		o->visible = 0;
	return o->visible;
}

/* 0..1 over the whole sync. */
static float overall(const sync_overlay *o)
{
	float f = o->total > 0 ? (float)o->done / (float)o->total : 0.0f;
	switch (o->stage) {
	case USB_SYNC_FOUND: return 0.0f;
	case USB_SYNC_EXPORT: return 0.75f * ui_clamp01(f);
	case USB_SYNC_MERGE: return 0.75f + 0.15f * ui_clamp01(f);
	case USB_SYNC_IMPORT: return 0.9f + 0.1f * ui_clamp01(f);
	default: return 1.0f;
	}
}

void sync_overlay_draw(sync_overlay *o, ui *u, const screen_theme *t, const screen_metrics *m)
{
	static const char safe[] = " Safe to remove.";
	char counts[sizeof(o->message) + 64] = "", body[sizeof(o->message)];
	const char *title;
	int w, h, x, y, lh_title, lh_body;
	SDL_Rect card, bar;
	SDL_Color shade = { 0, 0, 0, 150 };

	if (!o->visible)
		return;
	if (!o->finished)
		title = "USB stick: syncing, please wait";
	else if (o->error == USB_SYNC_OK || o->error == USB_SYNC_EBUNDLE ||
		 o->error == USB_SYNC_EBADFILE)
		title = o->error == USB_SYNC_OK ? "USB stick: done" : "USB stick: done, with a note";
	else
		title = o->error == USB_SYNC_EGONE ? "USB stick removed too early" :
			"USB stick: check-ins not saved";

	lh_title = ui_line_height(u, UI_FACE_BOLD, m->px_title);
	lh_body = ui_line_height(u, UI_FACE_REGULAR, m->px_body);
	w = m->area.w - 2 * m->margin;
	if (w > (int)(680 * m->s))
		w = (int)(680 * m->s);
	h = 2 * m->pad + lh_title + m->gap + (int)(18 * m->s) + m->gap + 4 * lh_body +
	    lh_title;
	if (h > m->area.h - 2 * m->margin)
		h = m->area.h - 2 * m->margin;
	card = (SDL_Rect){ m->area.x + (m->area.w - w) / 2, m->area.y + (m->area.h - h) / 2, w, h };
	o->dismiss.rect = m->area; /* a tap anywhere dismisses a finished card */

	ui_fill(u, m->area, shade);
	ui_round_rect(u, card, m->radius, t->surface);
	x = card.x + m->pad;
	y = card.y + m->pad;
	w = card.w - 2 * m->pad;
	ui_text(u, title, UI_FACE_BOLD, m->px_title, o->finished && o->error != USB_SYNC_OK &&
		o->error != USB_SYNC_EBUNDLE && o->error != USB_SYNC_EBADFILE ? t->warn : t->text,
		x, y, w, UI_LEFT);
	y += lh_title + m->gap;

	bar = (SDL_Rect){ x, y, w, (int)(18 * m->s) };
	ui_round_rect(u, bar, bar.h / 2, t->background);
	bar.w = (int)((float)w * overall(o));
	if (bar.w > 0)
		ui_round_rect(u, bar, bar.h / 2,
			      o->finished && o->error == USB_SYNC_EGONE ? t->warn : t->accent);
	y += (int)(18 * m->s) + m->gap;

	if (!o->finished) {
		if (o->stage == USB_SYNC_EXPORT && o->total > 0)
			snprintf(counts, sizeof(counts), "%s: %d%%", o->message,
				 (int)(100 * o->done / o->total));
		else if (o->stage == USB_SYNC_MERGE && o->total > 0)
			snprintf(counts, sizeof(counts), "%s: file %lld of %lld", o->message,
				 (long long)(o->done < o->total ? o->done + 1 : o->total),
				 (long long)o->total);
		else
			snprintf(counts, sizeof(counts), "%s", o->message);
		ui_text_wrap(u, counts, UI_FACE_REGULAR, m->px_body, t->text, x, y, w, 2, UI_LEFT);
		ui_scene_note(u, "sync-progress", card, counts);
		return;
	}
	/* The outcome, with "Safe to remove." pulled out onto its own, green line. */
	str_copy_utf8(body, sizeof(body), o->message);
	size_t n = strlen(body), sn = strlen(safe);
	int is_safe = n >= sn && strcmp(body + n - sn, safe) == 0;
	if (is_safe)
		body[n - sn] = '\0';
	y += ui_text_wrap(u, body, UI_FACE_REGULAR, m->px_body, t->text, x, y, w, 4, UI_LEFT);
	if (is_safe)
		ui_text(u, "Safe to remove", UI_FACE_BOLD, m->px_title, t->ok, x, y + m->gap / 2, w,
			UI_LEFT);
	ui_text(u, "Tap to close", UI_FACE_REGULAR, m->px_small, t->muted, x,
		card.y + card.h - m->pad - ui_line_height(u, UI_FACE_REGULAR, m->px_small), w,
		UI_RIGHT);
	ui_scene_note(u, "sync-result", card, usb_sync_error_name(o->error));
}
