/* pwb's jobs as Slurm job arrays (see slurm.h). */
#include "exec/slurm.h"
#include "db.h"
#include "exec/exec.h"
#include "exec/job.h"
#include "kbuild.h"
#include "suiterun.h"
#include "util/buf.h"
#include "util/run.h"
#include "util/util.h"
#include "util/vis.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct sopts {
	char *workdir, *partition, *timelimit, *options;
	char pwb[PATH_MAX];
	double poll;
};

static void sopts_release(struct sopts *o)
{
	free(o->workdir);
	free(o->partition);
	free(o->timelimit);
	free(o->options);
}

/* Run a Slurm client command; 0 on exit 0 with its output in out. */
static int sl_cmd(const char *const *argv, struct buf *out, char **why)
{
	struct run_opts ro;
	struct run_result rr;
	char d[128];
	int ret = -1;

	memset(&ro, 0, sizeof(ro));
	ro.argv = argv;
	ro.timeout = 60;
	ro.capture_cap = 1 << 20;
	ro.stdin_null = 1;
	if (run_command(&ro, &rr) == 0 && rr.end == RUN_EXITED && rr.code == 0) {
		buf_addbuf(out, &rr.output);
		ret = 0;
	} else if (why) {
		size_t n = rr.output.len ? strcspn(rr.output.buf, "\n") : 0;

		*why = n ? xstrndup(rr.output.buf, n > 300 ? 300 : n) :
			   xstrfmt("%s: %s", argv[0],
				   rr.end == RUN_NOSTART ? strerror(rr.code) :
				   run_describe(&rr, d, sizeof(d)));
	}
	run_result_release(&rr);
	return ret;
}

static int load_opts(struct pwb_ctx *ctx, struct sopts *o)
{
	char *poll = NULL;
	ssize_t n;

	memset(o, 0, sizeof(*o));
	o->workdir = ctx_config_get(ctx, "slurm.workdir");
	if (!o->workdir || o->workdir[0] != '/')
		return error("slurm.workdir %s: set it to an absolute directory "
			     "every node of the cluster sees",
			     o->workdir && *o->workdir ? "is not absolute" :
			     "is not set");
	o->partition = ctx_config_get(ctx, "slurm.partition");
	o->timelimit = ctx_config_get(ctx, "slurm.time");
	o->options = ctx_config_get(ctx, "slurm.options");
	poll = ctx_config_get(ctx, "slurm.poll");
	o->poll = poll ? atof(poll) : 2;
	free(poll);
	if (o->poll < 0.2 || o->poll > 600)
		return error("slurm.poll: 0.2 to 600 seconds");
	n = readlink("/proc/self/exe", o->pwb, sizeof(o->pwb) - 1);
	if (n <= 0)
		return error("cannot find the pwb binary: %s", strerror(errno));
	o->pwb[n] = '\0';
	return 0;
}

/* Before anything is written or submitted: does the cluster answer? */
static int ping(void)
{
	const char *argv[] = { "sinfo", "-h", "-o", "%a", NULL };
	struct buf out = BUF_INIT;
	char *why = NULL;
	int ret = 0;

	if (sl_cmd(argv, &out, &why))
		ret = error("slurm: the cluster does not answer (%s); is "
			    "SLURM_CONF right and slurmctld running?", why);
	else if (!strstr(out.buf, "up"))
		ret = error("slurm: no partition is up");
	free(why);
	buf_release(&out);
	return ret;
}

static const char run_sh[] =
	"#!/bin/sh\n"
	"# written by pwb: one task of a pwb job array (see slurm.h)\n"
	"#   $1 the pwb binary, $2 the directory of this kind of job\n"
	"t=${SLURM_ARRAY_TASK_ID:?not run as an array task}\n"
	"exec \"$1\" job run \"$2/$t/spec.json\" --out \"$2/$t/a${PWB_ATTEMPT:-1}\"\n";

