#include "ktap.h"
#include "triage.h"
#include "util/util.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

const char *ktap_status_name(enum ktap_status s)
{
	switch (s) {
	case KTAP_PASS: return "pass";
	case KTAP_FAIL: return "fail";
	case KTAP_SKIP: return "skip";
	case KTAP_TODO: return "todo";
	case KTAP_CRASHED: return "crashed";
	}
	return "?";
}

int ktap_failed(const struct ktap *k)
{
	size_t i;

	for (i = 0; i < k->nr; i++)
		if (k->cases[i].status == KTAP_FAIL ||
		    k->cases[i].status == KTAP_CRASHED)
			return 1;
	return 0;
}

void ktap_release(struct ktap *k)
{
	size_t i;

	for (i = 0; i < k->nr; i++) {
		free(k->cases[i].name);
		free(k->cases[i].directive);
		buf_release(&k->cases[i].diag);
	}
	free(k->cases);
	free(k->error);
	memset(k, 0, sizeof(*k));
}

/* Bounds on what a console may make the parser do: a log from an untrusted
 * kernel may claim plans of any size and nest without end. */
#define KTAP_MAX_DEPTH 32	/* deeper indents stay in the deepest level */
#define KTAP_MAX_PLAN 100000	/* larger plans are ignored */
#define KTAP_MAX_MISSING 100	/* "case N" crashed entries per level */
#define KTAP_MAX_NAME 256	/* bytes of a "# Subtest:" name kept */

struct level {
	int indent;
	int plan;		/* -1: none */
	unsigned char *seen;	/* seen[n] for n in 1..plan */
	int seen_cap;
	int seen_nr;		/* distinct n marked in seen */
	char *name;		/* from "# Subtest:" */
	size_t first_case;	/* cases from here on are this level's */
	int results;
};

struct parser {
	struct ktap *k;
	struct level *lv;
	int depth, cap;
	long last_case;		/* for diagnostics, -1 none */
	int last_indent;
	char *pending_name;	/* "# Subtest:" before the level opened */
};

static struct ktap_case *add_case(struct ktap *k, char *name,
				  enum ktap_status st, const char *directive)
{
	struct ktap_case *c;

	if (k->nr == k->alloc) {
		k->alloc = k->alloc ? 2 * k->alloc : 16;
		k->cases = xrealloc(k->cases, k->alloc * sizeof(*k->cases));
	}
	c = &k->cases[k->nr++];
	c->name = name;
	c->status = st;
	c->directive = directive ? xstrdup(directive) : NULL;
	buf_init(&c->diag, 0);
	return c;
}

static void mark_seen(struct level *l, int n)
{
	if (n <= 0 || n > KTAP_MAX_PLAN)
		return;
	if (n >= l->seen_cap) {
		int cap = n + 16;

		l->seen = xrealloc(l->seen, (size_t)cap);
		memset(l->seen + l->seen_cap, 0, (size_t)(cap - l->seen_cap));
		l->seen_cap = cap;
	}
	if (!l->seen[n])
		l->seen_nr++;
	l->seen[n] = 1;
}

static void open_level(struct parser *p, int indent)
{
	struct level *l;

	if (p->depth == KTAP_MAX_DEPTH)
		return;
	if (p->depth == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 8;
		p->lv = xrealloc(p->lv, (size_t)p->cap * sizeof(*p->lv));
	}
	l = &p->lv[p->depth++];
	memset(l, 0, sizeof(*l));
	l->indent = indent;
	l->plan = -1;
	l->first_case = p->k->nr;
	l->name = p->pending_name;
	p->pending_name = NULL;
}

/* Close the innermost level; its cases get its name as a prefix. */
static void close_level(struct parser *p, const char *name_from_result)
{
	struct level *l = &p->lv[--p->depth];
	const char *name = l->name ? l->name : name_from_result;
	size_t i;
	int n, missing = 0, listed = 0;

	/* walk only as far as the listed ones need: the walk passes seen
	 * results, one per input line, and at most KTAP_MAX_MISSING others */
	if (l->plan > 0 && l->plan <= KTAP_MAX_PLAN) {
		missing = l->plan - l->seen_nr;
		/* results numbered beyond the plan fill no gap (the scan costs
		 * no more than allocating seen did) */
		for (n = l->plan + 1; n < l->seen_cap; n++)
			missing += l->seen[n];
	}
	for (n = 1; n <= l->plan && listed < missing &&
		    listed < KTAP_MAX_MISSING; n++) {
		if (n < l->seen_cap && l->seen[n])
			continue;
		add_case(p->k, xstrfmt("case %d", n), KTAP_CRASHED, NULL);
		listed++;
	}
	if (missing > KTAP_MAX_MISSING)
		add_case(p->k, xstrfmt("%d more missing cases",
				       missing - KTAP_MAX_MISSING),
			 KTAP_CRASHED, NULL);
	if (name && p->depth > 0) {
		for (i = l->first_case; i < p->k->nr; i++) {
			struct buf b = BUF_INIT;

			buf_addf(&b, "%s.%s", name, p->k->cases[i].name);
			free(p->k->cases[i].name);
			p->k->cases[i].name = buf_detach(&b, NULL);
		}
	}
	free(l->seen);
	free(l->name);
}

