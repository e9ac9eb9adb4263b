#include "store.h"
#include "db.h"
#include "lore.h"
#include "mail.h"
#include "util/gz.h"
#include "util/util.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>

static int step_done(sqlite3 *db, sqlite3_stmt *st, const char *what)
{
	int rc = sqlite3_step(st);

	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return db_error(db, what);
	return 0;
}

/* SELECT returning one integer; 1 found, 0 not found, -1 error */
static int query_long(sqlite3 *db, const char *sql, const char *arg1,
		      long arg2, long *out)
{
	sqlite3_stmt *st;
	int rc;

	if (db_prepare(db, &st, sql))
		return -1;
	if (arg1)
		db_bind_text(st, 1, arg1);
	else
		sqlite3_bind_int64(st, 1, arg2);
	rc = db_row(db, st, "query");
	if (rc > 0)
		*out = (long)sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return rc;
}

static int thread_row(sqlite3 *db, const struct thread *t, const char *source,
		      const char *lore_base, const struct buf *gz, long *tid)
{
	sqlite3_stmt *st = NULL;
	size_t i;
	int rc = 0;

	*tid = -1;
	/* one statement for every message (a 50,000-message thread) */
	if (db_prepare(db, &st, "SELECT thread_id FROM messages WHERE msgid = ?"))
		return -1;
	for (i = 0; i < t->nr && *tid < 0; i++) {
		sqlite3_reset(st);
		db_bind_text(st, 1, t->msgs[i].mail.msgid);
		rc = db_row(db, st, "query");
		if (rc < 0) {
			sqlite3_finalize(st);
			return -1;
		}
		if (rc > 0)
			*tid = (long)sqlite3_column_int64(st, 0);
	}
	sqlite3_finalize(st);
	st = NULL;
	if (*tid >= 0) {
		if (db_prepare(db, &st, "UPDATE threads SET source = ?, "
			       "lore_base = COALESCE(?, lore_base), "
			       "fetched_at = ?, mbox_gz = ? WHERE id = ?"))
			return -1;
		sqlite3_bind_int64(st, 5, *tid);
	} else {
		if (db_prepare(db, &st, "INSERT INTO threads (source, lore_base, "
			       "fetched_at, mbox_gz, root_msgid) "
			       "VALUES (?, ?, ?, ?, ?)"))
			return -1;
		db_bind_text(st, 5, t->msgs[t->root].mail.msgid);
	}
	db_bind_text(st, 1, source);
	db_bind_text(st, 2, lore_base);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)time(NULL));
	sqlite3_bind_blob64(st, 4, gz->buf, gz->len, SQLITE_STATIC);
	rc = step_done(db, st, "store thread");
	sqlite3_finalize(st);
	if (!rc && *tid < 0)
		*tid = (long)sqlite3_last_insert_rowid(db);
	return rc;
}

/*
 * gzip one message with streams kept across messages (deflateReset): a
 * deflateInit per message, and compressing mails of a few hundred bytes at
 * all, were a quarter of storing a 50,000-message thread.  Under 1 KiB a
 * message is stored (gzip level 0: a mail that small gains a few dozen
 * bytes); above, level 6 as gz_compress.  Both are plain gzip members.
 */
struct gz_streams {
	z_stream zs[2];
	int ready[2];
};

static int gz_message(struct gz_streams *g, const void *data, size_t len,
		      struct buf *out)
{
	int k = len >= 1024, rc;
	z_stream *zs = &g->zs[k];

