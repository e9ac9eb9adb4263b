/*
 * db: the sqlite database beside the threads.
 *
 * db_open() creates the file (and its directory) if needed, sets a busy
 * timeout, turns on foreign keys and WAL (waiting for another process that
 * is opening the same new file), and applies every migration from db/
 * (compiled in) that is newer than PRAGMA user_version: all of them and the
 * new user_version in one BEGIN IMMEDIATE that reads user_version again,
 * so that two processes creating one database at once both succeed.  The
 * sqlite3 handle belongs to the caller (sqlite3_close).
 *
 * All SQL goes through prepared statements with bound parameters; nothing
 * from mail is ever pasted into SQL text.
 */
#ifndef PWB_DB_H
#define PWB_DB_H

#include <sqlite3.h>

struct migration {
	int version;
	const char *name;
	const char *sql;
};

extern const struct migration db_migrations[];
extern const int db_nmigrations;

int db_open(const char *path, sqlite3 **out);
/* The same for a command that only reads: no file at path is the error
 * "no database at PATH; pwb fetch creates one", and nothing is created. */
int db_open_existing(const char *path, sqlite3 **out);

/* Prepare; on failure prints an error naming the statement's purpose. */
int db_prepare(sqlite3 *db, sqlite3_stmt **st, const char *sql);
int db_exec(sqlite3 *db, const char *sql);

/* BEGIN IMMEDIATE / COMMIT / ROLLBACK. */
int db_begin(sqlite3 *db);
int db_commit(sqlite3 *db);
void db_rollback(sqlite3 *db);

/* Report the last sqlite error on db as a pwb error; returns -1. */
int db_error(sqlite3 *db, const char *what);

/*
 * Step st once: 1 a row, 0 done, -1 an error (said, naming what).  The
 * loop `while ((rc = db_row(db, st, "load x")) > 0)` then `if (rc < 0)`
 * never mistakes a busy or failing database for the end of the rows.
 */
int db_row(sqlite3 *db, sqlite3_stmt *st, const char *what);

/*
 * One statement with its parameters, stepped once: types has a letter per
 * parameter: 't' const char * (NULL binds NULL), 'i' int, 'I' sqlite3_int64,
 * 'L' long, bound NULL when <= 0 (an optional row id), 'N' long, NULL
 * when < 0 (an optional count), 'd' double.
 * 0, or -1 with an error naming what.  sqlite3_last_insert_rowid() after
 * it gives an INSERT's row.
 */
int db_execf(sqlite3 *db, const char *what, const char *sql,
	     const char *types, ...);
/* Column k of the current row as a new string (caller frees), or NULL. */
char *db_column_dup(sqlite3_stmt *st, int k);
/* Bind helpers that bind NULL for a NULL string. */
int db_bind_text(sqlite3_stmt *st, int idx, const char *s);
/* The same, without sqlite's copy: s must outlive the statement's step. */
int db_bind_text_static(sqlite3_stmt *st, int idx, const char *s);

#endif
