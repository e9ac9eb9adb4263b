#include "report.h"
#include "history.h"
#include "db.h"
#include "kbuild.h"
#include "lore.h"
#include "mail.h"
#include "util/buf.h"
#include "util/timefmt.h"
#include "util/util.h"
#include "util/vis.h"
#include "output.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- presentation helpers ---------------------------------------------- */

static const char *C_RED = "\033[31m", *C_GREEN = "\033[32m",
		  *C_YELLOW = "\033[33m", *C_BOLD = "\033[1m", *C_OFF = "\033[0m";

static const char *col(int on, const char *c)
{
	return on ? c : "";
}

static void link_of(struct buf *b, const struct check_report *r)
{
	const char *mid = r->series.cover_msgid ? r->series.cover_msgid :
			  r->series.msgid;

	lore_msg_url(b, r->series.lore_base ? r->series.lore_base :
		     LORE_DEFAULT_BASE, mid);
}

static const char *patch_subject(const struct check_report *r, int idx)
{
	size_t i;

	for (i = 0; r->have_series && i < r->series.npatches; i++)
		if (r->series.patches[i].idx == idx)
			return r->series.patches[i].subject;
	return "";
}

static void fmt_value(char *out, size_t n, double v)
{
	if (isnan(v))
		snprintf(out, n, "-");
	else if (fabs(v) >= 100 || v == floor(v))
		snprintf(out, n, "%.0f", v);
	else
		snprintf(out, n, "%.2f", v);
}

/*
 * One line per side: where the samples fall between the smallest and the
 * largest value of both sides ('.' one sample, ':' two, '#' more).
 */
static void strip(FILE *out, const char *label, const double *x, size_t n,
		  double lo, double hi)
{
	enum { W = 40 };
	int cnt[W] = { 0 };
	size_t i;

	for (i = 0; i < n; i++) {
		int k = hi > lo ? (int)((x[i] - lo) / (hi - lo) * (W - 1) + 0.5) : W / 2;

		cnt[k < 0 ? 0 : k >= W ? W - 1 : k]++;
	}
	fprintf(out, "      %-9s |", label);
	for (i = 0; i < W; i++)
		fputc(cnt[i] == 0 ? ' ' : cnt[i] == 1 ? '.' : cnt[i] == 2 ? ':' : '#', out);
	fputs("|\n", out);
}

static const char *correction_long(enum stats_correction c)
{
	return c == STATS_HOLM ? "Holm-Bonferroni" :
	       c == STATS_BH ? "Benjamini-Hochberg" : "no correction";
}

static int judged_metrics(const struct suite_cmp *c)
{
	size_t i;
	int n = 0;

	for (i = 0; i < c->nmetrics; i++)
		n += c->metrics[i].verdict != METRIC_NOT_ENOUGH &&
		     c->metrics[i].verdict != METRIC_NOT_COMPARABLE;
	return n;
}

/* ---- text ---------------------------------------------------------------- */

/*
 * The first max lines of text (untrusted), indented 6, control bytes
 * shown; with wrap each within 80 columns (a long one goes on under
 * itself, indented 8), else whole (console lines quoted as they are).
 */
static void indented_lines(FILE *out, const char *p, int max, int wrap)
{
	struct buf line = BUF_INIT;
	int lines = 0;

	while (*p && lines++ < max) {
		size_t l = strcspn(p, "\n");

		buf_reset(&line);
		buf_add_visible(&line, p, l);
		fputs("      ", out);
		if (wrap)
			fput_wrapped(out, 6, 8, 80, line.buf);
		else
			fprintf(out, "%s\n", line.buf);
		p += l + (p[l] == '\n');
	}
	buf_release(&line);
}

/* The first patch whose broad build failed, or NULL. */
static const struct patch_check *broad_failure(const struct check_report *r)
{
	for (size_t i = 0; i < r->npchecks; i++)
		if (r->pchecks[i].kind == PCHECK_BROADBUILD &&
		    r->pchecks[i].status == PCHECK_FAIL)
			return &r->pchecks[i];
	return NULL;
}

/* The coverage of the series: changed lines that ran of those measured,
 * and how many patches have changed lines that never ran.  0 when none
 * was measured. */
static int coverage_totals(const struct check_report *r, long *ran, long *of,
			   int *patches_short)
{
	int any = 0;

	*ran = *of = 0;
	*patches_short = 0;
	for (size_t i = 0; i < r->npchecks; i++) {
		const struct patch_check *c = &r->pchecks[i];

		if (c->kind != PCHECK_COVERAGE || c->of <= 0)
			continue;
		any = 1;
		*ran += c->count;
		*of += c->of;
		if (c->count < c->of)
			(*patches_short)++;
	}
	return any;
}

/* Words of text from column at on, broken before column 80 (util/vis.h) */
static void wrap_from(FILE *out, size_t at, size_t ind, const char *text)
{
	fput_wrapped(out, at, ind, 80, text);
}

/* text after a row whose visible part is col columns wide: on the row
 * when the whole fits in 80 columns, else from a line of its own indented
 * ind. */
static void row_tail(FILE *out, size_t col, size_t ind, const char *text)
{
	if (col + 2 + display_width(text) <= 80) {
		fprintf(out, "  %s\n", text);
		return;
	}
	fprintf(out, "\n%*s", (int)ind, "");
	wrap_from(out, ind, ind, text);
}

/* The checks of each patch (patchcheck.h): a line each, what the ones
 * that did not pass found under them. */
static void patch_checks_text(FILE *out, const struct check_report *r,
			      int colour)
{
	size_t i;

	if (!r->npchecks)
		return;
	fprintf(out, "\nchecks of each patch (an allmodconfig error is a patch "
		"that does not build;\nthe others inform: the verdict is the "
		"builds' and the suites')\n");
	for (i = 0; i < r->npchecks; i++) {
		const struct patch_check *c = &r->pchecks[i];
		int bad = c->status == PCHECK_FAIL || c->status == PCHECK_WARN;
		char label[24];

		snprintf(label, sizeof(label), "%d/%zu", c->idx,
			 r->have_series ? r->series.npatches : r->nbuilds - 1);
		fprintf(out, "  %-6s %-12s %s%-4s%s", label,
			patch_check_kind_name(c->kind), col(colour && bad, C_RED),
			patch_check_status_name(c->status), col(colour && bad, C_OFF));
		row_tail(out, 2 + 6 + 1 + 12 + 1 + 4, 9, vis(c->summary));
		if (c->status != PCHECK_PASS && c->lines)
			indented_lines(out, c->lines, 10, 1);
	}
}

