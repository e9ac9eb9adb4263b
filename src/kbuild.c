#include "kbuild.h"
#include "arch.h"
#include "checkout.h"
#include "ctx.h"
#include "db.h"
#include "tree.h"
#include "util/buf.h"
#include "util/gz.h"
#include "util/run.h"
#include "util/util.h"
#include "util/vis.h"

#include <ctype.h>
#include <dirent.h>
#include <fcntl.h>
#include <errno.h>
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#ifndef PWB_SRCDIR
#define PWB_SRCDIR "."
#endif

void kbuild_unlock(struct kbuild_result *r)
{
	if (r->lock_fd > 0)
		close(r->lock_fd);
	r->lock_fd = -1;
}

void kbuild_result_release(struct kbuild_result *r)
{
	kbuild_unlock(r);
	free(r->error);
	free(r->config_name);
	free(r->config_hash);
	free(r->toolchain);
	free(r->arch);
	free(r->compiler);
	free(r->bzimage);
	free(r->build_dir);
	free(r->src_dir);
	memset(r, 0, sizeof(*r));
}

int kbuild_load(sqlite3 *db, long id, struct kbuild_result *r)
{
	sqlite3_stmt *st;
	int ret = 1, rc;

	memset(r, 0, sizeof(*r));
	r->lock_fd = -1;
	if (db_prepare(db, &st, "SELECT id, status, error, coalesce(commit_id, ''), "
		       "tree_id, config_name, config_hash, toolchain, artifacts, "
		       "seconds, coalesce(vmlinux_size, -1), "
		       "coalesce(bzimage_size, -1), warnings, new_warnings, "
		       "cached_from IS NOT NULL, arch, compiler, "
		       "coalesce(started_at, 0) FROM builds WHERE id = ?"))
		return -1;
	sqlite3_bind_int64(st, 1, id);
	rc = db_row(db, st, "load build");
	if (rc < 0)
		ret = -1;
	if (rc > 0) {
		const char *status = (const char *)sqlite3_column_text(st, 1);

		r->id = (long)sqlite3_column_int64(st, 0);
		if (build_status_parse(status, &r->status)) {
			error("build %ld: status '%s': not pwb's", id, vis(status));
			sqlite3_finalize(st);
			kbuild_result_release(r);
			return -1;
		}
		r->error = db_column_dup(st, 2);
		snprintf(r->commit, sizeof(r->commit), "%s", sqlite3_column_text(st, 3));
		snprintf(r->tree, sizeof(r->tree), "%s", sqlite3_column_text(st, 4));
		r->config_name = db_column_dup(st, 5);
		r->config_hash = db_column_dup(st, 6);
		r->toolchain = db_column_dup(st, 7);
		r->bzimage = db_column_dup(st, 8);
		r->seconds = sqlite3_column_double(st, 9);
		r->vmlinux_size = (long)sqlite3_column_int64(st, 10);
		r->bzimage_size = (long)sqlite3_column_int64(st, 11);
		r->warnings = sqlite3_column_int(st, 12);
		r->new_warnings = sqlite3_column_int(st, 13);
		r->cached = sqlite3_column_int(st, 14);
		r->arch = db_column_dup(st, 15);
		r->compiler = db_column_dup(st, 16);
		r->started_at = (long)sqlite3_column_int64(st, 17);
		ret = 0;
	}
	sqlite3_finalize(st);
	return ret;
}

int kbuild_find(sqlite3 *db, const char *commit, const char *config,
		const char *arch, const char *compiler, long *id)
{
	sqlite3_stmt *st;
	int ret = 1, rc;

	if (db_prepare(db, &st, "SELECT id FROM builds WHERE commit_id = ? AND "
		       "config_name = ? AND arch = ? AND compiler = ? AND "
		       "status IN ('ok', 'failed', 'config-error') "
		       "ORDER BY id DESC LIMIT 1"))
		return -1;
	db_bind_text(st, 1, commit);
	db_bind_text(st, 2, config);
	db_bind_text(st, 3, arch ? arch : arch_default()->name);
	db_bind_text(st, 4, compiler ? compiler : toolchain_default()->name);
	rc = db_row(db, st, "find a build");
	if (rc < 0)
		ret = -1;
	if (rc > 0) {
		*id = (long)sqlite3_column_int64(st, 0);
		ret = 0;
	}
	sqlite3_finalize(st);
	return ret;
}

static char *sha1_hex(const char *data, size_t len)
{
	gchar *s = g_compute_checksum_for_data(G_CHECKSUM_SHA1,
					       (const guchar *)data, len);
	char *r = xstrdup(s);

	g_free(s);
	return r;
}

/* The first line of cc --version, or NULL when cc does not run. */
static char *toolchain_version(const char *cc)
{
	const char *argv[] = { cc, "--version", NULL };
	struct run_opts o = { argv, NULL, NULL, 30, 0, 4096, NULL, NULL, 1 };
	struct run_result r;
	char *v = NULL;

	if (!run_command(&o, &r) && r.end == RUN_EXITED && r.code == 0)
		v = xstrndup(r.output.buf, strcspn(r.output.buf, "\n"));
	run_result_release(&r);
	return v;
}

/* An executable NAME in a directory of $PATH. */
static int on_path(const char *name)
{
	const char *path = getenv("PATH");
	char *p, *dir, *save = NULL;
	int found = 0;

	if (!path)
		return 0;
	p = xstrdup(path);
	for (dir = strtok_r(p, ":", &save); dir && !found;
	     dir = strtok_r(NULL, ":", &save)) {
		struct buf b = BUF_INIT;

		buf_addf(&b, "%s/%s", dir, name);
		found = access(b.buf, X_OK) == 0;
		buf_release(&b);
	}
	free(p);
	return found;
}

int kbuild_have_ccache(void)
{
	const char *off = getenv("CCACHE_DISABLE");

	if (off && strcasecmp(off, "0") && strcasecmp(off, "false") &&
	    strcasecmp(off, "no") && strcasecmp(off, "disable"))
		return 0;
	return on_path("ccache");
}

int kbuild_have_sparse(void)
{
	return on_path("sparse");
}

struct progress {
	kbuild_progress_fn fn;	/* NULL: no progress */
	void *ud;
	struct buf line;
};

static void on_make_output(const char *data, size_t len, void *ud)
{
	struct progress *p = ud;
	size_t i;

	if (!p->fn)
		return;
	for (i = 0; i < len; i++) {
		if (data[i] == '\n') {
			if (p->line.len && p->line.buf[0] == ' ')
				p->fn(p->ud, p->line.buf + 2);
			buf_reset(&p->line);
		} else {
			buf_addch(&p->line, data[i]);
		}
	}
}

/* ccache's directory as ccache finds it (made if missing), or NULL */
static const char *ccache_dir(void)
{
	static char d[4096];
	const char *e = getenv("CCACHE_DIR"), *x = getenv("XDG_CACHE_HOME");
	const char *h = getenv("HOME");

	if (e && *e)
		snprintf(d, sizeof(d), "%s", e);
	else if (x && *x)
		snprintf(d, sizeof(d), "%s/ccache", x);
	else if (h && *h)
		snprintf(d, sizeof(d), "%s/.cache/ccache", h);
	else
		return NULL;
	return mkdir_p(d, 0777) ? NULL : d;
}

