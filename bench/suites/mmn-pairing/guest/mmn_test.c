/*
 * mmn_test: the guest side of pwb's mmn-pairing suite; prints KTAP.
 *
 * Needs the mmn_pairing module (debugfs ctl).  Cases:
 *   blockable_N        N subscriptions, an munmap (blockable invalidation)
 *   oom_N_fail_POS     N subscriptions, the one at list position POS
 *                      (first, middle, last) refuses non-blocking starts;
 *                      the process is OOM-killed while it cannot exit, so
 *                      the OOM reaper does the (non-blocking) work.
 * A case passes when every subscription that can end had exactly as many
 * ends as starts.  The counts of each case follow it as diagnostics.
 */
#include "../module/mmn_guest.h"

#include <signal.h>
#include <sys/wait.h>

static long victim_mb = 120, hog_mb = 200, block_ms = 30000;

/*
 * Check the counts; print the result and the counts.  need_reaper: the
 * non-blocking path must have run, so a subscription refused a start or
 * the kernel's reaper said it could not reap (no subscription asked).
 */
static int report(int num, const char *name, int need_reaper,
		  const struct oom_events *ev)
{
	char buf[2048], *line, *save = NULL;
	int fd = open(MMN_CTL, O_RDONLY), ok = 1, refused_total = 0;
	ssize_t n;

	if (fd < 0) {
		printf("not ok %d %s\n# cannot read %s: %s\n", num, name, MMN_CTL,
		       strerror(errno));
		return 0;
	}
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		int sub, fails, starts, ends, refused, blockable;

		if (sscanf(line, "sub=%d fails=%d starts=%d ends=%d refused=%d blockable=%d",
			   &sub, &fails, &starts, &ends, &refused, &blockable) != 6)
			continue;
		refused_total += refused;
		if (!fails && starts != ends)
			ok = 0;
	}
	if (need_reaper && refused_total == 0 && !(ev && ev->reaped == 0))
		ok = 0;
	printf("%s %d %s\n", ok ? "ok" : "not ok", num, name);
	/* the counts, as diagnostics of the case */
	fd = open(MMN_CTL, O_RDONLY);
	n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : 0;
	if (fd >= 0)
		close(fd);
	buf[n > 0 ? n : 0] = '\0';
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		printf("# %s\n", line);
	if (ev)
		printf("# kernel: %d OOM kill(s), reaper %s\n", ev->kills,
		       ev->reaped == 1 ? "reaped the victim" :
		       ev->reaped == 0 ? "unable to reap the victim" : "said nothing");
	if (need_reaper && refused_total == 0 && !(ev && ev->reaped == 0))
		printf("# the non-blocking start was never refused: no reaper?\n");
	fflush(stdout);
	return ok;
}

static int blockable(int num, int n)
{
	char cmd[64];
	char name[64];
	pid_t pid;
	int st;

	snprintf(name, sizeof(name), "blockable_%d", n);
	pid = fork();
	if (pid == 0) {
		size_t len = 4 << 20;
		char *p;

		snprintf(cmd, sizeof(cmd), "setup %d -1", n);
		if (ctl(cmd))
			_exit(2);
		p = mmap(NULL, len, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			_exit(3);
		memset(p, 1, len);
		munmap(p, len);
		_exit(0);
	}
	waitpid(pid, &st, 0);
	if (!WIFEXITED(st) || WEXITSTATUS(st)) {
		printf("not ok %d %s\n# setup failed (status %d)\n", num, name, st);
		return 0;
	}
	return report(num, name, 0, NULL);
}

static int oom(int num, int n, int pos, const char *posname)
{
	char cmd[64], name[64];
	int pfd[2], st, ok, kfd, waited;
	pid_t victim, hog;
	struct oom_events ev;
	char c;

	snprintf(name, sizeof(name), "oom_%d_fail_%s", n, posname);
	if (pipe(pfd))
		return 0;
	victim = fork();
	if (victim == 0) {
		close(pfd[0]);
		set_adj(1000);
		snprintf(cmd, sizeof(cmd), "setup %d %d", n, pos);
		if (ctl(cmd))
			_exit(2);
		touch(victim_mb);
		if (write(pfd[1], "r", 1) != 1)
			_exit(3);
		snprintf(cmd, sizeof(cmd), "block %ld", block_ms);
		ctl(cmd);	/* killed in here; exits when the sleep ends */
		_exit(0);
	}
	close(pfd[1]);
	if (read(pfd[0], &c, 1) != 1) {
		close(pfd[0]);
		waitpid(victim, &st, 0);
		printf("not ok %d %s\n# the victim did not get ready\n", num, name);
		return 0;
	}
	close(pfd[0]);
	if (wait_blocked(victim, 5000))
		printf("# the victim did not block (it may exit before the reaper)\n");
	memset(&ev, 0, sizeof(ev));
	ev.victim = victim;
	ev.reaped = -1;
	kfd = kmsg_open();
	hog = fork();
	if (hog == 0) {
		set_adj(-500);
		touch(hog_mb);
		_exit(0);
	}
	waitpid(hog, &st, 0);
	/* the reaper's last word on the victim (it gives up after ~1 s) */
	for (waited = 0; kfd >= 0 && waited < 10000; waited += 50) {
		kmsg_drain(kfd, &ev);
		if (ev.reaped >= 0)
			break;
		sleep_ms(50);
	}
	/* the victim is still asleep: what its mm lost, the reaper took */
	ok = report(num, name, 1, &ev);
	if (!WIFEXITED(st))
		printf("# the hog was killed too (collateral OOM kill)\n");
	/* an unreapable victim keeps its memory until it exits: let it go
	 * and wait, or the next case starts short of memory */
	ctl("release");
	waitpid(victim, &st, 0);
	if (kfd >= 0)
		close(kfd);
	return ok;
}

int main(int argc, char **argv)
{
	static const struct { int n, pos; const char *name; } oc[] = {
		{ 1, 0, "first" }, { 2, 0, "first" }, { 2, 1, "last" },
		{ 3, 0, "first" }, { 3, 1, "middle" }, { 3, 2, "last" },
		{ 4, 0, "first" }, { 4, 2, "middle" }, { 4, 3, "last" },
	};
	int i, num = 0, failed = 0, only_blockable = argc > 1 &&
						   !strcmp(argv[1], "--blockable");
	int total = 4 + (only_blockable ? 0 : (int)(sizeof(oc) / sizeof(oc[0])));

	setvbuf(stdout, NULL, _IOLBF, 0);
	set_adj(-1000);		/* the driver itself is never the OOM victim */
	printf("KTAP version 1\n1..%d\n", total);
	for (i = 1; i <= 4; i++)
		failed += !blockable(++num, i);
	for (i = 0; !only_blockable && i < (int)(sizeof(oc) / sizeof(oc[0])); i++)
		failed += !oom(++num, oc[i].n, oc[i].pos, oc[i].name);
	return failed ? 1 : 0;
}
