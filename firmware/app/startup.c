/* Start-up: the display, the database, and the fault screen when either of the last two
 * cannot be had. The hold loop is a small copy of main.c's run(): SDL events, the watchdog,
 * a frame when something changed; it draws only the fault screen and starts no thread.
 * Start reading at startup_store_open().
 */
#include "app/startup.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "admin/admin_info.h"
#include "app/watchdog.h"
#include "common/log.h"
#include "common/sign.h"
#include "store/export.h"
#include "sync/conference.h"
#include "common/util.h"

#define RETRY_FIRST_MS 1000
#define RETRY_MAX_MS 4000           /* the back-off's bound: free space is noticed within 4 s */
#define FULL_BELOW (1024 * 1024)    /* less free than this, and a failed open: storage full */

int startup_display_open(kiosk *k, const char *title)
{
	ui_options o;

	SDL_SetHint(SDL_HINT_NO_SIGNAL_HANDLERS, "1");
	SDL_SetHint(SDL_HINT_TOUCH_MOUSE_EVENTS, "0"); /* one tap = one event (ui_input.c) */
	SDL_SetHint(SDL_HINT_MOUSE_TOUCH_EVENTS, "0");
	SDL_SetHint(SDL_HINT_VIDEO_X11_NET_WM_BYPASS_COMPOSITOR, "0");
	/* A software renderer must not present through a hidden GL one (llvmpipe on a GPU-less
	 * machine costs more than the whole frame). */
	if (getenv("SDL_RENDER_DRIVER") && strcmp(getenv("SDL_RENDER_DRIVER"), "software") == 0)
		SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
	if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_EVENTS) != 0) {
		log_error("SDL: %s", SDL_GetError());
		return -1;
	}
	memset(&o, 0, sizeof o);
	o.title = title;
	o.width = k->cfg.width;
	o.height = k->cfg.height;
	o.fullscreen = k->cfg.fullscreen;
	o.rotate = k->cfg.rotate;
	o.font[UI_FACE_REGULAR] = k->cfg.font_regular;
	o.font[UI_FACE_BOLD] = k->cfg.font_bold;
	o.font_fallback = k->cfg.font_fallback;
	o.scene_file = k->cfg.scene_file;
	if (ui_open(&k->ui, &o) != 0)
		return -1;
	SDL_ShowCursor(k->cfg.fullscreen ? SDL_DISABLE : SDL_ENABLE);
	return 0;
}

static void hold_draw(kiosk *k, uint64_t now_ns)
{
	SDL_Rect area = { 0, 0, ui_width(k->ui), ui_height(k->ui) };
	screen_metrics m;

	screen_metrics_compute(&m, area);
	screen_metrics_physical(&m, area.w, area.h, k->cfg.display_diagonal);
	ui_frame_begin(k->ui, screen_name(SCREEN_FAULT), k->theme.background);
	screen_draw(k->ui, &k->screen, &k->theme, &m, now_ns);
	ui_frame_end(k->ui);
}

/* Shows f until retry (NULL: none) returns 0 (the cause is gone: returns 0) or *quit is set
 * (returns 1). Between tries, retry may rewrite f's texts. */
