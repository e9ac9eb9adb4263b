/* The executor and its backends (see exec.h). */
#include "exec/exec.h"
#include "exec/backend.h"
#include "arch.h"
#include "compare.h"
#include "db.h"
#include "exec/exec-recorded.h"
#include "kbuild.h"
#include "exec/slurm.h"
#include "symbolize.h"
#include "util/run.h"
#include "util/util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char *exec_backend_name(enum exec_backend b)
{
	switch (b) {
	case EXEC_LOCAL: return "local";
	case EXEC_SLURM: return "slurm";
	case EXEC_RECORDED: return "recorded";
	}
	return "local";
}

int exec_backend_parse(const char *s, enum exec_backend *b)
{
	static const enum exec_backend all[] = { EXEC_LOCAL, EXEC_SLURM,
						 EXEC_RECORDED };
	size_t i;

	for (i = 0; s && i < ARRAY_SIZE(all); i++)
		if (!strcmp(s, exec_backend_name(all[i]))) {
			*b = all[i];
			return 0;
		}
	return -1;
}

int exec_backend_get(struct pwb_ctx *ctx, const char *opt, enum exec_backend *b)
{
	char *v = opt ? xstrdup(opt) : ctx_config_get(ctx, "run.backend");
	int rc = 0;

	*b = EXEC_LOCAL;
	if (v && exec_backend_parse(v, b))
		rc = error("%s %s: local, slurm or recorded",
			   opt ? "--on" : "run.backend =", v);
	free(v);
	return rc;
}

static void add_run(struct exec_request *q, long id)
{
	q->runs = xrealloc(q->runs, (q->nruns + 1) * sizeof(long));
	q->runs[q->nruns++] = id;
}

static void set_why(struct exec_request *q, char *why)
{
	free(q->why);
	q->why = why;
}

/* ---- local: kbuild and QEMU here ---- */

static int local_build(struct executor *e, const struct exec_request *q,
		       int need_dir, struct kbuild_result *br)
{
	struct kbuild_request kq;

	memset(&kq, 0, sizeof(kq));
	kq.tree_arg = q->tree_name ? q->tree_name : q->tree;
	kq.rev = q->commit;
	kq.config = exec_request_config(q);
	kq.arch = q->arch;
	kq.toolchain = q->toolchain;
	kq.progress = e->build_progress;
	kq.progress_ud = e->build_progress_ud;
	kq.need_build_dir = need_dir;
	memset(br, 0, sizeof(*br));
	return kbuild(e->ctx, &kq, br);
}

static int local_prepare(struct executor *e, const struct exec_request *q,
			 const struct kbuild_result *br, struct suite_prep *p)
{
	(void)e;
	return suite_prepare(q->suite, br, p);
}

static void local_boot(struct executor *e, const struct exec_request *q,
		       const struct kbuild_result *br, const struct suite_prep *p,
		       int idx, struct exec_boot *b)
{
	(void)idx;
	suite_boot_opts(q->suite, br, p, e->qemu, &b->qo);
	qemu_boot(&b->qo, &b->boot);
}

/* ---- the driver of the backends that run requests here ---- */

struct side {
	struct kbuild_result br;
	struct suite_prep prep;
	int have_br;
	long need;		/* boots still to do */
	int any_infra;
};

/* A built kernel's runs recorded before: how many more it needs. */
static int runs_needed(struct executor *e, const struct exec_request *q,
		       const struct kbuild_result *br, long *need)
{
	struct cmp_side cmp = cmp_side_of(br);

	return compare_runs_needed(e->ctx->db, q->suite->name, q->suite->hash,
				   &cmp, q->repeat, need);
}

/* Judge a build: 0 it gave a kernel, 1 the request ends (status set). */
static int built(struct exec_request *q, int rc, struct kbuild_result *br)
{
	if (rc) {
		q->status = run_interrupted() ? EXEC_INTERRUPTED : EXEC_ERROR;
		return 1;
	}
	q->build_id = br->id;
	switch (kbuild_outcome(br->status)) {
	case BUILD_OUT_OK:
		return 0;
	case BUILD_OUT_BROKEN:
		q->status = EXEC_NO_KERNEL;
		break;
	case BUILD_OUT_INFRA:
		q->status = EXEC_INFRA;
		break;
	case BUILD_OUT_INTERRUPTED:
		q->status = EXEC_INTERRUPTED;
		break;
	}
	q->no_kernel = 1;
	set_why(q, xstrfmt("build %s: %s", build_status_name(br->status),
			   br->error ? br->error : ""));
	return 1;
}

