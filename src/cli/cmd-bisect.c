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
 * The search is bisect.c's; this parses, prints each step and the
 * culprit, and owns the exit status: 0 culprit found, 1 no culprit (the
 * bad end is not bad, or only skipped commits are left), 3 could not
 * bisect (infrastructure, a bad argument, the good end cannot be tested),
 * 130 interrupted.
 */
#include "bisect.h"
#include "cmds.h"
#include "progress.h"
#include "arch.h"
#include "lore.h"
#include "output.h"
#include "tree.h"
#include "util/buf.h"
#include "util/run.h"
#include "util/util.h"
#include "util/vis.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const usage[] = {
	"pwb bisect SERIES --tree T --suite S [--case NAME | --metric NAME] [--base REV] [--repeat N] [--on local|slurm|recorded] [--json]",
	"pwb bisect --tree T --good REV --bad REV --suite S [...]",
	NULL,
};
static const char usage_text[] =
	"Finds the first patch of SERIES (or the first commit on the first-parent\n"
	"path from REV good to REV bad) that makes the case fail, moves the\n"
	"metric beyond its threshold, or (neither given) regresses anything.\n"
	"SERIES is applied on --base, else on the base the newest pwb check of\n"
	"it on T used, else on its base-commit (as pwb apply).\n"
	"--on slurm (config run.backend): each commit's build and boots are\n"
	"Slurm jobs.  Exit 0 culprit found, 1 none, 3 could not bisect.\n";

struct printer {
	const struct bisect *b;
	json_t *steps;		/* --json: the steps, else printed as they come */
};

static void print_step(void *ud, int stepno, size_t i, enum bisect_mark mark,
		       const char *why)
{
	struct printer *p = ud;
	const struct bisect *b = p->b;

	if (p->steps)
		json_array_append_new(p->steps, json_pack("{s:s,s:o,s:s,s:o}",
			"commit", b->commits[i], "label", json_text(b->labels[i]),
			"mark", bisect_mark_name(mark), "why", json_text(why)));
	else
		printf("step %d: %-8s %s: %s\n", stepno, bisect_mark_name(mark),
		       vis(b->labels[i]), vis(why));
	fflush(stdout);
}

static void print_result(const struct bisect *b, enum bisect_result res,
			 const struct stored_series *ss, json_t *steps)
{
	size_t i, hi = b->hi;
	int skipped = res == BISECT_ONLY_SKIPPED ? (int)(hi - b->lo - 1) : 0;
	double bound = ceil(log2((double)(b->n - 1)));

	if (steps) {
		json_t *o = json_object();

		json_object_set_new(o, "suite", json_text(b->o.s->name));
		json_object_set_new(o, "base_why", json_text(b->base_why));
		json_object_set_new(o, "steps", json_incref(steps));
		json_object_set_new(o, "culprit", skipped ? json_null() :
				    json_pack("{s:s,s:o}", "commit", b->commits[hi],
					      "label", json_text(b->labels[hi])));
		json_object_set_new(o, "candidates", json_integer(skipped + 1));
		json_object_set_new(o, "cycles", json_integer(b->cycles));
		json_object_set_new(o, "log2_bound", json_integer((json_int_t)bound));
		json_print(o);
		json_decref(o);
		return;
	}
	if (!skipped) {
		printf("first bad: %s\n  commit %s\n", vis(b->labels[hi]), b->commits[hi]);
		if (ss && hi >= 1) {
			const struct stored_patch *p = &ss->patches[hi - 1];
			struct buf link = BUF_INIT;

			lore_msg_url(&link, ss->lore_base ? ss->lore_base :
				     LORE_DEFAULT_BASE, p->msgid);
			printf("  author %s <%s>\n  link   %s\n", vis(p->author_name),
			       vis(p->author_email), vis(link.buf));
			buf_release(&link);
		}
	} else {
		printf("the first bad commit is one of:\n");
		for (i = b->lo + 1; i <= hi; i++)
			printf("  %s (%s)\n", vis(b->labels[i]),
			       bisect_mark_name(b->marks[i]));
	}
	printf("%d build/boot cycle%s for %zu commit%s (%d steps; "
	       "ceil(log2 %zu) = %.0f)\n", b->cycles, b->cycles == 1 ? "" : "s",
	       b->n - 1, b->n == 2 ? "" : "s", b->steps, b->n - 1, bound);
}

/* What bisect and bisect-step share: the suite that judges and how. */
struct judge_args {
	struct bisect_opts *bo;
	const char *suite, *arch, *toolchain, *on;
	struct suite s;
	int loaded;
};

