#include "output.h"
#include "boot.h"
#include "kbuild.h"
#include "lore.h"
#include "suiterun.h"
#include "triage.h"
#include "util/buf.h"
#include "util/timefmt.h"
#include "util/vis.h"
#include "util/util.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

char *series_link(const char *base, const char *msgid)
{
	struct buf b = BUF_INIT;

	lore_msg_url(&b, base ? base : LORE_DEFAULT_BASE, msgid);
	return buf_detach(&b, NULL);
}

json_t *json_series(const struct stored_series *s, const char *lore_base)
{
	json_t *o = json_object(), *arr = json_array();
	char date[40], *link;
	size_t i, j;

	link = series_link(s->lore_base ? s->lore_base : lore_base, s->msgid);
	json_object_set_new(o, "id", json_integer(s->id));
	json_object_set_new(o, "version", json_integer(s->version));
	json_object_set_new(o, "subject", json_text(s->subject));
	json_object_set_new(o, "prefixes", json_text(s->prefixes));
	json_object_set_new(o, "msgid", json_text(s->msgid));
	json_object_set_new(o, "cover", json_text(s->cover_msgid));
	json_object_set_new(o, "base_commit", json_text(s->base_commit));
	json_object_set_new(o, "total", json_integer(s->total));
	json_object_set_new(o, "complete", json_boolean(s->complete));
	json_object_set_new(o, "link", json_text(link));
	free(link);
	for (i = 0; i < s->npatches; i++) {
		const struct stored_patch *p = &s->patches[i];
		json_t *po = json_object(), *tr = json_array();

		fmt_iso8601(date, p->date, p->date_tz);
		json_object_set_new(po, "index", json_integer(p->idx));
		json_object_set_new(po, "subject", json_text(p->subject));
		json_object_set_new(po, "author_name", json_text(p->author_name));
		json_object_set_new(po, "author_email",
				    json_text(p->author_email));
		json_object_set_new(po, "date", json_text(date));
		json_object_set_new(po, "msgid", json_text(p->msgid));
		json_object_set_new(po, "patch_id", json_text(p->patch_id));
		for (j = 0; j < p->ntrailers; j++) {
			json_t *t = json_object();

			json_object_set_new(t, "kind",
					    json_text(p->trailers[j].kind));
			json_object_set_new(t, "person",
					    json_text(p->trailers[j].person));
			json_object_set_new(t, "from",
					    json_text(p->trailers[j].from_msgid));
			json_array_append_new(tr, t);
		}
		json_object_set_new(po, "trailers", tr);
		json_array_append_new(arr, po);
	}
	json_object_set_new(o, "patches", arr);
	return o;
}

void text_series(FILE *f, const struct stored_series *s, int detail)
{
	size_t i, j;
	char date[40];

	fprintf(f, "series %ld: v%d%s%s%s\n", s->id, s->version,
		*s->prefixes ? " [" : "", vis(s->prefixes),
		*s->prefixes ? "]" : "");
	fprintf(f, "  subject:  %s\n", vis(s->subject));
	fprintf(f, "  message:  <%s>\n", vis(s->msgid));
	if (s->base_commit)
		fprintf(f, "  base:     %s\n", vis(s->base_commit));
	fprintf(f, "  patches:  %zu/%d%s\n", s->npatches, s->total,
		s->complete ? "" : " (incomplete)");
	for (i = 0; i < s->npatches; i++) {
		const struct stored_patch *p = &s->patches[i];

		fmt_short(date, p->date, p->date_tz);
		fprintf(f, "  %*d/%d %s\n", s->total >= 10 ? 2 : 1, p->idx,
			s->total, vis(p->subject));
		/* within 80 columns: the author, then when and the patch-id */
		fprintf(f, "       %s <%s>\n       %s, patch-id %.12s\n",
			vis(p->author_name), vis(p->author_email), date,
			p->patch_id);
		for (j = 0; j < p->ntrailers; j++)
			fprintf(f, "       + %s: %s\n", vis(p->trailers[j].kind),
				vis(p->trailers[j].person));
		if (detail)
			fprintf(f, "       <%s>\n", vis(p->msgid));
	}
}

enum colour_when colour_when = COLOUR_AUTO;
int colour_pager;

