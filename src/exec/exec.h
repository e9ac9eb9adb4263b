/*
 * exec: the one executor of pwb's expensive steps, with its backends
 * behind one interface (kunit_tool's LinuxSourceTreeOperations, curl's
 * struct Curl_ssl).  pwb check, matrix, bisect and run, and `pwb job run`
 * on a cluster node, hand it requests:
 *
 *   build request   (tree + commit, config)            -> a builds row
 *   suite request   (tree + commit or a prebuilt kernel, suite, repeat)
 *                   -> the build, the suite built against it, `repeat`
 *                      boots, each recorded (suiterun.h)
 *
 * A batch of requests is one call.  The executor builds what each
 * request needs, then boots the requests of the batch in rounds (base,
 * candidate, base, candidate...), up to boot.parallel boots of a round
 * side by side, so that drift over time and the machine's load hit every
 * side alike.  With `reuse`, runs the database already holds for the same
 * tree, config and suite revision count towards `repeat`, and a kernel
 * built before is not built again.
 *
 * Backends:
 *   local     kbuild here, QEMU here;
 *   slurm     the batch as Slurm job arrays (slurm.h), results imported;
 *   recorded  no compiler, no QEMU: each commit's tree carries the results
 *             a real kernel would have given (.pwb-recorded/, see
 *             docs/design.md), replayed through the same triage, KTAP and
 *             metric parsers and the same records as a real boot.  For
 *             the fast tests of check verdicts and bisection.
 *
 * Ownership: a request's inputs are borrowed (they must outlive exec_run);
 * its outputs (runs, why) are owned by the request (exec_request_release).
 */
#ifndef PWB_EXEC_H
#define PWB_EXEC_H

#include <stddef.h>

#include "ctx.h"
#include "kbuild.h"
#include "suite.h"
#include "suiterun.h"

enum exec_backend {
	EXEC_LOCAL,
	EXEC_SLURM,
	EXEC_RECORDED,
};
const char *exec_backend_name(enum exec_backend b);
/* "local", "slurm", "recorded": 0, or -1 (nothing said). */
int exec_backend_parse(const char *s, enum exec_backend *b);
/* --on OPT, else config run.backend, else local; -1 said. */
int exec_backend_get(struct pwb_ctx *ctx, const char *opt,
		     enum exec_backend *b);

/* How one request ended. */
enum exec_status {
	EXEC_PENDING,		/* not run (yet) */
	EXEC_DONE,		/* built; a suite request's runs are in (each
				 * passed or failed: any_fail) */
	EXEC_NO_KERNEL,		/* the kernel does not build or configure:
				 * a result about the code */
	EXEC_INFRA,		/* not the code's fault: the build's
				 * infra-error or timeout, a suite that does
				 * not build against it, a boot's infra-error,
				 * a job that did not come back */
	EXEC_ERROR,		/* pwb could not try: database, checkout,
				 * cluster */
	EXEC_INTERRUPTED,
	EXEC_SKIPPED,		/* the request it comes after did not build */
};
const char *exec_status_name(enum exec_status s);
/* 0, or -1 (quietly) for a string that is none of them */
int exec_status_parse(const char *s, enum exec_status *out);

struct exec_request {
	/* in (borrowed) */
	const struct suite *suite;	/* NULL: a build request */
	const char *tree;	/* repository path (absolute), or NULL */
	const char *tree_name;	/* its registered name, or NULL */
	const char *commit;	/* with tree: a commit id */
	const char *kernel;	/* a prebuilt kernel instead (no module) */
	const char *config;	/* config name; NULL: the suite's (a suite's
				 * "qemu-x86_64" is the arch's default) */
	const char *arch;	/* arch.h names; NULL: x86_64 */
	const char *toolchain;	/* gcc, clang; NULL: gcc */
	long repeat;		/* boots (suite requests) */
	long first_idx;		/* repeat number of the first boot */
	int reuse;		/* recorded runs count towards repeat */
	size_t after;		/* 0: none; k: request k-1 of the batch must
				 * build first (here only: a cluster builds
				 * every commit at once) */
	const char *label;	/* "base", "candidate": progress lines */
	/* out (owned) */
	enum exec_status status;
	long build_id;		/* -1: no build row */
	long *runs;		/* suite_runs ids made here, repeat order */
	size_t nruns;
	long had;		/* with reuse: runs recorded before */
	int no_kernel;		/* the build gave no kernel (status says
				 * whose fault: NO_KERNEL, INFRA...) */
	int any_fail;		/* a run failed (the kernel's doing) */
	int worked;		/* built or booted anything new */
	char *why;		/* EXEC_INFRA / EXEC_ERROR: what, or NULL */
};