/* The kernel failures on the consoles: new ones with their log lines. */
static void findings_text(FILE *out, const struct suite_cmp *c, int colour)
{
	size_t i;

	for (i = 0; i < c->nfindings; i++) {
		const struct finding_cmp *f = &c->findings[i];
		const char *cc = f->verdict == FINDING_NEW ? C_RED :
				 f->verdict == FINDING_GONE ? C_GREEN : "";
		fprintf(out, "  %s%-14s%s %s (base %d of %d runs, candidate %d "
			"of %d)\n", col(colour, cc),
			finding_verdict_name(f->verdict), col(colour && *cc, C_OFF),
			vis(f->title), f->base_runs, c->base_runs, f->cand_runs,
			c->cand_runs);
		if (f->verdict == FINDING_NEW)
			indented_lines(out, f->lines ? f->lines : "", 12, 0);
	}
}

/* "tools/testing/selftests/mm at COMMIT", the commit shortened */
static void tests_from_text(struct buf *b, const char *t)
{
	const char *at = t ? strstr(t, " at ") : NULL;

	if (!t) {
		buf_addstr(b, "none");
		return;
	}
	if (at) {
		size_t l = strlen(at + 4);

		buf_add_visible(b, t, (size_t)(at - t));
		buf_addstr(b, " at ");
		buf_add_visible(b, at + 4, l > 12 ? 12 : l);
	} else
		buf_add_visible(b, t, strlen(t));
}

/* a skip's reason without its directive: "DEVICE_COHERENT not available" */
static const char *skip_why(const char *r)
{
	if (!r)
		return "";
	if (!strncasecmp(r, "SKIP", 4) && (!r[4] || r[4] == ' '))
		r += 4;
	while (*r == ' ')
		r++;
	return r;
}

/*
 * The cases skipped on both sides, one entry per reason: "29 cases
 * (DEVICE_COHERENT not available): hmm.hmm_device_coherent.* (26),
 * hmm2.hmm2_device_coherent.* (3)"; cases are grouped by their name up
 * to its last '.' (kselftest's suite.fixture), a group of one named
 * whole.  Into b, each entry a line (no '\n' after the last); 0 when
 * none skipped.
 */
/* case k is skipped on both sides for reason why */
static int skipped_for(const struct suite_cmp *c, size_t k, const char *why)
{
	return c->cases[k].verdict == CASE_SKIPPED &&
	       !strcmp(skip_why(c->cases[k].skip_reason), why);
}

static size_t skipped_lines(struct buf *b, const struct suite_cmp *c)
{
	size_t i, j, k, nout = 0;
	char *done = xcalloc(c->ncases + 1, 1);

	for (i = 0; i < c->ncases; i++) {
		const char *why = skip_why(c->cases[i].skip_reason);
		size_t n = 0;

		if (done[i] || c->cases[i].verdict != CASE_SKIPPED)
			continue;
		for (j = i; j < c->ncases; j++)
			n += skipped_for(c, j, why);
		if (nout++)
			buf_addch(b, '\n');
		buf_addf(b, "%zu case%s", n, n == 1 ? "" : "s");
		if (*why) {
			buf_addstr(b, " (");
			buf_add_visible(b, why, strlen(why));
			buf_addch(b, ')');
		}
		buf_addstr(b, ":");
		/* the groups of this reason, in order: case j and the cases
		 * named as it is up to its last '.' */
		for (j = i; j < c->ncases; j++) {
			const char *nm = c->cases[j].name, *dot = strrchr(nm, '.');
			size_t pl = dot ? (size_t)(dot - nm) : 0, g = 1;

			if (done[j] || !skipped_for(c, j, why))
				continue;
			done[j] = 1;
			for (k = j + 1; pl && k < c->ncases; k++) {
				const char *o = c->cases[k].name;

				if (!done[k] && skipped_for(c, k, why) &&
				    !strncmp(o, nm, pl) && o[pl] == '.' &&
				    !strchr(o + pl + 1, '.')) {
					done[k] = 1;
					g++;
				}
			}
			buf_addch(b, ' ');
			if (g > 1) {
				buf_add_visible(b, nm, pl);
				buf_addf(b, ".* (%zu),", g);
			} else {
				buf_add_visible(b, nm, strlen(nm));
				buf_addch(b, ',');
			}
		}
		buf_setlen(b, b->len - 1);	/* the last ',' */
	}
	free(done);
	return nout;
}

/* skipped_lines, each after lead, wrapped at cols with indent ind */
static void skipped_text(FILE *out, const struct suite_cmp *c,
			 const char *lead, size_t ind, size_t cols)
{
	struct buf sk = BUF_INIT;
	char *line, *save = NULL;

	if (skipped_lines(&sk, c))
		for (line = strtok_r(sk.buf, "\n", &save); line;
		     line = strtok_r(NULL, "\n", &save)) {
			fputs(lead, out);
			fput_wrapped(out, strlen(lead), ind, cols, line);
		}
	buf_release(&sk);
}

/*
 * The cases the candidate never ran, its guest stopped: "blockable_4 ...
 * oom_4_fail_last (9 cases), the guest stopped after blockable_3".
 */
static void not_run_line(struct buf *b, const struct suite_cmp *c)
{
	const char *first = NULL, *last = NULL;
	size_t i;

	for (i = 0; i < c->ncases; i++)
		if (c->cases[i].verdict == CASE_NOT_RUN) {
			if (!first)
				first = c->cases[i].name;
			last = c->cases[i].name;
		}
	if (!first)
		return;
	buf_add_visible(b, first, strlen(first));
	if (c->not_run == 2)
		buf_addstr(b, ", ");
	else if (c->not_run > 2)
		buf_addstr(b, " ... ");
	if (c->not_run > 1)
		buf_add_visible(b, last, strlen(last));
	if (c->not_run > 2)
		buf_addf(b, " (%d cases)", c->not_run);
	buf_addstr(b, ", the guest stopped ");
	if (c->stopped_after) {
		buf_addstr(b, "after ");
		buf_add_visible(b, c->stopped_after, strlen(c->stopped_after));
	} else {
		buf_addstr(b, "before its first case");
	}
}

/* The runs that ended badly: a guest that stopped (a crash, a hang) is not
 * a kernel report on a run that went on to the suite's end (KASAN...). */
static void bad_runs_text(FILE *out, const struct suite_cmp *c)
{
	if (c->cand_stopped_runs || c->base_stopped_runs)
		fprintf(out, "  the guest stopped (a crash or a hang): base %d of "
			"%d boots, candidate %d of %d\n", c->base_stopped_runs,
			c->base_runs, c->cand_stopped_runs, c->cand_runs);
	if (c->cand_bad_runs - c->cand_stopped_runs ||
	    c->base_bad_runs - c->base_stopped_runs)
		fprintf(out, "  kernel reports, the suite ran to its end: base %d "
			"of %d boots, candidate %d of %d\n",
			c->base_bad_runs - c->base_stopped_runs, c->base_runs,
			c->cand_bad_runs - c->cand_stopped_runs, c->cand_runs);
}

