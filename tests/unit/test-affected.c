/*
 * Unit tests: affected.h, the objects a patch affects.  The identifiers
 * of removed header lines (a prototype, a macro, a struct, a typedef, a
 * field) and of removed EXPORT_SYMBOL lines are what callers may still
 * use; comments and C's own words are not.  Against a real repository:
 * the touched .c file's object, and those of the .c files that still use
 * a renamed function (a driver the patch forgot), but not of files that
 * only mention a longer name; an identifier more files use than the bound
 * is named, not grepped; files that are not C are listed apart; the
 * first files that include a touched header are built, not another
 * arch's; tools/ (user space) is no user of anything.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "affected.h"
#include "util/util.h"
#include "unit-repo.h"

static char dir[4096];

static int setup(void **state)
{
	(void)state;
	if (make_tmpdir(dir, sizeof(dir), "pwb-test-affected"))
		return -1;
	unit_sh("cd %s && git init -q -b main . && git config user.name T && "
	   "git config user.email t@example.org && mkdir -p include mm drivers/xen "
	   "drivers/amd lib arch/arm64 tools/testing", dir);
	unit_put(dir, "include/mn.h", "int mn_insert_locked(int x);\nint flags;\n");
	unit_put(dir, "mm/mn.c", "int mn_insert_locked(int x) { return x; }\n");
	unit_put(dir, "drivers/xen/gntdev.c", "int f(void) { return mn_insert_locked(1); }\n");
	unit_put(dir, "drivers/amd/kfd_svm.c", "int g(void) { return mn_insert_locked(2); }\n");
	unit_put(dir, "drivers/amd/other.c", "int h(void) { return mn_insert_locked_mmap(2); }\n");
	unit_put(dir, "drivers/amd/flags1.c", "int flags;\n");
	unit_put(dir, "lib/use.c", "#include <mn.h>\nint u;\n");
	unit_put(dir, "arch/arm64/use.c", "#include <mn.h>\nint v;\n");
	/* user space with its own copy of the header: no user of the kernel's */
	unit_put(dir, "tools/testing/t.c", "#include <mn.h>\n"
		 "int t(void) { return mn_insert_locked(3); }\n");
	unit_put(dir, "drivers/amd/flags2.c", "int flags;\n");
	unit_put(dir, "drivers/amd/flags3.c", "int flags;\n");
	unit_sh("cd %s && git add . && git commit -q -m base", dir);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	unit_sh("rm -rf %s", dir);
	return 0;
}

static const char diff[] =
	"diff --git a/include/mn.h b/include/mn.h\n"
	"--- a/include/mn.h\n+++ b/include/mn.h\n@@ -1 +1 @@\n"
	"-int mn_insert_locked(int x);\n+int mn_insert_locked2(int x);\n"
	"diff --git a/mm/mn.c b/mm/mn.c\n"
	"--- a/mm/mn.c\n+++ b/mm/mn.c\n@@ -1 +1 @@\n"
	"-int mn_insert_locked(int x) { return x; }\n"
	"+int mn_insert_locked2(int x) { return x; }\n"
	"diff --git a/mm/Makefile b/mm/Makefile\n";

static void test_idents(void **state)
{
	static const char d[] =
		"diff --git a/include/linux/x.h b/include/linux/x.h\n"
		"--- a/include/linux/x.h\n+++ b/include/linux/x.h\n"
		"-#define MMU_FLAG_X 1\n"
		"-struct mmu_thing {\n"
		"-\tunsigned long blockable_count;\n"
		"-\tint *arr[4];\n"
		"-typedef int mmu_cb_t;\n"
		"-/* a comment(with a paren) */\n"
		"-static inline int mmu_helper(struct mm_struct *mm)\n"
		"-\tif (x)\n"
		"+int added_here(void);\n"
		"diff --git a/mm/y.c b/mm/y.c\n"
		"--- a/mm/y.c\n+++ b/mm/y.c\n"
		"-EXPORT_SYMBOL_GPL(mmu_exported);\n"
		"-static int not_exported(void)\n";
	struct strlist ids = { NULL, 0 };
	static const char *const want[] = {
		"MMU_FLAG_X", "arr", "blockable_count", "mmu_cb_t", "mmu_exported",
		"mmu_helper", "mmu_thing",
	};
	size_t i;

	(void)state;
	affected_idents(d, &ids);
	assert_int_equal(ids.n, sizeof(want) / sizeof(want[0]));
	for (i = 0; i < ids.n; i++)
		assert_string_equal(ids.v[i], want[i]);
	strlist_release(&ids);
}

