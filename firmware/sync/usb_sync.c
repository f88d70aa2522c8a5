/* The USB sync threads: a mount watcher and a worker (see usb_sync.h; the steps of one sync
 * are in sync_run.c).
 *
 * The watcher sleeps in poll() on /proc/self/mountinfo, which the kernel marks POLLPRI|POLLERR
 * whenever the mount table changes, and on a pipe that wakes it for "sync now" and stop. On
 * every wake it re-reads the table and compares the mounts at or below usb_dir with the last
 * set by mount ID: an ID it has not seen is a new stick (queued for the worker); an ID that has
 * gone, if it is the stick being synced, cancels that sync. A re-plugged stick gets a new ID,
 * so it is synced again. The worker takes one queued stick at a time and runs usb_sync_run().
 */
#define _GNU_SOURCE
#include "sync/usb_sync.h"
#include "sync/mountinfo.h"
#include "common/log.h"
#include "common/util.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define QUEUE_MAX 16

typedef struct job {
	int mount_id;                   /* to cancel it if this mount goes away */
	char point[MOUNTINFO_PATH_MAX]; /* where it is mounted */
} job;

struct usb_sync {
	usb_sync_config cfg;      /* strings below are our own copies */
	char *db_path, *usb_dir, *kiosk_id, *location;
	usb_sync_callbacks cb;
	int mountinfo_fd;         /* /proc/self/mountinfo, polled for changes */
	int wake[2];              /* pipe: wakes the watcher (request, stop) */
	pthread_t watcher, worker;
	int started_watcher, started_worker;
	pthread_mutex_t lock;     /* guards everything below */
	pthread_cond_t cond;      /* signals the worker: queue or quit changed */
	job queue[QUEUE_MAX];     /* sticks waiting to be synced, oldest first */
	int queued;
	int current_id;           /* mount ID being synced, -1 when idle */
	atomic_int cancel;        /* set when the current stick goes away or on stop */
	int request;              /* 1: watcher should queue every present stick */
	int quit;                 /* 1: both threads finish */
	mount_entry *known;       /* watcher's last view of the mounts under usb_dir */
	int known_count;
};

/* Caller holds the lock. Queues the mount unless it is already queued or, for a new mount
 * (not a "sync now" request), being synced. */
static void queue_push(usb_sync *u, const mount_entry *m, int requested)
{
	if (m->id == u->current_id && !requested)
		return;
	for (int i = 0; i < u->queued; i++)
		if (u->queue[i].mount_id == m->id)
			return;
	if (u->queued == QUEUE_MAX) {
		log_warn("usb: too many sticks at once; %s ignored", m->point);
		return;
	}
	u->queue[u->queued].mount_id = m->id;
	str_copy_utf8(u->queue[u->queued].point, sizeof(u->queue[0].point), m->point);
	u->queued++;
	pthread_cond_signal(&u->cond);
}

/* Caller holds the lock. Forgets queued jobs for mounts no longer present; cancels the
 * current sync if its mount went. */
static void forget_vanished(usb_sync *u, const mount_entry *now, int count)
{
	int keep = 0;
	for (int i = 0; i < u->queued; i++) {
		int present = 0;
		for (int j = 0; j < count && !present; j++)
			present = now[j].id == u->queue[i].mount_id;
		if (present)
			u->queue[keep++] = u->queue[i];
	}
	u->queued = keep;
	if (u->current_id >= 0) {
		int present = 0;
		for (int j = 0; j < count && !present; j++)
			present = now[j].id == u->current_id;
		if (!present) {
			log_warn("usb: the stick being synced was removed");
			atomic_store(&u->cancel, USB_SYNC_CANCEL_GONE);
		}
	}
}

/* Re-reads the mount table and acts on the differences (or on a pending request). */
static void watcher_scan(usb_sync *u)
{
	char *text = mountinfo_read(u->mountinfo_fd);
	mount_entry *now = NULL;
	int count;

	if (text == NULL) {
		log_error("usb: reading /proc/self/mountinfo: %s", strerror(errno));
		return;
	}
	count = mountinfo_filter(text, u->usb_dir, &now);
	free(text);

	pthread_mutex_lock(&u->lock);
	forget_vanished(u, now, count);
	for (int i = 0; i < count; i++) {
		int seen = 0;
		for (int j = 0; j < u->known_count && !seen; j++) /* only the watcher writes it */
			seen = u->known[j].id == now[i].id;
		if (!seen)
			log_info("usb: stick mounted at %s (%s%s)", now[i].point, now[i].fstype,
				 now[i].readonly ? ", read-only" : "");
		if (!seen || u->request)
			queue_push(u, &now[i], u->request);
	}
	u->request = 0;
	mount_entry *old = u->known;
	u->known = now;
	u->known_count = count;
	pthread_mutex_unlock(&u->lock);
	free(old);
}

