/*
 * Unit tests: compare.c on a real (temporary) database.
 * - A/A: two kernels whose samples come from the same distribution (the
 *   measured TCG noise of hog_ms, about +-10%), 200 times with different
 *   samples: never a verdict.
 * - A real shift (+30%) is found every time; a sample short is
 *   "not-enough-samples"; a different QEMU makes the sides not comparable;
 *   pass→fail, fail→pass and flaky cases are named.
 * - Kernel failures on every run of both sides with no result at all:
 *   not comparable.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "compare.h"
#include "db.h"
#include "util/util.h"

static sqlite3 *db;
static char dbpath[] = "/tmp/pwb-test-compare.XXXXXX";

static int setup(void **state)
{
	int fd = mkstemp(dbpath);

	(void)state;
	if (fd < 0)
		return -1;
	close(fd);
	unlink(dbpath);
	return db_open(dbpath, &db);
}

static int teardown(void **state)
{
	char p[64];

	(void)state;
	sqlite3_close(db);
	unlink(dbpath);
	snprintf(p, sizeof(p), "%s-wal", dbpath);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", dbpath);
	unlink(p);
	return 0;
}

static void exec(const char *sql)
{
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
}

/* a build of tree `tree`, with `n` runs of suite "s" on `qemu` */
static long add_build(const char *tree)
{
	char sql[512];

	snprintf(sql, sizeof(sql), "INSERT INTO builds (repo_path, rev, tree_id, "
		 "config_name, config_hash, status, started_at) VALUES ('r', 'x', "
		 "'%s', 'c', 'cfg', 'ok', 0)", tree);
	exec(sql);
	return (long)sqlite3_last_insert_rowid(db);
}

static long add_run(long build, const char *qemu, const char *status)
{
	char sql[512];
	long boot;

	snprintf(sql, sizeof(sql), "INSERT INTO boots (build_id, kernel, "
		 "qemu_version, accel, mem_mb, cpus, status, started_at) VALUES "
		 "(%ld, 'k', '%s', 'tcg', 256, 1, 'ok', 0)", build, qemu);
	exec(sql);
	boot = (long)sqlite3_last_insert_rowid(db);
	snprintf(sql, sizeof(sql), "INSERT INTO suite_runs (suite, suite_hash, "
		 "build_id, boot_id, repeat_idx, status, started_at) VALUES "
		 "('s', 'h', %ld, %ld, 0, '%s', 0)", build, boot, status);
	exec(sql);
	return (long)sqlite3_last_insert_rowid(db);
}

static void add_sample(long run, const char *name, double v, const char *unit)
{
	char sql[256];

	snprintf(sql, sizeof(sql), "INSERT INTO metric_samples VALUES (%ld, '%s', "
		 "%.6f, '%s')", run, name, v, unit);
	exec(sql);
}

static void add_case(long run, const char *name, const char *status)
{
	char sql[256];

	snprintf(sql, sizeof(sql), "INSERT INTO case_results (run_id, name, "
		 "status) VALUES (%ld, '%s', '%s')", run, name, status);
	exec(sql);
}

/* the oom-reaper suite's declarations */
static void oom_suite(struct suite *s, struct suite_metric *m)
{
	memset(s, 0, sizeof(*s));
	memset(m, 0, 2 * sizeof(*m));
	s->name = "s";
	s->format = SUITE_FMT_METRICS;
	m[0].name = "hog_ms";
	m[0].threshold = 20;
	m[0].threshold_pct = 1;
	m[0].min_samples = 5;
	m[1].name = "reaped";
	m[1].threshold = 0.5;
	m[1].higher_is_better = 1;
	m[1].min_samples = 3;
	s->metrics = m;
	s->nmetrics = 2;
}

/* uniform noise in [-1, 1), own generator: the same on every machine */
static double noise(unsigned long long *x)
{
	*x = *x * 6364136223846793005ULL + 1442695040888963407ULL;
	return (double)(*x >> 11) / (double)(1ULL << 52) - 1.0;
}

