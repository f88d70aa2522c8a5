/* One sync of one stick: the four steps of docs/CONTRACT.md "USB sync", on the calling thread.
 *
 * Start at usb_sync_run(). Each step reports progress through the caller's callback and
 * records the most serious problem in the result; a problem in one step does not stop the
 * steps that can still help (a write-protected stick can still bring a conference bundle),
 * except that a stick that has gone away stops everything. The stick counts as gone when its
 * mount point no longer has the device it had at the start (a lazy unmount leaves the path
 * but changes st_dev), which is cheap enough to check during the export.
 * The kiosk database is only touched through one store handle: export_write (read),
 * store_merge_export and store_conference_replace (via conference_import), each of which is
 * one transaction: a failure leaves it as it was.
 * "Check-ins saved to the stick" is said only when res->exported is set, and that is set only
 * once the export has been read back from the stick and verified (stick_verify.c): a kith that
 * is a file or a link, a folder we may not write, or a file the stick did not keep all end
 * in a message that says the check-ins were not saved.
 */
#define _GNU_SOURCE
#include "sync/usb_sync.h"
#include "sync/conference.h"
#include "sync/exchange.h"
#include "sync/fleet_step.h"
#include "sync/stick_verify.h"
#include "sync/stickfile.h"
#include "store/export.h"
#include "store/store.h"
#include "common/clock.h"
#include "common/log.h"
#include "common/util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

/* Why the stick's kith cannot hold the export; each has its own words on the card. */
enum folder_problem {
	FOLDER_OK,
	FOLDER_NOT_DIR, /* a file (or a device, a FIFO) named kith */
	FOLDER_LINK,    /* a symbolic link, wherever it points: never followed */
	FOLDER_LOCKED,  /* a folder (or a stick) we are not allowed to write */
};

#define DEFAULT_MAX_EXPORT (INT64_C(1) << 30)
#define DEFAULT_MAX_BUNDLE (INT64_C(256) << 20)
#define MAX_OTHER_EXPORTS 256
#define REPORT_EVERY_NS 50000000ull /* progress reports and stick checks: at most 20 a second */

typedef struct run {
	const usb_sync_config *cfg;
	const char *stick;           /* mount point */
	const atomic_int *cancel;    /* set by usb_sync_stop or the watcher; may be NULL */
	const usb_sync_callbacks *cb;
	usb_sync_result *res;
	dev_t dev;                   /* the stick's device, to notice it going away */
	enum usb_sync_stage stage;   /* for export_progress */
	uint64_t last_report_ns;     /* rate limit of export progress */
	int stopped;                 /* 1: cancelled or the stick went away */
	enum folder_problem folder;  /* with USB_SYNC_EFOLDER: which words to use */
	int unverified;              /* 1: the export did not read back right (USB_SYNC_EIO) */
} run;

const char *usb_sync_error_name(int error)
{
	static const char *names[] = { "ok", "gone", "readonly", "full", "io", "kiosk", "bundle",
				       "badfile", "folder" };
	return error >= 0 && (size_t)error < ARRAY_LEN(names) ? names[error] : "unknown";
}

static void report(run *r, enum usb_sync_stage stage, int64_t done, int64_t total,
		   const char *message)
{
	usb_sync_progress p = { .stage = stage, .done = done, .total = total, .stick = r->stick,
				.message = message };
	if (r->cb != NULL && r->cb->progress != NULL)
		r->cb->progress(r->cb->ctx, &p);
}

/* How serious each error is, lower first: the enum's order, with EFOLDER (added later, so
 * its number stayed free for exit codes) right after EREADONLY. */
static int severity(int error)
{
	static const int rank[] = {
		[USB_SYNC_OK] = 99, [USB_SYNC_EGONE] = 1, [USB_SYNC_EREADONLY] = 2,
		[USB_SYNC_EFOLDER] = 3, [USB_SYNC_EFULL] = 4, [USB_SYNC_EIO] = 5,
		[USB_SYNC_EKIOSK] = 6, [USB_SYNC_EBUNDLE] = 7, [USB_SYNC_EBADFILE] = 8,
	};
	return error >= 0 && (size_t)error < ARRAY_LEN(rank) ? rank[error] : 0;
}

/* Keeps the most serious error (see severity). */
static void fail_with(run *r, int error)
{
	if (severity(error) < severity(r->res->error))
		r->res->error = error;
}

