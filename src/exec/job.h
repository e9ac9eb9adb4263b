/*
 * job: the expensive steps of pwb as jobs with explicit inputs and outputs,
 * so that they run the same in this process or anywhere else (Slurm).
 *
 *   build job  (tree path, commit, config)            -> a build row
 *   suite job  (tree path + commit, or a prebuilt kernel; suite; repeats)
 *                                                     -> boots, suite runs,
 *                                                        cases, metric samples
 *
 * job_execute() runs one on ctx->db: the main database for a local run
 * (pwb run), a bundle's own database for `pwb job run`.  A bundle is a
 * directory holding bundle.sqlite (a pwb database with only that job's
 * rows) and result.json (written last, by rename: no result.json, no
 * finished job).  job_import() merges a bundle into the main database in
 * one transaction; the job id makes a second import change nothing.
 *
 * Running a job is jobrun.h's (above the executor); this is the format
 * and the import, below it.
 *
 * Ownership: struct job_spec owns its strings (job_spec_release);
 * struct job_bundle its (job_bundle_release).
 */
#ifndef PWB_JOB_H
#define PWB_JOB_H

#include <sqlite3.h>
#include <stddef.h>

#include "ctx.h"
#include "exec/exec.h"
#include "kbuild.h"
#include "suite.h"
#include "suiterun.h"

#define JOB_SPEC_VERSION 1

struct job_spec {
	char *id;		/* unique: what makes an import idempotent */
	char *kind;		/* "build" or "suite" */
	char *datadir;		/* where bench/ is (absolute) */
	char *workdir;		/* core.workdir for checkouts, builds, artifacts */
	char *tree;		/* repository path (absolute), or NULL */
	char *tree_name;	/* its name where it was submitted: the job
				 * registers it, so that checkouts and build
				 * directories in a shared workdir are the
				 * submitter's own (NULL: keyed by path) */
	char *rev;		/* a commit id when tree is set */
	char *config;		/* config fragment name, or NULL (the suite's) */
	char *arch, *toolchain;	/* the build target, or NULL (x86_64, gcc) */
	char *kernel;		/* a prebuilt kernel instead of tree + rev */
	char *suite;		/* suite jobs */
	char *suite_hash;	/* the suite's files must hash to this, or NULL */
	char *after;		/* a build job's directory (its attempts a1,
				 * a2.. hold bundles): its result decides
				 * whether this job runs, its build is reused */
	int repeat_idx;		/* first repeat this job runs */
	int repeats;		/* how many */
	char **settings;	/* "key=value" config the job runs with */
	size_t nsettings;
};

void job_spec_release(struct job_spec *j);
/* Read and check a spec (every error names the file and the field). */
int job_spec_load(const char *path, struct job_spec *j);
int job_spec_write(const struct job_spec *j, const char *path);
/* A fresh random job id (32 hex digits; caller frees). */
char *job_new_id(void);

/* How a job ended, as its bundle and the jobs table say it. */
enum job_status {
	JOB_OK,			/* built; every run passed */
	JOB_FAILED,		/* a run failed (the kernel's doing) */
	JOB_NO_KERNEL,		/* no kernel to boot (outcome says whose
				 * fault: the code's, the machine's) */
	JOB_INFRA_ERROR,
	JOB_INTERRUPTED,
};
const char *job_status_name(enum job_status s);
/* 0, or -1 (quietly) for a string that is none of them */
int job_status_parse(const char *s, enum job_status *out);

struct job_result {
	enum job_status status;
	enum exec_status outcome;	/* the executor's: EXEC_DONE,
					 * EXEC_NO_KERNEL, EXEC_INFRA or
					 * EXEC_INTERRUPTED */
	long build_id;		/* -1: none */
};

/* A finished bundle's result.json (owned strings: job_bundle_release). */
struct job_bundle {
	char *id, *kind;
	enum job_status status;
	enum exec_status outcome;	/* as struct job_result's */
};
/* Write dir/result.json for a job that finished (atomically: it is what
 * says the bundle is whole): 0, or -1 said. */
int job_bundle_write_result(const char *dir, const char *job_id,
			    const char *kind, const struct job_result *r,
			    long seconds);
/* 0 when dir holds a finished bundle, -1 when not (nothing printed). */
int job_bundle_result(const char *dir, struct job_bundle *b);
void job_bundle_release(struct job_bundle *b);

/*
 * Merge bundle dir into db (one transaction).  *imported is 1 when rows
 * were added, 0 when the job was there already.  backend and attempts go
 * into the jobs row.  Returns 0, or -1 with the error printed.
 */
struct job_imported {
	long build_id;		/* the bundle's last build here, -1 none */
	long *runs;		/* suite_runs ids here, in the bundle's order */
	size_t nruns;
};
void job_imported_release(struct job_imported *ids);
int job_import(sqlite3 *db, const char *dir, const char *backend,
	       int attempts, int *imported, struct job_imported *ids);

/* The newest finished attempt (dir/a1, dir/a2, ...) of a job directory,
 * or NULL (caller frees). */
char *job_last_bundle(const char *dir, int *attempt);

/* A job that never finished (its node was lost, it was cancelled, it ran
 * out of time): a jobs row says so; idempotent on the job id. */
int job_record_unfinished(sqlite3 *db, const char *job_id, const char *kind,
			  const char *backend, int attempts, const char *bundle);

#endif
