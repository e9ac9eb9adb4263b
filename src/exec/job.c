/* Jobs: one build or one suite's boots, run here or on a cluster node,
 * and the bundles that carry their rows back. */
#include "exec/job.h"
#include "exec/exec.h"
#include "db.h"
#include "tree.h"
#include "util/buf.h"
#include "util/run.h"
#include "util/util.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

void job_spec_release(struct job_spec *j)
{
	size_t i;

	free(j->id);
	free(j->kind);
	free(j->datadir);
	free(j->workdir);
	free(j->tree);
	free(j->tree_name);
	free(j->rev);
	free(j->config);
	free(j->arch);
	free(j->toolchain);
	free(j->kernel);
	free(j->suite);
	free(j->suite_hash);
	free(j->after);
	for (i = 0; i < j->nsettings; i++)
		free(j->settings[i]);
	free(j->settings);
	memset(j, 0, sizeof(*j));
}


char *job_new_id(void)
{
	unsigned char b[16];
	char *s = xmalloc(2 * sizeof(b) + 1);
	int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
	size_t i;

	if (fd < 0 || read(fd, b, sizeof(b)) != (ssize_t)sizeof(b)) {
		/* no urandom: time, pid and address are unique enough here */
		unsigned long x = (unsigned long)time(NULL) ^
			((unsigned long)getpid() << 16) ^ (unsigned long)(size_t)s;

		for (i = 0; i < sizeof(b); i++, x = x * 6364136223846793005ul + 1)
			b[i] = (unsigned char)(x >> 56);
	}
	if (fd >= 0)
		close(fd);
	for (i = 0; i < sizeof(b); i++)
		sprintf(s + 2 * i, "%02x", b[i]);
	return s;
}

static char *jstr(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	return json_is_string(v) ? xstrdup(json_string_value(v)) : NULL;
}

int job_spec_load(const char *path, struct job_spec *j)
{
	json_error_t err;
	json_t *o = json_load_file(path, 0, &err), *v;
	const char *bad = NULL;
	size_t i;

	memset(j, 0, sizeof(*j));
	if (!o)
		return error("job spec %s: %s (line %d)", path, err.text, err.line);
	v = json_object_get(o, "pwb_job");
	if (!json_is_integer(v) || json_integer_value(v) != JOB_SPEC_VERSION) {
		bad = "pwb_job: not a version 1 job spec";
		goto out;
	}
	j->id = jstr(o, "id");
	j->kind = jstr(o, "kind");
	j->datadir = jstr(o, "datadir");
	j->workdir = jstr(o, "workdir");
	j->tree = jstr(o, "tree");
	j->tree_name = jstr(o, "tree_name");
	j->rev = jstr(o, "rev");
	j->config = jstr(o, "config");
	j->arch = jstr(o, "arch");
	j->toolchain = jstr(o, "toolchain");
	j->kernel = jstr(o, "kernel");
	j->suite = jstr(o, "suite");
	j->suite_hash = jstr(o, "suite_hash");
	j->after = jstr(o, "after");
	v = json_object_get(o, "repeat_idx");
	j->repeat_idx = json_is_integer(v) ? (int)json_integer_value(v) : 0;
	v = json_object_get(o, "repeats");
	j->repeats = json_is_integer(v) ? (int)json_integer_value(v) : 1;
	v = json_object_get(o, "settings");
	if (json_is_array(v)) {
		j->settings = xcalloc(json_array_size(v) + 1, sizeof(char *));
		for (i = 0; i < json_array_size(v); i++) {
			const char *kv = json_string_value(json_array_get(v, i));

			if (!kv || !strchr(kv, '=')) {
				bad = "settings: each is \"key=value\"";
				goto out;
			}
			j->settings[j->nsettings++] = xstrdup(kv);
		}
	}
	if (!j->id || strspn(j->id, "0123456789abcdef") != strlen(j->id) ||
	    strlen(j->id) < 8 || strlen(j->id) > 64)
		bad = "id: 8 to 64 lowercase hex digits";
	else if (!j->kind || (strcmp(j->kind, "build") && strcmp(j->kind, "suite")))
		bad = "kind: \"build\" or \"suite\"";
	else if (!j->datadir || j->datadir[0] != '/')
		bad = "datadir: an absolute path";
	else if (j->after && j->after[0] != '/')
		bad = "after: an absolute path";
	else if (j->workdir && j->workdir[0] != '/')
		bad = "workdir: an absolute path";
	else if (!j->kernel && (!j->tree || j->tree[0] != '/' || !j->rev))
		bad = "tree (an absolute path) and rev, or kernel";
	else if (j->kernel && (j->kernel[0] != '/' || j->tree))
		bad = "kernel: an absolute path, without tree";
	else if (!strcmp(j->kind, "build") && j->kernel)
		bad = "kind build: needs tree and rev";
	else if (!strcmp(j->kind, "suite") && !j->suite)
		bad = "suite: missing";
	else if (j->repeat_idx < 0 || j->repeats < 1 || j->repeats > 1000 ||
		 j->repeat_idx > 100000)
		bad = "repeat_idx/repeats: out of range";
out:
	json_decref(o);
	if (bad) {
		error("job spec %s: %s", path, bad);
		job_spec_release(j);
		return -1;
	}
	return 0;
}

