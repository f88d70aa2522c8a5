/* usbsync: a command-line driver for the USB sync module, used by tests/e2e/usb-*.sh and
 * tests/bench/bench-usb.sh. It runs the real module against a real kiosk database and real
 * mounted sticks; nothing is mocked.
 *
 *   usbsync gen DB --kiosk ID [--attendees N] [--sessions N] [--checkins N] [--start T]
 *       create (or extend) a kiosk database with a roster (badges, groups), sessions and
 *       N check-ins by kiosk ID
 *   usbsync sync DB STICK --kiosk ID [--max-bundle BYTES]  one sync of the stick at STICK
 *   usbsync watch DB USBDIR --kiosk ID --syncs N [--timeout S] [--request]
 *       start the watcher; exit after N finished syncs (--request: after the first one,
 *       ask for "sync now", as the admin screen does)
 *   usbsync export DB OUT [--kiosk ID]     export_write, timed (as kiosk ID: signed)
 *   usbsync merge OUT IN...                export_merge of each IN into OUT, timed
 *   usbsync merge-db DB IN...              store_merge_export of each IN into DB, timed
 * Progress goes to stdout as "progress STAGE DONE TOTAL MESSAGE", each finished sync as
 * "result error=NAME exported=0|1 merged_files=N added=N bundle=N" then "message: TEXT".
 * sync exits with the enum usb_sync_error number. With USBSYNC_PAUSE_READY and
 * USBSYNC_PAUSE_GO set, the first export progress report creates the READY file and waits
 * (up to 60 s) for GO to exist: tests unmount the stick at exactly that point.
 */
#define _GNU_SOURCE
#include "sync/usb_sync.h"
#include "store/export.h"
#include "store/store.h"
#include "common/log.h"
#include "common/util.h"

#include <fcntl.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const char *stage_names[] = { "found", "export", "merge", "import", "done" };

typedef struct driver {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int finished;  /* syncs finished so far */
	int paused;    /* the pause handshake has happened */
	int last_error;
} driver;

static int wait_for_file(const char *path, int seconds)
{
	uint64_t deadline = time_mono_ns() + (uint64_t)seconds * 1000000000ull;
	struct stat st;
	while (stat(path, &st) < 0) {
		if (time_mono_ns() > deadline)
			return -1;
		struct timespec ts = { 0, 5000000 };
		nanosleep(&ts, NULL);
	}
	return 0;
}

