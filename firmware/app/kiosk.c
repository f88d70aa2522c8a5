/* The kiosk's behaviour on the SDL thread: which screen shows what, and when it goes away.
 *
 * A badge goes from the reader thread straight to the store worker; its answer (KIOSK_EV_TAP)
 * arrives only after the check-in is committed, wakes the screen and picks the next screen:
 * welcome, the consent question (first tap of someone whose visibility is unset), unknown badge
 * or error. Touches go to the current screen's widgets. After idle_timeout without activity the
 * personal data is dropped and the attract screen returns; after dim_timeout on attract the
 * screen dims, and the touch that wakes it does nothing else. Each tap's answer queues its tone
 * first (tap_tone); with speech on (attract's "Read aloud", off again on attract), each new
 * screen's words go to the speech thread after it (speech_follow). Start reading at
 * kiosk_event().
 */
#include "app/kiosk.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/clock.h"
#include "common/log.h"
#include "common/util.h"
#include "screens/staff.h"
#include "screens/speech_text.h"
#include "screens/contrast.h"

#define NS 1000000000ULL
#define UNKNOWN_TIMEOUT_S 10 /* the unknown/error screens hold nothing personal */
#define DIM_ALPHA 175

/* A theme line: "key = #RRGGBB"; unknown keys or bad colours are named and skipped. */
static int theme_pair(void *ctx, const char *key, const char *value, const char *name, int line)
{
	if (screen_theme_set(ctx, key, value) != 0) {
		log_warn("%s:%d: '%s = %s' is not a known colour key with a #RRGGBB value", name, line,
			 key, value);
		return -1;
	}
	return 0;
}

/* The theme is used as it is (an operator may have reasons), but a pair that is hard to read
 * is named with its numbers. */
static void theme_contrast_warn(void *ctx, const screen_pair *p, double ratio, double need)
{
	char fg[96], bg[96];
	screen_shade_name(&p->fg, fg, sizeof fg);
	screen_shade_name(&p->bg, bg, sizeof bg);
	if (p->kind == SCREEN_PAIR_CONTROL)
		log_warn("theme %s: a control of %s (or its outline) on %s has contrast %.2f:1, "
			 "below %.1f:1 (WCAG 1.4.11): %s", (const char *)ctx, fg, bg, ratio, need,
			 p->where);
	else
		log_warn("theme %s: %s text on %s has contrast %.2f:1, below %.1f:1 (WCAG 1.4.3): %s",
			 (const char *)ctx, fg, bg, ratio, need, p->where);
}

static void load_theme(kiosk *k)
{
	size_t len;
	char *text;
	int bad;

	screen_theme_default(&k->theme);
	if (!k->cfg.theme_file)
		return;
	text = config_read_file(k->cfg.theme_file, &len);
	if (!text) {
		log_warn("theme %s: cannot read; using the built-in colours", k->cfg.theme_file);
		return;
	}
	bad = config_parse_pairs(text, len, k->cfg.theme_file, theme_pair, &k->theme);
	free(text);
	if (bad)
		log_warn("theme %s: %d bad line%s skipped", k->cfg.theme_file, bad, bad == 1 ? "" : "s");
	screen_theme_check(&k->theme, theme_contrast_warn, (void *)k->cfg.theme_file);
}

/* Speech on request (docs/CONTRACT.md "Sound and speech"): on with attract's button, off
 * again when the screen returns to attract. The thread starts at the first request. */
static void speech_set(kiosk *k, int on, const char *why)
{
	if (on && !k->speech)
		k->speech = ui_speech_start(k->audio, k->timing);
	if (on && !k->speech) {
		log_warn("speech: no sound device (or volume 0); speech is off");
		on = 0;
	}
	k->screen.speech_on = on;
	if (on) {
		ui_utterance *u = ui_utterance_new();
		screen_speak_intro(u);
		ui_speech_say(k->speech, u, 0);
	} else {
		ui_speech_cancel(k->speech);
	}
	k->spoken_shown_ns = k->screen.shown_ns; /* attract itself is not read again */
	log_info("speech %s (%s)", on ? "on" : "off", why);
	k->dirty = 1;
}

