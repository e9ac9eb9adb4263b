#include "bisect.h"
#include "applydb.h"
#include "checkdb.h"
#include "compare.h"
#include "db.h"
#include "kbuild.h"
#include "exec/exec.h"
#include "tree.h"
#include "util/run.h"
#include "util/util.h"

#include <git2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *bisect_mark_name(enum bisect_mark m)
{
	switch (m) {
	case BISECT_GOOD: return "good";
	case BISECT_BAD: return "bad";
	case BISECT_SKIP: return "skip";
	default: return "untested";
	}
}

/* The untested commit strictly between lo and hi nearest to the middle. */
static long pick(const enum bisect_mark *marks, size_t lo, size_t hi)
{
	size_t mid = lo + (hi - lo) / 2, d;

	for (d = 0; d < hi - lo; d++) {
		if (mid + d < hi && mid + d > lo && marks[mid + d] == BISECT_UNTESTED)
			return (long)(mid + d);
		if (mid >= d && mid - d > lo && mid - d < hi &&
		    marks[mid - d] == BISECT_UNTESTED)
			return (long)(mid - d);
	}
	return -1;
}

static int judge_one(enum bisect_mark *marks, size_t i, bisect_judge_fn judge,
		     bisect_step_fn step, void *ud, int *steps)
{
	char why[512] = "";
	int rc;

	marks[i] = BISECT_SKIP;
	rc = judge(ud, i, &marks[i], why, sizeof(why));
	if (rc)
		return rc;
	(*steps)++;
	if (step)
		step(ud, *steps, i, marks[i], why);
	return 0;
}

enum bisect_result bisect_search(enum bisect_mark *marks, size_t n,
				 bisect_judge_fn judge, bisect_step_fn step,
				 void *ud, size_t *lo, size_t *hi, int *steps)
{
	long next;
	int rc;

	*steps = 0;
	*lo = 0;
	*hi = n ? n - 1 : 0;
	if (n < 2)
		return BISECT_NOT_BAD;
	/* both ends first: the good end is the reference, the bad end must be bad */
	if ((rc = judge_one(marks, 0, judge, step, ud, steps)))
		return rc;
	if (marks[0] != BISECT_GOOD)
		return BISECT_GOOD_UNTESTABLE;
	if ((rc = judge_one(marks, n - 1, judge, step, ud, steps)))
		return rc;
	if (marks[n - 1] != BISECT_BAD)
		return BISECT_NOT_BAD;
	while (*hi - *lo > 1 && (next = pick(marks, *lo, *hi)) >= 0) {
		if ((rc = judge_one(marks, (size_t)next, judge, step, ud, steps)))
			return rc;
		if (marks[next] == BISECT_BAD)
			*hi = (size_t)next;
		else if (marks[next] == BISECT_GOOD)
			*lo = (size_t)next;
	}
	/* what is left between the last good and the first bad: skipped */
	return *hi - *lo > 1 ? BISECT_ONLY_SKIPPED : BISECT_FOUND;
}

void bisect_init(struct bisect *b, struct pwb_ctx *ctx,
		 const struct bisect_opts *o)
{
	memset(b, 0, sizeof(*b));
	b->ctx = ctx;
	b->o = *o;
}

void bisect_release(struct bisect *b)
{
	size_t i;

	for (i = 0; i < b->n; i++) {
		free(b->commits[i]);
		free(b->labels[i]);
	}
	free(b->commits);
	free(b->labels);
	free(b->marks);
	free(b->base_why);
	kbuild_result_release(&b->good);
	free(b->tree_path);
	free(b->tree_name);
	memset(b, 0, sizeof(*b));
}



/* The build the executor used (q.build_id), as a kbuild result.
 * 0 found, 1 none, -1 database. */
static int known_build(struct bisect *b, long id, struct kbuild_result *br)
{
	return id > 0 ? kbuild_load(b->ctx->db, id, br) : 1;
}