static void fill(const char *tree, int n, double shift, unsigned long long *seed)
{
	long b = add_build(tree);
	int i, k;

	for (i = 0; i < n; i++) {
		long r = add_run(b, "qemu 7.2", "passed");

		for (k = 0; k < 4; k++) {
			char name[32];

			snprintf(name, sizeof(name), "hog_ms/subs=%d", k);
			/* median ~2150 ms, +-10% as measured under TCG */
			add_sample(r, name, 2150 * (1 + shift) * (1 + 0.1 * noise(seed)), "ms");
			snprintf(name, sizeof(name), "reaped/subs=%d", k);
			add_sample(r, name, 1, "bool");
		}
	}
}

static void run_trials(double shift, int *with_verdict, int trials)
{
	struct suite s;
	struct suite_metric m[2];
	struct cmp_opts o = { STATS_BH, 0.05 };
	unsigned long long seed = 42;
	int t;

	oom_suite(&s, m);
	*with_verdict = 0;
	for (t = 0; t < trials; t++) {
		struct suite_cmp c;
		char bt[32], ct[32];
		struct cmp_side b = { bt, "cfg" }, cs = { ct, "cfg" };

		snprintf(bt, sizeof(bt), "base-%g-%d", shift, t);
		snprintf(ct, sizeof(ct), "cand-%g-%d", shift, t);
		fill(bt, 5, 0, &seed);
		fill(ct, 5, shift, &seed);
		assert_int_equal(compare_suite(db, &s, "h", &b, &cs, &o, &c), 0);
		assert_true(c.comparable);
		assert_int_equal(c.nmetrics, 8);
		if (c.regressions || c.improvements)
			(*with_verdict)++;
		suite_cmp_release(&c);
	}
}

static void test_aa_silent(void **state)
{
	int n;

	(void)state;
	run_trials(0, &n, 200);
	assert_int_equal(n, 0);
}

static void test_shift_found(void **state)
{
	int n;

	(void)state;
	run_trials(0.3, &n, 50);
	assert_int_equal(n, 50);
}

static void test_not_enough_and_not_comparable(void **state)
{
	struct suite s;
	struct suite_metric m[2];
	struct cmp_opts o = { STATS_BH, 0.05 };
	struct cmp_side b = { "ne-base", "cfg" }, cs = { "ne-cand", "cfg" };
	struct suite_cmp c;
	unsigned long long seed = 7;
	long bb, cb;

	(void)state;
	oom_suite(&s, m);
	fill("ne-base", 5, 0, &seed);
	fill("ne-cand", 4, 0.5, &seed);
	assert_int_equal(compare_suite(db, &s, "h", &b, &cs, &o, &c), 0);
	assert_int_equal(c.regressions, 0);
	assert_int_equal(c.not_enough, 4);	/* hog_ms needs 5 per side */
	assert_int_equal(c.metrics[0].verdict, METRIC_NOT_ENOUGH);
	suite_cmp_release(&c);

	bb = add_build("q-base");
	cb = add_build("q-cand");
	add_sample(add_run(bb, "qemu 7.2", "passed"), "x", 1, "ms");
	add_sample(add_run(cb, "qemu 8.0", "passed"), "x", 1, "ms");
	b.tree_id = "q-base";
	cs.tree_id = "q-cand";
	assert_int_equal(compare_suite(db, &s, "h", &b, &cs, &o, &c), 0);
	assert_false(c.comparable);
	assert_non_null(strstr(c.why_not, "QEMU or machine differs"));
	assert_int_equal(c.metrics[0].verdict, METRIC_NOT_COMPARABLE);
	suite_cmp_release(&c);

	cs.config_hash = "other";
	assert_int_equal(compare_suite(db, &s, "h", &b, &cs, &o, &c), 0);
	assert_false(c.comparable);
	suite_cmp_release(&c);
}

