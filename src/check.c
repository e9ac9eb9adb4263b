/* pwb check's work for one cell or many (see check.h). */
#include "check.h"
#include "compare.h"
#include "db.h"
#include "kbuild.h"
#include "applydb.h"
#include "intake.h"
#include "report.h"
#include "slurm.h"
#include "suiterun.h"
#include "tree.h"
#include "util/buf.h"
#include "util/run.h"
#include "util/util.h"
#include "util/vis.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

const char *check_status_name(enum check_status s)
{
	switch (s) {
	case CHECK_ST_RUNNING: return "running";
	case CHECK_ST_DONE: return "done";
	case CHECK_ST_ERROR: return "error";
	case CHECK_ST_INTERRUPTED: return "interrupted";
	}
	return "error";
}

/* Checks left "running" by a pwb that is gone (kill -9, crash, reboot). */
static void reap_stale(sqlite3 *db)
{
	sqlite3_stmt *st;
	long ids[64];
	size_t n = 0, i;

	if (db_prepare(db, &st, "SELECT id, pid FROM checks WHERE status = 'running'"))
		return;
	while (n < 64 && db_row(db, st, "find stale checks") > 0) {
		long pid = (long)sqlite3_column_int64(st, 1);

		if (!pid_alive(pid))
			ids[n++] = (long)sqlite3_column_int64(st, 0);
	}
	sqlite3_finalize(st);
	for (i = 0; i < n; i++) {
		if (db_prepare(db, &st, "UPDATE checks SET status = 'interrupted', "
			       "verdict = NULL WHERE id = ? AND status = 'running'"))
			return;
		sqlite3_bind_int64(st, 1, ids[i]);
		sqlite3_step(st);
		sqlite3_finalize(st);
		notice("check %ld was left running by a pwb that is gone: "
		       "marked interrupted", ids[i]);
	}
}

static int start_check(sqlite3 *db, const char *source, const char *repo,
		       const char *config, long repeat, long *id)
{
	if (db_execf(db, "record check", "INSERT INTO checks (source, repo_path, "
		     "config_name, repeat, status, pid, started_at) "
		     "VALUES (?,?,?,?,'running',?,?)", "tttIII", source, repo,
		     config, (sqlite3_int64)repeat, (sqlite3_int64)getpid(),
		     (sqlite3_int64)time(NULL)))
		return -1;
	*id = (long)sqlite3_last_insert_rowid(db);
	return 0;
}

static int finish_check(sqlite3 *db, long id, const char *status,
			const char *verdict, int code)
{
	return db_execf(db, "record check", "UPDATE checks SET status = ?, "
			"verdict = ?, exit_code = ?, finished_at = ? WHERE id = ?",
			"ttiII", status, verdict, code, (sqlite3_int64)time(NULL),
			(sqlite3_int64)id);
}

static int record_build(sqlite3 *db, long check, int idx, const char *commit,
			long build_id, const char *status)
{
	return db_execf(db, "record check build", "INSERT OR REPLACE INTO "
			"check_builds (check_id, idx, commit_id, build_id, status) "
			"VALUES (?,?,?,?,?)", "IitLt", (sqlite3_int64)check, idx,
			commit, build_id, status);
}

static int record_suite(sqlite3 *db, long check, const struct suite *s,
			const char *bt, const char *ct, const char *status,
			const char *err)
{
	return db_execf(db, "record check suite", "INSERT OR REPLACE INTO "
			"check_suites (check_id, suite, suite_hash, base_tree, "
			"cand_tree, status, error) VALUES (?,?,?,?,?,?,?)",
			"Itttttt", (sqlite3_int64)check, s->name, s->hash, bt, ct,
			status, err);
}

