/*
 * progress: the commands' side of the library's progress (as libgit2's
 * src/cli/progress.c).  The library reports events through a callback
 * the command gives it (check_opts.progress) and never decides whether
 * anyone is watching; here the command decides (a terminal, --json,
 * PWB_PROGRESS) and prints the lines on stderr, untrusted text through
 * vis().  No colours.
 */
#ifndef PWB_CLI_PROGRESS_H
#define PWB_CLI_PROGRESS_H

#include "check.h"

/*
 * Whether a command shows progress: stderr is a terminal and the output is
 * not JSON, or PWB_PROGRESS=1 (stage lines also when stderr is not a
 * terminal: scripts and tests read them).
 */
int progress_wanted(int json);

/*
 * check_progress_fn for pwb check and pwb matrix, ud unused:
 *   pwb check 12 [3/5]     4s build the base and 3 patches
 *   pwb check 12   mmn-pairing candidate run 1/3
 */
void progress_check(void *ud, const struct check_progress_event *ev);

/*
 * kbuild_progress_fn: make's last line, rewritten in place with \r (so a
 * terminal only), cleared when make ends.
 */
void progress_build_line(void *ud, const char *line);

/* progress_build_line when stderr is a terminal and not for --json (no
 * PWB_PROGRESS: the \r lines are for eyes), else NULL. */
kbuild_progress_fn progress_build(int json);

/*
 * exec_cluster_fn, ud a struct progress_cluster:
 *   slurm: 2 build jobs, 4 boot jobs in /shared/pwb/jobs/17
 *   slurm: jobs 101,102: 1 running, 3 pending
 * the second rewritten in place with \r on a terminal, one line each time
 * elsewhere.
 */
struct progress_cluster {
	int tty;		/* stderr is a terminal */
	int said;		/* a \r line is open */
};
void progress_cluster_init(struct progress_cluster *p);
void progress_cluster(void *ud, const struct exec_cluster_event *ev);
/* progress_cluster when on, else NULL */
exec_cluster_fn progress_cluster_fn(int on);

/* o's progress as pwb check and pwb matrix show it (progress_wanted):
 * the lines above, Slurm's status (pc, the caller's), and kbuild's \r
 * line on a terminal only. */
void progress_check_setup(struct check_opts *o, struct progress_cluster *pc,
			  int json);

#endif