/*
 * A request the database already answers (reuse, or a build request):
 * 1 answered (status set), 0 it needs jobs (*need boots), -1 database.
 */
static int known(struct executor *e, struct exec_request *q, long *need)
{
	struct kbuild_result br;
	long id;
	int rc;

	*need = q->repeat;
	if (!q->tree || (q->suite && !q->reuse))
		return 0;
	rc = kbuild_find(e->ctx->db, q->commit, exec_request_config(q), q->arch,
			 q->toolchain, &id);
	if (rc)
		return rc < 0 ? -1 : 0;
	if (kbuild_load(e->ctx->db, id, &br))
		return -1;
	rc = 1;
	if (!built(q, 0, &br) && !q->suite) {
		q->status = EXEC_DONE;
	} else if (q->status == EXEC_PENDING) {
		if (runs_needed(e, q, &br, need))
			rc = -1;
		else if (*need)
			rc = 0;
		else
			q->status = EXEC_DONE;
		q->had = q->repeat - *need;
	}
	kbuild_result_release(&br);
	return rc;
}

/* Build what request q needs and prepare its suite; sd->need boots follow.
 * 0, or -1 (database). */
static int get_ready(struct executor *e, struct exec_request *q, struct side *sd)
{
	const struct suite *s = q->suite;
	struct kbuild_result *br = &sd->br;
	int rc;

	br->lock_fd = -1;
	br->id = -1;
	if (q->kernel) {
		int from_tree = s && suite_needs_tree(s);

		if (!s || from_tree || e->backend == EXEC_RECORDED) {
			q->status = EXEC_ERROR;
			set_why(q, from_tree ?
				xstrfmt("suite %s %s: it needs a tree and a "
					"revision, not a prebuilt kernel", s->name,
					s->module ? "builds a module against its "
					"kernel's tree" : s->format ==
					SUITE_FMT_KSELFTEST ? "builds the tree's "
					"selftests" : "loads modules of its "
					"kernel's build") :
				xstrfmt("the %s backend needs a tree and a "
					"revision, not a prebuilt kernel",
					e->ops->name));
			error("%s", q->why);
			return 0;
		}
		if (access(q->kernel, R_OK)) {
			q->status = EXEC_ERROR;
			set_why(q, xstrfmt("kernel %s: %s", q->kernel, strerror(errno)));
			error("%s", q->why);
			return 0;
		}
		br->bzimage = xstrdup(q->kernel);
		br->arch = xstrdup_or_null(q->arch);
		br->compiler = xstrdup_or_null(q->toolchain);
		br->status = BUILD_OK;
		sd->have_br = 1;
		sd->need = q->repeat;
		goto prepare;
	}
	if (!s) {
		rc = e->ops->build(e, q, 0, br);
		sd->have_br = !rc;
		if (!built(q, rc, br))
			q->status = EXEC_DONE;
		return 0;
	}
	/* built before, with runs: what is missing */
	rc = q->reuse ? known(e, q, &sd->need) : 0;
	if (rc)
		return rc < 0 ? -1 : 0;
	sd->need = q->reuse ? sd->need : q->repeat;
	/* the build directory must hold this kernel for the suite's module */
	rc = e->ops->build(e, q, 1, br);
	sd->have_br = !rc;
	if (built(q, rc, br))
		return 0;
prepare:
	if (e->ops->prepare(e, q, br, &sd->prep)) {
		long id;

		error("suite %s does not build against %.12s: %.300s", s->name,
		      q->kernel ? q->kernel : br->commit, sd->prep.why);
		if (suite_record_infra(e->ctx->db, s, br->id, sd->prep.why, &id))
			return -1;
		q->status = EXEC_INFRA;
		set_why(q, xstrfmt("suite %s does not build: %s", s->name,
				   sd->prep.why));
		sd->need = 0;
		return 0;
	}
	/* the module is built: the boots only need the artifacts */
	kbuild_unlock(br);
	q->worked = 1;
	return 0;
}

struct boot_slot {
	struct executor *e;
	struct exec_request *q;
	struct side *sd;
	long r;
	struct exec_boot b;
};

