/*
 * apply: a stored series becomes commits on a new branch of a kernel
 * tree, made with libgit2 objects only: no checkout, and HEAD, the index
 * and the work tree of the repository are left alone.
 *
 * Each patch is tried with these strategies, in order, and the one that
 * worked is recorded:
 *   exact      git_apply_to_tree()
 *   offset     every hunk's context found, some a few lines away (as
 *              `git apply` does)
 *   three-way  the patch's preimage blob (its "index <pre>..<post>" line)
 *              is in the repository: apply there, then git_merge_file()
 * The series stops at the first patch that does not apply; the branch is
 * then not created or moved, so nothing half-made stays referenced.
 *
 * The branch is the series' own (apply_branch_name: from its message-id
 * and version, the same in every database), moved only when it points
 * where pwb last left it (or at the new head already, or at an apply of
 * the same series pwb made from another database: its tip is the
 * series' last patch) and no worktree has it checked out: a branch the
 * user committed to, or checked out, is left alone and the next free
 * <name>-2, -3, ... is used instead.
 *
 * A write the system refused (disk full, I/O error, read-only or
 * unwritable repository) is not the patch's fault: APPLY_EINFRA, never
 * "does not apply".
 *
 * Paths are checked before anything is written: absolute paths, "..",
 * ".git" (any case, any component) and paths under a symlink are refused,
 * and so is a binary patch without data.
 */
#ifndef PWB_APPLY_H
#define PWB_APPLY_H

#include <git2.h>

#include "base.h"
#include "store.h"

enum apply_strategy { STRAT_NONE, STRAT_EXACT, STRAT_OFFSET, STRAT_THREEWAY };

/* "exact", "offset", "three-way" as apply_patches and JSON keep them;
 * NULL for STRAT_NONE (a NULL in the database) */
const char *apply_strategy_name(enum apply_strategy s);
/* NULL reads as STRAT_NONE; 0, or -1 (quietly) for an unknown one */
int apply_strategy_parse(const char *s, enum apply_strategy *out);

enum patch_status {
	PR_SKIPPED,	/* not tried: an earlier patch failed */
	PR_APPLIED,
	PR_FAILED,
};
/* "applied", "failed", "skipped": as the database and JSON keep them */
const char *patch_status_name(enum patch_status s);

struct patch_result {
	int idx;
	enum patch_status status;
	enum apply_strategy strategy;
	int offset;		/* largest |hunk offset| with STRAT_OFFSET */
	char commit[GIT_OID_HEXSZ + 1];
	char *error;		/* why it failed (owned) */
};

/* Returned when the system failed (ENOSPC, EIO, EROFS...), not the patch. */
#define APPLY_EINFRA (-3)
/* Returned when the series did not apply on a base pwb only supposed
 * (base.h: a guess from some of its blobs, or HEAD): pwb found no base. */
#define APPLY_ENOBASE (-4)

struct apply_result {
	char base[GIT_OID_HEXSZ + 1];
	const char *base_rule;	/* base_rule_name(): "option", "base-commit",
				 * "fallback", "guessed", "head" (static) */
	char *base_why;		/* how the base was chosen, one line
				 * (owned; NULL in a loaded record of old) */
	int base_tentative;	/* base_choice_tentative() */
	char *nobase;		/* APPLY_ENOBASE: why, one line (owned) */
	char *branch;		/* apply_branch_name(); after
				 * apply_place_branch the name used */
	char head[GIT_OID_HEXSZ + 1];
	int reused;		/* commits of an earlier run were reused */
	long reused_from;
	struct patch_result *patches;
	size_t npatches;
	int ok;			/* every patch applied */
};

struct apply_opts {
	const struct base_choice *base;	/* where (base_choose) */
	const char *link_base;		/* for Link: trailers */
	const git_signature *committer;
};

void apply_result_release(struct apply_result *r);

/*
 * Apply series s to repo: the commits, not the branch (apply_place_branch
 * and apply_set_branch).  Returns 0 when it ran (r->ok tells whether
 * every patch applied), -1 on an error before any patch (a bad --base,
 * bad repository), APPLY_ENOBASE when it did not apply on a base pwb only
 * supposed (r is filled: which patch failed), APPLY_EINFRA when a write
 * failed on the system; the error is printed.
 */
int apply_series(git_repository *repo, const struct stored_series *s,
		 const struct apply_opts *o, struct apply_result *r);

/*
 * Where pwb last left branch name (refs/heads/<name>) of this repository:
 * 1 with *out set, 0 when it has no record of it, -1 on an error (printed).
 */
typedef int (*apply_left_fn)(void *payload, const char *name, git_oid *out);

/* A branch chosen for a head, not yet written. */
struct apply_branch {
	char *name;		/* without refs/heads/ */
	int exists;		/* and then pointed at old */
	git_oid old;
	char *why;		/* why the wanted name was not used, or NULL */
};

/*
 * The branch head goes on: want when it does not exist, or when it
 * points where pwb left it (left) or at head, and no worktree has it
 * checked out; else the first of want-2, want-3, ... that passes the same
 * test.  Nothing is written.  Returns 0, -1 (printed: none is free, or an
 * error) or APPLY_EINFRA.
 */
int apply_place_branch(git_repository *repo, const char *want,
		       const git_oid *head, apply_left_fn left, void *payload,
		       struct apply_branch *b);

/*
 * Point b at head, only if it is still as apply_place_branch found it.
 * Returns 0, -1 or APPLY_EINFRA (printed).  apply_unset_branch puts it
 * back (when what records it failed).
 */
int apply_set_branch(git_repository *repo, const struct apply_branch *b,
		     const git_oid *head, const char *log);
void apply_unset_branch(git_repository *repo, const struct apply_branch *b,
			const git_oid *head);
void apply_branch_release(struct apply_branch *b);

/*
 * The series' own branch, the same in every database and on every
 * machine, as b4 names what it applies from the message-id:
 * pwb/<message-id of the cover or first patch, made a ref name>-v<N>
 * (20191028201032.6352-1-jgg@ziepe.ca v2:
 * pwb/20191028201032.6352-1-jgg_ziepe.ca-v2).  Allocated.
 */
char *apply_branch_name(const struct stored_series *s);

/* r's base as bc says: r->base, r->base_rule, r->base_why (a copy),
 * r->base_tentative. */
void apply_set_base(struct apply_result *r, const struct base_choice *bc);

/*
 * One patch (diff text) on a tree: the resulting tree id, the strategy
 * used and, on failure, the reason (owned by the caller).  Returns 0, -1
 * (it does not apply) or APPLY_EINFRA (a write failed on the system).
 */
int apply_diff_to_tree(git_repository *repo, git_tree *base, const char *diff,
		       git_oid *out, enum apply_strategy *strategy, int *offset,
		       char **why);

/* The checks apply makes on every path of a patch (exposed for tests). */
int apply_path_is_safe(const char *path);

/*
 * A path git quoted ("b/\303\251.txt"), unquoted as git's
 * unquote_c_style() does: s starts with '"'; *out is allocated, *end (if
 * not NULL) the byte after the closing quote.  -1 when git would refuse
 * it, or when it holds a NUL.
 */
int apply_unquote_c_style(const char *s, char **out, const char **end);

#endif