/* The card's sentence for a kith that cannot hold the export. */
static const char *folder_words(enum folder_problem f)
{
	switch (f) {
	case FOLDER_NOT_DIR:
		return "This stick has a file named \"kith\" where the kiosk's folder should be, so "
		       "check-ins were not saved. Rename that file on a computer or use another stick.";
	case FOLDER_LINK:
		return "The \"kith\" folder on this stick is a link, which the kiosk does not follow, "
		       "so check-ins were not saved. Make it a real folder or use another stick.";
	default:
		return "The kiosk may not write to the \"kith\" folder on this stick, so check-ins "
		       "were not saved. Check its permissions on a computer or use another stick.";
	}
}

/* Records that kith cannot hold the export, and why, in the log and the result. */
static void folder_fail(run *r, enum folder_problem f, const char *detail)
{
	static const char *what[] = { "", "is not a folder", "is a symbolic link (not followed)",
				      "is not writable" };
	log_warn("usb: %s/kith %s (%s): check-ins not saved to this stick", r->stick, what[f],
		 detail);
	if (r->folder == FOLDER_OK)
		r->folder = f;
	fail_with(r, USB_SYNC_EFOLDER);
}

/* Names what stands at stick/kith after opening it as a folder failed with err. */
static void diagnose_kith(run *r, int stickfd, int err)
{
	struct stat st;
	if (fstatat(stickfd, "kith", &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode))
		folder_fail(r, FOLDER_LINK, strerror(err));
	else if (err == ENOTDIR || err == ELOOP ||
		 (fstatat(stickfd, "kith", &st, AT_SYMLINK_NOFOLLOW) == 0 && !S_ISDIR(st.st_mode)))
		folder_fail(r, FOLDER_NOT_DIR, strerror(err));
	else if (err == EACCES || err == EPERM)
		folder_fail(r, FOLDER_LOCKED, strerror(err));
	else if (err == ENOENT)
		folder_fail(r, FOLDER_NOT_DIR, "it vanished after it was made");
	else
		fail_with(r, USB_SYNC_EIO);
}

/* 0 while the sync may go on; 1 once cancelled or the stick is no longer mounted. */
static int stopped(run *r)
{
	struct stat st;
	if (r->stopped)
		return 1;
	if ((r->cancel != NULL && atomic_load(r->cancel)) || stat(r->stick, &st) < 0 ||
	    st.st_dev != r->dev) {
		r->stopped = 1;
		fail_with(r, USB_SYNC_EGONE);
	}
	return r->stopped;
}

static int export_progress(void *ctx, int64_t done, int64_t total)
{
	run *r = ctx;
	uint64_t now = time_mono_ns();
	if (done != total && now - r->last_report_ns < REPORT_EVERY_NS)
		return 0;
	r->last_report_ns = now;
	if (stopped(r))
		return 1;
	report(r, USB_SYNC_EXPORT, done, total, "Saving check-ins to the stick");
	return stopped(r); /* the report may have taken a while (a test pauses in it) */
}

static int contains(const char *haystack, const char *needle)
{
	return strstr(haystack, needle) != NULL;
}

/* The kiosk's check-in count, for comparing with the export's; -1 if it cannot be read. */
static int64_t kiosk_checkins(store *s)
{
	store_stats st;
	if (store_stats_get(s, 0, &st) < 0) {
		log_error("usb: cannot count the kiosk's check-ins: %s", store_errmsg(s));
		return -1;
	}
	return st.checkins_total;
}

/* Reads the export just written back from the stick; sets res->exported only if it is the
 * export, whole, with the kiosk's check-ins (between before and now: taps go on meanwhile). */
static void verify_export(run *r, store *s, int kithfd, const char *name, const char *tmpdir,
			  int64_t before)
{
	char err[400];
	int64_t max = r->cfg->max_export_bytes > 0 ? r->cfg->max_export_bytes : DEFAULT_MAX_EXPORT;
	int64_t rows = -1, after;
	int rc;

	report(r, USB_SYNC_EXPORT, 1, 1, "Checking the check-ins on the stick");
	if ((after = kiosk_checkins(s)) < 0) {
		fail_with(r, USB_SYNC_EKIOSK);
		return;
	}
	rc = stick_verify_export(kithfd, name, max, tmpdir, before, after, &rows, err, sizeof(err));
	if (rc == 0) {
		r->res->exported = 1;
		log_info("usb: %s/kith/%s read back: %lld check-ins, quick_check ok", r->stick, name,
			 (long long)rows);
		return;
	}
	log_warn("usb: %s/kith/%s did not verify: %s", r->stick, name, err);
	if (stopped(r))
		return;
	if (rc == STICK_VERIFY_ELOCAL) {
		fail_with(r, USB_SYNC_EKIOSK);
		return;
	}
	r->unverified = 1;
	fail_with(r, USB_SYNC_EIO);
}

