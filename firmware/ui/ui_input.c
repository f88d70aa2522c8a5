/* Input: finger and mouse into one stream of pointer events, taps and kinetic scrolling.
 *
 * On the Pi (KMSDRM) a touch arrives only as SDL_FINGER* with 0..1 coordinates over the panel;
 * on a desktop a touchscreen gives finger events plus synthetic mouse events (which ==
 * SDL_TOUCH_MOUSEID), and a mouse may be turned into synthetic touches. We keep real fingers and
 * real mice and drop both kinds of synthetic duplicate, so one tap is one DOWN and one UP. Only
 * the first finger is followed (a kiosk has no multi-touch gestures). Coordinates are turned into
 * the logical (rotated) space the screens draw in.
 */
#include "ui/ui_internal.h"

#include "common/util.h"

#define SCROLL_SLOP_PX 12      /* movement before a press becomes a drag */
#define SCROLL_FRICTION 4.0f   /* 1/s: velocity decays by e^-4 per second while coasting */
#define SCROLL_SPRING 18.0f    /* 1/s: rubber band pull back */
#define SCROLL_MIN_SPEED 12.0f /* px/s below which coasting stops */

/* Window coordinates -> logical coordinates for the configured rotation (clockwise). */
static void unrotate(const ui *u, int wx, int wy, int *lx, int *ly)
{
	int ox = (u->win_w - (u->rotate % 180 ? u->h : u->w)) / 2;
	int oy = (u->win_h - (u->rotate % 180 ? u->w : u->h)) / 2;
	wx -= ox;
	wy -= oy;
	switch (u->rotate) {
	case 90:
		*lx = wy;
		*ly = u->h - 1 - wx;
		break;
	case 180:
		*lx = u->w - 1 - wx;
		*ly = u->h - 1 - wy;
		break;
	case 270:
		*lx = u->w - 1 - wy;
		*ly = wx;
		break;
	default:
		*lx = wx;
		*ly = wy;
	}
}

static void push(ui *u, enum ui_pointer_kind kind, int wx, int wy)
{
	ui_pointer p;
	if (u->q_len == UI_POINTER_QUEUE) { /* screens stalled: keep the newest */
		u->q_head = (u->q_head + 1) % UI_POINTER_QUEUE;
		u->q_len--;
	}
	p.kind = kind;
	unrotate(u, wx, wy, &p.x, &p.y);
	p.t_ns = time_mono_ns();
	u->queue[(u->q_head + u->q_len) % UI_POINTER_QUEUE] = p;
	u->q_len++;
}

int ui_input_event(ui *u, const SDL_Event *ev)
{
	int ww, wh;

	switch (ev->type) {
	case SDL_MOUSEBUTTONDOWN:
	case SDL_MOUSEBUTTONUP:
		if (ev->button.which == SDL_TOUCH_MOUSEID || ev->button.button != SDL_BUTTON_LEFT)
			return 1;
		/* Mouse coordinates are in window points; the renderer may be in pixels (HiDPI). */
		SDL_GetWindowSize(u->window, &ww, &wh);
		if (ww <= 0 || wh <= 0)
			return 1;
		if (ev->type == SDL_MOUSEBUTTONDOWN && !u->down) {
			u->down = 1;
			push(u, UI_POINTER_DOWN, ev->button.x * u->win_w / ww, ev->button.y * u->win_h / wh);
		} else if (ev->type == SDL_MOUSEBUTTONUP && u->down && !u->finger_down) {
			u->down = 0;
			push(u, UI_POINTER_UP, ev->button.x * u->win_w / ww, ev->button.y * u->win_h / wh);
		}
		return 1;
	case SDL_MOUSEMOTION:
		if (ev->motion.which == SDL_TOUCH_MOUSEID || !u->down || u->finger_down)
			return 1;
		SDL_GetWindowSize(u->window, &ww, &wh);
		if (ww > 0 && wh > 0)
			push(u, UI_POINTER_MOVE, ev->motion.x * u->win_w / ww, ev->motion.y * u->win_h / wh);
		return 1;
	case SDL_FINGERDOWN:
	case SDL_FINGERUP:
	case SDL_FINGERMOTION: {
		/* SDL_MOUSE_TOUCHID marks touches synthesised from the mouse: the mouse path has them. */
		int wx = (int)(ev->tfinger.x * u->win_w), wy = (int)(ev->tfinger.y * u->win_h);
		if (ev->tfinger.touchId == SDL_MOUSE_TOUCHID)
			return 1;
		if (ev->type == SDL_FINGERDOWN) {
			if (u->down)
				return 1;
			u->down = u->finger_down = 1;
			u->finger = ev->tfinger.fingerId;
			push(u, UI_POINTER_DOWN, wx, wy);
		} else if (u->finger_down && ev->tfinger.fingerId == u->finger) {
			if (ev->type == SDL_FINGERUP) {
				u->down = u->finger_down = 0;
				push(u, UI_POINTER_UP, wx, wy);
			} else {
				push(u, UI_POINTER_MOVE, wx, wy);
			}
		}
		return 1;
	}
	default:
		return 0;
	}
}

