/*
 * Unit tests: the statistics behind verdicts.  Reference values from
 * SciPy 1.10 (scipy.stats.mannwhitneyu, two-sided; method="exact" where
 * there are no ties) and from the binomial tables by hand.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "stats.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define near(x, y) assert_true((x) - (y) < 1e-9 && (y) - (x) < 1e-9)

static void test_median_ci(void **state)
{
	double ten[] = { 10, 9, 8, 7, 6, 5, 4, 3, 2, 1 }, five[] = { 3, 1, 2, 5, 4 };
	struct stats_ci ci;

	(void)state;
	near(stats_median(ten, N(ten)), 5.5);
	near(stats_median(five, N(five)), 3);
	/* n = 10: [x(2), x(9)], coverage 1 - 2 * 11/1024 */
	stats_median_ci(ten, N(ten), 0.95, &ci);
	near(ci.lo, 2);
	near(ci.hi, 9);
	near(ci.coverage, 1 - 22.0 / 1024);
	/* n = 5: no 95% interval exists; the range, coverage 1 - 2/32 */
	stats_median_ci(five, N(five), 0.95, &ci);
	near(ci.lo, 1);
	near(ci.hi, 5);
	near(ci.coverage, 0.9375);
}

static void test_mann_whitney(void **state)
{
	static const struct {
		double a[40], b[40];
		size_t na, nb;
		double u, p;
		int exact;
	} c[] = {
		{ { 1, 2, 3, 4, 5 }, { 6, 7, 8, 9, 10 }, 5, 5, 0, 0.007936507936507936, 1 },
		{ { 1, 1, 1, 1, 1 }, { 0, 0, 0, 0, 0 }, 5, 5, 25, 0.003976751709788651, 0 },
		{ { 2600, 2666, 2732, 2776, 2827 }, { 2927, 3020, 3143, 2500, 2700 },
		  5, 5, 8, 0.42063492063492064, 1 },
		{ { 1.5, 2.5, 3, 8, 9.5, 11, 12 }, { 4, 5, 6, 7, 10, 13 }, 7, 6, 18,
		  0.7307692307692307, 1 },
		{ { 1, 2, 2, 3, 5 }, { 2, 4, 4, 6, 7, 8 }, 5, 6, 5, 0.07934368319771502, 0 },
		{ { 7, 7, 7 }, { 7, 7, 7 }, 3, 3, 4.5, 1, 0 },
	};
	struct stats_mw r;
	size_t i;

	(void)state;
	for (i = 0; i < N(c); i++) {
		stats_mann_whitney(c[i].a, c[i].na, c[i].b, c[i].nb, &r);
		near(r.u, c[i].u);
		assert_true(r.p - c[i].p < 1e-12 && c[i].p - r.p < 1e-12);
		assert_int_equal(r.exact, c[i].exact);
	}
}

static void test_mann_whitney_large(void **state)
{
	double a[40], b[35];
	struct stats_mw r;
	size_t i;

	(void)state;
	for (i = 0; i < 40; i++)
		a[i] = (double)i;
	for (i = 0; i < 35; i++)
		b[i] = (double)i + 10.5;
	/* beyond 30 per side: the normal approximation */
	stats_mann_whitney(a, 40, b, 35, &r);
	near(r.u, 435);
	assert_false(r.exact);
	assert_true(r.p - 0.004970189077531398 < 1e-12 &&
		    0.004970189077531398 - r.p < 1e-12);
}

static void test_adjust(void **state)
{
	double p[] = { 0.01, 0.04, 0.03, 0.005 }, adj[4];
	enum stats_correction c;

	(void)state;
	stats_adjust(p, 4, STATS_HOLM, adj);
	near(adj[0], 0.03);
	near(adj[1], 0.06);
	near(adj[2], 0.06);
	near(adj[3], 0.02);
	stats_adjust(p, 4, STATS_BH, adj);
	near(adj[0], 0.02);
	near(adj[1], 0.04);
	near(adj[2], 0.04);
	near(adj[3], 0.02);
	stats_adjust(p, 4, STATS_NONE, adj);
	near(adj[1], 0.04);
	assert_int_equal(stats_correction_parse("holm", &c), 0);
	assert_int_equal(c, STATS_HOLM);
	assert_int_equal(stats_correction_parse("bonferroni", &c), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_median_ci),
		cmocka_unit_test(test_mann_whitney),
		cmocka_unit_test(test_mann_whitney_large),
		cmocka_unit_test(test_adjust),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