/* Once per screen (and per view of the browser) while speech is on: read what it shows. */
static void speech_follow(kiosk *k)
{
	const char *view = screen_view_name(&k->screen);
	ui_utterance *u;
	size_t chars = 0;
	char voices[64] = "";

	if (!k->screen.speech_on || k->screen.id == SCREEN_ATTRACT ||
	    (k->spoken_shown_ns == k->screen.shown_ns && strcmp(k->spoken_view, view) == 0))
		return;
	k->spoken_shown_ns = k->screen.shown_ns;
	str_copy_utf8(k->spoken_view, sizeof k->spoken_view, view);
	u = ui_utterance_new();
	screen_speak(&k->screen, u);
	for (size_t i = 0; i < ui_utterance_count(u); i++) {
		const char *v = ui_utterance_voice(u, i);
		size_t have = strlen(voices);
		chars += strlen(ui_utterance_text(u, i));
		if (!strstr(voices, v) && have + strlen(v) + 2 < sizeof voices)
			snprintf(voices + have, sizeof voices - have, "%s%s", have ? "," : "", v);
	}
	/* What is read, not the words: names stay out of the journal. */
	log_info("speech: %s, %zu part%s, %zu bytes, voices %s", view, ui_utterance_count(u),
		 ui_utterance_count(u) == 1 ? "" : "s", chars, voices[0] ? voices : "-");
	ui_speech_say(k->speech, u, k->tone_queued);
}

/* The tap's tone, queued the moment its answer reaches this thread (before the first frame). */
static void tap_tone(kiosk *k, const screen_tap *d)
{
	enum ui_tone tone = d->kind == SCREEN_TAP_UNKNOWN ? UI_TONE_UNKNOWN
			    : d->kind != SCREEN_TAP_KNOWN   ? UI_TONE_ERROR
			    : d->tap.first_today && !d->tap.repeat ? UI_TONE_CHECKIN
								    : UI_TONE_AGAIN;
	uint64_t t0 = time_mono_ns(), t1;

	ui_speech_cancel(k->speech); /* the last visitor's words stop here */
	if (ui_audio_tone(k->audio, tone) != 0)
		return;
	k->tone_queued = 1;
	t1 = time_mono_ns();
	if (k->timing && d->detected_ns)
		log_info("timing tap_to_audio_us=%llu tone=%s queue_us=%llu",
			 (unsigned long long)((t1 - d->detected_ns) / 1000), ui_tone_name(tone),
			 (unsigned long long)((t1 - t0) / 1000));
}

static void go_screen(kiosk *k, enum screen_id id, uint64_t now_ns)
{
	enum screen_id old = k->screen.id;
	if (old != id)
		screen_leave(&k->screen, old); /* a screen that read names for a visitor drops them */
	memset(&k->still, 0, sizeof k->still);
	if (old == SCREEN_STAFF && id != SCREEN_STAFF && k->worker) { /* no card is captured */
		staff_job stop = { .kind = STAFF_JOB_CAPTURE_CANCEL };
		worker_submit_staff(k->worker, &stop);
	}
	k->screen.id = id;
	k->screen.shown_ns = now_ns;
	k->screen.entrance_ended = 0;
	k->screen.tap = k->tap;
	memset(&k->screen.done, 0, sizeof k->screen.done);
	memset(&k->screen.yes, 0, sizeof k->screen.yes);
	memset(&k->screen.no, 0, sizeof k->screen.no);
	memset(k->screen.more, 0, sizeof k->screen.more);
	memset(&k->screen.more_groups, 0, sizeof k->screen.more_groups);
	if (id != SCREEN_WELCOME || old != SCREEN_CONSENT)
		memset(&k->screen.sessions, 0, sizeof k->screen.sessions);
	if (id == SCREEN_ATTRACT && old != SCREEN_ATTRACT && k->screen.speech_on)
		speech_set(k, 0, "back to attract"); /* on for one visitor only */
	if (id == SCREEN_ATTRACT) {
		free(k->tap); /* personal data leaves memory with the screen */
		k->tap = NULL;
		k->screen.tap = NULL;
		k->consent_pending = 0;
	}
	k->dirty = 1;
}