#define OPT_JUDGE(j) \
	OPT_STRING(0, "suite", &(j)->suite, "S", "the suite that judges"), \
	OPT_STRING(0, "case", &(j)->bo->case_name, "NAME", "bad: this case fails"), \
	OPT_STRING(0, "metric", &(j)->bo->metric_name, "NAME", \
		   "bad: this metric regresses"), \
	OPT_REPEAT(&(j)->bo->repeat), \
	OPT_STRING(0, "config", &(j)->bo->config, "C", \
		   "bench/configs/C.config (default: the suite's)"), \
	OPT_ARCH(&(j)->arch), \
	OPT_TOOLCHAIN(&(j)->toolchain), \
	OPT_ON(&(j)->on)

/* Backend, target and suite into j->bo: 0, EXIT_USAGE (--on), or -1
 * (said).  The caller releases with judge_release. */
static int judge_setup(struct pwb_ctx *ctx, struct judge_args *j)
{
	const struct arch *ta;
	const struct toolchain *tt;
	char *datadir;
	int rc;

	if (exec_backend_get(ctx, j->on, &j->bo->backend))
		return j->on ? EXIT_USAGE : -1;
	if (target_resolve(ctx, j->arch, j->toolchain, &ta, &tt))
		return -1;
	j->bo->arch = ta->name;
	j->bo->toolchain = tt->name;
	run_install_signal_handlers();
	datadir = pwb_datadir(ctx);
	rc = suite_load(datadir, j->suite, &j->s);
	free(datadir);
	if (rc)
		return -1;
	j->loaded = 1;
	j->bo->s = &j->s;
	if (!j->bo->repeat)
		j->bo->repeat = j->s.repeat;
	return 0;
}

static void judge_release(struct judge_args *j)
{
	if (j->loaded)
		suite_release(&j->s);
}

int cmd_bisect(int argc, char **argv, struct pwb_ctx *ctx)
{
	struct bisect_opts bo;
	struct progress_cluster pc;
	struct judge_args j;
	struct bisect b;
	struct stored_series ss;
	struct printer pr = { NULL, NULL };
	const char *good = NULL, *bad = NULL;
	int n, ret = 3, loaded_series = 0, json = 0;
	enum bisect_result res;

	memset(&bo, 0, sizeof(bo));
	memset(&b, 0, sizeof(b));
	memset(&j, 0, sizeof(j));
	j.bo = &bo;
	const struct opt opts[] = {
		OPT_TREE(&bo.tree_arg),
		OPT_STRING(0, "good", &good, "REV", "a range: the good end"),
		OPT_STRING(0, "bad", &bad, "REV", "a range: the bad end"),
		OPT_BASE(&bo.base_rev),
		OPT_JUDGE(&j),
		OPT_JSON(&json),
		OPT_END(),
	};

	n = parse_options(argc, argv, usage, usage_text, opts);
	if (n < 0)
		return parse_options_exit(n);
	if (!bo.tree_arg || !j.suite)
		return usage_with_options_error(usage, usage_text, opts, "bisect needs --tree and --suite");
	if ((n == 1) == (good || bad) || (!good != !bad) || n > 1)
		return usage_with_options_error(usage, usage_text, opts, "bisect takes a SERIES, or --good and --bad");
	if (bo.base_rev && good)
		return usage_with_options_error(usage, usage_text, opts, "--base goes with a SERIES, not --good/--bad");
	if (bo.case_name && bo.metric_name)
		return usage_with_options_error(usage, usage_text, opts, "--case or --metric, not both");
	n = judge_setup(ctx, &j);
	if (n) {
		ret = n > 0 ? n : 3;
		goto out;
	}
	progress_cluster_init(&pc);
	bo.cluster_progress = progress_cluster_fn(!json && isatty(2));
	bo.cluster_progress_ud = &pc;
	bo.build_progress = progress_build(json);
	bisect_init(&b, ctx, &bo);
	if (good ? bisect_load_range(&b, good, bad) :
		   bisect_load_series(&b, argv[1], &ss, &loaded_series)) {
		ret = 3;	/* could not bisect: not a finding */
		goto out;
	}
	pr.b = &b;
	if (json)
		pr.steps = json_array();
	else {
		printf("bisecting %zu commit%s with %s%s%s\n", b.n - 1,
		       b.n == 2 ? "" : "s", j.s.name,
		       bo.case_name ? ", case " : bo.metric_name ? ", metric " : "",
		       bo.case_name ? bo.case_name : bo.metric_name ? bo.metric_name : "");
		if (b.base_why)
			printf("base %s: %s\n", b.commits[0], vis(b.base_why));
	}
	res = bisect_run(&b, print_step, &pr);
	switch (res) {
	case BISECT_FOUND:
	case BISECT_ONLY_SKIPPED:
		print_result(&b, res, loaded_series ? &ss : NULL, pr.steps);
		ret = res == BISECT_FOUND ? EXIT_OK : EXIT_FAIL;
		break;
	case BISECT_NOT_BAD:
		error("the bad end %s is not bad against the good end",
		      b.labels[b.n - 1]);
		ret = EXIT_FAIL;
		break;
	case BISECT_GOOD_UNTESTABLE:
		error("the good end %s cannot be tested", b.labels[0]);
		ret = 3;
		break;
	case BISECT_EINFRA:
		ret = 3;
		break;
	case BISECT_INTERRUPTED:
		ret = 130;
		break;
	}
out:
	json_decref(pr.steps);
	bisect_release(&b);
	judge_release(&j);
	if (loaded_series)
		stored_series_release(&ss);
	return ret;
}

