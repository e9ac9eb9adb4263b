/* pwb check's work for one cell or many (see check.h). */
#include "check.h"
#include "patchcheck.h"
#include "broadbuild.h"
#include "coverage.h"
#include "arch.h"
#include "compare.h"
#include "db.h"
#include "kbuild.h"
#include "applydb.h"
#include "intake.h"
#include "checkdb.h"
#include "exec/exec.h"
#include "suiterun.h"
#include "tree.h"
#include "util/buf.h"
#include "util/run.h"
#include "util/util.h"
#include "util/vis.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Every bench/suites/NAME with a suite.conf, sorted; or check.suites. */
static char **default_suites(struct pwb_ctx *ctx, const char *datadir, size_t *n)
{
	char *cfg = ctx_config_get(ctx, "check.suites"), **out = NULL;
	struct buf d = BUF_INIT;
	DIR *dh;
	struct dirent *e;

	*n = 0;
	if (cfg) {
		char *save = NULL, *tok;

		for (tok = strtok_r(cfg, " ,", &save); tok; tok = strtok_r(NULL, " ,", &save)) {
			out = xrealloc(out, (*n + 1) * sizeof(char *));
			out[(*n)++] = xstrdup(tok);
		}
		free(cfg);
		return out;
	}
	buf_addf(&d, "%s/bench/suites", datadir);
	dh = opendir(d.buf);
	while (dh && (e = readdir(dh))) {
		struct buf f = BUF_INIT;

		buf_addf(&f, "%s/%s/suite.conf", d.buf, e->d_name);
		if (e->d_name[0] != '.' && !access(f.buf, R_OK)) {
			size_t i = *n;

			out = xrealloc(out, (*n + 1) * sizeof(char *));
			while (i > 0 && strcmp(out[i - 1], e->d_name) > 0) {
				out[i] = out[i - 1];
				i--;
			}
			out[i] = xstrdup(e->d_name);
			(*n)++;
		}
		buf_release(&f);
	}
	if (dh)
		closedir(dh);
	buf_release(&d);
	return out;
}

/* One cell while it is checked. */
struct check_state {
	struct pwb_ctx *ctx;
	const struct check_opts *o;
	struct check_cell *cell;
	const char *repo;	/* the tree's path */
	const char *repo_name;	/* its registered name, or NULL */
	const char *config;	/* the cell's, for its arch */
	const char *base_rev;	/* the cell's, else the options' */
	int step, steps;
	time_t t0;
	/* what the cell has got so far */
	struct fetch_result fr;
	struct stored_series ss;
	struct apply_result ar;
	struct kbuild_result *builds;
	size_t nbuilds;
	int fetched, loaded, applied;
	int to_build;		/* applied: its commits are built next */
	int ready;		/* applied and built: its suites run */
	enum check_status status;
	int *suite_failed;	/* per suite: could not run */
	int broad, coverage;	/* check.broadbuild, check.coverage (local) */
	int warnings_fail;	/* check.newwarnings = fail */
	int broad_failed;	/* a patch does not build under allmodconfig */
};