int colour_when_parse(const char *s)
{
	if (!strcasecmp(s, "auto") || !strcasecmp(s, "true"))
		return COLOUR_AUTO;
	if (!strcasecmp(s, "always"))
		return COLOUR_ALWAYS;
	if (!strcasecmp(s, "never") || !strcasecmp(s, "false"))
		return COLOUR_NEVER;
	return -1;
}

int use_colour(int fd)
{
	const char *nc = getenv("NO_COLOR"), *term = getenv("TERM");

	if (colour_when != COLOUR_AUTO)
		return colour_when == COLOUR_ALWAYS;
	if ((nc && *nc) || !term || !strcmp(term, "dumb"))
		return 0;
	return (fd == 1 && colour_pager) || isatty(fd);
}

json_t *json_text(const char *s)
{
	struct buf b = BUF_INIT;
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, n, len;
	unsigned cp;
	json_t *j;

	if (!s)
		return json_null();
	len = strlen(s);
	j = json_stringn(s, len);
	if (j)
		return j;
	/* not UTF-8: each byte that is not part of a sequence becomes U+FFFD */
	while (i < len) {
		n = utf8_decode(u + i, len - i, &cp);
		if (n)
			buf_add(&b, u + i, n);
		else
			buf_addstr(&b, "\xef\xbf\xbd");
		i += n ? n : 1;
	}
	j = json_stringn(b.buf, b.len);
	buf_release(&b);
	return j ? j : json_null();
}

/*
 * jansson escapes C0 controls; DEL, the C1 controls and the bidi and line
 * separator characters it leaves raw, and a terminal would act on some of
 * them.  In the dump they can only stand inside strings (the structure is
 * ASCII), so they are rewritten there as \uXXXX, which is the same JSON.
 */
static void json_escape_controls(struct buf *out, const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, n;
	unsigned cp;

	while (i < len) {
		if (u[i] < 0x7f) {
			buf_addch(out, u[i++]);
			continue;
		}
		n = utf8_decode(u + i, len - i, &cp);
		if (!n)
			n = 1, cp = 0xfffd;
		if (vis_is_control(cp) || cp == 0xfffd)
			buf_addf(out, "\\u%04x", cp);
		else
			buf_add(out, u + i, n);
		i += n;
	}
}

int json_print(json_t *j)
{
	struct buf out = BUF_INIT;
	char *dump = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	int ret = -1;

	if (!dump)
		goto out;
	json_escape_controls(&out, dump, strlen(dump));
	buf_addch(&out, '\n');
	if (fwrite(out.buf, 1, out.len, stdout) == out.len && !fflush(stdout))
		ret = 0;
out:
	free(dump);
	buf_release(&out);
	return ret;
}

json_t *json_findings(const struct finding *f, size_t nr)
{
	json_t *arr = json_array();
	size_t i;

	for (i = 0; i < nr; i++) {
		json_t *o = json_object();

		json_object_set_new(o, "kind", json_text(f[i].kind));
		json_object_set_new(o, "title", json_text(f[i].title));
		json_object_set_new(o, "failure",
				    json_boolean(triage_is_failure(f[i].kind)));
		json_object_set_new(o, "line", json_integer(f[i].first_line));
		json_object_set_new(o, "lines", json_text(f[i].lines.buf));
		json_array_append_new(arr, o);
	}
	return arr;
}

void text_findings(FILE *f, const struct triage *t)
{
	size_t i;

	for (i = 0; i < t->nr; i++)
		fprintf(f, "%-8s %-17s %s (line %ld)\n",
			triage_is_failure(t->f[i].kind) ? "FAILURE" : "info",
			t->f[i].kind, vis(t->f[i].title), t->f[i].first_line);
}

