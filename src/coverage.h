/*
 * coverage: which of a series' changed lines the suites executed.
 *
 * The tip of the series is built again with gcov on the C files the
 * series changes only (`GCOV_PROFILE_<file>.o=y`, scripts/Makefile.lib):
 * in the cell's own build directory, so only those objects are compiled
 * again; the config must have CONFIG_GCOV_KERNEL=y (pwb's configs do:
 * without profiled objects it costs nothing at run time).  Each suite is
 * booted once more on that kernel, apart from the runs the comparison
 * uses (side by side as boot.parallel says), so the instrumentation
 * cannot bias a benchmark; after the suite
 * /init prints each .gcda of debugfs (base64) on the console, pwb decodes
 * the ones of the files it profiled, and `gcov --json-format` reads them
 * against the build's .gcno files.  The lines each patch changed are the
 * tip's lines that git blame (from the series' base) gives to its
 * commit; a changed line counts when gcov calls it executable, and ran
 * when any suite's boot executed it.
 *
 * The result is a check of each patch (PCHECK_COVERAGE, patchcheck.h):
 * count of `of` changed lines ran, with the functions that hold them:
 * pass when all ran, warn when some never did, skip when there is
 * nothing to measure (no changed C line this kernel builds) or it could
 * not be measured (said in its summary).  gcc only: clang's gcov data
 * needs llvm-cov, not wired (skip, said).
 *
 * Ownership: options borrowed; out[] owned by the caller
 * (patch_check_release each).
 */
#ifndef PWB_COVERAGE_H
#define PWB_COVERAGE_H

#include <stddef.h>

#include "ctx.h"
#include "kbuild.h"
#include "patchcheck.h"
#include "suite.h"

struct coverage_patch {
	int idx;
	const char *commit;	/* hex */
};

struct coverage_opts {
	const char *tree_arg;	/* the tree, as kbuild takes it */
	const char *repo_path;
	const char *config;	/* the cell's config (NULL: the arch's) */
	const char *arch, *toolchain;
	const char *base;	/* the commit the series applies to */
	const struct coverage_patch *patches;	/* in order; the last is the tip */
	size_t npatches;
	const struct suite *suites;
	size_t nsuites;
	const char *qemu;	/* boot.qemu, or NULL: the arch's */
	long parallel;		/* boots side by side (boot.parallel) */
	kbuild_progress_fn progress;	/* NULL: none */
	void *progress_ud;
};

/*
 * out[0..npatches-1]: one coverage check per patch (kind, idx set).
 * 0; -1 (said: the repository), out untouched.
 */
int coverage_series(struct pwb_ctx *ctx, const struct coverage_opts *o,
		    struct patch_check *out);

/*
 * The .gcda files in a guest's console (coverage_series' /init prints
 * them): for each path of want[] (build-relative "mm/mmu_notifier.gcda"),
 * the decoded bytes of the block whose guest path ends with "/" + it, or
 * NULL with len 0 when none (or it does not decode).  Untrusted: only the
 * wanted names are taken.  data[i] owned (g_free).
 */
void coverage_gcda_from_console(const char *console, char *const *want,
				size_t n, unsigned char **data, size_t *len);

/* What /init runs after the suite to print them. */
extern const char coverage_dump_command[];

#endif