/* What a kernel build may write: the build directory and ccache's. */
static const char *const *kbuild_writable(const char *bdir, int ccache,
					  const char **rw)
{
	int n = 0;

	rw[n++] = bdir;
	if (ccache && ccache_dir())
		rw[n++] = ccache_dir();
	rw[n] = NULL;
	return rw;
}

/* LANG too: the kernel's Makefile unexports LC_ALL */
static const char *const c_locale[] = { "LC_ALL=C", "LANG=C", "LC_CTYPE=C",
					"LC_MESSAGES=C", NULL };

/* make -C src O=bdir -jN VARS... TARGETS...; vars: the target's make
 * variables (arch_make_vars), ccache: its directory is writable. */
static int run_make(const char *src, const char *bdir, const char *const *targets,
		    int jobs, char *const *vars, int ccache, double timeout,
		    struct progress *pg, struct buf *log, struct run_result *rr)
{
	const char **argv, *rw[4], *ro_paths[2];
	struct buf j = BUF_INIT, c = BUF_INIT, o = BUF_INIT;
	struct run_opts ro;
	int n = 0, i, nv = 0, nt = 0;

	while (vars && vars[nv])
		nv++;
	while (targets[nt])
		nt++;
	argv = xcalloc((size_t)(nv + nt + 8), sizeof(char *));

	buf_addf(&j, "-j%d", jobs);
	buf_addf(&c, "-C%s", src);
	buf_addf(&o, "O=%s", bdir);
	argv[n++] = "make";
	argv[n++] = c.buf;
	argv[n++] = o.buf;
	argv[n++] = j.buf;
	for (i = 0; i < nv; i++)
		argv[n++] = vars[i];
	for (i = 0; i < nt; i++)
		argv[n++] = targets[i];
	argv[n] = NULL;
	memset(&ro, 0, sizeof(ro));
	ro.argv = argv;
	/* the compiler's messages in ASCII, as pwb compares and shows them */
	ro.env = c_locale;
	ro.timeout = timeout;
	ro.idle_timeout = 1800;
	/* the series' Makefiles run here: sandboxed */
	ro.sandbox = 1;
	ro.sandbox_rw = kbuild_writable(bdir, ccache, rw);
	ro.sandbox_ro = ro_paths;
	ro_paths[0] = src;
	ro_paths[1] = NULL;
	ro.capture_cap = 64u << 20;
	ro.on_output = on_make_output;
	ro.ud = pg;
	run_command(&ro, rr);
	buf_addbuf(log, &rr->output);
	if (pg->fn)
		pg->fn(pg->ud, NULL);
	buf_release(&j);
	buf_release(&c);
	buf_release(&o);
	free(argv);
	return rr->end == RUN_EXITED && rr->code == 0 ? 0 : -1;
}

/* Options the fragment asks for that the final .config does not have. */
static char *check_config(const char *fragment, const char *dotconfig)
{
	struct buf miss = BUF_INIT;
	const char *p = fragment;

	while (*p) {
		size_t n = strcspn(p, "\n");
		char *line = xstrndup(p, n);
		const char *name;

		if (starts_with(line, "CONFIG_")) {
			struct buf want = BUF_INIT;

			buf_addf(&want, "\n%s\n", line);
			if (!strstr(dotconfig, want.buf))
				buf_addf(&miss, "%s%s", miss.len ? ", " : "", line);
			buf_release(&want);
		} else if (skip_prefix(line, "# CONFIG_", &name) &&
			   strstr(line, " is not set")) {
			struct buf bad = BUF_INIT;
			size_t k = strcspn(name, " ");

			buf_addf(&bad, "\nCONFIG_%.*s=", (int)k, name);
			if (strstr(dotconfig, bad.buf))
				buf_addf(&miss, "%s%s", miss.len ? ", " : "", line + 2);
			buf_release(&bad);
		}
		free(line);
		p += n;
		if (*p)
			p++;
	}
	if (!miss.len) {
		buf_release(&miss);
		return NULL;
	}
	return buf_detach(&miss, NULL);
}

static char *base_target(const char *fragment)
{
	const char *p = strstr(fragment, "# pwb-base: ");

	if (!p)
		return xstrdup("tinyconfig");
	p += 12;
	return xstrndup(p, strcspn(p, " \n"));
}

/* First error lines of a failed build log. */
static char *first_errors(const struct buf *log)
{
	struct buf e = BUF_INIT;
	const char *p = log->buf;
	int n = 0;

	while (*p && n < 6) {
		size_t l = strcspn(p, "\n");

		if (memmem(p, l, "error:", 6) || memmem(p, l, "Error ", 6) ||
		    memmem(p, l, "undefined reference", 19)) {
			buf_add(&e, p, l);
			buf_addch(&e, '\n');
			n++;
		}
		p += l;
		if (*p)
			p++;
	}
	if (!e.len) {
		/* the tail, then */
		size_t start = log->len > 800 ? log->len - 800 : 0;

		buf_add(&e, log->buf + start, log->len - start);
	}
	buf_rtrim(&e);
	return buf_detach(&e, NULL);
}

struct warn {
	char *file;
	long line;
	char *msg;
	int new;
};

static void parse_warnings(const struct buf *log, struct warn **w, size_t *nw)
{
	const char *p = log->buf;

	*w = NULL;
	*nw = 0;
	while (*p) {
		size_t l = strcspn(p, "\n");
		char *line = xstrndup(p, l);
		char *wp = strstr(line, ": warning: ");

		if (wp) {
			char *c1 = strchr(line, ':');

			if (c1 && c1 < wp && isdigit((unsigned char)c1[1])) {
				size_t i;
				int dup = 0;

				*c1 = '\0';
				for (i = 0; i < *nw; i++)
					if (!strcmp((*w)[i].file, line) &&
					    !strcmp((*w)[i].msg, wp + 11))
						dup = 1;
				if (!dup) {
					*w = xrealloc(*w, (*nw + 1) * sizeof(**w));
					(*w)[*nw].file = xstrdup(line);
					(*w)[*nw].line = atol(c1 + 1);
					(*w)[*nw].msg = xstrdup(wp + 11);
					(*w)[*nw].new = 1;
					(*nw)++;
				}
			}
		}
		free(line);
		p += l;
		if (*p)
			p++;
	}
}

static long file_size(const char *path)
{
	struct stat st;

	return stat(path, &st) ? -1 : (long)st.st_size;
}

static int copy_file(const char *from, const char *to)
{
	struct buf b = BUF_INIT, tmp = BUF_INIT;
	FILE *f;
	int ret = -1;

	if (buf_read_file(&b, from, 0))
		goto out;
	buf_addf(&tmp, "%s.tmp", to);
	f = fopen(tmp.buf, "w");
	if (!f)
		goto out;
	if (fwrite(b.buf, 1, b.len, f) == b.len && !fclose(f) &&
	    !rename(tmp.buf, to))
		ret = 0;
out:
	buf_release(&b);
	buf_release(&tmp);
	return ret;
}