/* sbatch an array of tasks of one kind; *jobid is Slurm's id. */
static int submit(const struct sopts *o, const char *batch, const char *kind,
		  const char *tasks, const char *after, int attempt,
		  char **jobid)
{
	const char *argv[64];
	char *own[16];
	size_t n = 0, nown = 0, i;
	struct buf out = BUF_INIT, opt = BUF_INIT;
	char *why = NULL, *kdir = xstrfmt("%s/%s", batch, kind);
	int ret = -1;

#define OWN(s) (argv[n++] = own[nown++] = (s))
	argv[n++] = "sbatch";
	argv[n++] = "--parsable";
	OWN(xstrfmt("--job-name=pwb-%s", kind));
	OWN(xstrfmt("--array=%s", tasks));
	OWN(xstrfmt("--output=%s/%%a/slurm-%%A_%%a.out", kdir));
	OWN(xstrfmt("--chdir=%s", batch));
	OWN(xstrfmt("--export=ALL,PWB_ATTEMPT=%d", attempt));
	if (o->partition)
		OWN(xstrfmt("--partition=%s", o->partition));
	if (o->timelimit)
		OWN(xstrfmt("--time=%s", o->timelimit));
	if (after)
		OWN(xstrfmt("--dependency=afterany:%s", after));
#undef OWN
	/* slurm.options: the maintainer's own config, split on blanks */
	if (o->options) {
		char *p;

		buf_addstr(&opt, o->options);
		for (p = strtok(opt.buf, " \t"); p && n < 56; p = strtok(NULL, " \t"))
			argv[n++] = p;
	}
	argv[n++] = xstrfmt("%s/run.sh", batch);
	own[nown++] = (char *)argv[n - 1];
	argv[n++] = o->pwb;
	argv[n++] = kdir;
	argv[n] = NULL;
	if (sl_cmd(argv, &out, &why)) {
		error("slurm: sbatch of the %s jobs failed: %s", kind, why);
		goto out;
	}
	buf_trim(&out);
	*jobid = xstrndup(out.buf, strspn(out.buf, "0123456789"));
	if (!**jobid) {
		error("slurm: sbatch printed no job id: %.100s", out.buf);
		free(*jobid);
		*jobid = NULL;
		goto out;
	}
	ret = 0;
out:
	for (i = 0; i < nown; i++)
		free(own[i]);
	buf_release(&out);
	buf_release(&opt);
	free(why);
	free(kdir);
	return ret;
}

static void cancel(const char *ids)
{
	const char *argv[] = { "scancel", ids, NULL };
	struct buf out = BUF_INIT;

	sl_cmd(argv, &out, NULL);
	buf_release(&out);
}

/* Why a task did not finish, as Slurm tells it (best effort). */
static char *task_state(const char *jobid, long task)
{
	char *id = xstrfmt("%s_%ld", jobid, task), *why, *p;
	const char *argv[] = { "scontrol", "-o", "show", "job", id, NULL };
	struct buf out = BUF_INIT;

	if (sl_cmd(argv, &out, NULL) || !(p = strstr(out.buf, "JobState="))) {
		why = xstrfmt("Slurm job %s did not finish", id);
	} else {
		p += 9;
		why = xstrfmt("Slurm job %s did not finish (%.*s)", id,
			      (int)strcspn(p, " \n"), p);
	}
	buf_release(&out);
	free(id);
	return why;
}

static char *abs_datadir(struct pwb_ctx *ctx)
{
	char *d = pwb_datadir(ctx), *r = realpath(d, NULL);

	if (r) {
		free(d);
		return r;
	}
	return d;
}

/* The config a job on a node must see as this pwb sees it. */
static void forward_settings(struct pwb_ctx *ctx, struct job_spec *j)
{
	static const char *keys[] = {
		"boot.qemu", "boot.mem", "boot.cpus", "boot.timeout",
		"boot.idletimeout", "build.jobs", "build.timeout",
		"build.cachesize", "sandbox.enabled", NULL
	};
	size_t i;

	j->settings = xcalloc(ARRAY_SIZE(keys), sizeof(char *));
	for (i = 0; keys[i]; i++) {
		char *v = ctx_config_get(ctx, keys[i]);

		if (v)
			j->settings[j->nsettings++] = xstrfmt("%s=%s", keys[i], v);
		free(v);
	}
}

static int write_spec(const struct job_spec *j, const char *dir)
{
	char *p = xstrfmt("%s/spec.json", dir);
	int ret = mkdir_p(dir, 0777) ? error("cannot create %s: %s", dir,
					     strerror(errno)) :
		  job_spec_write(j, p);

	free(p);
	return ret;
}

