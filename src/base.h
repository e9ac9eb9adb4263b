/*
 * base: which commit of a tree a series is applied to, and why.
 *
 * In this order:
 *   option       --base REV
 *   base-commit  the series' own `base-commit:` line, when the tree has it
 *   fallback     apply.fallbackbase, when set
 *   guessed      from the pre-image blob ids of the patches' `index` lines
 *                (as `b4 am --guess-base` and `git am -3` use them): the
 *                newest commit of the tree's HEAD and branches (then, if
 *                none has them all, its tags) whose files have those
 *                blobs.  "Newest" is by ancestry, never by commit date
 *                (imported trees carry the import's date): the search goes
 *                breadth first from the tips, does not go on below a
 *                commit that has every blob, and of the commits that have
 *                them all takes one no other descends from (the first
 *                reached when they are on unrelated lines).  Bounded
 *                (BASE_GUESS_MAX commits from the branches, as many from
 *                the tags); a commit with only some of the blobs is used,
 *                and said (N of M).
 *   head         the tree's HEAD, when no blob was found: the series is
 *                only taken to apply there if it does (apply.c).
 * A series that does not apply on a base pwb only guessed in part, or on
 * HEAD, has no base (APPLY_ENOBASE): that says nothing about the series.
 */
#ifndef PWB_BASE_H
#define PWB_BASE_H

#include <git2.h>

#include "store.h"

#define BASE_GUESS_MAX 20000

enum base_rule {
	BASE_OPTION,
	BASE_COMMIT,
	BASE_FALLBACK,
	BASE_GUESSED,
	BASE_HEAD,
};
/* "option", "base-commit", "fallback", "guessed", "head": as the
 * database (applies.base_rule) and JSON keep them */
const char *base_rule_name(enum base_rule r);
/* 0 with *out, or -1 (quietly) for a string that is none of them */
int base_rule_parse(const char *s, enum base_rule *out);

/* A file the series changes as it is before the series: its path and the
 * abbreviated blob id of its `index` line. */
struct base_preimage {
	char *path;
	char hex[GIT_OID_HEXSZ + 1];
};

/*
 * The pre-images of series s: each file's first change in the series
 * whose pre-image is not new (0000000) and not made by an earlier patch of
 * the series.  *out is allocated (base_preimages_free); returns the count.
 */
size_t base_preimages(const struct stored_series *s, struct base_preimage **out);
void base_preimages_free(struct base_preimage *p, size_t n);

/*
 * The newest commit reachable from HEAD, refs/heads, refs/remotes and
 * refs/tags (at most max commits looked at) whose tree has the most of
 * pre[0..n): 1 with *out and *matched (> 0), 0 when no commit has any,
 * -1 on a repository error (said).
 */
int base_guess(git_repository *repo, const struct base_preimage *pre,
	       size_t n, size_t max, git_oid *out, int *matched);

struct base_choice {
	git_oid id;
	enum base_rule rule;
	int matched, total;	/* guessed: blobs found of the pre-images */
	char *why;		/* how it was chosen, one line (owned) */
};

/*
 * Choose the base of s in repo as above (rev: --base or NULL; fallback:
 * apply.fallbackbase or NULL).  0 with *out filled, -1 with the error
 * said (a --base or apply.fallbackbase that is not a commit, a tree with
 * no HEAD when nothing else is found, the repository).
 */
int base_choose(git_repository *repo, const struct stored_series *s,
		const char *rev, const char *fallback, struct base_choice *out);
void base_choice_release(struct base_choice *c);

/* A guess in part or HEAD: a failed apply there says nothing about the
 * series, only that pwb found no base. */
int base_choice_tentative(const struct base_choice *c);

#endif