static void set_str(json_t *o, const char *key, const char *v)
{
	if (v)
		json_object_set_new(o, key, json_string(v));
}

/* Write JSON to path through a temporary file and a rename: whoever reads
 * path sees all of it or nothing. */
static int write_json_atomic(json_t *o, const char *path)
{
	char *tmp = xstrfmt("%s.tmp", path);
	int ret = 0;

	if (json_dump_file(o, tmp, JSON_INDENT(2) | JSON_SORT_KEYS) ||
	    rename(tmp, path)) {
		ret = error("cannot write %s: %s", path, strerror(errno));
		unlink(tmp);
	}
	free(tmp);
	return ret;
}

int job_spec_write(const struct job_spec *j, const char *path)
{
	json_t *o = json_object(), *a = json_array();
	size_t i;
	int ret;

	json_object_set_new(o, "pwb_job", json_integer(JOB_SPEC_VERSION));
	set_str(o, "id", j->id);
	set_str(o, "kind", j->kind);
	set_str(o, "datadir", j->datadir);
	set_str(o, "workdir", j->workdir);
	set_str(o, "tree", j->tree);
	set_str(o, "tree_name", j->tree_name);
	set_str(o, "rev", j->rev);
	set_str(o, "config", j->config);
	set_str(o, "arch", j->arch);
	set_str(o, "toolchain", j->toolchain);
	set_str(o, "kernel", j->kernel);
	set_str(o, "suite", j->suite);
	set_str(o, "suite_hash", j->suite_hash);
	set_str(o, "after", j->after);
	json_object_set_new(o, "repeat_idx", json_integer(j->repeat_idx));
	json_object_set_new(o, "repeats", json_integer(j->repeats));
	for (i = 0; i < j->nsettings; i++)
		json_array_append_new(a, json_string(j->settings[i]));
	json_object_set_new(o, "settings", a);
	ret = write_json_atomic(o, path);
	json_decref(o);
	return ret;
}



char *job_last_bundle(const char *dir, int *attempt)
{
	int a;

	for (a = 9; a >= 1; a--) {
		char *d = xstrfmt("%s/a%d", dir, a);
		struct job_bundle b;

		if (!job_bundle_result(d, &b)) {
			job_bundle_release(&b);
			if (attempt)
				*attempt = a;
			return d;
		}
		free(d);
	}
	return NULL;
}



static const char *const job_status_names[] = {
	[JOB_OK] = "ok",
	[JOB_FAILED] = "failed",
	[JOB_NO_KERNEL] = "no-kernel",
	[JOB_INFRA_ERROR] = "infra-error",
	[JOB_INTERRUPTED] = "interrupted",
};

const char *job_status_name(enum job_status s)
{
	return (size_t)s < ARRAY_SIZE(job_status_names) ? job_status_names[s] :
	       job_status_names[JOB_INFRA_ERROR];
}

int job_status_parse(const char *s, enum job_status *out)
{
	int i = name_index(job_status_names, ARRAY_SIZE(job_status_names), s);

	if (i < 0)
		return -1;
	*out = (enum job_status)i;
	return 0;
}

