#include "trailers.h"
#include "util/util.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static char *normalise_kind(const char *k, size_t n)
{
	char *r = xstrndup(k, n);
	size_t i;

	r[0] = (char)toupper((unsigned char)r[0]);
	for (i = 1; i < n; i++)
		r[i] = (char)tolower((unsigned char)r[i]);
	return r;
}

/*
 * Outlook writes "Name <a@b<mailto:a@b>>": when the mailto: target is the
 * address before it, drop it (b4 does the same), in place.
 */
static void unmangle_mailto(char *v)
{
	char *m = strstr(v, "<mailto:"), *lt, *gt;
	size_t alen;

	if (!m || !(gt = strchr(m, '>')))
		return;
	*m = '\0';
	lt = strrchr(v, '<');
	*m = '<';
	if (!lt)
		return;
	alen = (size_t)(m - lt - 1);
	if ((size_t)(gt - m - 8) != alen || strncasecmp(lt + 1, m + 8, alen))
		return;
	memmove(m, gt + 1, strlen(gt + 1) + 1);
}

/* "Kind-by: Person <addr>", "Fixes: <sha> (\"subject\")", "Link: URL". */
static int parse_trailer(const char *line, size_t len, char **kind,
			 char **person)
{
	size_t i = 0, klen, vstart;
	const char *v;
	size_t vlen;

	if (!len || !isalpha((unsigned char)line[0]))
		return 0;
	while (i < len && (isalnum((unsigned char)line[i]) || line[i] == '-'))
		i++;
	if (i == len || line[i] != ':' || i + 1 >= len || line[i + 1] != ' ')
		return 0;
	klen = i;
	vstart = i + 2;
	while (vstart < len && line[vstart] == ' ')
		vstart++;
	v = line + vstart;
	vlen = len - vstart;
	while (vlen && isspace((unsigned char)v[vlen - 1]))
		vlen--;
	if (!vlen)
		return 0;
	if (klen > 3 && !strncasecmp(line + klen - 3, "-by", 3)) {
		const char *lt = memchr(v, '<', vlen);
		const char *at = memchr(v, '@', vlen);

		if (klen == 13 && !strncasecmp(line, "Signed-off-by", 13))
			return 0; /* the author's business, never collected */
		if (!lt || !at || at < lt || v[vlen - 1] != '>')
			return 0;
	} else if ((klen == 4 && !strncasecmp(line, "Link", 4)) ||
		   (klen == 6 && !strncasecmp(line, "Closes", 6))) {
		/* b4 0.13 and later collect these from replies too */
		if (!(vlen > 8 && !strncmp(v, "https://", 8)) &&
		    !(vlen > 7 && !strncmp(v, "http://", 7)))
			return 0;
		if (memchr(v, ' ', vlen))
			return 0;
	} else if (klen == 5 && !strncasecmp(line, "Fixes", 5)) {
		size_t h = 0;

		while (h < vlen && isxdigit((unsigned char)v[h]))
			h++;
		if (h < 8 || h >= vlen || v[h] != ' ')
			return 0;
	} else {
		return 0;
	}
	*kind = normalise_kind(line, klen);
	*person = xstrndup(v, vlen);
	unmangle_mailto(*person);
	return 1;
}

/*
 * The address of a "Name <addr>" trailer (newly allocated, lower case),
 * or NULL when it has none.
 */
char *trailer_address(const char *person)
{
	const char *lt = strrchr(person, '<'), *gt;
	char *r;
	size_t i;

	if (!lt || !(gt = strchr(lt, '>')) || gt == lt + 1)
		return NULL;
	r = xstrndup(lt + 1, (size_t)(gt - lt - 1));
	for (i = 0; r[i]; i++)
		r[i] = (char)tolower((unsigned char)r[i]);
	return r;
}

void trailers_extract(const char *body, const char *from_msgid,
		      struct trailer **arr, size_t *nr)
{
	const char *p = body;

	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t l = nl ? (size_t)(nl - p) : strlen(p);
		const char *q = p;
		char *kind, *person;
		size_t i;
		int dup = 0;

		/* "-- " starts a signature: nothing after it is a trailer */
		if (l == 3 && !memcmp(p, "-- ", 3))
			break;
		while (q < p + l && (*q == ' ' || *q == '\t'))
			q++;
		if (q < p + l && *q == '>') {
			p = nl ? nl + 1 : p + l;
			continue;
		}
		if (parse_trailer(p, l, &kind, &person)) {
			for (i = 0; i < *nr; i++)
				if (!strcmp((*arr)[i].kind, kind) &&
				    !strcmp((*arr)[i].person, person))
					dup = 1;
			if (dup) {
				free(kind);
				free(person);
			} else {
				*arr = xrealloc(*arr, (*nr + 1) * sizeof(**arr));
				(*arr)[*nr].kind = kind;
				(*arr)[*nr].person = person;
				(*arr)[*nr].from_msgid = from_msgid;
				(*nr)++;
			}
		}
		p = nl ? nl + 1 : p + l;
	}
}

void trailers_free(struct trailer *arr, size_t nr)
{
	size_t i;

	for (i = 0; i < nr; i++) {
		free(arr[i].kind);
		free(arr[i].person);
	}
	free(arr);
}
