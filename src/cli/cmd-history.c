/*
 * pwb history SERIES [--json]
 * pwb history --case NAME [--suite S] [--json]
 *
 * Across versions and runs: every version of a series (the same thread, or
 * the same subject in another thread) with its checks and verdicts; or one
 * test case's pass rate per (suite, tree, arch, compiler, config), with
 * its pass/fail counts on each commit there.
 */
#include "cmds.h"
#include "history.h"
#include "output.h"
#include "store.h"
#include "util/timefmt.h"
#include "parse-options.h"
#include "util/util.h"
#include "util/vis.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const usage[] = {
	"pwb history SERIES [--json]",
	"pwb history --case NAME [--suite S] [--json]",
	NULL,
};
static const char usage_text[] =
	"Every version of a series with its checks and verdicts, or one test\n"
	"case's pass rate per suite, tree, arch, compiler and config, with its\n"
	"results on every commit there (flaky: its runs on one commit\n"
	"disagreed).\n";

static const char *or_(const char *s, const char *def)
{
	return s ? s : def;
}

/* The end of a row that has filled at columns: on the row when it fits
 * in 80 columns, else on lines of its own indented 4. */
static void row_subject(int at, const char *text)
{
	const char *v = vis(text ? text : "");

	if ((size_t)at + display_width(v) <= 80) {
		printf("%s\n", v);
		return;
	}
	printf("\n    ");
	fput_wrapped(stdout, 4, 4, 80, v);
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
				"verdict", v->checked && check_verdict_name(v->verdict) ?
					json_text(check_verdict_name(v->verdict)) :
					json_null(),
				"status", v->checked ?
					json_text(check_status_name(v->status)) :
					json_null(),
				"tip", v->checked && v->tip ? json_text(v->tip) : json_null(),
				"patches_not_building", v->patches_not_building));
		} else if (v->checked) {
			int at = printf("v%-2d series %-4ld check %-4lld %s  %-15s "
					"%-11s %.12s  ", v->version, v->series,
					(long long)v->check, when,
					or_(check_verdict_name(v->verdict), "-"),
					check_status_name(v->status),
					or_(v->tip, "-"));

			/* within 80 columns: the subject under the row */
			row_subject(at, v->subject);
		} else {
			int at = printf("v%-2d series %-4ld (not checked)  ",
					v->version, v->series);

			row_subject(at, v->subject);
		}
	}
	if (json) {
		json_print(arr);
		json_decref(arr);
	}
}

static double rate(int pass, int runs)
{
	return runs ? 100.0 * pass / runs : 0.0;
}

static void print_case_history(const struct case_history *h, int json)
{
	json_t *arr = json ? json_array() : NULL;
	size_t i, k;

	for (i = 0; i < h->n; i++) {
		const struct history_case_target *t = &h->t[i];
		json_t *rows = json ? json_array() : NULL;
		char when[48];

		fmt_short(when, t->last, 0);
		if (!json) {
			char *line = xstrfmt("%s on %s, %s, %s, %s: pass %d/%d "
			       "(%.0f%%) on %zu commit%s%s%.0d%s, last %s",
			       vis(or_(t->suite, "")),
			       vis(or_(t->tree, "")), vis(or_(t->arch, "")),
			       vis(or_(t->compiler, "")), vis(or_(t->config, "")),
			       t->pass, t->runs, rate(t->pass, t->runs), t->n,
			       t->n == 1 ? "" : "s",
			       t->flaky_commits ? ", flaky on " : "",
			       t->flaky_commits,
			       t->flaky_commits ? (t->flaky_commits == 1 ?
						   " commit" : " commits") : "",
			       when);

			fput_wrapped(stdout, 0, 2, 80, line);
			free(line);
		}
		for (k = 0; k < t->n; k++) {
			const struct history_case_row *r = &t->rows[k];

			fmt_short(when, r->last, 0);
			if (json)
				json_array_append_new(rows, json_pack(
					"{s:s,s:s,s:i,s:i,s:i,s:s}",
					"commit", or_(r->commit, ""),
					"rev", or_(r->rev, ""), "pass", r->pass,
					"fail", r->fail, "runs", r->runs,
					"result", r->result));
			else
			{
				const char *rev = or_(r->rev, "");
				int at = printf("  %.12s  %-5s pass %d/%d  last %s",
						or_(r->commit, ""), r->result,
						r->pass, r->runs, when);

				/* the rev's name, when it is not the commit */
				if (*rev && strncmp(rev, or_(r->commit, ""), 12)) {
					char *p = xstrfmt("  (%s)", rev);

					row_subject(at, p);
					free(p);
				} else {
					putchar('\n');
				}
			}
		}
		if (json)
			json_array_append_new(arr, json_pack(
				"{s:s,s:s,s:s,s:s,s:s,s:i,s:i,s:i,s:f,s:i,s:o}",
				"suite", or_(t->suite, ""), "tree", or_(t->tree, ""),
				"arch", or_(t->arch, ""),
				"compiler", or_(t->compiler, ""),
				"config", or_(t->config, ""), "pass", t->pass,
				"fail", t->fail, "runs", t->runs,
				"pass_rate", rate(t->pass, t->runs) / 100.0,
				"flaky_commits", t->flaky_commits, "commits", rows));
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