void job_bundle_release(struct job_bundle *b)
{
	free(b->id);
	free(b->kind);
	memset(b, 0, sizeof(*b));
}

int job_bundle_write_result(const char *dir, const char *job_id,
			    const char *kind, const struct job_result *r,
			    long seconds)
{
	char *res = xstrfmt("%s/result.json", dir), host[256] = "";
	json_t *o = json_object();
	int ret;

	gethostname(host, sizeof(host) - 1);
	json_object_set_new(o, "pwb_bundle", json_integer(1));
	json_object_set_new(o, "job", json_string(job_id));
	json_object_set_new(o, "kind", json_string(kind));
	json_object_set_new(o, "status", json_string(job_status_name(r->status)));
	json_object_set_new(o, "outcome", json_string(exec_status_name(r->outcome)));
	json_object_set_new(o, "host", json_string(host));
	json_object_set_new(o, "seconds", json_integer((json_int_t)seconds));
	ret = write_json_atomic(o, res);
	json_decref(o);
	free(res);
	return ret;
}

int job_bundle_result(const char *dir, struct job_bundle *b)
{
	char *path = xstrfmt("%s/result.json", dir);
	json_error_t err;
	json_t *o = json_load_file(path, 0, &err);
	int ret = -1;

	memset(b, 0, sizeof(*b));
	if (!o)
		goto out;
	if (!json_is_string(json_object_get(o, "job")) ||
	    !json_is_string(json_object_get(o, "kind")) ||
	    job_status_parse(json_string_value(json_object_get(o, "status")),
			     &b->status) ||
	    exec_status_parse(json_string_value(json_object_get(o, "outcome")),
			      &b->outcome))
		goto out;
	b->id = jstr(o, "job");
	b->kind = jstr(o, "kind");
	ret = 0;
out:
	json_decref(o);
	free(path);
	return ret;
}

/*
 * Import: rows keep their order, ids are new.  temp.job_idmap maps a
 * bundle's ids to this database's per table.  A build the bundle got by
 * importing an earlier bundle (a suite job reuses its build job's build)
 * is matched, not copied twice.
 */
static int idmap_add(sqlite3 *db, const char *tbl, sqlite3_int64 old,
		     sqlite3_int64 new)
{
	return db_execf(db, "map ids", "INSERT INTO temp.job_idmap (tbl, old, "
			"new) VALUES (?, ?, ?)", "tII", tbl, old, new);
}

/*
 * Copy every row of b.<tbl> with `insert` (one parameter: the row's id in
 * the bundle), mapping each to its new id.  With `same` (one parameter
 * too), a row it finds here is mapped to that one instead of copied; the
 * rows copied are also mapped under "<tbl>_new".
 */
static int copy_rows(sqlite3 *db, const char *tbl, const char *insert,
		     const char *same)
{
	sqlite3_stmt *ids = NULL, *ins = NULL, *found = NULL;
	char *sel = xstrfmt("SELECT id FROM b.%s ORDER BY id", tbl);
	char *tnew = xstrfmt("%s_new", tbl);
	int ret = -1, rc;

	if (db_prepare(db, &ids, sel) || db_prepare(db, &ins, insert) ||
	    (same && db_prepare(db, &found, same)))
		goto out;
	while ((rc = sqlite3_step(ids)) == SQLITE_ROW) {
		sqlite3_int64 old = sqlite3_column_int64(ids, 0), new;

		if (found) {
			int got;

			sqlite3_reset(found);
			sqlite3_bind_int64(found, 1, old);
			/* a failing lookup is an error, never a second row */
			got = db_row(db, found, tbl);
			if (got < 0)
				goto out;
			if (got) {
				if (idmap_add(db, tbl, old,
					      sqlite3_column_int64(found, 0)))
					goto out;
				continue;
			}
		}
		sqlite3_reset(ins);
		sqlite3_bind_int64(ins, 1, old);
		if (sqlite3_step(ins) != SQLITE_DONE) {
			db_error(db, tbl);
			goto out;
		}
		new = sqlite3_last_insert_rowid(db);
		if (idmap_add(db, tbl, old, new) || idmap_add(db, tnew, old, new))
			goto out;
	}
	if (rc != SQLITE_DONE) {
		db_error(db, tbl);
		goto out;
	}
	ret = 0;
out:
	sqlite3_finalize(ids);
	sqlite3_finalize(ins);
	sqlite3_finalize(found);
	free(sel);
	free(tnew);
	return ret;
}

