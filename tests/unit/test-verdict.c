/*
 * Unit tests: a check's typed outcomes (verdict.h): every status and
 * verdict reads back from the string the database keeps, unknown strings
 * are refused, and the one rule that turns compared suites into a verdict.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "compare.h"
#include "verdict.h"

static void test_names_round_trip(void **state)
{
	enum check_status st;
	enum check_verdict v;
	int i;

	(void)state;
	for (i = CHECK_ST_RUNNING; i <= CHECK_ST_INTERRUPTED; i++) {
		assert_int_equal(check_status_parse(check_status_name(i), &st), 0);
		assert_int_equal(st, i);
	}
	for (i = CHECK_VERDICT_NONE; i <= CHECK_VERDICT_INFRA_ERROR; i++) {
		assert_int_equal(check_verdict_parse(check_verdict_name(i), &v), 0);
		assert_int_equal(v, i);
	}
	/* the strings the database and JSON have always had */
	assert_string_equal(check_status_name(CHECK_ST_INTERRUPTED), "interrupted");
	assert_string_equal(check_verdict_name(CHECK_VERDICT_DOES_NOT_BUILD),
			    "does-not-build");
	assert_string_equal(check_verdict_name(CHECK_VERDICT_NOT_COMPARABLE),
			    "not-comparable");
	assert_null(check_verdict_name(CHECK_VERDICT_NONE));
	assert_int_equal(check_verdict_parse(NULL, &v), 0);
	assert_int_equal(v, CHECK_VERDICT_NONE);
}

static void test_unknown_refused(void **state)
{
	enum check_status st = CHECK_ST_DONE;
	enum check_verdict v = CHECK_VERDICT_REGRESSION;

	(void)state;
	assert_int_equal(check_status_parse("Done", &st), -1);
	assert_int_equal(check_status_parse("", &st), -1);
	assert_int_equal(check_status_parse(NULL, &st), -1);
	assert_int_equal(check_verdict_parse("regressed", &v), -1);
	assert_int_equal(check_verdict_parse("", &v), -1);
	/* left as they were */
	assert_int_equal(st, CHECK_ST_DONE);
	assert_int_equal(v, CHECK_VERDICT_REGRESSION);
}

/* a check_suites row's status */
static void test_suite_status(void **state)
{
	enum check_suite_status cs;
	int i;

	(void)state;
	assert_string_equal(check_suite_status_name(CHECK_SUITE_COMPARED),
			    "compared");
	assert_string_equal(check_suite_status_name(CHECK_SUITE_INFRA_ERROR),
			    "infra-error");
	for (i = CHECK_SUITE_COMPARED; i <= CHECK_SUITE_INFRA_ERROR; i++) {
		assert_int_equal(check_suite_status_parse(check_suite_status_name(i),
							  &cs), 0);
		assert_int_equal(cs, i);
	}
	cs = CHECK_SUITE_COMPARED;
	assert_int_equal(check_suite_status_parse("Compared", &cs), -1);
	assert_int_equal(check_suite_status_parse("done", &cs), -1);
	assert_int_equal(check_suite_status_parse("", &cs), -1);
	assert_int_equal(check_suite_status_parse(NULL, &cs), -1);
	assert_int_equal(cs, CHECK_SUITE_COMPARED);
}

static void test_judge(void **state)
{
	struct suite_cmp s[2];
	char *none[2] = { NULL, NULL }, *second_failed[2] = { NULL, "could not run" };

	(void)state;
	memset(s, 0, sizeof(s));
	s[0].comparable = s[1].comparable = 1;
	/* nothing regressed: no-regression while running, else as it was */
	assert_int_equal(check_verdict_judge(s, none, 2, 1, CHECK_VERDICT_NONE),
			 CHECK_VERDICT_NO_REGRESSION);
	assert_int_equal(check_verdict_judge(s, second_failed, 2, 0,
					     CHECK_VERDICT_INFRA_ERROR),
			 CHECK_VERDICT_INFRA_ERROR);
	/* any regression wins, even beside a suite that could not run */
	s[0].regressions = 2;
	assert_int_equal(check_verdict_judge(s, second_failed, 2, 0,
					     CHECK_VERDICT_INFRA_ERROR),
			 CHECK_VERDICT_REGRESSION);
	assert_int_equal(check_verdict_judge(s, none, 2, 1, CHECK_VERDICT_NONE),
			 CHECK_VERDICT_REGRESSION);
	/* a suite that ran and gave nothing to compare */
	s[0].regressions = 0;
	s[1].comparable = 0;
	assert_int_equal(check_verdict_judge(s, none, 2, 1, CHECK_VERDICT_NONE),
			 CHECK_VERDICT_NOT_COMPARABLE);
	/* ... but one that could not run is not "not comparable" */
	assert_int_equal(check_verdict_judge(s, second_failed, 2, 1,
					     CHECK_VERDICT_NONE),
			 CHECK_VERDICT_NO_REGRESSION);
	/* no suites at all */
	assert_int_equal(check_verdict_judge(NULL, NULL, 0, 1, CHECK_VERDICT_NONE),
			 CHECK_VERDICT_NO_REGRESSION);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names_round_trip),
		cmocka_unit_test(test_unknown_refused),
		cmocka_unit_test(test_suite_status),
		cmocka_unit_test(test_judge),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