/* What ensure_runs found of a commit. */
enum runs {
	RUNS_OK,		/* built, with its runs */
	RUNS_NO_KERNEL,		/* does not build: a result, never built again */
	RUNS_SUITE_BROKEN,	/* the suite could not run on it */
	RUNS_EINFRA,		/* the database, a job or QEMU failed */
	RUNS_INTERRUPTED,
};

/*
 * Completed runs of the suite on this commit's tree, ensured to `repeat`
 * by the executor (a commit tested before is neither built nor booted
 * again); br is its build.
 */
static enum runs ensure_runs(struct bisect *b, const char *commit,
			     struct kbuild_result *br, int *ran)
{
	struct executor e;
	struct exec_request q;
	enum runs ret = RUNS_EINFRA;

	executor_init(&e, b->ctx, b->o.backend);
	e.cluster_progress = b->o.cluster_progress;
	e.cluster_progress_ud = b->o.cluster_progress_ud;
	e.build_progress = b->o.build_progress;
	e.build_progress_ud = b->o.build_progress_ud;
	exec_request_init(&q);
	q.suite = b->o.s;
	q.tree = b->tree_path;
	q.tree_name = b->tree_name;
	q.commit = commit;
	q.config = b->o.config;
	q.arch = b->o.arch;
	q.toolchain = b->o.toolchain;
	q.repeat = b->o.repeat;
	q.reuse = 1;
	exec_run(&e, &q, 1);
	*ran = q.worked;
	switch (q.status) {
	case EXEC_DONE:
		/* no build row: the job gave nothing */
		ret = known_build(b, q.build_id, br) ? RUNS_NO_KERNEL :
		      RUNS_OK;
		break;
	case EXEC_NO_KERNEL:
		ret = RUNS_NO_KERNEL;
		break;
	case EXEC_INFRA:
	case EXEC_SKIPPED:
		ret = RUNS_SUITE_BROKEN;
		break;
	case EXEC_INTERRUPTED:
		ret = RUNS_INTERRUPTED;
		break;
	case EXEC_PENDING:
	case EXEC_ERROR:
		ret = run_interrupted() ? RUNS_INTERRUPTED : RUNS_EINFRA;
		break;
	}
	exec_request_release(&q);
	return ret;
}

/*
 * The runs of commit, ensured (br its build): 1 they are there; 0 when
 * the caller returns *ret: 0 with *mark SKIP and why (it does not build,
 * the suite cannot run on it), or BISECT_EINFRA / BISECT_INTERRUPTED.
 */
static int runs_ready(struct bisect *b, const char *commit,
		      struct kbuild_result *br, enum bisect_mark *mark,
		      char *why, size_t whylen, int *ret)
{
	enum runs rc;
	int ran;

	memset(br, 0, sizeof(*br));
	rc = ensure_runs(b, commit, br, &ran);
	b->cycles += ran;
	if (rc == RUNS_OK)
		return 1;
	*ret = 0;
	if (rc == RUNS_INTERRUPTED || rc == RUNS_EINFRA) {
		*ret = rc == RUNS_INTERRUPTED ? BISECT_INTERRUPTED : BISECT_EINFRA;
	} else {
		*mark = BISECT_SKIP;
		snprintf(why, whylen, "%s", rc == RUNS_NO_KERNEL ?
			 "does not build" : "the suite could not run");
	}
	kbuild_result_release(br);
	return 0;
}

