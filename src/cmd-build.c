/*
 * pwb build --tree T --rev REV [--config NAME] [--json]
 * Exit 0 built (or already built), 1 error, 2 the kernel did not build or
 * configure, 3 infrastructure trouble, 130 interrupted.
 */
#include "cmds.h"
#include "kbuild.h"
#include "output.h"
#include "util/run.h"
#include "util/util.h"
#include "util/vis.h"

#include <getopt.h>
#include <string.h>
#include <unistd.h>

static const char usage[] =
	"usage: pwb build --tree T --rev REV [--config NAME] [--slot N] [--json]\n"
	"\n"
	"Builds REV of tree T out of tree (O=) with bench/configs/NAME.config\n"
	"(default qemu-x86_64) merged over its base target.  The build\n"
	"directory is reused across revisions; a tree, config and toolchain\n"
	"already built is not built again.\n"
	"\n"
	"config: build.jobs (cores), build.timeout (7200 s), build.cachesize (2g)\n";

int cmd_build(int argc, char **argv, struct pwb_ctx *ctx)
{
	static const struct option longopts[] = {
		{ "tree", required_argument, NULL, 't' },
		{ "rev", required_argument, NULL, 'r' },
		{ "config", required_argument, NULL, 'c' },
		{ "slot", required_argument, NULL, 's' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct kbuild_request q = { NULL, NULL, NULL, 0, 0, 0 };
	struct kbuild_result r;
	int c, json = 0, ret;
	long v;

	optind = 0;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 't': q.tree_arg = optarg; break;
		case 'r': q.rev = optarg; break;
		case 'c': q.config = optarg; break;
		case 's':
			if (parse_long(optarg, &v) || v < 0 || v > 999)
				return usage_error(usage, "--slot takes 0..999");
			q.slot = (int)v;
			break;
		case 'j': json = 1; break;
		case 'h': return usage_help(usage);
		default: return usage_error(usage, "bad option");
		}
	}
	if (optind != argc || !q.tree_arg || !q.rev)
		return usage_error(usage, "build needs --tree and --rev");
	q.progress = !json && isatty(2);
	run_install_signal_handlers();
	if (kbuild(ctx, &q, &r))
		return run_interrupted() ? 130 : EXIT_FAIL;
	if (json) {
		json_t *o = json_build(&r);

		json_print(o);
		json_decref(o);
	} else {
		printf("build %ld: %s %.12s (%s) %s", r.id, r.status, r.commit,
		       r.config_name, r.cached ? "already built" : "");
		if (!r.cached)
			printf("in %.0f s", r.seconds);
		printf("\n");
		if (r.bzimage)
			printf("  bzImage  %s (%ld bytes)\n", r.bzimage, r.bzimage_size);
		printf("  warnings %d (%d new)\n", r.warnings, r.new_warnings);
		if (r.error)
			printf("  error    %s\n", vis(r.error));
	}
	ret = build_exit(kbuild_outcome(r.status));
	if (ret && r.error)
		error("build %s: %s", r.status, strtok(r.error, "\n"));
	kbuild_result_release(&r);
	return ret;
}
