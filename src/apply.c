#include "apply.h"
#include "base.h"
#include "tree.h"
#include "util/buf.h"
#include "util/util.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

const char *patch_status_name(enum patch_status s)
{
	switch (s) {
	case PR_APPLIED: return "applied";
	case PR_FAILED: return "failed";
	default: return "skipped";
	}
}

static const char *const apply_strategy_names[] = {
	[STRAT_NONE] = NULL,
	[STRAT_EXACT] = "exact",
	[STRAT_OFFSET] = "offset",
	[STRAT_THREEWAY] = "three-way",
};

const char *apply_strategy_name(enum apply_strategy s)
{
	return (size_t)s < ARRAY_SIZE(apply_strategy_names) ?
	       apply_strategy_names[s] : NULL;
}

int apply_strategy_parse(const char *s, enum apply_strategy *out)
{
	size_t i;

	if (!s) {
		*out = STRAT_NONE;
		return 0;
	}
	for (i = STRAT_EXACT; i < ARRAY_SIZE(apply_strategy_names); i++)
		if (!strcmp(s, apply_strategy_names[i])) {
			*out = (enum apply_strategy)i;
			return 0;
		}
	return -1;
}

static char *fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));
static char *fmt(const char *f, ...)
{
	struct buf b = BUF_INIT;
	va_list ap;

	va_start(ap, f);
	buf_vaddf(&b, f, ap);
	va_end(ap);
	return buf_detach(&b, NULL);
}

/* Before libgit2 calls whose failure io_error() is to judge. */
static void io_reset(void)
{
	git_error_clear();
	errno = 0;
}

/*
 * Did the libgit2 calls since io_reset() fail on the system (a full disk,
 * an I/O error, a read-only or unwritable repository) rather than on the
 * patch?  Then the reason ("...: No space left on device"), else NULL.
 * libgit2 says so with a GIT_ERROR_OS error carrying strerror(), or (a
 * loose object write in 1.5) with no error at all, only errno.
 */
static const char *io_error(void)
{
	const git_error *e = git_error_last();
	int en = errno;

	if (en == ENOSPC || en == EDQUOT || en == EIO || en == EROFS ||
	    en == EFBIG) {
		if (e && e->klass == GIT_ERROR_OS && e->message &&
		    strstr(e->message, strerror(en)))
			return e->message;
		return strerror(en);
	}
	if (e && e->message && (e->klass == GIT_ERROR_OS ||
				e->klass == GIT_ERROR_NOMEMORY))
		return e->message;
	return NULL;
}

/*
 * A libgit2 call failed: *why is "<what>: <reason>", and the return
 * APPLY_EINFRA when the system failed, -1 when the patch did.
 */
static int libgit2_failed(char **why, const char *f, ...)
	__attribute__((format(printf, 2, 3)));
static int libgit2_failed(char **why, const char *f, ...)
{
	const char *io = io_error();
	struct buf b = BUF_INIT;
	va_list ap;

	va_start(ap, f);
	buf_vaddf(&b, f, ap);
	va_end(ap);
	buf_addf(&b, ": %s", io ? io : git_errmsg());
	free(*why);
	*why = buf_detach(&b, NULL);
	return io ? APPLY_EINFRA : -1;
}

/*
 * A path git would write inside the tree on any system: not empty, not
 * absolute, no empty, "." or ".." component and none naming .git (in any
 * case, with the dots and spaces NTFS and HFS drop), components split at
 * "/" and, as Windows splits them, at "\\" too.  Any other byte is a
 * file name byte, as git has it on Linux.
 */
int apply_path_is_safe(const char *path)
{
	const char *p = path;

	if (!path || !*path || *path == '/' || *path == '\\')
		return 0;
	for (;;) {
		size_t n = strcspn(p, "/\\");

		if (n == 0 || (n == 1 && p[0] == '.') ||
		    (n == 2 && p[0] == '.' && p[1] == '.'))
			return 0;
		/* ".git", also as ".GIT" or ".git." / ".git " (NTFS, HFS) */
		if (n >= 4 && !strncasecmp(p, ".git", 4)) {
			size_t k = 4;

			while (k < n && (p[k] == '.' || p[k] == ' '))
				k++;
			if (k == n)
				return 0;
		}
		p += n;
		if (!*p)
			return 1;
		p++;
	}
}

/*
 * git's unquote_c_style(): s starts with '"'; the name up to the closing
 * quote into *out (allocated) and the byte after the quote into *end.
 * -1 on what git refuses (an unknown escape, no closing quote) and on a
 * NUL written as \000.
 */
int apply_unquote_c_style(const char *s, char **out, const char **end)
{
	struct buf b = BUF_INIT;
	const char *p = s + 1;

	*out = NULL;
	if (*s != '"')
		return -1;
	for (;;) {
		unsigned char c = (unsigned char)*p++;

		if (!c || c == '\n')
			break;
		if (c == '"') {
			if (end)
				*end = p;
			*out = buf_detach(&b, NULL);
			return 0;
		}
		if (c != '\\') {
			buf_addch(&b, (char)c);
			continue;
		}
		c = (unsigned char)*p++;
		switch (c) {
		case 'a': buf_addch(&b, '\a'); break;
		case 'b': buf_addch(&b, '\b'); break;
		case 'f': buf_addch(&b, '\f'); break;
		case 'n': buf_addch(&b, '\n'); break;
		case 'r': buf_addch(&b, '\r'); break;
		case 't': buf_addch(&b, '\t'); break;
		case 'v': buf_addch(&b, '\v'); break;
		case '\\': case '"': buf_addch(&b, (char)c); break;
		case '0': case '1': case '2': case '3': {
			unsigned v = c - '0';
			int i;

			for (i = 0; i < 2; i++) {
				c = (unsigned char)*p++;
				if (c < '0' || c > '7')
					goto bad;
				v = v * 8 + (c - '0');
			}
			if (!v)
				goto bad;
			buf_addch(&b, (char)v);
			break;
		}
		default:
			goto bad;
		}
	}
bad:
	buf_release(&b);
	return -1;
}

