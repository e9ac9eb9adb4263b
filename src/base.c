#include "base.h"
#include "tree.h"
#include "util/buf.h"
#include "util/util.h"

#include <glib.h>
#include <stdlib.h>
#include <string.h>

static const char *const rule_names[] = {
	[BASE_OPTION] = "option",
	[BASE_COMMIT] = "base-commit",
	[BASE_FALLBACK] = "fallback",
	[BASE_GUESSED] = "guessed",
	[BASE_HEAD] = "head",
};

const char *base_rule_name(enum base_rule r)
{
	if ((size_t)r >= sizeof(rule_names) / sizeof(*rule_names))
		return "option";
	return rule_names[r];
}

int base_rule_parse(const char *s, enum base_rule *out)
{
	size_t i;

	for (i = 0; s && i < sizeof(rule_names) / sizeof(*rule_names); i++)
		if (!strcmp(s, rule_names[i])) {
			*out = (enum base_rule)i;
			return 0;
		}
	return -1;
}

void base_preimages_free(struct base_preimage *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(p[i].path);
	free(p);
}

static int all_zero(const char *h, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (h[i] != '0')
			return 0;
	return 1;
}

/* Do abbreviated ids a and b name the same object (as far as both go)? */
static int same_abbrev(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);

	return !strncmp(a, b, la < lb ? la : lb);
}

static int is_hex(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strchr("0123456789abcdef", p[i]))
			return 0;
	return 1;
}

struct hunk_file {
	char pre[GIT_OID_HEXSZ + 1], post[GIT_OID_HEXSZ + 1];
	char *path;		/* from "--- a/PATH" */
	int have_index;
};

static void add_preimage(struct base_preimage **out, size_t *n,
			 struct hunk_file *f, char **posts, size_t nposts)
{
	size_t i;

	if (!f->have_index || !f->path || all_zero(f->pre, strlen(f->pre)))
		goto done;
	for (i = 0; i < *n; i++)
		if (!strcmp((*out)[i].path, f->path))
			goto done;	/* its first change only */
	for (i = 0; i < nposts; i++)
		if (same_abbrev(posts[i], f->pre))
			goto done;	/* made by an earlier patch */
	*out = xrealloc(*out, (*n + 1) * sizeof(**out));
	(*out)[*n].path = f->path;
	f->path = NULL;
	memcpy((*out)[*n].hex, f->pre, sizeof(f->pre));
	(*n)++;
done:
	free(f->path);
	memset(f, 0, sizeof(*f));
}

size_t base_preimages(const struct stored_series *s, struct base_preimage **out)
{
	char **posts = NULL;
	size_t n = 0, nposts = 0, i, nthis;

	*out = NULL;
	for (i = 0; i < s->npatches; i++) {
		const char *p = s->patches[i].diff, *e;
		struct hunk_file f = { { 0 }, { 0 }, NULL, 0 };

		nthis = nposts;
		for (; p && *p; p = *e ? e + 1 : e) {
			size_t len;
			const char *dots;

			e = strchrnul(p, '\n');
			len = (size_t)(e - p);
			if (len >= 11 && !strncmp(p, "diff --git ", 11)) {
				add_preimage(out, &n, &f, posts, nthis);
			} else if (len > 6 && !strncmp(p, "index ", 6) &&
				   (dots = memmem(p, len, "..", 2))) {
				const char *a = p + 6, *b = dots + 2;
				size_t la = (size_t)(dots - a), lb = 0;

				while (b + lb < e && b[lb] != ' ')
					lb++;
				if (la >= 4 && la <= GIT_OID_HEXSZ && is_hex(a, la) &&
				    lb >= 4 && lb <= GIT_OID_HEXSZ && is_hex(b, lb)) {
					memcpy(f.pre, a, la);
					f.pre[la] = '\0';
					memcpy(f.post, b, lb);
					f.post[lb] = '\0';
					f.have_index = 1;
					posts = xrealloc(posts, (nposts + 1) * sizeof(*posts));
					posts[nposts++] = xstrdup(f.post);
				}
			} else if (len > 6 && !strncmp(p, "--- a/", 6) && !f.path) {
				size_t l = len - 6;

				/* "--- a/x y\t" is git's for names with spaces */
				while (l && p[6 + l - 1] == '\t')
					l--;
				f.path = xstrndup(p + 6, l);
			}
		}
		add_preimage(out, &n, &f, posts, nthis);
	}
	for (i = 0; i < nposts; i++)
		free(posts[i]);
	free(posts);
	return n;
}

