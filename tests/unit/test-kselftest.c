/* kselftest.c and the suite keys around it: the names a suite.conf may
 * give, the selftest directory chosen in a tree (the first it has, never
 * one that leads outside it), the in-tree modules found in modules.order
 * (6.1's .ko entries, 6.12's .o), and what suite_load accepts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <git2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kbuild.h"
#include "kselftest.h"
#include "ktap.h"
#include "suite.h"
#include "util/buf.h"
#include "util/util.h"

static char *tmpdir(void)
{
	char t[] = "/tmp/pwb-test-kselftest.XXXXXX";

	assert_non_null(mkdtemp(t));
	return xstrdup(t);
}

static void put(const char *dir, const char *name, const char *text)
{
	char *p = xstrfmt("%s/%s", dir, name), *slash = strrchr(p, '/');

	*slash = '\0';
	assert_int_equal(mkdir_p(p, 0777), 0);
	*slash = '/';
	assert_int_equal(write_file(p, text, strlen(text)), 0);
	free(p);
}

static void rm_rf(const char *dir)
{
	char *cmd = xstrfmt("rm -rf '%s'", dir);

	assert_int_equal(system(cmd), 0);
	free(cmd);
}

static void test_names(void **state)
{
	(void)state;
	assert_true(kselftest_dir_valid("mm"));
	assert_true(kselftest_dir_valid("net/mptcp"));
	assert_false(kselftest_dir_valid(""));
	assert_false(kselftest_dir_valid("../mm"));
	assert_false(kselftest_dir_valid("mm/.."));
	assert_false(kselftest_dir_valid("/mm"));
	assert_false(kselftest_dir_valid("mm//x"));
	assert_false(kselftest_dir_valid("mm x"));
	assert_true(kselftest_name_valid("hmm-tests"));
	assert_true(kselftest_name_valid("test_hmm"));
	assert_false(kselftest_name_valid("a/b"));
	assert_false(kselftest_name_valid(".hidden"));
	assert_false(kselftest_name_valid("-rf"));
	assert_false(kselftest_name_valid("x;reboot"));
	assert_false(kselftest_name_valid(""));
}

/* a suite with only what kselftest_dir reads */
static void two_dirs(struct suite *s)
{
	static char *dirs[] = { "mm", "vm" };

	memset(s, 0, sizeof(*s));
	s->selftests = dirs;
	s->nselftests = 2;
}

static void test_dir(void **state)
{
	char *d = tmpdir(), *why = NULL, *dir, *link, *outside;
	struct suite s;

	(void)state;
	two_dirs(&s);
	/* 6.1: vm only */
	put(d, "tools/testing/selftests/vm/Makefile", "all:\n");
	dir = kselftest_dir(&s, d, &why);
	assert_string_equal(dir, "tools/testing/selftests/vm");
	assert_null(why);
	free(dir);
	/* 6.12: mm is found first */
	put(d, "tools/testing/selftests/mm/Makefile", "all:\n");
	dir = kselftest_dir(&s, d, &why);
	assert_string_equal(dir, "tools/testing/selftests/mm");
	free(dir);
	rm_rf(d);
	/* a tree without either: said, naming both */
	assert_int_equal(mkdir_p(d, 0777), 0);
	assert_null(kselftest_dir(&s, d, &why));
	assert_non_null(strstr(why, "{mm, vm}"));
	free(why);
	why = NULL;
	/* a directory that is a symlink out of the tree is not used */
	outside = tmpdir();
	put(outside, "Makefile", "all:\n");
	assert_int_equal(mkdir_p(link = xstrfmt("%s/tools/testing/selftests", d),
				 0777), 0);
	free(link);
	link = xstrfmt("%s/tools/testing/selftests/mm", d);
	assert_int_equal(symlink(outside, link), 0);
	assert_null(kselftest_dir(&s, d, &why));
	assert_non_null(why);
	free(why);
	free(link);
	rm_rf(outside);
	free(outside);
	rm_rf(d);
	free(d);
}