static void *boot_thread(void *arg)
{
	struct boot_slot *bs = arg;

	bs->e->ops->boot(bs->e, bs->q, &bs->sd->br, &bs->sd->prep,
			 (int)(bs->q->first_idx + bs->r), &bs->b);
	return NULL;
}

/* Boot the slots bs[0..n-1] side by side (threads; one runs here). */
static void boot_group(struct boot_slot *bs, size_t n)
{
	run_side_by_side(boot_thread, bs, sizeof(*bs), n);
}

/*
 * The findings' lines with their addresses resolved against the build's
 * vmlinux (symbolize.h), before they are stored.  The build directory is
 * no longer locked during the boots: a vmlinux of another size is another
 * build's, and is not used.
 */
static void symbolize_side(const struct side *sd, struct triage *t)
{
	const struct kbuild_result *br = &sd->br;
	struct stat st;
	char *vml;

	if (!sd->have_br || !br->build_dir || !t->nr)
		return;
	vml = xstrfmt("%s/vmlinux", br->build_dir);
	if (stat(vml, &st) ||
	    (br->vmlinux_size > 0 && st.st_size != br->vmlinux_size))
		goto out;
	symbolize_findings(t, vml, br->src_dir);
out:
	free(vml);
}

/* Record boot bs of its request: 0, or -1 (database). */
static int boot_done(struct boot_slot *bs)
{
	struct executor *e = bs->e;
	struct exec_request *q = bs->q;
	struct side *sd = bs->sd;
	struct suite_outcome o;
	long nth = q->had + bs->r + 1, of = q->had + sd->need;
	int rc;

	memset(&o, 0, sizeof(o));
	o.boot = bs->b.boot;	/* taken over */
	symbolize_side(sd, &o.boot.triage);
	o.tests_from = sd->prep.tests_from;
	rc = suite_boot_record(e->ctx->db, q->suite, sd->br.id, &bs->b.qo,
			       (int)(q->first_idx + bs->r), &o);
	free(bs->b.own);
	if (rc) {
		suite_outcome_release(&o);
		return -1;
	}
	if (o.run_id > 0)
		add_run(q, o.run_id);
	switch (o.verdict) {
	case SUITE_PASSED:
		break;
	case SUITE_FAILED:
		q->any_fail = 1;
		break;
	case SUITE_INFRA:
		sd->any_infra = 1;
		if (!q->why)
			set_why(q, xstrdup(o.error ? o.error : suite_run_status_name(o.status)));
		break;
	case SUITE_INTERRUPTED:
		q->status = EXEC_INTERRUPTED;
		break;
	}
	if (e->on_boot)
		e->on_boot(e->ud, q, nth, of, o.run_id, &o);
	suite_outcome_release(&o);
	return 0;
}

static void stop_pending(struct exec_request *q, size_t n, enum exec_status st)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (q[i].status == EXEC_PENDING)
			q[i].status = st;
}

/* An earlier suite request of the batch asking for what q[i] asks (the
 * base several cells share): its index, else -1. */
static long same_as(const struct exec_request *q, size_t i)
{
	size_t j;

	for (j = 0; q[i].suite && j < i; j++)
		if (q[j].suite == q[i].suite && str_same(q[j].tree, q[i].tree) &&
		    str_same(q[j].commit, q[i].commit) &&
		    str_same(q[j].kernel, q[i].kernel) &&
		    str_same(exec_request_config(&q[j]), exec_request_config(&q[i])) &&
		    str_same(q[j].arch, q[i].arch) &&
		    str_same(q[j].toolchain, q[i].toolchain) &&
		    q[j].repeat == q[i].repeat && q[j].reuse == q[i].reuse &&
		    q[j].first_idx == q[i].first_idx)
			return (long)j;
	return -1;
}

/* q[i] gets what the request it is the same as got. */
static void copy_outcome(struct exec_request *q, size_t i, size_t j)
{
	size_t r;

	q[i].status = q[j].status;
	q[i].build_id = q[j].build_id;
	q[i].had = q[j].had;
	q[i].no_kernel = q[j].no_kernel;
	q[i].any_fail = q[j].any_fail;
	for (r = 0; r < q[j].nruns; r++)
		add_run(&q[i], q[j].runs[r]);
	set_why(&q[i], xstrdup_or_null(q[j].why));
}

