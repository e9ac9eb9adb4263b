/*
 * ktap: a port of the kernel's own KTAP parser (kunit_tool,
 * tools/testing/kunit/kunit_parser.py in 6.1) to the cases pwb stores.
 *
 * The structure follows kunit_parser.py function for function:
 * extract_tap_lines (stream_*), parse_diagnostic, parse_ktap_header,
 * parse_test_header, parse_test_plan, parse_test_result and parse_test.
 * Indentation means nothing, as in kunit_tool: a test is a parent when it
 * opens with a version line or "# Subtest:", and it ends after its plan's
 * count of subtests, or (without a plan) at the result line that carries
 * its name.  What pwb does besides, on purpose, is in
 * docs/conformance-ktap.md: bounds for a hostile console, "# TODO",
 * a failed parent whose subtests all passed, further KTAP documents after
 * the first, lines without the prefix, diagnostics kept with their case.
 */
#include "ktap.h"
#include "triage.h"
#include "util/util.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static const char *const ktap_status_names[] = {
	[KTAP_PASS] = "pass",
	[KTAP_FAIL] = "fail",
	[KTAP_SKIP] = "skip",
	[KTAP_TODO] = "todo",
	[KTAP_CRASHED] = "crashed",
};

const char *ktap_status_name(enum ktap_status s)
{
	return (size_t)s < ARRAY_SIZE(ktap_status_names) ?
	       ktap_status_names[s] : "?";
}

int ktap_status_parse(const char *s, enum ktap_status *out)
{
	int i = name_index(ktap_status_names, ARRAY_SIZE(ktap_status_names), s);

	if (i < 0)
		return -1;
	*out = (enum ktap_status)i;
	return 0;
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
#define KTAP_MAX_DEPTH 32	/* levels with the main test; deeper version
				   and "# Subtest:" lines are diagnostics */
#define KTAP_MAX_PLAN 100000	/* larger plans are read as no plan */
#define KTAP_MAX_MISSING 100	/* "case N" crashed entries per test */

/* kunit_tool's statuses (TestStatus); FAILURE_TO_PARSE_TESTS is an error */
enum kstatus { K_SUCCESS, K_FAILURE, K_SKIPPED, K_CRASHED, K_NO_TESTS };

/* extract_tap_lines: the lines from the first version line on, each with
 * the prefix that version line had taken off */
struct stream {
	const char *p;		/* next raw line */
	const char *peeked_raw;	/* where the peeked line started */
	char *line;		/* the peeked line, prefix off; NULL: none */
	char *prefix;
	size_t plen;
	int started, found, ended, eof;
};

/* Python's str.isspace() for ASCII, which \s and rstrip() use */
static int kspace(int c)
{
	return c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1c && c <= 0x1f);
}

static const char *skip_space(const char *s)
{
	while (kspace((unsigned char)*s))
		s++;
	return s;
}

/* "KTAP version N" (or "TAP version N") ending the line: where the first
 * "KTAP version" (or "TAP version") of the line starts, else NULL */
static const char *version_at_end(const char *s, const char *word)
{
	size_t n = strlen(s), w = strlen(word);
	const char *d = s + n;

	while (d > s && isdigit((unsigned char)d[-1]))
		d--;
	if (d == s + n || (size_t)(d - s) < w + 1 || d[-1] != ' ' ||
	    memcmp(d - 1 - w, word, w))
		return NULL;
	return strstr(s, word);
}

static int is_end_line(const char *s)
{
	return strstr(s, "List of all partitions:") ||
	       strstr(s, "Kernel panic - not syncing: VFS:") ||
	       strstr(s, "reboot: System halted");
}

/* where the prefix's trailing blanks (the version line's indentation)
 * start */
static size_t indent_from(const struct stream *st)
{
	size_t i = st->plen;

	while (i && (st->prefix[i - 1] == ' ' || st->prefix[i - 1] == '\t'))
		i--;
	return i;
}

/* the prefix of the version line also ends a line that has the same shape
 * in its place: the same bytes, except that digits and spaces stand for
 * each other (timestamps, log levels and caller ids change); a line without
 * it is read whole (kunit_tool cuts as many bytes off any line) */
