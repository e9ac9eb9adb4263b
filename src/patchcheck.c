/* The checks maintainers run on every patch (see patchcheck.h). */
#include "patchcheck.h"
#include "trailers.h"
#include "util/buf.h"
#include "util/run.h"
#include "util/util.h"

#include <git2.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

static const char *const kind_names[] = {
	[PCHECK_CHECKPATCH] = "checkpatch",
	[PCHECK_FIXES] = "fixes",
	[PCHECK_SIGNOFF] = "signoff",
	[PCHECK_KERNELDOC] = "kernel-doc",
	[PCHECK_BROADBUILD] = "allmodconfig",
	[PCHECK_COVERAGE] = "coverage",
};

static const char *const status_names[] = {
	[PCHECK_PASS] = "pass",
	[PCHECK_WARN] = "warn",
	[PCHECK_FAIL] = "fail",
	[PCHECK_SKIP] = "skip",
};

const char *patch_check_kind_name(enum patch_check_kind k)
{
	return (size_t)k < ARRAY_SIZE(kind_names) ? kind_names[k] : "?";
}

int patch_check_kind_parse(const char *s, enum patch_check_kind *out)
{
	int i = name_index(kind_names, ARRAY_SIZE(kind_names), s);

	if (i < 0)
		return -1;
	*out = (enum patch_check_kind)i;
	return 0;
}

const char *patch_check_status_name(enum patch_check_status s)
{
	return (size_t)s < ARRAY_SIZE(status_names) ? status_names[s] : "?";
}

int patch_check_status_parse(const char *s, enum patch_check_status *out)
{
	int i = name_index(status_names, ARRAY_SIZE(status_names), s);

	if (i < 0)
		return -1;
	*out = (enum patch_check_status)i;
	return 0;
}

void patch_check_release(struct patch_check *c)
{
	free(c->summary);
	free(c->lines);
	memset(c, 0, sizeof(*c));
}

static void worst(struct patch_check *c, enum patch_check_status s)
{
	static const int rank[] = {
		[PCHECK_PASS] = 0, [PCHECK_SKIP] = 1, [PCHECK_WARN] = 2,
		[PCHECK_FAIL] = 3,
	};

	if (rank[s] > rank[c->status])
		c->status = s;
}

/* The value of a "Key: value" line of text if it starts with key
 * (case-insensitive), blanks skipped; else NULL. */
static const char *trailer_value(const char *line, const char *key)
{
	size_t n = strlen(key);

	if (strncasecmp(line, key, n) || line[n] != ':')
		return NULL;
	line += n + 1;
	while (*line == ' ' || *line == '\t')
		line++;
	return line;
}

/* Each line of text as a NUL-terminated copy, to fn. */
static void each_line(const char *text, void (*fn)(const char *line, void *ud),
		      void *ud)
{
	struct buf l = BUF_INIT;
	const char *p = text ? text : "", *e;

	for (; *p; p = *e ? e + 1 : e) {
		e = strchr(p, '\n');
		if (!e)
			e = p + strlen(p);
		buf_setlen(&l, 0);
		buf_add(&l, p, (size_t)(e - p));
		buf_rtrim(&l);
		fn(l.buf, ud);
	}
	buf_release(&l);
}

/* ---- signoff ---------------------------------------------------------- */

struct signoffs {
	char **addr;
	size_t n;
	struct buf lines;
};

static void signoff_line(const char *line, void *ud)
{
	struct signoffs *s = ud;
	const char *v = trailer_value(line, "Signed-off-by");
	char *a;

	if (!v)
		return;
	buf_addf(&s->lines, "%s\n", line);
	a = trailer_address(v);
	if (!a)
		return;
	s->addr = xrealloc(s->addr, (s->n + 1) * sizeof(*s->addr));
	s->addr[s->n++] = a;
}

static int signed_by(const struct signoffs *s, const char *email)
{
	size_t i;

	for (i = 0; email && i < s->n; i++)
		if (!strcasecmp(s->addr[i], email))
			return 1;
	return 0;
}

