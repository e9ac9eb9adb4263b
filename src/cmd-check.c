/*
 * pwb check SOURCE --tree T [--base REV] [--suite S]... [--repeat N]
 *           [--config C] [--json]
 *
 * From "a series on the list" to "merge it or not": intake, apply, build
 * the base and every patch (bisectability), run the suites on the base and
 * the tip (interleaved; runs already recorded for the same tree, config
 * and suite revision count and are not run again, so a rerun resumes),
 * compare, and print the report.  Exit 0 no regression, 1 regression,
 * 2 the series does not apply or a patch does not build, 3 could not check
 * (infrastructure, not comparable, bad arguments: never 1, which scripts
 * read as "regression"), 130 interrupted.
 */
#include "cmds.h"
#include "compare.h"
#include "db.h"
#include "kbuild.h"
#include "output.h"
#include "pipeline.h"
#include "report.h"
#include "slurm.h"
#include "suiterun.h"
#include "tree.h"
#include "util/run.h"
#include "util/util.h"

#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char usage[] =
	"usage: pwb check SOURCE --tree T [--base REV] [--suite S]... [--repeat N]\n"
	"                 [--config C] [--on local|slurm] [--json]\n"
	"\n"
	"SOURCE is what pwb fetch takes (message-id, lore URL, mbox file) or\n"
	"the id of a stored series.  Applies the series to tree T, builds the\n"
	"base and every patch, runs the suites (default: every suite under\n"
	"bench/suites, or config check.suites) on the base and on the last\n"
	"patch, compares and prints the report.  Exit 0 no regression,\n"
	"1 regression, 2 does not apply or build, 3 could not check\n"
	"(infrastructure, not comparable, or a bad SOURCE, suite or tree).\n"
	"--on slurm (config run.backend): the suites' builds and boots run as\n"
	"Slurm jobs; applying and the build of every patch stay here.\n";

#define EXIT_NOT_APPLIED 2
#define EXIT_INFRA 3
#define EXIT_INTERRUPTED 130

