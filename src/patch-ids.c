#include "patch-ids.h"
#include "util/util.h"

#include <ctype.h>
#include <glib.h>
#include <stdlib.h>
#include <string.h>

static int hunk_counts(const char *line, int *before, int *after)
{
	const char *p = line + 4; /* "@@ -" */
	char *end;
	long a, b;

	strtol(p, &end, 10);
	if (end == p)
		return 0;
	a = 1;
	if (*end == ',')
		a = strtol(end + 1, &end, 10);
	if (strncmp(end, " +", 2))
		return 0;
	p = end + 2;
	strtol(p, &end, 10);
	if (end == p)
		return 0;
	b = 1;
	if (*end == ',')
		b = strtol(end + 1, &end, 10);
	if (a < 0 || b < 0 || a > 100000000 || b > 100000000)
		return 0;
	*before = (int)a;
	*after = (int)b;
	return 1;
}

static void add_sum(unsigned char *result, const unsigned char *h)
{
	unsigned carry = 0;
	int i;

	for (i = 0; i < 20; i++) {
		carry += result[i] + h[i];
		result[i] = (unsigned char)carry;
		carry >>= 8;
	}
}

static void flush_file(GChecksum *ck, unsigned char *result)
{
	unsigned char h[20];
	gsize hl = sizeof(h);

	g_checksum_get_digest(ck, h, &hl);
	g_checksum_reset(ck);
	add_sum(result, h);
}

/* git's scan_hunk_header(), its partial results on bad input included */
static void scan_hunk_header(const char *p, int *before, int *after)
{
	static const char digits[] = "0123456789";
	const char *q = p + 4, *r;
	size_t n = strspn(q, digits);

	if (q[n] == ',') {
		q += n + 1;
		*before = atoi(q);
		n = strspn(q, digits);
	} else {
		*before = 1;
	}
	if (n == 0 || q[n] != ' ' || q[n + 1] != '+')
		return;
	r = q + n + 2;
	n = strspn(r, digits);
	if (r[n] == ',') {
		r += n + 1;
		*after = atoi(r);
	} else {
		*after = 1;
	}
}

/* A line that starts another commit for git patch-id: "<hex40>",
 * "commit <hex40>" or "From <hex40>". */
static int starts_commit(const char *line)
{
	const char *p = line;
	int i;

	if (!skip_prefix(line, "commit ", &p))
		skip_prefix(line, "From ", &p);
	for (i = 0; i < 40; i++)
		if (!isxdigit((unsigned char)p[i]))
			return 0;
	return 1;
}

/*
 * As git 2.39's get_one_patchid() with --stable, for the first commit of
 * the text: white space taken out, "\ No newline" lines skipped, the
 * index line's object names hashed in place of a binary patch's data.
 */
int patch_id_stable(const char *diff, char out[41])
{
	GChecksum *ck = g_checksum_new(G_CHECKSUM_SHA1);
	unsigned char result[20] = { 0 };
	const char *p = diff;
	int before = -1, after = -1, seen = 0, binary = 0;
	char pre[65] = "", post[65] = "";
	char *line = NULL;
	size_t cap = 0;

	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t l = nl ? (size_t)(nl + 1 - p) : strlen(p);
		size_t i, n = 0;
		const char *v;

		if (l + 1 > cap) {
			cap = l + 1;
			line = xrealloc(line, cap);
		}
		memcpy(line, p, l);
		line[l] = '\0';
		p += l;

		if (starts_with(line, "\\ ") && l > 12)
			continue;
		if (starts_commit(line)) {
			if (seen)
				break;
			continue;
		}
		if (!seen && !starts_with(line, "diff "))
			continue;
		if (before == -1) {
			if (starts_with(line, "GIT binary patch") ||
			    starts_with(line, "Binary files")) {
				binary = 1;
				before = 0;
				g_checksum_update(ck, (const guchar *)pre, strlen(pre));
				g_checksum_update(ck, (const guchar *)post, strlen(post));
				flush_file(ck, result);
				continue;
			}
			if (skip_prefix(line, "index ", &v)) {
				char *e1 = strstr(line, ".."), *e2 = NULL;

				if (e1)
					e2 = strchr(e1, ' ');
				if (!e2)
					e2 = line + l - 1;
				if (e1) {
					*e1 = *e2 = '\0';
					g_strlcpy(pre, v, sizeof(pre));
					g_strlcpy(post, e1 + 2, sizeof(post));
				}
				continue;
			}
			if (starts_with(line, "--- "))
				before = after = 1;
			else if (!isalpha((unsigned char)line[0]))
				break;
		}
		if (binary) {
			if (starts_with(line, "diff ")) {
				binary = 0;
				before = -1;
			}
			continue;
		}
		if (before == 0 && after == 0) {
			if (starts_with(line, "@@ -")) {
				scan_hunk_header(line, &before, &after);
				continue;
			}
			if (!starts_with(line, "diff "))
				break;
			flush_file(ck, result);
			before = after = -1;
		}
		if (line[0] == '-' || line[0] == ' ')
			before--;
		if (line[0] == '+' || line[0] == ' ')
			after--;
		for (i = 0; i < l; i++)
			if (!isspace((unsigned char)line[i]))
				line[n++] = line[i];
		seen += (int)n;
		g_checksum_update(ck, (const guchar *)line, n);
	}
	flush_file(ck, result);
	g_checksum_free(ck);
	free(line);
	if (!seen)
		return -1;
	hex_encode(out, result, 20);
	return 0;
}