static void text_suite(FILE *out, const struct suite_cmp *c, const char *err,
		       int colour)
{
	int pictures = 0;
	size_t i;
	int pass = 0;

	if (err) {
		fprintf(out, "\n%s%s%s: not compared: %s\n", col(colour, C_BOLD),
			c->suite, col(colour, C_OFF), vis(err));
		return;
	}
	fprintf(out, "\n%s%s%s (%s; runs: base %d, candidate %d)\n",
		col(colour, C_BOLD), c->suite, col(colour, C_OFF), c->format,
		c->base_runs, c->cand_runs);
	if (c->base_tests || c->cand_tests) {
		struct buf t = BUF_INIT;

		/* a side a line: within 80 columns */
		buf_addstr(&t, "  tests: each side's own tree's\n    base      ");
		tests_from_text(&t, c->base_tests);
		buf_addstr(&t, "\n    candidate ");
		tests_from_text(&t, c->cand_tests);
		fprintf(out, "%s\n", t.buf);
		buf_release(&t);
	}
	if (!c->comparable)
		fprintf(out, "  %snot comparable: %s%s\n", col(colour, C_YELLOW),
			vis(c->why_not), col(colour, C_OFF));
	bad_runs_text(out, c);
	findings_text(out, c, colour);
	if (c->not_run) {
		struct buf nr = BUF_INIT;

		not_run_line(&nr, c);
		fprintf(out, "  %s%-14s%s %s\n", col(colour, C_RED), "not-run",
			col(colour, C_OFF), nr.buf);
		buf_release(&nr);
	}
	for (i = 0; i < c->ncases; i++) {
		const struct case_cmp *k = &c->cases[i];
		const char *cc = k->verdict == CASE_NEW_FAILURE ? C_RED :
				 k->verdict == CASE_FIXED ? C_GREEN :
				 k->verdict == CASE_FLAKY ? C_YELLOW : "";

		if (k->verdict == CASE_PASS) {
			pass++;
			continue;
		}
		if (k->verdict == CASE_NOT_RUN)
			continue;	/* one line above */
		if (k->verdict == CASE_SKIPPED)
			continue;	/* grouped below */
		{
			struct buf row = BUF_INIT;
			const char *nm = vis(k->name);
			size_t w = strlen(nm) > 28 ? strlen(nm) : 28, counts;
			int under;

			buf_addf(&row, "base %d/%d pass, candidate %d/%d pass",
				 k->base_pass, k->base_pass + k->base_fail,
				 k->cand_pass, k->cand_pass + k->cand_fail);
			counts = row.len;
			if (k->known_flaky)
				buf_addf(&row, "; known flaky here (%d commit%s, "
					 "%d/%d pass)", k->known_flaky,
					 k->known_flaky == 1 ? "" : "s",
					 k->known_pass, k->known_runs);
			fprintf(out, "  %s%-14s%s ", col(colour, cc),
				case_verdict_name(k->verdict),
				col(colour && *cc, C_OFF));
			/* within 80 columns: the counts go under a long name,
			 * what follows them under the counts */
			under = 17 + w + 1 + counts > 80;
			if (under)
				fprintf(out, "%s\n%17s", nm, "");
			else
				fprintf(out, "%-28s ", nm);
			fput_wrapped(out, under ? 17 : 17 + w + 1, 17, 80, row.buf);
			buf_release(&row);
		}
		if (k->verdict == CASE_NEW_FAILURE && k->cand_diag)
			indented_lines(out, k->cand_diag, 6, 0);
	}
	/* skipped on both sides: a row per reason, not per case */
	skipped_text(out, c, "  skipped        ", 17, 80);
	if (c->ncases)
		fprintf(out, "  %d of %zu cases pass on both sides\n", pass, c->ncases);
	if (!c->nmetrics)
		return;
	/* within 80 columns: the medians follow the verdict when they fit,
	 * else they go on a line of their own under it */
	fprintf(out, "  %-18s %8s %7s  %-12s %s\n", "metric", "change",
		"p(adj)", "verdict", "median [95% CI]");
	for (i = 0; i < c->nmetrics; i++) {
		const struct metric_cmp *m = &c->metrics[i];
		char mb[32], mc[32], l1[16], h1[16], l2[16], h2[16], sb[64], sc[64];
		char ch[24], pa[16];
		const char *vc = m->verdict == METRIC_REGRESSION ? C_RED :
				 m->verdict == METRIC_IMPROVEMENT ? C_GREEN :
				 m->verdict == METRIC_NOT_ENOUGH ? C_YELLOW : "";
		double lo = INFINITY, hi = -INFINITY;
		size_t j;

		fmt_value(mb, sizeof(mb), m->mbase);
		fmt_value(mc, sizeof(mc), m->mcand);
		fmt_value(l1, sizeof(l1), m->cibase.lo);
		fmt_value(h1, sizeof(h1), m->cibase.hi);
		fmt_value(l2, sizeof(l2), m->cicand.lo);
		fmt_value(h2, sizeof(h2), m->cicand.hi);
		snprintf(sb, sizeof(sb), "%s %s [%s, %s]", mb, vis(m->unit), l1, h1);
		snprintf(sc, sizeof(sc), "%s %s [%s, %s]", mc, vis(m->unit), l2, h2);
		if (isnan(m->change_pct))
			snprintf(ch, sizeof(ch), "%s", m->nbase && m->ncand ? "n/a" : "-");
		else
			snprintf(ch, sizeof(ch), "%+.1f%%", m->change_pct);
		if (m->verdict == METRIC_NOT_ENOUGH || m->verdict == METRIC_NOT_COMPARABLE)
			snprintf(pa, sizeof(pa), "-");
		else
			snprintf(pa, sizeof(pa), "%.3g", m->p_adj);
		{
			const char *vn = metric_verdict_name(m->verdict);
			size_t nl = display_width(vis(m->name)), head, tail;
			char *medians = xstrfmt("%s -> %s", sb, sc);

			fprintf(out, "  %s%*s %8s %7s  %s%s%s", vis(m->name),
				nl < 18 ? (int)(18 - nl) : 0, "", ch, pa,
				col(colour, vc), vn, col(colour && *vc, C_OFF));
			head = 2 + (nl < 18 ? 18 : nl) + 1 + 8 + 1 + 7 + 2 +
			       strlen(vn);
			tail = display_width(medians);
			if (head < 2 + 18 + 1 + 8 + 1 + 7 + 2 + 12 + 1 &&
			    2 + 18 + 1 + 8 + 1 + 7 + 2 + 12 + 1 + tail <= 80)
				fprintf(out, "%*s%s\n", (int)(2 + 18 + 1 + 8 + 1 + 7 +
					2 + 12 + 1 - head), "", medians);
			else
				fprintf(out, "\n      %s\n", medians);
			if (m->verdict == METRIC_NOT_ENOUGH)
				fprintf(out, "      (samples: base %zu, candidate %zu; "
					"need %ld each)\n", m->nbase, m->ncand,
					m->min_samples);
			free(medians);
		}
		for (j = 0; j < m->nbase; j++) {
			lo = fmin(lo, m->base[j]);
			hi = fmax(hi, m->base[j]);
		}
		for (j = 0; j < m->ncand; j++) {
			lo = fmin(lo, m->cand[j]);
			hi = fmax(hi, m->cand[j]);
		}
		if (m->nbase + m->ncand > 1 && hi > lo) {
			char slo[24], shi[24], a[48], z[48];

			strip(out, "base", m->base, m->nbase, lo, hi);
			strip(out, "candidate", m->cand, m->ncand, lo, hi);
			/* the scale under the picture, with the unit */
			fmt_value(slo, sizeof(slo), lo);
			fmt_value(shi, sizeof(shi), hi);
			snprintf(a, sizeof(a), "%s %s", slo, vis(m->unit));
			snprintf(z, sizeof(z), "%s %s", shi, vis(m->unit));
			fprintf(out, "      %-9s  %-19s%21s\n", "", a, z);
			pictures = 1;
		}
	}
	fprintf(out, "  medians [95%% CI]: base -> candidate\n");
	if (pictures)
		fprintf(out, "  pictures: each run's value between the smallest "
			"and the largest of both\n  sides (the scale below each): "
			"'.' one run, ':' two, '#' more\n");
	fprintf(out, "  %d metrics judged, p-values adjusted with %s, alpha "
		"%.3g;\n  a verdict also needs the change beyond the metric's "
		"threshold\n", judged_metrics(c),
		correction_long(c->correction), c->alpha);
}

