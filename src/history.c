#include "history.h"
#include "db.h"
#include "util/util.h"

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
		v->verdict = db_column_dup(st, 5);
		v->status = db_column_dup(st, 6);
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
		free(h->v[i].verdict);
		free(h->v[i].status);
		free(h->v[i].tip);
	}
	free(h->v);
	h->v = NULL;
	h->n = 0;
}

int history_case(sqlite3 *db, const char *name, const char *suite,
		 struct case_history *out)
{
	sqlite3_stmt *st;
	int rc;

	memset(out, 0, sizeof(*out));
	if (db_prepare(db, &st, "SELECT r.suite, b.commit_id, b.rev, "
		       "sum(c.status = 'pass'), sum(c.status IN ('fail', 'crashed')), "
		       "count(*), min(r.started_at), max(r.started_at) "
		       "FROM case_results c JOIN suite_runs r ON r.id = c.run_id "
		       "JOIN builds b ON b.id = r.build_id WHERE c.name = ? AND "
		       "(?2 IS NULL OR r.suite = ?2) GROUP BY r.suite, b.commit_id "
		       "ORDER BY min(r.started_at)"))
		return -1;
	db_bind_text(st, 1, name);
	db_bind_text(st, 2, suite);
	while ((rc = db_row(db, st, "case history")) > 0) {
		struct history_case_row *r;

		out->rows = xrealloc(out->rows, (out->n + 1) * sizeof(*out->rows));
		r = &out->rows[out->n++];
		r->suite = db_column_dup(st, 0);
		r->commit = db_column_dup(st, 1);
		r->rev = db_column_dup(st, 2);
		r->pass = sqlite3_column_int(st, 3);
		r->fail = sqlite3_column_int(st, 4);
		r->runs = sqlite3_column_int(st, 5);
		r->first = sqlite3_column_int64(st, 6);
		r->last = sqlite3_column_int64(st, 7);
		r->result = r->fail && r->pass ? "flaky" : r->fail ? "fail" :
			    r->pass ? "pass" : "skip";
	}
	sqlite3_finalize(st);
	if (rc < 0) {
		case_history_release(out);
		return -1;
	}
	return 0;
}

void case_history_release(struct case_history *h)
{
	size_t i;

	for (i = 0; i < h->n; i++) {
		free(h->rows[i].suite);
		free(h->rows[i].commit);
		free(h->rows[i].rev);
	}
	free(h->rows);
	h->rows = NULL;
	h->n = 0;
}
