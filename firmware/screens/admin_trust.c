/* The admin screen's signatures view (docs/THREAT-MODEL.md): the conference key this kiosk
 * trusts, the badge policy, badges refused by reason, and the two decisions that need the
 * admin PIN (this view is behind it): trust the key of a bundle that was refused for its
 * signer, and pair a kiosk whose files were kept aside. Reached from the status board.
 *
 * The view reads through the screen's read-only connection with the board's refresh. A
 * decision is one small write: it runs on a short-lived thread with its own connection, so
 * the SDL thread never waits for a sync that holds the write lock; the next refresh shows it.
 */
#include "screens/admin_int.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "common/util.h"
#include "store/export.h"
#include "sync/conference.h"

static const char *const reason_keys[TRUST_REASONS] = {
	"badge_refused_unsigned", "badge_refused_bad-signature", "badge_refused_wrong-conference",
	"badge_refused_uid-mismatch",
};

static void fingerprint_of(store *db, const char *key, char out[SIGN_FINGERPRINT_MAX])
{
	char hex[SIGN_PUBLIC_HEX + 8];
	uint8_t pk[SIGN_PUBLIC_BYTES];
	out[0] = '\0';
	if (store_meta_get(db, key, hex, sizeof hex) == 1 && sign_public_from_hex(hex, pk) == 0)
		sign_fingerprint(pk, out);
}

void admin_trust_refresh(admin_screen *a)
{
	char v[32], key[STORE_ID_MAX + 32];

	fingerprint_of(a->db, TRUST_KEY_META, a->trust_key);
	fingerprint_of(a->db, TRUST_OFFERED_META, a->trust_offered);
	if (store_meta_get(a->db, "badge_policy", a->trust_policy, sizeof a->trust_policy) != 1 ||
	    a->trust_policy[0] == '\0')
		snprintf(a->trust_policy, sizeof a->trust_policy, "%s",
			 a->trust_key[0] ? "signed-or-roster-uid" : "open");
	for (int i = 0; i < TRUST_REASONS; i++)
		a->refused[i] = store_meta_get(a->db, reason_keys[i], v, sizeof v) == 1 ? atoll(v) : 0;
	a->npair = export_pair_offers(a->db, a->pair_ids, TRUST_PAIR_MAX);
	if (a->npair < 0)
		a->npair = 0;
	for (int i = 0; i < a->npair; i++) {
		snprintf(key, sizeof key, "%s%s", EXPORT_OFFER_KIOSK_META, a->pair_ids[i]);
		fingerprint_of(a->db, key, a->pair_fp[i]);
	}
}

typedef struct trust_job {
	char *db_path;
	char kiosk[STORE_ID_MAX]; /* "" : accept the offered conference key; else pair it */
} trust_job;

static void *trust_write(void *arg)
{
	trust_job *j = arg;
	store *s = NULL;
	int rc = store_open(&s, j->db_path, 0);

	if (rc == 0)
		rc = j->kiosk[0] ? export_pair_accept(s, j->kiosk) : conference_key_accept_offered(s);
	if (rc < 0)
		log_error("admin: cannot save the decision: %s", store_errmsg(s));
	else if (j->kiosk[0])
		log_info("admin: kiosk %s paired: its files are merged from now on", j->kiosk);
	store_close(s);
	free(j->db_path);
	free(j);
	return NULL;
}

static void decide(admin_screen *a, const char *kiosk)
{
	trust_job *j = xcalloc(1, sizeof *j);
	pthread_t th;

	j->db_path = xstrdup(a->db_path);
	str_copy_utf8(j->kiosk, sizeof j->kiosk, kiosk);
	if (pthread_create(&th, NULL, trust_write, j) != 0) {
		free(j->db_path);
		free(j);
		snprintf(a->message, sizeof a->message, "Could not save: try again.");
		return;
	}
	pthread_detach(th);
	snprintf(a->message, sizeof a->message, kiosk[0] ? "Kiosk %s paired." :
		 "The new conference key is trusted.", kiosk);
	a->refreshed_ms = 0; /* read it back at the next update */
}