/* How many of pre[] the tree of commit c has. */
static int count_matches(git_repository *repo, const git_oid *c,
			 const struct base_preimage *pre, size_t n)
{
	git_commit *commit = NULL;
	git_tree *tree = NULL;
	size_t i;
	int m = 0;

	if (git_commit_lookup(&commit, repo, c) || git_commit_tree(&tree, commit)) {
		git_commit_free(commit);
		return -1;
	}
	for (i = 0; i < n; i++) {
		git_tree_entry *e = NULL;
		char hex[GIT_OID_HEXSZ + 1];

		if (git_tree_entry_bypath(&e, tree, pre[i].path))
			continue;
		git_oid_tostr(hex, sizeof(hex), git_tree_entry_id(e));
		if (!strncmp(hex, pre[i].hex, strlen(pre[i].hex)))
			m++;
		git_tree_entry_free(e);
	}
	git_tree_free(tree);
	git_commit_free(commit);
	return m;
}

struct walk {
	git_repository *repo;
	GHashTable *seen;	/* hex -> 1 */
	git_oid *q;
	size_t head, len, alloc;
};

static void walk_push(struct walk *w, const git_oid *id)
{
	char hex[GIT_OID_HEXSZ + 1];

	git_oid_tostr(hex, sizeof(hex), id);
	if (g_hash_table_contains(w->seen, hex))
		return;
	g_hash_table_add(w->seen, xstrdup(hex));
	if (w->len == w->alloc) {
		w->alloc = w->alloc ? 2 * w->alloc : 256;
		w->q = xrealloc(w->q, w->alloc * sizeof(*w->q));
	}
	git_oid_cpy(&w->q[w->len++], id);
}

/* Seed the walk: HEAD first, then every branch and remote branch (tags:
 * every tag), each ref that peels to a commit, in the order listed. */
static int walk_seed(struct walk *w, int tags)
{
	git_reference_iterator *it = NULL;
	git_reference *ref = NULL;
	git_object *obj = NULL;
	int rc;

	if (!tags && !git_repository_head(&ref, w->repo) &&
	    !git_reference_peel(&obj, ref, GIT_OBJECT_COMMIT))
		walk_push(w, git_object_id(obj));
	git_object_free(obj);
	git_reference_free(ref);
	obj = NULL;
	ref = NULL;
	if (git_reference_iterator_new(&it, w->repo))
		return error("guess the base: cannot list the refs of %s: %s",
			     git_repository_path(w->repo), git_errmsg());
	while (!(rc = git_reference_next(&ref, it))) {
		const char *name = git_reference_name(ref);
		int want = tags ? !strncmp(name, "refs/tags/", 10) :
			   !strncmp(name, "refs/heads/", 11) ||
			   !strncmp(name, "refs/remotes/", 13);

		if (want && !git_reference_peel(&obj, ref, GIT_OBJECT_COMMIT))
			walk_push(w, git_object_id(obj));
		git_object_free(obj);
		obj = NULL;
		git_reference_free(ref);
	}
	git_reference_iterator_free(it);
	git_error_clear();
	return 0;
}

int base_guess(git_repository *repo, const struct base_preimage *pre,
	       size_t n, size_t max, git_oid *out, int *matched)
{
	struct walk w = { repo, NULL, NULL, 0, 0, 0 };
	git_oid *full = NULL, best;
	size_t nfull = 0, looked = 0, i, j;
	int bestm = 0, ret = -1, tags_seeded = 0;

	*matched = 0;
	if (!n)
		return 0;
	w.seen = g_hash_table_new_full(g_str_hash, g_str_equal, free, NULL);
	if (walk_seed(&w, 0))
		goto out;
	/* the branches' history first; the tags (a tree may have a thousand,
	 * most of them old) only when it has no commit with every blob */
	for (;;) {
		git_commit *c = NULL;
		git_oid id;
		int m;

		if (w.head == w.len || looked == max) {
			if (tags_seeded || nfull)
				break;
			/* the tags get a budget of their own */
			tags_seeded = 1;
			looked = 0;
			w.head = w.len;
			if (walk_seed(&w, 1))
				goto out;
			continue;
		}
		git_oid_cpy(&id, &w.q[w.head++]);
		m = count_matches(repo, &id, pre, n);
		looked++;
		if (m < 0)
			continue;	/* not a commit we can read: pass */
		if (m > bestm) {
			bestm = m;
			git_oid_cpy(&best, &id);
		}
		if ((size_t)m == n) {
			/* its ancestors with them all are older */
			full = xrealloc(full, (nfull + 1) * sizeof(*full));
			git_oid_cpy(&full[nfull++], &id);
			continue;
		}
		if (git_commit_lookup(&c, repo, &id))
			continue;
		for (i = 0; i < git_commit_parentcount(c); i++)
			walk_push(&w, git_commit_parent_id(c, (unsigned)i));
		git_commit_free(c);
	}
	/* of those with every blob, one no other descends from */
	for (i = 0; i < nfull; i++) {
		for (j = 0; j < nfull; j++)
			if (j != i && git_graph_descendant_of(repo, &full[j],
							      &full[i]) == 1)
				break;
		if (j == nfull) {
			git_oid_cpy(&best, &full[i]);
			break;
		}
	}
	if (bestm) {
		git_oid_cpy(out, &best);
		*matched = bestm;
	}
	ret = bestm ? 1 : 0;
out:
	free(full);
	free(w.q);
	g_hash_table_destroy(w.seen);
	return ret;
}

