/*
 * pwb matrix SOURCE... --tree T [--base REV]... [--arch A]...
 *            [--toolchain C]... [--config C]... [--suite S]... [--repeat N]
 *            [--on local|slurm|recorded] [--json]
 *
 * The cross product of series, bases, arches, toolchains and configs, each
 * cell a pwb check (check.h) with the same suites and repeats; a base
 * shared by cells is built once per arch, toolchain and config (the build
 * cache), and its runs are shared.  With Slurm the cells' suite builds
 * and boots go out as one submission; verdicts are computed here as for
 * a local run.  Exit 1 when a cell regresses, else 2 when a series does
 * not apply or build, else 3 when a cell could not be checked, else 0;
 * 130 interrupted.
 */
#include "check.h"
#include "arch.h"
#include "cmds.h"
#include "output.h"
#include "report.h"
#include "util/run.h"
#include "util/util.h"
#include "util/vis.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const usage[] = {
	"pwb matrix SOURCE... --tree T [--base REV]... [--arch A]... "
	"[--toolchain C]... [--config C]... [--suite S]... [--repeat N] "
	"[--retries N] "
	"[--lore URL] [--on local|slurm|recorded] [--json]",
	NULL,
};
static const char usage_text[] =
	"Checks every SOURCE (as pwb check takes it) on every base REV (default:\n"
	"the series'), for every arch A, with every toolchain and every config\n"
	"C (default: the suites' own, for the arch) on tree T: apply, build,\n"
	"the suites on base and tip, compare.  --on slurm (config run.backend): the suites'\n"
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
			if (check_exit(cells[i].status, cells[i].verdict) == order[k])
				return order[k];
	return CHECK_NO_REGRESSION;
}

static json_t *cell_json(struct pwb_ctx *ctx, const struct check_cell *c)
{
	json_t *o = json_object();
	struct check_report rep;

	json_object_set_new(o, "source", json_text(c->source));
	json_object_set_new(o, "base", json_text(c->base_rev));
	json_object_set_new(o, "arch", json_text(c->arch));
	json_object_set_new(o, "toolchain", json_text(c->toolchain));
	json_object_set_new(o, "config", json_text(c->config));
	json_object_set_new(o, "check", c->id > 0 ? json_integer(c->id) : json_null());
	json_object_set_new(o, "series", c->series_id > 0 ?
			    json_integer(c->series_id) : json_null());
	json_object_set_new(o, "verdict", json_text(check_verdict_name(c->verdict)));
	json_object_set_new(o, "exit", json_integer(check_exit(c->status, c->verdict)));
	if (c->id > 0 && !check_report_load(ctx, c->id, &rep)) {
		json_object_set_new(o, "report", report_json(&rep,
				    check_exit(c->status, c->verdict)));
		check_report_release(&rep);
	}
	return o;
}

/* A cell's row, within 80 columns (its series' subject is listed after
 * the table, once). */
static void cell_text(const struct check_cell *c)
{
	char id[24] = "-", sid[24] = "-";

	if (c->id > 0)
		snprintf(id, sizeof(id), "%ld", c->id);
	if (c->series_id > 0)
		snprintf(sid, sizeof(sid), "%ld", c->series_id);
	printf("%5s %6s  %-14s %-7s %-5s %-18s %s\n", id, sid,
	       c->base_rev ? vis(c->base_rev) : "(series')", c->arch,
	       c->toolchain, vis(c->config),
	       c->verdict ? check_verdict_name(c->verdict) : "interrupted");
}

/* Each series of the cells once: "series N: subject" (or the source
 * that did not give one), wrapped within 80 columns. */
static void series_legend(struct pwb_ctx *ctx, const struct check_cell *cells,
			  size_t n)
{
	size_t i, k;

	for (i = 0; i < n; i++) {
		const struct check_cell *c = &cells[i];
		struct check_report rep;
		const char *subject = c->source;
		char *line;
		int loaded;

		for (k = 0; k < i; k++)
			if (cells[k].series_id == c->series_id &&
			    (c->series_id > 0 || !strcmp(cells[k].source, c->source)))
				break;
		if (k < i)
			continue;
		loaded = c->id > 0 && !check_report_load(ctx, c->id, &rep);
		if (loaded && rep.have_series && rep.series.subject)
			subject = rep.series.subject;
		if (c->series_id > 0)
			line = xstrfmt("series %ld: %s", c->series_id, vis(subject));
		else
			line = xstrfmt("%s: %s", vis(c->source), "no series");
		fput_wrapped(stdout, 0, 4, 80, line);
		free(line);
		if (loaded)
			check_report_release(&rep);
	}
}

