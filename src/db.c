#include "db.h"
#include "util/util.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define DB_BUSY_TIMEOUT_MS 10000

/* sqlite's message, and the system's when it has one (ENOSPC, EROFS) */
static const char *sys_reason(sqlite3 *db)
{
	int e = sqlite3_system_errno(db);

	return e ? strerror(e) : NULL;
}

int db_error(sqlite3 *db, const char *what)
{
	const char *sys = sys_reason(db);

	return error("database: %s: %s%s%s%s", what, sqlite3_errmsg(db),
		     sys ? " (" : "", sys ? sys : "", sys ? ")" : "");
}

int db_prepare(sqlite3 *db, sqlite3_stmt **st, const char *sql)
{
	if (sqlite3_prepare_v2(db, sql, -1, st, NULL) != SQLITE_OK) {
		*st = NULL;
		return db_error(db, "prepare");
	}
	return 0;
}

int db_exec(sqlite3 *db, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		error("database: %s", msg ? msg : sqlite3_errmsg(db));
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

int db_begin(sqlite3 *db)
{
	return db_exec(db, "BEGIN IMMEDIATE");
}

int db_commit(sqlite3 *db)
{
	return db_exec(db, "COMMIT");
}

void db_rollback(sqlite3 *db)
{
	if (!sqlite3_get_autocommit(db))
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
}

char *db_column_dup(sqlite3_stmt *st, int k)
{
	const unsigned char *s = sqlite3_column_text(st, k);

	return s ? xstrdup((const char *)s) : NULL;
}

int db_bind_text(sqlite3_stmt *st, int idx, const char *s)
{
	if (!s)
		return sqlite3_bind_null(st, idx);
	return sqlite3_bind_text(st, idx, s, -1, SQLITE_TRANSIENT);
}

int db_bind_text_static(sqlite3_stmt *st, int idx, const char *s)
{
	if (!s)
		return sqlite3_bind_null(st, idx);
	return sqlite3_bind_text(st, idx, s, -1, SQLITE_STATIC);
}

static int user_version(sqlite3 *db, int *out)
{
	sqlite3_stmt *st;
	int rc;

	if (db_prepare(db, &st, "PRAGMA user_version"))
		return -1;
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_finalize(st);
		return db_error(db, "read schema version");
	}
	*out = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return 0;
}

static int known_version(const char *path, int v)
{
	int newest = db_migrations[db_nmigrations - 1].version;

	if (v > newest)
		return error("database %s has schema version %d, newer than "
			     "this pwb knows (%d)", path, v, newest);
	return 0;
}

/*
 * Every migration newer than user_version, and the new user_version, in
 * one BEGIN IMMEDIATE: a second process opening the same new database
 * waits for the write lock, then reads the version again inside its own
 * transaction and finds nothing left to do.  On any failure the whole
 * transaction is rolled back; no half-applied schema stays.
 */
static int migrate(sqlite3 *db, const char *path)
{
	int v = 0, from, i, ret = -1;
	char pragma[64];

	if (user_version(db, &v) || known_version(path, v))
		return -1; /* printed */
	if (v == db_migrations[db_nmigrations - 1].version)
		return 0; /* current: no write lock for a reader */
	if (db_begin(db))
		return -1;
	if (user_version(db, &v) || known_version(path, v))
		goto out;
	from = v;
	for (i = 0; i < db_nmigrations; i++) {
		const struct migration *m = &db_migrations[i];

		if (m->version <= v)
			continue;
		if (sqlite3_exec(db, m->sql, NULL, NULL, NULL) != SQLITE_OK) {
			error("database %s: migration %s failed: %s", path,
			      m->name, sqlite3_errmsg(db));
			goto out;
		}
		v = m->version;
	}
	snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %d", v);
	if (v != from &&
	    sqlite3_exec(db, pragma, NULL, NULL, NULL) != SQLITE_OK) {
		db_error(db, "set schema version");
		goto out;
	}
	if (db_commit(db))
		goto out;
	ret = 0;
out:
	if (ret)
		db_rollback(db);
	return ret;
}

/*
 * journal_mode = WAL takes an exclusive lock the first time; a second
 * process opening the same new database at that moment gets SQLITE_BUSY
 * without the busy handler being asked.  Wait for it as the busy timeout
 * would.  0, or the sqlite result code of the failure.
 */