/* Staff mode's jobs go to the store worker (screens/staff.h). */
static int staff_job_submit(void *ctx, const staff_job *j)
{
	kiosk *k = ctx;
	return k->worker ? worker_submit_staff(k->worker, j) : -1;
}

static int admin_sync_now(void *ctx)
{
	kiosk *k = ctx;
	return k->sync ? sync_link_request(k->sync) : -1;
}

static void admin_dim(void *ctx, int on)
{
	kiosk *k = ctx;
	if (on) /* as if idle past dim_timeout: attract dims; the next touch wakes it */
		k->last_activity_ns = time_mono_ns() - ((uint64_t)k->cfg.dim_timeout + 1) * NS;
}

/* The session browser and the admin screen read through their own connection, so a query
 * never waits for (or delays) the worker's check-in writes (WAL readers do not block). Without
 * it they are off (screen_available says so). */
static void browse_admin_init(kiosk *k)
{
	screen_env env = { .location = k->cfg.location, .db_path = k->cfg.db_path,
			   .admin_pin = k->cfg.admin_pin, .sync_now = admin_sync_now,
			   .set_dim = admin_dim, .ctx = k, .staff_pin = k->cfg.staff_pin,
			   .staff_job = staff_job_submit };

	if (store_open(&k->browse_db, k->cfg.db_path, STORE_OPEN_READONLY) != 0) {
		log_warn("sessions: cannot open %s for reading: %s; browser and admin are off",
			 k->cfg.db_path, k->browse_db ? store_errmsg(k->browse_db) : "failed");
		store_close(k->browse_db);
		k->browse_db = NULL;
	}
	env.db = k->browse_db;
	screen_open_all(&k->screen, &env);
}

/* Long press on a corner of attract (admin/corner_press.h). Fed before the waking-touch
 * swallow so that an operator can hold a corner of a dimmed screen. */
static void corner_feed(kiosk *k, const ui_pointer *p)
{
	k->corner.w = ui_width(k->ui);
	k->corner.h = ui_height(k->ui);
	if (p->kind == UI_POINTER_DOWN)
		corner_press_down(&k->corner, (float)p->x, (float)p->y, p->t_ns / 1000000);
	else if (p->kind == UI_POINTER_MOVE)
		corner_press_move(&k->corner, (float)p->x, (float)p->y);
	else if (p->kind == UI_POINTER_UP)
		corner_press_up(&k->corner);
}

/* The warning before a browsing screen returns to attract: STILL_THERE_S, or for tests
 * KITH_STILL_THERE_S (1..60, docs/CONTRACT.md "Knobs for tests and soaks"). */
static void still_knob(kiosk *k)
{
	const char *v = getenv("KITH_STILL_THERE_S");
	k->still_s = STILL_THERE_S;
	if (v && atoi(v) >= 1 && atoi(v) <= 60) {
		k->still_s = atoi(v);
		log_info("still-there: the warning lasts %d s (KITH_STILL_THERE_S)", k->still_s);
	}
}

/* Browsing screens (not the personal welcome) warn before they go: "Still there?". */
static int browsing(enum screen_id id)
{
	return id == SCREEN_SESSIONS || id == SCREEN_COLLEAGUES;
}

/* After idle_timeout a browsing screen shows "Still there?" for still_s more seconds; other
 * screens go at once (welcome, consent) or sooner (unknown, error). Returns the limit. */