/* Every bench/suites/NAME with a suite.conf, sorted; or check.suites. */
static char **default_suites(struct pwb_ctx *ctx, const char *datadir, size_t *n)
{
	char *cfg = ctx_config_get(ctx, "check.suites"), **out = NULL;
	struct buf d = BUF_INIT;
	DIR *dh;
	struct dirent *e;

	*n = 0;
	if (cfg) {
		char *save = NULL, *tok;

		for (tok = strtok_r(cfg, " ,", &save); tok; tok = strtok_r(NULL, " ,", &save)) {
			out = xrealloc(out, (*n + 1) * sizeof(char *));
			out[(*n)++] = xstrdup(tok);
		}
		free(cfg);
		return out;
	}
	buf_addf(&d, "%s/bench/suites", datadir);
	dh = opendir(d.buf);
	while (dh && (e = readdir(dh))) {
		struct buf f = BUF_INIT;

		buf_addf(&f, "%s/%s/suite.conf", d.buf, e->d_name);
		if (e->d_name[0] != '.' && !access(f.buf, R_OK)) {
			size_t i = *n;

			out = xrealloc(out, (*n + 1) * sizeof(char *));
			while (i > 0 && strcmp(out[i - 1], e->d_name) > 0) {
				out[i] = out[i - 1];
				i--;
			}
			out[i] = xstrdup(e->d_name);
			(*n)++;
		}
		buf_release(&f);
	}
	if (dh)
		closedir(dh);
	buf_release(&d);
	return out;
}

/* One cell while it is checked. */
struct check_state {
	struct pwb_ctx *ctx;
	const struct check_opts *o;
	struct check_cell *cell;
	const char *repo;	/* the tree's path */
	const char *repo_name;	/* its registered name, or NULL */
	int step, steps;
	time_t t0;
	/* what the cell has got so far */
	struct fetch_result fr;
	struct stored_series ss;
	struct apply_result ar;
	struct kbuild_result *builds;
	size_t nbuilds;
	int fetched, loaded, applied;
	int to_build;		/* applied: its commits are built next */
	int ready;		/* applied and built: its suites run */
	enum check_status status;
	int *suite_rc;		/* per suite: 0 or CHECK_INFRA */
};

