/* Unit tests for sync/syncthing_api: which addresses are accepted (loopback and sockets only),
 * the API key file, the JSON readers on Syncthing's answer shapes, and an unreachable socket. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "sync/syncthing_api.h"

static char keyfile[] = "/tmp/kith-stapi-XXXXXX";

static int setup(void **state)
{
	(void)state;
	int fd = mkstemp(keyfile);
	if (fd < 0 || write(fd, "abcKEY123\n", 10) != 10)
		return -1;
	close(fd);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	unlink(keyfile);
	return 0;
}

static void test_addresses(void **state)
{
	syncthing_api a;
	char err[200];
	(void)state;
	assert_int_equal(syncthing_api_init(&a, "/run/kith/gui.sock", keyfile, err, sizeof err), 0);
	assert_string_equal(a.sock_path, "/run/kith/gui.sock");
	assert_string_equal(a.key, "abcKEY123");
	assert_int_equal(syncthing_api_init(&a, "unix:///run/x.sock", keyfile, err, sizeof err), 0);
	assert_string_equal(a.sock_path, "/run/x.sock");
	assert_int_equal(syncthing_api_init(&a, "http://127.0.0.1:8384", keyfile, err, sizeof err), 0);
	assert_int_equal(a.port, 8384);
	/* Never another machine, never a bad port. */
	assert_int_equal(syncthing_api_init(&a, "http://10.0.0.1:8384", keyfile, err, sizeof err), -1);
	assert_int_equal(syncthing_api_init(&a, "http://127.0.0.1:99999", keyfile, err, sizeof err), -1);
	assert_int_equal(syncthing_api_init(&a, "relative.sock", keyfile, err, sizeof err), -1);
	assert_int_equal(syncthing_api_init(&a, "/x.sock", "/nonexistent/key", err, sizeof err), -1);
	assert_non_null(strstr(err, "/nonexistent/key"));
}

static void test_json(void **state)
{
	const char *conn = "{\n  \"connections\": {\n    \"A\": {\n      \"connected\": true,\n"
			   "      \"x\": \"}{\\\"\"\n    },\n    \"B\": { \"connected\": false }\n  },\n"
			   "  \"total\": { \"outBytesTotal\": 12345 }\n}";
	const char *c;
	(void)state;
	c = syncthing_json_find(conn, "connections");
	assert_non_null(c);
	assert_int_equal(*c, '{');
	assert_ptr_equal(syncthing_json_skip(c), strstr(conn, "},\n  \"total\"") + 1);
	assert_int_equal(syncthing_json_int(conn, "connected", -1), 1);
	assert_int_equal(syncthing_json_int(conn, "outBytesTotal", -1), 12345);
	assert_int_equal(syncthing_json_int(conn, "needBytes", -7), -7);
	assert_null(syncthing_json_skip("{\"a\": [1, 2"));
}

static void test_unreachable(void **state)
{
	syncthing_api a;
	char err[200];
	char *body = (char *)1;
	(void)state;
	assert_int_equal(syncthing_api_init(&a, "/tmp/kith-no-such-syncthing.sock", keyfile, err, sizeof err), 0);
	assert_int_equal(syncthing_api_call(&a, "GET", "/rest/system/ping", &body, err, sizeof err), -1);
	assert_null(body);
	assert_non_null(strstr(err, "cannot reach Syncthing"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_addresses),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_unreachable),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
