/*
 * Unit tests: single-row lookups of store.c and tree.c tell a row, no row
 * and a database error apart; an error is never taken for "not found".
 *
 * A failing step is made with a progress handler that interrupts the one
 * statement whose SQL holds a given text (SQLITE_INTERRUPT), a failing
 * prepare by dropping the table.
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

#include "db.h"
#include "mail.h"
#include "series.h"
#include "store.h"
#include "tree.h"
#include "util/util.h"
#include "unit-db.h"

static char dir[4096];
static char path[4200];
static sqlite3 *db;

static int setup(void **state)
{
	(void)state;
	mail_global_init();
	if (make_tmpdir(dir, sizeof(dir), "pwb-test-store"))
		return -1;
	snprintf(path, sizeof(path), "%s/t.sqlite", dir);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	return rmdir(dir);
}

static int open_db(void **state)
{
	(void)state;
	return db_open(path, &db);
}

static int close_db(void **state)
{
	(void)state;
	sqlite3_close(db);
	db = NULL;
	unit_db_remove(path);
	return 0;
}

/* Interrupt every statement whose SQL contains fail_sql while it runs. */
static const char *fail_sql;

static int interrupt_one(void *arg)
{
	sqlite3_stmt *st = NULL;

	(void)arg;
	while ((st = sqlite3_next_stmt(db, st)))
		if (sqlite3_stmt_busy(st) && strstr(sqlite3_sql(st), fail_sql))
			return 1;
	return 0;
}

static void fail_statement(const char *sql)
{
	fail_sql = sql;
	sqlite3_progress_handler(db, sql ? 1 : 0, sql ? interrupt_one : NULL,
				 NULL);
}