static int set_wal(sqlite3 *db)
{
	sqlite3_stmt *st = NULL;
	int rc, waited = 0;

	for (;;) {
		rc = sqlite3_prepare_v2(db, "PRAGMA journal_mode = WAL", -1,
					&st, NULL);
		if (rc == SQLITE_OK) {
			rc = sqlite3_step(st);
			sqlite3_finalize(st);
			st = NULL;
			if (rc == SQLITE_ROW || rc == SQLITE_DONE)
				return 0;
		}
		if ((rc & 0xff) != SQLITE_BUSY)
			return rc;
		if (waited >= DB_BUSY_TIMEOUT_MS)
			return rc;
		usleep(10 * 1000);
		waited += 10;
	}
}

static int db_setup(sqlite3 *db, const char *path)
{
	char *msg = NULL;
	int rc;

	rc = sqlite3_exec(db, "PRAGMA foreign_keys = ON", NULL, NULL, &msg);
	if (rc == SQLITE_OK)
		rc = set_wal(db);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(db, "PRAGMA synchronous = NORMAL", NULL,
				  NULL, &msg);
	if (rc != SQLITE_OK) {
		const char *sys = sys_reason(db);
		char *d = path_dirname(path);

		/* WAL writes beside the file even to read: say so */
		if (access(d, W_OK))
			sys = strerror(errno);
		rc = error("cannot use database %s: %s%s%s%s", path,
			   msg ? msg : sqlite3_errmsg(db), sys ? " (" : "",
			   sys ? sys : "", sys ? ")" : "");
		free(d);
		sqlite3_free(msg);
		return rc;
	}
	return migrate(db, path);
}

static int open_path(const char *path, int create, sqlite3 **out)
{
	sqlite3 *db = NULL;
	char *dir = NULL;
	int flags = SQLITE_OPEN_READWRITE, ret = -1;

	*out = NULL;
	if (create) {
		flags |= SQLITE_OPEN_CREATE;
		dir = path_dirname(path);
		if (mkdir_p(dir, 0777)) {
			error("cannot create directory %s for the database: %s",
			      dir, strerror(errno));
			goto out;
		}
	}
	if (sqlite3_open_v2(path, &db, flags, NULL) != SQLITE_OK) {
		error("cannot open database %s: %s", path,
		      db ? sqlite3_errmsg(db) : "out of memory");
		goto out;
	}
	/* first: everything after it may meet another process's lock */
	sqlite3_busy_timeout(db, DB_BUSY_TIMEOUT_MS);
	sqlite3_extended_result_codes(db, 1);
	if (db_setup(db, path))
		goto out;
	*out = db;
	db = NULL;
	ret = 0;
out:
	sqlite3_close(db);
	free(dir);
	return ret;
}

int db_open(const char *path, sqlite3 **out)
{
	return open_path(path, 1, out);
}

int db_open_existing(const char *path, sqlite3 **out)
{
	struct stat sb;

	*out = NULL;
	if (stat(path, &sb)) {
		if (errno == ENOENT || errno == ENOTDIR)
			return error("no database at %s; pwb fetch creates one",
				     path);
		return error("database %s: %s", path, strerror(errno));
	}
	return open_path(path, 0, out);
}

int db_execf(sqlite3 *db, const char *what, const char *sql,
	     const char *types, ...)
{
	sqlite3_stmt *st;
	va_list ap;
	int k, rc;

	if (db_prepare(db, &st, sql))
		return -1;
	/* a letter for every parameter, no more: a mismatch is a bug here */
	if ((size_t)sqlite3_bind_parameter_count(st) != strlen(types)) {
		rc = error("db_execf (%s): %d parameters, %zu type letters \"%s\"",
			   what, sqlite3_bind_parameter_count(st), strlen(types),
			   types);
		sqlite3_finalize(st);
		return rc;
	}
	va_start(ap, types);
	for (k = 1; types[k - 1]; k++) {
		switch (types[k - 1]) {
		case 't':
			db_bind_text(st, k, va_arg(ap, const char *));
			break;
		case 'i':
			sqlite3_bind_int(st, k, va_arg(ap, int));
			break;
		case 'I':
			sqlite3_bind_int64(st, k, va_arg(ap, sqlite3_int64));
			break;
		case 'L': {
			long v = va_arg(ap, long);

			if (v > 0)
				sqlite3_bind_int64(st, k, v);
			break;
		}
		case 'N': {
			/* a count: NULL when negative (none) */
			long v = va_arg(ap, long);

			if (v >= 0)
				sqlite3_bind_int64(st, k, v);
			break;
		}
		case 'd':
			sqlite3_bind_double(st, k, va_arg(ap, double));
			break;
		default:
			va_end(ap);
			sqlite3_finalize(st);
			return error("db_execf: bad type '%c'", types[k - 1]);
		}
	}
	va_end(ap);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : db_error(db, what);
}

int db_row(sqlite3 *db, sqlite3_stmt *st, const char *what)
{
	int rc = sqlite3_step(st);

	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	return db_error(db, what);
}

