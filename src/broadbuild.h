/*
 * broadbuild: each patch of a series built where its small configs do not
 * reach: the objects it affects (affected.h) compiled alone under the
 * broad config bench/configs/allmodconfig.config (allmodconfig, warnings
 * not errors) with W=1, at the patch and at the commit before it, in one
 * prepared build directory per tree x arch x toolchain that every check
 * reuses (kbuild_objects).  The result is a patch check of its own
 * (PCHECK_BROADBUILD, patchcheck.h):
 *
 *   fail  the patch brings a compiler error (file, line, message) the
 *         commit before it did not have: the patch does not build (a check
 *         says does-not-build);
 *   warn  new warnings (compared with the line numbers left out, as
 *         netdev's NIPA does, so code that moved is not new), or objects
 *         that no rule compiles under this config and arch (another
 *         arch's code, an option allmodconfig cannot turn on): listed;
 *         with warnings_fail (config check.newwarnings = fail) a new
 *         warning fails;
 *   pass  every object built and nothing new;
 *   skip  nothing to build (the patch touches no C file and removes no
 *         identifier that C files use).
 *
 * Ownership: the options and the patch are borrowed.
 */
#ifndef PWB_BROADBUILD_H
#define PWB_BROADBUILD_H

#include "ctx.h"
#include "kbuild.h"
#include "patchcheck.h"

struct broadbuild_opts {
	const char *tree_arg;	/* the tree, as kbuild takes it */
	const char *repo_path;	/* its repository, for git grep */
	const char *arch;	/* NULL: x86_64 */
	const char *toolchain;	/* NULL: gcc */
	int warnings_fail;	/* a new warning fails the patch */
	int sparse;		/* and sparse (C=2) on them: its warnings
				 * compared alike (kbuild_have_sparse) */
	size_t max_objects;	/* 0: 40 */
	kbuild_progress_fn progress;	/* NULL: none */
	void *progress_ud;
};

struct broadbuild_patch {
	int idx;
	const char *parent;	/* commit ids, hex */
	const char *commit;
	const char *diff;	/* the patch's diff (what it touches) */
};

/* The broad build of one patch into out (kind PCHECK_BROADBUILD, idx
 * set).  0, or -1 (said: the tree, git grep, the fragment), out unset. */
int broadbuild_patch(struct pwb_ctx *ctx, const struct broadbuild_opts *o,
		     const struct broadbuild_patch *p, struct patch_check *out);

#endif
