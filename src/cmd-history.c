/*
 * pwb history SERIES [--json]
 * pwb history --case NAME [--suite S] [--json]
 *
 * Across versions and runs: every version of a series (the same thread, or
 * the same subject in another thread) with its checks and verdicts; or one
 * test case across every build it ran on (pass/fail counts per commit).
 */
#include "cmds.h"
#include "history.h"
#include "output.h"
#include "store.h"
#include "util/timefmt.h"
#include "util/parse-options.h"
#include "util/util.h"

#include <stdio.h>
#include <string.h>

static const char *const usage[] = {
	"pwb history SERIES [--json]",
	"pwb history --case NAME [--suite S] [--json]",
	NULL,
};
static const char usage_text[] =
	"Every version of a series with its checks and verdicts, or one test\n"
	"case's results on every commit it ran on.\n";

static const char *or_(const char *s, const char *def)
{
	return s ? s : def;
}

static void print_series_history(const struct series_history *h, int json)
{
	json_t *arr = json ? json_array() : NULL;
	size_t i;

	for (i = 0; i < h->n; i++) {
		const struct history_version *v = &h->v[i];
		char when[48] = "";

		if (v->checked)
			fmt_short(when, v->started_at, 0);
		if (json) {
			json_array_append_new(arr, json_pack("{s:I,s:i,s:s,s:o,s:o,s:o,s:o,s:i}",
				"series", (json_int_t)v->series, "version", v->version,
				"subject", or_(v->subject, ""),
				"check", v->checked ? json_integer(v->check) : json_null(),
				"verdict", v->checked && v->verdict ?
					json_text(v->verdict) : json_null(),
				"status", v->checked ? json_text(or_(v->status, "")) : json_null(),
				"tip", v->checked && v->tip ? json_text(v->tip) : json_null(),
				"patches_not_building", v->patches_not_building));
		} else if (v->checked) {
			printf("v%-2d series %-4ld check %-4lld %s  %-15s %-11s %.12s  %s\n",
			       v->version, v->series, (long long)v->check, when,
			       or_(v->verdict, "-"), or_(v->status, ""),
			       or_(v->tip, "-"), or_(v->subject, ""));
		} else {
			printf("v%-2d series %-4ld (not checked)%32s%s\n",
			       v->version, v->series, "", or_(v->subject, ""));
		}
	}
	if (json) {
		json_print(arr);
		json_decref(arr);
	}
}

static void print_case_history(const struct case_history *h, int json)
{
	json_t *arr = json ? json_array() : NULL;
	size_t i;

	for (i = 0; i < h->n; i++) {
		const struct history_case_row *r = &h->rows[i];
		char when[48];

		fmt_short(when, r->last, 0);
		if (json)
			json_array_append_new(arr, json_pack("{s:s,s:s,s:s,s:i,s:i,s:i,s:s}",
				"suite", or_(r->suite, ""), "commit", or_(r->commit, ""),
				"rev", or_(r->rev, ""), "pass", r->pass, "fail", r->fail,
				"runs", r->runs, "result", r->result));
		else
			printf("%-12s %.12s  %-5s pass %d/%d  last %s  (%s)\n",
			       or_(r->suite, ""), or_(r->commit, ""), r->result,
			       r->pass, r->runs, when, or_(r->rev, ""));
	}
	if (json) {
		json_print(arr);
		json_decref(arr);
	}
}

static int series_history(sqlite3 *db, long sid, int json)
{
	struct series_history h;

	if (history_series(db, sid, &h))
		return -1;
	print_series_history(&h, json);
	series_history_release(&h);
	return 0;
}

static int case_history(sqlite3 *db, const char *name, const char *suite, int json)
{
	struct case_history h;
	size_t n;

	if (history_case(db, name, suite, &h))
		return -1;
	print_case_history(&h, json);
	n = h.n;
	case_history_release(&h);
	if (!json && !n)
		return error("no results for case '%s'%s%s", name,
			     suite ? " in suite " : "", suite ? suite : "");
	return 0;
}

int cmd_history(int argc, char **argv, struct pwb_ctx *ctx)
{
	const char *case_name = NULL, *suite = NULL;
	int n, json = 0;
	long sid;

	const struct opt opts[] = {
		OPT_STRING(0, "case", &case_name, "NAME", "one test case's results"),
		OPT_STRING(0, "suite", &suite, "S", "with --case: only suite S"),
		OPT_JSON(&json),
		OPT_END(),
	};

	n = parse_options(argc, argv, usage, usage_text, opts);
	if (n < 0)
		return parse_options_exit(n);
	if ((n == 1) == !!case_name || n > 1)
		return usage_with_options_error(usage, usage_text, opts,
							"history takes a SERIES or --case NAME");
	if (case_name)
		return case_history(ctx->db, case_name, suite, json) ? EXIT_FAIL : EXIT_OK;
	if (store_find_series(ctx->db, argv[1], &sid))
		return EXIT_FAIL;
	return series_history(ctx->db, sid, json) ? EXIT_FAIL : EXIT_OK;
}
