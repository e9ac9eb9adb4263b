/*
 * Unit tests: the pure parts of the broad build and of coverage.
 * kbuild_object_target maps an object to the Makefile that builds it
 * (amdgpu's Makefile includes amdkfd's: the kfd objects are built as
 * amdgpu/../amdkfd/x.o; a directory its parent descends into is built as
 * itself).  coverage_gcda_from_console takes only the wanted .gcda blocks
 * of a guest's console, decoded, puts back the lines the console capture
 * squeezed, and drops a block a kernel message broke into.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "coverage.h"
#include "kbuild.h"
#include "util/util.h"
#include "unit-repo.h"

static char dir[4096];

static int setup(void **state)
{
	(void)state;
	if (make_tmpdir(dir, sizeof(dir), "pwb-test-coverage"))
		return -1;
	unit_sh("mkdir -p %s/drivers/gpu/drm/amd/amdgpu %s/drivers/gpu/drm/amd/amdkfd "
		"%s/mm %s/drivers/xen", dir, dir, dir, dir);
	unit_put(dir, "drivers/gpu/drm/amd/amdgpu/Makefile",
		 "AMDKFD_PATH := ../amdkfd\ninclude $(FULL_AMD_PATH)/amdkfd/Makefile\n");
	unit_put(dir, "drivers/gpu/drm/amd/amdkfd/Makefile",
		 "AMDKFD_FILES := $(AMDKFD_PATH)/kfd_svm.o\n");
	unit_put(dir, "drivers/Makefile", "obj-$(CONFIG_XEN) += xen/\n");
	unit_put(dir, "drivers/xen/Makefile", "obj-m += gntdev.o\n");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	unit_sh("rm -rf %s", dir);
	return 0;
}

static void test_object_target(void **state)
{
	char *t;

	(void)state;
	t = kbuild_object_target(dir, "drivers/gpu/drm/amd/amdkfd/kfd_svm.o");
	assert_string_equal(t, "drivers/gpu/drm/amd/amdgpu/../amdkfd/kfd_svm.o");
	free(t);
	t = kbuild_object_target(dir, "drivers/xen/gntdev.o");
	assert_string_equal(t, "drivers/xen/gntdev.o");
	free(t);
	/* a top-level directory, and a file at the top */
	t = kbuild_object_target(dir, "mm/mmu_notifier.o");
	assert_string_equal(t, "mm/mmu_notifier.o");
	free(t);
	t = kbuild_object_target(dir, "x.o");
	assert_string_equal(t, "x.o");
	free(t);
}

static void test_gcda_from_console(void **state)
{
	char *want[] = { (char *)"mm/mmu_notifier.gcda", (char *)"lib/x.gcda",
			 (char *)"mm/hmm.gcda", (char *)"mm/z.gcda" };
	unsigned char *data[4];
	size_t len[4];
	gchar *a = g_base64_encode((const guchar *)"\x01gcda-bytes", 11);
	gchar *b = g_base64_encode((const guchar *)"other", 5);
	char *console;

	(void)state;
	console = xstrfmt(
		"[    1.0] booting\r\n"
		"pwb-gcda /root/b/mm/mmu_notifier.gcda\r\n%s\r\npwb-gcda-end\r\n"
		/* not wanted: a path that only ends alike */
		"pwb-gcda /root/b/xlib/x.gcda\n%s\npwb-gcda-end\n"
		/* a kernel line in the middle: dropped */
		"pwb-gcda /root/b/mm/hmm.gcda\n%s\n[    2.0] oops: something\n"
		"pwb-gcda-end\n"
		/* run_command squeezed a repeated line: put back */
		"pwb-gcda /b/mm/z.gcda\nQUFB\n[pwb: the line above repeated 2 "
		"more times]\nQkJC\npwb-gcda-end\n", a, b, b);
	coverage_gcda_from_console(console, want, 4, data, len);
	assert_non_null(data[0]);
	assert_int_equal(len[0], 11);
	assert_memory_equal(data[0], "\x01gcda-bytes", 11);
	assert_null(data[1]);
	assert_int_equal(len[1], 0);
	assert_null(data[2]);
	assert_int_equal(len[3], 12);
	assert_memory_equal(data[3], "AAAAAAAAABBB", 12);
	g_free(data[3]);
	g_free(data[0]);
	g_free(a);
	g_free(b);
	free(console);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_object_target),
		cmocka_unit_test(test_gcda_from_console),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
