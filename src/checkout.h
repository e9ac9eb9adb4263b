/*
 * checkout: the files of a commit on disk, for kbuild.  One directory per
 * (tree, slot) in the work directory ($XDG_CACHE_HOME/pwb unless config
 * core.workdir), moved between commits by rewriting only the files that
 * differ, so an out-of-tree kbuild stays incremental.  A lock file keeps
 * two pwb processes out of the same slot; the tree checked out is recorded
 * beside the directory, and removed while a move is under way so that an
 * interrupted move is noticed and repaired (by content) the next time.
 *
 * struct checkout owns its strings and the lock; checkout_close() frees
 * them and releases the lock.
 */
#ifndef PWB_CHECKOUT_H
#define PWB_CHECKOUT_H

#include <git2.h>

struct checkout {
	char *dir;		/* the files */
	char *state;		/* "<dir>.state": tree id checked out */
	char *lockpath;
	int lock_fd;
};

struct checkout_stats {
	long written;
	long removed;
	int repaired;		/* the state was missing: compared by content */
};

/* key names the tree (its registered name, or a hash of its path). */
int checkout_open(struct checkout *co, const char *workdir, const char *key,
		  int slot);
int checkout_move(struct checkout *co, git_repository *repo, git_tree *target,
		  struct checkout_stats *st);
void checkout_close(struct checkout *co);

/* The work directory: config core.workdir, else $XDG_CACHE_HOME/pwb. */
struct pwb_ctx;
char *checkout_workdir(struct pwb_ctx *ctx);
/* A directory-safe key for a tree: its name, else "path-<sha1 prefix>". */
char *checkout_key(const char *name, const char *path);

#endif
