/*
 * Unit tests: cli/parse-options.c, the option parser of every command
 * (linked beside libpwb.a: the Makefile's UNIT_CLI).  Long and short
 * options, values attached or apart, numbers in range, options collected
 * when repeated, operands wherever they are and after "--", and each
 * error: one "pwb: error:" line and the usage on stderr, exit 129.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/parse-options.h"

static const char *const usage[] = {
	"pwb test [--json] [--tree NAME] ARG...",
	"pwb test --suite SUITE...",
	NULL,
};

static int json, verbose;
static const char *tree, *rev;
static long jobs;
static struct opt_list suites;

static const struct opt opts[] = {
	OPT_JSON(&json),
	OPT_FLAG('v', "verbose", &verbose, "say more"),
	OPT_STRING('t', "tree", &tree, "NAME", "the tree"),
	OPT_STRING(0, "rev", &rev, "REV", "a revision"),
	OPT_LONG('j', "jobs", &jobs, "N", "jobs at once", 1, 64),
	OPT_LIST('s', "suite", &suites, "SUITE", "a suite"),
	OPT_END(),
};

static char *av[32];
static int ac;
static char out[16384], err[16384];

static void slurp(FILE *f, char *to, size_t size)
{
	size_t n;

	rewind(f);
	n = fread(to, 1, size - 1, f);
	to[n] = '\0';
	fclose(f);
}

/* parse_options on "test" ARGS... (NULL-ended), the values reset first;
 * what it prints lands in out and err */
static int parse(const char *arg, ...)
{
	FILE *fo = tmpfile(), *fe = tmpfile();
	int o, e, rc;
	va_list ap;

	assert_non_null(fo);
	assert_non_null(fe);
	json = verbose = 0;
	tree = rev = NULL;
	jobs = -1;
	free(suites.v);
	suites.v = NULL;
	suites.n = 0;
	ac = 0;
	av[ac++] = "test";
	va_start(ap, arg);
	for (; arg; arg = va_arg(ap, const char *)) {
		assert_true(ac < 31);
		av[ac++] = (char *)arg;
	}
	va_end(ap);
	av[ac] = NULL;

	fflush(stdout);
	fflush(stderr);
	o = dup(1);
	e = dup(2);
	dup2(fileno(fo), 1);
	dup2(fileno(fe), 2);
	rc = parse_options(ac, av, usage, "What the test command does.\n", opts);
	fflush(stdout);
	fflush(stderr);
	dup2(o, 1);
	dup2(e, 2);
	close(o);
	close(e);
	slurp(fo, out, sizeof(out));
	slurp(fe, err, sizeof(err));
	return rc;
}

static int count_lines(const char *s, const char *prefix)
{
	int n = 0;

	for (; s && *s; s = strchr(s, '\n') ? strchr(s, '\n') + 1 : NULL)
		n += !strncmp(s, prefix, strlen(prefix));
	return n;
}

/* an error: exit 129, one error line with want in it, the usage after it,
 * nothing on stdout */
static void assert_parse_error(int rc, const char *want)
{
	if (rc != PARSE_OPT_ERROR || count_lines(err, "pwb: error: ") != 1 ||
	    !strstr(err, want))
		print_error("rc %d, stderr:\n%s", rc, err);
	assert_int_equal(rc, PARSE_OPT_ERROR);
	assert_int_equal(parse_options_exit(rc), 129);
	assert_int_equal(count_lines(err, "pwb: error: "), 1);
	/* the first line: the error, naming what was wrong */
	assert_int_equal(strncmp(err, "pwb: error: ", 12), 0);
	assert_non_null(strchr(err, '\n'));
	assert_non_null(strstr(err, want));
	assert_true(strstr(err, want) < strchr(err, '\n'));
	assert_non_null(strstr(err, "\nusage: pwb test"));
	assert_string_equal(out, "");
}

static void test_long_and_short(void **state)
{
	(void)state;
	assert_int_equal(parse("--json", "--verbose", "--tree", "t1", "--rev", "r1", NULL), 0);
	assert_int_equal(json, 1);
	assert_int_equal(verbose, 1);
	assert_string_equal(tree, "t1");
	assert_string_equal(rev, "r1");
	assert_null(av[1]);
	assert_string_equal(err, "");
	assert_string_equal(out, "");

	assert_int_equal(parse("-v", "-t", "t2", NULL), 0);
	assert_int_equal(verbose, 1);
	assert_int_equal(json, 0);
	assert_string_equal(tree, "t2");
	assert_null(rev);

	/* a short option's value attached; flags clustered */
	assert_int_equal(parse("-tt3", "-vj4", NULL), 0);
	assert_string_equal(tree, "t3");
	assert_int_equal(verbose, 1);
	assert_int_equal(jobs, 4);

	/* nothing given: the values stay as they were */
	assert_int_equal(parse(NULL), 0);
	assert_int_equal(json, 0);
	assert_null(tree);
	assert_int_equal(jobs, -1);
	assert_null(av[1]);
}

