#include "kselftest.h"
#include "arch.h"
#include "ktap.h"
#include "suite.h"
#include "util/buf.h"
#include "util/run.h"
#include "util/util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SELFTESTS "tools/testing/selftests"

static int name_chars(const char *s, size_t l)
{
	size_t i;

	if (!l || l > 64 || s[0] == '.' || s[0] == '-')
		return 0;
	for (i = 0; i < l; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '_' || s[i] == '-' ||
		      s[i] == '.'))
			return 0;
	return 1;
}

int kselftest_name_valid(const char *s)
{
	return name_chars(s, strlen(s));
}

int kselftest_dir_valid(const char *s)
{
	const char *p = s, *slash;

	if (!*s || strlen(s) > 200)
		return 0;
	for (;;) {
		slash = strchr(p, '/');
		if (!name_chars(p, slash ? (size_t)(slash - p) : strlen(p)))
			return 0;
		if (!slash)
			return 1;
		p = slash + 1;
	}
}


char *kselftest_dir(const struct suite *s, const char *src, char **why)
{
	struct buf b = BUF_INIT, tried = BUF_INIT;
	size_t i;

	*why = NULL;
	for (i = 0; i < s->nselftests; i++) {
		buf_reset(&b);
		buf_addf(&b, "%s/" SELFTESTS "/%s/Makefile", src, s->selftests[i]);
		if (!access(b.buf, R_OK)) {
			buf_setlen(&b, b.len - strlen("/Makefile"));
			if (!path_inside(src, b.buf))
				continue;
			buf_release(&b);
			buf_release(&tried);
			return xstrfmt(SELFTESTS "/%s", s->selftests[i]);
		}
		buf_addf(&tried, "%s%s", tried.len ? ", " : "", s->selftests[i]);
	}
	*why = xstrfmt("the tree has none of its selftest directories (" SELFTESTS
		       "/{%s})", tried.buf ? tried.buf : "");
	buf_release(&b);
	buf_release(&tried);
	return NULL;
}