#define MAPPED(tbl, col) \
	"(SELECT new FROM temp.job_idmap WHERE tbl = '" tbl "' AND old = x." col ")"

static int copy_all(sqlite3 *db)
{
	if (db_exec(db, "CREATE TEMP TABLE IF NOT EXISTS job_idmap (tbl TEXT, "
		    "old INTEGER, new INTEGER, PRIMARY KEY (tbl, old)); "
		    "DELETE FROM temp.job_idmap;") ||
	    copy_rows(db, "builds", "INSERT INTO main.builds (repo_path, rev, "
		      "commit_id, tree_id, config_name, config_hash, toolchain, "
		      "cache_key, status, error, seconds, vmlinux_size, "
		      "bzimage_size, warnings, new_warnings, artifacts, "
		      "cached_from, log_gz, started_at, arch, compiler) SELECT "
		      "repo_path, rev, "
		      "commit_id, tree_id, config_name, config_hash, toolchain, "
		      "cache_key, status, error, seconds, vmlinux_size, "
		      "bzimage_size, warnings, new_warnings, artifacts, "
		      MAPPED("builds", "cached_from") ", log_gz, started_at, "
		      "arch, compiler FROM b.builds x WHERE x.id = ?",
		      "SELECT m.id FROM main.builds m, b.builds x WHERE x.id = ? "
		      "AND m.repo_path = x.repo_path AND m.commit_id IS x.commit_id "
		      "AND m.cache_key IS x.cache_key AND m.started_at = "
		      "x.started_at AND m.status = x.status ORDER BY m.id LIMIT 1") ||
	    db_exec(db, "INSERT INTO main.build_warnings (build_id, file, line, "
		    "message, new) SELECT m.new, x.file, x.line, x.message, x.new "
		    "FROM b.build_warnings x JOIN temp.job_idmap m ON "
		    "m.tbl = 'builds_new' AND m.old = x.build_id ORDER BY x.rowid") ||
	    copy_rows(db, "boots", "INSERT INTO main.boots (build_id, kernel, "
		      "qemu_version, accel, mem_mb, cpus, cmdline, status, "
		      "end_status, error, seconds, console_gz, started_at) SELECT "
		      MAPPED("builds", "build_id") ", kernel, qemu_version, accel, "
		      "mem_mb, cpus, cmdline, status, end_status, error, seconds, "
		      "console_gz, started_at FROM b.boots x WHERE x.id = ?", NULL) ||
	    db_exec(db, "INSERT INTO main.findings (boot_id, kind, title, "
		    "failure, lines, first_line) SELECT m.new, x.kind, x.title, "
		    "x.failure, x.lines, x.first_line FROM b.findings x JOIN "
		    "temp.job_idmap m ON m.tbl = 'boots' AND m.old = x.boot_id "
		    "ORDER BY x.id") ||
	    copy_rows(db, "suite_runs", "INSERT INTO main.suite_runs (suite, "
		      "suite_hash, build_id, boot_id, repeat_idx, status, error, "
		      "started_at, tests_from) SELECT suite, suite_hash, "
		      MAPPED("builds", "build_id") ", " MAPPED("boots", "boot_id")
		      ", repeat_idx, status, error, started_at, tests_from FROM "
		      "b.suite_runs x "
		      "WHERE x.id = ?", NULL) ||
	    db_exec(db, "INSERT INTO main.case_results (run_id, name, status, "
		    "directive, diag) SELECT m.new, x.name, x.status, x.directive, "
		    "x.diag FROM b.case_results x JOIN temp.job_idmap m ON "
		    "m.tbl = 'suite_runs' AND m.old = x.run_id ORDER BY x.rowid") ||
	    db_exec(db, "INSERT INTO main.metric_samples (run_id, name, value, "
		    "unit) SELECT m.new, x.name, x.value, x.unit FROM "
		    "b.metric_samples x JOIN temp.job_idmap m ON "
		    "m.tbl = 'suite_runs' AND m.old = x.run_id ORDER BY x.rowid"))
		return -1;
	return 0;
}

