/*
 * pwb bisect SERIES --tree T --suite S [--case NAME | --metric NAME]
 * pwb bisect --tree T --good REV --bad REV --suite S [--case | --metric]
 *
 * Finds the first commit whose suite results regress against the good
 * end: inside a series (the base is good, the commits of the applied
 * series are the candidates) or over a first-parent range.  A commit is
 * "bad" when, compared with the good end exactly as pwb check compares
 * (compare.c), the case is a new failure (--case), the metric a
 * regression (--metric), or anything regresses (neither).  A commit that
 * does not build, whose suite cannot run, or that cannot be compared is
 * skipped (git bisect skip).  Results already in the database are used:
 * a commit tested before is neither built nor booted again.
 * Exit 0 culprit found, 1 no culprit (the bad end is not bad, or only
 * skipped commits are left), 3 infrastructure, 130 interrupted.
 */
#include "cmds.h"
#include "compare.h"
#include "db.h"
#include "kbuild.h"
#include "lore.h"
#include "output.h"
#include "applydb.h"
#include "intake.h"
#include "slurm.h"
#include "suiterun.h"
#include "tree.h"
#include "util/buf.h"
#include "util/run.h"
#include "util/util.h"
#include "util/vis.h"

#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage[] =
	"usage: pwb bisect SERIES --tree T --suite S [--case NAME | --metric NAME]\n"
	"                  [--repeat N] [--on local|slurm] [--json]\n"
	"   or: pwb bisect --tree T --good REV --bad REV --suite S [...]\n"
	"\n"
	"Finds the first patch of SERIES (or the first commit on the first-parent\n"
	"path from REV good to REV bad) that makes the case fail, moves the\n"
	"metric beyond its threshold, or (neither given) regresses anything.\n"
	"--on slurm (config run.backend): each commit's build and boots are\n"
	"Slurm jobs.\n";

enum mark { UNTESTED, GOOD, BAD, SKIP };

struct bisect {
	struct pwb_ctx *ctx;
	const char *tree_arg, *case_name, *metric_name;
	struct suite s;
	long repeat;
	char **commits;		/* [0] the good end, [n-1] the bad end */
	char **labels;		/* "2/3 subject" or "abcdef123456 subject" */
	enum mark *marks;
	size_t n;
	char good_tree[GIT_OID_HEXSZ + 1];
	char *good_config;
	int cycles;		/* commits built and booted by this bisect */
	int slurm;		/* builds and boots as Slurm jobs */
	char *tree_path, *tree_name;	/* for the jobs */
	int progress, json;
	json_t *steps;
};

/* The newest build of commit with the suite's config (or build id), as
 * a kbuild result.  0 found, 1 none, -1 database. */
static int known_build(struct bisect *b, const char *commit, long id,
		       struct kbuild_result *br)
{
	int rc = id > 0 ? 0 : kbuild_find(b->ctx->db, commit, b->s.config, &id);

	return rc ? rc : kbuild_load(b->ctx->db, id, br);
}

/* How many more runs a built kernel needs; -1 database. */
static long runs_needed(struct bisect *b, const struct kbuild_result *br)
{
	struct cmp_side side = { br->tree, br->config_hash };
	long need;

	if (compare_runs_needed(b->ctx->db, b->s.name, b->s.hash, &side,
				b->repeat, &need))
		return -1;
	return need;
}

/* A kernel built (or not): 2 it does not build (a result, never built
 * again), 0 it has its runs, 3 database; -1 *need more runs (br is
 * released for the build that comes next). */
static int more_runs(struct bisect *b, struct kbuild_result *br, long *need)
{
	if (strcmp(br->status, "ok"))
		return 2;
	*need = runs_needed(b, br);
	if (*need <= 0)
		return *need < 0 ? 3 : 0;
	kbuild_result_release(br);
	return -1;
}

/* ensure_runs with Slurm: what the database knows first, else the build
 * and the boots as jobs (the build row comes back with them). */
