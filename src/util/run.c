#include "run.h"
#include "util.h"
#include "buf.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/prctl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static volatile sig_atomic_t got_signal;
static int sig_pipe[2] = { -1, -1 };

static void on_signal(int sig)
{
	int saved = errno;
	char c = (char)sig;

	got_signal = sig;
	if (sig_pipe[1] >= 0 && write(sig_pipe[1], &c, 1) < 0) {
		/* the pipe is full: a signal is already pending */
	}
	errno = saved;
}

void run_install_signal_handlers(void)
{
	struct sigaction sa;

	if (sig_pipe[0] < 0 && pipe2(sig_pipe, O_CLOEXEC | O_NONBLOCK))
		die("pipe: %s", strerror(errno));
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

int run_interrupted(void)
{
	return got_signal;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*
 * What run_command_raw() keeps of the output (run.h: capture_cap,
 * capture_head, squeeze).  Past the cap the first capture_head bytes
 * stay, then the newest bytes; the dropped middle becomes one line at
 * the end.  The buffer may grow to head + 2 x the tail's share before
 * it is compacted, so a flood costs a memmove per tail's worth of
 * output, not per read.
 */
#define SQUEEZE_MAX 4096	/* longer lines are kept, never compared */

struct capture {
	size_t head;		/* bytes of the head kept, once over the cap */
	int over;		/* the cap was reached */
	struct buf cur;		/* squeeze: the line being read */
	struct buf prev;	/* squeeze: the last line kept */
	int have_prev;
	int long_line;		/* cur went past SQUEEZE_MAX: passed through */
	size_t repeats;		/* copies of prev not kept */
};

static void compact(struct run_result *r, const struct run_opts *o,
		    struct capture *c, int final)
{
	size_t tail = o->capture_cap - c->head, drop, skip;
	char *nl;

	if (r->output.len - c->head <= (final ? tail : 2 * tail))
		return;
	drop = r->output.len - c->head - tail;
	/* start the kept tail at a line, when one starts soon */
	skip = tail < 4096 ? tail : 4096;
	nl = memchr(r->output.buf + c->head + drop, '\n', skip);
	if (nl)
		drop = (size_t)(nl + 1 - (r->output.buf + c->head));
	memmove(r->output.buf + c->head, r->output.buf + c->head + drop,
		r->output.len - c->head - drop);
	buf_setlen(&r->output, r->output.len - drop);
	r->dropped += drop;
	r->truncated = 1;
}

static void keep(struct run_result *r, const struct run_opts *o,
		 struct capture *c, const char *data, size_t n)
{
	buf_add(&r->output, data, n);
	if (!o->capture_cap || r->output.len <= o->capture_cap)
		return;
	if (!c->over) {
		size_t h = o->capture_head < o->capture_cap / 2 ?
			o->capture_head : o->capture_cap / 2;
		char *nl;

		/* the head ends at a line end, where there is one */
		if (h && (nl = memrchr(r->output.buf, '\n', h)))
			h = (size_t)(nl + 1 - r->output.buf);
		c->head = h;
		c->over = 1;
	}
	compact(r, o, c, 0);
}

static void flush_repeats(struct run_result *r, const struct run_opts *o,
			  struct capture *c)
{
	char line[96];
	int n;

	if (!c->repeats)
		return;
	n = snprintf(line, sizeof(line),
		     "[pwb: the line above repeated %zu more times]\n",
		     c->repeats);
	r->squeezed += c->repeats;
	c->repeats = 0;
	keep(r, o, c, line, (size_t)n);
}

static void capture(struct run_result *r, const struct run_opts *o,
		    struct capture *c, const char *data, size_t n)
{
	if (o->on_output)
		o->on_output(data, n, o->ud);
	if (!o->squeeze) {
		keep(r, o, c, data, n);
		return;
	}
	while (n) {
		const char *nl = memchr(data, '\n', n);
		size_t seg = nl ? (size_t)(nl - data) + 1 : n;

		if (c->long_line) {
			keep(r, o, c, data, seg);
			if (nl)
				c->long_line = 0;
		} else {
			buf_add(&c->cur, data, seg);
			if (c->cur.len > SQUEEZE_MAX) {
				flush_repeats(r, o, c);
				keep(r, o, c, c->cur.buf, c->cur.len);
				buf_setlen(&c->cur, 0);
				c->have_prev = 0;
				c->long_line = !nl;
			} else if (nl && c->have_prev && c->cur.len == c->prev.len &&
			    !memcmp(c->cur.buf, c->prev.buf, c->cur.len)) {
				c->repeats++;
				buf_setlen(&c->cur, 0);
			} else if (nl) {
				struct buf t = c->prev;

				flush_repeats(r, o, c);
				keep(r, o, c, c->cur.buf, c->cur.len);
				c->prev = c->cur;
				c->cur = t;
				buf_setlen(&c->cur, 0);
				c->have_prev = 1;
			}
		}
		data += seg;
		n -= seg;
	}
}

/* The end of the output: what squeeze held back, the note on the middle. */
static void capture_end(struct run_result *r, const struct run_opts *o,
			struct capture *c)
{
	flush_repeats(r, o, c);
	if (c->cur.len)
		keep(r, o, c, c->cur.buf, c->cur.len);
	if (c->over)
		compact(r, o, c, 1);
	if (r->dropped) {
		char note[96];
		int n = snprintf(note, sizeof(note),
				 "%s[pwb: %zu bytes of output dropped here]\n",
				 c->head && r->output.buf[c->head - 1] != '\n' ?
				 "\n" : "", r->dropped);
		size_t len = r->output.len;

		buf_grow(&r->output, (size_t)n);
		memmove(r->output.buf + c->head + n, r->output.buf + c->head,
			len - c->head);
		memcpy(r->output.buf + c->head, note, (size_t)n);
		buf_setlen(&r->output, len + (size_t)n);
	}
	buf_release(&c->cur);
	buf_release(&c->prev);
}

/* SIGTERM to the group, SIGKILL after a grace period; reap the leader. */
static void kill_group(pid_t pid, int *status)
{
	double until;

	kill(-pid, SIGTERM);
	until = now() + 3.0;
	while (now() < until) {
		if (waitpid(pid, status, WNOHANG) == pid) {
			kill(-pid, SIGKILL); /* stragglers of the group */
			return;
		}
		usleep(20000);
	}
	kill(-pid, SIGKILL);
	while (waitpid(pid, status, 0) < 0 && errno == EINTR)
		;
}

static int sandbox_on;

void run_sandbox_set(int on)
{
	sandbox_on = on;
}

int run_sandbox_enabled(void)
{
	return sandbox_on;
}

/*
 * bwrap ... -- argv: the command in its own user, PID and network
 * namespaces; / read-only; only o->sandbox_rw writable.  As root the
 * command runs as uid 65534 (nobody) inside a user namespace, so it holds
 * no capability outside it.  Returns a NULL-terminated array whose
 * strings belong to argv or are static (free the array only).
 */
static const char **sandbox_argv(const struct run_opts *o, char ***owned)
{
	size_t n = 0, i, cap = 64, no = 0;
	const char **a;

	for (i = 0; o->argv[i]; i++)
		cap++;
	for (i = 0; o->sandbox_rw && o->sandbox_rw[i]; i++)
		cap += 3;
	for (i = 0; o->sandbox_ro && o->sandbox_ro[i]; i++)
		cap += 3;
	a = xmalloc(cap * sizeof(*a));
	a[n++] = "bwrap";
	a[n++] = "--ro-bind"; a[n++] = "/"; a[n++] = "/";
	a[n++] = "--dev"; a[n++] = "/dev";
	if (access("/dev/kvm", R_OK | W_OK) == 0) {
		a[n++] = "--dev-bind"; a[n++] = "/dev/kvm"; a[n++] = "/dev/kvm";
	}
	a[n++] = "--proc"; a[n++] = "/proc";
	a[n++] = "--tmpfs"; a[n++] = "/tmp";
	a[n++] = "--tmpfs"; a[n++] = "/var/tmp";
	a[n++] = "--tmpfs"; a[n++] = "/root";
	a[n++] = "--tmpfs"; a[n++] = "/home";
	a[n++] = "--tmpfs"; a[n++] = "/run";
	/* absolute, resolved paths: bwrap binds them at the same place */
	*owned = xcalloc(cap, sizeof(char *));
	for (i = 0; o->sandbox_ro && o->sandbox_ro[i]; i++) {
		char *p = realpath(o->sandbox_ro[i], NULL);

		if (!p)
			continue;
		(*owned)[no++] = p;
		a[n++] = "--ro-bind"; a[n++] = p; a[n++] = p;
	}
	for (i = 0; o->sandbox_rw && o->sandbox_rw[i]; i++) {
		char *p = realpath(o->sandbox_rw[i], NULL);

		if (!p)
			continue;
		(*owned)[no++] = p;
		a[n++] = "--bind"; a[n++] = p; a[n++] = p;
	}
	a[n++] = "--unshare-net";
	a[n++] = "--unshare-pid";
	a[n++] = "--unshare-ipc";
	a[n++] = "--unshare-uts";
	if (geteuid() == 0) {
		a[n++] = "--unshare-user";
		a[n++] = "--uid"; a[n++] = "65534";
		a[n++] = "--gid"; a[n++] = "65534";
	}
	a[n++] = "--die-with-parent";
	if (o->cwd) {
		a[n++] = "--chdir"; a[n++] = o->cwd;
	}
	a[n++] = "--";
	for (i = 0; o->argv[i]; i++)
		a[n++] = o->argv[i];
	a[n] = NULL;
	return a;
}

static int run_command_raw(const struct run_opts *o, struct run_result *r);

/* bwrap on PATH? (asked once; boots in threads may ask at the same time:
 * the answer is stored whole, never a half-made one) */
static int have_bwrap(void)
{
	static int known = -1;
	const char *path = getenv("PATH");
	char *copy, *dir, *save = NULL;
	int found = 0, k = __atomic_load_n(&known, __ATOMIC_ACQUIRE);

	if (k >= 0)
		return k;
	copy = xstrdup(path ? path : "/usr/bin:/bin");
	for (dir = strtok_r(copy, ":", &save); dir && !found;
	     dir = strtok_r(NULL, ":", &save)) {
		char f[4096];

		snprintf(f, sizeof(f), "%s/bwrap", dir);
		found = access(f, X_OK) == 0;
	}
	free(copy);
	__atomic_store_n(&known, found, __ATOMIC_RELEASE);
	return found;
}

int run_command(const struct run_opts *o, struct run_result *r)
{
	struct run_opts so;
	const char **argv;
	char **owned = NULL;
	size_t i;
	int ret;

	if (!o->sandbox || !sandbox_on)
		return run_command_raw(o, r);
	if (!have_bwrap()) {
		memset(r, 0, sizeof(*r));
		r->end = RUN_NOSTART;
		r->code = ENOENT;
		error("the sandbox for %s needs bwrap (apt-get install bubblewrap; "
		      "or sandbox.enabled = false, see README)", o->argv[0]);
		return -1;
	}
	so = *o;
	argv = sandbox_argv(o, &owned);
	so.argv = argv;
	ret = run_command_raw(&so, r);
	for (i = 0; owned && owned[i]; i++)
		free(owned[i]);
	free(owned);
	free(argv);
	return ret;
}

static int run_command_raw(const struct run_opts *o, struct run_result *r)
{
	int out[2], err_pipe[2];
	pid_t pid, parent;
	double start, last_output;
	int status = 0, eof = 0, exited = 0;
	int child_errno = 0;
	struct capture cap;

	memset(r, 0, sizeof(*r));
	memset(&cap, 0, sizeof(cap));
	buf_init(&cap.cur, 0);
	buf_init(&cap.prev, 0);
	buf_init(&r->output, 0);
	if (pipe2(out, O_CLOEXEC) || pipe2(err_pipe, O_CLOEXEC)) {
		r->end = RUN_NOSTART;
		r->code = errno;
		return -1;
	}
	start = last_output = now();
	parent = getpid();
	pid = fork();
	if (pid < 0) {
		r->end = RUN_NOSTART;
		r->code = errno;
		close(out[0]); close(out[1]);
		close(err_pipe[0]); close(err_pipe[1]);
		return -1;
	}
	if (pid == 0) {
		int fd;
		size_t i;

		setpgid(0, 0);
		/* pwb killed with SIGKILL cannot kill the group: the kernel
		 * kills the child (make, QEMU) when pwb dies */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(127);
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		signal(SIGHUP, SIG_DFL);
		signal(SIGPIPE, SIG_DFL);
		fd = open("/dev/null", O_RDONLY);
		if (fd >= 0) {
			dup2(fd, 0);
			close(fd);
		}
		dup2(out[1], 1);
		dup2(out[1], 2);
		if (o->cwd && chdir(o->cwd))
			goto fail;
		for (i = 0; o->env && o->env[i]; i++)
			putenv((char *)o->env[i]);
		execvp(o->argv[0], (char *const *)o->argv);
fail:
		child_errno = errno;
		if (write(err_pipe[1], &child_errno, sizeof(child_errno)) < 0) {
			/* nothing more to say */
		}
		_exit(127);
	}
	setpgid(pid, pid); /* also here: no race with an early kill */
	close(out[1]);
	close(err_pipe[1]);
	if (read(err_pipe[0], &child_errno, sizeof(child_errno)) ==
	    (ssize_t)sizeof(child_errno)) {
		close(err_pipe[0]);
		close(out[0]);
		waitpid(pid, &status, 0);
		r->end = RUN_NOSTART;
		r->code = child_errno;
		r->seconds = now() - start;
		return -1;
	}
	close(err_pipe[0]);

	while (!exited || !eof) {
		struct pollfd pfd[2];
		int nfd = 0, wait_ms = 200, rc;
		double t = now();

		if (run_interrupted()) {
			kill_group(pid, &status);
			r->end = RUN_INTERRUPTED;
			r->code = run_interrupted();
			goto done;
		}
		if (o->timeout > 0 && t - start > o->timeout) {
			kill_group(pid, &status);
			r->end = RUN_TIMEOUT;
			goto done;
		}
		if (o->idle_timeout > 0 && t - last_output > o->idle_timeout) {
			kill_group(pid, &status);
			r->end = RUN_IDLE;
			goto done;
		}
		if (!eof) {
			pfd[nfd].fd = out[0];
			pfd[nfd].events = POLLIN;
			nfd++;
		}
		if (sig_pipe[0] >= 0) {
			pfd[nfd].fd = sig_pipe[0];
			pfd[nfd].events = POLLIN;
			nfd++;
		}
		rc = poll(pfd, (nfds_t)nfd, wait_ms);
		if (rc < 0 && errno != EINTR)
			break;
		if (rc > 0 && !eof && (pfd[0].revents & (POLLIN | POLLHUP))) {
			char chunk[65536];
			ssize_t n = read(out[0], chunk, sizeof(chunk));

			if (n > 0) {
				capture(r, o, &cap, chunk, (size_t)n);
				last_output = now();
			} else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
				eof = 1;
			}
		}
		if (!exited && waitpid(pid, &status, WNOHANG) == pid)
			exited = 1;
		if (exited && !eof) {
			/* the leader is gone; drain what is buffered, then stop
			 * (a grandchild holding the pipe must not keep us here) */
			struct pollfd d = { out[0], POLLIN, 0 };

			while (poll(&d, 1, 100) > 0) {
				char chunk[65536];
				ssize_t n = read(out[0], chunk, sizeof(chunk));

				if (n <= 0)
					break;
				capture(r, o, &cap, chunk, (size_t)n);
			}
			kill(-pid, SIGKILL);
			eof = 1;
		}
	}
	if (WIFSIGNALED(status)) {
		r->end = RUN_SIGNALED;
		r->code = WTERMSIG(status);
	} else {
		r->end = RUN_EXITED;
		r->code = WEXITSTATUS(status);
	}
done:
	capture_end(r, o, &cap);
	close(out[0]);
	r->seconds = now() - start;
	return 0;
}

void run_result_release(struct run_result *r)
{
	buf_release(&r->output);
}

const char *run_describe(const struct run_result *r, char *b, size_t n)
{
	switch (r->end) {
	case RUN_EXITED: snprintf(b, n, "exit %d", r->code); break;
	case RUN_SIGNALED: snprintf(b, n, "signal %d", r->code); break;
	case RUN_TIMEOUT: snprintf(b, n, "timeout after %.0f s", r->seconds); break;
	case RUN_IDLE: snprintf(b, n, "no output for too long (after %.0f s)",
				r->seconds); break;
	case RUN_INTERRUPTED: snprintf(b, n, "interrupted (signal %d)", r->code); break;
	case RUN_NOSTART: snprintf(b, n, "could not start: %s", strerror(r->code)); break;
	}
	return b;
}

/* run_tool(): see run.h */
int run_tool(const char *const *argv, const char *cwd, const char *const *rw,
	     const char *const *ro, char **why)
{
	struct run_opts o;
	struct run_result r;
	char d[128];
	int ret = 0;

	memset(&o, 0, sizeof(o));
	o.argv = argv;
	o.cwd = cwd;
	o.sandbox = rw != NULL;
	o.sandbox_rw = rw;
	o.sandbox_ro = ro;
	o.timeout = 900;
	o.idle_timeout = 600;
	o.capture_cap = 1u << 20;
	run_command(&o, &r);
	if (r.end != RUN_EXITED || r.code) {
		struct buf b = BUF_INIT;
		const char *out = r.output.buf ? r.output.buf : "";
		const char *e = strstr(out, "error:");
		size_t len = r.output.len, start = len > 600 ? len - 600 : 0;

		/* the compiler's first error (from its line start), else the tail */
		if (e) {
			while (e > out && e[-1] != '\n')
				e--;
			start = (size_t)(e - out);
			if (len - start > 600)
				len = start + 600;
		}
		buf_addf(&b, "%s: %s: %.*s", argv[0], run_describe(&r, d, sizeof(d)),
			 (int)(len - start), out + start);
		*why = buf_detach(&b, NULL);
		ret = -1;
	}
	run_result_release(&r);
	return ret;
}

void run_remove_tree(const char *dir)
{
	const char *rm[] = { "rm", "-rf", dir, NULL };
	struct run_opts ro;
	struct run_result rr;

	memset(&ro, 0, sizeof(ro));
	ro.argv = rm;
	ro.timeout = 60;
	run_command(&ro, &rr);
	run_result_release(&rr);
}

void run_side_by_side(void *(*fn)(void *), void *items, size_t size, size_t n)
{
	pthread_t *t = xcalloc(n + 1, sizeof(*t));
	int *started = xcalloc(n + 1, sizeof(int));
	char *it = items;
	size_t i;

	for (i = 1; i < n; i++)
		started[i] = !pthread_create(&t[i], NULL, fn, it + i * size);
	if (n)
		fn(it);
	for (i = 1; i < n; i++) {
		if (started[i])
			pthread_join(t[i], NULL);
		else	/* no thread: run it here */
			fn(it + i * size);
	}
	free(t);
	free(started);
}
