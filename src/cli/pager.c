/* Output through a pager (see pager.h). */
#include "pager.h"
#include "ctx.h"
#include "util/util.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static pid_t pager_pid = -1;

/* Is there an executable name in $PATH? (the default pager may be missing:
 * then none, rather than a shell's "not found" and the output lost) */
static int in_path(const char *name)
{
	const char *path = getenv("PATH"), *p, *end;
	char *f;
	int ok = 0;

	for (p = path; p && *p && !ok; p = *end ? end + 1 : end) {
		end = strchrnul(p, ':');
		f = xstrfmt("%.*s/%s", (int)(end - p), p, name);
		ok = !access(f, X_OK);
		free(f);
	}
	return ok;
}

char *pager_command(struct pwb_ctx *ctx)
{
	const char *e = getenv("PWB_PAGER");
	char *p = NULL;

	if (e)
		p = xstrdup(e);
	if (!p)
		p = ctx_config_get(ctx, "core.pager");
	if (!p && (e = getenv("PAGER")))
		p = xstrdup(e);
	if (!p && in_path("less"))
		p = xstrdup("less");
	if (!p)
		return NULL;
	if (!*p || !strcmp(p, "cat")) {
		free(p);
		return NULL;
	}
	return p;
}

int pager_in_use(void)
{
	return pager_pid > 0;
}

static void wait_for_pager(int in_signal)
{
	int st;

	if (pager_pid <= 0)
		return;
	if (!in_signal) {
		fflush(stdout);
		fflush(stderr);
	}
	/* the pager sees the end of its input once every copy is closed */
	close(STDOUT_FILENO);
	close(STDERR_FILENO);
	while (waitpid(pager_pid, &st, 0) < 0 && errno == EINTR)
		;
	pager_pid = -1;
}

void pager_wait(void)
{
	wait_for_pager(0);
}

static void pager_wait_signal(int sig)
{
	wait_for_pager(1);
	signal(sig, SIG_DFL);
	raise(sig);
}

int pager_start(struct pwb_ctx *ctx)
{
	char *cmd;
	int fd[2], err_tty;
	pid_t pid;

	if (pager_pid > 0 || !isatty(STDOUT_FILENO))
		return 0;
	cmd = pager_command(ctx);
	if (!cmd)
		return 0;
	if (pipe(fd)) {
		free(cmd);
		return error("pager: %s", strerror(errno));
	}
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0) {
		error("pager: %s", strerror(errno));
		close(fd[0]);
		close(fd[1]);
		free(cmd);
		return -1;
	}
	if (!pid) {
		dup2(fd[0], STDIN_FILENO);
		close(fd[0]);
		close(fd[1]);
		setenv("LESS", getenv("LESS") ? getenv("LESS") : "FRX", 1);
		setenv("LV", getenv("LV") ? getenv("LV") : "-c", 1);
		signal(SIGPIPE, SIG_DFL);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		fprintf(stderr, "pwb: error: pager %s: %s\n", cmd,
			strerror(errno));
		_exit(127);
	}
	free(cmd);
	close(fd[0]);
	err_tty = isatty(STDERR_FILENO);
	dup2(fd[1], STDOUT_FILENO);
	if (err_tty)
		dup2(fd[1], STDERR_FILENO);
	close(fd[1]);
	pager_pid = pid;
	atexit(pager_wait);
	signal(SIGINT, pager_wait_signal);
	signal(SIGTERM, pager_wait_signal);
	signal(SIGHUP, pager_wait_signal);
	return 0;
}
