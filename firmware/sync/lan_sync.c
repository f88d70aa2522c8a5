/* LAN sync over Syncthing; see lan_sync.h. Start reading at lan_main(). */
#define _GNU_SOURCE
#include "sync/lan_sync.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/clock.h"
#include "common/log.h"
#include "common/util.h"
#include "store/store_peers.h"
#include "sync/exchange.h"
#include "sync/syncthing_api.h"

#define MS 1000000ULL
#define PUBLISH_GAP_NS (1000 * MS)  /* at most one refresh a second while taps keep coming */
#define PUBLISH_RETRY_NS (2000 * MS)
#define MISSING_RETRY_NS (200 * MS) /* Syncthing deletes, then renames in */
#define STATUS_EVERY_NS (2000 * MS)
#define FILES_MAX 32                /* files remembered per peer folder */

/* What was last done with one file of a peer, so that an unchanged file is not read again
 * and a refused one is not refused again in the log at every event. */
typedef struct seen_file {
	char name[EXCHANGE_NAME_MAX];
	int64_t size, mtime_ns;
} seen_file;

typedef struct peer_dir {
	char id[STORE_ID_MAX];
	char prefix[EXCHANGE_NAME_MAX]; /* "checkins-<id>": its files' names start so */
	int wd;
	int pending;                    /* read the folder when due */
	uint64_t due_ns;
	seen_file files[FILES_MAX];
	int nfiles;
} peer_dir;

struct lan_sync {
	pthread_t thread;
	int wake[2];                    /* pipe: poke and stop */
	pthread_mutex_t lock;
	int poked, stopping;            /* guarded by lock */
	lan_status status;              /* guarded by lock */

	/* Only the LAN thread touches the rest once it runs. */
	char *db_path, *lan_dir, *kiosk_id, *api_key_file, *api_addr;
	lan_sync_config cfg;
	syncthing_api api;
	int have_api;
	store *db;
	int ino, lan_wd;
	char own_dir[4096], own_folder[STORE_ID_MAX + 8], tmpdir[4200];
	peer_dir peers[LAN_PEERS_MAX];
	int npeers;
	int publish_wanted, thread_started;
	uint64_t last_publish_ns, publish_due_ns, next_status_ns, last_connected_ns;
	int64_t published, taken;
};

/* ---- Publishing ------------------------------------------------------------------------- */

/* path's contents become text, whole or not at all (temp, fsync, rename). 0 or -1. */
static int write_atomic(const char *path, const char *text, size_t len)
{
	char tmp[4300];
	int fd, ok;

	snprintf(tmp, sizeof(tmp), "%s.tmp-kith", path);
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644)) < 0)
		return -1;
	ok = write(fd, text, len) == (ssize_t)len && fsync(fd) == 0;
	close(fd);
	if (!ok || rename(tmp, path) != 0) {
		unlink(tmp);
		return -1;
	}
	return 0;
}

/* Temp and journal files never travel: export_write's temp files are ".<name>.tmp-XXXXXX". */
static void write_stignore(lan_sync *l)
{
	static const char text[] =
		"// Kith (lan_sync.c): temp and journal files never travel; (?d) lets Syncthing\n"
		"// delete them when they are in its way.\n"
		"(?d).*.tmp-*\n(?d)*.tmp\n(?d)*-journal\n(?d)*-wal\n(?d)*-shm\n";
	char path[4200], cur[512];
	FILE *f;
	size_t n = 0;

	snprintf(path, sizeof(path), "%s/.stignore", l->own_dir);
	if ((f = fopen(path, "r")) != NULL) {
		n = fread(cur, 1, sizeof(cur), f);
		fclose(f);
		if (n == sizeof(text) - 1 && memcmp(cur, text, n) == 0)
			return;
	}
	if (write_atomic(path, text, sizeof(text) - 1) != 0)
		log_error("lan: cannot write %s: %s", path, strerror(errno));
}

