#include "compare.h"
#include "arch.h"
#include "db.h"
#include "kbuild.h"
#include "ktap.h"
#include "suiterun.h"
#include "util/buf.h"
#include "util/util.h"
#include "util/vis.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

const char *case_verdict_name(enum case_verdict v)
{
	static const char *const n[] = {
		"pass", "new-failure", "fixed", "still-failing", "flaky",
		"skipped", "new-case", "gone", "not-run",
	};
	return n[v];
}

const char *metric_verdict_name(enum metric_verdict v)
{
	static const char *const n[] = {
		"no-change", "regression", "improvement", "not-enough-samples",
		"not-comparable",
	};
	return n[v];
}

struct cmp_side cmp_side_of(const struct kbuild_result *br)
{
	struct cmp_side s = { br->tree, br->config_hash, br->arch, br->compiler,
			      br->toolchain };

	return s;
}

const char *finding_verdict_name(enum finding_verdict v)
{
	static const char *const n[] = { "new-finding", "pre-existing", "gone" };

	return n[v];
}

int compare_find_runs(sqlite3 *db, const char *suite, const char *suite_hash,
		      const struct cmp_side *side, long **ids, size_t *n)
{
	sqlite3_stmt *st;
	int rc;

	*ids = NULL;
	*n = 0;
	if (db_prepare(db, &st, "SELECT r.id FROM suite_runs r JOIN builds b ON "
		       "b.id = r.build_id WHERE r.suite = ? AND r.suite_hash = ? "
		       "AND b.tree_id = ? AND b.config_hash IS ? AND b.arch = ? "
		       "AND b.compiler = ? AND (?7 IS NULL OR b.toolchain IS ?7) "
		       "AND r.status IN ('passed', 'failed', 'kernel-failure', "
		       "'timeout') ORDER BY r.id"))
		return -1;
	db_bind_text(st, 1, suite);
	db_bind_text(st, 2, suite_hash);
	db_bind_text(st, 3, side->tree_id);
	db_bind_text(st, 4, side->config_hash);
	db_bind_text(st, 5, side->arch ? side->arch : arch_default()->name);
	db_bind_text(st, 6, side->compiler ? side->compiler :
			    toolchain_default()->name);
	db_bind_text(st, 7, side->toolchain);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		*ids = xrealloc(*ids, (*n + 1) * sizeof(long));
		(*ids)[(*n)++] = (long)sqlite3_column_int64(st, 0);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return db_error(db, "find suite runs");
	return 0;
}

int compare_runs_needed(sqlite3 *db, const char *suite, const char *suite_hash,
			const struct cmp_side *side, long repeat, long *need)
{
	long *ids;
	size_t n;

	if (compare_find_runs(db, suite, suite_hash, side, &ids, &n))
		return -1;
	free(ids);
	*need = repeat > (long)n ? repeat - (long)n : 0;
	return 0;
}

/* "qemu, accel, mem, cpus" of one side; *mixed when its runs disagree;
 * *bad_runs the kernel failures and hangs, *stopped those of them whose
 * guest never reached the suite's end; *recorded when a run was replayed
 * (the recorded backend) */
