/* Which changed lines the suites ran (see coverage.h). */
#include "coverage.h"
#include "suiterun.h"
#include "tree.h"
#include "util/buf.h"
#include "util/run.h"
#include "util/util.h"

#include <git2.h>
#include <glib.h>
#include <jansson.h>

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char coverage_dump_command[] =
	"d=/sys/kernel/debug/gcov\n"
	"for f in $(find $d -name '*.gcda' 2>/dev/null); do\n"
	"\techo \"pwb-gcda ${f#$d}\"; base64 \"$f\"; echo pwb-gcda-end\n"
	"done\n";

/* the largest .gcda taken from a console */
#define GCDA_MAX (8u << 20)

/* path is tail, or ends with "/" + tail. */
static int path_is(const char *path, const char *tail)
{
	size_t pl = strlen(path), tl = strlen(tail);

	return pl >= tl && !strcmp(path + pl - tl, tail) &&
	       (pl == tl || path[pl - tl - 1] == '/');
}

void coverage_gcda_from_console(const char *console, char *const *want,
				size_t n, unsigned char **data, size_t *len)
{
	const char *p = console;
	struct buf b64 = BUF_INIT;
	char *last = NULL;
	long cur = -1, rep;
	int bad = 0;

	for (size_t i = 0; i < n; i++) {
		data[i] = NULL;
		len[i] = 0;
	}
	while (p && *p) {
		size_t l = strcspn(p, "\n");
		char *line = xstrndup(p, l);
		const char *name;

		p += l + (p[l] == '\n');
		while (*line && line[strlen(line) - 1] == '\r')
			line[strlen(line) - 1] = '\0';
		if (skip_prefix(line, "pwb-gcda ", &name)) {
			cur = -1;
			/* the guest's path is absolute: only a suffix */
			for (size_t i = 0; i < n && cur < 0; i++)
				if (*name == '/' && path_is(name, want[i]) && !data[i])
					cur = (long)i;
			buf_reset(&b64);
			free(last);
			last = NULL;
			bad = 0;
		} else if (!strcmp(line, "pwb-gcda-end")) {
			if (cur >= 0 && !bad && b64.len) {
				gsize out = 0;
				guchar *d = g_base64_decode(b64.buf, &out);

				if (d && out > 0) {
					data[cur] = d;
					len[cur] = out;
				} else {
					g_free(d);
				}
			}
			cur = -1;
		} else if (cur >= 0 && sscanf(line, "[pwb: the line above repeated "
					      "%ld more times]", &rep) == 1) {
			/* run_command's squeeze of identical lines (runs of
			 * zeros in base64), undone */
			for (; rep > 0 && rep < 1000000 && !bad && last; rep--)
				buf_addstr(&b64, last);
		} else if (cur >= 0) {
			/* a kernel message in the middle spoils the block */
			if (strspn(line, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklm"
				   "nopqrstuvwxyz0123456789+/=") != strlen(line) ||
			    b64.len + strlen(line) > GCDA_MAX * 2)
				bad = 1;
			else
				buf_addstr(&b64, line);
			free(last);
			last = xstrdup(line);
		}
		free(line);
	}
	free(last);
	buf_release(&b64);
}

/* ---- what one file's lines are, and which ran ---- */

struct covline {
	int exec;		/* gcov calls it executable */
	int jump;		/* break; continue; return; goto x; alone */
	long count;		/* summed over the boots */
	char *func;		/* its function, or NULL */
};

struct covfile {
	char *path;		/* "mm/mmu_notifier.c" */
	char *stem;		/* "mm/mmu_notifier" */
	int built;		/* the build has its .gcno */
	struct covline *lines;	/* by line number (1-based; [0] unused) */
	size_t nlines;
	int *owner;		/* by line: the patch idx that changed it, 0 */
};

static void covfile_release(struct covfile *f)
{
	for (size_t i = 0; i < f->nlines; i++)
		free(f->lines[i].func);
	free(f->lines);
	free(f->owner);
	free(f->path);
	free(f->stem);
}