/* Step 1: this kiosk's export, written atomically by export_write, syncfs, then read back. */
static void step_export(run *r, store *s, int stickfd, int kithfd, const char *name,
			const char *tmpdir)
{
	char err[400], path[4200];
	struct statvfs vfs;
	int64_t before;

	if (kithfd < 0)
		return; /* step_open_kith already said why */
	snprintf(path, sizeof(path), "%s/kith/%s", r->stick, name);
	r->stage = USB_SYNC_EXPORT;
	report(r, USB_SYNC_EXPORT, 0, 0, "Saving check-ins to the stick");
	if ((before = kiosk_checkins(s)) < 0) {
		fail_with(r, USB_SYNC_EKIOSK);
		return;
	}
	if (export_write(s, path, export_progress, r, err, sizeof(err)) == 0) {
		if (syncfs(kithfd) < 0) {
			log_warn("usb: syncfs %s: %s", r->stick, strerror(errno));
			fail_with(r, USB_SYNC_EIO);
			return;
		}
		log_info("usb: wrote %s", path);
		if (!stopped(r))
			verify_export(r, s, kithfd, name, tmpdir, before);
		return;
	}
	log_warn("usb: export to %s failed: %s", path, err);
	if (stopped(r))
		return;
	if (faccessat(kithfd, ".", W_OK | X_OK, AT_EACCESS) < 0 &&
	    (errno == EACCES || errno == EPERM))
		folder_fail(r, FOLDER_LOCKED, strerror(errno));
	else if (contains(err, "full") || contains(err, "No space") ||
	    (fstatvfs(stickfd, &vfs) == 0 && vfs.f_bavail == 0))
		fail_with(r, USB_SYNC_EFULL);
	else if (contains(err, "ead-only") || (fstatvfs(stickfd, &vfs) == 0 &&
						 (vfs.f_flag & ST_RDONLY)))
		fail_with(r, USB_SYNC_EREADONLY);
	else
		fail_with(r, USB_SYNC_EIO);
}

/* Opens (creating if writable) the stick's kith folder; -1 when there is none to use. */
static int step_open_kith(run *r, int stickfd, int *writable)
{
	struct statvfs vfs;
	int fd;

	*writable = !(fstatvfs(stickfd, &vfs) == 0 && (vfs.f_flag & ST_RDONLY));
	if (!*writable)
		fail_with(r, USB_SYNC_EREADONLY);
	else if (mkdirat(stickfd, "kith", 0755) < 0 && errno != EEXIST) {
		int e = errno;
		log_warn("usb: mkdir %s/kith: %s", r->stick, strerror(e));
		*writable = 0;
		if (e == EACCES || e == EPERM)
			folder_fail(r, FOLDER_LOCKED, "the stick does not let the kiosk make it");
		else
			fail_with(r, e == EROFS ? USB_SYNC_EREADONLY :
				     e == ENOSPC ? USB_SYNC_EFULL : USB_SYNC_EIO);
	}
	fd = openat(stickfd, "kith", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		int e = errno;
		if (e != ENOENT || *writable)
			log_warn("usb: open %s/kith: %s", r->stick, strerror(e));
		/* On a read-only stick kith is only read from, and "write-protected" says it all. */
		if (*writable)
			diagnose_kith(r, stickfd, e);
		else if (e != ENOENT && e != ENOTDIR && e != ELOOP)
			fail_with(r, USB_SYNC_EIO);
	}
	return fd;
}

