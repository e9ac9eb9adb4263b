/*
 * Unit tests: patchcheck.h, the checks run on every patch.  Sign-offs:
 * the author's is required, a sender other than the author must sign off
 * too, addresses compare without case.  Fixes: tags against a real git
 * repository: a tag naming a commit of the base with its subject passes,
 * another subject warns, an id naming no commit or a commit the base does
 * not contain fails.  checkpatch: the base's own scripts/checkpatch.pl
 * (here a stand-in that prints one warning) is run on the mail and its
 * findings counted; a base without one is a skip, never a pass.
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

#include <git2.h>

#include "patchcheck.h"
#include "util/util.h"
#include "unit-repo.h"

static char dir[4096];
static char base[64], first[64], side[64], nocp[64], patched[64];
/* the base ("mm: second", with the scripts) and "mm: first" (none) */
static struct patchcheck_tree tb, tn;

static void rev(const char *name, char *out)
{
	char cmd[4300];
	FILE *p;

	snprintf(cmd, sizeof(cmd), "git -C %s rev-parse %s", dir, name);
	p = popen(cmd, "r");
	assert_non_null(p);
	assert_non_null(fgets(out, 64, p));
	out[strcspn(out, "\n")] = '\0';
	assert_int_equal(pclose(p), 0);
}

/* a repository: "mm: first" (no checkpatch.pl, no kernel-doc), then the
 * scripts (stand-ins) and "mm: second" (the base), then "mm: document
 * badly"; a side branch off "mm: first" */
static int setup(void **state)
{
	(void)state;
	git_libgit2_init();
	if (make_tmpdir(dir, sizeof(dir), "pwb-test-patchcheck"))
		return -1;
	unit_sh("cd %s && git init -q -b main . && git config user.name T && "
	   "git config user.email t@example.org && echo a >a && git add a && "
	   "git commit -q -m 'mm: first' && git tag first && "
	   "git checkout -q -b side && echo s >s && git add s && "
	   "git commit -q -m 'mm: on the side' && git checkout -q main && "
	   "mkdir scripts", dir);
	unit_put(dir, "scripts/checkpatch.pl",
	    "print \"patch.mbox:3: WARNING: Missing a blank line\\n\"; exit 1;\n");
	/* a warning for each BADDOC line, with its line number */
	unit_put(dir, "scripts/kernel-doc",
	    "open F, $ARGV[1] or die; while (<F>) {\n"
	    "  print \"$ARGV[1]:$.: warning: bad doc $1\\n\" if /BADDOC (\\w+)/;\n"
	    "}\n");
	unit_put(dir, "x.c", "int a;\n/* BADDOC one */\n");
	unit_sh("cd %s && echo b >b && git add b x.c scripts && "
	   "git commit -q -m 'mm: second'", dir);
	unit_put(dir, "x.c", "int a;\nint b;\n/* BADDOC one */\n/* BADDOC two */\n");
	unit_sh("cd %s && git commit -q -am 'mm: document badly'", dir);
	rev("HEAD", patched);
	rev("HEAD~1", base);
	rev("first", first);
	rev("side", side);
	rev("first", nocp);
	if (patchcheck_tree_open(&tb, dir, base) ||
	    patchcheck_tree_open(&tn, dir, nocp))
		return -1;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	patchcheck_tree_release(&tb);
	patchcheck_tree_release(&tn);
	unit_sh("rm -rf %s", dir);
	git_libgit2_shutdown();
	return 0;
}