static uint64_t idle_limit_ns(kiosk *k, uint64_t idle)
{
	uint64_t limit = (uint64_t)k->cfg.idle_timeout * NS;
	int show = 0;

	if (k->screen.id == SCREEN_UNKNOWN || k->screen.id == SCREEN_ERROR)
		limit = (uint64_t)(k->cfg.idle_timeout < UNKNOWN_TIMEOUT_S ? k->cfg.idle_timeout
									   : UNKNOWN_TIMEOUT_S) * NS;
	if (browsing(k->screen.id)) {
		show = idle > limit;
		limit += (uint64_t)k->still_s * NS;
	}
	if (show) {
		int left = (int)((limit - idle + NS - 1) / NS);
		if (!k->still.visible || left != k->still.seconds_left)
			k->dirty = 1;
		k->still.visible = 1;
		k->still.seconds_left = left;
	} else if (k->still.visible) {
		memset(&k->still, 0, sizeof k->still);
		k->dirty = 1;
	}
	return limit;
}

int kiosk_init(kiosk *k)
{
	const char *t0 = getenv("KITH_T0_NS");

	load_theme(k);
	if (events_register(&k->events) != 0)
		return -1;
	k->started_ns = time_mono_ns();
	k->last_activity_ns = k->started_ns;
	k->reader_state = READER_OPENING;
	k->timing = getenv("KITH_TIMING") && strcmp(getenv("KITH_TIMING"), "1") == 0;
	k->bench_scroll = getenv("KITH_BENCH_SCROLL") && strcmp(getenv("KITH_BENCH_SCROLL"), "1") == 0;
	k->t0_realtime_ns = t0 ? atoll(t0) : 0;
	still_knob(k);
	k->screen.conference = k->conference;
	k->screen.location = k->cfg.location;
	k->screen.now = clock_now();
	k->demo_fd = -1;
	go_screen(k, SCREEN_ATTRACT, k->started_ns);
	k->audio = ui_audio_open(k->cfg.volume);
	demo_open(k);
	browse_admin_init(k);
	return 0;
}

static void activity(kiosk *k, uint64_t now_ns)
{
	k->last_activity_ns = now_ns;
	k->dirty = 1;
}

static void on_action(kiosk *k, enum screen_action a, uint64_t now_ns)
{
	switch (a) {
	case SCREEN_ACTION_DONE:
		go_screen(k, SCREEN_ATTRACT, now_ns);
		break;
	case SCREEN_ACTION_SESSIONS:
		if (screen_enter(&k->screen, SCREEN_SESSIONS, NULL, clock_now(), now_ns) == 0) {
			k->browse_from = k->screen.id;
			go_screen(k, SCREEN_SESSIONS, now_ns);
		}
		break;
	case SCREEN_ACTION_SESSION:
		if (k->tap && k->screen.picked_session >= 0 &&
		    k->screen.picked_session < k->tap->nsessions &&
		    screen_enter(&k->screen, SCREEN_SESSIONS,
				 k->tap->sessions[k->screen.picked_session].id, clock_now(),
				 now_ns) == 0) {
			k->browse_from = SCREEN_WELCOME;
			go_screen(k, SCREEN_SESSIONS, now_ns);
		}
		break;
	case SCREEN_ACTION_BACK:
		go_screen(k, k->browse_from, now_ns);
		break;
	case SCREEN_ACTION_COLLEAGUES: /* welcome's "+N more": that group's colleague list */
	case SCREEN_ACTION_GROUPS:     /* "+N more groups": the list of all their groups */
		if (k->tap && k->screen.id == SCREEN_WELCOME &&
		    (a == SCREEN_ACTION_GROUPS ||
		     (k->screen.picked_group >= 0 && k->screen.picked_group < k->tap->ngroups)) &&
		    screen_enter(&k->screen, SCREEN_COLLEAGUES,
				 a == SCREEN_ACTION_GROUPS ? NULL
							   : k->tap->groups[k->screen.picked_group].group,
				 clock_now(), now_ns) == 0) {
			k->browse_from = SCREEN_WELCOME;
			go_screen(k, SCREEN_COLLEAGUES, now_ns);
		}
		break;
	case SCREEN_ACTION_STAFF: /* the staff PIN on admin's pad */
		if (screen_enter(&k->screen, SCREEN_STAFF, NULL, clock_now(), now_ns) == 0)
			go_screen(k, SCREEN_STAFF, now_ns);
		break;
	case SCREEN_ACTION_SPEECH:
		speech_set(k, !k->screen.speech_on, "the Read aloud button");
		break;
	case SCREEN_ACTION_YES:
	case SCREEN_ACTION_NO:
		if (k->tap && k->consent_pending) {
			int visible = a == SCREEN_ACTION_YES ? STORE_VISIBLE_YES : STORE_VISIBLE_NO;
			worker_submit_visible(k->worker, k->tap->attendee.id, visible);
			k->tap->attendee.visible = visible;
			k->consent_pending = 0;
			go_screen(k, SCREEN_WELCOME, now_ns);
		}
		break;
	default:
		break;
	}
}

