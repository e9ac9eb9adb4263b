/*
 * pwb job run SPEC --out DIR     run one job (job.h) into a bundle
 * pwb job import DIR...          merge finished bundles into the database
 *
 * `job run` is what a cluster node executes; it never opens the main
 * database, only the bundle's own.  `job import` adds each bundle in one
 * transaction; a bundle imported before changes nothing.
 */
#include "cmds.h"
#include "ctx.h"
#include "db.h"
#include "exec/job.h"
#include "exec/jobrun.h"
#include "parse-options.h"
#include "util/suggest.h"
#include "util/util.h"

#include <stdio.h>
#include <string.h>

static const char usage[] =
	"usage: pwb job run SPEC --out DIR\n"
	"       pwb job import DIR...\n"
	"\n"
	"run executes the job described by SPEC (JSON, written by the pwb\n"
	"that submits it) and writes a bundle into DIR: bundle.sqlite with\n"
	"the job's rows and result.json, last.  Exit as pwb run.\n"
	"import merges finished bundles into the database; one already\n"
	"imported is left as it is.\n";

static int job_run(int argc, char **argv, struct pwb_ctx *ctx)
{
	static const char *const run_usage[] = { "pwb job run SPEC --out DIR", NULL };
	static const char run_text[] =
		"Executes the job described by SPEC (JSON, written by the pwb that\n"
		"submits it) and writes a bundle into DIR: bundle.sqlite with the\n"
		"job's rows and result.json, last.  Exit as pwb run.\n";
	const char *out = NULL;
	struct job_result r;
	const struct opt opts[] = {
		OPT_STRING(0, "out", &out, "DIR", "the bundle directory"),
		OPT_END(),
	};
	int n = parse_options(argc, argv, run_usage, run_text, opts);

	if (n < 0)
		return parse_options_exit(n);
	if (n != 1 || !out)
		return usage_with_options_error(run_usage, run_text, opts,
						"job run needs SPEC and --out DIR");
	if (job_run_bundle(ctx, argv[1], out, &r))
		return 3;
	/* as pwb run (docs/cli.md) */
	switch (r.outcome) {
	case EXEC_DONE:
		return r.status == JOB_FAILED ? 1 : 0;
	case EXEC_NO_KERNEL:
		return 2;
	case EXEC_INTERRUPTED:
		return 130;
	default:
		return 3;
	}
}

static int job_import_cmd(int argc, char **argv, struct pwb_ctx *ctx)
{
	static const char *const import_usage[] = { "pwb job import DIR...", NULL };
	static const struct opt opts[] = { OPT_END() };
	int i, n, ret = EXIT_OK;

	n = parse_options(argc, argv, import_usage,
			  "Merges finished bundles into the database; one already\n"
			  "imported is left as it is.\n", opts);
	if (n < 0)
		return parse_options_exit(n);
	if (n < 1)
		return usage_error(usage, "job import needs bundle directories");
	if (ctx_resolve_db_path(ctx) || db_open(ctx->db_path, &ctx->db))
		return EXIT_FAIL;
	for (i = 1; i <= n; i++) {
		int added;

		if (job_import(ctx->db, argv[i], "import", 1, &added, NULL)) {
			ret = EXIT_FAIL;
			continue;
		}
		printf("%s: %s\n", argv[i], added ? "imported" : "imported before");
	}
	return ret;
}

int cmd_job(int argc, char **argv, struct pwb_ctx *ctx)
{
	static const char *const subs[] = { "run", "import" };

	if (argc < 2)
		return usage_error(usage, "job needs run or import");
	if (!strcmp(argv[1], "run"))
		return job_run(argc - 1, argv + 1, ctx);
	if (!strcmp(argv[1], "import"))
		return job_import_cmd(argc - 1, argv + 1, ctx);
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))
		return usage_help(usage);
	return usage_error(usage, "unknown job subcommand '%s'%s", argv[1],
			   suggest_hint(argv[1], subs, ARRAY_SIZE(subs)));
}