void patchcheck_signoff(const char *message, const char *author_name,
			const char *author_email, const char *sender_email,
			struct patch_check *out)
{
	struct signoffs s = { NULL, 0, BUF_INIT };
	int author, sender;
	size_t i;

	memset(out, 0, sizeof(*out));
	out->kind = PCHECK_SIGNOFF;
	each_line(message, signoff_line, &s);
	author = signed_by(&s, author_email);
	sender = !sender_email || !author_email ||
		 !strcasecmp(sender_email, author_email) || signed_by(&s, sender_email);
	if (!author) {
		out->status = PCHECK_FAIL;
		out->summary = xstrfmt("no Signed-off-by: from the author, %s <%s>",
				       author_name ? author_name : "",
				       author_email ? author_email : "?");
	} else if (!sender) {
		out->status = PCHECK_FAIL;
		out->summary = xstrfmt("the sender <%s> did not sign off (the "
				       "author is <%s>)", sender_email, author_email);
	} else {
		out->status = PCHECK_PASS;
		out->summary = xstrfmt("signed off by the author%s",
				       sender_email && strcasecmp(sender_email,
								  author_email) ?
				       " and the sender" : "");
	}
	out->lines = s.lines.len ? buf_detach(&s.lines, NULL) : NULL;
	for (i = 0; i < s.n; i++)
		free(s.addr[i]);
	free(s.addr);
	buf_release(&s.lines);
}

/* ---- fixes ------------------------------------------------------------ */

struct fixes {
	git_repository *repo;
	git_oid base;
	struct patch_check *out;
	struct buf lines;
	int tags, bad, warned;
};

/* "Fixes: 1234abcd5678 ("subject")": the id, and the subject or NULL */
static int parse_fixes(const char *v, char *hex, size_t hexsz, char **subject)
{
	size_t n = 0;
	const char *q, *e;

	while (isxdigit((unsigned char)v[n]) && n < hexsz - 1)
		n++;
	if (n < 4 || isxdigit((unsigned char)v[n]))
		return -1;
	memcpy(hex, v, n);
	hex[n] = '\0';
	*subject = NULL;
	q = strstr(v + n, "(\"");
	e = q ? strrchr(q, ')') : NULL;
	if (q && e && e > q + 2 && e[-1] == '"')
		*subject = xstrndup(q + 2, (size_t)(e - 1 - (q + 2)));
	return 0;
}

static void fixes_line(const char *line, void *ud)
{
	struct fixes *f = ud;
	const char *v = trailer_value(line, "Fixes");
	char hex[GIT_OID_HEXSZ + 1], *subject = NULL;
	git_oid oid;
	git_object *obj = NULL;
	size_t n;
	int rc;

	if (!v)
		return;
	f->tags++;
	if (parse_fixes(v, hex, sizeof(hex), &subject)) {
		buf_addf(&f->lines, "%s: not a commit id\n", line);
		worst(f->out, PCHECK_FAIL);
		f->bad++;
		return;
	}
	n = strlen(hex);
	rc = git_oid_fromstrn(&oid, hex, n) ? GIT_ENOTFOUND :
	     git_object_lookup_prefix(&obj, f->repo, &oid, n, GIT_OBJECT_COMMIT);
	if (rc == GIT_EAMBIGUOUS) {
		buf_addf(&f->lines, "%s: %s is ambiguous in the tree\n", line, hex);
		worst(f->out, PCHECK_FAIL);
		f->bad++;
	} else if (rc) {
		buf_addf(&f->lines, "%s: %s names no commit of the tree\n", line, hex);
		worst(f->out, PCHECK_FAIL);
		f->bad++;
	} else {
		const git_oid *id = git_object_id(obj);
		const char *have = git_commit_summary((git_commit *)obj);

		if (!git_oid_equal(id, &f->base) &&
		    git_graph_descendant_of(f->repo, &f->base, id) != 1) {
			buf_addf(&f->lines, "%s: %.12s is not in the base\n", line,
				 git_oid_tostr_s(id));
			worst(f->out, PCHECK_FAIL);
			f->bad++;
		} else if (!subject) {
			buf_addf(&f->lines, "%s: no subject; %.12s is (\"%s\")\n",
				 line, git_oid_tostr_s(id), have ? have : "");
			worst(f->out, PCHECK_WARN);
			f->warned++;
		} else if (!have || strcmp(subject, have)) {
			buf_addf(&f->lines, "%s: %.12s's subject is (\"%s\")\n", line,
				 git_oid_tostr_s(id), have ? have : "");
			worst(f->out, PCHECK_WARN);
			f->warned++;
		} else {
			if (n < 12) {
				worst(f->out, PCHECK_WARN);
				f->warned++;
			}
			buf_addf(&f->lines, "%s: %.12s%s\n", line, git_oid_tostr_s(id),
				 n < 12 ? ", an id of fewer than 12 digits" : "");
		}
	}
	git_object_free(obj);
	free(subject);
}