static int hold(kiosk *k, screen_fault *f, int (*retry)(void *ctx, screen_fault *f), void *ctx,
		volatile sig_atomic_t *quit)
{
	struct watchdog wd = { 0 }; /* WatchdogSec= runs while the kiosk waits, too */
	uint64_t backoff_ns = RETRY_FIRST_MS * 1000000ULL;
	uint64_t next_try = time_mono_ns() + backoff_ns;
	int dirty = 1;

	screen_theme_default(&k->theme);
	k->screen.id = SCREEN_FAULT;
	k->screen.fault = f;
	watchdog_ready(); /* started: showing the operator what is wrong is this unit's job now */
	watchdog_status(f->title);
	while (!*quit) {
		SDL_Event ev;
		uint64_t now;

		watchdog_kick(&wd);
		if (SDL_WaitEventTimeout(&ev, 100)) {
			do {
				if (ev.type == SDL_QUIT)
					*quit = 1;
				else if (ev.type == SDL_WINDOWEVENT) {
					ui_handle_window_event(k->ui, &ev);
					dirty = 1; /* exposed or resized */
				}
			} while (SDL_PollEvent(&ev));
		}
		now = time_mono_ns();
		if (retry && now >= next_try) {
			f->tries++;
			if (retry(ctx, f) == 0) {
				k->screen.fault = NULL;
				return 0;
			}
			backoff_ns = backoff_ns * 2 > RETRY_MAX_MS * 1000000ULL ? RETRY_MAX_MS * 1000000ULL
										 : backoff_ns * 2;
			next_try = now + backoff_ns;
			dirty = 1;
		}
		if (dirty) {
			hold_draw(k, now);
			dirty = 0;
		}
	}
	k->screen.fault = NULL;
	return 1;
}

/* ---- The database ------------------------------------------------------------------------ */
typedef struct store_try {
	kiosk *k;
	store **db;
	char title[128];
	char why[512];      /* the last failure, as logged */
	char detail[1024];  /* what the fault screen's small text says */
} store_try;

/* Free bytes on the partition that holds (or would hold) path; -1 when unknown. */
static long long free_bytes_near(const char *path)
{
	char dir[1024];
	char *slash;
	uint64_t avail, total;

	if (admin_free_space(path, &avail, &total) == 0)
		return (long long)avail;
	str_copy_utf8(dir, sizeof dir, path);
	slash = strrchr(dir, '/');
	if (!slash)
		strcpy(dir, ".");
	else
		slash[slash == dir ? 1 : 0] = '\0';
	return admin_free_space(dir, &avail, &total) == 0 ? (long long)avail : -1;
}

/* The kiosk's own key pair, made at first start beside the database (<db>.key, 0600, and
 * <db>.key.pub): it signs every file this kiosk publishes (store/export_sign.c). A key that
 * cannot be made or read is logged; the kiosk still runs, and its files go out unsigned. */
static void kiosk_key_ensure(const char *db_path)
{
	char sk_path[4200], pk_path[4210], err[512], fp[SIGN_FINGERPRINT_MAX];
	uint8_t sk[SIGN_SECRET_BYTES], pk[SIGN_PUBLIC_BYTES];

	snprintf(sk_path, sizeof sk_path, "%s%s", db_path, EXPORT_KIOSK_KEY_SUFFIX);
	snprintf(pk_path, sizeof pk_path, "%s.pub", sk_path);
	if (access(sk_path, F_OK) < 0) {
		if (sign_keypair_write(sk_path, pk_path, pk, err, sizeof err) < 0) {
			log_error("kiosk key: %s", err);
			return;
		}
		sign_fingerprint(pk, fp);
		log_info("kiosk key %s made: %s", fp, sk_path);
		return;
	}
	if (sign_secret_load(sk_path, sk, pk, err, sizeof err) < 0) {
		log_error("kiosk key: %s; files this kiosk publishes cannot be signed", err);
		return;
	}
	memset(sk, 0, sizeof sk);
	sign_fingerprint(pk, fp);
	log_info("kiosk key %s", fp);
}

