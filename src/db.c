#include "db.h"
#include "util/util.h"

#include <errno.h>
#include <stdarg.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

static int migrate(sqlite3 *db, const char *path)
{
	int v = 0, i;
	char pragma[64];

	if (user_version(db, &v))
		return -1; /* printed */
	if (v > db_migrations[db_nmigrations - 1].version)
		return error("database %s has schema version %d, newer than "
			     "this pwb knows (%d)", path, v,
			     db_migrations[db_nmigrations - 1].version);
	for (i = 0; i < db_nmigrations; i++) {
		const struct migration *m = &db_migrations[i];

		if (m->version <= v)
			continue;
		if (db_begin(db))
			return -1;
		snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %d",
			 m->version);
		if (sqlite3_exec(db, m->sql, NULL, NULL, NULL) != SQLITE_OK ||
		    sqlite3_exec(db, pragma, NULL, NULL, NULL) != SQLITE_OK) {
			int rc = error("database %s: migration %s failed: %s",
				       path, m->name, sqlite3_errmsg(db));

			db_rollback(db);
			return rc;
		}
		if (db_commit(db)) {
			db_rollback(db);
			return -1;
		}
	}
	return 0;
}

int db_open(const char *path, sqlite3 **out)
{
	sqlite3 *db = NULL;
	char *dir;
	int rc;

	*out = NULL;
	dir = path_dirname(path);
	if (mkdir_p(dir, 0777)) {
		rc = error("cannot create directory %s for the database: %s",
			   dir, strerror(errno));
		free(dir);
		return rc;
	}
	free(dir);
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE |
			    SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
		rc = error("cannot open database %s: %s", path,
			   db ? sqlite3_errmsg(db) : "out of memory");
		sqlite3_close(db);
		return rc;
	}
	sqlite3_busy_timeout(db, 10000);
	sqlite3_extended_result_codes(db, 1);
	{
		char *msg = NULL;

		if (sqlite3_exec(db, "PRAGMA foreign_keys = ON; "
				 "PRAGMA journal_mode = WAL; "
				 "PRAGMA synchronous = NORMAL", NULL, NULL,
				 &msg) != SQLITE_OK) {
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
			sqlite3_close(db);
			return rc;
		}
	}
	if (migrate(db, path)) {
		sqlite3_close(db);
		return -1;
	}
	*out = db;
	return 0;
}

json_t *db_column_json(sqlite3_stmt *st, int k)
{
	switch (sqlite3_column_type(st, k)) {
	case SQLITE_INTEGER:
		return json_integer(sqlite3_column_int64(st, k));
	case SQLITE_FLOAT:
		return json_real(sqlite3_column_double(st, k));
	case SQLITE_TEXT:
		return json_string((const char *)sqlite3_column_text(st, k));
	default:
		return json_null();
	}
}

int db_execf(sqlite3 *db, const char *what, const char *sql,
	     const char *types, ...)
{
	sqlite3_stmt *st;
	va_list ap;
	int k, rc;

	if (db_prepare(db, &st, sql))
		return -1;
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
