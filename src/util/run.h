/*
 * run: child processes (make, qemu) as the kselftest harness runs tests.
 *
 * The child gets its own process group; its stdout and stderr come back
 * through one pipe, polled with a total timeout and an idle (no output)
 * timeout.  On a timeout, or when pwb itself gets SIGINT/SIGTERM, the
 * whole group is sent SIGTERM, then SIGKILL after a grace period, and
 * reaped: nothing is left running.  How it ended is kept apart: exit N,
 * signal N, timeout, idle timeout, interrupted, or could not start.
 *
 * Ownership: struct run_result's output buffer belongs to the caller
 * (buf_release).  run_install_signal_handlers() is process-wide.
 */
#ifndef PWB_RUN_H
#define PWB_RUN_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

enum run_end {
	RUN_EXITED,		/* code = exit status */
	RUN_SIGNALED,		/* code = signal number */
	RUN_TIMEOUT,		/* the total timeout fired */
	RUN_IDLE,		/* no output for idle_timeout */
	RUN_INTERRUPTED,	/* pwb got SIGINT or SIGTERM */
	RUN_NOSTART,		/* could not start (code = errno) */
};

struct run_opts {
	const char *const *argv;
	const char *cwd;		/* NULL: inherit */
	const char *const *env;		/* extra NAME=VALUE, NULL-terminated */
	double timeout;			/* seconds, 0 = none */
	double idle_timeout;		/* seconds, 0 = none */
	size_t capture_cap;		/* keep about this much output: past it
					 * the newest (and capture_head) */
	/* called with each chunk of output as it arrives (may be NULL) */
	void (*on_output)(const char *data, size_t len, void *ud);
	void *ud;
	int stdin_null;			/* stdin from /dev/null (default: yes) */
	/*
	 * Untrusted code (a series' Makefiles, its kernel): when sandboxing
	 * is on (run_sandbox_set), run inside bubblewrap with no network, the
	 * whole file system read-only, /tmp, /root and /home empty, and only
	 * these paths writable (NULL-terminated) and these readable again.
	 */
	int sandbox;
	const char *const *sandbox_rw;
	const char *const *sandbox_ro;
	size_t capture_head;		/* past the cap, also the first this many
					 * bytes are kept (at most
					 * half the cap); a line in between says
					 * how much of the middle was dropped */
	int squeeze;			/* runs of an identical line kept once,
					 * then "[pwb: the line above repeated N
					 * more times]" */
};

struct run_result {
	enum run_end end;
	int code;
	double seconds;
	struct buf output;		/* stdout+stderr, capped */
	int truncated;			/* output beyond the cap was dropped */
	size_t dropped;			/* bytes of it */
	size_t squeezed;		/* repeated lines squeezed out */
};

int run_command(const struct run_opts *o, struct run_result *r);
void run_result_release(struct run_result *r);

/* "exit 2", "signal 9", "timeout after 600 s", ... (static or r-owned). */
const char *run_describe(const struct run_result *r, char *buf, size_t len);

/*
 * Sandboxing for run_opts.sandbox: 1 on (bwrap required), 0 off.  pwb.c
 * sets it from config sandbox.enabled / $PWB_SANDBOX once at start.
 */
void run_sandbox_set(int on);
int run_sandbox_enabled(void);

/* SIGINT/SIGTERM set a flag that run_command() acts on. */
void run_install_signal_handlers(void);
int run_interrupted(void);	/* the signal number, or 0 */

/*
 * A build tool (make, cc) that must succeed: argv in cwd (NULL: here),
 * sandboxed when rw is not NULL (untrusted code, a tree's own Makefiles:
 * rw/ro the writable and readable paths), up to 15 minutes.  0, or -1
 * with *why (owned): how it ended and the compiler's first "error:" line
 * on, else the output's tail (600 bytes at most).
 */
int run_tool(const char *const *argv, const char *cwd, const char *const *rw,
	     const char *const *ro, char **why);

/*
 * fn on each of items[0..n-1] (each size bytes) side by side: a thread
 * each, the first here; an item whose thread cannot start runs here
 * after.  Returns when all are done.  (Boots side by side: the executor,
 * coverage.)
 */
void run_side_by_side(void *(*fn)(void *), void *items, size_t size, size_t n);
/* rm -rf dir (a private temporary directory of pwb's). */
void run_remove_tree(const char *dir);
#endif
