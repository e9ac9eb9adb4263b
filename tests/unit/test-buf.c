/*
 * Unit tests: util/buf.c, the growable NUL-terminated buffer every module
 * builds its strings in (adding, formatting, growing, detaching, trimming,
 * reading files), and appending a buffer to itself, which must copy from
 * the buffer as it is after growing, not from the memory it had before.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/buf.h"
#include "util/util.h"

/* len bytes, NUL-terminated, allocation large enough */
static void assert_buf(const struct buf *b, const char *want, size_t len)
{
	assert_int_equal(b->len, len);
	assert_memory_equal(b->buf, want, len);
	assert_int_equal(b->buf[len], '\0');
	if (b->alloc)
		assert_true(b->alloc > b->len);
}

static void test_init_and_release(void **state)
{
	struct buf b = BUF_INIT;

	(void)state;
	/* a fresh buffer is an empty string, allocated or not */
	assert_non_null(b.buf);
	assert_string_equal(b.buf, "");
	assert_int_equal(b.alloc, 0);
	buf_release(&b);
	assert_ptr_equal(b.buf, buf_empty);
	buf_init(&b, 100);
	assert_true(b.alloc >= 101);
	assert_buf(&b, "", 0);
	buf_addstr(&b, "x");
	buf_release(&b);
	assert_ptr_equal(b.buf, buf_empty);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.alloc, 0);
	/* released twice is still empty */
	buf_release(&b);
	assert_int_equal(b.alloc, 0);
}

static void test_add(void **state)
{
	struct buf b = BUF_INIT;
	char big[1000];
	size_t i;

	(void)state;
	/* nothing added: nothing allocated */
	buf_add(&b, "ignored", 0);
	assert_int_equal(b.alloc, 0);
	assert_ptr_equal(b.buf, buf_empty);
	buf_addstr(&b, "");
	assert_int_equal(b.alloc, 0);

	buf_addstr(&b, "hello");
	buf_addch(&b, ',');
	buf_addch(&b, ' ');
	buf_add(&b, "world!!!", 5);
	assert_buf(&b, "hello, world", 12);
	/* bytes, NUL included */
	buf_add(&b, "a\0b", 3);
	assert_buf(&b, "hello, world" "a\0b", 15);
	buf_reset(&b);
	assert_buf(&b, "", 0);

	/* growing over many reallocations keeps what was there */
	for (i = 0; i < sizeof(big); i++)
		big[i] = (char)('a' + i % 26);
	for (i = 0; i < sizeof(big); i++)
		buf_addch(&b, big[i]);
	assert_buf(&b, big, sizeof(big));
	buf_add(&b, big, sizeof(big));
	assert_int_equal(b.len, 2 * sizeof(big));
	assert_memory_equal(b.buf + sizeof(big), big, sizeof(big));
	buf_release(&b);
}

static void test_addf(void **state)
{
	struct buf b = BUF_INIT;
	char want[300];

	(void)state;
	buf_addf(&b, "%s-%d", "cell", 3);
	assert_buf(&b, "cell-3", 6);
	buf_addf(&b, "%s", "");
	assert_buf(&b, "cell-3", 6);
	buf_addf(&b, " %05.1f%%", 2.25);
	assert_buf(&b, "cell-3 002.2%", 13);
	/* longer than what is allocated: grows, then formats */
	buf_reset(&b);
	memset(want, 'x', 250);
	want[250] = '\0';
	buf_addstr(&b, "<");
	buf_addf(&b, "%s>%zu", want, (size_t)250);
	assert_int_equal(b.len, 1 + 250 + 1 + 3);
	assert_memory_equal(b.buf + 1, want, 250);
	assert_string_equal(b.buf + 251, ">250");
	buf_release(&b);
}

