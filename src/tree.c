#include "tree.h"
#include "db.h"
#include "util/suggest.h"
#include "util/util.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

const char *git_errmsg(void)
{
	const git_error *e = git_error_last();

	return e && e->message ? e->message : "unknown libgit2 error";
}

int tree_open(const char *path, git_repository **repo)
{
	if (git_repository_open_ext(repo, path, GIT_REPOSITORY_OPEN_NO_SEARCH,
				    NULL) < 0) {
		*repo = NULL;
		return error("%s is not a git repository: %s", path,
			     git_errmsg());
	}
	return 0;
}

static int name_ok(const char *n)
{
	const char *p;

	if (!*n || strlen(n) > 64)
		return 0;
	for (p = n; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || strchr("-_.", *p)))
			return 0;
	return *n != '.';
}

int tree_remove(sqlite3 *db, const char *name, char **path)
{
	struct tree_entry *t = NULL;
	const char **names = NULL;
	sqlite3_stmt *st = NULL;
	size_t n = 0, i;
	int ret = -1;

	if (tree_list(db, &t, &n))
		return -1;
	for (i = 0; i < n && strcmp(t[i].name, name); i++)
		;
	if (i == n) {
		names = xcalloc(n + 1, sizeof(*names));
		for (i = 0; i < n; i++)
			names[i] = t[i].name;
		error("no tree named '%s' (pwb tree list)%s", name,
		      suggest_hint(name, names, n));
		goto out;
	}
	if (db_prepare(db, &st, "DELETE FROM trees WHERE name = ?"))
		goto out;
	db_bind_text(st, 1, name);
	if (sqlite3_step(st) != SQLITE_DONE) {
		db_error(db, "remove tree");
		goto out;
	}
	if (path)
		*path = xstrdup(t[i].path);
	ret = 0;
out:
	sqlite3_finalize(st);
	free(names);
	tree_entries_free(t, n);
	return ret;
}

int tree_add(sqlite3 *db, const char *name, const char *path)
{
	git_repository *repo = NULL;
	char *abs = NULL;
	sqlite3_stmt *st = NULL;
	int ret = -1, rc;

	if (!name_ok(name))
		return error("tree name '%s': use letters, digits, '-', '_' "
			     "and '.'", name);
	abs = realpath(path, NULL);
	if (!abs)
		return error("cannot use %s: %s", path, strerror(errno));
	if (tree_open(abs, &repo))
		goto out;
	if (db_prepare(db, &st, "INSERT INTO trees (name, path, added_at) "
		       "VALUES (?, ?, ?)"))
		goto out;
	db_bind_text(st, 1, name);
	db_bind_text(st, 2, abs);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)time(NULL));
	rc = sqlite3_step(st);
	if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT) {
		error("a tree named '%s' or at %s is already registered", name,
		      abs);
		goto out;
	}
	if (rc != SQLITE_DONE) {
		db_error(db, "register tree");
		goto out;
	}
	ret = 0;
out:
	sqlite3_finalize(st);
	git_repository_free(repo);
	free(abs);
	return ret;
}

int tree_resolve(sqlite3 *db, const char *arg, char **path, char **name)
{
	sqlite3_stmt *st = NULL;
	int rc;

	*path = NULL;
	if (name)
		*name = NULL;
	if (db) {
		if (db_prepare(db, &st, "SELECT path, name FROM trees WHERE "
			       "name = ?"))
			return -1;
		db_bind_text(st, 1, arg);
		/* an error, not "no tree of that name" (then ARG as a path) */
		rc = db_row(db, st, "find tree");
		if (rc > 0) {
			*path = xstrdup((const char *)sqlite3_column_text(st, 0));
			if (name)
				*name = xstrdup((const char *)
						sqlite3_column_text(st, 1));
		}
		sqlite3_finalize(st);
		if (rc < 0)
			return -1;
		if (*path)
			return 0;
	}
	*path = realpath(arg, NULL);
	if (!*path)
		return error("--tree %s: no registered tree of that name and "
			     "no such directory", arg);
	return 0;
}

int tree_name_of(sqlite3 *db, const char *path, char **name)
{
	sqlite3_stmt *st;
	int rc;

	*name = NULL;
	if (db_prepare(db, &st, "SELECT name FROM trees WHERE path = ?"))
		return -1;
	db_bind_text(st, 1, path);
	rc = db_row(db, st, "find the name of a tree");
	if (rc > 0)
		*name = db_column_dup(st, 0);
	sqlite3_finalize(st);
	return rc < 0 ? -1 : 0;
}

int tree_peel_commit(git_repository *repo, const char *rev, git_commit **out)
{
	git_object *obj = NULL;
	int ret = -1;

	*out = NULL;
	if (!git_revparse_single(&obj, repo, rev) &&
	    !git_object_peel((git_object **)out, obj, GIT_OBJECT_COMMIT))
		ret = 0;
	git_object_free(obj);
	return ret;
}

int tree_rev_commit(const char *path, const char *rev, const char *what,
		    char *hex)
{
	git_repository *repo = NULL;
	git_commit *c = NULL;
	int ret = -1;

	if (tree_open(path, &repo))
		return -1;
	if (tree_peel_commit(repo, rev, &c))
		error("%s %s: not a commit in %s: %s", what, rev, path,
		      git_errmsg());
	else {
		if (hex)
			git_oid_tostr(hex, GIT_OID_HEXSZ + 1, git_commit_id(c));
		ret = 0;
	}
	git_commit_free(c);
	git_repository_free(repo);
	return ret;
}

int tree_list(sqlite3 *db, struct tree_entry **out, size_t *n)
{
	sqlite3_stmt *st;
	struct tree_entry *t = NULL;
	size_t nr = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if (db_prepare(db, &st, "SELECT name, path FROM trees ORDER BY name"))
		return -1;
	while ((rc = db_row(db, st, "list trees")) > 0) {
		t = xrealloc(t, (nr + 1) * sizeof(*t));
		t[nr].name = db_column_dup(st, 0);
		t[nr].path = db_column_dup(st, 1);
		nr++;
	}
	sqlite3_finalize(st);
	if (rc < 0) {
		tree_entries_free(t, nr);
		return -1;
	}
	*out = t;
	*n = nr;
	return 0;
}

void tree_entries_free(struct tree_entry *t, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(t[i].name);
		free(t[i].path);
	}
	free(t);
}

int tree_head_of(const char *dir, char *hex, char **top)
{
	git_repository *repo = NULL;
	git_object *o = NULL;
	int ret = -1;

	if (git_repository_open_ext(&repo, dir, 0, NULL)) {
		error("not in a git repository: %s", git_errmsg());
		return -1;
	}
	if (git_revparse_single(&o, repo, "HEAD^{commit}")) {
		error("HEAD is not a commit here: %s", git_errmsg());
		goto out;
	}
	git_oid_tostr(hex, GIT_OID_HEXSZ + 1, git_object_id(o));
	*top = xstrdup(git_repository_workdir(repo) ? git_repository_workdir(repo) :
		       git_repository_path(repo));
	ret = 0;
out:
	git_object_free(o);
	git_repository_free(repo);
	return ret;
}
