/*
 * slurm: pwb's jobs (job.h) on a Slurm cluster.  pwb writes each job's spec
 * into a shared work directory, submits job arrays with sbatch (a build
 * job, then the suite's boots as an array that depends on it), follows
 * them with squeue (there may be no accounting database, so no sacct),
 * resubmits once what did not finish for infrastructure reasons (node
 * lost, scancel, time limit, an infra-error result), and imports the
 * bundles into the database of the submitting pwb.  A kernel that fails
 * is a result and never resubmitted.
 *
 * Layout: <slurm.workdir>/jobs/<batch>/{run.sh, build/0, suite/<i>}/
 * spec.json, a<attempt>/ (the bundle), slurm-<job>_<task>.out.
 * Builds, checkouts and artifacts go to <slurm.workdir>/cache: the nodes
 * share them (the kernel tree and bench/ must be at the same paths too).
 */
#ifndef PWB_SLURM_H
#define PWB_SLURM_H

#include "ctx.h"
#include "suite.h"

struct slurm_run {
	/* in */
	const struct suite *suite;	/* set by slurm_run_suite; NULL with
					 * repeat 0: a build job only */
	const char *tree;	/* repository path (absolute), or NULL */
	const char *tree_name;	/* its registered name, or NULL */
	const char *commit;	/* with tree */
	const char *kernel;	/* a prebuilt kernel instead */
	const char *config;	/* config name; NULL: the suite's */
	long repeat;
	int progress;		/* a status line on stderr while waiting */
	/* out (owned: slurm_run_release) */
	long build_id;		/* -1 none */
	long *runs;		/* imported suite_runs ids, repeat order */
	size_t nruns;
	int exit;		/* as pwb run */
};

/*
 * Run suite s as jobs on the cluster and import the results into ctx->db.
 * Returns 0 when the jobs were submitted and their results are in (see
 * r->exit), -1 when nothing could be submitted (the cluster does not
 * answer, no slurm.workdir...) or the import failed; the error is printed.
 */
int slurm_run_suite(struct pwb_ctx *ctx, const struct suite *s,
		    struct slurm_run *r);
void slurm_run_release(struct slurm_run *r);

/*
 * Every request at once: one array of build jobs (one per tree, commit and
 * config), one array of boots that waits for it, one resubmission of what
 * did not finish, then the import.  reqs[k].suite must be set; each
 * request's out fields are set as slurm_run_suite sets them (exit 130 for
 * all when interrupted).  progress: what was submitted and a status line
 * on stderr while waiting.  Returns 0 or -1 as slurm_run_suite.
 */
int slurm_run_suites(struct pwb_ctx *ctx, struct slurm_run *reqs, size_t nreq,
		     int progress);

/* slurm.* config usable and the cluster answering?  0, or -1 (said). */
int slurm_check(struct pwb_ctx *ctx);

#endif