int patchcheck_fixes(struct patchcheck_tree *t, const char *message,
		     struct patch_check *out)
{
	struct fixes f;

	memset(out, 0, sizeof(*out));
	memset(&f, 0, sizeof(f));
	buf_init(&f.lines, 0);
	out->kind = PCHECK_FIXES;
	f.out = out;
	f.repo = t->repo;
	f.base = t->base_oid;
	each_line(message, fixes_line, &f);
	if (!f.tags)
		out->summary = xstrdup("no Fixes: tag");
	else if (!f.bad && out->status == PCHECK_PASS)
		out->summary = xstrfmt("%d Fixes: tag%s, each a commit of the base "
				       "with its subject", f.tags, f.tags > 1 ? "s" : "");
	else if (f.bad)
		out->summary = xstrfmt("Fixes: tags naming no commit of the base: "
				       "%d of %d", f.bad, f.tags);
	else
		out->summary = xstrfmt("Fixes: tags with a short id, or a "
				       "subject not the commit's: %d of %d",
				       f.warned, f.tags);
	out->lines = f.lines.len ? buf_detach(&f.lines, NULL) : NULL;
	buf_release(&f.lines);
	return 0;
}

/* ---- checkpatch ------------------------------------------------------- */

/* The blob at path in tree into the file to: 1 written, 0 none, -1 said */
static int extract_to(git_repository *repo, git_tree *tree, const char *path,
		      const char *to)
{
	git_tree_entry *ent = NULL;
	git_blob *blob = NULL;
	int ret = 0;

	if (git_tree_entry_bypath(&ent, tree, path))
		return 0;
	if (git_tree_entry_type(ent) != GIT_OBJECT_BLOB ||
	    git_blob_lookup(&blob, repo, git_tree_entry_id(ent)))
		ret = error("%s: not a file", path);
	else if (write_file(to, git_blob_rawcontent(blob),
			    (size_t)git_blob_rawsize(blob)))
		ret = error("%s: cannot write", to);
	else
		ret = 1;
	git_blob_free(blob);
	git_tree_entry_free(ent);
	return ret;
}

/* The tree of rev: 0, or -1 (said) */
static int tree_of(git_repository *repo, const char *rev, git_tree **tree)
{
	git_object *obj = NULL;
	int rc;

	*tree = NULL;
	rc = git_revparse_single(&obj, repo, rev) ||
	     git_object_peel((git_object **)tree, obj, GIT_OBJECT_TREE);
	git_object_free(obj);
	if (rc) {
		const git_error *ge = git_error_last();

		return error("%.40s: %s", rev, ge && ge->message ? ge->message :
			     "not a commit");
	}
	return 0;
}

/* the base's scripts, beside each other as in scripts/ */
static const char *const scripts[] = {
	"scripts/checkpatch.pl", "scripts/spelling.txt",
	"scripts/const_structs.checkpatch", "scripts/kernel-doc",
};

static char *in_dir(const struct patchcheck_tree *t, const char *path)
{
	const char *slash = strrchr(path, '/');

	return xstrfmt("%s/%s", t->dir, slash ? slash + 1 : path);
}