static int ensure_runs_slurm(struct bisect *b, const char *commit,
			     struct kbuild_result *br, int *ran)
{
	struct slurm_run sr;
	long need = b->repeat;
	int rc = known_build(b, commit, 0, br);

	if (rc < 0)
		return 3;
	if (!rc && (rc = more_runs(b, br, &need)) >= 0)
		return rc;
	memset(&sr, 0, sizeof(sr));
	sr.tree = b->tree_path;
	sr.tree_name = b->tree_name;
	sr.commit = commit;
	sr.config = b->s.config;
	sr.repeat = need;
	sr.progress = b->progress;
	*ran = 1;
	rc = slurm_run_suite(b->ctx, &b->s, &sr);
	if (rc || sr.exit == 130) {
		rc = sr.exit == 130 ? 130 : 3;
	} else if (known_build(b, commit, sr.build_id, br)) {
		rc = 2;		/* no build row: the build job gave nothing */
	} else if (strcmp(br->status, "ok")) {
		rc = kbuild_outcome(br->status) == BUILD_OUT_INFRA ? 4 : 2;
	} else {
		rc = sr.exit == 2 ? 2 : sr.exit == 3 ? 4 : 0;
	}
	slurm_run_release(&sr);
	return rc;
}

/* Completed runs of the suite on this commit's tree, ensured to `repeat`. */
static int ensure_runs(struct bisect *b, const char *commit,
		       struct kbuild_result *br, int *ran)
{
	struct kbuild_request q = { NULL, NULL, NULL, 0, 0, 0 };
	struct suite_prep prep;
	long need, r;
	char *qemu;
	int ret = 0;

	*ran = 0;
	if (b->slurm)
		return ensure_runs_slurm(b, commit, br, ran);
	q.tree_arg = b->tree_arg;
	q.rev = commit;
	q.config = b->s.config;
	q.progress = b->progress;
	/* a cached build answers without make: enough to know the tree */
	if (kbuild(b->ctx, &q, br))
		return run_interrupted() ? 130 : 3;
	if ((ret = more_runs(b, br, &need)) >= 0)
		return ret;
	ret = 0;
	q.need_build_dir = 1;
	if (kbuild(b->ctx, &q, br))
		return run_interrupted() ? 130 : 3;
	if (strcmp(br->status, "ok"))
		return 2;
	if (suite_prepare(&b->s, br, &prep)) {
		long id;

		kbuild_unlock(br);
		suite_record_infra(b->ctx->db, &b->s, br->id, prep.why, &id);
		warning("suite %s does not build against %.12s: %.200s",
			b->s.name, commit, prep.why);
		suite_prep_release(&prep);
		return 4;
	}
	kbuild_unlock(br);
	*ran = 1;
	qemu = ctx_config_get(b->ctx, "boot.qemu");
	for (r = 0; r < need && !ret; r++) {
		struct suite_outcome o;

		if (suite_boot(b->ctx->db, &b->s, br, &prep, qemu, (int)r, &o))
			ret = 3;
		else if (o.verdict == SUITE_INTERRUPTED)
			ret = 130;
		else if (o.verdict == SUITE_INFRA)
			ret = 4;
		suite_outcome_release(&o);
	}
	free(qemu);
	suite_prep_release(&prep);
	return ret;
}