int kselftest_stage(const struct suite *s, const struct arch *a,
		    const char *src, const char *build_dir,
		    char *const *makevars, const char *tmpdir,
		    struct initramfs_file **files, size_t *n,
		    char **tests_from, char **why)
{
	struct buf sd = BUF_INIT, out = BUF_INIT, mc = BUF_INIT, ob = BUF_INIT;
	struct buf kh = BUF_INIT, ao = BUF_INIT, av = BUF_INIT, cv = BUF_INIT;
	char **targets = NULL;
	char *dir = NULL;
	size_t i, k;
	int ret = -1;

	*tests_from = NULL;
	*why = NULL;
	dir = kselftest_dir(s, src, why);
	if (!dir)
		goto out;
	/* the build's exported headers, as `make headers` gives the tests */
	buf_addf(&mc, "-C%s", src);
	buf_addf(&ob, "O=%s", build_dir);
	{
		const char *mk[20] = { "make", "-s", mc.buf, ob.buf, NULL };
		const char *rw[] = { build_dir, NULL };
		const char *ro[] = { src, NULL };

		k = 4;
		for (i = 0; makevars && makevars[i] && k < 18; i++)
			mk[k++] = makevars[i];
		mk[k++] = "headers";
		mk[k] = NULL;
		if (run_tool(mk, NULL, rw, ro, why))
			goto out;
	}
	/* the tests: the selftest directory's own Makefile, static, the
	 * arch's gcc (the guest has no libc) */
	buf_addf(&sd, "%s/%s", src, dir);
	buf_addf(&out, "%s/ksft", tmpdir);
	if (mkdir_p(out.buf, 0777)) {
		*why = xstrfmt("%s: %s", out.buf, strerror(errno));
		goto out;
	}
	buf_reset(&mc);
	buf_addf(&mc, "-C%s", sd.buf);
	buf_reset(&ob);
	buf_addf(&ob, "OUTPUT=%s", out.buf);
	buf_addf(&kh, "KHDR_INCLUDES=-isystem %s/usr/include", build_dir);
	buf_addf(&ao, "ARCH=%s", a->kernel_arch);
	buf_addf(&cv, "CROSS_COMPILE=%s", arch_cross(a));
	buf_addf(&av, "CC=%sgcc", arch_cross(a));
	targets = xcalloc(s->nksft_tests + 1, sizeof(char *));
	for (i = 0; i < s->nksft_tests; i++)
		targets[i] = xstrfmt("%s/%s", out.buf, s->ksft_tests[i]);
	{
		const char **mk = xcalloc(12 + s->nksft_tests, sizeof(char *));
		const char *rw[] = { tmpdir, sd.buf, NULL };
		const char *ro[] = { src, build_dir, NULL };
		int rc;

		k = 0;
		mk[k++] = "make";
		mk[k++] = "-s";
		mk[k++] = mc.buf;
		mk[k++] = ob.buf;
		mk[k++] = kh.buf;
		mk[k++] = ao.buf;
		mk[k++] = cv.buf;
		mk[k++] = av.buf;
		mk[k++] = "LDFLAGS=-static";
		for (i = 0; i < s->nksft_tests; i++)
			mk[k++] = targets[i];
		mk[k] = NULL;
		rc = run_tool(mk, NULL, rw, ro, why);
		free(mk);
		if (rc)
			goto out;
	}
	for (i = 0; i < s->nksft_tests; i++) {
		if (access(targets[i], X_OK)) {
			*why = xstrfmt("%s/%s: make built no %s", dir,
				       s->ksft_tests[i], s->ksft_tests[i]);
			goto out;
		}
		initramfs_file_add(files, n, targets[i], xstrfmt("/pwb/%s", s->ksft_tests[i]),
			 0755);
		targets[i] = NULL;
	}
	*tests_from = dir;
	dir = NULL;
	ret = 0;
out:
	for (i = 0; targets && i < s->nksft_tests; i++)
		free(targets[i]);
	free(targets);
	free(dir);
	buf_release(&sd);
	buf_release(&out);
	buf_release(&mc);
	buf_release(&ob);
	buf_release(&kh);
	buf_release(&ao);
	buf_release(&av);
	buf_release(&cv);
	return ret;
}

/* the text after "#", then a word (RUN, SKIP), then blanks, or NULL */
static const char *harness_line(const char *l, const char *word)
{
	size_t n = strlen(word);

	if (*l != '#')
		return NULL;
	l++;
	while (*l == ' ' || *l == '\t')
		l++;
	if (strncmp(l, word, n) || (l[n] != ' ' && l[n] != '\t'))
		return NULL;
	l += n;
	while (*l == ' ' || *l == '\t')
		l++;
	return l;
}

/* a name kselftest_harness.h gave: up to " ..." or the end of the line */
static char *harness_name(const char *s, size_t l)
{
	if (l >= 4 && !memcmp(s + l - 4, " ...", 4))
		l -= 4;
	while (l && (s[l - 1] == ' ' || s[l - 1] == '\t'))
		l--;
	return l ? xstrndup(s, l < KTAP_MAX_NAME ? l : KTAP_MAX_NAME) : NULL;
}

void kselftest_ktap_fixup(struct ktap *k)
{
	size_t i;

	for (i = 0; i < k->nr; i++) {
		struct ktap_case *c = &k->cases[i];
		const char *l = c->diag.buf, *e, *v;
		char *run = NULL, *skip = NULL;

		for (; l && *l; l = *e ? e + 1 : e) {
			e = strchrnul(l, '\n');
			if ((v = harness_line(l, "RUN")) && v < e) {
				free(run);
				run = harness_name(v, (size_t)(e - v));
			} else if ((v = harness_line(l, "SKIP")) && v < e) {
				free(skip);
				skip = harness_name(v, (size_t)(e - v));
			}
		}
		if (run && c->nameless) {
			free(c->name);
			c->name = run;
			run = NULL;
		}
		if (skip && c->status == KTAP_PASS) {
			c->status = KTAP_SKIP;
			free(c->directive);
			c->directive = xstrfmt("SKIP %s", skip);
		}
		free(run);
		free(skip);
	}
}