/* Keep the artifacts under the cap: the least recently used go first. */
static void evict(const char *adir, uint64_t cap)
{
	DIR *d = opendir(adir);
	struct dirent *e;
	struct ent { char *path; time_t t; long size; } *v = NULL;
	size_t n = 0, i;
	uint64_t total = 0;

	if (!d)
		return;
	while ((e = readdir(d))) {
		struct buf p = BUF_INIT;
		struct stat st;
		long sz;

		if (e->d_name[0] == '.')
			continue;
		buf_addf(&p, "%s/%s/bzImage", adir, e->d_name);
		if (stat(p.buf, &st)) {
			buf_release(&p);
			continue;
		}
		sz = (long)st.st_size;
		buf_reset(&p);
		buf_addf(&p, "%s/%s", adir, e->d_name);
		v = xrealloc(v, (n + 1) * sizeof(*v));
		v[n].path = buf_detach(&p, NULL);
		v[n].t = st.st_atime > st.st_mtime ? st.st_atime : st.st_mtime;
		v[n].size = sz;
		total += (uint64_t)sz;
		n++;
	}
	closedir(d);
	while (total > cap && n) {
		size_t old = 0;
		struct buf f = BUF_INIT;

		for (i = 1; i < n; i++)
			if (v[i].t < v[old].t)
				old = i;
		buf_addf(&f, "%s/bzImage", v[old].path);
		unlink(f.buf);
		buf_reset(&f);
		buf_addf(&f, "%s/config", v[old].path);
		unlink(f.buf);
		rmdir(v[old].path);
		buf_release(&f);
		total -= (uint64_t)v[old].size;
		free(v[old].path);
		v[old] = v[--n];
	}
	for (i = 0; i < n; i++)
		free(v[i].path);
	free(v);
}

static int record(sqlite3 *db, const struct kbuild_request *q, const char *repo,
		  struct kbuild_result *r, const char *key, const struct buf *log,
		  struct warn *w, size_t nw, long cached_from)
{
	sqlite3_stmt *st = NULL;
	struct buf gz = BUF_INIT;
	size_t i;
	int ret = -1;

	if (log->len)
		gz_compress(log->buf, log->len, &gz);
	if (db_begin(db))
		return -1;
	if (db_prepare(db, &st, "INSERT INTO builds (repo_path, rev, commit_id, "
		       "tree_id, config_name, config_hash, toolchain, cache_key, "
		       "status, error, seconds, vmlinux_size, bzimage_size, "
		       "warnings, new_warnings, artifacts, cached_from, log_gz, "
		       "started_at, arch, compiler) "
		       "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"))
		goto out;
	db_bind_text(st, 1, repo);
	db_bind_text(st, 2, q->rev);
	db_bind_text(st, 3, r->commit[0] ? r->commit : NULL);
	db_bind_text(st, 4, r->tree);
	db_bind_text(st, 5, r->config_name);
	db_bind_text(st, 6, r->config_hash);
	db_bind_text(st, 7, r->toolchain);
	db_bind_text(st, 8, key);
	db_bind_text(st, 9, build_status_name(r->status));
	db_bind_text(st, 10, r->error);
	sqlite3_bind_double(st, 11, r->seconds);
	if (r->vmlinux_size >= 0)
		sqlite3_bind_int64(st, 12, r->vmlinux_size);
	if (r->bzimage_size >= 0)
		sqlite3_bind_int64(st, 13, r->bzimage_size);
	sqlite3_bind_int(st, 14, r->warnings);
	sqlite3_bind_int(st, 15, r->new_warnings);
	db_bind_text(st, 16, r->bzimage);
	if (cached_from > 0)
		sqlite3_bind_int64(st, 17, cached_from);
	if (gz.len)
		sqlite3_bind_blob64(st, 18, gz.buf, gz.len, SQLITE_STATIC);
	sqlite3_bind_int64(st, 19, (sqlite3_int64)time(NULL));
	db_bind_text(st, 20, r->arch ? r->arch : arch_default()->name);
	db_bind_text(st, 21, r->compiler ? r->compiler :
			     toolchain_default()->name);
	if (sqlite3_step(st) != SQLITE_DONE) {
		db_error(db, "record build");
		goto out;
	}
	r->id = (long)sqlite3_last_insert_rowid(db);
	sqlite3_finalize(st);
	st = NULL;
	if (db_prepare(db, &st, "INSERT INTO build_warnings (build_id, file, "
		       "line, message, new) VALUES (?,?,?,?,?)"))
		goto out;
	for (i = 0; i < nw; i++) {
		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, r->id);
		db_bind_text(st, 2, w[i].file);
		sqlite3_bind_int64(st, 3, w[i].line);
		db_bind_text(st, 4, w[i].msg);
		sqlite3_bind_int(st, 5, w[i].new);
		if (sqlite3_step(st) != SQLITE_DONE) {
			db_error(db, "record warning");
			goto out;
		}
	}
	sqlite3_finalize(st);
	st = NULL;
	if (db_commit(db))
		goto out;
	ret = 0;
out:
	sqlite3_finalize(st);
	if (ret)
		db_rollback(db);
	buf_release(&gz);
	return ret;
}

/* Mark warnings seen in the previous OK build of this tree and config. */
static void mark_new(sqlite3 *db, const char *repo, const char *config,
		     const char *tree, struct warn *w, size_t nw, int *nnew)
{
	sqlite3_stmt *st;
	size_t i;

	*nnew = (int)nw;
	if (db_prepare(db, &st, "SELECT file, message FROM build_warnings WHERE "
		       "build_id = (SELECT id FROM builds WHERE repo_path = ? AND "
		       "config_name = ? AND status = 'ok' AND tree_id != ? "
		       "ORDER BY id DESC LIMIT 1)"))
		return;
	db_bind_text(st, 1, repo);
	db_bind_text(st, 2, config);
	db_bind_text(st, 3, tree);
	while (db_row(db, st, "load the last build's warnings") > 0) {
		const char *f = (const char *)sqlite3_column_text(st, 0);
		const char *m = (const char *)sqlite3_column_text(st, 1);

		for (i = 0; i < nw; i++)
			if (w[i].new && !strcmp(w[i].file, f) && !strcmp(w[i].msg, m)) {
				w[i].new = 0;
				(*nnew)--;
			}
	}
	sqlite3_finalize(st);
}

/*
 * kbuild() in stages, in this order (each says why it stops with an
 * error() of its own, or leaves r->status and r->error set):
 *
 *   kb_resolve        the tree, the commit and its tree id
 *   kb_fragment       the config fragment, its name and base target
 *   kb_cache_key      the toolchain, the fragment's hash, the cache key
 *   kb_settings       the build directory's path, build.* settings
 *   kb_find_cached    an OK build of the same cache key with its artifact
 *   kb_prepare        the checkout slot at the tree, the build directory
 *   kb_configure      base + merge_config.sh + olddefconfig, check_config
 *   kb_make           the image and modules
 *   kb_collect        warnings, sizes, the artifacts kept
 *   kb_record         the builds row
 *
 * What the stages share is in struct kbuild_state; kb_state_release()
 * frees it whichever stage stopped.
 */
