/* sd_notify(3) in forty lines: systemd passes $NOTIFY_SOCKET, an AF_UNIX datagram socket (a
 * path, or an abstract name starting with '@'), and reads "KEY=VALUE\n" lines from it. The unit
 * is Type=notify with WatchdogSec=, so READY=1 marks it started and WATCHDOG=1 must keep coming
 * from the main loop, or systemd kills and restarts a wedged kiosk. We send directly instead of
 * linking libsystemd: the kiosk also runs on desktops and in tests where there is no systemd.
 * Eject requests go through a directory (see watchdog.h) because the sandboxed, unprivileged
 * kiosk cannot unmount anything itself. */
#define _GNU_SOURCE
#include "app/watchdog.h"

#include <errno.h>
#include <stddef.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "common/util.h"

static int notify_send(const char *msg)
{
	const char *path = getenv("NOTIFY_SOCKET");
	struct sockaddr_un sa;
	size_t len;
	socklen_t salen;
	ssize_t n;
	int fd, rc = 0;

	if (!path || !*path)
		return 0;
	len = strlen(path);
	if ((path[0] != '/' && path[0] != '@') || len >= sizeof(sa.sun_path))
		return -EINVAL;
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	memcpy(sa.sun_path, path, len);
	if (path[0] == '@')
		sa.sun_path[0] = '\0';  /* abstract namespace: no trailing NUL counted */
	salen = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len + (path[0] == '/'));

	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	n = sendto(fd, msg, strlen(msg), MSG_NOSIGNAL, (struct sockaddr *)&sa, salen);
	if (n < 0)
		rc = -errno;
	close(fd);
	return rc;
}

int watchdog_ready(void)
{
	return notify_send("READY=1\nSTATUS=ready\n");
}

int watchdog_kick(struct watchdog *wd)
{
	struct timespec ts;
	long long now;

	if (!getenv("NOTIFY_SOCKET"))
		return 0;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	now = (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
	/* A frame is 16 ms: once a second keeps PID 1 idle and is far inside WatchdogSec=. */
	if (wd->last_kick_ms && now - wd->last_kick_ms < 1000)
		return 0;
	wd->last_kick_ms = now ? now : 1;
	return notify_send("WATCHDOG=1\n");
}

int watchdog_status(const char *text)
{
	char msg[256];

	snprintf(msg, sizeof(msg), "STATUS=%s\n", text ? text : "");
	for (char *p = msg + 7; *p && p[1]; p++)  /* one line: newlines in text become spaces */
		if (*p == '\n')
			*p = ' ';
	return notify_send(msg);
}

int watchdog_eject(const char *mount_dir)
{
	const char *dir = getenv("KITH_EJECT_DIR");
	char tmp[4096], final[4096];
	unsigned long long n = (unsigned long long)time_mono_ns(); /* a unique name, not a time */
	size_t len;
	int fd, rc = 0;

	if (!dir || !*dir || !mount_dir)
		return 0;
	snprintf(tmp, sizeof(tmp), "%s/.%ld.%llu.tmp", dir, (long)getpid(), n);
	snprintf(final, sizeof(final), "%s/%ld.%llu", dir, (long)getpid(), n);
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	len = strlen(mount_dir);
	if (write(fd, mount_dir, len) != (ssize_t)len || write(fd, "\n", 1) != 1)
		rc = -EIO;
	close(fd);
	/* The watcher only looks at names without a leading dot, so it never reads half a path. */
	if (rc == 0 && rename(tmp, final) < 0)
		rc = -errno;
	if (rc < 0)
		unlink(tmp);
	return rc;
}
