/* Reading /proc/self/mountinfo: which filesystems are mounted at or below a directory.
 *
 * Internal to the USB sync module (and its unit tests). Mount points come out unescaped
 * (the kernel writes space, tab, newline and backslash as \ooo octal).
 */
#ifndef KITH_SYNC_MOUNTINFO_H
#define KITH_SYNC_MOUNTINFO_H

#include <stddef.h>

#define MOUNTINFO_PATH_MAX 4096

typedef struct mount_entry {
	int id;                         /* mount ID: new for every mount, so a re-plug is new */
	char point[MOUNTINFO_PATH_MAX]; /* mount point, unescaped */
	char fstype[32];                /* e.g. "vfat" */
	int readonly;                   /* mounted with "ro" */
} mount_entry;

/* Parses one mountinfo line into e. Returns 0, or -1 for a line that is not one. */
int mountinfo_parse_line(const char *line, mount_entry *e);

/* 1 if point is dir itself or lies below it ("/media/usb" holds "/media/usb/sda1" but not
 * "/media/usb2"). dir must not end in '/' except for "/" itself. */
int mountinfo_is_under(const char *point, const char *dir);

/* Parses the text of a mountinfo file and keeps the entries at or below dir, in file order.
 * *out is allocated (free() it); returns the count (>= 0). */
int mountinfo_filter(const char *text, const char *dir, mount_entry **out);

/* Reads the whole of fd from offset 0 into a NUL-terminated buffer (free() it). NULL on error. */
char *mountinfo_read(int fd);

#endif
