/* A check as a KCIDB v5.3 document (see kcidb.h). */
#include "kcidb.h"
#include "lore.h"
#include "output.h"
#include "store.h"
#include "suiterun.h"
#include "tree.h"
#include "util/buf.h"
#include "util/timefmt.h"
#include "util/util.h"
#include "util/vis.h"

#include <glib.h>
#include <jansson.h>
#include <string.h>

int kcidb_origin_valid(const char *origin)
{
	const char *p;

	if (!*origin)
		return 0;
	for (p = origin; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_'))
			return 0;
	return 1;
}

/* A KCIDB path component: [A-Za-z0-9_-], anything else '_'; dots kept
 * (they separate components) unless keep_dots is 0.  Never empty. */
static void add_path(struct buf *b, const char *s, int keep_dots, int dash)
{
	size_t start = b->len;
	const char *p;

	for (p = s; *p; p++) {
		char c = *p;

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '_' || (c == '-' && dash))
			buf_addch(b, c);
		else if (c == '.' && keep_dots && b->len > start &&
			 b->buf[b->len - 1] != '.' && p[1])
			buf_addch(b, '.');
		else
			buf_addch(b, '_');
	}
	if (b->len == start)
		buf_addch(b, '_');
}

static char *suite_path(const char *suite)
{
	struct buf b = BUF_INIT;

	add_path(&b, suite, 0, 0);
	return buf_detach(&b, NULL);
}

static char *sub_path(const char *suite_p, const char *name, int keep_dots)
{
	struct buf b = BUF_INIT;

	buf_addf(&b, "%s.", suite_p);
	add_path(&b, name, keep_dots, 1);
	return buf_detach(&b, NULL);
}

static json_t *rfc3339(long t)
{
	char s[48];

	fmt_iso8601(s, t, 0);
	return json_string(s);
}

/* a build's (kbuild.h); a commit not built has no build object */
static const char *build_status(enum build_status s)
{
	switch (s) {
	case BUILD_OK:
		return "PASS";
	case BUILD_FAILED:
	case BUILD_CONFIG_ERROR:
		return "FAIL";
	case BUILD_TIMEOUT:
		return "ERROR";
	case BUILD_NONE:
	case BUILD_INFRA_ERROR:
	case BUILD_INTERRUPTED:
		break;
	}
	return "MISS";
}

/* a suite run's status (suiterun.h) */
static const char *run_status(enum suite_run_status s)
{
	switch (s) {
	case SUITE_RUN_PASSED:
		return "PASS";
	case SUITE_RUN_FAILED:
	case SUITE_RUN_KERNEL_FAILURE:
		return "FAIL";
	case SUITE_RUN_TIMEOUT:
		return "ERROR";
	case SUITE_RUN_INFRA_ERROR:
	case SUITE_RUN_INTERRUPTED:
		break;
	}
	return "MISS";
}

/* a case's (ktap.h); todo is a known failure: done, status not given */
static const char *case_status(enum ktap_status s)
{
	switch (s) {
	case KTAP_PASS:
		return "PASS";
	case KTAP_FAIL:
		return "FAIL";
	case KTAP_CRASHED:
		return "ERROR";
	case KTAP_TODO:
		return "DONE";
	case KTAP_SKIP:
		break;
	}
	return "SKIP";
}

/* sha256 over the newline-terminated sha256 of each patch mail */
static int patchset_hash(sqlite3 *db, const struct stored_series *s,
			 char *out, size_t outsz)
{
	GChecksum *all = g_checksum_new(G_CHECKSUM_SHA256);
	size_t i;
	int ret = -1;

	for (i = 0; i < s->npatches; i++) {
		struct buf raw = BUF_INIT;
		int rc = store_message_raw(db, s->patches[i].msgid, &raw);

		if (!rc) {
			char *h = g_compute_checksum_for_data(G_CHECKSUM_SHA256,
							      (const guchar *)raw.buf,
							      raw.len);

			g_checksum_update(all, (const guchar *)h, 64);
			g_checksum_update(all, (const guchar *)"\n", 1);
			g_free(h);
		}
		buf_release(&raw);
		if (rc) {
			if (rc > 0)
				error("series %ld: patch <%s> is not in the "
				      "database", s->id, s->patches[i].msgid);
			goto out;
		}
	}
	snprintf(out, outsz, "%s", s->npatches ? g_checksum_get_string(all) : "");
	ret = 0;
out:
	g_checksum_free(all);
	return ret;
}

