/*
 * tree: kernel trees pwb works on.  A tree is a git repository, named by
 * `pwb tree add NAME PATH` or given by path wherever --tree is taken.
 *
 * tree_resolve() returns newly allocated strings (caller frees); the
 * git_repository from tree_open() is the caller's (git_repository_free).
 */
#ifndef PWB_TREE_H
#define PWB_TREE_H

#include <git2.h>
#include <sqlite3.h>

int tree_add(sqlite3 *db, const char *name, const char *path);
/*
 * Forget the registered name (git remote remove's way): the repository,
 * pwb's checkouts of it and everything recorded (checks, builds and
 * runs keep the tree's path, never the name's row) stay; the path can
 * still be given as --tree, or registered again.  Its path into *path
 * (allocated) when path is not NULL.  0, or -1 said (not registered: the
 * nearest registered names).
 */
int tree_remove(sqlite3 *db, const char *name, char **path);

struct tree_entry {
	char *name, *path;
};
/* The registered trees by name: 0 or -1 (said); free with tree_entries_free. */
int tree_list(sqlite3 *db, struct tree_entry **out, size_t *n);
void tree_entries_free(struct tree_entry *t, size_t n);
/*
 * NAME of a registered tree, or a path to a repository (db may be NULL:
 * a path only).  0, or -1 said: no such tree or directory, or a database
 * error (never taken for "not registered").
 */
int tree_resolve(sqlite3 *db, const char *arg, char **path, char **name);
/* The registered name of the tree at path into *name (allocated), NULL
 * when none is; 0, or -1 on a database error (said). */
int tree_name_of(sqlite3 *db, const char *path, char **name);
int tree_open(const char *path, git_repository **repo);
/* REV (a commit, a tag, anything git rev-parse takes) peeled to a commit
 * (caller frees with git_commit_free).  0, or -1 without a message. */
int tree_peel_commit(git_repository *repo, const char *rev, git_commit **out);
/*
 * REV of the repository at path as a commit id into hex (41 bytes; NULL:
 * only check that it is one).  0, or -1 said, naming REV as `what REV`
 * ("--rev", "--base").
 */
int tree_rev_commit(const char *path, const char *rev, const char *what,
		    char *hex);

/* HEAD of the repository dir is in, into hex (41 bytes); its top
 * directory into *top (allocated).  0 or -1 (said). */
int tree_head_of(const char *dir, char *hex, char **top);

/* The last libgit2 error as text (never NULL). */
const char *git_errmsg(void);

#endif