	if (!g->ready[k]) {
		memset(zs, 0, sizeof(*zs));
		/* level 0 (stored) never reads the hash table deflateReset
		 * clears for every message: the smallest (memLevel 1) */
		if (deflateInit2(zs, k ? 6 : 0, Z_DEFLATED, 16 + MAX_WBITS,
				 k ? 8 : 1, Z_DEFAULT_STRATEGY) != Z_OK)
			return -1;
		g->ready[k] = 1;
	} else if (deflateReset(zs) != Z_OK) {
		return -1;
	}
	zs->next_in = (Bytef *)data;
	zs->avail_in = (uInt)len;
	do {
		buf_grow(out, deflateBound(zs, (uLong)len) + 64);
		zs->next_out = (Bytef *)out->buf + out->len;
		zs->avail_out = (uInt)(out->alloc - out->len - 1);
		rc = deflate(zs, Z_FINISH);
		out->len = out->alloc - 1 - zs->avail_out;
		out->buf[out->len] = '\0';
	} while (rc == Z_OK);
	return rc == Z_STREAM_END ? 0 : -1;
}

static void gz_streams_end(struct gz_streams *g)
{
	int k;

	for (k = 0; k < 2; k++)
		if (g->ready[k])
			deflateEnd(&g->zs[k]);
}

static int store_messages(sqlite3 *db, const struct thread *t, long tid,
			  struct store_stats *stats)
{
	sqlite3_stmt *ins = NULL, *par = NULL;
	struct buf refs = BUF_INIT, raw = BUF_INIT;
	size_t i, r;
	int ret = -1;
	struct gz_streams gzs;

	memset(&gzs, 0, sizeof(gzs));
	if (db_prepare(db, &ins, "INSERT OR IGNORE INTO messages (thread_id, "
		       "msgid, msgid_derived, in_reply_to, refs, parent_msgid, "
		       "from_name, from_email, date, date_tz, subject, list_id, "
		       "headers, body, raw_gz) VALUES "
		       "(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)") ||
	    db_prepare(db, &par, "UPDATE messages SET parent_msgid = ? "
		       "WHERE msgid = ? AND parent_msgid IS NULL"))
		goto out;
	for (i = 0; i < t->nr; i++) {
		const struct tmsg *m = &t->msgs[i];
		const char *parent = m->parent >= 0 ?
			t->msgs[m->parent].mail.msgid : NULL;

		if (m->role < 0)
			continue;
		stats->messages++;
		buf_reset(&refs);
		for (r = 0; r < m->mail.nrefs; r++) {
			if (r)
				buf_addch(&refs, ' ');
			buf_addstr(&refs, m->mail.refs[r]);
		}
		buf_reset(&raw);
		if (gz_message(&gzs, m->mail.raw, m->mail.raw_len, &raw)) {
			error("cannot compress message <%s>", m->mail.msgid);
			goto out;
		}
		sqlite3_reset(ins);
		sqlite3_bind_int64(ins, 1, tid);
		db_bind_text_static(ins, 2, m->mail.msgid);
		sqlite3_bind_int(ins, 3, m->mail.msgid_derived);
		db_bind_text_static(ins, 4, m->mail.in_reply_to);
		db_bind_text_static(ins, 5, refs.len ? refs.buf : NULL);
		db_bind_text_static(ins, 6, parent);
		db_bind_text_static(ins, 7, m->mail.from_name);
		db_bind_text_static(ins, 8, m->mail.from_email);
		if (m->mail.date)
			sqlite3_bind_int64(ins, 9, m->mail.date);
		else
			sqlite3_bind_null(ins, 9);
		sqlite3_bind_int(ins, 10, m->mail.date_tz);
		db_bind_text_static(ins, 11, m->mail.subject);
		db_bind_text_static(ins, 12, m->mail.list_id);
		db_bind_text_static(ins, 13, m->mail.headers ? m->mail.headers : "");
		db_bind_text_static(ins, 14, m->mail.body);
		sqlite3_bind_blob64(ins, 15, raw.buf, raw.len, SQLITE_STATIC);
		if (step_done(db, ins, "store message"))
			goto out;
		stats->new_messages += sqlite3_changes(db);
		/* a new row has its parent already; an old one may lack it */
		if (parent && !sqlite3_changes(db)) {
			sqlite3_reset(par);
			db_bind_text(par, 1, parent);
			db_bind_text(par, 2, m->mail.msgid);
			if (step_done(db, par, "link message"))
				goto out;
		}
	}
	ret = 0;
out:
	gz_streams_end(&gzs);
	sqlite3_finalize(ins);
	sqlite3_finalize(par);
	buf_release(&refs);
	buf_release(&raw);
	return ret;
}

