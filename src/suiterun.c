#include "suiterun.h"
#include "kunit.h"
#include "kselftest.h"
#include "arch.h"
#include "bootdb.h"
#include "db.h"
#include "initramfs.h"
#include "util/buf.h"
#include "util/run.h"
#include "util/util.h"
#include "util/vis.h"

#include <jansson.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void suite_prep_release(struct suite_prep *p)
{
	if (p->dir[0])
		run_remove_tree(p->dir);
	free(p->why);
	free(p->tests_from);
	memset(p, 0, sizeof(*p));
}

int suite_prepare(const struct suite *s, const struct kbuild_result *br,
		  struct suite_prep *p)
{
	struct initramfs_file *files = NULL;
	size_t nfiles = 0;
	const struct arch *a = br->arch ? arch_find(br->arch) : arch_default();
	char *vars[8], *cc = NULL, *busybox = NULL, *from = NULL;
	int ret = -1;

	memset(p, 0, sizeof(*p));
	vars[0] = NULL;
	if (!a || kbuild_make_vars(br, 0, vars, ARRAY_SIZE(vars)) < 0) {
		p->why = xstrfmt("build %ld: arch %s or toolchain %s unknown",
				 br->id, br->arch ? br->arch : "?",
				 br->compiler ? br->compiler : "?");
		return -1;
	}
	if (make_tmpdir(p->dir, sizeof(p->dir), "pwb-run")) {
		p->why = xstrfmt("cannot make a temporary directory: %s",
				 strerror(errno));
		p->dir[0] = '\0';
		return -1;
	}
	/* the guest's programs: static, with the arch's gcc */
	cc = xstrfmt("%sgcc", arch_cross(a));
	if (suite_build(s, a, br->src_dir, br->build_dir, vars, cc, p->dir, &files,
			&nfiles, &from, &p->why))
		goto out;
	if (from)
		p->tests_from = xstrfmt("%s at %s", from,
					br->commit);
	snprintf(p->initrd, sizeof(p->initrd), "%s/initramfs.cpio.gz", p->dir);
	busybox = arch_busybox(a);
	{
		struct initramfs_opts io = { busybox, s->run, files, nfiles };

		if (initramfs_write(p->initrd, &io)) {
			p->why = xstrdup("cannot write the initramfs");
			goto out;
		}
	}
	ret = 0;
out:
	suite_files_free(files, nfiles);
	arch_make_vars_free(vars);
	free(from);
	free(cc);
	free(busybox);
	return ret;
}

static const char *const suite_run_status_names[] = {
	[SUITE_RUN_PASSED] = "passed",
	[SUITE_RUN_FAILED] = "failed",
	[SUITE_RUN_KERNEL_FAILURE] = "kernel-failure",
	[SUITE_RUN_TIMEOUT] = "timeout",
	[SUITE_RUN_INFRA_ERROR] = "infra-error",
	[SUITE_RUN_INTERRUPTED] = "interrupted",
};

const char *suite_run_status_name(enum suite_run_status s)
{
	return (size_t)s < ARRAY_SIZE(suite_run_status_names) ?
	       suite_run_status_names[s] : "?";
}

int suite_run_status_parse(const char *s, enum suite_run_status *out)
{
	int i = name_index(suite_run_status_names, ARRAY_SIZE(suite_run_status_names), s);

	if (i < 0)
		return -1;
	*out = (enum suite_run_status)i;
	return 0;
}

static int insert_run(sqlite3 *db, const struct suite *s, long build_id,
		      long boot_id, int idx, enum suite_run_status status,
		      const char *err, const char *tests_from, long *id)
{
	sqlite3_stmt *st = NULL;
	int ret = -1;

	if (db_prepare(db, &st, "INSERT INTO suite_runs (suite, suite_hash, "
		       "build_id, boot_id, repeat_idx, status, error, started_at, "
		       "tests_from) VALUES (?,?,?,?,?,?,?,?,?)"))
		return -1;
	db_bind_text(st, 1, s->name);
	db_bind_text(st, 2, s->hash);
	if (build_id > 0)
		sqlite3_bind_int64(st, 3, build_id);
	if (boot_id > 0)
		sqlite3_bind_int64(st, 4, boot_id);
	sqlite3_bind_int(st, 5, idx);
	db_bind_text(st, 6, suite_run_status_name(status));
	db_bind_text(st, 7, err);
	sqlite3_bind_int64(st, 8, (sqlite3_int64)time(NULL));
	db_bind_text(st, 9, tests_from);
	if (sqlite3_step(st) != SQLITE_DONE)
		db_error(db, "record suite run");
	else
		ret = 0;
	*id = (long)sqlite3_last_insert_rowid(db);
	sqlite3_finalize(st);
	return ret;
}