/* Does task dir need another attempt: nothing finished, or infra-error? */
static int needs_retry(const char *dir)
{
	char *d = job_last_bundle(dir, NULL);
	struct job_bundle b;
	int retry = 1;

	if (d && !job_bundle_result(d, &b)) {
		retry = b.status == JOB_INFRA_ERROR;
		job_bundle_release(&b);
	}
	free(d);
	return retry;
}

/* A run's status as recorded; a run that cannot be read is an
 * infrastructure error, a status that is not pwb's is said and one too. */
static enum suite_run_status run_status(sqlite3 *db, long run)
{
	enum suite_run_status rs = SUITE_RUN_INFRA_ERROR;
	sqlite3_stmt *st;

	if (!db_prepare(db, &st, "SELECT status FROM suite_runs WHERE id = ?")) {
		sqlite3_bind_int64(st, 1, run);
		if (sqlite3_step(st) == SQLITE_ROW) {
			const char *t = (const char *)sqlite3_column_text(st, 0);

			if (suite_run_status_parse(t, &rs))
				error("suite run %ld: status '%s': not pwb's", run,
				      vis(t));
		}
		sqlite3_finalize(st);
	}
	return rs;
}

/* One build job: the requests with this tree, commit and config share it. */
struct sbuild {
	const struct slurm_run *req;	/* the first request that needs it */
	int attempt;
	int failed;			/* it gave no kernel; then its outcome: */
	enum exec_status status;
	int any_fail, no_kernel;
	long id;			/* imported builds row, -1 */
};

/* One suite task: repeat idx of request req. */
struct stask {
	size_t req;
	long idx;
	char *id;			/* its job id */
	int attempt;
};

/* What the stages of one slurm_run_suites() share. */
struct srun {
	struct pwb_ctx *ctx;
	struct slurm_run *reqs;
	size_t nreq;
	exec_cluster_fn progress;	/* NULL: none */
	void *progress_ud;
	int interrupted;		/* while waiting: the jobs are cancelled */
	struct sopts o;
	char *bid, *batch;		/* <slurm.workdir>/jobs/<bid> */
	char *bdir, *sdir;		/* its build/ and suite/ */
	char *datadir, *workdir;	/* as the jobs' specs give them */
	struct sbuild *builds;		/* nb build jobs */
	size_t nb;
	size_t *bof;			/* request k's build job, SIZE_MAX none */
	struct stask *tasks;		/* nt boot jobs */
	size_t nt;
	char *jb, *js;			/* Slurm's ids of the last build and
					 * boot arrays submitted, or NULL */
	int *rebuilt;			/* build job i runs again */
};

static void tell(const struct srun *s, enum exec_cluster_kind kind,
		 const char *ids, int running, int pending)
{
	struct exec_cluster_event ev;

	if (!s->progress)
		return;
	memset(&ev, 0, sizeof(ev));
	ev.kind = kind;
	ev.ids = ids;
	ev.running = running;
	ev.pending = pending;
	s->progress(s->progress_ud, &ev);
}

/* Wait until none of the jobs (comma-separated ids) is queued or running.
 * -1 when pwb was interrupted (the jobs are cancelled). */
static int wait_jobs(const struct srun *s, const char *ids)
{
	const char *argv[] = { "squeue", "-h", "-j", ids, "-o", "%T", NULL };
	const struct sopts *o = &s->o;

	for (;;) {
		struct buf out = BUF_INIT;
		int pending = 0, running = 0, rc;
		const char *p;

		rc = sl_cmd(argv, &out, NULL);
		for (p = out.buf; rc == 0 && *p; p += strcspn(p, "\n") + (p[strcspn(p, "\n")] != 0)) {
			if (!strncmp(p, "PENDING", 7))
				pending++;
			else if (*p && *p != '\n')
				running++;
		}
		buf_release(&out);
		/* squeue forgets jobs that ended a while ago: "invalid job id" */
		if (rc || (!pending && !running))
			break;
		tell(s, EXEC_CLUSTER_QUEUE, ids, running, pending);
		if (run_interrupted()) {
			cancel(ids);
			tell(s, EXEC_CLUSTER_DONE, ids, 0, 0);
			return -1;
		}
		usleep((useconds_t)(o->poll * 1e6));
		if (run_interrupted()) {
			cancel(ids);
			return -1;
		}
	}
	tell(s, EXEC_CLUSTER_DONE, ids, 0, 0);
	return 0;
}

