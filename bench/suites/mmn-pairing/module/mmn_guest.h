/*
 * mmn_guest.h: the guest side of the mmn_pairing module's control file,
 * shared by the guest programs of the mmn-pairing and oom-reaper suites
 * (static inline: each program is one translation unit).
 *
 * ctl()          write a command to the module (setup, block, release)
 * set_adj()      this process's oom_score_adj
 * touch()        map and fill MB MiB of anonymous memory
 * wait_blocked() wait until a process sleeps uninterruptibly (state D)
 * kmsg_*()       the kernel's own log (/dev/kmsg), read from "now on":
 *                the OOM killer's and the OOM reaper's messages about a pid
 */
#ifndef MMN_GUEST_H
#define MMN_GUEST_H

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#define MMN_CTL "/sys/kernel/debug/mmn_pairing/ctl"

static inline int ctl(const char *cmd)
{
	int fd = open(MMN_CTL, O_WRONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, cmd, strlen(cmd));
	close(fd);
	return n == (ssize_t)strlen(cmd) ? 0 : -1;
}

static inline void set_adj(int adj)
{
	char b[16];
	int fd = open("/proc/self/oom_score_adj", O_WRONLY);

	if (fd >= 0) {
		snprintf(b, sizeof(b), "%d", adj);
		if (write(fd, b, strlen(b)) < 0)
			perror("oom_score_adj");
		close(fd);
	}
}

/* MAP_NORESERVE: the kernel's overcommit heuristic refuses a mapping
 * larger than its RAM, and a debug kernel (KASAN's shadow) has less of it
 * for the same guest: the memory is to run out when touched, not when
 * mapped */
static inline void touch(long mb)
{
	size_t len = (size_t)mb << 20;
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	if (p != MAP_FAILED)
		memset(p, 0x5a, len);
}

static inline void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* 0 once pid sleeps uninterruptibly (in the module's block), -1 after ms */
static inline int wait_blocked(pid_t pid, long ms)
{
	char path[64], buf[256], *p;
	long waited;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	for (waited = 0; waited <= ms; waited += 10) {
		int fd = open(path, O_RDONLY);
		ssize_t n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;

		if (fd >= 0)
			close(fd);
		if (n > 0) {
			buf[n] = '\0';
			/* "pid (comm) S ...": comm may hold spaces */
			p = strrchr(buf, ')');
			if (p && p[1] == ' ' && p[2] == 'D')
				return 0;
		}
		sleep_ms(10);
	}
	return -1;
}

/* The number after "KEY:" in the /proc file path (in kB there), -1 if it
 * cannot be read; key as the file spells it, at the start of a line */
static inline long proc_field_kb(const char *path, const char *key)
{
	char buf[4096], *p;
	long kb = -1;
	size_t kl = strlen(key);
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	for (p = buf; (p = strstr(p, key)); p += kl)
		if ((p == buf || p[-1] == '\n') && p[kl] == ':') {
			sscanf(p + kl + 1, "%ld", &kb);
			break;
		}
	return kb;
}

/* RssAnon of pid in kB, -1 if it cannot be read */
static inline long anon_rss_kb(pid_t pid)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	return proc_field_kb(path, "RssAnon");
}

/* What the kernel said about one OOM victim and the processes killed. */
struct oom_events {
	pid_t victim;
	int kills;			/* "Killed process" lines, any pid */
	int victim_killed;
	unsigned long long kill_us;	/* printk time of the victim's kill */
	int reaped;			/* -1 no word yet, 0 unable, 1 reaped */
	long reaped_anon_kb;		/* "now anon-rss:" of the reaper */
	int marker_seen;		/* our own line (kmsg_mark) */
	unsigned long long marker_us;
	const char *marker;
};

/* /dev/kmsg opened at its end: only records from now on are read */
static inline int kmsg_open(void)
{
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK);

	if (fd >= 0)
		lseek(fd, 0, SEEK_END);
	return fd;
}

/*
 * A line of our own in the kernel's log, timed by the kernel's clock.  It
 * ends with a newline: a record without one stays open for continuation
 * and readers of /dev/kmsg do not see it until the next message.
 */
static inline void kmsg_mark(const char *text)
{
	char line[256];
	int fd = open("/dev/kmsg", O_WRONLY);

	snprintf(line, sizeof(line), "%s\n", text);
	if (fd >= 0) {
		if (write(fd, line, strlen(line)) < 0)
			perror("/dev/kmsg");
		close(fd);
	}
}

static inline void kmsg_record(struct oom_events *ev, unsigned long long us,
			       const char *text)
{
	const char *p;
	int pid;

	if ((p = strstr(text, "Killed process ")) &&
	    sscanf(p + 15, "%d", &pid) == 1) {
		ev->kills++;
		if (pid == ev->victim && !ev->victim_killed) {
			ev->victim_killed = 1;
			ev->kill_us = us;
		}
	} else if ((p = strstr(text, "oom_reaper: reaped process ")) &&
		   sscanf(p + 27, "%d", &pid) == 1 && pid == ev->victim) {
		ev->reaped = 1;
		p = strstr(p, "now anon-rss:");
		if (p)
			sscanf(p + 13, "%ld", &ev->reaped_anon_kb);
	} else if ((p = strstr(text, "oom_reaper: unable to reap pid:")) &&
		   sscanf(p + 31, "%d", &pid) == 1 && pid == ev->victim) {
		ev->reaped = 0;
	} else if (ev->marker && !ev->marker_seen && strstr(text, ev->marker)) {
		ev->marker_seen = 1;
		ev->marker_us = us;
	}
}

/* Read every record available now: "prio,seq,usec,flags;text\n..." */
static inline void kmsg_drain(int fd, struct oom_events *ev)
{
	char rec[8192];

	for (;;) {
		unsigned long long us;
		char *semi, *nl;
		ssize_t n = read(fd, rec, sizeof(rec) - 1);

		if (n < 0 && errno == EPIPE)
			continue;	/* overwritten records: go on */
		if (n <= 0)
			return;
		rec[n] = '\0';
		semi = strchr(rec, ';');
		if (!semi || sscanf(rec, "%*u,%*u,%llu", &us) != 1)
			continue;
		nl = strchr(semi + 1, '\n');
		if (nl)
			*nl = '\0';
		kmsg_record(ev, us, semi + 1);
	}
}

#endif
