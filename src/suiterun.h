/*
 * suiterun: one suite on one built kernel.  suite_prepare() builds the
 * suite's module and programs against the build and writes the initramfs
 * into a private temporary directory; suite_boot() boots it once and
 * records the boot, the run and its results (KTAP cases or metric samples)
 * in the database.  pwb run, and the commands that compare kernels, loop
 * over suite_boot().
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
};

/*
 * 0 ready; -1 the suite does not build against br (p->why says why; the
 * caller records it as an infrastructure error of the suite) or the
 * initramfs could not be written.
 */
int suite_prepare(const struct suite *s, const struct kbuild_result *br,
		  struct suite_prep *p);
void suite_prep_release(struct suite_prep *p);

enum suite_verdict {
	SUITE_PASSED,		/* every case passed / the benchmark ran */
	SUITE_FAILED,		/* a case failed, the kernel failed, timeout */
	SUITE_INFRA,		/* not the kernel's fault */
	SUITE_INTERRUPTED,
};

struct suite_outcome {
	long run_id, boot_id;
	const char *status;	/* passed, failed, kernel-failure, timeout,
				 * infra-error, interrupted (static) */
	enum suite_verdict verdict;
	char *error;
	int have_ktap;
	struct ktap ktap;
	struct metrics metrics;
	struct boot_result boot;
};

/* Boot once (repeat number idx), record everything; 0 or -1 (database). */
int suite_boot(sqlite3 *db, const struct suite *s,
	       const struct kbuild_result *br, const struct suite_prep *p,
	       const char *qemu, int idx, struct suite_outcome *o);
/*
 * The rest of suite_boot, for a boot that already happened (o zeroed but
 * for o->boot, which it takes over): the boot, the suite's results and
 * the run recorded as suite_boot records them.  0 or -1 (database).
 */
int suite_boot_record(sqlite3 *db, const struct suite *s, long build_id,
		      const struct qemu_opts *qo, int idx,
		      struct suite_outcome *o);
void suite_outcome_release(struct suite_outcome *o);

/* One recorded run as pwb run --json shows it (docs/cli.md): run, boot,
 * status, seconds, error, cases, metrics, findings.  Caller decrefs. */
struct json_t;
struct json_t *suite_run_json(sqlite3 *db, long run);

/* A run the suite could not even start (its build failed): recorded. */
int suite_record_infra(sqlite3 *db, const struct suite *s, long build_id,
		       const char *why, long *run_id);

#endif
