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
#include "exec/exec.h"
#include "suite.h"

/* One request of a batch (exec.c's slurm backend fills them in). */
struct slurm_run {
	/* in */
	const struct suite *suite;	/* NULL with repeat 0: a build job
					 * only (then config is set) */
	const char *tree;	/* repository path (absolute), or NULL */
	const char *tree_name;	/* its registered name, or NULL */
	const char *commit;	/* with tree */
	const char *kernel;	/* a prebuilt kernel instead */
	const char *config;	/* config name; NULL: the suite's */
	const char *arch, *toolchain;	/* NULL: x86_64, gcc */
	long repeat;
	/* out (owned: slurm_run_release) */
	enum exec_status status;	/* EXEC_DONE: the runs are in (any_fail
					 * says whether one failed);
					 * EXEC_NO_KERNEL (no_kernel set): the
					 * kernel does not build; EXEC_INFRA: an
					 * infra-error or interrupted run, a job
					 * or build job that did not finish or
					 * ended infra-error, a batch with no
					 * job to run; EXEC_INTERRUPTED;
					 * EXEC_ERROR: pwb could not try */
	int any_fail;		/* with EXEC_DONE: a run failed */
	int no_kernel;		/* with EXEC_NO_KERNEL */
	long build_id;		/* -1 none */
	long *runs;		/* imported suite_runs ids, repeat order */
	size_t nruns;
};

/*
 * Every request at once: one array of build jobs (one per tree, commit and
 * config), one array of boots that waits for it, one resubmission of what
 * did not finish, then the import into ctx->db.  reqs[k].suite must be set
 * for a request with repeat > 0.  progress (NULL: none) is told what was
 * submitted and what runs while it waits.
 *
 * Returns 0 when the jobs were submitted and their results are in (each
 * request's out fields say how it went), -1 when nothing could be
 * submitted (the cluster does not answer, no slurm.workdir...), the import
 * failed (the error is printed; every status EXEC_ERROR) or pwb was
 * interrupted while waiting (the jobs are cancelled; every status
 * EXEC_INTERRUPTED).
 */
int slurm_run_suites(struct pwb_ctx *ctx, struct slurm_run *reqs, size_t nreq,
		     exec_cluster_fn progress, void *progress_ud);
void slurm_run_release(struct slurm_run *r);

/* slurm.* config usable and the cluster answering?  0, or -1 (said). */
int slurm_check(struct pwb_ctx *ctx);

#endif