static int here(struct executor *e, struct exec_request *q, size_t n)
{
	struct side *sd = xcalloc(n + 1, sizeof(*sd));
	long *dup = xcalloc(n + 1, sizeof(long));
	struct boot_slot *bs = NULL;
	long r, most = 0;
	size_t i;
	int ret = 0;

	for (i = 0; i < n; i++)
		dup[i] = -1;
	for (i = 0; i < n; i++) {
		if (run_interrupted()) {
			q[i].status = EXEC_INTERRUPTED;
			continue;
		}
		/* asked twice in one batch: built and booted once */
		dup[i] = same_as(q, i);
		if (dup[i] >= 0)
			continue;
		if (q[i].after && q[i].after <= i &&
		    q[q[i].after - 1].status != EXEC_DONE) {
			q[i].status = EXEC_SKIPPED;
			continue;
		}
		if (get_ready(e, &q[i], &sd[i])) {
			ret = -1;
			goto out;
		}
		if (q[i].status == EXEC_PENDING && sd[i].need > most)
			most = sd[i].need;
	}
	/* in rounds (base 1, candidate 1, base 2...), so that drift over
	 * time hits every side alike; up to e->parallel boots of that order
	 * at once (the repeats of a lone request too), so that the load does */
	bs = xcalloc((size_t)e->parallel + 1, sizeof(*bs));
	for (r = 0, i = 0; r < most;) {
		size_t k = 0, j;

		while (r < most && k < (size_t)e->parallel) {
			if (q[i].status == EXEC_PENDING && r < sd[i].need) {
				memset(&bs[k], 0, sizeof(bs[k]));
				bs[k].e = e;
				bs[k].q = &q[i];
				bs[k].sd = &sd[i];
				bs[k].r = r;
				if (e->on_boot)
					e->on_boot(e->ud, &q[i], q[i].had + r + 1,
						   q[i].had + sd[i].need, -1, NULL);
				k++;
			}
			if (++i == n) {
				i = 0;
				r++;
			}
		}
		if (!k)
			continue;
		boot_group(bs, k);
		for (j = 0; j < k; j++)
			if (boot_done(&bs[j]))
				ret = -1;
		if (ret)
			goto out;
		for (j = 0; j < k; j++) {
			struct exec_request *qq = bs[j].q;

			if (qq->status == EXEC_INTERRUPTED) {
				stop_pending(q, n, EXEC_INTERRUPTED);
				goto out;
			}
			if (bs[j].sd->any_infra && !e->keep_going) {
				qq->status = EXEC_INFRA;
				stop_pending(q, n, EXEC_SKIPPED);
				goto out;
			}
		}
	}
	for (i = 0; i < n; i++)
		if (q[i].status == EXEC_PENDING && dup[i] < 0)
			q[i].status = sd[i].any_infra ? EXEC_INFRA : EXEC_DONE;
out:
	for (i = 0; i < n; i++)
		if (dup[i] >= 0 && q[i].status == EXEC_PENDING)
			copy_outcome(q, i, (size_t)dup[i]);
	if (ret)
		stop_pending(q, n, EXEC_ERROR);
	for (i = 0; i < n; i++) {
		suite_prep_release(&sd[i].prep);
		if (sd[i].have_br)
			kbuild_result_release(&sd[i].br);
	}
	free(sd);
	free(dup);
	free(bs);
	return ret;
}

/* ---- slurm: the batch as job arrays (slurm.h) ---- */

static int slurm_ok(struct executor *e)
{
	return slurm_check(e->ctx);
}

