/* What the session browser says when speech is on (screens/speech_text.h): in the detail, the whole
 * session with the way there in words; in the lists, how to use them. Kept apart from
 * session_detail.c's drawing; reads the same state the detail draws from. */
#include "screens/sessions_int.h"
#include "screens/speech_text.h"

#include <stdio.h>

void sessions_speak(const void *self, int64_t now, ui_utterance *u)
{
	const browse *b = self;
	const store_session *s;
	const venue_room *room;
	char buf[320];

	if (!b)
		return;
	if (!b->detail) {
		ui_utterance_say(u, "Sessions and venue map. Touch a session to hear where and when "
				    "it is.");
		return;
	}
	s = &b->cur;
	ui_utterance_name(u, s->title);
	ui_utterance_say(u, ".");
	browse_format_when(buf, sizeof buf, s, now, 1);
	ui_utterance_say(u, buf);
	ui_utterance_say(u, s->end <= now ? ", ended." : s->start <= now ? ", on now." : ".");
	room = venue_room_at(b->venue, b->room);
	if (s->room[0]) {
		ui_utterance_say(u, "In");
		ui_utterance_name(u, s->room);
		if (room) {
			venue_floor_name(b->venue, room->floor, buf, sizeof buf);
			ui_utterance_say(u, ", on");
			ui_utterance_name(u, buf);
		}
		ui_utterance_say(u, ".");
	} else {
		ui_utterance_say(u, "Room to be announced.");
	}
	if (s->speakers[0]) {
		ui_utterance_say(u, "With");
		ui_utterance_name(u, s->speakers);
		ui_utterance_say(u, ".");
	}
	if (room && venue_route(b->venue, b->here, b->room, buf, sizeof buf) == 0) {
		ui_utterance_say(u, "The way there:");
		ui_utterance_say(u, buf);
		ui_utterance_say(u, ".");
	}
}
