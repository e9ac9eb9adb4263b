#include "util.h"
#include "buf.h"
#include "vis.h"

#include <ctype.h>
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pwd.h>
#include <sys/stat.h>

int quiet;
int verbose;

static void vreport(const char *prefix, const char *fmt, va_list ap)
{
	char msg[4096];
	struct buf b = BUF_INIT;

	vsnprintf(msg, sizeof(msg), fmt, ap);
	/*
	 * One line per message, and nothing a terminal would act on: data
	 * from mail or a console must not forge lines or send escapes.
	 */
	buf_add_visible(&b, msg, strlen(msg));
	fflush(stdout);
	fprintf(stderr, "pwb: %s%s\n", prefix, b.buf);
	buf_release(&b);
}

int error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport("error: ", fmt, ap);
	va_end(ap);
	return -1;
}

void warning(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport("warning: ", fmt, ap);
	va_end(ap);
}

void notice(const char *fmt, ...)
{
	va_list ap;

	if (quiet)
		return;
	va_start(ap, fmt);
	vreport("", fmt, ap);
	va_end(ap);
}

void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport("fatal: ", fmt, ap);
	va_end(ap);
	exit(1);
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		die("out of memory (%zu bytes)", n);
	return p;
}

void *xcalloc(size_t nmemb, size_t size)
{
	void *p = calloc(nmemb ? nmemb : 1, size ? size : 1);

	if (!p)
		die("out of memory");
	return p;
}

void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (!q)
		die("out of memory (%zu bytes)", n);
	return q;
}

char *xstrdup(const char *s)
{
	char *d = strdup(s);

	if (!d)
		die("out of memory");
	return d;
}

char *xstrndup(const char *s, size_t n)
{
	char *d = strndup(s, n);

	if (!d)
		die("out of memory");
	return d;
}

int make_tmpdir(char *out, size_t size, const char *prefix)
{
	const char *t = getenv("TMPDIR");

	if (!t || !*t)
		t = "/tmp";
	if ((size_t)snprintf(out, size, "%s/%s.XXXXXX", t, prefix) >= size) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return mkdtemp(out) ? 0 : -1;
}

char *xstrfmt(const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0)
		die("out of memory");
	return s;
}

char *xstrdup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

int str_same(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

int starts_with(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

int skip_prefix(const char *s, const char *prefix, const char **rest)
{
	size_t n = strlen(prefix);

	if (strncmp(s, prefix, n))
		return 0;
	*rest = s + n;
	return 1;
}

int istarts_with(const char *s, const char *prefix)
{
	return !strncasecmp(s, prefix, strlen(prefix));
}

int parse_long(const char *s, long *out)
{
	char *end;
	long v;

	if (!s || !*s)
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end)
		return -1;
	*out = v;
	return 0;
}

int parse_size(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;
	uint64_t mul = 1;

	if (!s || !isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno)
		return -1;
	switch (tolower((unsigned char)*end)) {
	case '\0': break;
	case 'k': mul = 1024; end++; break;
	case 'm': mul = 1024 * 1024; end++; break;
	case 'g': mul = 1024ULL * 1024 * 1024; end++; break;
	default: return -1;
	}
	if (*end == 'i' || *end == 'I')
		end++;
	if ((*end == 'b' || *end == 'B') && mul > 1)
		end++;
	if (*end || v > UINT64_MAX / mul)
		return -1;
	*out = v * mul;
	return 0;
}

int pid_alive(long pid)
{
	char path[64], buf[512], *p;
	FILE *f;
	size_t n;

	if (pid <= 0 || (kill((pid_t)pid, 0) && errno == ESRCH))
		return 0;
	snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
	f = fopen(path, "r");
	if (!f)
		return 1;	/* no /proc: trust kill() */
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	/* "pid (comm) S ...": the state follows the last ')' */
	p = strrchr(buf, ')');
	if (p && p[1] == ' ' && (p[2] == 'Z' || p[2] == 'X'))
		return 0;
	return 1;
}

int write_file(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "w");
	int ret;

	if (!f)
		return -1;
	ret = fwrite(data, 1, len, f) == len ? 0 : -1;
	if (fclose(f))
		ret = -1;
	return ret;
}

int mkdir_p(const char *path, unsigned mode)
{
	char *p = xstrdup(path), *s;
	int ret = 0;

	for (s = p + 1; ; s++) {
		if (*s == '/' || !*s) {
			char c = *s;

			*s = '\0';
			if (mkdir(p, mode) && errno != EEXIST) {
				ret = -1;
				break;
			}
			*s = c;
			if (!c)
				break;
		}
	}
	free(p);
	return ret;
}

char *path_dirname(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		return xstrdup(".");
	if (slash == path)
		return xstrdup("/");
	return xstrndup(path, (size_t)(slash - path));
}

int path_inside(const char *root, const char *path)
{
	char *r = realpath(root, NULL), *p = realpath(path, NULL);
	size_t l = r ? strlen(r) : 0;
	int ok = r && p && !strncmp(p, r, l) && p[l] == '/';

	free(r);
	free(p);
	return ok;
}

void hex_encode(char *out, const unsigned char *in, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = hex[in[i] >> 4];
		out[2 * i + 1] = hex[in[i] & 15];
	}
	out[2 * n] = '\0';
}

int name_index(const char *const *names, size_t n, const char *s)
{
	size_t i;

	for (i = 0; s && i < n; i++)
		if (names[i] && !strcmp(s, names[i]))
			return (int)i;
	return -1;
}

char *expand_path(const char *path)
{
	const char *rest, *home = NULL;
	char *user;

	if (!path)
		return NULL;
	if (path[0] != '~')
		return xstrdup(path);
	rest = strchrnul(path, '/');
	if (rest == path + 1) {
		home = getenv("HOME");
		if (!home || !*home) {
			struct passwd *pw = getpwuid(getuid());

			home = pw ? pw->pw_dir : NULL;
		}
	} else {
		struct passwd *pw;

		user = xstrndup(path + 1, (size_t)(rest - path - 1));
		pw = getpwnam(user);
		free(user);
		home = pw ? pw->pw_dir : NULL;
	}
	if (!home)
		return xstrdup(path);
	return xstrfmt("%s%s", home, rest);
}

char *cache_path(const char *sub)
{
	const char *x = getenv("XDG_CACHE_HOME"), *h = getenv("HOME");

	/* the XDG base directory spec: a relative value is ignored */
	if (x && *x == '/')
		return xstrfmt("%s/pwb%s%s", x, *sub ? "/" : "", sub);
	return xstrfmt("%s/.cache/pwb%s%s", h && *h ? h : "/", *sub ? "/" : "",
		       sub);
}

char *host_cache_path(const char *sub)
{
	const char *c = getenv("PWB_CACHE");

	if (c && *c)
		return xstrfmt("%s%s%s", c, *sub ? "/" : "", sub);
	return cache_path(sub);
}