void base_choice_release(struct base_choice *c)
{
	free(c->why);
	memset(c, 0, sizeof(*c));
}

int base_choice_tentative(const struct base_choice *c)
{
	return c->rule == BASE_HEAD ||
	       (c->rule == BASE_GUESSED && c->matched < c->total);
}

static int peel(git_repository *repo, const char *rev, git_oid *out)
{
	git_commit *c = NULL;

	if (tree_peel_commit(repo, rev, &c))
		return -1;
	git_oid_cpy(out, git_commit_id(c));
	git_commit_free(c);
	return 0;
}

int base_choose(git_repository *repo, const struct stored_series *s,
		const char *rev, const char *fallback, struct base_choice *out)
{
	struct base_preimage *pre = NULL;
	struct buf unknown = BUF_INIT;
	size_t npre = 0;
	int rc, ret = -1;

	memset(out, 0, sizeof(*out));
	if (rev) {
		if (peel(repo, rev, &out->id))
			return error("--base %s: not a commit in %s: %s", rev,
				     git_repository_path(repo), git_errmsg());
		out->rule = BASE_OPTION;
		out->why = xstrfmt("--base %s", rev);
		return 0;
	}
	if (s->base_commit) {
		if (!peel(repo, s->base_commit, &out->id)) {
			out->rule = BASE_COMMIT;
			out->why = xstrfmt("the series' base-commit");
			return 0;
		}
		buf_addf(&unknown, "its base-commit %.12s is not in the tree",
			 s->base_commit);
	} else {
		buf_addstr(&unknown, "the series has no base-commit");
	}
	git_error_clear();
	/* as b4 does when the submitter's base is unknown here: go on from
	 * the maintainer's chosen base, and say so */
	if (fallback) {
		if (peel(repo, fallback, &out->id)) {
			error("apply.fallbackbase %s: not a commit in %s: %s",
			      fallback, git_repository_path(repo), git_errmsg());
			goto out;
		}
		out->rule = BASE_FALLBACK;
		out->why = xstrfmt("apply.fallbackbase %s (%s)", fallback, unknown.buf);
		ret = 0;
		goto out;
	}
	npre = base_preimages(s, &pre);
	rc = base_guess(repo, pre, npre, BASE_GUESS_MAX, &out->id,
			&out->matched);
	if (rc < 0)
		goto out;
	out->total = (int)npre;
	if (rc > 0) {
		out->rule = BASE_GUESSED;
		out->why = xstrfmt("guessed from %d of %d pre-image blobs (%s)",
			       out->matched, out->total, unknown.buf);
		ret = 0;
		goto out;
	}
	if (peel(repo, "HEAD", &out->id)) {
		error("no base: %s, no commit of %s has %s, and the tree has "
		      "no HEAD (give --base)", unknown.buf,
		      git_repository_path(repo), npre ?
		      "any of its pre-image blobs" : "its files (the series has no index lines)");
		goto out;
	}
	out->rule = BASE_HEAD;
	out->why = xstrfmt("HEAD (%s, and no commit of the tree has %s)",
		       unknown.buf, npre ? "any of its pre-image blobs" :
		       "its files: no index lines");
	ret = 0;
out:
	if (ret)
		base_choice_release(out);
	base_preimages_free(pre, npre);
	buf_release(&unknown);
	return ret;
}