void report_text(FILE *out, const struct check_report *r, int colour,
		 int exit_code)
{
	const char *verdict = check_verdict_name(r->verdict);
	const struct patch_check *bf;
	struct buf link = BUF_INIT;
	size_t i, j, w;
	const char *vc;
	long ran, of;
	int short_patches;

	fprintf(out, "%scheck %ld%s: %s\n", col(colour, C_BOLD), r->id,
		col(colour, C_OFF), vis(r->have_series ? r->series.subject : r->source));
	if (r->have_series) {
		const struct stored_patch *p0 = r->series.npatches ?
						&r->series.patches[0] : NULL;
		char date[48] = "";

		if (p0)
			fmt_short(date, p0->date, p0->date_tz);
		link_of(&link, r);
		fprintf(out, "  series %ld v%d, %zu patch%s, %s\n  from %s <%s>\n",
			r->series.id, r->series.version, r->series.npatches,
			r->series.npatches == 1 ? "" : "es", date,
			p0 ? vis(p0->author_name) : "?",
			p0 ? vis(p0->author_email) : "?");
		fprintf(out, "  link: %s\n", vis(link.buf));
		for (i = 0; i < r->series.npatches; i++)
			for (j = 0; j < r->series.patches[i].ntrailers; j++)
				fprintf(out, "  [%d] %s: %s\n", r->series.patches[i].idx,
					vis(r->series.patches[i].trailers[j].kind),
					vis(r->series.patches[i].trailers[j].person));
	}
	fprintf(out, "  tree %s\n  base %.12s", vis(r->repo_path),
		r->base_commit ? r->base_commit : "?");
	if (r->base_why) {
		/* within 80 columns: the why goes on under itself */
		fputs(": ", out);
		wrap_from(out, 7 + 12 + 2, 4, vis(r->base_why));
	} else
		fputc('\n', out);
	fprintf(out, "  config %s, %s, %s\n", vis(r->config_name),
		vis(r->arch), vis(r->compiler));
	if (r->error)
	{
		fprintf(out, "  %scould not check%s: ", col(colour, C_RED),
			col(colour, C_OFF));
		fput_wrapped(out, 20, 4, 80, vis(r->error));
	}
	fprintf(out, "\napply and build\n");
	if (r->failed_idx) {
		char label[24];

		snprintf(label, sizeof(label), "%d/%zu", r->failed_idx,
			 r->have_series ? r->series.npatches : 0);
		fprintf(out, "  %-6s %sdoes not apply%s", label, col(colour, C_RED),
			col(colour, C_OFF));
		row_tail(out, 2 + 6 + 1 + 14, 9, vis(patch_subject(r, r->failed_idx)));
		fprintf(out, "         ");
		wrap_from(out, 9, 9, vis(r->failed_error ? r->failed_error : "?"));
	}
	for (i = 0; i < r->nbuilds; i++) {
		const struct report_build *b = &r->builds[i];
		char label[16];
		const char *strat = apply_strategy_name(b->apply_strategy);
		int ok = b->build.status == BUILD_OK;

		if (b->idx)
			snprintf(label, sizeof(label), "%d/%zu", b->idx, r->nbuilds - 1);
		else
			snprintf(label, sizeof(label), "base");
		w = (size_t)fprintf(out, "  %-6s %.12s  %-10s ", label,
				    b->build.commit, b->idx ? (strat ? strat :
				    "applied") : "");
		w += (size_t)fprintf(out, "%sbuild %s%s", col(colour && !ok, C_RED),
				     build_status_name(b->build.status),
				     col(colour && !ok, C_OFF)) -
		     strlen(col(colour && !ok, C_RED)) -
		     strlen(col(colour && !ok, C_OFF));
		if (ok)
			w += (size_t)fprintf(out, "%s, %d warning%s (%d new)",
				b->build.cached ? " (cached)" : "", b->build.warnings,
				b->build.warnings == 1 ? "" : "s", b->build.new_warnings);
		if (b->idx)
			row_tail(out, w, 9, vis(patch_subject(r, b->idx)));
		else
			fputc('\n', out);
		if (!ok && b->build.error)
			fprintf(out, "         %.300s\n", vis(b->build.error));
	}
	patch_checks_text(out, r, colour);
	for (i = 0; i < r->nsuites; i++)
		text_suite(out, &r->suites[i], r->suite_errors[i], colour);
	vc = r->verdict == CHECK_VERDICT_NO_REGRESSION ? C_GREEN : C_RED;
	fprintf(out, "\nverdict: %s%s%s", col(colour, vc),
		verdict ? verdict : "none", col(colour, C_OFF));
	if (coverage_totals(r, &ran, &of, &short_patches) && ran < of)
		fprintf(out, ", but %ld of %ld changed lines never ran (%d "
			"patch%s)", of - ran, of, short_patches,
			short_patches == 1 ? "" : "es");
	if ((bf = broad_failure(r)))
		fprintf(out, ", patch %d does not build under allmodconfig", bf->idx);
	fprintf(out, " (status %s, exit %d)\n", check_status_name(r->status),
		exit_code);
	buf_release(&link);
}

/* ---- JSON ---------------------------------------------------------------- */

static json_t *jnum(double v)
{
	return isnan(v) || isinf(v) ? json_null() : json_real(v);
}

