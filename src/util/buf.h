/*
 * buf: a growable byte buffer, always NUL-terminated, in the manner of
 * git's strbuf.
 *
 * Ownership: a struct buf owns `buf` once anything was added to it.
 * `buf` is never NULL: BUF_INIT points it at a shared empty string, so a
 * fresh buffer can be printed without checks.  buf_release() frees and
 * resets; buf_detach() hands the memory to the caller (free() it).
 * Allocation failure aborts (there is nothing useful to do without memory).
 */
#ifndef PWB_BUF_H
#define PWB_BUF_H

#include <stdarg.h>
#include <stddef.h>

extern char buf_empty[];

struct buf {
	char *buf;
	size_t len;
	size_t alloc;
};

#define BUF_INIT { buf_empty, 0, 0 }

void buf_init(struct buf *b, size_t hint);
void buf_release(struct buf *b);
/* Returns the string (caller frees) and leaves *b empty. */
char *buf_detach(struct buf *b, size_t *len);
void buf_grow(struct buf *b, size_t extra);
void buf_setlen(struct buf *b, size_t len);
#define buf_reset(b) buf_setlen((b), 0)

void buf_add(struct buf *b, const void *data, size_t len);
void buf_addstr(struct buf *b, const char *s);
void buf_addch(struct buf *b, int c);
/* other may be b itself (b doubles); buf_add's data must not point into b. */
void buf_addbuf(struct buf *b, const struct buf *other);
void buf_addf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void buf_vaddf(struct buf *b, const char *fmt, va_list ap);

/* Strip trailing whitespace; both ends. */
void buf_rtrim(struct buf *b);
void buf_trim(struct buf *b);

/*
 * Read a whole file (or fd) into b, appending.  Fails with -1 (errno set)
 * or -2 when more than `cap` bytes would be read (cap 0 = no cap).
 */
int buf_read_fd(struct buf *b, int fd, size_t cap);
int buf_read_file(struct buf *b, const char *path, size_t cap);

int buf_starts_with(const struct buf *b, const char *prefix);

#endif
