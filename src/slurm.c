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

int slurm_run_suite(struct pwb_ctx *ctx, const struct suite *s,
		    struct slurm_run *r)
{
	struct sopts o;
	struct job_spec base;
	char *batch = NULL, *bid = NULL, *jb = NULL, *js = NULL, *ids = NULL;
	char *bdir = NULL, *sdir = NULL, *tasks = NULL, **sids = NULL;
	int ret = -1, attempt_b = 1, *attempt_s = NULL, retry_all = 0;
	long i, n = r->repeat;
	struct buf retry = BUF_INIT;

	r->build_id = -1;
	r->runs = NULL;
	r->nruns = 0;
	r->exit = 3;
	memset(&base, 0, sizeof(base));
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
	base.datadir = abs_datadir(ctx);
	base.workdir = xstrfmt("%s/cache", o.workdir);
	base.tree = r->tree ? xstrdup(r->tree) : NULL;
	base.tree_name = r->tree_name ? xstrdup(r->tree_name) : NULL;
	base.rev = r->commit ? xstrdup(r->commit) : NULL;
	base.kernel = r->kernel ? xstrdup(r->kernel) : NULL;
	base.config = r->config ? xstrdup(r->config) : xstrdup(s->config);
	base.repeats = 1;
	forward_settings(ctx, &base);

	sids = xcalloc((size_t)n, sizeof(char *));
	attempt_s = xcalloc((size_t)n, sizeof(int));
	if (base.tree) {
		char *d = xstrfmt("%s/0", bdir);

		base.id = job_new_id();
		base.kind = xstrdup("build");
		if (write_spec(&base, d)) {
			free(d);
			goto out;
		}
		free(d);
		free(base.id);
		free(base.kind);
		base.id = NULL;
		base.kind = NULL;
		base.after = xstrfmt("%s/0", bdir);
	}
	base.kind = xstrdup("suite");
	base.suite = xstrdup(s->name);
	base.suite_hash = xstrdup(s->hash);
	for (i = 0; i < n; i++) {
		char *d = xstrfmt("%s/%ld", sdir, i);
		int bad;

		base.id = sids[i] = job_new_id();
		base.repeat_idx = (int)i;
		bad = write_spec(&base, d);
		free(d);
		base.id = NULL;
		if (bad)
			goto out;
	}
	if (base.tree && submit(&o, batch, "build", "0", NULL, 1, &jb))
		goto out;
	tasks = xstrfmt("0-%ld", n - 1);
	if (submit(&o, batch, "suite", tasks, jb, 1, &js)) {
		if (jb)
			cancel(jb);
		goto out;
	}
	ids = jb ? xstrfmt("%s,%s", jb, js) : xstrdup(js);
	for (i = 0; i < n; i++)
		attempt_s[i] = 1;
	if (wait_jobs(&o, ids, r->progress)) {
		r->exit = 130;
		goto out;
	}

	/* once more what did not finish for infrastructure reasons */
	free(ids);
	ids = NULL;
	if (base.tree) {
		char *d = xstrfmt("%s/0", bdir);

		if (needs_retry(d)) {
			char *why = task_state(jb, 0), *j2 = NULL;

			notice("%s; submitting it again", why);
			free(why);
			free(jb);
			jb = NULL;
			if (submit(&o, batch, "build", "0", NULL, 2, &j2)) {
				free(d);
				goto out;
			}
			jb = j2;
			attempt_b = 2;
			retry_all = 1;
		}
		free(d);
	}
	for (i = 0; i < n; i++) {
		char *d = xstrfmt("%s/%ld", sdir, i);

		if (retry_all || needs_retry(d)) {
			if (!retry_all) {
				char *why = task_state(js, i);

				notice("%s; submitting it again", why);
				free(why);
			}
			buf_addf(&retry, "%s%ld", retry.len ? "," : "", i);
			attempt_s[i] = 2;
		}
		free(d);
	}
	if (retry.len) {
		char *j2 = NULL;

		if (submit(&o, batch, "suite", retry.buf, retry_all ? jb : NULL, 2, &j2))
			goto out;
		ids = retry_all ? xstrfmt("%s,%s", jb, j2) : xstrdup(j2);
		free(js);
		js = j2;
		if (wait_jobs(&o, ids, r->progress)) {
			r->exit = 130;
			goto out;
		}
	}

	/* import: the build, then each boot (or why it has none) */
	{
		int any_fail = 0, any_infra = 0, no_kernel = 0, added;
		char st[64];

		if (base.tree) {
			char *d = xstrfmt("%s/0", bdir), *b = job_last_bundle(d, NULL);
			struct job_imported got;

			if (b) {
				struct job_bundle info;

				if (job_import(ctx->db, b, "slurm", attempt_b, &added, &got)) {
					free(b);
					free(d);
					goto out;
				}
				r->build_id = got.build_id;
				job_imported_release(&got);
				if (!job_bundle_result(b, &info)) {
					if (strcmp(info.status, "ok")) {
						no_kernel = info.exit ? info.exit : 3;
						error("the build on the cluster ended %s",
						      info.status);
					}
					job_bundle_release(&info);
				}
			} else {
				struct job_spec bs;
				char *sp = xstrfmt("%s/spec.json", d);

				if (!job_spec_load(sp, &bs)) {
					job_record_unfinished(ctx->db, bs.id, "build",
							      "slurm", attempt_b, d);
					job_spec_release(&bs);
				}
				free(sp);
				no_kernel = 3;
				error("the build job did not finish in %d attempts", attempt_b);
			}
			free(b);
			free(d);
		}
		for (i = 0; i < n; i++) {
			char *d = xstrfmt("%s/%ld", sdir, i), *b = job_last_bundle(d, NULL);
			struct job_imported got;

			if (b) {
				if (job_import(ctx->db, b, "slurm", attempt_s[i], &added, &got)) {
					free(b);
					free(d);
					goto out;
				}
				if (r->build_id < 0)
					r->build_id = got.build_id;
				r->runs = xrealloc(r->runs, (r->nruns + got.nruns + 1) * sizeof(long));
				memcpy(r->runs + r->nruns, got.runs, got.nruns * sizeof(long));
				r->nruns += got.nruns;
				job_imported_release(&got);
			} else if (!no_kernel) {
				char *why = task_state(js, i);
				long run = -1;

				job_record_unfinished(ctx->db, sids[i], "suite", "slurm",
						      attempt_s[i], d);
				suite_record_infra(ctx->db, s, r->build_id, why, &run);
				if (run > 0) {
					r->runs = xrealloc(r->runs, (r->nruns + 1) * sizeof(long));
					r->runs[r->nruns++] = run;
				}
				free(why);
			}
			free(b);
			free(d);
		}
		for (i = 0; i < (long)r->nruns; i++) {
			run_status(ctx->db, r->runs[i], st, sizeof(st));
			if (!strcmp(st, "infra-error"))
				any_infra = 1;
			else if (!strcmp(st, "interrupted"))
				any_infra = 1;
			else if (strcmp(st, "passed"))
				any_fail = 1;
		}
		r->exit = no_kernel ? no_kernel : any_infra ? 3 : any_fail ? 1 : 0;
	}
	ret = 0;
out:
	if (sids)
		for (i = 0; i < n; i++)
			free(sids[i]);
	free(sids);
	free(attempt_s);
	job_spec_release(&base);
	buf_release(&retry);
	free(batch);
	free(bid);
	free(jb);
	free(js);
	free(ids);
	free(bdir);
	free(sdir);
	free(tasks);
	sopts_release(&o);
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
