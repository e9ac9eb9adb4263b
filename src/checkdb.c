#include "checkdb.h"
#include "db.h"
#include "history.h"
#include "util/buf.h"
#include "util/util.h"
#include "util/vis.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Checks left "running" by a pwb that is gone (kill -9, crash, reboot). */
void checkdb_reap_stale(sqlite3 *db)
{
	sqlite3_stmt *st;
	long ids[64];
	size_t n = 0, i;

	if (db_prepare(db, &st, "SELECT id, pid FROM checks WHERE status = 'running'"))
		return;
	while (n < 64 && db_row(db, st, "find stale checks") > 0) {
		long pid = (long)sqlite3_column_int64(st, 1);

		if (!pid_alive(pid))
			ids[n++] = (long)sqlite3_column_int64(st, 0);
	}
	sqlite3_finalize(st);
	for (i = 0; i < n; i++) {
		if (db_prepare(db, &st, "UPDATE checks SET status = 'interrupted', "
			       "verdict = NULL WHERE id = ? AND status = 'running'"))
			return;
		sqlite3_bind_int64(st, 1, ids[i]);
		sqlite3_step(st);
		sqlite3_finalize(st);
		notice("check %ld was left running by a pwb that is gone: "
		       "marked interrupted", ids[i]);
	}
}

int checkdb_start(sqlite3 *db, const char *source, const char *repo,
		  const char *config, long repeat, const char *arch,
		  const char *compiler, long *id)
{
	if (db_execf(db, "record check", "INSERT INTO checks (source, repo_path, "
		     "config_name, repeat, status, pid, started_at, arch, "
		     "compiler) VALUES (?,?,?,?,'running',?,?,?,?)", "tttIIItt",
		     source, repo, config, (sqlite3_int64)repeat,
		     (sqlite3_int64)getpid(), (sqlite3_int64)time(NULL),
		     arch, compiler))
		return -1;
	*id = (long)sqlite3_last_insert_rowid(db);
	return 0;
}

int checkdb_finish(sqlite3 *db, long id, enum check_status status,
		   enum check_verdict verdict)
{
	return db_execf(db, "record check", "UPDATE checks SET status = ?, "
			"verdict = ?, finished_at = ? WHERE id = ?", "ttII",
			check_status_name(status), check_verdict_name(verdict),
			(sqlite3_int64)time(NULL), (sqlite3_int64)id);
}

int checkdb_set_error(sqlite3 *db, long id, const char *why)
{
	return db_execf(db, "record check", "UPDATE checks SET error = ? "
			"WHERE id = ?", "tI", why, (sqlite3_int64)id);
}

int checkdb_record_build(sqlite3 *db, long check, int idx, const char *commit,
			long build_id, const char *status)
{
	return db_execf(db, "record check build", "INSERT OR REPLACE INTO "
			"check_builds (check_id, idx, commit_id, build_id, status) "
			"VALUES (?,?,?,?,?)", "IitLt", (sqlite3_int64)check, idx,
			commit, build_id, status);
}

int checkdb_record_patch_check(sqlite3 *db, long check,
			       const struct patch_check *c)
{
	return db_execf(db, "record a patch check", "INSERT OR REPLACE INTO "
			"check_patch_checks (check_id, idx, name, status, summary, "
			"lines, count, of) VALUES (?,?,?,?,?,?,?,?)", "IittttNN",
			(sqlite3_int64)check, c->idx, patch_check_kind_name(c->kind),
			patch_check_status_name(c->status),
			c->summary ? c->summary : "", c->lines,
			c->of > 0 ? c->count : -1L, c->of > 0 ? c->of : -1L);
}

int checkdb_record_suite(sqlite3 *db, long check, const struct suite *s,
			 const char *bt, const char *ct,
			 enum check_suite_status status, const char *err)
{
	return db_execf(db, "record check suite", "INSERT OR REPLACE INTO "
			"check_suites (check_id, suite, suite_hash, base_tree, "
			"cand_tree, status, error) VALUES (?,?,?,?,?,?,?)",
			"Itttttt", (sqlite3_int64)check, s->name, s->hash, bt, ct,
			check_suite_status_name(status), err);
}

