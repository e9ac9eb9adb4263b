/*
 * pwb run (--tree T --rev REV | --kernel IMAGE) --suite NAME [--repeat N]
 *         [--on local|slurm|recorded] [--json]
 * Build (cached), build the suite against it, boot R times (a new boot per
 * repeat), parse the results (KTAP cases or metric samples) and record
 * them.  Exit 0 every case passed / the benchmark ran, 1 a case failed,
 * the kernel failed or the guest timed out, 2 the kernel did not build,
 * 3 infrastructure error (including a suite that does not build), 130
 * interrupted.
 */
#include "cmds.h"
#include "progress.h"
#include "arch.h"
#include "ctx.h"
#include "db.h"
#include "exec/exec.h"
#include "kbuild.h"
#include "output.h"
#include "suiterun.h"
#include "tree.h"
#include "util/run.h"
#include "util/util.h"
#include "util/vis.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const usage[] = {
	"pwb run (--tree T --rev REV | --kernel IMAGE) --suite NAME [--repeat N] [--on local|slurm|recorded] [--json]",
	NULL,
};
static const char usage_text[] =
	"Runs suite bench/suites/NAME on REV of tree T: the kernel is built\n"
	"(or reused), the suite's module and programs are built against it,\n"
	"and each repetition is a new boot.  --kernel boots a prebuilt kernel\n"
	"instead (suites without a module).  --on slurm (config run.backend)\n"
	"runs the build and the boots as Slurm jobs and imports their results.\n"
	"Exit 0 all cases passed (or the benchmark ran), 1 a case failed, the\n"
	"kernel failed or timed out, 2 no kernel, 3 infrastructure.\n";

/* Output is made from the database, whichever backend ran the boots. */
struct printer {
	sqlite3 *db;
	const struct suite *s;
	int json;
	json_t *runs;
	const char *label;	/* commit or kernel */
	int kernel;		/* label is a kernel image */
	long n;
	int unreadable;		/* a run recorded could not be read back */
};

/* The build as pwb build --json shows it, or null. */
static json_t *json_build_row(sqlite3 *db, long id)
{
	struct kbuild_result br;
	json_t *o;

	if (id <= 0 || kbuild_load(db, id, &br))
		return json_null();
	o = json_build(&br);
	kbuild_result_release(&br);
	return o;
}

static void text_run(const struct printer *p, long idx,
		     const struct suite_run_view *v)
{
	size_t i;

	printf("%s run %ld/%ld on %.*s: %s", p->s->name, idx + 1, p->n,
	       p->kernel ? 4096 : 12, vis(p->label),
	       suite_run_status_name(v->status));
	if (v->boot_id > 0)
		printf(" (boot %ld, %.1f s)", v->boot_id, v->seconds);
	putchar('\n');
	for (i = 0; i < v->ncases; i++) {
		const struct run_case *c = &v->cases[i];

		/* a skip says why, a todo what it waits for (the directive) */
		printf("  %-8s %s", ktap_status_name(c->status), vis(c->name));
		if (c->directive)
			printf(" %s", vis(c->directive));
		putchar('\n');
	}
	for (i = 0; i < v->metrics.nr; i++)
		printf("  %-24s %10.1f %s\n", vis(v->metrics.s[i].name),
		       v->metrics.s[i].value, vis(v->metrics.s[i].unit));
	if (v->error)
		printf("  error: %s\n", vis(v->error));
	for (i = 0; i < v->nfindings; i++)
		if (triage_is_failure(v->findings[i].kind))
			printf("  %-8s %s\n", vis(v->findings[i].kind),
			       vis(v->findings[i].title));
}

/* 0, -1 (said: the run cannot be read back) */
static int show_run(struct printer *p, long idx, long run)
{
	struct suite_run_view v;

	if (suite_run_load(p->db, run, &v))
		return -1;
	if (p->json)
		json_array_append_new(p->runs, json_suite_run(&v));
	else
		text_run(p, idx, &v);
	suite_run_view_release(&v);
	return 0;
}

static void on_boot(void *ud, const struct exec_request *q, long nth, long of,
		    long run_id, const struct suite_outcome *o)
{
	struct printer *p = ud;

	(void)q;
	if (run_id < 0)
		return;
	p->n = of;
	if (show_run(p, nth - 1, run_id))
		p->unreadable = 1;
	if (!p->json && o && o->metrics.bad)
		printf("  %zu malformed pwb-metric line(s) ignored\n", o->metrics.bad);
}

/* pwb run's exit for how the request ended (docs/cli.md) */
static int run_exit(const struct exec_request *q)
{
	switch (q->status) {
	case EXEC_DONE:
		return q->any_fail ? 1 : 0;
	case EXEC_NO_KERNEL:
		return 2;
	case EXEC_INTERRUPTED:
		return 130;
	case EXEC_INFRA:
		return 3;
	case EXEC_PENDING:
	case EXEC_ERROR:
	case EXEC_SKIPPED:
		break;
	}
	return run_interrupted() ? 130 : 3;
}