static const char *req_config(const struct slurm_run *r)
{
	return r->config ? r->config : r->suite->config;
}

static int same_opt(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

static int same_build(const struct slurm_run *a, const struct slurm_run *b)
{
	return a->tree && b->tree && !strcmp(a->tree, b->tree) &&
	       !strcmp(a->commit, b->commit) &&
	       !strcmp(req_config(a), req_config(b)) &&
	       same_opt(a->arch, b->arch) && same_opt(a->toolchain, b->toolchain);
}

static void spec_from_req(struct job_spec *j, const struct slurm_run *r,
			  const char *datadir, const char *workdir,
			  struct pwb_ctx *ctx)
{
	memset(j, 0, sizeof(*j));
	j->datadir = xstrdup(datadir);
	j->workdir = xstrdup(workdir);
	j->tree = r->tree ? xstrdup(r->tree) : NULL;
	j->tree_name = r->tree_name ? xstrdup(r->tree_name) : NULL;
	j->rev = r->commit ? xstrdup(r->commit) : NULL;
	j->kernel = r->kernel ? xstrdup(r->kernel) : NULL;
	j->config = xstrdup(req_config(r));
	j->arch = xstrdup_or_null(r->arch);
	j->toolchain = xstrdup_or_null(r->toolchain);
	j->repeats = 1;
	forward_settings(ctx, j);
}

/* A build job that did not give a kernel to boot: its bundle's status and
 * outcome (job.h) as the outcome of its requests. */
static void build_outcome(struct sbuild *b, enum job_status st,
			  enum exec_status outcome)
{
	b->failed = 1;
	b->any_fail = st == JOB_FAILED;
	b->no_kernel = outcome == EXEC_NO_KERNEL;
	switch (outcome) {
	case EXEC_DONE:
	case EXEC_NO_KERNEL:
	case EXEC_INFRA:
	case EXEC_INTERRUPTED:
		b->status = outcome;
		break;
	default:
		b->status = EXEC_ERROR;
		break;
	}
}

/* Import a finished build, or record that it never finished. */
static int import_build(sqlite3 *db, const char *d, struct sbuild *b)
{
	char *bundle = job_last_bundle(d, NULL);
	struct job_imported got;
	struct job_bundle info;
	int added;

	b->id = -1;
	if (!bundle) {
		char *sp = xstrfmt("%s/spec.json", d);
		struct job_spec bs;

		if (!job_spec_load(sp, &bs)) {
			job_record_unfinished(db, bs.id, "build", "slurm",
					      b->attempt, d);
			job_spec_release(&bs);
		}
		free(sp);
		build_outcome(b, JOB_INFRA_ERROR, EXEC_INFRA);
		error("the build job in %s did not finish in %d attempts", d,
		      b->attempt);
		return 0;
	}
	if (job_import(db, bundle, "slurm", b->attempt, &added, &got)) {
		free(bundle);
		return -1;
	}
	b->id = got.build_id;
	job_imported_release(&got);
	if (!job_bundle_result(bundle, &info)) {
		if (info.status != JOB_OK) {
			build_outcome(b, info.status, info.outcome);
			notice("the build of %.12s on the cluster ended %s",
			       b->req->commit, job_status_name(info.status));
		}
		job_bundle_release(&info);
	}
	free(bundle);
	return 0;
}

static void add_run(struct slurm_run *r, long run)
{
	r->runs = xrealloc(r->runs, (r->nruns + 1) * sizeof(long));
	r->runs[r->nruns++] = run;
}

/* The batch directory with its run.sh; the options; a cluster that answers. */
static int setup_batch(struct srun *s)
{
	char *p = NULL;
	int ret = -1;

	if (load_opts(s->ctx, &s->o) || ping())
		goto out;
	s->bid = job_new_id();
	s->batch = xstrfmt("%s/jobs/%s", s->o.workdir, s->bid);
	s->bdir = xstrfmt("%s/build", s->batch);
	s->sdir = xstrfmt("%s/suite", s->batch);
	if (mkdir_p(s->batch, 0777)) {
		error("cannot create %s: %s", s->batch, strerror(errno));
		goto out;
	}
	p = xstrfmt("%s/run.sh", s->batch);
	if (write_file(p, run_sh, strlen(run_sh)) || chmod(p, 0755)) {
		error("cannot write %s: %s", p, strerror(errno));
		goto out;
	}
	s->datadir = abs_datadir(s->ctx);
	s->workdir = xstrfmt("%s/cache", s->o.workdir);
	ret = 0;
out:
	free(p);
	return ret;
}

/* The spec of build job s->nb, for request r. */
static int add_build(struct srun *s, const struct slurm_run *r)
{
	struct job_spec spec;
	char *d = xstrfmt("%s/%zu", s->bdir, s->nb);
	int ret;

	s->builds[s->nb].req = r;
	s->builds[s->nb].attempt = 1;
	spec_from_req(&spec, r, s->datadir, s->workdir, s->ctx);
	spec.id = job_new_id();
	spec.kind = xstrdup("build");
	ret = write_spec(&spec, d);
	job_spec_release(&spec);
	free(d);
	if (!ret)
		s->nb++;
	return ret;
}

/* One build job per tree, commit and config. */
static int plan_builds(struct srun *s)
{
	size_t i, k;

	s->builds = xcalloc(s->nreq + 1, sizeof(*s->builds));
	s->bof = xcalloc(s->nreq + 1, sizeof(*s->bof));
	for (k = 0; k < s->nreq; k++) {
		s->bof[k] = SIZE_MAX;
		if (!s->reqs[k].tree)
			continue;
		for (i = 0; i < s->nb && !same_build(s->builds[i].req, &s->reqs[k]); i++)
			;
		if (i == s->nb && add_build(s, &s->reqs[k]))
			return -1;
		s->bof[k] = i;
	}
	return 0;
}

/* The spec of boot job s->nt: repeat idx of request k. */
static int add_boot(struct srun *s, size_t k, long idx)
{
	const struct slurm_run *r = &s->reqs[k];
	struct stask *t = &s->tasks[s->nt];
	struct job_spec spec;
	char *d = xstrfmt("%s/%zu", s->sdir, s->nt);
	int ret;

	spec_from_req(&spec, r, s->datadir, s->workdir, s->ctx);
	spec.kind = xstrdup("suite");
	spec.suite = xstrdup(r->suite->name);
	spec.suite_hash = xstrdup(r->suite->hash);
	spec.repeat_idx = (int)idx;
	if (s->bof[k] != SIZE_MAX)
		spec.after = xstrfmt("%s/%zu", s->bdir, s->bof[k]);
	spec.id = job_new_id();
	t->id = xstrdup(spec.id);
	t->req = k;
	t->idx = idx;
	t->attempt = 1;
	s->nt++;
	ret = write_spec(&spec, d);
	job_spec_release(&spec);
	free(d);
	return ret;
}

/* Every boot of every request, each after its build job. */
static int plan_boots(struct srun *s)
{
	size_t k, n = 0;
	long r;

	for (k = 0; k < s->nreq; k++)
		n += (size_t)s->reqs[k].repeat;
	s->tasks = xcalloc(n + 1, sizeof(*s->tasks));
	for (k = 0; k < s->nreq; k++)
		for (r = 0; r < s->reqs[k].repeat; r++)
			if (add_boot(s, k, r))
				return -1;
	return 0;
}

/* sbatch the build jobs in tasks ("0-3", "1,4"); s->jb is the array. */
static int submit_builds(struct srun *s, const char *tasks, int attempt)
{
	free(s->jb);
	s->jb = NULL;
	return submit(&s->o, s->batch, "build", tasks, NULL, attempt, &s->jb);
}

/* sbatch the boot jobs in tasks, after Slurm job after if not NULL. */
static int submit_boots(struct srun *s, const char *tasks, const char *after,
			int attempt)
{
	char *j = NULL;

	if (submit(&s->o, s->batch, "suite", tasks, after, attempt, &j))
		return -1;
	free(s->js);
	s->js = j;
	return 0;
}

/* The build array, then the boot array that depends on it. */
static int submit_all(struct srun *s)
{
	struct buf range = BUF_INIT;
	int ret = -1;

	if (s->progress) {
		struct exec_cluster_event ev;

		memset(&ev, 0, sizeof(ev));
		ev.kind = EXEC_CLUSTER_SUBMITTED;
		ev.build_jobs = s->nb;
		ev.boot_jobs = s->nt;
		ev.batch = s->batch;
		s->progress(s->progress_ud, &ev);
	}
	if (s->nb) {
		buf_addf(&range, "0-%zu", s->nb - 1);
		if (submit_builds(s, range.buf, 1))
			goto out;
	}
	if (s->nt) {
		buf_reset(&range);
		buf_addf(&range, "0-%zu", s->nt - 1);
		if (submit_boots(s, range.buf, s->jb, 1)) {
			if (s->jb)
				cancel(s->jb);
			goto out;
		}
	}
	ret = 0;
out:
	buf_release(&range);
	return ret;
}

/* Until the arrays jb and js (either may be NULL) have left the queue. */
static int wait_arrays(struct srun *s, const char *jb, const char *js)
{
	char *ids = jb && js ? xstrfmt("%s,%s", jb, js) : xstrdup(jb ? jb : js);
	int ret = 0;

	if (wait_jobs(s, ids)) {
		s->interrupted = 1;
		ret = -1;
	}
	free(ids);
	return ret;
}

/* The build jobs to run again, into list ("1,4"); s->rebuilt says which. */
static void pick_builds(struct srun *s, struct buf *list)
{
	size_t i;

	s->rebuilt = xcalloc(s->nb + 1, sizeof(int));
	for (i = 0; i < s->nb; i++) {
		char *d = xstrfmt("%s/%zu", s->bdir, i);

		if (needs_retry(d)) {
			char *why = task_state(s->jb, (long)i);

			notice("%s; submitting it again", why);
			free(why);
			buf_addf(list, "%s%zu", list->len ? "," : "", i);
			s->builds[i].attempt = 2;
			s->rebuilt[i] = 1;
		}
		free(d);
	}
}

/* The boot jobs to run again: their own, or their build job's, did not
 * finish. */
static void pick_boots(struct srun *s, struct buf *list)
{
	size_t i;

	for (i = 0; i < s->nt; i++) {
		char *d = xstrfmt("%s/%zu", s->sdir, i);
		size_t b = s->bof[s->tasks[i].req];
		int again = b != SIZE_MAX && s->rebuilt[b];

		if (!again && needs_retry(d)) {
			char *why = task_state(s->js, (long)i);

			notice("%s; submitting it again", why);
			free(why);
			again = 1;
		}
		if (again) {
			buf_addf(list, "%s%zu", list->len ? "," : "", i);
			s->tasks[i].attempt = 2;
		}
		free(d);
	}
}

/* Once more what did not finish for infrastructure reasons; the boots of
 * a build that runs again wait for it. */
static int resubmit(struct srun *s)
{
	struct buf rb = BUF_INIT, retry = BUF_INIT;
	int ret = -1;

	pick_builds(s, &rb);
	pick_boots(s, &retry);
	if (rb.len && submit_builds(s, rb.buf, 2))
		goto out;
	if (retry.len && submit_boots(s, retry.buf, rb.len ? s->jb : NULL, 2))
		goto out;
	if ((rb.len || retry.len) &&
	    wait_arrays(s, rb.len ? s->jb : NULL, retry.len ? s->js : NULL))
		goto out;
	ret = 0;
out:
	buf_release(&rb);
	buf_release(&retry);
	return ret;
}

static int import_builds(struct srun *s)
{
	size_t i, k;

	for (i = 0; i < s->nb; i++) {
		char *d = xstrfmt("%s/%zu", s->bdir, i);
		int bad = import_build(s->ctx->db, d, &s->builds[i]);

		free(d);
		if (bad)
			return -1;
	}
	for (k = 0; k < s->nreq; k++)
		if (s->bof[k] != SIZE_MAX)
			s->reqs[k].build_id = s->builds[s->bof[k]].id;
	return 0;
}

/* Boot job i's runs into its request, or an infra-error run saying why it
 * has none (unless its build gave no kernel). */
static int import_boot(struct srun *s, size_t i)
{
	const struct stask *t = &s->tasks[i];
	struct slurm_run *r = &s->reqs[t->req];
	size_t b = s->bof[t->req], k;
	char *d = xstrfmt("%s/%zu", s->sdir, i), *bundle = job_last_bundle(d, NULL);
	struct job_imported got;
	int added, ret = -1;

	if (bundle) {
		if (job_import(s->ctx->db, bundle, "slurm", t->attempt, &added,
			       &got))
			goto out;
		if (r->build_id < 0)
			r->build_id = got.build_id;
		for (k = 0; k < got.nruns; k++)
			add_run(r, got.runs[k]);
		job_imported_release(&got);
	} else if (b == SIZE_MAX || !s->builds[b].failed) {
		char *why = task_state(s->js, (long)i);
		long run = -1;

		job_record_unfinished(s->ctx->db, t->id, "suite", "slurm",
				      t->attempt, d);
		suite_record_infra(s->ctx->db, r->suite, r->build_id, why, &run);
		if (run > 0)
			add_run(r, run);
		free(why);
	}
	ret = 0;
out:
	free(bundle);
	free(d);
	return ret;
}

/* Request k's outcome: its build's when that gave no kernel, else its
 * runs' (an infra-error or interrupted run: infra; a failed one: any_fail). */
static void judge(struct srun *s, size_t k)
{
	struct slurm_run *r = &s->reqs[k];
	const struct sbuild *b = s->bof[k] != SIZE_MAX ? &s->builds[s->bof[k]] :
				 NULL;
	int any_fail = 0, any_infra = 0;
	size_t i;

	for (i = 0; i < r->nruns; i++) {
		switch (run_status(s->ctx->db, r->runs[i])) {
		case SUITE_RUN_INFRA_ERROR:
		case SUITE_RUN_INTERRUPTED:
			any_infra = 1;
			break;
		case SUITE_RUN_PASSED:
			break;
		case SUITE_RUN_FAILED:
		case SUITE_RUN_KERNEL_FAILURE:
		case SUITE_RUN_TIMEOUT:
			any_fail = 1;
			break;
		}
	}
	if (b && b->failed) {
		r->status = b->status;
		r->any_fail = b->any_fail;
		r->no_kernel = b->no_kernel;
	} else {
		r->status = any_infra ? EXEC_INFRA : EXEC_DONE;
		r->any_fail = !any_infra && any_fail;
	}
}

static void srun_release(struct srun *s)
{
	size_t i;

	for (i = 0; s->tasks && i < s->nt; i++)
		free(s->tasks[i].id);
	free(s->tasks);
	free(s->builds);
	free(s->bof);
	free(s->rebuilt);
	free(s->batch);
	free(s->bid);
	free(s->jb);
	free(s->js);
	free(s->bdir);
	free(s->sdir);
	free(s->datadir);
	free(s->workdir);
	sopts_release(&s->o);
}

/* Write, submit, wait, resubmit, wait, import, judge. */
static int run_batch(struct srun *s)
{
	size_t i;

	if (setup_batch(s) || plan_builds(s) || plan_boots(s))
		return -1;
	if (!s->nt && !s->nb)
		return 0;
	if (submit_all(s) || wait_arrays(s, s->jb, s->js) || resubmit(s) ||
	    import_builds(s))
		return -1;
	for (i = 0; i < s->nt; i++)
		if (import_boot(s, i))
			return -1;
	for (i = 0; i < s->nreq; i++)
		judge(s, i);
	return 0;
}

int slurm_run_suites(struct pwb_ctx *ctx, struct slurm_run *reqs, size_t nreq,
		     exec_cluster_fn progress, void *progress_ud)
{
	struct srun s;
	size_t k;
	int ret;

	memset(&s, 0, sizeof(s));
	s.ctx = ctx;
	s.reqs = reqs;
	s.nreq = nreq;
	s.progress = progress;
	s.progress_ud = progress_ud;
	for (k = 0; k < nreq; k++) {
		reqs[k].build_id = -1;
		reqs[k].runs = NULL;
		reqs[k].nruns = 0;
		reqs[k].status = EXEC_INFRA;
		reqs[k].any_fail = 0;
		reqs[k].no_kernel = 0;
	}
	ret = run_batch(&s);
	for (k = 0; ret && k < nreq; k++)
		reqs[k].status = s.interrupted ? EXEC_INTERRUPTED : EXEC_ERROR;
	srun_release(&s);
	return ret;
}

int slurm_check(struct pwb_ctx *ctx)
{
	struct sopts o;
	int ret = load_opts(ctx, &o) || ping() ? -1 : 0;

	sopts_release(&o);
	return ret;
}

void slurm_run_release(struct slurm_run *r)
{
	free(r->runs);
	r->runs = NULL;
	r->nruns = 0;
}