/* The first line of Syncthing's answer, printable and short, for a log line. */
static void first_line(const char *body, char *out, size_t outlen)
{
	size_t n = 0;

	for (; body != NULL && *body && *body != '\n' && n + 1 < outlen; body++)
		out[n++] = (unsigned char)*body >= 0x20 && (unsigned char)*body < 0x7f ? *body : '?';
	out[n] = '\0';
}

/* Asks Syncthing to look at one changed file now rather than when its watcher gets to it. A
 * refusal says Syncthing's reason: a folder it has stopped (its ignores unreadable, its marker
 * gone) publishes nothing until someone reads this. */
static void scan_request(lan_sync *l, const char *name)
{
	char path[512], err[200], why[160];
	char *body = NULL;
	int st;

	if (!l->have_api)
		return;
	snprintf(path, sizeof(path), "/rest/db/scan?folder=%s&sub=%s", l->own_folder, name);
	st = syncthing_api_call(&l->api, "POST", path, &body, err, sizeof(err));
	if (st < 0) {
		log_info("lan: scan request for %s: %s", name, err);
	} else if (st != 200) {
		first_line(body, why, sizeof(why));
		log_info("lan: scan request for %s: refused by Syncthing (HTTP %d): %s", name, st,
			 why[0] ? why : "no reason given (is the folder shared?)");
	}
	free(body);
}

static void publish(lan_sync *l, uint64_t now)
{
	exchange_published pub;
	char err[400];
	uint64_t t0 = time_mono_ns();
	int rc = exchange_publish(l->db, l->own_dir, l->kiosk_id, &pub, err, sizeof(err));

	l->last_publish_ns = now;
	if (rc < 0) {
		log_error("lan: publishing to %s failed: %s", l->own_dir, err);
		l->publish_wanted = 1;
		l->publish_due_ns = now + PUBLISH_RETRY_NS;
		return;
	}
	l->publish_wanted = 0;
	l->published++;
	for (int i = 0; i < pub.count && i < 4; i++)
		scan_request(l, pub.names[i]);
	if (pub.count > 0)
		log_info("lan: published %d file(s) in %.1f ms", pub.count,
			 (double)(time_mono_ns() - t0) / 1e6);
}

/* ---- Receiving -------------------------------------------------------------------------- */

static peer_dir *peer_add(lan_sync *l, const char *dirname)
{
	const char *id = dirname + 5; /* "kith-" */
	char path[4200];
	peer_dir *p;

	if (strncmp(dirname, "kith-", 5) != 0 || id[0] == '\0' || strcmp(dirname, l->own_folder) == 0)
		return NULL;
	for (int i = 0; i < l->npeers; i++)
		if (strcmp(l->peers[i].id, id) == 0)
			return &l->peers[i];
	if (l->npeers == LAN_PEERS_MAX || strlen(id) >= STORE_ID_MAX) {
		log_error("lan: %s/%s ignored: too many peers or too long a name", l->lan_dir, dirname);
		return NULL;
	}
	p = &l->peers[l->npeers];
	memset(p, 0, sizeof(*p));
	snprintf(p->id, sizeof(p->id), "%s", id);
	exchange_file_name(id, p->prefix, sizeof(p->prefix));
	p->prefix[strlen(p->prefix) - strlen(".sqlite")] = '\0';
	snprintf(path, sizeof(path), "%s/%s", l->lan_dir, dirname);
	p->wd = inotify_add_watch(l->ino, path, IN_CLOSE_WRITE | IN_MOVED_TO | IN_DELETE |
						IN_ONLYDIR | IN_DONT_FOLLOW);
	if (p->wd < 0) {
		log_error("lan: cannot watch %s: %s", path, strerror(errno));
		return NULL;
	}
	p->pending = 1;
	l->npeers++;
	log_info("lan: peer %s (folder %s)", id, dirname);
	return p;
}

static void peers_scan(lan_sync *l)
{
	DIR *d = opendir(l->lan_dir);
	struct dirent *e;

	if (d == NULL) {
		log_error("lan: cannot read %s: %s", l->lan_dir, strerror(errno));
		return;
	}
	while ((e = readdir(d)) != NULL)
		if (e->d_type == DT_DIR || e->d_type == DT_UNKNOWN)
			peer_add(l, e->d_name);
	closedir(d);
}

