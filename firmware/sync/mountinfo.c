/* /proc/self/mountinfo parsing for stick detection.
 *
 * A line is "ID PARENT MAJ:MIN ROOT POINT OPTIONS [OPTIONAL...] - FSTYPE SOURCE SUPEROPTS".
 * We need the ID (to tell a re-plugged stick from the one before), the mount point, the
 * filesystem type and whether it is read-only. Everything else is skipped. The text comes from
 * the kernel, but the mount point is chosen by whoever mounts, so it is parsed with bounds.
 */
#include "sync/mountinfo.h"
#include "common/util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Copies the space-delimited field at *p into out (unescaping \ooo), advances *p past it. */
static int next_field(const char **p, char *out, size_t outsize)
{
	const char *s = *p;
	size_t n = 0;
	while (*s == ' ')
		s++;
	if (*s == '\0' || *s == '\n')
		return -1;
	while (*s != '\0' && *s != ' ' && *s != '\n') {
		char c = *s++;
		if (c == '\\' && s[0] >= '0' && s[0] <= '3' && s[1] >= '0' && s[1] <= '7' &&
		    s[2] >= '0' && s[2] <= '7') {
			c = (char)(((s[0] - '0') << 6) | ((s[1] - '0') << 3) | (s[2] - '0'));
			s += 3;
		}
		if (n + 1 >= outsize)
			return -1;
		out[n++] = c;
	}
	out[n] = '\0';
	*p = s;
	return 0;
}

int mountinfo_parse_line(const char *line, mount_entry *e)
{
	char field[MOUNTINFO_PATH_MAX];
	const char *p = line;
	char *end;

	memset(e, 0, sizeof(*e));
	if (next_field(&p, field, sizeof(field)) < 0)
		return -1;
	errno = 0;
	long id = strtol(field, &end, 10);
	if (errno != 0 || *end != '\0' || end == field || id < 0 || id > 0x7fffffff)
		return -1;
	e->id = (int)id;
	/* parent id, major:minor, root */
	for (int i = 0; i < 3; i++)
		if (next_field(&p, field, sizeof(field)) < 0)
			return -1;
	if (next_field(&p, e->point, sizeof(e->point)) < 0)
		return -1;
	if (next_field(&p, field, sizeof(field)) < 0) /* per-mount options */
		return -1;
	e->readonly = strncmp(field, "ro", 2) == 0 && (field[2] == '\0' || field[2] == ',');
	/* optional fields up to the lone "-" */
	for (;;) {
		if (next_field(&p, field, sizeof(field)) < 0)
			return -1;
		if (strcmp(field, "-") == 0)
			break;
	}
	if (next_field(&p, field, sizeof(field)) < 0)
		return -1;
	str_copy_utf8(e->fstype, sizeof(e->fstype), field);
	return 0;
}

int mountinfo_is_under(const char *point, const char *dir)
{
	size_t n = strlen(dir);
	if (strcmp(dir, "/") == 0)
		return point[0] == '/';
	if (strncmp(point, dir, n) != 0)
		return 0;
	return point[n] == '\0' || point[n] == '/';
}

int mountinfo_filter(const char *text, const char *dir, mount_entry **out)
{
	int count = 0, cap = 0;
	mount_entry *list = NULL;
	mount_entry e;
	const char *line = text;

	while (*line != '\0') {
		const char *nl = strchr(line, '\n');
		if (mountinfo_parse_line(line, &e) == 0 && mountinfo_is_under(e.point, dir)) {
			/* A later mount on the same point hides the earlier one: keep the newest. */
			int i;
			for (i = 0; i < count; i++)
				if (strcmp(list[i].point, e.point) == 0)
					break;
			if (i == count) {
				if (count == cap) {
					cap = cap ? cap * 2 : 4;
					list = xreallocarray(list, (size_t)cap, sizeof(*list));
				}
				count++;
			}
			list[i] = e;
		}
		if (nl == NULL)
			break;
		line = nl + 1;
	}
	*out = list;
	return count;
}

char *mountinfo_read(int fd)
{
	size_t cap = 16384, len = 0;
	char *buf = xcalloc(1, cap);

	if (lseek(fd, 0, SEEK_SET) < 0)
		goto fail;
	for (;;) {
		if (len + 1 >= cap) {
			cap *= 2;
			buf = xreallocarray(buf, cap, 1);
		}
		ssize_t n = read(fd, buf + len, cap - len - 1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			goto fail;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	buf[len] = '\0';
	return buf;
fail:
	free(buf);
	return NULL;
}