static int is_diff_start(const char *p, size_t l)
{
	return (l >= 5 && !memcmp(p, "diff ", 5)) ||
	       (l >= 7 && !memcmp(p, "Index: ", 7)) ||
	       (l >= 4 && !memcmp(p, "--- ", 4));
}

/*
 * A line of a GIT binary patch after its header: "literal N", "delta N",
 * a base85 line (length character A-Za-z, then 5-character groups), or
 * the blank line that ends a literal/delta (state 2: after data).
 */
static int binary_line(const char *p, size_t l, int state)
{
	if (l == 0)
		return state == 2;
	if ((l > 8 && !memcmp(p, "literal ", 8)) ||
	    (l > 6 && !memcmp(p, "delta ", 6)))
		return 1;
	return l >= 6 && (l - 1) % 5 == 0 && isalpha((unsigned char)p[0]);
}

void patch_split(const char *patch, struct buf *diffstat, struct buf *diff)
{
	const char *p = patch, *end = patch + strlen(patch);
	const char *good_end;
	int before = 0, after = 0, in_header = 0, in_binary = 0;

	/* the "---" separator line, then the diffstat */
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t l = nl ? (size_t)(nl - p) : (size_t)(end - p);

		if (is_diff_start(p, l) && !(l >= 3 && !memcmp(p, "---", 3) &&
					     (l == 3 || isspace((unsigned char)p[3])) &&
					     !(l > 4 && p[3] == ' ' &&
					       !isspace((unsigned char)p[4]))))
			break;
		if (!(p == patch && l >= 3 && !memcmp(p, "---", 3)))
			buf_add(diffstat, p, nl ? l + 1 : l);
		p = nl ? nl + 1 : end;
	}
	/* blank lines around it go, the first line keeps its leading space
	 * (" f.c | 2 +-" as git writes it) */
	{
		size_t skip = 0, i;

		for (i = 0; i < diffstat->len; i++) {
			if (diffstat->buf[i] == '\n')
				skip = i + 1;
			else if (!isspace((unsigned char)diffstat->buf[i]))
				break;
		}
		if (i == diffstat->len)
			skip = diffstat->len;
		memmove(diffstat->buf, diffstat->buf + skip, diffstat->len - skip + 1);
		diffstat->len -= skip;
	}
	buf_rtrim(diffstat);
	if (diffstat->len)
		buf_addch(diffstat, '\n');

	/* the diff: keep file headers and whole hunks, stop at anything else */
	good_end = p;
	{
		const char *start = p;

		while (p < end) {
			const char *nl = memchr(p, '\n', (size_t)(end - p));
			size_t l = nl ? (size_t)(nl - p) : (size_t)(end - p);
			const char *next = nl ? nl + 1 : end;

			if (before > 0 || after > 0) {
				if (l == 0 || p[0] == ' ') {
					before--, after--;
				} else if (p[0] == '-') {
					before--;
				} else if (p[0] == '+') {
					after--;
				} else if (p[0] != '\\') {
					break;
				}
				good_end = next;
			} else if (l >= 4 && !memcmp(p, "@@ -", 4)) {
				char *tmp = xstrndup(p, l);
				int ok = hunk_counts(tmp, &before, &after);

				free(tmp);
				if (!ok)
					break;
				in_header = 0;
				good_end = next;
			} else if (l > 0 && p[0] == '\\') {
				good_end = next; /* "\ No newline at end of file" */
			} else if (is_diff_start(p, l)) {
				in_header = 1;
				in_binary = 0;
				good_end = next;
			} else if (in_binary && binary_line(p, l, in_binary)) {
				/* literal/delta, base85 lines, a blank after each */
				in_binary = l ? 2 : 1;
				good_end = next;
			} else if (in_binary) {
				break;
			} else if (in_header && l > 0) {
				if (l == 16 && !memcmp(p, "GIT binary patch", 16))
					in_binary = 1;
				good_end = next; /* index, mode, rename, binary */
			} else {
				break;
			}
			p = next;
		}
		buf_add(diff, start, (size_t)(good_end - start));
	}
	/* a binary patch at the end of the mail lost its final blank line
	 * (git apply and libgit2 want one after each literal/delta) */
	if (in_binary == 2) {
		if (diff->len && diff->buf[diff->len - 1] != '\n')
			buf_addch(diff, '\n');
		buf_addch(diff, '\n');
	}
	/*
	 * The text ended inside a hunk owing only context lines: blank context
	 * lines that lost their space at the end of a mail (trailing blank
	 * lines are cut from the text).  Give them back, as git apply reads an
	 * empty line in a hunk, so the hunk stays whole.
	 */
	if (p >= end && before > 0 && before == after && before <= 1000)
		while (before-- > 0)
			buf_addch(diff, '\n');
}
