#include "buf.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

char buf_empty[1];

void buf_init(struct buf *b, size_t hint)
{
	b->buf = buf_empty;
	b->len = b->alloc = 0;
	if (hint)
		buf_grow(b, hint);
}

void buf_release(struct buf *b)
{
	if (b->alloc)
		free(b->buf);
	buf_init(b, 0);
}

char *buf_detach(struct buf *b, size_t *len)
{
	char *s;

	if (!b->alloc)
		buf_grow(b, 0);
	s = b->buf;
	if (len)
		*len = b->len;
	buf_init(b, 0);
	return s;
}

void buf_grow(struct buf *b, size_t extra)
{
	size_t need;

	if (b->len + extra + 1 < b->len)
		die("buffer size overflow");
	need = b->len + extra + 1;
	if (need <= b->alloc)
		return;
	if (!b->alloc)
		b->buf = NULL;
	b->alloc = b->alloc ? b->alloc : 64;
	while (b->alloc < need)
		b->alloc = b->alloc < (SIZE_MAX / 2) ? b->alloc * 2 : need;
	b->buf = xrealloc(b->buf, b->alloc);
	if (!b->len)
		b->buf[0] = '\0';
}

void buf_setlen(struct buf *b, size_t len)
{
	if (len > (b->alloc ? b->alloc - 1 : 0))
		die("buf_setlen beyond allocation");
	b->len = len;
	if (b->alloc)
		b->buf[len] = '\0';
}

void buf_add(struct buf *b, const void *data, size_t len)
{
	if (!len)
		return;
	buf_grow(b, len);
	memcpy(b->buf + b->len, data, len);
	b->len += len;
	b->buf[b->len] = '\0';
}

void buf_addstr(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

void buf_addch(struct buf *b, int c)
{
	char ch = (char)c;

	buf_add(b, &ch, 1);
}

void buf_addbuf(struct buf *b, const struct buf *other)
{
	size_t len = other->len;

	if (!len)
		return;
	/*
	 * Grow first, then read other->buf: when other is b, growing may
	 * move its bytes (as git's strbuf_addbuf).
	 */
	buf_grow(b, len);
	memcpy(b->buf + b->len, other->buf, len);
	b->len += len;
	b->buf[b->len] = '\0';
}

void buf_vaddf(struct buf *b, const char *fmt, va_list ap)
{
	va_list cp;
	int n;

	va_copy(cp, ap);
	n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		die("vsnprintf failed");
	buf_grow(b, (size_t)n);
	vsnprintf(b->buf + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void buf_addf(struct buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	buf_vaddf(b, fmt, ap);
	va_end(ap);
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
	       c == '\f';
}

void buf_rtrim(struct buf *b)
{
	size_t n = b->len;

	while (n && is_space(b->buf[n - 1]))
		n--;
	if (b->alloc)
		buf_setlen(b, n);
}

void buf_trim(struct buf *b)
{
	size_t skip = 0;

	buf_rtrim(b);
	while (skip < b->len && is_space(b->buf[skip]))
		skip++;
	if (skip) {
		memmove(b->buf, b->buf + skip, b->len - skip);
		buf_setlen(b, b->len - skip);
	}
}

int buf_read_fd(struct buf *b, int fd, size_t cap)
{
	size_t start = b->len;

	for (;;) {
		ssize_t n;

		buf_grow(b, 65536);
		n = read(fd, b->buf + b->len, b->alloc - b->len - 1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (n == 0)
			break;
		b->len += (size_t)n;
		b->buf[b->len] = '\0';
		if (cap && b->len - start > cap)
			return -2;
	}
	return 0;
}

int buf_read_file(struct buf *b, const char *path, size_t cap)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	int ret, saved;

	if (fd < 0)
		return -1;
	ret = buf_read_fd(b, fd, cap);
	saved = errno;
	close(fd);
	errno = saved;
	return ret;
}

int buf_starts_with(const struct buf *b, const char *prefix)
{
	size_t n = strlen(prefix);

	return b->len >= n && !memcmp(b->buf, prefix, n);
}