ui_pointer ui_input_next(ui *u)
{
	ui_pointer p = { UI_POINTER_NONE, 0, 0, 0 };
	if (u->q_len == 0)
		return p;
	p = u->queue[u->q_head];
	u->q_head = (u->q_head + 1) % UI_POINTER_QUEUE;
	u->q_len--;
	return p;
}

int ui_input_down(const ui *u)
{
	return u->down;
}

static int inside(SDL_Rect r, int x, int y)
{
	return x >= r.x && y >= r.y && x < r.x + r.w && y < r.y + r.h;
}

int ui_tap_feed(ui_tap *t, const ui_pointer *p)
{
	switch (p->kind) {
	case UI_POINTER_DOWN:
		t->pressed = t->inside = inside(t->rect, p->x, p->y);
		return 0;
	case UI_POINTER_MOVE:
		if (t->pressed)
			t->inside = inside(t->rect, p->x, p->y);
		return 0;
	case UI_POINTER_UP: {
		int hit = t->pressed && inside(t->rect, p->x, p->y);
		t->pressed = t->inside = 0;
		return hit;
	}
	default:
		return 0;
	}
}

static float max_offset(const ui_scroll *s)
{
	float m = s->content_h - (float)s->view.h;
	return m > 0 ? m : 0;
}

int ui_scroll_feed(ui_scroll *s, const ui_pointer *p)
{
	switch (p->kind) {
	case UI_POINTER_DOWN:
		s->tracking = inside(s->view, p->x, p->y);
		s->dragging = 0;
		if (s->tracking) {
			s->velocity = 0; /* a touch stops a coasting list */
			s->start_y = s->last_y = p->y;
			s->last_ns = p->t_ns;
		}
		return 0;
	case UI_POINTER_MOVE:
		if (!s->tracking)
			return 0;
		if (!s->dragging && abs(p->y - s->start_y) > SCROLL_SLOP_PX)
			s->dragging = 1;
		if (s->dragging) {
			float dy = (float)(p->y - s->last_y), dt = (float)(p->t_ns - s->last_ns) / 1e9f;
			float o = s->offset;
			if (o < 0 || o > max_offset(s))
				dy *= 0.4f; /* resistance past the ends */
			s->offset -= dy;
			if (dt > 0.001f) /* smoothed so one jittery sample does not decide a fling */
				s->velocity = 0.6f * (-dy / dt) + 0.4f * s->velocity;
			s->last_y = p->y;
			s->last_ns = p->t_ns;
		}
		return s->dragging;
	case UI_POINTER_UP: {
		int was = s->dragging;
		if (s->tracking && p->t_ns - s->last_ns > 80000000ULL)
			s->velocity = 0; /* held still before lifting: no fling */
		s->tracking = s->dragging = 0;
		return was;
	}
	default:
		return 0;
	}
}

int ui_scroll_update(ui_scroll *s, float dt)
{
	float maxo = max_offset(s);
	if (s->tracking)
		return s->dragging;
	if (s->offset < 0 || s->offset > maxo) {
		float target = s->offset < 0 ? 0 : maxo;
		s->velocity = 0;
		s->offset += (target - s->offset) * ui_clamp01(dt * SCROLL_SPRING);
		if (SDL_fabsf(s->offset - target) < 0.5f)
			s->offset = target;
		return s->offset != target;
	}
	if (SDL_fabsf(s->velocity) < SCROLL_MIN_SPEED) {
		s->velocity = 0;
		return 0;
	}
	s->offset += s->velocity * dt;
	s->velocity *= SDL_expf(-SCROLL_FRICTION * dt);
	return 1;
}