struct check_ctx {
	git_tree *tree;
	char *why;
	/* symlinks the patch makes, and symlinks of the tree it removes */
	const char **made, **removed;
	size_t nmade, nremoved;
};

static int in_list(const char **v, size_t n, const char *path)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(v[i], path))
			return 1;
	return 0;
}

/* The symlinks the diff makes and those it deletes, renames away or turns
 * into files: a path under the first is refused, one under the second
 * (a symlink replaced by a directory) is not. */
static void note_links(git_diff *diff, struct check_ctx *c)
{
	size_t i, nd = git_diff_num_deltas(diff);

	c->made = xcalloc(nd + 1, sizeof(*c->made));
	c->removed = xcalloc(nd + 1, sizeof(*c->removed));
	for (i = 0; i < nd; i++) {
		const git_diff_delta *d = git_diff_get_delta(diff, i);

		if (d->status != GIT_DELTA_DELETED && d->new_file.path &&
		    d->new_file.mode == GIT_FILEMODE_LINK)
			c->made[c->nmade++] = d->new_file.path;
		if (d->status != GIT_DELTA_ADDED && d->old_file.path &&
		    (d->status == GIT_DELTA_DELETED ||
		     (d->new_file.path && strcmp(d->new_file.path, d->old_file.path)) ||
		     (d->new_file.mode && d->new_file.mode != GIT_FILEMODE_LINK)))
			c->removed[c->nremoved++] = d->old_file.path;
	}
}

/* Is any leading directory of path a symlink, in the tree (and left there
 * by the patch) or made by the patch? */
static int under_symlink(const struct check_ctx *c, const char *path)
{
	char *copy = xstrdup(path), *slash;
	int found = 0;

	for (slash = strchr(copy, '/'); slash && !found;
	     slash = strchr(slash + 1, '/')) {
		git_tree_entry *e = NULL;

		*slash = '\0';
		if (in_list(c->made, c->nmade, copy)) {
			found = 1;
		} else if (!git_tree_entry_bypath(&e, c->tree, copy)) {
			if (git_tree_entry_filemode(e) == GIT_FILEMODE_LINK &&
			    !in_list(c->removed, c->nremoved, copy))
				found = 1;
			git_tree_entry_free(e);
		}
		*slash = '/';
	}
	free(copy);
	return found;
}

static int check_file(const git_diff_delta *d, float progress, void *payload)
{
	struct check_ctx *c = payload;
	const char *paths[2] = { d->old_file.path, d->new_file.path };
	int i;

	(void)progress;
	for (i = 0; i < 2; i++) {
		if (!paths[i] || (i == 0 && d->status == GIT_DELTA_ADDED) ||
		    (i == 1 && d->status == GIT_DELTA_DELETED && !paths[1]))
			continue;
		if (!apply_path_is_safe(paths[i])) {
			c->why = fmt("refused path '%s' (absolute, '..' or "
				     "'.git')", paths[i]);
			return -1;
		}
		if (under_symlink(c, paths[i])) {
			c->why = fmt("refused path '%s': it is under a symlink",
				     paths[i]);
			return -1;
		}
	}
	return 0;
}

static int check_binary(const git_diff_delta *d, const git_diff_binary *b,
			void *payload)
{
	struct check_ctx *c = payload;

	if (!b->contains_data) {
		c->why = fmt("%s: binary patch without data (send it with "
			     "--binary)", d->new_file.path);
		return -1;
	}
	return 0;
}

/* A name of a diff --git line: "a/x", or "\"a/x\"" quoted; NULL at the
 * end or when the quoting is bad.  *p moves past it. */
static char *git_line_name(const char **p)
{
	const char *s = *p, *e;
	char *name;

	while (*s == ' ')
		s++;
	if (!*s)
		return NULL;
	if (*s == '"') {
		if (apply_unquote_c_style(s, &name, &e))
			return NULL;
		*p = e;
		return name;
	}
	e = s + strcspn(s, " ");
	*p = e;
	return xstrndup(s, (size_t)(e - s));
}

static int refuse_raw(const char *path, char **why)
{
	*why = fmt("refused path '%s' (absolute, '..' or '.git')", path);
	return -1;
}

/*
 * The paths as the mail wrote them: libgit2 normalises "b//etc/x" into
 * "etc/x", so an absolute or escaping path is caught on the text too.
 * Names git quoted ("b/\303\251.txt") are unquoted as git does first.
 */