static char *machine_of(sqlite3 *db, const long *ids, size_t n, int *bad_runs,
			int *stopped, int *recorded, int *mixed)
{
	sqlite3_stmt *st;
	char *sig = NULL;
	size_t i;

	*bad_runs = *stopped = 0;
	*mixed = 0;
	if (db_prepare(db, &st, "SELECT coalesce(b.qemu_version, '?') || ', ' || "
		       "coalesce(b.accel, '?') || ', ' || coalesce(b.mem_mb, 0) || "
		       "' MiB, ' || coalesce(b.cpus, 0) || ' CPU', r.status, "
		       "b.end_status IS NULL, b.qemu_version IS 'recorded' "
		       "FROM suite_runs r LEFT JOIN boots b ON b.id = r.boot_id "
		       "WHERE r.id = ?"))
		return NULL;
	for (i = 0; i < n; i++) {
		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, ids[i]);
		if (sqlite3_step(st) != SQLITE_ROW)
			continue;
		const char *s = (const char *)sqlite3_column_text(st, 0);
		const char *status = (const char *)sqlite3_column_text(st, 1);
		enum suite_run_status rs;

		if (suite_run_status_parse(status, &rs)) {
			error("suite run %ld: status '%s': not pwb's", ids[i],
			      vis(status));
		} else if (rs == SUITE_RUN_KERNEL_FAILURE || rs == SUITE_RUN_TIMEOUT) {
			(*bad_runs)++;
			if (rs == SUITE_RUN_TIMEOUT || sqlite3_column_int(st, 2))
				(*stopped)++;
		}
		if (sqlite3_column_int(st, 3))
			*recorded = 1;
		if (!sig)
			sig = xstrdup(s);
		else if (strcmp(sig, s))
			*mixed = 1;
	}
	sqlite3_finalize(st);
	return sig;
}

/* Did run id's guest stop before the suite's end (a crash or a hang)? */
static int run_stopped(sqlite3 *db, long id)
{
	sqlite3_stmt *st;
	int r = 0;

	if (db_prepare(db, &st, "SELECT 1 FROM suite_runs r LEFT JOIN boots b "
		       "ON b.id = r.boot_id WHERE r.id = ? AND (r.status = "
		       "'timeout' OR (r.status = 'kernel-failure' AND "
		       "b.end_status IS NULL))"))
		return 0;
	sqlite3_bind_int64(st, 1, id);
	r = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	return r;
}

/* KTAP's names for the cases that never reported (ktap.c's add_missing):
 * "case N", "N more missing cases" */
static int standin_name(const char *n)
{
	const char *p = n;

	if (starts_with(n, "case ")) {
		p = n + 5;
		return *p && strspn(p, "0123456789") == strlen(p);
	}
	p += strspn(p, "0123456789");
	return p != n && !strcmp(p, " more missing cases");
}

static struct case_cmp *case_get(struct suite_cmp *c, const char *name)
{
	size_t i;

	for (i = 0; i < c->ncases; i++)
		if (!strcmp(c->cases[i].name, name))
			return &c->cases[i];
	c->cases = xrealloc(c->cases, (c->ncases + 1) * sizeof(*c->cases));
	memset(&c->cases[c->ncases], 0, sizeof(*c->cases));
	c->cases[c->ncases].name = xstrdup(name);
	return &c->cases[c->ncases++];
}

static int load_cases(sqlite3 *db, struct suite_cmp *c, const long *ids,
		      size_t n, int cand)
{
	sqlite3_stmt *st;
	size_t i;
	int rc = 0;

	if (db_prepare(db, &st, "SELECT name, status, diag, directive FROM "
		       "case_results WHERE run_id = ? ORDER BY rowid"))
		return -1;
	for (i = 0; i < n && rc >= 0; i++) {
		/* the first candidate run that stopped says after which case */
		int stopped = cand && !c->stopped_after && run_stopped(db, ids[i]);
		const char *last = NULL;

		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, ids[i]);
		while ((rc = db_row(db, st, "load case results")) > 0) {
			struct case_cmp *k = case_get(c, (const char *)
						      sqlite3_column_text(st, 0));
			const char *s = (const char *)sqlite3_column_text(st, 1);
			const char *dir = (const char *)sqlite3_column_text(st, 3);
			enum ktap_status ks;
			int pass, fail;

			if (ktap_status_parse(s, &ks)) {
				rc = error("run %ld, case %s: status '%s': not pwb's",
					   ids[i], vis(k->name), vis(s));
				break;
			}
			pass = ks == KTAP_PASS;
			fail = ks == KTAP_FAIL || ks == KTAP_CRASHED;
			if (cand && ks == KTAP_CRASHED && standin_name(k->name))
				k->standin = 1;
			else if (stopped && ks != KTAP_CRASHED)
				last = k->name;
			/* why it was skipped: the candidate's say, else the base's */
			if (ks == KTAP_SKIP && dir && (cand || !k->skip_reason)) {
				free(k->skip_reason);
				k->skip_reason = xstrdup(dir);
			}
			if (cand) {
				k->cand_pass += pass;
				k->cand_fail += fail;
				if (fail && !k->cand_diag) {
					const char *d = (const char *)
						sqlite3_column_text(st, 2);

					k->cand_diag = xstrdup(d ? d : "");
				}
			} else {
				k->base_pass += pass;
				k->base_fail += fail;
			}
		}
		if (stopped && last)
			c->stopped_after = xstrdup(last);
	}
	sqlite3_finalize(st);
	return rc < 0 ? -1 : 0;
}