/* Step 2: other kiosks' exports into the kiosk database. */
static void step_merge(run *r, store *s, int kithfd, const char *own, const char *tmpdir,
		       char *note, size_t notesize)
{
	char **names = NULL;
	int n = kithfd < 0 ? 0 : stickfile_list_exports(kithfd, own, &names, MAX_OTHER_EXPORTS);
	int64_t max = r->cfg->max_export_bytes > 0 ? r->cfg->max_export_bytes : DEFAULT_MAX_EXPORT;

	if (n < 0) {
		fail_with(r, USB_SYNC_EIO);
		return;
	}
	for (int i = 0; i < n && !stopped(r); i++) {
		exchange_limits lim = { .max_file_bytes = max };
		exchange_take_result take;
		report(r, USB_SYNC_MERGE, i, n, "Adding check-ins from other kiosks");
		int rc = exchange_take_file(s, kithfd, names[i], &lim, tmpdir, &take);
		if (rc == EXCHANGE_MERGED) {
			r->res->merged_files++;
			r->res->merged_added += take.added;
			log_info("usb: merged %s: %lld new check-ins, %lld consent answers%s", names[i],
				 (long long)take.added, (long long)take.consent,
				 take.unchanged ? " (unchanged since the last merge)" : "");
			continue;
		}
		if (rc == EXCHANGE_MISSING)
			continue; /* listed a moment ago, gone now: nothing to take */
		log_warn("usb: %s refused: %s", names[i], take.why);
		if (stopped(r))
			break;
		if (rc == EXCHANGE_EIO)
			fail_with(r, USB_SYNC_EIO);
		else if (rc == EXCHANGE_ELOCAL)
			fail_with(r, USB_SYNC_EKIOSK);
		else
			fail_with(r, USB_SYNC_EBADFILE);
		if (note[0] == '\0')
			snprintf(note, notesize, "%s was not used: %s.", names[i], take.why);
	}
	if (n > 0 && !r->stopped)
		report(r, USB_SYNC_MERGE, n, n, "Adding check-ins from other kiosks");
	stickfile_names_free(names, n);
}

/* Step 3: kith/conference.sqlite, if newer and valid. */
static void step_import(run *r, store *s, int kithfd, const char *tmpdir, char *note,
			size_t notesize)
{
	char *copy = NULL, err[400];
	time_t mtime = 0;
	int64_t max = r->cfg->max_bundle_bytes > 0 ? r->cfg->max_bundle_bytes : DEFAULT_MAX_BUNDLE;
	int rc;

	if (kithfd < 0 || stopped(r))
		return;
	report(r, USB_SYNC_IMPORT, 0, 1, "Checking conference data on the stick");
	rc = stickfile_copy(kithfd, "conference.sqlite", max, tmpdir, &copy, &mtime, err,
			    sizeof(err));
	if (rc == STICKFILE_ENOENT)
		return;
	if (rc == 0) {
		/* Its detached signature, copied too: what is verified is what is imported. */
		char *sig = NULL;
		time_t sigmtime;
		rc = stickfile_copy(kithfd, "conference.sqlite.sig", SIGN_SIG_FILE_MAX, tmpdir, &sig,
				    &sigmtime, err, sizeof(err));
		if (rc == 0 || rc == STICKFILE_ENOENT) {
			report(r, USB_SYNC_IMPORT, 0, 1, "Loading new conference data");
			rc = conference_import(s, copy, sig, (int64_t)mtime, err, sizeof(err));
		}
		if (sig) {
			unlink(sig);
			free(sig);
		}
		unlink(copy);
		free(copy);
		if (rc == CONFERENCE_IMPORTED || rc == CONFERENCE_NOT_NEWER) {
			r->res->bundle = rc == CONFERENCE_IMPORTED ? 1 : 2;
			report(r, USB_SYNC_IMPORT, 1, 1, rc == CONFERENCE_IMPORTED ?
			       "Conference data updated" : "Conference data already up to date");
			log_info("usb: conference.sqlite %s", rc == CONFERENCE_IMPORTED ? "imported" :
				 "not newer");
			return;
		}
		if (rc == CONFERENCE_EKIOSK) {
			fail_with(r, USB_SYNC_EKIOSK);
			log_error("usb: conference import: kiosk database: %s", err);
			return;
		}
		rc = STICKFILE_EREFUSED;
	}
	log_warn("usb: conference.sqlite refused: %s", err);
	if (stopped(r))
		return;
	r->res->bundle = -1;
	fail_with(r, rc == STICKFILE_EIO ? USB_SYNC_EIO :
		     rc == STICKFILE_ELOCAL ? USB_SYNC_EKIOSK : USB_SYNC_EBUNDLE);
	snprintf(note, notesize, "The conference data on the stick was not loaded: %s. "
		 "The kiosk keeps its current data.", err);
}

/* Step 3b: kith/fleet.json and this kiosk's Syncthing identity (fleet_step.c), stored beside
 * the kiosk database. A refused fleet is reported like a refused bundle. */
