/* Syncthing's REST API over a unix socket or loopback TCP; see syncthing_api.h. */
#define _GNU_SOURCE
#include "sync/syncthing_api.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "common/util.h"

static void seterr(char *err, size_t errlen, const char *what)
{
	if (err != NULL && errlen > 0)
		snprintf(err, errlen, "%s", what);
}

int syncthing_api_init(syncthing_api *a, const char *addr, const char *key_file, char *err,
		       size_t errlen)
{
	char line[256];
	FILE *f;
	size_t n;

	memset(a, 0, sizeof(*a));
	a->timeout_ms = 1500;
	if (strncmp(addr, "unix://", 7) == 0)
		addr += 7;
	if (addr[0] == '/') {
		if (strlen(addr) >= sizeof(a->sock_path)) {
			seterr(err, errlen, "syncthing_api: the socket path is too long");
			return -1;
		}
		snprintf(a->sock_path, sizeof(a->sock_path), "%s", addr);
	} else if (strncmp(addr, "http://127.0.0.1:", 17) == 0) {
		char *end;
		long port = strtol(addr + 17, &end, 10);
		if (port < 1 || port > 65535 || (*end != '\0' && *end != '/')) {
			seterr(err, errlen, "syncthing_api: a bad port in http://127.0.0.1:PORT");
			return -1;
		}
		snprintf(a->host, sizeof(a->host), "127.0.0.1");
		a->port = (int)port;
	} else {
		/* Only loopback: the kiosk never talks to another machine's Syncthing. */
		seterr(err, errlen, "syncthing_api: must be a socket path or http://127.0.0.1:PORT");
		return -1;
	}
	if (key_file == NULL || (f = fopen(key_file, "r")) == NULL) {
		snprintf(err, errlen, "syncthing_api_key_file %s: %s", key_file ? key_file : "(unset)",
			 key_file ? strerror(errno) : "needed with syncthing_api");
		return -1;
	}
	if (fgets(line, sizeof(line), f) == NULL)
		line[0] = '\0';
	fclose(f);
	n = strcspn(line, "\r\n \t");
	line[n] = '\0';
	if (n == 0 || n >= sizeof(a->key)) {
		snprintf(err, errlen, "syncthing_api_key_file %s: no key on its first line", key_file);
		return -1;
	}
	memcpy(a->key, line, n + 1);
	return 0;
}

static int connect_to(const syncthing_api *a, char *err, size_t errlen)
{
	int fd;

	if (a->sock_path[0]) {
		struct sockaddr_un sun = { .sun_family = AF_UNIX };
		snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", a->sock_path);
		fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (fd >= 0 && connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == 0)
			return fd;
	} else {
		struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons((uint16_t)a->port) };
		inet_pton(AF_INET, a->host, &sin.sin_addr);
		fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (fd >= 0 && connect(fd, (struct sockaddr *)&sin, sizeof(sin)) == 0)
			return fd;
	}
	snprintf(err, errlen, "cannot reach Syncthing at %s: %s",
		 a->sock_path[0] ? a->sock_path : "127.0.0.1", strerror(errno));
	if (fd >= 0)
		close(fd);
	return -1;
}

/* Waits for fd to be ready within the request's deadline. 0, or -1 on timeout or error. */
static int wait_fd(int fd, short events, const struct timespec *deadline)
{
	struct timespec now;
	long ms;
	struct pollfd p = { .fd = fd, .events = events };

	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (deadline->tv_sec - now.tv_sec) * 1000 + (deadline->tv_nsec - now.tv_nsec) / 1000000;
	if (ms <= 0)
		return -1;
	return poll(&p, 1, (int)ms) == 1 ? 0 : -1;
}