struct kbuild_state {
	struct pwb_ctx *ctx;
	const struct kbuild_request *q;
	struct kbuild_result *r;
	const struct arch *arch;
	const struct toolchain *tc;
	const char *cfg;		/* q->config or the arch's default */
	char *cfgvars[8];		/* make variables: configure */
	char *makevars[8];		/* and build (with CC=ccache...) */
	/* kb_resolve */
	char *path, *name;		/* the tree (tree_resolve) */
	git_repository *repo;
	git_commit *commit;
	git_tree *tree;
	/* kb_fragment, kb_cache_key */
	char *datadir, *fragpath, *base, *cache_key;
	struct buf frag;
	/* kb_settings */
	char *key, *workdir;		/* checkout_key, checkout_workdir */
	long jobs, timeout;
	uint64_t cachecap;
	/* kb_find_cached: the builds row reused, else -1 */
	long cached_from;
	/* kb_prepare and after */
	struct checkout co;
	int ccache;
	double t0;
	struct progress pg;
	struct buf log;			/* every make and merge_config's output */
	struct warn *w;			/* kb_collect */
	size_t nw;
};

static void kb_state_init(struct kbuild_state *s, struct pwb_ctx *ctx,
			  const struct kbuild_request *q, struct kbuild_result *r)
{
	memset(s, 0, sizeof(*s));
	s->ctx = ctx;
	s->q = q;
	s->r = r;
	s->arch = q->arch ? arch_find(q->arch) : arch_default();
	s->tc = q->toolchain ? toolchain_find(q->toolchain) : toolchain_default();
	s->cfg = q->config || !s->arch ? q->config : s->arch->default_config;
	s->frag = (struct buf)BUF_INIT;
	s->cached_from = -1;
	s->co.lock_fd = -1;
	s->pg.fn = q->progress;
	s->pg.ud = q->progress_ud;
	s->pg.line = (struct buf)BUF_INIT;
	s->log = (struct buf)BUF_INIT;

	memset(r, 0, sizeof(*r));
	r->vmlinux_size = r->bzimage_size = -1;
	r->lock_fd = -1;
}

static void kb_state_release(struct kbuild_state *s)
{
	size_t i;

	for (i = 0; i < s->nw; i++) {
		free(s->w[i].file);
		free(s->w[i].msg);
	}
	free(s->w);
	arch_make_vars_free(s->cfgvars);
	arch_make_vars_free(s->makevars);
	checkout_close(&s->co);
	git_tree_free(s->tree);
	git_commit_free(s->commit);
	git_repository_free(s->repo);
	buf_release(&s->frag);
	buf_release(&s->log);
	buf_release(&s->pg.line);
	free(s->path);
	free(s->name);
	free(s->key);
	free(s->workdir);
	free(s->datadir);
	free(s->fragpath);
	free(s->base);
	free(s->cache_key);
}

/* The tree, the revision's commit and its tree id into r. */
static int kb_resolve(struct kbuild_state *s)
{
	struct kbuild_result *r = s->r;

	if (!s->arch)
		return error("--arch %s: not an arch pwb builds for (%s)",
			     s->q->arch, arch_names());
	if (!s->tc)
		return error("--toolchain %s: not a toolchain pwb builds with "
			     "(%s)", s->q->toolchain, toolchain_names());
	if (tree_resolve(s->ctx->db, s->q->tree_arg, &s->path, &s->name) ||
	    tree_open(s->path, &s->repo))
		return -1;
	if (tree_peel_commit(s->repo, s->q->rev, &s->commit) ||
	    git_commit_tree(&s->tree, s->commit)) {
		error("%s: not a commit in %s", s->q->rev, s->path);
		return -1;
	}
	git_oid_tostr(r->commit, sizeof(r->commit), git_commit_id(s->commit));
	git_oid_tostr(r->tree, sizeof(r->tree), git_tree_id(s->tree));
	return 0;
}

/* The config fragment: a path, or NAME under bench/configs; its name
 * (the file's without ".config") and base target. */
static int kb_fragment(struct kbuild_state *s)
{
	const char *cfg = s->cfg, *slash, *b;
	struct buf tmp = BUF_INIT;
	size_t n;

	s->datadir = pwb_datadir(s->ctx);
	if (strchr(cfg, '/')) {
		s->fragpath = xstrdup(cfg);
	} else {
		buf_addf(&tmp, "%s/bench/configs/%s.config", s->datadir, cfg);
		s->fragpath = buf_detach(&tmp, NULL);
	}
	if (buf_read_file(&s->frag, s->fragpath, 1u << 20)) {
		error("config %s: cannot read %s: %s", cfg, s->fragpath,
		      strerror(errno));
		return -1;
	}
	slash = strrchr(cfg, '/');
	b = slash ? slash + 1 : cfg;
	n = strlen(b);
	if (n > 7 && !strcmp(b + n - 7, ".config"))
		n -= 7;
	s->r->config_name = xstrndup(b, n);
	s->base = base_target(s->frag.buf);
	return 0;
}

/* What a build's result depends on: tree, base, fragment, arch,
 * toolchain (its version line). */
static int kb_cache_key(struct kbuild_state *s)
{
	struct kbuild_result *r = s->r;
	struct buf tmp = BUF_INIT;
	char *cc = toolchain_cc(s->tc, s->arch);

	r->arch = xstrdup(s->arch->name);
	r->compiler = xstrdup(s->tc->name);
	r->toolchain = toolchain_version(cc);
	if (!r->toolchain) {
		error("no %s compiler for %s: %s --version failed (apt-get "
		      "install %s)", s->tc->name, s->arch->name, cc,
		      *arch_cross(s->arch) && s->tc->cross_prefixed ?
		      s->arch->cross_package : s->tc->package);
		free(cc);
		return -1;
	}
	free(cc);
	r->config_hash = sha1_hex(s->frag.buf, s->frag.len);
	buf_addf(&tmp, "%s\n%s\n%s\n%s\n%s %s", r->tree, s->base,
		 r->config_hash, r->toolchain, r->arch, r->compiler);
	for (size_t i = 0; s->q->vars && s->q->vars[i]; i++)
		buf_addf(&tmp, "\n%s", s->q->vars[i]);
	s->cache_key = sha1_hex(tmp.buf, tmp.len);
	buf_release(&tmp);
	return 0;
}

/* The build directory's path (into r, made later) and the settings. */
static int kb_settings(struct kbuild_state *s)
{
	struct buf tmp = BUF_INIT;

	s->key = checkout_key(s->name, s->path);
	s->workdir = checkout_workdir(s->ctx);
	/* one build directory per tree x arch x toolchain x config */
	buf_addf(&tmp, "%s/build/%s/%s-%s/%s", s->workdir, s->key,
		 s->arch->name, s->tc->name, s->r->config_name);
	s->r->build_dir = buf_detach(&tmp, NULL);
	if (s->q->vars && s->q->variant) {
		char *v = xstrfmt("%s+%s", s->r->config_name, s->q->variant);

		free(s->r->config_name);
		s->r->config_name = v;
	}
	if (ctx_config_long(s->ctx, "build.jobs", &s->jobs) ||
	    ctx_config_long(s->ctx, "build.timeout", &s->timeout) ||
	    ctx_config_size(s->ctx, "build.cachesize", &s->cachecap))
		return -1;
	return 0;
}