static void test_values_attached_or_apart(void **state)
{
	(void)state;
	assert_int_equal(parse("--tree=a", "--rev", "b", NULL), 0);
	assert_string_equal(tree, "a");
	assert_string_equal(rev, "b");
	/* an empty value, a value with "=" in it, a value that looks like an
	 * option: taken as they are */
	assert_int_equal(parse("--tree=", "--rev=x=y", NULL), 0);
	assert_string_equal(tree, "");
	assert_string_equal(rev, "x=y");
	assert_int_equal(parse("--tree", "--json", NULL), 0);
	assert_string_equal(tree, "--json");
	assert_int_equal(json, 0);
	/* given twice, a string keeps the last */
	assert_int_equal(parse("--tree", "first", "-t", "second", NULL), 0);
	assert_string_equal(tree, "second");
}

static void test_long_numbers(void **state)
{
	static const char *const bad[] = {
		"x", "", "8x", "0x10", "1.5", "0", "65", "-1",
		"99999999999999999999",
	};
	size_t i;

	(void)state;
	assert_int_equal(parse("--jobs", "8", NULL), 0);
	assert_int_equal(jobs, 8);
	assert_int_equal(parse("--jobs=1", NULL), 0);
	assert_int_equal(jobs, 1);
	assert_int_equal(parse("-j", "64", NULL), 0);
	assert_int_equal(jobs, 64);
	assert_int_equal(parse("-j08", NULL), 0);
	assert_int_equal(jobs, 8);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char want[128];

		snprintf(want, sizeof(want), "--jobs takes 1..64, not '%s'", bad[i]);
		assert_parse_error(parse("--jobs", bad[i], NULL), want);
		assert_int_equal(jobs, -1);
		assert_parse_error(parse("op", "-j", bad[i], NULL), want);
	}
}

static void test_unknown_options(void **state)
{
	(void)state;
	assert_parse_error(parse("--nope", NULL), "unknown option '--nope'");
	assert_parse_error(parse("--nope=1", "--json", NULL), "unknown option '--nope=1'");
	assert_parse_error(parse("-x", NULL), "unknown option '-x'");
	/* in a cluster, the letter is named */
	assert_parse_error(parse("-vx", NULL), "unknown option '-x'");
	/* after an operand, after good options */
	assert_parse_error(parse("a", "--json", "--jason", NULL),
			   "unknown option '--jason'");
	/* a flag takes no value */
	assert_parse_error(parse("--json=1", NULL), "--json takes no value");
	assert_parse_error(parse("a", "--verbose=", NULL), "--verbose takes no value");
	assert_parse_error(parse("--help=1", NULL), "--help takes no value");
	assert_parse_error(parse("--verb=1", NULL), "--verb takes no value");
	/* a unique prefix of a long option is that option (getopt_long's
	 * abbreviations); a prefix of two is unknown */
	assert_int_equal(parse("--verb", "--tr=a", NULL), 0);
	assert_int_equal(verbose, 1);
	assert_string_equal(tree, "a");
	assert_parse_error(parse("--j", "1", NULL), "unknown option '--j'");
	/* a single "-" is an operand (stdin, by custom) */
	assert_int_equal(parse("-", NULL), 1);
	assert_string_equal(av[1], "-");
}

static void test_operands_anywhere_and_after_dashdash(void **state)
{
	(void)state;
	assert_int_equal(parse("a", "--json", "b", "-t", "x", "c", NULL), 3);
	assert_string_equal(av[1], "a");
	assert_string_equal(av[2], "b");
	assert_string_equal(av[3], "c");
	assert_null(av[4]);
	assert_int_equal(json, 1);
	assert_string_equal(tree, "x");

	/* "--" ends the options: what follows is operands, even "-x" and
	 * "--json" and another "--" */
	assert_int_equal(parse("a", "--", "--json", "-x", "--tree", "--", NULL), 5);
	assert_string_equal(av[1], "a");
	assert_string_equal(av[2], "--json");
	assert_string_equal(av[3], "-x");
	assert_string_equal(av[4], "--tree");
	assert_string_equal(av[5], "--");
	assert_null(av[6]);
	assert_int_equal(json, 0);
	assert_null(tree);
	assert_string_equal(err, "");

	assert_int_equal(parse("--verbose", "--", NULL), 0);
	assert_int_equal(verbose, 1);
	assert_null(av[1]);
}