/* Judge commit i against the good end; sets b->marks[i]. */
static int test_commit(struct bisect *b, size_t i, char *why, size_t whylen)
{
	struct kbuild_result br;
	struct suite_cmp c;
	struct cmp_side good, cand;
	struct cmp_opts o = { STATS_NONE, 0.05 };
	size_t k;
	int rc, ran;

	memset(&br, 0, sizeof(br));
	rc = ensure_runs(b, b->commits[i], &br, &ran);
	b->cycles += ran;
	if (rc == 130 || rc == 3) {
		kbuild_result_release(&br);
		return rc;
	}
	if (rc) {
		b->marks[i] = SKIP;
		snprintf(why, whylen, "%s", rc == 2 ? "does not build" :
			 "the suite could not run");
		kbuild_result_release(&br);
		return 0;
	}
	if (i == 0) {
		snprintf(b->good_tree, sizeof(b->good_tree), "%s", br.tree);
		free(b->good_config);
		b->good_config = xstrdup_or_null(br.config_hash);
		b->marks[0] = GOOD;
		snprintf(why, whylen, "the good end");
		kbuild_result_release(&br);
		return 0;
	}
	good.tree_id = b->good_tree;
	good.config_hash = b->good_config;
	cand.tree_id = br.tree;
	cand.config_hash = br.config_hash;
	/* one question at a time: no correction over several metrics */
	if (!b->metric_name)
		o.correction = STATS_BH;
	if (compare_suite(b->ctx->db, &b->s, b->s.hash, &good, &cand, &o, &c)) {
		kbuild_result_release(&br);
		return 3;
	}
	b->marks[i] = GOOD;
	snprintf(why, whylen, "no regression");
	if (!c.comparable) {
		b->marks[i] = SKIP;
		snprintf(why, whylen, "not comparable: %s", c.why_not);
	} else if (b->case_name) {
		for (k = 0; k < c.ncases; k++)
			if (!strcmp(c.cases[k].name, b->case_name)) {
				if (c.cases[k].verdict == CASE_NEW_FAILURE) {
					b->marks[i] = BAD;
					snprintf(why, whylen, "%s fails", b->case_name);
				} else {
					snprintf(why, whylen, "%s: %s", b->case_name,
						 case_verdict_name(c.cases[k].verdict));
				}
			}
	} else if (b->metric_name) {
		for (k = 0; k < c.nmetrics; k++)
			if (!strcmp(c.metrics[k].name, b->metric_name)) {
				const struct metric_cmp *m = &c.metrics[k];

				if (m->verdict == METRIC_REGRESSION)
					b->marks[i] = BAD;
				else if (m->verdict == METRIC_NOT_ENOUGH)
					b->marks[i] = SKIP;
				snprintf(why, whylen, "%s median %g -> %g %s: %s",
					 m->name, m->mbase, m->mcand, m->unit,
					 metric_verdict_name(m->verdict));
			}
	} else if (c.regressions) {
		b->marks[i] = BAD;
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

static const char *mark_name(enum mark m)
{
	return m == GOOD ? "good" : m == BAD ? "bad" : m == SKIP ? "skip" : "untested";
}

static int step(struct bisect *b, size_t i, int *stepno)
{
	char why[512] = "";
	int rc = test_commit(b, i, why, sizeof(why));

	if (rc)
		return rc;
	(*stepno)++;
	if (b->json)
		json_array_append_new(b->steps, json_pack("{s:s,s:o,s:s,s:o}",
			"commit", b->commits[i], "label", json_text(b->labels[i]),
			"mark", mark_name(b->marks[i]), "why", json_text(why)));
	else
		printf("step %d: %-8s %s: %s\n", *stepno, mark_name(b->marks[i]),
		       vis(b->labels[i]), vis(why));
	fflush(stdout);
	return 0;
}

/* The untested commit strictly between lo and hi nearest to the middle. */
static long pick(const struct bisect *b, size_t lo, size_t hi)
{
	size_t mid = lo + (hi - lo) / 2, d;

	for (d = 0; d < hi - lo; d++) {
		if (mid + d < hi && mid + d > lo && b->marks[mid + d] == UNTESTED)
			return (long)(mid + d);
		if (mid >= d && mid - d > lo && mid - d < hi &&
		    b->marks[mid - d] == UNTESTED)
			return (long)(mid - d);
	}
	return -1;
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
static int load_range(struct bisect *b, const char *good, const char *bad)
{
	git_repository *repo = NULL;
	git_revwalk *w = NULL;
	git_commit *c = NULL, *cg = NULL, *cb = NULL;
	git_oid oid;
	char *path = NULL, label[256], hex[GIT_OID_HEXSZ + 1];
	int ret = -1;

	if (tree_resolve(b->ctx->db, b->tree_arg, &path, NULL) ||
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

static int load_series(struct bisect *b, const char *arg, struct stored_series *ss,
		       int *loaded)
{
	struct apply_result ar;
	long sid, apply_id;
	char label[512];
	size_t i;

	if (store_find_series(b->ctx->db, arg, &sid))
		return -1;
	/* the same apply pwb check made (reused when nothing changed) */
	if (apply_to_tree(b->ctx, sid, b->tree_arg, NULL, ss, &ar, &apply_id))
		return -1;
	*loaded = 1;
	if (!ar.ok) {
		apply_result_release(&ar);
		return error("series %ld does not apply; nothing to bisect", sid);
	}
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

int cmd_bisect(int argc, char **argv, struct pwb_ctx *ctx)
{
	static const struct option longopts[] = {
		{ "tree", required_argument, NULL, 't' },
		{ "good", required_argument, NULL, 'g' },
		{ "bad", required_argument, NULL, 'b' },
		{ "suite", required_argument, NULL, 's' },
		{ "case", required_argument, NULL, 'c' },
		{ "metric", required_argument, NULL, 'm' },
		{ "repeat", required_argument, NULL, 'n' },
		{ "on", required_argument, NULL, 'o' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct bisect b;
	struct stored_series ss;
	const char *good = NULL, *bad = NULL, *suite_name = NULL, *on = NULL;
	char *datadir = NULL;
	size_t lo, hi, i;
	long v, next;
	int c, ret = 3, loaded_suite = 0, loaded_series = 0, stepno = 0, rc;

	memset(&b, 0, sizeof(b));
	b.ctx = ctx;
	optind = 0;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 't': b.tree_arg = optarg; break;
		case 'g': good = optarg; break;
		case 'b': bad = optarg; break;
		case 's': suite_name = optarg; break;
		case 'c': b.case_name = optarg; break;
		case 'm': b.metric_name = optarg; break;
		case 'n':
			if (parse_long(optarg, &v) || v < 1 || v > 1000)
				return usage_error(usage, "--repeat takes 1..1000");
			b.repeat = v;
			break;
		case 'o': on = optarg; break;
		case 'j': b.json = 1; break;
		case 'h': return usage_help(usage);
		default: return usage_error(usage, "bad option");
		}
	}
	if (!b.tree_arg || !suite_name)
		return usage_error(usage, "bisect needs --tree and --suite");
	if ((optind == argc - 1) == (good || bad) || (!good != !bad))
		return usage_error(usage, "bisect takes a SERIES, or --good and --bad");
	if (b.case_name && b.metric_name)
		return usage_error(usage, "--case or --metric, not both");
	if (ctx_backend(ctx, on, &b.slurm))
		return on ? EXIT_USAGE : 3;
	run_install_signal_handlers();
	datadir = pwb_datadir(ctx);
	if (suite_load(datadir, suite_name, &b.s)) {
		ret = EXIT_FAIL;
		goto out;
	}
	loaded_suite = 1;
	if (!b.repeat)
		b.repeat = b.s.repeat;
	b.progress = !b.json && isatty(2);
	if (b.json)
		b.steps = json_array();
	/* the jobs get the tree's path; the cluster must answer before work */
	if (b.slurm && (tree_resolve(ctx->db, b.tree_arg, &b.tree_path,
				     &b.tree_name) || slurm_check(ctx)))
		goto out;
	if (good ? load_range(&b, good, bad) : load_series(&b, argv[optind], &ss,
							      &loaded_series)) {
		ret = EXIT_FAIL;
		goto out;
	}
	b.marks = xcalloc(b.n, sizeof(*b.marks));
	if (!b.json)
		printf("bisecting %zu commit%s with %s%s%s\n", b.n - 1,
		       b.n == 2 ? "" : "s", b.s.name,
		       b.case_name ? ", case " : b.metric_name ? ", metric " : "",
		       b.case_name ? b.case_name : b.metric_name ? b.metric_name : "");
	/* both ends first: the good end is the reference, the bad end must be bad */
	if ((rc = step(&b, 0, &stepno)) || (rc = step(&b, b.n - 1, &stepno))) {
		ret = rc;
		goto out;
	}
	if (b.marks[0] != GOOD) {
		error("the good end %s cannot be tested", b.labels[0]);
		goto out;
	}
	if (b.marks[b.n - 1] != BAD) {
		error("the bad end %s is not bad against the good end", b.labels[b.n - 1]);
		ret = EXIT_FAIL;
		goto out;
	}
	lo = 0;
	hi = b.n - 1;
	while (hi - lo > 1 && (next = pick(&b, lo, hi)) >= 0) {
		if ((rc = step(&b, (size_t)next, &stepno))) {
			ret = rc;
			goto out;
		}
		if (b.marks[next] == BAD)
			hi = (size_t)next;
		else if (b.marks[next] == GOOD)
			lo = (size_t)next;
	}
	{
		/* what is left between the last good and the first bad: skipped */
		int skipped = (int)(hi - lo - 1);
		double bound = ceil(log2((double)(b.n - 1)));

		if (b.json) {
			json_t *o = json_object();

			json_object_set_new(o, "suite", json_text(b.s.name));
			json_object_set_new(o, "steps", b.steps);
			b.steps = NULL;
			json_object_set_new(o, "culprit", skipped ? json_null() :
					    json_pack("{s:s,s:o}", "commit", b.commits[hi],
						      "label", json_text(b.labels[hi])));
			json_object_set_new(o, "candidates", json_integer(skipped + 1));
			json_object_set_new(o, "cycles", json_integer(b.cycles));
			json_object_set_new(o, "log2_bound", json_integer((json_int_t)bound));
			json_print(o);
			json_decref(o);
		} else if (!skipped) {
			printf("first bad: %s\n  commit %s\n", vis(b.labels[hi]), b.commits[hi]);
			if (loaded_series && hi >= 1) {
				const struct stored_patch *p = &ss.patches[hi - 1];
				struct buf link = BUF_INIT;

				lore_msg_url(&link, ss.lore_base ? ss.lore_base :
					     LORE_DEFAULT_BASE, p->msgid);
				printf("  author %s <%s>\n  link   %s\n", vis(p->author_name),
				       vis(p->author_email), vis(link.buf));
				buf_release(&link);
			}
		} else {
			printf("the first bad commit is one of:\n");
			for (i = lo + 1; i <= hi; i++)
				printf("  %s (%s)\n", vis(b.labels[i]), mark_name(b.marks[i]));
		}
		if (!b.json)
			printf("%d build/boot cycle%s for %zu commit%s (%d steps; "
			       "ceil(log2 %zu) = %.0f)\n", b.cycles,
			       b.cycles == 1 ? "" : "s", b.n - 1, b.n == 2 ? "" : "s",
			       stepno, b.n - 1, bound);
		ret = skipped ? EXIT_FAIL : EXIT_OK;
	}
out:
	if (b.steps)
		json_decref(b.steps);
	for (i = 0; i < b.n; i++) {
		free(b.commits[i]);
		free(b.labels[i]);
	}
	free(b.commits);
	free(b.labels);
	free(b.marks);
	free(b.good_config);
	free(b.tree_path);
	free(b.tree_name);
	if (loaded_suite)
		suite_release(&b.s);
	if (loaded_series)
		stored_series_release(&ss);
	free(datadir);
	return ret;
}