static struct finding_cmp *finding_get(struct suite_cmp *c, const char *kind,
				       const char *title)
{
	size_t i;

	for (i = 0; i < c->nfindings; i++)
		if (!strcmp(c->findings[i].title, title) &&
		    !strcmp(c->findings[i].kind, kind))
			return &c->findings[i];
	c->findings = xrealloc(c->findings, (c->nfindings + 1) *
			       sizeof(*c->findings));
	memset(&c->findings[c->nfindings], 0, sizeof(*c->findings));
	c->findings[c->nfindings].kind = xstrdup(kind);
	c->findings[c->nfindings].title = xstrdup(title);
	return &c->findings[c->nfindings++];
}

/* The kernel failures on the consoles of runs ids (one count per run). */
static int load_findings(sqlite3 *db, struct suite_cmp *c, const long *ids,
			 size_t n, int cand)
{
	sqlite3_stmt *st;
	size_t i;
	int rc = 0;

	if (db_prepare(db, &st, "SELECT f.kind, f.title, min(f.lines) FROM "
		       "suite_runs r JOIN findings f ON f.boot_id = r.boot_id "
		       "WHERE r.id = ? AND f.failure GROUP BY f.kind, f.title "
		       "ORDER BY min(f.id)"))
		return -1;
	for (i = 0; i < n && rc >= 0; i++) {
		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, ids[i]);
		while ((rc = db_row(db, st, "load findings")) > 0) {
			struct finding_cmp *f = finding_get(c,
				(const char *)sqlite3_column_text(st, 0),
				(const char *)sqlite3_column_text(st, 1));
			const char *l = (const char *)sqlite3_column_text(st, 2);

			if (cand)
				f->cand_runs++;
			else
				f->base_runs++;
			/* the candidate's lines are the ones to show */
			if (l && (!f->lines || (cand && f->cand_runs == 1))) {
				free(f->lines);
				f->lines = xstrdup(l);
			}
		}
	}
	sqlite3_finalize(st);
	return rc < 0 ? -1 : 0;
}

static void judge_findings(struct suite_cmp *c)
{
	size_t i;

	for (i = 0; i < c->nfindings; i++) {
		struct finding_cmp *f = &c->findings[i];

		f->verdict = !f->base_runs ? FINDING_NEW : !f->cand_runs ?
			     FINDING_GONE : FINDING_PRE_EXISTING;
		if (f->verdict == FINDING_NEW)
			c->new_findings++;
	}
}

static void judge_case(struct case_cmp *k)
{
	int b = k->base_pass + k->base_fail, c = k->cand_pass + k->cand_fail;

	if (!b && !c)
		k->verdict = CASE_SKIPPED;
	else if ((k->base_pass && k->base_fail) || (k->cand_pass && k->cand_fail))
		k->verdict = CASE_FLAKY;
	else if (!b)
		k->verdict = CASE_NEW_CASE;
	else if (!c)
		k->verdict = CASE_GONE;
	else if (k->base_pass && k->cand_fail)
		k->verdict = CASE_NEW_FAILURE;
	else if (k->base_fail && k->cand_pass)
		k->verdict = CASE_FIXED;
	else if (k->base_fail)
		k->verdict = CASE_STILL_FAILING;
	else
		k->verdict = CASE_PASS;
}

