/*
 * pwb checkout REV --tree T [--slot N] [--json]: the path of a directory
 * holding REV's files, for builds.
 */
#include "checkout.h"
#include "cmds.h"
#include "output.h"
#include "tree.h"
#include "util/util.h"

#include <stdlib.h>
#include <string.h>

static const char *const usage[] = {
	"pwb checkout REV --tree T [--slot N] [--json]",
	NULL,
};
static const char usage_text[] =
	"Prints the path of the checkout of tree T in slot N (default 0) after\n"
	"moving it to REV; only files that differ are rewritten.  The\n"
	"repository's own HEAD, index and work tree are not touched.\n";

int cmd_checkout(int argc, char **argv, struct pwb_ctx *ctx)
{
	const char *tree_arg = NULL;
	char *path = NULL, *name = NULL, *key = NULL, *workdir = NULL;
	git_repository *repo = NULL;
	git_object *obj = NULL;
	git_tree *tree = NULL;
	struct checkout co = { NULL, NULL, NULL, -1 };
	struct checkout_stats st;
	long slot = 0;
	int n, json = 0, ret = EXIT_FAIL;

	const struct opt opts[] = {
		OPT_TREE(&tree_arg),
		OPT_SLOT(&slot),
		OPT_JSON(&json),
		OPT_END(),
	};

	n = parse_options(argc, argv, usage, usage_text, opts);
	if (n < 0)
		return parse_options_exit(n);
	if (n != 1)
		return usage_with_options_error(usage, usage_text, opts,
							"checkout takes one REV");
	if (!tree_arg)
		return usage_with_options_error(usage, usage_text, opts,
							"checkout needs --tree");
	if (tree_resolve(ctx->db, tree_arg, &path, &name) || tree_open(path, &repo))
		goto out;
	if (git_revparse_single(&obj, repo, argv[1]) ||
	    git_object_peel((git_object **)&tree, obj, GIT_OBJECT_TREE)) {
		error("%s: not a commit or tree in %s", argv[1], path);
		goto out;
	}
	key = checkout_key(name, path);
	workdir = checkout_workdir(ctx);
	if (checkout_open(&co, workdir, key, (int)slot) ||
	    checkout_move(&co, repo, tree, &st))
		goto out;
	if (json) {
		json_t *o = json_object();
		char hex[GIT_OID_HEXSZ + 1];

		git_oid_tostr(hex, sizeof(hex), git_tree_id(tree));
		json_object_set_new(o, "path", json_string(co.dir));
		json_object_set_new(o, "tree", json_string(hex));
		json_object_set_new(o, "written", json_integer(st.written));
		json_object_set_new(o, "removed", json_integer(st.removed));
		json_object_set_new(o, "repaired", json_boolean(st.repaired));
		json_print(o);
		json_decref(o);
	} else {
		notice("checkout %s: %ld written, %ld removed%s", argv[1],
		       st.written, st.removed,
		       st.repaired ? " (compared by content)" : "");
		printf("%s\n", co.dir);
	}
	ret = EXIT_OK;
out:
	checkout_close(&co);
	git_tree_free(tree);
	git_object_free(obj);
	git_repository_free(repo);
	free(path);
	free(name);
	free(key);
	free(workdir);
	return ret;
}
