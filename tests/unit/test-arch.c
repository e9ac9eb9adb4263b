/* arch.c: the make variables of every (arch, toolchain) pair come from the
 * two tables; a suite's default config follows the arch; names pwb does
 * not know are errors naming the option or the config key. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "arch.h"
#include "kbuild.h"
#include "ctx.h"
#include "util/util.h"

/* the make variables joined with spaces */
static char *vars(const char *arch, const char *tc, int ccache)
{
	char *v[8], *out;
	size_t n, i, len = 1;

	n = arch_make_vars(arch_find(arch), toolchain_find(tc), ccache, v,
			   ARRAY_SIZE(v));
	assert_null(v[n]);
	for (i = 0; i < n; i++)
		len += strlen(v[i]) + 1;
	out = xcalloc(1, len);
	for (i = 0; i < n; i++) {
		if (i)
			strcat(out, " ");
		strcat(out, v[i]);
	}
	arch_make_vars_free(v);
	return out;
}

static int host_is(const char *m)
{
	struct utsname u;

	return uname(&u) == 0 && !strcmp(u.machine, m);
}

static void test_make_vars(void **state)
{
	char *s;

	(void)state;
	if (!host_is("x86_64"))
		skip();
	s = vars("x86_64", "gcc", 1);
	assert_string_equal(s, "ARCH=x86_64 CC=ccache gcc");
	free(s);
	s = vars("x86_64", "gcc", 0);
	assert_string_equal(s, "ARCH=x86_64");
	free(s);
	/* cross: gcc through the prefix; clang takes its target from ARCH */
	s = vars("arm64", "gcc", 1);
	assert_string_equal(s, "ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu- "
			    "CC=ccache aarch64-linux-gnu-gcc");
	free(s);
	s = vars("arm64", "clang", 1);
	assert_string_equal(s, "ARCH=arm64 LLVM=1 CC=ccache clang");
	free(s);
	s = vars("x86_64", "clang", 0);
	assert_string_equal(s, "ARCH=x86_64 LLVM=1");
	free(s);
}

static void test_rows(void **state)
{
	const struct arch *a = arch_find("arm64"), *x = arch_find("x86_64");

	(void)state;
	assert_non_null(a);
	assert_non_null(x);
	assert_ptr_equal(arch_default(), x);
	assert_null(arch_find("riscv64"));
	assert_null(arch_find(NULL));
	assert_string_equal(a->image_path, "arch/arm64/boot/Image");
	assert_string_equal(x->image_path, "arch/x86/boot/bzImage");
	assert_string_equal(a->qemu, "qemu-system-aarch64");
	assert_string_equal(a->console, "ttyAMA0");
	assert_ptr_equal(toolchain_default(), toolchain_find("gcc"));
	assert_null(toolchain_find("icc"));
}

static void test_default_config_follows_arch(void **state)
{
	const struct arch *a = arch_find("arm64"), *x = arch_find("x86_64");

	(void)state;
	assert_string_equal(arch_config(a, "qemu-x86_64"), "qemu-arm64");
	assert_string_equal(arch_config(x, "qemu-arm64"), "qemu-x86_64");
	assert_string_equal(arch_config(x, "qemu-x86_64"), "qemu-x86_64");
	/* any other config is the user's choice */
	assert_string_equal(arch_config(a, "qemu-x86_64-debug"), "qemu-x86_64-debug");
	assert_null(arch_config(a, NULL));
}

