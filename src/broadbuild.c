/* The broad build of each patch (see broadbuild.h). */
#include "broadbuild.h"
#include "affected.h"
#include "arch.h"
#include "util/buf.h"
#include "util/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BROAD_CONFIG "allmodconfig"

/* d is in r: the same kind, file and message (the line left out). */
static int diag_in(const struct kbuild_diag *d,
		   const struct kbuild_objects_result *r)
{
	size_t i;

	for (i = 0; i < r->ndiags; i++)
		if (r->diags[i].error == d->error &&
		    r->diags[i].sparse == d->sparse &&
		    !strcmp(r->diags[i].file, d->file) &&
		    !strcmp(r->diags[i].msg, d->msg))
			return 1;
	return 0;
}

static int build_side(struct pwb_ctx *ctx, const struct broadbuild_opts *o,
		      const char *rev, const struct strlist *objs,
		      struct kbuild_objects_result *r)
{
	static char *const vars[] = { (char *)"W=1", NULL };
	struct kbuild_request q;

	memset(&q, 0, sizeof(q));
	q.tree_arg = o->tree_arg;
	q.rev = rev;
	q.config = BROAD_CONFIG;
	q.arch = o->arch;
	q.toolchain = o->toolchain;
	q.progress = o->progress;
	q.progress_ud = o->progress_ud;
	return kbuild_objects(ctx, &q, objs->v, objs->n, vars, o->sparse, r);
}

/*
 * Why obj is not built here, or NULL: another arch's code (under arch/ but
 * not arch_dir, "arch/x86"), which kbuild would compile with this arch's
 * headers (a single object's directory is entered directly) and fail on
 * before and after the patch alike; or user-space code under tools/,
 * which has Makefiles of its own, not kbuild's.
 */
static char *not_built_here(const char *obj, const char *arch_dir,
			    const char *arch)
{
	if (affected_other_arch(obj, arch_dir))
		return xstrfmt("not compiled: %s (another arch's code, not "
			       "built for %s)", obj, arch);
	if (!strncmp(obj, "tools/", 6))
		return xstrfmt("not compiled: %s (user-space code under tools/, "
			       "which kbuild does not build)", obj);
	return NULL;
}

