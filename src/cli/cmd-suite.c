/*
 * pwb suite list: the suites of bench/suites, what each tests, its
 * format and the config it needs.
 */
#include "cmds.h"
#include "output.h"
#include "suite.h"
#include "parse-options.h"
#include "util/util.h"
#include "util/vis.h"

#include <stdlib.h>
#include <string.h>

static const char *const usage[] = {
	"pwb suite list [--json]",
	NULL,
};
static const char text[] =
	"Lists the suites of bench/suites (core.datadir, $PWB_DATADIR): each\n"
	"suite's name, result format, the config it is built with\n"
	"(bench/configs/NAME.config; qemu-x86_64 means the arch's default)\n"
	"and what it tests.  docs/suites.md says how to write one.\n";

static json_t *suite_json(const struct suite *s)
{
	json_t *o = json_object(), *a;
	size_t i;

	json_object_set_new(o, "name", json_text(s->name));
	json_object_set_new(o, "description", json_text(s->description));
	json_object_set_new(o, "format",
			    json_string(suite_format_name(s->format)));
	json_object_set_new(o, "config", json_text(s->config));
	json_object_set_new(o, "needs_tree",
			    json_boolean(suite_needs_tree(s)));
	json_object_set_new(o, "kunitconfig", json_text(s->kunitconfig));
	a = json_array();
	for (i = 0; i < s->nkmodules; i++)
		json_array_append_new(a, json_text(s->kmodules[i]));
	json_object_set_new(o, "kmodules", a);
	a = json_array();
	for (i = 0; i < s->nmetrics; i++)
		json_array_append_new(a, json_text(s->metrics[i].name));
	json_object_set_new(o, "metrics", a);
	json_object_set_new(o, "repeat", json_integer(s->repeat));
	json_object_set_new(o, "dir", json_text(s->dir));
	return o;
}

static int list(struct pwb_ctx *ctx, int json)
{
	struct suite *s;
	size_t n, nbad, i;
	char *datadir = pwb_datadir(ctx);
	json_t *arr = json ? json_array() : NULL;
	int rc = EXIT_FAIL;

	if (suite_list(datadir, &s, &n, &nbad))
		goto out;
	for (i = 0; i < n; i++) {
		if (json)
			json_array_append_new(arr, suite_json(&s[i]));
		else {
			/* within 80 columns: the description goes on under
			 * itself */
			int at = printf("%-12s %-9s  %-12s ", vis(s[i].name),
					suite_format_name(s[i].format),
					vis(s[i].config));

			fput_wrapped(stdout, at > 0 ? (size_t)at : 0, 37, 80,
				     vis(s[i].description));
		}
	}
	suite_list_free(s, n);
	if (json && json_print(arr))
		goto out;
	if (!n && !nbad)
		warning("no suites in %s/bench/suites", datadir);
	rc = nbad ? EXIT_FAIL : EXIT_OK;
out:
	if (arr)
		json_decref(arr);
	free(datadir);
	return rc;
}

int cmd_suite(int argc, char **argv, struct pwb_ctx *ctx)
{
	int json = 0, n;
	const struct opt opts[] = {
		OPT_JSON(&json),
		OPT_END(),
	};
	const char *sub;

	n = parse_options(argc, argv, usage, text, opts);
	if (n < 0)
		return parse_options_exit(n);
	sub = n ? argv[1] : "";
	if (!strcmp(sub, "list")) {
		if (n != 1)
			return usage_with_options_error(usage, text, opts,
				"suite list takes only --json");
		return list(ctx, json);
	}
	if (!*sub)
		return usage_with_options_error(usage, text, opts,
						"suite needs 'list'");
	return usage_with_options_error(usage, text, opts,
					"'%s' is not a suite sub-command; "
					"suite needs 'list'", vis(sub));
}