static int store_one_series(sqlite3 *db, const struct thread *t,
			    const struct series *s, long tid, long *sid,
			    int *ntrailers)
{
	sqlite3_stmt *st = NULL;
	const char *msgid = series_msgid(t, s);
	const struct tmsg *first = s->cover >= 0 ? &t->msgs[s->cover] :
				   &t->msgs[s->patches[0].msg >= 0 ?
					    s->patches[0].msg :
					    t->root];
	int k, ret = -1, found, rc;

	*ntrailers = 0;
	/* one row per (thread, version), even when its first message changes */
	found = query_long(db, "SELECT id FROM series WHERE msgid = ?", msgid,
			   0, sid);
	if (found < 0)
		return -1;
	if (!found) {
		sqlite3_stmt *q;

		if (db_prepare(db, &q, "SELECT id FROM series WHERE thread_id = ? "
			       "AND version = ?"))
			return -1;
		sqlite3_bind_int64(q, 1, tid);
		sqlite3_bind_int(q, 2, s->version);
		/* an error is not "no such series": that would add a second */
		found = db_row(db, q, "find series");
		if (found > 0)
			*sid = (long)sqlite3_column_int64(q, 0);
		sqlite3_finalize(q);
		if (found < 0)
			return -1;
	}
	if (found) {
		if (db_prepare(db, &st, "UPDATE series SET thread_id = ?, "
			       "msgid = ?, version = ?, subject = ?, prefixes = ?, "
			       "cover_msgid = ?, base_commit = ?, prerequisites = ?, "
			       "total = ?, complete = ?, date = ? WHERE id = ?"))
			return -1;
		sqlite3_bind_int64(st, 12, *sid);
	} else if (db_prepare(db, &st, "INSERT INTO series (thread_id, msgid, "
			      "version, subject, prefixes, cover_msgid, "
			      "base_commit, prerequisites, total, complete, date) "
			      "VALUES (?,?,?,?,?,?,?,?,?,?,?)")) {
		return -1;
	}
	sqlite3_bind_int64(st, 1, tid);
	db_bind_text(st, 2, msgid);
	sqlite3_bind_int(st, 3, s->version);
	db_bind_text(st, 4, s->subject ? s->subject : "");
	db_bind_text(st, 5, s->prefixes ? s->prefixes : "");
	db_bind_text(st, 6, s->cover >= 0 ? t->msgs[s->cover].mail.msgid : NULL);
	db_bind_text(st, 7, s->base_commit);
	db_bind_text(st, 8, s->prerequisites);
	sqlite3_bind_int(st, 9, s->total);
	sqlite3_bind_int(st, 10, s->complete);
	sqlite3_bind_int64(st, 11, first->mail.date);
	if (step_done(db, st, "store series"))
		goto out;
	if (!found)
		*sid = (long)sqlite3_last_insert_rowid(db);
	sqlite3_finalize(st);
	st = NULL;

	if (db_prepare(db, &st, "DELETE FROM trailers WHERE patch_row IN "
		       "(SELECT id FROM patches WHERE series_id = ?)"))
		goto out;
	sqlite3_bind_int64(st, 1, *sid);
	if (step_done(db, st, "clear trailers"))
		goto out;
	sqlite3_finalize(st);
	st = NULL;

	for (k = 0; k < s->total; k++) {
		const struct spatch *sp = &s->patches[k];
		const struct tmsg *m;
		sqlite3_stmt *tr = NULL;
		long prow;
		size_t j;

		if (sp->msg < 0)
			continue;
		m = &t->msgs[sp->msg];
		if (db_prepare(db, &st, "INSERT INTO patches (series_id, idx, "
			       "msgid, subject, author_name, author_email, date, "
			       "date_tz, message, diffstat, diff, patch_id) "
			       "VALUES (?,?,?,?,?,?,?,?,?,?,?,?) "
			       "ON CONFLICT (series_id, idx) DO UPDATE SET "
			       "msgid = excluded.msgid, subject = excluded.subject, "
			       "author_name = excluded.author_name, "
			       "author_email = excluded.author_email, "
			       "date = excluded.date, date_tz = excluded.date_tz, "
			       "message = excluded.message, "
			       "diffstat = excluded.diffstat, diff = excluded.diff, "
			       "patch_id = excluded.patch_id"))
			goto out;
		sqlite3_bind_int64(st, 1, *sid);
		sqlite3_bind_int(st, 2, k + 1);
		db_bind_text(st, 3, m->mail.msgid);
		db_bind_text(st, 4, m->mi.subject);
		db_bind_text(st, 5, m->mi.author);
		db_bind_text(st, 6, m->mi.email);
		sqlite3_bind_int64(st, 7, m->mi.date ? m->mi.date : m->mail.date);
		sqlite3_bind_int(st, 8, m->mi.date ? m->mi.date_tz :
				 m->mail.date_tz);
		db_bind_text(st, 9, sp->message);
		db_bind_text(st, 10, sp->diffstat);
		db_bind_text(st, 11, sp->diff);
		db_bind_text(st, 12, sp->patch_id);
		if (step_done(db, st, "store patch"))
			goto out;
		sqlite3_finalize(st);
		st = NULL;
		{
			sqlite3_stmt *q;

			if (db_prepare(db, &q, "SELECT id FROM patches WHERE "
				       "series_id = ? AND idx = ?"))
				goto out;
			sqlite3_bind_int64(q, 1, *sid);
			sqlite3_bind_int(q, 2, k + 1);
			rc = db_row(db, q, "find patch");
			if (rc > 0)
				prow = (long)sqlite3_column_int64(q, 0);
			sqlite3_finalize(q);
			if (rc == 0)
				error("patch %d of series %ld is not there after "
				      "storing it", k + 1, *sid);
			if (rc <= 0)
				goto out;
		}
		if (db_prepare(db, &tr, "INSERT OR IGNORE INTO trailers "
			       "(patch_row, kind, person, from_msgid) "
			       "VALUES (?,?,?,?)"))
			goto out;
		for (j = 0; j < sp->ntrailers; j++) {
			sqlite3_reset(tr);
			sqlite3_bind_int64(tr, 1, prow);
			db_bind_text(tr, 2, sp->trailers[j].kind);
			db_bind_text(tr, 3, sp->trailers[j].person);
			db_bind_text(tr, 4, sp->trailers[j].from_msgid);
			if (step_done(db, tr, "store trailer")) {
				sqlite3_finalize(tr);
				goto out;
			}
			(*ntrailers)++;
		}
		sqlite3_finalize(tr);
	}
	ret = 0;
out:
	sqlite3_finalize(st);
	return ret;
}