static void test_signoff(void **state)
{
	struct patch_check c;

	(void)state;
	patchcheck_signoff("mm: x\n\nSigned-off-by: A U Thor <A@Example.org>\n",
			   "A U Thor", "a@example.org", NULL, &c);
	assert_int_equal(c.kind, PCHECK_SIGNOFF);
	assert_int_equal(c.status, PCHECK_PASS);
	assert_non_null(strstr(c.lines, "Signed-off-by: A U Thor"));
	patch_check_release(&c);

	patchcheck_signoff("mm: x\n\nReviewed-by: R <r@example.org>\n",
			   "A U Thor", "a@example.org", "a@example.org", &c);
	assert_int_equal(c.status, PCHECK_FAIL);
	assert_string_equal(c.summary, "no Signed-off-by: from the author, "
			    "A U Thor <a@example.org>");
	assert_null(c.lines);
	patch_check_release(&c);

	/* sent by someone else: they sign off too */
	patchcheck_signoff("mm: x\n\nSigned-off-by: A <a@example.org>\n",
			   "A", "a@example.org", "s@example.org", &c);
	assert_int_equal(c.status, PCHECK_FAIL);
	assert_non_null(strstr(c.summary, "the sender <s@example.org> did not sign off"));
	patch_check_release(&c);
	patchcheck_signoff("mm: x\n\nSigned-off-by: A <a@example.org>\n"
			   "signed-off-by: S <s@example.org>\n",
			   "A", "a@example.org", "s@example.org", &c);
	assert_int_equal(c.status, PCHECK_PASS);
	assert_string_equal(c.summary, "signed off by the author and the sender");
	patch_check_release(&c);
}

static void test_fixes(void **state)
{
	struct patchcheck_tree bad;
	struct patch_check c;
	char msg[512];

	(void)state;
	assert_int_equal(patchcheck_fixes(&tb, "mm: x\n\nno tags\n", &c), 0);
	assert_int_equal(c.status, PCHECK_PASS);
	assert_string_equal(c.summary, "no Fixes: tag");
	patch_check_release(&c);

	snprintf(msg, sizeof(msg), "mm: x\n\nFixes: %.12s (\"mm: first\")\n", first);
	assert_int_equal(patchcheck_fixes(&tb, msg, &c), 0);
	assert_int_equal(c.status, PCHECK_PASS);
	assert_string_equal(c.summary, "1 Fixes: tag, each a commit of the base "
			    "with its subject");
	patch_check_release(&c);

	snprintf(msg, sizeof(msg), "mm: x\n\nFixes: %.12s (\"mm: frist\")\n", first);
	assert_int_equal(patchcheck_fixes(&tb, msg, &c), 0);
	assert_int_equal(c.status, PCHECK_WARN);
	assert_non_null(strstr(c.lines, "'s subject is (\"mm: first\")"));
	assert_string_equal(c.summary, "Fixes: tags with a short id, or a subject "
			    "not the commit's: 1 of 1");
	patch_check_release(&c);

	assert_int_equal(patchcheck_fixes(&tb, "mm: x\n\nFixes: "
					  "0123456789ab (\"mm: gone\")\n", &c), 0);
	assert_int_equal(c.status, PCHECK_FAIL);
	assert_non_null(strstr(c.lines, "0123456789ab names no commit of the tree"));
	assert_string_equal(c.summary, "Fixes: tags naming no commit of the base: 1 of 1");
	patch_check_release(&c);

	/* a commit of the tree that the base does not contain */
	snprintf(msg, sizeof(msg), "mm: x\n\nFixes: %.12s (\"mm: on the side\")\n", side);
	assert_int_equal(patchcheck_fixes(&tb, msg, &c), 0);
	assert_int_equal(c.status, PCHECK_FAIL);
	assert_non_null(strstr(c.lines, "is not in the base"));
	patch_check_release(&c);

	/* no repository there: said, nothing half made */
	assert_int_equal(patchcheck_tree_open(&bad, "/nonexistent/pwb", base), -1);
	assert_null(bad.repo);
	assert_string_equal(bad.dir, "");
}