static void stage(struct check_state *cs, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void stage(struct check_state *cs, const char *fmt, ...)
{
	struct check_progress_event ev;
	struct buf b = BUF_INIT;
	va_list ap;

	cs->step++;
	if (!cs->o->progress)
		return;
	va_start(ap, fmt);
	buf_vaddf(&b, fmt, ap);
	va_end(ap);
	memset(&ev, 0, sizeof(ev));
	ev.kind = CHECK_PROGRESS_STAGE;
	ev.check_id = cs->cell->id;	/* the row is made once intake worked */
	ev.step = cs->step;
	ev.steps = cs->steps;
	ev.elapsed = difftime(time(NULL), cs->t0);
	ev.text = b.buf;
	cs->o->progress(cs->o->progress_ud, &ev);
	buf_release(&b);
}

static void set_outcome(struct check_state *cs, enum check_status status,
			enum check_verdict verdict)
{
	cs->status = cs->cell->status = status;
	cs->cell->verdict = verdict;
}

/*
 * Intake: a stored series id, or anything pwb fetch takes.  A bare
 * message-id the database has is the stored series, as every other
 * command takes it (no network: `pwb fetch` again for newer mail), unless
 * --lore names an archive to fetch it from.  Before the checks row: a
 * SOURCE that does not parse or cannot be fetched is bad input, and only
 * checks that started work are recorded.
 */
static int intake(struct check_state *cs)
{
	struct pwb_ctx *ctx = cs->ctx;
	struct fetch_opts fo = { NULL, 0, 0, MBOX_AUTO };
	struct check_cell *c = cs->cell;
	long sid = -1;
	int rc;

	stage(cs, "intake %s", c->source);
	if (!parse_long(c->source, &sid)) {
		if (store_load_series(ctx->db, sid, &cs->ss))
			return -1;
		stored_series_release(&cs->ss);
	} else if (!cs->o->lore && intake_is_msgid(c->source) &&
		   (rc = store_series_of_msgid(ctx->db, c->source, &sid)) != 0) {
		if (rc < 0)
			return -1;
		notice("series %ld, as stored (pwb fetch it again for newer "
		       "mail)", sid);
	} else {
		fo.lore = cs->o->lore;
		if (fetch_source(ctx, c->source, &fo, &cs->fr))
			return -1;
		cs->fetched = 1;
		sid = cs->fr.series_id;
	}
	c->series_id = sid;
	return 0;
}

/*
 * The checks of each patch (patchcheck.h), recorded with the check: they
 * inform, the verdict stays the builds' and the suites'.  A check that
 * cannot be run is said and left out; the rest go on.
 */
static void patch_checks(struct check_state *cs)
{
	sqlite3 *db = cs->ctx->db;
	struct patchcheck_tree t;
	size_t i;
	int tree;

	stage(cs, "per-patch checks: checkpatch, Fixes: tags, sign-offs, kernel-doc");
	/* the repository and the base's scripts, once for the series */
	tree = !patchcheck_tree_open(&t, cs->repo, cs->ar.base);
	for (i = 0; i < cs->ss.npatches && !run_interrupted(); i++) {
		const struct stored_patch *p = &cs->ss.patches[i];
		struct patch_check c[PCHECK_NKINDS];
		struct buf mail = BUF_INIT;
		int ok[PCHECK_NKINDS] = { 0 }, k;

		patchcheck_signoff(p->message, p->author_name, p->author_email,
				   p->sender_email, &c[PCHECK_SIGNOFF]);
		ok[PCHECK_SIGNOFF] = 1;
		ok[PCHECK_FIXES] = tree && !patchcheck_fixes(&t, p->message,
							     &c[PCHECK_FIXES]);
		ok[PCHECK_CHECKPATCH] = tree &&
			store_message_raw(db, p->msgid, &mail) == 0 &&
			!patchcheck_checkpatch(&t, mail.buf, mail.len,
					       &c[PCHECK_CHECKPATCH]);
		/* the patch's commit against the one before it */
		ok[PCHECK_KERNELDOC] = tree && i < cs->ar.npatches &&
			cs->ar.patches[i].idx == p->idx &&
			!patchcheck_kerneldoc(&t, i ? cs->ar.patches[i - 1].commit :
					      cs->ar.base, cs->ar.patches[i].commit,
					      p->diff, &c[PCHECK_KERNELDOC]);
		buf_release(&mail);
		for (k = 0; k < PCHECK_NKINDS; k++) {
			if (!ok[k])
				continue;
			c[k].idx = p->idx;
			checkdb_record_patch_check(db, cs->cell->id, &c[k]);
			patch_check_release(&c[k]);
		}
	}
	if (tree)
		patchcheck_tree_release(&t);
}

/*
 * The broad build of each patch (broadbuild.h), here whatever the backend
 * that boots: recorded as a check of the patch; one with an error makes
 * the cell does-not-build once its small builds are judged.
 */
static void broad_build(struct check_state *cs)
{
	struct broadbuild_opts bo;
	size_t i;

	memset(&bo, 0, sizeof(bo));
	bo.tree_arg = cs->o->tree_arg;
	bo.repo_path = cs->repo;
	bo.arch = cs->cell->arch;
	bo.toolchain = cs->cell->toolchain;
	bo.warnings_fail = cs->warnings_fail;
	bo.sparse = kbuild_have_sparse();
	bo.progress = cs->o->build_progress;
	bo.progress_ud = cs->o->build_progress_ud;
	stage(cs, "broad build: what each patch affects, allmodconfig W=1");
	for (i = 0; i < cs->ar.npatches && !run_interrupted(); i++) {
		const struct stored_patch *p = &cs->ss.patches[i];
		struct broadbuild_patch bp;
		struct patch_check c;

		if (i >= cs->ss.npatches || p->idx != cs->ar.patches[i].idx)
			break;
		bp.idx = p->idx;
		bp.parent = i ? cs->ar.patches[i - 1].commit : cs->ar.base;
		bp.commit = cs->ar.patches[i].commit;
		bp.diff = p->diff;
		if (broadbuild_patch(cs->ctx, &bo, &bp, &c))
			continue;
		if (c.status == PCHECK_FAIL)
			cs->broad_failed = 1;
		checkdb_record_patch_check(cs->ctx->db, cs->cell->id, &c);
		patch_check_release(&c);
	}
}

/* Apply.  Sets cs->to_build when the commits can be built; otherwise the
 * cell's outcome is set. */
static void prepare(struct check_state *cs)
{
	struct pwb_ctx *ctx = cs->ctx;
	struct check_cell *c = cs->cell;
	long sid = c->series_id, apply_id = -1;
	size_t i;
	int rc;

	checkdb_set_series(ctx->db, c->id, sid);

	/* 2. apply */
	stage(cs, "apply series %ld to %s", sid, cs->o->tree_arg);
	rc = apply_to_tree(ctx, sid, cs->o->tree_arg, cs->base_rev, &cs->ss,
			   &cs->ar, &apply_id);
	if (rc == APPLY_EINFRA) {
		/* a full disk or an I/O error is not the series' fault */
		set_outcome(cs, CHECK_ST_ERROR, CHECK_VERDICT_INFRA_ERROR);
		return;
	}
	if (rc == APPLY_ENOBASE) {
		/* pwb found no base: it could not check, nothing about the
		 * series (exit 3) */
		checkdb_set_error(ctx->db, c->id, cs->ar.nobase);
		apply_result_release(&cs->ar);
		set_outcome(cs, CHECK_ST_ERROR, CHECK_VERDICT_INFRA_ERROR);
		return;
	}
	if (rc) {
		/* no base, an incomplete series: it cannot be applied */
		set_outcome(cs, CHECK_ST_DONE, CHECK_VERDICT_DOES_NOT_APPLY);
		return;
	}
	cs->applied = cs->loaded = 1;
	checkdb_set_applied(ctx->db, c->id, apply_id, cs->ar.base,
			    cs->ar.ok ? cs->ar.head : NULL);
	if (!cs->ar.ok) {
		for (i = 0; i < cs->ar.npatches; i++)
			if (cs->ar.patches[i].status == PR_FAILED)
				error("patch %d/%zu does not apply: %s",
				      cs->ar.patches[i].idx, cs->ar.npatches,
				      cs->ar.patches[i].error);
		set_outcome(cs, CHECK_ST_DONE, CHECK_VERDICT_DOES_NOT_APPLY);
		return;
	}

	cs->to_build = 1;
	patch_checks(cs);
	if (cs->broad)
		broad_build(cs);
}

static const char *build_commit(const struct check_state *cs, size_t i)
{
	return i ? cs->ar.patches[i - 1].commit : cs->ar.base;
}

/* Record build i of a cell and judge it: 0 go on, 1 the cell ends here
 * (its outcome set).  *failed: a patch that does not build. */
static int judge_build(struct check_state *cs, size_t i, int *failed)
{
	struct kbuild_result *b = &cs->builds[i];
	enum build_outcome outcome;

	checkdb_record_build(cs->ctx->db, cs->cell->id, (int)i,
			     build_commit(cs, i), b->id,
			     build_status_name(b->status));
	outcome = kbuild_outcome(b->status);
	if (outcome == BUILD_OUT_INTERRUPTED) {
		set_outcome(cs, CHECK_ST_INTERRUPTED, CHECK_VERDICT_NONE);
		return 1;
	}
	if (outcome == BUILD_OUT_OK)
		return 0;
	if (outcome == BUILD_OUT_INFRA) {
		set_outcome(cs, CHECK_ST_DONE, CHECK_VERDICT_INFRA_ERROR);
		return 1;
	}
	if (!i) {
		error("the base %.12s does not build: %s", b->commit,
		      b->error ? b->error : build_status_name(b->status));
		set_outcome(cs, CHECK_ST_DONE, CHECK_VERDICT_INFRA_ERROR);
		return 1;
	}
	*failed = 1;
	return 0;
}

static void builds_judged(struct check_state *cs, int failed)
{
	if (failed || cs->broad_failed)
		set_outcome(cs, CHECK_ST_DONE, CHECK_VERDICT_DOES_NOT_BUILD);
	else
		cs->ready = 1;
}

/*
 * 3. build the base and every patch of the cells st[0..n-1] that are
 * applied, as one batch (a commit several cells share is built once),
 * then judge each build.  A patch is built only once the base is.
 */
static void builds_run(struct executor *e, struct check_state *st, size_t n)
{
	struct exec_request *q;
	size_t k, i, total = 0, *first = xcalloc(n + 1, sizeof(size_t));

	for (k = 0; k < n; k++)
		if (st[k].to_build)
			total += st[k].ar.npatches + 1;
	q = xcalloc(total + 1, sizeof(*q));
	total = 0;
	for (k = 0; k < n; k++) {
		struct check_state *cs = &st[k];

		first[k] = total;
		if (!cs->to_build)
			continue;
		stage(cs, "build the base and %zu patch%s%s", cs->ar.npatches,
		      cs->ar.npatches == 1 ? "" : "es", exec_where(e));
		for (i = 0; i <= cs->ar.npatches; i++, total++) {
			exec_request_init(&q[total]);
			q[total].tree = cs->repo;
			q[total].tree_name = cs->repo_name;
			q[total].commit = build_commit(cs, i);
			q[total].config = cs->config;
			q[total].arch = cs->cell->arch;
			q[total].toolchain = cs->cell->toolchain;
			q[total].after = i ? first[k] + 1 : 0;
		}
	}
	exec_run(e, q, total);
	for (k = 0; k < n; k++) {
		struct check_state *cs = &st[k];
		int failed = 0, stop = 0;

		if (!cs->to_build)
			continue;
		cs->builds = xcalloc(cs->ar.npatches + 1, sizeof(*cs->builds));
		for (i = 0; i <= cs->ar.npatches && !stop; i++) {
			struct exec_request *r = &q[first[k] + i];

			if (r->build_id > 0 &&
			    !kbuild_load(cs->ctx->db, r->build_id, &cs->builds[i])) {
				cs->nbuilds++;
				stop = judge_build(cs, i, &failed);
				continue;
			}
			if (r->status == EXEC_INTERRUPTED || run_interrupted()) {
				set_outcome(cs, CHECK_ST_INTERRUPTED, CHECK_VERDICT_NONE);
			} else {
				if (r->status != EXEC_ERROR)
					error("no build of %.12s came back%s",
					      build_commit(cs, i), exec_where(e));
				set_outcome(cs, CHECK_ST_ERROR, CHECK_VERDICT_INFRA_ERROR);
			}
			stop = 1;
		}
		if (!stop)
			builds_judged(cs, failed);
	}
	for (i = 0; i < total; i++)
		exec_request_release(&q[i]);
	free(q);
	free(first);
}

/* A suite's outcome for one cell: recorded, and an error is its verdict
 * until the comparison finds a regression. */
static void suite_done(struct check_state *cs, size_t i, int rc)
{
	const struct suite *s = &cs->o->suites[i];

	checkdb_record_suite(cs->ctx->db, cs->cell->id, s, cs->builds[0].tree,
			     cs->builds[cs->nbuilds - 1].tree,
			     rc ? CHECK_SUITE_INFRA_ERROR : CHECK_SUITE_COMPARED,
			     rc ? "the suite could not run (see the errors "
			     "above)" : NULL);
	cs->suite_failed[i] = rc != 0;
	if (rc)
		set_outcome(cs, CHECK_ST_DONE, CHECK_VERDICT_INFRA_ERROR);
}

static long suite_repeat(const struct check_opts *o, const struct suite *s)
{
	return o->repeat ? o->repeat : s->repeat;
}

/* A suite of a cell while its sides run. */
struct suite_job {
	struct check_state *cs;
	size_t suite;		/* index in the options' suites */
};

/* exec_boot_fn: before each boot of a cell run piece by piece */
static void boot_progress(void *ud, const struct exec_request *q, long nth,
			  long of, long run_id, const struct suite_outcome *o)
{
	struct check_state *cs = ud;
	struct check_progress_event ev;

	(void)o;
	if (!cs || !cs->o->progress || run_id >= 0)
		return;
	memset(&ev, 0, sizeof(ev));
	ev.kind = CHECK_PROGRESS_BOOT;
	ev.check_id = cs->cell->id;
	ev.suite = q->suite->name;
	ev.label = q->label;
	ev.nth = nth;
	ev.of = of;
	cs->o->progress(cs->o->progress_ud, &ev);
}

/*
 * 4. suites j[0..n-1] on base and tip, as one batch: each side until it
 * has `repeat` completed runs (runs recorded before count, so a rerun
 * resumes and cells with the same base share its runs).  1 when
 * interrupted.
 */
static int suites_run(struct executor *e, const struct suite_job *j, size_t n)
{
	struct exec_request *q = xcalloc(2 * n + 1, sizeof(*q));
	size_t i, side;
	int interrupted = 0;

	for (i = 0; i < n; i++) {
		struct check_state *cs = j[i].cs;
		const struct suite *s = &cs->o->suites[j[i].suite];
		long rep = suite_repeat(cs->o, s);

		stage(cs, "suite %s: base and candidate, %ld run%s each%s",
		      s->name, rep, rep == 1 ? "" : "s", exec_where(e));
		for (side = 0; side < 2; side++) {
			struct exec_request *r = &q[2 * i + side];

			exec_request_init(r);
			r->suite = s;
			r->tree = cs->repo;
			r->tree_name = cs->repo_name;
			r->commit = side ? cs->ar.head : cs->ar.base;
			r->config = cs->config;
			r->arch = cs->cell->arch;
			r->toolchain = cs->cell->toolchain;
			r->repeat = rep;
			r->reuse = 1;
			r->label = side ? "candidate" : "base";
		}
	}
	e->ud = n == 1 ? j[0].cs : NULL;
	if (exec_run(e, q, 2 * n))
		for (i = 0; i < 2 * n; i++)
			q[i].status = EXEC_ERROR;
	for (i = 0; i < 2 * n; i++)
		if (q[i].status == EXEC_INTERRUPTED)
			interrupted = 1;
	for (i = 0; i < n && !interrupted; i++)
		suite_done(j[i].cs, j[i].suite,
			   q[2 * i].status == EXEC_DONE &&
			   q[2 * i + 1].status == EXEC_DONE ? 0 : -1);
	for (i = 0; i < 2 * n; i++)
		exec_request_release(&q[i]);
	free(q);
	return interrupted;
}

/*
 * The cases of suite i that passed in every base run and failed in every
 * candidate run (new failures, so far): how many.  Metrics are judged by
 * their samples, never retried.
 */
static size_t new_failures(struct check_state *cs, size_t i)
{
	const struct suite *s = &cs->o->suites[i];
	struct cmp_side b = cmp_side_of(&cs->builds[0]);
	struct cmp_side c = cmp_side_of(&cs->builds[cs->nbuilds - 1]);
	struct cmp_opts co = { STATS_NONE, 0.05 };
	struct suite_cmp sc;
	size_t k, n = 0;

	if (cs->suite_failed[i] || suite_format_has_metrics(s))
		return 0;
	if (compare_suite(cs->ctx->db, s, s->hash, &b, &c, &co, &sc))
		return 0;
	for (k = 0; sc.comparable && k < sc.ncases; k++)
		n += sc.cases[k].verdict == CASE_NEW_FAILURE;
	suite_cmp_release(&sc);
	return n;
}

/*
 * 5. a case that passed on the base and failed on the candidate counts
 * only once the candidate has failed it again: every such suite's
 * candidate is booted until it has repeat + retries runs (new boots, all
 * cells' at once).  A case that passes in one of them is flaky, never a
 * regression by itself (compare.h).  1 when interrupted.
 */
static int suites_retry(struct executor *e, const struct suite_job *j, size_t n)
{
	struct exec_request *q = xcalloc(n + 1, sizeof(*q));
	struct check_state *one = NULL;
	size_t i, nq = 0;
	int interrupted = 0;

	for (i = 0; i < n; i++) {
		struct check_state *cs = j[i].cs;
		const struct suite *s = &cs->o->suites[j[i].suite];
		long rep = suite_repeat(cs->o, s);
		size_t bad;

		if (!cs->o->retries || (bad = new_failures(cs, j[i].suite)) == 0)
			continue;
		/* part of the suite's step: the count stays [k/n] */
		cs->step--;
		stage(cs, "suite %s: %zu case%s failed on the candidate only: "
		      "%ld more candidate run%s%s", s->name, bad,
		      bad == 1 ? "" : "s", cs->o->retries,
		      cs->o->retries == 1 ? "" : "s", exec_where(e));
		exec_request_init(&q[nq]);
		q[nq].suite = s;
		q[nq].tree = cs->repo;
		q[nq].tree_name = cs->repo_name;
		q[nq].commit = cs->ar.head;
		q[nq].config = cs->config;
		q[nq].arch = cs->cell->arch;
		q[nq].toolchain = cs->cell->toolchain;
		q[nq].repeat = rep + cs->o->retries;
		q[nq].reuse = 1;
		q[nq].label = "candidate";
		nq++;
		one = cs;
	}
	e->ud = nq == 1 ? one : NULL;
	if (nq && exec_run(e, q, nq))
		for (i = 0; i < nq; i++)
			q[i].status = EXEC_ERROR;
	for (i = 0; i < nq; i++) {
		if (q[i].status == EXEC_INTERRUPTED)
			interrupted = 1;
		else if (q[i].status != EXEC_DONE)
			/* the runs there are judged as they are */
			warning("suite %s: the candidate's retries did not all "
				"run%s", q[i].suite->name, exec_where(e));
		exec_request_release(&q[i]);
	}
	free(q);
	return interrupted;
}

/* Every suite of every ready cell: all at once where the backend batches,
 * else one suite of one cell after the other; then the retries. */
static void suites_all(struct executor *e, struct check_state *st, size_t n)
{
	struct suite_job *j = xcalloc(n * st[0].o->nsuites + 1, sizeof(*j));
	size_t k, i, nj = 0;
	int interrupted = 0;

	for (k = 0; k < n; k++)
		for (i = 0; st[k].ready && i < st[k].o->nsuites; i++) {
			j[nj].cs = &st[k];
			j[nj++].suite = i;
		}
	/* a cluster, or boots side by side: every cell's suites at once
	 * (the base cells share is booted once) */
	if (exec_batches(e) || exec_parallel(e) != 1)
		interrupted = suites_run(e, j, nj);
	else
		for (i = 0; i < nj && !interrupted; i++)
			interrupted = suites_run(e, &j[i], 1);
	if (!interrupted && !run_interrupted())
		suites_retry(e, j, nj);
	free(j);
}

/*
 * Coverage of the changed lines (coverage.h): a build of the tip with
 * gcov on the changed files and a boot of each suite apart from the
 * compared runs, recorded as a check of each patch.  Only for a cell whose
 * suites ran; a coverage that cannot be measured is said in its summary.
 */
static void coverage_run(struct check_state *cs)
{
	struct coverage_opts co;
	struct coverage_patch *cp;
	struct patch_check *out;
	char *qemu = ctx_config_get(cs->ctx, "boot.qemu");
	size_t i, n = cs->ar.npatches;

	if (!n)
		goto out;
	stage(cs, "coverage: which changed lines the suites ran (gcov)");
	cp = xcalloc(n, sizeof(*cp));
	out = xcalloc(n, sizeof(*out));
	for (i = 0; i < n; i++) {
		cp[i].idx = cs->ar.patches[i].idx;
		cp[i].commit = cs->ar.patches[i].commit;
	}
	memset(&co, 0, sizeof(co));
	co.tree_arg = cs->o->tree_arg;
	co.repo_path = cs->repo;
	co.config = cs->config;
	co.arch = cs->cell->arch;
	co.toolchain = cs->cell->toolchain;
	co.base = cs->ar.base;
	co.patches = cp;
	co.npatches = n;
	co.suites = cs->o->suites;
	co.nsuites = cs->o->nsuites;
	co.qemu = qemu;
	if (ctx_config_long(cs->ctx, "boot.parallel", &co.parallel))
		co.parallel = 1;
	co.progress = cs->o->build_progress;
	co.progress_ud = cs->o->build_progress_ud;
	if (!coverage_series(cs->ctx, &co, out)) {
		for (i = 0; i < n; i++) {
			if (out[i].kind == PCHECK_COVERAGE && out[i].summary)
				checkdb_record_patch_check(cs->ctx->db, cs->cell->id,
							   &out[i]);
			patch_check_release(&out[i]);
		}
	}
	free(out);
	free(cp);
out:
	free(qemu);
}

/* Compare and record the verdict.  A cell whose suite could not run
 * ("done", infra-error) still gets "regression" when another suite has
 * one. */
static void finish(struct check_state *cs)
{
	struct check_cell *c = cs->cell;
	struct check_report rep;
	int running = cs->status == CHECK_ST_RUNNING;

	if (cs->ready && (running || cs->status == CHECK_ST_DONE)) {
		if (running) {
			cs->step = cs->steps - 1;
			stage(cs, "compare");
		}
		/* verdicts come from the same code the report uses */
		if (check_report_load(cs->ctx, c->id, &rep)) {
			if (running)
				set_outcome(cs, CHECK_ST_ERROR, CHECK_VERDICT_INFRA_ERROR);
		} else {
			set_outcome(cs, CHECK_ST_DONE,
				    check_verdict_judge(rep.suites, rep.suite_errors,
							rep.nsuites, running,
							c->verdict));
			check_report_release(&rep);
		}
	}
	c->status = cs->status;
	checkdb_finish(cs->ctx->db, c->id, cs->status, c->verdict);
}

static void state_release(struct check_state *cs)
{
	size_t i;

	if (cs->applied)
		apply_result_release(&cs->ar);
	if (cs->loaded)
		stored_series_release(&cs->ss);
	for (i = 0; i < cs->nbuilds; i++)
		kbuild_result_release(&cs->builds[i]);
	free(cs->builds);
	if (cs->fetched)
		fetch_result_release(&cs->fr);
	free(cs->suite_failed);
}

int check_run(struct pwb_ctx *ctx, const struct check_opts *o,
	      struct check_cell *cells, size_t n)
{
	struct check_state *st = NULL;
	struct executor e;
	char *repo = NULL, *repo_name = NULL, *nw;
	size_t k;
	int ret = -1, broad = 0, coverage = 0, warnings_fail = 0;

	for (k = 0; k < n; k++) {
		cells[k].id = -1;
		cells[k].series_id = -1;
		cells[k].status = CHECK_ST_ERROR;
		cells[k].verdict = CHECK_VERDICT_NONE;
	}
	checkdb_reap_stale(ctx->db);
	if (tree_resolve(ctx->db, o->tree_arg, &repo, &repo_name))
		goto out;
	/* a --base that does not resolve, an arch or toolchain pwb does not
	 * know: bad input, not a verdict */
	for (k = 0; k < n; k++) {
		const char *b = cells[k].base_rev ? cells[k].base_rev : o->base_rev;

		if (b && tree_rev_commit(repo, b, "--base", NULL))
			goto out;
		if (cells[k].arch && !arch_find(cells[k].arch)) {
			error("--arch %s: not an arch pwb builds for (%s)",
			      cells[k].arch, arch_names());
			goto out;
		}
		if (cells[k].toolchain && !toolchain_find(cells[k].toolchain)) {
			error("--toolchain %s: not a toolchain pwb builds with "
			      "(%s)", cells[k].toolchain, toolchain_names());
			goto out;
		}
	}
	if (ctx_config_bool(ctx, "check.broadbuild", &broad) ||
	    ctx_config_bool(ctx, "check.coverage", &coverage))
		goto out;
	nw = ctx_config_get(ctx, "check.newwarnings");
	if (nw && strcmp(nw, "warn") && strcmp(nw, "fail")) {
		error("config check.newwarnings = '%s': warn or fail", vis(nw));
		free(nw);
		goto out;
	}
	warnings_fail = nw && !strcmp(nw, "fail");
	free(nw);
	executor_init(&e, ctx, o->backend);
	e.cluster_progress = o->cluster_progress;
	e.cluster_progress_ud = o->cluster_progress_ud;
	e.build_progress = o->build_progress;
	e.build_progress_ud = o->build_progress_ud;
	e.on_boot = boot_progress;
	/* a cluster that does not answer: said before any work */
	if (exec_check(&e))
		goto out;
	st = xcalloc(n, sizeof(*st));
	for (k = 0; k < n; k++) {
		struct check_state *cs = &st[k];

		cs->ctx = ctx;
		cs->o = o;
		cs->cell = &cells[k];
		cs->repo = repo;
		cs->repo_name = repo_name;
		cs->config = arch_config(cells[k].arch ? arch_find(cells[k].arch) :
					 arch_default(), cells[k].config);
		cs->base_rev = cells[k].base_rev ? cells[k].base_rev : o->base_rev;
		cs->steps = 5 + (int)o->nsuites;
		cs->status = CHECK_ST_RUNNING;
		/* both measured here, on the machine that builds and boots */
		cs->broad = broad && o->backend == EXEC_LOCAL;
		cs->coverage = coverage && o->backend == EXEC_LOCAL;
		cs->warnings_fail = warnings_fail;
		cs->steps += cs->broad + cs->coverage;
		cs->suite_failed = xcalloc(o->nsuites + 1, sizeof(int));
	}
	ret = 0;
	for (k = 0; k < n && !run_interrupted(); k++) {
		struct check_state *cs = &st[k];

		cs->t0 = time(NULL);
		if (intake(cs) ||
		    checkdb_start(ctx->db, cells[k].source, repo, cs->config,
				  o->repeat, cells[k].arch ? cells[k].arch :
				  arch_default()->name, cells[k].toolchain ?
				  cells[k].toolchain : toolchain_default()->name,
				  &cells[k].id)) {
			cells[k].verdict = CHECK_VERDICT_INFRA_ERROR;
			continue;
		}
		prepare(cs);
		/* piece by piece: each cell's builds right after its apply */
		if (cs->to_build && !exec_batches(&e))
			builds_run(&e, cs, 1);
	}
	if (exec_batches(&e) && !run_interrupted())
		builds_run(&e, st, n);
	if (!run_interrupted())
		suites_all(&e, st, n);
	for (k = 0; k < n && !run_interrupted(); k++)
		if (st[k].coverage && st[k].ready &&
		    st[k].status == CHECK_ST_RUNNING)
			coverage_run(&st[k]);
	for (k = 0; k < n; k++) {
		struct check_state *cs = &st[k];

		if (cells[k].id < 0) {
			if (run_interrupted())
				cells[k].status = CHECK_ST_INTERRUPTED;
			continue;
		}
		if (run_interrupted() && (cs->status == CHECK_ST_RUNNING ||
					  cs->ready))
			set_outcome(cs, CHECK_ST_INTERRUPTED, CHECK_VERDICT_NONE);
		if (cs->status == CHECK_ST_INTERRUPTED)
			cs->cell->verdict = CHECK_VERDICT_NONE;
		finish(cs);
	}
out:
	for (k = 0; st && k < n; k++)
		state_release(&st[k]);
	free(st);
	free(repo);
	free(repo_name);
	return ret;
}



int check_load_suites(struct pwb_ctx *ctx, char **names, size_t nnames,
		      const char **config, struct suite **suites, size_t *n)
{
	char *datadir = pwb_datadir(ctx), **own = NULL;
	size_t nown = 0, i;
	int ret = -1;

	*suites = NULL;
	*n = 0;
	if (!nnames) {
		names = own = default_suites(ctx, datadir, &nown);
		nnames = nown;
	}
	if (!nnames) {
		error("no suites: none under %s/bench/suites and no --suite", datadir);
		goto out;
	}
	*suites = xcalloc(nnames, sizeof(**suites));
	for (i = 0; i < nnames; i++) {
		if (suite_load(datadir, names[i], &(*suites)[i]))
			goto out;
		(*n)++;
	}
	if (!*config) {
		*config = (*suites)[0].config;
		for (i = 1; i < *n; i++)
			if (strcmp((*suites)[i].config, *config)) {
				error("suites %s and %s need different configs "
				      "(%s, %s): give --config or check them "
				      "separately", (*suites)[0].name,
				      (*suites)[i].name, *config,
				      (*suites)[i].config);
				goto out;
			}
	}
	ret = 0;
out:
	for (i = 0; i < nown; i++)
		free(own[i]);
	free(own);
	free(datadir);
	return ret;
}

void check_suites_release(struct suite *suites, size_t n)
{
	suite_list_free(suites, n);
}
