/*
 * applydb: pwb apply's work on a tree, with its record: the owner of the
 * applies and apply_patches tables.
 */
#include "applydb.h"
#include "apply.h"
#include "db.h"
#include "lore.h"
#include "store.h"
#include "tree.h"
#include "util/util.h"
#include "util/vis.h"

#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* What the commits are made of: diffs, messages, trailers, authors. */
static char *content_hash(const struct stored_series *s)
{
	GChecksum *ck = g_checksum_new(G_CHECKSUM_SHA1);
	char *r;
	size_t i, j;

	for (i = 0; i < s->npatches; i++) {
		const struct stored_patch *p = &s->patches[i];
		char num[64];

		snprintf(num, sizeof(num), "%d %lld %d\n", p->idx,
			 (long long)p->date, p->date_tz);
		g_checksum_update(ck, (const guchar *)num, -1);
		g_checksum_update(ck, (const guchar *)p->subject, -1);
		g_checksum_update(ck, (const guchar *)p->author_name, -1);
		g_checksum_update(ck, (const guchar *)p->author_email, -1);
		g_checksum_update(ck, (const guchar *)p->message, -1);
		g_checksum_update(ck, (const guchar *)p->diff, -1);
		for (j = 0; j < p->ntrailers; j++) {
			g_checksum_update(ck, (const guchar *)p->trailers[j].kind, -1);
			g_checksum_update(ck, (const guchar *)p->trailers[j].person, -1);
		}
	}
	r = xstrdup(g_checksum_get_string(ck));
	g_checksum_free(ck);
	return r;
}

/* An earlier run of the same series content on the same base whose head
 * is still there: its commits are reused. */
static long find_previous(sqlite3 *db, git_repository *repo, long series,
			  const char *path, const char *base, const char *content,
			  char *head)
{
	sqlite3_stmt *st;
	long id = -1;

	if (db_prepare(db, &st, "SELECT id, head FROM applies WHERE series_id = ? "
		       "AND repo_path = ? AND base = ? AND content_hash = ? AND "
		       "status = 'applied' ORDER BY id DESC LIMIT 1"))
		return -1;
	sqlite3_bind_int64(st, 1, series);
	db_bind_text(st, 2, path);
	db_bind_text(st, 3, base);
	db_bind_text(st, 4, content);
	if (sqlite3_step(st) == SQLITE_ROW) {
		git_oid oid;
		git_commit *c = NULL;
		const char *h = (const char *)sqlite3_column_text(st, 1);

		if (h && !git_oid_fromstr(&oid, h) &&
		    !git_commit_lookup(&c, repo, &oid)) {
			id = (long)sqlite3_column_int64(st, 0);
			snprintf(head, GIT_OID_HEXSZ + 1, "%s", h);
		}
		git_commit_free(c);
	}
	sqlite3_finalize(st);
	return id;
}

static int load_previous(sqlite3 *db, long id, struct apply_result *r)
{
	sqlite3_stmt *st;
	size_t i = 0;
	int rc = 0;

	if (db_prepare(db, &st, "SELECT idx, status, strategy, offset, "
		       "commit_id FROM apply_patches WHERE apply_id = ? "
		       "ORDER BY idx"))
		return -1;
	sqlite3_bind_int64(st, 1, id);
	while (i < r->npatches && (rc = db_row(db, st, "load an earlier apply")) > 0) {
		struct patch_result *p = &r->patches[i++];
		const char *strat = (const char *)sqlite3_column_text(st, 2);
		const char *c = (const char *)sqlite3_column_text(st, 4);

		p->idx = sqlite3_column_int(st, 0);
		p->status = PR_APPLIED;
		if (apply_strategy_parse(strat, &p->strategy)) {
			rc = error("apply %ld, patch %d: strategy '%s': not pwb's",
				   id, p->idx, vis(strat));
			break;
		}
		p->offset = sqlite3_column_int(st, 3);
		snprintf(p->commit, sizeof(p->commit), "%s", c ? c : "");
	}
	sqlite3_finalize(st);
	return rc < 0 ? -1 : 0;
}

struct left_ctx {
	sqlite3 *db;
	git_repository *repo;
	long series;
	const char *path;
	const char *last_msgid;	/* the series' last patch */
};

/* Did pwb (from any database) leave branch name at an apply of this
 * series: is its tip the series' last patch, with its Link: trailer? */