int checkdb_set_series(sqlite3 *db, long id, long series_id)
{
	return db_execf(db, "record check", "UPDATE checks SET series_id = ? "
			"WHERE id = ?", "II", (sqlite3_int64)series_id,
			(sqlite3_int64)id);
}

int checkdb_set_applied(sqlite3 *db, long id, long apply_id, const char *base,
			const char *tip)
{
	return db_execf(db, "record check", "UPDATE checks SET apply_id = ?, "
			"base_commit = ?, tip_commit = ? WHERE id = ?", "IttI",
			(sqlite3_int64)apply_id, base, tip, (sqlite3_int64)id);
}

int check_newest_of_series(sqlite3 *db, long series_id, long *id)
{
	sqlite3_stmt *st;
	int rc;

	if (db_prepare(db, &st, "SELECT id FROM checks WHERE series_id = ? "
		       "ORDER BY id DESC LIMIT 1"))
		return -1;
	sqlite3_bind_int64(st, 1, series_id);
	rc = db_row(db, st, "find the newest check");
	if (rc > 0)
		*id = (long)sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return rc;
}

int check_last_base(sqlite3 *db, long series_id, const char *repo_path,
		    char *hex)
{
	sqlite3_stmt *st;
	int rc;

	if (db_prepare(db, &st, "SELECT base_commit FROM checks WHERE "
		       "series_id = ? AND repo_path = ? AND base_commit IS NOT "
		       "NULL ORDER BY id DESC LIMIT 1"))
		return -1;
	sqlite3_bind_int64(st, 1, series_id);
	db_bind_text(st, 2, repo_path);
	rc = db_row(db, st, "find the base of the last check");
	if (rc > 0)
		snprintf(hex, 41, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return rc;
}

void check_report_release(struct check_report *r)
{
	size_t i;

	free(r->source);
	free(r->repo_path);
	free(r->config_name);
	free(r->arch);
	free(r->compiler);
	free(r->base_commit);
	free(r->tip_commit);
	free(r->base_rule);
	free(r->base_why);
	free(r->failed_error);
	free(r->error);
	if (r->have_series)
		stored_series_release(&r->series);
	for (i = 0; i < r->nbuilds; i++)
		kbuild_result_release(&r->builds[i].build);
	for (i = 0; i < r->npchecks; i++)
		patch_check_release(&r->pchecks[i]);
	free(r->pchecks);
	free(r->builds);
	for (i = 0; i < r->nsuites; i++) {
		suite_cmp_release(&r->suites[i]);
		free(r->suite_errors[i]);
	}
	free(r->suites);
	free(r->suite_errors);
	for (i = 0; i < r->nrecipients; i++)
		free(r->recipients[i]);
	free(r->recipients);
	free(r->reporter);
	memset(r, 0, sizeof(*r));
}

static int newest_check(sqlite3 *db, long *id)
{
	sqlite3_stmt *st;
	int rc;

	*id = -1;
	if (db_prepare(db, &st, "SELECT max(id) FROM checks"))
		return -1;
	rc = db_row(db, st, "find the newest check");
	if (rc > 0 && sqlite3_column_type(st, 0) != SQLITE_NULL)
		*id = (long)sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (rc < 0)
		return -1;
	if (*id < 0)
		return error("no checks yet (pwb check)");
	return 0;
}

int check_report_find(struct pwb_ctx *ctx, const char *arg, long *id)
{
	sqlite3_stmt *st;
	long v;
	int found = 0;

	if (!arg)
		return newest_check(ctx->db, id);

	if (!parse_long(arg, &v)) {
		if (db_prepare(ctx->db, &st, "SELECT id FROM checks WHERE id = ?"))
			return -1;
		sqlite3_bind_int64(st, 1, v);
		found = db_row(ctx->db, st, "find the check");
		sqlite3_finalize(st);
		if (found < 0)
			return -1;
		if (found) {
			*id = v;
			return 0;
		}
		if (check_report_series_exists(ctx, v) == 1)
			return error("no check %ld; for series %ld: pwb report "
				     "--series %ld", v, v, v);
		return error("no check %ld (pwb report takes a check id or a series)", v);
	}
	return check_report_find_series(ctx, arg, id);
}

int check_report_find_series(struct pwb_ctx *ctx, const char *arg, long *id)
{
	long sid;
	int found;

	if (store_find_series(ctx->db, arg, &sid))
		return -1;
	found = check_newest_of_series(ctx->db, sid, id);
	if (found < 0)
		return -1;
	return found ? 0 : error("series %ld has not been checked (pwb check)", sid);
}

int check_report_series_exists(struct pwb_ctx *ctx, long n)
{
	sqlite3_stmt *st;
	int found;

	if (db_prepare(ctx->db, &st, "SELECT 1 FROM series WHERE id = ?"))
		return -1;
	sqlite3_bind_int64(st, 1, n);
	found = db_row(ctx->db, st, "find the series");
	sqlite3_finalize(st);
	return found < 0 ? -1 : found > 0;
}

static int pcheck_cmp(const void *a, const void *b)
{
	const struct patch_check *x = a, *y = b;

	if (x->idx != y->idx)
		return x->idx < y->idx ? -1 : 1;
	return (int)x->kind - (int)y->kind;
}

static int load_patch_checks(sqlite3 *db, struct check_report *r)
{
	sqlite3_stmt *st;
	int rc;

	if (db_prepare(db, &st, "SELECT idx, name, status, summary, lines, "
		       "count, of FROM check_patch_checks WHERE check_id = ?"))
		return -1;
	sqlite3_bind_int64(st, 1, r->id);
	while ((rc = db_row(db, st, "load a check's patch checks")) > 0) {
		const char *name = (const char *)sqlite3_column_text(st, 1);
		const char *status = (const char *)sqlite3_column_text(st, 2);
		struct patch_check *c;

		r->pchecks = xrealloc(r->pchecks, (r->npchecks + 1) * sizeof(*c));
		c = &r->pchecks[r->npchecks++];
		memset(c, 0, sizeof(*c));
		c->idx = sqlite3_column_int(st, 0);
		c->summary = db_column_dup(st, 3);
		c->lines = db_column_dup(st, 4);
		c->count = sqlite3_column_type(st, 5) == SQLITE_NULL ? -1 :
			   (long)sqlite3_column_int64(st, 5);
		c->of = sqlite3_column_type(st, 6) == SQLITE_NULL ? -1 :
			(long)sqlite3_column_int64(st, 6);
		if (patch_check_kind_parse(name, &c->kind) ||
		    patch_check_status_parse(status, &c->status)) {
			error("check %ld, patch %d: check '%s', status '%s': not "
			      "pwb's", r->id, c->idx, vis(name), vis(status));
			sqlite3_finalize(st);
			return -1;
		}
	}
	sqlite3_finalize(st);
	if (rc < 0)
		return -1;
	/* by patch, then in patchcheck.h's order of the checks */
	if (r->npchecks > 1)
		qsort(r->pchecks, r->npchecks, sizeof(*r->pchecks), pcheck_cmp);
	return 0;
}

static int load_builds(sqlite3 *db, long apply_id, struct check_report *r)
{
	sqlite3_stmt *st;
	int rc;

	if (db_prepare(db, &st, "SELECT c.idx, c.commit_id, c.status, "
		       "coalesce(c.build_id, 0), p.strategy FROM check_builds c "
		       "LEFT JOIN apply_patches p ON p.apply_id = ? AND "
		       "p.idx = c.idx WHERE c.check_id = ? ORDER BY c.idx"))
		return -1;
	sqlite3_bind_int64(st, 1, apply_id);
	sqlite3_bind_int64(st, 2, r->id);
	while ((rc = db_row(db, st, "load check builds")) > 0) {
		const char *status = (const char *)sqlite3_column_text(st, 2);
		const char *strat = (const char *)sqlite3_column_text(st, 4);
		long build_id = (long)sqlite3_column_int64(st, 3);
		struct report_build *b;
		int found = 1;

		r->builds = xrealloc(r->builds, (r->nbuilds + 1) * sizeof(*b));
		b = &r->builds[r->nbuilds++];
		memset(b, 0, sizeof(*b));
		b->build.lock_fd = -1;
		b->idx = sqlite3_column_int(st, 0);
		if (build_id > 0)
			found = kbuild_load(db, build_id, &b->build);
		if (found < 0 || apply_strategy_parse(strat, &b->apply_strategy)) {
			if (found >= 0)
				error("check %ld, build %d: strategy '%s': not "
				      "pwb's", r->id, b->idx, vis(strat));
			sqlite3_finalize(st);
			return -1;
		}
		if (found) {	/* no builds row: what the check's says */
			snprintf(b->build.commit, sizeof(b->build.commit), "%s",
				 sqlite3_column_text(st, 1) ?
				 (const char *)sqlite3_column_text(st, 1) : "");
			if (build_status_parse(status, &b->build.status)) {
				error("check %ld, build %d: status '%s': not pwb's",
				      r->id, b->idx, vis(status));
				sqlite3_finalize(st);
				return -1;
			}
		}
	}
	sqlite3_finalize(st);
	return rc < 0 ? -1 : 0;
}

/* What the check built tree with (a side of its comparison): the
 * config's hash, arch, compiler and toolchain, owned by *keep (freed
 * with side_release). */
struct side_keep {
	char *hash, *arch, *compiler, *toolchain;
};

static struct cmp_side side_of(sqlite3 *db, long check_id, const char *tree,
			       struct side_keep *k)
{
	sqlite3_stmt *st;
	struct cmp_side s = { tree, NULL, NULL, NULL, NULL };

	memset(k, 0, sizeof(*k));
	if (db_prepare(db, &st, "SELECT b.config_hash, b.arch, b.compiler, "
		       "b.toolchain FROM check_builds c JOIN builds b ON "
		       "b.id = c.build_id WHERE c.check_id = ? AND "
		       "b.tree_id = ? AND b.status = 'ok' LIMIT 1"))
		return s;
	sqlite3_bind_int64(st, 1, check_id);
	db_bind_text(st, 2, tree);
	if (sqlite3_step(st) == SQLITE_ROW) {
		k->hash = db_column_dup(st, 0);
		k->arch = db_column_dup(st, 1);
		k->compiler = db_column_dup(st, 2);
		k->toolchain = db_column_dup(st, 3);
	}
	sqlite3_finalize(st);
	s.config_hash = k->hash;
	s.arch = k->arch;
	s.compiler = k->compiler;
	s.toolchain = k->toolchain;
	return s;
}

static void side_release(struct side_keep *k)
{
	free(k->hash);
	free(k->arch);
	free(k->compiler);
	free(k->toolchain);
}

static int compare_opts(struct pwb_ctx *ctx, struct cmp_opts *o)
{
	char *c = ctx_config_get(ctx, "compare.correction"), *a;
	int ret = 0;

	o->correction = STATS_BH;
	o->alpha = 0.05;
	if (c && stats_correction_parse(c, &o->correction))
		ret = error("compare.correction = '%s': use bh, holm or none", c);
	free(c);
	a = ctx_config_get(ctx, "compare.alpha");
	if (a) {
		char *end;

		o->alpha = strtod(a, &end);
		if (*end || end == a || o->alpha <= 0 || o->alpha >= 1)
			ret = error("compare.alpha = '%s': a number in (0, 1)", a);
		free(a);
	}
	return ret;
}

static int flaky_cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const struct history_flaky *)elem)->name);
}