/* Built before with the same tree, config and toolchain, the artifact
 * still there?  Sets s->cached_from and fills r from that row (a
 * database error is no cached build). */
static void kb_find_cached(struct kbuild_state *s)
{
	struct kbuild_result *r = s->r;
	sqlite3_stmt *st;
	const char *a;

	if (db_prepare(s->ctx->db, &st, "SELECT id, artifacts, vmlinux_size, "
		       "bzimage_size, warnings, new_warnings FROM builds "
		       "WHERE cache_key = ? AND status = 'ok' AND "
		       "artifacts IS NOT NULL ORDER BY id DESC LIMIT 1"))
		return;
	db_bind_text(st, 1, s->cache_key);
	if (sqlite3_step(st) != SQLITE_ROW)
		goto out;
	a = (const char *)sqlite3_column_text(st, 1);
	if (!a || access(a, R_OK))
		goto out;
	s->cached_from = (long)sqlite3_column_int64(st, 0);
	r->bzimage = xstrdup(a);
	r->vmlinux_size = (long)sqlite3_column_int64(st, 2);
	r->bzimage_size = (long)sqlite3_column_int64(st, 3);
	r->warnings = sqlite3_column_int(st, 4);
	r->new_warnings = sqlite3_column_int(st, 5);
out:
	sqlite3_finalize(st);
}

/* A build of the cached result: a row of its own, no make. */
static int kb_record_cached(struct kbuild_state *s)
{
	struct kbuild_result *r = s->r;

	r->cached = 1;
	r->status = BUILD_OK;
	utimensat(AT_FDCWD, r->bzimage, NULL, 0); /* recently used */
	return record(s->ctx->db, s->q, s->path, r, s->cache_key, &s->log,
		      NULL, 0, s->cached_from);
}

/* The checkout slot (locked) at the tree, and the build directory. */
static int kb_prepare(struct kbuild_state *s)
{
	struct kbuild_result *r = s->r;
	struct checkout_stats cst;

	if (checkout_open(&s->co, s->workdir, s->key, s->q->slot) ||
	    checkout_move(&s->co, s->repo, s->tree, &cst))
		return -1;
	r->src_dir = xstrdup(s->co.dir);
	if (mkdir_p(r->build_dir, 0777)) {
		error("cannot create %s: %s", r->build_dir, strerror(errno));
		return -1;
	}
	s->ccache = kbuild_have_ccache();
	arch_make_vars(s->arch, s->tc, 0, s->cfgvars, ARRAY_SIZE(s->cfgvars));
	arch_make_vars(s->arch, s->tc, s->ccache, s->makevars,
		       ARRAY_SIZE(s->makevars));
	return 0;
}

/* A fresh .config: make the base target, merge the fragment over it.
 * 0, or -1 with rr saying how the last step ended. */
static int kb_merge_config(struct kbuild_state *s, const char *dotconfig,
			   struct run_result *rr)
{
	const char *bdir = s->r->build_dir;
	const char *t1[] = { s->base, NULL };
	const char *argv[] = { "sh", NULL, "-m", "-O", bdir, dotconfig,
			       s->fragpath, NULL };
	const char *rw[2] = { bdir, NULL };
	/* the fragment may live anywhere (datadir under /tmp) */
	const char *rop[3] = { s->co.dir, s->fragpath, NULL };
	struct buf script = BUF_INIT;
	struct run_opts ro;
	int ret = -1;

	/* at -jN like the build: conf itself is compiled here, and with
	 * LLVM=1 Kconfig's clang probes cost seconds at -j1 */
	if (run_make(s->co.dir, bdir, t1, (int)s->jobs, s->cfgvars, 0, 600,
		     &s->pg, &s->log, rr))
		return -1;
	run_result_release(rr);
	buf_addf(&script, "%s/scripts/kconfig/merge_config.sh", s->co.dir);
	argv[1] = script.buf;
	memset(&ro, 0, sizeof(ro));
	ro.argv = argv;
	ro.cwd = bdir;
	ro.timeout = 600;
	ro.capture_cap = 4u << 20;
	ro.sandbox = 1;
	ro.sandbox_rw = rw;
	ro.sandbox_ro = rop;
	run_command(&ro, rr);
	buf_addbuf(&s->log, &rr->output);
	if (rr->end == RUN_EXITED && !rr->code)
		ret = 0;
	run_result_release(rr);
	buf_release(&script);
	return ret;
}

/* merge_config when fresh (or no .config), then olddefconfig, then the
 * resulting .config read into dotcfg (after a newline, for check_config).
 * 0, or -1 with rr saying how the last command ended. */
static int kb_make_config(struct kbuild_state *s, const char *stamp,
			  const char *dotconfig, int fresh, struct buf *dotcfg,
			  struct run_result *rr)
{
	const char *t2[] = { "olddefconfig", NULL };

	if (fresh || access(dotconfig, R_OK)) {
		unlink(stamp);
		if (kb_merge_config(s, dotconfig, rr))
			return -1;
	}
	if (run_make(s->co.dir, s->r->build_dir, t2, (int)s->jobs,
		     s->cfgvars, 0, 600, &s->pg, &s->log, rr))
		return -1;
	run_result_release(rr);
	buf_addch(dotcfg, '\n');
	if (buf_read_file(dotcfg, dotconfig, 16u << 20))
		return -1;
	return 0;
}

/* configure: base + fragment + olddefconfig; a fragment or base that
 * changed since the last configure of this directory starts over.
 * 0 configured; 1 not (r->status and r->error say why). */
static int kb_configure(struct kbuild_state *s)
{
	struct kbuild_result *r = s->r;
	struct buf stamp = BUF_INIT, have = BUF_INIT, want = BUF_INIT;
	struct buf dotconfig = BUF_INIT, dotcfg = BUF_INIT, e = BUF_INIT;
	struct run_result rr;
	char *miss;
	char d[128];
	int fresh, ret = 1;
	FILE *f;

	memset(&rr, 0, sizeof(rr));
	buf_addf(&stamp, "%s/.pwb-config", r->build_dir);
	buf_addf(&want, "%s %s\n", s->base, r->config_hash);
	buf_read_file(&have, stamp.buf, 4096);
	fresh = strncmp(have.buf, want.buf, want.len) != 0;
	buf_addf(&dotconfig, "%s/.config", r->build_dir);
	/* the same tree configured already: nothing to redo (a no-op
	 * rebuild costs what plain make costs) */
	if (!fresh && !strcmp(have.buf + want.len, r->tree) &&
	    access(dotconfig.buf, R_OK) == 0) {
		ret = 0;
		goto out;
	}
	if (kb_make_config(s, stamp.buf, dotconfig.buf, fresh, &dotcfg, &rr)) {
		r->status = rr.end == RUN_INTERRUPTED ? BUILD_INTERRUPTED :
			    BUILD_CONFIG_ERROR;
		buf_addf(&e, "configuring %s (%s): %s", r->config_name, s->base,
			 run_describe(&rr, d, sizeof(d)));
		r->error = buf_detach(&e, NULL);
		goto out;
	}
	miss = check_config(s->frag.buf, dotcfg.buf);
	if (miss) {
		r->status = BUILD_CONFIG_ERROR;
		buf_addf(&e, "options of %s that did not take (unmet "
			 "dependency or unknown): %s", r->config_name, miss);
		r->error = buf_detach(&e, NULL);
		free(miss);
		goto out;
	}
	f = fopen(stamp.buf, "w");
	if (f) {
		fputs(want.buf, f);
		fputs(r->tree, f);
		fclose(f);
	}
	ret = 0;
out:
	run_result_release(&rr);
	buf_release(&stamp);
	buf_release(&have);
	buf_release(&want);
	buf_release(&dotconfig);
	buf_release(&dotcfg);
	buf_release(&e);
	return ret;
}

