/*
 * suiterun: one suite on one built kernel.  suite_prepare() builds the
 * suite's module and programs against the build and writes the initramfs
 * into a private temporary directory; a boot of it (qemu_boot with
 * suite_boot_opts) is recorded by suite_boot_record(): the boot, the run
 * and its results (KTAP cases or metric samples).  The executor (exec.h)
 * runs the boots, several side by side.
 *
 * struct suite_prep owns its temporary directory (removed by
 * suite_prep_release); struct suite_outcome owns its results
 * (suite_outcome_release).
 */
#ifndef PWB_SUITERUN_H
#define PWB_SUITERUN_H

#include <sqlite3.h>

#include "kbuild.h"
#include "ktap.h"
#include "metrics.h"
#include "qemu.h"
#include "suite.h"

struct suite_prep {
	char dir[4096];		/* the temporary directory, "" when none */
	char initrd[4200];
	char *why;		/* what failed, when suite_prepare failed */
	char *tests_from;	/* kselftest: "tools/testing/selftests/mm at
				 * COMMIT", the tests the boots run */
	long recordings;	/* the recorded backend: consoles there */
};

/*
 * 0 ready; -1 the suite does not build against br (p->why says why; the
 * caller records it as an infrastructure error of the suite) or the
 * initramfs could not be written.
 */
int suite_prepare(const struct suite *s, const struct kbuild_result *br,
		  struct suite_prep *p);
void suite_prep_release(struct suite_prep *p);

/* A run's status (docs/design.md, Suites); suite_runs and JSON keep
 * suite_run_status_name(). */
enum suite_run_status {
	SUITE_RUN_PASSED,
	SUITE_RUN_FAILED,		/* a case failed; a benchmark: its
					 * program exited non-zero */
	SUITE_RUN_KERNEL_FAILURE,	/* triage */
	SUITE_RUN_TIMEOUT,
	SUITE_RUN_INFRA_ERROR,		/* never the kernel's fault */
	SUITE_RUN_INTERRUPTED,
};
/* "?" for none of them */
const char *suite_run_status_name(enum suite_run_status s);
/* 0 with *out, -1 (quietly, *out untouched) for a string that is none */
int suite_run_status_parse(const char *s, enum suite_run_status *out);

enum suite_verdict {
	SUITE_PASSED,		/* every case passed / the benchmark ran */
	SUITE_FAILED,		/* a case failed, the kernel failed, timeout */
	SUITE_INFRA,		/* not the kernel's fault */
	SUITE_INTERRUPTED,
};

struct suite_outcome {
	long run_id, boot_id;
	enum suite_run_status status;
	enum suite_verdict verdict;
	char *error;
	const char *tests_from;	/* in (borrowed, may be NULL): recorded */
	int have_ktap;
	struct ktap ktap;
	struct metrics metrics;
	struct boot_result boot;
};

/* The QEMU options of a boot of s on br (prep's initramfs; qemu: NULL,
 * the arch's).  qo borrows from its arguments. */
void suite_boot_opts(const struct suite *s, const struct kbuild_result *br,
		     const struct suite_prep *p, const char *qemu,
		     struct qemu_opts *qo);
/*
 * A boot that happened (qemu_boot or qemu_replay with suite_boot_opts; o
 * zeroed but for o->boot, which it takes over): the boot, the suite's
 * results and the run recorded.  0 or -1 (database).
 */
int suite_boot_record(sqlite3 *db, const struct suite *s, long build_id,
		      const struct qemu_opts *qo, int idx,
		      struct suite_outcome *o);
void suite_outcome_release(struct suite_outcome *o);

/* A case of a recorded run. */
struct run_case {
	char *name;
	enum ktap_status status;
	char *directive;	/* "SKIP why", or NULL */
	char *diag;		/* never NULL ("" when none) */
};

/*
 * A recorded run as its rows say (suite_run_load): what pwb run prints
 * (text and JSON, output.h) and what the check's exports (KCIDB) read.
 * Owns everything in it (suite_run_view_release).
 */
struct suite_run_view {
	long id;
	long boot_id;		/* 0: no boot (an infra-error before one) */
	enum suite_run_status status;
	double seconds;		/* the boot's; < 0 without a boot */
	char *error;		/* NULL when none */
	struct run_case *cases;
	size_t ncases;
	struct metrics metrics;	/* the samples, in the order recorded */
	struct finding *findings;	/* the boot's (bootdb.h) */
	size_t nfindings;
};

/* 0; -1 (said) no such run, a status that is not pwb's, the database;
 * v is released on failure. */
int suite_run_load(sqlite3 *db, long run, struct suite_run_view *v);
void suite_run_view_release(struct suite_run_view *v);

/* A run the suite could not even start (its build failed): recorded. */
int suite_record_infra(sqlite3 *db, const struct suite *s, long build_id,
		       const char *why, long *run_id);

#endif
