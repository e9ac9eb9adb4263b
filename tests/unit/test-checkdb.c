/*
 * Unit tests: the checks tables through checkdb.c.  A check recorded as
 * pwb check records it loads back with its typed status and verdict; a
 * check that is not there, a status that is not pwb's and a failing
 * database are errors, never an empty report; a check left running by a
 * process that is gone is marked interrupted; the newest check of a
 * series and the base it was applied to are found, or said to be none.
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

#include "checkdb.h"
#include "ctx.h"
#include "db.h"
#include "util/util.h"
#include "unit-db.h"

static char dir[4096];
static char path[4200];
static struct pwb_ctx ctx = PWB_CTX_INIT;

static int setup(void **state)
{
	(void)state;
	if (make_tmpdir(dir, sizeof(dir), "pwb-test-checkdb"))
		return -1;
	snprintf(path, sizeof(path), "%s/t.sqlite", dir);
	return db_open(path, &ctx.db);
}

static int teardown(void **state)
{
	(void)state;
	sqlite3_close(ctx.db);
	ctx.db = NULL;
	unit_db_remove(path);
	return rmdir(dir);
}

static long start(const char *source)
{
	long id = -1;

	assert_int_equal(checkdb_start(ctx.db, source, "/src/linux", "qemu-x86_64",
				       0, "x86_64", "gcc", &id), 0);
	assert_true(id > 0);
	return id;
}

static void test_record_and_load(void **state)
{
	struct check_report r;
	long id = start("mmn.mbox");

	(void)state;
	/* running: no verdict yet */
	assert_int_equal(check_report_load(&ctx, id, &r), 0);
	assert_int_equal(r.status, CHECK_ST_RUNNING);
	assert_int_equal(r.verdict, CHECK_VERDICT_NONE);
	assert_string_equal(r.source, "mmn.mbox");
	assert_string_equal(r.arch, "x86_64");
	assert_int_equal(r.have_series, 0);
	assert_int_equal(r.nbuilds, 0);
	assert_int_equal(r.nsuites, 0);
	check_report_release(&r);

	assert_int_equal(checkdb_finish(ctx.db, id, CHECK_ST_DONE,
					CHECK_VERDICT_DOES_NOT_APPLY), 0);
	assert_int_equal(check_report_load(&ctx, id, &r), 0);
	assert_int_equal(r.status, CHECK_ST_DONE);
	assert_int_equal(r.verdict, CHECK_VERDICT_DOES_NOT_APPLY);
	assert_null(r.tip_commit);
	assert_true(r.finished_at >= r.started_at);
	check_report_release(&r);
}

static void test_errors(void **state)
{
	struct check_report r;
	long id = start("bad.mbox"), found = -1;

	(void)state;
	/* no such check */
	assert_int_equal(check_report_load(&ctx, 999999, &r), -1);
	assert_int_equal(check_report_find(&ctx, "999999", &found), -1);
	assert_int_equal(check_report_find(&ctx, NULL, &found), 0);
	assert_true(found >= id);
	/* a status that is not pwb's is an error, not a default */
	assert_int_equal(db_execf(ctx.db, "t", "UPDATE checks SET status = "
				  "'finished' WHERE id = ?", "I",
				  (sqlite3_int64)id), 0);
	assert_int_equal(check_report_load(&ctx, id, &r), -1);
	assert_int_equal(db_execf(ctx.db, "t", "UPDATE checks SET status = "
				  "'done', verdict = 'regressed' WHERE id = ?",
				  "I", (sqlite3_int64)id), 0);
	assert_int_equal(check_report_load(&ctx, id, &r), -1);
	assert_int_equal(db_execf(ctx.db, "t", "UPDATE checks SET verdict = "
				  "'regression' WHERE id = ?", "I",
				  (sqlite3_int64)id), 0);
	assert_int_equal(check_report_load(&ctx, id, &r), 0);
	assert_int_equal(r.verdict, CHECK_VERDICT_REGRESSION);
	check_report_release(&r);
}

static void test_reap_stale(void **state)
{
	struct check_report r;
	long id = start("gone.mbox");

	(void)state;
	/* a pid that cannot be alive */
	assert_int_equal(db_execf(ctx.db, "t", "UPDATE checks SET pid = ? "
				  "WHERE id = ?", "II", (sqlite3_int64)0x7ffffffe,
				  (sqlite3_int64)id), 0);
	checkdb_reap_stale(ctx.db);
	assert_int_equal(check_report_load(&ctx, id, &r), 0);
	assert_int_equal(r.status, CHECK_ST_INTERRUPTED);
	assert_int_equal(r.verdict, CHECK_VERDICT_NONE);
	check_report_release(&r);
	/* this process's own running check is left alone */
	id = start("mine.mbox");
	checkdb_reap_stale(ctx.db);
	assert_int_equal(check_report_load(&ctx, id, &r), 0);
	assert_int_equal(r.status, CHECK_ST_RUNNING);
	check_report_release(&r);
}

static void test_newest_and_base(void **state)
{
	char hex[41] = "";
	long id = -1;

	(void)state;
	/* no check of series 12345 */
	assert_int_equal(check_newest_of_series(ctx.db, 12345, &id), 0);
	assert_int_equal(check_last_base(ctx.db, 12345, "/src/linux", hex), 0);
	/* a database that fails: an error, never "none" */
	assert_int_equal(db_execf(ctx.db, "t", "ALTER TABLE checks RENAME TO "
				  "checks_gone", ""), 0);
	assert_int_equal(check_newest_of_series(ctx.db, 12345, &id), -1);
	assert_int_equal(check_last_base(ctx.db, 12345, "/src/linux", hex), -1);
	assert_int_equal(db_execf(ctx.db, "t", "ALTER TABLE checks_gone RENAME "
				  "TO checks", ""), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_record_and_load),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_reap_stale),
		cmocka_unit_test(test_newest_and_base),
	};

	quiet = 1;
	return cmocka_run_group_tests(tests, setup, teardown);
}
