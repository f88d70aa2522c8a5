/* A tiny client for Syncthing's REST API (docs/CONTRACT.md "LAN sync").
 *
 * The kiosk runs with PrivateNetwork=yes, so it reaches its Syncthing through a unix socket in
 * the filesystem: Syncthing 1.19 serves its GUI and REST API on a socket when the GUI address
 * is an absolute path ("/run/kith-syncthing/gui.sock"; "unix:///..." is NOT understood by
 * 1.19). Tests may use "http://127.0.0.1:PORT" instead. One request per connection (HTTP/1.0,
 * Connection: close), each bounded by a timeout, so a hung Syncthing never stalls the caller
 * for long. Answers are small JSON documents read with syncthing_json_* (first match of a key;
 * enough for Syncthing's fixed shapes, never used on data from other kiosks).
 */
#ifndef KITH_SYNC_SYNCTHING_API_H
#define KITH_SYNC_SYNCTHING_API_H

#include <stddef.h>
#include <stdint.h>

#define SYNCTHING_ANSWER_MAX (1 << 20) /* a longer answer is cut here */

typedef struct syncthing_api {
	char sock_path[108];  /* unix socket, or "" with TCP */
	char host[64];        /* TCP: 127.0.0.1 */
	int port;
	char key[128];        /* X-API-Key */
	int timeout_ms;
} syncthing_api;

/* addr: an absolute socket path, "unix:///path" or "http://127.0.0.1:PORT". key_file holds
 * the API key (one line). 0, or -1 with err. */
int syncthing_api_init(syncthing_api *a, const char *addr, const char *key_file, char *err,
		       size_t errlen);
/* One request. Returns the HTTP status (200...) with *body (NUL-terminated, caller frees; may
 * be NULL when not wanted), or -1 when Syncthing could not be reached (err says why). */
int syncthing_api_call(const syncthing_api *a, const char *method, const char *path,
		       char **body, char *err, size_t errlen);

/* The number after "key": in json (from start), or def when absent. true/false read as 1/0. */
int64_t syncthing_json_int(const char *json, const char *key, int64_t def);
/* Where the object value of "key": starts ('{'), or NULL. */
const char *syncthing_json_find(const char *json, const char *key);
/* One past the end of the object or array starting at p ('{' or '['), or NULL if unclosed. */
const char *syncthing_json_skip(const char *p);

#endif
