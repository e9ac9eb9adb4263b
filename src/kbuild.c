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
	free(r->status);
	free(r->error);
	free(r->config_name);
	free(r->config_hash);
	free(r->toolchain);
	free(r->bzimage);
	free(r->build_dir);
	free(r->src_dir);
	memset(r, 0, sizeof(*r));
}

int kbuild_load(sqlite3 *db, long id, struct kbuild_result *r)
{
	sqlite3_stmt *st;
	int ret = 1;

	memset(r, 0, sizeof(*r));
	r->lock_fd = -1;
	if (db_prepare(db, &st, "SELECT id, status, error, coalesce(commit_id, ''), "
		       "tree_id, config_name, config_hash, toolchain, artifacts, "
		       "seconds, coalesce(vmlinux_size, -1), "
		       "coalesce(bzimage_size, -1), warnings, new_warnings, "
		       "cached_from IS NOT NULL FROM builds WHERE id = ?"))
		return -1;
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) == SQLITE_ROW) {
		r->id = (long)sqlite3_column_int64(st, 0);
		r->status = db_column_dup(st, 1);
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
		ret = 0;
	}
	sqlite3_finalize(st);
	return ret;
}

int kbuild_find(sqlite3 *db, const char *commit, const char *config, long *id)
{
	sqlite3_stmt *st;
	int ret = 1;

	if (db_prepare(db, &st, "SELECT id FROM builds WHERE commit_id = ? AND "
		       "config_name = ? AND status IN ('ok', 'failed', "
		       "'config-error') ORDER BY id DESC LIMIT 1"))
		return -1;
	db_bind_text(st, 1, commit);
	db_bind_text(st, 2, config);
	if (sqlite3_step(st) == SQLITE_ROW) {
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

static char *toolchain(void)
{
	const char *argv[] = { "gcc", "--version", NULL };
	struct run_opts o = { argv, NULL, NULL, 30, 0, 4096, NULL, NULL, 1 };
	struct run_result r;
	char *v = NULL;

	if (!run_command(&o, &r) && r.end == RUN_EXITED && r.code == 0)
		v = xstrndup(r.output.buf, strcspn(r.output.buf, "\n"));
	run_result_release(&r);
	return v;
}

static int have_ccache(void)
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

		buf_addf(&b, "%s/ccache", dir);
		found = access(b.buf, X_OK) == 0;
		buf_release(&b);
	}
	free(p);
	return found;
}

struct progress {
	int on;
	struct buf line;
};