static long count(const char *sql)
{
	sqlite3_stmt *st;
	long n = -1;

	if (!db_prepare(db, &st, sql) && db_row(db, st, "count") > 0)
		n = (long)sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

#define PATCH_MAIL(id, subject, extra) \
	"From mboxrd@z Thu Jan  1 00:00:00 1970\n" \
	"From: A <a@example.com>\nSubject: " subject "\n" \
	"Date: Mon, 1 Jan 2024 00:00:00 +0000\n" \
	"Message-ID: <" id ">\n" extra "\n" \
	"Fix it.\n\nSigned-off-by: A <a@example.com>\n---\n" \
	"diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n\n"

#define COVER_MAIL \
	"From mboxrd@z Thu Jan  1 00:00:00 1970\n" \
	"From: A <a@example.com>\nSubject: [PATCH 0/1] the cover\n" \
	"Date: Mon, 1 Jan 2024 00:00:00 +0000\n" \
	"Message-ID: <c@x>\n\nWhy.\n\n"

/* Build the thread of mbox and store it: store_thread's result. */
static int store(const char *mbox)
{
	struct thread_opts o = { 0, MBOX_AUTO };
	struct thread t;
	const struct series *sel;
	struct store_stats stats;
	struct buf gz = BUF_INIT;
	int ret;

	assert_int_equal(thread_build(&t, xstrdup(mbox), strlen(mbox), &o), 0);
	assert_int_equal(thread_select(&t, 0, 0, &sel), 0);
	buf_addstr(&gz, "gz");
	ret = store_thread(db, &t, sel, "test", NULL, &gz, &stats);
	buf_release(&gz);
	thread_release(&t);
	return ret;
}

/* The same series again, now known by its cover letter: found by thread
 * and version and updated; when that lookup fails, nothing is stored (it
 * used to read as "no such series" and add a second row). */
static void test_store_series_lookup(void **state)
{
	(void)state;
	assert_int_equal(store(PATCH_MAIL("p1@x", "[PATCH] x: y", "")), 0);
	assert_int_equal(count("SELECT count(*) FROM series"), 1);

	fail_statement("WHERE thread_id = ? AND version = ?");
	assert_int_equal(store(COVER_MAIL PATCH_MAIL("p1@x",
		"[PATCH 1/1] x: y", "In-Reply-To: <c@x>\n")), -1);
	fail_statement(NULL);
	assert_int_equal(count("SELECT count(*) FROM series"), 1);
	assert_int_equal(count("SELECT count(*) FROM series "
			       "WHERE msgid = 'p1@x'"), 1);
	assert_int_equal(count("SELECT count(*) FROM messages"), 1);

	assert_int_equal(store(COVER_MAIL PATCH_MAIL("p1@x",
		"[PATCH 1/1] x: y", "In-Reply-To: <c@x>\n")), 0);
	assert_int_equal(count("SELECT count(*) FROM series"), 1);
	assert_int_equal(count("SELECT count(*) FROM series "
			       "WHERE msgid = 'c@x'"), 1);

	/* the lookups of the thread and the patch row, failing */
	fail_statement("SELECT thread_id FROM messages WHERE msgid = ?");
	assert_int_equal(store(PATCH_MAIL("p2@x", "[PATCH] other", "")), -1);
	fail_statement("SELECT id FROM patches WHERE series_id = ? AND idx = ?");
	assert_int_equal(store(PATCH_MAIL("p2@x", "[PATCH] other", "")), -1);
	fail_statement(NULL);
	assert_int_equal(count("SELECT count(*) FROM threads"), 1);
	assert_int_equal(count("SELECT count(*) FROM series"), 1);
}

static void test_series_of_mail(void **state)
{
	long id = -1, sid;
	int idx = -1;

	(void)state;
	assert_int_equal(store(COVER_MAIL PATCH_MAIL("p1@x",
		"[PATCH 1/1] x: y", "In-Reply-To: <c@x>\n")), 0);
	sid = count("SELECT id FROM series");
	/* found: a patch, the cover letter */
	assert_int_equal(store_series_of_mail(db, "p1@x", &id, &idx), 1);
	assert_int_equal(id, sid);
	assert_int_equal(idx, 1);
	assert_int_equal(store_series_of_mail(db, "c@x", &id, &idx), 1);
	assert_int_equal(idx, 0);
	/* not found */
	assert_int_equal(store_series_of_mail(db, "none@x", &id, &idx), 0);
	/* an error */
	fail_statement("FROM patches WHERE msgid = ?1");
	assert_int_equal(store_series_of_mail(db, "p1@x", &id, &idx), -1);
	fail_statement(NULL);

	/* the same three through the other lookups */
	assert_int_equal(store_find_series(db, "<c@x>", &id), 0);
	assert_int_equal(id, sid);
	assert_int_equal(store_find_series(db, "none@x", &id), -1);
	fail_statement("SELECT id FROM series WHERE id = ?");
	assert_int_equal(store_find_series(db, "1", &id), -1);
	fail_statement(NULL);
	assert_int_equal(store_find_thread(db, "p1@x", &id), 0);
	assert_int_equal(store_find_thread(db, "none@x", &id), -1);
}

static void test_load_series(void **state)
{
	struct stored_series s;
	long sid;

	(void)state;
	assert_int_equal(store(PATCH_MAIL("p1@x", "[PATCH] x: y", "")), 0);
	sid = count("SELECT id FROM series");
	assert_int_equal(store_load_series(db, sid, &s), 0);
	assert_string_equal(s.msgid, "p1@x");
	assert_int_equal(s.npatches, 1);
	stored_series_release(&s);
	assert_int_equal(store_load_series(db, sid + 1, &s), -1);
	fail_statement("JOIN threads t ON t.id = s.thread_id");
	assert_int_equal(store_load_series(db, sid, &s), -1);
	fail_statement(NULL);
	assert_null(s.msgid);
}

static void test_message_raw(void **state)
{
	struct buf raw = BUF_INIT;

	(void)state;
	assert_int_equal(store(PATCH_MAIL("p1@x", "[PATCH] x: y", "")), 0);
	assert_int_equal(store_message_raw(db, "p1@x", &raw), 0);
	assert_non_null(strstr(raw.buf, "Message-ID: <p1@x>"));
	assert_int_equal(store_message_raw(db, "none@x", &raw), 1);
	fail_statement("SELECT raw_gz FROM messages");
	assert_int_equal(store_message_raw(db, "p1@x", &raw), -1);
	fail_statement(NULL);
	/* no table: the prepare fails */
	assert_int_equal(db_exec(db, "PRAGMA foreign_keys = OFF; "
				 "DROP TABLE messages"), 0);
	assert_int_equal(store_message_raw(db, "p1@x", &raw), -1);
	buf_release(&raw);
}

static void test_tree_lookups(void **state)
{
	char *p = NULL, *name = NULL;

	(void)state;
	assert_int_equal(db_execf(db, "add tree", "INSERT INTO trees (name, "
				  "path, added_at) VALUES (?, ?, 1)", "tt",
				  "linux", dir), 0);
	/* found */
	assert_int_equal(tree_resolve(db, "linux", &p, &name), 0);
	assert_string_equal(p, dir);
	assert_string_equal(name, "linux");
	free(p);
	free(name);
	assert_int_equal(tree_name_of(db, dir, &name), 0);
	assert_string_equal(name, "linux");
	free(name);
	/* not found: a path is taken as it is */
	assert_int_equal(tree_resolve(db, path, &p, &name), 0);
	assert_null(name);
	free(p);
	assert_int_equal(tree_name_of(db, "/nowhere", &name), 0);
	assert_null(name);
	assert_int_equal(tree_resolve(db, "/nowhere/at/all", &p, &name), -1);
	assert_null(p);
	/* an error is not "not registered", though path is a directory */
	fail_statement("FROM trees WHERE");
	assert_int_equal(tree_resolve(db, dir, &p, &name), -1);
	assert_null(p);
	assert_null(name);
	assert_int_equal(tree_name_of(db, dir, &name), -1);
	assert_null(name);
	fail_statement(NULL);
	assert_int_equal(db_exec(db, "DROP TABLE trees"), 0);
	assert_int_equal(tree_resolve(db, dir, &p, NULL), -1);
	assert_int_equal(tree_name_of(db, dir, &name), -1);
	/* without a database, a path only */
	assert_int_equal(tree_resolve(NULL, dir, &p, NULL), 0);
	free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_store_series_lookup,
						open_db, close_db),
		cmocka_unit_test_setup_teardown(test_series_of_mail,
						open_db, close_db),
		cmocka_unit_test_setup_teardown(test_load_series,
						open_db, close_db),
		cmocka_unit_test_setup_teardown(test_message_raw,
						open_db, close_db),
		cmocka_unit_test_setup_teardown(test_tree_lookups,
						open_db, close_db),
	};

	return cmocka_run_group_tests_name("store", tests, setup, teardown);
}