static void peer_problem(lan_sync *l, peer_dir *p, const char *name, const char *why)
{
	pthread_mutex_lock(&l->lock);
	for (int i = 0; i < l->status.npeers; i++)
		if (strcmp(l->status.peers[i].kiosk_id, p->id) == 0)
			snprintf(l->status.peers[i].problem, sizeof(l->status.peers[i].problem),
				 "%.60s refused: %.120s", name, why);
	pthread_mutex_unlock(&l->lock);
}

/* 1 if the file changed since it was last handled (and remembers it as handled). */
static int file_changed(peer_dir *p, const char *name, const struct stat *st)
{
	int64_t mt = (int64_t)st->st_mtim.tv_sec * 1000000000 + st->st_mtim.tv_nsec;
	seen_file *f = NULL;

	for (int i = 0; i < p->nfiles; i++)
		if (strcmp(p->files[i].name, name) == 0)
			f = &p->files[i];
	if (f != NULL && f->size == st->st_size && f->mtime_ns == mt)
		return 0;
	if (f == NULL) {
		f = &p->files[p->nfiles < FILES_MAX ? p->nfiles++ : FILES_MAX - 1];
		snprintf(f->name, sizeof(f->name), "%s", name);
	}
	f->size = st->st_size;
	f->mtime_ns = mt;
	return 1;
}

static void forget_file(peer_dir *p, const char *name)
{
	for (int i = 0; i < p->nfiles; i++)
		if (strcmp(p->files[i].name, name) == 0)
			p->files[i].mtime_ns = -1;
}

/* One file of a peer: its own name form, or refused as a stranger's. */
static void take_one(lan_sync *l, peer_dir *p, int dfd, const char *name, uint64_t now,
		     int64_t *added)
{
	size_t plen = strlen(p->prefix), nlen = strlen(name);
	exchange_limits lim = { .max_file_bytes = l->cfg.max_file_bytes };
	exchange_take_result res;
	struct stat st;
	int rc;

	if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0 || !file_changed(p, name, &st))
		return;
	if (nlen < plen + 7 || strncmp(name, p->prefix, plen) != 0 ||
	    strcmp(name + nlen - 7, ".sqlite") != 0) {
		log_error("lan: kith-%s/%s refused: a stranger's file (kiosk %s publishes only "
			  "%s*.sqlite)", p->id, name, p->id, p->prefix);
		peer_problem(l, p, name, "a stranger's file");
		return;
	}
	rc = exchange_take_file(l->db, dfd, name, &lim, l->tmpdir, &res);
	switch (rc) {
	case EXCHANGE_MERGED:
		*added += res.added;
		pthread_mutex_lock(&l->lock);
		for (int i = 0; i < l->status.npeers; i++)
			if (strcmp(l->status.peers[i].kiosk_id, p->id) == 0) {
				l->status.peers[i].last_seen = clock_now();
				l->status.peers[i].problem[0] = '\0';
			}
		pthread_mutex_unlock(&l->lock);
		if (res.added > 0)
			log_info("lan: kith-%s/%s: %lld new check-in(s)", p->id, name,
				 (long long)res.added);
		break;
	case EXCHANGE_MISSING:
		forget_file(p, name);
		p->pending = 1;
		p->due_ns = now + MISSING_RETRY_NS;
		break;
	case EXCHANGE_REFUSED:
		log_error("lan: kith-%s/%s refused: %s", p->id, name, res.why);
		peer_problem(l, p, name, res.why);
		break;
	default: /* our side failed: try again later, the file is still there */
		log_error("lan: kith-%s/%s not taken in: %s", p->id, name, res.why);
		forget_file(p, name);
		p->pending = 1;
		p->due_ns = now + PUBLISH_RETRY_NS;
		break;
	}
}

