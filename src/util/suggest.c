#include "suggest.h"
#include "buf.h"
#include "util.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j, *row, prev, tmp, best;

	row = xcalloc(lb + 1, sizeof(*row));
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		prev = row[0];
		row[0] = i;
		for (j = 1; j <= lb; j++) {
			tmp = row[j];
			best = prev + (tolower((unsigned char)a[i - 1]) !=
				       tolower((unsigned char)b[j - 1]));
			if (row[j] + 1 < best)
				best = row[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			prev = tmp;
		}
	}
	best = row[lb];
	free(row);
	return best;
}

const char *suggest_hint(const char *word, const char *const *names, size_t n)
{
	static struct buf out = BUF_INIT;
	size_t i, d, best = (size_t)-1, shown = 0, nbest = 0;

	buf_setlen(&out, 0);
	for (i = 0; i < n; i++) {
		if (!names[i])
			continue;
		d = edit_distance(word, names[i]);
		if (d > 3 || d >= strlen(names[i]))
			continue;
		if (d < best)
			best = d, nbest = 0;
		if (d == best)
			nbest++;
	}
	if (best == (size_t)-1)
		return out.buf;
	if (nbest > 3)
		nbest = 3;
	buf_addstr(&out, "; did you mean ");
	for (i = 0; i < n && shown < 3; i++) {
		if (!names[i] || edit_distance(word, names[i]) != best)
			continue;
		if (shown)
			buf_addstr(&out, shown + 1 == nbest ? " or " : ", ");
		buf_addstr(&out, names[i]);
		shown++;
	}
	buf_addch(&out, '?');
	return out.buf;
}
