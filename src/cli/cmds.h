/*
 * The subcommands.  Each takes its own argv (argv[0] is the command name),
 * the context the dispatcher prepared, and returns the exit status.
 */
#ifndef PWB_CMDS_H
#define PWB_CMDS_H

#include "check.h"
#include "ctx.h"
#include "kbuild.h"
#include "parse-options.h"
#include "progress.h"

/* Exit statuses shared by the commands. */
enum {
	EXIT_OK = 0,
	EXIT_FAIL = 1,
	EXIT_USAGE = 129,
};

int cmd_fetch(int argc, char **argv, struct pwb_ctx *ctx);
int cmd_series(int argc, char **argv, struct pwb_ctx *ctx);
int cmd_thread(int argc, char **argv, struct pwb_ctx *ctx);
int cmd_mailinfo(int argc, char **argv, struct pwb_ctx *ctx);
int cmd_mailsplit(int argc, char **argv, struct pwb_ctx *ctx);
int cmd_patch_id(int argc, char **argv, struct pwb_ctx *ctx);
int cmd_tree(int argc, char **argv, struct pwb_ctx *ctx);
int cmd_apply(int argc, char **argv, struct pwb_ctx *ctx);
int cmd_checkout(int argc, char **argv, struct pwb_ctx *ctx);
int cmd_triage(int argc, char **argv, struct pwb_ctx *ctx);
int cmd_ktap(int argc, char **argv, struct pwb_ctx *ctx);
int cmd_build(int argc, char **argv, struct pwb_ctx *ctx);
int cmd_boot(int argc, char **argv, struct pwb_ctx *ctx);
int cmd_run(int argc, char **argv, struct pwb_ctx *ctx);
int cmd_check(int argc, char **argv, struct pwb_ctx *ctx);
int cmd_matrix(int argc, char **argv, struct pwb_ctx *ctx);
int cmd_report(int argc, char **argv, struct pwb_ctx *ctx);
int cmd_bisect(int argc, char **argv, struct pwb_ctx *ctx);
int cmd_history(int argc, char **argv, struct pwb_ctx *ctx);
int cmd_b4check(int argc, char **argv, struct pwb_ctx *ctx);
int cmd_bisect_step(int argc, char **argv, struct pwb_ctx *ctx);
int cmd_job(int argc, char **argv, struct pwb_ctx *ctx);
int cmd_suite(int argc, char **argv, struct pwb_ctx *ctx);
/* pwb help config [--markdown]; argv[0] is "config" */
int help_config(int argc, char **argv);

/* Option groups the commands share, so that each is spelled alike. */
#define OPT_TREE(v) OPT_STRING(0, "tree", (v), "T", \
	"the kernel tree: a registered NAME or a path")
#define OPT_BASE(v) OPT_STRING(0, "base", (v), "REV", \
	"apply on REV, not on the series' base-commit")
#define OPT_SUITES(v) OPT_LIST(0, "suite", (v), "S", "a suite of bench/suites")
#define OPT_REPEAT(v) OPT_LONG(0, "repeat", (v), "N", \
	"runs per side (default: the suite's)", 1, 1000)
#define OPT_RETRIES(v) OPT_LONG(0, "retries", (v), "N", \
	"candidate boots again before a case that passed on the base " \
	"fails (config check.retries)", 0, 100)
#define OPT_ON(v) OPT_STRING(0, "on", (v), "local|slurm|recorded", \
	"where builds and boots run (config run.backend)")
#define OPT_ARCH(v) OPT_STRING(0, "arch", (v), "A", \
	"x86_64 or arm64 (config build.arch)")
#define OPT_TOOLCHAIN(v) OPT_STRING(0, "toolchain", (v), "gcc|clang", \
	"compiler, clang with LLVM=1 (config build.toolchain)")
#define OPT_SLOT(v) OPT_LONG(0, "slot", (v), "N", "checkout slot (0..999)", 0, 999)

/* pwb build's exit status for a build outcome (pwb boot --tree shares it). */
static inline int build_exit(enum build_outcome o)
{
	return o == BUILD_OUT_OK ? 0 : o == BUILD_OUT_INTERRUPTED ? 130 :
	       o == BUILD_OUT_INFRA ? 3 : 2;
}

/* pwb check's exit statuses (and each cell's of pwb matrix) */
#define CHECK_NO_REGRESSION 0
#define CHECK_REGRESSION 1
#define CHECK_NOT_APPLIED 2	/* does not apply, or a patch does not build */
#define CHECK_INFRA 3		/* could not check, nothing to compare; never 1 */
#define CHECK_INTERRUPTED 130

/* The exit status of a check that ended so (-1: still running). */
static inline int check_exit(enum check_status st, enum check_verdict v)
{
	if (st == CHECK_ST_INTERRUPTED)
		return CHECK_INTERRUPTED;
	if (st == CHECK_ST_RUNNING)
		return -1;
	switch (v) {
	case CHECK_VERDICT_NO_REGRESSION: return CHECK_NO_REGRESSION;
	case CHECK_VERDICT_REGRESSION: return CHECK_REGRESSION;
	case CHECK_VERDICT_DOES_NOT_APPLY:
	case CHECK_VERDICT_DOES_NOT_BUILD: return CHECK_NOT_APPLIED;
	case CHECK_VERDICT_NONE:
	case CHECK_VERDICT_NOT_COMPARABLE:
	case CHECK_VERDICT_INFRA_ERROR: break;
	}
	return CHECK_INFRA;
}

/* Print usage to stdout (help) or stderr (misuse) and return the status. */
int usage_help(const char *usage);
int usage_error(const char *usage, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * The options pwb check and pwb matrix take alike: --tree, --base,
 * --suite (repeatable), --repeat, --config (matrix: repeatable, check:
 * the last wins), --on, --json, --help.  check_args_parse() leaves the
 * sources at argv[optind...]; check_args_setup() reads the backend and
 * loads the suites (every argument checked before any work).  Both return
 * -1 to go on, else the exit status (the error said).  The strings are
 * argv's; the arrays and suites are released by check_args_release().
 */
struct check_args {
	struct check_opts o;	/* suites, nsuites, slurm, progress set by
				 * check_args_setup */
	const char **configs;	/* --config given, in order, no repeats;
				 * after setup at least one (the suites') */
	size_t nconfigs;
	/* --base, --arch, --toolchain the same way (check: the last one);
	 * after setup at least one each (a NULL base: the series') */
	const char **bases, **arches, **toolchains;
	size_t nbases, narches, ntoolchains;
	const char *on;
	int json;
	char **names;		/* --suite */
	size_t nnames;
	struct suite *suites;
	size_t nsuites;
	int nargs;		/* the sources: argv[1..nargs] */
	/* the option table, for errors about the operands (check_args_error) */
	const char *const *usage;
	const char *text;
	struct opt opts[14];
	struct opt_list suite_l, config_l, base_l, arch_l, tc_l;
	struct progress_cluster cluster;	/* o.cluster_progress_ud */
};
int check_args_parse(int argc, char **argv, const char *const *usage,
		     const char *text, int many_configs, struct check_args *a);
/* An error about the operands: the message and the generated usage; 129. */
int check_args_error(const struct check_args *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int check_args_setup(struct pwb_ctx *ctx, struct check_args *a);
void check_args_release(struct check_args *a);

#endif