static void case_cmp_release(struct case_cmp *k)
{
	free(k->name);
	free(k->cand_diag);
	free(k->skip_reason);
}

/*
 * The candidate's guest stopped (crashed, hung): the base's cases it
 * never reported did not run there ("not-run", not "gone"), and KTAP's
 * nameless stand-ins for them ("case 4") go.
 */
static void not_run_cases(struct suite_cmp *c)
{
	size_t i, n = 0;

	for (i = 0; i < c->ncases; i++) {
		struct case_cmp *k = &c->cases[i];

		if (k->verdict == CASE_NEW_CASE && k->standin) {
			case_cmp_release(k);
			continue;
		}
		if (k->verdict == CASE_GONE) {
			k->verdict = CASE_NOT_RUN;
			c->not_run++;
		}
		c->cases[n++] = *k;
	}
	c->ncases = n;
}

static struct metric_cmp *metric_get(struct suite_cmp *c, const char *name,
				     const char *unit)
{
	size_t i;

	for (i = 0; i < c->nmetrics; i++)
		if (!strcmp(c->metrics[i].name, name))
			return &c->metrics[i];
	c->metrics = xrealloc(c->metrics, (c->nmetrics + 1) * sizeof(*c->metrics));
	memset(&c->metrics[c->nmetrics], 0, sizeof(*c->metrics));
	c->metrics[c->nmetrics].name = xstrdup(name);
	c->metrics[c->nmetrics].unit = xstrdup(unit);
	return &c->metrics[c->nmetrics++];
}

static int load_metrics(sqlite3 *db, struct suite_cmp *c, const long *ids,
			size_t n, int cand)
{
	sqlite3_stmt *st;
	size_t i;
	int rc = 0;

	if (db_prepare(db, &st, "SELECT name, value, unit FROM metric_samples "
		       "WHERE run_id = ? ORDER BY name"))
		return -1;
	for (i = 0; i < n && rc >= 0; i++) {
		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, ids[i]);
		while ((rc = db_row(db, st, "load metric samples")) > 0) {
			struct metric_cmp *m = metric_get(c,
				(const char *)sqlite3_column_text(st, 0),
				(const char *)sqlite3_column_text(st, 2));
			double v = sqlite3_column_double(st, 1);

			if (cand) {
				m->cand = xrealloc(m->cand, (m->ncand + 1) * sizeof(double));
				m->cand[m->ncand++] = v;
			} else {
				m->base = xrealloc(m->base, (m->nbase + 1) * sizeof(double));
				m->base[m->nbase++] = v;
			}
		}
	}
	sqlite3_finalize(st);
	return rc < 0 ? -1 : 0;
}