/* Checks left "running" by a pwb that is gone (kill -9, crash, reboot). */
static void reap_stale(sqlite3 *db)
{
	sqlite3_stmt *st;
	long ids[64];
	size_t n = 0, i;

	if (db_prepare(db, &st, "SELECT id, pid FROM checks WHERE status = 'running'"))
		return;
	while (sqlite3_step(st) == SQLITE_ROW && n < 64) {
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

struct check_state {
	struct pwb_ctx *ctx;
	long id;
	const char *tree_arg, *config;
	const char *repo;	/* the tree's path */
	const char *repo_name;	/* its registered name, or NULL */
	int slurm;		/* suites' boots as Slurm jobs */
	int progress;
	int step, steps;
	time_t t0;
};

static void stage(struct check_state *cs, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void stage(struct check_state *cs, const char *fmt, ...)
{
	va_list ap;

	cs->step++;
	if (!cs->progress)
		return;
	va_start(ap, fmt);
	fprintf(stderr, "pwb check %ld [%d/%d] %5.0fs ", cs->id, cs->step,
		cs->steps, difftime(time(NULL), cs->t0));
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

/* kbuild of one commit; -1 when pwb could not even try */
static int build_one(struct check_state *cs, const char *commit, int need_dir,
		     struct kbuild_result *br)
{
	struct kbuild_request q = { NULL, NULL, NULL, 0, 0, 0 };

	q.tree_arg = cs->tree_arg;
	q.rev = commit;
	q.config = cs->config;
	q.progress = cs->progress && isatty(2);	/* \r lines: terminals only */
	q.need_build_dir = need_dir;
	memset(br, 0, sizeof(*br));
	return kbuild(cs->ctx, &q, br);
}

/*
 * One suite: prepare what each side still needs, boot base and candidate
 * in turn until each side has `repeat` completed runs.  Returns 0, or
 * EXIT_INFRA / EXIT_INTERRUPTED / -1 (database).
 */
static int run_suite(struct check_state *cs, const struct suite *s,
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
	for (side = 0; side < 2; side++) {
		struct cmp_side cmp = { known[side]->tree, known[side]->config_hash };
		long *ids;
		size_t n;

		if (compare_find_runs(cs->ctx->db, s->name, s->hash, &cmp, &ids, &n)) {
			ret = -1;
			goto out;
		}
		free(ids);
		need[side] = repeat > (long)n ? repeat - (long)n : 0;
	}
	if (cs->slurm) {
		/* each side as a build job and an array of boots; the runs come
		 * back as rows, and the comparison finds them as local ones */
		for (side = 0; side < 2 && !ret; side++) {
			struct slurm_run sr;

			if (!need[side])
				continue;
			memset(&sr, 0, sizeof(sr));
			sr.tree = cs->repo;
			sr.tree_name = cs->repo_name;
			sr.commit = commits[side];
			sr.config = cs->config;
			sr.repeat = need[side];
			sr.progress = cs->progress;
			if (cs->progress)
				fprintf(stderr, "pwb check %ld   %s %s: %ld run%s on slurm\n",
					cs->id, s->name, side ? "candidate" : "base",
					need[side], need[side] == 1 ? "" : "s");
			if (slurm_run_suite(cs->ctx, s, &sr))
				ret = sr.exit == 130 ? EXIT_INTERRUPTED : EXIT_INFRA;
			else if (sr.exit == 130)
				ret = EXIT_INTERRUPTED;
			else if (sr.exit == 2 || sr.exit == 3)
				ret = EXIT_INFRA;
			slurm_run_release(&sr);
		}
		goto out;
	}
	for (side = 0; side < 2; side++) {
		if (!need[side])
			continue;
		/* the build directory must hold this side for the module */
		if (build_one(cs, commits[side], 1, &br[side])) {
			ret = run_interrupted() ? EXIT_INTERRUPTED : EXIT_INFRA;
			goto out;
		}
		built[side] = 1;
		if (strcmp(br[side].status, "ok")) {
			ret = EXIT_INFRA;
			goto out;
		}
		if (suite_prepare(s, &br[side], &prep[side])) {
			long id;

			error("suite %s does not build against %.12s: %.300s",
			      s->name, br[side].commit, prep[side].why);
			suite_record_infra(cs->ctx->db, s, br[side].id, prep[side].why, &id);
			ret = EXIT_INFRA;
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
			if (cs->progress)
				fprintf(stderr, "pwb check %ld   %s %s run %ld/%ld\n",
					cs->id, s->name, side ? "candidate" : "base",
					repeat - need[side] + r + 1, repeat);
			if (suite_boot(cs->ctx->db, s, &br[side], &prep[side], qemu,
				       (int)r, &o)) {
				suite_outcome_release(&o);
				ret = -1;
				goto out;
			}
			if (o.verdict == SUITE_INTERRUPTED)
				ret = EXIT_INTERRUPTED;
			else if (o.verdict == SUITE_INFRA)
				ret = EXIT_INFRA;
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

int cmd_check(int argc, char **argv, struct pwb_ctx *ctx)
{
	static const struct option longopts[] = {
		{ "tree", required_argument, NULL, 't' },
		{ "base", required_argument, NULL, 'b' },
		{ "suite", required_argument, NULL, 's' },
		{ "repeat", required_argument, NULL, 'n' },
		{ "config", required_argument, NULL, 'c' },
		{ "on", required_argument, NULL, 'o' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct check_state cs;
	struct fetch_opts fo = { NULL, 0, 0, MBOX_AUTO };
	struct fetch_result fr;
	struct stored_series ss;
	struct apply_result ar;
	struct kbuild_result *builds = NULL;
	struct suite *suites = NULL;
	char **names = NULL, *datadir = NULL, *repo = NULL, *repo_name = NULL;
	const char *source, *base_rev = NULL, *verdict = NULL, *status = "done";
	size_t nnames = 0, nsuites = 0, nbuilds = 0, i;
	long repeat = 0, v, sid = -1, apply_id = -1;
	int c, json = 0, ret = EXIT_INFRA, applied = 0, loaded_series = 0;
	int any_build_fail = 0, regressions = 0, fetched = 0, not_comparable = 0;
	int on_given = 0;

	memset(&cs, 0, sizeof(cs));
	memset(&fr, 0, sizeof(fr));
	cs.ctx = ctx;
	optind = 0;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 't': cs.tree_arg = optarg; break;
		case 'b': base_rev = optarg; break;
		case 's':
			names = xrealloc(names, (nnames + 1) * sizeof(char *));
			names[nnames++] = xstrdup(optarg);
			break;
		case 'n':
			if (parse_long(optarg, &v) || v < 1 || v > 1000) {
				ret = usage_error(usage, "--repeat takes 1..1000");
				goto out_args;
			}
			repeat = v;
			break;
		case 'c': cs.config = optarg; break;
		case 'o':
			if (strcmp(optarg, "local") && strcmp(optarg, "slurm")) {
				ret = usage_error(usage, "--on %s: local or slurm", optarg);
				goto out_args;
			}
			cs.slurm = !strcmp(optarg, "slurm");
			on_given = 1;
			break;
		case 'j': json = 1; break;
		case 'h': ret = usage_help(usage); goto out_args;
		default: ret = usage_error(usage, "bad option"); goto out_args;
		}
	}
	if (optind != argc - 1 || !cs.tree_arg) {
		ret = usage_error(usage, "check takes one SOURCE and --tree");
		goto out_args;
	}
	source = argv[optind];
	if (!on_given) {
		char *b = ctx_config_get(ctx, "run.backend");

		if (b && strcmp(b, "local") && strcmp(b, "slurm")) {
			error("run.backend = %s: local or slurm", b);
			free(b);
			goto out_args;
		}
		cs.slurm = b && !strcmp(b, "slurm");
		free(b);
	}
	run_install_signal_handlers();
	reap_stale(ctx->db);

	/* everything that can be wrong with the arguments, before any work */
	datadir = pwb_datadir(ctx);
	if (!nnames)
		names = default_suites(ctx, datadir, &nnames);
	if (!nnames) {
		error("no suites: none under %s/bench/suites and no --suite", datadir);
		ret = EXIT_INFRA;
		goto out_args;
	}
	suites = xcalloc(nnames, sizeof(*suites));
	for (i = 0; i < nnames; i++) {
		if (suite_load(datadir, names[i], &suites[i])) {
			ret = EXIT_INFRA;
			goto out_args;
		}
		nsuites++;
	}
	if (!cs.config)
		cs.config = suites[0].config;
	for (i = 1; i < nsuites; i++)
		if (strcmp(suites[i].config, cs.config)) {
			error("suites %s and %s need different configs (%s, %s): "
			      "check them separately", suites[0].name,
			      suites[i].name, suites[0].config, suites[i].config);
			ret = EXIT_INFRA;
			goto out_args;
		}
	if (tree_resolve(ctx->db, cs.tree_arg, &repo, &repo_name)) {
		ret = EXIT_INFRA;
		goto out_args;
	}
	cs.repo = repo;
	cs.repo_name = repo_name;
	/* a cluster that does not answer: said before any work */
	if (cs.slurm && slurm_check(ctx)) {
		ret = EXIT_INFRA;
		goto out_args;
	}
	if (start_check(ctx->db, source, repo, cs.config, repeat, &cs.id)) {
		ret = EXIT_INFRA;
		goto out_args;
	}
	/* PWB_PROGRESS=1: stage lines also when stderr is not a terminal */
	cs.progress = (!json && isatty(2)) || (getenv("PWB_PROGRESS") &&
					       !strcmp(getenv("PWB_PROGRESS"), "1"));
	cs.steps = 4 + (int)nsuites;
	cs.t0 = time(NULL);

	/* 1. intake: a stored series id, or anything pwb fetch takes */
	stage(&cs, "intake %s", source);
	if (!parse_long(source, &sid)) {
		if (store_load_series(ctx->db, sid, &ss)) {
			verdict = "infra-error";
			status = "error";
			ret = EXIT_INFRA;
			goto done;
		}
		stored_series_release(&ss);
	} else {
		if (fetch_source(ctx, source, &fo, &fr)) {
			verdict = "infra-error";
			status = "error";
			ret = EXIT_INFRA;
			goto done;
		}
		fetched = 1;
		sid = fr.series_id;
	}
	{
		sqlite3_stmt *st;

		if (!db_prepare(ctx->db, &st, "UPDATE checks SET series_id = ? WHERE id = ?")) {
			sqlite3_bind_int64(st, 1, sid);
			sqlite3_bind_int64(st, 2, cs.id);
			sqlite3_step(st);
			sqlite3_finalize(st);
		}
	}

	/* 2. apply */
	stage(&cs, "apply series %ld to %s", sid, cs.tree_arg);
	if (apply_to_tree(ctx, sid, cs.tree_arg, base_rev, &ss, &ar, &apply_id)) {
		/* no base, an incomplete series: it cannot be applied */
		verdict = "does-not-apply";
		ret = EXIT_NOT_APPLIED;
		goto done;
	}
	applied = loaded_series = 1;
	{
		sqlite3_stmt *st;

		if (!db_prepare(ctx->db, &st, "UPDATE checks SET apply_id = ?, "
				"base_commit = ?, tip_commit = ? WHERE id = ?")) {
			sqlite3_bind_int64(st, 1, apply_id);
			db_bind_text(st, 2, ar.base);
			if (ar.ok)
				db_bind_text(st, 3, ar.head);
			sqlite3_bind_int64(st, 4, cs.id);
			sqlite3_step(st);
			sqlite3_finalize(st);
		}
	}
	if (!ar.ok) {
		for (i = 0; i < ar.npatches; i++)
			if (ar.patches[i].status == PR_FAILED)
				error("patch %d/%zu does not apply: %s", ar.patches[i].idx,
				      ar.npatches, ar.patches[i].error);
		verdict = "does-not-apply";
		ret = EXIT_NOT_APPLIED;
		goto done;
	}

	/* 3. build the base and every patch */
	stage(&cs, "build the base and %zu patch%s", ar.npatches,
	      ar.npatches == 1 ? "" : "es");
	builds = xcalloc(ar.npatches + 1, sizeof(*builds));
	for (i = 0; i <= ar.npatches; i++) {
		const char *commit = i ? ar.patches[i - 1].commit : ar.base;

		if (build_one(&cs, commit, 0, &builds[i])) {
			ret = run_interrupted() ? EXIT_INTERRUPTED : EXIT_INFRA;
			status = run_interrupted() ? "interrupted" : "error";
			verdict = run_interrupted() ? NULL : "infra-error";
			goto done;
		}
		nbuilds++;
		record_build(ctx->db, cs.id, (int)i, commit, builds[i].id,
			     builds[i].status);
		if (!strcmp(builds[i].status, "interrupted")) {
			ret = EXIT_INTERRUPTED;
			status = "interrupted";
			goto done;
		}
		if (strcmp(builds[i].status, "ok")) {
			if (build_exit_status(&builds[i]) == EXIT_INFRA) {
				verdict = "infra-error";
				ret = EXIT_INFRA;
				goto done;
			}
			if (!i) {
				error("the base %.12s does not build: %s", commit,
				      builds[i].error ? builds[i].error : builds[i].status);
				verdict = "infra-error";
				ret = EXIT_INFRA;
				goto done;
			}
			any_build_fail = 1;
		}
	}
	if (any_build_fail) {
		verdict = "does-not-build";
		ret = EXIT_NOT_APPLIED;
		goto done;
	}

	/* 4. the suites on the base and the tip */
	for (i = 0; i < nsuites; i++) {
		int rc;

		long rep = repeat ? repeat : suites[i].repeat;

		stage(&cs, "suite %s: base and candidate, %ld run%s each",
		      suites[i].name, rep, rep == 1 ? "" : "s");
		rc = run_suite(&cs, &suites[i], ar.base, ar.head, rep,
			       &builds[0], &builds[nbuilds - 1]);
		if (rc == EXIT_INTERRUPTED) {
			ret = EXIT_INTERRUPTED;
			status = "interrupted";
			goto done;
		}
		record_suite(ctx->db, cs.id, &suites[i], builds[0].tree,
			     builds[nbuilds - 1].tree,
			     rc ? "infra-error" : "compared",
			     rc ? "the suite could not run (see the errors above)" : NULL);
		if (rc) {
			verdict = "infra-error";
			ret = EXIT_INFRA;
		}
	}

	/* 5. compare */
	stage(&cs, "compare");
	cs.step = cs.steps - 1;
	{
		struct check_report rep;

		/* verdicts come from the same code the report uses */
		if (report_load(ctx, cs.id, &rep)) {
			ret = EXIT_INFRA;
			status = "error";
			goto done;
		}
		for (i = 0; i < rep.nsuites; i++) {
			regressions += rep.suites[i].regressions;
			if (!rep.suite_errors[i] && !rep.suites[i].comparable)
				not_comparable++;
		}
		check_report_release(&rep);
	}
	if (regressions) {
		verdict = "regression";
		ret = 1;
	} else if (!verdict && not_comparable) {
		verdict = "not-comparable";
		ret = EXIT_INFRA;
	} else if (!verdict) {
		verdict = "no-regression";
		ret = EXIT_OK;
	}
done:
	if (!strcmp(status, "interrupted"))
		verdict = NULL;
	finish_check(ctx->db, cs.id, status, verdict, ret);
	if (strcmp(status, "interrupted") || json) {
		struct check_report rep;

		if (!report_load(ctx, cs.id, &rep)) {
			if (json) {
				json_t *j = report_json(&rep);

				json_print(j);
				json_decref(j);
			} else {
				report_text(stdout, &rep, isatty(1));
			}
			check_report_release(&rep);
		}
	} else {
		notice("check %ld interrupted; run the same command again to resume",
		       cs.id);
	}
	if (applied)
		apply_result_release(&ar);
	if (loaded_series)
		stored_series_release(&ss);
	for (i = 0; i < nbuilds; i++)
		kbuild_result_release(&builds[i]);
	free(builds);
	if (fetched)
		fetch_result_release(&fr);
out_args:
	for (i = 0; i < nsuites; i++)
		suite_release(&suites[i]);
	free(suites);
	for (i = 0; i < nnames; i++)
		free(names[i]);
	free(names);
	free(datadir);
	free(repo);
	free(repo_name);
	return ret;
}
