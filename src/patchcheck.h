/*
 * patchcheck: the checks maintainers run on every patch of a series,
 * beside the builds and the suites (netdev's NIPA, `b4 prep --check`):
 *
 *   checkpatch  the tree's own scripts/checkpatch.pl (at the series'
 *               base) on the patch as it was mailed, as b4 runs it
 *               (-q --terse --no-summary --mailback --showfile), with
 *               --no-tree: its files come from the base commit, not a
 *               checkout; the commit ids it looks up, in the tree's
 *               repository (GIT_DIR).  An ERROR fails, a WARNING warns.
 *   fixes       every Fixes: tag of the commit message names a commit of
 *               the tree that the base contains, with that commit's
 *               subject (NIPA's verify_fixes): a tag naming no commit, an
 *               ambiguous id or one the base does not contain fails; a
 *               subject that differs warns.
 *   signoff     the author signed off, and a sender other than the author
 *               too (NIPA's verify_signedoff; the DCO).
 *   kernel-doc  the base's scripts/kernel-doc -none on each .c and .h
 *               file the patch touches, before and after it: a warning
 *               the file did not have before (its line number left out,
 *               as NIPA's kdoc compares) warns.
 *
 *
 * They inform: a check's verdict is the builds' and the suites' (docs/
 * checks.md says why), with one exception: the broad build
 * (broadbuild.h) fails a patch that does not build.  Coverage
 * (coverage.h) is recorded beside them as a check of each patch too.  Each result is a struct patch_check; the checks
 * tables keep them (checkdb.h), the reports print them.
 *
 * Ownership: struct patch_check owns summary and lines
 * (patch_check_release).
 */
#ifndef PWB_PATCHCHECK_H
#define PWB_PATCHCHECK_H

#include <stddef.h>

#include <git2/oid.h>

#include "store.h"

enum patch_check_kind {
	PCHECK_CHECKPATCH,
	PCHECK_FIXES,
	PCHECK_SIGNOFF,
	PCHECK_KERNELDOC,
	PCHECK_BROADBUILD,	/* broadbuild.h: the objects it affects under
				 * allmodconfig W=1; a fail is a patch that
				 * does not build */
	PCHECK_COVERAGE,	/* coverage.h: its changed lines the suites
				 * ran */
};
#define PCHECK_NKINDS 6
const char *patch_check_kind_name(enum patch_check_kind k);
/* 0 with *out, -1 (quietly, *out untouched) */
int patch_check_kind_parse(const char *s, enum patch_check_kind *out);

enum patch_check_status {
	PCHECK_PASS,
	PCHECK_WARN,
	PCHECK_FAIL,
	PCHECK_SKIP,	/* could not be run (the tree has no checkpatch.pl) */
};
const char *patch_check_status_name(enum patch_check_status s);
int patch_check_status_parse(const char *s, enum patch_check_status *out);

struct patch_check {
	int idx;			/* the patch: 1..N */
	enum patch_check_kind kind;
	enum patch_check_status status;
	char *summary;			/* one line: "2 warnings, 0 errors" */
	char *lines;			/* what it found, a line each, or NULL */
	long count, of;			/* coverage: count of `of` changed
					 * lines ran; -1 -1 for the others */
};
void patch_check_release(struct patch_check *c);

/*
 * The sign-offs of message (the commit message) against the patch's
 * author and sender (NULL: the same as the author).  Never fails.
 */
void patchcheck_signoff(const char *message, const char *author_name,
			const char *author_email, const char *sender_email,
			struct patch_check *out);

/*
 * The tree the checks of a series run against: its repository, opened
 * once, and the base's scripts (checkpatch.pl and the files it reads
 * beside itself, kernel-doc) extracted once into a private temporary
 * directory.  Owned; patchcheck_tree_release removes the directory.
 */
struct patchcheck_tree {
	struct git_repository *repo;
	struct git_oid base_oid;
	char dir[4096];		/* "" when none */
	int have_checkpatch, have_kerneldoc;
};
/* base: a commit id (hex).  0, or -1 (said: the repository, the base, a
 * temporary directory), t released. */
int patchcheck_tree_open(struct patchcheck_tree *t, const char *repo_path,
			 const char *base);
void patchcheck_tree_release(struct patchcheck_tree *t);

/* The Fixes: tags of message: each must name a commit the base
 * contains.  0 (out set). */
int patchcheck_fixes(struct patchcheck_tree *t, const char *message,
		     struct patch_check *out);

/*
 * The base's checkpatch.pl on mail (the patch as mailed, raw).  0 (out
 * set: a skip when the base has none, or perl did not finish), or -1
 * (a temporary file: said).
 */
int patchcheck_checkpatch(struct patchcheck_tree *t, const char *mail,
			  size_t len, struct patch_check *out);

/*
 * kernel-doc warnings of the .c and .h files diff touches, at commit
 * against parent (the script: the base's).  At most 20 files; the rest
 * are named as left out.  0 (out set; a skip when the base has no
 * scripts/kernel-doc), or -1 (said).
 */
int patchcheck_kerneldoc(struct patchcheck_tree *t, const char *parent,
			 const char *commit, const char *diff,
			 struct patch_check *out);

#endif
