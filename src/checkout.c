#include "checkout.h"
#include "apply.h"
#include "ctx.h"
#include "tree.h"
#include "util/buf.h"
#include "util/util.h"

#include <errno.h>
#include <fcntl.h>
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

char *checkout_workdir(struct pwb_ctx *ctx)
{
	char *w = ctx_config_get(ctx, "core.workdir");

	return w ? w : cache_path("");
}

char *checkout_key(const char *name, const char *path)
{
	struct buf b = BUF_INIT;
	gchar *sum;

	if (name)
		return xstrdup(name);
	sum = g_compute_checksum_for_string(G_CHECKSUM_SHA1, path, -1);
	buf_addf(&b, "path-%.12s", sum);
	g_free(sum);
	return buf_detach(&b, NULL);
}

int checkout_open(struct checkout *co, const char *workdir, const char *key,
		  int slot)
{
	struct buf b = BUF_INIT;

	memset(co, 0, sizeof(*co));
	co->lock_fd = -1;
	buf_addf(&b, "%s/checkouts/%s/%d", workdir, key, slot);
	co->dir = buf_detach(&b, NULL);
	buf_addf(&b, "%s.state", co->dir);
	co->state = buf_detach(&b, NULL);
	buf_addf(&b, "%s.lock", co->dir);
	co->lockpath = buf_detach(&b, NULL);
	if (mkdir_p(co->dir, 0777))
		return error("cannot create %s: %s", co->dir, strerror(errno));
	co->lock_fd = open(co->lockpath, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
	if (co->lock_fd < 0)
		return error("cannot open %s: %s", co->lockpath, strerror(errno));
	if (flock(co->lock_fd, LOCK_EX | LOCK_NB)) {
		if (errno != EWOULDBLOCK)
			return error("cannot lock %s: %s", co->lockpath,
				     strerror(errno));
		notice("checkout slot %d of %s is in use; waiting", slot, key);
		if (flock(co->lock_fd, LOCK_EX))
			return error("cannot lock %s: %s", co->lockpath,
				     strerror(errno));
	}
	return 0;
}

void checkout_close(struct checkout *co)
{
	if (co->lock_fd >= 0)
		close(co->lock_fd); /* releases the lock */
	free(co->dir);
	free(co->state);
	free(co->lockpath);
	memset(co, 0, sizeof(*co));
	co->lock_fd = -1;
}

static int read_state(const struct checkout *co, git_oid *oid)
{
	struct buf b = BUF_INIT;
	int ret = -1;

	if (!buf_read_file(&b, co->state, 1024)) {
		buf_trim(&b);
		if (!git_oid_fromstr(oid, b.buf))
			ret = 0;
	}
	buf_release(&b);
	return ret;
}

static int write_state(const struct checkout *co, const git_oid *oid)
{
	struct buf tmp = BUF_INIT;
	char hex[GIT_OID_HEXSZ + 1];
	FILE *f;
	int ret = -1;

	buf_addf(&tmp, "%s.tmp", co->state);
	f = fopen(tmp.buf, "w");
	if (f) {
		git_oid_tostr(hex, sizeof(hex), oid);
		fprintf(f, "%s\n", hex);
		if (!fclose(f) && !rename(tmp.buf, co->state))
			ret = 0;
	}
	if (ret)
		error("cannot write %s: %s", co->state, strerror(errno));
	buf_release(&tmp);
	return ret;
}

/* Make the directories leading to rel under dir; never through a symlink. */
static int make_parents(const char *dir, const char *rel)
{
	struct buf p = BUF_INIT;
	const char *s = rel, *slash;
	int ret = 0;

	buf_addstr(&p, dir);
	while ((slash = strchr(s, '/'))) {
		struct stat st;

		buf_addch(&p, '/');
		buf_add(&p, s, (size_t)(slash - s));
		if (lstat(p.buf, &st) == 0) {
			if (S_ISLNK(st.st_mode) || !S_ISDIR(st.st_mode)) {
				/* a file or link where a directory must be */
				if (unlink(p.buf) || mkdir(p.buf, 0777)) {
					ret = error("cannot replace %s by a "
						    "directory: %s", p.buf,
						    strerror(errno));
					break;
				}
			}
		} else if (mkdir(p.buf, 0777) && errno != EEXIST) {
			ret = error("cannot create %s: %s", p.buf, strerror(errno));
			break;
		}
		s = slash + 1;
	}
	buf_release(&p);
	return ret;
}

static int write_entry(const char *dir, git_repository *repo,
		       const git_diff_file *f)
{
	git_blob *blob = NULL;
	struct buf path = BUF_INIT;
	const char *data;
	size_t len;
	struct stat st;
	int fd, ret = -1;

	if (f->mode == GIT_FILEMODE_COMMIT)
		return 0; /* submodules are not checked out */
	if (!apply_path_is_safe(f->path))
		return error("refused path '%s' in the tree", f->path);
	if (make_parents(dir, f->path))
		return -1;
	if (git_blob_lookup(&blob, repo, &f->id))
		return error("%s: %s", f->path, git_errmsg());
	data = git_blob_rawcontent(blob);
	len = (size_t)git_blob_rawsize(blob);
	buf_addf(&path, "%s/%s", dir, f->path);
	if (lstat(path.buf, &st) == 0 &&
	    (S_ISLNK(st.st_mode) || f->mode == GIT_FILEMODE_LINK ||
	     S_ISDIR(st.st_mode))) {
		if (S_ISDIR(st.st_mode) ? rmdir(path.buf) : unlink(path.buf)) {
			error("cannot replace %s: %s", path.buf, strerror(errno));
			goto out;
		}
	}
	if (f->mode == GIT_FILEMODE_LINK) {
		char *target = xstrndup(data, len);

		if (symlink(target, path.buf)) {
			error("cannot create symlink %s: %s", path.buf,
			      strerror(errno));
			free(target);
			goto out;
		}
		free(target);
		ret = 0;
		goto out;
	}
	fd = open(path.buf, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC,
		  f->mode == GIT_FILEMODE_BLOB_EXECUTABLE ? 0777 : 0666);
	if (fd < 0) {
		error("cannot write %s: %s", path.buf, strerror(errno));
		goto out;
	}
	{
		size_t off = 0;

		while (off < len) {
			ssize_t n = write(fd, data + off, len - off);

			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0) {
				error("cannot write %s: %s", path.buf,
				      strerror(errno));
				close(fd);
				goto out;
			}
			off += (size_t)n;
		}
	}
	if (fchmod(fd, f->mode == GIT_FILEMODE_BLOB_EXECUTABLE ? 0755 : 0644) ||
	    close(fd)) {
		error("cannot write %s: %s", path.buf, strerror(errno));
		goto out;
	}
	ret = 0;
out:
	git_blob_free(blob);
	buf_release(&path);
	return ret;
}

