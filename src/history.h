/*
 * history: a series or a test case across versions and runs, read from
 * the tables other modules own (series, checks and check_builds;
 * case_results, suite_runs and builds).  It only reads; nothing here
 * writes a row.
 *
 * history_series() gives every version of a series (the same thread, or
 * the same subject in another thread), one entry per check of it and one
 * for a version never checked.  history_case() gives one test case's
 * pass rate per suite and target (tree, arch, compiler, config), with
 * its results on each commit there.
 *
 * Both return 0, or -1 with the error printed (a database error, or a
 * check's status or verdict that is not pwb's, stops the rows; it is
 * never a shorter list).  The result owns all its
 * strings; series_history_release() and case_history_release() free them
 * (and may be called on a result that failed or was zeroed).
 */
#ifndef PWB_HISTORY_H
#define PWB_HISTORY_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#include "verdict.h"

/* One version of a series with one of its checks (or none). */
struct history_version {
	long series;
	int version;
	char *subject;			/* NULL when the series has none */
	int checked;			/* 0: no check; the fields below unset */
	int64_t check;			/* the check's row id */
	enum check_verdict verdict;	/* CHECK_VERDICT_NONE: none yet */
	enum check_status status;
	int64_t started_at;
	char *tip;			/* tip commit, NULL when none */
	int patches_not_building;	/* builds after the base, not ok */
};

struct series_history {
	struct history_version *v;	/* by version, series, check */
	size_t n;
};

/* Every version of series_id with its checks. */
int history_series(sqlite3 *db, long series_id, struct series_history *out);
void series_history_release(struct series_history *h);

/* One test case on one commit (its runs on builds of one target). */
struct history_case_row {
	char *commit, *rev;		/* NULL when the column is */
	int pass, fail, runs;		/* fail counts fail and crashed */
	int64_t first, last;		/* started_at of the first/last run */
	const char *result;		/* "flaky", "fail", "pass" or "skip" */
};

/*
 * One test case of one suite on one target: a tree (its registered name,
 * else its path), an arch, a compiler and a config, over every commit it
 * ran on.  flaky_commits: commits whose runs disagreed (passed and
 * failed on the same source, config and toolchain).
 */
struct history_case_target {
	char *suite, *tree, *arch, *compiler, *config;
	int pass, fail, runs;
	int flaky_commits;
	int64_t first, last;
	struct history_case_row *rows;	/* by first run */
	size_t n;
};

struct case_history {
	struct history_case_target *t;	/* by suite, tree, arch, compiler,
					 * config */
	size_t n;
};

/* The results of case name, in every suite or (suite not NULL) one;
 * no results is 0 with out->n == 0. */
int history_case(sqlite3 *db, const char *name, const char *suite,
		 struct case_history *out);
void case_history_release(struct case_history *h);

/* A case whose runs disagreed on some commit of a target. */
struct history_flaky {
	char *name;
	int flaky_commits;		/* commits where they disagreed */
	int pass, runs;			/* over every commit of the target */
};

/*
 * The cases of suite that are known to be flaky on one target (arch,
 * compiler, config name; every tree): *out (allocated, by name; freed
 * with history_flaky_free), *n.  0 or -1 (database, said).
 */
int history_flaky_cases(sqlite3 *db, const char *suite, const char *arch,
			const char *compiler, const char *config,
			struct history_flaky **out, size_t *n);
void history_flaky_free(struct history_flaky *f, size_t n);

#endif