static json_t *jsamples(const double *x, size_t n)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < n; i++)
		json_array_append_new(a, json_real(x[i]));
	return a;
}

static json_t *json_finding_cmps(const struct suite_cmp *c)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < c->nfindings; i++) {
		const struct finding_cmp *f = &c->findings[i];

		json_array_append_new(a, json_pack("{s:o,s:o,s:s,s:i,s:i,s:o}",
			"kind", json_text(f->kind), "title", json_text(f->title),
			"verdict", finding_verdict_name(f->verdict),
			"base_runs", f->base_runs, "candidate_runs", f->cand_runs,
			"lines", json_text(f->lines)));
	}
	return a;
}

static json_t *json_suite(const struct suite_cmp *c, const char *err)
{
	json_t *o = json_object(), *cases = json_array(), *ms = json_array();
	size_t i;

	json_object_set_new(o, "suite", json_text(c->suite));
	json_object_set_new(o, "suite_hash", json_text(c->suite_hash));
	json_object_set_new(o, "error", json_text(err));
	if (err) {
		json_decref(cases);
		json_decref(ms);
		return o;
	}
	json_object_set_new(o, "format", json_text(c->format));
	json_object_set_new(o, "comparable", json_boolean(c->comparable));
	json_object_set_new(o, "why_not", json_text(c->why_not));
	json_object_set_new(o, "tests_from", c->base_tests || c->cand_tests ?
			    json_pack("{s:o,s:o}", "base", json_text(c->base_tests),
				      "candidate", json_text(c->cand_tests)) :
			    json_null());
	json_object_set_new(o, "runs", json_pack("{s:i,s:i}", "base", c->base_runs,
						 "candidate", c->cand_runs));
	json_object_set_new(o, "failed_boots", json_pack("{s:i,s:i}", "base",
							 c->base_bad_runs, "candidate",
							 c->cand_bad_runs));
	json_object_set_new(o, "stopped_runs", json_pack("{s:i,s:i}", "base",
							 c->base_stopped_runs, "candidate",
							 c->cand_stopped_runs));
	json_object_set_new(o, "stopped_after", json_text(c->stopped_after));
	json_object_set_new(o, "correction", json_text(stats_correction_name(c->correction)));
	json_object_set_new(o, "alpha", json_real(c->alpha));
	json_object_set_new(o, "regressions", json_integer(c->regressions));
	json_object_set_new(o, "improvements", json_integer(c->improvements));
	json_object_set_new(o, "fixed", json_integer(c->fixed));
	json_object_set_new(o, "flaky", json_integer(c->flaky));
	for (i = 0; i < c->ncases; i++) {
		const struct case_cmp *k = &c->cases[i];

		json_array_append_new(cases, json_pack("{s:o,s:s,s:{s:i,s:i},s:{s:i,s:i},s:o,s:o}",
			"name", json_text(k->name), "verdict", case_verdict_name(k->verdict),
			"base", "pass", k->base_pass, "fail", k->base_fail,
			"candidate", "pass", k->cand_pass, "fail", k->cand_fail,
			"known_flaky", k->known_flaky ? json_pack("{s:i,s:i,s:i}",
				"commits", k->known_flaky, "pass", k->known_pass,
				"runs", k->known_runs) : json_null(),
			"skip_reason", json_text(k->skip_reason)));
	}
	json_object_set_new(o, "cases", cases);
	json_object_set_new(o, "findings", json_finding_cmps(c));
	for (i = 0; i < c->nmetrics; i++) {
		const struct metric_cmp *m = &c->metrics[i];
		json_t *mo = json_object();

		json_object_set_new(mo, "name", json_text(m->name));
		json_object_set_new(mo, "unit", json_text(m->unit));
		json_object_set_new(mo, "verdict", json_text(metric_verdict_name(m->verdict)));
		json_object_set_new(mo, "base", json_pack("{s:o,s:o,s:[o,o],s:f}",
			"samples", jsamples(m->base, m->nbase), "median", jnum(m->mbase),
			"ci95", jnum(m->cibase.lo), jnum(m->cibase.hi),
			"ci_coverage", m->cibase.coverage));
		json_object_set_new(mo, "candidate", json_pack("{s:o,s:o,s:[o,o],s:f}",
			"samples", jsamples(m->cand, m->ncand), "median", jnum(m->mcand),
			"ci95", jnum(m->cicand.lo), jnum(m->cicand.hi),
			"ci_coverage", m->cicand.coverage));
		json_object_set_new(mo, "change_pct", jnum(m->change_pct));
		json_object_set_new(mo, "p", jnum(m->p));
		json_object_set_new(mo, "p_adjusted", jnum(m->p_adj));
		json_object_set_new(mo, "threshold", json_real(m->threshold));
		json_object_set_new(mo, "threshold_is_pct", json_boolean(m->threshold_pct));
		json_object_set_new(mo, "higher_is_better", json_boolean(m->higher_is_better));
		json_object_set_new(mo, "min_samples", json_integer(m->min_samples));
		json_array_append_new(ms, mo);
	}
	json_object_set_new(o, "metrics", ms);
	return o;
}

json_t *report_json(const struct check_report *r, int exit_code)
{
	json_t *o = json_object(), *builds = json_array(), *suites = json_array();
	json_t *pc;
	size_t i;

	json_object_set_new(o, "check", json_integer(r->id));
	json_object_set_new(o, "status", json_text(check_status_name(r->status)));
	json_object_set_new(o, "verdict", json_text(check_verdict_name(r->verdict)));
	json_object_set_new(o, "exit_code", exit_code >= 0 ?
			    json_integer(exit_code) : json_null());
	json_object_set_new(o, "source", json_text(r->source));
	json_object_set_new(o, "tree", json_text(r->repo_path));
	json_object_set_new(o, "config", json_text(r->config_name));
	json_object_set_new(o, "arch", json_text(r->arch));
	json_object_set_new(o, "toolchain", json_text(r->compiler));
	json_object_set_new(o, "base", json_text(r->base_commit));
	json_object_set_new(o, "base_rule", json_text(r->base_rule));
	json_object_set_new(o, "base_why", json_text(r->base_why));
	json_object_set_new(o, "error", json_text(r->error));
	json_object_set_new(o, "apply_failure", r->failed_idx ?
			    json_pack("{s:i,s:o}", "patch", r->failed_idx,
				      "error", json_text(r->failed_error)) :
			    json_null());
	json_object_set_new(o, "tip", json_text(r->tip_commit));
	json_object_set_new(o, "repeat", json_integer(r->repeat));
	if (r->have_series) {
		struct buf link = BUF_INIT;

		link_of(&link, r);
		json_object_set_new(o, "series", json_pack("{s:I,s:i,s:o,s:s,s:i}",
			"id", (json_int_t)r->series.id, "version", r->series.version,
			"subject", json_text(r->series.subject), "link", link.buf,
			"patches", (int)r->series.npatches));
		buf_release(&link);
	} else {
		json_object_set_new(o, "series", json_null());
	}
	for (i = 0; i < r->nbuilds; i++) {
		const struct report_build *b = &r->builds[i];
		json_t *x = json_object();

		/* where it stands in the series, then the build as pwb build
		 * --json shows it (one writer of a build: output.c) */
		json_object_set_new(x, "idx", json_integer(b->idx));
		json_object_set_new(x, "apply", json_text(apply_strategy_name(b->apply_strategy)));
		json_object_update_new(x, json_build(&b->build));
		json_array_append_new(builds, x);
	}
	json_object_set_new(o, "builds", builds);
	pc = json_array();
	for (i = 0; i < r->npchecks; i++) {
		const struct patch_check *c = &r->pchecks[i];

		json_t *x = json_pack("{s:i,s:s,s:s,s:o,s:o}",
			"idx", c->idx, "check", patch_check_kind_name(c->kind),
			"status", patch_check_status_name(c->status),
			"summary", json_text(c->summary), "lines", json_text(c->lines));

		if (c->kind == PCHECK_COVERAGE) {
			/* null when nothing was measured */
			json_object_set_new(x, "lines_ran", c->of > 0 ?
					    json_integer(c->count) : json_null());
			json_object_set_new(x, "lines_changed", c->of > 0 ?
					    json_integer(c->of) : json_null());
		}
		json_array_append_new(pc, x);
	}
	json_object_set_new(o, "patch_checks", pc);
	for (i = 0; i < r->nsuites; i++)
		json_array_append_new(suites, json_suite(&r->suites[i], r->suite_errors[i]));
	json_object_set_new(o, "suites", suites);
	return o;
}