int store_thread(sqlite3 *db, const struct thread *t,
		 const struct series *selected, const char *source,
		 const char *lore_base, const struct buf *gz,
		 struct store_stats *st)
{
	size_t i;
	long tid;

	memset(st, 0, sizeof(*st));
	st->selected_id = -1;
	if (db_begin(db))
		return -1;
	if (thread_row(db, t, source, lore_base, gz, &tid) ||
	    store_messages(db, t, tid, st))
		goto fail;
	st->thread_id = tid;
	for (i = 0; i < t->nseries; i++) {
		long sid;
		int ntr;

		if (store_one_series(db, t, &t->series[i], tid, &sid, &ntr))
			goto fail;
		st->series++;
		if (&t->series[i] == selected) {
			st->selected_id = sid;
			st->trailers = ntr;
		}
	}
	if (db_commit(db))
		goto fail;
	return 0;
fail:
	db_rollback(db);
	return error("nothing was stored");
}

static char *strip_brackets(const char *arg)
{
	size_t n = strlen(arg);

	if (n >= 2 && arg[0] == '<' && arg[n - 1] == '>')
		return xstrndup(arg + 1, n - 2);
	return xstrdup(arg);
}

/* The series of message-id msgid: 1 found, 0 not, -1 database (said). */
static int lookup_msgid(sqlite3 *db, const char *msgid, long *id)
{
	int rc;

	rc = query_long(db, "SELECT id FROM series WHERE msgid = ?1 OR "
			"cover_msgid = ?1 UNION ALL SELECT series_id FROM patches "
			"WHERE msgid = ?1", msgid, 0, id);
	if (rc == 0)
		rc = query_long(db, "SELECT s.id FROM series s JOIN messages m "
				"ON m.thread_id = s.thread_id WHERE m.msgid = ? "
				"ORDER BY s.complete DESC, s.version DESC",
				msgid, 0, id);
	return rc < 0 ? -1 : rc > 0;
}

