#include "verdict.h"
#include "compare.h"

#include "util/util.h"

#include <string.h>

static const char *const status_names[] = {
	[CHECK_ST_RUNNING] = "running",
	[CHECK_ST_DONE] = "done",
	[CHECK_ST_ERROR] = "error",
	[CHECK_ST_INTERRUPTED] = "interrupted",
};

static const char *const verdict_names[] = {
	[CHECK_VERDICT_NONE] = NULL,
	[CHECK_VERDICT_NO_REGRESSION] = "no-regression",
	[CHECK_VERDICT_REGRESSION] = "regression",
	[CHECK_VERDICT_DOES_NOT_APPLY] = "does-not-apply",
	[CHECK_VERDICT_DOES_NOT_BUILD] = "does-not-build",
	[CHECK_VERDICT_NOT_COMPARABLE] = "not-comparable",
	[CHECK_VERDICT_INFRA_ERROR] = "infra-error",
};

static const char *const suite_status_names[] = {
	[CHECK_SUITE_COMPARED] = "compared",
	[CHECK_SUITE_INFRA_ERROR] = "infra-error",
};

const char *check_status_name(enum check_status s)
{
	return (size_t)s < ARRAY_SIZE(status_names) ? status_names[s] : "error";
}

int check_status_parse(const char *s, enum check_status *out)
{
	int i = name_index(status_names, ARRAY_SIZE(status_names), s);

	if (i < 0)
		return -1;
	*out = (enum check_status)i;
	return 0;
}

const char *check_verdict_name(enum check_verdict v)
{
	return (size_t)v < ARRAY_SIZE(verdict_names) ? verdict_names[v] : NULL;
}

int check_verdict_parse(const char *s, enum check_verdict *out)
{
	int i = s ? name_index(verdict_names, ARRAY_SIZE(verdict_names), s) :
		CHECK_VERDICT_NONE;

	if (i < 0)
		return -1;
	*out = (enum check_verdict)i;
	return 0;
}

const char *check_suite_status_name(enum check_suite_status s)
{
	return suite_status_names[(size_t)s < ARRAY_SIZE(suite_status_names) ?
				  s : CHECK_SUITE_INFRA_ERROR];
}

int check_suite_status_parse(const char *s, enum check_suite_status *out)
{
	int i = name_index(suite_status_names, ARRAY_SIZE(suite_status_names), s);

	if (i < 0)
		return -1;
	*out = (enum check_suite_status)i;
	return 0;
}

enum check_verdict check_verdict_judge(const struct suite_cmp *suites,
				       char *const *errors, size_t n,
				       int running, enum check_verdict so_far)
{
	int regressions = 0, not_comparable = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		regressions += suites[i].regressions;
		if (!errors[i] && !suites[i].comparable)
			not_comparable++;
	}
	if (regressions)
		return CHECK_VERDICT_REGRESSION;
	if (running && not_comparable)
		return CHECK_VERDICT_NOT_COMPARABLE;
	if (running)
		return CHECK_VERDICT_NO_REGRESSION;
	return so_far;
}
