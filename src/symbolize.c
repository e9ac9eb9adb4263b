#include "symbolize.h"
#include "triage.h"
#include "util/buf.h"
#include "util/run.h"
#include "util/util.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define FRAMES_MAX 128		/* frames resolved in one excerpt */
#define NAME_MAX_LEN 128

struct sym {
	uint64_t addr, size;
	char *name;
};

struct symtab {
	struct sym *s;
	size_t n;
};

struct frame {
	size_t line;		/* index of its line */
	size_t tok, tokend;	/* the token, offsets in the line */
	int raw;		/* a bare address (else func+off/size) */
	uint64_t addr;		/* the address to resolve */
	char func[NAME_MAX_LEN];
	uint64_t off, size;
	int have_sym;		/* func, off, size known */
	char *where;		/* "file:line", or NULL */
};

static int hexval(const char *p, size_t n, uint64_t *v)
{
	size_t i;

	if (!n || n > 16)
		return -1;
	*v = 0;
	for (i = 0; i < n; i++) {
		int c = tolower((unsigned char)p[i]);

		if (!isxdigit(c))
			return -1;
		*v = *v << 4 | (uint64_t)(isdigit(c) ? c - '0' : c - 'a' + 10);
	}
	return 0;
}

/* "0xffffffff810e9cf4", "ffffffff810e9cf4" or "func+0x12/0x40" */
static int parse_token(const char *t, size_t n, struct frame *f)
{
	const char *plus, *slash;
	size_t fl;

	if (n > 2 && t[0] == '0' && t[1] == 'x' && !hexval(t + 2, n - 2, &f->addr)) {
		f->raw = 1;
		return 0;
	}
	if (n >= 8 && !hexval(t, n, &f->addr)) {
		f->raw = 1;
		return 0;
	}
	plus = memchr(t, '+', n);
	slash = plus ? memchr(plus, '/', n - (size_t)(plus - t)) : NULL;
	if (!plus || !slash || plus == t)
		return -1;
	fl = (size_t)(plus - t);
	if (fl >= NAME_MAX_LEN || strspn(t, "abcdefghijklmnopqrstuvwxyz"
					 "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.$") < fl)
		return -1;
	if (slash - plus < 4 || plus[1] != '0' || plus[2] != 'x' ||
	    hexval(plus + 3, (size_t)(slash - plus - 3), &f->off))
		return -1;
	if (t + n - slash < 4 || slash[1] != '0' || slash[2] != 'x' ||
	    hexval(slash + 3, (size_t)(t + n - slash - 3), &f->size))
		return -1;
	memcpy(f->func, t, fl);
	f->func[fl] = '\0';
	f->raw = 0;
	return 0;
}