static int check_raw_paths(const char *text, char **why)
{
	static const char *const pfx[] = { "--- ", "+++ ", "rename from ",
					   "rename to ", "copy from ", "copy to " };
	const char *p = text;

	while (*p) {
		size_t n = strcspn(p, "\n"), i;
		char *line = xstrndup(p, n);

		for (i = 0; i < ARRAY_SIZE(pfx); i++) {
			size_t k = strlen(pfx[i]);
			char *path;
			const char *q;

			if (n <= k || strncmp(line, pfx[i], k))
				continue;
			if (line[k] == '"') {
				if (apply_unquote_c_style(line + k, &path, NULL)) {
					*why = fmt("cannot unquote the path in '%.*s'",
						   (int)(n > 80 ? 80 : n), line);
					free(line);
					return -1;
				}
			} else {
				path = xstrdup(line + k);
				path[strcspn(path, "\t")] = '\0';
			}
			q = path;
			if (strcmp(path, "/dev/null")) {
				if (i < 2 && (starts_with(q, "a/") || starts_with(q, "b/")))
					q += 2;
				if (!apply_path_is_safe(q)) {
					refuse_raw(q, why);
					free(path);
					free(line);
					return -1;
				}
			}
			free(path);
		}
		if (!strncmp(line, "diff --git ", 11) && strchr(line, '"')) {
			/* quoted: both names unquoted, then checked */
			const char *s = line + 11;
			int k;

			for (k = 0; k < 2; k++) {
				char *name = git_line_name(&s);
				const char *q = name;

				if (!name) {
					*why = fmt("cannot unquote the paths in '%.*s'",
						   (int)(n > 80 ? 80 : n), line);
					free(line);
					return -1;
				}
				if (starts_with(q, "a/") || starts_with(q, "b/"))
					q += 2;
				if (!apply_path_is_safe(q)) {
					refuse_raw(q, why);
					free(name);
					free(line);
					return -1;
				}
				free(name);
			}
		} else if (!strncmp(line, "diff --git ", 11)) {
			int bad = strstr(line, " a//") || strstr(line, " b//") ||
				  strstr(line, "/../") || strstr(line, " a/../") ||
				  strstr(line, " b/../");

			if (bad) {
				*why = fmt("refused path in '%.*s'", (int)(n > 80 ? 80 : n), p);
				free(line);
				return -1;
			}
		}
		free(line);
		p += n;
		if (*p)
			p++;
	}
	return 0;
}

/* ---- the fallback applier: hunks with offsets, then three-way ---- */

struct line {
	const char *p;
	size_t n;
};

struct lines {
	struct line *v;
	size_t nr, alloc;
};

static void lines_push(struct lines *l, const char *p, size_t n)
{
	if (l->nr == l->alloc) {
		l->alloc = l->alloc ? l->alloc * 2 : 64;
		l->v = xrealloc(l->v, l->alloc * sizeof(*l->v));
	}
	l->v[l->nr].p = p;
	l->v[l->nr].n = n;
	l->nr++;
}

static void split_lines(const char *buf, size_t len, struct lines *l)
{
	size_t i = 0;

	while (i < len) {
		const char *nl = memchr(buf + i, '\n', len - i);
		size_t n = nl ? (size_t)(nl - buf - i) + 1 : len - i;

		lines_push(l, buf + i, n);
		i += n;
	}
}

static int line_eq(const struct line *a, const struct line *b)
{
	return a->n == b->n && !memcmp(a->p, b->p, a->n);
}

static void strip_nl(struct lines *l)
{
	if (l->nr && l->v[l->nr - 1].n && l->v[l->nr - 1].p[l->v[l->nr - 1].n - 1] == '\n')
		l->v[l->nr - 1].n--;
}

static int hunk_images(git_patch *patch, size_t h, struct lines *pre,
		       struct lines *post)
{
	size_t nl, i;
	const git_diff_hunk *hk;

	if (git_patch_get_hunk(&hk, &nl, patch, h))
		return -1;
	for (i = 0; i < nl; i++) {
		const git_diff_line *ln;

		if (git_patch_get_line_in_hunk(&ln, patch, h, i))
			return -1;
		switch (ln->origin) {
		case GIT_DIFF_LINE_CONTEXT:
			lines_push(pre, ln->content, ln->content_len);
			lines_push(post, ln->content, ln->content_len);
			break;
		case GIT_DIFF_LINE_DELETION:
			lines_push(pre, ln->content, ln->content_len);
			break;
		case GIT_DIFF_LINE_ADDITION:
			lines_push(post, ln->content, ln->content_len);
			break;
		case GIT_DIFF_LINE_CONTEXT_EOFNL:
			strip_nl(pre);
			strip_nl(post);
			break;
		case GIT_DIFF_LINE_DEL_EOFNL:
			strip_nl(pre);
			break;
		case GIT_DIFF_LINE_ADD_EOFNL:
			strip_nl(post);
			break;
		default:
			break;
		}
	}
	return 0;
}

static int match_at(const struct lines *img, size_t at, const struct lines *pre)
{
	size_t i;

	if (at + pre->nr > img->nr)
		return 0;
	for (i = 0; i < pre->nr; i++)
		if (!line_eq(&img->v[at + i], &pre->v[i]))
			return 0;
	return 1;
}

/*
 * Apply every hunk of patch to old; with allow_offset a hunk may match
 * away from its recorded line (searching outwards, never before the end of
 * the previous hunk).  On failure *bad_hunk is the hunk's index.
 */
