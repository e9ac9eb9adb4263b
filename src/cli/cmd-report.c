/*
 * pwb report [CHECK | SERIES] [--format text|json|email|kcidb|patchwork]
 * The report of a stored check (the newest one without an argument, the
 * newest of a series given as pwb series takes it).
 */
#include "cmds.h"
#include "output.h"
#include "report.h"
#include "kcidb.h"
#include "parse-options.h"
#include "util/util.h"

#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const char *const usage[] = {
	"pwb report [CHECK | --series SERIES] [--format text|json|email|kcidb|patchwork] [--force]",
	NULL,
};
static const char usage_text[] =
	"CHECK is a check id (a number is always one); --series SERIES, or\n"
	"series:SERIES, anything pwb series takes, a series id too: its newest\n"
	"check (a message-id or URL works without --series).  Which check of\n"
	"which series was shown is said on stderr when a number could be both.\n"
	"Without either: the newest check.  --format email prints a\n"
	"plain-text reply to the series for the mailing list; it says only\n"
	"what the check did, and a check with no result (interrupted, could\n"
	"not check) gets no reply unless --force.  --format kcidb prints a\n"
	"KCIDB v5.3 document (KernelCI; origin from config kcidb.origin) to\n"
	"submit with curl: pwb sends nothing.  --format patchwork prints, per\n"
	"patch, the bodies of patchwork's checks API.\n";

enum report_format { FMT_TEXT, FMT_JSON, FMT_EMAIL, FMT_KCIDB, FMT_PATCHWORK };
static const char *const format_names[] = { "text", "json", "email", "kcidb",
					     "patchwork" };

/* The KCIDB document of r on stdout: 0, or -1 (said). */
static int print_kcidb(struct pwb_ctx *ctx, const struct check_report *r)
{
	char *origin = ctx_config_get(ctx, "kcidb.origin");
	char *lore = ctx_config_get(ctx, "lore.url");
	json_t *j = NULL;
	int ret = -1;

	if (origin && !kcidb_origin_valid(origin)) {
		error("kcidb.origin = '%s': lower-case letters, digits and _ "
		      "(KCIDB's origin)", origin);
		goto out;
	}
	j = report_kcidb(ctx->db, r, origin ? origin : "pwb",
			 lore ? lore : "https://lore.kernel.org/all/");
	if (j)
		ret = json_print(j);
out:
	json_decref(j);
	free(origin);
	free(lore);
	return ret;
}

int cmd_report(int argc, char **argv, struct pwb_ctx *ctx)
{
	const char *format = "text", *series = NULL;
	enum report_format f = FMT_TEXT;
	struct check_report r;
	long id = -1;
	int n, json = 0, force = 0, ret = EXIT_OK;
	size_t i;

	const struct opt opts[] = {
		OPT_STRING(0, "format", &format, "F", "text, json, email, kcidb or patchwork"),
		OPT_FLAG(0, "json", &json, "the same as --format json"),
		OPT_FLAG(0, "force", &force, "email: a reply even for a check with no result"),
		OPT_STRING(0, "series", &series, "SERIES", "the newest check of SERIES (a series id too)"),
		OPT_END(),
	};

	n = parse_options(argc, argv, usage, usage_text, opts);
	if (n < 0)
		return parse_options_exit(n);
	if (json)
		format = "json";
	for (i = 0; i < sizeof(format_names) / sizeof(format_names[0]); i++)
		if (!strcmp(format, format_names[i]))
			break;
	if (i == sizeof(format_names) / sizeof(format_names[0]))
		return usage_with_options_error(usage, usage_text, opts,
				"--format is text, json, email, kcidb or patchwork, not '%s'",
				format);
	f = (enum report_format)i;
	if (n > 1)
		return usage_with_options_error(usage, usage_text, opts,
							"report takes at most one CHECK or SERIES");
	if (n == 1 && series)
		return usage_with_options_error(usage, usage_text, opts,
				"report takes a CHECK or --series SERIES, not both");
	if (n == 1 && skip_prefix(argv[1], "series:", &series))
		n = 0;
	if (series) {
		if (check_report_find_series(ctx, series, &id))
			return EXIT_FAIL;
	} else if (n == 1) {
		if (check_report_find(ctx, argv[1], &id))
			return EXIT_FAIL;
	} else if (check_report_find(ctx, NULL, &id)) {
		return EXIT_FAIL;
	}
	if (check_report_load(ctx, id, &r))
		return EXIT_FAIL;
	if (!series && n == 1 && r.have_series && r.series.id != id &&
	    check_report_series_exists(ctx, id) == 1)
		/* a number is a check id; say so when it names a series too */
		notice("check %ld, of series %ld (for series %ld: pwb report "
		       "--series %ld)", id, r.series.id, id, id);
	if (f == FMT_JSON) {
		json_t *j = report_json(&r, check_exit(r.status, r.verdict));

		json_print(j);
		json_decref(j);
	} else if (f == FMT_PATCHWORK) {
		json_t *j = report_patchwork(&r);

		json_print(j);
		json_decref(j);
	} else if (f == FMT_KCIDB) {
		if (print_kcidb(ctx, &r))
			ret = EXIT_FAIL;
	} else if (f == FMT_EMAIL) {
		/* "could not check" says nothing about the series either */
		if ((r.verdict == CHECK_VERDICT_NONE ||
		     r.verdict == CHECK_VERDICT_INFRA_ERROR) && !force)
			ret = error("check %ld has no result (status %s): no reply "
				    "to send; --force writes one anyway", r.id,
				    check_status_name(r.status));
		else
			report_email(stdout, &r);
	} else {
		report_text(stdout, &r, use_colour(1),
			    check_exit(r.status, r.verdict));
	}
	check_report_release(&r);
	if (ret == EXIT_OK && (fflush(stdout) || ferror(stdout)))
		ret = error("cannot write the report: %s", strerror(errno));
	return ret ? EXIT_FAIL : EXIT_OK;
}
