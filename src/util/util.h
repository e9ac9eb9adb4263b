/*
 * util: messages, allocation that cannot fail, small string helpers.
 *
 * error() and warning() print one line "pwb: error: ..." to stderr;
 * error() returns -1 so that `return error("...")` reads naturally.
 * die() prints and exits 1: only for programming errors and OOM.
 */
#ifndef PWB_UTIL_H
#define PWB_UTIL_H

#include <stddef.h>
#include <stdint.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* The index of s in a table of names (a typed outcome's _name() table;
 * NULL entries never match), or -1 when s is NULL or none of them: what
 * every _parse() of such a table does. */
int name_index(const char *const *names, size_t n, const char *s);

int error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void warning(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void notice(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void die(const char *fmt, ...)
	__attribute__((format(printf, 1, 2), noreturn));

/* Set by --quiet: notices are dropped, warnings and errors are not. */
extern int quiet;
/* Set by --verbose: what pwb does in detail (lore's requests) as notices. */
extern int verbose;

void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* A newly allocated formatted string. */
char *xstrfmt(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Duplicate s, or return NULL for NULL. */
char *xstrdup_or_null(const char *s);

/* Equal strings, or both NULL. */
int str_same(const char *a, const char *b);

int starts_with(const char *s, const char *prefix);
/* Like starts_with but sets *rest to what follows the prefix. */
int skip_prefix(const char *s, const char *prefix, const char **rest);
int istarts_with(const char *s, const char *prefix);

/* Parse a non-negative decimal with optional k/m/g suffix. */
int parse_size(const char *s, uint64_t *out);
int parse_long(const char *s, long *out);

/*
 * A path as git's --type=path reads it: "~" or "~/..." under $HOME,
 * "~user/..." under that user's home; anything else as it is.  Newly
 * allocated; NULL for NULL.  A "~user" that does not exist stays as it is.
 */
char *expand_path(const char *path);
/*
 * pwb's cache directory, $XDG_CACHE_HOME/pwb (~/.cache/pwb without it),
 * with sub ("" for the directory itself) under it; newly allocated.
 * host_cache_path() is for facts of the host shared by every pwb run
 * (the arm64 busybox, the KVM probe): $PWB_CACHE/sub when set, else the
 * same place.  Every cache path is one of these two.
 */
char *cache_path(const char *sub);
char *host_cache_path(const char *sub);

/* Make every directory leading up to (and including) path. */
int mkdir_p(const char *path, unsigned mode);
/* Is process pid running?  A zombie is not: where PID 1 does not reap
 * orphans (some containers and VMs), a pwb killed with -9 stays one. */
int pid_alive(long pid);
/* Create or replace path with len bytes; 0 or -1 (errno). */
int write_file(const char *path, const void *data, size_t len);
/* mkdtemp of $TMPDIR (or /tmp)/prefix.XXXXXX into out; 0 or -1 (errno). */
int make_tmpdir(char *out, size_t size, const char *prefix);
/* Directory part of path, newly allocated. */
char *path_dirname(const char *path);
/* Does path, resolved (symlinks, ".."), exist strictly inside root,
 * resolved too?  1 or 0. */
int path_inside(const char *root, const char *path);

/* Hex of a byte string into out (2*n+1 bytes). */
void hex_encode(char *out, const unsigned char *in, size_t n);

#endif