/* How a make that failed ended, as a build status: make itself killed by
 * a signal is from outside, not the series (a crashing compiler makes
 * make exit 2). */
static enum build_status make_status(const struct run_result *rr)
{
	return rr->end == RUN_TIMEOUT || rr->end == RUN_IDLE ? BUILD_TIMEOUT :
	       rr->end == RUN_INTERRUPTED ? BUILD_INTERRUPTED :
	       rr->end == RUN_NOSTART || rr->end == RUN_SIGNALED ?
	       BUILD_INFRA_ERROR : BUILD_FAILED;
}

/* The make variables of a build, then flag (or NULL), then more (or
 * NULL), into mv[max] (NULL-terminated); the count. */
static size_t join_vars(char **mv, size_t max, char *const *base,
			const char *flag, char *const *more)
{
	size_t i, k = 0;

	for (i = 0; base[i] && k + 1 < max; i++)
		mv[k++] = base[i];
	if (flag && k + 1 < max)
		mv[k++] = (char *)flag;
	for (i = 0; more && more[i] && k + 1 < max; i++)
		mv[k++] = more[i];
	mv[k] = NULL;
	return k;
}

/* The image and the modules: r->status (and r->error unless ok). */
static void kb_make(struct kbuild_state *s)
{
	struct kbuild_result *r = s->r;
	const char *targets[] = { s->arch->image_target, "modules", NULL };
	struct run_result rr;
	char d[128], *mv[40];

	join_vars(mv, ARRAY_SIZE(mv), s->makevars, NULL, s->q->vars);
	if (!run_make(s->co.dir, r->build_dir, targets, (int)s->jobs,
		      mv, s->ccache,
		      (double)s->timeout, &s->pg, &s->log, &rr)) {
		r->status = BUILD_OK;
		goto out;
	}
	r->status = make_status(&rr);
	if (rr.end == RUN_EXITED)
		r->error = first_errors(&rr.output);
	else
		r->error = xstrdup(run_describe(&rr, d, sizeof(d)));
out:
	run_result_release(&rr);
}

/* An OK build's bzImage and .config under <workdir>/artifacts/<cache
 * key>, the oldest beyond build.cachesize evicted. */
static void kb_keep_artifacts(struct kbuild_state *s)
{
	struct kbuild_result *r = s->r;
	struct buf from = BUF_INIT, to = BUF_INIT;

	buf_addf(&from, "%s/%s", r->build_dir, s->arch->image_path);
	r->bzimage_size = file_size(from.buf);
	buf_addf(&to, "%s/artifacts/%s", s->workdir, s->cache_key);
	if (mkdir_p(to.buf, 0777))
		goto out;
	buf_addstr(&to, "/bzImage");
	if (copy_file(from.buf, to.buf))
		goto out;
	r->bzimage = xstrdup(to.buf);
	buf_setlen(&to, to.len - 7);
	buf_addstr(&to, "config");
	buf_reset(&from);
	buf_addf(&from, "%s/.config", r->build_dir);
	copy_file(from.buf, to.buf);
out:
	buf_reset(&to);
	buf_addf(&to, "%s/artifacts", s->workdir);
	evict(to.buf, s->cachecap);
	buf_release(&from);
	buf_release(&to);
}

/* After make: the warnings (new ones against the last OK build of
 * another tree), vmlinux's size, the artifacts of an OK build. */
static void kb_collect(struct kbuild_state *s)
{
	struct kbuild_result *r = s->r;
	struct buf vmlinux = BUF_INIT;

	parse_warnings(&s->log, &s->w, &s->nw);
	r->warnings = (int)s->nw;
	mark_new(s->ctx->db, s->path, r->config_name, r->tree, s->w, s->nw,
		 &r->new_warnings);
	buf_addf(&vmlinux, "%s/vmlinux", r->build_dir);
	r->vmlinux_size = file_size(vmlinux.buf);
	buf_release(&vmlinux);
	if (r->status == BUILD_OK)
		kb_keep_artifacts(s);
}

/* The builds row of a build that ran (or stopped configuring). */
static int kb_record(struct kbuild_state *s)
{
	s->r->seconds = (double)time(NULL) - s->t0;
	return record(s->ctx->db, s->q, s->path, s->r, s->cache_key, &s->log,
		      s->w, s->nw, -1);
}

int kbuild_record(sqlite3 *db, const char *repo, const char *rev,
		  struct kbuild_result *r)
{
	struct kbuild_request q;
	struct buf log = BUF_INIT;

	memset(&q, 0, sizeof(q));
	q.rev = rev;
	return record(db, &q, repo, r, NULL, &log, NULL, 0, -1);
}

int kbuild_make_vars(const struct kbuild_result *r, int ccache, char **argv,
		     size_t max)
{
	const struct arch *a = r->arch ? arch_find(r->arch) : arch_default();
	const struct toolchain *t = r->compiler ? toolchain_find(r->compiler) :
				    toolchain_default();

	argv[0] = NULL;
	if (!a || !t)
		return -1;
	return (int)arch_make_vars(a, t, ccache, argv, max);
}

int kbuild(struct pwb_ctx *ctx, const struct kbuild_request *q,
	   struct kbuild_result *r)
{
	struct kbuild_state s;
	int ret = -1;

	kb_state_init(&s, ctx, q, r);
	if (kb_resolve(&s) || kb_fragment(&s) || kb_cache_key(&s) ||
	    kb_settings(&s))
		goto out;
	kb_find_cached(&s);
	/* out-of-tree modules need the checkout and the build directory at
	 * this tree: go through make (a no-op when nothing changed) */
	if (q->need_build_dir)
		s.cached_from = -1;
	if (s.cached_from > 0) {
		ret = kb_record_cached(&s);
		goto out;
	}
	s.t0 = (double)time(NULL);
	if (kb_prepare(&s))
		goto out;
	if (!kb_configure(&s)) {
		kb_make(&s);
		kb_collect(&s);
	}
	ret = kb_record(&s);
out:
	/* the caller builds modules in the build directory: keep it ours */
	if (!ret && q->need_build_dir && s.co.lock_fd >= 0)
		r->lock_fd = dup(s.co.lock_fd);
	kb_state_release(&s);
	return ret;
}

