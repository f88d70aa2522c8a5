/* Staff mode benchmark (make bench, tests/bench/bench-staff.sh): the staff name search as you
 * type, on a 100,000-attendee roster in several scripts.
 *
 *   staff_bench make-db DB [--attendees N]     a roster of N names (Latin with diacritics,
 *                                               Cyrillic, Greek, CJK), deterministic
 *   staff_bench bench DB --window WxH          rows: keystroke -> FTS5 query, and keystroke ->
 *                                               presented frame, through the staff screen's
 *                                               own hooks (screen_staff_ops)
 * Reports; never fails on a time.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/util.h"
#include "screens/staff.h"
#include "store/store.h"
#include "ui/ui.h"

static const char *const given[] = {
	"María", "José", "Zoë", "Łukasz", "Søren", "Ana", "Jürgen", "Chloé", "Mário", "Ines",
	"Мария", "Иван", "Ольга", "Δημήτρης", "Ελένη", "花子", "太郎", "明", "Noor", "Kwame",
};
static const char *const family[] = {
	"González", "Müller", "Nowak", "Ødegaard", "Lima", "Dubois", "Rossi", "Öztürk", "Silva",
	"Иванова", "Петров", "Παπαδόπουλος", "田中", "山田", "李", "Okafor", "Haddad", "Novák",
	"Fernández", "Björk",
};

static int make_db(const char *path, int n)
{
	store *s = NULL;
	char id[32], name[128];
	if (store_open(&s, path, STORE_OPEN_CREATE) != 0) {
		fprintf(stderr, "%s: %s\n", path, s ? store_errmsg(s) : "cannot open");
		store_close(s);
		return 1;
	}
	store_begin(s);
	unsigned seed = 11;
	for (int i = 0; i < n; i++) {
		seed = seed * 1103515245u + 12345u;
		snprintf(id, sizeof id, "a%06d", i);
		snprintf(name, sizeof name, "%s %s", given[(seed >> 8) % ARRAY_LEN(given)],
			 family[(seed >> 16) % ARRAY_LEN(family)]);
		store_attendee_in a = { id, name, "Library", STORE_VISIBLE_YES };
		if (store_attendee_put(s, &a) != 0) {
			fprintf(stderr, "%s: %s\n", id, store_errmsg(s));
			return 1;
		}
	}
	int rc = store_commit(s);
	store_close(s);
	return rc == 0 ? 0 : 1;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static void report(const char *measure, uint64_t *ns, int n)
{
	qsort(ns, (size_t)n, sizeof *ns, cmp_u64);
	double med = ns[n / 2] / 1e6, p99 = ns[(n * 99) / 100 < n ? (n * 99) / 100 : n - 1] / 1e6;
	char m1[32], m2[32], ratio[64];
	snprintf(m1, sizeof m1, "%.2f ms", med);
	snprintf(m2, sizeof m2, "%.2f ms", p99);
	snprintf(ratio, sizeof ratio, "p99 = %.2fx target (n=%d)", p99 / 16.7, n);
	printf("%-10s | %-52s | %12s | %12s | %-22s | %s\n", "staff", measure, m1, m2,
	       "< 16.7 ms (1 frame)", ratio);
	fflush(stdout);
}

static int no_job(void *ctx, const staff_job *j)
{
	(void)ctx;
	(void)j;
	return 0;
}

static size_t next_char(const char *p, char ch[8])
{
	size_t len = 1;
	while (len < 4 && ((unsigned char)p[len] & 0xC0) == 0x80)
		len++;
	memcpy(ch, p, len);
	ch[len] = '\0';
	return len;
}

static int bench(const char *path, int w, int h)
{
	static const char *const queries[] = { "maria gonz", "zoe mul", "мария ив", "田中",
					       "δημ", "soren ode", "lukasz now", "ana lima" };
	enum { N = 1000 };
	store *db = NULL;
	ui *u = NULL;
	uint64_t *ns = xcalloc(N, sizeof *ns), *dn = xcalloc(N, sizeof *dn);
	store_attendee out[8];
	char size[32], m[96];
	int n = 0;

	if (store_open(&db, path, STORE_OPEN_READONLY) != 0) {
		fprintf(stderr, "%s: cannot open\n", path);
		return 1;
	}
	if (SDL_Init(SDL_INIT_VIDEO) != 0) {
		fprintf(stderr, "SDL: %s\n", SDL_GetError());
		return 1;
	}
	ui_options o;
	memset(&o, 0, sizeof o);
	o.title = "staff";
	o.width = w;
	o.height = h;
	o.scene_file = getenv("STAFF_BENCH_SCENE"); /* for looking, not measuring */
	if (ui_open(&u, &o) != 0)
		return 1;
	snprintf(size, sizeof size, "%dx%d", ui_width(u), ui_height(u));

	/* 1. The query alone, every prefix of every query. */
	for (int rep = 0; rep < 6; rep++)
		for (size_t q = 0; q < ARRAY_LEN(queries); q++)
			for (size_t len = 1; len <= strlen(queries[q]) && n < N; len++) {
				char prefix[64];
				memcpy(prefix, queries[q], len);
				prefix[len] = '\0';
				uint64_t t0 = time_mono_ns();
				store_attendee_search(db, prefix, out, 8);
				ns[n++] = time_mono_ns() - t0;
			}
	snprintf(m, sizeof m, "staff name search: FTS5 prefix query, 100k names");
	report(m, ns, n);

	/* 2. Keystroke to presented frame through the screen's own hooks. */
	screen_env env = { .db = db, .staff_pin = "2468", .staff_job = no_job };
	screen_theme theme;
	screen_state st;
	screen_metrics mt;
	void *self = screen_staff_ops.open(&env);
	memset(&st, 0, sizeof st);
	screen_theme_default(&theme);
	screen_metrics_compute(&mt, (SDL_Rect){ 0, 0, ui_width(u), ui_height(u) });
	/* Warm-up: the fonts of every script open once per run, not per keystroke. */
	for (size_t q = 0; q < ARRAY_LEN(queries); q++) {
		screen_staff_ops.enter(self, &st, NULL, 0, time_mono_ns());
		screen_staff_ops.text(self, &st, queries[q]);
		ui_frame_begin(u, "staff-search", theme.background);
		screen_staff_ops.draw(self, u, &st, &theme, &mt, time_mono_ns());
		ui_frame_discard(u);
	}
	n = 0;
	for (int rep = 0; rep < 3; rep++)
		for (size_t q = 0; q < ARRAY_LEN(queries); q++) {
			screen_staff_ops.enter(self, &st, NULL, 0, time_mono_ns());
			const char *p = queries[q];
			while (*p && n < N) {
				char ch[8];
				p += next_char(p, ch);
				uint64_t t0 = time_mono_ns();
				screen_staff_ops.text(self, &st, ch);
				uint64_t t1 = time_mono_ns();
				ui_frame_begin(u, "staff-search", theme.background);
				screen_staff_ops.draw(self, u, &st, &theme, &mt, time_mono_ns());
				uint64_t t2 = time_mono_ns();
				ui_frame_end(u);
				dn[n] = t2 - t0;
				ns[n++] = time_mono_ns() - t0;
				if (getenv("STAFF_BENCH_SLOW") && ns[n - 1] > 16700000)
					fprintf(stderr, "slow: %s|%s %.1f ms (query %.1f, draw %.1f)\n",
						queries[q], p, ns[n - 1] / 1e6, (t1 - t0) / 1e6,
						(t2 - t1) / 1e6);
			}
		}
	snprintf(m, sizeof m, "staff search keystroke to presented frame, %s", size);
	report(m, ns, n);
	/* Present is the X server's copy under Xvfb, and on a shared machine its waits. */
	snprintf(m, sizeof m, "  of which query + drawing (before present), %s", size);
	report(m, dn, n);
	screen_staff_ops.close(self);
	ui_close(u);
	SDL_Quit();
	store_close(db);
	free(ns);
	free(dn);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 3 && strcmp(argv[1], "make-db") == 0) {
		int n = 100000;
		if (argc >= 5 && strcmp(argv[3], "--attendees") == 0)
			n = atoi(argv[4]);
		return make_db(argv[2], n);
	}
	if (argc >= 5 && strcmp(argv[1], "bench") == 0 && strcmp(argv[3], "--window") == 0) {
		int w, h;
		if (sscanf(argv[4], "%dx%d", &w, &h) == 2)
			return bench(argv[2], w, h);
	}
	fprintf(stderr, "usage: staff_bench make-db DB [--attendees N] | bench DB --window WxH\n");
	return 2;
}