/* Mark the cases of c known to be flaky on the check's target. */
static int mark_known_flaky(sqlite3 *db, const struct check_report *r,
			    struct suite_cmp *c)
{
	struct history_flaky *f;
	size_t n, i;

	if (!c->ncases)
		return 0;
	if (history_flaky_cases(db, c->suite, r->arch, r->compiler,
				r->config_name, &f, &n))
		return -1;
	for (i = 0; n && i < c->ncases; i++) {
		struct case_cmp *k = &c->cases[i];
		const struct history_flaky *h = bsearch(k->name, f, n, sizeof(*f),
							flaky_cmp);

		if (h) {
			k->known_flaky = h->flaky_commits;
			k->known_pass = h->pass;
			k->known_runs = h->runs;
		}
	}
	history_flaky_free(f, n);
	return 0;
}

static int load_suites(struct pwb_ctx *ctx, struct check_report *r)
{
	sqlite3_stmt *st;
	struct cmp_opts o;
	char *datadir = pwb_datadir(ctx);
	int rc, ret = -1;

	if (compare_opts(ctx, &o))
		goto out;
	if (db_prepare(ctx->db, &st, "SELECT suite, suite_hash, base_tree, "
		       "cand_tree, status, error FROM check_suites WHERE "
		       "check_id = ? ORDER BY rowid"))
		goto out;
	sqlite3_bind_int64(st, 1, r->id);
	while ((rc = db_row(ctx->db, st, "load check suites")) > 0) {
		const char *name = (const char *)sqlite3_column_text(st, 0);
		const char *hash = (const char *)sqlite3_column_text(st, 1);
		const char *bt = (const char *)sqlite3_column_text(st, 2);
		const char *ct = (const char *)sqlite3_column_text(st, 3);
		const char *status = (const char *)sqlite3_column_text(st, 4);
		enum check_suite_status sst;
		struct suite s;
		struct suite_cmp *c;
		size_t k = r->nsuites;

		r->suites = xrealloc(r->suites, (k + 1) * sizeof(*r->suites));
		r->suite_errors = xrealloc(r->suite_errors, (k + 1) * sizeof(char *));
		c = &r->suites[k];
		memset(c, 0, sizeof(*c));
		r->suite_errors[k] = NULL;
		r->nsuites++;
		if (check_suite_status_parse(status, &sst)) {
			error("check %ld, suite %s: status '%s': not pwb's", r->id,
			      vis(name), vis(status));
			sqlite3_finalize(st);
			goto out;
		}
		if (sst != CHECK_SUITE_COMPARED) {
			c->suite = xstrdup(name);
			c->suite_hash = xstrdup(hash);
			r->suite_errors[k] = db_column_dup(st, 5);
			if (!r->suite_errors[k])
				r->suite_errors[k] =
					xstrdup(check_suite_status_name(sst));
			continue;
		}
		/* judged with the suite's current thresholds */
		if (suite_load(datadir, name, &s)) {
			c->suite = xstrdup(name);
			c->suite_hash = xstrdup(hash);
			r->suite_errors[k] = xstrdup("the suite cannot be loaded now");
			continue;
		}
		{
			struct side_keep kb, kc;
			struct cmp_side b = side_of(ctx->db, r->id, bt, &kb);
			struct cmp_side cs = side_of(ctx->db, r->id, ct, &kc);
			int bad = compare_suite(ctx->db, &s, hash, &b, &cs, &o, c) ||
				  mark_known_flaky(ctx->db, r, c);

			side_release(&kb);
			side_release(&kc);
			suite_release(&s);
			if (bad) {
				sqlite3_finalize(st);
				goto out;
			}
		}
	}
	sqlite3_finalize(st);
	ret = rc < 0 ? -1 : 0;
out:
	free(datadir);
	return ret;
}