static void on_pointers(kiosk *k, uint64_t now_ns)
{
	ui_pointer p;
	while ((p = ui_input_next(k->ui)).kind != UI_POINTER_NONE) {
		activity(k, now_ns);
		if (k->screen.id == SCREEN_ATTRACT)
			corner_feed(k, &p);
		if (p.kind == UI_POINTER_DOWN && k->dim > 0.02f)
			k->swallow_until_up = 1; /* waking touch: no action */
		if (k->swallow_until_up) {
			if (p.kind == UI_POINTER_UP)
				k->swallow_until_up = 0;
			continue;
		}
		if (sync_overlay_pointer(&k->sync_overlay, &p)) { /* modal while shown */
			k->dirty = 1;
			continue;
		}
		if (still_there_pointer(&k->still, &p)) { /* the touch answers "Still there?" */
			if (p.kind == UI_POINTER_DOWN)
				k->swallow_until_up = 1; /* and does nothing to the screen under it */
			memset(&k->still, 0, sizeof k->still);
			continue;
		}
		on_action(k, screen_pointer(&k->screen, &p, now_ns), now_ns);
	}
}

static void on_tap(kiosk *k, screen_tap *d, uint64_t now_ns)
{
	free(k->tap);
	k->tap = d;
	k->consent_pending = 0;
	k->taps_shown++;
	activity(k, now_ns);
	k->pending_tap_ns = d->detected_ns ? d->detected_ns : now_ns;
	tap_tone(k, d);
	switch (d->kind) {
	case SCREEN_TAP_KNOWN:
		if (d->attendee.visible == STORE_VISIBLE_UNSET && !d->tap.repeat) {
			k->consent_pending = 1;
			go_screen(k, SCREEN_CONSENT, now_ns);
		} else {
			go_screen(k, SCREEN_WELCOME, now_ns);
		}
		break;
	case SCREEN_TAP_UNKNOWN:
		go_screen(k, SCREEN_UNKNOWN, now_ns);
		break;
	default:
		go_screen(k, SCREEN_ERROR, now_ns);
		break;
	}
	/* go_screen(ATTRACT) would free; others keep k->tap as screen data */
	k->screen.tap = k->tap;
}

/* The LAN thread's latest status, lent to admin's peers list and welcome's cut-off note. */
static void on_lan(kiosk *k)
{
	lan_status *st = xcalloc(1, sizeof *st);
	if (lan_sync_status(k->lan, st) == 0 && memcmp(st, &k->lan_status, sizeof *st) != 0) {
		k->lan_status = *st;
		k->screen.lan = &k->lan_status;
		k->dirty = 1;
	}
	free(st);
}

