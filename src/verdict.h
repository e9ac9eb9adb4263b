/*
 * verdict: what a check came to, as typed outcomes.  A checks row's
 * status (running, done, error, interrupted), its verdict
 * (no-regression, regression, does-not-apply, does-not-build,
 * not-comparable, infra-error) and a check_suites row's status
 * (compared, infra-error); the database and JSON keep the strings
 * _name() gives, _parse() reads them back.  check_verdict_judge() is the
 * one rule that turns the compared suites into a verdict, for pwb check
 * as it finishes and for anything that reloads a check.
 *
 * The commands map these to exit statuses; the library never does.
 */
#ifndef PWB_VERDICT_H
#define PWB_VERDICT_H

#include <stddef.h>

struct suite_cmp;

enum check_status {
	CHECK_ST_RUNNING,
	CHECK_ST_DONE,		/* a verdict was reached */
	CHECK_ST_ERROR,		/* could not check */
	CHECK_ST_INTERRUPTED,
};
const char *check_status_name(enum check_status s);
/* 0 with *out, -1 (quietly) for a string that is none of them */
int check_status_parse(const char *s, enum check_status *out);

enum check_verdict {
	CHECK_VERDICT_NONE,		/* not yet, or interrupted */
	CHECK_VERDICT_NO_REGRESSION,
	CHECK_VERDICT_REGRESSION,
	CHECK_VERDICT_DOES_NOT_APPLY,
	CHECK_VERDICT_DOES_NOT_BUILD,
	CHECK_VERDICT_NOT_COMPARABLE,	/* a suite ran but gave nothing to compare */
	CHECK_VERDICT_INFRA_ERROR,	/* could not check */
};
/* NULL for CHECK_VERDICT_NONE (a NULL in the database and JSON) */
const char *check_verdict_name(enum check_verdict v);
/* NULL reads as CHECK_VERDICT_NONE; 0, or -1 (quietly) for an unknown one */
int check_verdict_parse(const char *s, enum check_verdict *out);

/* A suite of a check (check_suites): its two sides compared, or it could
 * not run (its error says why). */
enum check_suite_status {
	CHECK_SUITE_COMPARED,
	CHECK_SUITE_INFRA_ERROR,
};
/* "compared", "infra-error"; "infra-error" for none of them */
const char *check_suite_status_name(enum check_suite_status s);
/* 0 with *out, -1 (quietly, *out untouched) for a string that is none */
int check_suite_status_parse(const char *s, enum check_suite_status *out);

/*
 * The verdict of a check whose suites were compared: suites[i] with
 * errors[i] (why suite i was not compared, or NULL).  Any regression
 * makes it a regression, even beside a suite that could not run; while
 * the check is still running, a suite that ran but could not be compared
 * makes it not-comparable, and otherwise it is no-regression.  A check
 * no longer running keeps the verdict it had (so_far) when nothing
 * regressed.
 */
enum check_verdict check_verdict_judge(const struct suite_cmp *suites,
				       char *const *errors, size_t n,
				       int running, enum check_verdict so_far);

#endif
