/* The objects a patch affects (see affected.h). */
#include "affected.h"
#include "util/buf.h"
#include "util/run.h"
#include "util/util.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* identifiers that are C, not the code's: never grepped for */
static const char *const keywords[] = {
	"__attribute__", "__must_check", "asm", "auto", "bool", "break", "case",
	"char", "const", "continue", "default", "defined", "do", "double",
	"else", "enum", "extern", "float", "for", "goto", "if", "inline", "int",
	"long", "register", "return", "short", "signed", "sizeof", "static",
	"struct", "switch", "typedef", "typeof", "union", "unsigned", "void",
	"volatile", "while",
};

/* at most this many identifiers grepped, and an identifier more files use
 * than the bound is too common to say anything: named, not grepped */
#define MAX_IDENTS 30

void strlist_release(struct strlist *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

int strlist_has(const struct strlist *l, const char *s)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (!strcmp(l->v[i], s))
			return 1;
	return 0;
}

static void add(struct strlist *l, const char *s, size_t len)
{
	char *x = xstrndup(s, len);

	if (strlist_has(l, x)) {
		free(x);
		return;
	}
	l->v = xrealloc(l->v, (l->n + 1) * sizeof(*l->v));
	l->v[l->n++] = x;
}

void strlist_add(struct strlist *l, const char *s)
{
	add(l, s, strlen(s));
}

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void sort(struct strlist *l)
{
	if (l->n > 1)
		qsort(l->v, l->n, sizeof(*l->v), cmp);
}

void affected_release(struct affected *a)
{
	strlist_release(&a->objects);
	strlist_release(&a->idents);
	strlist_release(&a->other);
	strlist_release(&a->left_out_names);
	strlist_release(&a->not_grepped);
	a->left_out = 0;
}

static int ident_char(int c)
{
	return isalnum(c) || c == '_';
}

static void add_ident(struct strlist *ids, const char *s, size_t len)
{
	size_t i;

	if (len < 3 || isdigit((unsigned char)*s))
		return;
	for (i = 0; i < ARRAY_SIZE(keywords); i++)
		if (strlen(keywords[i]) == len && !strncmp(keywords[i], s, len))
			return;
	add(ids, s, len);
}

/* the identifier ending just before end (blanks skipped), or len 0 */
static size_t ident_before(const char *line, const char *end, const char **at)
{
	const char *e = end, *b;

	while (e > line && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '*'))
		e--;
	b = e;
	while (b > line && ident_char((unsigned char)b[-1]))
		b--;
	*at = b;
	return (size_t)(e - b);
}

/* What a removed line of a header declares: #define NAME, NAME( of a
 * function, struct/union/enum NAME, typedef ... NAME;, a field NAME; */
static void header_line(const char *l, struct strlist *ids)
{
	const char *p = l, *q, *at;
	size_t n;

	while (*p == ' ' || *p == '\t')
		p++;
	if (*p == '#') {
		p++;
		while (*p == ' ' || *p == '\t')
			p++;
		if (strncmp(p, "define", 6))
			return;
		p += 6;
		while (*p == ' ' || *p == '\t')
			p++;
		for (q = p; ident_char((unsigned char)*q); q++)
			;
		add_ident(ids, p, (size_t)(q - p));
		return;
	}
	if (!strncmp(p, "/*", 2) || *p == '*' || !strncmp(p, "//", 2))
		return;	/* a comment */
	for (q = p; *q; q++) {
		if (*q == '(') {
			n = ident_before(p, q, &at);
			if (n)
				add_ident(ids, at, n);
			return;	/* the first call-like name: the declared one */
		}
	}
	if (!strncmp(p, "struct ", 7) || !strncmp(p, "union ", 6) ||
	    !strncmp(p, "enum ", 5)) {
		p = strchr(p, ' ') + 1;
		for (q = p; ident_char((unsigned char)*q); q++)
			;
		/* a tag declared or defined here; a field of that type is
		 * named at its end, below */
		if (strchr(q, '{') || !strchr(q, ';')) {
			add_ident(ids, p, (size_t)(q - p));
			return;
		}
	}
	/* typedef ... NAME; or a field: type NAME; NAME[N]; NAME : bits; */
	q = strchr(p, ';');
	if (!q)
		return;
	{
		const char *e = q;
		const char *br = memchr(p, '[', (size_t)(q - p));
		const char *co = memchr(p, ':', (size_t)(q - p));

		if (br)
			e = br;
		if (co && co < e)
			e = co;
		n = ident_before(p, e, &at);
		if (n && at > p)	/* a type before it */
			add_ident(ids, at, n);
	}
}

