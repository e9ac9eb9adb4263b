/*
 * triage: findings in a kernel console log.
 *
 * Kinds: panic, oops, bug, warning, kasan, ubsan, lockdep, soft-lockup,
 * rcu-stall, hung-task, oom-kill, oom-reaped, oom-reap-failed,
 * unexpected-reboot, no-output, timeout, no-end-marker.  Each finding has a
 * normalised title (addresses and numbers replaced, so that the same bug
 * gets the same title on every run) and the log lines it came from.
 * Printk timestamps "[  12.345678]" and caller ids "[T123]"/"[C0]" are
 * tolerated.  The log may be fed in pieces (a line split across two reads
 * is joined) with triage_feed(), then triage_finish().
 *
 * Kernel failures are the kinds for which triage_is_failure() is true;
 * the OOM kinds are information (the suites provoke them on purpose).
 * Infrastructure trouble (QEMU missing, bad kernel path) is not triage's:
 * it never reaches a console log.
 */
#ifndef PWB_TRIAGE_H
#define PWB_TRIAGE_H

#include <stddef.h>

#include "util/buf.h"

struct finding {
	char *kind;
	char *title;
	struct buf lines;	/* the log lines, timestamps removed */
	long first_line;	/* 1-based line number in the log */
};

struct triage {
	struct finding *f;
	size_t nr;
	/* state */
	struct buf partial;	/* an incomplete last line */
	long lineno;
	long nonempty;
	int linux_banners;
	int saw_start, saw_end;
	int end_status;		/* from the end marker */
	struct finding *open;	/* collecting continuation lines */
	int open_left;
};

#define TRIAGE_START_MARKER "### pwb-init: start"
#define TRIAGE_END_MARKER "### pwb-init: end"

void triage_init(struct triage *t);
void triage_feed(struct triage *t, const char *data, size_t len);
/*
 * How the run ended, as the caller knows it.  TRIAGE_CUT_SHORT: the user
 * interrupted it or QEMU was killed from outside; what the log showed
 * until then is judged, but its end is nobody's finding (no
 * unexpected-reboot, timeout or no-output).
 */
enum triage_end {
	TRIAGE_ENDED = 0,
	TRIAGE_TIMED_OUT = 1,
	TRIAGE_CUT_SHORT = 2,
};
void triage_finish(struct triage *t, enum triage_end how);
void triage_release(struct triage *t);

int triage_is_failure(const char *kind);
int triage_has_failure(const struct triage *t);

/* Strip "[   1.234567] " and "[T12] " prefixes (returns a pointer into s). */
const char *triage_strip_prefix(const char *s);

#endif