static json_t *checkout(sqlite3 *db, const struct check_report *r,
			const char *origin, const char *lore_base)
{
	json_t *o, *misc;
	char *name = NULL;
	char hash[80];

	/* a database error fails the report, as patchset_hash's does */
	if (r->repo_path && tree_name_of(db, r->repo_path, &name))
		return NULL;
	o = json_object();
	misc = json_object();
	json_object_set_new(o, "id", json_sprintf("%s:check%ld", origin, r->id));
	json_object_set_new(o, "origin", json_string(origin));
	if (name)
		json_object_set_new(o, "tree_name", json_text(name));
	free(name);
	if (r->base_commit && strlen(r->base_commit) == 40)
		json_object_set_new(o, "git_commit_hash", json_string(r->base_commit));
	json_object_set_new(o, "start_time", rfc3339(r->started_at));
	/* the series applied: its tip exists (no base: not known) */
	if (!r->error)
		json_object_set_new(o, "valid", json_boolean(r->tip_commit != NULL));
	if (r->base_rule)
		json_object_set_new(misc, "base_rule", json_string(r->base_rule));
	if (r->base_why)
		json_object_set_new(misc, "base_why", json_text(r->base_why));
	if (r->error)
		json_object_set_new(misc, "error", json_text(r->error));
	if (r->failed_idx) {
		json_object_set_new(misc, "patch_not_applying",
				    json_integer(r->failed_idx));
		json_object_set_new(misc, "apply_error", json_text(r->failed_error));
	}
	if (r->have_series) {
		const struct stored_series *s = &r->series;
		const char *base = s->lore_base ? s->lore_base : lore_base;
		json_t *files = json_array();
		size_t i;

		if (patchset_hash(db, s, hash, sizeof(hash))) {
			json_decref(o);
			json_decref(misc);
			json_decref(files);
			return NULL;
		}
		json_object_set_new(o, "patchset_hash", json_string(hash));
		for (i = 0; i < s->npatches; i++) {
			struct buf u = BUF_INIT;

			lore_msg_url(&u, base, s->patches[i].msgid);
			buf_addstr(&u, "raw");
			json_array_append_new(files, json_pack("{s:o,s:o}",
				"name", json_sprintf("%04d.patch", s->patches[i].idx),
				"url", json_text(u.buf)));
			buf_release(&u);
		}
		json_object_set_new(o, "patchset_files", files);
		json_object_set_new(o, "message_id", json_text(s->cover_msgid ?
							       s->cover_msgid : s->msgid));
		if (s->subject)
			json_object_set_new(o, "comment", json_text(s->subject));
		json_object_set_new(misc, "series", json_integer(s->id));
		json_object_set_new(misc, "version", json_integer(s->version));
	}
	json_object_set_new(misc, "pwb_check", json_integer(r->id));
	json_object_set_new(misc, "verdict",
			    json_text(check_verdict_name(r->verdict)));
	json_object_set_new(misc, "tip_commit", json_text(r->tip_commit));
	json_object_set_new(o, "misc", misc);
	return o;
}

static json_t *build(const struct check_report *r, const struct report_build *b,
		     const char *origin)
{
	json_t *o = json_object();

	json_object_set_new(o, "id", json_sprintf("%s:build%ld", origin, b->build.id));
	json_object_set_new(o, "checkout_id", json_sprintf("%s:check%ld", origin, r->id));
	json_object_set_new(o, "origin", json_string(origin));
	if (r->arch)
		json_object_set_new(o, "architecture", json_text(r->arch));
	json_object_set_new(o, "compiler", json_text(b->build.toolchain ? b->build.toolchain :
						     r->compiler));
	if (r->config_name)
		json_object_set_new(o, "config_name", json_text(r->config_name));
	json_object_set_new(o, "status", json_string(build_status(b->build.status)));
	json_object_set_new(o, "duration", json_real(b->build.seconds));
	if (b->build.started_at > 0)
		json_object_set_new(o, "start_time", rfc3339(b->build.started_at));
	if (b->build.error && *b->build.error)
		json_object_set_new(o, "log_excerpt", json_text(b->build.error));
	json_object_set_new(o, "comment", b->idx ?
			    json_sprintf("patch %d of %zu", b->idx, r->nbuilds - 1) :
			    json_string("the base"));
	json_object_set_new(o, "misc", json_pack("{s:o,s:b}", "commit",
				json_text(b->build.commit), "cached", b->build.cached));
	return o;
}

