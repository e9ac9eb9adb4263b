#include "output.h"
#include "lore.h"
#include "util/timefmt.h"
#include "util/util.h"

#include <stdlib.h>
#include <string.h>

char *series_link(const char *base, const char *msgid)
{
	struct buf b = BUF_INIT;

	lore_msg_url(&b, base ? base : LORE_DEFAULT_BASE, msgid);
	return buf_detach(&b, NULL);
}

static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

json_t *json_series(const struct stored_series *s, const char *lore_base)
{
	json_t *o = json_object(), *arr = json_array();
	char date[40], *link;
	size_t i, j;

	link = series_link(s->lore_base ? s->lore_base : lore_base, s->msgid);
	json_object_set_new(o, "id", json_integer(s->id));
	json_object_set_new(o, "version", json_integer(s->version));
	json_object_set_new(o, "subject", json_string(s->subject));
	json_object_set_new(o, "prefixes", json_string(s->prefixes));
	json_object_set_new(o, "msgid", json_string(s->msgid));
	json_object_set_new(o, "cover", str_or_null(s->cover_msgid));
	json_object_set_new(o, "base_commit", str_or_null(s->base_commit));
	json_object_set_new(o, "total", json_integer(s->total));
	json_object_set_new(o, "complete", json_boolean(s->complete));
	json_object_set_new(o, "link", json_string(link));
	free(link);
	for (i = 0; i < s->npatches; i++) {
		const struct stored_patch *p = &s->patches[i];
		json_t *po = json_object(), *tr = json_array();

		fmt_iso8601(date, p->date, p->date_tz);
		json_object_set_new(po, "index", json_integer(p->idx));
		json_object_set_new(po, "subject", json_string(p->subject));
		json_object_set_new(po, "author_name", json_string(p->author_name));
		json_object_set_new(po, "author_email",
				    json_string(p->author_email));
		json_object_set_new(po, "date", json_string(date));
		json_object_set_new(po, "msgid", json_string(p->msgid));
		json_object_set_new(po, "patch_id", json_string(p->patch_id));
		for (j = 0; j < p->ntrailers; j++) {
			json_t *t = json_object();

			json_object_set_new(t, "kind",
					    json_string(p->trailers[j].kind));
			json_object_set_new(t, "person",
					    json_string(p->trailers[j].person));
			json_object_set_new(t, "from",
					    json_string(p->trailers[j].from_msgid));
			json_array_append_new(tr, t);
		}
		json_object_set_new(po, "trailers", tr);
		json_array_append_new(arr, po);
	}
	json_object_set_new(o, "patches", arr);
	return o;
}

void text_series(FILE *f, const struct stored_series *s, int verbose)
{
	size_t i, j;
	char date[40];

	fprintf(f, "series %ld: v%d %s%s%s\n", s->id, s->version,
		*s->prefixes ? "[" : "", s->prefixes, *s->prefixes ? "] " : "");
	fprintf(f, "  subject:  %s\n", s->subject);
	fprintf(f, "  message:  <%s>\n", s->msgid);
	if (s->base_commit)
		fprintf(f, "  base:     %s\n", s->base_commit);
	fprintf(f, "  patches:  %zu/%d%s\n", s->npatches, s->total,
		s->complete ? "" : " (incomplete)");
	for (i = 0; i < s->npatches; i++) {
		const struct stored_patch *p = &s->patches[i];

		fmt_short(date, p->date, p->date_tz);
		fprintf(f, "  %*d/%d %s\n", s->total >= 10 ? 2 : 1, p->idx,
			s->total, p->subject);
		fprintf(f, "       %s <%s>, %s, patch-id %.12s\n",
			p->author_name, p->author_email, date, p->patch_id);
		for (j = 0; j < p->ntrailers; j++)
			fprintf(f, "       + %s: %s\n", p->trailers[j].kind,
				p->trailers[j].person);
		if (verbose)
			fprintf(f, "       <%s>\n", p->msgid);
	}
}

int json_print(json_t *j)
{
	if (json_dumpf(j, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER) < 0)
		return -1;
	return fputc('\n', stdout) == EOF ? -1 : 0;
}