/* bisect_judge_fn: commit i against the good end. */
static int test_commit(struct bisect *b, size_t i, enum bisect_mark *mark,
		       char *why, size_t whylen)
{
	struct kbuild_result br;
	struct suite_cmp c;
	struct cmp_side good, cand;
	struct cmp_opts o = { STATS_NONE, 0.05 };
	size_t k;
	int ret;

	if (!runs_ready(b, b->commits[i], &br, mark, why, whylen, &ret))
		return ret;
	if (i == 0) {
		kbuild_result_release(&b->good);
		b->good = br;	/* taken over */
		*mark = BISECT_GOOD;
		snprintf(why, whylen, "the good end");
		return 0;
	}
	good = cmp_side_of(&b->good);
	cand = cmp_side_of(&br);
	/* one question at a time: no correction over several metrics */
	if (!b->o.metric_name)
		o.correction = STATS_BH;
	if (compare_suite(b->ctx->db, b->o.s, b->o.s->hash, &good, &cand, &o, &c)) {
		kbuild_result_release(&br);
		return BISECT_EINFRA;
	}
	*mark = BISECT_GOOD;
	snprintf(why, whylen, "no regression");
	if (!c.comparable) {
		*mark = BISECT_SKIP;
		snprintf(why, whylen, "not comparable: %s", c.why_not);
	} else if (b->o.case_name) {
		for (k = 0; k < c.ncases; k++)
			if (!strcmp(c.cases[k].name, b->o.case_name)) {
				if (c.cases[k].verdict == CASE_NEW_FAILURE) {
					*mark = BISECT_BAD;
					snprintf(why, whylen, "%s fails", b->o.case_name);
				} else {
					snprintf(why, whylen, "%s: %s", b->o.case_name,
						 case_verdict_name(c.cases[k].verdict));
				}
			}
	} else if (b->o.metric_name) {
		for (k = 0; k < c.nmetrics; k++)
			if (!strcmp(c.metrics[k].name, b->o.metric_name)) {
				const struct metric_cmp *m = &c.metrics[k];

				if (m->verdict == METRIC_REGRESSION)
					*mark = BISECT_BAD;
				else if (m->verdict == METRIC_NOT_ENOUGH)
					*mark = BISECT_SKIP;
				snprintf(why, whylen, "%s median %g -> %g %s: %s",
					 m->name, m->mbase, m->mcand, m->unit,
					 metric_verdict_name(m->verdict));
			}
	} else if (c.regressions) {
		*mark = BISECT_BAD;
		for (k = 0; k < c.ncases; k++)
			if (c.cases[k].verdict == CASE_NEW_FAILURE)
				break;
		if (k < c.ncases)
			snprintf(why, whylen, "%d regression%s, e.g. %s fails",
				 c.regressions, c.regressions == 1 ? "" : "s",
				 c.cases[k].name);
		else
			snprintf(why, whylen, "%d regression%s", c.regressions,
				 c.regressions == 1 ? "" : "s");
	}
	suite_cmp_release(&c);
	kbuild_result_release(&br);
	return 0;
}

static int add_commit(struct bisect *b, const char *oid, const char *label)
{
	b->commits = xrealloc(b->commits, (b->n + 1) * sizeof(char *));
	b->labels = xrealloc(b->labels, (b->n + 1) * sizeof(char *));
	b->commits[b->n] = xstrdup(oid);
	b->labels[b->n] = xstrdup(label);
	b->n++;
	return 0;
}

static void commit_label(git_commit *c, char *out, size_t n)
{
	char hex[GIT_OID_HEXSZ + 1];

	git_oid_tostr(hex, sizeof(hex), git_commit_id(c));
	snprintf(out, n, "%.12s %s", hex, git_commit_summary(c) ?
		 git_commit_summary(c) : "");
}