json_t *json_build(const struct kbuild_result *r)
{
	json_t *o = json_object();

	json_object_set_new(o, "id", r->id > 0 ? json_integer(r->id) : json_null());
	json_object_set_new(o, "status", json_text(build_status_name(r->status)));
	json_object_set_new(o, "commit", json_text(r->commit));
	json_object_set_new(o, "tree", json_text(r->tree));
	json_object_set_new(o, "config", json_text(r->config_name));
	json_object_set_new(o, "config_hash", json_text(r->config_hash));
	json_object_set_new(o, "toolchain", json_text(r->toolchain ? r->toolchain : ""));
	json_object_set_new(o, "arch", json_text(r->arch));
	json_object_set_new(o, "compiler", json_text(r->compiler));
	json_object_set_new(o, "cached", json_boolean(r->cached));
	json_object_set_new(o, "seconds", json_real(r->seconds));
	json_object_set_new(o, "vmlinux_size", r->vmlinux_size >= 0 ?
			    json_integer(r->vmlinux_size) : json_null());
	json_object_set_new(o, "bzimage_size", r->bzimage_size >= 0 ?
			    json_integer(r->bzimage_size) : json_null());
	json_object_set_new(o, "warnings", json_integer(r->warnings));
	json_object_set_new(o, "new_warnings", json_integer(r->new_warnings));
	json_object_set_new(o, "bzimage", json_text(r->bzimage));
	json_object_set_new(o, "error", json_text(r->error));
	return o;
}

json_t *json_boot_run(const struct boot_run_result *r)
{
	const struct boot_result *b = &r->boot;
	json_t *o = json_object();

	json_object_set_new(o, "id", json_integer(r->id));
	json_object_set_new(o, "status", json_text(boot_run_outcome_name(r->outcome)));
	json_object_set_new(o, "end_status", b->end_status >= 0 ?
			    json_integer(b->end_status) : json_null());
	json_object_set_new(o, "accel", json_text(b->kvm ? "kvm" : "tcg"));
	json_object_set_new(o, "seconds", json_real(b->run.seconds));
	json_object_set_new(o, "start_seconds", b->start_seconds >= 0 ?
			    json_real(b->start_seconds) : json_null());
	json_object_set_new(o, "qemu", json_text(b->qemu_version));
	json_object_set_new(o, "error", json_text(b->error));
	json_object_set_new(o, "findings", json_findings(b->triage.f, b->triage.nr));
	if (r->built)
		json_object_set_new(o, "build", json_build(&r->build));
	return o;
}

void text_boot_run(FILE *f, const struct boot_run_result *r)
{
	const struct boot_result *b = &r->boot;

	if (r->outcome == BOOT_RUN_INFRA_ERROR) {
		fprintf(f, "boot %ld: infra-error\n", r->id);
		return;
	}
	fprintf(f, "boot %ld: %s (%s, %.1f s)%s\n", r->id,
		boot_run_outcome_name(r->outcome), b->kvm ? "kvm" : "tcg",
		b->run.seconds, b->end_status >= 0 ? "" : ", /init did not finish");
	if (b->end_status >= 0)
		fprintf(f, "  /init command exit status %d\n", b->end_status);
	text_findings(f, &b->triage);
}

json_t *json_suite_run(const struct suite_run_view *v)
{
	json_t *o = json_object(), *cases = json_array(), *ms = json_array();
	size_t i;

	json_object_set_new(o, "run", json_integer(v->id));
	json_object_set_new(o, "boot", v->boot_id > 0 ? json_integer(v->boot_id) :
			    json_null());
	json_object_set_new(o, "status", json_text(suite_run_status_name(v->status)));
	json_object_set_new(o, "seconds", v->seconds >= 0 ? json_real(v->seconds) :
			    json_null());
	json_object_set_new(o, "error", json_text(v->error));
	for (i = 0; i < v->ncases; i++) {
		const struct run_case *c = &v->cases[i];

		json_array_append_new(cases, json_pack("{s:o,s:s,s:o,s:o}",
			"name", json_text(c->name),
			"status", ktap_status_name(c->status),
			"directive", json_text(c->directive),
			"diag", json_text(c->diag)));
	}
	json_object_set_new(o, "cases", cases);
	for (i = 0; i < v->metrics.nr; i++) {
		const struct metric_sample *m = &v->metrics.s[i];

		json_array_append_new(ms, json_pack("{s:o,s:f,s:o}",
			"name", json_text(m->name), "value", m->value,
			"unit", json_text(m->unit)));
	}
	json_object_set_new(o, "metrics", ms);
	json_object_set_new(o, "findings", json_findings(v->findings, v->nfindings));
	return o;
}
