/* pwb's jobs as Slurm job arrays (see slurm.h). */
#include "slurm.h"
#include "db.h"
#include "job.h"
#include "kbuild.h"
#include "suiterun.h"
#include "util/buf.h"
#include "util/run.h"
#include "util/util.h"

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

/* Wait until none of the jobs (comma-separated ids) is queued or running.
 * -1 when pwb was interrupted (the jobs are cancelled). */
static int wait_jobs(const struct sopts *o, const char *ids, int progress)
{
	const char *argv[] = { "squeue", "-h", "-j", ids, "-o", "%T", NULL };
	int tty = progress && isatty(2), said = 0;

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
		if (progress) {
			fprintf(stderr, "%sslurm: jobs %s: %d running, %d pending%s",
				tty ? "\r" : "", ids, running, pending,
				tty ? "   " : "\n");
			said = 1;
		}
		if (run_interrupted()) {
			cancel(ids);
			if (said && tty)
				fputc('\n', stderr);
			return -1;
		}
		usleep((useconds_t)(o->poll * 1e6));
		if (run_interrupted()) {
			cancel(ids);
			return -1;
		}
	}
	if (said && tty)
		fputc('\n', stderr);
	return 0;
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
		retry = !strcmp(b.status, "infra-error");
		job_bundle_release(&b);
	}
	free(d);
	return retry;
}

static const char *run_status(sqlite3 *db, long run, char *buf, size_t len)
{
	sqlite3_stmt *st;

	snprintf(buf, len, "infra-error");
	if (!db_prepare(db, &st, "SELECT status FROM suite_runs WHERE id = ?")) {
		sqlite3_bind_int64(st, 1, run);
		if (sqlite3_step(st) == SQLITE_ROW)
			snprintf(buf, len, "%s", sqlite3_column_text(st, 0));
		sqlite3_finalize(st);
	}
	return buf;
}

/* One build job: the requests with this tree, commit and config share it. */
struct sbuild {
	const struct slurm_run *req;	/* the first request that needs it */
	int attempt;
	int no_kernel;			/* exit when it gave no kernel, else 0 */
	long id;			/* imported builds row, -1 */
};

/* One suite task: repeat idx of request req. */
struct stask {
	size_t req;
	long idx;
	char *id;			/* its job id */
	int attempt;
};

static const char *req_config(const struct slurm_run *r)
{
	return r->config ? r->config : r->suite->config;
}