static void test_objects(void **state)
{
	struct affected a;

	(void)state;
	assert_int_equal(affected_of_patch(dir, "HEAD", diff, 10, "arch/x86", &a), 0);
	assert_int_equal(a.idents.n, 1);
	assert_string_equal(a.idents.v[0], "mn_insert_locked");
	/* the touched file, the two drivers still calling the old name, and
	 * a file that includes the touched header; not other.c (a longer
	 * name), not the header (not an object), not tools/ (user space) */
	assert_int_equal(a.objects.n, 4);
	assert_string_equal(a.objects.v[0], "drivers/amd/kfd_svm.o");
	assert_string_equal(a.objects.v[1], "drivers/xen/gntdev.o");
	assert_string_equal(a.objects.v[2], "lib/use.o");
	assert_string_equal(a.objects.v[3], "mm/mn.o");
	assert_int_equal(a.other.n, 1);
	assert_string_equal(a.other.v[0], "mm/Makefile");
	assert_int_equal(a.left_out, 0);
	assert_int_equal(a.not_grepped.n, 0);
	affected_release(&a);

	/* more users than the bound: too many to build, named (the
	 * header's includer still built) */
	assert_int_equal(affected_of_patch(dir, "HEAD", diff, 2, "arch/x86", &a), 0);
	assert_int_equal(a.objects.n, 2);
	assert_string_equal(a.objects.v[0], "lib/use.o");
	assert_string_equal(a.objects.v[1], "mm/mn.o");
	assert_int_equal(a.not_grepped.n, 1);
	assert_string_equal(a.not_grepped.v[0],
			    "mn_insert_locked (used by more than 2 files)");
	affected_release(&a);
}

static void test_bound(void **state)
{
	char d[2048];
	struct affected a;

	(void)state;
	/* two files touched, three users, an includer: the touched ones
	 * first, then the users, the objects past the bound counted and
	 * named */
	snprintf(d, sizeof(d), "%sdiff --git a/drivers/amd/other.c "
		 "b/drivers/amd/other.c\n", diff);
	assert_int_equal(affected_of_patch(dir, "HEAD", d, 3, "arch/x86", &a), 0);
	assert_int_equal(a.objects.n, 3);
	assert_string_equal(a.objects.v[0], "drivers/amd/kfd_svm.o");
	assert_string_equal(a.objects.v[1], "drivers/amd/other.o");
	assert_string_equal(a.objects.v[2], "mm/mn.o");
	assert_int_equal(a.left_out, 2);
	assert_int_equal(a.left_out_names.n, 2);
	assert_string_equal(a.left_out_names.v[0], "drivers/xen/gntdev.o");
	assert_string_equal(a.left_out_names.v[1], "lib/use.o");
	affected_release(&a);
}

static void test_deleted(void **state)
{
	static const char d[] =
		"diff --git a/drivers/amd/gone.c b/drivers/amd/gone.c\n"
		"deleted file mode 100644\n"
		"--- a/drivers/amd/gone.c\n+++ /dev/null\n@@ -1,2 +0,0 @@\n"
		"-int mn_insert_locked(int x) { return x; }\n"
		"-EXPORT_SYMBOL(mn_insert_locked);\n";
	struct affected a;

	(void)state;
	/* no object of the deleted file; the users of what it exported */
	assert_int_equal(affected_of_patch(dir, "HEAD", d, 10, "arch/x86", &a), 0);
	assert_int_equal(a.idents.n, 1);
	assert_int_equal(a.objects.n, 3);
	assert_string_equal(a.objects.v[0], "drivers/amd/kfd_svm.o");
	assert_string_equal(a.objects.v[1], "drivers/xen/gntdev.o");
	assert_string_equal(a.objects.v[2], "mm/mn.o");
	affected_release(&a);
}

static void test_too_common(void **state)
{
	static const char d[] =
		"diff --git a/include/mn.h b/include/mn.h\n"
		"--- a/include/mn.h\n+++ b/include/mn.h\n@@ -2 +2 @@\n"
		"-int flags;\n+long flags;\n";
	struct affected a;

	(void)state;
	/* three files use "flags": more than a bound of 2; the header's
	 * includer is built */
	assert_int_equal(affected_of_patch(dir, "HEAD", d, 2, "arch/x86", &a), 0);
	assert_int_equal(a.objects.n, 1);
	assert_string_equal(a.objects.v[0], "lib/use.o");
	assert_int_equal(a.not_grepped.n, 1);
	assert_string_equal(a.not_grepped.v[0], "flags (used by more than 2 files)");
	affected_release(&a);

	/* any arch: arm64's includer comes first (path order) */
	assert_int_equal(affected_of_patch(dir, "HEAD", d, 2, NULL, &a), 0);
	assert_int_equal(a.objects.n, 2);
	assert_string_equal(a.objects.v[0], "arch/arm64/use.o");
	assert_string_equal(a.objects.v[1], "lib/use.o");
	affected_release(&a);

	assert_int_equal(affected_of_patch("/nonexistent/pwb", "HEAD", d, 2, NULL, &a), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_idents),
		cmocka_unit_test(test_objects),
		cmocka_unit_test(test_bound),
		cmocka_unit_test(test_deleted),
		cmocka_unit_test(test_too_common),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