static void step_fleet(run *r, store *s, int kithfd, const char *tmpdir, char *note,
		       size_t notesize)
{
	char why[400], dir[4096];
	const char *slash = strrchr(r->cfg->db_path, '/');
	fleet_step_in in = { .kithfd = kithfd, .kiosk_id = r->cfg->kiosk_id ? r->cfg->kiosk_id :
			     "kiosk", .data_dir = dir, .tmpdir = tmpdir };
	size_t n = strlen(note);
	int rc;

	if (kithfd < 0 || stopped(r))
		return;
	if (slash == NULL)
		snprintf(dir, sizeof(dir), ".");
	else
		snprintf(dir, sizeof(dir), "%.*s", slash == r->cfg->db_path ? 1 :
			 (int)(slash - r->cfg->db_path), r->cfg->db_path);
	rc = fleet_step_run(s, &in, why, sizeof(why));
	if (rc >= 0 || stopped(r))
		return;
	fail_with(r, rc == FLEET_STEP_EIO ? USB_SYNC_EIO : rc == FLEET_STEP_EKIOSK ?
		  USB_SYNC_EKIOSK : USB_SYNC_EBUNDLE);
	if (n + 1 < notesize)
		snprintf(note + n, notesize - n, "%sThe fleet file on the stick was not used: %s. "
			 "The kiosk keeps its current fleet.", n > 0 ? " " : "", why);
}

/* Removes the private temp folder and whatever SQLite left in it (-wal, -shm). */
static void remove_tmpdir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	if (d != NULL) {
		while ((de = readdir(d)) != NULL)
			if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
				unlinkat(dirfd(d), de->d_name, 0);
		closedir(d);
	}
	rmdir(dir);
}

static void compose_message(run *r, const char *note)
{
	usb_sync_result *res = r->res;
	char *m = res->message;
	size_t size = sizeof(res->message), n = 0;
	const char *what;

	switch (res->error) {
	case USB_SYNC_OK:
	case USB_SYNC_EBUNDLE:
	case USB_SYNC_EBADFILE:
		/* usb_sync_run makes these imply a verified export; this is the only place that
		 * says "saved", and it asks once more. */
		what = res->exported ? "Check-ins saved to the stick." :
		       "Check-ins were not saved to the stick. The check-ins on this kiosk are safe; "
		       "please try another stick.";
		break;
	case USB_SYNC_EFOLDER:
		what = folder_words(r->folder);
		break;
	case USB_SYNC_EGONE:
		what = r->cancel != NULL && atomic_load(r->cancel) == USB_SYNC_CANCEL_STOP ?
		       "The sync was stopped before it finished. Nothing on this kiosk was lost." :
		       "The stick was removed before the sync finished. Nothing on this kiosk was "
		       "lost; plug it in again to retry.";
		break;
	case USB_SYNC_EREADONLY:
		what = "This stick is write-protected, so check-ins were not saved to it. Slide "
		       "its lock switch off or use another stick.";
		break;
	case USB_SYNC_EFULL:
		what = "The stick is full, so check-ins were not saved to it. Free some space on "
		       "it or use another stick.";
		break;
	case USB_SYNC_EIO:
		what = r->unverified ?
		       "The check-ins did not read back correctly from the stick, so they are not "
		       "saved on it. The check-ins on this kiosk are safe; please try another stick." :
		       "The stick failed while it was being used (it may be damaged). The "
		       "check-ins on this kiosk are safe; please try another stick.";
		break;
	default:
		what = "This kiosk's own database could not be used. Nothing was changed; "
		       "please call a technician.";
		break;
	}
	n += (size_t)snprintf(m + n, size - n, "%s", what);
	if (res->merged_added > 0 && n < size)
		n += (size_t)snprintf(m + n, size - n, " %lld check-ins from other kiosks added.",
				      (long long)res->merged_added);
	if (res->bundle == 1 && n < size)
		n += (size_t)snprintf(m + n, size - n, " Conference data updated.");
	if (note[0] != '\0' && n < size)
		n += (size_t)snprintf(m + n, size - n, " %s", note);
	if (res->error != USB_SYNC_EGONE && n < size)
		snprintf(m + n, size - n, " Safe to remove.");
}