/* the issues of the document so far: one per (kind, title) */
static const char *issue_for(json_t *issues, const char *origin,
			     const char *kind, const char *title)
{
	char *h;
	json_t *id;
	size_t i;
	struct buf key = BUF_INIT;

	buf_addf(&key, "%s\n%s", kind, title);
	h = g_compute_checksum_for_data(G_CHECKSUM_SHA1, (const guchar *)key.buf,
					key.len);
	buf_release(&key);
	id = json_sprintf("%s:finding-%.16s", origin, h);
	g_free(h);
	for (i = 0; i < json_array_size(issues); i++) {
		json_t *x = json_array_get(issues, i);

		if (json_equal(json_object_get(x, "id"), id)) {
			json_decref(id);
			return json_string_value(json_object_get(x, "id"));
		}
	}
	{
		struct buf cat = BUF_INIT;
		json_t *x;

		buf_addstr(&cat, "runtime.");
		add_path(&cat, kind, 0, 1);
		x = json_pack("{s:o,s:i,s:s,s:o,s:o,s:[s#],s:{s:b}}", "id", id,
			      "version", 1, "origin", origin, "report_subject",
			      json_text(title), "comment", json_text(kind),
			      "categories", cat.buf, (int)cat.len, "culprit",
			      "code", 1);
		buf_release(&cat);
		json_array_append_new(issues, x);
		return json_string_value(json_object_get(x, "id"));
	}
}

/* The tests of one run on build bid, and its findings as incidents:
 * 0, or -1 (said) for a run that cannot be read back. */
static int run_tests(sqlite3 *db, long run, long bid, const char *side,
		      const char *suite_p, const struct check_report *r,
		      const char *origin, json_t *tests, json_t *issues,
		      json_t *incidents)
{
	struct suite_run_view v;
	json_t *x;
	char *root;
	size_t i;

	if (suite_run_load(db, run, &v))
		return -1;
	root = xstrfmt("%s:run%ld", origin, run);
	x = json_pack("{s:s,s:o,s:s,s:s,s:s,s:{s:s,s:I}}", "id", root,
		      "build_id", json_sprintf("%s:build%ld", origin, bid),
		      "origin", origin, "path", suite_p, "status",
		      run_status(v.status), "misc", "side",
		      side, "run", (json_int_t)run);
	if (v.seconds >= 0)
		json_object_set_new(x, "duration", json_real(v.seconds));
	json_object_set_new(x, "environment", json_pack("{s:o}", "comment",
		json_sprintf("QEMU, %s, config %s", r->arch ? r->arch : "x86_64",
			     r->config_name ? r->config_name : "?")));
	if (v.error)
		json_object_set_new(x, "log_excerpt", json_text(v.error));
	json_array_append_new(tests, x);
	for (i = 0; i < v.ncases; i++) {
		const struct run_case *c = &v.cases[i];
		char *p = sub_path(suite_p, c->name, 1);
		json_t *t;

		t = json_pack("{s:o,s:o,s:s,s:s,s:s}", "id",
			      json_sprintf("%s.%s", root, p + strlen(suite_p) + 1),
			      "build_id", json_sprintf("%s:build%ld", origin, bid),
			      "origin", origin, "path", p, "status",
			      case_status(c->status));
		if (*c->diag)
			json_object_set_new(t, "log_excerpt", json_text(c->diag));
		json_object_set_new(t, "misc", json_pack("{s:s,s:I,s:o}", "side", side,
			"run", (json_int_t)run, "name", json_text(c->name)));
		json_array_append_new(tests, t);
		free(p);
	}
	for (i = 0; i < v.metrics.nr; i++) {
		const struct metric_sample *m = &v.metrics.s[i];
		json_t *t, *num;
		char *p;
		struct buf n = BUF_INIT;
		const char *q;

		/* "hog_ms/subs=2": its '/' a path separator */
		for (q = m->name; *q; q++)
			buf_addch(&n, *q == '/' ? '.' : *q);
		p = sub_path(suite_p, n.buf, 1);
		num = json_pack("{s:f}", "value", m->value);
		if (*m->unit)
			json_object_set_new(num, "unit", json_text(m->unit));
		t = json_pack("{s:o,s:o,s:s,s:s,s:s,s:o,s:{s:s,s:I,s:o}}", "id",
			      json_sprintf("%s.%s#%zu", root, p + strlen(suite_p) + 1, i),
			      "build_id", json_sprintf("%s:build%ld", origin, bid),
			      "origin", origin, "path", p, "status", "DONE",
			      "number", num, "misc", "side", side, "run",
			      (json_int_t)run, "name", json_text(m->name));
		json_array_append_new(tests, t);
		buf_release(&n);
		free(p);
	}
	for (i = 0; i < v.nfindings; i++) {
		const struct finding *f = &v.findings[i];
		const char *iid;

		if (!triage_is_failure(f->kind))
			continue;
		iid = issue_for(issues, origin, f->kind, f->title);
		json_array_append_new(incidents, json_pack("{s:o,s:s,s:s,s:i,s:s,s:b}",
			"id", json_sprintf("%s:run%ld-finding%zu", origin, run, i),
			"origin", origin, "issue_id", iid, "issue_version", 1,
			"test_id", root, "present", 1));
	}
	free(root);
	suite_run_view_release(&v);
	return 0;
}

