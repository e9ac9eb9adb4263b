/*
 * report: the presentations of one check as checkdb.h loads it: text for
 * the terminal (colours only when asked, i.e. on a TTY), JSON (schema in
 * docs/cli.md), a plain-text reply for the mailing list and patchwork's
 * checks.  pwb check prints the report of the check it just ran; pwb
 * report prints any stored one.  exit_code is the one the command gives
 * for the check (-1: none, the check is running), shown as it is.
 */
#ifndef PWB_REPORT_H
#define PWB_REPORT_H

#include <stdio.h>

#include "checkdb.h"

void report_text(FILE *out, const struct check_report *r, int colour,
		 int exit_code);
struct json_t *report_json(const struct check_report *r, int exit_code);
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
