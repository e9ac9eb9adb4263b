/*
 * pwb tree add NAME PATH | remove NAME | list
 */
#include "cmds.h"
#include "output.h"
#include "tree.h"
#include "parse-options.h"
#include "util/suggest.h"
#include "util/util.h"
#include "util/vis.h"

#include <stdlib.h>
#include <string.h>

static const char *const usage[] = {
	"pwb tree add NAME PATH",
	"pwb tree remove NAME",
	"pwb tree list [--json]",
	NULL,
};
static const char text[] =
	"Registers a kernel git repository under a name; every --tree option\n"
	"takes a registered NAME or a path.  remove forgets the name only: the\n"
	"repository, pwb's checkouts of it and the checks, builds and runs\n"
	"recorded on it stay (they keep its path).\n";

static int list(struct pwb_ctx *ctx, int json)
{
	struct tree_entry *t;
	json_t *arr = json ? json_array() : NULL;
	size_t n, i;
	int rc = 0;

	if (tree_list(ctx->db, &t, &n))
		return EXIT_FAIL;
	for (i = 0; i < n; i++) {
		if (json) {
			json_t *o = json_object();

			json_object_set_new(o, "name", json_text(t[i].name));
			json_object_set_new(o, "path", json_text(t[i].path));
			json_array_append_new(arr, o);
		} else {
			printf("%-16s %s\n", vis(t[i].name), vis(t[i].path));
		}
	}
	tree_entries_free(t, n);
	if (json) {
		rc = json_print(arr);
		json_decref(arr);
	}
	return rc ? EXIT_FAIL : EXIT_OK;
}

int cmd_tree(int argc, char **argv, struct pwb_ctx *ctx)
{
	static const char *const subs[] = { "add", "remove", "list" };
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
	if (!strcmp(sub, "add")) {
		if (n != 3 || json)
			return usage_with_options_error(usage, text, opts,
				"tree add takes NAME and PATH");
		if (tree_add(ctx->db, argv[2], argv[3]))
			return EXIT_FAIL;
		printf("tree %s registered\n", vis(argv[2]));
		return EXIT_OK;
	}
	if (!strcmp(sub, "list")) {
		if (n != 1)
			return usage_with_options_error(usage, text, opts,
				"tree list takes only --json");
		return list(ctx, json);
	}
	if (!strcmp(sub, "remove")) {
		char *path = NULL;

		if (n != 2 || json)
			return usage_with_options_error(usage, text, opts,
				"tree remove takes one NAME");
		if (tree_remove(ctx->db, argv[2], &path))
			return EXIT_FAIL;
		printf("tree %s removed (%s stays on disk)\n", vis(argv[2]),
		       vis(path));
		free(path);
		return EXIT_OK;
	}
	if (!*sub)
		return usage_with_options_error(usage, text, opts,
			"tree needs 'add NAME PATH', 'remove NAME' or 'list'");
	return usage_with_options_error(usage, text, opts,
					"unknown tree subcommand '%s'%s", sub,
					suggest_hint(sub, subs, ARRAY_SIZE(subs)));
}