static int apply_hunks(const char *old, size_t oldlen, git_patch *patch,
		       int allow_offset, struct buf *out, int *max_offset,
		       size_t *bad_hunk)
{
	struct lines img = { 0 }, pre = { 0 }, post = { 0 };
	size_t nh = git_patch_num_hunks(patch), h, pos = 0, i;
	long last_off = 0;
	int ret = -1;

	split_lines(old, oldlen, &img);
	*max_offset = 0;
	for (h = 0; h < nh; h++) {
		const git_diff_hunk *hk;
		size_t nl;
		long expect, found = -1, d;

		pre.nr = post.nr = 0;
		if (git_patch_get_hunk(&hk, &nl, patch, h) ||
		    hunk_images(patch, h, &pre, &post)) {
			*bad_hunk = h;
			goto out;
		}
		expect = hk->old_lines ? hk->old_start - 1 : hk->old_start;
		if (allow_offset)
			expect += last_off;
		if (expect < (long)pos)
			expect = (long)pos;
		for (d = 0; found < 0; d++) {
			long up = expect - d, down = expect + d;
			int any = 0;

			if (down + (long)pre.nr <= (long)img.nr) {
				any = 1;
				if (match_at(&img, (size_t)down, &pre))
					found = down;
			}
			if (found < 0 && d && up >= (long)pos) {
				any = 1;
				if (match_at(&img, (size_t)up, &pre))
					found = up;
			}
			if (!allow_offset || !any)
				break;
		}
		if (found < 0) {
			*bad_hunk = h;
			goto out;
		}
		{
			long off = found - (hk->old_lines ? hk->old_start - 1 :
					    hk->old_start);

			last_off = off;
			if (labs(off) > *max_offset)
				*max_offset = (int)labs(off);
		}
		for (i = pos; i < (size_t)found; i++)
			buf_add(out, img.v[i].p, img.v[i].n);
		for (i = 0; i < post.nr; i++)
			buf_add(out, post.v[i].p, post.v[i].n);
		pos = (size_t)found + pre.nr;
	}
	for (i = pos; i < img.nr; i++)
		buf_add(out, img.v[i].p, img.v[i].n);
	ret = 0;
out:
	free(img.v);
	free(pre.v);
	free(post.v);
	return ret;
}

static int blob_of(git_repository *repo, git_index *idx, const char *path,
		   git_blob **blob, unsigned *mode)
{
	const git_index_entry *e = git_index_get_bypath(idx, path, 0);

	if (!e)
		return -1;
	*mode = e->mode;
	return git_blob_lookup(blob, repo, &e->id);
}

static char *hunk_header(git_patch *p, size_t h)
{
	const git_diff_hunk *hk;
	size_t nl;

	if (git_patch_get_hunk(&hk, &nl, p, h))
		return xstrdup("?");
	return xstrndup(hk->header, strcspn(hk->header, "\n"));
}

/* One file of the patch, applied into idx.  strat/offset are raised. */
static int apply_file(git_repository *repo, git_index *idx, git_patch *p,
		      enum apply_strategy *strat, int *offset, char **why)
{
	const git_diff_delta *d = git_patch_get_delta(p);
	const char *old_path = d->old_file.path, *new_path = d->new_file.path;
	git_blob *cur = NULL;
	unsigned mode = GIT_FILEMODE_BLOB;
	const char *old = "";
	size_t oldlen = 0, bad = 0;
	struct buf out = BUF_INIT;
	int off = 0, ret = -1;
	git_index_entry entry;

	if (d->status != GIT_DELTA_ADDED) {
		if (blob_of(repo, idx, old_path, &cur, &mode)) {
			*why = fmt("%s: not in the tree", old_path);
			goto out;
		}
		old = git_blob_rawcontent(cur);
		oldlen = (size_t)git_blob_rawsize(cur);
	} else if (git_index_get_bypath(idx, new_path, 0)) {
		*why = fmt("%s: already exists", new_path);
		goto out;
	}
	if (!apply_hunks(old, oldlen, p, 1, &out, &off, &bad)) {
		if (off && *strat < STRAT_OFFSET)
			*strat = STRAT_OFFSET;
		if (off > *offset)
			*offset = off;
	} else {
		/* three-way: the preimage the patch was made on, if we have it */
		git_odb *odb = NULL;
		git_oid full;
		git_blob *pre = NULL;
		struct buf post = BUF_INIT;
		git_merge_file_input anc = GIT_MERGE_FILE_INPUT_INIT,
				     ours = GIT_MERGE_FILE_INPUT_INIT,
				     theirs = GIT_MERGE_FILE_INPUT_INIT;
		git_merge_file_result res = { 0 };
		char *hh = hunk_header(p, bad);
		int dummy;
		size_t bad2;

		buf_reset(&out);
		if (d->status == GIT_DELTA_ADDED || !d->old_file.id_abbrev ||
		    git_repository_odb(&odb, repo) ||
		    git_odb_exists_prefix(&full, odb, &d->old_file.id,
					  d->old_file.id_abbrev) ||
		    git_blob_lookup(&pre, repo, &full)) {
			*why = fmt("%s: hunk %zu (%s) does not apply: context "
				   "not found, and no preimage blob for a "
				   "three-way merge", old_path, bad + 1, hh);
			git_odb_free(odb);
			free(hh);
			goto out;
		}
		git_odb_free(odb);
		if (apply_hunks(git_blob_rawcontent(pre),
				(size_t)git_blob_rawsize(pre), p, 0, &post,
				&dummy, &bad2)) {
			*why = fmt("%s: hunk %zu (%s) does not apply even to "
				   "its preimage %.12s", old_path, bad2 + 1, hh,
				   git_oid_tostr_s(&full));
			git_blob_free(pre);
			free(hh);
			goto out;
		}
		anc.ptr = git_blob_rawcontent(pre);
		anc.size = (size_t)git_blob_rawsize(pre);
		ours.ptr = old;
		ours.size = oldlen;
		theirs.ptr = post.buf;
		theirs.size = post.len;
		if (git_merge_file(&res, &anc, &ours, &theirs, NULL) ||
		    !res.automergeable) {
			*why = fmt("%s: hunk %zu (%s) does not apply, and the "
				   "three-way merge with %.12s conflicts",
				   old_path, bad + 1, hh, git_oid_tostr_s(&full));
			git_merge_file_result_free(&res);
			git_blob_free(pre);
			buf_release(&post);
			free(hh);
			goto out;
		}
		buf_add(&out, res.ptr, res.len);
		*strat = STRAT_THREEWAY;
		git_merge_file_result_free(&res);
		git_blob_free(pre);
		buf_release(&post);
		free(hh);
	}

