/*
 * pwb history SERIES [--json]
 * pwb history --case NAME [--suite S] [--json]
 *
 * Across versions and runs: every version of a series (the same thread, or
 * the same subject in another thread) with its checks and verdicts; or one
 * test case across every build it ran on (pass/fail counts per commit).
 */
#include "cmds.h"
#include "db.h"
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

static const char *text_or(sqlite3_stmt *st, int i, const char *def)
{
	const char *s = (const char *)sqlite3_column_text(st, i);

	return s ? s : def;
}

static int series_history(sqlite3 *db, long sid, int json)
{
	sqlite3_stmt *st;
	json_t *arr = json ? json_array() : NULL;
	int rc, n = 0;

	/* versions: the same thread or the same subject elsewhere */
	if (db_prepare(db, &st, "SELECT s.id, s.version, s.subject, s.date, "
		       "c.id, c.verdict, c.status, c.started_at, c.tip_commit, "
		       "(SELECT count(*) FROM check_builds b WHERE b.check_id = c.id "
		       "AND b.idx > 0 AND b.status != 'ok') "
		       "FROM series s LEFT JOIN checks c ON c.series_id = s.id "
		       "WHERE s.thread_id = (SELECT thread_id FROM series WHERE id = ?1) "
		       "OR s.subject = (SELECT subject FROM series WHERE id = ?1) "
		       "ORDER BY s.version, s.id, c.id"))
		return -1;
	sqlite3_bind_int64(st, 1, sid);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		long id = (long)sqlite3_column_int64(st, 0);
		int has_check = sqlite3_column_type(st, 4) != SQLITE_NULL;
		char when[48] = "";

		if (has_check)
			fmt_short(when, sqlite3_column_int64(st, 7), 0);
		if (json) {
			json_array_append_new(arr, json_pack("{s:I,s:i,s:s,s:o,s:o,s:o,s:o,s:i}",
				"series", (json_int_t)id, "version", sqlite3_column_int(st, 1),
				"subject", text_or(st, 2, ""),
				"check", has_check ? json_integer(sqlite3_column_int64(st, 4)) : json_null(),
				"verdict", has_check && sqlite3_column_text(st, 5) ?
					json_text(text_or(st, 5, "")) : json_null(),
				"status", has_check ? json_text(text_or(st, 6, "")) : json_null(),
				"tip", has_check && sqlite3_column_text(st, 8) ?
					json_text(text_or(st, 8, "")) : json_null(),
				"patches_not_building", sqlite3_column_int(st, 9)));
		} else if (has_check) {
			printf("v%-2d series %-4ld check %-4lld %s  %-15s %-11s %.12s  %s\n",
			       sqlite3_column_int(st, 1), id,
			       (long long)sqlite3_column_int64(st, 4), when,
			       text_or(st, 5, "-"), text_or(st, 6, ""),
			       text_or(st, 8, "-"), text_or(st, 2, ""));
		} else {
			printf("v%-2d series %-4ld (not checked)%32s%s\n",
			       sqlite3_column_int(st, 1), id, "", text_or(st, 2, ""));
		}
		n++;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		json_decref(arr);
		return db_error(db, "series history");
	}
	if (json) {
		json_print(arr);
		json_decref(arr);
	}
	return 0;
}

static int case_history(sqlite3 *db, const char *name, const char *suite, int json)
{
	sqlite3_stmt *st;
	json_t *arr = json ? json_array() : NULL;
	int rc, n = 0;

	if (db_prepare(db, &st, "SELECT r.suite, b.commit_id, b.rev, "
		       "sum(c.status = 'pass'), sum(c.status IN ('fail', 'crashed')), "
		       "count(*), min(r.started_at), max(r.started_at) "
		       "FROM case_results c JOIN suite_runs r ON r.id = c.run_id "
		       "JOIN builds b ON b.id = r.build_id WHERE c.name = ? AND "
		       "(?2 IS NULL OR r.suite = ?2) GROUP BY r.suite, b.commit_id "
		       "ORDER BY min(r.started_at)"))
		return -1;
	db_bind_text(st, 1, name);
	db_bind_text(st, 2, suite);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int pass = sqlite3_column_int(st, 3), fail = sqlite3_column_int(st, 4);
		int runs = sqlite3_column_int(st, 5);
		const char *v = fail && pass ? "flaky" : fail ? "fail" : pass ? "pass" : "skip";
		char when[48];

		fmt_short(when, sqlite3_column_int64(st, 7), 0);
		if (json)
			json_array_append_new(arr, json_pack("{s:s,s:s,s:s,s:i,s:i,s:i,s:s}",
				"suite", text_or(st, 0, ""), "commit", text_or(st, 1, ""),
				"rev", text_or(st, 2, ""), "pass", pass, "fail", fail,
				"runs", runs, "result", v));
		else
			printf("%-12s %.12s  %-5s pass %d/%d  last %s  (%s)\n",
			       text_or(st, 0, ""), text_or(st, 1, ""), v, pass, runs,
			       when, text_or(st, 2, ""));
		n++;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		json_decref(arr);
		return db_error(db, "case history");
	}
	if (json) {
		json_print(arr);
		json_decref(arr);
	} else if (!n) {
		return error("no results for case '%s'%s%s", name,
			     suite ? " in suite " : "", suite ? suite : "");
	}
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
