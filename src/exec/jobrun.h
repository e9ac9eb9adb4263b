/*
 * jobrun: a job (job.h) run here, through the executor's local backend:
 * pwb run's own runs and `pwb job run` on a cluster node, which writes a
 * bundle.  Above the executor (exec.h), which the Slurm backend beneath
 * it submits such jobs for.
 */
#ifndef PWB_JOBRUN_H
#define PWB_JOBRUN_H

#include "ctx.h"
#include "exec/job.h"
#include "suite.h"

/*
 * Run j here, on ctx->db, through the executor's local backend (exec.h).
 * s is the suite, loaded by the caller (suite jobs; NULL for build jobs).
 * No progress: a node's job is read from its bundle.  Returns 0 when the
 * job ran (r says how it went), -1 when nothing could be recorded
 * (database).
 */
int job_execute(struct pwb_ctx *ctx, const struct job_spec *j,
		const struct suite *s, struct job_result *r);

/*
 * `pwb job run`: execute the spec at spec_path into bundle directory out
 * (created; must not hold a finished bundle).  0 when the job ran (r says
 * how; an interrupted one leaves no result.json), -1 when it could not
 * start (said).
 */
int job_run_bundle(struct pwb_ctx *ctx, const char *spec_path,
		   const char *out, struct job_result *r);

#endif