int cmd_run(int argc, char **argv, struct pwb_ctx *ctx)
{
	struct executor e;
	struct progress_cluster pc;
	struct exec_request q;
	struct printer pr;
	struct suite s;
	const char *suite_name = NULL, *tree_arg = NULL, *rev = NULL;
	const char *kernel = NULL;
	const char *on = NULL, *arch = NULL, *toolchain = NULL;
	const struct arch *ta;
	const struct toolchain *tt;
	char *datadir = NULL, *tree_path = NULL, *tree_name = NULL;
	char *kernel_path = NULL;
	char commit[GIT_OID_HEXSZ + 1] = "";
	enum exec_backend backend;
	int n, json = 0, ret = 3, loaded = 0;
	long repeat = 0;

	exec_request_init(&q);
	memset(&pr, 0, sizeof(pr));
	const struct opt opts[] = {
		OPT_TREE(&tree_arg),
		OPT_STRING(0, "rev", &rev, "REV", "with --tree: the revision"),
		OPT_STRING(0, "kernel", &kernel, "IMAGE", "a prebuilt kernel instead"),
		OPT_STRING(0, "suite", &suite_name, "NAME", "the suite (bench/suites/NAME)"),
		OPT_REPEAT(&repeat),
		OPT_ARCH(&arch),
		OPT_TOOLCHAIN(&toolchain),
		OPT_ON(&on),
		OPT_JSON(&json),
		OPT_END(),
	};

	n = parse_options(argc, argv, usage, usage_text, opts);
	if (n < 0)
		return parse_options_exit(n);
	if (exec_backend_get(ctx, on, &backend))
		return on ? EXIT_USAGE : 3;
	if (target_resolve(ctx, arch, toolchain, &ta, &tt))
		return 3;
	if (n || !suite_name || (kernel ? tree_arg || rev :
					      !tree_arg || !rev)) {
		ret = usage_with_options_error(usage, usage_text, opts, "run needs --suite and either --tree "
				  "and --rev, or --kernel");
		goto out;
	}
	run_install_signal_handlers();
	/* the suite is checked before anything is built */
	datadir = pwb_datadir(ctx);
	if (suite_load(datadir, suite_name, &s))
		goto out;
	loaded = 1;
	if (!repeat)
		repeat = s.repeat;
	if (kernel) {
		kernel_path = realpath(kernel, NULL);
		if (!kernel_path) {
			error("--kernel %s: %s", kernel, strerror(errno));
			goto out;
		}
		if (s.module) {
			error("suite %s builds a module against its kernel's tree: "
			      "give --tree and --rev, not --kernel", s.name);
			goto out;
		}
	} else if (tree_resolve(ctx->db, tree_arg, &tree_path, &tree_name) ||
		   /* a commit, not a name that may move meanwhile */
		   tree_rev_commit(tree_path, rev, "--rev", commit)) {
		goto out;
	}
	pr.db = ctx->db;
	pr.s = &s;
	pr.json = json;
	pr.runs = json ? json_array() : NULL;
	pr.label = kernel ? kernel : commit;
	pr.kernel = kernel != NULL;
	pr.n = repeat;
	executor_init(&e, ctx, backend);
	progress_cluster_init(&pc);
	e.cluster_progress = progress_cluster_fn(!json && isatty(2));
	e.cluster_progress_ud = &pc;
	e.build_progress = progress_build(json);
	e.keep_going = 1;	/* every repeat asked for, each one shown */
	e.on_boot = on_boot;
	e.ud = &pr;
	if (exec_check(&e))
		goto out;
	q.suite = &s;
	q.tree = tree_path;
	q.tree_name = tree_name;
	q.commit = kernel ? NULL : commit;
	q.kernel = kernel_path;
	q.arch = ta->name;
	q.toolchain = tt->name;
	q.repeat = repeat;
	if (exec_run(&e, &q, 1))
		goto out;
	if (q.no_kernel && q.why)
		error("%s", vis(q.why));
	ret = pr.unreadable ? 3 : run_exit(&q);
	/* could not even try: said, nothing to show */
	if (q.status == EXEC_ERROR)
		goto out;
	if (json) {
		json_t *o = json_object();

		json_object_set_new(o, "suite", json_text(s.name));
		json_object_set_new(o, "suite_hash", json_text(s.hash));
		json_object_set_new(o, "build", json_build_row(ctx->db, q.build_id));
		if (kernel)
			json_object_set_new(o, "kernel", json_text(kernel_path));
		json_object_set_new(o, "runs", pr.runs);
		pr.runs = NULL;
		json_print(o);
		json_decref(o);
	}
out:
	json_decref(pr.runs);
	exec_request_release(&q);
	free(kernel_path);
	free(datadir);
	free(tree_path);
	free(tree_name);
	if (loaded)
		suite_release(&s);
	return ret;
}
