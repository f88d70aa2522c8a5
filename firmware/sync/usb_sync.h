/* USB sync: a stick mounted under --usb-dir walks away with this kiosk's check-ins, brings
 * other kiosks' check-ins and a new conference bundle in, and can never hurt the kiosk's data.
 *
 * usb_sync_start() runs two threads: a watcher that sleeps in poll() on /proc/self/mountinfo
 * (the kernel flags it on every mount change; the disk is never polled) and a worker that syncs
 * one stick at a time through its own store handle (its one connection to the kiosk database).
 * Per stick, in order (docs/CONTRACT.md "USB sync"):
 *   1. export kith/checkins-<kiosk-id>.sqlite (export_write: temp, fsync, check, rename), syncfs,
 *      then read it back off the stick and check it (stick_verify.c): only that is "saved";
 *   2. merge other kiosks' kith/checkins-*.sqlite into the kiosk database;
 *   3. import kith/conference.sqlite if newer and valid, in one transaction;
 *   4. report "safe to remove", and note the outcome in the kiosk's meta (usb_last_sync: epoch
 *      seconds, usb_last_sync_result: usb_sync_error_name, usb_last_sync_message) for the
 *      admin screen.
 * Files on a stick are untrusted: never followed through symlinks, size-limited, copied to a
 * private temp file and only then opened (read-only) by SQLite.
 * Callbacks run on the worker thread; the kiosk turns them into SDL user events. The module
 * knows nothing of SDL.
 */
#ifndef KITH_USB_SYNC_H
#define KITH_USB_SYNC_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

enum usb_sync_stage {
	USB_SYNC_FOUND,  /* a stick appeared; nothing written yet */
	USB_SYNC_EXPORT, /* done/total: pages copied */
	USB_SYNC_MERGE,  /* done/total: other kiosks' files merged */
	USB_SYNC_IMPORT, /* conference bundle: checking, then applying */
	USB_SYNC_DONE,   /* finished (see error) */
};

/* What went wrong, most serious first when several did (EFOLDER, added later, ranks right
 * after EREADONLY; the numbers stay as they were: they are exit codes and log words). */
enum usb_sync_error {
	USB_SYNC_OK = 0,
	USB_SYNC_EGONE = 1,     /* the stick was removed (or unmounted) during the sync */
	USB_SYNC_EREADONLY = 2, /* write-protected: check-ins not saved (bundle/merge still read) */
	USB_SYNC_EFULL = 3,     /* not enough free space for the export */
	USB_SYNC_EIO = 4,       /* the stick failed to read or write */
	USB_SYNC_EKIOSK = 5,    /* the kiosk's own database could not be read or written */
	USB_SYNC_EBUNDLE = 6,   /* conference.sqlite refused; current conference data kept */
	USB_SYNC_EBADFILE = 7,  /* another kiosk's file on the stick was refused */
	USB_SYNC_EFOLDER = 8,   /* the stick's kith is not a folder we can write: not saved */
};

typedef struct usb_sync_progress {
	enum usb_sync_stage stage;
	int64_t done, total;  /* within the stage; total 0 when unknown */
	const char *stick;    /* mount point */
	const char *message;  /* one line for a volunteer, e.g. "Saving check-ins to the stick" */
	int finished;         /* 1: last report for this stick */
	int error;            /* with finished: enum usb_sync_error (USB_SYNC_OK = safe to remove) */
} usb_sync_progress;

typedef struct usb_sync_callbacks {
	void (*progress)(void *ctx, const usb_sync_progress *p);
	void *ctx;
} usb_sync_callbacks;

typedef struct usb_sync_config {
	const char *db_path;          /* the kiosk's database */
	const char *usb_dir;          /* sticks are mounted at or below this */
	const char *kiosk_id;         /* names the export file */
	const char *location;         /* kiosk location (export metadata); may be NULL */
	int64_t max_export_bytes;     /* other kiosks' files larger than this are refused; 0 = 1 GiB */
	int64_t max_bundle_bytes;     /* conference.sqlite limit; 0 = 256 MiB */
} usb_sync_config;

/* The outcome of one stick's sync. */
typedef struct usb_sync_result {
	int error;                /* enum usb_sync_error, the most serious */
	int exported;             /* 1: the export was read back from the stick and verified */
	int64_t merged_files;     /* other kiosks' files merged */
	int64_t merged_added;     /* new check-ins those brought */
	int bundle;               /* 0 none, 1 imported, 2 not newer, -1 refused */
	char message[512];        /* what the screen says at the end */
} usb_sync_result;

typedef struct usb_sync usb_sync;

/* Copies cfg (strings included), starts the watcher and the worker. Sticks already mounted
 * are synced too. Returns 0 or -1. */
int usb_sync_start(usb_sync **out, const usb_sync_config *cfg, const usb_sync_callbacks *cb);
/* "Sync now" (admin screen): syncs every stick mounted now. Returns the number queued. */
int usb_sync_request(usb_sync *u);
/* Cancels a sync in progress (it fails cleanly), joins both threads, frees. */
void usb_sync_stop(usb_sync *u);

/* Values of the cancel flag below: why a sync in progress must end. */
enum usb_sync_cancel {
	USB_SYNC_CANCEL_GONE = 1, /* the stick's mount went away */
	USB_SYNC_CANCEL_STOP = 2, /* the kiosk is shutting down */
};

/* One sync of the stick mounted at stick_dir, on the calling thread (the worker uses it; so do
 * tests and tools). cancel (may be NULL; enum usb_sync_cancel once set) is polled between steps
 * and during the export. Returns res->error. */
int usb_sync_run(const usb_sync_config *cfg, const char *stick_dir, const atomic_int *cancel,
		 const usb_sync_callbacks *cb, usb_sync_result *res);

const char *usb_sync_error_name(int error);

#endif