static void test_find_module(void **state)
{
	char *d = tmpdir(), *ko = NULL, *want;

	(void)state;
	/* no modules.order: -1 */
	assert_int_equal(kbuild_find_module(d, "test_hmm", &ko), -1);
	/* 6.12 lists objects */
	put(d, "modules.order", "lib/kunit/kunit.o\nlib/test_hmm.o\n");
	assert_int_equal(kbuild_find_module(d, "test_hmm", &ko), 1); /* no .ko */
	put(d, "lib/test_hmm.ko", "\x7f" "ELF");
	assert_int_equal(kbuild_find_module(d, "test_hmm", &ko), 0);
	want = xstrfmt("%s/lib/test_hmm.ko", d);
	assert_string_equal(ko, want);
	free(ko);
	/* a name is the whole basename */
	assert_int_equal(kbuild_find_module(d, "test_hm", &ko), 1);
	assert_int_equal(kbuild_find_module(d, "hmm", &ko), 1);
	/* 6.1 lists modules; entries leading out are skipped */
	put(d, "modules.order", "../../etc/test_hmm.ko\n/lib/test_hmm.ko\n"
	    "lib/test_hmm.ko\n");
	assert_int_equal(kbuild_find_module(d, "test_hmm", &ko), 0);
	assert_string_equal(ko, want);
	free(ko);
	free(want);
	rm_rf(d);
	free(d);
}

static int load(const char *d, const char *conf, struct suite *s)
{
	char *f = xstrfmt("bench/suites/x/suite.conf");

	put(d, f, conf);
	free(f);
	return suite_load(d, "x", s);
}

static void test_suite_keys(void **state)
{
	char *d = tmpdir();
	struct suite s;

	(void)state;
	put(d, "bench/suites/x/run.sh", "exec /pwb/t\n");
	put(d, "bench/suites/x/kconfig", "CONFIG_TEST_HMM=m\n");
	assert_int_equal(load(d, "[suite]\nformat = kselftest\nselftests = mm\n"
			      "selftests = vm\ntest = hmm-tests\nkmodule = test_hmm\n"
			      "file = run.sh\nrun = sh /pwb/run.sh\n"
			      "kunitconfig = kconfig\n", &s), 0);
	assert_int_equal(s.format, SUITE_FMT_KSELFTEST);
	assert_string_equal(suite_format_name(s.format), "kselftest");
	assert_int_equal(s.nselftests, 2);
	assert_string_equal(s.selftests[1], "vm");
	assert_string_equal(s.ksft_tests[0], "hmm-tests");
	assert_string_equal(s.kmodules[0], "test_hmm");
	assert_string_equal(s.files[0], "run.sh");
	assert_true(suite_needs_tree(&s));
	suite_release(&s);
	/* a kselftest suite names its directory and its programs */
	assert_int_equal(load(d, "[suite]\nformat = kselftest\ntest = t\n"
			      "run = /pwb/t\n", &s), -1);
	assert_int_equal(load(d, "[suite]\nformat = kselftest\nselftests = mm\n"
			      "run = /pwb/t\n", &s), -1);
	/* ...and only it */
	assert_int_equal(load(d, "[suite]\nformat = ktap\nselftests = mm\n"
			      "test = t\nrun = /pwb/t\n", &s), -1);
	/* names that would lead elsewhere */
	assert_int_equal(load(d, "[suite]\nformat = kselftest\nselftests = ../..\n"
			      "test = t\nrun = /pwb/t\n", &s), -1);
	assert_int_equal(load(d, "[suite]\nformat = kselftest\nselftests = mm\n"
			      "test = ../t\nrun = /pwb/t\n", &s), -1);
	assert_int_equal(load(d, "[suite]\nformat = ktap\nkmodule = a/b\n"
			      "run = /pwb/t\n", &s), -1);
	assert_int_equal(load(d, "[suite]\nformat = ktap\nfile = ../../x\n"
			      "run = /pwb/t\n", &s), -1);
	assert_int_equal(load(d, "[suite]\nformat = ktap\nfile = missing.sh\n"
			      "run = /pwb/t\n", &s), -1);
	/* filter stays KUnit's */
	assert_int_equal(load(d, "[suite]\nformat = kselftest\nselftests = mm\n"
			      "test = t\nrun = /pwb/t\nfilter = a*\n", &s), -1);
	/* a ktap suite with a module of its build needs its tree too */
	assert_int_equal(load(d, "[suite]\nformat = ktap\nkmodule = test_hmm\n"
			      "run = /pwb/t\n", &s), 0);
	assert_true(suite_needs_tree(&s));
	suite_release(&s);
	assert_int_equal(load(d, "[suite]\nformat = ktap\nrun = /pwb/t\n", &s), 0);
	assert_false(suite_needs_tree(&s));
	suite_release(&s);
	rm_rf(d);
	free(d);
}

