/*
 * pwb build --tree T --rev REV [--config NAME] [--json]
 * Exit 0 built (or already built), 1 error, 2 the kernel did not build or
 * configure, 3 infrastructure trouble, 130 interrupted.
 */
#include "cmds.h"
#include "progress.h"
#include "arch.h"
#include "kbuild.h"
#include "output.h"
#include "util/run.h"
#include "util/util.h"
#include "util/vis.h"

#include <string.h>
#include <unistd.h>

static const char *const usage[] = {
	"pwb build --tree T --rev REV [--config NAME] [--slot N] [--json]",
	NULL,
};
static const char usage_text[] =
	"Builds REV of tree T out of tree (O=) with bench/configs/NAME.config\n"
	"(default qemu-x86_64) merged over its base target.  The build\n"
	"directory is reused across revisions; a tree, config and toolchain\n"
	"already built is not built again.\n"
	"\n"
	"config: build.jobs (cores), build.timeout (7200 s), build.cachesize (2g)\n";

int cmd_build(int argc, char **argv, struct pwb_ctx *ctx)
{
	struct kbuild_request q = { 0 };
	const struct arch *ta;
	const struct toolchain *tt;
	struct kbuild_result r;
	int n, json = 0, ret;
	long slot = 0;

	const struct opt opts[] = {
		OPT_TREE(&q.tree_arg),
		OPT_STRING(0, "rev", &q.rev, "REV", "the revision to build"),
		OPT_STRING(0, "config", &q.config, "NAME", "bench/configs/NAME.config"),
			OPT_ARCH(&q.arch),
			OPT_TOOLCHAIN(&q.toolchain),
		OPT_SLOT(&slot),
		OPT_JSON(&json),
		OPT_END(),
	};

	n = parse_options(argc, argv, usage, usage_text, opts);
	if (n < 0)
		return parse_options_exit(n);
	q.slot = (int)slot;
	if (n || !q.tree_arg || !q.rev)
		return usage_with_options_error(usage, usage_text, opts,
							"build needs --tree and --rev");
	q.progress = progress_build(json);
	if (target_resolve(ctx, q.arch, q.toolchain, &ta, &tt))
		return EXIT_FAIL;
	q.arch = ta->name;
	q.toolchain = tt->name;
	run_install_signal_handlers();
	if (kbuild(ctx, &q, &r))
		return run_interrupted() ? 130 : EXIT_FAIL;
	if (json) {
		json_t *o = json_build(&r);

		json_print(o);
		json_decref(o);
	} else {
		printf("build %ld: %s %.12s (%s, %s, %s) %s", r.id,
		       build_status_name(r.status), r.commit, r.config_name,
		       r.arch, r.compiler, r.cached ? "already built" : "");
		if (!r.cached)
			printf("in %.0f s", r.seconds);
		printf("\n");
		if (r.bzimage)
			printf("  image    %s (%ld bytes)\n", r.bzimage, r.bzimage_size);
		printf("  warnings %d (%d new)\n", r.warnings, r.new_warnings);
		if (r.error)
			printf("  error    %s\n", vis(r.error));
	}
	ret = build_exit(kbuild_outcome(r.status));
	if (ret && r.error)
		error("build %s: %s", build_status_name(r.status), strtok(r.error, "\n"));
	kbuild_result_release(&r);
	return ret;
}
