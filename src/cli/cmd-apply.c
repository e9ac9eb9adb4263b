/*
 * pwb apply SERIES --tree T [--base REV] [--json]
 * Exit 0 when every patch applied, 2 when one did not, 3 when the system
 * failed (disk full, I/O error, read-only repository: not the series'
 * fault), 1 on other errors.
 */
#include "apply.h"
#include "cmds.h"
#include "db.h"
#include "applydb.h"
#include "lore.h"
#include "output.h"
#include "store.h"
#include "tree.h"
#include "util/util.h"
#include "util/vis.h"

#include <glib.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *const usage[] = {
	"pwb apply SERIES --tree T [--base REV] [--json]",
	NULL,
};
static const char usage_text[] =
	"Makes one commit per patch on branch pwb/<series-id>-v<version> of\n"
	"tree T (a registered name or a path), without touching its HEAD,\n"
	"index or work tree.  A branch that is checked out, or that moved\n"
	"since pwb left it, is left alone: pwb/<id>-v<version>-2 (-3...)\n"
	"is used instead, and said.  The base is --base, else the series'\n"
	"base-commit.  Exit 0: all applied; 2: a patch did not apply;\n"
	"3: the system failed (disk full, I/O error).\n";

#define EXIT_NOT_APPLIED 2
#define EXIT_INFRA 3

static void print_text(const struct stored_series *s,
		       const struct apply_result *r, const char *path)
{
	size_t i;

	printf("series %ld v%d on %s\n", s->id, s->version, vis(path));
	printf("  base:   %s: %s\n", r->base, r->base_why ? r->base_why :
	       r->base_rule);
	for (i = 0; i < r->npatches; i++) {
		const struct patch_result *p = &r->patches[i];

		if (p->status == PR_APPLIED) {
			printf("  %d/%zu %-9s %.12s", p->idx, r->npatches,
			       apply_strategy_name(p->strategy), p->commit);
			if (p->strategy == STRAT_OFFSET && p->offset)
				printf(" (offset %d line%s)", p->offset,
				       p->offset == 1 ? "" : "s");
			printf("  %s\n", vis(s->patches[i].subject));
		} else if (p->status == PR_FAILED) {
			printf("  %d/%zu FAILED    %s\n", p->idx, r->npatches,
			       vis(s->patches[i].subject));
			printf("        %s\n", vis(p->error));
		} else {
			printf("  %d/%zu skipped   %s\n", p->idx, r->npatches,
			       vis(s->patches[i].subject));
		}
	}
	if (r->ok)
		printf("  branch: %s at %.12s%s\n", r->branch, r->head,
		       r->reused ? " (commits reused from an earlier apply)" : "");
	else
		printf("  not applied: no branch made\n");
}

static json_t *to_json(const struct apply_result *r)
{
	json_t *o = json_object(), *arr = json_array();
	size_t i;

	json_object_set_new(o, "branch", r->ok ? json_string(r->branch) : json_null());
	json_object_set_new(o, "base", json_string(r->base));
	json_object_set_new(o, "base_rule", json_string(r->base_rule));
	json_object_set_new(o, "base_why", json_text(r->base_why));
	json_object_set_new(o, "head", r->ok ? json_string(r->head) : json_null());
	json_object_set_new(o, "reused", json_boolean(r->reused));
	for (i = 0; i < r->npatches; i++) {
		const struct patch_result *p = &r->patches[i];
		json_t *po = json_object();
		const char *sn = apply_strategy_name(p->strategy);

		json_object_set_new(po, "index", json_integer(p->idx));
		json_object_set_new(po, "status", json_string(patch_status_name(p->status)));
		json_object_set_new(po, "strategy", sn ? json_string(sn) : json_null());
		json_object_set_new(po, "offset", json_integer(p->offset));
		json_object_set_new(po, "commit", p->commit[0] ?
				    json_string(p->commit) : json_null());
		json_object_set_new(po, "error", json_text(p->error));
		json_array_append_new(arr, po);
	}
	json_object_set_new(o, "patches", arr);
	return o;
}

int cmd_apply(int argc, char **argv, struct pwb_ctx *ctx)
{
	const char *tree_arg = NULL, *base = NULL;
	char *path = NULL, *name = NULL;
	struct stored_series s;
	struct apply_result r;
	int n, rc, json = 0, ret = EXIT_FAIL;
	long sid, run_id;

	memset(&r, 0, sizeof(r));
	const struct opt opts[] = {
		OPT_TREE(&tree_arg),
		OPT_BASE(&base),
		OPT_JSON(&json),
		OPT_END(),
	};

	n = parse_options(argc, argv, usage, usage_text, opts);
	if (n < 0)
		return parse_options_exit(n);
	if (n != 1)
		return usage_with_options_error(usage, usage_text, opts,
							"apply takes one SERIES");
	if (!tree_arg)
		return usage_with_options_error(usage, usage_text, opts,
							"apply needs --tree");
	if (store_find_series(ctx->db, argv[1], &sid))
		return EXIT_FAIL;
	if (tree_resolve(ctx->db, tree_arg, &path, &name))
		return EXIT_FAIL;
	rc = apply_to_tree(ctx, sid, tree_arg, base, &s, &r, &run_id);
	if (rc) {
		/* no base: pwb could not tell, an error (give --base) */
		ret = rc == APPLY_EINFRA ? EXIT_INFRA : EXIT_FAIL;
		apply_result_release(&r);
		goto out;
	}
	if (json) {
		json_t *j = to_json(&r);

		json_print(j);
		json_decref(j);
	} else {
		print_text(&s, &r, name ? name : path);
	}
	ret = r.ok ? EXIT_OK : EXIT_NOT_APPLIED;
	if (!r.ok)
		for (size_t i = 0; i < r.npatches; i++)
			if (r.patches[i].status == PR_FAILED)
				error("patch %d/%zu does not apply: %s",
				      r.patches[i].idx, r.npatches,
				      r.patches[i].error);
	apply_result_release(&r);
	stored_series_release(&s);
out:
	free(path);
	free(name);
	return ret;
}
