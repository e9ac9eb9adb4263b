#include "triage.h"
#include "util/util.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

void triage_init(struct triage *t)
{
	memset(t, 0, sizeof(*t));
	buf_init(&t->partial, 0);
	t->end_status = -1;
}

void triage_release(struct triage *t)
{
	size_t i;

	for (i = 0; i < t->nr; i++) {
		free(t->f[i].kind);
		free(t->f[i].title);
		buf_release(&t->f[i].lines);
	}
	free(t->f);
	buf_release(&t->partial);
	memset(t, 0, sizeof(*t));
}

int triage_is_failure(const char *kind)
{
	static const char *const info[] = { "oom-kill", "oom-reaped",
					    "oom-reap-failed" };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(info); i++)
		if (!strcmp(kind, info[i]))
			return 0;
	return 1;
}

int triage_has_failure(const struct triage *t)
{
	size_t i;

	for (i = 0; i < t->nr; i++)
		if (triage_is_failure(t->f[i].kind))
			return 1;
	return 0;
}

const char *triage_strip_prefix(const char *s)
{
	for (;;) {
		const char *p = s;

		while (*p == ' ')
			p++;
		if (*p != '[')
			return s;
		p++;
		while (*p == ' ')
			p++;
		if (isdigit((unsigned char)*p)) {
			/* [   12.345678] */
			while (isdigit((unsigned char)*p))
				p++;
			if (*p == '.')
				p++;
			while (isdigit((unsigned char)*p))
				p++;
		} else if ((*p == 'T' || *p == 'C') &&
			   isdigit((unsigned char)p[1])) {
			/* [T123] or [  C0] caller ids */
			p++;
			while (isdigit((unsigned char)*p))
				p++;
		} else {
			return s;
		}
		if (*p != ']')
			return s;
		p++;
		if (*p == ' ')
			p++;
		s = p;
	}
}

/* Numbers and addresses out, so the same bug has the same title. */
static char *normalise(const char *s, size_t n)
{
	struct buf b = BUF_INIT;
	size_t i = 0;

	while (i < n) {
		if (s[i] == '0' && i + 1 < n && (s[i + 1] == 'x' || s[i + 1] == 'X')) {
			i += 2;
			while (i < n && isxdigit((unsigned char)s[i]))
				i++;
			buf_addstr(&b, "ADDR");
		} else if (isxdigit((unsigned char)s[i]) &&
			   (i == 0 || !isalnum((unsigned char)s[i - 1]))) {
			size_t j = i;
			int digits = 0;

			while (j < n && isxdigit((unsigned char)s[j])) {
				if (isdigit((unsigned char)s[j]))
					digits = 1;
				j++;
			}
			if (digits && (j == n || !isalnum((unsigned char)s[j]) ||
				       s[j] == 'k' || s[j] == 's')) {
				int hexword = j - i >= 8;

				buf_addstr(&b, hexword ? "ADDR" : "N");
				i = j;
			} else {
				buf_add(&b, s + i, j - i);
				i = j;
			}
		} else {
			buf_addch(&b, s[i++]);
		}
	}
	buf_trim(&b);
	return buf_detach(&b, NULL);
}

static struct finding *add(struct triage *t, const char *kind, char *title,
			   const char *line, int follow)
{
	struct finding *f;

	t->f = xrealloc(t->f, (t->nr + 1) * sizeof(*t->f));
	f = &t->f[t->nr++];
	f->kind = xstrdup(kind);
	f->title = title;
	buf_init(&f->lines, 0);
	if (line) {
		buf_addstr(&f->lines, line);
		buf_addch(&f->lines, '\n');
	}
	f->first_line = t->lineno;
	t->open = follow ? f : NULL;
	t->open_left = follow;
	return f;
}

/* "func+0x1a/0x40" -> "func" */
static char *func_of(const char *s)
{
	size_t n = strcspn(s, "+ \t");

	return xstrndup(s, n);
}

/* prefix + owned (freed) */
static char *prefix_take(const char *prefix, char *owned)
{
	struct buf b = BUF_INIT;

	buf_addstr(&b, prefix);
	buf_addstr(&b, owned);
	free(owned);
	return buf_detach(&b, NULL);
}

static char *titlef(const char *kind_title, const char *rest)
{
	struct buf b = BUF_INIT;

	buf_addstr(&b, kind_title);
	buf_addstr(&b, rest);
	return buf_detach(&b, NULL);
}

