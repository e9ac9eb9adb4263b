/*
 * What a backend of the executor implements (curl's vtls_int.h beside
 * vtls.h): exec.c's table of backends, and the fake one of the driver's
 * unit test (tests/unit/test-exec.c).  Commands use exec.h only.
 */
#ifndef PWB_EXEC_BACKEND_H
#define PWB_EXEC_BACKEND_H

#include "exec/exec.h"

/*
 * A backend.  One that runs a batch itself (a cluster) sets run; the
 * others give the three steps of one request and share the driver
 * (exec.c's here()).
 */
struct exec_ops {
	const char *name;
	const char *where;	/* for stage lines */
	int batches;		/* a batch is cheaper all at once */
	int (*check)(struct executor *e);
	int (*run)(struct executor *e, struct exec_request *q, size_t n);
	/* 0 when a result was recorded (br->status), -1 could not try */
	int (*build)(struct executor *e, const struct exec_request *q,
		     int need_dir, struct kbuild_result *br);
	/* 0 ready, -1 p->why says why the suite cannot run on br */
	int (*prepare)(struct executor *e, const struct exec_request *q,
		       const struct kbuild_result *br, struct suite_prep *p);
	/* one boot into b, not recorded: no database, no config reads (it
	 * may run in a thread beside others) */
	void (*boot)(struct executor *e, const struct exec_request *q,
		     const struct kbuild_result *br, const struct suite_prep *p,
		     int idx, struct exec_boot *b);
};

/* executor_init with a backend of one's own (ops borrowed: it must
 * outlive e); backend is what e->backend says. */
void executor_init_ops(struct executor *e, struct pwb_ctx *ctx,
		       enum exec_backend backend, const struct exec_ops *ops);

#endif