static void on_progress(void *ctx, const usb_sync_progress *p)
{
	driver *d = ctx;
	const char *ready = getenv("USBSYNC_PAUSE_READY"), *go = getenv("USBSYNC_PAUSE_GO");

	printf("progress %s %lld %lld %s\n", stage_names[p->stage], (long long)p->done,
	       (long long)p->total, p->message);
	fflush(stdout);
	if (p->stage == USB_SYNC_EXPORT && p->done > 0 && ready && go && !d->paused) {
		d->paused = 1;
		int fd = open(ready, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
		if (fd >= 0)
			close(fd);
		if (wait_for_file(go, 60) < 0)
			fprintf(stderr, "usbsync: %s never appeared\n", go);
	}
	if (p->finished) {
		printf("finished %s error=%s\n", p->stick, usb_sync_error_name(p->error));
		printf("message: %s\n", p->message);
		fflush(stdout);
		pthread_mutex_lock(&d->lock);
		d->finished++;
		d->last_error = p->error;
		pthread_cond_broadcast(&d->cond);
		pthread_mutex_unlock(&d->lock);
	}
}

static const char *opt(int argc, char **argv, const char *name, const char *def)
{
	for (int i = 0; i + 1 < argc; i++)
		if (strcmp(argv[i], name) == 0)
			return argv[i + 1];
	return def;
}

static int has(int argc, char **argv, const char *name)
{
	for (int i = 0; i < argc; i++)
		if (strcmp(argv[i], name) == 0)
			return 1;
	return 0;
}

static double now_s(void)
{
	return (double)time_mono_ns() / 1e9;
}

/* count check-ins by kiosk, attendees in turn, a minute apart per attendee (so none would be
 * a repeat tap), seq continuing from the kiosk's last. One INSERT ... SELECT in one transaction
 * through the store's own schema and triggers: the tap path commits each check-in durably,
 * which is right for a kiosk and far too slow for making a million of them. */
static int gen_checkins(const char *db, const char *kiosk, int64_t attendees, int64_t count,
			int64_t start)
{
	sqlite3 *d = NULL;
	sqlite3_stmt *st = NULL;
	int rc;
	if (count <= 0)
		return 0;
	if (attendees <= 0) {
		fprintf(stderr, "usbsync gen: check-ins need attendees\n");
		return 1;
	}
	rc = sqlite3_open_v2(db, &d, SQLITE_OPEN_READWRITE, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(d,
			"WITH RECURSIVE c(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM c WHERE i + 1 < ?2) "
			"INSERT INTO checkins(kiosk_id, seq, attendee_id, checked_in_at) "
			"SELECT ?1, (SELECT coalesce(max(seq), 0) FROM checkins WHERE kiosk_id = ?1) + i + 1, "
			"printf('A%06d', i % ?3), ?4 + (i / ?3) * 120 + (i % ?3) / 1000 FROM c",
			-1, &st, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_bind_text(st, 1, kiosk, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, count);
		sqlite3_bind_int64(st, 3, attendees);
		sqlite3_bind_int64(st, 4, start);
		rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
	}
	if (rc != SQLITE_OK)
		fprintf(stderr, "usbsync gen: check-ins: %s\n", d ? sqlite3_errmsg(d) : "?");
	sqlite3_finalize(st);
	sqlite3_close(d);
	return rc == SQLITE_OK ? 0 : 1;
}

/* A roster of n attendees in 20 groups with badges, optional sessions, then the check-ins. */
static int cmd_gen(const char *db, const char *kiosk, int64_t attendees, int64_t sessions,
		   int64_t checkins, int64_t start)
{
	store *s = NULL;
	char id[32], name[64], group[32];
	int64_t have = 0;
	char buf[32];

	if (store_open(&s, db, STORE_OPEN_CREATE) < 0) {
		fprintf(stderr, "usbsync: %s: %s\n", db, s ? store_errmsg(s) : "open failed");
		return 1;
	}
	if (store_kiosk_set(s, kiosk, "Hall A") < 0)
		goto fail;
	if (store_meta_get(s, "usbsync_attendees", buf, sizeof(buf)) == 1)
		have = atoll(buf);
	if (attendees > have) {
		if (store_begin(s) < 0)
			goto fail;
		for (int64_t i = have; i < attendees; i++) {
			snprintf(id, sizeof(id), "A%06lld", (long long)i);
			snprintf(name, sizeof(name), "Attendee %lld Müller", (long long)i);
			store_attendee_in a = { .id = id, .name = name, .affiliation = "Library",
						.visible = STORE_VISIBLE_YES };
			snprintf(group, sizeof(group), "Group %lld", (long long)(i % 20));
			uint8_t uid[7] = { 0x04, (uint8_t)(i >> 16), (uint8_t)(i >> 8), (uint8_t)i,
					   0x5A, 0x17, 0x80 };
			if (store_attendee_put(s, &a) < 0 || store_attendee_add_group(s, id, group) < 0 ||
			    store_badge_put(s, uid, sizeof(uid), id) < 0)
				goto fail;
		}
		snprintf(buf, sizeof(buf), "%lld", (long long)attendees);
		if (store_meta_set(s, "usbsync_attendees", buf) < 0 || store_commit(s) < 0)
			goto fail;
		have = attendees;
	}
	if (sessions > 0) {
		static const char *rooms[] = { "Hall A", "Hall B", "Room 101", "Room 102", "Foyer" };
		if (store_begin(s) < 0)
			goto fail;
		for (size_t r = 0; r < ARRAY_LEN(rooms); r++) {
			store_room_in room = { .name = rooms[r], .floor = (int)r / 2,
					       .floor_name = r < 2 ? "Ground" : "Level 1",
					       .area = "east wing", .polygon = "0,0 10,0 10,8 0,8" };
			if (store_room_put(s, &room) < 0)
				goto fail;
		}
		for (int64_t i = 0; i < sessions; i++) {
			char sid[32], title[96];
			snprintf(sid, sizeof(sid), "S%04lld", (long long)i);
			snprintf(title, sizeof(title), "Session %lld: cataloguing 図書館", (long long)i);
			store_session_in in = { .id = sid, .title = title, .track = "Metadata",
						.room = rooms[i % 5], .speakers = "Ada; Zoë",
						.start = start + i * 3600, .end = start + i * 3600 + 2700 };
			snprintf(group, sizeof(group), "Group %lld", (long long)(i % 20));
			if (store_session_put(s, &in) < 0 || store_session_add_group(s, sid, group) < 0)
				goto fail;
		}
		if (store_commit(s) < 0)
			goto fail;
	}
	store_close(s);
	s = NULL;
	return gen_checkins(db, kiosk, have, checkins, start);
fail:
	fprintf(stderr, "usbsync gen: %s\n", store_errmsg(s));
	store_close(s);
	return 1;
}

static int cmd_watch(const usb_sync_config *cfg, int syncs, int timeout, int request)
{
	driver d = { .lock = PTHREAD_MUTEX_INITIALIZER, .cond = PTHREAD_COND_INITIALIZER };
	usb_sync_callbacks cb = { .progress = on_progress, .ctx = &d };
	usb_sync *u;
	struct timespec deadline;
	int rc = 0, requested = 0;

	if (usb_sync_start(&u, cfg, &cb) < 0)
		return 100;
	printf("watching %s\n", cfg->usb_dir);
	fflush(stdout);
	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += timeout;
	pthread_mutex_lock(&d.lock);
	while (d.finished < syncs && rc == 0) {
		if (request && !requested && d.finished >= 1) {
			requested = 1;
			pthread_mutex_unlock(&d.lock);
			printf("requested %d\n", usb_sync_request(u));
			fflush(stdout);
			pthread_mutex_lock(&d.lock);
			continue;
		}
		if (pthread_cond_timedwait(&d.cond, &d.lock, &deadline) != 0 && d.finished < syncs)
			rc = 1;
	}
	pthread_mutex_unlock(&d.lock);
	usb_sync_stop(u);
	if (rc != 0)
		printf("timeout after %d syncs\n", d.finished);
	return rc;
}

int main(int argc, char **argv)
{
	char err[512];
	log_set_name("usbsync");
	if (argc < 3)
		goto usage;
	const char *cmd = argv[1], *db = argv[2];
	const char *kiosk = opt(argc, argv, "--kiosk", "kiosk-1");
	usb_sync_config cfg = { .db_path = db, .kiosk_id = kiosk, .location = "Hall A" };

	if (strcmp(cmd, "gen") == 0)
		return cmd_gen(db, kiosk, atoll(opt(argc, argv, "--attendees", "100")),
			       atoll(opt(argc, argv, "--sessions", "0")),
			       atoll(opt(argc, argv, "--checkins", "0")),
			       atoll(opt(argc, argv, "--start", "1790000000")));
	if (strcmp(cmd, "sync") == 0 && argc >= 4) {
		driver d = { .lock = PTHREAD_MUTEX_INITIALIZER };
		usb_sync_callbacks cb = { .progress = on_progress, .ctx = &d };
		usb_sync_result res;
		cfg.max_bundle_bytes = atoll(opt(argc, argv, "--max-bundle", "0"));
		usb_sync_run(&cfg, argv[3], NULL, &cb, &res);
		printf("result error=%s exported=%d merged_files=%lld added=%lld bundle=%d\n",
		       usb_sync_error_name(res.error), res.exported, (long long)res.merged_files,
		       (long long)res.merged_added, res.bundle);
		return res.error;
	}
	if (strcmp(cmd, "watch") == 0 && argc >= 4) {
		cfg.usb_dir = argv[3];
		return cmd_watch(&cfg, atoi(opt(argc, argv, "--syncs", "1")),
				 atoi(opt(argc, argv, "--timeout", "60")), has(argc, argv, "--request"));
	}
	if (strcmp(cmd, "export") == 0 && argc >= 4) {
		store *s = NULL;
		if (store_open(&s, db, 0) < 0) {
			fprintf(stderr, "usbsync: %s: cannot open\n", db);
			return 1;
		}
		/* --kiosk: export as that kiosk (its key, <db>.key, then signs the file) */
		if (has(argc, argv, "--kiosk") && store_kiosk_set(s, kiosk, "") < 0) {
			fprintf(stderr, "usbsync: %s: %s\n", db, store_errmsg(s));
			return 1;
		}
		double t0 = now_s();
		int rc = export_write(s, argv[3], NULL, NULL, err, sizeof(err));
		printf("export %.3f s\n", now_s() - t0);
		store_close(s);
		if (rc < 0)
			fprintf(stderr, "usbsync export: %s\n", err);
		return rc < 0;
	}
	if (strcmp(cmd, "merge") == 0 || strcmp(cmd, "merge-db") == 0) {
		store *s = NULL;
		int todb = strcmp(cmd, "merge-db") == 0;
		if (todb && store_open(&s, db, 0) < 0) {
			fprintf(stderr, "usbsync: %s: cannot open\n", db);
			return 1;
		}
		double t0 = now_s();
		for (int i = 3; i < argc; i++) {
			int64_t added = 0;
			int rc = todb ? store_merge_export(s, argv[i], &added, err, sizeof(err)) :
				 export_merge(db, argv[i], &added, err, sizeof(err));
			if (rc < 0) {
				fprintf(stderr, "usbsync %s: %s: %s\n", cmd, argv[i], err);
				store_close(s);
				return 1;
			}
			printf("added %lld\n", (long long)added);
		}
		printf("merge %.3f s\n", now_s() - t0);
		store_close(s);
		return 0;
	}
usage:
	fprintf(stderr, "usage: usbsync gen|sync|watch|export|merge|merge-db DB ...\n");
	return 100;
}