static int left_by_pwb(struct left_ctx *lc, const char *name, git_oid *out)
{
	git_reference *ref = NULL;
	git_commit *c = NULL;
	char *refname = xstrfmt("refs/heads/%s", name);
	const char *msg;
	int ret = 0;

	if (lc->last_msgid && !git_reference_lookup(&ref, lc->repo, refname) &&
	    git_reference_type(ref) == GIT_REFERENCE_DIRECT &&
	    !git_commit_lookup(&c, lc->repo, git_reference_target(ref)) &&
	    (msg = git_commit_message(c))) {
		const char *l = msg;

		while ((l = strstr(l, "\nLink: "))) {
			const char *e = strchrnul(l + 1, '\n');
			size_t n = strlen(lc->last_msgid);

			l++;
			if ((size_t)(e - l) > n && !memcmp(e - n, lc->last_msgid, n) &&
			    e[-n - 1] == '/') {
				git_oid_cpy(out, git_reference_target(ref));
				ret = 1;
				break;
			}
		}
	}
	git_error_clear();
	git_commit_free(c);
	git_reference_free(ref);
	free(refname);
	return ret;
}

/* apply_left_fn: the head of the last apply recorded on that branch. */
static int branch_left(void *payload, const char *name, git_oid *out)
{
	struct left_ctx *lc = payload;
	sqlite3_stmt *st;
	int ret = 0, rc;

	/* an apply of this series, whichever database made it */
	if (left_by_pwb(lc, name, out))
		return 1;

	if (db_prepare(lc->db, &st, "SELECT head FROM applies WHERE "
		       "series_id = ? AND repo_path = ? AND branch = ? AND "
		       "status = 'applied' ORDER BY id DESC LIMIT 1"))
		return -1;
	sqlite3_bind_int64(st, 1, lc->series);
	db_bind_text(st, 2, lc->path);
	db_bind_text(st, 3, name);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		const char *h = (const char *)sqlite3_column_text(st, 0);

		if (h && !git_oid_fromstr(out, h))
			ret = 1;
	} else if (rc != SQLITE_DONE) {
		ret = db_error(lc->db, "find where pwb left the branch");
	}
	sqlite3_finalize(st);
	return ret;
}

/*
 * The apply's rows and, when it applied, its branch: chosen (r->branch
 * becomes the name used), recorded and written in one transaction, the
 * branch put back when the commit fails.  0, -1 or APPLY_EINFRA.
 */
static int record(sqlite3 *db, git_repository *repo,
		  const struct stored_series *s, const char *path,
		  const char *content, struct apply_result *r, long *id)
{
	long series = s->id;
	struct left_ctx lc = { db, repo, series, path,
			       s->npatches ? s->patches[s->npatches - 1].msgid : NULL };
	struct apply_branch b = { 0 };
	sqlite3_stmt *st = NULL;
	git_oid head;
	size_t i;
	int ret = -1, set = 0;

	if (db_begin(db))
		return -1;
	if (r->ok) {
		if (git_oid_fromstr(&head, r->head)) {
			error("apply: bad head %s", r->head);
			goto out;
		}
		ret = apply_place_branch(repo, r->branch, &head, branch_left,
					 &lc, &b);
		if (ret)
			goto out;
		ret = -1;
		free(r->branch);
		r->branch = xstrdup(b.name);
	}
	if (db_prepare(db, &st, "INSERT INTO applies (series_id, repo_path, "
		       "base, base_rule, branch, head, status, reused_from, "
		       "created_at, content_hash, base_why) "
		       "VALUES (?,?,?,?,?,?,?,?,?,?,?)"))
		goto out;
	sqlite3_bind_int64(st, 1, series);
	db_bind_text(st, 2, path);
	db_bind_text(st, 3, r->base);
	db_bind_text(st, 4, r->base_rule);
	db_bind_text(st, 5, r->ok ? r->branch : NULL);
	db_bind_text(st, 6, r->ok ? r->head : NULL);
	db_bind_text(st, 7, r->ok ? "applied" : "failed");
	if (r->reused)
		sqlite3_bind_int64(st, 8, r->reused_from);
	else
		sqlite3_bind_null(st, 8);
	sqlite3_bind_int64(st, 9, (sqlite3_int64)time(NULL));
	db_bind_text(st, 10, content);
	db_bind_text(st, 11, r->base_why);
	if (sqlite3_step(st) != SQLITE_DONE) {
		db_error(db, "record apply");
		goto out;
	}
	*id = (long)sqlite3_last_insert_rowid(db);
	sqlite3_finalize(st);
	st = NULL;
	if (db_prepare(db, &st, "INSERT INTO apply_patches (apply_id, idx, "
		       "status, strategy, offset, commit_id, error) "
		       "VALUES (?,?,?,?,?,?,?)"))
		goto out;
	for (i = 0; i < r->npatches; i++) {
		const struct patch_result *p = &r->patches[i];

		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, *id);
		sqlite3_bind_int(st, 2, p->idx);
		db_bind_text(st, 3, patch_status_name(p->status));
		db_bind_text(st, 4, apply_strategy_name(p->strategy));
		sqlite3_bind_int(st, 5, p->offset);
		db_bind_text(st, 6, p->commit[0] ? p->commit : NULL);
		db_bind_text(st, 7, p->error);
		if (sqlite3_step(st) != SQLITE_DONE) {
			db_error(db, "record patch result");
			goto out;
		}
	}
	if (r->ok) {
		ret = apply_set_branch(repo, &b, &head, r->reused ?
				       "pwb apply (reused)" : "pwb apply");
		if (ret)
			goto out;
		set = 1;
		ret = -1;
	}
	if (db_commit(db))
		goto out;
	if (b.why)
		notice("%s; applied on %s instead", b.why, b.name);
	ret = 0;