static struct covline *line_at(struct covfile *f, size_t ln)
{
	if (ln >= f->nlines) {
		f->lines = xrealloc(f->lines, (ln + 1) * sizeof(*f->lines));
		memset(f->lines + f->nlines, 0,
		       (ln + 1 - f->nlines) * sizeof(*f->lines));
		f->owner = xrealloc(f->owner, (ln + 1) * sizeof(*f->owner));
		memset(f->owner + f->nlines, 0,
		       (ln + 1 - f->nlines) * sizeof(*f->owner));
		f->nlines = ln + 1;
	}
	return &f->lines[ln];
}

/* gcov --json-format on dir/base.gcda (or only the .gcno: nothing ran)
 * into f: executable lines, their functions, counts added. */
static int run_gcov(struct covfile *f, const char *dir, const char *base)
{
	struct buf path = BUF_INIT;
	const char *argv[] = { "gcov", "--json-format", "--stdout", NULL, NULL };
	struct run_opts ro;
	struct run_result rr;
	json_error_t je;
	json_t *root = NULL, *files;
	size_t i, j;
	int ret = -1;

	buf_addf(&path, "%s/%s.gcno", dir, base);
	argv[3] = path.buf;
	memset(&ro, 0, sizeof(ro));
	ro.argv = argv;
	ro.cwd = dir;
	ro.timeout = 120;
	ro.capture_cap = 64u << 20;
	run_command(&ro, &rr);
	if (rr.end != RUN_EXITED || rr.code)
		goto out;
	/* the JSON is the first line that starts with '{' */
	{
		const char *js = rr.output.buf ? strstr(rr.output.buf, "{\"") : NULL;

		root = js ? json_loads(js, JSON_DISABLE_EOF_CHECK, &je) : NULL;
	}
	files = json_object_get(root, "files");
	for (i = 0; i < json_array_size(files); i++) {
		json_t *jf = json_array_get(files, i), *lines;
		const char *name = json_string_value(json_object_get(jf, "file"));

		if (!name || !path_is(name, f->path))
			continue;
		lines = json_object_get(jf, "lines");
		for (j = 0; j < json_array_size(lines); j++) {
			json_t *jl = json_array_get(lines, j);
			json_int_t ln = json_integer_value(json_object_get(jl, "line_number"));
			json_int_t c = json_integer_value(json_object_get(jl, "count"));
			const char *fn = json_string_value(json_object_get(jl, "function_name"));
			struct covline *cl;

			if (ln <= 0 || ln > 1000000)
				continue;
			cl = line_at(f, (size_t)ln);
			cl->exec = 1;
			cl->count += c > 0 ? (long)c : 0;
			if (fn && !cl->func)
				cl->func = xstrdup(fn);
		}
		ret = 0;
	}
out:
	json_decref(root);
	run_result_release(&rr);
	buf_release(&path);
	return ret;
}

/* A statement that is only a jump: no code of its own for gcov (its jump
 * ends the block of the line before it). */
static int is_jump(const char *p, size_t n)
{
	static const char *const kw[] = { "break", "continue", "return", "goto" };
	size_t i, k;

	while (n && (*p == ' ' || *p == '\t'))
		p++, n--;
	while (n && (p[n - 1] == ' ' || p[n - 1] == '\t' || p[n - 1] == '\r'))
		n--;
	if (!n || p[n - 1] != ';')
		return 0;
	for (i = 0; i < sizeof(kw) / sizeof(kw[0]); i++) {
		size_t l = strlen(kw[i]);

		if (n < l + 1 || strncmp(p, kw[i], l))
			continue;
		if (p[l] == ';')
			return n == l + 1;
		/* "goto out;": one identifier */
		if (i == 3 && p[l] == ' ') {
			for (k = l + 1; k < n - 1; k++)
				if (!(isalnum((unsigned char)p[k]) || p[k] == '_'))
					return 0;
			return k > l + 1;
		}
	}
	return 0;
}

