/* Demo mode (`make run`): keys 1..9 tap demo badges through pn532-sim, so the real libnfc path
 * runs, and a side legend says which key is whom.
 *
 * tools/run-demo.sh writes the legend file (demo_badges: "KEY UID_HEX TEXT|- LABEL") and starts
 * pn532-sim reading a FIFO (demo_sim_fifo). A key writes "present UID [TEXT]" into the FIFO and,
 * a moment later, "remove", as a hand would lift the badge. The FIFO is opened non-blocking and
 * written with short lines, so the SDL thread never waits on it.
 */
#include "app/kiosk.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/log.h"
#include "common/util.h"

#define DEMO_HOLD_NS 900000000ULL /* how long a demo badge rests on the reader */

static void demo_send(kiosk *k, const char *line)
{
	size_t len = strlen(line);
	if (k->demo_fd < 0)
		k->demo_fd = open(k->cfg.demo_sim_fifo, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
	if (k->demo_fd < 0) {
		log_warn("demo: cannot open %s: %s", k->cfg.demo_sim_fifo, strerror(errno));
		return;
	}
	if (write(k->demo_fd, line, len) != (ssize_t)len) {
		log_warn("demo: pn532-sim is not reading %s", k->cfg.demo_sim_fifo);
		close(k->demo_fd);
		k->demo_fd = -1;
	}
}

int demo_open(kiosk *k)
{
	size_t len;
	char *text, *line, *save = NULL;

	if (!k->cfg.demo_badges || !k->cfg.demo_sim_fifo)
		return 0;
	text = config_read_file(k->cfg.demo_badges, &len);
	if (!text) {
		log_warn("demo: cannot read %s", k->cfg.demo_badges);
		return -1;
	}
	for (line = strtok_r(text, "\n", &save); line && k->ndemo < KIOSK_DEMO_BADGES;
	     line = strtok_r(NULL, "\n", &save)) {
		kiosk_demo_badge *b = &k->demo[k->ndemo];
		char key[8], uid[32], ndef[80];
		int off = 0;
		if (sscanf(line, "%7s %31s %79s %n", key, uid, ndef, &off) < 3 || off == 0 ||
		    key[1] != '\0') {
			log_warn("demo: %s: bad line '%s'", k->cfg.demo_badges, line);
			continue;
		}
		b->key = key[0];
		str_copy_utf8(b->uid_hex, sizeof b->uid_hex, uid);
		str_copy_utf8(b->text, sizeof b->text, strcmp(ndef, "-") == 0 ? "" : ndef);
		str_copy_utf8(b->label, sizeof b->label, line + off);
		k->ndemo++;
	}
	free(text);
	log_info("demo: %d badges on keys, pn532-sim via %s", k->ndemo, k->cfg.demo_sim_fifo);
	return 0;
}

void demo_key(kiosk *k, SDL_Keycode key, uint64_t now_ns)
{
	char line[160];
	for (int i = 0; i < k->ndemo; i++) {
		if (k->demo[i].key != (char)key)
			continue;
		if (k->demo_remove_ns)
			demo_send(k, "remove\n"); /* the previous badge leaves first */
		if (k->demo[i].text[0])
			snprintf(line, sizeof line, "present %s %s\n", k->demo[i].uid_hex, k->demo[i].text);
		else
			snprintf(line, sizeof line, "present %s\n", k->demo[i].uid_hex);
		demo_send(k, line);
		k->demo_remove_ns = now_ns + DEMO_HOLD_NS;
		return;
	}
}

void demo_update(kiosk *k, uint64_t now_ns)
{
	if (k->demo_remove_ns && now_ns >= k->demo_remove_ns) {
		demo_send(k, "remove\n");
		k->demo_remove_ns = 0;
	}
}

int demo_legend_width(const kiosk *k)
{
	int w = ui_width(k->ui);
	if (k->ndemo == 0)
		return 0;
	return w / 4 < 300 ? w / 4 : 300;
}

void demo_legend_draw(kiosk *k, SDL_Rect r)
{
	const screen_theme *t = &k->theme;
	SDL_Color panel = t->surface;
	int pad = 14, y = r.y + pad, x = r.x + pad, w = r.w - 2 * pad;
	int px = 15, lh = ui_line_height(k->ui, UI_FACE_REGULAR, px);
	int key_w = lh + 6;

	ui_fill(k->ui, r, panel);
	ui_text(k->ui, "Demo badges", UI_FACE_BOLD, 18, t->accent, x, y, w, UI_LEFT);
	y += ui_line_height(k->ui, UI_FACE_BOLD, 18);
	ui_text(k->ui, "Press a key to tap a badge", UI_FACE_REGULAR, 13, t->muted, x, y, w, UI_LEFT);
	y += ui_line_height(k->ui, UI_FACE_REGULAR, 13) + pad;
	for (int i = 0; i < k->ndemo && y + lh <= r.y + r.h - pad; i++) {
		char key[2] = { k->demo[i].key, 0 };
		SDL_Rect cap = { x, y, key_w - 4, lh };
		ui_round_rect(k->ui, cap, 5, t->background);
		ui_text(k->ui, key, UI_FACE_BOLD, px, t->text, cap.x, y, cap.w, UI_CENTER);
		ui_text(k->ui, k->demo[i].label, UI_FACE_REGULAR, px, t->text, x + key_w + 4, y,
			w - key_w - 4, UI_LEFT);
		y += lh + 8;
	}
}

void demo_close(kiosk *k)
{
	if (k->demo_fd >= 0) {
		if (k->demo_remove_ns)
			demo_send(k, "remove\n");
		close(k->demo_fd);
	}
	k->demo_fd = -1;
}
