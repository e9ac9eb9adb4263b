/* b4's external check protocol over what pwb knows (see b4check.h). */
#include "b4check.h"
#include "checkdb.h"
#include "kbuild.h"
#include "lore.h"
#include "mail.h"
#include "output.h"
#include "store.h"
#include "util/buf.h"
#include "util/util.h"

#include <jansson.h>
#include <string.h>

static json_t *result(const char *tool, const char *status, json_t *summary,
		      const char *url, json_t *details)
{
	json_t *o = json_pack("{s:o,s:s,s:o}", "tool", json_text(tool), "status",
			      status, "summary", summary);

	if (url && *url)
		json_object_set_new(o, "url", json_text(url));
	if (details)
		json_object_set_new(o, "details", details);
	return o;
}

static json_t *only(const char *status, json_t *summary)
{
	json_t *a = json_array();

	json_array_append_new(a, result("pwb", status, summary, NULL, NULL));
	return a;
}

/* the failing cases, new findings and regressed metrics of a suite */
static json_t *suite_details(const struct suite_cmp *c)
{
	struct buf b = BUF_INIT;
	json_t *j;
	size_t i;

	for (i = 0; i < c->ncases; i++) {
		const struct case_cmp *k = &c->cases[i];

		if (k->verdict != CASE_PASS)
			buf_addf(&b, "%-14s %s (base %d/%d pass, candidate %d/%d)\n",
				 case_verdict_name(k->verdict), k->name, k->base_pass,
				 k->base_pass + k->base_fail, k->cand_pass,
				 k->cand_pass + k->cand_fail);
	}
	for (i = 0; i < c->nfindings; i++)
		if (c->findings[i].verdict == FINDING_NEW)
			buf_addf(&b, "new-finding    %s\n", c->findings[i].title);
	for (i = 0; i < c->nmetrics; i++)
		if (c->metrics[i].verdict == METRIC_REGRESSION ||
		    c->metrics[i].verdict == METRIC_IMPROVEMENT)
			buf_addf(&b, "%-14s %s (%+.1f%%)\n",
				 metric_verdict_name(c->metrics[i].verdict),
				 c->metrics[i].name, c->metrics[i].change_pct);
	j = b.len ? json_text(b.buf) : NULL;
	buf_release(&b);
	return j;
}

static void add_suites(json_t *a, const struct check_report *r, const char *url)
{
	size_t i;

	for (i = 0; i < r->nsuites; i++) {
		const struct suite_cmp *c = &r->suites[i];
		char *tool = xstrfmt("pwb-%s", c->suite);

		if (r->suite_errors[i])
			json_array_append_new(a, result(tool, "warn",
				json_sprintf("not compared: %s", r->suite_errors[i]),
				url, NULL));
		else if (!c->comparable)
			json_array_append_new(a, result(tool, "warn",
				json_sprintf("not comparable: %s", c->why_not), url, NULL));
		else
			json_array_append_new(a, result(tool, c->regressions ? "fail" :
							"pass",
				json_sprintf("%d regression%s, %d fixed, %d flaky (runs: "
					     "base %d, candidate %d)", c->regressions,
					     c->regressions == 1 ? "" : "s", c->fixed,
					     c->flaky, c->base_runs, c->cand_runs),
				url, suite_details(c)));
		free(tool);
	}
}

