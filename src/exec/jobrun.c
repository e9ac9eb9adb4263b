/* Running a job here: a build or one suite's boots through the
 * executor's local backend, into a bundle when a node runs it
 * (jobrun.h).  The bundle's format and its import are job.c's. */
#include "exec/jobrun.h"
#include "exec/exec.h"
#include "db.h"
#include "tree.h"
#include "util/buf.h"
#include "util/run.h"
#include "util/util.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static void set_status(struct job_result *r, enum job_status status,
		       enum exec_status outcome)
{
	r->status = status;
	r->outcome = outcome;
}

int job_execute(struct pwb_ctx *ctx, const struct job_spec *j,
		const struct suite *s, struct job_result *r)
{
	struct executor e;
	struct exec_request q;
	int is_suite = !strcmp(j->kind, "suite"), ret = 0;

	memset(r, 0, sizeof(*r));
	r->build_id = -1;
	set_status(r, JOB_INFRA_ERROR, EXEC_INFRA);
	if (is_suite && j->suite_hash && strcmp(j->suite_hash, s->hash)) {
		error("suite %s: its files here (%s) differ from the submitter's "
		      "(%s): is core.datadir shared?", s->name, s->hash,
		      j->suite_hash);
		return 0;
	}
	/* a job runs here, whoever submitted it */
	executor_init(&e, ctx, EXEC_LOCAL);
	e.keep_going = 1;	/* every repeat the job was given is booted */
	exec_request_init(&q);
	q.suite = is_suite ? s : NULL;
	q.tree = j->tree;
	q.tree_name = j->tree_name;
	q.commit = j->rev;
	q.kernel = j->kernel;
	q.config = j->config;
	q.arch = j->arch;
	q.toolchain = j->toolchain;
	q.repeat = j->repeats;
	q.first_idx = j->repeat_idx;
	if (exec_run(&e, &q, 1))
		ret = -1;
	r->build_id = q.build_id;
	if (q.no_kernel) {
		error("%s", q.why);
		/* whose fault follows pwb build's (docs/cli.md) */
		set_status(r, JOB_NO_KERNEL, q.status == EXEC_NO_KERNEL ||
			   q.status == EXEC_INTERRUPTED ? q.status : EXEC_INFRA);
		goto out;
	}
	switch (q.status) {
	case EXEC_DONE:
		set_status(r, q.any_fail ? JOB_FAILED : JOB_OK, EXEC_DONE);
		break;
	case EXEC_INTERRUPTED:
		set_status(r, JOB_INTERRUPTED, EXEC_INTERRUPTED);
		break;
	case EXEC_INFRA:
		set_status(r, JOB_INFRA_ERROR, EXEC_INFRA);
		break;
	default:
		if (run_interrupted())
			set_status(r, JOB_INTERRUPTED, EXEC_INTERRUPTED);
		break;
	}
out:
	exec_request_release(&q);
	return ret;
}

/* A job after a build job: 0 go on (the build is in this bundle's
 * database now), 1 stop here with r set. */
static int run_after(struct pwb_ctx *ctx, const struct job_spec *j,
		     struct job_result *r)
{
	char *d = job_last_bundle(j->after, NULL);
	struct job_bundle b;
	int added, ret = 1;

	memset(r, 0, sizeof(*r));
	r->build_id = -1;
	if (!d) {
		error("the build job in %s did not finish", j->after);
		set_status(r, JOB_INFRA_ERROR, EXEC_INFRA);
		return 1;
	}
	if (job_bundle_result(d, &b)) {
		set_status(r, JOB_INFRA_ERROR, EXEC_INFRA);
		free(d);
		return 1;
	}
	if (b.status != JOB_OK) {
		error("the build job in %s ended %s", d, job_status_name(b.status));
		set_status(r, b.status, b.outcome == EXEC_DONE ? EXEC_INFRA :
			   b.outcome);
	} else if (job_import(ctx->db, d, "after", 1, &added, NULL)) {
		set_status(r, JOB_INFRA_ERROR, EXEC_INFRA);
	} else {
		ret = 0;
	}
	job_bundle_release(&b);
	free(d);
	return ret;
}

int job_run_bundle(struct pwb_ctx *ctx, const char *spec_path,
		   const char *out, struct job_result *r)
{
	struct job_spec j;
	struct suite s;
	char *db_path = NULL, *res = NULL;
	int loaded = 0, ret = -1;
	size_t i;
	time_t t0 = time(NULL);

	memset(r, 0, sizeof(*r));
	r->build_id = -1;
	if (job_spec_load(spec_path, &j))
		return -1;
	if (mkdir_p(out, 0777)) {
		error("cannot create %s: %s", out, strerror(errno));
		goto out;
	}
	res = xstrfmt("%s/result.json", out);
	if (!access(res, F_OK)) {
		error("%s holds a finished job already", out);
		goto out;
	}
	/* what the submitter configured, then where the shared files are */
	for (i = 0; i < j.nsettings; i++)
		if (ctx_add_override(ctx, j.settings[i]))
			goto out;
	if (j.workdir) {
		char *kv = xstrfmt("core.workdir=%s", j.workdir);

		ctx_add_override(ctx, kv);
		free(kv);
	}
	setenv("PWB_DATADIR", j.datadir, 1);
	if (ctx_configure_sandbox(ctx))
		goto out;
	/* a killed attempt may have left a database: start clean */
	db_path = xstrfmt("%s/bundle.sqlite", out);
	{
		const char *sfx[] = { "", "-wal", "-shm", "-journal" };

		for (i = 0; i < 4; i++) {
			char *f = xstrfmt("%s%s", db_path, sfx[i]);

			unlink(f);
			free(f);
		}
	}
	if (db_open(db_path, &ctx->db))
		goto out;
	if (j.tree && j.tree_name && tree_add(ctx->db, j.tree_name, j.tree))
		goto out;
	if (!strcmp(j.kind, "suite")) {
		if (suite_load(j.datadir, j.suite, &s))
			goto out;
		loaded = 1;
	}
	run_install_signal_handlers();
	if (j.after && run_after(ctx, &j, r)) {
		/* the build job failed or never finished: so does this one */
	} else if (job_execute(ctx, &j, loaded ? &s : NULL, r)) {
		goto out;
	}
	sqlite3_close(ctx->db);
	ctx->db = NULL;
	/* interrupted: no result, the job did not finish */
	if (r->outcome != EXEC_INTERRUPTED &&
	    job_bundle_write_result(out, j.id, j.kind, r,
				    (long)(time(NULL) - t0)))
		goto out;
	ret = 0;
out:
	if (ctx->db) {
		sqlite3_close(ctx->db);
		ctx->db = NULL;
	}
	if (loaded)
		suite_release(&s);
	job_spec_release(&j);
	free(db_path);
	free(res);
	return ret;
}
