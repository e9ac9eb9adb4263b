/*
 * pwb checkout REV --tree T [--slot N] [--json]: the path of a directory
 * holding REV's files, for builds.
 */
#include "checkout.h"
#include "cmds.h"
#include "output.h"
#include "tree.h"
#include "util/util.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
	"usage: pwb checkout REV --tree T [--slot N] [--json]\n"
	"\n"
	"Prints the path of the checkout of tree T in slot N (default 0) after\n"
	"moving it to REV; only files that differ are rewritten.  The\n"
	"repository's own HEAD, index and work tree are not touched.\n";

int cmd_checkout(int argc, char **argv, struct pwb_ctx *ctx)
{
	static const struct option longopts[] = {
		{ "tree", required_argument, NULL, 't' },
		{ "slot", required_argument, NULL, 's' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *tree_arg = NULL;
	char *path = NULL, *name = NULL, *key = NULL, *workdir = NULL;
	git_repository *repo = NULL;
	git_object *obj = NULL;
	git_tree *tree = NULL;
	struct checkout co = { NULL, NULL, NULL, -1 };
	struct checkout_stats st;
	long slot = 0;
	int c, json = 0, ret = EXIT_FAIL;

	optind = 0;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 't': tree_arg = optarg; break;
		case 's':
			if (parse_long(optarg, &slot) || slot < 0 || slot > 999)
				return usage_error(usage, "--slot takes 0..999");
			break;
		case 'j': json = 1; break;
		case 'h': return usage_help(usage);
		default: return usage_error(usage, "bad option");
		}
	}
	if (optind != argc - 1)
		return usage_error(usage, "checkout takes one REV");
	if (!tree_arg)
		return usage_error(usage, "checkout needs --tree");
	if (tree_resolve(ctx->db, tree_arg, &path, &name) || tree_open(path, &repo))
		goto out;
	if (git_revparse_single(&obj, repo, argv[optind]) ||
	    git_object_peel((git_object **)&tree, obj, GIT_OBJECT_TREE)) {
		error("%s: not a commit or tree in %s", argv[optind], path);
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
		notice("checkout %s: %ld written, %ld removed%s", argv[optind],
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
