/*
 * pwb matrix SOURCE... --tree T [--config C]... [--suite S]... [--repeat N]
 *            [--base REV] [--on local|slurm] [--json]
 *
 * The cross product of series and configs, each cell a pwb check (check.h)
 * with the same suites and repeats.  With Slurm the cells' suite builds
 * and boots go out as one submission; verdicts are computed here as for
 * a local run.  Exit 1 when a cell regresses, else 2 when a series does
 * not apply or build, else 3 when a cell could not be checked, else 0;
 * 130 interrupted.
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
	"usage: pwb matrix SOURCE... --tree T [--config C]... [--suite S]...\n"
	"                  [--repeat N] [--base REV] [--on local|slurm] [--json]\n"
	"\n"
	"Checks every SOURCE (as pwb check takes it) with every config C\n"
	"(default: the suites' own) on tree T: apply, build, the suites on\n"
	"base and tip, compare.  --on slurm (config run.backend): the suites'\n"
	"builds and boots of all cells as one Slurm submission.  Exit 1 a cell\n"
	"regresses, else 2 a series does not apply or build, else 3 a cell\n"
	"could not be checked, else 0.\n";

#define MAX_CELLS 256

/* The worst outcome decides, in the order a maintainer acts on them. */
static int matrix_exit(const struct check_cell *cells, size_t n)
{
	static const int order[] = { CHECK_INTERRUPTED, CHECK_REGRESSION,
				     CHECK_NOT_APPLIED, CHECK_INFRA };
	size_t i, k;

	for (k = 0; k < ARRAY_SIZE(order); k++)
		for (i = 0; i < n; i++)
			if (cells[i].exit == order[k])
				return order[k];
	return CHECK_NO_REGRESSION;
}

static json_t *cell_json(struct pwb_ctx *ctx, const struct check_cell *c)
{
	json_t *o = json_object();
	struct check_report rep;

	json_object_set_new(o, "source", json_string(c->source));
	json_object_set_new(o, "config", json_string(c->config));
	json_object_set_new(o, "check", c->id > 0 ? json_integer(c->id) : json_null());
	json_object_set_new(o, "series", c->series_id > 0 ?
			    json_integer(c->series_id) : json_null());
	json_object_set_new(o, "verdict", c->verdict ? json_string(c->verdict) :
			    json_null());
	json_object_set_new(o, "exit", json_integer(c->exit));
	if (c->id > 0 && !report_load(ctx, c->id, &rep)) {
		json_object_set_new(o, "report", report_json(&rep));
		check_report_release(&rep);
	}
	return o;
}

static void cell_text(struct pwb_ctx *ctx, const struct check_cell *c)
{
	struct check_report rep;
	const char *subject = c->source;
	int loaded = c->id > 0 && !report_load(ctx, c->id, &rep);
	char id[24] = "-", sid[24] = "-";

	if (c->id > 0)
		snprintf(id, sizeof(id), "%ld", c->id);
	if (c->series_id > 0)
		snprintf(sid, sizeof(sid), "%ld", c->series_id);
	if (loaded && rep.have_series && rep.series.subject)
		subject = rep.series.subject;
	printf("%6s %6s  %-16s %-15s %.80s\n", id, sid, c->config, c->verdict ? c->verdict : "interrupted", subject);
	if (loaded)
		check_report_release(&rep);
}

int cmd_matrix(int argc, char **argv, struct pwb_ctx *ctx)
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
	struct check_cell *cells = NULL;
	struct suite *suites = NULL;
	const char *on = NULL, *suites_config = NULL;
	const char **configs = NULL;
	char **names = NULL;
	size_t nnames = 0, nsuites = 0, nconfigs = 0, nsources, ncells = 0, i, k;
	long v;
	int c, json = 0, ret = CHECK_INFRA;

	memset(&o, 0, sizeof(o));
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
		case 'c':
			for (i = 0; i < nconfigs && strcmp(configs[i], optarg); i++)
				;
			if (i == nconfigs) {
				configs = xrealloc(configs, (nconfigs + 1) * sizeof(char *));
				configs[nconfigs++] = optarg;
			}
			break;
		case 'o': on = optarg; break;
		case 'j': json = 1; break;
		case 'h': ret = usage_help(usage); goto out;
		default: ret = usage_error(usage, "bad option"); goto out;
		}
	}
	nsources = optind < argc ? (size_t)(argc - optind) : 0;
	if (!nsources || !o.tree_arg) {
		ret = usage_error(usage, "matrix takes one SOURCE or more and --tree");
		goto out;
	}
	if (nsources * (nconfigs ? nconfigs : 1) > MAX_CELLS) {
		ret = usage_error(usage, "%zu series x %zu configs: at most %d cells",
				  nsources, nconfigs ? nconfigs : 1, MAX_CELLS);
		goto out;
	}
	if (ctx_backend(ctx, on, &o.slurm)) {
		ret = on ? EXIT_USAGE : CHECK_INFRA;
		goto out;
	}
	run_install_signal_handlers();
	/* every suite and config named must be there before any work */
	if (nconfigs)
		suites_config = configs[0];
	if (check_load_suites(ctx, names, nnames, &suites_config, &suites, &nsuites))
		goto out;
	if (!nconfigs) {
		configs = xrealloc(configs, sizeof(char *));
		configs[nconfigs++] = suites_config;
	}
	o.suites = suites;
	o.nsuites = nsuites;
	o.progress = (!json && isatty(2)) || (getenv("PWB_PROGRESS") &&
					      !strcmp(getenv("PWB_PROGRESS"), "1"));
	cells = xcalloc(nsources * nconfigs, sizeof(*cells));
	for (i = 0; i < nsources; i++)
		for (k = 0; k < nconfigs; k++) {
			cells[ncells].source = argv[optind + (int)i];
			cells[ncells].config = configs[k];
			ncells++;
		}
	if (check_run(ctx, &o, cells, ncells))
		goto out;
	ret = matrix_exit(cells, ncells);
	if (json) {
		json_t *j = json_object(), *a = json_array();

		json_object_set_new(j, "tree", json_string(o.tree_arg));
		json_object_set_new(j, "backend", json_string(o.slurm ? "slurm" : "local"));
		json_object_set_new(j, "exit", json_integer(ret));
		for (i = 0; i < ncells; i++)
			json_array_append_new(a, cell_json(ctx, &cells[i]));
		json_object_set_new(j, "cells", a);
		json_print(j);
		json_decref(j);
	} else {
		printf("%zu series x %zu config%s x %zu suite%s, on %s\n", nsources,
		       nconfigs, nconfigs == 1 ? "" : "s", nsuites,
		       nsuites == 1 ? "" : "s", o.slurm ? "slurm" : "this machine");
		printf("%6s %6s  %-16s %-15s %s\n", "check", "series", "config",
		       "verdict", "subject");
		for (i = 0; i < ncells; i++)
			cell_text(ctx, &cells[i]);
		if (ret == CHECK_INTERRUPTED)
			notice("interrupted; run the same command again to resume");
		else
			printf("details: pwb report CHECK\n");
	}
out:
	check_suites_release(suites, nsuites);
	free(cells);
	free(configs);
	free(names);
	return ret;
}
