/*
 * bisect: the first commit whose suite results regress against the good
 * end, inside a series (the base is good, the series' commits are the
 * candidates) or over a first-parent range (git's bisect.c under
 * builtin/bisect.c: the command parses and prints, this searches).
 *
 * A commit is "bad" when, compared with the good end exactly as pwb check
 * compares (compare.c), the case is a new failure (case_name), the metric
 * a regression (metric_name), or anything regresses (neither).  A commit
 * that does not build, whose suite cannot run, or that cannot be compared
 * is skipped (git bisect skip).  Results already in the database are
 * used: a commit tested before is neither built nor booted again.
 *
 * The search itself (bisect_search) only needs a judge: it is tested
 * without a kernel (tests/unit/test-bisect.c).
 *
 * Ownership: struct bisect owns commits, labels and marks
 * (bisect_release); the options' strings and suite are the caller's.
 */
#ifndef PWB_BISECT_H
#define PWB_BISECT_H

#include <stddef.h>

#include "ctx.h"
#include "exec/exec.h"
#include "store.h"
#include "suite.h"

enum bisect_mark {
	BISECT_UNTESTED,
	BISECT_GOOD,
	BISECT_BAD,
	BISECT_SKIP,
};
const char *bisect_mark_name(enum bisect_mark m);

/* How a bisection ended. */
enum bisect_result {
	BISECT_FOUND,		/* commits[hi] is the first bad one */
	BISECT_ONLY_SKIPPED,	/* the first bad is one of lo+1..hi */
	BISECT_NOT_BAD,		/* the bad end is not bad against the good end */
	BISECT_GOOD_UNTESTABLE,	/* the good end cannot be tested */
	BISECT_EINFRA,		/* the database, a build or boot could not run */
	BISECT_INTERRUPTED,
};

/*
 * Tests commit i: sets *mark (GOOD, BAD or SKIP) and why (a short text);
 * returns 0, or BISECT_EINFRA / BISECT_INTERRUPTED to stop.
 */
typedef int (*bisect_judge_fn)(void *ud, size_t i, enum bisect_mark *mark,
			       char *why, size_t whylen);
/* Called after each commit tested (stepno counts from 1). */
typedef void (*bisect_step_fn)(void *ud, int stepno, size_t i,
			       enum bisect_mark mark, const char *why);

/*
 * The search over marks[0..n-1] (all BISECT_UNTESTED; [0] the good end,
 * [n-1] the bad end): both ends first, then the untested commit nearest
 * the middle of the (last good, first bad) interval.  *lo and *hi are
 * the interval at the end; *steps the commits tested.
 */
enum bisect_result bisect_search(enum bisect_mark *marks, size_t n,
				 bisect_judge_fn judge, bisect_step_fn step,
				 void *ud, size_t *lo, size_t *hi, int *steps);

struct bisect_opts {
	const char *tree_arg;	/* registered name or path */
	const char *base_rev;	/* a series: its base (NULL: the series') */
	const struct suite *s;
	const char *case_name, *metric_name;	/* at most one */
	long repeat;		/* runs per side */
	const char *config;	/* NULL: the suite's (for the arch) */
	const char *arch, *toolchain;	/* NULL: x86_64, gcc */
	enum exec_backend backend;	/* where builds and boots run */
	kbuild_progress_fn build_progress;	/* local builds; NULL: none */
	void *build_progress_ud;
	exec_cluster_fn cluster_progress;	/* Slurm; NULL: none */
	void *cluster_progress_ud;
};

struct bisect {
	struct pwb_ctx *ctx;
	struct bisect_opts o;
	char **commits;		/* [0] the good end, [n-1] the bad end */
	char **labels;		/* "2/3 subject" or "abcdef123456 subject" */
	enum bisect_mark *marks;
	size_t n;
	int cycles;		/* commits built and booted by this bisect */
	size_t lo, hi;		/* after bisect_run: the last good, the first bad */
	int steps;
	char *base_why;		/* a series: how its base was chosen */
	/* private */
	struct kbuild_result good;	/* the good end's build */
	char *tree_path, *tree_name;	/* for the jobs */
};

void bisect_init(struct bisect *b, struct pwb_ctx *ctx,
		 const struct bisect_opts *o);
void bisect_release(struct bisect *b);

/* The candidates: good, then the first-parent commits up to bad; 0 or -1. */
int bisect_load_range(struct bisect *b, const char *good, const char *bad);
/*
 * The candidates: the base and the commits of stored series arg applied
 * as pwb check applies it (the same apply, reused).  ss is loaded (the
 * caller releases it) once *loaded is 1.  0 or -1.
 */
int bisect_load_series(struct bisect *b, const char *arg,
		       struct stored_series *ss, int *loaded);

/*
 * Bisect the loaded candidates: builds and boots what the database does
 * not know yet (locally or on Slurm; the cluster must answer first), step
 * called after each commit tested.
 */
enum bisect_result bisect_run(struct bisect *b, bisect_step_fn step, void *ud);

/*
 * One step of a bisection someone else drives (git bisect run): commit
 * against the good end as bisect_run judges it, or (good NULL) on its
 * own: its case, or any case, failing in every run, or (no case) a
 * kernel that fails or hangs, is bad; runs that disagree are a skip.
 * Sets *mark and why; returns 0, BISECT_GOOD_UNTESTABLE, BISECT_EINFRA
 * or BISECT_INTERRUPTED.  b has no candidates loaded.
 */
int bisect_one(struct bisect *b, const char *good, const char *commit,
	       enum bisect_mark *mark, char *why, size_t whylen);

#endif
