/*
 * report: what pwb knows about one check, loaded from the database
 * (report_load), and its presentations: text for the terminal (colours
 * only when asked, i.e. on a TTY), JSON (schema in docs/cli.md) and a
 * plain-text reply for the mailing list.  pwb check prints the report of
 * the check it just ran; pwb report prints any stored one.
 *
 * struct check_report owns everything in it (check_report_release).
 */
#ifndef PWB_REPORT_H
#define PWB_REPORT_H

#include <stdio.h>

#include "compare.h"
#include "ctx.h"
#include "store.h"

struct report_build {
	int idx;		/* 0 the base, N patch N */
	long build_id;		/* the builds row, -1 none */
	char *commit;
	char *toolchain;	/* the compiler's version line, or NULL */
	long started_at;
	char *status;		/* build status, or "not-built" */
	char *error;
	char *apply_strategy;	/* patches: exact, offset, three-way */
	int warnings, new_warnings, cached;
	double seconds;
};

struct check_report {
	long id;
	char *source, *repo_path, *config_name, *status, *verdict;
	char *arch, *compiler;	/* the target the cell was built for */
	char *base_commit, *tip_commit;
	int exit_code, repeat;
	long started_at, finished_at;
	int have_series;
	struct stored_series series;
	struct report_build *builds;
	size_t nbuilds;
	struct suite_cmp *suites;
	size_t nsuites;
	char **suite_errors;	/* per suite: why it was not compared */
};

int report_load(struct pwb_ctx *ctx, long check_id, struct check_report *r);
void check_report_release(struct check_report *r);

/* The check id for "CHECK" (a number) or the newest check of SERIES;
 * arg NULL: the newest check of all ("no checks yet" when none). */
int report_find_check(struct pwb_ctx *ctx, const char *arg, long *id);

void report_text(FILE *out, const struct check_report *r, int colour);
struct json_t *report_json(const struct check_report *r);
void report_email(FILE *out, const struct check_report *r);
/*
 * What patchwork's POST /api/patches/<id>/checks/ takes, per patch of the
 * series: [ { "patch": N, "msgid", "checks": [ { "state": "success" |
 * "warning" | "fail" | "pending", "context": "pwb-build" | "pwb-SUITE"
 * (the suites on the last patch), "description", "target_url" } ] } ].
 * Caller decrefs.
 */
struct json_t *report_patchwork(const struct check_report *r);

#endif