void kiosk_event(kiosk *k, const SDL_Event *ev)
{
	uint64_t now_ns = time_mono_ns();
	int which;

	if (ui_input_event(k->ui, ev)) {
		on_pointers(k, now_ns);
		return;
	}
	if (ev->type == SDL_WINDOWEVENT) {
		ui_handle_window_event(k->ui, ev);
		k->dirty = 1;
		return;
	}
	if (ev->type == SDL_TEXTINPUT && screen_text(&k->screen, ev->text.text)) {
		activity(k, now_ns); /* a hardware keyboard or input method types into Search */
		return;
	}
	if (ev->type == SDL_KEYDOWN && !ev->key.repeat) {
		if (screen_key(&k->screen, ev->key.keysym.sym)) {
			activity(k, now_ns);
			return;
		}
		demo_key(k, ev->key.keysym.sym, now_ns);
		return;
	}
	if (sync_link_event(k->sync, ev, &k->sync_overlay, now_ns)) {
		activity(k, now_ns);
		k->dim = 0; /* a stick is a real action: show its progress */
		return;
	}
	which = events_which(&k->events, ev);
	switch (which) {
	case KIOSK_EV_READER: {
		char *detail = ev->user.data1;
		enum reader_state st = (enum reader_state)ev->user.code;
		if (st != k->reader_state)
			log_info("reader state=%s%s%s", reader_state_name(st), detail ? " detail=" : "",
				 detail ? detail : "");
		k->reader_state = st;
		str_copy_utf8(k->reader_detail, sizeof k->reader_detail, detail ? detail : "");
		if (st == READER_READY)
			k->reader_seen_ready = 1;
		free(detail);
		k->dirty = 1;
		break;
	}
	case KIOSK_EV_STAFF: /* the worker's answer to staff mode */
		staff_screen_result(k->screen.self[SCREEN_STAFF], ev->user.data1);
		free(ev->user.data1);
		activity(k, now_ns);
		break;
	case KIOSK_EV_TAP:
		k->dim = 0; /* a badge is a real action: wake and act */
		if (k->sync_overlay.finished)
			k->sync_overlay.visible = 0; /* a finished sync card gives way to the welcome */
		on_tap(k, ev->user.data1, now_ns);
		break;
	case KIOSK_EV_LAN: /* peers' check-ins arrived or their state changed */
		on_lan(k);
		if (ev->user.code == 1 && k->screen.id == SCREEN_WELCOME && k->tap != NULL)
			worker_submit_colleagues(k->worker, k->tap->attendee.id);
		break;
	case KIOSK_EV_COLLEAGUES: {
		screen_tap *d = ev->user.data1;
		if (k->screen.id == SCREEN_WELCOME && k->tap != NULL &&
		    strcmp(k->tap->attendee.id, d->attendee.id) == 0) {
			k->tap->ngroups = d->ngroups;
			memcpy(k->tap->groups, d->groups, sizeof d->groups);
			k->dirty = 1;
		}
		free(d);
		break;
	}
	default:
		break;
	}
}