static void add_line(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void add_line(struct buf *b, const char *fmt, ...)
{
	va_list ap;

	if (b->len)
		buf_addch(b, '\n');
	va_start(ap, fmt);
	buf_vaddf(b, fmt, ap);
	va_end(ap);
}

/* What the bound of affected objects left out, and the identifiers not
 * grepped for, as lines. */
static void bounds_lines(struct buf *lines, const struct affected *a)
{
	size_t i;

	if (a->left_out) {
		struct buf names = BUF_INIT;

		for (i = 0; i < a->left_out_names.n; i++)
			buf_addf(&names, "%s%s", i ? ", " : "", a->left_out_names.v[i]);
		add_line(lines, "left out: %zu more object%s that use what it "
			 "changes (%s%s)", a->left_out, a->left_out == 1 ? "" : "s",
			 names.buf, a->left_out > a->left_out_names.n ? ", ..." : "");
		buf_release(&names);
	}
	for (i = 0; i < a->not_grepped.n; i++)
		add_line(lines, "not looked for: %s", a->not_grepped.v[i]);
}

int broadbuild_patch(struct pwb_ctx *ctx, const struct broadbuild_opts *o,
		     const struct broadbuild_patch *p, struct patch_check *out)
{
	struct kbuild_objects_result before, after;
	struct affected a;
	struct buf lines = BUF_INIT, sum = BUF_INIT;
	struct strlist build = { NULL, 0 }, other = { NULL, 0 };
	size_t i, nerr = 0, nwarn = 0, nnot = 0;
	const char *arch = o->arch ? o->arch : "x86_64";
	const struct arch *ar;
	int ret = -1;

	memset(&a, 0, sizeof(a));
	memset(&before, 0, sizeof(before));
	memset(&after, 0, sizeof(after));
	memset(out, 0, sizeof(*out));
	out->idx = p->idx;
	out->kind = PCHECK_BROADBUILD;
	ar = o->arch ? arch_find(o->arch) : arch_default();
	if (affected_of_patch(o->repo_path, p->commit, p->diff,
			      o->max_objects ? o->max_objects : 40,
			      ar ? ar->src_dir : NULL, &a))
		goto out;
	/* another arch's objects and tools/ are listed, not built */
	for (i = 0; i < a.objects.n; i++) {
		char *l = not_built_here(a.objects.v[i],
					 ar ? ar->src_dir : NULL, arch);

		strlist_add(l ? &other : &build, l ? l : a.objects.v[i]);
		free(l);
	}
	if (!a.objects.n) {
		out->status = PCHECK_SKIP;
		out->summary = xstrdup(a.other.n ? "nothing to compile: the "
				       "patch touches no C file" :
				       "nothing to compile");
		bounds_lines(&lines, &a);
		ret = 0;
		goto out;
	}
	if (build.n && build_side(ctx, o, p->commit, &build, &after))
		goto out;
	if (!build.n)
		after.status = BUILD_OK;
	if (after.status != BUILD_OK && after.status != BUILD_FAILED) {
		/* not the patch's doing: said, and the check goes on */
		out->status = PCHECK_SKIP;
		buf_addf(&sum, "%s %s: %s", BROAD_CONFIG,
			 build_status_name(after.status),
			 after.error ? after.error : "?");
		out->summary = buf_detach(&sum, NULL);
		ret = 0;
		goto out;
	}
	if (build.n && build_side(ctx, o, p->parent, &build, &before))
		goto out;
	for (i = 0; i < after.ndiags; i++) {
		const struct kbuild_diag *d = &after.diags[i];

		if (diag_in(d, &before))
			continue;
		if (d->error)
			nerr++;
		else
			nwarn++;
		add_line(&lines, "%s:%ld: %s: %s", d->file, d->line,
			 d->error ? "error" : d->sparse ? "sparse" : "warning",
			 d->msg);
	}
	for (i = 0; i < other.n; i++) {
		add_line(&lines, "%s", other.v[i]);
		nnot++;
	}
	/* with new errors the object that failed is said by them; without,
	 * an object make left unbuilt is either one no rule builds here or
	 * one that fails before the patch too (its errors are the base's) */
	for (i = 0; !nerr && i < after.nnot_built; i++) {
		struct strlist unbuilt = { before.not_built, before.nnot_built };

		if (before.status == BUILD_FAILED &&
		    strlist_has(&unbuilt, after.not_built[i]))
			add_line(&lines, "not compiled: %s (it does not build under "
				 "%s %s before the patch either)",
				 after.not_built[i], arch, BROAD_CONFIG);
		else
			add_line(&lines, "not compiled: %s (no rule builds it "
				 "under %s %s)", after.not_built[i], arch,
				 BROAD_CONFIG);
		nnot++;
	}
	bounds_lines(&lines, &a);
	if (nerr)
		buf_addf(&sum, "%zu error%s", nerr, nerr == 1 ? "" : "s");
	if (nwarn)
		buf_addf(&sum, "%s%zu new warning%s", sum.len ? ", " : "", nwarn,
			 nwarn == 1 ? "" : "s");
	if (nnot)
		buf_addf(&sum, "%s%zu not compiled", sum.len ? ", " : "", nnot);
	if (!sum.len)
		buf_addstr(&sum, "no new warnings");
	buf_addf(&sum, " (%zu object%s, %s W=1%s, %s)", a.objects.n,
		 a.objects.n == 1 ? "" : "s", BROAD_CONFIG, o->sparse ? " C=2" : "",
		 o->toolchain ? o->toolchain : "gcc");
	out->summary = buf_detach(&sum, NULL);
	out->status = nerr || (nwarn && o->warnings_fail) ? PCHECK_FAIL :
		      nwarn || nnot ? PCHECK_WARN : PCHECK_PASS;
	ret = 0;
out:
	if (!ret && lines.len)
		out->lines = buf_detach(&lines, NULL);
	buf_release(&lines);
	buf_release(&sum);
	affected_release(&a);
	strlist_release(&build);
	strlist_release(&other);
	kbuild_objects_result_release(&before);
	kbuild_objects_result_release(&after);
	return ret;
}