int patchcheck_tree_open(struct patchcheck_tree *t, const char *repo_path,
			 const char *base)
{
	git_tree *tree = NULL;
	size_t i;
	int rc;

	memset(t, 0, sizeof(*t));
	if (git_repository_open(&t->repo, repo_path)) {
		t->repo = NULL;
		return error("%s: not a repository", repo_path);
	}
	if (git_oid_fromstr(&t->base_oid, base) || tree_of(t->repo, base, &tree)) {
		if (!tree)
			error("%.40s: not a commit of %s", base, repo_path);
		goto fail;
	}
	if (make_tmpdir(t->dir, sizeof(t->dir), "pwb-patchcheck")) {
		t->dir[0] = '\0';
		goto fail;
	}
	for (i = 0; i < ARRAY_SIZE(scripts); i++) {
		char *to = in_dir(t, scripts[i]);

		rc = extract_to(t->repo, tree, scripts[i], to);
		free(to);
		if (rc < 0)
			goto fail;
		if (i == 0)
			t->have_checkpatch = rc;
		if (i == ARRAY_SIZE(scripts) - 1)
			t->have_kerneldoc = rc;
	}
	git_tree_free(tree);
	return 0;
fail:
	git_tree_free(tree);
	patchcheck_tree_release(t);
	return -1;
}

void patchcheck_tree_release(struct patchcheck_tree *t)
{
	size_t i;

	if (t->dir[0]) {
		for (i = 0; i < ARRAY_SIZE(scripts); i++) {
			char *f = in_dir(t, scripts[i]);

			unlink(f);
			free(f);
		}
		rmdir(t->dir);
	}
	git_repository_free(t->repo);
	memset(t, 0, sizeof(*t));
}

struct cp_count {
	int errors, warnings, checks, shown;
	struct buf lines;
};

static void cp_line(const char *line, void *ud)
{
	struct cp_count *c = ud;
	int keep = 1;

	if (strstr(line, ": ERROR: "))
		c->errors++;
	else if (strstr(line, ": WARNING: "))
		c->warnings++;
	else if (strstr(line, ": CHECK: "))
		c->checks++;
	else
		keep = *line != '\0';
	/* what a maintainer reads: the first 50 findings */
	if (keep && c->shown++ < 50)
		buf_addf(&c->lines, "%.400s\n", line);
}

int patchcheck_checkpatch(struct patchcheck_tree *t, const char *mail,
			  size_t len, struct patch_check *out)
{
	char *script = NULL, *patch = NULL, *gitdir = NULL;
	struct cp_count c;
	struct run_opts ro;
	struct run_result rr;
	int ret = -1;

	memset(out, 0, sizeof(*out));
	memset(&c, 0, sizeof(c));
	buf_init(&c.lines, 0);
	memset(&rr, 0, sizeof(rr));
	out->kind = PCHECK_CHECKPATCH;
	if (!t->have_checkpatch) {
		out->status = PCHECK_SKIP;
		out->summary = xstrdup("the base has no scripts/checkpatch.pl");
		return 0;
	}
	patch = in_dir(t, "patch.mbox");
	if (write_file(patch, mail, len)) {
		error("%s: cannot write", patch);
		goto out;
	}
	script = in_dir(t, "checkpatch.pl");
	/* its commit ids (a "Fixes:", "commit abc (...)" in the message) are
	 * looked up in the tree's repository, as when run in the tree */
	gitdir = xstrfmt("GIT_DIR=%s", git_repository_path(t->repo));
	{
		const char *argv[] = { "perl", script, "-q", "--terse",
				       "--no-summary", "--mailback", "--showfile",
				       "--no-tree", "--color=never", patch, NULL };
		const char *env[] = { gitdir, NULL };

		memset(&ro, 0, sizeof(ro));
		ro.argv = argv;
		ro.env = env;
		ro.cwd = t->dir;
		ro.timeout = 300;
		ro.capture_cap = 256 * 1024;
		ro.stdin_null = 1;
		if (run_command(&ro, &rr) < 0)
			goto out;
	}
	if (rr.end != RUN_EXITED || rr.code > 1) {
		char why[128];

		out->status = PCHECK_SKIP;
		out->summary = xstrfmt("checkpatch.pl did not finish: %s",
				       run_describe(&rr, why, sizeof(why)));
		if (rr.output.len)
			out->lines = xstrndup(rr.output.buf, rr.output.len > 2000 ?
					      2000 : rr.output.len);
		ret = 0;
		goto out;
	}
	each_line(rr.output.buf, cp_line, &c);
	out->status = c.errors ? PCHECK_FAIL : c.warnings ? PCHECK_WARN :
		      PCHECK_PASS;
	out->summary = xstrfmt("%d error%s, %d warning%s", c.errors,
			       c.errors == 1 ? "" : "s", c.warnings,
			       c.warnings == 1 ? "" : "s");
	if (c.shown > 50)
		buf_addf(&c.lines, "(%d more)\n", c.shown - 50);
	out->lines = c.lines.len ? buf_detach(&c.lines, NULL) : NULL;
	ret = 0;
out:
	if (patch)
		unlink(patch);
	run_result_release(&rr);
	buf_release(&c.lines);
	free(script);
	free(patch);
	free(gitdir);
	return ret;
}