static void test_repeated_list_collects(void **state)
{
	(void)state;
	assert_int_equal(parse("-s", "a", "op", "--suite", "b", "--suite=c", "-sd", NULL), 1);
	assert_int_equal(suites.n, 4);
	assert_string_equal(suites.v[0], "a");
	assert_string_equal(suites.v[1], "b");
	assert_string_equal(suites.v[2], "c");
	assert_string_equal(suites.v[3], "d");
	assert_string_equal(av[1], "op");
	/* the same value twice is kept twice */
	assert_int_equal(parse("--suite", "x", "--suite", "x", NULL), 0);
	assert_int_equal(suites.n, 2);
	assert_int_equal(parse(NULL), 0);
	assert_int_equal(suites.n, 0);
	assert_null(suites.v);
}

static void test_missing_value(void **state)
{
	(void)state;
	assert_parse_error(parse("--tree", NULL), "--tree needs a value");
	assert_null(tree);
	assert_parse_error(parse("a", "-t", NULL), "-t needs a value");
	assert_parse_error(parse("--json", "--jobs", NULL), "--jobs needs a value");
	assert_parse_error(parse("--suite", NULL), "--suite needs a value");
	assert_parse_error(parse("-vs", NULL), "-vs needs a value");
}

static void test_help(void **state)
{
	int rc;

	(void)state;
	rc = parse("a", "--help", "--nope", NULL);
	assert_int_equal(rc, PARSE_OPT_HELP);
	assert_int_equal(parse_options_exit(rc), 0);
	assert_string_equal(err, "");
	assert_non_null(strstr(out, "usage: pwb test [--json] [--tree NAME] ARG...\n"
				    "   or: pwb test --suite SUITE...\n"
				    "\nWhat the test command does.\n"
				    "\noptions:\n"));
	assert_non_null(strstr(out, "  --json                   print JSON"));
	assert_non_null(strstr(out, "  -t, --tree NAME          the tree\n"));
	assert_non_null(strstr(out, "  -j, --jobs N             jobs at once\n"));
	assert_non_null(strstr(out, "  -s, --suite SUITE        a suite (repeatable)\n"));
	assert_non_null(strstr(out, "  -h, --help               this text\n"));
	assert_int_equal(parse("-h", NULL), PARSE_OPT_HELP);
	assert_non_null(strstr(out, "usage: pwb test"));
	/* after "--", -h is an operand */
	assert_int_equal(parse("--", "-h", NULL), 1);
	assert_string_equal(av[1], "-h");
	assert_string_equal(out, "");
}

/* PWB_HELP_DUMP: the same help as lines for ci/gen-doc.sh (the man
 * pages, the bash completion) */
static void test_help_dump(void **state)
{
	(void)state;
	setenv("PWB_HELP_DUMP", "1", 1);
	assert_int_equal(parse("--help", NULL), PARSE_OPT_HELP);
	unsetenv("PWB_HELP_DUMP");
	assert_string_equal(err, "");
	assert_string_equal(out,
		"usage\tpwb test [--json] [--tree NAME] ARG...\n"
		"usage\tpwb test --suite SUITE...\n"
		"text\tWhat the test command does.\n"
		"option\t\tjson\t\tprint JSON (docs/cli.md)\t0\n"
		"option\tv\tverbose\t\tsay more\t0\n"
		"option\tt\ttree\tNAME\tthe tree\t0\n"
		"option\t\trev\tREV\ta revision\t0\n"
		"option\tj\tjobs\tN\tjobs at once\t0\n"
		"option\ts\tsuite\tSUITE\ta suite\t1\n"
		"option\th\thelp\t\tthis text\t0\n");
	/* without it, the text for people again */
	assert_int_equal(parse("--help", NULL), PARSE_OPT_HELP);
	assert_non_null(strstr(out, "usage: pwb test"));
}

static void test_operand_error(void **state)
{
	FILE *fe = tmpfile();
	int e;

	(void)state;
	assert_non_null(fe);
	fflush(stderr);
	e = dup(2);
	dup2(fileno(fe), 2);
	assert_int_equal(usage_with_options_error(usage, NULL, opts,
						  "%d operands, want %s", 3, "one"), 129);
	fflush(stderr);
	dup2(e, 2);
	close(e);
	slurp(fe, err, sizeof(err));
	assert_int_equal(count_lines(err, "pwb: error: "), 1);
	assert_int_equal(strncmp(err, "pwb: error: 3 operands, want one\nusage: pwb test", 47), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_long_and_short),
		cmocka_unit_test(test_values_attached_or_apart),
		cmocka_unit_test(test_long_numbers),
		cmocka_unit_test(test_unknown_options),
		cmocka_unit_test(test_operands_anywhere_and_after_dashdash),
		cmocka_unit_test(test_repeated_list_collects),
		cmocka_unit_test(test_missing_value),
		cmocka_unit_test(test_help),
		cmocka_unit_test(test_help_dump),
		cmocka_unit_test(test_operand_error),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);

	free(suites.v);
	return rc;
}