	if (d->status == GIT_DELTA_DELETED) {
		if (out.len) {
			*why = fmt("%s: deleted by the patch but not empty after "
				   "it", old_path);
			goto out;
		}
		io_reset();
		if (git_index_remove_bypath(idx, old_path)) {
			ret = libgit2_failed(why, "%s", old_path);
			goto out;
		}
		ret = 0;
		goto out;
	}
	memset(&entry, 0, sizeof(entry));
	entry.path = new_path;
	entry.mode = d->new_file.mode ? d->new_file.mode : mode;
	/* the index is in memory only: write the blob, then add the entry */
	io_reset();
	if (git_blob_create_from_buffer(&entry.id, repo, out.buf, out.len)) {
		ret = libgit2_failed(why, "cannot write %s", new_path);
		goto out;
	}
	io_reset();
	if (git_index_add(idx, &entry)) {
		ret = libgit2_failed(why, "%s", new_path);
		goto out;
	}
	io_reset();
	if (d->status == GIT_DELTA_RENAMED && strcmp(old_path, new_path) &&
	    git_index_remove_bypath(idx, old_path)) {
		ret = libgit2_failed(why, "%s", old_path);
		goto out;
	}
	ret = 0;
out:
	git_blob_free(cur);
	buf_release(&out);
	return ret;
}

/* The paths a diff touches (old and new names), in order, no repeats. */
static void touched_paths(git_diff *diff, char ***paths, size_t *n)
{
	size_t i, j, k, nd = git_diff_num_deltas(diff);

	*paths = xcalloc(2 * nd + 1, sizeof(char *));
	*n = 0;
	for (i = 0; i < nd; i++) {
		const git_diff_delta *d = git_diff_get_delta(diff, i);
		const char *two[2] = { d->old_file.path, d->new_file.path };

		for (k = 0; k < 2; k++) {
			int dup = 0;

			if (!two[k])
				continue;
			for (j = 0; j < *n; j++)
				if (!strcmp((*paths)[j], two[k]))
					dup = 1;
			if (!dup)
				(*paths)[(*n)++] = xstrdup(two[k]);
		}
	}
}

/*
 * A tree holding only the entries of base at the given paths: applying to
 * it costs what the patch touches, not what the kernel holds (75k files).
 */
static int mini_tree(git_repository *repo, git_tree *base, char **paths,
		     size_t n, git_tree **out)
{
	git_tree_update *up = xcalloc(n + 1, sizeof(*up));
	git_treebuilder *tb = NULL;
	git_oid empty, id;
	git_tree *et = NULL;
	size_t i, nu = 0;
	int ret = -1;

	if (git_treebuilder_new(&tb, repo, NULL) || git_treebuilder_write(&empty, tb) ||
	    git_tree_lookup(&et, repo, &empty))
		goto out;
	for (i = 0; i < n; i++) {
		git_tree_entry *e = NULL;

		if (git_tree_entry_bypath(&e, base, paths[i]))
			continue;
		if (git_tree_entry_type(e) == GIT_OBJECT_BLOB) {
			up[nu].action = GIT_TREE_UPDATE_UPSERT;
			git_oid_cpy(&up[nu].id, git_tree_entry_id(e));
			up[nu].filemode = git_tree_entry_filemode(e);
			up[nu].path = paths[i];
			nu++;
		}
		git_tree_entry_free(e);
	}
	if (git_tree_create_updated(&id, repo, et, nu, up) ||
	    git_tree_lookup(out, repo, &id))
		goto out;
	ret = 0;
out:
	git_treebuilder_free(tb);
	git_tree_free(et);
	free(up);
	return ret;
}

/*
 * base with the touched paths set as they are in idx: the removals first,
 * then the rest, so that a file or symlink replaced by a directory of the
 * same name is no D/F conflict.
 */
static int update_base(git_repository *repo, git_tree *base, git_index *idx,
		       char **paths, size_t n, git_oid *out)
{
	git_tree_update *up = xcalloc(n + 1, sizeof(*up));
	git_tree *mid = NULL;
	git_oid mid_id;
	size_t i, nu = 0, nrm = 0;
	int ret, pass;

	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < n; i++) {
			const git_index_entry *e = git_index_get_bypath(idx, paths[i], 0);
			git_tree_entry *be = NULL;

			if (e && pass == 1) {
				up[nu].action = GIT_TREE_UPDATE_UPSERT;
				git_oid_cpy(&up[nu].id, &e->id);
				up[nu].filemode = e->mode;
			} else if (!e && pass == 0 &&
				   !git_tree_entry_bypath(&be, base, paths[i])) {
				up[nu].action = GIT_TREE_UPDATE_REMOVE;
				git_tree_entry_free(be);
				nrm++;
			} else {
				continue;
			}
			up[nu].path = paths[i];
			nu++;
		}
	}
	if (!nrm || nrm == nu)
		ret = git_tree_create_updated(out, repo, base, nu, up);
	else
		ret = git_tree_create_updated(&mid_id, repo, base, nrm, up) ||
		      git_tree_lookup(&mid, repo, &mid_id) ||
		      git_tree_create_updated(out, repo, mid, nu - nrm, up + nrm);
	git_tree_free(mid);
	free(up);
	return ret ? -1 : 0;
}

