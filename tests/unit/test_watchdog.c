/* Unit tests for app/watchdog: the exact datagrams systemd would read from $NOTIFY_SOCKET, the
 * one-a-second kick limit, and eject requests appearing whole under $KITH_EJECT_DIR. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cmocka.h>

#include "app/watchdog.h"

struct fixture {
	char dir[64];   /* mkdtemp directory holding the socket */
	char sock[96];  /* its path, also in $NOTIFY_SOCKET */
	int fd;         /* our end: the "service manager" */
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct sockaddr_un sa = { .sun_family = AF_UNIX };

	assert_non_null(f);
	strcpy(f->dir, "/tmp/kith-wd-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->sock, sizeof(f->sock), "%s/notify", f->dir);
	f->fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0);
	assert_true(f->fd >= 0);
	strcpy(sa.sun_path, f->sock);
	assert_int_equal(bind(f->fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	setenv("NOTIFY_SOCKET", f->sock, 1);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	char cmd[128];

	close(f->fd);
	unsetenv("NOTIFY_SOCKET");
	unsetenv("KITH_EJECT_DIR");
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
	assert_int_equal(system(cmd), 0);
	free(f);
	return 0;
}

/* The next datagram, or "" when none is waiting. */
static const char *next_msg(struct fixture *f, char *buf, size_t size)
{
	ssize_t n = recv(f->fd, buf, size - 1, 0);
	buf[n > 0 ? n : 0] = '\0';
	return buf;
}

static void test_ready_and_status_reach_the_socket(void **state)
{
	struct fixture *f = *state;
	char buf[512];

	assert_int_equal(watchdog_ready(), 0);
	assert_string_equal(next_msg(f, buf, sizeof(buf)), "READY=1\nSTATUS=ready\n");
	assert_int_equal(watchdog_status("syncing\nstick"), 0);
	assert_string_equal(next_msg(f, buf, sizeof(buf)), "STATUS=syncing stick\n");
}

static void test_kick_sends_once_a_second(void **state)
{
	struct fixture *f = *state;
	struct watchdog wd = { 0 };
	char buf[512];

	assert_int_equal(watchdog_kick(&wd), 0);
	assert_string_equal(next_msg(f, buf, sizeof(buf)), "WATCHDOG=1\n");
	for (int i = 0; i < 100; i++)  /* a burst of frames: no more datagrams this second */
		assert_int_equal(watchdog_kick(&wd), 0);
	assert_string_equal(next_msg(f, buf, sizeof(buf)), "");
	wd.last_kick_ms -= 1500;  /* as if 1.5 s had passed */
	assert_int_equal(watchdog_kick(&wd), 0);
	assert_string_equal(next_msg(f, buf, sizeof(buf)), "WATCHDOG=1\n");
}

static void test_no_socket_is_a_quiet_no_op(void **state)
{
	struct watchdog wd = { 0 };

	(void)state;
	unsetenv("NOTIFY_SOCKET");
	assert_int_equal(watchdog_ready(), 0);
	assert_int_equal(watchdog_kick(&wd), 0);
	assert_int_equal(watchdog_eject("/media/kith/sda1"), 0);
}

static void test_eject_writes_one_whole_request(void **state)
{
	struct fixture *f = *state;
	char path[512], line[256];
	struct dirent *de;
	DIR *d;
	int found = 0;

	setenv("KITH_EJECT_DIR", f->dir, 1);
	assert_int_equal(watchdog_eject("/media/kith/sda1"), 0);
	d = opendir(f->dir);
	assert_non_null(d);
	while ((de = readdir(d))) {
		FILE *fp;
		if (de->d_name[0] == '.' || strcmp(de->d_name, "notify") == 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", f->dir, de->d_name);
		fp = fopen(path, "r");
		assert_non_null(fp);
		assert_non_null(fgets(line, sizeof(line), fp));
		fclose(fp);
		assert_string_equal(line, "/media/kith/sda1\n");
		found++;
	}
	closedir(d);
	assert_int_equal(found, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_ready_and_status_reach_the_socket, setup, teardown),
		cmocka_unit_test_setup_teardown(test_kick_sends_once_a_second, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_socket_is_a_quiet_no_op, setup, teardown),
		cmocka_unit_test_setup_teardown(test_eject_writes_one_whole_request, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