/* The changed lines of f at the tip that are jumps (is_jump). */
static int mark_jumps(git_repository *repo, const git_oid *tip,
		      struct covfile *f)
{
	git_commit *c = NULL;
	git_tree *t = NULL;
	git_tree_entry *te = NULL;
	git_blob *b = NULL;
	const char *p, *end;
	size_t ln = 1;
	int ret = -1;

	if (git_commit_lookup(&c, repo, tip) || git_commit_tree(&t, c) ||
	    git_tree_entry_bypath(&te, t, f->path) ||
	    git_blob_lookup(&b, repo, git_tree_entry_id(te)))
		goto out;
	p = git_blob_rawcontent(b);
	end = p + git_blob_rawsize(b);
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);

		if (ln < f->nlines && f->owner[ln] && is_jump(p, n))
			f->lines[ln].jump = 1;
		p += n + 1;
		ln++;
	}
	ret = 0;
out:
	git_blob_free(b);
	git_tree_entry_free(te);
	git_tree_free(t);
	git_commit_free(c);
	return ret;
}

/* The tip's lines of f that each patch changed (blame from the base). */
static int blame_file(git_repository *repo, const git_oid *base,
		      const git_oid *tip, const struct coverage_opts *o,
		      const git_oid *pids, struct covfile *f)
{
	git_blame_options bo = GIT_BLAME_OPTIONS_INIT;
	git_blame *bl = NULL;
	size_t i, k, n;

	bo.newest_commit = *tip;
	bo.oldest_commit = *base;
	if (git_blame_file(&bl, repo, f->path, &bo))
		return -1;
	n = git_blame_get_hunk_count(bl);
	for (i = 0; i < n; i++) {
		const git_blame_hunk *h = git_blame_get_hunk_byindex(bl, (uint32_t)i);
		int idx = 0;

		if (!h || h->boundary)
			continue;
		for (k = 0; k < o->npatches && !idx; k++)
			if (git_oid_equal(&h->final_commit_id, &pids[k]))
				idx = o->patches[k].idx;
		if (!idx)
			continue;
		for (k = 0; k < h->lines_in_hunk; k++) {
			size_t ln = h->final_start_line_number + k;

			line_at(f, ln);
			f->owner[ln] = idx;
		}
	}
	git_blame_free(bl);
	return mark_jumps(repo, tip, f);
}

/* The .c files the series changes (at the tip), sorted by git. */
static int changed_c_files(git_repository *repo, const git_oid *base,
			   const git_oid *tip, struct covfile **files, size_t *n)
{
	git_commit *cb = NULL, *ct = NULL;
	git_tree *tb = NULL, *tt = NULL;
	git_diff *diff = NULL;
	size_t i;
	int ret = -1;

	if (git_commit_lookup(&cb, repo, base) || git_commit_lookup(&ct, repo, tip) ||
	    git_commit_tree(&tb, cb) || git_commit_tree(&tt, ct) ||
	    git_diff_tree_to_tree(&diff, repo, tb, tt, NULL))
		goto out;
	for (i = 0; i < git_diff_num_deltas(diff); i++) {
		const git_diff_delta *d = git_diff_get_delta(diff, i);
		const char *p = d->new_file.path;
		size_t l = p ? strlen(p) : 0;
		struct covfile *f;

		if (d->status == GIT_DELTA_DELETED || l < 3 || strcmp(p + l - 2, ".c"))
			continue;
		*files = xrealloc(*files, (*n + 1) * sizeof(**files));
		f = &(*files)[(*n)++];
		memset(f, 0, sizeof(*f));
		f->path = xstrdup(p);
		f->stem = xstrndup(p, l - 2);
	}
	ret = 0;
out:
	git_diff_free(diff);
	git_tree_free(tb);
	git_tree_free(tt);
	git_commit_free(cb);
	git_commit_free(ct);
	return ret;
}