int apply_diff_to_tree(git_repository *repo, git_tree *base, const char *text,
		       git_oid *out, enum apply_strategy *strategy, int *offset,
		       char **why)
{
	git_diff *diff = NULL;
	git_index *idx = NULL;
	git_tree *mini = NULL;
	struct check_ctx cc = { base, NULL, NULL, NULL, 0, 0 };
	char **paths = NULL;
	size_t i, n, np = 0;
	int ret = -1;

	*strategy = STRAT_NONE;
	*offset = 0;
	*why = NULL;
	if (check_raw_paths(text, why))
		goto out;
	if (git_diff_from_buffer(&diff, text, strlen(text))) {
		*why = fmt("cannot parse the diff: %s", git_errmsg());
		goto out;
	}
	n = git_diff_num_deltas(diff);
	if (!n) {
		*why = xstrdup("the patch has no diff");
		goto out;
	}
	/* every path checked before anything is written */
	note_links(diff, &cc);
	if (git_diff_foreach(diff, check_file, check_binary, NULL, NULL, &cc)) {
		*why = cc.why ? cc.why : fmt("%s", git_errmsg());
		cc.why = NULL;
		goto out;
	}
	touched_paths(diff, &paths, &np);
	io_reset();
	if (mini_tree(repo, base, paths, np, &mini)) {
		ret = libgit2_failed(why, "cannot write a tree");
		goto out;
	}
	io_reset();
	if (!git_apply_to_tree(&idx, repo, mini, diff, NULL)) {
		*strategy = STRAT_EXACT;
	} else if (io_error()) {
		/* it could not write its blobs: no use trying harder */
		ret = libgit2_failed(why, "cannot write a blob");
		goto out;
	} else {
		io_reset();
		if (git_index_new(&idx) || git_index_read_tree(idx, mini)) {
			ret = libgit2_failed(why, "cannot read the tree");
			goto out;
		}
		*strategy = STRAT_EXACT;
		for (i = 0; i < n; i++) {
			git_patch *p = NULL;
			int rc;

			if (git_patch_from_diff(&p, diff, i)) {
				*why = fmt("%s", git_errmsg());
				goto out;
			}
			if (git_patch_get_delta(p)->flags & GIT_DIFF_FLAG_BINARY) {
				*why = fmt("%s: binary patch does not apply "
					   "exactly", git_patch_get_delta(p)->new_file.path);
				git_patch_free(p);
				goto out;
			}
			rc = apply_file(repo, idx, p, strategy, offset, why);
			git_patch_free(p);
			if (rc) {
				ret = rc;
				goto out;
			}
		}
		if (*strategy == STRAT_EXACT)
			*strategy = STRAT_OFFSET; /* libgit2 refused, we did not */
	}
	io_reset();
	if (update_base(repo, base, idx, paths, np, out)) {
		ret = libgit2_failed(why, "cannot write the tree");
		goto out;
	}
	ret = 0;
out:
	free(cc.why);
	free(cc.made);
	free(cc.removed);
	for (i = 0; i < np; i++)
		free(paths[i]);
	free(paths);
	git_tree_free(mini);
	git_index_free(idx);
	git_diff_free(diff);
	return ret;
}

void apply_result_release(struct apply_result *r)
{
	size_t i;

	for (i = 0; i < r->npatches; i++)
		free(r->patches[i].error);
	free(r->patches);
	free(r->branch);
	free(r->base_why);
	free(r->nobase);
	memset(r, 0, sizeof(*r));
}

static char *commit_message(const struct stored_series *s,
			    const struct stored_patch *p, const char *link_base)
{
	struct stored_patch copy = *p;
	struct stored_trailer *tr;
	struct buf msg = BUF_INIT, link = BUF_INIT;
	const char *base = s->lore_base ? s->lore_base : link_base;

	/* the collected trailers, then Link: to the patch on lore */
	tr = xcalloc(p->ntrailers + 1, sizeof(*tr));
	if (p->ntrailers)
		memcpy(tr, p->trailers, p->ntrailers * sizeof(*tr));
	buf_addstr(&link, base);
	if (link.len && link.buf[link.len - 1] != '/')
		buf_addch(&link, '/');
	buf_addstr(&link, p->msgid);
	tr[p->ntrailers].kind = "Link";
	tr[p->ntrailers].person = link.buf;
	copy.trailers = tr;
	copy.ntrailers = p->ntrailers + 1;
	buf_addf(&msg, "%s\n\n", p->subject);
	store_message_with_trailers(&msg, p->message, &copy);
	free(tr);
	buf_release(&link);
	return buf_detach(&msg, NULL);
}

char *apply_branch_name(const struct stored_series *s)
{
	struct buf b = BUF_INIT;
	const char *m = s->msgid ? s->msgid : "";
	size_t i, n;
	char *name;

	if (*m == '<')
		m++;
	n = strcspn(m, ">");
	if (n > 80)
		n = 80;
	buf_addstr(&b, "pwb/");
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)m[i];

		/* what git-check-ref-format takes, and no "..", "@{", "/" */
		if (isalnum(c) || c == '-' || c == '_' || c == '+' || c == '=' ||
		    (c == '.' && b.len > 4 && b.buf[b.len - 1] != '.'))
			buf_addch(&b, (char)c);
		else if (c == '@')
			buf_addch(&b, '_');
		else if (b.len > 4 && b.buf[b.len - 1] != '-')
			buf_addch(&b, '-');
	}
	while (b.len > 4 && (b.buf[b.len - 1] == '.' || b.buf[b.len - 1] == '-'))
		buf_setlen(&b, b.len - 1);
	if (b.len == 4)
		buf_addf(&b, "series-%ld", s->id);
	buf_addf(&b, "-v%d", s->version);
	name = buf_detach(&b, NULL);
	return name;
}

