/* The words each screen says when speech is on. Start at screen_speak.
 *
 * The tap's result comes first, as the screen's header shows it ("Checked in. Welcome, Maria
 * González-Hernández."), then the colleagues here per group, newest first as on screen, then
 * the next sessions. Only what the screen itself shows is read: colleagues come from the
 * tap's data, which already leaves out everyone with visible 0 or unset. Times are read as
 * the screen shows them ("14:05"), which espeak-ng says as a time.
 */
#include "screens/speech_text.h"

#include <stdio.h>


static void say_result(const screen_tap *d, ui_utterance *u)
{
	int first = d->tap.first_today && !d->tap.repeat;

	ui_utterance_say(u, first ? "Checked in. Welcome," : "Welcome back,");
	ui_utterance_name(u, d->attendee.name);
	ui_utterance_say(u, ".");
}

static void say_group(const store_group_colleagues *g, ui_utterance *u)
{
	char buf[96];
	int n = g->count < SPEAK_COLLEAGUES_MAX ? g->count : SPEAK_COLLEAGUES_MAX;

	if (g->total == 0) {
		ui_utterance_say(u, "Nobody from");
		ui_utterance_name(u, g->group);
		ui_utterance_say(u, "is here yet.");
		return;
	}
	snprintf(buf, sizeof buf, "%d %s here from", g->total, g->total == 1 ? "colleague" : "colleagues");
	ui_utterance_say(u, buf);
	ui_utterance_name(u, g->group);
	ui_utterance_say(u, ":");
	for (int i = 0; i < n; i++) {
		const store_colleague *c = &g->colleagues[i];
		char when[16];
		ui_utterance_name(u, c->name);
		if (c->location[0]) {
			ui_utterance_say(u, ", at");
			ui_utterance_name(u, c->location);
		}
		screen_clock(when, sizeof when, c->checked_in_at);
		snprintf(buf, sizeof buf, ", %s%s", when, i + 1 < n ? ";" : ".");
		ui_utterance_say(u, buf);
	}
	if (g->total > n) {
		snprintf(buf, sizeof buf, "And %d more.", g->total - n);
		ui_utterance_say(u, buf);
	}
}

static void say_sessions(const screen_tap *d, ui_utterance *u)
{
	int n = d->nsessions < SPEAK_SESSIONS_MAX ? d->nsessions : SPEAK_SESSIONS_MAX;

	if (n == 0)
		return;
	ui_utterance_say(u, n == 1 ? "Next session:" : "Next sessions:");
	for (int i = 0; i < n; i++) {
		const store_session *s = &d->sessions[i];
		char when[32];
		ui_utterance_name(u, s->title);
		screen_clock(when, sizeof when, s->start);
		ui_utterance_say(u, ", at");
		ui_utterance_say(u, when);
		if (s->room[0]) {
			ui_utterance_say(u, ", in");
			ui_utterance_name(u, s->room);
		}
		ui_utterance_say(u, ".");
	}
}

static void say_welcome(const screen_tap *d, ui_utterance *u)
{
	say_result(d, u);
	for (int i = 0; i < d->ngroups && i < SCREEN_GROUPS_MAX; i++)
		say_group(&d->groups[i], u);
	say_sessions(d, u);
}

void screen_speak_intro(ui_utterance *u)
{
	ui_utterance_say(u, "Speech is on. Tap your badge on the reader to check in. The screen "
			    "will read your welcome, your colleagues here, and the next sessions.");
}

void screen_speak(const screen_state *st, ui_utterance *u)
{
	const screen_tap *d = st->tap;

	switch (st->id) {
	case SCREEN_WELCOME:
		if (d && d->kind == SCREEN_TAP_KNOWN)
			say_welcome(d, u);
		break;
	case SCREEN_CONSENT:
		if (d) {
			say_result(d, u);
			ui_utterance_say(u, "Show me to my colleagues? People in your groups would see "
					    "your name and where and when you checked in today. Two "
					    "buttons: Yes, show me. No, keep me hidden.");
		}
		break;
	case SCREEN_UNKNOWN:
		ui_utterance_say(u, "We don't know this badge yet. Please see the registration desk.");
		break;
	case SCREEN_ERROR:
		ui_utterance_say(u, "Sorry, that did not work. Your check-in was not saved. Please "
				    "tap again, or see the registration desk.");
		break;
	case SCREEN_SESSIONS:
		sessions_speak(st->self[SCREEN_SESSIONS], st->now, u);
		break;
	default:
		break;
	}
}