int store_find_series(sqlite3 *db, const char *arg, long *id)
{
	char *msgid = NULL, *base = NULL;
	long v;
	int rc;

	if (!parse_long(arg, &v) && v > 0) {
		rc = query_long(db, "SELECT id FROM series WHERE id = ?", NULL,
				v, id);
		if (rc <= 0)
			return rc < 0 ? -1 : error("no series with id %ld", v);
		return 0;
	}
	if (lore_parse_url(arg, &base, &msgid))
		msgid = strip_brackets(arg);
	free(base);
	rc = lookup_msgid(db, msgid, id);
	if (rc == 0)
		error("no series known for <%s> (pwb fetch it first)", msgid);
	free(msgid);
	return rc == 1 ? 0 : -1;
}

int store_series_of_msgid(sqlite3 *db, const char *msgid, long *id)
{
	char *m = strip_brackets(msgid);
	int rc = lookup_msgid(db, m, id);

	free(m);
	return rc;
}

int store_series_of_mail(sqlite3 *db, const char *msgid, long *id, int *idx)
{
	sqlite3_stmt *st;
	int rc;

	/* the newest series that has it (a resend is a new series) */
	if (db_prepare(db, &st, "SELECT series_id, idx FROM patches WHERE "
		       "msgid = ?1 UNION ALL SELECT id, 0 FROM series WHERE "
		       "cover_msgid = ?1 ORDER BY 1 DESC LIMIT 1"))
		return -1;
	db_bind_text(st, 1, msgid);
	rc = db_row(db, st, "find the series of a mail");
	if (rc > 0) {
		*id = (long)sqlite3_column_int64(st, 0);
		*idx = sqlite3_column_int(st, 1);
	}
	sqlite3_finalize(st);
	return rc;
}

int store_find_thread(sqlite3 *db, const char *arg, long *thread_id)
{
	char *msgid = NULL, *base = NULL;
	int rc;

	if (lore_parse_url(arg, &base, &msgid))
		msgid = strip_brackets(arg);
	free(base);
	rc = query_long(db, "SELECT thread_id FROM messages WHERE msgid = ?",
			msgid, 0, thread_id);
	if (rc == 0)
		error("no thread known for <%s> (pwb fetch it first)", msgid);
	free(msgid);
	return rc == 1 ? 0 : -1;
}

static int addr_seen(char **l, size_t n, const char *s)
{
	size_t la, lb, i;
	const char *a = mail_addr_of(s, &la), *b;

	for (i = 0; i < n; i++) {
		b = mail_addr_of(l[i], &lb);
		if (la == lb && !strncasecmp(a, b, la))
			return 1;
	}
	return 0;
}

