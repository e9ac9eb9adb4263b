#include "history.h"
#include "db.h"
#include "util/util.h"
#include "util/vis.h"

#include <stdlib.h>
#include <string.h>

int history_series(sqlite3 *db, long series_id, struct series_history *out)
{
	sqlite3_stmt *st;
	int rc;

	memset(out, 0, sizeof(*out));
	/* versions: the same thread or the same subject elsewhere */
	if (db_prepare(db, &st, "SELECT s.id, s.version, s.subject, s.date, "
		       "c.id, c.verdict, c.status, c.started_at, c.tip_commit, "
		       "(SELECT count(*) FROM check_builds b WHERE b.check_id = c.id "
		       "AND b.idx > 0 AND b.status != 'ok') "
		       "FROM series s LEFT JOIN checks c ON c.series_id = s.id "
		       "WHERE s.thread_id = (SELECT thread_id FROM series WHERE id = ?1) "
		       "OR s.subject = (SELECT subject FROM series WHERE id = ?1) "
		       "ORDER BY s.version, s.id, c.id"))
		return -1;
	sqlite3_bind_int64(st, 1, series_id);
	while ((rc = db_row(db, st, "series history")) > 0) {
		struct history_version *v;

		out->v = xrealloc(out->v, (out->n + 1) * sizeof(*out->v));
		v = &out->v[out->n++];
		memset(v, 0, sizeof(*v));
		v->series = (long)sqlite3_column_int64(st, 0);
		v->version = sqlite3_column_int(st, 1);
		v->subject = db_column_dup(st, 2);
		v->patches_not_building = sqlite3_column_int(st, 9);
		v->checked = sqlite3_column_type(st, 4) != SQLITE_NULL;
		if (!v->checked)
			continue;
		v->check = sqlite3_column_int64(st, 4);
		if (check_verdict_parse((const char *)sqlite3_column_text(st, 5),
					&v->verdict) ||
		    check_status_parse((const char *)sqlite3_column_text(st, 6),
				       &v->status)) {
			rc = error("check %lld: status '%s', verdict '%s': not pwb's",
				   (long long)v->check,
				   vis((const char *)sqlite3_column_text(st, 6)),
				   vis((const char *)sqlite3_column_text(st, 5)));
			break;
		}
		v->started_at = sqlite3_column_int64(st, 7);
		v->tip = db_column_dup(st, 8);
	}
	sqlite3_finalize(st);
	if (rc < 0) {
		series_history_release(out);
		return -1;
	}
	return 0;
}

void series_history_release(struct series_history *h)
{
	size_t i;

	for (i = 0; i < h->n; i++) {
		free(h->v[i].subject);
		free(h->v[i].tip);
	}
	free(h->v);
	h->v = NULL;
	h->n = 0;
}

static const char *row_result(int pass, int fail)
{
	return fail && pass ? "flaky" : fail ? "fail" : pass ? "pass" : "skip";
}

int history_case(sqlite3 *db, const char *name, const char *suite,
		 struct case_history *out)
{
	sqlite3_stmt *st;
	int rc;