static int insert_cases(sqlite3 *db, long id, const struct ktap *k)
{
	sqlite3_stmt *st = NULL;
	size_t i;

	if (db_prepare(db, &st, "INSERT OR REPLACE INTO case_results "
		       "(run_id, name, status, directive, diag) VALUES (?,?,?,?,?)"))
		return -1;
	for (i = 0; i < k->nr; i++) {
		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, id);
		db_bind_text(st, 2, k->cases[i].name);
		db_bind_text(st, 3, ktap_status_name(k->cases[i].status));
		db_bind_text(st, 4, k->cases[i].directive);
		db_bind_text(st, 5, k->cases[i].diag.buf);
		if (sqlite3_step(st) != SQLITE_DONE) {
			db_error(db, "record case");
			sqlite3_finalize(st);
			return -1;
		}
	}
	sqlite3_finalize(st);
	return 0;
}

static int insert_metrics(sqlite3 *db, long id, const struct metrics *m)
{
	sqlite3_stmt *st = NULL;
	size_t i;

	if (db_prepare(db, &st, "INSERT INTO metric_samples (run_id, name, "
		       "value, unit) VALUES (?,?,?,?)"))
		return -1;
	for (i = 0; i < m->nr; i++) {
		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, id);
		db_bind_text(st, 2, m->s[i].name);
		sqlite3_bind_double(st, 3, m->s[i].value);
		db_bind_text(st, 4, m->s[i].unit);
		if (sqlite3_step(st) != SQLITE_DONE) {
			db_error(db, "record metric");
			sqlite3_finalize(st);
			return -1;
		}
	}
	sqlite3_finalize(st);
	return 0;
}

/* The run, its cases and its samples: all or nothing. */
static int record(sqlite3 *db, const struct suite *s, long build_id,
		  int idx, struct suite_outcome *o)
{
	if (db_begin(db))
		return -1;
	if (insert_run(db, s, build_id, o->boot_id, idx, o->status, o->error,
		       o->tests_from, &o->run_id) ||
	    (o->have_ktap && insert_cases(db, o->run_id, &o->ktap)) ||
	    insert_metrics(db, o->run_id, &o->metrics)) {
		db_rollback(db);
		o->run_id = -1;
		return -1;
	}
	return db_commit(db);
}

int suite_record_infra(sqlite3 *db, const struct suite *s, long build_id,
		       const char *why, long *run_id)
{
	if (db_begin(db))
		return -1;
	if (insert_run(db, s, build_id, -1, 0, SUITE_RUN_INFRA_ERROR, why, NULL,
		       run_id)) {
		db_rollback(db);
		return -1;
	}
	return db_commit(db);
}

static void judge(const struct suite *s, struct suite_outcome *o)
{
	const struct boot_result *b = &o->boot;
	int ktap = !suite_format_has_metrics(s);

	switch (b->status) {
	case BOOT_INFRA:
		o->status = SUITE_RUN_INFRA_ERROR;
		o->verdict = SUITE_INFRA;
		o->error = xstrdup(b->error ? b->error : "QEMU failed");
		return;
	case BOOT_INTERRUPTED:
		o->status = SUITE_RUN_INTERRUPTED;
		o->verdict = SUITE_INTERRUPTED;
		return;
	case BOOT_TIMEOUT:
		/* what arrived before is kept (KTAP: the rest "crashed") */
		o->status = SUITE_RUN_TIMEOUT;
		o->verdict = SUITE_FAILED;
		o->error = xstrdup("the guest did not finish: timeout");
		return;
	case BOOT_KERNEL_FAILURE:
		o->status = SUITE_RUN_KERNEL_FAILURE;
		o->verdict = SUITE_FAILED;
		return;
	case BOOT_OK:
		break;
	}
	if (ktap && !o->have_ktap) {
		o->status = SUITE_RUN_INFRA_ERROR;
		o->verdict = SUITE_INFRA;
		o->error = xstrdup("the suite printed no KTAP");
	} else if (ktap && ktap_failed(&o->ktap)) {
		o->status = SUITE_RUN_FAILED;
		o->verdict = SUITE_FAILED;
	} else if (!ktap && !o->metrics.nr) {
		o->status = SUITE_RUN_INFRA_ERROR;
		o->verdict = SUITE_INFRA;
		o->error = xstrdup("the benchmark printed no metrics");
	} else if (!ktap && b->end_status != 0) {
		o->status = SUITE_RUN_FAILED;
		o->verdict = SUITE_FAILED;
		o->error = xstrfmt("the benchmark exited with status %d",
				   b->end_status);
	} else {
		o->status = SUITE_RUN_PASSED;
		o->verdict = SUITE_PASSED;
	}
}

int suite_boot_record(sqlite3 *db, const struct suite *s, long build_id,
		      const struct qemu_opts *qo, int idx,
		      struct suite_outcome *o)
{
	const char *console;

	o->run_id = o->boot_id = -1;
	if (boot_record(db, build_id, qo, &o->boot, &o->boot_id))
		return -1;
	/* a boot that never started has no console */
	console = o->boot.run.output.buf ? o->boot.run.output.buf : "";
	if (!suite_format_has_metrics(s)) {
		/* KUnit and the kselftest harness print a case's log before
		 * its result line */
		o->have_ktap = !(s->format == SUITE_FMT_KUNIT ||
				 s->format == SUITE_FMT_KSELFTEST ?
				 ktap_parse_kunit : ktap_parse)(console, &o->ktap);
		if (o->have_ktap && s->format == SUITE_FMT_KSELFTEST)
			kselftest_ktap_fixup(&o->ktap);
		if (o->have_ktap)
			kunit_filter_ktap(&o->ktap, s->filter);
	} else
		metrics_parse(console, &o->metrics);
	judge(s, o);
	return record(db, s, build_id, idx, o);
}