int store_series_recipients(sqlite3 *db, const struct stored_series *s,
			    char ***out, size_t *n)
{
	sqlite3_stmt *st;
	size_t i;
	int rc = 0;

	*out = NULL;
	*n = 0;
	if (db_prepare(db, &st, "SELECT headers FROM messages WHERE msgid = ?"))
		return -1;
	for (i = 0; i <= s->npatches && rc >= 0; i++) {
		const char *mid = !i ? s->cover_msgid : s->patches[i - 1].msgid;
		char **l = NULL;
		size_t nl = 0, j;

		if (!mid)
			continue;
		sqlite3_reset(st);
		db_bind_text(st, 1, mid);
		if ((rc = db_row(db, st, "load a message's headers")) <= 0)
			continue;
		mail_recipients((const char *)sqlite3_column_text(st, 0), &l, &nl);
		for (j = 0; j < nl; j++) {
			if (addr_seen(*out, *n, l[j])) {
				free(l[j]);
				continue;
			}
			*out = xrealloc(*out, (*n + 1) * sizeof(**out));
			(*out)[(*n)++] = l[j];
		}
		free(l);
	}
	sqlite3_finalize(st);
	if (rc < 0) {
		for (i = 0; i < *n; i++)
			free((*out)[i]);
		free(*out);
		*out = NULL;
		*n = 0;
		return -1;
	}
	return 0;
}

int store_load_series(sqlite3 *db, long id, struct stored_series *s)
{
	sqlite3_stmt *st = NULL, *tr = NULL;
	int ret = -1, rc;

	memset(s, 0, sizeof(*s));
	if (db_prepare(db, &st, "SELECT s.id, s.thread_id, s.msgid, s.version, "
		       "s.subject, s.prefixes, s.cover_msgid, s.base_commit, "
		       "s.prerequisites, s.total, s.complete, s.date, "
		       "t.lore_base, t.root_msgid FROM series s "
		       "JOIN threads t ON t.id = s.thread_id WHERE s.id = ?"))
		return -1;
	sqlite3_bind_int64(st, 1, id);
	rc = db_row(db, st, "load series");
	if (rc <= 0) {
		if (rc == 0)
			error("no series with id %ld", id);
		goto out;
	}
	s->id = (long)sqlite3_column_int64(st, 0);
	s->thread_id = (long)sqlite3_column_int64(st, 1);
	s->msgid = db_column_dup(st, 2);
	s->version = sqlite3_column_int(st, 3);
	s->subject = db_column_dup(st, 4);
	s->prefixes = db_column_dup(st, 5);
	s->cover_msgid = db_column_dup(st, 6);
	s->base_commit = db_column_dup(st, 7);
	s->prerequisites = db_column_dup(st, 8);
	s->total = sqlite3_column_int(st, 9);
	s->complete = sqlite3_column_int(st, 10);
	s->date = sqlite3_column_int64(st, 11);
	s->lore_base = db_column_dup(st, 12);
	s->root_msgid = db_column_dup(st, 13);
	sqlite3_finalize(st);
	st = NULL;

	if (db_prepare(db, &st, "SELECT p.id, p.idx, p.msgid, p.subject, "
		       "p.author_name, p.author_email, p.date, p.date_tz, "
		       "p.message, p.diffstat, p.diff, p.patch_id, m.from_name, "
		       "m.from_email FROM patches p LEFT JOIN messages m ON "
		       "m.msgid = p.msgid WHERE p.series_id = ? ORDER BY p.idx") ||
	    db_prepare(db, &tr, "SELECT kind, person, from_msgid FROM trailers "
		       "WHERE patch_row = ? ORDER BY id"))
		goto out;
	sqlite3_bind_int64(st, 1, id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct stored_patch *p;

		s->patches = xrealloc(s->patches,
				      (s->npatches + 1) * sizeof(*s->patches));
		p = &s->patches[s->npatches++];
		memset(p, 0, sizeof(*p));
		p->row = (long)sqlite3_column_int64(st, 0);
		p->idx = sqlite3_column_int(st, 1);
		p->msgid = db_column_dup(st, 2);
		p->subject = db_column_dup(st, 3);
		p->author_name = db_column_dup(st, 4);
		p->author_email = db_column_dup(st, 5);
		p->date = sqlite3_column_int64(st, 6);
		p->date_tz = sqlite3_column_int(st, 7);
		p->message = db_column_dup(st, 8);
		p->diffstat = db_column_dup(st, 9);
		p->diff = db_column_dup(st, 10);
		p->patch_id = db_column_dup(st, 11);
		p->sender_name = db_column_dup(st, 12);
		p->sender_email = db_column_dup(st, 13);
		sqlite3_reset(tr);
		sqlite3_bind_int64(tr, 1, p->row);
		while ((rc = sqlite3_step(tr)) == SQLITE_ROW) {
			struct stored_trailer *t;

			p->trailers = xrealloc(p->trailers, (p->ntrailers + 1) *
					       sizeof(*p->trailers));
			t = &p->trailers[p->ntrailers++];
			t->kind = db_column_dup(tr, 0);
			t->person = db_column_dup(tr, 1);
			t->from_msgid = db_column_dup(tr, 2);
		}
		if (rc != SQLITE_DONE) {
			db_error(db, "load trailers");
			goto out;
		}
	}
	if (rc != SQLITE_DONE) {
		db_error(db, "load patches");
		goto out;
	}
	ret = 0;
out:
	sqlite3_finalize(st);
	sqlite3_finalize(tr);
	if (ret)
		stored_series_release(s);
	return ret;
}