static json_t *from_check(const struct check_report *r, int idx)
{
	json_t *a = json_array();
	struct buf url = BUF_INIT;
	const char *target = r->arch ? r->arch : "x86_64";
	size_t i, last = r->have_series ? r->series.npatches : 0;

	if (r->have_series)
		lore_msg_url(&url, r->series.lore_base ? r->series.lore_base :
			     "https://lore.kernel.org/all/", r->series.cover_msgid ?
			     r->series.cover_msgid : r->series.msgid);
	if (r->error) {
		/* pwb could not check (no base): nothing about the series */
		json_array_append_new(a, result("pwb-apply", "warn", json_sprintf(
			"check %ld: not checked: %s", r->id, r->error), url.buf, NULL));
		buf_release(&url);
		return a;
	}
	if (!r->tip_commit) {
		int here = r->failed_idx && (idx == r->failed_idx || idx <= 0);

		json_array_append_new(a, result("pwb-apply", "fail", json_sprintf(
			"check %ld: %s%s%.12s", r->id, here ? "" :
			"the series does not apply", here ? "" : r->base_commit ?
			" to " : "", here ? "" : r->base_commit ? r->base_commit : ""),
			url.buf, here ? json_sprintf("patch %d does not apply to "
			"%.12s: %s", r->failed_idx, r->base_commit ? r->base_commit :
			"?", r->failed_error ? r->failed_error : "?") : NULL));
		buf_release(&url);
		return a;
	}
	for (i = 0; idx > 0 && i < r->nbuilds; i++) {
		const struct report_build *b = &r->builds[i];
		enum build_outcome out = kbuild_outcome(b->build.status);
		const char *st = out == BUILD_OUT_OK ? "pass" :
				 out == BUILD_OUT_BROKEN ? "fail" : "warn";

		if (b->idx != idx)
			continue;
		json_array_append_new(a, result("pwb-build", st, json_sprintf(
			"check %ld: %s (%s, %s, %s)", r->id,
			build_status_name(b->build.status), target,
			r->compiler ? r->compiler : "gcc",
			r->config_name ? r->config_name : "?"), url.buf,
			b->build.error && *b->build.error ? json_text(b->build.error) : NULL));
	}
	/* the checks of each patch: informing (b4 shows a fail as such) */
	for (i = 0; idx > 0 && i < r->npchecks; i++) {
		const struct patch_check *c = &r->pchecks[i];
		char *tool;

		if (c->idx != idx)
			continue;
		tool = xstrfmt("pwb-%s", patch_check_kind_name(c->kind));
		json_array_append_new(a, result(tool, c->status == PCHECK_SKIP ?
			"warn" : patch_check_status_name(c->status),
			json_text(c->summary), url.buf, c->lines && c->status !=
			PCHECK_PASS ? json_text(c->lines) : NULL));
		free(tool);
	}
	/* the suites ran on the last patch: shown there and on the cover */
	if (idx == 0 || (size_t)idx == last)
		add_suites(a, r, url.buf);
	if (!json_array_size(a))
		json_array_append_new(a, result("pwb", "warn", json_sprintf(
			"check %ld: this patch was not built (%s)", r->id,
			r->verdict ? check_verdict_name(r->verdict) :
			check_status_name(r->status)), url.buf, NULL));
	buf_release(&url);
	return a;
}

json_t *b4check_results(struct pwb_ctx *ctx, const char *data, size_t len)
{
	struct mail m;
	struct check_report r;
	json_t *out;
	long sid, cid;
	int idx = 0, rc;

	mail_global_init();
	if (mail_parse(data, len, &m))
		return only("warn", json_string("pwb: stdin is not a mail"));
	if (m.msgid_derived || !m.msgid) {
		mail_release(&m);
		return only("warn", json_string("pwb: the mail has no Message-ID"));
	}
	if (!ctx->db && ctx_open_db(ctx, 1)) {
		mail_release(&m);
		return only("warn", json_string("pwb: no database to look in "
						"(see the error on stderr)"));
	}
	rc = store_series_of_mail(ctx->db, m.msgid, &sid, &idx);
	if (rc <= 0) {
		/* the Message-ID is the mail's: any bytes (json_text) */
		char *t = xstrfmt("pwb does not know <%s> (pwb fetch, pwb check)",
				  m.msgid);

		out = only("warn", rc < 0 ? json_string("pwb: the database could not "
							"be read") : json_text(t));
		free(t);
		mail_release(&m);
		return out;
	}
	mail_release(&m);
	rc = check_newest_of_series(ctx->db, sid, &cid);
	if (rc <= 0)
		return only("warn", rc < 0 ? json_string("pwb: the database could "
							 "not be read") :
			    json_sprintf("pwb has not checked series %ld (pwb check)",
					 sid));
	if (check_report_load(ctx, cid, &r))
		return only("warn", json_sprintf("pwb: check %ld could not be read",
						 cid));
	out = from_check(&r, idx);
	check_report_release(&r);
	return out;
}