static int64_t peer_take(lan_sync *l, peer_dir *p, uint64_t now)
{
	char path[4200];
	int64_t added = 0;
	DIR *d;
	struct dirent *e;
	int dfd;

	p->pending = 0;
	snprintf(path, sizeof(path), "%s/kith-%s", l->lan_dir, p->id);
	dfd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dfd < 0 || (d = fdopendir(dup(dfd))) == NULL) {
		log_error("lan: cannot read %s: %s", path, strerror(errno));
		if (dfd >= 0)
			close(dfd);
		return 0;
	}
	while ((e = readdir(d)) != NULL) {
		/* Syncthing's own (.stfolder, .syncthing.*.tmp, ~syncthing~*.tmp) and hidden files */
		if (e->d_name[0] == '.' || e->d_name[0] == '~')
			continue;
		take_one(l, p, dfd, e->d_name, now, &added);
	}
	closedir(d);
	close(dfd);
	return added;
}

static void inotify_read(lan_sync *l, uint64_t now)
{
	char buf[8192] __attribute__((aligned(__alignof__(struct inotify_event))));
	ssize_t n;

	while ((n = read(l->ino, buf, sizeof(buf))) > 0) {
		for (char *q = buf; q < buf + n;) {
			const struct inotify_event *ev = (const struct inotify_event *)q;
			q += sizeof(*ev) + ev->len;
			if (ev->wd == l->lan_wd) {
				if (ev->len > 0 && (ev->mask & IN_ISDIR))
					peer_add(l, ev->name);
				continue;
			}
			if (ev->mask & IN_Q_OVERFLOW) {
				for (int i = 0; i < l->npeers; i++)
					l->peers[i].pending = 1;
				continue;
			}
			for (int i = 0; i < l->npeers; i++)
				if (l->peers[i].wd == ev->wd && !l->peers[i].pending) {
					l->peers[i].pending = 1;
					l->peers[i].due_ns = now;
				}
		}
	}
}

/* ---- Status ----------------------------------------------------------------------------- */

/* How many devices are connected, from /rest/system/connections; -1 when unreachable. */
static int count_connected(lan_sync *l, char *err, size_t errlen)
{
	char *body = NULL;
	const char *c, *end;
	int st = syncthing_api_call(&l->api, "GET", "/rest/system/connections", &body, err, errlen);
	int n = 0;

	if (st != 200 || body == NULL || (c = syncthing_json_find(body, "connections")) == NULL ||
	    *c != '{' || (end = syncthing_json_skip(c)) == NULL) {
		if (st >= 0)
			snprintf(err, errlen, "Syncthing answered %d to /rest/system/connections", st);
		free(body);
		return -1;
	}
	for (const char *p = c; (p = strstr(p, "\"connected\"")) != NULL && p < end; p++)
		if (syncthing_json_int(p, "connected", 0) == 1)
			n++;
	free(body);
	return n;
}

static void folder_state(lan_sync *l, const char *id, lan_peer *out)
{
	char path[256], err[160], *body = NULL;

	snprintf(path, sizeof(path), "/rest/db/status?folder=kith-%s", id);
	if (syncthing_api_call(&l->api, "GET", path, &body, err, sizeof(err)) == 200 && body) {
		out->need_bytes = syncthing_json_int(body, "needBytes", -1);
		out->need_files = syncthing_json_int(body, "needFiles", -1);
	}
	free(body);
}

