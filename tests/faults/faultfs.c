/* faultfs: an LD_PRELOAD shim that makes one write-side filesystem call on the stick fail.
 *
 * Why a shim and not a device-mapper error/flakey target: the issue asks for an I/O error "at
 * every write/fsync/rename step of the export in turn". dm targets fail by sector range or by
 * time window, so which step of the export hits the bad sector depends on the vfat allocator
 * and the page cache (writes land in the cache and only fail at writeback, reported at fsync).
 * The shim counts the calls themselves, so step N fails deterministically, every step gets its
 * turn, and the log names the step. What it cannot show is a stick that acknowledges a write it
 * then loses; the temp + fsync + quick_check + rename order is what covers that.
 *
 * It can also play a stick that loses what it acknowledged: FAULTFS_ON_RENAME runs a shell
 * command on the target of every successful rename under the prefix (truncate it, overwrite it
 * with garbage, delete rows), after the writer has checked its temp file and before anything
 * can read the result back. The command runs without the shim and is not counted.
 *
 * Environment:
 *   FAULTFS_PREFIX  only files opened under this path (the stick) count; required
 *   FAULTFS_FAIL_AT N  the Nth counted call fails with EIO (0 or unset: none fails)
 *   FAULTFS_STICKY  if set, every counted call after the Nth fails too (a dying stick)
 *   FAULTFS_LOG     append "N op path-or-fd result" per counted call to this file
 *   FAULTFS_ON_RENAME  sh -c command run after each successful rename under the prefix, with
 *                   the new name as $1; the rename fails with EIO if the command does
 * Counted calls: write, pwrite(64), writev, ftruncate, fsync, fdatasync, syncfs on an fd
 * opened under the prefix; rename/renameat/unlink/mkdir on a path under it.
 * Built by tests/e2e/usb-faults.sh with cc -shared -fPIC; not part of any program.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_FD 4096

static unsigned char on_stick[MAX_FD]; /* fd -> opened under the prefix */
static long calls;                     /* counted calls so far */