/* ---- email ---------------------------------------------------------------- */

/*
 * What the check did, and only that: a check that stopped before the
 * boots says so instead of claiming the suites ran.
 */
static void email_what_happened(FILE *out, const struct check_report *r)
{
	const char *verdict = check_verdict_name(r->verdict);
	const struct report_build *base = NULL, *broken = NULL;
	const struct patch_check *bf;
	int npatches = 0, built = 0, boots = 0, short_patches, recorded = 0;
	long ran, of;
	size_t i;

	for (i = 0; i < r->nbuilds; i++) {
		const struct report_build *b = &r->builds[i];

		if (!b->idx) {
			base = b;
			continue;
		}
		npatches++;
		if (b->build.status == BUILD_OK)
			built++;
		else if (!broken)
			broken = b;
	}
	for (i = 0; i < r->nsuites; i++)
		boots += r->suites[i].base_runs + r->suites[i].cand_runs;
	if (r->error) {
		fprintf(out, "pwb could not check this series: %s.\n"
			"This says nothing about the series; nothing was built "
			"or booted.\n\n", vis(r->error));
		return;
	}
	if (!r->base_commit || !r->nbuilds) {
		if (r->failed_idx && r->base_commit)
			fprintf(out, "pwb could not apply patch %d/%zu to %.12s:\n\n"
				"  %s\n\nThe base: %s.\n",
				r->failed_idx, r->have_series ? r->series.npatches : 0,
				r->base_commit, vis(r->failed_error ? r->failed_error : "?"),
				vis(r->base_why ? r->base_why : r->base_rule ?
				    r->base_rule : "?"));
		else
			fprintf(out, "pwb could not apply this series to %s "
				"(config %s)%s%s.\n\n", r->base_commit ?
				"its base" : "the tree", vis(r->config_name),
				verdict ? ": " : "", verdict ? verdict : "");
		fprintf(out, "Nothing was built or booted.\n\n");
		return;
	}
	fprintf(out, "pwb applied this series to %.12s (config %s, %s, %s).\n",
		r->base_commit, vis(r->config_name), vis(r->arch),
		vis(r->compiler));
	if (!base || base->build.status != BUILD_OK)
		fprintf(out, "The base did not build (%s)",
			base ? build_status_name(base->build.status) : "not built");
	else if (built == npatches && npatches == 1)
		fprintf(out, "The base and the patch built");
	else if (built == npatches)
		fprintf(out, "The base and all %d patches built", npatches);
	else
		fprintf(out, "The base built; %d of %d patches built (patch %d/%d: %s)",
			built, npatches, broken->idx, npatches,
			build_status_name(broken->build.status));
	if ((bf = broad_failure(r)))
		fprintf(out, ";\npatch %d/%d does not build under allmodconfig (%s)",
			bf->idx, npatches, vis(bf->summary));
	if (!boots) {
		fprintf(out, "; nothing was booted.\n\n");
		return;
	}
	for (i = 0; i < r->nsuites; i++)
		recorded |= r->suites[i].recorded;
	/* what the backend did: a recorded console was not booted */
	fprintf(out, recorded ? ";\nthe base's and the last patch's runs were "
		"replayed from consoles recorded in the tree, nothing was booted "
		"(the recorded backend; runs, base/candidate:" :
		";\nthe base and the last patch were booted in QEMU (runs, "
		"base/candidate:");
	for (i = 0; i < r->nsuites; i++)
		fprintf(out, "%s %s %d/%d", i ? "," : "", r->suites[i].suite,
			r->suites[i].base_runs, r->suites[i].cand_runs);
	fprintf(out, ").\n");
	if (coverage_totals(r, &ran, &of, &short_patches))
		fprintf(out, "The suites ran %ld of the %ld changed lines pwb "
			"could measure%s.\n", ran, of, ran < of ?
			";\nthe rest (by patch, below) is not covered by this "
			"verdict" : "");
	fputc('\n', out);
}

/* patchwork's check states for a build and for a suite of the tip */
static const char *pw_build_state(const struct report_build *b)
{
	/* no build: "not-built" (an earlier patch failed) */
	if (!b)
		return "pending";
	switch (kbuild_outcome(b->build.status)) {
	case BUILD_OUT_OK: return "success";
	case BUILD_OUT_BROKEN: return "fail";
	default: return "warning";	/* infra-error, timeout, interrupted */
	}
}