static void status_poll(lan_sync *l, uint64_t now)
{
	lan_status *s = xcalloc(1, sizeof(*s));
	char err[160] = "";
	int connected = -1, changed;

	if (l->have_api) {
		connected = count_connected(l, err, sizeof(err));
		s->api_ok = connected >= 0;
		if (!s->api_ok)
			snprintf(s->api_error, sizeof(s->api_error), "%.150s", err);
	} else {
		snprintf(s->api_error, sizeof(s->api_error), "no syncthing_api configured");
	}
	if (connected > 0 || !l->have_api)
		l->last_connected_ns = now;
	s->connected = connected > 0 ? connected : 0;
	s->cut_off = now - l->last_connected_ns > (uint64_t)l->cfg.cutoff_s * 1000 * MS;
	s->published = l->published;
	s->taken = l->taken;
	for (int i = 0; i < l->npeers; i++) {
		lan_peer *p = &s->peers[s->npeers++];
		store_peer_info info;
		snprintf(p->kiosk_id, sizeof(p->kiosk_id), "%s", l->peers[i].id);
		p->need_bytes = p->need_files = -1;
		p->reachable = s->api_ok ? connected > 0 : -1;
		if (store_peer_info_get(l->db, p->kiosk_id, &info) == 0) {
			snprintf(p->location, sizeof(p->location), "%s", info.location);
			p->last_seq = info.last_seq;
		}
		if (s->api_ok)
			folder_state(l, p->kiosk_id, p);
	}
	pthread_mutex_lock(&l->lock);
	/* last_seen and problem are kept by the receiving side */
	for (int i = 0; i < s->npeers; i++)
		for (int j = 0; j < l->status.npeers; j++)
			if (strcmp(s->peers[i].kiosk_id, l->status.peers[j].kiosk_id) == 0) {
				s->peers[i].last_seen = l->status.peers[j].last_seen;
				memcpy(s->peers[i].problem, l->status.peers[j].problem,
				       sizeof(s->peers[i].problem));
			}
	changed = s->api_ok != l->status.api_ok || s->cut_off != l->status.cut_off ||
		  s->connected != l->status.connected || s->npeers != l->status.npeers;
	if (changed)
		log_info("lan: syncthing %s, %d device(s) connected%s", s->api_ok ? "up" : "down",
			 s->connected, s->cut_off ? ", cut off from every peer" : "");
	l->status = *s;
	pthread_mutex_unlock(&l->lock);
	free(s);
	if (l->cfg.notify)
		l->cfg.notify(l->cfg.notify_ctx, 0);
}

/* ---- The thread ------------------------------------------------------------------------- */

static void remove_tmpdir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	if (d != NULL) {
		while ((e = readdir(d)) != NULL)
			if (e->d_name[0] != '.')
				unlinkat(dirfd(d), e->d_name, 0);
		closedir(d);
	}
	rmdir(dir);
}

/* The folder private copies of peer files go to: beside the database, which only the kiosk
 * writes (on the appliance lan_dir is root's, the folders in it Syncthing's and ours). */
static void data_dir_of(const char *db_path, char *out, size_t outsize)
{
	const char *slash = strrchr(db_path, '/');
	if (slash == NULL)
		snprintf(out, outsize, ".");
	else if (slash == db_path)
		snprintf(out, outsize, "/");
	else
		snprintf(out, outsize, "%.*s", (int)(slash - db_path), db_path);
}

/* Temp folders a killed kiosk left behind (only this kiosk makes .kith-lan-*). */
static void remove_stale_tmpdirs(const char *lan_dir)
{
	DIR *d = opendir(lan_dir);
	struct dirent *e;
	char path[4096 + 260];
	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		if (strncmp(e->d_name, ".kith-lan-", 10) != 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", lan_dir, e->d_name);
		remove_tmpdir(path);
	}
	closedir(d);
}

static int setup(lan_sync *l)
{
	char err[300];

	if (store_open(&l->db, l->db_path, 0) < 0) {
		log_error("lan: cannot open %s: %s", l->db_path, store_errmsg(l->db));
		return -1;
	}
	snprintf(l->own_folder, sizeof(l->own_folder), "kith-%s", l->kiosk_id);
	snprintf(l->own_dir, sizeof(l->own_dir), "%s/%s", l->lan_dir, l->own_folder);
	if (mkdir(l->own_dir, 0755) != 0 && errno != EEXIST) {
		log_error("lan: cannot create %s: %s", l->own_dir, strerror(errno));
		return -1;
	}
	{
		char data[4096];
		data_dir_of(l->db_path, data, sizeof(data));
		remove_stale_tmpdirs(data);
		snprintf(l->tmpdir, sizeof(l->tmpdir), "%s/.kith-lan-XXXXXX", data);
	}
	if (mkdtemp(l->tmpdir) == NULL) {
		log_error("lan: mkdtemp %s: %s", l->tmpdir, strerror(errno));
		return -1;
	}
	write_stignore(l);
	if (l->api_addr != NULL && l->api_addr[0]) {
		if (syncthing_api_init(&l->api, l->api_addr, l->api_key_file, err, sizeof(err)) < 0)
			log_error("lan: %s; publishing without scan requests", err);
		else
			l->have_api = 1;
	}
	l->ino = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (l->ino < 0 ||
	    (l->lan_wd = inotify_add_watch(l->ino, l->lan_dir, IN_CREATE | IN_MOVED_TO | IN_ONLYDIR)) < 0) {
		log_error("lan: cannot watch %s: %s", l->lan_dir, strerror(errno));
		return -1;
	}
	peers_scan(l);
	return 0;
}

