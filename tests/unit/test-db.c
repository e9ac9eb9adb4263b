/* db.c: the row iterator and db_execf's parameter check. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "db.h"
#include "util/util.h"
#include "unit-db.h"

static char dir[4096];
static char path[4200];

static int setup(void **state)
{
	(void)state;
	if (make_tmpdir(dir, sizeof(dir), "pwb-test-db"))
		return -1;
	snprintf(path, sizeof(path), "%s/t.sqlite", dir);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	unit_db_remove(path);
	return rmdir(dir);
}

static void test_row_iterator(void **state)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	int n = 0, rc;

	(void)state;
	assert_int_equal(db_open(path, &db), 0);
	assert_int_equal(db_exec(db, "CREATE TABLE t (x INTEGER NOT NULL)"), 0);
	assert_int_equal(db_execf(db, "insert", "INSERT INTO t VALUES (?), (?)",
				  "ii", 1, 2), 0);
	assert_int_equal(db_prepare(db, &st, "SELECT x FROM t ORDER BY x"), 0);
	while ((rc = db_row(db, st, "read t")) > 0)
		n += sqlite3_column_int(st, 0);
	assert_int_equal(rc, 0);
	assert_int_equal(n, 3);
	sqlite3_finalize(st);
	/* a failing step is an error, never "no more rows" */
	assert_int_equal(db_prepare(db, &st, "INSERT INTO t VALUES (NULL)"), 0);
	assert_int_equal(db_row(db, st, "insert null"), -1);
	sqlite3_finalize(st);
	sqlite3_close(db);
}

static void test_execf_counts_parameters(void **state)
{
	sqlite3 *db;
	sqlite3_stmt *st;

	(void)state;
	assert_int_equal(db_open(path, &db), 0);
	assert_int_equal(db_execf(db, "too few", "INSERT INTO t VALUES (?)", ""), -1);
	assert_int_equal(db_execf(db, "too many", "INSERT INTO t VALUES (?)",
				  "ii", 7, 8), -1);
	assert_int_equal(db_prepare(db, &st, "SELECT count(*) FROM t WHERE x IN (7, 8)"), 0);
	assert_int_equal(db_row(db, st, "count"), 1);
	assert_int_equal(sqlite3_column_int(st, 0), 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_row_iterator),
		cmocka_unit_test(test_execf_counts_parameters),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