json_t *report_patchwork(const struct check_report *r)
{
	json_t *arr = json_array();
	struct buf link = BUF_INIT;
	size_t i, k;

	if (r->have_series)
		link_of(&link, r);
	for (i = 0; r->have_series && i < r->series.npatches; i++) {
		const struct stored_patch *p = &r->series.patches[i];
		const struct report_build *b = NULL;
		int last = i + 1 == r->series.npatches;
		json_t *checks = json_array();

		for (k = 0; k < r->nbuilds; k++)
			if (r->builds[k].idx == p->idx)
				b = &r->builds[k];
		/* a patch that did not apply has no build: the apply failed;
		 * a check that found no base says nothing of the series */
		json_array_append_new(checks, json_pack("{s:s,s:s,s:o,s:s%}",
			"state", r->error ? "warning" : !r->tip_commit ? "fail" :
				 pw_build_state(b),
			"context", "pwb-build",
			"description", r->error ?
				json_sprintf("not checked: %s", r->error) :
				!r->tip_commit && r->failed_idx == p->idx ?
				json_sprintf("does not apply: %s", r->failed_error ?
					     r->failed_error : "?") :
				!r->tip_commit && r->failed_idx && p->idx > r->failed_idx ?
				json_sprintf("not applied: patch %d does not apply",
					     r->failed_idx) :
				!r->tip_commit ?
				json_string("the series does not apply") :
				json_sprintf("build %s (%s, %s, %s)",
					     b ? build_status_name(b->build.status) :
					     "not-built",
					     r->arch ? r->arch : "x86_64",
					     r->compiler ? r->compiler : "gcc",
					     r->config_name ? r->config_name : "?"),
			"target_url", link.buf, link.len));
		for (k = 0; k < r->npchecks; k++) {
			const struct patch_check *c = &r->pchecks[k];
			static const char *const pw[] = {
				[PCHECK_PASS] = "success", [PCHECK_WARN] = "warning",
				[PCHECK_FAIL] = "fail", [PCHECK_SKIP] = "warning",
			};

			if (c->idx != p->idx)
				continue;
			json_array_append_new(checks, json_pack("{s:s,s:o,s:o,s:s%}",
				"state", pw[c->status], "context",
				json_sprintf("pwb-%s", patch_check_kind_name(c->kind)),
				"description", json_text(c->summary),
				"target_url", link.buf, link.len));
		}
		for (k = 0; last && k < r->nsuites; k++) {
			const struct suite_cmp *c = &r->suites[k];
			const char *state = r->suite_errors[k] || !c->comparable ?
					    "warning" : c->regressions ? "fail" : "success";
			json_t *d = r->suite_errors[k] ?
				json_sprintf("not compared: %s", r->suite_errors[k]) :
				!c->comparable ? json_sprintf("not comparable: %s", c->why_not) :
				json_sprintf("%d regression%s, %d fixed, %d flaky (runs: "
					     "base %d, candidate %d)", c->regressions,
					     c->regressions == 1 ? "" : "s", c->fixed,
					     c->flaky, c->base_runs, c->cand_runs);

			json_array_append_new(checks, json_pack("{s:s,s:o,s:o,s:s%}",
				"state", state, "context", json_sprintf("pwb-%s", c->suite),
				"description", d, "target_url", link.buf, link.len));
		}
		json_array_append_new(arr, json_pack("{s:i,s:o,s:o}", "patch", p->idx,
			"msgid", json_text(p->msgid), "checks", checks));
	}
	buf_release(&link);
	return arr;
}

/* ---- the reply's lines -------------------------------------------------- */

#define EMAIL_COLS 72

/* columns of n bytes of UTF-8 (a code point a column) */
static size_t text_cols(const char *p, size_t n)
{
	size_t c = 0;

	for (size_t i = 0; i < n; i++)
		c += ((unsigned char)p[i] & 0xc0) != 0x80;
	return c;
}

/* bytes of p that fill at most cols columns */
static size_t bytes_for_cols(const char *p, size_t n, size_t cols)
{
	size_t i, c = 0;

	for (i = 0; i < n; i++) {
		if (((unsigned char)p[i] & 0xc0) != 0x80 && c++ == cols)
			break;
	}
	return i;
}

/*
 * One line of the body, within EMAIL_COLS: a longer one is broken at its
 * last space that fits (else cut), the rest indented two more than the
 * line.  Trailers ("| Reported-by: ...", "| Closes: URL") stay whole: they
 * are pasted as they are.
 */
static void email_line(FILE *out, const char *p, size_t n)
{
	size_t ind = strspn(p, " "), room, cut;
	int first = 1;

	if (ind > 40)
		ind = 40;
	if (starts_with(p, "| ") || text_cols(p, n) <= EMAIL_COLS) {
		fwrite(p, 1, n, out);
		fputc('\n', out);
		return;
	}
	while (n) {
		/* prose goes on at the margin, an indented item further in */
		size_t pre = first ? 0 : ind ? ind + 2 : 0;

		room = bytes_for_cols(p, n, EMAIL_COLS - pre);
		if (room >= n) {
			cut = n;
		} else {
			cut = room;
			while (cut > (first ? ind : 0) && p[cut] != ' ')
				cut--;
			if (cut <= (first ? ind : 0))
				cut = room;
		}
		fprintf(out, "%*s%.*s\n", (int)pre, "", (int)cut, p);
		p += cut;
		n -= cut;
		while (n && *p == ' ') {
			p++;
			n--;
		}
		first = 0;
	}
}

/* A recipient header, folded within the columns: "Cc: a, b,\n c" */
static void email_addr_header(FILE *out, const char *name, char **l, size_t n,
			      const char *skip)
{
	size_t col = 0, i, sl = 0;
	const char *sa = skip ? mail_addr_of(skip, &sl) : NULL;
	int any = 0;

	for (i = 0; i < n; i++) {
		size_t al;
		const char *a = mail_addr_of(l[i], &al);
		const char *v;

		if (sa && al == sl && !strncasecmp(a, sa, al))
			continue;
		v = vis(l[i]);
		if (!any) {
			fprintf(out, "%s: %s", name, v);
			col = strlen(name) + 2 + text_cols(v, strlen(v));
		} else if (col + 2 + text_cols(v, strlen(v)) > EMAIL_COLS) {
			fprintf(out, ",\n %s", v);
			col = 1 + text_cols(v, strlen(v));
		} else {
			fprintf(out, ", %s", v);
			col += 2 + text_cols(v, strlen(v));
		}
		any = 1;
	}
	if (any)
		fputc('\n', out);
}

/* The command that checks the series again, as this check did. */
static void email_reproducer(FILE *out, const char *what,
			     const struct check_report *r)
{
	size_t i;

	fprintf(out, "To reproduce, in a kernel tree registered with pwb:\n\n"
		"  pwb check '%s' \\\n    --tree <linux>", vis(what));
	if (r->base_commit)
		fprintf(out, " --base %s", r->base_commit);
	fprintf(out, " \\\n    --config %s --arch %s --toolchain %s",
		vis(r->config_name), vis(r->arch ? r->arch : "x86_64"),
		vis(r->compiler ? r->compiler : "gcc"));
	if (r->repeat > 0)
		fprintf(out, " --repeat %d", r->repeat);
	for (i = 0; i < r->nsuites; i++)
		fprintf(out, " \\\n    --suite %s", vis(r->suites[i].suite));
	fputc('\n', out);
}

/* The body, then each of its lines within the columns. */
static void email_body(FILE *out, const struct check_report *r,
		       const char *reply_to);