void apply_set_base(struct apply_result *r, const struct base_choice *bc)
{
	git_oid_tostr(r->base, sizeof(r->base), &bc->id);
	r->base_rule = base_rule_name(bc->rule);
	free(r->base_why);
	r->base_why = bc->why ? xstrdup(bc->why) : NULL;
	r->base_tentative = base_choice_tentative(bc);
}

int apply_series(git_repository *repo, const struct stored_series *s,
		 const struct apply_opts *o, struct apply_result *r)
{
	git_commit *base = NULL, *parent = NULL;
	size_t i;
	int ret = -1;

	memset(r, 0, sizeof(*r));
	apply_set_base(r, o->base);
	if (git_commit_lookup(&base, repo, &o->base->id))
		return error("apply: cannot read the base %s: %s", r->base,
			     git_errmsg());
	r->branch = apply_branch_name(s);
	r->npatches = s->npatches;
	r->patches = xcalloc(s->npatches ? s->npatches : 1, sizeof(*r->patches));
	if (!s->npatches) {
		error("series %ld has no patches", s->id);
		goto out;
	}
	parent = base;
	git_object_dup((git_object **)&parent, (git_object *)base);
	for (i = 0; i < s->npatches && r->ok == 0; i++) {
		const struct stored_patch *p = &s->patches[i];
		struct patch_result *pr = &r->patches[i];
		git_tree *ptree = NULL, *ntree = NULL;
		git_signature *author = NULL;
		git_oid tree_id, commit_id;
		char *msg = NULL;
		git_commit *next = NULL;
		int rc;

		pr->idx = p->idx;
		io_reset();
		if (git_commit_tree(&ptree, parent)) {
			rc = libgit2_failed(&pr->error, "cannot read the tree of %s",
					git_oid_tostr_s(git_commit_id(parent)));
		} else {
			rc = apply_diff_to_tree(repo, ptree, p->diff, &tree_id,
						&pr->strategy, &pr->offset,
						&pr->error);
			git_tree_free(ptree);
		}
		if (!rc) {
			msg = commit_message(s, p, o->link_base);
			io_reset();
			if (git_signature_new(&author, p->author_name,
					      p->author_email,
					      (git_time_t)p->date, p->date_tz) ||
			    git_tree_lookup(&ntree, repo, &tree_id) ||
			    git_commit_create(&commit_id, repo, NULL, author,
					      o->committer, "UTF-8", msg, ntree,
					      1, (const git_commit **)&parent) ||
			    git_commit_lookup(&next, repo, &commit_id))
				rc = libgit2_failed(&pr->error,
						"cannot make the commit");
			free(msg);
			git_signature_free(author);
			git_tree_free(ntree);
		}
		if (rc == APPLY_EINFRA) {
			/* not the patch: nothing to say about the series */
			error("apply: %s: patch %d/%zu: %s",
			      git_repository_path(repo), p->idx, s->npatches,
			      pr->error);
			ret = APPLY_EINFRA;
			goto out;
		}
		if (rc) {
			pr->status = PR_FAILED;
			r->ok = -1;
			continue;
		}
		pr->status = PR_APPLIED;
		git_oid_tostr(pr->commit, sizeof(pr->commit), &commit_id);
		git_commit_free(parent);
		parent = next;
	}
	for (; i < s->npatches; i++)
		r->patches[i].idx = s->patches[i].idx; /* skipped */
	if (r->ok == 0) {
		r->ok = 1;
		git_oid_tostr(r->head, sizeof(r->head), git_commit_id(parent));
	} else {
		r->ok = 0;
	}
	ret = 0;
	if (!r->ok && r->base_tentative) {
		/* not applying on a base pwb only supposed says nothing of the
		 * series: no base, not "does not apply" */
		for (i = 0; i < r->npatches; i++)
			if (r->patches[i].status == PR_FAILED)
				break;
		r->nobase = xstrfmt("no base: the series does not apply on "
				    "%.12s, the base pwb tried: %s; patch %d/%zu: "
				    "%s (give --base)", r->base, r->base_why,
				    i < r->npatches ? r->patches[i].idx : 0,
				    r->npatches, i < r->npatches &&
				    r->patches[i].error ? r->patches[i].error : "?");
		error("%s", r->nobase);
		ret = APPLY_ENOBASE;
	}
out:
	git_commit_free(parent);
	git_commit_free(base);
	return ret;
}

/* ---- the branch: moved only where pwb left it, and not checked out ---- */

#define BRANCH_TRIES 99

/* A libgit2 call on a branch failed: printed, -1 or APPLY_EINFRA. */
static int branch_failed(const char *what, const char *refname)
{
	const char *io = io_error();

	error("apply: %s %s: %s", what, refname, io ? io : git_errmsg());
	return io ? APPLY_EINFRA : -1;
}

/*
 * Why ref (branch name) may not take head, or *busy NULL when it may: it
 * points where pwb left it, or at head, and no worktree has it checked
 * out.  Returns 0 or negative (printed).
 */