static const char *const build_status_names[] = {
	[BUILD_NONE] = "none",
	[BUILD_OK] = "ok",
	[BUILD_FAILED] = "failed",
	[BUILD_CONFIG_ERROR] = "config-error",
	[BUILD_TIMEOUT] = "timeout",
	[BUILD_INFRA_ERROR] = "infra-error",
	[BUILD_INTERRUPTED] = "interrupted",
};

const char *build_status_name(enum build_status s)
{
	return (size_t)s < ARRAY_SIZE(build_status_names) ?
	       build_status_names[s] : build_status_names[BUILD_INFRA_ERROR];
}

int build_status_parse(const char *s, enum build_status *out)
{
	int i = name_index(build_status_names, ARRAY_SIZE(build_status_names), s);

	/* "none" is no build's status */
	*out = i > BUILD_NONE ? (enum build_status)i : BUILD_INFRA_ERROR;
	return i > BUILD_NONE ? 0 : -1;
}

enum build_outcome kbuild_outcome(enum build_status status)
{
	switch (status) {
	case BUILD_OK:
		return BUILD_OUT_OK;
	case BUILD_INTERRUPTED:
		return BUILD_OUT_INTERRUPTED;
	case BUILD_NONE:
	case BUILD_TIMEOUT:
	case BUILD_INFRA_ERROR:
		return BUILD_OUT_INFRA;
	case BUILD_FAILED:
	case BUILD_CONFIG_ERROR:
		break;
	}
	return BUILD_OUT_BROKEN;
}

/* A modules.order entry ("lib/list-test.ko", "lib/list-test.o" from
 * 6.2 on) as the .ko path under the build directory; NULL when it is not
 * a relative path inside it. */
static char *module_path(const char *build_dir, const char *e, size_t l)
{
	if (!l || *e == '/' || memmem(e, l, "..", 2) || memchr(e, '\'', l))
		return NULL;
	if (l > 3 && !memcmp(e + l - 3, ".ko", 3))
		l -= 3;
	else if (l > 2 && !memcmp(e + l - 2, ".o", 2))
		l -= 2;
	else
		return NULL;
	return xstrfmt("%s/%.*s.ko", build_dir, (int)l, e);
}

int kbuild_modules(const char *build_dir, char ***kos, size_t *n)
{
	struct buf order = BUF_INIT, f = BUF_INIT;
	const char *p, *end;
	size_t alloc = 0;
	int ret = -1;

	*kos = NULL;
	*n = 0;
	buf_addf(&f, "%s/modules.order", build_dir);
	if (buf_read_file(&order, f.buf, 16u << 20))
		goto out;
	for (p = order.buf; p < order.buf + order.len; p = end + 1) {
		char *ko;

		end = memchr(p, '\n', (size_t)(order.buf + order.len - p));
		if (!end)
			end = order.buf + order.len;
		ko = module_path(build_dir, p, (size_t)(end - p));
		if (!ko)
			continue;
		if (*n == alloc) {
			alloc = alloc ? 2 * alloc : 64;
			*kos = xrealloc(*kos, alloc * sizeof(**kos));
		}
		(*kos)[(*n)++] = ko;
	}
	ret = 0;
out:
	buf_release(&order);
	buf_release(&f);
	return ret;
}

void kbuild_modules_free(char **kos, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(kos[i]);
	free(kos);
}

int kbuild_find_module(const char *build_dir, const char *name, char **path)
{
	char **kos;
	size_t i, n, nl = strlen(name);
	int ret = 1;

	*path = NULL;
	if (kbuild_modules(build_dir, &kos, &n))
		return -1;
	for (i = 0; i < n; i++) {
		const char *base = strrchr(kos[i], '/') + 1;

		if (!strncmp(base, name, nl) && !strcmp(base + nl, ".ko") &&
		    !access(kos[i], R_OK)) {
			*path = kos[i];
			kos[i] = NULL;
			ret = 0;
			break;
		}
	}
	kbuild_modules_free(kos, n);
	return ret;
}

/* ---- objects under a broad config ---------------------------------------- */

/* Whether the file at path mentions pat. */
static int file_mentions(const char *path, const char *pat)
{
	struct buf b = BUF_INIT;
	int yes = !buf_read_file(&b, path, 1u << 20) && strstr(b.buf, pat);

	buf_release(&b);
	return yes;
}

/* The Makefile (or Kbuild) of dir under src mentions pat. */
static int makefile_mentions(const char *src, const char *dir, const char *pat)
{
	static const char *const names[] = { "Makefile", "Kbuild" };
	struct buf p = BUF_INIT;
	size_t i;
	int yes = 0;

	for (i = 0; i < ARRAY_SIZE(names) && !yes; i++) {
		buf_reset(&p);
		buf_addf(&p, "%s/%s/%s", src, dir, names[i]);
		yes = file_mentions(p.buf, pat);
	}
	buf_release(&p);
	return yes;
}

/* A directory under src/top (one or two levels down) whose Makefile
 * includes pat ("amdkfd/Makefile"): its path relative to top, or NULL. */
static char *find_includer(const char *src, const char *top, const char *pat,
			   int depth)
{
	struct buf d = BUF_INIT;
	struct dirent *e;
	char *found = NULL;
	DIR *dh;

	buf_addf(&d, "%s/%s", src, top);
	dh = opendir(d.buf);
	while (dh && !found && (e = readdir(dh))) {
		struct buf sub = BUF_INIT;
		struct stat st;

		if (e->d_name[0] == '.')
			continue;
		buf_addf(&sub, "%s/%s", top, e->d_name);
		buf_reset(&d);
		buf_addf(&d, "%s/%s", src, sub.buf);
		if (!stat(d.buf, &st) && S_ISDIR(st.st_mode)) {
			if (makefile_mentions(src, sub.buf, pat))
				found = xstrdup(e->d_name);
			else if (depth > 1) {
				char *deeper = find_includer(src, sub.buf, pat,
							     depth - 1);

				if (deeper) {
					struct buf f = BUF_INIT;

					buf_addf(&f, "%s/%s", e->d_name, deeper);
					found = buf_detach(&f, NULL);
					free(deeper);
				}
			}
		}
		buf_release(&sub);
	}
	if (dh)
		closedir(dh);
	buf_release(&d);
	return found;
}

char *kbuild_object_target(const char *src, const char *obj)
{
	const char *slash = strrchr(obj, '/'), *last, *file;
	char *dir, *parent, *inc = NULL, *out = NULL;
	struct buf pat = BUF_INIT, t = BUF_INIT;
	const char *s;

	if (!slash)
		return xstrdup(obj);
	dir = xstrndup(obj, (size_t)(slash - obj));
	file = slash + 1;
	s = strrchr(dir, '/');
	if (!s) {
		free(dir);
		return xstrdup(obj);
	}
	parent = xstrndup(dir, (size_t)(s - dir));
	last = s + 1;
	/* descended into from its parent (obj-y += last/): the usual case */
	buf_addf(&pat, "%s/", last);
	if (makefile_mentions(src, parent, pat.buf))
		goto plain;
	buf_reset(&pat);
	buf_addf(&pat, "%s/Makefile", last);
	inc = find_includer(src, parent, pat.buf, 2);
	if (!inc || !strcmp(inc, last))
		goto plain;
	/* parent/inc/../last/file: as many ".." as inc has parts */
	buf_addf(&t, "%s/%s/", parent, inc);
	for (s = inc; s; s = strchr(s + 1, '/'))
		buf_addstr(&t, "../");
	buf_addf(&t, "%s/%s", last, file);
	out = buf_detach(&t, NULL);
plain:
	if (!out)
		out = xstrdup(obj);
	free(inc);
	free(dir);
	free(parent);
	buf_release(&pat);
	buf_release(&t);
	return out;
}

