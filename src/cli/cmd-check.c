/*
 * pwb check SOURCE --tree T [--base REV] [--suite S]... [--repeat N]
 *           [--config C] [--arch A] [--toolchain gcc|clang] [--json]
 *
 * From "a series on the list" to "merge it or not": intake, apply, the
 * checks of each patch and its broad build, build
 * the base and every patch (bisectability), run the suites on the base and
 * the tip (interleaved; runs already recorded for the same tree, config
 * and suite revision count and are not run again, so a rerun resumes),
 * compare, and print the report.  Exit 0 no regression, 1 regression,
 * 2 the series does not apply or a patch does not build, 3 could not check
 * (infrastructure, not comparable, bad arguments: never 1, which scripts
 * read as "regression"), 130 interrupted.
 */
#include "check.h"
#include "cmds.h"
#include "output.h"
#include "report.h"
#include "util/run.h"
#include "util/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const usage[] = {
	"pwb check SOURCE --tree T [--base REV] [--suite S]... [--repeat N] "
	"[--retries N] "
	"[--config C] [--arch A] [--toolchain gcc|clang] [--lore URL] "
	"[--on local|slurm|recorded] [--json]",
	NULL,
};
static const char usage_text[] =
	"SOURCE is what pwb fetch takes (message-id, lore URL, mbox file) or\n"
	"the id of a stored series (--lore URL: the archive of a message-id,\n"
	"as pwb fetch --lore).  A message-id the database has is the stored\n"
	"series (pwb fetch it again for newer mail); the rest is fetched.\n"
	"Applies the series to tree T, runs the checks of each patch\n"
	"(checkpatch, Fixes:, sign-offs, kernel-doc; the objects it affects\n"
	"under allmodconfig W=1, config check.broadbuild), builds\n"
	"the base and every patch, runs the suites (default: every suite\n"
	"under bench/suites, or config check.suites) on the base and on the\n"
	"last patch, compares, measures which changed lines the suites ran\n"
	"(gcov, config check.coverage) and prints the report (docs/checks.md).\n"
	"A case that passed on the\n"
	"base and failed on the candidate is booted again (--retries N, config\n"
	"check.retries, default 2): flaky if it passes there.  Exit 0 no\n"
	"regression, 1 regression, 2 does not apply or build, 3 could not\n"
	"check (infrastructure, not comparable, or a bad SOURCE, suite or\n"
	"tree).\n"
	"--on slurm (config run.backend): the suites' builds and boots run as\n"
	"Slurm jobs; applying and the build of every patch stay here.\n";

int cmd_check(int argc, char **argv, struct pwb_ctx *ctx)
{
	struct check_args a;
	struct check_cell cell;
	int ret;

	memset(&cell, 0, sizeof(cell));
	if ((ret = check_args_parse(argc, argv, usage, usage_text, 0, &a)) >= 0)
		goto out;
	if (a.nargs != 1 || !a.o.tree_arg) {
		ret = check_args_error(&a, "check takes one SOURCE and --tree");
		goto out;
	}
	if ((ret = check_args_setup(ctx, &a)) >= 0)
		goto out;
	cell.source = argv[1];
	cell.config = a.configs[0];
	cell.base_rev = a.bases[0];
	cell.arch = a.arches[0];
	cell.toolchain = a.toolchains[0];
	ret = CHECK_INFRA;
	if (check_run(ctx, &a.o, &cell, 1))
		goto out;
	/* no row (intake failed or interrupted): 3 or 130 */
	ret = check_exit(cell.status, cell.verdict);
	if (cell.id < 0)
		goto out;
	if (ret != CHECK_INTERRUPTED || a.json) {
		struct check_report rep;

		if (!check_report_load(ctx, cell.id, &rep)) {
			if (a.json) {
				json_t *j = report_json(&rep, ret);

				json_print(j);
				json_decref(j);
			} else {
				report_text(stdout, &rep, use_colour(1), ret);
			}
			check_report_release(&rep);
		}
	} else {
		notice("check %ld interrupted; run the same command again to resume",
		       cell.id);
	}
out:
	check_args_release(&a);
	return ret;
}