int kiosk_update(kiosk *k, uint64_t now_ns)
{
	static const float dim_speed = 1.5f; /* full dim in ~0.7 s */
	float dt = k->last_frame_ns ? (float)(now_ns - k->last_frame_ns) / 1e9f : 0.016f;
	uint64_t idle = now_ns - k->last_activity_ns;
	int64_t wall = clock_now();
	enum screen_action act;
	int moving;

	if (dt > 0.1f)
		dt = 0.1f;
	demo_update(k, now_ns);
	if (k->screen.id != SCREEN_ATTRACT) {
		uint64_t limit = idle_limit_ns(k, idle);
		if (idle > limit && !ui_input_down(k->ui)) {
			log_info("idle: personal data cleared from the screen");
			go_screen(k, SCREEN_ATTRACT, now_ns);
		}
	}
	{
		float target = k->screen.id == SCREEN_ATTRACT &&
					       idle > (uint64_t)k->cfg.dim_timeout * NS ? 1.0f : 0.0f;
		if (k->dim != target) {
			float step = dim_speed * dt;
			k->dim = target > k->dim ? fminf(target, k->dim + step) : fmaxf(target, k->dim - 4 * step);
			k->dirty = 1;
		}
	}
	if (wall / 60 != k->screen.now / 60)
		k->dirty = 1; /* the clock's minute changed */
	k->screen.now = wall;
	k->screen.reader = reader_state_name(k->reader_state);
	k->screen.reader_error =
		k->reader_state == READER_ABSENT || k->reader_state == READER_FAILED ? k->reader_detail
										  : "";
	if (k->screen.id == SCREEN_ATTRACT && k->screen.speech_on &&
	    idle > (uint64_t)k->cfg.idle_timeout * NS)
		speech_set(k, 0, "nobody came");
	moving = screen_update(&k->screen, dt, now_ns, &act);
	on_action(k, act, now_ns); /* admin's idle timeout */
	speech_follow(k);
	k->tone_queued = 0;
	if (k->sync_overlay.visible && !sync_overlay_tick(&k->sync_overlay, now_ns))
		k->dirty = 1; /* the sync card's time is up */
	if (k->screen.id == SCREEN_ATTRACT && screen_available(&k->screen, SCREEN_ADMIN) &&
	    corner_press_poll(&k->corner, now_ns / 1000000)) {
		screen_enter(&k->screen, SCREEN_ADMIN, NULL, wall, now_ns);
		k->swallow_until_up = ui_input_down(k->ui); /* the lifting finger does nothing */
		k->dim = 0;
		go_screen(k, SCREEN_ADMIN, now_ns);
	}
	if (k->bench_scroll && k->screen.id == SCREEN_WELCOME) {
		/* Benchmark: sweep the list up and down at a brisk finger speed. */
		ui_scroll *s = &k->screen.sessions;
		float range = s->content_h - (float)s->view.h;
		if (range > 0) {
			float ph = fmodf((float)(now_ns % (60 * NS)) / 1e9f / 2.0f, 2.0f);
			s->offset = range * (ph < 1 ? ph : 2 - ph);
		}
		moving = 1;
	}
	k->last_frame_ns = now_ns;
	return moving || k->dirty;
}

/* Once, after the first frame: draw every screen with sample data into a frame that is never
 * presented, so the fonts at this display's sizes are open and the fixed labels rasterised
 * before the first badge: the first tap is as fast as the hundredth. */
static void warm_up(kiosk *k, const screen_metrics *m, uint64_t now_ns)
{
	static const enum screen_id ids[] = { SCREEN_WELCOME, SCREEN_CONSENT, SCREEN_UNKNOWN,
					      SCREEN_ERROR };
	screen_tap *d = xcalloc(1, sizeof *d);
	screen_state st = k->screen;

	str_copy_utf8(d->attendee.name, sizeof d->attendee.name, "Warm Up");
	str_copy_utf8(d->attendee.affiliation, sizeof d->attendee.affiliation, "Kith");
	d->tap.first_today = 1;
	d->ngroups = 1;
	str_copy_utf8(d->groups[0].group, sizeof d->groups[0].group, "Kith");
	d->groups[0].total = d->groups[0].count = 1;
	str_copy_utf8(d->groups[0].colleagues[0].name, STORE_NAME_MAX, "Warm Up \xE7\x94\xB0");
	str_copy_utf8(d->groups[0].colleagues[0].location, STORE_PLACE_MAX, "Kith");
	d->nsessions = 1;
	str_copy_utf8(d->sessions[0].title, STORE_TITLE_MAX, "Warm up");
	str_copy_utf8(d->sessions[0].room, STORE_PLACE_MAX, "Kith");
	d->sessions[0].start = st.now + 600;
	st.tap = d;
	for (size_t i = 0; i < ARRAY_LEN(ids); i++) {
		st.id = ids[i];
		ui_frame_begin(k->ui, "warm-up", k->theme.background);
		screen_draw(k->ui, &st, &k->theme, m, now_ns);
		ui_frame_discard(k->ui);
	}
	free(d);
	k->warmed = 1;
	k->dirty = 1;
}