void kbuild_objects_result_release(struct kbuild_objects_result *r)
{
	size_t i;

	for (i = 0; i < r->ndiags; i++) {
		free(r->diags[i].file);
		free(r->diags[i].msg);
	}
	free(r->diags);
	for (i = 0; i < r->nnot_built; i++)
		free(r->not_built[i]);
	free(r->not_built);
	free(r->error);
	memset(r, 0, sizeof(*r));
}

/* "a/b/../c/x.c" -> "a/c/x.c" in place (amdgpu's "../amdkfd" objects). */
static void normalize_dotdot(char *p)
{
	char *d;

	while ((d = strstr(p, "/../"))) {
		char *start = d;

		while (start > p && start[-1] != '/')
			start--;
		if (start == d || !strncmp(start, "../", 3))
			break;
		memmove(start, d + 4, strlen(d + 4) + 1);
	}
}

/* "path:line[:col]: error|warning: msg" lines of make's output, the
 * source directory's prefix taken off the path. */
static void parse_diags(const struct buf *log, const char *src,
			const char *bdir, int sparse,
			struct kbuild_objects_result *r)
{
	const char *p = log->buf;
	size_t sl = strlen(src);

	while (p && *p) {
		size_t l = strcspn(p, "\n"), i;
		char *line = xstrndup(p, l), *c1, *kind, *file, *abs;
		int err = -1, dup = 0;
		long ln;

		p += l + (p[l] == '\n');
		if ((kind = strstr(line, ": error: ")))
			err = 1;
		else if ((kind = strstr(line, ": fatal error: ")))
			err = 2;
		else if ((kind = strstr(line, ": warning: ")))
			err = 0;
		c1 = strchr(line, ':');
		if (err < 0 || !c1 || c1 > kind || !isdigit((unsigned char)c1[1])) {
			free(line);
			continue;
		}
		*c1 = '\0';
		ln = atol(c1 + 1);
		/* relative to the build directory, where the compiler runs
		 * (ccache's base directory makes the source's path so) */
		abs = starts_with(line, "../") ? xstrfmt("%s/%s", bdir, line) :
		      xstrdup(line);
		normalize_dotdot(abs);
		file = abs;
		if (!strncmp(file, src, sl) && file[sl] == '/')
			file += sl + 1;
		while (starts_with(file, "./"))
			file += 2;
		kind += err == 2 ? 15 : err ? 9 : 11;
		for (i = 0; i < r->ndiags && !dup; i++)
			dup = r->diags[i].line == ln && !strcmp(r->diags[i].file, file) &&
			      !strcmp(r->diags[i].msg, kind) &&
			      r->diags[i].sparse == sparse;
		if (!dup) {
			r->diags = xrealloc(r->diags, (r->ndiags + 1) * sizeof(*r->diags));
			r->diags[r->ndiags].file = xstrdup(file);
			r->diags[r->ndiags].line = ln;
			r->diags[r->ndiags].error = !sparse && err != 0;
			r->diags[r->ndiags].sparse = sparse;
			r->diags[r->ndiags].msg = xstrdup(kind);
			r->ndiags++;
		}
		free(abs);
		free(line);
	}
}

int kbuild_objects(struct pwb_ctx *ctx, const struct kbuild_request *q,
		   char *const *objects, size_t n, char *const *vars,
		   int sparse, struct kbuild_objects_result *out)
{
	struct kbuild_result r;
	struct kbuild_state s;
	const char **targets = xcalloc(n + 1, sizeof(char *));
	char **tfree = xcalloc(n + 1, sizeof(char *));
	char *mv[40];
	struct run_result rr;
	struct buf path = BUF_INIT;
	size_t i, k;
	int ret = -1;
	char d[128];

	memset(out, 0, sizeof(*out));
	memset(&rr, 0, sizeof(rr));
	kb_state_init(&s, ctx, q, &r);
	if (kb_resolve(&s) || kb_fragment(&s) || kb_cache_key(&s) ||
	    kb_settings(&s))
		goto out;
	s.t0 = (double)time(NULL);
	if (kb_prepare(&s))
		goto out;
	ret = 0;
	if (kb_configure(&s)) {
		out->status = r.status;
		out->error = r.error ? xstrdup(r.error) : NULL;
		goto out;
	}
	/* room for C=2 after them */
	k = join_vars(mv, ARRAY_SIZE(mv) - 1, s.makevars, "-k", vars);
	for (i = 0; i < n; i++) {
		tfree[i] = kbuild_object_target(s.co.dir, objects[i]);
		targets[i] = tfree[i];
		buf_reset(&path);
		buf_addf(&path, "%s/%s", r.build_dir, tfree[i]);
		unlink(path.buf);
	}
	if (n > 0 && run_make(s.co.dir, r.build_dir, targets, (int)s.jobs, mv,
			      s.ccache, (double)s.timeout, &s.pg, &s.log, &rr) &&
	    rr.end != RUN_EXITED) {
		out->status = make_status(&rr);
		out->error = xstrdup(run_describe(&rr, d, sizeof(d)));
		goto out;
	}
	parse_diags(&s.log, s.co.dir, r.build_dir, 0, out);
	out->status = BUILD_OK;
	for (i = 0; i < out->ndiags; i++)
		if (out->diags[i].error)
			out->status = BUILD_FAILED;
	/* sparse on what compiled: C=2 with the objects up to date runs
	 * only sparse, so what it says is its own */
	if (sparse && n > 0 && out->status == BUILD_OK) {
		struct buf slog = BUF_INIT;

		mv[k] = (char *)"C=2";
		mv[k + 1] = NULL;
		run_result_release(&rr);
		run_make(s.co.dir, r.build_dir, targets, (int)s.jobs, mv, s.ccache,
			 (double)s.timeout, &s.pg, &slog, &rr);
		if (rr.end == RUN_EXITED)
			parse_diags(&slog, s.co.dir, r.build_dir, 1, out);
		buf_release(&slog);
	}
	for (i = 0; i < n; i++) {
		buf_reset(&path);
		buf_addf(&path, "%s/%s", r.build_dir, tfree[i]);
		if (access(path.buf, F_OK)) {
			out->not_built = xrealloc(out->not_built,
				(out->nnot_built + 1) * sizeof(char *));
			out->not_built[out->nnot_built++] = xstrdup(objects[i]);
		}
	}
out:
	out->seconds = s.t0 > 0 ? (double)time(NULL) - s.t0 : 0;
	run_result_release(&rr);
	for (i = 0; i < n; i++)
		free(tfree[i]);
	free(tfree);
	free(targets);
	buf_release(&path);
	kb_state_release(&s);
	kbuild_result_release(&r);
	return ret;
}