void suite_boot_opts(const struct suite *s, const struct kbuild_result *br,
		     const struct suite_prep *p, const char *qemu,
		     struct qemu_opts *qo)
{
	memset(qo, 0, sizeof(*qo));
	qo->qemu = qemu;
	qo->arch = br->arch;
	qo->kernel = br->bzimage;
	qo->initrd = p->initrd;
	qo->mem_mb = s->mem;
	qo->cpus = 1;
	qo->timeout = (double)s->timeout;
	qo->idle_timeout = (double)s->idle_timeout;
}

void suite_outcome_release(struct suite_outcome *o)
{
	free(o->error);
	ktap_release(&o->ktap);
	metrics_release(&o->metrics);
	boot_result_release(&o->boot);
	memset(o, 0, sizeof(*o));
}

void suite_run_view_release(struct suite_run_view *v)
{
	size_t i;

	free(v->error);
	for (i = 0; i < v->ncases; i++) {
		free(v->cases[i].name);
		free(v->cases[i].directive);
		free(v->cases[i].diag);
	}
	free(v->cases);
	metrics_release(&v->metrics);
	boot_findings_free(v->findings, v->nfindings);
	memset(v, 0, sizeof(*v));
}

static int load_cases(sqlite3 *db, struct suite_run_view *v)
{
	sqlite3_stmt *st;
	int rc;

	if (db_prepare(db, &st, "SELECT name, status, directive, "
		       "coalesce(diag, '') FROM case_results WHERE run_id = ? "
		       "ORDER BY rowid"))
		return -1;
	sqlite3_bind_int64(st, 1, v->id);
	while ((rc = db_row(db, st, "load a run's cases")) > 0) {
		const char *status = (const char *)sqlite3_column_text(st, 1);
		struct run_case *c;

		v->cases = xrealloc(v->cases, (v->ncases + 1) * sizeof(*c));
		c = &v->cases[v->ncases++];
		c->name = db_column_dup(st, 0);
		c->directive = db_column_dup(st, 2);
		c->diag = db_column_dup(st, 3);
		if (ktap_status_parse(status, &c->status)) {
			error("suite run %ld, case %s: status '%s': not pwb's",
			      v->id, vis(c->name), vis(status));
			sqlite3_finalize(st);
			return -1;
		}
	}
	sqlite3_finalize(st);
	return rc < 0 ? -1 : 0;
}

static int load_metrics(sqlite3 *db, struct suite_run_view *v)
{
	struct metrics *m = &v->metrics;
	sqlite3_stmt *st;
	int rc;

	if (db_prepare(db, &st, "SELECT name, value, unit FROM metric_samples "
		       "WHERE run_id = ? ORDER BY rowid"))
		return -1;
	sqlite3_bind_int64(st, 1, v->id);
	while ((rc = db_row(db, st, "load a run's samples")) > 0) {
		struct metric_sample *x;

		m->s = xrealloc(m->s, (m->nr + 1) * sizeof(*x));
		x = &m->s[m->nr++];
		x->name = db_column_dup(st, 0);
		x->value = sqlite3_column_double(st, 1);
		x->unit = db_column_dup(st, 2);
	}
	sqlite3_finalize(st);
	return rc < 0 ? -1 : 0;
}

int suite_run_load(sqlite3 *db, long run, struct suite_run_view *v)
{
	sqlite3_stmt *st;
	const char *status;
	int rc;

	memset(v, 0, sizeof(*v));
	v->id = run;
	v->seconds = -1;
	if (db_prepare(db, &st, "SELECT r.boot_id, r.status, b.seconds, r.error "
		       "FROM suite_runs r LEFT JOIN boots b ON b.id = r.boot_id "
		       "WHERE r.id = ?"))
		return -1;
	sqlite3_bind_int64(st, 1, run);
	rc = db_row(db, st, "load a suite run");
	if (rc <= 0) {
		sqlite3_finalize(st);
		return rc < 0 ? -1 : error("no suite run %ld", run);
	}
	if (sqlite3_column_type(st, 0) != SQLITE_NULL)
		v->boot_id = (long)sqlite3_column_int64(st, 0);
	status = (const char *)sqlite3_column_text(st, 1);
	if (suite_run_status_parse(status, &v->status)) {
		error("suite run %ld: status '%s': not pwb's", run, vis(status));
		sqlite3_finalize(st);
		goto fail;
	}
	if (sqlite3_column_type(st, 2) != SQLITE_NULL)
		v->seconds = sqlite3_column_double(st, 2);
	v->error = db_column_dup(st, 3);
	sqlite3_finalize(st);
	if (load_cases(db, v) || load_metrics(db, v) ||
	    boot_findings_load(db, v->boot_id, &v->findings, &v->nfindings))
		goto fail;
	return 0;
fail:
	suite_run_view_release(v);
	return -1;
}