static int same_build(const struct slurm_run *a, const struct slurm_run *b)
{
	return a->tree && b->tree && !strcmp(a->tree, b->tree) &&
	       !strcmp(a->commit, b->commit) &&
	       !strcmp(req_config(a), req_config(b));
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
	j->repeats = 1;
	forward_settings(ctx, j);
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
		b->no_kernel = 3;
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
		if (strcmp(info.status, "ok")) {
			b->no_kernel = info.exit ? info.exit : 3;
			notice("the build of %.12s on the cluster ended %s",
			       b->req->commit, info.status);
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

int slurm_run_suites(struct pwb_ctx *ctx, struct slurm_run *reqs, size_t nreq,
		     int progress)
{
	struct sopts o;
	struct job_spec spec;
	struct sbuild *builds = NULL;
	struct stask *tasks = NULL;
	size_t nb = 0, nt = 0, i, k, *bof = NULL;
	char *batch = NULL, *bid = NULL, *jb = NULL, *js = NULL, *ids = NULL;
	char *bdir = NULL, *sdir = NULL, *datadir = NULL, *workdir = NULL;
	int ret = -1, *rebuilt = NULL;
	struct buf retry = BUF_INIT, rb = BUF_INIT, range = BUF_INIT;

	for (k = 0; k < nreq; k++) {
		reqs[k].build_id = -1;
		reqs[k].runs = NULL;
		reqs[k].nruns = 0;
		reqs[k].exit = 3;
	}
	memset(&spec, 0, sizeof(spec));
	if (load_opts(ctx, &o) || ping())
		goto out;
	bid = job_new_id();
	batch = xstrfmt("%s/jobs/%s", o.workdir, bid);
	bdir = xstrfmt("%s/build", batch);
	sdir = xstrfmt("%s/suite", batch);
	if (mkdir_p(batch, 0777)) {
		error("cannot create %s: %s", batch, strerror(errno));
		goto out;
	}
	{
		char *p = xstrfmt("%s/run.sh", batch);
		int bad = write_file(p, run_sh, strlen(run_sh)) || chmod(p, 0755);

		if (bad)
			error("cannot write %s: %s", p, strerror(errno));
		free(p);
		if (bad)
			goto out;
	}
	datadir = abs_datadir(ctx);
	workdir = xstrfmt("%s/cache", o.workdir);

	/* one build job per tree, commit and config; then every boot */
	builds = xcalloc(nreq + 1, sizeof(*builds));
	bof = xcalloc(nreq + 1, sizeof(*bof));
	for (k = 0; k < nreq; k++) {
		bof[k] = SIZE_MAX;
		if (!reqs[k].tree)
			continue;
		for (i = 0; i < nb && !same_build(builds[i].req, &reqs[k]); i++)
			;
		if (i == nb) {
			char *d = xstrfmt("%s/%zu", bdir, nb);
			int bad;

			builds[nb].req = &reqs[k];
			builds[nb].attempt = 1;
			spec_from_req(&spec, &reqs[k], datadir, workdir, ctx);
			spec.id = job_new_id();
			spec.kind = xstrdup("build");
			bad = write_spec(&spec, d);
			job_spec_release(&spec);
			free(d);
			if (bad)
				goto out;
			nb++;
		}
		bof[k] = i;
		nt += (size_t)reqs[k].repeat;
	}
	for (k = 0; k < nreq; k++)
		if (!reqs[k].tree)
			nt += (size_t)reqs[k].repeat;
	tasks = xcalloc(nt + 1, sizeof(*tasks));
	nt = 0;
	for (k = 0; k < nreq; k++) {
		long r;

		for (r = 0; r < reqs[k].repeat; r++) {
			char *d = xstrfmt("%s/%zu", sdir, nt);
			int bad;

			spec_from_req(&spec, &reqs[k], datadir, workdir, ctx);
			spec.kind = xstrdup("suite");
			spec.suite = xstrdup(reqs[k].suite->name);
			spec.suite_hash = xstrdup(reqs[k].suite->hash);
			spec.repeat_idx = (int)r;
			if (bof[k] != SIZE_MAX)
				spec.after = xstrfmt("%s/%zu", bdir, bof[k]);
			spec.id = job_new_id();
			tasks[nt].id = xstrdup(spec.id);
			tasks[nt].req = k;
			tasks[nt].idx = r;
			tasks[nt].attempt = 1;
			bad = write_spec(&spec, d);
			job_spec_release(&spec);
			free(d);
			nt++;
			if (bad)
				goto out;
		}
	}
	if (!nt && !nb) {
		ret = 0;
		goto out;
	}
	if (progress)
		fprintf(stderr, "slurm: %zu build job%s, %zu boot job%s in %s\n",
			nb, nb == 1 ? "" : "s", nt, nt == 1 ? "" : "s", batch);
	if (nb) {
		buf_addf(&range, "0-%zu", nb - 1);
		if (submit(&o, batch, "build", range.buf, NULL, 1, &jb))
			goto out;
	}
	if (nt) {
		buf_reset(&range);
		buf_addf(&range, "0-%zu", nt - 1);
		if (submit(&o, batch, "suite", range.buf, jb, 1, &js)) {
			if (jb)
				cancel(jb);
			goto out;
		}
	}
	ids = jb && js ? xstrfmt("%s,%s", jb, js) : xstrdup(jb ? jb : js);
	if (wait_jobs(&o, ids, progress))
		goto interrupted;

	/* once more what did not finish for infrastructure reasons; the
	 * boots of a build that runs again wait for it */
	rebuilt = xcalloc(nb + 1, sizeof(int));
	for (i = 0; i < nb; i++) {
		char *d = xstrfmt("%s/%zu", bdir, i);

		if (needs_retry(d)) {
			char *why = task_state(jb, (long)i);

			notice("%s; submitting it again", why);
			free(why);
			buf_addf(&rb, "%s%zu", rb.len ? "," : "", i);
			builds[i].attempt = 2;
			rebuilt[i] = 1;
		}
		free(d);
	}
	for (i = 0; i < nt; i++) {
		char *d = xstrfmt("%s/%zu", sdir, i);
		size_t b = bof[tasks[i].req];
		int again = b != SIZE_MAX && rebuilt[b];

		if (!again && needs_retry(d)) {
			char *why = task_state(js, (long)i);

			notice("%s; submitting it again", why);
			free(why);
			again = 1;
		}
		if (again) {
			buf_addf(&retry, "%s%zu", retry.len ? "," : "", i);
			tasks[i].attempt = 2;
		}
		free(d);
	}
	free(ids);
	ids = NULL;
	if (rb.len) {
		free(jb);
		jb = NULL;
		if (submit(&o, batch, "build", rb.buf, NULL, 2, &jb))
			goto out;
	}
	if (retry.len) {
		char *j2 = NULL;

		if (submit(&o, batch, "suite", retry.buf, rb.len ? jb : NULL, 2, &j2))
			goto out;
		free(js);
		js = j2;
		ids = rb.len ? xstrfmt("%s,%s", jb, js) : xstrdup(js);
	} else if (rb.len) {
		ids = xstrdup(jb);
	}
	if (ids && wait_jobs(&o, ids, progress))
		goto interrupted;

	/* import: the builds, then each boot (or why it has none) */
	for (i = 0; i < nb; i++) {
		char *d = xstrfmt("%s/%zu", bdir, i);
		int bad = import_build(ctx->db, d, &builds[i]);

		free(d);
		if (bad)
			goto out;
	}
	for (k = 0; k < nreq; k++)
		if (bof[k] != SIZE_MAX)
			reqs[k].build_id = builds[bof[k]].id;
	for (i = 0; i < nt; i++) {
		struct slurm_run *r = &reqs[tasks[i].req];
		size_t b = bof[tasks[i].req];
		char *d = xstrfmt("%s/%zu", sdir, i), *bundle = job_last_bundle(d, NULL);
		struct job_imported got;
		int added;

		if (bundle) {
			if (job_import(ctx->db, bundle, "slurm", tasks[i].attempt,
				       &added, &got)) {
				free(bundle);
				free(d);
				goto out;
			}
			if (r->build_id < 0)
				r->build_id = got.build_id;
			for (k = 0; k < got.nruns; k++)
				add_run(r, got.runs[k]);
			job_imported_release(&got);
		} else if (b == SIZE_MAX || !builds[b].no_kernel) {
			char *why = task_state(js, (long)i);
			long run = -1;

			job_record_unfinished(ctx->db, tasks[i].id, "suite", "slurm",
					      tasks[i].attempt, d);
			suite_record_infra(ctx->db, r->suite, r->build_id, why, &run);
			if (run > 0)
				add_run(r, run);
			free(why);
		}
		free(bundle);
		free(d);
	}
	for (k = 0; k < nreq; k++) {
		int any_fail = 0, any_infra = 0;
		char st[64];

		for (i = 0; i < reqs[k].nruns; i++) {
			run_status(ctx->db, reqs[k].runs[i], st, sizeof(st));
			if (!strcmp(st, "infra-error") || !strcmp(st, "interrupted"))
				any_infra = 1;
			else if (strcmp(st, "passed"))
				any_fail = 1;
		}
		reqs[k].exit = bof[k] != SIZE_MAX && builds[bof[k]].no_kernel ?
			       builds[bof[k]].no_kernel : any_infra ? 3 :
			       any_fail ? 1 : 0;
	}
	ret = 0;
	goto out;
interrupted:
	for (k = 0; k < nreq; k++)
		reqs[k].exit = 130;
out:
	for (i = 0; tasks && i < nt; i++)
		free(tasks[i].id);
	free(tasks);
	free(builds);
	free(bof);
	free(rebuilt);
	job_spec_release(&spec);
	buf_release(&retry);
	buf_release(&rb);
	buf_release(&range);
	free(batch);
	free(bid);
	free(jb);
	free(js);
	free(ids);
	free(bdir);
	free(sdir);
	free(datadir);
	free(workdir);
	sopts_release(&o);
	return ret;
}

int slurm_run_suite(struct pwb_ctx *ctx, const struct suite *s,
		    struct slurm_run *r)
{
	r->suite = s;
	return slurm_run_suites(ctx, r, 1, r->progress);
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