static int branch_busy(git_repository *repo, git_reference *ref,
		       const char *name, const git_oid *head, apply_left_fn left,
		       void *payload, const char **busy)
{
	const git_oid *at = git_reference_target(ref);
	git_oid was;
	int known, rc;

	*busy = NULL;
	if (git_reference_type(ref) != GIT_REFERENCE_DIRECT || !at) {
		*busy = "is not where pwb left it";
		return 0;
	}
	if (!git_oid_equal(at, head)) {
		known = left(payload, name, &was);
		if (known < 0)
			return -1;
		if (!known || !git_oid_equal(at, &was)) {
			rc = 0;
			if (known) {
				io_reset();
				rc = git_graph_descendant_of(repo, at, &was);
				if (rc < 0 && io_error())
					return branch_failed("cannot read",
							     git_reference_name(ref));
			}
			*busy = rc == 1 ? "has commits pwb did not make" :
				"is not where pwb left it";
			return 0;
		}
	}
	/* HEAD of the main worktree and of every linked one */
	io_reset();
	rc = git_branch_is_checked_out(ref);
	if (rc < 0)
		return branch_failed("cannot read the worktrees of",
				     git_reference_name(ref));
	if (rc == 1)
		*busy = "is checked out";
	return 0;
}

/* 0 (b filled) when name may take head, 1 (*busy) when not, or negative. */
static int try_branch(git_repository *repo, const char *name,
		      const git_oid *head, apply_left_fn left, void *payload,
		      struct apply_branch *b, const char **busy)
{
	struct buf rn = BUF_INIT;
	git_reference *ref = NULL;
	int ret;

	buf_addf(&rn, "refs/heads/%s", name);
	io_reset();
	ret = git_reference_lookup(&ref, repo, rn.buf);
	if (ret == GIT_ENOTFOUND) {
		b->exists = 0;
		ret = 0;
	} else if (ret < 0) {
		ret = branch_failed("cannot read", rn.buf);
	} else {
		ret = branch_busy(repo, ref, name, head, left, payload, busy);
		if (!ret && *busy) {
			ret = 1;
		} else if (!ret) {
			b->exists = 1;
			git_oid_cpy(&b->old, git_reference_target(ref));
		}
	}
	if (!ret)
		b->name = xstrdup(name);
	git_reference_free(ref);
	buf_release(&rn);
	return ret;
}

int apply_place_branch(git_repository *repo, const char *want,
		       const git_oid *head, apply_left_fn left, void *payload,
		       struct apply_branch *b)
{
	struct buf why = BUF_INIT;
	int i, ret = 1;

	memset(b, 0, sizeof(*b));
	for (i = 1; i <= BRANCH_TRIES && ret == 1; i++) {
		char *name = i == 1 ? xstrdup(want) : fmt("%s-%d", want, i);
		const char *busy = NULL;

		ret = try_branch(repo, name, head, left, payload, b, &busy);
		if (ret == 1)
			buf_addf(&why, "%s%s %s", why.len ? ", " : "branch ",
				 name, busy);
		free(name);
	}
	if (ret == 1)
		ret = error("apply: branches %s to %s-%d are all checked out "
			    "or not where pwb left them: delete some", want,
			    want, BRANCH_TRIES);
	if (!ret && why.len)
		b->why = buf_detach(&why, NULL);
	buf_release(&why);
	if (ret)
		apply_branch_release(b);
	return ret;
}

int apply_set_branch(git_repository *repo, const struct apply_branch *b,
		     const git_oid *head, const char *log)
{
	struct buf rn = BUF_INIT;
	git_reference *ref = NULL;
	int rc, ret = 0;

	buf_addf(&rn, "refs/heads/%s", b->name);
	io_reset();
	/* only from where apply_place_branch saw it */
	if (b->exists)
		rc = git_reference_create_matching(&ref, repo, rn.buf, head, 1,
						   &b->old, log);
	else
		rc = git_reference_create(&ref, repo, rn.buf, head, 0, log);
	if (rc == GIT_EMODIFIED || rc == GIT_EEXISTS)
		ret = error("apply: %s changed while pwb was writing it; try "
			    "again", rn.buf);
	else if (rc == GIT_ELOCKED)
		ret = error("apply: %s is locked (another git or pwb writes "
			    "it); try again", rn.buf);
	else if (rc < 0)
		ret = branch_failed("cannot update", rn.buf);
	git_reference_free(ref);
	buf_release(&rn);
	return ret;
}

void apply_unset_branch(git_repository *repo, const struct apply_branch *b,
			const git_oid *head)
{
	struct buf rn = BUF_INIT;
	git_reference *ref = NULL, *back = NULL;
	int rc = 0;

	buf_addf(&rn, "refs/heads/%s", b->name);
	if (b->exists) {
		if (!git_oid_equal(&b->old, head))
			rc = git_reference_create_matching(&back, repo, rn.buf,
							   &b->old, 1, head,
							   "pwb apply: undone");
	} else if (!git_reference_lookup(&ref, repo, rn.buf) &&
		   git_reference_target(ref) &&
		   git_oid_equal(git_reference_target(ref), head)) {
		rc = git_reference_delete(ref);
	}
	if (rc < 0)
		warning("cannot put %s back: %s", rn.buf, git_errmsg());
	git_reference_free(back);
	git_reference_free(ref);
	buf_release(&rn);
}

void apply_branch_release(struct apply_branch *b)
{
	free(b->name);
	free(b->why);
	memset(b, 0, sizeof(*b));
}