json_t *report_kcidb(sqlite3 *db, const struct check_report *r,
		     const char *origin, const char *lore_base)
{
	json_t *doc, *co, *builds = json_array(), *tests = json_array();
	json_t *issues = json_array(), *incidents = json_array();
	const struct report_build *base = NULL, *tip = NULL;
	size_t i, k;
	int bad = 0;

	co = checkout(db, r, origin, lore_base);
	if (!co) {
		json_decref(builds);
		json_decref(tests);
		json_decref(issues);
		json_decref(incidents);
		return NULL;
	}
	for (i = 0; i < r->nbuilds; i++) {
		const struct report_build *b = &r->builds[i];

		if (b->build.id <= 0)
			continue;	/* never built: no build object */
		json_array_append_new(builds, build(r, b, origin));
		if (b->idx == 0)
			base = b;
		tip = b;
	}
	/* the checks of each patch, tests of its build (a patch the check
	 * did not build has no build object: its checks are left out) */
	for (i = 0; i < r->npchecks; i++) {
		const struct patch_check *c = &r->pchecks[i];
		static const char *const st[] = {
			[PCHECK_PASS] = "PASS", [PCHECK_WARN] = "DONE",
			[PCHECK_FAIL] = "FAIL", [PCHECK_SKIP] = "SKIP",
		};
		long bid = 0;
		json_t *t;

		for (k = 0; k < r->nbuilds; k++)
			if (r->builds[k].idx == c->idx)
				bid = r->builds[k].build.id;
		if (bid <= 0)
			continue;
		t = json_pack("{s:o,s:o,s:s,s:o,s:s,s:o}", "id",
			      json_sprintf("%s:check%ld-patch%d-%s", origin, r->id,
					   c->idx, patch_check_kind_name(c->kind)),
			      "build_id", json_sprintf("%s:build%ld", origin, bid),
			      "origin", origin, "path",
			      json_sprintf("patch.%s", patch_check_kind_name(c->kind)),
			      "status", st[c->status],
			      "misc", json_pack("{s:i,s:s,s:o}", "patch", c->idx,
						"result", patch_check_status_name(c->status),
						"summary", json_text(c->summary)));
		if (c->kind == PCHECK_COVERAGE && c->of > 0) {
			json_t *m = json_object_get(t, "misc");

			json_object_set_new(m, "lines_ran", json_integer(c->count));
			json_object_set_new(m, "lines_changed", json_integer(c->of));
		}
		if (c->lines && c->status != PCHECK_PASS) {
			/* the schema's bound on an excerpt */
			char *x = xstrndup(c->lines, 16384);

			json_object_set_new(t, "log_excerpt", json_text(x));
			free(x);
		}
		json_array_append_new(tests, t);
	}
	/* the runs: the base's on the base build, the candidate's on the
	 * tip's (runs reused from other checks ran on the same source and
	 * config: the same kernel) */
	for (i = 0; base && tip && tip != base && i < r->nsuites; i++) {
		const struct suite_cmp *c = &r->suites[i];
		char *sp;

		if (r->suite_errors[i])
			continue;
		sp = suite_path(c->suite);
		for (k = 0; !bad && k < (size_t)c->base_runs; k++)
			bad = run_tests(db, c->base_ids[k], base->build.id, "base",
					sp, r, origin, tests, issues, incidents);
		for (k = 0; !bad && k < (size_t)c->cand_runs; k++)
			bad = run_tests(db, c->cand_ids[k], tip->build.id,
					"candidate", sp, r, origin, tests, issues,
					incidents);
		free(sp);
	}
	if (bad) {
		json_decref(co);
		json_decref(builds);
		json_decref(tests);
		json_decref(issues);
		json_decref(incidents);
		return NULL;
	}
	doc = json_pack("{s:{s:i,s:i},s:[o]}", "version", "major", 5, "minor", 3,
			"checkouts", co);
	json_object_set_new(doc, "builds", builds);
	json_object_set_new(doc, "tests", tests);
	json_object_set_new(doc, "issues", issues);
	json_object_set_new(doc, "incidents", incidents);
	return doc;
}