static size_t prefix_len_of(const struct stream *st, const char *s)
{
	size_t i;

	for (i = 0; i < st->plen; i++) {
		int a = (unsigned char)st->prefix[i], b = (unsigned char)s[i];

		if (!b)
			return i;	/* shorter than the prefix: nothing left */
		if (a != b && !((isdigit(a) || a == ' ') &&
				(isdigit(b) || b == ' ')))
			/* less indented than the version line (KUnit's
			 * suite lines under its indented version line):
			 * the prefix less its indentation */
			return indent_from(st) <= i ? i : 0;
	}
	return st->plen;
}

static void stream_init(struct stream *st, const char *text)
{
	memset(st, 0, sizeof(*st));
	st->p = text;
}

static const char *stream_peek(struct stream *st)
{
	while (!st->line && !st->ended && !st->eof) {
		const char *raw = st->p, *v;
		size_t n = strcspn(raw, "\n");
		char *s;

		if (!*raw) {
			st->eof = 1;
			break;
		}
		st->p = raw + n + (raw[n] == '\n');
		s = xstrndup(raw, n);
		while (n && kspace((unsigned char)s[n - 1]))
			s[--n] = '\0';
		if (!st->started) {
			if ((v = version_at_end(s, "KTAP version")) ||
			    (v = version_at_end(s, "TAP version"))) {
				free(st->prefix);
				st->plen = (size_t)(v - s);
				st->prefix = xstrndup(s, st->plen);
				st->started = st->found = 1;
				st->peeked_raw = raw;
				st->line = xstrdup(v);
			} else if (strstr(s, "kunit executor: ")) {
				st->peeked_raw = raw;
				st->line = xstrdup(s);
			}
		} else if (is_end_line(s)) {
			st->ended = 1;
		} else {
			st->peeked_raw = raw;
			st->line = xstrdup(s + prefix_len_of(st, s));
		}
		free(s);
	}
	return st->line;
}

static void stream_pop(struct stream *st)
{
	free(st->line);
	st->line = NULL;
}

/* pwb: after a top-level test is complete, look for another version line
 * (the next KTAP document of the console) from the line not yet read */
static void stream_restart(struct stream *st)
{
	if (st->line) {
		st->p = st->peeked_raw;
		stream_pop(st);
	}
	st->started = 0;
}

static void stream_release(struct stream *st)
{
	free(st->line);
	free(st->prefix);
}

/* KTAP_START / TAP_START .match: the whole line, after blanks */
static int is_version(const char *s)
{
	s = skip_space(s);
	if (!skip_prefix(s, "KTAP version ", &s) &&
	    !skip_prefix(s, "TAP version ", &s))
		return 0;
	if (!isdigit((unsigned char)*s))
		return 0;
	while (isdigit((unsigned char)*s))
		s++;
	return !*s;
}

/* TEST_HEADER: "# Subtest: NAME" */
static const char *header_name(const char *s)
{
	const char *name;

	return skip_prefix(skip_space(s), "# Subtest: ", &name) ? name : NULL;
}

/* TEST_PLAN: "1..N", anything after N ignored; -1: no plan */
static int is_plan(const char *s, long *count)
{
	const char *d;
	long n = 0;

	if (!skip_prefix(skip_space(s), "1..", &d) || !isdigit((unsigned char)*d))
		return 0;
	for (; isdigit((unsigned char)*d); d++)
		if (n <= KTAP_MAX_PLAN)
			n = n * 10 + (*d - '0');
	*count = n > KTAP_MAX_PLAN ? -1 : n;
	return 1;
}

struct result {
	int ok, skip;
	long num;
	char *name;		/* TEST_RESULT's name (the one matched) */
	char *skip_name;	/* TEST_RESULT_SKIP's, which a SKIP result takes */
	char *directive;	/* after " # ", or NULL */
};

static char *name_dup(const char *s, size_t n)
{
	return xstrndup(s, n < KTAP_MAX_NAME ? n : KTAP_MAX_NAME);
}