static void test_grow_and_setlen(void **state)
{
	struct buf b = BUF_INIT;
	char *p;

	(void)state;
	/* grow(0) on an empty buffer allocates an empty string */
	buf_grow(&b, 0);
	assert_true(b.alloc >= 1);
	assert_ptr_not_equal(b.buf, buf_empty);
	assert_buf(&b, "", 0);
	buf_addstr(&b, "abc");
	buf_grow(&b, 5000);
	assert_true(b.alloc >= 3 + 5000 + 1);
	assert_buf(&b, "abc", 3);
	/* room enough: no reallocation */
	p = b.buf;
	buf_add(&b, "defg", 4);
	assert_ptr_equal(b.buf, p);
	/* write in place, then set the length: NUL-terminated there */
	memcpy(b.buf + b.len, "XYZ", 3);
	buf_setlen(&b, b.len + 3);
	assert_buf(&b, "abcdefgXYZ", 10);
	buf_setlen(&b, 2);
	assert_buf(&b, "ab", 2);
	buf_release(&b);
}

static void test_detach(void **state)
{
	struct buf b = BUF_INIT;
	size_t len = 99;
	char *s;

	(void)state;
	buf_addstr(&b, "mine now");
	s = buf_detach(&b, &len);
	assert_string_equal(s, "mine now");
	assert_int_equal(len, 8);
	/* the buffer is empty and reusable; the string is the caller's */
	assert_ptr_equal(b.buf, buf_empty);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.alloc, 0);
	buf_addstr(&b, "again");
	assert_buf(&b, "again", 5);
	assert_string_equal(s, "mine now");
	free(s);
	buf_release(&b);

	/* an empty buffer detaches an allocated "" (free() takes it) */
	s = buf_detach(&b, &len);
	assert_non_null(s);
	assert_ptr_not_equal(s, buf_empty);
	assert_string_equal(s, "");
	assert_int_equal(len, 0);
	free(s);
	s = buf_detach(&b, NULL);
	assert_string_equal(s, "");
	free(s);
}

static void test_trim(void **state)
{
	struct buf b = BUF_INIT;

	(void)state;
	/* an empty, unallocated buffer */
	buf_trim(&b);
	buf_rtrim(&b);
	assert_int_equal(b.alloc, 0);
	assert_buf(&b, "", 0);

	buf_addstr(&b, " \t\n line one\n  line two \r\n\v\f");
	buf_rtrim(&b);
	assert_buf(&b, " \t\n line one\n  line two", 23);
	buf_trim(&b);
	assert_buf(&b, "line one\n  line two", 19);
	buf_trim(&b);
	assert_buf(&b, "line one\n  line two", 19);
	/* nothing but whitespace */
	buf_reset(&b);
	buf_addstr(&b, " \n\t ");
	buf_trim(&b);
	assert_buf(&b, "", 0);
	/* leading only */
	buf_addstr(&b, "\n\nx");
	buf_trim(&b);
	assert_buf(&b, "x", 1);
	buf_release(&b);
}

static void test_starts_with(void **state)
{
	struct buf b = BUF_INIT;

	(void)state;
	assert_true(buf_starts_with(&b, ""));
	assert_false(buf_starts_with(&b, "a"));
	buf_addstr(&b, "From: a");
	assert_true(buf_starts_with(&b, "From:"));
	assert_true(buf_starts_with(&b, "From: a"));
	assert_false(buf_starts_with(&b, "From: ab"));
	assert_false(buf_starts_with(&b, "from:"));
	buf_release(&b);
}

/* a file of n bytes (a pattern with NULs in it) under $TMPDIR */
static char *temp_file(size_t n, char **data)
{
	const char *dir = getenv("TMPDIR");
	char *path = xstrfmt("%s/pwb-test-buf.XXXXXX", dir && *dir ? dir : "/tmp");
	int fd = mkstemp(path);
	size_t i;

	assert_true(fd >= 0);
	*data = xmalloc(n + 1);
	for (i = 0; i < n; i++)
		(*data)[i] = (char)(i % 251);
	assert_int_equal(write(fd, *data, n), (ssize_t)n);
	close(fd);
	return path;
}

