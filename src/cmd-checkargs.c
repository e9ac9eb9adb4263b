/*
 * The options pwb check and pwb matrix share (the command side of
 * check.c): parsed into struct check_args, checked before any work.
 */
#include "check.h"
#include "cmds.h"
#include "ctx.h"
#include "util/run.h"
#include "util/util.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int check_args_parse(int argc, char **argv, const char *usage,
		     int many_configs, struct check_args *a)
{
	static const struct option longopts[] = {
		{ "tree", required_argument, NULL, 't' },
		{ "base", required_argument, NULL, 'b' },
		{ "lore", required_argument, NULL, 'l' },
		{ "suite", required_argument, NULL, 's' },
		{ "repeat", required_argument, NULL, 'n' },
		{ "config", required_argument, NULL, 'c' },
		{ "on", required_argument, NULL, 'o' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	size_t i;
	long v;
	int c;

	memset(a, 0, sizeof(*a));
	optind = 0;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 't': a->o.tree_arg = optarg; break;
		case 'b': a->o.base_rev = optarg; break;
		case 'l': a->o.lore = optarg; break;
		case 's':
			a->names = xrealloc(a->names, (a->nnames + 1) * sizeof(char *));
			a->names[a->nnames++] = optarg;
			break;
		case 'n':
			if (parse_long(optarg, &v) || v < 1 || v > 1000)
				return usage_error(usage, "--repeat takes 1..1000");
			a->o.repeat = v;
			break;
		case 'c':
			if (!many_configs)
				a->nconfigs = 0;
			for (i = 0; i < a->nconfigs && strcmp(a->configs[i], optarg); i++)
				;
			if (i == a->nconfigs) {
				a->configs = xrealloc(a->configs, (a->nconfigs + 1) *
						      sizeof(char *));
				a->configs[a->nconfigs++] = optarg;
			}
			break;
		case 'o': a->on = optarg; break;
		case 'j': a->json = 1; break;
		case 'h': return usage_help(usage);
		default: return usage_error(usage, "bad option");
		}
	}
	return -1;
}

int check_args_setup(struct pwb_ctx *ctx, struct check_args *a)
{
	const char *config = a->nconfigs ? a->configs[0] : NULL;

	if (ctx_backend(ctx, a->on, &a->o.slurm))
		return a->on ? EXIT_USAGE : CHECK_INFRA;
	run_install_signal_handlers();
	if (check_load_suites(ctx, a->names, a->nnames, &config, &a->suites,
			      &a->nsuites))
		return CHECK_INFRA;
	if (!a->nconfigs) {
		a->configs = xrealloc(a->configs, sizeof(char *));
		a->configs[a->nconfigs++] = config;
	}
	a->o.suites = a->suites;
	a->o.nsuites = a->nsuites;
	/* PWB_PROGRESS=1: stage lines also when stderr is not a terminal */
	a->o.progress = (!a->json && isatty(2)) || (getenv("PWB_PROGRESS") &&
						    !strcmp(getenv("PWB_PROGRESS"), "1"));
	return -1;
}

void check_args_release(struct check_args *a)
{
	check_suites_release(a->suites, a->nsuites);
	free(a->configs);
	free(a->names);
	memset(a, 0, sizeof(*a));
}