/* TEST_RESULT: "(ok|not ok) N (- )?NAME( # .*)?", NAME without '#' */
static int parse_result_line(const char *s, struct result *r)
{
	const char *hash, *skip, *q;

	memset(r, 0, sizeof(*r));
	s = skip_space(s);
	if (skip_prefix(s, "ok ", &s))
		r->ok = 1;
	else if (!skip_prefix(s, "not ok ", &s))
		return 0;
	if (!isdigit((unsigned char)*s))
		return 0;
	for (; isdigit((unsigned char)*s); s++)
		if (r->num < 1000000000)
			r->num = r->num * 10 + (*s - '0');
	if (*s++ != ' ')
		return 0;
	/* "(- )?" gives way when what follows it would fail: "ok 1 - # x"
	 * is the case "-" */
	if (starts_with(s, "- ") && s[2] != '#')
		s += 2;
	hash = strchr(s, '#');
	/* a nameless result ("ok 25 # SKIP why", 6.1's kselftest harness):
	 * the blank after the number is the one before the '#' */
	if (hash == s) {
		if (hash[1] != ' ')
			return 0;
		r->skip = starts_with(s, "# SKIP");
		r->name = xstrdup("");
		r->skip_name = r->skip ? xstrdup("") : NULL;
		r->directive = xstrdup(hash + 2);
		return 1;
	}
	if (hash && (hash[-1] != ' ' || hash[1] != ' '))
		return 0;
	/* TEST_RESULT_SKIP: the name ends at the last " # SKIP" */
	for (skip = NULL, q = s; (q = strstr(q, " # SKIP")); q++)
		skip = q;
	r->skip = skip != NULL;
	r->name = name_dup(s, hash ? (size_t)(hash - 1 - s) : strlen(s));
	r->skip_name = skip ? name_dup(s, (size_t)(skip - s)) : NULL;
	r->directive = hash ? xstrdup(hash + 2) : NULL;
	return 1;
}

static void result_release(struct result *r)
{
	free(r->name);
	free(r->skip_name);
	free(r->directive);
}

struct parser {
	struct ktap *k;
	struct stream st;
	long last_case;		/* where "# ..." diagnostics go, -1 none */
	size_t last_indent;
	int diag_before;	/* KUnit: a case's log is the lines before
				 * its result (kunit_tool's test.log) */
	struct buf pending;	/* those lines, until the result */
};

#define KTAP_MAX_LOG 8192	/* bytes of a case's log kept */

/* a parsed test: kunit_tool's Test, less what pwb does not keep */
struct test {
	char *name;
	enum kstatus status;
	int failed_line;	/* its own result said "not ok" (no SKIP) */
	char *directive;
	size_t indent;		/* of its result line */
	size_t first_case;	/* its leaf cases are first_case.. */
	long subtests;
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
	c->nameless = 0;
	c->status = st;
	c->directive = directive ? xstrdup(directive) : NULL;
	buf_init(&c->diag, 0);
	return c;
}

/* parse_diagnostic: the lines up to the next result, header or version
 * line; below the depth bound, header and version lines are diagnostics
 * too.  pwb keeps "# ..." lines with the case before them. */
static void parse_diagnostic(struct parser *p, int flat)
{
	const char *s;
	struct result r;

	while ((s = stream_peek(&p->st))) {
		const char *b = skip_space(s);

		if (parse_result_line(s, &r)) {
			result_release(&r);
			break;
		}
		if (!flat && (header_name(s) || is_version(s))) {
			/* a new test: what came before was not a case's */
			buf_reset(&p->pending);
			break;
		}
		if (p->diag_before) {
			if (*b && p->pending.len + strlen(b) < KTAP_MAX_LOG &&
			    !starts_with(b, TRIAGE_START_MARKER) &&
			    !starts_with(b, TRIAGE_END_MARKER)) {
				buf_addstr(&p->pending, b);
				buf_addch(&p->pending, '\n');
			}
		} else if (*b == '#' && p->last_case >= 0 &&
		    (size_t)(b - s) >= p->last_indent &&
		    !starts_with(b, TRIAGE_START_MARKER) &&
		    !starts_with(b, TRIAGE_END_MARKER)) {
			buf_addstr(&p->k->cases[p->last_case].diag, b);
			buf_addch(&p->k->cases[p->last_case].diag, '\n');
		}
		stream_pop(&p->st);
	}
}

