/* boot.c: the outcome's names (the boots table's and pwb boot --json's),
 * the mappings from a boot's and a build's status, --file's SRC:/DST, and
 * boot_run's bad input: found before anything is built, written, booted
 * or recorded. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "boot.h"
#include "ctx.h"
#include "db.h"
#include "util/util.h"
#include "unit-db.h"

static void test_outcome_names(void **state)
{
	static const char *const names[] = {
		"ok", "kernel-failure", "timeout", "infra-error", "interrupted",
		"no-kernel", "error",
	};
	enum boot_run_outcome o;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		assert_string_equal(boot_run_outcome_name((enum boot_run_outcome)i),
				    names[i]);
		assert_int_equal(boot_run_outcome_parse(names[i], &o), 0);
		assert_int_equal(o, (enum boot_run_outcome)i);
	}
	assert_string_equal(boot_run_outcome_name((enum boot_run_outcome)99), "?");
	o = BOOT_RUN_OK;
	assert_int_equal(boot_run_outcome_parse("OK", &o), -1);
	assert_int_equal(o, BOOT_RUN_ERROR);
	o = BOOT_RUN_OK;
	assert_int_equal(boot_run_outcome_parse("", &o), -1);
	assert_int_equal(boot_run_outcome_parse(NULL, &o), -1);
	assert_int_equal(o, BOOT_RUN_ERROR);
}

/* a boot's status keeps its name as an outcome: the boots table and the
 * JSON say the same */
static void test_boot_status_is_outcome(void **state)
{
	enum boot_status s;

	(void)state;
	for (s = BOOT_OK; s <= BOOT_INTERRUPTED; s++)
		assert_string_equal(boot_run_outcome_name(boot_run_outcome_of(s)),
				    boot_status_name(s));
	assert_int_equal(boot_run_outcome_of(BOOT_INFRA), BOOT_RUN_INFRA_ERROR);
	assert_int_equal(boot_run_outcome_of((enum boot_status)99), BOOT_RUN_ERROR);
}

/* a boot's status reads back from the name the boots table keeps; a
 * string that is none of them is refused, *out untouched */
static void test_boot_status_names(void **state)
{
	static const char *const names[] = {
		"ok", "kernel-failure", "timeout", "infra-error", "interrupted",
	};
	enum boot_status s;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		assert_string_equal(boot_status_name((enum boot_status)i), names[i]);
		assert_int_equal(boot_status_parse(names[i], &s), 0);
		assert_int_equal(s, (enum boot_status)i);
	}
	assert_string_equal(boot_status_name((enum boot_status)99), "?");
	s = BOOT_TIMEOUT;
	assert_int_equal(boot_status_parse("OK", &s), -1);
	assert_int_equal(boot_status_parse("?", &s), -1);
	assert_int_equal(boot_status_parse("", &s), -1);
	assert_int_equal(boot_status_parse(NULL, &s), -1);
	assert_int_equal(s, BOOT_TIMEOUT);
}

static void test_build_outcome(void **state)
{
	(void)state;
	assert_int_equal(boot_run_outcome_of_build(BUILD_OUT_OK), BOOT_RUN_OK);
	assert_int_equal(boot_run_outcome_of_build(BUILD_OUT_BROKEN), BOOT_RUN_NO_KERNEL);
	assert_int_equal(boot_run_outcome_of_build(BUILD_OUT_INFRA), BOOT_RUN_INFRA_ERROR);
	assert_int_equal(boot_run_outcome_of_build(BUILD_OUT_INTERRUPTED),
			 BOOT_RUN_INTERRUPTED);
	/* each build status lands where pwb build's exit status says */
	assert_int_equal(boot_run_outcome_of_build(kbuild_outcome(BUILD_FAILED)),
			 BOOT_RUN_NO_KERNEL);
	assert_int_equal(boot_run_outcome_of_build(kbuild_outcome(BUILD_CONFIG_ERROR)),
			 BOOT_RUN_NO_KERNEL);
	assert_int_equal(boot_run_outcome_of_build(kbuild_outcome(BUILD_TIMEOUT)),
			 BOOT_RUN_INFRA_ERROR);
}