static int user_version(sqlite3 *db, const char *schema, long *v)
{
	sqlite3_stmt *st;
	char *sql = xstrfmt("PRAGMA %s.user_version", schema);
	int ret = -1;

	if (!db_prepare(db, &st, sql)) {
		if (sqlite3_step(st) == SQLITE_ROW) {
			*v = (long)sqlite3_column_int64(st, 0);
			ret = 0;
		}
		sqlite3_finalize(st);
	}
	free(sql);
	return ret;
}

void job_imported_release(struct job_imported *ids)
{
	free(ids->runs);
	ids->runs = NULL;
	ids->nruns = 0;
}

/* What the import mapped (read before the next import clears the map). */
static int read_ids(sqlite3 *db, struct job_imported *ids)
{
	sqlite3_stmt *st;
	int rc;

	if (db_prepare(db, &st, "SELECT tbl, new FROM temp.job_idmap WHERE tbl IN "
		       "('builds', 'suite_runs') ORDER BY tbl, old"))
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *t = (const char *)sqlite3_column_text(st, 0);
		long v = (long)sqlite3_column_int64(st, 1);

		if (!strcmp(t, "builds")) {
			ids->build_id = v;
		} else {
			ids->runs = xrealloc(ids->runs, (ids->nruns + 1) * sizeof(long));
			ids->runs[ids->nruns++] = v;
		}
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : db_error(db, "read the id map");
}

int job_import(sqlite3 *db, const char *dir, const char *backend,
	       int attempts, int *imported, struct job_imported *ids)
{
	struct job_bundle info;
	char *path = NULL;
	sqlite3_stmt *st = NULL;
	int attached = 0, began = 0, ret = -1, rc;
	long vb = 0, vm = 0;

	*imported = 0;
	if (ids) {
		ids->build_id = -1;
		ids->runs = NULL;
		ids->nruns = 0;
	}
	if (job_bundle_result(dir, &info)) {
		error("%s: not a finished job bundle (no readable result.json)", dir);
		goto out;
	}
	path = xstrfmt("%s/bundle.sqlite", dir);
	if (access(path, R_OK)) {
		error("%s: %s", path, strerror(errno));
		goto out;
	}
	if (db_execf(db, path, "ATTACH DATABASE ? AS b", "t", path))
		goto out;
	attached = 1;
	if (user_version(db, "b", &vb) || user_version(db, "main", &vm))
		goto out;
	if (vb != vm) {
		error("%s: written by a pwb with schema %ld, this one has %ld",
		      dir, vb, vm);
		goto out;
	}
	if (db_begin(db))
		goto out;
	began = 1;
	if (db_prepare(db, &st, "SELECT 1 FROM jobs WHERE job_id = ?"))
		goto out;
	db_bind_text(st, 1, info.id);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	st = NULL;
	if (rc == SQLITE_ROW) {
		ret = 0;		/* there already: nothing changes */
		goto out;
	}
	if (copy_all(db) || (ids && read_ids(db, ids)))
		goto out;
	if (db_execf(db, "record the job", "INSERT INTO jobs (job_id, kind, "
		     "backend, status, attempts, bundle, imported_at) "
		     "VALUES (?, ?, ?, ?, ?, ?, ?)", "ttttitI", info.id,
		     info.kind, backend, job_status_name(info.status), attempts,
		     dir, (sqlite3_int64)time(NULL)))
		goto out;
	if (db_commit(db))
		goto out;
	began = 0;
	*imported = 1;
	ret = 0;
out:
	if (began) {
		if (ret == 0)
			db_commit(db);
		else
			db_rollback(db);
	}
	if (attached)
		db_exec(db, "DETACH DATABASE b");
	job_bundle_release(&info);
	free(path);
	return ret;
}

int job_record_unfinished(sqlite3 *db, const char *job_id, const char *kind,
			  const char *backend, int attempts, const char *bundle)
{
	return db_execf(db, "record the job", "INSERT OR IGNORE INTO jobs "
			"(job_id, kind, backend, status, attempts, bundle, "
			"imported_at) VALUES (?, ?, ?, 'infra-error', ?, ?, ?)",
			"tttitI", job_id, kind, backend, attempts, bundle,
			(sqlite3_int64)time(NULL));
}