static int parse_ktap_header(struct parser *p)
{
	const char *s = stream_peek(&p->st);

	if (!s || !is_version(s))
		return 0;
	p->k->versions++;
	stream_pop(&p->st);
	return 1;
}

static int parse_test_header(struct parser *p, struct test *t)
{
	const char *s = stream_peek(&p->st), *name;

	if (!s || !(name = header_name(s)))
		return 0;
	free(t->name);
	t->name = name_dup(name, strlen(name));
	stream_pop(&p->st);
	return 1;
}

static long parse_test_plan(struct parser *p)
{
	const char *s = stream_peek(&p->st);
	long n;

	if (!s || !is_plan(s, &n))
		return -1;
	stream_pop(&p->st);
	return n;
}

/* peek_test_name_match */
static int peek_name_match(struct parser *p, const char *name)
{
	const char *s = stream_peek(&p->st);
	struct result r;
	int match;

	if (!s || !parse_result_line(s, &r))
		return 0;
	match = !strcmp(r.name, name);
	result_release(&r);
	return match;
}

static void parse_test_result(struct parser *p, struct test *t)
{
	const char *s = stream_peek(&p->st);
	struct result r;

	if (!s || !parse_result_line(s, &r))
		return;
	t->indent = (size_t)(skip_space(s) - s);
	stream_pop(&p->st);
	free(t->name);
	if (r.skip) {
		t->name = r.skip_name;
		r.skip_name = NULL;
		t->status = K_SKIPPED;
	} else {
		t->name = r.name;
		r.name = NULL;
		t->status = r.ok ? K_SUCCESS : K_FAILURE;
		t->failed_line = !r.ok;
	}
	/* the number is only checked by kunit_tool (an error, no case) */
	free(t->directive);
	t->directive = r.directive;
	r.directive = NULL;
	result_release(&r);
}

static enum ktap_status case_status(const struct test *t)
{
	switch (t->status) {
	case K_SUCCESS: return KTAP_PASS;
	case K_FAILURE:
		return t->directive && istarts_with(t->directive, "TODO") ?
			KTAP_TODO : KTAP_FAIL;
	case K_SKIPPED: return KTAP_SKIP;
	case K_NO_TESTS: return KTAP_SKIP;	/* a suite that ran nothing */
	case K_CRASHED: break;
	}
	return KTAP_CRASHED;
}

/* the subtests that never came: kunit_tool's nameless crashed Test()s */
static void add_missing(struct parser *p, long from, long to)
{
	long n, listed = 0;

	for (n = from; n <= to && listed < KTAP_MAX_MISSING; n++, listed++)
		add_case(p->k, xstrfmt("case %ld", n), KTAP_CRASHED,
			 NULL)->nameless = 1;
	if (to - from + 1 > KTAP_MAX_MISSING)
		add_case(p->k, xstrfmt("%ld more missing cases",
				       to - from + 1 - KTAP_MAX_MISSING),
			 KTAP_CRASHED, NULL);
}

/* A subtest is done: a leaf becomes a case; a parent's cases take its
 * name before theirs. */
static void close_subtest(struct parser *p, struct test *t, long num)
{
	struct ktap *k = p->k;
	size_t i;
	int child_failed = 0;

	if (!t->subtests) {
		/* a nameless one (a suite that printed no name and no result)
		 * is named as a missing one is */
		struct ktap_case *c = add_case(k, *t->name ? t->name :
					       xstrfmt("case %ld", num),
					       case_status(t), t->directive);

		c->nameless = !*t->name;
		if (p->diag_before && p->pending.len) {
			buf_release(&c->diag);
			c->diag = p->pending;
			buf_init(&p->pending, 0);
		}
		if (!*t->name)
			free(t->name);
		t->name = NULL;
		p->last_case = (long)k->nr - 1;
		p->last_indent = t->indent;
		return;
	}
	for (i = t->first_case; i < k->nr; i++) {
		if (k->cases[i].status == KTAP_FAIL ||
		    k->cases[i].status == KTAP_CRASHED)
			child_failed = 1;
		if (*t->name) {
			char *n = xstrfmt("%s.%s", t->name, k->cases[i].name);

			free(k->cases[i].name);
			k->cases[i].name = n;
		}
	}
	/* pwb: "not ok" for a parent whose subtests all passed is a failure
	 * of its own (kunit_tool counts only the subtests) */
	if (t->failed_line && !child_failed && *t->name) {
		add_case(k, t->name, KTAP_FAIL, t->directive);
		t->name = NULL;
		p->last_case = (long)k->nr - 1;
		p->last_indent = t->indent;
	}
}