static void on_make_output(const char *data, size_t len, void *ud)
{
	struct progress *p = ud;
	size_t i;

	if (!p->on)
		return;
	for (i = 0; i < len; i++) {
		if (data[i] == '\n') {
			if (p->line.len && p->line.buf[0] == ' ')
				fprintf(stderr, "\r\033[K  %.70s", vis(p->line.buf + 2));
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

static int run_make(const char *src, const char *bdir, const char *const *targets,
		    int jobs, int ccache, double timeout, struct progress *pg,
		    struct buf *log, struct run_result *rr)
{
	const char *argv[24], *rw[4], *ro_paths[2];
	struct buf j = BUF_INIT, c = BUF_INIT, o = BUF_INIT;
	struct run_opts ro;
	int n = 0, i;

	buf_addf(&j, "-j%d", jobs);
	buf_addf(&c, "-C%s", src);
	buf_addf(&o, "O=%s", bdir);
	argv[n++] = "make";
	argv[n++] = c.buf;
	argv[n++] = o.buf;
	argv[n++] = j.buf;
	if (ccache)
		argv[n++] = "CC=ccache gcc";
	for (i = 0; targets[i] && n < 22; i++)
		argv[n++] = targets[i];
	argv[n] = NULL;
	memset(&ro, 0, sizeof(ro));
	ro.argv = argv;
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
	if (pg->on)
		fprintf(stderr, "\r\033[K");
	buf_release(&j);
	buf_release(&c);
	buf_release(&o);
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
		       "started_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"))
		goto out;
	db_bind_text(st, 1, repo);
	db_bind_text(st, 2, q->rev);
	db_bind_text(st, 3, r->commit[0] ? r->commit : NULL);
	db_bind_text(st, 4, r->tree);
	db_bind_text(st, 5, r->config_name);
	db_bind_text(st, 6, r->config_hash);
	db_bind_text(st, 7, r->toolchain);
	db_bind_text(st, 8, key);
	db_bind_text(st, 9, r->status);
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

int kbuild(struct pwb_ctx *ctx, const struct kbuild_request *q,
	   struct kbuild_result *r)
{
	char *path = NULL, *name = NULL, *key = NULL, *workdir = NULL;
	char *datadir = NULL, *fragpath = NULL, *base = NULL, *cache_key = NULL;
	git_repository *repo = NULL;
	git_commit *commit = NULL;
	git_tree *tree = NULL;
	struct checkout co = { NULL, NULL, NULL, -1 };
	struct checkout_stats cst;
	struct buf frag = BUF_INIT, tmp = BUF_INIT, log = BUF_INIT, dotcfg = BUF_INIT;
	/* the configure step's stamp: released at out (configfail jumps) */
	struct buf stamp = BUF_INIT, have = BUF_INIT, want = BUF_INIT;
	struct progress pg = { q->progress, BUF_INIT };
	struct run_result rr;
	struct warn *w = NULL;
	size_t nw = 0, i;
	long jobs, timeout;
	uint64_t cachecap;
	double t0;
	int ret = -1, ccache;
	long cached_from = -1;
	const struct arch *arch = arch_default();
	const char *cfg = q->config ? q->config : arch->default_config;

	memset(r, 0, sizeof(*r));
	r->vmlinux_size = r->bzimage_size = -1;
	r->lock_fd = -1;
	memset(&rr, 0, sizeof(rr));
	if (tree_resolve(ctx->db, q->tree_arg, &path, &name) ||
	    tree_open(path, &repo))
		goto out;
	if (tree_peel_commit(repo, q->rev, &commit) ||
	    git_commit_tree(&tree, commit)) {
		error("%s: not a commit in %s", q->rev, path);
		goto out;
	}
	git_oid_tostr(r->commit, sizeof(r->commit), git_commit_id(commit));
	git_oid_tostr(r->tree, sizeof(r->tree), git_tree_id(tree));

	/* the config fragment */
	datadir = pwb_datadir(ctx);
	if (strchr(cfg, '/')) {
		fragpath = xstrdup(cfg);
	} else {
		buf_addf(&tmp, "%s/bench/configs/%s.config", datadir, cfg);
		fragpath = buf_detach(&tmp, NULL);
	}
	if (buf_read_file(&frag, fragpath, 1u << 20)) {
		error("config %s: cannot read %s: %s", cfg, fragpath, strerror(errno));
		goto out;
	}
	{
		const char *slash = strrchr(cfg, '/');
		size_t n = strlen(slash ? slash + 1 : cfg);
		const char *b = slash ? slash + 1 : cfg;

		if (n > 7 && !strcmp(b + n - 7, ".config"))
			n -= 7;
		r->config_name = xstrndup(b, n);
	}
	base = base_target(frag.buf);
	r->toolchain = toolchain();
	if (!r->toolchain) {
		error("no C compiler: gcc --version failed");
		goto out;
	}
	r->config_hash = sha1_hex(frag.buf, frag.len);
	buf_addf(&tmp, "%s\n%s\n%s\n%s", r->tree, base, r->config_hash, r->toolchain);
	cache_key = sha1_hex(tmp.buf, tmp.len);
	buf_reset(&tmp);

	key = checkout_key(name, path);
	workdir = checkout_workdir(ctx);
	buf_addf(&tmp, "%s/build/%s/%s", workdir, key, r->config_name);
	r->build_dir = buf_detach(&tmp, NULL);
	if (ctx_config_long(ctx, "build.jobs", sysconf(_SC_NPROCESSORS_ONLN), &jobs) ||
	    ctx_config_long(ctx, "build.timeout", 7200, &timeout) ||
	    ctx_config_size(ctx, "build.cachesize", 2ull << 30, &cachecap))
		goto out;

	/* built before with the same tree, config and toolchain? */
	{
		sqlite3_stmt *st;

		if (!db_prepare(ctx->db, &st, "SELECT id, artifacts, vmlinux_size, "
				"bzimage_size, warnings, new_warnings FROM builds "
				"WHERE cache_key = ? AND status = 'ok' AND "
				"artifacts IS NOT NULL ORDER BY id DESC LIMIT 1")) {
			db_bind_text(st, 1, cache_key);
			if (sqlite3_step(st) == SQLITE_ROW) {
				const char *a = (const char *)sqlite3_column_text(st, 1);

				if (a && access(a, R_OK) == 0) {
					cached_from = (long)sqlite3_column_int64(st, 0);
					r->bzimage = xstrdup(a);
					r->vmlinux_size = (long)sqlite3_column_int64(st, 2);
					r->bzimage_size = (long)sqlite3_column_int64(st, 3);
					r->warnings = sqlite3_column_int(st, 4);
					r->new_warnings = sqlite3_column_int(st, 5);
				}
			}
			sqlite3_finalize(st);
		}
	}
	/* out-of-tree modules need the checkout and the build directory at
	 * this tree: go through make (a no-op when nothing changed) */
	if (q->need_build_dir)
		cached_from = -1;
	if (cached_from > 0) {
		r->cached = 1;
		r->status = xstrdup("ok");
		utimensat(AT_FDCWD, r->bzimage, NULL, 0); /* recently used */
		ret = record(ctx->db, q, path, r, cache_key, &log, NULL, 0,
			     cached_from);
		goto out;
	}

	t0 = (double)time(NULL);
	if (checkout_open(&co, workdir, key, q->slot) ||
	    checkout_move(&co, repo, tree, &cst))
		goto out;
	r->src_dir = xstrdup(co.dir);
	if (mkdir_p(r->build_dir, 0777)) {
		error("cannot create %s: %s", r->build_dir, strerror(errno));
		goto out;
	}
	ccache = have_ccache();

	/* configure: base + fragment + olddefconfig; a fragment or base that
	 * changed since the last configure of this directory starts over */
	{
		const char *t1[] = { NULL, NULL };
		const char *t2[] = { "olddefconfig", NULL };
		int fresh;

		buf_addf(&stamp, "%s/.pwb-config", r->build_dir);
		buf_addf(&want, "%s %s\n", base, r->config_hash);
		buf_read_file(&have, stamp.buf, 4096);
		fresh = strncmp(have.buf, want.buf, want.len) != 0;
		buf_reset(&tmp);
		buf_addf(&tmp, "%s/.config", r->build_dir);
		/* the same tree configured already: nothing to redo (a no-op
		 * rebuild costs what plain make costs) */
		if (!fresh && !strcmp(have.buf + want.len, r->tree) &&
		    access(tmp.buf, R_OK) == 0) {
			buf_release(&stamp);
			buf_release(&have);
			buf_release(&want);
			goto built_config;
		}
		if (fresh || access(tmp.buf, R_OK)) {
			const char *argv[] = { "sh", NULL, "-m", "-O", r->build_dir,
					       tmp.buf, fragpath, NULL };
			struct buf script = BUF_INIT;
			struct run_opts ro;

			unlink(stamp.buf);
			t1[0] = base;
			if (run_make(co.dir, r->build_dir, t1, 1, 0, 600, &pg, &log, &rr))
				goto configfail;
			run_result_release(&rr);
			buf_addf(&script, "%s/scripts/kconfig/merge_config.sh", co.dir);
			argv[1] = script.buf;
			const char *rw[2] = { r->build_dir, NULL };
			/* the fragment may live anywhere (datadir under /tmp) */
			const char *rop[3] = { co.dir, fragpath, NULL };

			memset(&ro, 0, sizeof(ro));
			ro.argv = argv;
			ro.cwd = r->build_dir;
			ro.timeout = 600;
			ro.capture_cap = 4u << 20;
			ro.sandbox = 1;
			ro.sandbox_rw = rw;
			ro.sandbox_ro = rop;
			run_command(&ro, &rr);
			buf_addbuf(&log, &rr.output);
			buf_release(&script);
			if (rr.end != RUN_EXITED || rr.code) {
				run_result_release(&rr);
				goto configfail;
			}
			run_result_release(&rr);
		}
		if (run_make(co.dir, r->build_dir, t2, 1, 0, 600, &pg, &log, &rr))
			goto configfail;
		run_result_release(&rr);
		buf_reset(&dotcfg);
		buf_addch(&dotcfg, '\n');
		if (buf_read_file(&dotcfg, tmp.buf, 16u << 20))
			goto configfail;
		{
			char *miss = check_config(frag.buf, dotcfg.buf);

			if (miss) {
				r->status = xstrdup("config-error");
				buf_reset(&tmp);
				buf_addf(&tmp, "options of %s that did not take (unmet "
					 "dependency or unknown): %s", r->config_name, miss);
				r->error = buf_detach(&tmp, NULL);
				free(miss);
				buf_release(&stamp);
				buf_release(&have);
				buf_release(&want);
				goto finish;
			}
		}
		{
			FILE *f = fopen(stamp.buf, "w");

			if (f) {
				fputs(want.buf, f);
				fputs(r->tree, f);
				fclose(f);
			}
		}
		buf_release(&stamp);
		buf_release(&have);
		buf_release(&want);
		goto built_config;
configfail:
		{
			char d[128];

			r->status = xstrdup(rr.end == RUN_INTERRUPTED ? "interrupted" :
					    "config-error");
			buf_reset(&tmp);
			buf_addf(&tmp, "configuring %s (%s): %s", r->config_name, base,
				 run_describe(&rr, d, sizeof(d)));
			r->error = buf_detach(&tmp, NULL);
			run_result_release(&rr);
			goto finish;
		}
	}
built_config:
	{
		const char *targets[] = { arch->image_target, "modules", NULL };
		char d[128];

		if (run_make(co.dir, r->build_dir, targets, (int)jobs, ccache,
			     (double)timeout, &pg, &log, &rr)) {
			/* make itself killed by a signal: from outside, not the
			 * series (a crashing compiler makes make exit 2) */
			r->status = xstrdup(rr.end == RUN_TIMEOUT || rr.end == RUN_IDLE ?
					    "timeout" : rr.end == RUN_INTERRUPTED ?
					    "interrupted" : rr.end == RUN_NOSTART ||
					    rr.end == RUN_SIGNALED ? "infra-error" : "failed");
			if (rr.end == RUN_EXITED)
				r->error = first_errors(&rr.output);
			else
				r->error = xstrdup(run_describe(&rr, d, sizeof(d)));
		} else {
			r->status = xstrdup("ok");
		}
		run_result_release(&rr);
	}
	parse_warnings(&log, &w, &nw);
	r->warnings = (int)nw;
	mark_new(ctx->db, path, r->config_name, r->tree, w, nw, &r->new_warnings);
	buf_reset(&tmp);
	buf_addf(&tmp, "%s/vmlinux", r->build_dir);
	r->vmlinux_size = file_size(tmp.buf);
	if (!strcmp(r->status, "ok")) {
		struct buf from = BUF_INIT, to = BUF_INIT;

		buf_addf(&from, "%s/%s", r->build_dir, arch->image_path);
		r->bzimage_size = file_size(from.buf);
		buf_addf(&to, "%s/artifacts/%s", workdir, cache_key);
		if (!mkdir_p(to.buf, 0777)) {
			buf_addstr(&to, "/bzImage");
			if (!copy_file(from.buf, to.buf)) {
				r->bzimage = xstrdup(to.buf);
				buf_setlen(&to, to.len - 7);
				buf_addstr(&to, "config");
				buf_reset(&from);
				buf_addf(&from, "%s/.config", r->build_dir);
				copy_file(from.buf, to.buf);
			}
		}
		buf_release(&from);
		buf_release(&to);
		buf_reset(&tmp);
		buf_addf(&tmp, "%s/artifacts", workdir);
		evict(tmp.buf, cachecap);
	}
finish:
	r->seconds = (double)time(NULL) - t0;
	ret = record(ctx->db, q, path, r, cache_key, &log, w, nw, -1);
out:
	for (i = 0; i < nw; i++) {
		free(w[i].file);
		free(w[i].msg);
	}
	free(w);
	/* the caller builds modules in the build directory: keep it ours */
	if (!ret && q->need_build_dir && co.lock_fd >= 0)
		r->lock_fd = dup(co.lock_fd);
	checkout_close(&co);
	git_tree_free(tree);
	git_commit_free(commit);
	git_repository_free(repo);
	buf_release(&frag);
	buf_release(&tmp);
	buf_release(&log);
	buf_release(&dotcfg);
	buf_release(&stamp);
	buf_release(&have);
	buf_release(&want);
	buf_release(&pg.line);
	free(path);
	free(name);
	free(key);
	free(workdir);
	free(datadir);
	free(fragpath);
	free(base);
	free(cache_key);
	return ret;
}

enum build_outcome kbuild_outcome(const char *status)
{
	if (!strcmp(status, "ok"))
		return BUILD_OUT_OK;
	if (!strcmp(status, "interrupted"))
		return BUILD_OUT_INTERRUPTED;
	if (!strcmp(status, "infra-error") || !strcmp(status, "timeout"))
		return BUILD_OUT_INFRA;
	return BUILD_OUT_BROKEN;
}