/* How the base was chosen, and the patch that did not apply (if one). */
static int load_apply(sqlite3 *db, long apply_id, struct check_report *r)
{
	sqlite3_stmt *st;
	int rc;

	if (apply_id < 0)
		return 0;
	if (db_prepare(db, &st, "SELECT a.base_rule, a.base_why, p.idx, p.error "
		       "FROM applies a LEFT JOIN apply_patches p ON "
		       "p.apply_id = a.id AND p.status = 'failed' WHERE a.id = ? "
		       "ORDER BY p.idx LIMIT 1"))
		return -1;
	sqlite3_bind_int64(st, 1, apply_id);
	rc = db_row(db, st, "load the check's apply");
	if (rc > 0) {
		r->base_rule = db_column_dup(st, 0);
		r->base_why = db_column_dup(st, 1);
		if (sqlite3_column_type(st, 2) != SQLITE_NULL) {
			r->failed_idx = sqlite3_column_int(st, 2);
			r->failed_error = db_column_dup(st, 3);
		}
	}
	sqlite3_finalize(st);
	return rc < 0 ? -1 : 0;
}

int check_report_load(struct pwb_ctx *ctx, long id, struct check_report *r)
{
	sqlite3_stmt *st;
	long series_id = -1, apply_id = -1;
	int rc;

	memset(r, 0, sizeof(*r));
	r->id = id;
	if (db_prepare(ctx->db, &st, "SELECT series_id, source, repo_path, "
		       "config_name, apply_id, base_commit, tip_commit, repeat, "
		       "status, verdict, started_at, finished_at, "
		       "arch, compiler, error FROM checks WHERE id = ?"))
		return -1;
	sqlite3_bind_int64(st, 1, id);
	rc = db_row(ctx->db, st, "load the check");
	if (rc <= 0) {
		sqlite3_finalize(st);
		return rc < 0 ? -1 : error("no check %ld", id);
	}
	if (sqlite3_column_type(st, 0) != SQLITE_NULL)
		series_id = (long)sqlite3_column_int64(st, 0);
	r->source = db_column_dup(st, 1);
	r->repo_path = db_column_dup(st, 2);
	r->config_name = db_column_dup(st, 3);
	r->arch = db_column_dup(st, 12);
	r->compiler = db_column_dup(st, 13);
	r->error = db_column_dup(st, 14);
	if (sqlite3_column_type(st, 4) != SQLITE_NULL)
		apply_id = (long)sqlite3_column_int64(st, 4);
	r->base_commit = db_column_dup(st, 5);
	r->tip_commit = db_column_dup(st, 6);
	r->repeat = sqlite3_column_int(st, 7);
	if (check_status_parse((const char *)sqlite3_column_text(st, 8),
			       &r->status) ||
	    check_verdict_parse((const char *)sqlite3_column_text(st, 9),
				&r->verdict)) {
		error("check %ld: status '%s', verdict '%s': not pwb's", id,
		      vis((const char *)sqlite3_column_text(st, 8)),
		      vis((const char *)sqlite3_column_text(st, 9)));
		sqlite3_finalize(st);
		goto fail;
	}
	r->started_at = (long)sqlite3_column_int64(st, 10);
	r->finished_at = (long)sqlite3_column_int64(st, 11);
	sqlite3_finalize(st);
	if (series_id > 0) {
		if (store_load_series(ctx->db, series_id, &r->series))
			goto fail;
		r->have_series = 1;
		if (store_series_recipients(ctx->db, &r->series, &r->recipients,
					    &r->nrecipients))
			goto fail;
	}
	{
		/* the reporter is pwb, at its user's address (as the kernel
		 * test robot is at lkp@intel.com) */
		char *email = ctx_config_get(ctx, "user.email");

		if (email && *email)
			r->reporter = xstrfmt("pwb <%s>", email);
		free(email);
	}
	if (load_apply(ctx->db, apply_id, r) ||
	    load_builds(ctx->db, apply_id, r) || load_patch_checks(ctx->db, r) ||
	    load_suites(ctx, r))
		goto fail;
	return 0;
fail:
	check_report_release(r);
	return -1;
}

