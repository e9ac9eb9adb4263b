/*
 * Unit tests: apply.h's typed names.  A patch's strategy reads back from
 * the string apply_patches keeps (NULL: none), and a string that is none
 * of them is refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "apply.h"

static void test_strategy_round_trip(void **state)
{
	static const char *const names[] = {
		NULL, "exact", "offset", "three-way",
	};
	enum apply_strategy s;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		const char *n = apply_strategy_name((enum apply_strategy)i);

		if (names[i])
			assert_string_equal(n, names[i]);
		else
			assert_null(n);
		s = STRAT_THREEWAY;
		assert_int_equal(apply_strategy_parse(n, &s), 0);
		assert_int_equal(s, (enum apply_strategy)i);
	}
	assert_null(apply_strategy_name((enum apply_strategy)99));
}

static void test_strategy_unknown_refused(void **state)
{
	static const char *const bad[] = { "", "Exact", "threeway", "fuzz", "none" };
	enum apply_strategy s;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		s = STRAT_OFFSET;
		assert_int_equal(apply_strategy_parse(bad[i], &s), -1);
		assert_int_equal(s, STRAT_OFFSET);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_strategy_round_trip),
		cmocka_unit_test(test_strategy_unknown_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