/* The crash's function: "RIP: 0010:func+0x../0x.." among the lines. */
static void refine_oops_title(struct finding *f, const char *line)
{
	const char *rip = strstr(line, "RIP: 0010:");
	char *fn, *t;

	if (!rip || strstr(f->title, " in "))
		return;
	fn = func_of(rip + 10);
	if (!*fn) {
		free(fn);
		return;
	}
	t = titlef(f->title, " in ");
	free(f->title);
	f->title = titlef(t, fn);
	free(t);
	free(fn);
}

/* Does this line start a report of its own? */
static int is_header(const char *s)
{
	static const char *const starts[] = { "Kernel panic", "BUG: ", "WARNING: ",
		"general protection fault", "invalid opcode: ", "UBSAN: ",
		"INFO: task ", "oom_reaper: ", "watchdog: BUG: " };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(starts); i++)
		if (starts_with(s, starts[i]))
			return 1;
	return strstr(s, "Oops: ") || strstr(s, "rcu: INFO: ") ||
	       strstr(s, "Out of memory: Killed process ");
}

static void classify(struct triage *t, const char *raw)
{
	const char *s = triage_strip_prefix(raw), *p;
	size_t n = strlen(s);

	if (n)
		t->nonempty++;
	if (starts_with(s, TRIAGE_START_MARKER)) {
		t->saw_start = 1;
		return;
	}
	if (starts_with(s, TRIAGE_END_MARKER)) {
		t->saw_end = 1;
		p = strstr(s, "status=");
		if (p)
			t->end_status = atoi(p + 7);
		return;
	}
	/* the kernel's banner carries a printk timestamp; /proc/version
	 * printed by a test does not (and BIOS noise may precede it) */
	if (strstr(raw, "] Linux version ") && (p = strstr(raw, "] Linux version ")) &&
	    strchr(raw, '[') < p) {
		if (++t->linux_banners == 2)
			add(t, "unexpected-reboot",
			    xstrdup("unexpected reboot: the kernel started again"),
			    s, 0);
		return;
	}
	/* continuation of an open report */
	if (t->open && t->open_left > 0) {
		buf_addstr(&t->open->lines, s);
		buf_addch(&t->open->lines, '\n');
		t->open_left--;
		if (!strcmp(t->open->kind, "oops") || !strcmp(t->open->kind, "bug") ||
		    !strcmp(t->open->kind, "panic"))
			refine_oops_title(t->open, s);
		if (strstr(s, "---[ end trace") || strstr(s, "---[ end Kernel panic"))
			t->open = NULL;
		/* a new report inside the open one is classified below */
		if (!is_header(s))
			return;
	}
	if (skip_prefix(s, "Kernel panic - not syncing: ", &p)) {
		add(t, "panic", prefix_take("Kernel panic - not syncing: ", normalise(p, strlen(p))), s, 5);
		return;
	}
	if (skip_prefix(s, "BUG: KASAN: ", &p)) {
		add(t, "kasan", prefix_take("KASAN: ", normalise(p, strlen(p))), s, 40);
		return;
	}
	if ((p = strstr(s, "BUG: soft lockup"))) {
		add(t, "soft-lockup", xstrdup("soft lockup"), s, 20);
		return;
	}
	if (starts_with(s, "WARNING: possible circular locking dependency") ||
	    starts_with(s, "WARNING: possible recursive locking") ||
	    starts_with(s, "WARNING: inconsistent lock state") ||
	    starts_with(s, "WARNING: suspicious RCU usage") ||
	    starts_with(s, "WARNING: bad unlock balance") ||
	    starts_with(s, "WARNING: held lock freed")) {
		add(t, "lockdep", normalise(s + 9, n - 9), s, 40);
		return;
	}
	if (skip_prefix(s, "BUG: ", &p)) {
		add(t, "bug", prefix_take("BUG: ", normalise(p, strlen(p))), s, 40);
		return;
	}
	if (skip_prefix(s, "UBSAN: ", &p)) {
		add(t, "ubsan", prefix_take("UBSAN: ", normalise(p, strlen(p))), s, 20);
		return;
	}
	if (starts_with(s, "WARNING: CPU: ") && (p = strstr(s, " at "))) {
		const char *fn = strchr(p + 4, ' ');
		char *f = fn ? func_of(fn + 1) : xstrdup("?");

		add(t, "warning", titlef("WARNING in ", f), s, 30);
		free(f);
		return;
	}
	if (strstr(s, "Oops: ") || starts_with(s, "general protection fault") ||
	    starts_with(s, "invalid opcode: ")) {
		const char *what = starts_with(s, "general protection fault") ?
			"general protection fault" : starts_with(s, "invalid opcode") ?
			"invalid opcode" : "Oops";

		add(t, "oops", xstrdup(what), s, 40);
		return;
	}
	if (strstr(s, "rcu: INFO: ") && strstr(s, "stall")) {
		add(t, "rcu-stall", xstrdup("RCU stall"), s, 20);
		return;
	}
	if (skip_prefix(s, "INFO: task ", &p) && strstr(s, "blocked for more than")) {
		/* "INFO: task kworker/0:1:17 blocked": the pid follows the
		 * last ':' (the comm may hold one too) */
		const char *end = strstr(p, "blocked for more than");
		const char *colon;

		/* found: the branch asked for it; "INFO: task blocked ..."
		 * (no comm) must not run past the line (fuzz-text found it) */
		while (end > p && end[-1] == ' ')
			end--;
		colon = end;

		while (colon > p && *colon != ':')
			colon--;
		add(t, "hung-task", prefix_take("hung task: ",
			normalise(p, (size_t)((colon > p ? colon : end) - p))), s, 20);
		return;
	}
	if ((p = strstr(s, "Out of memory: Killed process ")) ||
	    (p = strstr(s, "Memory cgroup out of memory: Killed process "))) {
		const char *open = strchr(p, '('), *close;

		if (open && (close = strchr(open, ')'))) {
			char *comm = xstrndup(open + 1, (size_t)(close - open - 1));

			add(t, "oom-kill", titlef("OOM killed ", comm), s, 0);
			free(comm);
		} else {
			add(t, "oom-kill", xstrdup("OOM kill"), s, 0);
		}
		return;
	}
	if (skip_prefix(s, "oom_reaper: reaped process ", &p)) {
		const char *open = strchr(p, '('), *close;
		char *comm = open && (close = strchr(open, ')')) ?
			xstrndup(open + 1, (size_t)(close - open - 1)) : xstrdup("?");

		add(t, "oom-reaped", titlef("oom_reaper reaped ", comm), s, 0);
		free(comm);
		return;
	}
	if (skip_prefix(s, "oom_reaper: unable to reap pid:", &p)) {
		const char *open = strchr(p, '('), *close;
		char *comm = open && (close = strchr(open, ')')) ?
			xstrndup(open + 1, (size_t)(close - open - 1)) : xstrdup("?");

		add(t, "oom-reap-failed", titlef("oom_reaper unable to reap ", comm),
		    s, 0);
		free(comm);
		return;
	}
}