void kiosk_draw(kiosk *k, uint64_t now_ns)
{
	int w = ui_width(k->ui), h = ui_height(k->ui);
	int legend_w = demo_legend_width(k);
	SDL_Rect area = { 0, 0, w - legend_w, h };
	screen_metrics m;
	int banner = (k->reader_state == READER_ABSENT || k->reader_state == READER_FAILED);
	uint64_t frame_ns;

	screen_metrics_compute(&m, area);
	screen_metrics_physical(&m, w, h, k->cfg.display_diagonal);
	ui_frame_begin(k->ui, screen_view_name(&k->screen), k->theme.background);
	if (banner) {
		SDL_Rect strip = { area.x, area.y, area.w, screen_banner_height(k->ui, &m) };
		screen_banner_draw(k->ui, &k->theme, &m, strip,
				   k->reader_state == READER_ABSENT ? "Badge reader not connected"
								   : "Badge reader is not responding",
				   "Check-in is paused; it resumes by itself when the reader is back. "
				   "Staff: check the reader cable.");
		area.y += strip.h;
		area.h -= strip.h;
		screen_metrics_compute(&m, area);
		screen_metrics_physical(&m, w, h, k->cfg.display_diagonal);
	}
	screen_draw(k->ui, &k->screen, &k->theme, &m, now_ns);
	{
		/* Tests wait for "taps N" to know the frame shows the N-th tap's answer. */
		char n[16];
		snprintf(n, sizeof n, "%u", k->taps_shown);
		ui_scene_note(k->ui, "taps", (SDL_Rect){ 0, 0, 0, 0 }, n);
		if (k->dim > 0.5f)
			ui_scene_note(k->ui, "dimmed", (SDL_Rect){ 0, 0, 0, 0 }, "1");
	}
	still_there_draw(&k->still, k->ui, &k->theme, &m);
	sync_overlay_draw(&k->sync_overlay, k->ui, &k->theme, &m);
	if (legend_w > 0)
		demo_legend_draw(k, (SDL_Rect){ w - legend_w, 0, legend_w, h });
	ui_set_dim(k->ui, (uint8_t)(k->dim * DIM_ALPHA));
	frame_ns = ui_frame_end(k->ui);
	k->dirty = 0;
	if (!k->warmed) {
		uint64_t t0 = time_mono_ns();
		warm_up(k, &m, now_ns);
		if (k->timing)
			log_info("timing warm_up_us=%llu", (unsigned long long)((time_mono_ns() - t0) / 1000));
	}

	if (!k->timing)
		return;
	if (k->pending_tap_ns && k->screen.id != SCREEN_ATTRACT) {
		log_info("timing tap_to_frame_us=%llu screen=%s draw_us=%llu",
			 (unsigned long long)((ui_last_present_ns(k->ui) - k->pending_tap_ns) / 1000),
			 screen_name(k->screen.id), (unsigned long long)(frame_ns / 1000));
		k->pending_tap_ns = 0;
	}
	if (!k->attract_presented && k->screen.id == SCREEN_ATTRACT) {
		struct timespec ts;
		k->attract_presented = 1;
		clock_gettime(CLOCK_REALTIME, &ts);
		if (k->t0_realtime_ns)
			log_info("timing start_to_attract_us=%lld",
				 ((long long)ts.tv_sec * 1000000000LL + ts.tv_nsec - k->t0_realtime_ns) / 1000);
	}
	if (k->bench_scroll && k->screen.id == SCREEN_WELCOME)
		log_info("timing frame_us=%llu", (unsigned long long)(frame_ns / 1000));
}

void kiosk_cleanup(kiosk *k)
{
	ui_speech_stop(k->speech); /* before the device it queues to */
	k->speech = NULL;
	ui_audio_close(k->audio);
	k->audio = NULL;
	demo_close(k);
	screen_close_all(&k->screen);
	store_close(k->browse_db);
	free(k->tap);
	k->tap = NULL;
}
