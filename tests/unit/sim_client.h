/* Test helper: runs build/pn532-sim as a child process and talks to it over pipes.
 *
 * Header-only (static functions) so unit tests and bench drivers share it without a library.
 * Every command the sim accepts answers exactly one line, so sim_cmd is a plain request/reply.
 * The sim binary is found next to the test binary's build directory (../pn532-sim), so the
 * ASan build tests the ASan sim.
 */
#ifndef KITH_SIM_CLIENT_H
#define KITH_SIM_CLIENT_H

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

typedef struct sim_client {
	pid_t pid;          /* the pn532-sim child */
	FILE *in;           /* its stdin */
	FILE *out;          /* its stdout */
	char dir[PATH_MAX]; /* temp dir holding the link */
	char link[PATH_MAX + 16]; /* the pty symlink */
	char connstring[PATH_MAX + 32]; /* pn532_uart:LINK */
} sim_client;

/* Path of a program in the build directory that holds this executable's parent dir. */
static inline void sim_build_path(char *out, size_t outlen, const char *name)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n < 0)
		n = 0;
	exe[n] = '\0';
	char *slash = strrchr(exe, '/');
	if (slash)
		*slash = '\0';
	slash = strrchr(exe, '/');
	if (slash)
		*slash = '\0';
	snprintf(out, outlen, "%s/%s", exe, name);
}

/* Starts the sim with its link in a new temp dir, or in reuse_dir (a reader that appears). */
static inline int sim_start(sim_client *s, int realtime, const char *reuse_dir)
{
	int to_child[2], from_child[2];
	char bin[PATH_MAX + 16], line[512];

	if (reuse_dir) {
		snprintf(s->dir, sizeof s->dir, "%s", reuse_dir);
	} else {
		snprintf(s->dir, sizeof s->dir, "/tmp/kith-sim-XXXXXX");
		if (mkdtemp(s->dir) == NULL)
			return -1;
	}
	snprintf(s->link, sizeof s->link, "%s/pn532", s->dir);
	snprintf(s->connstring, sizeof s->connstring, "pn532_uart:%s", s->link);
	sim_build_path(bin, sizeof bin, "pn532-sim");
	if (pipe(to_child) < 0 || pipe(from_child) < 0)
		return -1;
	s->pid = fork();
	if (s->pid < 0)
		return -1;
	if (s->pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGTERM); /* a failed assert must not leave a sim behind */
		dup2(to_child[0], 0);
		dup2(from_child[1], 1);
		close(to_child[1]);
		close(from_child[0]);
		if (realtime)
			execl(bin, bin, "--link", s->link, "--realtime", (char *)NULL);
		else
			execl(bin, bin, "--link", s->link, (char *)NULL);
		_exit(127);
	}
	close(to_child[0]);
	close(from_child[1]);
	s->in = fdopen(to_child[1], "w");
	s->out = fdopen(from_child[0], "r");
	setvbuf(s->in, NULL, _IOLBF, 0);
	if (fgets(line, sizeof line, s->out) == NULL || strncmp(line, "ready ", 6) != 0) {
		fprintf(stderr, "sim_start: %s did not say ready\n", bin);
		return -1;
	}
	return 0;
}

/* Sends one command line; copies the sim's one-line answer into reply (if given). */
static inline int sim_cmd(sim_client *s, char *reply, size_t replylen, const char *fmt, ...)
{
	char line[4096]; /* `dump` answers ~1200 characters */
	va_list ap;

	va_start(ap, fmt);
	vfprintf(s->in, fmt, ap);
	va_end(ap);
	fputc('\n', s->in);
	fflush(s->in);
	if (fgets(line, sizeof line, s->out) == NULL)
		return -1;
	line[strcspn(line, "\n")] = '\0';
	if (reply && replylen > 0) {
		size_t n = strlen(line) < replylen - 1 ? strlen(line) : replylen - 1;
		memcpy(reply, line, n);
		reply[n] = '\0';
	}
	return strncmp(line, "error", 5) == 0 ? -1 : 0;
}

/* Reads one counter (e.g. "empty", "rx") from the sim's stats line. */
static inline long long sim_stat(sim_client *s, const char *key)
{
	char line[1024], pat[64];
	if (sim_cmd(s, line, sizeof line, "stats") < 0)
		return -1;
	snprintf(pat, sizeof pat, " %s=", key);
	char *p = strstr(line, pat);
	return p ? strtoll(p + strlen(pat), NULL, 10) : -1;
}

static inline void sim_stop(sim_client *s, int keep_dir)
{
	int status;
	if (s->pid > 0) {
		fprintf(s->in, "quit\n");
		fflush(s->in);
		fclose(s->in);
		fclose(s->out);
		waitpid(s->pid, &status, 0);
		s->pid = 0;
	}
	if (!keep_dir) {
		unlink(s->link);
		rmdir(s->dir);
	}
}

#endif
