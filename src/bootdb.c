/* Boots and their findings in sqlite. */
#include "bootdb.h"
#include "db.h"
#include "util/gz.h"
#include "util/util.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

int boot_record(sqlite3 *db, long build_id, const struct qemu_opts *o,
		       const struct boot_result *r, long *id)
{
	sqlite3_stmt *st = NULL;
	struct buf gz = BUF_INIT;
	size_t i;

	gz_compress(r->run.output.buf, r->run.output.len, &gz);
	if (db_begin(db))
		goto fail0;
	if (db_prepare(db, &st, "INSERT INTO boots (build_id, kernel, "
		       "qemu_version, accel, mem_mb, cpus, cmdline, status, "
		       "end_status, error, seconds, console_gz, started_at) "
		       "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)"))
		goto fail;
	if (build_id > 0)
		sqlite3_bind_int64(st, 1, build_id);
	db_bind_text(st, 2, o->kernel);
	db_bind_text(st, 3, r->qemu_version);
	db_bind_text(st, 4, r->kvm ? "kvm" : "tcg");
	sqlite3_bind_int64(st, 5, o->mem_mb);
	sqlite3_bind_int(st, 6, o->cpus);
	db_bind_text(st, 7, r->cmdline);
	db_bind_text(st, 8, boot_status_name(r->status));
	if (r->end_status >= 0)
		sqlite3_bind_int(st, 9, r->end_status);
	db_bind_text(st, 10, r->error);
	sqlite3_bind_double(st, 11, r->run.seconds);
	sqlite3_bind_blob64(st, 12, gz.buf, gz.len, SQLITE_STATIC);
	sqlite3_bind_int64(st, 13, (sqlite3_int64)time(NULL));
	if (sqlite3_step(st) != SQLITE_DONE) {
		db_error(db, "record boot");
		goto fail;
	}
	*id = (long)sqlite3_last_insert_rowid(db);
	sqlite3_finalize(st);
	if (db_prepare(db, &st, "INSERT INTO findings (boot_id, kind, title, "
		       "failure, lines, first_line) VALUES (?,?,?,?,?,?)"))
		goto fail;
	for (i = 0; i < r->triage.nr; i++) {
		const struct finding *f = &r->triage.f[i];

		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, *id);
		db_bind_text(st, 2, f->kind);
		db_bind_text(st, 3, f->title);
		sqlite3_bind_int(st, 4, triage_is_failure(f->kind));
		db_bind_text(st, 5, f->lines.buf);
		sqlite3_bind_int64(st, 6, f->first_line);
		if (sqlite3_step(st) != SQLITE_DONE) {
			db_error(db, "record finding");
			goto fail;
		}
	}
	sqlite3_finalize(st);
	buf_release(&gz);
	return db_commit(db);
fail:
	sqlite3_finalize(st);
	db_rollback(db);
fail0:
	buf_release(&gz);
	return -1;
}

void boot_findings_free(struct finding *f, size_t nr)
{
	size_t i;

	for (i = 0; i < nr; i++) {
		free(f[i].kind);
		free(f[i].title);
		buf_release(&f[i].lines);
	}
	free(f);
}

int boot_findings_load(sqlite3 *db, long boot_id, struct finding **f,
		       size_t *nr)
{
	sqlite3_stmt *st;
	int rc;

	*f = NULL;
	*nr = 0;
	if (boot_id <= 0)
		return 0;
	if (db_prepare(db, &st, "SELECT kind, title, coalesce(lines, ''), "
		       "coalesce(first_line, 0) FROM findings WHERE boot_id = ? "
		       "ORDER BY id"))
		return -1;
	sqlite3_bind_int64(st, 1, boot_id);
	while ((rc = db_row(db, st, "load a boot's findings")) > 0) {
		struct finding *x;

		*f = xrealloc(*f, (*nr + 1) * sizeof(*x));
		x = &(*f)[(*nr)++];
		memset(x, 0, sizeof(*x));
		buf_init(&x->lines, 0);
		x->kind = db_column_dup(st, 0);
		x->title = db_column_dup(st, 1);
		buf_addstr(&x->lines, (const char *)sqlite3_column_text(st, 2));
		x->first_line = (long)sqlite3_column_int64(st, 3);
	}
	sqlite3_finalize(st);
	if (!rc)
		return 0;
	boot_findings_free(*f, *nr);
	*f = NULL;
	*nr = 0;
	return -1;
}
