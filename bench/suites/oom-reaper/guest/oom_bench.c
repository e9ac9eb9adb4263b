/*
 * oom_bench: the guest side of pwb's oom-reaper benchmark; prints metrics.
 *
 * For each N (default 0 1 2 4): a victim (oom_score_adj 1000) registers N
 * mmu-notifier subscriptions that all succeed (the mmn_pairing module),
 * touches VICTIM_MB MiB and blocks uninterruptibly in the module, so the
 * OOM reaper, not exit, must free its memory; a hog (oom_score_adj -500)
 * then touches HOG_MB MiB and drives the guest into the OOM killer.
 * What happened is read from the kernel's own log (/dev/kmsg):
 *
 *   pwb-metric reaped/subs=N     1|0   bool   "oom_reaper: reaped process"
 *                                             or "unable to reap"
 *   pwb-metric anon_rss/subs=N   KB    kB     victim's RssAnon after the
 *                                             reaper's last word
 *   pwb-metric hog_ms/subs=N     MS    ms     from the victim's "Killed
 *                                             process" to the hog's
 *                                             allocation done (printk
 *                                             clock); absent when the hog
 *                                             was killed
 *   pwb-metric oom_kills/subs=N  K     count  "Killed process" lines,
 *                                             collateral kills included
 *
 * VICTIM_MB and HOG_MB are 45% and 80% of MemAvailable when oom_bench
 * starts: together more than the guest has, the hog alone less, so the
 * hog's allocation completes when (and only when) the victim's memory was
 * reaped, whatever the kernel itself takes (a KASAN kernel's shadow
 * leaves an arm64 debug guest of 256 MiB about 155 MiB, a plain x86_64
 * one about 235).
 *
 * usage: oom_bench [-v VICTIM_MB] [-g HOG_MB] [N...]
 */
#include "../../mmn-pairing/module/mmn_guest.h"

#include <sys/wait.h>

#define MARK "pwb-oom: hog allocation done"

static long victim_mb, hog_mb;

/* MemAvailable in MiB, -1 if /proc/meminfo cannot be read */
static long mem_available_mb(void)
{
	long kb = proc_field_kb("/proc/meminfo", "MemAvailable");

	return kb < 0 ? -1 : kb / 1024;
}

static int scenario(int n)
{
	struct oom_events ev;
	int pfd[2], st, kfd, waited;
	pid_t victim, hog;
	long anon;
	char cmd[64], c;

	memset(&ev, 0, sizeof(ev));
	ev.reaped = -1;
	ev.reaped_anon_kb = -1;
	ev.marker = MARK;
	if (pipe(pfd))
		return -1;
	victim = fork();
	if (victim == 0) {
		close(pfd[0]);
		set_adj(1000);
		snprintf(cmd, sizeof(cmd), "setup %d -1", n);
		if (ctl(cmd))
			_exit(2);
		touch(victim_mb);
		if (write(pfd[1], "r", 1) != 1)
			_exit(3);
		ctl("block 60000");	/* killed in here; leaves on release */
		_exit(0);
	}
	close(pfd[1]);
	if (read(pfd[0], &c, 1) != 1) {
		close(pfd[0]);
		waitpid(victim, &st, 0);
		printf("# subs=%d: the victim did not get ready (status %d)\n", n, st);
		return -1;
	}
	close(pfd[0]);
	if (wait_blocked(victim, 5000)) {
		ctl("release");
		kill(victim, SIGKILL);
		waitpid(victim, &st, 0);
		printf("# subs=%d: the victim did not block\n", n);
		return -1;
	}
	ev.victim = victim;
	kfd = kmsg_open();
	if (kfd < 0) {
		perror("/dev/kmsg");
		ctl("release");
		kill(victim, SIGKILL);
		waitpid(victim, &st, 0);
		return -1;
	}
	hog = fork();
	if (hog == 0) {
		set_adj(-500);
		touch(hog_mb);
		kmsg_mark(MARK);
		_exit(0);
	}
	waitpid(hog, &st, 0);
	/* the reaper's last word on the victim (it gives up after ~1 s) */
	for (waited = 0; waited < 15000; waited += 50) {
		kmsg_drain(kfd, &ev);
		if (ev.reaped >= 0 && (ev.marker_seen || !WIFEXITED(st)))
			break;
		sleep_ms(50);
	}
	anon = anon_rss_kb(victim);
	ctl("release");
	waitpid(victim, NULL, 0);
	kmsg_drain(kfd, &ev);
	close(kfd);

	printf("# subs=%d: victim %d %s, reaper %s, anon-rss %ld kB after, "
	       "%d OOM kill(s)%s\n", n, (int)victim,
	       ev.victim_killed ? "OOM-killed" : "not OOM-killed",
	       ev.reaped == 1 ? "reaped" : ev.reaped == 0 ? "unable to reap" :
	       "said nothing", anon, ev.kills,
	       WIFEXITED(st) ? "" : ", the hog was killed too");
	if (ev.reaped >= 0)
		printf("pwb-metric reaped/subs=%d %d bool\n", n, ev.reaped);
	if (anon >= 0)
		printf("pwb-metric anon_rss/subs=%d %ld kB\n", n, anon);
	if (ev.victim_killed && ev.marker_seen && ev.marker_us >= ev.kill_us)
		printf("pwb-metric hog_ms/subs=%d %.1f ms\n", n,
		       (double)(ev.marker_us - ev.kill_us) / 1000.0);
	printf("pwb-metric oom_kills/subs=%d %d count\n", n, ev.kills);
	fflush(stdout);
	return ev.victim_killed && ev.reaped >= 0 ? 0 : -1;
}

int main(int argc, char **argv)
{
	static const int def[] = { 0, 1, 2, 4 };
	int opt, i, bad = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	set_adj(-1000);		/* the driver itself is never the OOM victim */
	while ((opt = getopt(argc, argv, "v:g:")) != -1) {
		if (opt == 'v')
			victim_mb = atol(optarg);
		else if (opt == 'g')
			hog_mb = atol(optarg);
		else
			return 2;
	}
	if (!victim_mb || !hog_mb) {
		long avail = mem_available_mb();

		if (avail < 32) {
			printf("# MemAvailable %ld MiB: too little to run the scenario\n",
			       avail);
			return 1;
		}
		if (!victim_mb)
			victim_mb = avail * 45 / 100;
		if (!hog_mb)
			hog_mb = avail * 80 / 100;
		printf("# MemAvailable %ld MiB: victim %ld MiB, hog %ld MiB\n",
		       avail, victim_mb, hog_mb);
	}
	if (optind == argc)
		for (i = 0; i < (int)(sizeof(def) / sizeof(def[0])); i++)
			bad += scenario(def[i]) != 0;
	for (i = optind; i < argc; i++)
		bad += scenario(atoi(argv[i])) != 0;
	return bad ? 1 : 0;
}
