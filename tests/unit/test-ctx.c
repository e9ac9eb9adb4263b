/* ctx.c: the defaults of numeric config keys come from the table of keys
 * (the one --help and README show), -c overrides them, bad values are
 * errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ctx.h"
#include "util/util.h"

static void test_defaults_from_table(void **state)
{
	struct pwb_ctx ctx = PWB_CTX_INIT;
	long v = -1;
	uint64_t sz = 0;

	(void)state;
	assert_int_equal(ctx_config_long(&ctx, "boot.timeout", &v), 0);
	assert_int_equal(v, 300);
	assert_int_equal(ctx_config_long(&ctx, "lore.retries", &v), 0);
	assert_int_equal(v, 3);
	assert_int_equal(ctx_config_long(&ctx, "build.jobs", &v), 0);
	assert_int_equal(v, sysconf(_SC_NPROCESSORS_ONLN));
	assert_int_equal(ctx_config_size(&ctx, "build.cachesize", &sz), 0);
	assert_true(sz == 2ull << 30);
	assert_int_equal(ctx_config_size(&ctx, "lore.maxsize", &sz), 0);
	assert_true(sz == 64ull << 20);
	ctx_release(&ctx);
}

static void test_every_numeric_default_parses(void **state)
{
	struct pwb_ctx ctx = PWB_CTX_INIT;
	size_t i;

	(void)state;
	/* what the table says for the keys read as numbers is a number */
	for (i = 0; i < nconfig_keys; i++) {
		const char *k = config_keys[i].key;
		long v;
		uint64_t s;

		if (!strcmp(k, "build.cachesize") || !strcmp(k, "lore.maxsize"))
			assert_int_equal(ctx_config_size(&ctx, k, &s), 0);
		else if (!strncmp(k, "boot.", 5) && strcmp(k, "boot.qemu"))
			assert_int_equal(ctx_config_long(&ctx, k, &v), 0);
	}
	ctx_release(&ctx);
}

static void test_override_and_bad_value(void **state)
{
	struct pwb_ctx ctx = PWB_CTX_INIT;
	long v = 0;

	(void)state;
	assert_int_equal(ctx_add_override(&ctx, "boot.timeout=42"), 0);
	assert_int_equal(ctx_config_long(&ctx, "boot.timeout", &v), 0);
	assert_int_equal(v, 42);
	assert_int_equal(ctx_add_override(&ctx, "lore.retries=many"), 0);
	assert_int_not_equal(ctx_config_long(&ctx, "lore.retries", &v), 0);
	ctx_release(&ctx);
}

static void test_path_keys_expand_tilde(void **state)
{
	struct pwb_ctx ctx = PWB_CTX_INIT;
	char *v;

	(void)state;
	setenv("HOME", "/home/m", 1);
	assert_int_equal(ctx_add_override(&ctx, "core.db=~/pwb.sqlite"), 0);
	assert_int_equal(ctx_add_override(&ctx, "core.workdir=~"), 0);
	assert_int_equal(ctx_add_override(&ctx, "user.name=~me"), 0);
	assert_int_equal(ctx_add_override(&ctx, "core.datadir=a/~/b"), 0);
	v = ctx_config_get(&ctx, "core.db");
	assert_string_equal(v, "/home/m/pwb.sqlite");
	free(v);
	v = ctx_config_get(&ctx, "core.workdir");
	assert_string_equal(v, "/home/m");
	free(v);
	/* not a path key: as written */
	v = ctx_config_get(&ctx, "user.name");
	assert_string_equal(v, "~me");
	free(v);
	v = ctx_config_get(&ctx, "core.datadir");
	assert_string_equal(v, "a/~/b");
	free(v);
	ctx_release(&ctx);
	v = expand_path("~root/x");
	assert_string_equal(v, "/root/x");
	free(v);
	v = expand_path("~no-such-user-pwb/x");
	assert_string_equal(v, "~no-such-user-pwb/x");
	free(v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults_from_table),
		cmocka_unit_test(test_every_numeric_default_parses),
		cmocka_unit_test(test_override_and_bad_value),
		cmocka_unit_test(test_path_keys_expand_tilde),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