/* EXPORT_SYMBOL(NAME), EXPORT_SYMBOL_GPL(NAME)... on a removed line */
static void export_line(const char *l, struct strlist *ids)
{
	const char *p = strstr(l, "EXPORT_SYMBOL"), *q;

	if (!p || !(p = strchr(p, '(')))
		return;
	p++;
	while (*p == ' ')
		p++;
	for (q = p; ident_char((unsigned char)*q); q++)
		;
	add_ident(ids, p, (size_t)(q - p));
}

static int ends_with(const char *s, size_t len, const char *suf)
{
	size_t n = strlen(suf);

	return len >= n && !strncmp(s + len - n, suf, n);
}

/* Each file of diff: its path (the new side) and its removed lines. */
static void walk(const char *diff, struct strlist *c_files,
		 struct strlist *headers, struct strlist *other,
		 struct strlist *ids)
{
	const char *p = diff ? diff : "";
	struct buf line = BUF_INIT;
	int kind = 0;	/* 1 a header, 2 a .c file, 0 other */

	while (*p) {
		size_t l = strcspn(p, "\n");

		buf_reset(&line);
		buf_add(&line, p, l);
		p += l + (p[l] == '\n');
		if (!strncmp(line.buf, "diff --git a/", 13)) {
			const char *b = strstr(line.buf, " b/");
			size_t n;

			kind = 0;
			if (!b)
				continue;
			b += 3;
			n = strlen(b);
			if (ends_with(b, n, ".h")) {
				kind = 1;
				if (headers)
					add(headers, b, n);
			} else if (ends_with(b, n, ".c")) {
				kind = 2;
				if (c_files)
					add(c_files, b, n);
			} else if (other) {
				add(other, b, n);
			}
			continue;
		}
		/* a file the patch deletes: no object to build at it (its
		 * exports' users still are, from its removed lines) */
		if (kind == 2 && c_files && c_files->n &&
		    starts_with(line.buf, "deleted file mode")) {
			free(c_files->v[--c_files->n]);
			continue;
		}
		if (line.buf[0] != '-' || !strncmp(line.buf, "---", 3))
			continue;
		if (kind == 1)
			header_line(line.buf + 1, ids);
		else if (kind == 2)
			export_line(line.buf + 1, ids);
	}
	buf_release(&line);
}

void affected_idents(const char *diff, struct strlist *ids)
{
	walk(diff, NULL, NULL, NULL, ids);
	sort(ids);
}

/* "x.c" -> "x.o" */
static char *object_of(const char *c)
{
	size_t n = strlen(c);

	return xstrfmt("%.*s.o", (int)(n - 2), c);
}

/* The .c files of commit that use id as a word: 0 (into files), 1 more
 * than max (too common: files untouched), -1 said */
static int grep_files(const char *repo, const char *commit, const char *id,
		      int word, const char *pathspec, size_t max,
		      struct strlist *files)
{
	/* tools/ is user-space code with its own copies of the kernel's
	 * headers: not a user of what a patch changes in the kernel */
	const char *argv[] = { "git", "-C", repo, "grep", "-l", word ? "-w" : "-F",
			       "-F", "-e", id, commit, "--", pathspec,
			       ":(exclude)tools/", NULL };
	struct run_opts ro;
	struct run_result rr;
	struct strlist found = { NULL, 0 };
	const char *p;
	size_t clen = strlen(commit);
	int ret = -1;
	char why[128];

	memset(&ro, 0, sizeof(ro));
	ro.argv = argv;
	ro.timeout = 300;
	ro.capture_cap = 8 * 1024 * 1024;
	ro.stdin_null = 1;
	if (run_command(&ro, &rr) < 0)
		return -1;
	/* git grep: 1 is "nothing found" */
	if (rr.end != RUN_EXITED || rr.code > 1 || rr.truncated) {
		error("git grep %s'%s' at %.12s: %s", word ? "-w " : "", id, commit,
		      run_describe(&rr, why, sizeof(why)));
		goto out;
	}
	for (p = rr.output.buf; p && *p;) {
		size_t l = strcspn(p, "\n");

		/* "<commit>:path" */
		if (l > clen + 1 && !strncmp(p, commit, clen) && p[clen] == ':')
			add(&found, p + clen + 1, l - clen - 1);
		p += l + (p[l] == '\n');
	}
	ret = 0;
	if (found.n > max) {
		ret = 1;
		goto out;
	}
	for (; found.n; found.n--) {
		char *f = found.v[found.n - 1];

		if (!strlist_has(files, f))
			add(files, f, strlen(f));
		free(f);
	}
out:
	strlist_release(&found);
	run_result_release(&rr);
	return ret;
}

