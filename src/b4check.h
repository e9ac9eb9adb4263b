/*
 * b4check: b4's external check protocol (b4.review-perpatch-check-cmd,
 * b4.review-series-check-cmd).  b4 hands one RFC 2822 message (a patch,
 * or the cover letter) to the command on stdin and reads a JSON array on
 * stdout, each element { "tool", "status": "pass" | "warn" | "fail",
 * "summary", "url", "details" }; an empty array is nothing to report, a
 * non-zero exit without JSON an execution error.
 *
 * What pwb knows of the mail's series, from its newest check: for a patch,
 * "pwb-apply" when the series did not apply, "pwb-build" (that patch's
 * build), and on the last patch (and the cover letter) one element per
 * suite ("pwb-SUITE": regression fail, not comparable or not run warn,
 * else pass; details list the failing cases and new findings).  A mail pwb
 * does not know, or a series it has not checked, is one "pwb" element with
 * status warn saying so: never an error that breaks b4.
 */
#ifndef PWB_B4CHECK_H
#define PWB_B4CHECK_H

#include <stddef.h>

#include "ctx.h"

/* The results for the message in data[0..len) (caller decrefs); NULL
 * only when memory runs out. */
struct json_t *b4check_results(struct pwb_ctx *ctx, const char *data, size_t len);

#endif
