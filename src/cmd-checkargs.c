/*
 * The options pwb check and pwb matrix share (the command side of
 * check.c): parsed into struct check_args, checked before any work.
 */
#include "check.h"
#include "cmds.h"
#include "ctx.h"
#include "util/run.h"
#include "util/util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int check_args_parse(int argc, char **argv, const char *const *usage,
		     const char *text, int many_configs, struct check_args *a)
{
	const struct opt opts[] = {
		OPT_TREE(&a->o.tree_arg),
		OPT_BASE(&a->o.base_rev),
		OPT_STRING(0, "lore", &a->o.lore, "URL",
			   "archive of a message-id SOURCE (as pwb fetch --lore)"),
		OPT_SUITES(&a->suite_l),
		OPT_REPEAT(&a->o.repeat),
		OPT_LIST(0, "config", &a->config_l, "C", many_configs ?
			 "a config fragment (bench/configs/C.config)" :
			 "the config fragment, bench/configs/C.config (the last given wins)"),
		OPT_ON(&a->on),
		OPT_JSON(&a->json),
		OPT_END(),
	};
	size_t i, k;
	int n;

	memset(a, 0, sizeof(*a));
	memcpy(a->opts, opts, sizeof(opts));
	a->usage = usage;
	a->text = text;
	n = parse_options(argc, argv, usage, text, a->opts);
	if (n < 0) {
		free(a->suite_l.v);
		free(a->config_l.v);
		a->suite_l.v = a->config_l.v = NULL;
		return parse_options_exit(n);
	}
	a->nargs = n;
	a->names = (char **)a->suite_l.v;
	a->nnames = a->suite_l.n;
	a->suite_l.v = NULL;
	/* matrix: every config once, in order; check: the last one */
	for (k = many_configs ? 0 : (a->config_l.n ? a->config_l.n - 1 : 0);
	     k < a->config_l.n; k++) {
		for (i = 0; i < a->nconfigs && strcmp(a->configs[i], a->config_l.v[k]); i++)
			;
		if (i == a->nconfigs) {
			a->configs = xrealloc(a->configs, (a->nconfigs + 1) *
					      sizeof(char *));
			a->configs[a->nconfigs++] = a->config_l.v[k];
		}
	}
	free(a->config_l.v);
	a->config_l.v = NULL;
	return -1;
}

int check_args_error(const struct check_args *a, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return usage_with_options_error(a->usage, a->text, a->opts, "%s", msg);
}

int check_args_setup(struct pwb_ctx *ctx, struct check_args *a)
{
	const char *config = a->nconfigs ? a->configs[0] : NULL;

	if (exec_backend_get(ctx, a->on, &a->o.backend))
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