static void test_cases(void **state)
{
	struct suite s;
	struct cmp_opts o = { STATS_BH, 0.05 };
	struct cmp_side b = { "k-base", "cfg" }, cs = { "k-cand", "cfg" };
	struct suite_cmp c;
	long bb = add_build("k-base"), cb = add_build("k-cand"), r;
	size_t i;
	int seen = 0;

	(void)state;
	memset(&s, 0, sizeof(s));
	s.name = "s";
	s.format = SUITE_FMT_KTAP;
	for (i = 0; i < 2; i++) {
		r = add_run(bb, "qemu 7.2", "passed");
		add_case(r, "stays", "pass");
		add_case(r, "breaks", "pass");
		add_case(r, "mended", "fail");
		add_case(r, "wobbly", "pass");
		r = add_run(cb, "qemu 7.2", "failed");
		add_case(r, "stays", "pass");
		add_case(r, "breaks", "crashed");
		add_case(r, "mended", "pass");
		add_case(r, "wobbly", i ? "pass" : "fail");
	}
	assert_int_equal(compare_suite(db, &s, "h", &b, &cs, &o, &c), 0);
	for (i = 0; i < c.ncases; i++) {
		const char *n = c.cases[i].name;
		enum case_verdict v = c.cases[i].verdict;

		seen++;
		if (!strcmp(n, "stays"))
			assert_int_equal(v, CASE_PASS);
		else if (!strcmp(n, "breaks"))
			assert_int_equal(v, CASE_NEW_FAILURE);
		else if (!strcmp(n, "mended"))
			assert_int_equal(v, CASE_FIXED);
		else if (!strcmp(n, "wobbly"))
			assert_int_equal(v, CASE_FLAKY);
	}
	assert_int_equal(seen, 4);
	assert_int_equal(c.regressions, 1);	/* flaky is never one */
	assert_int_equal(c.fixed, 1);
	assert_int_equal(c.flaky, 1);
	suite_cmp_release(&c);
}

/* a suite that never ran: every run on both sides a kernel failure and
 * no case at all (test_hmm's Oops at insmod on 6.1 arm64) is not
 * comparable, never "no regression"; a base that crashed where the
 * candidate runs is compared; a crash only the candidate has regresses */
static void test_no_results(void **state)
{
	struct suite s;
	struct cmp_opts o = { STATS_BH, 0.05 };
	struct cmp_side b = { "x-base", "cfg" }, cs = { "x-cand", "cfg" };
	struct suite_cmp c;
	long bb = add_build("x-base"), cb = add_build("x-cand"), r;
	long fb = add_build("x-fixed"), gb = add_build("x-good");

	(void)state;
	memset(&s, 0, sizeof(s));
	s.name = "s";
	s.format = SUITE_FMT_KTAP;
	add_run(bb, "qemu 7.2", "kernel-failure");
	add_run(cb, "qemu 7.2", "kernel-failure");
	assert_int_equal(compare_suite(db, &s, "h", &b, &cs, &o, &c), 0);
	assert_false(c.comparable);
	assert_non_null(strstr(c.why_not, "neither side gave a result"));
	assert_int_equal(c.regressions, 0);
	suite_cmp_release(&c);

	r = add_run(fb, "qemu 7.2", "passed");
	add_case(r, "runs", "pass");
	cs.tree_id = "x-fixed";
	assert_int_equal(compare_suite(db, &s, "h", &b, &cs, &o, &c), 0);
	assert_true(c.comparable);
	assert_int_equal(c.regressions, 0);
	suite_cmp_release(&c);

	r = add_run(gb, "qemu 7.2", "passed");
	add_case(r, "runs", "pass");
	b.tree_id = "x-good";
	cs.tree_id = "x-cand";
	assert_int_equal(compare_suite(db, &s, "h", &b, &cs, &o, &c), 0);
	assert_true(c.comparable);
	assert_int_equal(c.regressions, 1);
	suite_cmp_release(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_aa_silent),
		cmocka_unit_test(test_shift_found),
		cmocka_unit_test(test_not_enough_and_not_comparable),
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_no_results),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