/* good, then the first-parent commits after it up to bad, oldest first */
int bisect_load_range(struct bisect *b, const char *good, const char *bad)
{
	git_repository *repo = NULL;
	git_revwalk *w = NULL;
	git_commit *c = NULL, *cg = NULL, *cb = NULL;
	git_oid oid;
	char *path = NULL, label[256], hex[GIT_OID_HEXSZ + 1];
	int ret = -1;

	if (tree_resolve(b->ctx->db, b->o.tree_arg, &path, NULL) ||
	    tree_open(path, &repo))
		goto out;
	if (tree_peel_commit(repo, good, &cg) || tree_peel_commit(repo, bad, &cb)) {
		error("%s %s: not a commit in %s", cg ? "--bad" : "--good",
		      cg ? bad : good, path);
		goto out;
	}
	commit_label(cg, label, sizeof(label));
	git_oid_tostr(hex, sizeof(hex), git_commit_id(cg));
	add_commit(b, hex, label);
	if (git_revwalk_new(&w, repo) ||
	    git_revwalk_sorting(w, GIT_SORT_TOPOLOGICAL | GIT_SORT_REVERSE) ||
	    git_revwalk_simplify_first_parent(w) ||
	    git_revwalk_push(w, git_commit_id(cb)) ||
	    git_revwalk_hide(w, git_commit_id(cg))) {
		error("walking %s..%s: %s", good, bad, git_errmsg());
		goto out;
	}
	while (!git_revwalk_next(&oid, w)) {
		if (git_commit_lookup(&c, repo, &oid))
			continue;
		commit_label(c, label, sizeof(label));
		git_oid_tostr(hex, sizeof(hex), &oid);
		add_commit(b, hex, label);
		git_commit_free(c);
		c = NULL;
	}
	if (b->n < 2) {
		error("--bad %s is not a descendant of --good %s", bad, good);
		goto out;
	}
	ret = 0;
out:
	git_commit_free(c);
	git_revwalk_free(w);
	git_commit_free(cg);
	git_commit_free(cb);
	git_repository_free(repo);
	free(path);
	return ret;
}

int bisect_load_series(struct bisect *b, const char *arg,
		       struct stored_series *ss, int *loaded)
{
	struct apply_result ar;
	long sid, apply_id;
	char label[512];
	size_t i;

	const char *base = b->o.base_rev;
	char last[GIT_OID_HEXSZ + 1];
	char *path = NULL;
	int rc;

	if (store_find_series(b->ctx->db, arg, &sid))
		return -1;
	/* no --base: the base the newest check of the series on this tree used */
	if (!base) {
		if (tree_resolve(b->ctx->db, b->o.tree_arg, &path, NULL))
			return -1;
		rc = check_last_base(b->ctx->db, sid, path, last);
		free(path);
		if (rc < 0)
			return -1;
		if (rc)
			base = last;
	}
	/* the same apply pwb check made (reused when nothing changed) */
	if (apply_to_tree(b->ctx, sid, b->o.tree_arg, base, ss, &ar, &apply_id))
		return -1;
	*loaded = 1;
	if (!ar.ok) {
		apply_result_release(&ar);
		return error("series %ld does not apply; nothing to bisect", sid);
	}
	free(b->base_why);
	b->base_why = base == last ?
		xstrfmt("the base the newest check of series %ld on this tree "
			"used", sid) :
		xstrdup(ar.base_why ? ar.base_why : ar.base_rule);
	snprintf(label, sizeof(label), "base %.12s", ar.base);
	add_commit(b, ar.base, label);
	for (i = 0; i < ar.npatches; i++) {
		snprintf(label, sizeof(label), "%d/%zu %s", ar.patches[i].idx,
			 ar.npatches, ss->patches[i].subject);
		add_commit(b, ar.patches[i].commit, label);
	}
	apply_result_release(&ar);
	return 0;
}

struct run_ctx {
	struct bisect *b;
	bisect_step_fn step;
	void *ud;
};

static int run_judge(void *ud, size_t i, enum bisect_mark *mark, char *why,
		     size_t whylen)
{
	return test_commit(((struct run_ctx *)ud)->b, i, mark, why, whylen);
}

static void run_step(void *ud, int stepno, size_t i, enum bisect_mark mark,
		     const char *why)
{
	struct run_ctx *rc = ud;

	if (rc->step)
		rc->step(rc->ud, stepno, i, mark, why);
}

/* The requests get the tree's path; a cluster must answer before work.
 * 0 or -1 (said). */