void stored_series_release(struct stored_series *s)
{
	size_t i, j;

	for (i = 0; i < s->npatches; i++) {
		struct stored_patch *p = &s->patches[i];

		for (j = 0; j < p->ntrailers; j++) {
			free(p->trailers[j].kind);
			free(p->trailers[j].person);
			free(p->trailers[j].from_msgid);
		}
		free(p->trailers);
		free(p->msgid);
		free(p->subject);
		free(p->author_name);
		free(p->author_email);
		free(p->sender_name);
		free(p->sender_email);
		free(p->message);
		free(p->diffstat);
		free(p->diff);
		free(p->patch_id);
	}
	free(s->patches);
	free(s->msgid);
	free(s->subject);
	free(s->prefixes);
	free(s->cover_msgid);
	free(s->base_commit);
	free(s->prerequisites);
	free(s->lore_base);
	free(s->root_msgid);
	memset(s, 0, sizeof(*s));
}

/* Is this line "Token: value" as trailers are? */
static int is_trailer_line(const char *l, size_t n)
{
	size_t i = 0;

	while (i < n && (isalnum((unsigned char)l[i]) || l[i] == '-'))
		i++;
	return i > 0 && i + 1 < n && l[i] == ':' && l[i + 1] == ' ';
}

/* The commit message with the trailers appended to its trailer block. */
void store_message_with_trailers(struct buf *out, const char *message,
				 const struct stored_patch *p)
{
	struct buf m = BUF_INIT;
	const char *last_para, *s;
	int block = 1;
	size_t j;

	/* message is the body below the subject line */
	buf_addstr(&m, message);
	buf_rtrim(&m);
	if (m.len)
		buf_addch(&m, '\n');
	if (p->ntrailers && m.len) {
		/* the last paragraph is a trailer block when every line is one */
		last_para = m.buf;
		for (s = m.buf; (s = strstr(s, "\n\n")); s++)
			last_para = s + 2;
		for (s = last_para; block && *s; ) {
			size_t n = strcspn(s, "\n");

			if (!is_trailer_line(s, n))
				block = 0;
			s += n;
			if (*s)
				s++;
		}
		if (!block)
			buf_addch(&m, '\n');
	}
	for (j = 0; j < p->ntrailers; j++) {
		struct buf line = BUF_INIT;

		buf_addf(&line, "%s: %s\n", p->trailers[j].kind,
			 p->trailers[j].person);
		/* skip a trailer the message already carries */
		if (!strstr(m.buf, line.buf))
			buf_addbuf(&m, &line);
		buf_release(&line);
	}
	buf_addbuf(out, &m);
	buf_release(&m);
}