int usb_sync_run(const usb_sync_config *cfg, const char *stick_dir, const atomic_int *cancel,
		 const usb_sync_callbacks *cb, usb_sync_result *res)
{
	run r = { .cfg = cfg, .stick = stick_dir, .cancel = cancel, .cb = cb, .res = res };
	char own[STORE_ID_MAX + 32], note[600] = "", *tmpdir = NULL;
	int stickfd = -1, kithfd = -1, writable = 0;
	store *s = NULL;
	struct stat st;

	memset(res, 0, sizeof(*res));
	report(&r, USB_SYNC_FOUND, 0, 0, "USB stick found: syncing, please do not remove it");
	stickfd = open(stick_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (stickfd < 0 || fstat(stickfd, &st) < 0) {
		r.stopped = 1;
		fail_with(&r, USB_SYNC_EGONE);
		goto done;
	}
	r.dev = st.st_dev;

	{ /* a private folder beside the kiosk database for copies of the stick's files */
		size_t n = strlen(cfg->db_path) + 32;
		const char *slash = strrchr(cfg->db_path, '/');
		tmpdir = xcalloc(1, n);
		if (slash == NULL)
			snprintf(tmpdir, n, ".kith-sync-XXXXXX");
		else
			snprintf(tmpdir, n, "%.*s/.kith-sync-XXXXXX", (int)(slash - cfg->db_path),
				 cfg->db_path);
		if (mkdtemp(tmpdir) == NULL) {
			log_error("usb: mkdtemp %s: %s", tmpdir, strerror(errno));
			free(tmpdir);
			tmpdir = NULL;
			fail_with(&r, USB_SYNC_EKIOSK);
			goto done;
		}
	}
	if (store_open(&s, cfg->db_path, 0) < 0 ||
	    (cfg->kiosk_id != NULL &&
	     store_kiosk_set(s, cfg->kiosk_id, cfg->location ? cfg->location : "") < 0)) {
		log_error("usb: kiosk database %s: %s", cfg->db_path, s ? store_errmsg(s) : "?");
		fail_with(&r, USB_SYNC_EKIOSK);
		goto done;
	}
	exchange_file_name(cfg->kiosk_id ? cfg->kiosk_id : "kiosk", own, sizeof(own));

	kithfd = step_open_kith(&r, stickfd, &writable);
	if (writable && !stopped(&r))
		step_export(&r, s, stickfd, kithfd, own, tmpdir);
	if (!stopped(&r) && res->error != USB_SYNC_EIO)
		step_merge(&r, s, kithfd, own, tmpdir, note, sizeof(note));
	if (!stopped(&r) && res->error != USB_SYNC_EIO)
		step_import(&r, s, kithfd, tmpdir, note, sizeof(note));
	if (!stopped(&r) && res->error != USB_SYNC_EIO)
		step_fleet(&r, s, kithfd, tmpdir, note, sizeof(note));
	if (!stopped(&r) && writable && syncfs(stickfd) < 0)
		fail_with(&r, USB_SYNC_EIO);
	if (!stopped(&r) && !res->exported && severity(res->error) > severity(USB_SYNC_EKIOSK)) {
		/* ALWAYS: every path above that leaves no verified export records why. */
		log_error("usb: %s: no verified export and no reason recorded; reporting failure",
			  stick_dir);
		fail_with(&r, USB_SYNC_EIO);
	}
	stopped(&r);
done:
	if (kithfd >= 0)
		close(kithfd);
	if (stickfd >= 0)
		close(stickfd);
	compose_message(&r, note);
	if (s != NULL && res->error != USB_SYNC_EKIOSK) {
		/* For the admin screen's "last sync" line. */
		char when[32];
		snprintf(when, sizeof(when), "%lld", (long long)clock_now());
		if (store_meta_set(s, "usb_last_sync", when) < 0 ||
		    store_meta_set(s, "usb_last_sync_result", usb_sync_error_name(res->error)) < 0 ||
		    store_meta_set(s, "usb_last_sync_message", res->message) < 0)
			log_warn("usb: cannot note the last sync: %s", store_errmsg(s));
	}
	store_close(s);
	if (tmpdir != NULL) {
		remove_tmpdir(tmpdir);
		free(tmpdir);
	}
	{
		usb_sync_progress p = { .stage = USB_SYNC_DONE, .stick = stick_dir,
					.message = res->message, .finished = 1, .error = res->error };
		if (cb != NULL && cb->progress != NULL)
			cb->progress(cb->ctx, &p);
	}
	log_info("usb: %s: %s", stick_dir, res->message);
	return res->error;
}
