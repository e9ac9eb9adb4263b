/*
 * check: the pre-merge check of series on a tree, for one cell (pwb check)
 * or a cross product of series and configs (pwb matrix).  Each cell is a
 * checks row: intake, apply, build the base and every patch, the suites on
 * base and tip, compare, verdict.  Runs already recorded for the same tree,
 * config and suite revision count and are not run again (a rerun resumes;
 * cells with the same base share its runs).  Locally the cells run one
 * after the other; with Slurm every cell's suite builds and boots go out
 * as one submission (slurm_run_suites) once all cells are built here.
 *
 * Ownership: the caller owns the options, the suites and the cells; the
 * strings a cell points to must outlive check_run.
 */
#ifndef PWB_CHECK_H
#define PWB_CHECK_H

#include <stddef.h>

#include "ctx.h"
#include "exec/exec.h"
#include "suite.h"
#include "verdict.h"

/*
 * Progress of a check, as events for the caller to show (pwb check prints
 * them on stderr, src/cli/progress.c).  The strings are valid during the
 * call only and are not escaped: they hold series subjects, suite names
 * and the like.
 */
enum check_progress_kind {
	CHECK_PROGRESS_STAGE,	/* step n of m of a cell began */
	CHECK_PROGRESS_BOOT,	/* a boot of one side of a cell begins */
};

struct check_progress_event {
	enum check_progress_kind kind;
	long check_id;		/* the checks row; -1 before intake made it */
	/* CHECK_PROGRESS_STAGE */
	int step, steps;	/* 1..steps (retries add a step) */
	double elapsed;		/* seconds since the cell started */
	const char *text;	/* "apply series 3 to t", "compare" */
	/* CHECK_PROGRESS_BOOT */
	const char *suite;	/* its name */
	const char *label;	/* "base", "candidate" */
	long nth, of;		/* run nth of `of` (recorded runs included) */
};

typedef void (*check_progress_fn)(void *ud,
				  const struct check_progress_event *ev);

struct check_opts {
	const char *tree_arg;	/* registered tree name or path */
	const char *base_rev;	/* NULL: the series' base */
	const char *lore;	/* archive base for a message-id SOURCE, as
				 * pwb fetch --lore (NULL: lore.url) */
	const struct suite *suites;
	size_t nsuites;
	long repeat;		/* 0: each suite's own */
	long retries;		/* a case that passed on every base run and
				 * failed on every candidate run: this many
				 * more candidate boots before it counts as a
				 * new failure (config check.retries) */
	enum exec_backend backend;	/* where builds and boots run */
	check_progress_fn progress;	/* NULL: no progress */
	void *progress_ud;
	kbuild_progress_fn build_progress;	/* local builds; NULL: none */
	void *build_progress_ud;
	exec_cluster_fn cluster_progress;	/* Slurm; NULL: none */
	void *cluster_progress_ud;
};

struct check_cell {
	/* in */
	const char *source;	/* what pwb fetch takes, or a series id */
	const char *config;	/* config fragment for every suite (a
				 * default config follows the arch) */
	const char *base_rev;	/* NULL: check_opts.base_rev */
	const char *arch;	/* arch.h names; NULL: x86_64 */
	const char *toolchain;	/* gcc, clang; NULL: gcc */
	/* out */
	long id;		/* the checks row, -1 never started */
	long series_id;		/* -1 before intake */
	enum check_status status;	/* never started: error, or
					 * interrupted */
	enum check_verdict verdict;	/* none when interrupted */
};

/*
 * Load the suites named (none: config check.suites, else every suite
 * under bench/suites).  Without a config given they must agree on one
 * (*config is then theirs).  Returns 0, or -1 with the error said.
 * The caller frees with check_suites_release.
 */
int check_load_suites(struct pwb_ctx *ctx, char **names, size_t nnames,
		      const char **config, struct suite **suites, size_t *n);
void check_suites_release(struct suite *suites, size_t n);

/*
 * Check every cell.  Returns 0 when the cells ran (each one's status and
 * verdict say how), -1 when none could start (a tree that is not there, a cluster
 * that does not answer, the database; said).  Interrupted: the cells
 * started are recorded interrupted, the others keep id -1.
 */
int check_run(struct pwb_ctx *ctx, const struct check_opts *o,
	      struct check_cell *cells, size_t n);

#endif