static void test_release(struct test *t)
{
	free(t->name);
	free(t->directive);
}

/* parse_test; depth 0 is the main (top-level) test */
/* KUnit from 6.6 on prints attributes ("# module: list_test") between a
 * suite's header and its plan; kunit_tool 6.12 reads them as diagnostics
 * there.  In a kunit suite's console they are skipped. */
static void skip_attributes(struct parser *p)
{
	const char *s;

	while (p->diag_before && (s = stream_peek(&p->st))) {
		const char *b = skip_space(s);

		if (*b != '#' || header_name(s) || is_version(s))
			break;
		stream_pop(&p->st);
	}
}

static void parse_test(struct parser *p, int is_subtest, int depth,
		       struct test *t)
{
	int parent, flat = depth >= KTAP_MAX_DEPTH;
	long expected = -1, num = 1;

	memset(t, 0, sizeof(*t));
	t->status = K_CRASHED;
	t->name = xstrdup("");
	t->first_case = p->k->nr;
	parse_diagnostic(p, flat);
	if (!is_subtest) {
		parse_ktap_header(p);
		expected = parse_test_plan(p);
		parent = 1;
	} else if (flat) {
		parent = 0;
	} else {
		int ktap_line = parse_ktap_header(p);
		int subtest_line = parse_test_header(p, t);

		parent = ktap_line || subtest_line;
		if (parent) {
			skip_attributes(p);
			expected = parse_test_plan(p);
		}
	}
	while (parent && (expected < 0 || num <= expected)) {
		struct test sub;

		parse_diagnostic(p, depth + 1 >= KTAP_MAX_DEPTH);
		if (!stream_peek(&p->st) ||
		    (is_subtest && peek_name_match(p, t->name))) {
			if (expected > 0 && num <= expected) {
				/* kunit_tool: one crashed subtest a turn, to
				 * the end of the plan */
				add_missing(p, num, expected);
				t->subtests += expected - num + 1;
			}
			break;
		}
		parse_test(p, 1, depth + 1, &sub);
		close_subtest(p, &sub, num);
		test_release(&sub);
		t->subtests++;
		num++;
	}
	if (is_subtest) {
		parse_diagnostic(p, 0);
		if (!*t->name || peek_name_match(p, t->name))
			parse_test_result(p, t);
		/* else: "missing subtest result line!" */
	}
	if (parent && !t->subtests &&
	    (t->status == K_CRASHED || t->status == K_SUCCESS))
		t->status = K_NO_TESTS;
}

static int parse(const char *text, struct ktap *k, int diag_before)
{
	struct parser p;

	memset(k, 0, sizeof(*k));
	memset(&p, 0, sizeof(p));
	p.k = k;
	p.last_case = -1;
	p.diag_before = diag_before;
	buf_init(&p.pending, 0);
	stream_init(&p.st, text);
	/* kunit_tool reads one top-level test; pwb reads every one */
	while (stream_peek(&p.st)) {
		struct test main;

		parse_test(&p, 0, 0, &main);
		test_release(&main);
		stream_restart(&p.st);
	}
	stream_release(&p.st);
	buf_release(&p.pending);
	if (!p.st.found) {
		k->error = xstrdup("no KTAP or TAP output");
		return -1;
	}
	return 0;
}

int ktap_parse(const char *text, struct ktap *k)
{
	return parse(text, k, 0);
}

int ktap_parse_kunit(const char *text, struct ktap *k)
{
	return parse(text, k, 1);
}