/* ---- kernel-doc ------------------------------------------------------- */

#define KDOC_MAX_FILES 20

/* The .c and .h files diff touches (the new side's path), at most max;
 * *more counts the others. */
static size_t touched_c(const char *diff, char **out, size_t max, size_t *more)
{
	const char *p = diff ? diff : "";
	size_t n = 0;

	*more = 0;
	for (; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		const char *b, *e;
		size_t len;

		if (strncmp(p, "diff --git a/", 13))
			continue;
		b = strstr(p, " b/");
		e = strchr(p, '\n');
		if (!b || (e && b > e))
			continue;
		b += 3;
		len = e ? (size_t)(e - b) : strlen(b);
		if (len < 3 || (strncmp(b + len - 2, ".c", 2) &&
				strncmp(b + len - 2, ".h", 2)))
			continue;
		if (n < max)
			out[n++] = xstrndup(b, len);
		else
			(*more)++;
	}
	return n;
}

/*
 * kernel-doc -none on the blob of path at tree, as file f<k>.c in dir:
 * its warnings into w, a line each with "f<k>.c:" made path again.
 * 1 run, 0 no such file there, -1 said.
 */
static int kdoc_run(git_repository *repo, git_tree *tree, const char *path,
		    const char *dir, const char *script, int k, struct buf *w)
{
	char name[32], *to;
	struct run_opts ro;
	struct run_result rr;
	const char *p;
	int rc;

	memset(&rr, 0, sizeof(rr));
	snprintf(name, sizeof(name), "f%d%s", k, path + strlen(path) - 2);
	to = xstrfmt("%s/%s", dir, name);
	rc = extract_to(repo, tree, path, to);
	if (rc <= 0) {
		free(to);
		return rc;
	}
	{
		const char *argv[] = { "perl", script, "-none", name, NULL };

		memset(&ro, 0, sizeof(ro));
		ro.argv = argv;
		ro.cwd = dir;
		ro.timeout = 120;
		ro.capture_cap = 256 * 1024;
		ro.stdin_null = 1;
		rc = run_command(&ro, &rr);
	}
	unlink(to);
	free(to);
	if (rc < 0) {
		run_result_release(&rr);
		return -1;
	}
	for (p = rr.output.buf; p && *p;) {
		size_t l = strcspn(p, "\n");

		if (!strncmp(p, name, strlen(name)) && p[strlen(name)] == ':' &&
		    memmem(p, l, ": warning: ", 11)) {
			buf_addstr(w, path);
			buf_add(w, p + strlen(name), l - strlen(name));
			buf_addch(w, '\n');
		}
		p += l + (p[l] == '\n');
	}
	run_result_release(&rr);
	return 1;
}