static void add_object(struct affected *out, const char *c, size_t max)
{
	char *o = object_of(c);

	if (strlist_has(&out->objects, o)) {
		free(o);
		return;
	}
	if (out->objects.n < max) {
		add(&out->objects, o, strlen(o));
	} else {
		out->left_out++;
		if (out->left_out_names.n < 10)
			add(&out->left_out_names, o, strlen(o));
	}
	free(o);
}

static int grep_users(const char *repo, const char *commit, const char *id,
		      size_t max, struct strlist *files)
{
	return grep_files(repo, commit, id, 1, "*.c", max, files);
}

int affected_other_arch(const char *path, const char *arch_dir)
{
	size_t al = arch_dir ? strlen(arch_dir) : 0;

	return arch_dir && starts_with(path, "arch/") &&
	       !(!strncmp(path, arch_dir, al) && path[al] == '/');
}

/* how many .c files that include a touched header are compiled */
#define HEADER_USERS 3

/*
 * The first HEADER_USERS .c files (in path order) at commit that include
 * header h: "<linux/x.h>" for include/ and arch/.../include/ headers, a
 * quoted file name in its own directory for the others.  Into users.
 */
static int header_users(const char *repo, const char *commit, const char *h,
			const char *arch_dir, struct strlist *users)
{
	struct strlist found = { NULL, 0 };
	const char *inc = strstr(h, "include/"), *slash = strrchr(h, '/');
	char *pat, *spec;
	size_t i, n = 0;
	int rc;

	if (inc && (inc == h || inc[-1] == '/')) {
		inc += 8;
		if (starts_with(inc, "uapi/"))
			inc += 5;
		pat = xstrfmt("#include <%s>", inc);
		spec = xstrdup("*.c");
	} else {
		pat = xstrfmt("#include \"%s\"", slash ? slash + 1 : h);
		spec = slash ? xstrfmt("%.*s/*.c", (int)(slash - h), h) : xstrdup("*.c");
	}
	rc = grep_files(repo, commit, pat, 0, spec, (size_t)-1, &found);
	if (rc >= 0) {
		sort(&found);
		for (i = 0; i < found.n && n < HEADER_USERS; i++) {
			const char *f = found.v[i];

			/* another arch's code: no rule builds it here */
			if (affected_other_arch(f, arch_dir))
				continue;
			if (!strlist_has(users, f))
				add(users, f, strlen(f));
			n++;
		}
	}
	strlist_release(&found);
	free(pat);
	free(spec);
	return rc < 0 ? -1 : 0;
}

int affected_of_patch(const char *repo_path, const char *commit,
		      const char *diff, size_t max_files, const char *arch_dir,
		      struct affected *out)
{
	struct strlist touched = { NULL, 0 }, users = { NULL, 0 };
	struct strlist headers = { NULL, 0 }, includers = { NULL, 0 };
	size_t i;
	int ret = -1, rc;

	memset(out, 0, sizeof(*out));
	walk(diff, &touched, &headers, &out->other, &out->idents);
	/* a header's own code (an inline, a macro) is compiled where a .c
	 * file includes it: the first few of them */
	for (i = 0; i < headers.n && i < 10; i++)
		if (header_users(repo_path, commit, headers.v[i], arch_dir,
				 &includers))
			goto out;
	sort(&out->idents);
	for (i = 0; i < out->idents.n; i++) {
		char *x;

		rc = i < MAX_IDENTS ? grep_users(repo_path, commit,
						 out->idents.v[i], max_files,
						 &users) : 2;
		if (rc < 0)
			goto out;
		if (!rc)
			continue;
		x = rc == 1 ? xstrfmt("%s (used by more than %zu files)",
				      out->idents.v[i], max_files) :
			      xstrdup(out->idents.v[i]);
		add(&out->not_grepped, x, strlen(x));
		free(x);
	}
	/* the files the patch touches first, then the users */
	for (i = 0; i < touched.n; i++)
		add_object(out, touched.v[i], max_files);
	sort(&users);
	for (i = 0; i < users.n; i++)
		add_object(out, users.v[i], max_files);
	for (i = 0; i < includers.n; i++)
		add_object(out, includers.v[i], max_files);
	sort(&out->objects);
	sort(&out->other);
	ret = 0;
out:
	strlist_release(&touched);
	strlist_release(&users);
	strlist_release(&headers);
	strlist_release(&includers);
	if (ret)
		affected_release(out);
	return ret;
}