#define REAL(name) \
	static __typeof__(name) *real_##name; \
	if (real_##name == NULL) \
		real_##name = (__typeof__(name) *)dlsym(RTLD_NEXT, #name)

static int under_prefix(const char *path)
{
	const char *prefix = getenv("FAULTFS_PREFIX");
	size_t n;
	if (prefix == NULL || path == NULL)
		return 0;
	n = strlen(prefix);
	return strncmp(path, prefix, n) == 0;
}

/* Counts one call; returns 1 if it must fail. */
static int should_fail(const char *op, const char *what)
{
	const char *at = getenv("FAULTFS_FAIL_AT"), *logp = getenv("FAULTFS_LOG");
	long n = at ? atol(at) : 0;
	int fail;
	calls++;
	fail = n > 0 && (calls == n || (calls > n && getenv("FAULTFS_STICKY") != NULL));
	if (logp != NULL) {
		int fd = open(logp, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
		if (fd >= 0) {
			char line[600];
			int len = snprintf(line, sizeof(line), "%ld %s %s %s\n", calls, op, what,
					   fail ? "EIO" : "ok");
			/* the log is not under the prefix, so this write is not counted */
			ssize_t w = write(fd, line, (size_t)len);
			(void)w;
			close(fd);
		}
	}
	return fail;
}

static int fd_counts(int fd)
{
	return fd >= 0 && fd < MAX_FD && on_stick[fd];
}

static const char *fdname(int fd)
{
	static char buf[32];
	snprintf(buf, sizeof(buf), "fd%d", fd);
	return buf;
}

static void track(int fd, const char *path)
{
	if (fd >= 0 && fd < MAX_FD)
		on_stick[fd] = (unsigned char)under_prefix(path);
}

int open(const char *path, int flags, ...)
{
	REAL(open);
	mode_t mode = 0;
	if (flags & (O_CREAT | O_TMPFILE)) {
		va_list ap;
		va_start(ap, flags);
		mode = (mode_t)va_arg(ap, int);
		va_end(ap);
	}
	int fd = real_open(path, flags, mode);
	track(fd, path);
	return fd;
}

int open64(const char *path, int flags, ...)
{
	REAL(open64);
	mode_t mode = 0;
	if (flags & (O_CREAT | O_TMPFILE)) {
		va_list ap;
		va_start(ap, flags);
		mode = (mode_t)va_arg(ap, int);
		va_end(ap);
	}
	int fd = real_open64(path, flags, mode);
	track(fd, path);
	return fd;
}

int openat(int dirfd, const char *path, int flags, ...)
{
	REAL(openat);
	mode_t mode = 0;
	if (flags & (O_CREAT | O_TMPFILE)) {
		va_list ap;
		va_start(ap, flags);
		mode = (mode_t)va_arg(ap, int);
		va_end(ap);
	}
	int fd = real_openat(dirfd, path, flags, mode);
	/* relative to a stick folder counts too */
	if (fd >= 0 && fd < MAX_FD)
		on_stick[fd] = (unsigned char)(under_prefix(path) ||
					       (path[0] != '/' && fd_counts(dirfd)));
	return fd;
}

int close(int fd)
{
	REAL(close);
	if (fd >= 0 && fd < MAX_FD)
		on_stick[fd] = 0;
	return real_close(fd);
}

ssize_t write(int fd, const void *buf, size_t n)
{
	REAL(write);
	if (fd_counts(fd) && should_fail("write", fdname(fd))) {
		errno = EIO;
		return -1;
	}
	return real_write(fd, buf, n);
}

ssize_t pwrite(int fd, const void *buf, size_t n, off_t off)
{
	REAL(pwrite);
	if (fd_counts(fd) && should_fail("pwrite", fdname(fd))) {
		errno = EIO;
		return -1;
	}
	return real_pwrite(fd, buf, n, off);
}

ssize_t pwrite64(int fd, const void *buf, size_t n, off64_t off)
{
	REAL(pwrite64);
	if (fd_counts(fd) && should_fail("pwrite", fdname(fd))) {
		errno = EIO;
		return -1;
	}
	return real_pwrite64(fd, buf, n, off);
}

ssize_t writev(int fd, const struct iovec *iov, int cnt)
{
	REAL(writev);
	if (fd_counts(fd) && should_fail("writev", fdname(fd))) {
		errno = EIO;
		return -1;
	}
	return real_writev(fd, iov, cnt);
}

int ftruncate(int fd, off_t len)
{
	REAL(ftruncate);
	if (fd_counts(fd) && should_fail("ftruncate", fdname(fd))) {
		errno = EIO;
		return -1;
	}
	return real_ftruncate(fd, len);
}

int ftruncate64(int fd, off64_t len)
{
	REAL(ftruncate64);
	if (fd_counts(fd) && should_fail("ftruncate", fdname(fd))) {
		errno = EIO;
		return -1;
	}
	return real_ftruncate64(fd, len);
}

int fsync(int fd)
{
	REAL(fsync);
	if (fd_counts(fd) && should_fail("fsync", fdname(fd))) {
		errno = EIO;
		return -1;
	}
	return real_fsync(fd);
}

int fdatasync(int fd)
{
	REAL(fdatasync);
	if (fd_counts(fd) && should_fail("fdatasync", fdname(fd))) {
		errno = EIO;
		return -1;
	}
	return real_fdatasync(fd);
}

int syncfs(int fd)
{
	REAL(syncfs);
	if (fd_counts(fd) && should_fail("syncfs", fdname(fd))) {
		errno = EIO;
		return -1;
	}
	return real_syncfs(fd);
}

/* FAULTFS_ON_RENAME on the new name; 0, or -1 if the command could not run or failed. */
static int on_rename(const char *to)
{
	const char *cmd = getenv("FAULTFS_ON_RENAME");
	int status;
	pid_t pid;
	if (cmd == NULL || cmd[0] == '\0')
		return 0;
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		unsetenv("LD_PRELOAD");
		execl("/bin/sh", "sh", "-c", cmd, "sh", to, (char *)NULL);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

int rename(const char *from, const char *to)
{
	REAL(rename);
	int stick = under_prefix(from) || under_prefix(to), rc;
	if (stick && should_fail("rename", to)) {
		errno = EIO;
		return -1;
	}
	rc = real_rename(from, to);
	if (rc == 0 && stick && on_rename(to) < 0) {
		errno = EIO;
		return -1;
	}
	return rc;
}

int renameat(int fromfd, const char *from, int tofd, const char *to)
{
	REAL(renameat);
	if ((under_prefix(from) || under_prefix(to) || fd_counts(fromfd) || fd_counts(tofd)) &&
	    should_fail("renameat", to)) {
		errno = EIO;
		return -1;
	}
	return real_renameat(fromfd, from, tofd, to);
}

int unlink(const char *path)
{
	REAL(unlink);
	if (under_prefix(path) && should_fail("unlink", path)) {
		errno = EIO;
		return -1;
	}
	return real_unlink(path);
}

int mkdir(const char *path, mode_t mode)
{
	REAL(mkdir);
	if (under_prefix(path) && should_fail("mkdir", path)) {
		errno = EIO;
		return -1;
	}
	return real_mkdir(path, mode);
}

int mkdirat(int dirfd, const char *path, mode_t mode)
{
	REAL(mkdirat);
	if ((under_prefix(path) || (path[0] != '/' && fd_counts(dirfd))) &&
	    should_fail("mkdirat", path)) {
		errno = EIO;
		return -1;
	}
	return real_mkdirat(dirfd, path, mode);
}
