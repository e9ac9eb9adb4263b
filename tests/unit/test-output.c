/*
 * Unit tests: output.c's colour decision (use_colour): --color and
 * color.ui (colour_when), a terminal (a pty here), a pager on one,
 * NO_COLOR and TERM=dumb.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "output.h"

static void test_colour(void **state)
{
	int pty = posix_openpt(O_RDWR | O_NOCTTY), fds[2];

	(void)state;
	if (pty < 0 || grantpt(pty) || unlockpt(pty))
		skip();
	assert_int_equal(pipe(fds), 0);
	unsetenv("NO_COLOR");
	setenv("TERM", "xterm", 1);
	colour_when = COLOUR_AUTO;
	assert_true(use_colour(pty));
	assert_false(use_colour(fds[1]));
	/* TERM=dumb, no TERM, NO_COLOR: none on a terminal either */
	setenv("TERM", "dumb", 1);
	assert_false(use_colour(pty));
	unsetenv("TERM");
	assert_false(use_colour(pty));
	setenv("TERM", "xterm", 1);
	setenv("NO_COLOR", "1", 1);
	assert_false(use_colour(pty));
	unsetenv("NO_COLOR");
	/* --color=always and never win over all of it */
	colour_when = COLOUR_ALWAYS;
	setenv("TERM", "dumb", 1);
	assert_true(use_colour(fds[1]));
	colour_when = COLOUR_NEVER;
	setenv("TERM", "xterm", 1);
	assert_false(use_colour(pty));
	colour_when = COLOUR_AUTO;
	close(pty);
	close(fds[0]);
	close(fds[1]);
}

static void test_colour_when_parse(void **state)
{
	(void)state;
	assert_int_equal(colour_when_parse("auto"), COLOUR_AUTO);
	assert_int_equal(colour_when_parse("true"), COLOUR_AUTO);
	assert_int_equal(colour_when_parse("Always"), COLOUR_ALWAYS);
	assert_int_equal(colour_when_parse("never"), COLOUR_NEVER);
	assert_int_equal(colour_when_parse("false"), COLOUR_NEVER);
	assert_int_equal(colour_when_parse("sometimes"), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_colour),
		cmocka_unit_test(test_colour_when_parse),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