int cmd_matrix(int argc, char **argv, struct pwb_ctx *ctx)
{
	struct check_args a;
	struct check_cell *cells = NULL;
	size_t nsources, ncells = 0, i, k, b, ar, t;
	int ret;

	if ((ret = check_args_parse(argc, argv, usage, usage_text, 1, &a)) >= 0)
		goto out;
	nsources = (size_t)a.nargs;
	if (!nsources || !a.o.tree_arg) {
		ret = check_args_error(&a, "matrix takes one SOURCE or more and --tree");
		goto out;
	}
	if (nsources * (a.nconfigs ? a.nconfigs : 1) * (a.nbases ? a.nbases : 1) *
	    (a.narches ? a.narches : 1) * (a.ntoolchains ? a.ntoolchains : 1) >
	    MAX_CELLS) {
		ret = check_args_error(&a, "%zu series x %zu bases x %zu arches x "
				       "%zu toolchains x %zu configs: at most "
				       "%d cells", nsources, a.nbases, a.narches,
				       a.ntoolchains, a.nconfigs, MAX_CELLS);
		goto out;
	}
	/* every suite and config named must be there before any work */
	if ((ret = check_args_setup(ctx, &a)) >= 0)
		goto out;
	cells = xcalloc(nsources * a.nbases * a.narches * a.ntoolchains *
			a.nconfigs, sizeof(*cells));
	for (i = 0; i < nsources; i++)
	for (b = 0; b < a.nbases; b++)
	for (ar = 0; ar < a.narches; ar++)
	for (t = 0; t < a.ntoolchains; t++)
	for (k = 0; k < a.nconfigs; k++) {
		struct check_cell *c = &cells[ncells++];

		c->source = argv[1 + (int)i];
		c->base_rev = a.bases[b];
		c->arch = a.arches[ar];
		c->toolchain = a.toolchains[t];
		c->config = arch_config(arch_find(c->arch) ? arch_find(c->arch) :
					arch_default(), a.configs[k]);
	}
	ret = CHECK_INFRA;
	if (check_run(ctx, &a.o, cells, ncells))
		goto out;
	ret = matrix_exit(cells, ncells);
	if (a.json) {
		json_t *j = json_object(), *arr = json_array();

		json_object_set_new(j, "tree", json_text(a.o.tree_arg));
		json_object_set_new(j, "backend", json_text(exec_backend_name(a.o.backend)));
		json_object_set_new(j, "exit", json_integer(ret));
		for (i = 0; i < ncells; i++)
			json_array_append_new(arr, cell_json(ctx, &cells[i]));
		json_object_set_new(j, "cells", arr);
		json_print(j);
		json_decref(j);
	} else {
		printf("%zu series x %zu base%s x %zu arch%s x %zu toolchain%s x "
		       "%zu config%s x %zu suite%s, on %s\n", nsources,
		       a.nbases, a.nbases == 1 ? "" : "s",
		       a.narches, a.narches == 1 ? "" : "es",
		       a.ntoolchains, a.ntoolchains == 1 ? "" : "s",
		       a.nconfigs, a.nconfigs == 1 ? "" : "s", a.nsuites,
		       a.nsuites == 1 ? "" : "s", a.o.backend == EXEC_LOCAL ? "this machine" :
		       exec_backend_name(a.o.backend));
		printf("%5s %6s  %-14s %-7s %-5s %-18s %s\n", "check",
		       "series", "base", "arch", "tc", "config", "verdict");
		for (i = 0; i < ncells; i++)
			cell_text(&cells[i]);
		series_legend(ctx, cells, ncells);
		if (ret == CHECK_INTERRUPTED)
			notice("interrupted; run the same command again to resume");
		else
			printf("details: pwb report CHECK\n");
	}
out:
	check_args_release(&a);
	free(cells);
	return ret;
}
