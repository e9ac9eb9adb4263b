/*
 * checkdb: the owner of the checks, check_builds and check_suites tables.
 * pwb check records a check through it (start, the series and the apply,
 * each build, each suite, the verdict); everything that shows a check
 * loads it here into a struct check_report (check_report_load), which
 * holds the comparison of every suite recomputed from the runs stored
 * (compare.h).  The presentations are report.h's, the exports kcidb.h's
 * and b4check.h's.
 *
 * struct check_report owns everything in it (check_report_release).
 */
#ifndef PWB_CHECKDB_H
#define PWB_CHECKDB_H

#include <sqlite3.h>

#include "apply.h"
#include "compare.h"
#include "ctx.h"
#include "kbuild.h"
#include "patchcheck.h"
#include "store.h"
#include "suite.h"
#include "verdict.h"

/* ---- recording a check ------------------------------------------------ */

/* Checks left running by a pwb that is gone (kill -9, crash, reboot):
 * marked interrupted, each said. */
void checkdb_reap_stale(sqlite3 *db);

/* A new checks row, running, of this process: 0 with *id, -1 (said). */
int checkdb_start(sqlite3 *db, const char *source, const char *repo,
		  const char *config, long repeat, const char *arch,
		  const char *compiler, long *id);
int checkdb_set_series(sqlite3 *db, long id, long series_id);
/* why the check could not start its work ("no base: ..."), one line */
int checkdb_set_error(sqlite3 *db, long id, const char *why);
/* tip NULL: the series did not apply */
int checkdb_set_applied(sqlite3 *db, long id, long apply_id, const char *base,
			const char *tip);
int checkdb_record_build(sqlite3 *db, long check, int idx, const char *commit,
			 long build_id, const char *status);
/* One of the checks run on patch c->idx (patchcheck.h). */
int checkdb_record_patch_check(sqlite3 *db, long check,
			       const struct patch_check *c);
/* err: why it was not compared (CHECK_SUITE_INFRA_ERROR) */
int checkdb_record_suite(sqlite3 *db, long check, const struct suite *s,
			 const char *bt, const char *ct,
			 enum check_suite_status status, const char *err);
int checkdb_finish(sqlite3 *db, long id, enum check_status status,
		   enum check_verdict verdict);

/* The newest check of series_id: 1 with *id, 0 none, -1 database (said). */
int check_newest_of_series(sqlite3 *db, long series_id, long *id);

/*
 * The base the newest check of series_id on repo_path applied it to,
 * into hex (41 bytes): 1 found, 0 no such check, -1 database (said).
 */
int check_last_base(sqlite3 *db, long series_id, const char *repo_path,
		    char *hex);

/* ---- loading a check -------------------------------------------------- */

struct report_build {
	int idx;		/* 0 the base, N patch N */
	enum apply_strategy apply_strategy;	/* patches; STRAT_NONE the base */
	/* kbuild_load's, every builds row is read by kbuild.c; a patch the
	 * check did not build has no builds row: build.id 0, its commit and
	 * status the check's */
	struct kbuild_result build;
};

struct check_report {
	long id;
	char *source, *repo_path, *config_name;
	enum check_status status;
	enum check_verdict verdict;
	char *arch, *compiler;	/* the target the cell was built for */
	char *base_commit, *tip_commit;
	char *base_rule, *base_why;	/* the apply's (base.h), or NULL */
	int failed_idx;		/* the patch that did not apply, or 0 */
	char *failed_error;	/* its file, hunk and why */
	char *error;		/* why the check could not start its work
				 * ("no base: ..."), or NULL */
	int repeat;
	long started_at, finished_at;
	int have_series;
	struct stored_series series;
	struct report_build *builds;
	size_t nbuilds;
	struct patch_check *pchecks;	/* by patch, then kind */
	size_t npchecks;
	struct suite_cmp *suites;
	size_t nsuites;
	char **suite_errors;	/* per suite: why it was not compared */
	/* for the reply: who the series went to (store.h's
	 * store_series_recipients) and who reports ("pwb <EMAIL>", the
	 * address user.email; NULL without one) */
	char **recipients;
	size_t nrecipients;
	char *reporter;
};

/* 0, or -1 (said: no such check, the database) with r released */
int check_report_load(struct pwb_ctx *ctx, long check_id,
		      struct check_report *r);
void check_report_release(struct check_report *r);

/* The check id for "CHECK" (a number) or the newest check of SERIES;
 * arg NULL: the newest check of all ("no checks yet" when none). */
int check_report_find(struct pwb_ctx *ctx, const char *arg, long *id);
/* The newest check of SERIES, a number being a series id (pwb report
 * --series N, series:N); -1 said. */
int check_report_find_series(struct pwb_ctx *ctx, const char *arg, long *id);
/* 1 when a series with id n is stored, 0 when not, -1 (said). */
int check_report_series_exists(struct pwb_ctx *ctx, long n);

#endif
