/* The admin board's LAN peers list: Syncthing's state and, per peer kiosk, its location, when
 * a file of it last arrived, and whether its folder is in sync or how far behind. Drawn from
 * the copy of lan_status the app lends (no reads here). */
#include "screens/admin_int.h"

#include <stdio.h>

static void ago(char *out, size_t size, int64_t then, int64_t now)
{
	int64_t d = now - then;
	if (then <= 0)
		snprintf(out, size, "never");
	else if (d < 60)
		snprintf(out, size, "%llds ago", (long long)(d < 0 ? 0 : d));
	else if (d < 3600)
		snprintf(out, size, "%lld min ago", (long long)(d / 60));
	else
		snprintf(out, size, "%lld h ago", (long long)(d / 3600));
}

static void peer_state(char *out, size_t size, const lan_peer *p)
{
	if (p->problem[0])
		snprintf(out, size, "%s", p->problem);
	else if (p->reachable == 0)
		snprintf(out, size, "out of reach");
	else if (p->need_files > 0 || p->need_bytes > 0)
		snprintf(out, size, "behind: %lld file(s), %lld KB", (long long)p->need_files,
			 (long long)((p->need_bytes + 1023) / 1024));
	else if (p->need_files == 0)
		snprintf(out, size, "in sync");
	else
		snprintf(out, size, "state unknown");
}

void admin_peers_draw(ui *u, const screen_theme *t, const screen_metrics *m, SDL_Rect r,
		      const lan_status *lan, int64_t now)
{
	int lh = ui_line_height(u, UI_FACE_REGULAR, m->px_small);
	int y = r.y + m->pad / 2, x = r.x + m->pad, w = r.w - 2 * m->pad;
	char line[512], when[32], state[220];

	ui_round_rect(u, r, m->radius, t->surface);
	if (lan->api_ok)
		snprintf(line, sizeof line, "Other kiosks (LAN): %d connected", lan->connected);
	else
		snprintf(line, sizeof line, "Other kiosks (LAN): Syncthing not reachable");
	ui_text(u, line, UI_FACE_BOLD, m->px_small, lan->api_ok ? t->text : t->warn, x, y, w,
		UI_LEFT);
	ui_scene_note(u, "lan-state", (SDL_Rect){ x, y, w, lh }, line);
	y += lh + m->gap / 4;
	if (lan->npeers == 0) {
		ui_text(u, "No peer kiosk folders yet.", UI_FACE_REGULAR, m->px_small, t->muted, x, y,
			w, UI_LEFT);
		return;
	}
	for (int i = 0; i < lan->npeers && y + lh <= r.y + r.h - m->pad / 2; i++) {
		const lan_peer *p = &lan->peers[i];
		ago(when, sizeof when, p->last_seen, now);
		peer_state(state, sizeof state, p);
		snprintf(line, sizeof line, "%s%s%s · %s · %s", p->kiosk_id, p->location[0] ? " · " : "",
			 p->location, when, state);
		ui_text(u, line, UI_FACE_REGULAR, m->px_small,
			p->problem[0] || p->reachable == 0 ? t->warn : t->text, x, y, w, UI_LEFT);
		ui_scene_note(u, "lan-peer", (SDL_Rect){ x, y, w, lh }, line);
		y += lh;
	}
}