static void remove_entry(const char *dir, const char *rel)
{
	struct buf p = BUF_INIT;
	char *slash;

	if (!apply_path_is_safe(rel))
		return;
	buf_addf(&p, "%s/%s", dir, rel);
	unlink(p.buf);
	/* and the directories that became empty */
	while ((slash = strrchr(p.buf, '/')) && (size_t)(slash - p.buf) > strlen(dir)) {
		*slash = '\0';
		if (rmdir(p.buf))
			break;
	}
	buf_release(&p);
}

/* Does the file hold exactly this blob (and mode)? */
static int file_matches(const char *dir, git_repository *repo,
			const git_diff_file *f)
{
	struct buf path = BUF_INIT, data = BUF_INIT;
	struct stat st;
	git_oid oid;
	int same = 0;

	buf_addf(&path, "%s/%s", dir, f->path);
	if (lstat(path.buf, &st) == 0 && S_ISREG(st.st_mode) &&
	    f->mode != GIT_FILEMODE_LINK &&
	    !!(st.st_mode & 0100) == (f->mode == GIT_FILEMODE_BLOB_EXECUTABLE) &&
	    buf_read_file(&data, path.buf, 0) == 0 &&
	    !git_odb_hash(&oid, data.buf, data.len, GIT_OBJECT_BLOB))
		same = git_oid_equal(&oid, &f->id);
	(void)repo;
	buf_release(&path);
	buf_release(&data);
	return same;
}

int checkout_move(struct checkout *co, git_repository *repo, git_tree *target,
		  struct checkout_stats *st)
{
	git_oid cur_id;
	git_tree *cur = NULL;
	git_diff *diff = NULL;
	git_diff_options dopt = GIT_DIFF_OPTIONS_INIT;
	size_t i, n;
	int have_state, ret = -1;

	memset(st, 0, sizeof(*st));
	have_state = !read_state(co, &cur_id);
	if (have_state && git_oid_equal(&cur_id, git_tree_id(target)))
		return 0;
	if (have_state && git_tree_lookup(&cur, repo, &cur_id))
		have_state = 0; /* a tree of another repository: start over */
	if (!have_state)
		st->repaired = 1;
	/* a move under way leaves no state behind, so a crash is noticed */
	if (unlink(co->state) && errno != ENOENT)
		return error("cannot update %s: %s", co->state, strerror(errno));
	dopt.flags = GIT_DIFF_INCLUDE_TYPECHANGE;
	if (git_diff_tree_to_tree(&diff, repo, cur, target, &dopt)) {
		error("diff: %s", git_errmsg());
		goto out;
	}
	n = git_diff_num_deltas(diff);
	/* removals first: a file may become a directory */
	for (i = 0; i < n; i++) {
		const git_diff_delta *d = git_diff_get_delta(diff, i);

		if (d->status == GIT_DELTA_DELETED ||
		    d->status == GIT_DELTA_TYPECHANGE) {
			remove_entry(co->dir, d->old_file.path);
			if (d->status == GIT_DELTA_DELETED)
				st->removed++;
		}
	}
	for (i = 0; i < n; i++) {
		const git_diff_delta *d = git_diff_get_delta(diff, i);

		if (d->status == GIT_DELTA_DELETED)
			continue;
		/* without a state, only what differs on disk is written */
		if (!have_state && file_matches(co->dir, repo, &d->new_file))
			continue;
		if (write_entry(co->dir, repo, &d->new_file))
			goto out;
		st->written++;
	}
	if (write_state(co, git_tree_id(target)))
		goto out;
	ret = 0;
out:
	git_diff_free(diff);
	git_tree_free(cur);
	return ret;
}
