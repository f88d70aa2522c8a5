/* Contrast, with numbers: the WCAG 2.x ratio of every foreground/background pair the screens
 * draw (firmware/screens/contrast.c), held to 4.5:1 for text and 3:1 for control edges, for
 * the built-in theme and for assets/theme/kith.theme; the ratio itself against the values the
 * WCAG definition gives; and a custom theme that fails is caught, pair by pair. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "screens/contrast.h"

static SDL_Color rgb(unsigned v)
{
	SDL_Color c = { (Uint8)(v >> 16), (Uint8)(v >> 8), (Uint8)v, 255 };
	return c;
}

static void test_ratio_definition(void **state)
{
	(void)state;
	assert_true(screen_contrast_ratio(rgb(0x000000), rgb(0xFFFFFF)) > 20.999);
	assert_true(screen_contrast_ratio(rgb(0x777777), rgb(0x777777)) < 1.0001);
	/* #767676 on white is the well-known 4.54:1; #777777 just misses 4.5 (4.48). */
	double r = screen_contrast_ratio(rgb(0x767676), rgb(0xFFFFFF));
	assert_true(r > 4.53 && r < 4.55);
	r = screen_contrast_ratio(rgb(0xFFFFFF), rgb(0x777777));
	assert_true(r > 4.47 && r < 4.49);
}

/* Prints every pair with its number, so the log is the table of what was measured. */
static void check_all(const screen_theme *t, const char *name)
{
	int n, bad = 0;
	const screen_pair *p = screen_pairs(&n);
	assert_true(n >= 20);
	for (int i = 0; i < n; i++) {
		char fg[96], bg[96];
		double r = screen_pair_ratio(t, &p[i]), need = screen_pair_need(p[i].kind);
		screen_shade_name(&p[i].fg, fg, sizeof fg);
		screen_shade_name(&p[i].bg, bg, sizeof bg);
		printf("%s: %-8s %5.2f:1 (need %.1f) %s on %s: %s\n", name,
		       p[i].kind == SCREEN_PAIR_CONTROL ? "control" : "text", r, need, fg, bg,
		       p[i].where);
		if (r < need) {
			printf("  FAILS\n");
			bad++;
		}
	}
	assert_int_equal(bad, 0);
	assert_int_equal(screen_theme_check(t, NULL, NULL), 0);
}

static void test_builtin_theme(void **state)
{
	screen_theme t;
	(void)state;
	screen_theme_default(&t);
	check_all(&t, "built-in");
}

/* The shipped theme file, read as the kiosk reads it ("key = #RRGGBB" lines). */
static void test_theme_file(void **state)
{
	screen_theme t;
	char line[256], key[64], value[64];
	int set = 0;
	(void)state;
	screen_theme_default(&t);
	FILE *f = fopen("assets/theme/kith.theme", "r"); /* tests run from the top */
	assert_non_null(f);
	while (fgets(line, sizeof line, f))
		if (sscanf(line, " %63[a-z_] = %63s", key, value) == 2) {
			assert_int_equal(screen_theme_set(&t, key, value), 0);
			set++;
		}
	fclose(f);
	assert_int_equal(set, 12); /* every key: the file is the whole theme */
	check_all(&t, "kith.theme");
}

struct seen {
	int n;
	char first[160];
};

static void note(void *ctx, const screen_pair *p, double ratio, double need)
{
	struct seen *s = ctx;
	if (s->n++ == 0)
		snprintf(s->first, sizeof s->first, "%s %.2f %.1f", p->where, ratio, need);
}

static void test_bad_theme_named(void **state)
{
	screen_theme t;
	struct seen s = { 0, "" };
	(void)state;
	screen_theme_default(&t);
	/* Grey secondary text on the navy background: 2.48:1. */
	assert_int_equal(screen_theme_set(&t, "muted", "#4A5A6E"), 0);
	int bad = screen_theme_check(&t, note, &s);
	assert_true(bad >= 2);
	assert_int_equal(s.n, bad);
	assert_non_null(strstr(s.first, "secondary text"));
	/* An outline as dark as the cards: the cards' edges fail, text does not. */
	screen_theme_default(&t);
	assert_int_equal(screen_theme_set(&t, "outline", "#1C2F47"), 0);
	s.n = 0;
	bad = screen_theme_check(&t, note, &s);
	assert_true(bad >= 1);
	assert_non_null(strstr(s.first, "buttons, rows, keys"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ratio_definition),
		cmocka_unit_test(test_builtin_theme),
		cmocka_unit_test(test_theme_file),
		cmocka_unit_test(test_bad_theme_named),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
