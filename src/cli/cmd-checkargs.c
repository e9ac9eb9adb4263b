/*
 * The options pwb check and pwb matrix share (the command side of
 * check.c): parsed into struct check_args, checked before any work.
 */
#include "check.h"
#include "arch.h"
#include "cmds.h"
#include "progress.h"
#include "ctx.h"
#include "util/run.h"
#include "util/util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The values of l in order without repeats into *out (matrix: all; check:
 * the last one); l's array is freed. */
static void uniq(struct opt_list *l, int many, const char ***out, size_t *n)
{
	size_t i, k;

	for (k = many ? 0 : (l->n ? l->n - 1 : 0); k < l->n; k++) {
		for (i = 0; i < *n && strcmp((*out)[i], l->v[k]); i++)
			;
		if (i == *n) {
			*out = xrealloc(*out, (*n + 1) * sizeof(char *));
			(*out)[(*n)++] = l->v[k];
		}
	}
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

/* a list with one entry v when empty */
static void one_if_none(const char ***out, size_t *n, const char *v)
{
	if (*n)
		return;
	*out = xrealloc(*out, sizeof(char *));
	(*out)[(*n)++] = v;
}

int check_args_parse(int argc, char **argv, const char *const *usage,
		     const char *text, int many_configs, struct check_args *a)
{
	/* matrix: each value of --base, --config, --arch, --toolchain is a
	 * cell; check: the last one given counts */
	const struct opt many[] = {
		OPT_LIST(0, "base", &a->base_l, "REV", "apply on REV, not on "
			 "the series' base-commit (each one a cell)"),
		OPT_LIST(0, "config", &a->config_l, "C",
			 "a config fragment (bench/configs/C.config)"),
		OPT_LIST(0, "arch", &a->arch_l, "A",
			 "an arch: x86_64, arm64 (config build.arch)"),
		OPT_LIST(0, "toolchain", &a->tc_l, "gcc|clang",
			 "a toolchain (config build.toolchain)"),
	};
	const struct opt last[] = {
		OPT_LAST(0, "base", &a->base_l, "REV", "apply on REV, not on "
			 "the series' base-commit (the last given wins)"),
		OPT_LAST(0, "config", &a->config_l, "C", "the config fragment, "
			 "bench/configs/C.config (the last given wins)"),
		OPT_LAST(0, "arch", &a->arch_l, "A",
			 "x86_64 or arm64 (config build.arch)"),
		OPT_LAST(0, "toolchain", &a->tc_l, "gcc|clang",
			 "compiler, clang with LLVM=1 (config build.toolchain)"),
	};
	const struct opt *m = many_configs ? many : last;
	const struct opt opts[] = {
		OPT_TREE(&a->o.tree_arg),
		m[0],
		OPT_STRING(0, "lore", &a->o.lore, "URL",
			   "archive of a message-id SOURCE (as pwb fetch --lore)"),
		OPT_SUITES(&a->suite_l),
		OPT_REPEAT(&a->o.repeat),
		OPT_RETRIES(&a->o.retries),
		m[1],
		m[2],
		m[3],
		OPT_ON(&a->on),
		OPT_JSON(&a->json),
		OPT_END(),
	};
	int n;

	memset(a, 0, sizeof(*a));
	a->o.retries = -1;
	memcpy(a->opts, opts, sizeof(opts));
	a->usage = usage;
	a->text = text;
	n = parse_options(argc, argv, usage, text, a->opts);
	if (n < 0) {
		free(a->suite_l.v);
		free(a->config_l.v);
		free(a->base_l.v);
		free(a->arch_l.v);
		free(a->tc_l.v);
		a->suite_l.v = a->config_l.v = a->base_l.v = NULL;
		a->arch_l.v = a->tc_l.v = NULL;
		return parse_options_exit(n);
	}
	a->nargs = n;
	a->names = (char **)a->suite_l.v;
	a->nnames = a->suite_l.n;
	a->suite_l.v = NULL;
	/* matrix: every value once, in order; check: the last one */
	uniq(&a->config_l, many_configs, &a->configs, &a->nconfigs);
	uniq(&a->base_l, many_configs, &a->bases, &a->nbases);
	uniq(&a->arch_l, many_configs, &a->arches, &a->narches);
	uniq(&a->tc_l, many_configs, &a->toolchains, &a->ntoolchains);
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
	if (a->o.retries < 0 && ctx_config_long(ctx, "check.retries",
						&a->o.retries))
		return CHECK_INFRA;
	if (a->o.retries < 0 || a->o.retries > 100) {
		error("check.retries = %ld: a number from 0 to 100",
		      a->o.retries);
		return CHECK_INFRA;
	}
	if (check_load_suites(ctx, a->names, a->nnames, &config, &a->suites,
			      &a->nsuites))
		return CHECK_INFRA;
	one_if_none(&a->configs, &a->nconfigs, config);
	one_if_none(&a->bases, &a->nbases, NULL);
	/* no --arch / --toolchain: the configured ones (checked there) */
	if (!a->narches || !a->ntoolchains) {
		const struct arch *ar;
		const struct toolchain *tc;

		if (target_resolve(ctx, NULL, NULL, &ar, &tc))
			return CHECK_INFRA;
		one_if_none(&a->arches, &a->narches, ar->name);
		one_if_none(&a->toolchains, &a->ntoolchains, tc->name);
	}
	a->o.suites = a->suites;
	a->o.nsuites = a->nsuites;
	progress_check_setup(&a->o, &a->cluster, a->json);
	return -1;
}

void check_args_release(struct check_args *a)
{
	check_suites_release(a->suites, a->nsuites);
	free(a->configs);
	free(a->bases);
	free(a->arches);
	free(a->toolchains);
	free(a->names);
	memset(a, 0, sizeof(*a));
}