int store_load_thread(sqlite3 *db, long thread_id, struct thread_msg **out,
		      size_t *n)
{
	sqlite3_stmt *st;
	struct thread_msg *m = NULL;
	size_t nr = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if (db_prepare(db, &st, "SELECT msgid, parent_msgid, from_name, "
		       "from_email, subject, date, date_tz FROM messages "
		       "WHERE thread_id = ? ORDER BY date, id"))
		return -1;
	sqlite3_bind_int64(st, 1, thread_id);
	while ((rc = db_row(db, st, "read thread")) > 0) {
		m = xrealloc(m, (nr + 1) * sizeof(*m));
		m[nr].msgid = db_column_dup(st, 0);
		m[nr].parent = db_column_dup(st, 1);
		m[nr].from_name = db_column_dup(st, 2);
		m[nr].from_email = db_column_dup(st, 3);
		m[nr].subject = db_column_dup(st, 4);
		m[nr].date = sqlite3_column_int64(st, 5);
		m[nr].tz = sqlite3_column_int(st, 6);
		nr++;
	}
	sqlite3_finalize(st);
	if (rc < 0) {
		thread_msgs_free(m, nr);
		return -1;
	}
	*out = m;
	*n = nr;
	return 0;
}

void thread_msgs_free(struct thread_msg *m, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(m[i].msgid);
		free(m[i].parent);
		free(m[i].from_name);
		free(m[i].from_email);
		free(m[i].subject);
	}
	free(m);
}

int store_list_series(sqlite3 *db, struct series_row **out, size_t *n)
{
	sqlite3_stmt *st;
	struct series_row *r = NULL;
	size_t nr = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if (db_prepare(db, &st, "SELECT s.id, s.version, s.prefixes, "
		       "s.subject, s.total, s.complete, s.date, s.msgid, "
		       "(SELECT coalesce(m.date_tz, 0) FROM messages m WHERE "
		       "m.msgid = s.msgid), "
		       "(SELECT count(*) FROM patches p WHERE p.series_id = s.id), "
		       "(SELECT count(*) FROM trailers t JOIN patches p ON "
		       "p.id = t.patch_row WHERE p.series_id = s.id) "
		       "FROM series s ORDER BY s.date, s.id"))
		return -1;
	while ((rc = db_row(db, st, "list series")) > 0) {
		r = xrealloc(r, (nr + 1) * sizeof(*r));
		r[nr].id = (long)sqlite3_column_int64(st, 0);
		r[nr].version = sqlite3_column_int(st, 1);
		r[nr].prefixes = db_column_dup(st, 2);
		r[nr].subject = db_column_dup(st, 3);
		r[nr].total = sqlite3_column_int(st, 4);
		r[nr].complete = sqlite3_column_int(st, 5);
		r[nr].date = sqlite3_column_int64(st, 6);
		r[nr].msgid = db_column_dup(st, 7);
		r[nr].date_tz = sqlite3_column_int(st, 8);
		r[nr].npatches = sqlite3_column_int(st, 9);
		r[nr].ntrailers = sqlite3_column_int(st, 10);
		if (!r[nr].prefixes)
			r[nr].prefixes = xstrdup("");
		nr++;
	}
	sqlite3_finalize(st);
	if (rc < 0) {
		series_rows_free(r, nr);
		return -1;
	}
	*out = r;
	*n = nr;
	return 0;
}

void series_rows_free(struct series_row *r, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(r[i].prefixes);
		free(r[i].subject);
		free(r[i].msgid);
	}
	free(r);
}

int store_message_raw(sqlite3 *db, const char *msgid, struct buf *out)
{
	sqlite3_stmt *st;
	int rc;

	if (db_prepare(db, &st, "SELECT raw_gz FROM messages WHERE msgid = ? "
		       "ORDER BY id LIMIT 1"))
		return -1;
	db_bind_text(st, 1, msgid);
	rc = db_row(db, st, "load a message");
	if (rc > 0) {
		const void *gz = sqlite3_column_blob(st, 0);
		size_t len = (size_t)sqlite3_column_bytes(st, 0);

		rc = gz && !gz_decompress(gz, len, 256u << 20, out) ? 0 :
		     error("message <%s>: its stored bytes do not decompress",
			   msgid);
	} else if (rc == 0) {
		rc = 1;
	}
	sqlite3_finalize(st);
	return rc;
}