static void judge_metrics(struct suite_cmp *c, const struct suite *s)
{
	double *p = xcalloc(c->nmetrics + 1, sizeof(double));
	double *adj = xcalloc(c->nmetrics + 1, sizeof(double));
	size_t i, k = 0;

	for (i = 0; i < c->nmetrics; i++) {
		struct metric_cmp *m = &c->metrics[i];
		const struct suite_metric *d = suite_metric_find(s, m->name);
		struct stats_mw mw;

		/* undeclared metrics: 5 samples, 10%, lower is better */
		m->min_samples = d ? d->min_samples : 5;
		m->higher_is_better = d ? d->higher_is_better : 0;
		m->threshold = d ? d->threshold : 10;
		m->threshold_pct = d ? d->threshold_pct : 1;
		m->mbase = stats_median(m->base, m->nbase);
		m->mcand = stats_median(m->cand, m->ncand);
		stats_median_ci(m->base, m->nbase, 0.95, &m->cibase);
		stats_median_ci(m->cand, m->ncand, 0.95, &m->cicand);
		m->change_pct = m->nbase && m->ncand && m->mbase != 0 ?
			(m->mcand - m->mbase) / fabs(m->mbase) * 100 : NAN;
		m->p = m->p_adj = 1;
		if (!c->comparable) {
			m->verdict = METRIC_NOT_COMPARABLE;
			continue;
		}
		if ((long)m->nbase < m->min_samples || (long)m->ncand < m->min_samples) {
			m->verdict = METRIC_NOT_ENOUGH;
			continue;
		}
		stats_mann_whitney(m->base, m->nbase, m->cand, m->ncand, &mw);
		m->p = mw.p;
		p[k++] = mw.p;
	}
	stats_adjust(p, k, c->correction, adj);
	for (i = 0, k = 0; i < c->nmetrics; i++) {
		struct metric_cmp *m = &c->metrics[i];
		double diff, thr;
		int beyond, worse;

		if (m->verdict == METRIC_NOT_ENOUGH) {
			c->not_enough++;
			continue;
		}
		if (m->verdict == METRIC_NOT_COMPARABLE)
			continue;
		m->p_adj = adj[k++];
		diff = m->mcand - m->mbase;
		thr = m->threshold_pct ? m->threshold / 100 * fabs(m->mbase) :
					 m->threshold;
		beyond = fabs(diff) > thr;
		worse = m->higher_is_better ? diff < 0 : diff > 0;
		if (m->p_adj < c->alpha && beyond) {
			m->verdict = worse ? METRIC_REGRESSION : METRIC_IMPROVEMENT;
			if (worse)
				c->regressions++;
			else
				c->improvements++;
		} else {
			m->verdict = METRIC_NO_CHANGE;
		}
	}
	free(p);
	free(adj);
}

/* an arch (tc 0) or compiler name, NULL meaning the default */
static const char *or_default(const char *v, int tc)
{
	return v ? v : tc ? toolchain_default()->name : arch_default()->name;
}

/* The tests a side's runs ran (suite_runs.tests_from) when they are the
 * tree's (kselftest), of its first run; NULL for pwb's own. */
static char *tests_of(sqlite3 *db, const long *ids, size_t n)
{
	sqlite3_stmt *st;
	char *t = NULL;

	if (!n || db_prepare(db, &st, "SELECT tests_from FROM suite_runs "
			     "WHERE id = ?"))
		return NULL;
	sqlite3_bind_int64(st, 1, ids[0]);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		t = xstrdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return t;
}

