/* The recorded backend (see exec-recorded.h). */
#include "exec/exec-recorded.h"
#include "arch.h"
#include "db.h"
#include "qemu.h"
#include "util/buf.h"
#include "util/util.h"

#include <git2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RECORDED_DIR ".pwb-recorded"
#define RECORDED_MAX (16u << 20)

static const char *git_err(void)
{
	const git_error *ge = git_error_last();

	return ge && ge->message ? ge->message : "unknown error";
}

/*
 * The blob at path in commit's tree, into out: 1 found, 0 no such file,
 * -1 error (said).  tree_hex (41 bytes, or NULL) gets the commit's tree.
 */
static int read_at(const char *repo_path, const char *commit, const char *path,
		   struct buf *out, char *tree_hex)
{
	git_repository *repo = NULL;
	git_object *obj = NULL;
	git_tree *tree = NULL;
	git_tree_entry *ent = NULL;
	git_blob *blob = NULL;
	int ret = -1;

	if (git_repository_open(&repo, repo_path)) {
		error("%s: %s", repo_path, git_err());
		goto out;
	}
	if (git_revparse_single(&obj, repo, commit) ||
	    git_object_peel((git_object **)&tree, obj, GIT_OBJECT_TREE)) {
		error("%.40s: not a commit in %s", commit, repo_path);
		goto out;
	}
	if (tree_hex)
		git_oid_tostr(tree_hex, GIT_OID_HEXSZ + 1, git_tree_id(tree));
	ret = 0;
	if (!path || git_tree_entry_bypath(&ent, tree, path))
		goto out;
	if (git_tree_entry_type(ent) != GIT_OBJECT_BLOB ||
	    git_blob_lookup(&blob, repo, git_tree_entry_id(ent))) {
		ret = error("%.12s:%s: not a file", commit, path);
		goto out;
	}
	if (git_blob_rawsize(blob) > RECORDED_MAX) {
		ret = error("%.12s:%s: larger than %u bytes", commit, path,
			    RECORDED_MAX);
		goto out;
	}
	if (out)
		buf_add(out, git_blob_rawcontent(blob),
			(size_t)git_blob_rawsize(blob));
	ret = 1;
out:
	git_blob_free(blob);
	git_tree_entry_free(ent);
	git_tree_free(tree);
	git_object_free(obj);
	git_repository_free(repo);
	return ret;
}

/* the executor's config of q, else (a build request with none) the
 * arch's default, as kbuild takes it */
static const char *config_of(const struct exec_request *q)
{
	const struct arch *a = q->arch ? arch_find(q->arch) : arch_default();
	const char *c = exec_request_config(q);

	return c ? c : a ? a->default_config : NULL;
}

int recorded_build(struct executor *e, const struct exec_request *q,
		   int need_dir, struct kbuild_result *br)
{
	struct buf f = BUF_INIT;
	const char *config = config_of(q);
	long id;
	int rc, ret = -1;

	(void)need_dir;
	memset(br, 0, sizeof(*br));
	br->lock_fd = -1;
	if (!q->tree || !q->commit)
		return error("the recorded backend needs a tree and a commit");
	/* recorded before: the same row, as kbuild's cache answers */
	rc = kbuild_find(e->ctx->db, q->commit, config, q->arch, q->toolchain,
			 &id);
	if (rc < 0)
		return -1;
	if (!rc)
		return kbuild_load(e->ctx->db, id, br) ? -1 : 0;
	snprintf(br->commit, sizeof(br->commit), "%s", q->commit);
	rc = read_at(q->tree, q->commit, RECORDED_DIR "/build", &f, br->tree);
	if (rc < 0)
		goto out;
	if (rc) {
		size_t n = strcspn(f.buf, "\n");

		char *st = xstrndup(f.buf, n);

		br->error = xstrdup(f.buf[n] ? f.buf + n + 1 : "");
		br->error[strcspn(br->error, "\n")] = '\0';
		if (build_status_parse(st, &br->status)) {
			free(br->error);
			br->error = xstrfmt("%.12s:" RECORDED_DIR "/build: '%.40s' is "
					    "not a build status", q->commit, st);
		}
		free(st);
	} else {
		br->status = BUILD_OK;
	}
	buf_reset(&f);
	rc = read_at(q->tree, q->commit, RECORDED_DIR "/config", &f, NULL);
	if (rc < 0)
		goto out;
	br->config_hash = rc ? xstrndup(f.buf, strcspn(f.buf, "\n")) :
			       xstrfmt("recorded:%s", config);
	br->config_name = xstrdup(config);
	buf_reset(&f);
	rc = read_at(q->tree, q->commit, RECORDED_DIR "/toolchain", &f, NULL);
	if (rc < 0)
		goto out;
	br->toolchain = rc ? xstrndup(f.buf, strcspn(f.buf, "\n")) :
			     xstrdup("recorded");
	br->arch = xstrdup(q->arch ? q->arch : arch_default()->name);
	br->compiler = xstrdup(q->toolchain ? q->toolchain :
			       toolchain_default()->name);
	br->vmlinux_size = br->bzimage_size = -1;
	ret = kbuild_record(e->ctx->db, q->tree, q->commit, br);
out:
	buf_release(&f);
	return ret;
}

