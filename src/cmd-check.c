/*
 * pwb check SOURCE --tree T [--base REV] [--suite S]... [--repeat N]
 *           [--config C] [--json]
 *
 * From "a series on the list" to "merge it or not": intake, apply, build
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

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage[] =
	"usage: pwb check SOURCE --tree T [--base REV] [--suite S]... [--repeat N]\n"
	"                 [--config C] [--on local|slurm] [--json]\n"
	"\n"
	"SOURCE is what pwb fetch takes (message-id, lore URL, mbox file) or\n"
	"the id of a stored series.  Applies the series to tree T, builds the\n"
	"base and every patch, runs the suites (default: every suite under\n"
	"bench/suites, or config check.suites) on the base and on the last\n"
	"patch, compares and prints the report.  Exit 0 no regression,\n"
	"1 regression, 2 does not apply or build, 3 could not check\n"
	"(infrastructure, not comparable, or a bad SOURCE, suite or tree).\n"
	"--on slurm (config run.backend): the suites' builds and boots run as\n"
	"Slurm jobs; applying and the build of every patch stay here.\n";

int cmd_check(int argc, char **argv, struct pwb_ctx *ctx)
{
	static const struct option longopts[] = {
		{ "tree", required_argument, NULL, 't' },
		{ "base", required_argument, NULL, 'b' },
		{ "suite", required_argument, NULL, 's' },
		{ "repeat", required_argument, NULL, 'n' },
		{ "config", required_argument, NULL, 'c' },
		{ "on", required_argument, NULL, 'o' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct check_opts o;
	struct check_cell cell;
	struct suite *suites = NULL;
	const char *on = NULL;
	char **names = NULL;
	size_t nnames = 0, nsuites = 0;
	long v;
	int c, json = 0, ret = CHECK_INFRA;

	memset(&o, 0, sizeof(o));
	memset(&cell, 0, sizeof(cell));
	optind = 0;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 't': o.tree_arg = optarg; break;
		case 'b': o.base_rev = optarg; break;
		case 's':
			names = xrealloc(names, (nnames + 1) * sizeof(char *));
			names[nnames++] = optarg;
			break;
		case 'n':
			if (parse_long(optarg, &v) || v < 1 || v > 1000) {
				ret = usage_error(usage, "--repeat takes 1..1000");
				goto out;
			}
			o.repeat = v;
			break;
		case 'c': cell.config = optarg; break;
		case 'o': on = optarg; break;
		case 'j': json = 1; break;
		case 'h': ret = usage_help(usage); goto out;
		default: ret = usage_error(usage, "bad option"); goto out;
		}
	}
	if (optind != argc - 1 || !o.tree_arg) {
		ret = usage_error(usage, "check takes one SOURCE and --tree");
		goto out;
	}
	cell.source = argv[optind];
	if (ctx_backend(ctx, on, &o.slurm)) {
		ret = on ? EXIT_USAGE : CHECK_INFRA;
		goto out;
	}
	run_install_signal_handlers();
	/* everything that can be wrong with the arguments, before any work */
	if (check_load_suites(ctx, names, nnames, &cell.config, &suites, &nsuites))
		goto out;
	o.suites = suites;
	o.nsuites = nsuites;
	/* PWB_PROGRESS=1: stage lines also when stderr is not a terminal */
	o.progress = (!json && isatty(2)) || (getenv("PWB_PROGRESS") &&
					      !strcmp(getenv("PWB_PROGRESS"), "1"));
	if (check_run(ctx, &o, &cell, 1) || cell.id < 0)
		goto out;
	ret = cell.exit;
	if (ret != CHECK_INTERRUPTED || json) {
		struct check_report rep;

		if (!report_load(ctx, cell.id, &rep)) {
			if (json) {
				json_t *j = report_json(&rep);

				json_print(j);
				json_decref(j);
			} else {
				report_text(stdout, &rep, isatty(1));
			}
			check_report_release(&rep);
		}
	} else {
		notice("check %ld interrupted; run the same command again to resume",
		       cell.id);
	}
out:
	check_suites_release(suites, nsuites);
	free(names);
	return ret;
}