static int parse_result(const char *s, int *ok, int *num, char **desc,
			char **directive)
{
	const char *p = s, *hash;
	char *end;
	long n;

	if (starts_with(p, "ok ")) {
		*ok = 1;
		p += 3;
	} else if (starts_with(p, "not ok ")) {
		*ok = 0;
		p += 7;
	} else {
		return 0;
	}
	n = strtol(p, &end, 10);
	if (end == p || n < 0)
		return 0;
	*num = (int)n;
	p = end;
	while (*p == ' ')
		p++;
	if (*p == '-' && p[1] == ' ')
		p += 2;
	hash = strstr(p, " # ");
	if (!hash && *p == '#')
		hash = p - 1;
	if (hash) {
		const char *d = hash + 3;

		if (hash == p - 1)
			d = p + 1;
		while (*d == ' ')
			d++;
		*directive = xstrdup(d);
		*desc = xstrndup(p, hash >= p ? (size_t)(hash - p) : 0);
	} else {
		*directive = NULL;
		*desc = xstrdup(p);
	}
	{
		size_t l = strlen(*desc);

		while (l && isspace((unsigned char)(*desc)[l - 1]))
			(*desc)[--l] = '\0';
	}
	return 1;
}

int ktap_parse(const char *text, struct ktap *k)
{
	struct parser p;
	const char *line = text;

	memset(k, 0, sizeof(*k));
	memset(&p, 0, sizeof(p));
	p.k = k;
	p.last_case = -1;
	while (*line) {
		size_t n = strcspn(line, "\n");
		char *raw = xstrndup(line, n), *s;
		const char *body;
		int indent = 0, ok, num;
		char *desc, *directive;
		long v;

		line += n;
		if (*line)
			line++;
		if (n && raw[n - 1] == '\r')
			raw[n - 1] = '\0';
		body = triage_strip_prefix(raw);
		while (body[indent] == ' ')
			indent++;
		s = (char *)body + indent;

		if ((starts_with(s, "KTAP version ") || starts_with(s, "TAP version ")) &&
		    !parse_long(strchr(s, 'n') + 2, &v)) {
			k->versions++;
			/* a version line opens a (sub)test at its indent */
			while (p.depth && p.lv[p.depth - 1].indent >= indent &&
			       !(p.lv[p.depth - 1].indent == indent &&
				 p.lv[p.depth - 1].results == 0 &&
				 p.lv[p.depth - 1].plan < 0))
				close_level(&p, NULL);
			if (!p.depth || p.lv[p.depth - 1].indent < indent)
				open_level(&p, indent);
		} else if (skip_prefix(s, "# Subtest: ", (const char **)&desc)) {
			free(p.pending_name);
			p.pending_name = xstrndup(desc, KTAP_MAX_NAME);
			/* KUnit: right after the nested version line, it names
			 * that level; TAP 14: after the parent's plan, it names
			 * the level that follows, indented deeper */
			if (p.depth && p.lv[p.depth - 1].indent == indent &&
			    !p.lv[p.depth - 1].name && p.lv[p.depth - 1].results == 0 &&
			    p.lv[p.depth - 1].plan < 0) {
				p.lv[p.depth - 1].name = p.pending_name;
				p.pending_name = NULL;
			}
		} else if (s[0] == '1' && s[1] == '.' && s[2] == '.' &&
			   !parse_long(s + 3, &v)) {
			if (!p.depth || p.lv[p.depth - 1].indent < indent)
				open_level(&p, indent); /* TAP without a version */
			p.lv[p.depth - 1].plan = (int)v;
		} else if (parse_result(s, &ok, &num, &desc, &directive)) {
			enum ktap_status st = ok ? KTAP_PASS : KTAP_FAIL;
			size_t children = k->nr;

			if (directive && istarts_with(directive, "SKIP"))
				st = KTAP_SKIP;
			else if (directive && istarts_with(directive, "TODO") && !ok)
				st = KTAP_TODO;
			/* deeper levels end: this result is their parent's */
			while (p.depth && p.lv[p.depth - 1].indent > indent) {
				/* the result names the level right below it only;
				 * deeper ones that never got their result keep none */
				int outermost = p.depth == 1 ||
					p.lv[p.depth - 2].indent <= indent;

				if (p.lv[p.depth - 1].first_case < children)
					children = p.lv[p.depth - 1].first_case;
				close_level(&p, outermost ? desc : NULL);
			}
			if (!p.depth)
				open_level(&p, indent);
			mark_seen(&p.lv[p.depth - 1], num);
			p.lv[p.depth - 1].results++;
			if (children < k->nr && st != KTAP_FAIL) {
				/* the children carry the detail */
				free(desc);
				free(directive);
			} else if (children < k->nr) {
				/* a failed parent whose children all passed: keep it */
				size_t i;
				int child_failed = 0;

				for (i = children; i < k->nr; i++)
					if (k->cases[i].status == KTAP_FAIL ||
					    k->cases[i].status == KTAP_CRASHED)
						child_failed = 1;
				if (!child_failed) {
					add_case(k, desc, st, directive);
					p.last_case = (long)k->nr - 1;
				} else {
					free(desc);
				}
				free(directive);
			} else {
				add_case(k, desc, st, directive);
				free(directive);
				p.last_case = (long)k->nr - 1;
				p.last_indent = indent;
			}
		} else if (starts_with(s, TRIAGE_START_MARKER) ||
			   starts_with(s, TRIAGE_END_MARKER)) {
			/* pwb's own markers are no diagnostics */
		} else if (s[0] == '#' && p.last_case >= 0 && indent >= p.last_indent) {
			buf_addstr(&k->cases[p.last_case].diag, s);
			buf_addch(&k->cases[p.last_case].diag, '\n');
		}
		free(raw);
	}
	while (p.depth)
		close_level(&p, NULL);
	free(p.lv);
	free(p.pending_name);
	if (!k->versions && !k->nr) {
		k->error = xstrdup("no KTAP or TAP output");
		return -1;
	}
	return 0;
}