int syncthing_api_call(const syncthing_api *a, const char *method, const char *path,
		       char **body, char *err, size_t errlen)
{
	char req[1024];
	char *buf = NULL;
	size_t len = 0, cap = 0;
	struct timespec deadline;
	int fd, n, status = -1;

	if (body != NULL)
		*body = NULL;
	n = snprintf(req, sizeof(req),
		     "%s %s HTTP/1.0\r\nHost: localhost\r\nX-API-Key: %s\r\nContent-Length: 0\r\n"
		     "Connection: close\r\n\r\n",
		     method, path, a->key);
	if (n < 0 || (size_t)n >= sizeof(req)) {
		seterr(err, errlen, "syncthing request too long");
		return -1;
	}
	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += a->timeout_ms / 1000;
	deadline.tv_nsec += (long)(a->timeout_ms % 1000) * 1000000L;
	if (deadline.tv_nsec >= 1000000000L) {
		deadline.tv_sec++;
		deadline.tv_nsec -= 1000000000L;
	}
	if ((fd = connect_to(a, err, errlen)) < 0)
		return -1;
	for (int off = 0; off < n;) {
		ssize_t w;
		if (wait_fd(fd, POLLOUT, &deadline) < 0 ||
		    (w = send(fd, req + off, (size_t)(n - off), MSG_NOSIGNAL)) <= 0) {
			seterr(err, errlen, "Syncthing did not take the request");
			goto cleanup;
		}
		off += (int)w;
	}
	for (;;) {
		ssize_t r;
		if (len + 4097 > cap) {
			if (cap >= SYNCTHING_ANSWER_MAX)
				break; /* long enough: the rest is not needed */
			cap = cap ? cap * 2 : 8192;
			buf = xreallocarray(buf, cap, 1);
		}
		if (wait_fd(fd, POLLIN, &deadline) < 0) {
			seterr(err, errlen, "Syncthing did not answer in time");
			goto cleanup;
		}
		r = recv(fd, buf + len, cap - len - 1, 0);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			snprintf(err, errlen, "reading Syncthing's answer: %s", strerror(errno));
			goto cleanup;
		}
		if (r == 0)
			break;
		len += (size_t)r;
	}
	if (buf == NULL || len < 12 || strncmp(buf, "HTTP/1.", 7) != 0) {
		seterr(err, errlen, "Syncthing's answer is not HTTP");
		goto cleanup;
	}
	buf[len] = '\0';
	status = atoi(buf + 9);
	if (body != NULL) {
		char *start = strstr(buf, "\r\n\r\n");
		size_t skip = start ? (size_t)(start + 4 - buf) : len;
		memmove(buf, buf + skip, len - skip + 1);
		*body = buf;
		buf = NULL;
	}
cleanup:
	free(buf);
	close(fd);
	return status;
}

const char *syncthing_json_find(const char *json, const char *key)
{
	size_t klen = strlen(key);
	for (const char *p = json; (p = strchr(p, '"')) != NULL; p++) {
		const char *q;
		if (strncmp(p + 1, key, klen) != 0 || p[klen + 1] != '"')
			continue;
		q = p + klen + 2;
		while (*q == ' ' || *q == '\n' || *q == '\t' || *q == '\r')
			q++;
		if (*q != ':')
			continue;
		q++;
		while (*q == ' ' || *q == '\n' || *q == '\t' || *q == '\r')
			q++;
		return q;
	}
	return NULL;
}

int64_t syncthing_json_int(const char *json, const char *key, int64_t def)
{
	const char *v = json ? syncthing_json_find(json, key) : NULL;
	char *end;
	long long n;

	if (v == NULL)
		return def;
	if (strncmp(v, "true", 4) == 0)
		return 1;
	if (strncmp(v, "false", 5) == 0)
		return 0;
	n = strtoll(v, &end, 10);
	return end == v ? def : (int64_t)n;
}

const char *syncthing_json_skip(const char *p)
{
	int depth = 0, in_str = 0;
	for (; *p; p++) {
		if (in_str) {
			if (*p == '\\' && p[1])
				p++;
			else if (*p == '"')
				in_str = 0;
		} else if (*p == '"') {
			in_str = 1;
		} else if (*p == '{' || *p == '[') {
			depth++;
		} else if (*p == '}' || *p == ']') {
			if (--depth == 0)
				return p + 1;
		}
	}
	return NULL;
}
