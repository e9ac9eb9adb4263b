/* The commands' progress lines on stderr (see progress.h). */
#include "progress.h"
#include "util/util.h"
#include "util/vis.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int progress_wanted(int json)
{
	const char *p = getenv("PWB_PROGRESS");

	if (quiet)	/* -q: no progress, as git's -q */
		return 0;
	return (!json && isatty(2)) || (p && !strcmp(p, "1"));
}

void progress_check(void *ud, const struct check_progress_event *ev)
{
	char id[24] = "";

	(void)ud;
	switch (ev->kind) {
	case CHECK_PROGRESS_STAGE:
		if (ev->check_id >= 0)
			snprintf(id, sizeof(id), " %ld", ev->check_id);
		fprintf(stderr, "pwb check%s [%d/%d] %5.0fs %s\n", id,
			ev->step, ev->steps, ev->elapsed, vis(ev->text));
		break;
	case CHECK_PROGRESS_BOOT:
		fprintf(stderr, "pwb check %ld   %s %s run %ld/%ld\n",
			ev->check_id, vis(ev->suite), vis(ev->label), ev->nth,
			ev->of);
		break;
	}
}

void progress_build_line(void *ud, const char *line)
{
	(void)ud;
	if (line)
		fprintf(stderr, "\r\033[K  %.70s", vis(line));
	else
		fprintf(stderr, "\r\033[K");
}

kbuild_progress_fn progress_build(int json)
{
	return !json && isatty(2) ? progress_build_line : NULL;
}

void progress_cluster_init(struct progress_cluster *p)
{
	p->tty = isatty(2);
	p->said = 0;
}

void progress_cluster(void *ud, const struct exec_cluster_event *ev)
{
	struct progress_cluster *p = ud;

	switch (ev->kind) {
	case EXEC_CLUSTER_SUBMITTED:
		fprintf(stderr, "slurm: %zu build job%s, %zu boot job%s in %s\n",
			ev->build_jobs, ev->build_jobs == 1 ? "" : "s",
			ev->boot_jobs, ev->boot_jobs == 1 ? "" : "s",
			vis(ev->batch));
		break;
	case EXEC_CLUSTER_QUEUE:
		fprintf(stderr, "%sslurm: jobs %s: %d running, %d pending%s",
			p->tty ? "\r" : "", vis(ev->ids), ev->running,
			ev->pending, p->tty ? "   " : "\n");
		p->said = 1;
		break;
	case EXEC_CLUSTER_DONE:
		if (p->said && p->tty)
			fputc('\n', stderr);
		p->said = 0;
		break;
	}
}

exec_cluster_fn progress_cluster_fn(int on)
{
	return on ? progress_cluster : NULL;
}

void progress_check_setup(struct check_opts *o, struct progress_cluster *pc,
			  int json)
{
	int on = progress_wanted(json);

	o->progress = on ? progress_check : NULL;
	o->progress_ud = NULL;
	progress_cluster_init(pc);
	o->cluster_progress = progress_cluster_fn(on);
	o->cluster_progress_ud = pc;
	/* \r lines: terminals (PWB_PROGRESS=1 does not bring them) */
	o->build_progress = on && isatty(2) ? progress_build_line : NULL;
	o->build_progress_ud = NULL;
}