int compare_suite(sqlite3 *db, const struct suite *s, const char *suite_hash,
		  const struct cmp_side *base, const struct cmp_side *cand,
		  const struct cmp_opts *o, struct suite_cmp *c)
{
	long *bi = NULL, *ci = NULL;
	size_t nb = 0, nc = 0, i;
	char *mb = NULL, *mc = NULL;
	int ret = -1, mixed_b = 0, mixed_c = 0;

	memset(c, 0, sizeof(*c));
	c->suite = xstrdup(s->name);
	c->format = xstrdup(suite_format_name(s->format));
	c->suite_hash = xstrdup(suite_hash);
	c->correction = o->correction;
	c->alpha = o->alpha;
	if (compare_find_runs(db, s->name, suite_hash, base, &bi, &nb) ||
	    compare_find_runs(db, s->name, suite_hash, cand, &ci, &nc))
		goto out;
	c->base_runs = (int)nb;
	c->cand_runs = (int)nc;
	mb = machine_of(db, bi, nb, &c->base_bad_runs, &c->base_stopped_runs,
			&c->recorded, &mixed_b);
	mc = machine_of(db, ci, nc, &c->cand_bad_runs, &c->cand_stopped_runs,
			&c->recorded, &mixed_c);
	c->comparable = 1;
	if (!nb || !nc)
		c->why_not = xstrfmt("no completed runs on the %s",
				     !nb ? "base" : "candidate");
	else if ((base->config_hash || cand->config_hash) &&
		 (!base->config_hash || !cand->config_hash ||
		  strcmp(base->config_hash, cand->config_hash)))
		c->why_not = xstrdup("the kernel configs differ");
	else if (strcmp(or_default(base->arch, 0), or_default(cand->arch, 0)))
		c->why_not = xstrfmt("built for different arches: base %s, "
				     "candidate %s", or_default(base->arch, 0),
				     or_default(cand->arch, 0));
	else if (strcmp(or_default(base->compiler, 1),
			or_default(cand->compiler, 1)) ||
		 !str_same(base->toolchain, cand->toolchain))
		c->why_not = xstrfmt("built with different toolchains: base %s, "
				     "candidate %s",
				     base->toolchain ? base->toolchain :
				     or_default(base->compiler, 1),
				     cand->toolchain ? cand->toolchain :
				     or_default(cand->compiler, 1));
	else if (mixed_b || mixed_c)
		c->why_not = xstrfmt("the %s runs are from different QEMU versions "
				     "or machines", mixed_b ? "base" : "candidate");
	else if (!mb || !mc || strcmp(mb, mc))
		c->why_not = xstrfmt("QEMU or machine differs: base %s, candidate %s",
				     mb ? mb : "?", mc ? mc : "?");
	if (c->why_not)
		c->comparable = 0;
	if (load_cases(db, c, bi, nb, 0) || load_cases(db, c, ci, nc, 1) ||
	    load_metrics(db, c, bi, nb, 0) || load_metrics(db, c, ci, nc, 1) ||
	    load_findings(db, c, bi, nb, 0) || load_findings(db, c, ci, nc, 1))
		goto out;
	judge_findings(c);
	/* every run on both sides a kernel failure or a hang, and not one
	 * case or sample: the suite never ran, and "no regression" would
	 * say what nobody measured (test_hmm's Oops at insmod on 6.1 arm64);
	 * a failure only the candidate shows is still a regression */
	if (c->comparable && !c->ncases && !c->nmetrics && !c->new_findings &&
	    c->base_bad_runs == (int)nb && c->cand_bad_runs == (int)nc) {
		c->comparable = 0;
		c->why_not = xstrdup("neither side gave a result: every run ended "
				     "in a kernel failure or a hang (the findings "
				     "say which)");
	}
	for (i = 0; i < c->ncases; i++)
		judge_case(&c->cases[i]);
	if (c->cand_stopped_runs)
		not_run_cases(c);
	for (i = 0; i < c->ncases; i++) {
		if (!c->comparable)
			continue;
		switch (c->cases[i].verdict) {
		case CASE_NEW_FAILURE: c->regressions++; break;
		case CASE_FIXED: c->fixed++; break;
		case CASE_FLAKY: c->flaky++; break;
		default: break;
		}
	}
	/* a kernel failure the base does not show (by title), even when
	 * every case passes; else a kernel that fails or hangs where the
	 * base did not */
	if (c->comparable && c->new_findings)
		c->regressions += c->new_findings;
	else if (c->comparable && c->cand_bad_runs && !c->base_bad_runs)
		c->regressions++;
	judge_metrics(c, s);
	c->base_tests = tests_of(db, bi, nb);
	c->cand_tests = tests_of(db, ci, nc);
	c->base_ids = bi;
	c->cand_ids = ci;
	bi = ci = NULL;
	ret = 0;
out:
	free(bi);
	free(ci);
	free(mb);
	free(mc);
	return ret;
}

void suite_cmp_release(struct suite_cmp *c)
{
	size_t i;

	for (i = 0; i < c->ncases; i++)
		case_cmp_release(&c->cases[i]);
	free(c->cases);
	free(c->stopped_after);
	for (i = 0; i < c->nmetrics; i++) {
		free(c->metrics[i].name);
		free(c->metrics[i].unit);
		free(c->metrics[i].base);
		free(c->metrics[i].cand);
	}
	free(c->metrics);
	for (i = 0; i < c->nfindings; i++) {
		free(c->findings[i].kind);
		free(c->findings[i].title);
		free(c->findings[i].lines);
	}
	free(c->findings);
	free(c->suite);
	free(c->base_ids);
	free(c->cand_ids);
	free(c->base_tests);
	free(c->cand_tests);
	free(c->format);
	free(c->suite_hash);
	free(c->why_not);
	memset(c, 0, sizeof(*c));
}