/* 6.1's harness, as hmm-tests printed it under QEMU: a fixture setup that
 * skips says so in the case's log and then "ok" (a skip, with its reason),
 * a test that skips prints "ok N # SKIP REASON" without its name (named
 * from its RUN line); 6.12's "ok N NAME # SKIP REASON" stays as it is; a
 * pass and a failure are left alone */
static void test_ktap_fixup(void **state)
{
	static const char log[] =
		"[    0.94] HMM test module loaded. This is only for testing HMM.\n"
		"TAP version 13\n"
		"1..6\n"
		"# Starting 6 tests from 6 test cases.\n"
		"#  RUN           hmm.hmm_device_private.open_close ...\n"
		"#            OK  hmm.hmm_device_private.open_close\n"
		"ok 1 hmm.hmm_device_private.open_close\n"
		"#  RUN           hmm.hmm_device_private.hmm_gup_test ...\n"
		"#      SKIP      Skipping test, could not find gup_test driver\n"
		"#            OK  hmm.hmm_device_private.hmm_gup_test\n"
		"ok 2 # SKIP Skipping test, could not find gup_test driver\n"
		"#  RUN           hmm.hmm_device_coherent.open_close ...\n"
		"could not open hmm dmirror driver (/dev/hmm_dmirror2)\n"
		"#      SKIP      DEVICE_COHERENT not available\n"
		"#            OK  hmm.hmm_device_coherent.open_close\n"
		"ok 3 hmm.hmm_device_coherent.open_close\n"
		"#  RUN           hmm2.hmm2_device_coherent.snapshot ...\n"
		"#      SKIP      DEVICE_COHERENT not available\n"
		"#            OK  hmm2.hmm2_device_coherent.snapshot\n"
		"ok 4 hmm2.hmm2_device_coherent.snapshot # SKIP DEVICE_COHERENT not available\n"
		"#  RUN           hmm2.hmm2_device_private.snapshot ...\n"
		"# hmm-tests.c:1592:snapshot:Expected m[2] (2) == HMM_DMIRROR_PROT_ZERO | HMM_DMIRROR_PROT_READ (17)\n"
		"# snapshot: Test terminated by assertion\n"
		"#          FAIL  hmm2.hmm2_device_private.snapshot\n"
		"not ok 5 hmm2.hmm2_device_private.snapshot\n"
		/* a case that is called "case 6" keeps its name */
		"#  RUN           other.case 6 ...\n"
		"ok 6 case 6\n"
		"# Totals: pass:2 fail:1 xfail:0 xpass:0 skip:1 error:0\n";
	static const struct {
		const char *name;
		enum ktap_status status;
		const char *directive;
	} want[] = {
		{ "hmm.hmm_device_private.open_close", KTAP_PASS, NULL },
		{ "hmm.hmm_device_private.hmm_gup_test", KTAP_SKIP,
		  "SKIP Skipping test, could not find gup_test driver" },
		{ "hmm.hmm_device_coherent.open_close", KTAP_SKIP,
		  "SKIP DEVICE_COHERENT not available" },
		{ "hmm2.hmm2_device_coherent.snapshot", KTAP_SKIP,
		  "SKIP DEVICE_COHERENT not available" },
		{ "hmm2.hmm2_device_private.snapshot", KTAP_FAIL, NULL },
		{ "case 6", KTAP_PASS, NULL },
	};
	struct ktap k;
	size_t i;

	(void)state;
	assert_int_equal(ktap_parse_kunit(log, &k), 0);
	kselftest_ktap_fixup(&k);
	assert_int_equal(k.nr, 6);
	for (i = 0; i < k.nr; i++) {
		assert_string_equal(k.cases[i].name, want[i].name);
		/* "ok 2 # SKIP ...": no name in the TAP */
		assert_int_equal(k.cases[i].nameless, i == 1);
		assert_int_equal(k.cases[i].status, want[i].status);
		if (want[i].directive)
			assert_string_equal(k.cases[i].directive, want[i].directive);
		else
			assert_null(k.cases[i].directive);
	}
	ktap_release(&k);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_dir),
		cmocka_unit_test(test_find_module),
		cmocka_unit_test(test_suite_keys),
		cmocka_unit_test(test_ktap_fixup),
	};

	int rc;

	git_libgit2_init();
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	git_libgit2_shutdown();
	return rc;
}
