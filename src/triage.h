/*
 * triage: findings in a kernel console log.
 *
 * Kinds: panic, oops, bug, warning, kasan, kmsan, kcsan, kfence, kmemleak,
 * ubsan, lockdep, soft-lockup, rcu-stall, hung-task, oom-kill, oom-reaped,
 * oom-reap-failed, unexpected-reboot, no-output, timeout, no-end-marker.
 * Each finding has a normalised title (addresses and numbers replaced, so
 * that the same bug gets the same title on every run; syzkaller's
 * conventions, e.g. "KASAN: use-after-free Read in foo", "WARNING in foo":
 * the function is the first stack frame that is not a reporting or generic
 * helper) and the log lines it came from.  The report headers are a table
 * in triage.c.  Printk timestamps "[  12.345678]", caller ids
 * "[T123]"/"[C0]", "<6>" levels and "** N printk messages dropped **" are
 * tolerated, and a report may start after other text on its line
 * ("syzkaller login: [  16.3] BUG: ...").  The log may be fed in pieces (a
 * line split across two reads is joined) with triage_feed(), then
 * triage_finish().
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

/*
 * Finding a report's function as its lines arrive: one extractor for the
 * report being read, one for a report inside it (the Oops after a BUG
 * line, a panic after a WARNING).  Bounded buffers: console text is
 * untrusted.
 */
struct triage_hdr;
#define TRIAGE_FUNC_MAX 96
#define TRIAGE_TITLE_MAX 200
struct triage_ext {
	long idx;			/* the finding, -1: none */
	const struct triage_hdr *h;
	const char *skip;		/* the helpers of a class, '|' between */
	int left;			/* lines still looked at */
	int marker, apic, stack, frames, done;
	char func[TRIAGE_FUNC_MAX];	/* chosen (or, until done, provisional) */
	char prev[TRIAGE_FUNC_MAX];	/* the stall rule's previous frame */
	char base[TRIAGE_TITLE_MAX];	/* title before " in FUNC" */
	char fallback[TRIAGE_TITLE_MAX];	/* title without a function */
	char access[8];			/* KASAN: " Read", " Write" */
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
	long stamped;		/* lines with a printk timestamp */
	struct triage_ext ext[2];	/* [0] the report, [1] one inside it */
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

/*
 * Strip "[   1.234567] ", "[T12] ", "<6>" and "** N printk messages
 * dropped ** " prefixes (returns a pointer into s).
 */
const char *triage_strip_prefix(const char *s);

#endif