static void test_read_file(void **state)
{
	struct buf b = BUF_INIT;
	size_t n = 200000;	/* more than one 64 KiB read */
	char *data, *path = temp_file(n, &data);

	(void)state;
	/* appends to what is there */
	buf_addstr(&b, "head:");
	assert_int_equal(buf_read_file(&b, path, 0), 0);
	assert_int_equal(b.len, 5 + n);
	assert_memory_equal(b.buf, "head:", 5);
	assert_memory_equal(b.buf + 5, data, n);
	assert_int_equal(b.buf[b.len], '\0');
	/* a cap at the size is enough, one byte less is not */
	buf_reset(&b);
	assert_int_equal(buf_read_file(&b, path, n), 0);
	assert_int_equal(b.len, n);
	buf_reset(&b);
	assert_int_equal(buf_read_file(&b, path, n - 1), -2);
	/* the cap counts what this call read, not what was there */
	buf_reset(&b);
	buf_addstr(&b, "head:");
	assert_int_equal(buf_read_file(&b, path, n), 0);
	assert_int_equal(b.len, 5 + n);
	/* an empty file */
	assert_int_equal(truncate(path, 0), 0);
	buf_reset(&b);
	assert_int_equal(buf_read_file(&b, path, 0), 0);
	assert_buf(&b, "", 0);
	unlink(path);
	/* a missing file: -1 with errno, the buffer as it was */
	buf_addstr(&b, "kept");
	errno = 0;
	assert_int_equal(buf_read_file(&b, path, 0), -1);
	assert_int_equal(errno, ENOENT);
	assert_buf(&b, "kept", 4);
	/* a pipe */
	{
		int fd[2];

		assert_int_equal(pipe(fd), 0);
		assert_int_equal(write(fd[1], "through a pipe", 14), 14);
		close(fd[1]);
		buf_reset(&b);
		assert_int_equal(buf_read_fd(&b, fd[0], 0), 0);
		close(fd[0]);
		assert_buf(&b, "through a pipe", 14);
	}
	buf_release(&b);
	free(data);
	free(path);
}

static void test_addbuf(void **state)
{
	struct buf a = BUF_INIT, b = BUF_INIT;

	(void)state;
	buf_addbuf(&a, &b);
	assert_int_equal(a.alloc, 0);
	buf_addstr(&b, "other");
	buf_addstr(&a, "this+");
	buf_addbuf(&a, &b);
	assert_buf(&a, "this+other", 10);
	assert_buf(&b, "other", 5);
	buf_release(&a);
	buf_release(&b);
}

/*
 * buf_addbuf(b, b): b's bytes are read after b grew.  Each append doubles
 * the length and so reallocates (often to a new place: a block allocated
 * after the buffer keeps it from growing in place); copying from the
 * memory b had before would read freed memory.
 */
static void test_addbuf_self(void **state)
{
	struct buf b = BUF_INIT, want = BUF_INIT;
	void *blockers[16];
	size_t i, n = 0;
	char *copy;

	(void)state;
	/* an empty buffer appended to itself stays empty */
	buf_addbuf(&b, &b);
	assert_buf(&b, "", 0);

	buf_addstr(&b, "0123456789abcdefghijklmnopqrstuvwxyz");
	buf_addstr(&want, "0123456789abcdefghijklmnopqrstuvwxyz");
	for (i = 0; i < 12; i++) {
		/* fill b's allocation: appending b to itself reallocates */
		while (b.len + b.len + 1 <= b.alloc) {
			buf_addch(&b, 'A' + (int)i);
			buf_addch(&want, 'A' + (int)i);
		}
		blockers[n++] = xmalloc(32);
		/* the expected content, from a copy */
		copy = xmalloc(want.len);
		memcpy(copy, want.buf, want.len);
		buf_add(&want, copy, want.len);
		free(copy);

		buf_addbuf(&b, &b);
		assert_int_equal(b.len, want.len);
		assert_memory_equal(b.buf, want.buf, want.len);
		assert_int_equal(b.buf[b.len], '\0');
	}
	assert_true(b.len >= 36u << 12);
	while (n)
		free(blockers[--n]);
	buf_release(&b);
	buf_release(&want);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init_and_release),
		cmocka_unit_test(test_add),
		cmocka_unit_test(test_addf),
		cmocka_unit_test(test_grow_and_setlen),
		cmocka_unit_test(test_detach),
		cmocka_unit_test(test_trim),
		cmocka_unit_test(test_starts_with),
		cmocka_unit_test(test_read_file),
		cmocka_unit_test(test_addbuf),
		cmocka_unit_test(test_addbuf_self),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