void report_email(FILE *out, const struct check_report *r)
{
	const struct stored_patch *p0 = r->have_series && r->series.npatches ?
					&r->series.patches[0] : NULL;
	const char *reply_to = r->have_series ? (r->series.cover_msgid ?
			       r->series.cover_msgid : r->series.msgid) : NULL;
	const char *subj = r->have_series ? r->series.subject : r->source;
	char *body = NULL, *p;
	size_t blen = 0;
	int total = r->have_series ? r->series.total : 0;
	FILE *m;

	if (r->have_series) {
		char v[16] = "";

		if (r->series.version > 1)
			snprintf(v, sizeof(v), " v%d", r->series.version);
		if (r->series.cover_msgid)
			fprintf(out, "Subject: Re: [PATCH%s 0/%d] %s\n", v, total,
				vis(subj));
		else
			fprintf(out, "Subject: Re: [PATCH%s] %s\n", v,
				vis(p0 ? p0->subject : subj));
	} else {
		fprintf(out, "Subject: Re: %s\n", vis(subj));
	}
	if (reply_to) {
		fprintf(out, "In-Reply-To: <%s>\n", vis(reply_to));
		fprintf(out, "References: <%s>\n", vis(reply_to));
	}
	if (p0) {
		char *to = xstrfmt("%s <%s>", p0->author_name, p0->author_email);

		email_addr_header(out, "To", &to, 1, NULL);
		/* the list and everyone the series went to, the author once */
		email_addr_header(out, "Cc", r->recipients, r->nrecipients, to);
		free(to);
	}
	fprintf(out, "\n");
	m = open_memstream(&body, &blen);
	if (!m)
		die("out of memory (the reply)");
	email_body(m, r, reply_to);
	fclose(m);
	for (p = body; *p; ) {
		size_t l = strcspn(p, "\n");

		email_line(out, p, l);
		p += l + (p[l] == '\n');
	}
	free(body);
}

static void email_body(FILE *out, const struct check_report *r,
		       const char *reply_to)
{
	const char *verdict = check_verdict_name(r->verdict);
	const struct stored_patch *p0 = r->have_series && r->series.npatches ?
					&r->series.patches[0] : NULL;
	size_t i, j;

	if (p0) {
		const char *name = vis(p0->author_name);

		fprintf(out, "Hi %.*s,\n\n", (int)strcspn(name, " "), name);
	}
	email_what_happened(out, r);
	if (r->nbuilds > 1)
		fprintf(out, "Per patch:\n");
	for (i = 0; i < r->nbuilds; i++) {
		const struct report_build *b = &r->builds[i];
		const char *strat = apply_strategy_name(b->apply_strategy);

		if (!b->idx)
			continue;
		fprintf(out, "  [%d/%zu] %s\n        applies (%s), build: %s", b->idx,
			r->nbuilds - 1, vis(patch_subject(r, b->idx)),
			strat ? strat : "?", build_status_name(b->build.status));
		if (b->build.status == BUILD_OK && b->build.new_warnings)
			fprintf(out, " (%d new warning%s)", b->build.new_warnings,
				b->build.new_warnings == 1 ? "" : "s");
		fputc('\n', out);
		for (j = 0; j < r->npchecks; j++) {
			const struct patch_check *c = &r->pchecks[j];

			if (c->idx != b->idx || c->status == PCHECK_PASS)
				continue;
			fprintf(out, "        %s: %s (%s)\n", patch_check_kind_name(c->kind),
				patch_check_status_name(c->status), vis(c->summary));
			if (c->lines)
				indented_lines(out, c->lines, 5, 0);
		}
	}
	for (i = 0; i < r->nsuites; i++) {
		const struct suite_cmp *c = &r->suites[i];
		int any = 0;

		fprintf(out, "\n%s:", c->suite);
		if (r->suite_errors[i]) {
			fprintf(out, " not compared (%s)\n", vis(r->suite_errors[i]));
			continue;
		}
		if (!c->comparable) {
			fprintf(out, " not comparable (%s)\n", vis(c->why_not));
			continue;
		}
		fputc('\n', out);
		for (j = 0; j < c->ncases; j++)
			if (c->cases[j].verdict != CASE_PASS &&
			    c->cases[j].verdict != CASE_NOT_RUN &&
			    c->cases[j].verdict != CASE_SKIPPED) {
				fprintf(out, "  %-14s %s%s\n", case_verdict_name(c->cases[j].verdict),
					vis(c->cases[j].name), c->cases[j].known_flaky ?
					" (known to be flaky here)" : "");
				any = 1;
			}
		if (c->not_run) {
			struct buf nr = BUF_INIT;

			not_run_line(&nr, c);
			fprintf(out, "  %-14s %s\n", "not-run", nr.buf);
			buf_release(&nr);
			any = 1;
		}
		for (j = 0; j < c->nfindings; j++)
			if (c->findings[j].verdict == FINDING_NEW) {
				fprintf(out, "  %-14s %s\n", "new-finding",
					vis(c->findings[j].title));
				if (c->findings[j].lines)
					indented_lines(out, c->findings[j].lines, 24, 0);
				any = 1;
			}
		for (j = 0; j < c->nmetrics; j++) {
			const struct metric_cmp *m = &c->metrics[j];
			char mb[32], mc[32];

			if (m->verdict != METRIC_REGRESSION && m->verdict != METRIC_IMPROVEMENT)
				continue;
			fmt_value(mb, sizeof(mb), m->mbase);
			fmt_value(mc, sizeof(mc), m->mcand);
			fprintf(out, "  %-14s %s: median %s -> %s %s (p=%.2g adjusted)\n",
				metric_verdict_name(m->verdict), vis(m->name), mb, mc,
				vis(m->unit), m->p_adj);
			any = 1;
		}
		if (!any)
			fprintf(out, "  no difference (%zu cases, %zu metrics; %d of them "
				"with too few samples)\n", c->ncases, c->nmetrics,
				c->not_enough);
		else if (c->nmetrics)
			fprintf(out, "  (%d runs per side, Mann-Whitney U, %s over %d "
				"metrics)\n", c->cand_runs, correction_long(c->correction),
				judged_metrics(c));
		/* not a result: a line per reason, within 72 columns */
		skipped_text(out, c, "  skipped on both sides: ", 4, 72);
	}
	fprintf(out, "\nVerdict: %s\n\n", verdict ? verdict : "none");
	if (r->verdict == CHECK_VERDICT_REGRESSION && r->have_series) {
		struct buf link = BUF_INIT;

		link_of(&link, r);
		/* the lines a maintainer pastes into the fix, as the kernel
		 * test robot's mails carry them ("| " keeps b4 and pwb from
		 * taking them for this series' trailers) */
		fprintf(out, "If you fix the issue in a separate patch, please "
			"add these tags:\n");
		if (r->reporter)
			fprintf(out, "| Reported-by: %s\n", vis(r->reporter));
		fprintf(out, "| Closes: %s\n\n", vis(link.buf));
		buf_release(&link);
	}
	email_reproducer(out, reply_to ? reply_to : r->source, r);
}
