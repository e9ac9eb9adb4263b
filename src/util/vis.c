#include "vis.h"
#include "buf.h"

#include <stdio.h>
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

const char *vis(const char *s)
{
	static struct buf ring[8] = {
		BUF_INIT, BUF_INIT, BUF_INIT, BUF_INIT,
		BUF_INIT, BUF_INIT, BUF_INIT, BUF_INIT,
	};
	static unsigned next;
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