static int slurm_batch(struct executor *e, struct exec_request *q, size_t n)
{
	struct slurm_run *reqs = xcalloc(n + 1, sizeof(*reqs));
	long *map = xcalloc(n + 1, sizeof(long)), need;
	size_t i, k, nreq = 0, j;
	int rc = 0, ret = 0;

	for (i = 0; i < n; i++) {
		map[i] = -1;
		rc = known(e, &q[i], &need);
		if (rc < 0) {
			ret = -1;
			goto out;
		}
		if (rc)
			continue;
		/* a request several sides share is one submission */
		for (k = 0; k < nreq; k++)
			if (reqs[k].suite == q[i].suite &&
			    str_same(reqs[k].commit, q[i].commit) &&
			    str_same(reqs[k].kernel, q[i].kernel) &&
			    str_same(reqs[k].config, exec_request_config(&q[i])) &&
			    str_same(reqs[k].arch, q[i].arch) &&
			    str_same(reqs[k].toolchain, q[i].toolchain))
				break;
		if (k == nreq) {
			reqs[k].suite = q[i].suite;
			reqs[k].tree = q[i].tree;
			reqs[k].tree_name = q[i].tree_name;
			reqs[k].commit = q[i].commit;
			reqs[k].kernel = q[i].kernel;
			reqs[k].config = exec_request_config(&q[i]);
			reqs[k].arch = q[i].arch;
			reqs[k].toolchain = q[i].toolchain;
			nreq++;
		}
		if (q[i].suite && reqs[k].repeat < need)
			reqs[k].repeat = need;
		map[i] = (long)k;
		q[i].worked = 1;
	}
	rc = nreq ? slurm_run_suites(e->ctx, reqs, nreq, e->cluster_progress,
				       e->cluster_progress_ud) : 0;
	for (i = 0; i < n; i++) {
		struct slurm_run *sr;

		if (map[i] < 0)
			continue;
		sr = &reqs[map[i]];
		if (rc) {
			q[i].status = sr->status == EXEC_INTERRUPTED ?
				      EXEC_INTERRUPTED : EXEC_ERROR;
			continue;
		}
		q[i].build_id = sr->build_id;
		q[i].status = sr->status;
		if (sr->any_fail)
			q[i].any_fail = 1;
		if (sr->no_kernel)
			q[i].no_kernel = 1;
		for (j = 0; j < sr->nruns; j++) {
			add_run(&q[i], sr->runs[j]);
			if (e->on_boot)
				e->on_boot(e->ud, &q[i], q[i].had + (long)j + 1,
					   q[i].had + (long)sr->nruns,
					   sr->runs[j], NULL);
		}
	}
out:
	if (ret)
		stop_pending(q, n, EXEC_ERROR);
	for (k = 0; k < nreq; k++)
		slurm_run_release(&reqs[k]);
	free(reqs);
	free(map);
	return ret;
}

/* ---- the table of backends ---- */

static const struct exec_ops backends[] = {
	[EXEC_LOCAL] = { "local", "", 0, NULL, NULL, local_build,
			 local_prepare, local_boot },
	[EXEC_SLURM] = { "slurm", ", on slurm", 1, slurm_ok, slurm_batch,
			 NULL, NULL, NULL },
	[EXEC_RECORDED] = { "recorded", ", recorded", 0, NULL, NULL,
			    recorded_build, recorded_prepare, recorded_boot },
};

void executor_init_ops(struct executor *e, struct pwb_ctx *ctx,
		       enum exec_backend backend, const struct exec_ops *ops)
{
	memset(e, 0, sizeof(*e));
	e->ctx = ctx;
	e->backend = backend;
	e->ops = ops;
}

void executor_init(struct executor *e, struct pwb_ctx *ctx,
		   enum exec_backend backend)
{
	executor_init_ops(e, ctx, backend, &backends[backend]);
}

int exec_batches(const struct executor *e)
{
	return e->ops->batches;
}

const char *exec_where(const struct executor *e)
{
	return e->ops->where;
}

int exec_check(struct executor *e)
{
	return e->ops->check ? e->ops->check(e) : 0;
}

long exec_parallel(struct executor *e)
{
	long p = 1;

	/* read once: a bad value is said once */
	if (!e->parallel)
		e->parallel = ctx_config_long(e->ctx, "boot.parallel", &p) ? -1 :
			      p < 1 ? 1 : p;
	return e->parallel;
}

int exec_run(struct executor *e, struct exec_request *q, size_t n)
{
	size_t i;
	int ret;

	for (i = 0; i < n; i++) {
		q[i].status = EXEC_PENDING;
		q[i].build_id = -1;
	}
	if (exec_parallel(e) < 0) {
		stop_pending(q, n, EXEC_ERROR);
		return -1;
	}
	free(e->qemu);
	e->qemu = ctx_config_get(e->ctx, "boot.qemu");
	ret = e->ops->run ? e->ops->run(e, q, n) : here(e, q, n);
	free(e->qemu);
	e->qemu = NULL;
	return ret;
}