static void stage(struct check_state *cs, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void stage(struct check_state *cs, const char *fmt, ...)
{
	struct buf b = BUF_INIT;
	char id[24] = "";
	va_list ap;

	cs->step++;
	if (!cs->o->progress)
		return;
	/* the row is made once intake worked */
	if (cs->cell->id >= 0)
		snprintf(id, sizeof(id), " %ld", cs->cell->id);
	va_start(ap, fmt);
	buf_vaddf(&b, fmt, ap);
	va_end(ap);
	fprintf(stderr, "pwb check%s [%d/%d] %5.0fs %s\n", id, cs->step,
		cs->steps, difftime(time(NULL), cs->t0), vis(b.buf));
	buf_release(&b);
}

/* kbuild of one commit; -1 when pwb could not even try */
static int build_one(struct check_state *cs, const char *commit, int need_dir,
		     struct kbuild_result *br)
{
	struct kbuild_request q = { NULL, NULL, NULL, 0, 0, 0 };

	q.tree_arg = cs->o->tree_arg;
	q.rev = commit;
	q.config = cs->cell->config;
	q.progress = cs->o->progress && isatty(2);	/* \r lines: terminals only */
	q.need_build_dir = need_dir;
	memset(br, 0, sizeof(*br));
	return kbuild(cs->ctx, &q, br);
}

/* How many more runs of s one side needs to have `repeat`. */
static int side_need(sqlite3 *db, const struct suite *s,
		     const struct kbuild_result *br, long repeat, long *need)
{
	struct cmp_side cmp = { br->tree, br->config_hash };

	return compare_runs_needed(db, s->name, s->hash, &cmp, repeat, need);
}

static long suite_repeat(const struct check_opts *o, const struct suite *s)
{
	return o->repeat ? o->repeat : s->repeat;
}

/*
 * One suite: prepare what each side still needs, boot base and candidate
 * in turn until each side has `repeat` completed runs.  Returns 0, or
 * CHECK_INFRA / CHECK_INTERRUPTED / -1 (database).
 */
static int run_suite_local(struct check_state *cs, const struct suite *s,
		     const char *base, const char *tip, long repeat,
		     const struct kbuild_result *bb, const struct kbuild_result *tb)
{
	const char *commits[2] = { base, tip };
	const struct kbuild_result *known[2] = { bb, tb };
	struct kbuild_result br[2];
	struct suite_prep prep[2];
	long need[2], r;
	char *qemu = ctx_config_get(cs->ctx, "boot.qemu");
	int side, ret = 0, built[2] = { 0, 0 };

	memset(prep, 0, sizeof(prep));
	for (side = 0; side < 2; side++)
		if (side_need(cs->ctx->db, s, known[side], repeat, &need[side])) {
			ret = -1;
			goto out;
		}
	for (side = 0; side < 2; side++) {
		if (!need[side])
			continue;
		/* the build directory must hold this side for the module */
		if (build_one(cs, commits[side], 1, &br[side])) {
			ret = run_interrupted() ? CHECK_INTERRUPTED : CHECK_INFRA;
			goto out;
		}
		built[side] = 1;
		if (strcmp(br[side].status, "ok")) {
			ret = CHECK_INFRA;
			goto out;
		}
		if (suite_prepare(s, &br[side], &prep[side])) {
			long id;

			error("suite %s does not build against %.12s: %.300s",
			      s->name, br[side].commit, prep[side].why);
			suite_record_infra(cs->ctx->db, s, br[side].id, prep[side].why, &id);
			ret = CHECK_INFRA;
			goto out;
		}
		/* the module is built: boots only need the artifacts */
		kbuild_unlock(&br[side]);
	}
	/* interleaved, so that drift over time hits both sides alike */
	for (r = 0; r < need[0] || r < need[1]; r++) {
		for (side = 0; side < 2; side++) {
			struct suite_outcome o;

			if (r >= need[side])
				continue;
			if (cs->o->progress)
				fprintf(stderr, "pwb check %ld   %s %s run %ld/%ld\n",
					cs->cell->id, s->name, side ? "candidate" : "base",
					repeat - need[side] + r + 1, repeat);
			if (suite_boot(cs->ctx->db, s, &br[side], &prep[side], qemu,
				       (int)r, &o)) {
				suite_outcome_release(&o);
				ret = -1;
				goto out;
			}
			if (o.verdict == SUITE_INTERRUPTED)
				ret = CHECK_INTERRUPTED;
			else if (o.verdict == SUITE_INFRA)
				ret = CHECK_INFRA;
			suite_outcome_release(&o);
			if (ret)
				goto out;
		}
	}
out:
	for (side = 0; side < 2; side++) {
		suite_prep_release(&prep[side]);
		if (built[side])
			kbuild_result_release(&br[side]);
	}
	free(qemu);
	return ret;
}

static void set_outcome(struct check_state *cs, enum check_status status,
			const char *verdict, int code)
{
	cs->status = status;
	cs->cell->verdict = verdict;
	cs->cell->exit = code;
}

/*
 * Intake: a stored series id, or anything pwb fetch takes.  Before the
 * checks row: a SOURCE that does not parse or cannot be fetched is bad
 * input, and only checks that started work are recorded.
 */
static int intake(struct check_state *cs)
{
	struct pwb_ctx *ctx = cs->ctx;
	struct fetch_opts fo = { NULL, 0, 0, MBOX_AUTO };
	struct check_cell *c = cs->cell;
	long sid = -1;

	stage(cs, "intake %s", c->source);
	if (!parse_long(c->source, &sid)) {
		if (store_load_series(ctx->db, sid, &cs->ss))
			return -1;
		stored_series_release(&cs->ss);
	} else {
		fo.lore = cs->o->lore;
		if (fetch_source(ctx, c->source, &fo, &cs->fr))
			return -1;
		cs->fetched = 1;
		sid = cs->fr.series_id;
	}
	c->series_id = sid;
	return 0;
}

/* Apply.  Sets cs->to_build when the commits can be built; otherwise the
 * cell's outcome is set. */
static void prepare(struct check_state *cs)
{
	struct pwb_ctx *ctx = cs->ctx;
	struct check_cell *c = cs->cell;
	long sid = c->series_id, apply_id = -1;
	size_t i;
	int rc;

	db_execf(ctx->db, "record check", "UPDATE checks SET series_id = ? "
		 "WHERE id = ?", "II", (sqlite3_int64)sid, (sqlite3_int64)c->id);

	/* 2. apply */
	stage(cs, "apply series %ld to %s", sid, cs->o->tree_arg);
	rc = apply_to_tree(ctx, sid, cs->o->tree_arg, cs->o->base_rev, &cs->ss,
			   &cs->ar, &apply_id);
	if (rc == APPLY_EINFRA) {
		/* a full disk or an I/O error is not the series' fault */
		set_outcome(cs, CHECK_ST_ERROR, "infra-error", CHECK_INFRA);
		return;
	}
	if (rc) {
		/* no base, an incomplete series: it cannot be applied */
		set_outcome(cs, CHECK_ST_DONE, "does-not-apply", CHECK_NOT_APPLIED);
		return;
	}
	cs->applied = cs->loaded = 1;
	db_execf(ctx->db, "record check", "UPDATE checks SET apply_id = ?, "
		 "base_commit = ?, tip_commit = ? WHERE id = ?", "IttI",
		 (sqlite3_int64)apply_id, cs->ar.base,
		 cs->ar.ok ? cs->ar.head : NULL, (sqlite3_int64)c->id);
	if (!cs->ar.ok) {
		for (i = 0; i < cs->ar.npatches; i++)
			if (cs->ar.patches[i].status == PR_FAILED)
				error("patch %d/%zu does not apply: %s",
				      cs->ar.patches[i].idx, cs->ar.npatches,
				      cs->ar.patches[i].error);
		set_outcome(cs, CHECK_ST_DONE, "does-not-apply", CHECK_NOT_APPLIED);
		return;
	}

	cs->to_build = 1;
}

static const char *build_commit(const struct check_state *cs, size_t i)
{
	return i ? cs->ar.patches[i - 1].commit : cs->ar.base;
}

/* Record build i of a cell and judge it: 0 go on, 1 the cell ends here
 * (its outcome set).  *failed: a patch that does not build. */
static int judge_build(struct check_state *cs, size_t i, int *failed)
{
	struct kbuild_result *b = &cs->builds[i];
	enum build_outcome outcome;

	record_build(cs->ctx->db, cs->cell->id, (int)i, build_commit(cs, i),
		     b->id, b->status);
	outcome = kbuild_outcome(b->status);
	if (outcome == BUILD_OUT_INTERRUPTED) {
		set_outcome(cs, CHECK_ST_INTERRUPTED, NULL, CHECK_INTERRUPTED);
		return 1;
	}
	if (outcome == BUILD_OUT_OK)
		return 0;
	if (outcome == BUILD_OUT_INFRA) {
		set_outcome(cs, CHECK_ST_DONE, "infra-error", CHECK_INFRA);
		return 1;
	}
	if (!i) {
		error("the base %.12s does not build: %s", b->commit,
		      b->error ? b->error : b->status);
		set_outcome(cs, CHECK_ST_DONE, "infra-error", CHECK_INFRA);
		return 1;
	}
	*failed = 1;
	return 0;
}

static void builds_judged(struct check_state *cs, int failed)
{
	if (failed)
		set_outcome(cs, CHECK_ST_DONE, "does-not-build", CHECK_NOT_APPLIED);
	else
		cs->ready = 1;
}

/* 3. build the base and every patch, here */
static void builds_local(struct check_state *cs)
{
	size_t i;
	int failed = 0;

	stage(cs, "build the base and %zu patch%s", cs->ar.npatches,
	      cs->ar.npatches == 1 ? "" : "es");
	cs->builds = xcalloc(cs->ar.npatches + 1, sizeof(*cs->builds));
	for (i = 0; i <= cs->ar.npatches; i++) {
		if (build_one(cs, build_commit(cs, i), 0, &cs->builds[i])) {
			if (run_interrupted())
				set_outcome(cs, CHECK_ST_INTERRUPTED, NULL, CHECK_INTERRUPTED);
			else
				set_outcome(cs, CHECK_ST_ERROR, "infra-error", CHECK_INFRA);
			return;
		}
		cs->nbuilds++;
		if (judge_build(cs, i, &failed))
			return;
	}
	builds_judged(cs, failed);
}

/*
 * 3. with Slurm: the base and every patch of every cell as one array of
 * build jobs (a commit several cells share is one job), then each build
 * judged as a local one.
 */
static void builds_slurm(struct check_state *st, size_t n)
{
	struct slurm_run *reqs;
	size_t k, i, nreq = 0, total = 0, *first = xcalloc(n + 1, sizeof(size_t));
	long *map, *known;
	int rc = 0;

	for (k = 0; k < n; k++)
		if (st[k].to_build)
			total += st[k].ar.npatches + 1;
	reqs = xcalloc(total + 1, sizeof(*reqs));
	map = xcalloc(total + 1, sizeof(long));
	known = xcalloc(total + 1, sizeof(long));
	total = 0;
	for (k = 0; k < n; k++) {
		struct check_state *cs = &st[k];

		first[k] = total;
		if (!cs->to_build)
			continue;
		stage(cs, "build the base and %zu patch%s, on slurm",
		      cs->ar.npatches, cs->ar.npatches == 1 ? "" : "es");
		for (i = 0; i <= cs->ar.npatches; i++) {
			const char *commit = build_commit(cs, i);
			size_t q;

			/* built before (a rerun, a shared base): not again */
			if (!kbuild_find(cs->ctx->db, commit, cs->cell->config,
					 &known[total])) {
				map[total++] = -1;
				continue;
			}
			for (q = 0; q < nreq; q++)
				if (!strcmp(reqs[q].commit, commit) &&
				    !strcmp(reqs[q].config, cs->cell->config))
					break;
			if (q == nreq) {
				reqs[q].tree = cs->repo;
				reqs[q].tree_name = cs->repo_name;
				reqs[q].commit = commit;
				reqs[q].config = cs->cell->config;
				nreq++;
			}
			map[total++] = (long)q;
		}
	}
	if (nreq && slurm_run_suites(st[0].ctx, reqs, nreq, st[0].o->progress))
		rc = reqs[0].exit == 130 ? CHECK_INTERRUPTED : CHECK_INFRA;
	for (k = 0; k < n && rc != CHECK_INTERRUPTED; k++) {
		struct check_state *cs = &st[k];
		int failed = 0, stop = 0;

		if (!cs->to_build)
			continue;
		if (rc) {
			set_outcome(cs, CHECK_ST_ERROR, "infra-error", CHECK_INFRA);
			continue;
		}
		cs->builds = xcalloc(cs->ar.npatches + 1, sizeof(*cs->builds));
		for (i = 0; i <= cs->ar.npatches && !stop; i++) {
			long q = map[first[k] + i];
			long id = q < 0 ? known[first[k] + i] : reqs[q].build_id;

			if (id <= 0 || kbuild_load(cs->ctx->db, id, &cs->builds[i])) {
				error("no build of %.12s came back from the cluster",
				      build_commit(cs, i));
				set_outcome(cs, CHECK_ST_ERROR, "infra-error", CHECK_INFRA);
				break;
			}
			cs->nbuilds++;
			stop = judge_build(cs, i, &failed);
		}
		if (i > cs->ar.npatches && !stop)
			builds_judged(cs, failed);
	}
	for (i = 0; i < nreq; i++)
		slurm_run_release(&reqs[i]);
	free(reqs);
	free(map);
	free(known);
	free(first);
}

/* A suite's outcome for one cell: recorded, and an error is its verdict
 * until the comparison finds a regression. */
static void suite_done(struct check_state *cs, size_t i, int rc)
{
	const struct suite *s = &cs->o->suites[i];

	record_suite(cs->ctx->db, cs->cell->id, s, cs->builds[0].tree,
		     cs->builds[cs->nbuilds - 1].tree,
		     rc ? "infra-error" : "compared",
		     rc ? "the suite could not run (see the errors above)" : NULL);
	cs->suite_rc[i] = rc;
	if (rc)
		set_outcome(cs, CHECK_ST_DONE, "infra-error", CHECK_INFRA);
}

/* Every suite on base and tip of every ready cell, here. */
static void suites_local(struct check_state *st, size_t n)
{
	size_t k, i;

	for (k = 0; k < n; k++) {
		struct check_state *cs = &st[k];

		for (i = 0; cs->ready && i < cs->o->nsuites; i++) {
			const struct suite *s = &cs->o->suites[i];
			long rep = suite_repeat(cs->o, s);
			int rc;

			stage(cs, "suite %s: base and candidate, %ld run%s each",
			      s->name, rep, rep == 1 ? "" : "s");
			rc = run_suite_local(cs, s, cs->ar.base, cs->ar.head, rep,
					     &cs->builds[0],
					     &cs->builds[cs->nbuilds - 1]);
			if (rc == CHECK_INTERRUPTED)
				return;
			suite_done(cs, i, rc ? CHECK_INFRA : 0);
		}
	}
}

/*
 * Every suite on base and tip of every ready cell as one Slurm
 * submission.  A base shared by several cells (same commit, config and
 * suite) is one request: its runs are recorded once and found by all.
 */
static void suites_slurm(struct check_state *st, size_t n)
{
	const struct check_opts *o = st[0].o;
	struct slurm_run *reqs;
	size_t k, i, nreq = 0, nmap = n * o->nsuites * 2, m;
	long *map = xcalloc(nmap, sizeof(long));
	int side, rc, interrupted = 0, failed = 0;

	reqs = xcalloc(nmap, sizeof(*reqs));
	for (m = 0; m < nmap; m++)
		map[m] = -1;
	for (k = 0; k < n; k++) {
		struct check_state *cs = &st[k];

		for (i = 0; cs->ready && i < o->nsuites; i++) {
			const struct suite *s = &o->suites[i];
			long rep = suite_repeat(o, s), need;

			stage(cs, "suite %s: base and candidate, %ld run%s each, "
			      "on slurm", s->name, rep, rep == 1 ? "" : "s");
			for (side = 0; side < 2; side++) {
				const char *commit = side ? cs->ar.head : cs->ar.base;
				size_t q;

				if (side_need(cs->ctx->db, s, side ?
					      &cs->builds[cs->nbuilds - 1] :
					      &cs->builds[0], rep, &need)) {
					cs->suite_rc[i] = CHECK_INFRA;
					continue;
				}
				if (!need)
					continue;
				for (q = 0; q < nreq; q++)
					if (reqs[q].suite == s &&
					    !strcmp(reqs[q].commit, commit) &&
					    !strcmp(reqs[q].config, cs->cell->config))
						break;
				if (q == nreq) {
					reqs[q].suite = s;
					reqs[q].tree = cs->repo;
					reqs[q].tree_name = cs->repo_name;
					reqs[q].commit = commit;
					reqs[q].config = cs->cell->config;
					nreq++;
				}
				if (reqs[q].repeat < need)
					reqs[q].repeat = need;
				map[(k * o->nsuites + i) * 2 + side] = (long)q;
			}
		}
	}
	if (nreq && slurm_run_suites(st[0].ctx, reqs, nreq, o->progress)) {
		failed = 1;
		interrupted = reqs[0].exit == 130;
	}
	for (k = 0; k < n && !interrupted; k++) {
		struct check_state *cs = &st[k];

		for (i = 0; cs->ready && i < o->nsuites; i++) {
			rc = cs->suite_rc[i];
			for (side = 0; side < 2; side++) {
				long q = map[(k * o->nsuites + i) * 2 + side];

				if (q < 0)
					continue;
				if (reqs[q].exit == 130)
					interrupted = 1;
				else if (failed || reqs[q].exit == 2 || reqs[q].exit == 3)
					rc = CHECK_INFRA;
			}
			if (!interrupted)
				suite_done(cs, i, rc);
		}
	}
	for (m = 0; m < nreq; m++)
		slurm_run_release(&reqs[m]);
	free(reqs);
	free(map);
}

/* Compare and record the verdict.  A cell whose suite could not run
 * ("done", infra-error) still gets "regression" when another suite has
 * one. */
static void finish(struct check_state *cs)
{
	struct check_cell *c = cs->cell;
	struct check_report rep;
	int regressions = 0, not_comparable = 0;
	int running = cs->status == CHECK_ST_RUNNING;
	size_t i;

	if (cs->ready && (running || cs->status == CHECK_ST_DONE)) {
		if (running) {
			cs->step = cs->steps - 1;
			stage(cs, "compare");
		}
		/* verdicts come from the same code the report uses */
		if (report_load(cs->ctx, c->id, &rep)) {
			if (running)
				set_outcome(cs, CHECK_ST_ERROR, "infra-error", CHECK_INFRA);
		} else {
			for (i = 0; i < rep.nsuites; i++) {
				regressions += rep.suites[i].regressions;
				if (!rep.suite_errors[i] && !rep.suites[i].comparable)
					not_comparable++;
			}
			check_report_release(&rep);
			if (regressions)
				set_outcome(cs, CHECK_ST_DONE, "regression", CHECK_REGRESSION);
			else if (running && not_comparable)
				set_outcome(cs, CHECK_ST_DONE, "not-comparable", CHECK_INFRA);
			else if (running)
				set_outcome(cs, CHECK_ST_DONE, "no-regression",
					    CHECK_NO_REGRESSION);
		}
	}
	finish_check(cs->ctx->db, c->id, check_status_name(cs->status), c->verdict,
		     c->exit);
}

static void state_release(struct check_state *cs)
{
	size_t i;

	if (cs->applied)
		apply_result_release(&cs->ar);
	if (cs->loaded)
		stored_series_release(&cs->ss);
	for (i = 0; i < cs->nbuilds; i++)
		kbuild_result_release(&cs->builds[i]);
	free(cs->builds);
	if (cs->fetched)
		fetch_result_release(&cs->fr);
	free(cs->suite_rc);
}

int check_run(struct pwb_ctx *ctx, const struct check_opts *o,
	      struct check_cell *cells, size_t n)
{
	struct check_state *st = NULL;
	char *repo = NULL, *repo_name = NULL;
	size_t k;
	int ret = -1;

	for (k = 0; k < n; k++) {
		cells[k].id = -1;
		cells[k].series_id = -1;
		cells[k].exit = CHECK_INFRA;
		cells[k].verdict = NULL;
	}
	reap_stale(ctx->db);
	if (tree_resolve(ctx->db, o->tree_arg, &repo, &repo_name))
		goto out;
	/* a --base that does not resolve is bad input, not a verdict */
	if (o->base_rev && tree_rev_commit(repo, o->base_rev, "--base", NULL))
		goto out;
	/* a cluster that does not answer: said before any work */
	if (o->slurm && slurm_check(ctx))
		goto out;
	st = xcalloc(n, sizeof(*st));
	for (k = 0; k < n; k++) {
		struct check_state *cs = &st[k];

		cs->ctx = ctx;
		cs->o = o;
		cs->cell = &cells[k];
		cs->repo = repo;
		cs->repo_name = repo_name;
		cs->steps = 4 + (int)o->nsuites;
		cs->status = CHECK_ST_RUNNING;
		cs->suite_rc = xcalloc(o->nsuites + 1, sizeof(int));
	}
	ret = 0;
	for (k = 0; k < n && !run_interrupted(); k++) {
		struct check_state *cs = &st[k];

		cs->t0 = time(NULL);
		if (intake(cs) ||
		    start_check(ctx->db, cells[k].source, repo, cells[k].config,
				o->repeat, &cells[k].id)) {
			cells[k].verdict = "infra-error";
			continue;
		}
		prepare(cs);
		if (cs->to_build && !o->slurm)
			builds_local(cs);
	}
	if (o->slurm && !run_interrupted())
		builds_slurm(st, n);
	if (!run_interrupted()) {
		if (o->slurm)
			suites_slurm(st, n);
		else
			suites_local(st, n);
	}
	for (k = 0; k < n; k++) {
		struct check_state *cs = &st[k];

		if (cells[k].id < 0) {
			if (run_interrupted())
				cells[k].exit = CHECK_INTERRUPTED;
			continue;
		}
		if (run_interrupted() && (cs->status == CHECK_ST_RUNNING ||
					  cs->ready))
			set_outcome(cs, CHECK_ST_INTERRUPTED, NULL, CHECK_INTERRUPTED);
		if (cs->status == CHECK_ST_INTERRUPTED)
			cs->cell->verdict = NULL;
		finish(cs);
	}
out:
	for (k = 0; st && k < n; k++)
		state_release(&st[k]);
	free(st);
	free(repo);
	free(repo_name);
	return ret;
}

int check_last_base(sqlite3 *db, long series_id, const char *repo_path,
		    char *hex)
{
	sqlite3_stmt *st;
	int rc;

	if (db_prepare(db, &st, "SELECT base_commit FROM checks WHERE "
		       "series_id = ? AND repo_path = ? AND base_commit IS NOT "
		       "NULL ORDER BY id DESC LIMIT 1"))
		return -1;
	sqlite3_bind_int64(st, 1, series_id);
	db_bind_text(st, 2, repo_path);
	rc = db_row(db, st, "find the base of the last check");
	if (rc > 0)
		snprintf(hex, 41, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return rc;
}

int check_load_suites(struct pwb_ctx *ctx, char **names, size_t nnames,
		      const char **config, struct suite **suites, size_t *n)
{
	char *datadir = pwb_datadir(ctx), **own = NULL;
	size_t nown = 0, i;
	int ret = -1;

	*suites = NULL;
	*n = 0;
	if (!nnames) {
		names = own = default_suites(ctx, datadir, &nown);
		nnames = nown;
	}
	if (!nnames) {
		error("no suites: none under %s/bench/suites and no --suite", datadir);
		goto out;
	}
	*suites = xcalloc(nnames, sizeof(**suites));
	for (i = 0; i < nnames; i++) {
		if (suite_load(datadir, names[i], &(*suites)[i]))
			goto out;
		(*n)++;
	}
	if (!*config) {
		*config = (*suites)[0].config;
		for (i = 1; i < *n; i++)
			if (strcmp((*suites)[i].config, *config)) {
				error("suites %s and %s need different configs "
				      "(%s, %s): give --config or check them "
				      "separately", (*suites)[0].name,
				      (*suites)[i].name, *config,
				      (*suites)[i].config);
				goto out;
			}
	}
	ret = 0;
out:
	for (i = 0; i < nown; i++)
		free(own[i]);
	free(own);
	free(datadir);
	return ret;
}

void check_suites_release(struct suite *suites, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		suite_release(&suites[i]);
	free(suites);
}