static int ready_to_work(struct bisect *b)
{
	struct executor e;

	executor_init(&e, b->ctx, b->o.backend);
	if (!b->tree_path && tree_resolve(b->ctx->db, b->o.tree_arg,
					  &b->tree_path, &b->tree_name))
		return -1;
	return exec_check(&e) ? -1 : 0;
}

enum bisect_result bisect_run(struct bisect *b, bisect_step_fn step, void *ud)
{
	struct run_ctx rc = { b, step, ud };

	if (ready_to_work(b))
		return BISECT_EINFRA;
	free(b->marks);
	b->marks = xcalloc(b->n, sizeof(*b->marks));
	return bisect_search(b->marks, b->n, run_judge, run_step, &rc,
			     &b->lo, &b->hi, &b->steps);
}

/* A commit on its own: its case (case_name) or any case failing in every
 * run, or a kernel that fails or hangs, is bad; runs that disagree skip. */
static int test_alone(struct bisect *b, const char *commit,
		      enum bisect_mark *mark, char *why, size_t whylen)
{
	struct kbuild_result br;
	struct suite_cmp c;
	struct cmp_side side;
	struct cmp_opts o = { STATS_NONE, 0.05 };
	size_t k, bad = 0, first = 0;
	int ret, found = 0;

	if (!runs_ready(b, commit, &br, mark, why, whylen, &ret))
		return ret;
	*mark = BISECT_SKIP;
	side = cmp_side_of(&br);
	if (compare_suite(b->ctx->db, b->o.s, b->o.s->hash, &side, &side, &o, &c)) {
		kbuild_result_release(&br);
		return BISECT_EINFRA;
	}
	for (k = 0; k < c.ncases; k++) {
		const struct case_cmp *x = &c.cases[k];

		if (b->o.case_name && strcmp(x->name, b->o.case_name))
			continue;
		found = 1;
		if (x->cand_fail && x->cand_pass) {
			snprintf(why, whylen, "%s: its runs disagree (%d of %d "
				 "pass)", x->name, x->cand_pass,
				 x->cand_pass + x->cand_fail);
			goto out;
		}
		if (x->cand_fail && !bad++)
			first = k;
	}
	if (b->o.case_name && !found) {
		snprintf(why, whylen, "no case %s in its runs", b->o.case_name);
	} else if (bad) {
		*mark = BISECT_BAD;
		snprintf(why, whylen, "%s fails%s", c.cases[first].name,
			 bad > 1 ? " (and more)" : "");
	} else if (!b->o.case_name && c.cand_bad_runs) {
		*mark = BISECT_BAD;
		if (c.cand_stopped_runs)
			snprintf(why, whylen, "the guest stopped (a crash or a "
				 "hang) in %d of %d runs", c.cand_stopped_runs,
				 c.cand_runs);
		else
			snprintf(why, whylen, "the kernel reported a failure "
				 "(KASAN, a WARNING...) in %d of %d runs",
				 c.cand_bad_runs, c.cand_runs);
	} else {
		*mark = BISECT_GOOD;
		snprintf(why, whylen, "%s", b->o.case_name ? "it passes" :
			 "every case passes");
	}
out:
	suite_cmp_release(&c);
	kbuild_result_release(&br);
	return 0;
}

int bisect_one(struct bisect *b, const char *good, const char *commit,
	       enum bisect_mark *mark, char *why, size_t whylen)
{
	char hex[GIT_OID_HEXSZ + 1];
	int rc;

	if (ready_to_work(b))
		return BISECT_EINFRA;
	if (!good)
		return test_alone(b, commit, mark, why, whylen);
	if (tree_rev_commit(b->tree_path, good, "--good", hex))
		return BISECT_EINFRA;
	add_commit(b, hex, "the good end");
	add_commit(b, commit, "this commit");
	rc = test_commit(b, 0, mark, why, whylen);
	if (rc)
		return rc;
	if (*mark != BISECT_GOOD)
		return BISECT_GOOD_UNTESTABLE;
	return test_commit(b, 1, mark, why, whylen);
}
