/*
 * Unit tests: suiterun.h's typed run status.  Every status reads back
 * from the string suite_runs keeps; a string that is none of them is
 * refused, *out untouched.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "suiterun.h"

static void test_run_status_round_trip(void **state)
{
	static const char *const names[] = {
		"passed", "failed", "kernel-failure", "timeout", "infra-error",
		"interrupted",
	};
	enum suite_run_status s;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		assert_string_equal(suite_run_status_name((enum suite_run_status)i),
				    names[i]);
		assert_int_equal(suite_run_status_parse(names[i], &s), 0);
		assert_int_equal(s, (enum suite_run_status)i);
	}
	assert_string_equal(suite_run_status_name((enum suite_run_status)99), "?");
}

static void test_run_status_unknown_refused(void **state)
{
	static const char *const bad[] = {
		"", "pass", "Passed", "ok", "infra_error", "?",
	};
	enum suite_run_status s;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		s = SUITE_RUN_TIMEOUT;
		assert_int_equal(suite_run_status_parse(bad[i], &s), -1);
		assert_int_equal(s, SUITE_RUN_TIMEOUT);
	}
	assert_int_equal(suite_run_status_parse(NULL, &s), -1);
	assert_int_equal(s, SUITE_RUN_TIMEOUT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_run_status_round_trip),
		cmocka_unit_test(test_run_status_unknown_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
