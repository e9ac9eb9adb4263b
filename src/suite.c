#include "suite.h"
#include "arch.h"
#include "kselftest.h"
#include "kbuild.h"
#include "kunit.h"
#include "tree.h"
#include "util/buf.h"
#include "util/run.h"
#include "util/suggest.h"
#include "util/util.h"

#include <dirent.h>
#include <errno.h>
#include <git2.h>
#include <glib.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const format_names[] = { "ktap", "metrics", "kunit",
					   "kselftest" };

const char *suite_format_name(enum suite_format f)
{
	return (size_t)f < sizeof(format_names) / sizeof(format_names[0]) ?
	       format_names[f] : "ktap";
}

int suite_format_parse(const char *name, enum suite_format *f)
{
	size_t i;

	for (i = 0; i < sizeof(format_names) / sizeof(format_names[0]); i++)
		if (!strcmp(name, format_names[i])) {
			*f = (enum suite_format)i;
			return 0;
		}
	return -1;
}

static void free_list(char **l, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(l[i]);
	free(l);
}

static void list_add(char ***l, size_t *n, const char *v)
{
	*l = xrealloc(*l, (*n + 1) * sizeof(char *));
	(*l)[(*n)++] = xstrdup(v);
}

int suite_needs_tree(const struct suite *s)
{
	return s->module || s->nkmodules || s->format == SUITE_FMT_KUNIT ||
	       s->format == SUITE_FMT_KSELFTEST;
}