static char *console_path(const struct exec_request *q, long n)
{
	return xstrfmt(RECORDED_DIR "/%s/%ld", q->suite->name, n);
}

int recorded_prepare(struct executor *e, const struct exec_request *q,
		     const struct kbuild_result *br, struct suite_prep *p)
{
	char *path = console_path(q, 0);
	size_t i;
	int rc;

	(void)e;
	memset(p, 0, sizeof(*p));
	/* how many recordings: 0, 1, ... (the boots take them in turn) */
	while ((rc = read_at(q->tree, br->commit, path, NULL, NULL)) == 1) {
		p->recordings++;
		free(path);
		path = console_path(q, p->recordings);
	}
	free(path);
	/* a kselftest suite: the tree's tests, the first directory it has
	 * (kselftest_dir), as a real boot records them */
	for (i = 0; rc >= 0 && i < q->suite->nselftests && !p->tests_from; i++) {
		path = xstrfmt("tools/testing/selftests/%s/Makefile",
			       q->suite->selftests[i]);
		if (read_at(q->tree, br->commit, path, NULL, NULL) == 1)
			p->tests_from = xstrfmt("tools/testing/selftests/%s at %s",
						q->suite->selftests[i], br->commit);
		free(path);
	}
	path = console_path(q, 0);
	if (rc < 0)
		p->why = xstrfmt("cannot read %s at %.12s", path, br->commit);
	else if (!p->recordings)
		p->why = xstrfmt("no recorded console %s at %.12s", path, br->commit);
	free(path);
	return p->why ? -1 : 0;
}

void recorded_boot(struct executor *e, const struct exec_request *q,
		   const struct kbuild_result *br, const struct suite_prep *p,
		   int idx, struct exec_boot *b)
{
	static const char cut[] = "### pwb-recorded: timeout";
	struct buf f = BUF_INIT;
	long n = p->recordings, k;
	char *path;
	int rc, timed_out;

	(void)e;
	k = n ? idx % n : 0;
	path = console_path(q, k);
	rc = n ? read_at(q->tree, br->commit, path, &f, NULL) : 0;
	if (rc == 1) {
		size_t len = f.len;

		while (len && f.buf[len - 1] == '\n')
			len--;
		timed_out = len >= sizeof(cut) - 1 &&
			    !memcmp(f.buf + len - (sizeof(cut) - 1), cut,
				    sizeof(cut) - 1) &&
			    (len == sizeof(cut) - 1 ||
			     f.buf[len - sizeof(cut)] == '\n');
		qemu_replay(f.buf, f.len, "recorded", timed_out, &b->boot);
	} else {
		memset(&b->boot, 0, sizeof(b->boot));
		triage_init(&b->boot.triage);
		b->boot.status = BOOT_INFRA;
		b->boot.end_status = -1;
		b->boot.error = xstrfmt("no recorded console %s at %.12s", path,
					br->commit);
	}
	memset(&b->qo, 0, sizeof(b->qo));
	b->qo.qemu = "recorded";
	b->qo.kernel = path;
	b->qo.mem_mb = q->suite->mem;
	b->qo.cpus = 1;
	b->own = path;
	buf_release(&f);
}