out:
	sqlite3_finalize(st);
	if (ret) {
		if (set)
			apply_unset_branch(repo, &b, &head);
		db_rollback(db);
	}
	apply_branch_release(&b);
	return ret;
}

int apply_to_tree(struct pwb_ctx *ctx, long sid, const char *tree_arg,
		  const char *base, struct stored_series *s,
		  struct apply_result *r, long *apply_id)
{
	char *path = NULL, *uname = NULL, *uemail = NULL;
	char *link_base = NULL, *content = NULL, *fallback = NULL;
	git_repository *repo = NULL;
	git_signature *committer = NULL;
	struct apply_opts ao;
	struct base_choice bc = { 0 };
	int ret = -1, ran = 0;
	long prev;
	char prev_head[GIT_OID_HEXSZ + 1];

	memset(r, 0, sizeof(*r));
	if (store_load_series(ctx->db, sid, s))
		return -1;
	if (!s->complete) {
		error("series %ld v%d is incomplete (%zu of %d patches)", s->id,
		      s->version, s->npatches, s->total);
		goto out;
	}
	if (tree_resolve(ctx->db, tree_arg, &path, NULL) || tree_open(path, &repo))
		goto out;
	uname = ctx_config_get(ctx, "user.name");
	uemail = ctx_config_get(ctx, "user.email");
	if (git_signature_now(&committer, uname ? uname : "pwb",
			      uemail ? uemail : "pwb@localhost")) {
		error("committer identity: %s", git_errmsg());
		goto out;
	}
	link_base = ctx_config_get(ctx, "lore.url");
	fallback = ctx_config_get(ctx, "apply.fallbackbase");
	if (base_choose(repo, s, base, fallback, &bc))
		goto out;
	if (bc.rule != BASE_COMMIT && bc.rule != BASE_OPTION)
		notice("base %.12s: %s", git_oid_tostr_s(&bc.id), bc.why);
	ao.base = &bc;
	ao.link_base = link_base ? link_base : LORE_DEFAULT_BASE;
	ao.committer = committer;

	/* the same series on the same base again: reuse the commits */
	{
		char hex[GIT_OID_HEXSZ + 1];

		content = content_hash(s);
		prev = find_previous(ctx->db, repo, s->id, path,
				     git_oid_tostr(hex, sizeof(hex), &bc.id),
				     content, prev_head);
		if (prev >= 0) {
			apply_set_base(r, &bc);
			r->ok = 1;
			r->reused = 1;
			r->reused_from = prev;
			r->branch = apply_branch_name(s);
			snprintf(r->head, sizeof(r->head), "%s", prev_head);
			r->npatches = s->npatches;
			r->patches = xcalloc(s->npatches, sizeof(*r->patches));
			if (load_previous(ctx->db, prev, r))
				goto out;
			ran = 1;
		}
	}
	if (!ran) {
		ret = apply_series(repo, s, &ao, r);
		if (ret)
			goto out;
	}
	/* the branch is placed there, with the record */
	ret = record(ctx->db, repo, s, path, content, r, apply_id);
out:
	if (ret) {
		char *nobase = r->nobase;

		r->nobase = NULL;
		apply_result_release(r);
		r->nobase = nobase;	/* APPLY_ENOBASE: why */
		stored_series_release(s);
	}
	base_choice_release(&bc);
	git_signature_free(committer);
	git_repository_free(repo);
	free(path);
	free(uname);
	free(uemail);
	free(link_base);
	free(fallback);
	free(content);
	return ret;
}
