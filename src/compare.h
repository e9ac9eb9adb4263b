/*
 * compare: one suite, base against candidate, from what the database
 * holds: the runs of each side are the completed runs (passed, failed,
 * kernel-failure, timeout) of that suite revision on builds of that git
 * tree with that kernel config.
 *
 * Tests, per case over all runs of a side: pass→fail "new-failure" (a
 * regression), fail→pass "fixed", fail→fail "still-failing", a case whose
 * result differs between runs of one side "flaky" (shown, never a
 * regression on its own).  A case that crashed counts as failed.
 *
 * Metrics, per sample name: median and its 95% CI per side, Mann-Whitney
 * U between sides, p-values adjusted over all metrics of the suite
 * (compare.correction: bh (default), holm, none) and judged against
 * compare.alpha (0.05); a regression or an improvement only when the
 * adjusted p is below alpha AND the change of the medians is beyond the
 * metric's threshold; fewer samples than the metric's minsamples on a
 * side is "not-enough-samples", never a verdict.
 *
 * Sides are comparable only when kernel config, QEMU version, machine
 * (accel, memory, CPUs) and suite revision match; otherwise why_not says
 * what differs and there are no verdicts.
 *
 * struct suite_cmp owns everything in it (suite_cmp_release).
 */
#ifndef PWB_COMPARE_H
#define PWB_COMPARE_H

#include <sqlite3.h>

#include "stats.h"
#include "suite.h"

/* One side of a comparison: runs on kernels built from this source with
 * this config for this arch with this toolchain.  NULL arch/compiler:
 * x86_64, gcc; NULL toolchain: any version. */
struct cmp_side {
	const char *tree_id;	/* git tree id of the kernel source */
	const char *config_hash;
	const char *arch;
	const char *compiler;	/* gcc, clang */
	const char *toolchain;	/* the compiler's version line */
};
struct kbuild_result;
/* The side of a build (borrows from br). */
struct cmp_side cmp_side_of(const struct kbuild_result *br);

enum case_verdict {
	CASE_PASS, CASE_NEW_FAILURE, CASE_FIXED, CASE_STILL_FAILING,
	CASE_FLAKY, CASE_SKIPPED, CASE_NEW_CASE, CASE_GONE,
	CASE_NOT_RUN,	/* the base ran it; the candidate's guest stopped
			 * (crashed or hung) before it (suite_cmp's
			 * stopped_after) */
};

struct case_cmp {
	char *name;
	enum case_verdict verdict;
	int base_pass, base_fail, cand_pass, cand_fail;
	char *cand_diag;	/* diagnostics of a failing candidate run */
	char *skip_reason;	/* a skip's directive ("SKIP DEVICE_COHERENT not
				 * available"), the candidate's first */
	/* what the database knows (report_load, from history_flaky_cases):
	 * commits of this target where the case's runs disagreed, and its
	 * passes and runs on all of them; 0 when never flaky */
	int known_flaky, known_pass, known_runs;
	/* the candidate's stand-in for a case that never reported (KTAP's
	 * "case N" after a crash, ktap.h's nameless): not shown when the
	 * base's cases say which ones did not run */
	int standin;
};

/*
 * A kernel failure triage found on a side's consoles (KASAN, lockdep,
 * WARNING, BUG, Oops...), matched across runs by its normalised title:
 * new on the candidate (a regression even when every case passes), on
 * both (pre-existing), or only on the base (gone).
 */
enum finding_verdict { FINDING_NEW, FINDING_PRE_EXISTING, FINDING_GONE };

struct finding_cmp {
	char *kind, *title;
	char *lines;		/* the report's log lines (candidate's first,
				 * else the base's) */
	enum finding_verdict verdict;
	int base_runs, cand_runs;	/* runs that showed it */
};

enum metric_verdict {
	METRIC_NO_CHANGE, METRIC_REGRESSION, METRIC_IMPROVEMENT,
	METRIC_NOT_ENOUGH, METRIC_NOT_COMPARABLE,
};

struct metric_cmp {
	char *name, *unit;
	double *base, *cand;	/* samples, in run order */
	size_t nbase, ncand;
	double mbase, mcand;	/* medians (NAN without samples) */
	struct stats_ci cibase, cicand;
	double change_pct;	/* NAN when the base median is 0 */
	double p, p_adj;
	long min_samples;
	int higher_is_better;
	double threshold;
	int threshold_pct;
	enum metric_verdict verdict;
};

struct suite_cmp {
	char *suite, *format, *suite_hash;
	int comparable;
	char *why_not;
	int base_runs, cand_runs;
	long *base_ids, *cand_ids;	/* the runs (suite_runs ids), in order */
	char *base_tests, *cand_tests;	/* kselftest: the tree's tests each
					 * side ran ("tools/testing/selftests/mm
					 * at COMMIT"), else NULL */
	int base_bad_runs, cand_bad_runs;	/* kernel-failure, timeout */
	/* of those, runs whose guest stopped before the suite's end (a
	 * crash, a panic, a hang); the others finished with a kernel report
	 * (KASAN, a WARNING...) on their console */
	int base_stopped_runs, cand_stopped_runs;
	/* the last case the first stopped candidate run reported, or NULL
	 * (none, or no run stopped) */
	char *stopped_after;
	int not_run;		/* cases CASE_NOT_RUN */
	/* the runs were replayed from consoles recorded in the tree (the
	 * executor's recorded backend): nothing was booted */
	int recorded;
	struct case_cmp *cases;
	size_t ncases;
	struct metric_cmp *metrics;
	size_t nmetrics;
	struct finding_cmp *findings;
	size_t nfindings;
	int new_findings;
	enum stats_correction correction;
	double alpha;
	int regressions, improvements, fixed, flaky, not_enough;
};

struct cmp_opts {
	enum stats_correction correction;
	double alpha;
};

/* 0, or -1 on a database error (printed). */
int compare_suite(sqlite3 *db, const struct suite *s, const char *suite_hash,
		  const struct cmp_side *base, const struct cmp_side *cand,
		  const struct cmp_opts *o, struct suite_cmp *out);
void suite_cmp_release(struct suite_cmp *c);

/* Completed runs of a suite revision on (tree, config): their ids. */
int compare_find_runs(sqlite3 *db, const char *suite, const char *suite_hash,
		      const struct cmp_side *side, long **ids, size_t *n);

/* How many more completed runs that side needs to have `repeat`. */
int compare_runs_needed(sqlite3 *db, const char *suite, const char *suite_hash,
			const struct cmp_side *side, long repeat, long *need);

const char *case_verdict_name(enum case_verdict v);
const char *metric_verdict_name(enum metric_verdict v);
const char *finding_verdict_name(enum finding_verdict v);

#endif