/* 1 once lan_dir and this kiosk's own folder in it are there (made here if lan_dir lets us);
 * 0 when asked to stop first. On the appliance both come with the first fleet file a stick
 * brings, after the kiosk started: kith-syncthing-setup makes lan_dir (root's) and then each
 * folder with its owner and ACLs, so for a moment lan_dir is there and our folder is not, and
 * we may not make it. The thread waits rather than leave the kiosk without LAN sync until a
 * restart. */
static int lan_dir_ready(lan_sync *l, const char **why)
{
	struct stat st;
	char own[4200];

	snprintf(own, sizeof(own), "%s/kith-%s", l->lan_dir, l->kiosk_id);
	if (stat(l->lan_dir, &st) != 0) {
		*why = "not there yet";
		return 0;
	}
	if (stat(own, &st) == 0 || mkdir(own, 0755) == 0 || errno == EEXIST)
		return 1;
	*why = errno == EACCES || errno == EPERM ? "our folder is not made yet" : strerror(errno);
	return errno == EACCES || errno == EPERM || errno == ENOENT ? 0 : 1; /* else: setup says */
}

static int wait_for_lan_dir(lan_sync *l)
{
	const char *why = "", *said = NULL;

	while (!lan_dir_ready(l, &why)) {
		struct pollfd pf = { .fd = l->wake[0], .events = POLLIN };
		char drain[64];
		int stop;
		if (said != why)
			log_info("lan: waiting for %s/kith-%s (%s): it comes with the fleet file",
				 l->lan_dir, l->kiosk_id, why);
		said = why;
		if (poll(&pf, 1, 2000) > 0)
			while (read(l->wake[0], drain, sizeof(drain)) > 0)
				;
		pthread_mutex_lock(&l->lock);
		stop = l->stopping;
		pthread_mutex_unlock(&l->lock);
		if (stop)
			return 0;
	}
	return 1;
}

static void *lan_main(void *arg)
{
	lan_sync *l = arg;
	uint64_t now;

	if (!wait_for_lan_dir(l))
		return NULL;
	if (setup(l) != 0) {
		log_error("lan: not started; check-ins stay on this kiosk (and USB) until it is");
		return NULL;
	}
	log_info("lan: syncing %s as %s%s", l->lan_dir, l->own_folder,
		 l->have_api ? "" : " (no Syncthing API: its watcher finds changes)");
	now = time_mono_ns();

	l->last_connected_ns = now;
	l->publish_wanted = 1; /* what was committed before this start */
	l->publish_due_ns = now;
	l->next_status_ns = now;
	for (;;) {
		struct pollfd pf[2] = { { .fd = l->wake[0], .events = POLLIN },
					{ .fd = l->ino, .events = POLLIN } };
		uint64_t next = l->next_status_ns;
		int64_t added = 0;
		int stop, poked, timeout;

		if (l->publish_wanted && l->publish_due_ns < next)
			next = l->publish_due_ns;
		for (int i = 0; i < l->npeers; i++)
			if (l->peers[i].pending && l->peers[i].due_ns < next)
				next = l->peers[i].due_ns;
		now = time_mono_ns();
		timeout = next > now ? (int)((next - now) / MS) + 1 : 0;
		if (poll(pf, 2, timeout) > 0 && (pf[0].revents & POLLIN)) {
			char drain[64];
			while (read(l->wake[0], drain, sizeof(drain)) > 0)
				;
		}
		now = time_mono_ns();
		pthread_mutex_lock(&l->lock);
		stop = l->stopping;
		poked = l->poked;
		l->poked = 0;
		pthread_mutex_unlock(&l->lock);
		if (stop)
			break;
		if (poked && !l->publish_wanted) {
			l->publish_wanted = 1;
			l->publish_due_ns = l->last_publish_ns + PUBLISH_GAP_NS;
		}
		if (pf[1].revents & POLLIN)
			inotify_read(l, now);
		if (l->publish_wanted && now >= l->publish_due_ns)
			publish(l, now);
		for (int i = 0; i < l->npeers; i++)
			if (l->peers[i].pending && now >= l->peers[i].due_ns)
				added += peer_take(l, &l->peers[i], now);
		if (added > 0) {
			l->taken += added;
			if (l->cfg.notify)
				l->cfg.notify(l->cfg.notify_ctx, added);
		}
		if (now >= l->next_status_ns || added > 0) {
			status_poll(l, now);
			l->next_status_ns = now + STATUS_EVERY_NS;
		}
	}
	return NULL;
}