/* The frame on one line, if it has one: 0 found. */
static int parse_line(const char *l, size_t n, struct frame *f)
{
	const char *p = l, *e = l + n, *rip;
	size_t tn;

	while (e > p && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	rip = memmem(l, (size_t)(e - l), "RIP: ", 5);
	while (p < e && (*p == ' ' || *p == '\t'))
		p++;
	/* arm64's "pc : func+0x1c/0x40", "lr : ..." */
	if (!rip && e - p > 5 && (!strncmp(p, "pc : ", 5) || !strncmp(p, "lr : ", 5)))
		rip = p;
	if (rip) {
		p = rip + 5;
		/* the code segment: "0010:" */
		if (e - p > 5 && p[4] == ':' && strspn(p, "0123456789abcdefABCDEF") >= 4)
			p += 5;
		tn = strcspn(p, " \t\n");
		if (p + tn > e)
			tn = (size_t)(e - p);
	} else {
		if (e - p > 2 && p[0] == '?' && p[1] == ' ')
			p += 2;
		tn = (size_t)(e - p);
		/* the whole rest of the line, one word */
		if (!tn || memchr(p, ' ', tn) || memchr(p, '\t', tn))
			return -1;
	}
	if (parse_token(p, tn, f))
		return -1;
	f->tok = (size_t)(p - l);
	f->tokend = f->tok + tn;
	return 0;
}

static int by_addr(const void *a, const void *b)
{
	const struct sym *x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

/* The text symbols of vmlinux (nm -n -S --defined-only), by address. */
static int load_syms(const char *vmlinux, struct symtab *t)
{
	const char *argv[] = { "nm", "-n", "-S", "--defined-only", vmlinux, NULL };
	struct run_opts o = { .argv = argv, .timeout = 120,
			      .capture_cap = (size_t)512 << 20, .stdin_null = 1 };
	struct run_result r;
	const char *p;
	int ret = -1;

	memset(t, 0, sizeof(*t));
	if (run_command(&o, &r) || r.end != RUN_EXITED || r.code || r.truncated)
		goto out;
	for (p = r.output.buf; p && *p; ) {
		const char *e = strchrnul(p, '\n');
		char a[20], b[20], c[20], name[NAME_MAX_LEN];
		int k = 0;
		struct sym s = { 0 };

		if ((size_t)(e - p) < 200)
			k = sscanf(p, "%19s %19s %19s %127s", a, b, c, name);
		if (k == 4 && strlen(c) == 1 && strchr("tTwW", c[0]) &&
		    !hexval(a, strlen(a), &s.addr) && !hexval(b, strlen(b), &s.size))
			s.name = xstrdup(name);
		else if (k == 3 && strlen(b) == 1 && strchr("tTwW", b[0]) &&
			 !hexval(a, strlen(a), &s.addr))
			s.name = xstrdup(c);
		if (s.name) {
			t->s = xrealloc(t->s, (t->n + 1) * sizeof(*t->s));
			t->s[t->n++] = s;
		}
		p = *e ? e + 1 : e;
	}
	qsort(t->s, t->n, sizeof(*t->s), by_addr);
	ret = t->n ? 0 : -1;
out:
	run_result_release(&r);
	return ret;
}

static void symtab_release(struct symtab *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->s[i].name);
	free(t->s);
}

/* The symbol that holds addr: the last at or before it, if within its
 * size (a symbol without a size: up to the next) */
static const struct sym *sym_at(const struct symtab *t, uint64_t addr)
{
	size_t lo = 0, hi = t->n;
	const struct sym *s;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (t->s[mid].addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo)
		return NULL;
	s = &t->s[lo - 1];
	if (s->size ? addr >= s->addr + s->size :
	    lo < t->n && addr >= t->s[lo].addr)
		return NULL;
	return s;
}

/* func's symbol: the one of that size when several share the name */
static const struct sym *sym_named(const struct symtab *t, const char *name,
				   uint64_t size)
{
	const struct sym *any = NULL;

	for (size_t i = 0; i < t->n; i++)
		if (!strcmp(t->s[i].name, name)) {
			if (!size || t->s[i].size == size)
				return &t->s[i];
			if (!any)
				any = &t->s[i];
		}
	return any;
}

/* "/src/linux/mm/x.c:12 (discriminator 3)" -> "mm/x.c:12" */
static char *where_of(const char *s, size_t n, const char *srcdir)
{
	size_t sl = srcdir ? strlen(srcdir) : 0;
	const char *colon;

	if (n && memchr(s, ' ', n))
		n = (size_t)((const char *)memchr(s, ' ', n) - s);
	colon = n ? memrchr(s, ':', n) : NULL;
	if (!colon || s[0] == '?' || !strncmp(colon, ":0", 2) || colon[1] == '?')
		return NULL;
	while (sl > 1 && srcdir[sl - 1] == '/')
		sl--;
	if (sl && n > sl && !strncmp(s, srcdir, sl) && s[sl] == '/') {
		s += sl + 1;
		n -= sl + 1;
	}
	while (n > 2 && !strncmp(s, "./", 2)) {
		s += 2;
		n -= 2;
	}
	return xstrndup(s, n);
}

/* addr2line -a -f -i over the frames' addresses: each one's file:line */
static void resolve_lines(const char *vmlinux, const char *srcdir,
			  struct frame *f, size_t n)
{
	const char **argv = xcalloc(n + 7, sizeof(*argv));
	char (*hex)[24] = xcalloc(n, sizeof(*hex));
	struct run_opts o = { .timeout = 120, .capture_cap = (size_t)16 << 20,
			      .stdin_null = 1 };
	struct run_result r;
	const char *p;
	size_t i, a = 0, cur = 0;
	int rec = -1, pair = 0;

	argv[a++] = "addr2line";
	argv[a++] = "-a";
	argv[a++] = "-f";
	argv[a++] = "-i";
	argv[a++] = "-e";
	argv[a++] = vmlinux;
	for (i = 0; i < n; i++) {
		snprintf(hex[i], sizeof(hex[i]), "0x%" PRIx64, f[i].addr);
		argv[a++] = hex[i];
	}
	o.argv = argv;
	if (run_command(&o, &r) || r.end != RUN_EXITED || r.code)
		goto out;
	/* per address: its "0x..." line, then function and file:line pairs
	 * (the innermost inlined one first) */
	for (p = r.output.buf; p && *p; ) {
		const char *e = strchrnul(p, '\n');

		if (!strncmp(p, "0x", 2) && e - p >= 3 &&
		    strspn(p + 2, "0123456789abcdef") == (size_t)(e - p - 2)) {
			rec = cur < n ? (int)cur++ : -1;
			pair = 0;
		} else if (rec >= 0 && pair++ == 1 && !f[rec].where) {
			f[rec].where = where_of(p, (size_t)(e - p), srcdir);
		}
		p = *e ? e + 1 : e;
	}
out:
	run_result_release(&r);
	free(argv);
	free(hex);
}

char *symbolize_lines(const char *vmlinux, const char *srcdir,
		      const char *lines)
{
	struct frame *f = NULL;
	struct symtab t = { 0 };
	struct buf out = BUF_INIT;
	const char *p;
	size_t nf = 0, i, li, any = 0;

	if (!vmlinux || !lines || access(vmlinux, R_OK))
		return NULL;
	for (p = lines, li = 0; *p && nf < FRAMES_MAX; li++) {
		size_t l = strcspn(p, "\n");
		struct frame fr;

		memset(&fr, 0, sizeof(fr));
		if (!parse_line(p, l, &fr)) {
			fr.line = li;
			f = xrealloc(f, (nf + 1) * sizeof(*f));
			f[nf++] = fr;
		}
		p += l + (p[l] == '\n');
	}
	if (!nf || load_syms(vmlinux, &t))
		goto out;
	for (i = 0; i < nf; i++) {
		const struct sym *s;

		if (f[i].raw) {
			if (!(s = sym_at(&t, f[i].addr)))
				continue;
			snprintf(f[i].func, sizeof(f[i].func), "%s", s->name);
			f[i].off = f[i].addr - s->addr;
			f[i].size = s->size;
			f[i].have_sym = 1;
		} else if ((s = sym_named(&t, f[i].func, f[i].size))) {
			f[i].addr = s->addr + f[i].off;
			f[i].have_sym = 1;
		}
	}
	/* only the frames a symbol was found for go to addr2line */
	{
		struct frame *g = xcalloc(nf, sizeof(*g));
		size_t ng = 0, k;

		for (i = 0; i < nf; i++)
			if (f[i].have_sym)
				g[ng++] = f[i];
		if (ng)
			resolve_lines(vmlinux, srcdir, g, ng);
		for (i = 0, k = 0; i < nf; i++)
			if (f[i].have_sym)
				f[i].where = g[k++].where;
		free(g);
	}
	for (p = lines, li = 0, i = 0; *p; li++) {
		size_t l = strcspn(p, "\n");
		struct frame *fr = i < nf && f[i].line == li ? &f[i++] : NULL;

		if (fr && fr->have_sym && (fr->raw || fr->where)) {
			buf_add(&out, p, fr->tok);
			if (fr->raw)
				buf_addf(&out, "%s+0x%" PRIx64 "/0x%" PRIx64,
					 fr->func, fr->off, fr->size);
			else
				buf_add(&out, p + fr->tok, fr->tokend - fr->tok);
			buf_add(&out, p + fr->tokend, l - fr->tokend);
			if (fr->where)
				buf_addf(&out, " %s", fr->where);
			any = 1;
		} else {
			buf_add(&out, p, l);
		}
		if (p[l] == '\n')
			buf_addch(&out, '\n');
		p += l + (p[l] == '\n');
	}
out:
	for (i = 0; i < nf; i++)
		free(f[i].where);
	free(f);
	symtab_release(&t);
	if (!any) {
		buf_release(&out);
		return NULL;
	}
	return buf_detach(&out, NULL);
}

size_t symbolize_findings(struct triage *t, const char *vmlinux,
			  const char *srcdir)
{
	size_t i, n = 0;

	for (i = 0; i < t->nr; i++) {
		char *s = symbolize_lines(vmlinux, srcdir, t->f[i].lines.buf);

		if (!s)
			continue;
		buf_reset(&t->f[i].lines);
		buf_addstr(&t->f[i].lines, s);
		free(s);
		n++;
	}
	return n;
}