	memset(out, 0, sizeof(*out));
	/* a row per (target, commit); the targets' rows come together */
	if (db_prepare(db, &st, "SELECT r.suite, coalesce((SELECT t.name FROM "
		       "trees t WHERE t.path = b.repo_path), b.repo_path), "
		       "b.arch, b.compiler, b.config_name, b.commit_id, b.rev, "
		       "sum(c.status = 'pass'), sum(c.status IN ('fail', 'crashed')), "
		       "count(*), min(r.started_at), max(r.started_at) "
		       "FROM case_results c JOIN suite_runs r ON r.id = c.run_id "
		       "JOIN builds b ON b.id = r.build_id WHERE c.name = ? AND "
		       "(?2 IS NULL OR r.suite = ?2) GROUP BY r.suite, b.repo_path, "
		       "b.arch, b.compiler, b.config_name, b.commit_id ORDER BY "
		       "r.suite, 2, b.arch, b.compiler, b.config_name, "
		       "min(r.started_at)"))
		return -1;
	db_bind_text(st, 1, name);
	db_bind_text(st, 2, suite);
	while ((rc = db_row(db, st, "case history")) > 0) {
		struct history_case_target *t = out->n ? &out->t[out->n - 1] : NULL;
		const char *col[5];
		struct history_case_row *r;
		int k;

		for (k = 0; k < 5; k++)
			col[k] = (const char *)sqlite3_column_text(st, k);
		if (!t || !str_same(t->suite, col[0]) || !str_same(t->tree, col[1]) ||
		    !str_same(t->arch, col[2]) || !str_same(t->compiler, col[3]) ||
		    !str_same(t->config, col[4])) {
			out->t = xrealloc(out->t, (out->n + 1) * sizeof(*out->t));
			t = &out->t[out->n++];
			memset(t, 0, sizeof(*t));
			t->suite = db_column_dup(st, 0);
			t->tree = db_column_dup(st, 1);
			t->arch = db_column_dup(st, 2);
			t->compiler = db_column_dup(st, 3);
			t->config = db_column_dup(st, 4);
		}
		t->rows = xrealloc(t->rows, (t->n + 1) * sizeof(*t->rows));
		r = &t->rows[t->n++];
		r->commit = db_column_dup(st, 5);
		r->rev = db_column_dup(st, 6);
		r->pass = sqlite3_column_int(st, 7);
		r->fail = sqlite3_column_int(st, 8);
		r->runs = sqlite3_column_int(st, 9);
		r->first = sqlite3_column_int64(st, 10);
		r->last = sqlite3_column_int64(st, 11);
		r->result = row_result(r->pass, r->fail);
		t->pass += r->pass;
		t->fail += r->fail;
		t->runs += r->runs;
		t->flaky_commits += r->pass && r->fail;
		if (t->n == 1 || r->first < t->first)
			t->first = r->first;
		if (r->last > t->last)
			t->last = r->last;
	}
	sqlite3_finalize(st);
	if (rc < 0) {
		case_history_release(out);
		return -1;
	}
	return 0;
}

int history_flaky_cases(sqlite3 *db, const char *suite, const char *arch,
			const char *compiler, const char *config,
			struct history_flaky **out, size_t *n)
{
	sqlite3_stmt *st;
	int rc;

	*out = NULL;
	*n = 0;
	if (db_prepare(db, &st, "SELECT name, sum(p > 0 AND f > 0), sum(p), "
		       "sum(k) FROM (SELECT c.name AS name, "
		       "sum(c.status = 'pass') AS p, "
		       "sum(c.status IN ('fail', 'crashed')) AS f, count(*) AS k "
		       "FROM case_results c JOIN suite_runs r ON r.id = c.run_id "
		       "JOIN builds b ON b.id = r.build_id WHERE r.suite = ? AND "
		       "b.arch = ? AND b.compiler = ? AND b.config_name = ? "
		       "GROUP BY c.name, b.commit_id) GROUP BY name "
		       "HAVING sum(p > 0 AND f > 0) > 0 ORDER BY name"))
		return -1;
	db_bind_text(st, 1, suite);
	db_bind_text(st, 2, arch);
	db_bind_text(st, 3, compiler);
	db_bind_text(st, 4, config);
	while ((rc = db_row(db, st, "flaky cases")) > 0) {
		struct history_flaky *f;

		*out = xrealloc(*out, (*n + 1) * sizeof(**out));
		f = &(*out)[(*n)++];
		f->name = db_column_dup(st, 0);
		f->flaky_commits = sqlite3_column_int(st, 1);
		f->pass = sqlite3_column_int(st, 2);
		f->runs = sqlite3_column_int(st, 3);
	}
	sqlite3_finalize(st);
	if (rc < 0) {
		history_flaky_free(*out, *n);
		*out = NULL;
		*n = 0;
		return -1;
	}
	return 0;
}

void history_flaky_free(struct history_flaky *f, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(f[i].name);
	free(f);
}

void case_history_release(struct case_history *h)
{
	size_t i, j;

	for (i = 0; i < h->n; i++) {
		struct history_case_target *t = &h->t[i];

		for (j = 0; j < t->n; j++) {
			free(t->rows[j].commit);
			free(t->rows[j].rev);
		}
		free(t->rows);
		free(t->suite);
		free(t->tree);
		free(t->arch);
		free(t->compiler);
		free(t->config);
	}
	free(h->t);
	h->t = NULL;
	h->n = 0;
}