static const char *const step_usage[] = {
	"pwb bisect-step --suite S [--tree T] [--case NAME | --metric NAME] [--good REV] [--repeat N] [--on local|slurm|recorded]",
	NULL,
};
static const char step_text[] =
	"One step of a bisection git drives: builds and tests the commit\n"
	"checked out (HEAD) in the current directory's repository, with the\n"
	"suite S, and exits as git bisect run expects: 0 good, 1 bad, 125\n"
	"cannot test (it does not build, the suite cannot run, its runs\n"
	"disagree), 128 stop the bisection (pwb could not work: a bad\n"
	"argument, the database, QEMU).  With --good REV it is judged against\n"
	"REV as pwb bisect judges (--case: the case is a new failure;\n"
	"--metric: the metric regresses; neither: anything regresses);\n"
	"without, on its own (its case, or any case, fails in every run, or\n"
	"the kernel fails).  --tree: the registered tree or path the commit is\n"
	"built from (default: the current directory's repository).  Runs are\n"
	"recorded: a commit tested before is not built or booted again.\n"
	"  git bisect start BAD GOOD\n"
	"  git bisect run pwb bisect-step --suite mmn-pairing --good GOOD\n";

/* git bisect run: 125 skips, 128 and above abort */
#define STEP_GOOD 0
#define STEP_BAD 1
#define STEP_SKIP 125
#define STEP_ABORT 128

int cmd_bisect_step(int argc, char **argv, struct pwb_ctx *ctx)
{
	struct bisect_opts bo;
	struct progress_cluster pc;
	struct judge_args j;
	const char *good = NULL;
	struct bisect b;
	enum bisect_mark mark = BISECT_SKIP;
	char hex[GIT_OID_HEXSZ + 1], why[512] = "", *top = NULL, *named = NULL;
	int n, ret = STEP_ABORT, rc;

	memset(&bo, 0, sizeof(bo));
	memset(&b, 0, sizeof(b));
	memset(&j, 0, sizeof(j));
	j.bo = &bo;
	const struct opt opts[] = {
		OPT_STRING(0, "tree", &bo.tree_arg, "T",
			   "the tree to build from (default: this repository)"),
		OPT_STRING(0, "good", &good, "REV", "judge against REV (a good commit)"),
		OPT_JUDGE(&j),
		OPT_END(),
	};

	n = parse_options(argc, argv, step_usage, step_text, opts);
	if (n < 0)
		return parse_options_exit(n);
	if (n > 0 || !j.suite)
		return usage_with_options_error(step_usage, step_text, opts,
			n ? "bisect-step takes no arguments (HEAD is the commit)" :
			"bisect-step needs --suite");
	if (bo.case_name && bo.metric_name)
		return usage_with_options_error(step_usage, step_text, opts,
						"--case or --metric, not both");
	if (bo.metric_name && !good)
		return usage_with_options_error(step_usage, step_text, opts,
						"--metric needs --good");
	/* git bisect run: any error stops the bisection (>= 128) */
	if (judge_setup(ctx, &j) || tree_head_of(".", hex, &top))
		goto out;
	if (!bo.tree_arg) {
		/* this repository: by its registered name when it has one (its
		 * checkouts and build directories are that tree's) */
		char *real = realpath(top, NULL);

		if (real) {
			free(top);
			top = real;
			if (tree_name_of(ctx->db, real, &named))
				goto out;
		}
		bo.tree_arg = named ? named : top;
	}
	progress_cluster_init(&pc);
	bo.cluster_progress = progress_cluster_fn(isatty(2));
	bo.cluster_progress_ud = &pc;
	bo.build_progress = progress_build(0);
	bisect_init(&b, ctx, &bo);
	rc = bisect_one(&b, good, hex, &mark, why, sizeof(why));
	if (rc == BISECT_GOOD_UNTESTABLE) {
		error("the good end %s cannot be tested: %s", good, why);
	} else if (rc == BISECT_INTERRUPTED) {
		ret = 130;	/* also aborts git bisect run */
	} else if (!rc) {
		printf("%.12s %s: %s\n", hex, bisect_mark_name(mark), vis(why));
		ret = mark == BISECT_GOOD ? STEP_GOOD : mark == BISECT_BAD ?
		      STEP_BAD : STEP_SKIP;
	}
out:
	bisect_release(&b);
	judge_release(&j);
	free(top);
	free(named);
	return ret;
}
