/* Unit tests: a patch mail's diff split off and identified (patch-ids.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "patch-ids.h"

static void test_patch_split(void **state)
{
	struct buf stat = BUF_INIT, diff = BUF_INIT;
	const char *patch =
		"---\n"
		" a | 2 +-\n"
		" 1 file changed\n"
		"\n"
		"diff --git a/a b/a\n"
		"index 1111111..2222222 100644\n"
		"--- a/a\n"
		"+++ b/a\n"
		"@@ -1,2 +1,2 @@\n"
		" keep\n"
		"--- old line that starts with dashes\n"
		"+new\n"
		"\n"
		"base-commit: 0123456789abcdef0123456789abcdef01234567\n"
		"-- \n"
		"2.39.2\n";

	(void)state;
	patch_split(patch, &stat, &diff);
	/* the first line keeps its leading space, as git writes it */
	assert_string_equal(stat.buf, " a | 2 +-\n 1 file changed\n");
	assert_true(strstr(diff.buf, "--- old line") != NULL);
	assert_true(strstr(diff.buf, "base-commit") == NULL);
	assert_true(strstr(diff.buf, "2.39.2") == NULL);
	assert_int_equal(diff.buf[diff.len - 1], '\n');
	buf_release(&stat);
	buf_release(&diff);
}

static void test_patch_id(void **state)
{
	char a[41], b[41], c[41];

	(void)state;
	/* white space and hunk line numbers do not change the id */
	assert_int_equal(patch_id_stable(
		"diff --git a/x b/x\nindex 1..2 100644\n--- a/x\n+++ b/x\n"
		"@@ -1 +1 @@\n-a\n+b\n", a), 0);
	assert_int_equal(patch_id_stable(
		"diff --git a/x b/x\nindex 3..4 100644\n--- a/x\n+++ b/x\n"
		"@@ -7 +7 @@\n-a \n+ b\n", b), 0);
	assert_string_equal(a, b);
	assert_int_equal(patch_id_stable(
		"diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+c\n", c), 0);
	assert_string_not_equal(a, c);
	assert_int_equal(patch_id_stable("no diff here\n", c), -1);
}

#define DIFF_X \
	"diff --git a/x b/x\nindex 1111111..2222222 100644\n--- a/x\n+++ b/x\n" \
	"@@ -1 +1 @@\n-a\n+b\n"
#define DIFF_Y \
	"diff --git a/y b/y\nindex 3333333..4444444 100644\n--- a/y\n+++ b/y\n" \
	"@@ -1,2 +1,2 @@\n keep\n-c\n+d\n"

/* the ids git 2.39's `git patch-id --stable` gives for the same text; the
 * order of the files does not matter (a sum over files) */
static void test_patch_id_git(void **state)
{
	char id[41];

	(void)state;
	assert_int_equal(patch_id_stable(DIFF_X, id), 0);
	assert_string_equal(id, "145e3cc0dc6c33a0fe33b1599033369dd88e1a5a");
	assert_int_equal(patch_id_stable(DIFF_X DIFF_Y, id), 0);
	assert_string_equal(id, "e4160c9ff78974915a3f0da5943eb02cfc40c6b0");
	assert_int_equal(patch_id_stable(DIFF_Y DIFF_X, id), 0);
	assert_string_equal(id, "e4160c9ff78974915a3f0da5943eb02cfc40c6b0");
	/* a binary patch: its index line's object names, not its data */
	assert_int_equal(patch_id_stable(
		"diff --git a/bin b/bin\n"
		"index 1111111111111111111111111111111111111111.."
		"2222222222222222222222222222222222222222 100644\n"
		"GIT binary patch\nliteral 3\nKcmZ?wa{vGU\n\nliteral 0\n"
		"HcmV?d00001\n\n", id), 0);
	assert_string_equal(id, "6034437c31780540821aa6feb08fc19be68afbda");
}

/* the first commit of the text only; "\ No newline" lines do not count */
static void test_patch_id_first_commit(void **state)
{
	char a[41], b[41];

	(void)state;
	assert_int_equal(patch_id_stable(DIFF_X, a), 0);
	assert_int_equal(patch_id_stable(
		"commit 0123456789abcdef0123456789abcdef01234567\n"
		"Author: A <a@example.com>\n\n    x\n\n" DIFF_X
		"commit 89abcdef0123456789abcdef0123456789abcdef\n" DIFF_Y, b), 0);
	assert_string_equal(a, b);
	assert_int_equal(patch_id_stable(
		"diff --git a/x b/x\nindex 1111111..2222222 100644\n--- a/x\n"
		"+++ b/x\n@@ -1 +1 @@\n-a\n\\ No newline at end of file\n+b\n",
		b), 0);
	assert_string_equal(a, b);
	assert_int_equal(patch_id_stable("", b), -1);
}

/* a GIT binary patch is kept whole, its final blank line given back */
static void test_patch_split_binary(void **state)
{
	struct buf stat = BUF_INIT, diff = BUF_INIT;

	(void)state;
	patch_split("---\n bin | Bin 0 -> 3 bytes\n\n"
		    "diff --git a/bin b/bin\nnew file mode 100644\n"
		    "index 0000000..1111111\nGIT binary patch\nliteral 3\n"
		    "KcmZ?wa{vGU\n\nliteral 0\nHcmV?d00001", &stat, &diff);
	assert_string_equal(stat.buf, " bin | Bin 0 -> 3 bytes\n");
	assert_string_equal(diff.buf,
		"diff --git a/bin b/bin\nnew file mode 100644\n"
		"index 0000000..1111111\nGIT binary patch\nliteral 3\n"
		"KcmZ?wa{vGU\n\nliteral 0\nHcmV?d00001\n\n");
	buf_release(&stat);
	buf_release(&diff);
}

/* blank context lines cut from the end of a mail are given back */
static void test_patch_split_short_hunk(void **state)
{
	struct buf stat = BUF_INIT, diff = BUF_INIT;

	(void)state;
	patch_split("diff --git a/x b/x\n--- a/x\n+++ b/x\n"
		    "@@ -1,3 +1,3 @@\n-a\n+b\n", &stat, &diff);
	assert_int_equal(stat.len, 0);
	assert_string_equal(diff.buf, "diff --git a/x b/x\n--- a/x\n+++ b/x\n"
			    "@@ -1,3 +1,3 @@\n-a\n+b\n\n\n");
	buf_release(&stat);
	buf_release(&diff);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_patch_split),
		cmocka_unit_test(test_patch_split_binary),
		cmocka_unit_test(test_patch_split_short_hunk),
		cmocka_unit_test(test_patch_id),
		cmocka_unit_test(test_patch_id_git),
		cmocka_unit_test(test_patch_id_first_commit),
	};

	return cmocka_run_group_tests_name("patch-ids", tests, NULL, NULL);
}