static void test_checkpatch(void **state)
{
	static const char mail[] = "From: A <a@example.org>\nSubject: [PATCH] "
				   "mm: x\n\nSigned-off-by: A <a@example.org>\n---\n";
	struct patch_check c;

	(void)state;
	assert_int_equal(patchcheck_checkpatch(&tb, mail, strlen(mail), &c), 0);
	assert_int_equal(c.kind, PCHECK_CHECKPATCH);
	assert_int_equal(c.status, PCHECK_WARN);
	assert_string_equal(c.summary, "0 errors, 1 warning");
	assert_string_equal(c.lines, "patch.mbox:3: WARNING: Missing a blank line\n");
	patch_check_release(&c);

	/* no checkpatch.pl at that base: said, not passed */
	assert_int_equal(patchcheck_checkpatch(&tn, mail, strlen(mail), &c), 0);
	assert_int_equal(c.status, PCHECK_SKIP);
	assert_string_equal(c.summary, "the base has no scripts/checkpatch.pl");
	patch_check_release(&c);
}

static void test_tree_removed(void **state)
{
	struct patchcheck_tree t;
	char d[4096], p[4200];

	(void)state;
	assert_int_equal(patchcheck_tree_open(&t, dir, base), 0);
	assert_true(t.have_checkpatch && t.have_kerneldoc);
	snprintf(d, sizeof(d), "%s", t.dir);
	snprintf(p, sizeof(p), "%s/checkpatch.pl", d);
	assert_int_equal(access(p, R_OK), 0);
	patchcheck_tree_release(&t);
	/* the base's scripts are gone with it */
	assert_int_equal(access(d, F_OK), -1);
}

static void test_kerneldoc(void **state)
{
	static const char diff[] = "diff --git a/x.c b/x.c\nindex 1..2 100644\n"
				   "diff --git a/README b/README\n";
	struct patch_check c;

	(void)state;
	assert_int_equal(patchcheck_kerneldoc(&tb, base, patched, diff, &c), 0);
	assert_int_equal(c.kind, PCHECK_KERNELDOC);
	/* "one" moved down a line: not new; "two" is */
	assert_int_equal(c.status, PCHECK_WARN);
	assert_string_equal(c.summary, "1 new kernel-doc warning in 1 file");
	assert_string_equal(c.lines, "x.c:4: warning: bad doc two\n");
	patch_check_release(&c);

	/* the same commit on both sides: nothing new */
	assert_int_equal(patchcheck_kerneldoc(&tb, patched, patched, diff, &c), 0);
	assert_int_equal(c.status, PCHECK_PASS);
	assert_null(c.lines);
	patch_check_release(&c);

	assert_int_equal(patchcheck_kerneldoc(&tb, base, patched,
					      "diff --git a/README b/README\n", &c), 0);
	assert_int_equal(c.status, PCHECK_PASS);
	assert_string_equal(c.summary, "no .c or .h file touched");
	patch_check_release(&c);

	/* no scripts/kernel-doc at that base: a skip */
	assert_int_equal(patchcheck_kerneldoc(&tn, base, patched, diff, &c), 0);
	assert_int_equal(c.status, PCHECK_SKIP);
	patch_check_release(&c);
}

static void test_names(void **state)
{
	enum patch_check_kind k;
	enum patch_check_status s;

	(void)state;
	assert_int_equal(patch_check_kind_parse("fixes", &k), 0);
	assert_int_equal(k, PCHECK_FIXES);
	assert_string_equal(patch_check_kind_name(PCHECK_CHECKPATCH), "checkpatch");
	assert_int_equal(patch_check_kind_parse("Fixes", &k), -1);
	assert_int_equal(patch_check_status_parse("warn", &s), 0);
	assert_int_equal(s, PCHECK_WARN);
	assert_int_equal(patch_check_status_parse("warning", &s), -1);
	assert_string_equal(patch_check_status_name(PCHECK_SKIP), "skip");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_signoff),
		cmocka_unit_test(test_fixes),
		cmocka_unit_test(test_checkpatch),
		cmocka_unit_test(test_kerneldoc),
		cmocka_unit_test(test_tree_removed),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