static void *watcher_main(void *arg)
{
	usb_sync *u = arg;
	struct pollfd fds[2] = {
		{ .fd = u->mountinfo_fd, .events = POLLPRI | POLLERR },
		{ .fd = u->wake[0], .events = POLLIN },
	};

	watcher_scan(u); /* sticks already there at start */
	for (;;) {
		int n = poll(fds, 2, -1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			log_error("usb: poll: %s", strerror(errno));
			break;
		}
		if (fds[1].revents & POLLIN) {
			char buf[64];
			while (read(u->wake[0], buf, sizeof(buf)) > 0)
				;
		}
		pthread_mutex_lock(&u->lock);
		int quit = u->quit;
		pthread_mutex_unlock(&u->lock);
		if (quit)
			break;
		watcher_scan(u);
	}
	return NULL;
}

static void *worker_main(void *arg)
{
	usb_sync *u = arg;
	for (;;) {
		job j;
		usb_sync_result res;

		pthread_mutex_lock(&u->lock);
		while (!u->quit && u->queued == 0)
			pthread_cond_wait(&u->cond, &u->lock);
		if (u->quit) {
			pthread_mutex_unlock(&u->lock);
			break;
		}
		j = u->queue[0];
		memmove(&u->queue[0], &u->queue[1], (size_t)(u->queued - 1) * sizeof(job));
		u->queued--;
		u->current_id = j.mount_id;
		atomic_store(&u->cancel, 0);
		pthread_mutex_unlock(&u->lock);

		usb_sync_run(&u->cfg, j.point, &u->cancel, &u->cb, &res);

		pthread_mutex_lock(&u->lock);
		u->current_id = -1;
		pthread_mutex_unlock(&u->lock);
	}
	return NULL;
}

static void wake_watcher(usb_sync *u)
{
	char c = 1;
	if (write(u->wake[1], &c, 1) < 0 && errno != EAGAIN)
		log_warn("usb: wake: %s", strerror(errno));
}

int usb_sync_start(usb_sync **out, const usb_sync_config *cfg, const usb_sync_callbacks *cb)
{
	usb_sync *u = xcalloc(1, sizeof(*u));
	size_t n;

	*out = NULL;
	u->mountinfo_fd = -1;
	u->wake[0] = u->wake[1] = -1;
	u->current_id = -1;
	atomic_init(&u->cancel, 0);
	pthread_mutex_init(&u->lock, NULL);
	pthread_cond_init(&u->cond, NULL);
	u->cfg = *cfg;
	u->db_path = xstrdup(cfg->db_path);
	/* "/media/usb/" and "/media/usb" are the same folder for prefix matching */
	u->usb_dir = xstrdup(cfg->usb_dir);
	n = strlen(u->usb_dir);
	while (n > 1 && u->usb_dir[n - 1] == '/')
		u->usb_dir[--n] = '\0';
	u->kiosk_id = cfg->kiosk_id ? xstrdup(cfg->kiosk_id) : NULL;
	u->location = cfg->location ? xstrdup(cfg->location) : NULL;
	u->cfg.db_path = u->db_path;
	u->cfg.usb_dir = u->usb_dir;
	u->cfg.kiosk_id = u->kiosk_id;
	u->cfg.location = u->location;
	if (cb != NULL)
		u->cb = *cb;

	u->mountinfo_fd = open("/proc/self/mountinfo", O_RDONLY | O_CLOEXEC);
	if (u->mountinfo_fd < 0) {
		log_error("usb: /proc/self/mountinfo: %s", strerror(errno));
		goto fail;
	}
	if (pipe2(u->wake, O_CLOEXEC | O_NONBLOCK) < 0) {
		log_error("usb: pipe: %s", strerror(errno));
		goto fail;
	}
	if (pthread_create(&u->worker, NULL, worker_main, u) != 0)
		goto fail;
	u->started_worker = 1;
	if (pthread_create(&u->watcher, NULL, watcher_main, u) != 0)
		goto fail;
	u->started_watcher = 1;
	log_info("usb: watching %s for sticks", u->usb_dir);
	*out = u;
	return 0;
fail:
	usb_sync_stop(u);
	return -1;
}

int usb_sync_request(usb_sync *u)
{
	pthread_mutex_lock(&u->lock);
	u->request = 1;
	int n = u->known_count;
	pthread_mutex_unlock(&u->lock);
	wake_watcher(u);
	return n;
}

void usb_sync_stop(usb_sync *u)
{
	if (u == NULL)
		return;
	pthread_mutex_lock(&u->lock);
	u->quit = 1;
	atomic_store(&u->cancel, USB_SYNC_CANCEL_STOP);
	pthread_cond_broadcast(&u->cond);
	pthread_mutex_unlock(&u->lock);
	if (u->started_watcher) {
		wake_watcher(u);
		pthread_join(u->watcher, NULL);
	}
	if (u->started_worker)
		pthread_join(u->worker, NULL);
	if (u->mountinfo_fd >= 0)
		close(u->mountinfo_fd);
	for (int i = 0; i < 2; i++)
		if (u->wake[i] >= 0)
			close(u->wake[i]);
	pthread_mutex_destroy(&u->lock);
	pthread_cond_destroy(&u->cond);
	free(u->known);
	free(u->db_path);
	free(u->usb_dir);
	free(u->kiosk_id);
	free(u->location);
	free(u);
}
