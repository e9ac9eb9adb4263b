/* KUnit suites: kunitconfig, filter_glob, the build's test modules. */
#include "kunit.h"
#include "kbuild.h"
#include "util/buf.h"
#include "util/util.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <gelf.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void kunit_config_release(struct kunit_config *c)
{
	size_t i;

	for (i = 0; i < c->n; i++) {
		free(c->opt[i].name);
		free(c->opt[i].value);
	}
	free(c->opt);
	c->opt = NULL;
	c->n = 0;
}

static int option_name_ok(const char *s, size_t n)
{
	size_t i;

	if (n <= 7 || strncmp(s, "CONFIG_", 7))
		return 0;
	for (i = 7; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '_')
			return 0;
	return 1;
}

static void add_option(struct kunit_config *c, const char *name, size_t nl,
		       const char *value, size_t vl, int line)
{
	c->opt = xrealloc(c->opt, (c->n + 1) * sizeof(*c->opt));
	c->opt[c->n].name = xstrndup(name, nl);
	c->opt[c->n].value = xstrndup(value, vl);
	c->opt[c->n].line = line;
	c->n++;
}

int kunit_config_load(const char *path, struct kunit_config *c, char **why)
{
	struct buf b = BUF_INIT;
	const char *p, *end;
	int line = 0, ret = -1;

	memset(c, 0, sizeof(*c));
	*why = NULL;
	if (buf_read_file(&b, path, 1u << 20)) {
		*why = xstrfmt("%s: %s", path, strerror(errno));
		buf_release(&b);
		return -1;
	}
	for (p = b.buf; p < b.buf + b.len; p = end + 1) {
		const char *eq, *q;
		size_t n;

		end = memchr(p, '\n', (size_t)(b.buf + b.len - p));
		if (!end)
			end = b.buf + b.len;
		line++;
		n = (size_t)(end - p);
		while (n && isspace((unsigned char)p[n - 1]))
			n--;
		while (n && isspace((unsigned char)*p)) {
			p++;
			n--;
		}
		if (!n)
			continue;
		if (*p == '#') {
			/* "# CONFIG_X is not set", else a comment */
			static const char tail[] = " is not set";
			size_t tl = sizeof(tail) - 1;

			q = p + 1;
			while (q < p + n && *q == ' ')
				q++;
			if (n > tl && !memcmp(p + n - tl, tail, tl) &&
			    option_name_ok(q, (size_t)(p + n - tl - q)))
				add_option(c, q, (size_t)(p + n - tl - q), "n", 1, line);
			continue;
		}
		eq = memchr(p, '=', n);
		if (!eq || !option_name_ok(p, (size_t)(eq - p)) || eq + 1 == p + n) {
			*why = xstrfmt("%s:%d: not CONFIG_NAME=VALUE: %.*s", path,
				       line, (int)(n > 80 ? 80 : n), p);
			goto out;
		}
		add_option(c, p, (size_t)(eq - p), eq + 1, (size_t)(p + n - eq - 1),
			   line);
	}
	ret = 0;
out:
	if (ret)
		kunit_config_release(c);
	buf_release(&b);
	return ret;
}

/* The value of option name in a .config, allocated; "n" when it is not
 * set or not there. */
static char *dotconfig_value(const struct buf *cfg, const char *name)
{
	size_t l = strlen(name);
	const char *p = cfg->buf, *end = cfg->buf + cfg->len;

	while (p < end) {
		const char *e = memchr(p, '\n', (size_t)(end - p));

		if (!e)
			e = end;
		if ((size_t)(e - p) > l && !memcmp(p, name, l) && p[l] == '=')
			return xstrndup(p + l + 1, (size_t)(e - p - l - 1));
		p = e + 1;
	}
	return xstrdup("n");
}

int kunit_config_check(const struct kunit_config *c, const char *dotconfig,
		       char **why)
{
	struct buf cfg = BUF_INIT;
	size_t i;
	int ret = 0;

	*why = NULL;
	if (buf_read_file(&cfg, dotconfig, 64u << 20)) {
		*why = xstrfmt("%s: %s", dotconfig, strerror(errno));
		buf_release(&cfg);
		return -1;
	}
	for (i = 0; i < c->n && !ret; i++) {
		const struct kunit_option *o = &c->opt[i];
		char *have = dotconfig_value(&cfg, o->name);
		int on = !strcmp(o->value, "y") || !strcmp(o->value, "m");

		if (on ? strcmp(have, "y") && strcmp(have, "m") :
			 strcmp(have, o->value)) {
			*why = xstrfmt("the kernel's config has %s=%s, its "
				       "kunitconfig asks for %s=%s (line %d): "
				       "set it in the config fragment", o->name,
				       have, o->name, o->value, o->line);
			ret = -1;
		}
		free(have);
	}
	buf_release(&cfg);
	return ret;
}

int kunit_filter_valid(const char *glob)
{
	const char *p;

	if (!*glob)
		return 0;
	for (p = glob; *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr("_-.*?[]", *p))
			return 0;
	return 1;
}