/* The config q builds with: its own, else its suite's, a default config
 * following the arch; NULL when neither says (kbuild: the arch's). */
const char *exec_request_config(const struct exec_request *q);

/* The request as zeroed inputs and pending outputs. */
void exec_request_init(struct exec_request *q);
void exec_request_release(struct exec_request *q);

struct executor;

/*
 * Called before each boot (run_id -1, o NULL) and after it (its run; o
 * is the outcome when the boot ran in this process, NULL when its results
 * were imported).  nth counts from 1 up to of (runs recorded before
 * included with reuse).
 */
typedef void (*exec_boot_fn)(void *ud, const struct exec_request *q,
			     long nth, long of, long run_id,
			     const struct suite_outcome *o);

/*
 * A cluster backend at work, for the caller to show: what it submitted,
 * then the jobs running and pending each time it looks (every slurm.poll
 * seconds) while it waits, then that it stopped waiting.  The strings are
 * valid during the call only.
 */
enum exec_cluster_kind {
	EXEC_CLUSTER_SUBMITTED,
	EXEC_CLUSTER_QUEUE,
	EXEC_CLUSTER_DONE,	/* not after an interrupt while asleep */
};

struct exec_cluster_event {
	enum exec_cluster_kind kind;
	size_t build_jobs, boot_jobs;	/* SUBMITTED */
	const char *batch;		/* SUBMITTED: the batch directory */
	const char *ids;		/* QUEUE: the job ids waited for */
	int running, pending;		/* QUEUE */
};

typedef void (*exec_cluster_fn)(void *ud, const struct exec_cluster_event *ev);

struct exec_ops;

/* One boot in flight: what a backend's boot step fills (it touches no
 * database and may run beside other boots); the driver records it. */
struct exec_boot {
	struct qemu_opts qo;	/* as booted (the boots row keeps them) */
	struct boot_result boot;
	char *own;		/* a string qo points to, or NULL */
};

struct executor {
	struct pwb_ctx *ctx;
	enum exec_backend backend;
	exec_cluster_fn cluster_progress;	/* NULL: none */
	void *cluster_progress_ud;
	kbuild_progress_fn build_progress;	/* local builds (NULL: none) */
	void *build_progress_ud;
	int keep_going;		/* boot every repeat even after an
				 * infrastructure error (pwb run); otherwise
				 * the batch stops at the first */
	long parallel;		/* boots side by side (exec_parallel; 0 not
				 * read yet, 1 one at a time) */
	exec_boot_fn on_boot;	/* may be NULL */
	void *ud;
	/* private */
	const struct exec_ops *ops;
	char *qemu;		/* config boot.qemu during exec_run */
};

void executor_init(struct executor *e, struct pwb_ctx *ctx,
		   enum exec_backend backend);
/* Whether a batch is better all at once (a cluster) than piece by piece. */
int exec_batches(const struct executor *e);
/* How many boots it runs side by side (config boot.parallel, read once;
 * -1 when its value is bad, said). */
long exec_parallel(struct executor *e);
/* ", on slurm" / "" for stage lines. */
const char *exec_where(const struct executor *e);
/* The backend can run (the cluster answers...): 0, or -1 said. */
int exec_check(struct executor *e);

/*
 * Run the batch q[0..n-1]: every request's status says how it ended.
 * Returns 0, or -1 when the database failed (the requests not finished
 * are EXEC_ERROR).  An interrupt leaves the rest EXEC_INTERRUPTED.
 */
int exec_run(struct executor *e, struct exec_request *q, size_t n);

#endif