static void test_busybox(void **state)
{
	char *b;

	(void)state;
	b = arch_busybox(arch_find("x86_64"));
	assert_string_equal(b, "/bin/busybox");
	free(b);
	setenv("PWB_CACHE", "/c", 1);
	b = arch_busybox(arch_find("arm64"));
	assert_string_equal(b, "/c/arm64/busybox");
	free(b);
	unsetenv("PWB_CACHE");
	unsetenv("XDG_CACHE_HOME");
	setenv("HOME", "/h", 1);
	b = arch_busybox(arch_find("arm64"));
	assert_string_equal(b, "/h/.cache/pwb/arm64/busybox");
	free(b);
	/* XDG_CACHE_HOME moves it as it moves the work directory */
	setenv("XDG_CACHE_HOME", "/x", 1);
	b = arch_busybox(arch_find("arm64"));
	assert_string_equal(b, "/x/pwb/arm64/busybox");
	free(b);
	b = host_cache_path("kvm-probe");
	assert_string_equal(b, "/x/pwb/kvm-probe");
	free(b);
	b = cache_path("");
	assert_string_equal(b, "/x/pwb");
	free(b);
	/* a relative one is ignored (the XDG base directory spec) */
	setenv("XDG_CACHE_HOME", "rel", 1);
	b = arch_busybox(arch_find("arm64"));
	assert_string_equal(b, "/h/.cache/pwb/arm64/busybox");
	free(b);
	unsetenv("XDG_CACHE_HOME");
}

static void test_target_resolve(void **state)
{
	struct pwb_ctx ctx = PWB_CTX_INIT;
	const struct arch *a;
	const struct toolchain *t;

	(void)state;
	assert_int_equal(target_resolve(&ctx, NULL, NULL, &a, &t), 0);
	assert_string_equal(a->name, "x86_64");
	assert_string_equal(t->name, "gcc");
	assert_int_equal(target_resolve(&ctx, "arm64", "clang", &a, &t), 0);
	assert_string_equal(a->name, "arm64");
	assert_string_equal(t->name, "clang");
	assert_int_equal(target_resolve(&ctx, "mips", NULL, &a, &t), -1);
	assert_int_equal(target_resolve(&ctx, NULL, "icc", &a, &t), -1);
	/* the config key when no option is given */
	assert_int_equal(ctx_add_override(&ctx, "build.arch=arm64"), 0);
	assert_int_equal(ctx_add_override(&ctx, "build.toolchain=clang"), 0);
	assert_int_equal(target_resolve(&ctx, NULL, NULL, &a, &t), 0);
	assert_string_equal(a->name, "arm64");
	assert_string_equal(t->name, "clang");
	/* an option wins over the key */
	assert_int_equal(target_resolve(&ctx, "x86_64", "gcc", &a, &t), 0);
	assert_string_equal(a->name, "x86_64");
	assert_string_equal(t->name, "gcc");
	ctx_release(&ctx);
}

/* ccache in front when it is on PATH, unless CCACHE_DISABLE turns it off
 * (ccache's reading: any value but 0/false/no/disable) */
static void test_have_ccache(void **state)
{
	char d[] = "/tmp/pwb-test-ccache.XXXXXX", *f, *old = NULL;

	(void)state;
	assert_non_null(mkdtemp(d));
	f = xstrfmt("%s/ccache", d);
	assert_int_equal(write_file(f, "#!/bin/sh\n", 10), 0);
	assert_int_equal(chmod(f, 0755), 0);
	if (getenv("PATH"))
		old = xstrdup(getenv("PATH"));
	setenv("PATH", d, 1);
	unsetenv("CCACHE_DISABLE");
	assert_true(kbuild_have_ccache());
	setenv("CCACHE_DISABLE", "1", 1);
	assert_false(kbuild_have_ccache());
	setenv("CCACHE_DISABLE", "False", 1);
	assert_true(kbuild_have_ccache());
	unsetenv("CCACHE_DISABLE");
	setenv("PATH", "/nonexistent", 1);
	assert_false(kbuild_have_ccache());
	if (old)
		setenv("PATH", old, 1);
	free(old);
	unlink(f);
	rmdir(d);
	free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_make_vars),
		cmocka_unit_test(test_have_ccache),
		cmocka_unit_test(test_rows),
		cmocka_unit_test(test_default_config_follows_arch),
		cmocka_unit_test(test_busybox),
		cmocka_unit_test(test_target_resolve),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