void triage_feed(struct triage *t, const char *data, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		char c = data[i];

		if (c == '\n') {
			/* CRs from the serial line go */
			while (t->partial.len && t->partial.buf[t->partial.len - 1] == '\r')
				buf_setlen(&t->partial, t->partial.len - 1);
			t->lineno++;
			classify(t, t->partial.buf);
			buf_reset(&t->partial);
		} else if (c != '\0') {
			buf_addch(&t->partial, c);
		}
	}
}

void triage_finish(struct triage *t, enum triage_end how)
{
	if (t->partial.len) {
		t->lineno++;
		classify(t, t->partial.buf);
		buf_reset(&t->partial);
	}
	t->open = NULL;
	if (how == TRIAGE_CUT_SHORT)
		return;
	if (!t->nonempty) {
		add(t, "no-output", xstrdup("no output on the console"), NULL, 0);
		return;
	}
	if (how == TRIAGE_TIMED_OUT) {
		add(t, "timeout", xstrdup(t->saw_start ?
			"timeout: the guest did not finish" :
			"timeout: the guest never reached /init"), NULL, 0);
		return;
	}
	/* ended, but not through /init's end: a reboot nobody asked for */
	if (t->saw_start && !t->saw_end) {
		size_t i;
		int explained = 0;

		for (i = 0; i < t->nr; i++)
			if (!strcmp(t->f[i].kind, "panic") ||
			    !strcmp(t->f[i].kind, "unexpected-reboot"))
				explained = 1;
		if (!explained)
			add(t, "unexpected-reboot",
			    xstrdup("unexpected reboot: /init did not finish"),
			    NULL, 0);
	}
}
