#include "vis.h"
#include "buf.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

size_t utf8_decode(const unsigned char *s, size_t len, unsigned *cp)
{
	unsigned c = s[0], min;
	size_t n, i;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf)
		n = 2, c &= 0x1f, min = 0x80;
	else if (c >= 0xe0 && c <= 0xef)
		n = 3, c &= 0x0f, min = 0x800;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 4, c &= 0x07, min = 0x10000;
	else
		return 0;
	if (len < n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return n;
}

int vis_is_control(unsigned cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) ||
	       cp == 0x2028 || cp == 0x2029 ||
	       (cp >= 0x202a && cp <= 0x202e) ||
	       (cp >= 0x2066 && cp <= 0x2069);
}

void buf_add_visible(struct buf *b, const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, n;
	unsigned cp;

	while (i < len) {
		n = utf8_decode(s + i, len - i, &cp);
		if (!n) {
			buf_addf(b, "\\x%02x", s[i]);
			i++;
			continue;
		}
		if (!vis_is_control(cp))
			buf_add(b, s + i, n);
		else if (cp < 0x80)
			buf_addf(b, "\\x%02x", cp);
		else
			buf_addf(b, "\\u%04x", cp);
		i += n;
	}
}

int vis_is_plain(const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, n;
	unsigned cp;

	while (i < len) {
		if (s[i] >= 0x20 && s[i] < 0x7f) {
			i++;
			continue;
		}
		n = utf8_decode(s + i, len - i, &cp);
		if (!n || vis_is_control(cp))
			return 0;
		i += n;
	}
	return 1;
}

static struct buf ring[8] = {
	BUF_INIT, BUF_INIT, BUF_INIT, BUF_INIT,
	BUF_INIT, BUF_INIT, BUF_INIT, BUF_INIT,
};
static unsigned next;

static int cp_width(unsigned cp)
{
	if ((cp >= 0x300 && cp <= 0x36f) || (cp >= 0x200b && cp <= 0x200f) ||
	    (cp >= 0x1ab0 && cp <= 0x1aff) || (cp >= 0x1dc0 && cp <= 0x1dff) ||
	    (cp >= 0x20d0 && cp <= 0x20ff) || (cp >= 0xfe20 && cp <= 0xfe2f) ||
	    cp == 0xfeff)
		return 0;
	if ((cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0xa4cf &&
	    cp != 0x303f) || (cp >= 0xac00 && cp <= 0xd7a3) ||
	    (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0xfe30 && cp <= 0xfe4f) ||
	    (cp >= 0xff00 && cp <= 0xff60) || (cp >= 0xffe0 && cp <= 0xffe6) ||
	    (cp >= 0x1f300 && cp <= 0x1faff) ||
	    (cp >= 0x20000 && cp <= 0x3fffd))
		return 2;
	return 1;
}

/* the columns of the character at s (n bytes of it into *n) */
static int char_width(const char *s, size_t len, size_t *n)
{
	unsigned cp;

	*n = utf8_decode((const unsigned char *)s, len, &cp);
	if (!*n) {
		*n = 1;
		return 1;
	}
	return cp_width(cp);
}

size_t display_width(const char *s)
{
	size_t len = strlen(s), i = 0, n, w = 0;

	while (i < len) {
		w += (size_t)char_width(s + i, len - i, &n);
		i += n;
	}
	return w;
}

const char *vis_cols(const char *s, size_t width)
{
	const char *v = vis(s);
	struct buf *b = &ring[next++ % 8];
	size_t len = strlen(v), i = 0, n, w = 0;
	int cw;

	buf_reset(b);
	while (i < len) {
		cw = char_width(v + i, len - i, &n);
		if (w + (size_t)cw > width)
			break;
		buf_add(b, v + i, n);
		w += (size_t)cw;
		i += n;
	}
	while (w++ < width)
		buf_addch(b, ' ');
	return b->buf;
}

const char *vis(const char *s)
{
	struct buf *b;
	size_t len;

	if (!s)
		return "";
	len = strlen(s);
	if (vis_is_plain(s, len))
		return s;
	b = &ring[next++ % 8];
	buf_reset(b);
	buf_add_visible(b, s, len);
	return b->buf;
}

void fput_wrapped(FILE *out, size_t at, size_t ind, size_t cols,
		  const char *text)
{
	const char *p = text;
	int first = 1;

	while (*p) {
		size_t n = strcspn(p, " "), w;
		char *word = xstrndup(p, n);

		w = display_width(word);
		if (!first && at + 1 + w > cols) {
			fprintf(out, "\n%*s", (int)ind, "");
			at = ind;
		} else if (!first) {
			fputc(' ', out);
			at++;
		}
		fputs(word, out);
		at += w;
		first = 0;
		free(word);
		p += n;
		while (*p == ' ')
			p++;
	}
	fputc('\n', out);
}