enum admin_action admin_trust_pointer(admin_screen *a, const ui_pointer *p)
{
	if (ui_tap_feed(&a->trust_back, p)) {
		a->view = VIEW_BOARD;
		a->message[0] = '\0';
	}
	if (a->trust_offered[0] && ui_tap_feed(&a->trust_accept, p))
		decide(a, "");
	for (int i = 0; i < a->npair; i++)
		if (ui_tap_feed(&a->pair[i], p))
			decide(a, a->pair_ids[i]);
	return ADMIN_NONE;
}

void admin_trust_draw(admin_screen *a, ui *u, const screen_theme *t, const screen_metrics *m)
{
	SDL_Rect ar = m->area;
	int x = ar.x + m->margin, w = ar.w - 2 * m->margin, bh = m->bar_h;
	int lh = ui_line_height(u, UI_FACE_BOLD, m->px_body);
	int lh_s = ui_line_height(u, UI_FACE_REGULAR, m->px_small);
	screen_bar bar = { &a->trust_back, "‹ Back", "Signatures", m->px_small, 0 };
	char line[200];
	int y = ar.y + m->margin / 2 + screen_top_bar(u, t, m, &bar, 0) + m->gap;

	snprintf(line, sizeof line, "Conference key: %s", a->trust_key[0] ? a->trust_key :
		 "none (open kiosk: unsigned data is taken)");
	ui_text(u, line, UI_FACE_BOLD, m->px_body, t->text, x, y, w, UI_LEFT);
	y += lh;
	snprintf(line, sizeof line, "Badge policy: %s", a->trust_policy);
	ui_text(u, line, UI_FACE_REGULAR, m->px_small, t->muted, x, y, w, UI_LEFT);
	y += lh_s + m->gap / 2;
	snprintf(line, sizeof line, "Badges refused: %lld unsigned, %lld bad signature, "
		 "%lld other conference, %lld copied", (long long)a->refused[0],
		 (long long)a->refused[1], (long long)a->refused[2], (long long)a->refused[3]);
	ui_text_wrap(u, line, UI_FACE_REGULAR, m->px_small, t->text, x, y, w, 2, UI_LEFT);
	y += 2 * lh_s + m->gap;

	if (a->trust_offered[0]) {
		snprintf(line, sizeof line, "Conference data signed by another key (%s) was refused.",
			 a->trust_offered);
		ui_text(u, line, UI_FACE_REGULAR, m->px_small, t->warn, x, y, w, UI_LEFT);
		y += lh_s + m->gap / 2;
		snprintf(line, sizeof line, "Trust key %s", a->trust_offered);
		screen_button(u, t, m, &a->trust_accept, (SDL_Rect){ x, y, w, bh }, line, 0);
		y += bh + m->gap;
	}
	if (a->npair > 0) {
		ui_text(u, "Kiosks whose check-ins were kept aside (compare the key with that kiosk's):",
			UI_FACE_REGULAR, m->px_small, t->muted, x, y, w, UI_LEFT);
		y += lh_s + m->gap / 2;
	}
	for (int i = 0; i < a->npair && y + bh <= ar.y + ar.h; i++) {
		snprintf(line, sizeof line, "Pair %s (key %s)", a->pair_ids[i], a->pair_fp[i]);
		screen_button(u, t, m, &a->pair[i], (SDL_Rect){ x, y, w, bh }, line, 0);
		y += bh + m->gap / 2;
	}
	if (a->message[0]) {
		ui_text(u, a->message, UI_FACE_BOLD, m->px_small, t->warn, x, y, w, UI_LEFT);
		ui_scene_note(u, "admin-message", (SDL_Rect){ x, y, w, lh_s }, a->message);
	}
}