static void skip_all(const struct coverage_opts *o, struct patch_check *out,
		     const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void skip_all(const struct coverage_opts *o, struct patch_check *out,
		     const char *fmt, ...)
{
	struct buf b = BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	buf_vaddf(&b, fmt, ap);
	va_end(ap);
	for (size_t i = 0; i < o->npatches; i++) {
		memset(&out[i], 0, sizeof(out[i]));
		out[i].idx = o->patches[i].idx;
		out[i].kind = PCHECK_COVERAGE;
		out[i].status = PCHECK_SKIP;
		out[i].summary = xstrdup(b.buf);
		out[i].count = out[i].of = -1;
	}
	buf_release(&b);
}

/* The build with gcov on the changed files: 0 (br set) or -1 (out set). */
static int coverage_build(struct pwb_ctx *ctx, const struct coverage_opts *o,
			  struct covfile *files, size_t nf,
			  struct kbuild_result *br, struct patch_check *out)
{
	struct kbuild_request q;
	struct buf dotcfg = BUF_INIT, cfgpath = BUF_INIT;
	char **vars = xcalloc(nf + 1, sizeof(char *));
	size_t i, nv = 0;
	int ret = -1;

	for (i = 0; i < nf; i++) {
		const char *b = strrchr(files[i].stem, '/');
		char *v = xstrfmt("GCOV_PROFILE_%s.o=y", b ? b + 1 : files[i].stem);
		size_t k;

		for (k = 0; k < nv && strcmp(vars[k], v); k++)
			;
		if (k < nv)
			free(v);
		else
			vars[nv++] = v;
	}
	memset(&q, 0, sizeof(q));
	q.tree_arg = o->tree_arg;
	q.rev = o->patches[o->npatches - 1].commit;
	q.config = o->config;
	q.arch = o->arch;
	q.toolchain = o->toolchain;
	q.vars = vars;
	q.variant = "gcov";
	q.need_build_dir = 1;
	q.progress = o->progress;
	q.progress_ud = o->progress_ud;
	memset(br, 0, sizeof(*br));
	if (kbuild(ctx, &q, br) || br->status != BUILD_OK) {
		skip_all(o, out, "not measured: the build with gcov %s%s%s",
			 build_status_name(br->status), br->error ? ": " : "",
			 br->error ? br->error : "");
		goto out;
	}
	buf_addf(&cfgpath, "%s/.config", br->build_dir);
	if (buf_read_file(&dotcfg, cfgpath.buf, 16u << 20) ||
	    !strstr(dotcfg.buf, "\nCONFIG_GCOV_KERNEL=y\n")) {
		skip_all(o, out, "not measured: config %s has no "
			 "CONFIG_GCOV_KERNEL=y (add it to measure coverage)",
			 br->config_name);
		goto out;
	}
	ret = 0;
out:
	for (i = 0; i < nv; i++)
		free(vars[i]);
	free(vars);
	buf_release(&dotcfg);
	buf_release(&cfgpath);
	return ret;
}

/* One suite's boot on the coverage kernel, with the dump after it. */
struct cov_boot {
	struct suite cs;	/* the suite, its command wrapped */
	struct suite_prep prep;
	struct qemu_opts qo;
	struct boot_result boot;
	int prepared;
};

static void *cov_boot_thread(void *arg)
{
	struct cov_boot *b = arg;

	if (b->prepared)
		qemu_boot(&b->qo, &b->boot);
	return NULL;
}

/* Prepare b for suite s on br: 0, or -1 (notes says why). */
static int cov_boot_prepare(const struct coverage_opts *o, const struct suite *s,
			    const struct kbuild_result *br, struct cov_boot *b,
			    struct buf *notes)
{
	memset(b, 0, sizeof(*b));
	b->cs = *s;
	/* the shell that dumps after the suite must outlive the suite's own
	 * OOM kills (a shell of its own that the suite's exec does not
	 * replace, the OOM killer's pick); the suite runs as always */
	b->cs.run = xstrfmt("echo -1000 >/proc/self/oom_score_adj\n(\necho 0 "
			    ">/proc/self/oom_score_adj\n%s\n)\n%s", s->run,
			    coverage_dump_command);
	if (suite_prepare(&b->cs, br, &b->prep)) {
		buf_addf(notes, "%snot counted: suite %s: %s", notes->len ? "\n" : "",
			 s->name, b->prep.why ? b->prep.why : "?");
		return -1;
	}
	suite_boot_opts(&b->cs, br, &b->prep, o->qemu, &b->qo);
	b->prepared = 1;
	return 0;
}

/* The counts of a boot that ran added to files; a file whose counts did
 * not come back said in notes. */
static void cov_boot_collect(struct cov_boot *b, const struct kbuild_result *br,
			     struct covfile *files, size_t nf, const char *tmp,
			     struct buf *notes)
{
	char **want = xcalloc(nf + 1, sizeof(char *));
	unsigned char **data = xcalloc(nf + 1, sizeof(char *));
	size_t *len = xcalloc(nf + 1, sizeof(size_t)), i;
	const char *name = b->cs.name;

	if (b->boot.status == BOOT_INFRA || b->boot.status == BOOT_INTERRUPTED) {
		buf_addf(notes, "%snot counted: suite %s: the boot %s", notes->len ?
			 "\n" : "", name, boot_status_name(b->boot.status));
		goto out;
	}
	for (i = 0; i < nf; i++)
		want[i] = xstrfmt("%s.gcda", files[i].stem);
	coverage_gcda_from_console(b->boot.run.output.buf ? b->boot.run.output.buf : "",
				   want, nf, data, len);
	for (i = 0; i < nf; i++) {
		struct buf d = BUF_INIT, from = BUF_INIT, to = BUF_INIT;
		const char *base = strrchr(files[i].stem, '/');

		base = base ? base + 1 : files[i].stem;
		if (files[i].built && !data[i])
			buf_addf(notes, "%snot counted: no counts of %s came back from "
				 "the boot of %s (%s)", notes->len ? "\n" : "",
				 files[i].path, name, boot_status_name(b->boot.status));
		if (!files[i].built || !data[i])
			continue;
		/* .gcno and .gcda side by side in a directory of their own */
		buf_addf(&d, "%s/%s-%zu", tmp, name, i);
		buf_addf(&from, "%s/%s.gcno", br->build_dir, files[i].stem);
		buf_addf(&to, "%s/%s.gcno", d.buf, base);
		if (!mkdir_p(d.buf, 0700) && !symlink(from.buf, to.buf)) {
			buf_reset(&to);
			buf_addf(&to, "%s/%s.gcda", d.buf, base);
			if (!write_file(to.buf, data[i], len[i]))
				run_gcov(&files[i], d.buf, base);
		}
		buf_release(&d);
		buf_release(&from);
		buf_release(&to);
	}
out:
	for (i = 0; i < nf; i++) {
		free(want[i]);
		g_free(data[i]);
	}
	free(want);
	free(data);
	free(len);
}

static void cov_boot_release(struct cov_boot *b)
{
	suite_prep_release(&b->prep);
	boot_result_release(&b->boot);
	free(b->cs.run);
}

/* Every suite once on br, up to o->parallel boots side by side (as the
 * executor boots base and candidate), the counts added to files. */
static void coverage_boots(const struct coverage_opts *o,
			   struct kbuild_result *br, struct covfile *files,
			   size_t nf, const char *tmp, struct buf *notes)
{
	size_t par = o->parallel > 0 ? (size_t)o->parallel : 1, i;
	struct cov_boot *b = xcalloc(o->nsuites + 1, sizeof(*b));

	for (i = 0; i < o->nsuites && !run_interrupted(); i++)
		cov_boot_prepare(o, &o->suites[i], br, &b[i], notes);
	/* the modules are built: other pwb processes may have the slot */
	kbuild_unlock(br);
	for (i = 0; i < o->nsuites && !run_interrupted(); i += par)
		run_side_by_side(cov_boot_thread, &b[i], sizeof(*b),
				 o->nsuites - i < par ? o->nsuites - i : par);
	for (i = 0; i < o->nsuites; i++) {
		if (b[i].prepared)
			cov_boot_collect(&b[i], br, files, nf, tmp, notes);
		cov_boot_release(&b[i]);
	}
	free(b);
}

/* A changed jump line gcov has no entry for counts as the executable line
 * above it when the line below is of the same function (it ends that
 * line's block): that line, or NULL. */
static struct covline *jump_line(struct covfile *f, size_t ln)
{
	size_t up, down;

	if (!f->lines[ln].jump)
		return NULL;
	for (up = ln - 1; up > 0 && !f->lines[up].exec; up--)
		;
	for (down = ln + 1; down < f->nlines && !f->lines[down].exec; down++)
		;
	if (!up || down >= f->nlines || !f->lines[up].func ||
	    !f->lines[down].func || strcmp(f->lines[up].func, f->lines[down].func))
		return NULL;
	return &f->lines[up];
}

struct fcount {
	char *name;
	long ran, of;
};

/* Patch idx's changed executable lines over files into out. */
static void tally(int idx, struct covfile *files, size_t nf,
		  const char *notes, struct patch_check *out)
{
	struct fcount *fc = NULL;
	size_t nfc = 0, i, k, ln;
	long ran = 0, of = 0, other = 0;
	struct buf sum = BUF_INIT, lines = BUF_INIT, never = BUF_INIT;
	int nnever = 0;

	memset(out, 0, sizeof(*out));
	out->idx = idx;
	out->kind = PCHECK_COVERAGE;
	for (i = 0; i < nf; i++) {
		struct covfile *f = &files[i];

		for (ln = 1; f->owner && ln < f->nlines; ln++) {
			struct covline *cl = &f->lines[ln];
			const char *fn;

			if (f->owner[ln] != idx)
				continue;
			if (!f->built) {
				other++;
				continue;
			}
			if (!cl->exec && !(cl = jump_line(f, ln)))
				continue;
			fn = cl->func ? cl->func : "?";
			for (k = 0; k < nfc && strcmp(fc[k].name, fn); k++)
				;
			if (k == nfc) {
				fc = xrealloc(fc, (nfc + 1) * sizeof(*fc));
				fc[nfc].name = xstrdup(fn);
				fc[nfc].ran = fc[nfc].of = 0;
				nfc++;
			}
			fc[k].of++;
			of++;
			if (cl->count > 0) {
				fc[k].ran++;
				ran++;
			}
		}
	}
	for (k = 0; k < nfc; k++) {
		buf_addf(&lines, "%s%s: %ld of %ld changed lines ran", lines.len ?
			 "\n" : "", fc[k].name, fc[k].ran, fc[k].of);
		if (fc[k].ran < fc[k].of && nnever++ < 3)
			buf_addf(&never, "%s%s", never.len ? ", " : "", fc[k].name);
		free(fc[k].name);
	}
	free(fc);
	if (nnever > 3)
		buf_addstr(&never, ", ...");
	for (i = 0; i < nf; i++) {
		int mine = 0;

		for (ln = 1; files[i].owner && ln < files[i].nlines && !mine; ln++)
			mine = files[i].owner[ln] == idx;
		if (mine && !files[i].built)
			buf_addf(&lines, "%s%s: not in the kernel that ran (its "
				 "config does not build it)", lines.len ? "\n" : "",
				 files[i].path);
	}
	if (notes && *notes)
		buf_addf(&lines, "%s%s", lines.len ? "\n" : "", notes);
	if (!of) {
		out->status = PCHECK_SKIP;
		buf_addstr(&sum, other ? "no changed line in the kernel that ran" :
			   "no changed executable C line");
		out->count = out->of = -1;
	} else {
		out->status = ran == of ? PCHECK_PASS : PCHECK_WARN;
		out->count = ran;
		out->of = of;
		buf_addf(&sum, "%ld of %ld changed lines ran", ran, of);
		if (never.len)
			buf_addf(&sum, " (%s)", never.buf);
	}
	out->summary = buf_detach(&sum, NULL);
	out->lines = lines.len ? buf_detach(&lines, NULL) : NULL;
	buf_release(&lines);
	buf_release(&never);
}

int coverage_series(struct pwb_ctx *ctx, const struct coverage_opts *o,
		    struct patch_check *out)
{
	git_repository *repo = NULL;
	git_oid base, tip, *pids = NULL;
	struct covfile *files = NULL;
	struct kbuild_result br;
	struct buf notes = BUF_INIT;
	size_t nf = 0, i;
	char tmp[4096] = "";
	int ret = -1, have_br = 0;

	memset(&br, 0, sizeof(br));
	if (!o->npatches)
		return 0;
	if (tree_open(o->repo_path, &repo))
		return -1;
	pids = xcalloc(o->npatches, sizeof(*pids));
	if (git_oid_fromstr(&base, o->base) ||
	    git_oid_fromstr(&tip, o->patches[o->npatches - 1].commit))
		goto out;
	for (i = 0; i < o->npatches; i++)
		if (git_oid_fromstr(&pids[i], o->patches[i].commit))
			goto out;
	if (changed_c_files(repo, &base, &tip, &files, &nf)) {
		error("coverage: cannot diff %.12s..%.12s", o->base,
		      o->patches[o->npatches - 1].commit);
		goto out;
	}
	ret = 0;
	if (o->toolchain && strcmp(o->toolchain, "gcc")) {
		skip_all(o, out, "not measured: coverage needs gcc's gcov "
			 "(toolchain %s)", o->toolchain);
		goto out;
	}
	if (!nf) {
		skip_all(o, out, "no changed C file");
		goto out;
	}
	for (i = 0; i < nf; i++)
		if (blame_file(repo, &base, &tip, o, pids, &files[i]))
			buf_addf(&notes, "%snot counted: git blame of %s failed",
				 notes.len ? "\n" : "", files[i].path);
	if (coverage_build(ctx, o, files, nf, &br, out))
		goto out;
	have_br = 1;
	if (make_tmpdir(tmp, sizeof(tmp), "pwb-cov")) {
		tmp[0] = '\0';
		skip_all(o, out, "not measured: no temporary directory");
		goto out;
	}
	/* executable lines and functions: gcov on each .gcno alone */
	for (i = 0; i < nf; i++) {
		struct buf g = BUF_INIT, d = BUF_INIT, to = BUF_INIT;
		const char *b = strrchr(files[i].stem, '/');

		b = b ? b + 1 : files[i].stem;
		buf_addf(&g, "%s/%s.gcno", br.build_dir, files[i].stem);
		buf_addf(&d, "%s/static-%zu", tmp, i);
		buf_addf(&to, "%s/%s.gcno", d.buf, b);
		files[i].built = !access(g.buf, R_OK) && !mkdir_p(d.buf, 0700) &&
				 !symlink(g.buf, to.buf) && !run_gcov(&files[i], d.buf, b);
		buf_release(&g);
		buf_release(&d);
		buf_release(&to);
	}
	coverage_boots(o, &br, files, nf, tmp, &notes);
	/* where it was measured: never the compared runs */
	buf_addf(&notes, "%smeasured in a boot of each suite of its own, on the "
		 "tip built with gcov on %zu changed file%s (build %ld); the "
		 "compared runs are not instrumented", notes.len ? "\n" : "", nf,
		 nf == 1 ? "" : "s", br.id);
	for (i = 0; i < o->npatches; i++)
		tally(o->patches[i].idx, files, nf, notes.buf, &out[i]);
out:
	if (tmp[0])
		run_remove_tree(tmp);
	if (have_br || br.build_dir)
		kbuild_result_release(&br);
	for (i = 0; i < nf; i++)
		covfile_release(&files[i]);
	free(files);
	free(pids);
	buf_release(&notes);
	git_repository_free(repo);
	return ret;
}