static void test_file_parse(void **state)
{
	static const char *const bad[] = {
		"payload", ":/pwb/x", "payload:pwb/x", "payload:", "", "a:b:/c",
	};
	struct initramfs_file f = { "untouched", "untouched", 7 };
	char spec[64];
	size_t i;

	(void)state;
	strcpy(spec, "/tmp/payload:/pwb/payload");
	assert_int_equal(boot_file_parse(spec, &f), 0);
	assert_string_equal(f.src, "/tmp/payload");
	assert_string_equal(f.dst, "/pwb/payload");
	assert_int_equal(f.mode, 0);
	/* the first colon splits: a DST may hold colons, a SRC may not */
	strcpy(spec, "mod.ko:/pwb/a:b");
	assert_int_equal(boot_file_parse(spec, &f), 0);
	assert_string_equal(f.src, "mod.ko");
	assert_string_equal(f.dst, "/pwb/a:b");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct initramfs_file g = { "untouched", "untouched", 7 };

		strcpy(spec, bad[i]);
		assert_int_equal(boot_file_parse(spec, &g), -1);
		assert_string_equal(spec, bad[i]);
		assert_string_equal(g.src, "untouched");
		assert_int_equal(g.mode, 7);
	}
}

static char dir[4096], dbpath[4200], kernel[4200];

static int setup(void **state)
{
	FILE *f;

	(void)state;
	if (make_tmpdir(dir, sizeof(dir), "pwb-test-boot"))
		return -1;
	snprintf(dbpath, sizeof(dbpath), "%s/t.sqlite", dir);
	snprintf(kernel, sizeof(kernel), "%s/vmlinuz", dir);
	f = fopen(kernel, "w");
	if (!f)
		return -1;
	fputs("not a kernel\n", f);
	return fclose(f);
}

static int teardown(void **state)
{
	(void)state;
	unit_db_remove(dbpath);
	unlink(kernel);
	return rmdir(dir);
}

static int boots(sqlite3 *db)
{
	sqlite3_stmt *st;
	int n;

	assert_int_equal(db_prepare(db, &st, "SELECT count(*) FROM boots"), 0);
	assert_int_equal(db_row(db, st, "count"), 1);
	n = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return n;
}

/* q runs into outcome o before QEMU: -1, no boot, nothing recorded, and
 * the reason in r.error when want is not NULL */
static void expect_stop(struct pwb_ctx *ctx, const struct boot_request *q,
			enum boot_run_outcome o, const char *want)
{
	struct boot_run_result r;

	assert_int_equal(boot_run(ctx, q, &r), -1);
	assert_int_equal(r.outcome, o);
	assert_int_equal(r.id, -1);
	assert_false(r.booted);
	assert_false(r.built);
	if (want) {
		assert_non_null(r.error);
		assert_non_null(strstr(r.error, want));
	} else {
		assert_null(r.error);
	}
	boot_run_result_release(&r);
	assert_int_equal(boots(ctx->db), 0);
}

static void test_bad_input_records_nothing(void **state)
{
	struct pwb_ctx ctx = PWB_CTX_INIT;
	struct boot_request q = BOOT_REQUEST_INIT;

	(void)state;
	assert_int_equal(db_open(dbpath, &ctx.db), 0);
	/* no kernel at all; both an image and a tree; a tree without a rev */
	expect_stop(&ctx, &q, BOOT_RUN_ERROR, "needs a kernel image");
	q.kernel = kernel;
	q.tree = "linux";
	expect_stop(&ctx, &q, BOOT_RUN_ERROR, "needs a kernel image");
	q.kernel = NULL;
	expect_stop(&ctx, &q, BOOT_RUN_ERROR, "needs a kernel image");
	/* an image that is not there: QEMU's trouble, not the kernel's */
	q.tree = NULL;
	q.kernel = "/no/such/kernel";
	expect_stop(&ctx, &q, BOOT_RUN_INFRA_ERROR,
		    "kernel image /no/such/kernel: No such file or directory");
	/* an arch pwb does not boot */
	q.kernel = kernel;
	q.arch = "sparc";
	expect_stop(&ctx, &q, BOOT_RUN_INFRA_ERROR, "arch sparc: not one pwb boots");
	/* a config value that is no number: said by the config, before QEMU */
	q.arch = NULL;
	assert_int_equal(ctx_add_override(&ctx, "boot.mem=lots"), 0);
	expect_stop(&ctx, &q, BOOT_RUN_ERROR, NULL);
	ctx_release(&ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_outcome_names),
		cmocka_unit_test(test_boot_status_is_outcome),
		cmocka_unit_test(test_boot_status_names),
		cmocka_unit_test(test_build_outcome),
		cmocka_unit_test(test_file_parse),
		cmocka_unit_test(test_bad_input_records_nothing),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
