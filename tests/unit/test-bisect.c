/* bisect_search without a kernel: a judge that knows the answer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "bisect.h"

struct truth {
	size_t first_bad;	/* commits >= this are bad */
	const int *skip;	/* per commit: 1 cannot be tested */
	long fail_at;		/* this commit's test fails (infra), or -1 */
	int calls[64];
	int stepped;
};

static int judge(void *ud, size_t i, enum bisect_mark *mark, char *why,
		 size_t whylen)
{
	struct truth *t = ud;

	t->calls[i]++;
	if ((long)i == t->fail_at)
		return BISECT_EINFRA;
	if (t->skip && t->skip[i])
		*mark = BISECT_SKIP;
	else
		*mark = i >= t->first_bad ? BISECT_BAD : BISECT_GOOD;
	snprintf(why, whylen, "commit %zu", i);
	return 0;
}

static void step(void *ud, int stepno, size_t i, enum bisect_mark mark,
		 const char *why)
{
	struct truth *t = ud;

	(void)i;
	(void)mark;
	(void)why;
	t->stepped = stepno;
}

static void test_every_culprit(void **state)
{
	size_t n, k, i, lo, hi;
	int steps;

	(void)state;
	for (n = 2; n <= 40; n++)
		for (k = 1; k < n; k++) {
			struct truth t = { k, NULL, -1, { 0 }, 0 };
			enum bisect_mark marks[64] = { BISECT_UNTESTED };

			assert_int_equal(bisect_search(marks, n, judge, step, &t,
						       &lo, &hi, &steps),
					 BISECT_FOUND);
			assert_int_equal(hi, k);
			assert_int_equal(lo, k - 1);
			/* both ends, then at most ceil(log2(n - 1)) more */
			assert_true(steps <= 2 + (int)ceil(log2((double)(n - 1))));
			assert_int_equal(t.stepped, steps);
			for (i = 0; i < n; i++)
				assert_true(t.calls[i] <= 1);
		}
}

static void test_ends(void **state)
{
	static const int skip_good[8] = { 1 };
	struct truth t = { 8, NULL, -1, { 0 }, 0 };
	enum bisect_mark marks[8] = { BISECT_UNTESTED };
	size_t lo, hi;
	int steps;

	(void)state;
	/* nothing is bad: the bad end is not bad, nothing else tested */
	assert_int_equal(bisect_search(marks, 8, judge, NULL, &t, &lo, &hi,
				       &steps), BISECT_NOT_BAD);
	assert_int_equal(steps, 2);
	memset(&t, 0, sizeof(t));
	memset(marks, 0, sizeof(marks));
	t.first_bad = 3;
	t.skip = skip_good;
	t.fail_at = -1;
	assert_int_equal(bisect_search(marks, 8, judge, NULL, &t, &lo, &hi,
				       &steps), BISECT_GOOD_UNTESTABLE);
	assert_int_equal(t.calls[7], 0);
}

static void test_skipped(void **state)
{
	/* 4 and 5 cannot be tested; 5 is the real culprit */
	static const int skip[10] = { 0, 0, 0, 0, 1, 1, 0, 0, 0, 0 };
	struct truth t = { 5, skip, -1, { 0 }, 0 };
	enum bisect_mark marks[10] = { BISECT_UNTESTED };
	size_t lo, hi;
	int steps;

	(void)state;
	assert_int_equal(bisect_search(marks, 10, judge, NULL, &t, &lo, &hi,
				       &steps), BISECT_ONLY_SKIPPED);
	assert_int_equal(lo, 3);
	assert_int_equal(hi, 6);
	assert_int_equal(marks[4], BISECT_SKIP);
	assert_int_equal(marks[5], BISECT_SKIP);
	assert_int_equal(marks[6], BISECT_BAD);
}

static void test_infra_stops(void **state)
{
	struct truth t = { 5, NULL, 4, { 0 }, 0 };
	enum bisect_mark marks[10] = { BISECT_UNTESTED };
	size_t lo, hi;
	int steps;

	(void)state;
	assert_int_equal(bisect_search(marks, 10, judge, NULL, &t, &lo, &hi,
				       &steps), BISECT_EINFRA);
	assert_string_equal(bisect_mark_name(BISECT_SKIP), "skip");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_culprit),
		cmocka_unit_test(test_ends),
		cmocka_unit_test(test_skipped),
		cmocka_unit_test(test_infra_stops),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
