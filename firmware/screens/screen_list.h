/* Every screen, one row each: SCREEN(ID, name). No include guard: screens.h and router.c
 * include it with their own SCREEN() to make, from the same rows,
 *   - enum screen_id's SCREEN_ID,
 *   - the declaration `extern const screen_ops screen_name_ops` (screens.h), which the screen's
 *     own file defines, so the compiler checks every hook against screen_ops,
 *   - the router's table, indexed by screen id (router.c).
 * A new screen is its file and one row here. The order is the enum's.
 */
SCREEN(ATTRACT, attract)   /* between people: "Tap your badge" (attract.c) */
SCREEN(WELCOME, welcome)   /* after a check-in: colleagues and sessions (welcome.c) */
SCREEN(CONSENT, consent)   /* first tap with visibility unset (consent.c) */
SCREEN(UNKNOWN, unknown)   /* badge not in the roster (unknown.c) */
SCREEN(ERROR, error)       /* storage failed (unknown.c) */
SCREEN(SESSIONS, sessions) /* session browser and detail (sessions*.c, session_detail.c) */
SCREEN(ADMIN, admin)       /* operator screen behind a PIN (admin*.c) */
SCREEN(COLLEAGUES, colleagues) /* every colleague of a group; every group (colleagues.c) */
SCREEN(STAFF, staff)       /* staff mode: find, check in, bind a card (staff.c) */
SCREEN(FAULT, fault)       /* start-up stopped: storage full, bad database or config (fault.c) */
