/*
 * pwb report [CHECK | SERIES] [--format text|json|email]
 * The report of a stored check (the newest one without an argument, the
 * newest of a series given as pwb series takes it).
 */
#include "cmds.h"
#include "output.h"
#include "report.h"
#include "util/parse-options.h"
#include "util/util.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const char *const usage[] = {
	"pwb report [CHECK | SERIES] [--format text|json|email] [--force]",
	NULL,
};
static const char usage_text[] =
	"CHECK is a check id; SERIES anything pwb series takes (its newest\n"
	"check).  Without either: the newest check.  --format email prints a\n"
	"plain-text reply to the series for the mailing list; it says only\n"
	"what the check did, and a check with no result (interrupted, could\n"
	"not check) gets no reply unless --force.\n";

int cmd_report(int argc, char **argv, struct pwb_ctx *ctx)
{
	const char *format = "text";
	struct check_report r;
	long id = -1;
	int n, json = 0, force = 0, ret = EXIT_OK;

	const struct opt opts[] = {
		OPT_STRING(0, "format", &format, "F", "text, json or email"),
		OPT_FLAG(0, "json", &json, "the same as --format json"),
		OPT_FLAG(0, "force", &force, "email: a reply even for a check with no result"),
		OPT_END(),
	};

	n = parse_options(argc, argv, usage, usage_text, opts);
	if (n < 0)
		return parse_options_exit(n);
	if (json)
		format = "json";
	if (strcmp(format, "text") && strcmp(format, "json") && strcmp(format, "email"))
		return usage_with_options_error(usage, usage_text, opts,
							"--format is text, json or email, not '%s'",
				   format);
	if (n > 1)
		return usage_with_options_error(usage, usage_text, opts,
							"report takes at most one CHECK or SERIES");
	if (n == 1) {
		if (report_find_check(ctx, argv[1], &id))
			return EXIT_FAIL;
	} else if (report_find_check(ctx, NULL, &id)) {
		return EXIT_FAIL;
	}
	if (report_load(ctx, id, &r))
		return EXIT_FAIL;
	if (!strcmp(format, "json")) {
		json_t *j = report_json(&r);

		json_print(j);
		json_decref(j);
	} else if (!strcmp(format, "email")) {
		/* "could not check" says nothing about the series either */
		if ((!r.verdict || !strcmp(r.verdict, "infra-error")) && !force)
			ret = error("check %ld has no result (status %s): no reply "
				    "to send; --force writes one anyway", r.id,
				    r.status);
		else
			report_email(stdout, &r);
	} else {
		report_text(stdout, &r, use_colour(1));
	}
	check_report_release(&r);
	if (ret == EXIT_OK && (fflush(stdout) || ferror(stdout)))
		ret = error("cannot write the report: %s", strerror(errno));
	return ret ? EXIT_FAIL : EXIT_OK;
}
