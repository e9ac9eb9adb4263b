#include "metrics.h"
#include "util/util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define PREFIX "pwb-metric "

static int all_in(const char *s, size_t n, const char *extra)
{
	size_t i;

	for (i = 0; i < n; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || strchr(extra, c)) || !c)
			return 0;
	}
	return 1;
}

/* One line without its newline: 1 taken, 0 malformed */
static int parse_line(const char *l, size_t len, struct metrics *m)
{
	char tmp[256], *name, *val, *unit, *end, *save = NULL;
	double v;
	size_t i;

	if (len >= sizeof(tmp))
		return 0;
	memcpy(tmp, l, len);
	tmp[len] = '\0';
	name = strtok_r(tmp, " ", &save);
	val = strtok_r(NULL, " ", &save);
	unit = strtok_r(NULL, " ", &save);
	if (!name || !val || !unit || strtok_r(NULL, " ", &save))
		return 0;
	if (strlen(name) > 128 || !all_in(name, strlen(name), "_.:=/-") ||
	    strlen(unit) > 16 || !all_in(unit, strlen(unit), "_%/"))
		return 0;
	v = strtod(val, &end);
	if (*end || end == val || !isfinite(v))
		return 0;
	for (i = 0; i < m->nr; i++)
		if (!strcmp(m->s[i].name, name)) {
			m->dup++;
			return 1;
		}
	m->s = xrealloc(m->s, (m->nr + 1) * sizeof(*m->s));
	m->s[m->nr].name = xstrdup(name);
	m->s[m->nr].value = v;
	m->s[m->nr].unit = xstrdup(unit);
	m->nr++;
	return 1;
}

int metrics_parse(const char *text, struct metrics *out)
{
	const char *p = text, *nl;

	memset(out, 0, sizeof(*out));
	for (; p && *p; p = nl ? nl + 1 : NULL) {
		size_t len;

		nl = strchr(p, '\n');
		len = nl ? (size_t)(nl - p) : strlen(p);
		while (len && (p[len - 1] == '\r' || p[len - 1] == ' '))
			len--;
		if (len < sizeof(PREFIX) - 1 ||
		    memcmp(p, PREFIX, sizeof(PREFIX) - 1))
			continue;
		if (!parse_line(p + sizeof(PREFIX) - 1,
				len - (sizeof(PREFIX) - 1), out))
			out->bad++;
	}
	return 0;
}

void metrics_release(struct metrics *m)
{
	size_t i;

	for (i = 0; i < m->nr; i++) {
		free(m->s[i].name);
		free(m->s[i].unit);
	}
	free(m->s);
	memset(m, 0, sizeof(*m));
}

char *metric_base(const char *name)
{
	return xstrndup(name, strcspn(name, "/"));
}