int lan_sync_start(lan_sync **out, const lan_sync_config *cfg)
{
	lan_sync *l = xcalloc(1, sizeof(*l));

	*out = NULL;
	l->cfg = *cfg;
	l->db_path = xstrdup(cfg->db_path);
	l->lan_dir = xstrdup(cfg->lan_dir);
	l->kiosk_id = xstrdup(cfg->kiosk_id);
	l->api_addr = cfg->api_addr ? xstrdup(cfg->api_addr) : NULL;
	l->api_key_file = cfg->api_key_file ? xstrdup(cfg->api_key_file) : NULL;
	if (l->cfg.cutoff_s <= 0)
		l->cfg.cutoff_s = 60;
	l->ino = l->wake[0] = l->wake[1] = -1;
	pthread_mutex_init(&l->lock, NULL);
	if (pipe2(l->wake, O_NONBLOCK | O_CLOEXEC) != 0 ||
	    pthread_create(&l->thread, NULL, lan_main, l) != 0) {
		log_error("lan: not started; check-ins stay on this kiosk (and USB) until it is");
		lan_sync_stop(l);
		return -1;
	}
	l->thread_started = 1;
	*out = l;
	return 0;
}

void lan_sync_poke(lan_sync *l)
{
	if (l == NULL)
		return;
	pthread_mutex_lock(&l->lock);
	l->poked = 1;
	pthread_mutex_unlock(&l->lock);
	if (write(l->wake[1], "p", 1) < 0) {
		/* the pipe is full: a wake-up is already pending */
	}
}

int lan_sync_status(lan_sync *l, lan_status *out)
{
	if (l == NULL)
		return -1;
	pthread_mutex_lock(&l->lock);
	*out = l->status;
	pthread_mutex_unlock(&l->lock);
	return 0;
}

void lan_sync_stop(lan_sync *l)
{
	if (l == NULL)
		return;
	if (l->thread_started) {
		pthread_mutex_lock(&l->lock);
		l->stopping = 1;
		pthread_mutex_unlock(&l->lock);
		if (write(l->wake[1], "s", 1) < 0) {
			/* full: the thread wakes anyway */
		}
		pthread_join(l->thread, NULL);
	}
	if (l->tmpdir[0] && strstr(l->tmpdir, "XXXXXX") == NULL)
		remove_tmpdir(l->tmpdir);
	if (l->ino >= 0)
		close(l->ino);
	for (int i = 0; i < 2; i++)
		if (l->wake[i] >= 0)
			close(l->wake[i]);
	store_close(l->db);
	pthread_mutex_destroy(&l->lock);
	free(l->db_path);
	free(l->lan_dir);
	free(l->kiosk_id);
	free(l->api_addr);
	free(l->api_key_file);
	free(l);
}
