/*
 * pwb report [CHECK | SERIES] [--format text|json|email]
 * The report of a stored check (the newest one without an argument, the
 * newest of a series given as pwb series takes it).
 */
#include "cmds.h"
#include "db.h"
#include "output.h"
#include "report.h"
#include "util/util.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const char usage[] =
	"usage: pwb report [CHECK | SERIES] [--format text|json|email] [--force]\n"
	"\n"
	"CHECK is a check id; SERIES anything pwb series takes (its newest\n"
	"check).  Without either: the newest check.  --format email prints a\n"
	"plain-text reply to the series for the mailing list; it says only\n"
	"what the check did, and a check with no result (interrupted, could\n"
	"not check) gets no reply unless --force.\n";

int cmd_report(int argc, char **argv, struct pwb_ctx *ctx)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "json", no_argument, NULL, 'j' },
		{ "force", no_argument, NULL, 'F' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *format = "text";
	struct check_report r;
	long id = -1;
	int c, force = 0, ret = EXIT_OK;

	optind = 0;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'f': format = optarg; break;
		case 'j': format = "json"; break;
		case 'F': force = 1; break;
		case 'h': return usage_help(usage);
		default: return usage_error(usage, "bad option");
		}
	}
	if (strcmp(format, "text") && strcmp(format, "json") && strcmp(format, "email"))
		return usage_error(usage, "--format is text, json or email, not '%s'",
				   format);
	if (argc - optind > 1)
		return usage_error(usage, "report takes at most one CHECK or SERIES");
	if (optind < argc) {
		if (report_find_check(ctx, argv[optind], &id))
			return EXIT_FAIL;
	} else {
		sqlite3_stmt *st;

		if (db_prepare(ctx->db, &st, "SELECT max(id) FROM checks"))
			return EXIT_FAIL;
		if (sqlite3_step(st) == SQLITE_ROW &&
		    sqlite3_column_type(st, 0) != SQLITE_NULL)
			id = (long)sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
		if (id < 0) {
			error("no checks yet (pwb check)");
			return EXIT_FAIL;
		}
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