int kunit_filter_match(const char *glob, const char *name)
{
	const char *gd, *nd;
	char *gs, *ns;
	int ok;

	if (!glob)
		return 1;
	/* as kunit's executor: the part before the first '.' is the suite */
	gd = strchr(glob, '.');
	nd = strchr(name, '.');
	gs = gd ? xstrndup(glob, (size_t)(gd - glob)) : xstrdup(glob);
	ns = nd ? xstrndup(name, (size_t)(nd - name)) : xstrdup(name);
	ok = !fnmatch(gs, ns, 0) && (!gd || (nd && !fnmatch(gd + 1, nd + 1, 0)));
	free(gs);
	free(ns);
	return ok;
}

void kunit_filter_ktap(struct ktap *k, const char *glob)
{
	size_t i, j = 0;

	if (!glob)
		return;
	for (i = 0; i < k->nr; i++) {
		if (kunit_filter_match(glob, k->cases[i].name)) {
			k->cases[j++] = k->cases[i];
			continue;
		}
		free(k->cases[i].name);
		free(k->cases[i].directive);
		buf_release(&k->cases[i].diag);
	}
	k->nr = j;
}

/* Whether the ELF file at path has a section named sec: 1, 0, -1 (not
 * an ELF file pwb can read). */
static int has_section(const char *path, const char *sec)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), ret = -1;
	Elf *elf = NULL;
	Elf_Scn *scn = NULL;
	size_t shstrndx;

	if (fd < 0)
		return -1;
	elf = elf_begin(fd, ELF_C_READ, NULL);
	if (!elf || elf_kind(elf) != ELF_K_ELF || elf_getshdrstrndx(elf, &shstrndx))
		goto out;
	ret = 0;
	while (!ret && (scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		const char *name;

		if (gelf_getshdr(scn, &sh) &&
		    (name = elf_strptr(elf, shstrndx, sh.sh_name)) &&
		    !strcmp(name, sec))
			ret = 1;
	}
out:
	if (elf)
		elf_end(elf);
	close(fd);
	return ret;
}

int kunit_stage(const char *build_dir, const char *tmpdir, const char *filter,
		struct initramfs_file **files, size_t *n, size_t *nmods,
		char **why)
{
	struct buf script = BUF_INIT, path = BUF_INIT;
	char *core = NULL, **kos = NULL;
	size_t i, nkos = 0;
	int ret = -1;

	*nmods = 0;
	*why = NULL;
	if (elf_version(EV_CURRENT) == EV_NONE) {
		*why = xstrdup("libelf: no ELF version");
		return -1;
	}
	if (kbuild_modules(build_dir, &kos, &nkos)) {
		*why = xstrfmt("%s/modules.order: %s (the kernel needs "
			       "CONFIG_MODULES=y)", build_dir, strerror(errno));
		goto out;
	}
	buf_addstr(&script, "# written by pwb: the KUnit core, then every KUnit "
		   "test module of the build\n");
	for (i = 0; i < nkos; i++) {
		char *ko = kos[i], *base = strrchr(ko, '/') + 1;
		int k;

		if (!strcmp(base, "kunit.ko") && strstr(ko, "/lib/kunit/kunit.ko")) {
			free(core);
			core = ko;
			kos[i] = NULL;
			continue;
		}
		k = has_section(ko, ".kunit_test_suites");
		if (k < 0) {
			*why = xstrfmt("%s: not a module pwb can read", ko);
			goto out;
		}
		if (!k)
			continue;
		kos[i] = NULL;
		(*nmods)++;
		initramfs_file_add(files, n, ko, xstrfmt("/pwb/kunit/%03zu-%s", *nmods,
					       base), 0644);
	}
	if (core) {
		initramfs_file_add(files, n, core, xstrdup("/pwb/kunit/000-kunit.ko"), 0644);
		core = NULL;
		/* the core's filter_glob: what the executor runs (built-in
		 * tests; module tests too from 6.6 on; pwb filters the
		 * results either way) */
		buf_addf(&script, "insmod /pwb/kunit/000-kunit.ko%s%s%s || "
			 "echo '# pwb: the KUnit core did not load'\n",
			 filter ? " filter_glob='" : "", filter ? filter : "",
			 filter ? "'" : "");
	}
	buf_addstr(&script, "for m in /pwb/kunit/[0-9]*.ko; do\n"
		   "\tcase $m in */000-kunit.ko) continue ;; esac\n"
		   "\tinsmod \"$m\" || echo \"# pwb: $m did not load\"\n"
		   "done\n");
	buf_reset(&path);
	buf_addf(&path, "%s/kunit-run", tmpdir);
	if (write_file(path.buf, script.buf, script.len)) {
		*why = xstrfmt("%s: %s", path.buf, strerror(errno));
		goto out;
	}
	initramfs_file_add(files, n, buf_detach(&path, NULL), xstrdup("/pwb/kunit-run"), 0755);
	ret = 0;
out:
	free(core);
	kbuild_modules_free(kos, nkos);
	buf_release(&script);
	buf_release(&path);
	return ret;
}