/* "path:123: warning: x" -> "path: warning: x" (owned) */
static char *without_line(const char *l, size_t len)
{
	const char *c = memchr(l, ':', len), *d;

	if (!c)
		return xstrndup(l, len);
	d = c + 1;
	while (d < l + len && *d >= '0' && *d <= '9')
		d++;
	if (d == c + 1 || d >= l + len || *d != ':')
		return xstrndup(l, len);
	return xstrfmt("%.*s%.*s", (int)(c - l), l, (int)(l + len - d), d);
}

/* The lines of after that are not in before (each line of before
 * matches once), line numbers left out, into out; their count. */
static int new_warnings(const char *before, const char *after, struct buf *out)
{
	char **old = NULL;
	size_t nold = 0, i;
	const char *p;
	int n = 0;

	for (p = before; *p;) {
		size_t l = strcspn(p, "\n");

		old = xrealloc(old, (nold + 1) * sizeof(*old));
		old[nold++] = without_line(p, l);
		p += l + (p[l] == '\n');
	}
	for (p = after; *p;) {
		size_t l = strcspn(p, "\n");
		char *k = without_line(p, l);

		for (i = 0; i < nold; i++)
			if (old[i] && !strcmp(old[i], k))
				break;
		if (i < nold) {
			free(old[i]);
			old[i] = NULL;
		} else {
			if (n < 50)
				buf_addf(out, "%.*s\n", (int)(l > 400 ? 400 : l), p);
			n++;
		}
		free(k);
		p += l + (p[l] == '\n');
	}
	for (i = 0; i < nold; i++)
		free(old[i]);
	free(old);
	return n;
}

int patchcheck_kerneldoc(struct patchcheck_tree *t, const char *parent,
			 const char *commit, const char *diff,
			 struct patch_check *out)
{
	git_tree *tp = NULL, *tc = NULL;
	char *script = NULL, *files[KDOC_MAX_FILES];
	struct buf before = BUF_INIT, after = BUF_INIT, found = BUF_INIT;
	size_t nfiles = 0, more = 0, i;
	int ret = -1, n = 0;

	memset(out, 0, sizeof(*out));
	out->kind = PCHECK_KERNELDOC;
	if (tree_of(t->repo, parent, &tp) || tree_of(t->repo, commit, &tc))
		goto out;
	nfiles = touched_c(diff, files, KDOC_MAX_FILES, &more);
	if (!nfiles) {
		out->status = PCHECK_PASS;
		out->summary = xstrdup("no .c or .h file touched");
		ret = 0;
		goto out;
	}
	if (!t->have_kerneldoc) {
		out->status = PCHECK_SKIP;
		out->summary = xstrdup("the base has no scripts/kernel-doc");
		ret = 0;
		goto out;
	}
	script = in_dir(t, "kernel-doc");
	for (i = 0; i < nfiles; i++) {
		buf_reset(&before);
		buf_reset(&after);
		if (kdoc_run(t->repo, tp, files[i], t->dir, script, (int)i, &before) < 0 ||
		    kdoc_run(t->repo, tc, files[i], t->dir, script, (int)i, &after) < 0)
			goto out;
		n += new_warnings(before.buf, after.buf, &found);
	}
	out->status = n ? PCHECK_WARN : PCHECK_PASS;
	out->summary = xstrfmt("%d new kernel-doc warning%s in %zu file%s%s", n,
			       n == 1 ? "" : "s", nfiles, nfiles == 1 ? "" : "s",
			       more ? " (more files left out)" : "");
	if (more)
		buf_addf(&found, "(%zu more .c and .h files not looked at)\n", more);
	out->lines = found.len ? buf_detach(&found, NULL) : NULL;
	ret = 0;
out:
	for (i = 0; i < nfiles; i++)
		free(files[i]);
	buf_release(&before);
	buf_release(&after);
	buf_release(&found);
	free(script);
	git_tree_free(tp);
	git_tree_free(tc);
	return ret;
}