void suite_release(struct suite *s)
{
	size_t i;

	free(s->name);
	free(s->root);
	free(s->dir);
	free(s->description);
	free(s->config);
	free(s->module);
	for (i = 0; i < s->nprograms; i++)
		free(s->programs[i]);
	free(s->programs);
	free(s->run);
	free(s->kunitconfig);
	free(s->filter);
	free_list(s->selftests, s->nselftests);
	free_list(s->ksft_tests, s->nksft_tests);
	free_list(s->kmodules, s->nkmodules);
	free_list(s->files, s->nfiles);
	free(s->hash);
	for (i = 0; i < s->nmetrics; i++) {
		free(s->metrics[i].name);
		free(s->metrics[i].unit);
	}
	free(s->metrics);
	memset(s, 0, sizeof(*s));
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int suite_list(const char *datadir, struct suite **suites, size_t *n,
	       size_t *nbad)
{
	struct buf d = BUF_INIT, f = BUF_INIT;
	char **names = NULL;
	size_t nnames = 0, i;
	struct dirent *e;
	DIR *dh;
	int ret = -1;

	*suites = NULL;
	*n = 0;
	*nbad = 0;
	buf_addf(&d, "%s/bench/suites", datadir);
	dh = opendir(d.buf);
	if (!dh) {
		error("cannot read the suites in %s: %s", d.buf, strerror(errno));
		goto out;
	}
	while ((e = readdir(dh))) {
		if (e->d_name[0] == '.')
			continue;
		buf_reset(&f);
		buf_addf(&f, "%s/%s/suite.conf", d.buf, e->d_name);
		if (!access(f.buf, F_OK))
			list_add(&names, &nnames, e->d_name);
	}
	closedir(dh);
	if (nnames)
		qsort(names, nnames, sizeof(*names), name_cmp);
	*suites = xcalloc(nnames ? nnames : 1, sizeof(**suites));
	for (i = 0; i < nnames; i++) {
		if (suite_load(datadir, names[i], &(*suites)[*n])) {
			(*nbad)++;
			continue;
		}
		(*n)++;
	}
	ret = 0;
out:
	free_list(names, nnames);
	buf_release(&d);
	buf_release(&f);
	return ret;
}

void suite_list_free(struct suite *suites, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		suite_release(&suites[i]);
	free(suites);
}

struct load_ctx {
	struct suite *s;
	const char *path;
	int bad;
	int have_format;
};

static int set_long(struct load_ctx *c, const char *key, const char *v, long *out)
{
	if (parse_long(v, out) || *out <= 0) {
		c->bad = error("suite %s: %s = '%s' is not a positive number (%s)",
			       c->s->name, key, v, c->path);
		return -1;
	}
	return 0;
}

static struct suite_metric *metric_get(struct suite *s, const char *name,
				       size_t len)
{
	size_t i;

	for (i = 0; i < s->nmetrics; i++)
		if (strlen(s->metrics[i].name) == len &&
		    !memcmp(s->metrics[i].name, name, len))
			return &s->metrics[i];
	s->metrics = xrealloc(s->metrics, (s->nmetrics + 1) * sizeof(*s->metrics));
	memset(&s->metrics[s->nmetrics], 0, sizeof(*s->metrics));
	s->metrics[s->nmetrics].name = xstrndup(name, len);
	s->metrics[s->nmetrics].min_samples = 5;
	return &s->metrics[s->nmetrics++];
}

/* metric.NAME.KEY */
static int on_metric(struct load_ctx *c, const char *k, const char *v)
{
	const char *name = k + 7, *key = strrchr(k, '.');
	const char *slash = strchr(name, '/');
	struct suite_metric *m;
	char *end;

	/* NAME is the part of a sample name before its '/' */
	if (key <= name || (slash && slash < key)) {
		c->bad = error("suite %s: bad metric key '%s' in %s", c->s->name,
			       k, c->path);
		return -1;
	}
	m = metric_get(c->s, name, (size_t)(key - name));
	key++;
	if (!strcmp(key, "unit")) {
		free(m->unit);
		m->unit = xstrdup(v);
	} else if (!strcmp(key, "better")) {
		if (strcmp(v, "lower") && strcmp(v, "higher")) {
			c->bad = error("suite %s: %s = '%s' must be lower or higher (%s)",
				       c->s->name, k, v, c->path);
			return -1;
		}
		m->higher_is_better = !strcmp(v, "higher");
	} else if (!strcmp(key, "threshold")) {
		m->threshold = strtod(v, &end);
		m->threshold_pct = *end == '%';
		if (end == v || m->threshold < 0 || (*end && strcmp(end, "%"))) {
			c->bad = error("suite %s: %s = '%s' is not a number or a "
				       "percentage (%s)", c->s->name, k, v, c->path);
			return -1;
		}
	} else if (!strcmp(key, "minsamples")) {
		return set_long(c, k, v, &m->min_samples);
	} else {
		c->bad = error("suite %s: unknown key '%s' in %s", c->s->name, k,
			       c->path);
		return -1;
	}
	return 0;
}

const struct suite_metric *suite_metric_find(const struct suite *s,
					     const char *sample)
{
	size_t i, l = strcspn(sample, "/");

	for (i = 0; i < s->nmetrics; i++)
		if (strlen(s->metrics[i].name) == l &&
		    !memcmp(s->metrics[i].name, sample, l))
			return &s->metrics[i];
	return NULL;
}

static int on_entry(const git_config_entry *e, void *payload)
{
	struct load_ctx *c = payload;
	struct suite *s = c->s;
	const char *k = e->name, *v = e->value ? e->value : "";

	if (!strncmp(k, "metric.", 7))
		return on_metric(c, k, v);
	if (!strcmp(k, "suite.description")) {
		free(s->description);
		s->description = xstrdup(v);
	} else if (!strcmp(k, "suite.format")) {
		if (suite_format_parse(v, &s->format)) {
			c->bad = error("suite %s: format must be ktap, "
				       "metrics, kunit or kselftest, not '%s' (%s)", s->name,
				       v, c->path);
			return -1;
		}
		c->have_format = 1;
	} else if (!strcmp(k, "suite.config")) {
		free(s->config);
		s->config = xstrdup(v);
	} else if (!strcmp(k, "suite.module")) {
		free(s->module);
		s->module = xstrdup(v);
	} else if (!strcmp(k, "suite.program")) {
		s->programs = xrealloc(s->programs,
				       (s->nprograms + 1) * sizeof(char *));
		s->programs[s->nprograms++] = xstrdup(v);
	} else if (!strcmp(k, "suite.run")) {
		free(s->run);
		s->run = xstrdup(v);
	} else if (!strcmp(k, "suite.kunitconfig")) {
		free(s->kunitconfig);
		s->kunitconfig = xstrdup(v);
	} else if (!strcmp(k, "suite.filter")) {
		if (!kunit_filter_valid(v)) {
			c->bad = error("suite %s: filter = '%s': a glob of "
				       "letters, digits and _-.*?[] (%s)",
				       s->name, v, c->path);
			return -1;
		}
		free(s->filter);
		s->filter = xstrdup(v);
	} else if (!strcmp(k, "suite.selftests")) {
		if (!kselftest_dir_valid(v)) {
			c->bad = error("suite %s: selftests = '%s': a directory "
				       "under tools/testing/selftests (%s)", s->name,
				       v, c->path);
			return -1;
		}
		list_add(&s->selftests, &s->nselftests, v);
	} else if (!strcmp(k, "suite.test")) {
		if (!kselftest_name_valid(v)) {
			c->bad = error("suite %s: test = '%s': a program name "
				       "(letters, digits, _-.) (%s)", s->name, v,
				       c->path);
			return -1;
		}
		list_add(&s->ksft_tests, &s->nksft_tests, v);
	} else if (!strcmp(k, "suite.kmodule")) {
		if (!kselftest_name_valid(v)) {
			c->bad = error("suite %s: kmodule = '%s': a module name "
				       "(letters, digits, _-.) (%s)", s->name, v,
				       c->path);
			return -1;
		}
		list_add(&s->kmodules, &s->nkmodules, v);
	} else if (!strcmp(k, "suite.file")) {
		list_add(&s->files, &s->nfiles, v);
	} else if (!strcmp(k, "suite.mem")) {
		return set_long(c, k, v, &s->mem);
	} else if (!strcmp(k, "suite.timeout")) {
		return set_long(c, k, v, &s->timeout);
	} else if (!strcmp(k, "suite.idletimeout")) {
		return set_long(c, k, v, &s->idle_timeout);
	} else if (!strcmp(k, "suite.repeat")) {
		return set_long(c, k, v, &s->repeat);
	} else {
		c->bad = error("suite %s: unknown key '%s' in %s", s->name, k,
			       c->path);
		return -1;
	}
	return 0;
}

/*
 * A suite's files are named relative to its directory and may be shared
 * with a sibling suite (`../mmn-pairing/module`), but must stay inside
 * bench/suites/: resolved, the path starts with the resolved root.
 */
static int inside_suites(const struct suite *s, const char *rel, const char *full)
{
	return *rel && *rel != '/' && path_inside(s->root, full);
}

static void hash_file(GChecksum *ck, const char *path)
{
	struct buf b = BUF_INIT;

	if (!buf_read_file(&b, path, 64u << 20)) {
		g_checksum_update(ck, (const guchar *)path, -1);
		g_checksum_update(ck, (const guchar *)b.buf, (gssize)b.len);
	}
	buf_release(&b);
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* "; did you mean X?" for a suite name not in root (bench/suites) */
static const char *suite_hint(const char *root, const char *name)
{
	const char **names = NULL;
	const char *hint;
	size_t n = 0, i;
	DIR *dh = opendir(root);
	struct dirent *de;

	while (dh && (de = readdir(dh))) {
		if (de->d_name[0] == '.')
			continue;
		names = xrealloc(names, (n + 1) * sizeof(*names));
		names[n++] = xstrdup(de->d_name);
	}
	if (dh)
		closedir(dh);
	if (n)
		qsort(names, n, sizeof(*names), cmp_names);
	hint = suggest_hint(name, names, n);
	for (i = 0; i < n; i++)
		free((char *)names[i]);
	free(names);
	return hint;
}

int suite_load(const char *datadir, const char *name, struct suite *s)
{
	struct buf p = BUF_INIT;
	git_config *cfg = NULL;
	struct load_ctx c;
	GChecksum *ck = NULL;
	size_t i;
	int ret = -1;

	memset(s, 0, sizeof(*s));
	s->name = xstrdup(name);
	s->mem = 256;
	s->timeout = 300;
	s->idle_timeout = 60;
	s->repeat = 1;
	if (!*name || strchr(name, '/') || name[0] == '.') {
		error("suite name '%s' is not a directory name", name);
		goto out;
	}
	buf_addf(&p, "%s/bench/suites", datadir);
	s->root = buf_detach(&p, NULL);
	buf_addf(&p, "%s/%s", s->root, name);
	s->dir = buf_detach(&p, NULL);
	buf_addf(&p, "%s/suite.conf", s->dir);
	if (access(p.buf, R_OK)) {
		if (errno == ENOENT && access(s->dir, F_OK))
			error("suite %s: %s: no such suite%s", name, p.buf,
			      suite_hint(s->root, name));
		else
			error("suite %s: %s: %s", name, p.buf, strerror(errno));
		goto out;
	}
	if (git_config_open_ondisk(&cfg, p.buf)) {
		error("suite %s: %s", name, git_errmsg());
		goto out;
	}
	c.s = s;
	c.path = p.buf;
	c.bad = 0;
	c.have_format = 0;
	if (git_config_foreach(cfg, on_entry, &c) || c.bad)
		goto out;
	if (!c.have_format) {
		error("suite %s: format must be ktap, metrics, kunit or "
		      "kselftest (%s)", name, p.buf);
		goto out;
	}
	if (s->format == SUITE_FMT_KUNIT && !s->run)
		s->run = xstrdup(KUNIT_RUN);
	if (!s->run) {
		error("suite %s: no run command (%s)", name, p.buf);
		goto out;
	}
	if ((s->kunitconfig && s->format != SUITE_FMT_KUNIT &&
	     s->format != SUITE_FMT_KSELFTEST) ||
	    (s->filter && s->format != SUITE_FMT_KUNIT)) {
		error("suite %s: %s needs format = kunit%s (%s)", name,
		      s->filter ? "filter" : "kunitconfig",
		      s->filter ? "" : " or kselftest", p.buf);
		goto out;
	}
	if ((s->nselftests || s->nksft_tests) &&
	    s->format != SUITE_FMT_KSELFTEST) {
		error("suite %s: selftests and test need format = kselftest (%s)",
		      name, p.buf);
		goto out;
	}
	if (s->format == SUITE_FMT_KSELFTEST &&
	    (!s->nselftests || !s->nksft_tests)) {
		error("suite %s: format = kselftest needs selftests = DIR and "
		      "test = PROGRAM (%s)", name, p.buf);
		goto out;
	}
	if (s->nmetrics && !suite_format_has_metrics(s)) {
		error("suite %s: [metric] sections need format = metrics (%s)",
		      name, p.buf);
		goto out;
	}
	ck = g_checksum_new(G_CHECKSUM_SHA1);
	hash_file(ck, p.buf);
	if (s->kunitconfig) {
		struct buf f = BUF_INIT;
		struct kunit_config kc;
		char *why = NULL;

		buf_addf(&f, "%s/%s", s->dir, s->kunitconfig);
		if (!inside_suites(s, s->kunitconfig, f.buf) ||
		    kunit_config_load(f.buf, &kc, &why)) {
			error("suite %s: kunitconfig: %s", name,
			      why ? why : "outside bench/suites");
			free(why);
			buf_release(&f);
			goto out;
		}
		kunit_config_release(&kc);
		hash_file(ck, f.buf);
		buf_release(&f);
	}
	for (i = 0; i < s->nfiles; i++) {
		struct buf f = BUF_INIT;
		const char *base = strrchr(s->files[i], '/');

		base = base ? base + 1 : s->files[i];
		buf_addf(&f, "%s/%s", s->dir, s->files[i]);
		if (!inside_suites(s, s->files[i], f.buf) || access(f.buf, R_OK) ||
		    !kselftest_name_valid(base)) {
			error("suite %s: file %s is missing or outside bench/suites", name,
			      f.buf);
			buf_release(&f);
			goto out;
		}
		hash_file(ck, f.buf);
		buf_release(&f);
	}
	for (i = 0; i < s->nprograms; i++) {
		struct buf f = BUF_INIT;

		buf_addf(&f, "%s/%s", s->dir, s->programs[i]);
		if (!inside_suites(s, s->programs[i], f.buf) || access(f.buf, R_OK)) {
			error("suite %s: program %s is missing", name, f.buf);
			buf_release(&f);
			goto out;
		}
		hash_file(ck, f.buf);
		buf_release(&f);
	}
	if (s->module) {
		struct buf d = BUF_INIT;
		DIR *dh;
		struct dirent *e;

		buf_addf(&d, "%s/%s", s->dir, s->module);
		dh = inside_suites(s, s->module, d.buf) ? opendir(d.buf) : NULL;
		if (!dh) {
			error("suite %s: module directory %s is missing", name, d.buf);
			buf_release(&d);
			goto out;
		}
		while ((e = readdir(dh))) {
			struct buf f = BUF_INIT;

			if (e->d_name[0] == '.')
				continue;
			buf_addf(&f, "%s/%s", d.buf, e->d_name);
			hash_file(ck, f.buf);
			buf_release(&f);
		}
		closedir(dh);
		buf_release(&d);
	}
	s->hash = xstrdup(g_checksum_get_string(ck));
	if (!s->config)
		s->config = xstrdup(arch_default()->default_config);
	ret = 0;
out:
	if (ck)
		g_checksum_free(ck);
	git_config_free(cfg);
	buf_release(&p);
	if (ret)
		suite_release(s);
	return ret;
}

void suite_files_free(struct initramfs_file *files, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free((char *)files[i].src);
		free((char *)files[i].dst);
	}
	free(files);
}

/* The suite's in-tree modules (from the build) and its own files. */
static int ship_extras(const struct suite *s, const char *build_dir,
		       struct initramfs_file **files, size_t *n, char **why)
{
	size_t i;

	for (i = 0; i < s->nkmodules; i++) {
		char *ko = NULL;
		int rc = kbuild_find_module(build_dir, s->kmodules[i], &ko);

		if (rc) {
			*why = rc < 0 ?
			       xstrfmt("%s/modules.order: %s (the kernel needs "
				       "CONFIG_MODULES=y)", build_dir,
				       strerror(errno)) :
			       xstrfmt("kmodule %s: the build has no %s.ko (is "
				       "its config option =m in the config?)",
				       s->kmodules[i], s->kmodules[i]);
			return -1;
		}
		initramfs_file_add(files, n, ko, xstrfmt("/pwb/%s.ko", s->kmodules[i]), 0644);
	}
	for (i = 0; i < s->nfiles; i++) {
		const char *base = strrchr(s->files[i], '/');

		base = base ? base + 1 : s->files[i];
		initramfs_file_add(files, n, xstrfmt("%s/%s", s->dir, s->files[i]),
			 xstrfmt("/pwb/%s", base), 0755);
	}
	return 0;
}

/* The suite's kunitconfig (the options its kernel must have) holds in
 * the build's .config: 0, or -1 with *why naming the option. */
static int kconfig_holds(const struct suite *s, const char *build_dir,
			 char **why)
{
	struct buf f = BUF_INIT;
	struct kunit_config kc = { NULL, 0 };
	int ret = -1;

	if (!s->kunitconfig)
		return 0;
	buf_addf(&f, "%s/%s", s->dir, s->kunitconfig);
	if (kunit_config_load(f.buf, &kc, why))
		goto out;
	buf_reset(&f);
	buf_addf(&f, "%s/.config", build_dir);
	if (kunit_config_check(&kc, f.buf, why))
		goto out;
	ret = 0;
out:
	kunit_config_release(&kc);
	buf_release(&f);
	return ret;
}

/* A kunit suite on a build: the build's KUnit modules with the script
 * that loads them go into the initramfs. */
static int kunit_build(const struct suite *s, const char *build_dir,
		       const char *tmpdir, struct initramfs_file **files,
		       size_t *n, char **why)
{
	size_t mods = 0;

	return kunit_stage(build_dir, tmpdir, s->filter, files, n, &mods, why);
}

int suite_build(const struct suite *s, const struct arch *a, const char *src,
		const char *build_dir, char *const *makevars, const char *cc,
		const char *tmpdir, struct initramfs_file **files, size_t *n,
		char **tests_from, char **why)
{
	struct buf b = BUF_INIT, c = BUF_INIT, o = BUF_INIT, m = BUF_INIT;
	size_t i;
	int ret = -1;

	*files = NULL;
	*n = 0;
	*why = NULL;
	if (tests_from)
		*tests_from = NULL;
	if (kconfig_holds(s, build_dir, why))
		goto out;
	if (s->format == SUITE_FMT_KUNIT && kunit_build(s, build_dir, tmpdir,
							files, n, why))
		goto out;
	if (s->format == SUITE_FMT_KSELFTEST) {
		char *from = NULL;

		if (kselftest_stage(s, a, src, build_dir, makevars, tmpdir, files,
				    n, &from, why))
			goto out;
		if (tests_from)
			*tests_from = from;
		else
			free(from);
	}
	if (ship_extras(s, build_dir, files, n, why))
		goto out;
	if (s->module) {
		/* a copy: kbuild writes objects next to the sources */
		const char *cp[] = { "cp", "-R", NULL, NULL, NULL };
		size_t before = *n;
		DIR *dh;
		struct dirent *e;

		buf_addf(&b, "%s/%s", s->dir, s->module);
		buf_addf(&m, "%s/module", tmpdir);
		cp[2] = b.buf;
		cp[3] = m.buf;
		if (run_tool(cp, NULL, NULL, NULL, why))
			goto out;
		buf_addf(&c, "-C%s", src);
		buf_addf(&o, "O=%s", build_dir);
		{
			struct buf mm = BUF_INIT;
			const char *mk[16] = { "make", c.buf, o.buf, NULL };
			const char *rw[] = { m.buf, build_dir, NULL };
			const char *ro[] = { src, NULL };
			size_t k = 4, v;

			buf_addf(&mm, "M=%s", m.buf);
			mk[3] = mm.buf;
			for (v = 0; makevars && makevars[v] && k < 14; v++)
				mk[k++] = makevars[v];
			mk[k++] = "modules";
			mk[k] = NULL;
			if (run_tool(mk, NULL, rw, ro, why)) {
				buf_release(&mm);
				goto out;
			}
			buf_release(&mm);
		}
		dh = opendir(m.buf);
		while (dh && (e = readdir(dh))) {
			size_t l = strlen(e->d_name);
			struct buf s1 = BUF_INIT, d1 = BUF_INIT;

			if (l < 4 || strcmp(e->d_name + l - 3, ".ko"))
				continue;
			buf_addf(&s1, "%s/%s", m.buf, e->d_name);
			buf_addf(&d1, "/pwb/%s", e->d_name);
			initramfs_file_add(files, n, buf_detach(&s1, NULL), buf_detach(&d1, NULL),
				 0);
		}
		if (dh)
			closedir(dh);
		if (*n == before) {
			*why = xstrdup("the module built no .ko");
			goto out;
		}
	}
	for (i = 0; i < s->nprograms; i++) {
		struct buf in = BUF_INIT, out = BUF_INIT, dst = BUF_INIT;
		const char *base = strrchr(s->programs[i], '/');
		size_t bl;
		const char *ccv[] = { cc, "-static", "-O2", "-o", NULL, NULL, NULL };

		base = base ? base + 1 : s->programs[i];
		bl = strcspn(base, ".");
		buf_addf(&in, "%s/%s", s->dir, s->programs[i]);
		buf_addf(&out, "%s/%.*s", tmpdir, (int)bl, base);
		buf_addf(&dst, "/pwb/%.*s", (int)bl, base);
		ccv[4] = out.buf;
		ccv[5] = in.buf;
		if (run_tool(ccv, NULL, NULL, NULL, why)) {
			buf_release(&in);
			buf_release(&out);
			buf_release(&dst);
			goto out;
		}
		buf_release(&in);
		initramfs_file_add(files, n, buf_detach(&out, NULL), buf_detach(&dst, NULL), 0);
	}
	ret = 0;
out:
	buf_release(&b);
	buf_release(&c);
	buf_release(&o);
	buf_release(&m);
	return ret;
}
