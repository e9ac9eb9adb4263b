/*
 * The executor's requests (exec.h): their outcomes' names and the
 * helpers every backend shares, below the driver (exec.c) and the
 * backends that take requests from it (exec-recorded.c, slurm.c).
 */
#include "exec/exec.h"
#include "arch.h"
#include "suite.h"

#include <stdlib.h>
#include <string.h>

const char *exec_status_name(enum exec_status s)
{
	switch (s) {
	case EXEC_PENDING: return "pending";
	case EXEC_DONE: return "done";
	case EXEC_NO_KERNEL: return "no-kernel";
	case EXEC_INFRA: return "infra-error";
	case EXEC_ERROR: return "error";
	case EXEC_INTERRUPTED: return "interrupted";
	case EXEC_SKIPPED: return "skipped";
	}
	return "error";
}

int exec_status_parse(const char *s, enum exec_status *out)
{
	static const enum exec_status all[] = {
		EXEC_PENDING, EXEC_DONE, EXEC_NO_KERNEL, EXEC_INFRA, EXEC_ERROR,
		EXEC_INTERRUPTED, EXEC_SKIPPED,
	};
	size_t i;

	for (i = 0; s && i < sizeof(all) / sizeof(all[0]); i++)
		if (!strcmp(s, exec_status_name(all[i]))) {
			*out = all[i];
			return 0;
		}
	return -1;
}

void exec_request_init(struct exec_request *q)
{
	memset(q, 0, sizeof(*q));
	q->build_id = -1;
}

void exec_request_release(struct exec_request *q)
{
	free(q->runs);
	free(q->why);
	q->runs = NULL;
	q->nruns = 0;
	q->why = NULL;
}

const char *exec_request_config(const struct exec_request *q)
{
	const struct arch *a = q->arch ? arch_find(q->arch) : arch_default();
	const char *c = q->config ? q->config : q->suite ? q->suite->config : NULL;

	return a ? arch_config(a, c) : c;
}
