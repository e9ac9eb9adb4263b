/* Unit tests: metric lines among kernel lines; what is refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "metrics.h"

static void test_among_kernel_lines(void **state)
{
	struct metrics m;

	(void)state;
	metrics_parse("[    2.024823] Out of memory: Killed process 25\r\n"
		      "pwb-metric hog_ms/subs=2 2153.5 ms\r\n"
		      "# subs=2: reaped\n"
		      "pwb-metric reaped/subs=2 1 bool\n"
		      "[    4.2] pwb-metric not/at_line_start 1 ms\n"
		      "pwb-metric last/no_newline -3e2 kB", &m);
	assert_int_equal(m.nr, 3);
	assert_string_equal(m.s[0].name, "hog_ms/subs=2");
	assert_true(m.s[0].value == 2153.5);
	assert_string_equal(m.s[0].unit, "ms");
	assert_string_equal(m.s[1].name, "reaped/subs=2");
	assert_true(m.s[2].value == -300.0);
	assert_int_equal(m.bad, 0);
	metrics_release(&m);
}

static void test_refused(void **state)
{
	static const char *const bad[] = {
		"pwb-metric x 1\n",			/* no unit */
		"pwb-metric x 1 ms extra\n",		/* a fourth field */
		"pwb-metric x one ms\n",		/* not a number */
		"pwb-metric x 1.5x ms\n",
		"pwb-metric x nan ms\n",		/* not finite */
		"pwb-metric x inf ms\n",
		"pwb-metric x 1e999 ms\n",
		"pwb-metric x;rm 1 ms\n",		/* characters */
		"pwb-metric x 1 m s\n",
		"pwb-metric x 1 \xc3\xa9\n",
		"pwb-metric  1 ms\n",			/* empty name */
	};
	struct metrics m;
	char long_name[300];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		metrics_parse(bad[i], &m);
		assert_int_equal(m.nr, 0);
		assert_int_equal(m.bad, 1);
		metrics_release(&m);
	}
	memset(long_name, 'a', sizeof(long_name));
	memcpy(long_name, "pwb-metric ", 11);
	strcpy(long_name + 200, " 1 ms\n");
	metrics_parse(long_name, &m);
	assert_int_equal(m.nr, 0);
	assert_int_equal(m.bad, 1);
	metrics_release(&m);
}

static void test_duplicates(void **state)
{
	struct metrics m;
	char *base;

	(void)state;
	metrics_parse("pwb-metric a/x 1 ms\npwb-metric a/x 2 ms\n", &m);
	assert_int_equal(m.nr, 1);
	assert_true(m.s[0].value == 1.0);
	assert_int_equal(m.dup, 1);
	metrics_release(&m);
	base = metric_base("hog_ms/subs=2");
	assert_string_equal(base, "hog_ms");
	free(base);
	base = metric_base("plain");
	assert_string_equal(base, "plain");
	free(base);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_among_kernel_lines),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_duplicates),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
