/* Talking to systemd's service manager without libsystemd: readiness, the watchdog, a status
 * line, and "this stick is done, unmount it". Every call is a no-op (returning 0) when the kiosk
 * is not run by systemd ($NOTIFY_SOCKET unset), so desktop runs and tests need nothing. */
#ifndef KITH_WATCHDOG_H
#define KITH_WATCHDOG_H

/* Call once when the reader thread, the database and the first frame are up: Type=notify
 * units count as started from here on. */
int watchdog_ready(void);

/* Rate limit for watchdog_kick(): one per main loop, zero-initialised with the app state. */
struct watchdog {
	long long last_kick_ms;  /* CLOCK_MONOTONIC of the last WATCHDOG=1 sent, 0 = never */
};

/* Call from the main loop every iteration: systemd restarts the kiosk when the kicks stop for
 * WatchdogSec= (30 s in kith-kiosk.service). Sends at most one datagram a second. */
int watchdog_kick(struct watchdog *wd);

/* One line of free text shown by `systemctl status kith-kiosk`. */
int watchdog_status(const char *text);

/* Call after a stick's sync ends ("safe to remove"): asks the image's kith-usb-eject service to
 * unmount the filesystem mounted at mount_dir, by writing its path into a new file under
 * $KITH_EJECT_DIR (set by kith-kiosk.service). No-op when the variable is unset. */
int watchdog_eject(const char *mount_dir);

#endif