/* One attempt: 0 with *t->db open and the kiosk row set; -1 with the fault's texts filled. */
static int store_attempt(void *ctx, screen_fault *f)
{
	store_try *t = ctx;
	const kiosk_config *c = &t->k->cfg;
	store *s = NULL;
	char why[512];
	struct stat st;
	long long avail;
	int rc;

	rc = store_open(&s, c->db_path, STORE_OPEN_CREATE);
	if (rc == 0 && (rc = store_kiosk_set(s, c->kiosk_id, c->location)) != 0)
		snprintf(why, sizeof why, "database %s: cannot set kiosk id: %s", c->db_path,
			 store_errmsg(s));
	else if (rc != 0)
		snprintf(why, sizeof why, "cannot open database %s: %s", c->db_path,
			 s ? store_errmsg(s) : "failed");
	if (rc == 0) {
		/* kith.txt's conference_key: learned once; a different one is logged, not taken. */
		if (conference_key_boot(s, c->conference_key) < 0)
			log_error("database %s: cannot store the conference key: %s", c->db_path,
				  store_errmsg(s));
		kiosk_key_ensure(c->db_path);
		*t->db = s;
		if (f->tries > 0)
			log_info("database %s opened after %u tries", c->db_path, f->tries + 1);
		return 0;
	}
	store_close(s);
	avail = free_bytes_near(c->db_path);
	if (stat(c->db_path, &st) == 0 && S_ISDIR(st.st_mode))
		snprintf(why, sizeof why, "cannot open database %s: it is a directory, not a file",
			 c->db_path);
	if (avail >= 0 && avail < FULL_BELOW) {
		char n[32];
		admin_format_bytes((uint64_t)avail, n, sizeof n);
		str_copy_utf8(t->title, sizeof t->title, "Storage full: see the admin guide");
		f->body = "Check-in is paused: no badge is checked in until there is space for the "
			  "database. The kiosk tries again by itself every few seconds.";
		snprintf(t->detail, sizeof t->detail, "Free space on the data partition: %s\n%s", n,
			 why);
	} else {
		str_copy_utf8(t->title, sizeof t->title,
			      "The kiosk cannot open its database: see the admin guide");
		f->body = "Check-in is paused: no badge is checked in until the database opens. The "
			  "kiosk tries again by itself every few seconds.";
		str_copy_utf8(t->detail, sizeof t->detail, why);
	}
	f->title = t->title;
	f->detail = t->detail;
	if (strcmp(why, t->why) != 0) { /* once per new reason, not once per try */
		log_error("%s; check-in paused, trying again (%s)", why, t->title);
		str_copy_utf8(t->why, sizeof t->why, why);
		watchdog_status(t->title);
	}
	return -1;
}

int startup_store_open(kiosk *k, store **db, volatile sig_atomic_t *quit)
{
	store_try *t = xcalloc(1, sizeof *t);
	screen_fault f = { 0 };
	int rc;

	t->k = k;
	t->db = db;
	*db = NULL;
	if (store_attempt(t, &f) == 0) {
		free(t);
		return 0;
	}
	if (!k->ui && startup_display_open(k, "Kith kiosk") != 0)
		die("cannot open the display (see above)");
	rc = hold(k, &f, store_attempt, t, quit);
	free(t);
	return rc;
}

/* ---- A refused config ------------------------------------------------------------------- */
void startup_config_refused(kiosk *k, volatile sig_atomic_t *quit)
{
	screen_fault f = { 0 };
	char *fonts[] = { k->cfg.font_regular, k->cfg.font_bold, k->cfg.font_fallback };

	/* Safe settings: the size, rotation and scene file it read, the built-in fonts. */
	k->cfg.font_regular = k->cfg.font_bold = k->cfg.font_fallback = NULL;
	if (startup_display_open(k, "Kith kiosk") != 0) {
		log_error("cannot open the display to show the config errors (see above)");
	} else {
		f.title = "The kiosk's settings have errors: see the admin guide";
		f.body = "The kiosk does not run until they are corrected. Fix these lines, then "
			 "restart the kiosk:";
		f.detail = k->cfg.errors ? k->cfg.errors : "";
		log_error("settings refused: shown on screen until the kiosk is stopped");
		hold(k, &f, NULL, NULL, quit);
		ui_close(k->ui);
		k->ui = NULL;
	}
	SDL_Quit();
	k->cfg.font_regular = fonts[0];
	k->cfg.font_bold = fonts[1];
	k->cfg.font_fallback = fonts[2];
}
