#include "triage.h"
#include "util/util.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void triage_init(struct triage *t)
{
	memset(t, 0, sizeof(*t));
	buf_init(&t->partial, 0);
	t->end_status = -1;
	t->ext[0].idx = t->ext[1].idx = -1;
}

void triage_release(struct triage *t)
{
	size_t i;

	for (i = 0; i < t->nr; i++) {
		free(t->f[i].kind);
		free(t->f[i].title);
		buf_release(&t->f[i].lines);
	}
	free(t->f);
	buf_release(&t->partial);
	memset(t, 0, sizeof(*t));
}

int triage_is_failure(const char *kind)
{
	static const char *const info[] = { "oom-kill", "oom-reaped",
					    "oom-reap-failed" };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(info); i++)
		if (!strcmp(kind, info[i]))
			return 0;
	return 1;
}

int triage_has_failure(const struct triage *t)
{
	size_t i;

	for (i = 0; i < t->nr; i++)
		if (triage_is_failure(t->f[i].kind))
			return 1;
	return 0;
}

/* "[   12.345678]" or "[T123]"/"[  C0]" at p: its end, or NULL */
static const char *stamp_end(const char *p)
{
	if (*p != '[')
		return NULL;
	p++;
	while (*p == ' ')
		p++;
	if (isdigit((unsigned char)*p)) {
		/* [   12.345678] */
		while (isdigit((unsigned char)*p))
			p++;
		if (*p == '.')
			p++;
		while (isdigit((unsigned char)*p))
			p++;
	} else if ((*p == 'T' || *p == 'C') && isdigit((unsigned char)p[1])) {
		/* [T123] or [  C0] caller ids */
		p++;
		while (isdigit((unsigned char)*p))
			p++;
	} else {
		return NULL;
	}
	return *p == ']' ? p + 1 : NULL;
}

/* "2018/01/09 14:28:48 ": what follows, or NULL */
static const char *date_end(const char *p)
{
	static const char shape[] = "dddd/dd/dd dd:dd:dd ";
	size_t i;

	for (i = 0; shape[i]; i++)
		if (shape[i] == 'd' ? !isdigit((unsigned char)p[i]) : p[i] != shape[i])
			return NULL;
	return p + i;
}

/* a printk timestamp "[  12.345678]" (not "[3615]", a pid) */
static int is_timestamp(const char *p)
{
	const char *e = stamp_end(p);

	return e && memchr(p, '.', (size_t)(e - p));
}

const char *triage_strip_prefix(const char *s)
{
	for (;;) {
		const char *p = s, *e;

		while (*p == ' ')
			p++;
		if (*p == '<' && isdigit((unsigned char)p[1])) {
			/* "<6>" printk level */
			e = p + 1;
			while (isdigit((unsigned char)*e))
				e++;
			if (*e == '>') {
				s = e + 1;
				continue;
			}
		}
		if (skip_prefix(p, "** ", &e) && isdigit((unsigned char)*e)) {
			/* "** 93 printk messages dropped ** " */
			while (isdigit((unsigned char)*e))
				e++;
			if (skip_prefix(e, " printk messages dropped **", &e)) {
				s = *e == ' ' ? e + 1 : e;
				continue;
			}
		}
		if (isdigit((unsigned char)p[0]) && date_end(p)) {
			/* "2018/01/09 14:28:48 " (a fuzzer's own log) */
			s = date_end(p);
			continue;
		}
		e = stamp_end(p);
		if (!e)
			return s;
		if (*e == ' ')
			e++;
		s = e;
	}
}

/* Numbers and addresses out, so the same bug has the same title. */
static char *normalise(const char *s, size_t n)
{
	struct buf b = BUF_INIT;
	size_t i = 0;

	if (n > 4 * TRIAGE_TITLE_MAX)
		n = 4 * TRIAGE_TITLE_MAX;
	while (i < n) {
		if (s[i] == '+' && i > 0 && (isalnum((unsigned char)s[i - 1]) ||
					     s[i - 1] == '_') &&
		    i + 2 < n && s[i + 1] == '0' && s[i + 2] == 'x') {
			/* "func+0x1a/0x40": the offsets are not the bug's */
			i += 3;
			while (i < n && (isxdigit((unsigned char)s[i]) ||
					 s[i] == '/' || s[i] == 'x'))
				i++;
		} else if (s[i] == '0' && i + 1 < n && (s[i + 1] == 'x' || s[i + 1] == 'X')) {
			i += 2;
			while (i < n && isxdigit((unsigned char)s[i]))
				i++;
			buf_addstr(&b, "ADDR");
		} else if (isxdigit((unsigned char)s[i]) &&
			   (i == 0 || !isalnum((unsigned char)s[i - 1]))) {
			size_t j = i;
			int digits = 0;

			while (j < n && isxdigit((unsigned char)s[j])) {
				if (isdigit((unsigned char)s[j]))
					digits = 1;
				j++;
			}
			if (digits && (j == n || !isalnum((unsigned char)s[j]) ||
				       s[j] == 'k' || s[j] == 's')) {
				int hexword = j - i >= 8;

				buf_addstr(&b, hexword ? "ADDR" : "N");
				i = j;
			} else {
				buf_add(&b, s + i, j - i);
				i = j;
			}
		} else {
			buf_addch(&b, s[i++]);
		}
	}
	buf_trim(&b);
	if (b.len >= TRIAGE_TITLE_MAX)
		buf_setlen(&b, TRIAGE_TITLE_MAX - 1);
	return buf_detach(&b, NULL);
}

static struct finding *add(struct triage *t, const char *kind, char *title,
			   const char *line, int follow)
{
	struct finding *f;

	t->f = xrealloc(t->f, (t->nr + 1) * sizeof(*t->f));
	f = &t->f[t->nr++];
	f->kind = xstrdup(kind);
	f->title = title;
	buf_init(&f->lines, 0);
	if (line) {
		buf_addstr(&f->lines, line);
		buf_addch(&f->lines, '\n');
	}
	f->first_line = t->lineno;
	t->open = follow ? f : NULL;
	t->open_left = follow;
	return f;
}

/* bounded copy of n bytes of s (always terminated) */
static void copyn(char *dst, size_t size, const char *s, size_t n)
{
	if (n >= size)
		n = size - 1;
	memcpy(dst, s, n);
	dst[n] = '\0';
}

/*
 * The report headers.  A line (its printk prefix gone) that starts with
 * `text` (or, M_CONTAINS, holds it), and holds `also` when set, starts a
 * report of `kind`.  Its title is made by `rule` from `title`; where the
 * rule has one, the function comes from `src`: the header itself
 * (S_HDR), the "at:" lines after `marker` (S_AT), the faulting
 * instruction ("RIP:", "pc :", "PC is at", S_RIP), the call trace
 * (S_STACK), the part of the call trace after the timer interrupt (S_APIC);
 * the first candidate that is neither in skip_common[] nor in `skip`
 * wins, unless an extractor (X_STALL, X_HUNG) picks among them.
 * A SECONDARY header inside an open report (the Oops after "BUG: unable
 * to handle", the panic after a WARNING) is a finding of its own but does
 * not end the report's search for its function.  The first row that
 * matches decides: specific ones come before general ones.
 */
enum rule {
	R_FIXED,	/* title [+ " in " func] */
	R_REST,		/* title + the rest of the line, normalised */
	R_TYPE,		/* title + the word(s) before " in " [+ " in " func] */
	R_KASAN,	/* R_TYPE + " Read"/" Write" from a later line */
	R_UBSAN,	/* R_TYPE; without a function the whole line */
	R_WARN,		/* "WARNING in func"; by file, the special WARNINGs */
	R_KBUG,		/* "kernel BUG in func"; by file, corrupted list... */
	R_PREEMPT,	/* "BUG: using X() in preemptible code" */
	R_HUNG,		/* "INFO: task hung in func", else "hung task: comm" */
	R_COMM,		/* title + the (comm) of the line */
	R_LASTFN,	/* title + " in " the function after `marker` */
};

enum { M_PREFIX, M_CONTAINS };

#define S_HDR	0x01
#define S_AT	0x02
#define S_RIP	0x04
#define S_STACK	0x08
#define S_APIC	0x10
#define X_STALL	0x100
#define X_HUNG	0x200
#define SECONDARY 0x1000

struct triage_hdr {
	const char *text;
	int how;
	const char *also;
	const char *kind;
	enum rule rule;
	const char *title;
	unsigned src;
	const char *skip;	/* more helpers, '|' between */
	const char *marker;
	int follow;
};

#define LOCKDEP(t, ti, m) \
	{ t, M_PREFIX, NULL, "lockdep", R_FIXED, ti, S_AT | S_STACK, \
	  "process_one_work", m, 60 }
#define OOPS(t, ti, fl) \
	{ t, M_PREFIX, NULL, "oops", R_FIXED, ti, S_RIP | S_STACK | (fl), NULL, NULL, 40 }

static const struct triage_hdr headers[] = {
	/* sanitizers */
	{ "BUG: KASAN: double-free or invalid-free", M_PREFIX, NULL, "kasan", R_FIXED,
	  "KASAN: invalid-free", S_HDR | S_STACK, "kmem_|slab_|kfree|vunmap|vfree", NULL, 40 },
	{ "BUG: KASAN: ", M_PREFIX, NULL, "kasan", R_KASAN, "KASAN: ", S_HDR | S_STACK, NULL, NULL, 40 },
	{ "BUG: KMSAN: kernel-usb-infoleak", M_PREFIX, NULL, "kmsan", R_FIXED,
	  "KMSAN: kernel-usb-infoleak", S_HDR | S_STACK, "usb_submit_urb|usb_start_wait_urb|usb_bulk_msg|usb_interrupt_msg|usb_control_msg",
	  NULL, 40 },
	{ "BUG: KMSAN: ", M_PREFIX, NULL, "kmsan", R_TYPE, "KMSAN: ", S_HDR | S_STACK, NULL, NULL, 40 },
	{ "BUG: KCSAN: ", M_PREFIX, NULL, "kcsan", R_REST, "KCSAN: ", 0, NULL, NULL, 40 },
	{ "BUG: KFENCE: ", M_PREFIX, NULL, "kfence", R_TYPE, "KFENCE: ", S_HDR | S_STACK,
	  "kfree|kmem_cache_free|__kmem_cache_free|slab_free", NULL, 40 },
	{ "BUG: memory leak", M_PREFIX, NULL, "kmemleak", R_FIXED, "memory leak", S_STACK,
	  "kmemleak|kmalloc|kcalloc|kzalloc|vmalloc|mmap|kmem|slab|alloc|create_object|"
	  "idr_get|list_lru_init|kasprintf|kvasprintf|pcpu_create|strdup|strndup|memdup",
	  NULL, 40 },
	{ "UBSAN: ", M_PREFIX, NULL, "ubsan", R_UBSAN, "UBSAN: ", S_STACK, "ubsan|overflow", NULL, 30 },

	/* stalls and hangs */
	{ "BUG: soft lockup", M_PREFIX, NULL, "soft-lockup", R_FIXED, "BUG: soft lockup",
	  S_RIP | S_STACK | X_STALL, NULL, NULL, 40 },
	{ "watchdog: BUG: soft lockup", M_PREFIX, NULL, "soft-lockup", R_FIXED, "BUG: soft lockup",
	  S_RIP | S_STACK | X_STALL, NULL, NULL, 40 },
	{ "NMI watchdog: BUG: soft lockup", M_PREFIX, NULL, "soft-lockup", R_FIXED, "BUG: soft lockup",
	  S_RIP | S_STACK | X_STALL, NULL, NULL, 40 },
	{ "INFO: rcu_", M_PREFIX, "stall", "rcu-stall", R_FIXED, "INFO: rcu detected stall",
	  S_APIC | X_STALL, "apic_timer_interrupt|rcu", NULL, 40 },
	{ "rcu: INFO: rcu_", M_PREFIX, "stall", "rcu-stall", R_FIXED, "INFO: rcu detected stall",
	  S_APIC | X_STALL, "apic_timer_interrupt|rcu", NULL, 40 },
	{ "INFO: task ", M_PREFIX, "blocked for more than", "hung-task", R_HUNG,
	  "INFO: task hung", S_STACK | X_HUNG, NULL, NULL, 40 },
	{ "INFO: task ", M_PREFIX, "can't die for more than", "hung-task", R_FIXED,
	  "INFO: task can't die", S_STACK, "schedule", NULL, 40 },
	{ "unregister_netdevice: waiting for ", M_PREFIX, NULL, "hung-task", R_FIXED,
	  "unregister_netdevice: waiting for DEV to become free", SECONDARY, NULL, NULL, 0 },

	/* lockdep, in today's and the old "[ INFO: ... ]" banners */
	LOCKDEP("WARNING: possible circular locking dependency detected", "possible deadlock",
		"is trying to acquire lock"),
	LOCKDEP("INFO: possible circular locking dependency detected", "possible deadlock",
		"is trying to acquire lock"),
	LOCKDEP("WARNING: possible irq lock inversion dependency detected", "possible deadlock",
		"just changed the state of lock"),
	LOCKDEP("INFO: possible irq lock inversion dependency detected", "possible deadlock",
		"just changed the state of lock"),
	LOCKDEP("WARNING: SOFTIRQ-safe -> SOFTIRQ-unsafe lock order detected", "possible deadlock",
		"is trying to acquire"),
	LOCKDEP("INFO: SOFTIRQ-safe -> SOFTIRQ-unsafe lock order detected", "possible deadlock",
		"is trying to acquire"),
	LOCKDEP("WARNING: HARDIRQ-safe -> HARDIRQ-unsafe lock order detected", "possible deadlock",
		"is trying to acquire"),
	LOCKDEP("INFO: HARDIRQ-safe -> HARDIRQ-unsafe lock order detected", "possible deadlock",
		"is trying to acquire"),
	LOCKDEP("WARNING: possible recursive locking detected", "possible deadlock",
		"is trying to acquire lock"),
	LOCKDEP("INFO: possible recursive locking detected", "possible deadlock",
		"is trying to acquire lock"),
	LOCKDEP("WARNING: inconsistent lock state", "inconsistent lock state", "takes"),
	LOCKDEP("INFO: inconsistent lock state", "inconsistent lock state", "takes"),
	LOCKDEP("BUG: bad unlock balance detected!", "BUG: bad unlock balance",
		"is trying to release lock"),
	LOCKDEP("WARNING: bad unlock balance detected!", "WARNING: bad unlock balance",
		"is trying to release lock"),
	LOCKDEP("BUG: held lock freed!", "BUG: held lock freed", NULL),
	LOCKDEP("WARNING: held lock freed!", "WARNING: held lock freed", NULL),
	LOCKDEP("BUG: lock held when returning to user space", "BUG: lock held when returning to user space",
		"leaving the kernel with locks still held"),
	LOCKDEP("WARNING: lock held when returning to user space", "WARNING: lock held when returning to user space",
		"leaving the kernel with locks still held"),
	{ "BUG: ", M_PREFIX, "still has locks held!", "lockdep", R_FIXED, "BUG: still has locks held",
	  S_AT | S_STACK, NULL, NULL, 40 },
	{ "WARNING: ", M_PREFIX, "still has locks held!", "lockdep", R_FIXED,
	  "WARNING: still has locks held", S_AT | S_STACK, NULL, NULL, 40 },
	{ "WARNING: suspicious RCU usage", M_PREFIX, NULL, "lockdep", R_FIXED,
	  "WARNING: suspicious RCU usage", S_STACK, "rcu|kmem|slab|kmalloc|vmalloc|kcalloc|kzalloc",
	  NULL, 40 },
	{ "INFO: suspicious RCU usage", M_PREFIX, NULL, "lockdep", R_FIXED,
	  "INFO: suspicious RCU usage", S_STACK, "rcu|kmem|slab|kmalloc|vmalloc|kcalloc|kzalloc",
	  NULL, 40 },
	{ "INFO: trying to register non-static key", M_PREFIX, NULL, "lockdep", R_FIXED,
	  "INFO: trying to register non-static key", S_STACK, "stack|lock|IRQ", NULL, 40 },
	{ "WARNING: nested lock was not taken", M_PREFIX, NULL, "lockdep", R_FIXED,
	  "WARNING: nested lock was not taken", S_STACK, NULL, NULL, 40 },
	{ "BUG: Invalid wait context", M_PREFIX, NULL, "lockdep", R_FIXED,
	  "BUG: Invalid wait context", S_STACK, NULL, NULL, 40 },
	{ "BUG: MAX_STACK_TRACE_ENTRIES too low!", M_PREFIX, NULL, "lockdep", R_FIXED,
	  "BUG: MAX_STACK_TRACE_ENTRIES too low!", 0, NULL, NULL, 20 },

	/* faults the kernel names with "BUG:" */
	{ "BUG: unable to handle kernel NULL pointer dereference", M_PREFIX, NULL, "bug", R_FIXED,
	  "BUG: unable to handle kernel NULL pointer dereference", S_RIP | S_STACK, NULL, NULL, 40 },
	{ "BUG: kernel NULL pointer dereference, address", M_PREFIX, NULL, "bug", R_FIXED,
	  "BUG: unable to handle kernel NULL pointer dereference", S_RIP | S_STACK, NULL, NULL, 40 },
	{ "BUG: Kernel NULL pointer dereference", M_PREFIX, NULL, "bug", R_FIXED,
	  "BUG: unable to handle kernel NULL pointer dereference", S_RIP | S_STACK, NULL, NULL, 40 },
	{ "BUG: unable to handle kernel paging request", M_PREFIX, NULL, "bug", R_FIXED,
	  "BUG: unable to handle kernel paging request", S_RIP | S_STACK, NULL, NULL, 40 },
	{ "BUG: unable to handle page fault for address", M_PREFIX, NULL, "bug", R_FIXED,
	  "BUG: unable to handle kernel paging request", S_RIP | S_STACK, NULL, NULL, 40 },
	{ "BUG: Unable to handle kernel data access", M_PREFIX, NULL, "bug", R_FIXED,
	  "BUG: unable to handle kernel paging request", S_RIP | S_STACK, NULL, NULL, 40 },
	{ "BUG: kernel access to user memory", M_PREFIX, NULL, "bug", R_FIXED,
	  "BUG: unable to handle kernel access to user memory", S_RIP | S_STACK, NULL, NULL, 40 },
	{ "BUG: unable to handle kernel", M_PREFIX, NULL, "bug", R_FIXED,
	  "BUG: unable to handle kernel", S_RIP | S_STACK, NULL, NULL, 40 },
	{ "Unable to handle kernel access to user memory", M_PREFIX, NULL, "bug", R_FIXED,
	  "BUG: unable to handle kernel access to user memory", S_RIP | S_STACK, NULL, NULL, 40 },
	{ "Unable to handle kernel paging request", M_PREFIX, NULL, "bug", R_FIXED,
	  "unable to handle kernel paging request", S_RIP | S_STACK, NULL, NULL, 40 },
	{ "Unable to handle kernel NULL pointer dereference", M_PREFIX, NULL, "bug", R_FIXED,
	  "unable to handle kernel NULL pointer dereference", S_RIP | S_STACK, NULL, NULL, 40 },
	{ "BUG: stack guard page was hit", M_PREFIX, NULL, "bug", R_FIXED,
	  "BUG: stack guard page was hit", S_RIP, NULL, NULL, 40 },

	/* other BUG: reports */
	{ "BUG: spinlock lockup suspected", M_PREFIX, NULL, "bug", R_FIXED,
	  "BUG: spinlock lockup suspected", S_STACK, "spin_", NULL, 40 },
	{ "BUG: spinlock already unlocked", M_PREFIX, NULL, "bug", R_FIXED,
	  "BUG: spinlock already unlocked", S_STACK, "spin_", NULL, 40 },
	{ "BUG: spinlock recursion", M_PREFIX, NULL, "bug", R_FIXED,
	  "BUG: spinlock recursion", S_STACK, "spin_", NULL, 40 },
	{ "BUG: spinlock bad magic", M_PREFIX, NULL, "bug", R_FIXED,
	  "BUG: spinlock bad magic", S_STACK, "spin_", NULL, 40 },
	{ "BUG: spinlock wrong owner", M_PREFIX, NULL, "bug", R_FIXED,
	  "BUG: spinlock wrong owner", S_STACK, "spin_", NULL, 40 },
	{ "BUG: spinlock wrong CPU", M_PREFIX, NULL, "bug", R_FIXED,
	  "BUG: spinlock wrong CPU", S_STACK, "spin_", NULL, 40 },
	{ "BUG: rwlock bad magic", M_PREFIX, NULL, "bug", R_FIXED,
	  "BUG: rwlock bad magic", S_STACK, "_lock|_unlock", NULL, 40 },
	{ "BUG: rwlock wrong owner", M_PREFIX, NULL, "bug", R_FIXED,
	  "BUG: rwlock wrong owner", S_STACK, "_lock|_unlock", NULL, 40 },
	{ "BUG: using ", M_PREFIX, "() in preemptible", "bug", R_PREEMPT, "BUG: using ", S_STACK,
	  "dump_stack|preemption|preempt|debug_|processor_id|this_cpu", NULL, 40 },
	{ "BUG: sleeping function called from invalid context", M_PREFIX, NULL, "bug", R_FIXED,
	  "BUG: sleeping function called from invalid context", S_STACK, NULL, NULL, 40 },
	{ "BUG: scheduling while atomic", M_PREFIX, NULL, "bug", R_FIXED,
	  "BUG: scheduling while atomic", S_STACK, "schedule", NULL, 40 },
	{ "BUG: workqueue leaked lock or atomic", M_PREFIX, NULL, "bug", R_LASTFN,
	  "BUG: workqueue leaked lock or atomic", 0, NULL, "last function: ", 20 },
	{ "BUG: Bad page state", M_PREFIX, NULL, "bug", R_FIXED, "BUG: Bad page state", S_STACK,
	  "bad_page|free_pages|free_page|page_alloc|put_page|release_pages|folio", NULL, 40 },
	{ "BUG: Bad page map", M_PREFIX, NULL, "bug", R_FIXED, "BUG: Bad page map", 0, NULL, NULL, 20 },
	{ "BUG: Bad rss-counter state", M_PREFIX, NULL, "bug", R_FIXED,
	  "BUG: Bad rss-counter state", 0, NULL, NULL, 20 },
	{ "BUG: Dentry ", M_PREFIX, "still in use", "bug", R_FIXED, "BUG: Dentry still in use",
	  S_STACK, "dput|dentry|shrink_|umount|generic_shutdown_super|kill_|deactivate_",
	  NULL, 40 },
	{ "BUG: workqueue lockup", M_PREFIX, NULL, "bug", R_FIXED, "BUG: workqueue lockup", 0,
	  NULL, NULL, 20 },
	{ "BUG kmalloc-", M_PREFIX, "Object already free", "bug", R_FIXED,
	  "BUG: Object already free", 0, NULL, NULL, 20 },
	{ "INFO: Freed in ", M_PREFIX, NULL, "bug", R_REST, "INFO: Freed in ", 0, NULL, NULL, 20 },
	{ "INFO: Allocated in ", M_PREFIX, NULL, "bug", R_REST, "INFO: Allocated in ", 0, NULL, NULL, 20 },
	{ "VFS: Close: file count is 0", M_PREFIX, NULL, "bug", R_FIXED,
	  "VFS: Close: file count is zero (use-after-free)", 0, NULL, NULL, 20 },
#define KBUG_SKIP "skb_put|skb_push|skb_pull|skb_over_panic|skb_under_panic|" \
	"check_heap_object|check_object_size|folio_unlock|unlock_page"
	{ "kernel BUG at ", M_PREFIX, NULL, "bug", R_KBUG, "kernel BUG", S_RIP | S_STACK, KBUG_SKIP,
	  NULL, 40 },
	{ "Kernel BUG at ", M_PREFIX, NULL, "bug", R_KBUG, "kernel BUG", S_RIP | S_STACK, KBUG_SKIP,
	  NULL, 40 },
	{ "BUG: ", M_PREFIX, NULL, "bug", R_REST, "BUG: ", 0, NULL, NULL, 40 },

	/* warnings: "WARNING: CPU: 0 PID: 1 at file:line func+0x1/0x2" and
	 * the new "WARNING: [cond] file:line at func+0x1/0x2, CPU#0: comm" */
	{ "WARNING: CPU: ", M_PREFIX, " at ", "warning", R_WARN, "WARNING", S_RIP | S_STACK, NULL,
	  NULL, 40 },
	{ "WARNING: ", M_PREFIX, ", CPU#", "warning", R_WARN, "WARNING", S_RIP | S_STACK, NULL, NULL, 40 },
	{ "WARNING: kernel stack regs at ", M_PREFIX, NULL, "warning", R_FIXED,
	  "WARNING: kernel stack regs has bad value", 0, NULL, NULL, 20 },
	{ "WARNING: kernel stack frame pointer at ", M_PREFIX, NULL, "warning", R_FIXED,
	  "WARNING: kernel stack regs has bad value", 0, NULL, NULL, 20 },

	/* CPU exceptions */
	OOPS("general protection fault", "general protection fault", 0),
	OOPS("segment-related general protection fault", "general protection fault", 0),
	OOPS("divide error: ", "divide error", 0),
	OOPS("PANIC: double fault", "PANIC: double fault", SECONDARY),
	OOPS("stack segment: ", "stack segment fault", 0),
	OOPS("kernel stack overflow", "kernel stack overflow", 0),
	OOPS("int3: ", "int3", 0),
	OOPS("Unhandled fault: ", "Unhandled fault", 0),
	OOPS("Internal error: ", "Internal error", SECONDARY),
	OOPS("invalid opcode: ", "invalid opcode", SECONDARY),
	{ "Oops: ", M_CONTAINS, NULL, "oops", R_FIXED, "Oops", S_RIP | S_STACK | SECONDARY, NULL,
	  NULL, 40 },

	{ "Kernel panic - not syncing: ", M_PREFIX, NULL, "panic", R_REST,
	  "Kernel panic - not syncing: ", SECONDARY, NULL, NULL, 5 },

	/* information: the suites provoke these on purpose */
	{ "Out of memory: Killed process ", M_CONTAINS, NULL, "oom-kill", R_COMM, "OOM killed ",
	  SECONDARY, NULL, "OOM kill", 0 },
	{ "Memory cgroup out of memory: Killed process ", M_CONTAINS, NULL, "oom-kill", R_COMM,
	  "OOM killed ", SECONDARY, NULL, "OOM kill", 0 },
	{ "oom_reaper: reaped process ", M_PREFIX, NULL, "oom-reaped", R_COMM,
	  "oom_reaper reaped ", SECONDARY, NULL, NULL, 0 },
	{ "oom_reaper: unable to reap pid:", M_PREFIX, NULL, "oom-reap-failed", R_COMM,
	  "oom_reaper unable to reap ", SECONDARY, NULL, NULL, 0 },
};

/*
 * WARNINGs and kernel BUGs some files raise for a class of bug: titled
 * after the class (syzkaller's names), the helpers of the class skipped.
 */
static const struct {
	enum rule family;
	const char *file;	/* a substring of the file:line */
	const char *func;	/* and of the function, when set */
	const char *kind;	/* when not the family's */
	const char *title;
	const char *skip;
} by_file[] = {
	{ R_WARN, "lib/debugobjects.c", "debug_", NULL, "WARNING: ODEBUG bug",
	  "debug_|rcu|hrtimer_|timer_|work_|percpu_|kmem_|slab_|kfree|vunmap|vfree|__free_|kobject_" },
	{ R_WARN, "mm/usercopy.c", "usercopy_warn", NULL, "WARNING: bad usercopy", "usercopy|__check" },
	{ R_WARN, "lib/kobject.c", "kobject_", NULL, "WARNING: kobject bug", "kobject_" },
	{ R_WARN, "fs/proc/generic.c", "proc_register", NULL, "WARNING: proc registration bug", "proc_" },
	{ R_WARN, "lib/refcount.c", "refcount_", NULL, "WARNING: refcount bug", "refcount|kobject_" },
	{ R_WARN, "kernel/locking/lockdep.c", "lock", "lockdep", "WARNING: locking bug",
	  "lock_sock|release_sock" },
	{ R_WARN, "mm/", "malloc", NULL, "WARNING: kmalloc bug",
	  "kmalloc|kcalloc|kzalloc|krealloc|vmalloc|slab|kmem" },
	{ R_WARN, "mm/vmalloc.c", "vmalloc", NULL, "WARNING: kmalloc bug",
	  "kmalloc|kcalloc|kzalloc|krealloc|vmalloc|slab|kmem" },
	{ R_KBUG, "mm/usercopy.c", NULL, NULL, "BUG: bad usercopy", "usercopy|__check" },
	{ R_KBUG, "lib/list_debug.c", NULL, NULL, "BUG: corrupted list", "list_" },
};

/* Reporting and generic helpers: never the function of a report. */
static const char *const skip_common[] = {
	"__sanitizer", "__asan", "kasan", "__msan", "kmsan", "kcsan", "kfence",
	"check_memory_region", "read_word_at_a_time", "print_address_description",
	"panic", "invalid_op", "report_bug", "fixup_bug", "do_error", "_trap",
	"dump_stack", "show_stack", "warn_slowpath", "warn_alloc", "__warn",
	"debug_object", "timer_is_static_object", "work_is_static_object",
	"lockdep", "perf_trace", "lock_acquire", "lock_release", "lock_class",
	"reacquire_held_locks", "spin_lock", "spin_trylock", "spin_unlock",
	"raw_read_lock", "raw_read_trylock", "raw_write_lock", "raw_write_trylock",
	"down", "up_read", "up_write", "mutex_lock", "mutex_trylock",
	"mutex_unlock", "mutex_remove_waiter", "osq_lock", "osq_unlock",
	"__wake_up", "refcount_add", "refcount_sub", "refcount_inc",
	"refcount_dec", "refcount_set", "refcount_read", "memcpy", "memcmp",
	"memset", "memchr", "memmove", "strcmp", "strncmp", "strcpy", "strlcpy",
	"strncpy", "strscpy", "strlen", "strnstr", "strnlen", "strchr",
	"copy_to_user", "copy_from_user", "put_user", "get_user", "might_fault",
	"might_sleep", "list_add", "list_del", "list_replace", "list_move",
	"list_splice", "_indirect_thunk_", "string", "pointer", "snprintf",
	"scnprintf", "kasprintf", "kvasprintf", "printk", "va_format",
	"dev_info", "dev_notice", "dev_warn", "dev_err", "dev_alert", "dev_crit",
	"dev_emerg", "program_check_exception", "program_check_common",
	"del_timer", "flush_work", "__cancel_work_timer", "cancel_work_sync",
	"try_to_grab_pending", "finish_wait", "kthread_stop", "kobject_del",
	"kobject_put", "kobject_uevent_env", "add_uevent_var",
	"get_device_parent", "device_add", "device_del", "device_unregister",
	"device_destroy", "device_release", "devres_release_all",
	"hwrng_unregister", "i2c_del_adapter", "__unregister_client",
	"device_for_each_child", "rollback_registered", "unregister_netdev",
	"sysfs_remove", "device_remove_file", "tty_unregister_device",
	"dummy_urb_enqueue", "usb_kill_urb", "usb_kill_anchored_urbs",
	"usb_control_msg", "usb_hcd_submit_urb", "usb_submit_urb",
	"wait_for_completion", "kfree_skb", "ubsan_", "__ubsan", "handle_bug",
	"exc_invalid_op", "asm_exc_", "exc_page_fault", "__die", "die_body",
	"ret_from_fork", "entry_SYSCALL", "do_syscall_", "__bad_area",
	"bad_area", "no_context", "page_fault_oops", "kernelmode_fixup_or_oops",
	"__do_kernel_fault", "do_page_fault", "do_translation_fault",
	"do_mem_abort", "die_kernel_fault", "arm64_notify_die",
	/* arm64 and riscv unwinders, lockdep's own frames */
	"dump_backtrace", "walk_stackframe", "el1_abort", "el1h_64_sync",
	"el1_sync", "mark_lock", "validate_chain", "check_prev_add",
	"check_noncircular", "print_circular_bug", "trace_hardirqs",
	/* generic library helpers (lib/, and the workqueue and timer cores) */
	"rb_erase", "rb_insert", "rhashtable_lookup", "hex_dump", "crc16",
	"__read_once", "atomic_read", "kvfree", "ida_free", "ref_tracker",
	"__phys_addr", "lock_timer_base", "__queue_work",
};
static const char *const skip_exact[] = { "complete", "kfree" };

/* Stall anchors: the function before one of these names the stall. */
static const char *const stall_anchor[] = {
	"process_one_work", "do_syscall_", "do_fast_syscall_", "sysenter_dispatch",
	"tracesys_phase2", "netif_receive_skb", "do_softirq", "call_timer_fn",
	"_run_timers", "run_timer_softirq", "run_ksoftirqd", "smpboot_thread_fn",
	"kthread", "start_secondary", "cpu_startup_entry", "ret_from_fork",
	"vfs_write", "vfs_read", "vfs_iter_read", "vfs_iter_write", "do_iter_read",
	"do_iter_write", "vfs_ioctl", "ksys_ioctl", "compat_ioctl",
	"compat_sys_ioctl", "blkdev_driver_ioctl", "blkdev_ioctl",
	"do_iter_readv_writev", "mmap_region", "do_mmap", "do_dentry_open",
	"vfs_open", "__sys_setsockopt", "kernel_setsockopt",
	"sock_common_setsockopt", "__sys_listen", "kernel_listen",
	"sk_common_release", "__sys_accept", "kernel_accept", "__do_fault",
	"handle_mm_fault", "do_page_fault", "__fput", "task_work_run",
	"exit_to_usermode", "exit_to_user_mode", "smp_call_function",
	"entry_SYSCALL",
};
/* these only at the start of the name */
static const char *const stall_anchor_start[] = {
	"call_read_iter", "call_write_iter", "call_mmap", "sock_sendmsg",
	"sock_recvmsg", "sock_release", "__sock_release", "sock_mmap",
	"sock_do_ioctl", "sock_ioctl", "compat_sock_ioctl", "nfnetlink_rcv_msg",
	"rtnetlink_rcv_msg",
};
/* syscall entry prefixes: "__x64_sys_mount" names the stall "mount" */
static const char *const syscall_prefix[] = {
	"__x64_sys_", "__ia32_sys_", "__arm64_sys_", "__se_sys_", "__do_sys_",
	"compat_SYSC_", "compat_SyS_", "SYSC_", "SyS_", "__sys_", "ksys_",
	"sys_",
};
/* task hung: the first frame with none of these */
static const char *const hung_skip[] = {
	"sched", "_lock", "_slowlock", "down", "rwsem", "completion", "kthread",
	"wait", "synchronize", "context_switch", "__switch_to",
	"cancel_delayed_work",
};

/* does one of the '|'-separated words of list occur in fn? */
static int in_list(const char *fn, const char *list)
{
	while (list && *list) {
		size_t n = strcspn(list, "|");
		const char *p;

		for (p = fn; (p = strchr(p, list[0])); p++)
			if (!strncmp(p, list, n))
				return 1;
		list += n;
		if (*list == '|')
			list++;
	}
	return 0;
}

static int skipped(const char *fn, const char *extra)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(skip_common); i++)
		if (strstr(fn, skip_common[i]))
			return 1;
	for (i = 0; i < ARRAY_SIZE(skip_exact); i++)
		if (!strcmp(fn, skip_exact[i]))
			return 1;
	return in_list(fn, extra);
}

static int is_stall_anchor(const char *fn)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(stall_anchor); i++)
		if (strstr(fn, stall_anchor[i]))
			return 1;
	for (i = 0; i < ARRAY_SIZE(stall_anchor_start); i++)
		if (starts_with(fn, stall_anchor_start[i]))
			return 1;
	/* the discriminating syscalls: connect, ioctl, socketpair */
	return (strstr(fn, "sys_connect") || strstr(fn, "sys_ioctl") ||
		strstr(fn, "sys_socketpair")) && !strstr(fn, "compat_sys_ioctl");
}

/*
 * A function name at p ([A-Za-z0-9_]+ followed by '.' or '+', with
 * "+0x" in the same word): its length, 0 if none.
 */
static size_t func_at(const char *p)
{
	size_t n = 0;
	const char *q;

	while (isalnum((unsigned char)p[n]) || p[n] == '_')
		n++;
	if (!n || (p[n] != '.' && p[n] != '+'))
		return 0;
	for (q = p + n; *q && *q != ' ' && *q != '\t' && *q != ')'; q++)
		if (q[0] == '+' && q[1] == '0' && q[2] == 'x')
			return n;
	return 0;
}

/* skip "[<ffffffff81234567>] " (old kernels print up to two) */
static const char *skip_pcs(const char *p)
{
	int i;

	for (i = 0; i < 2; i++) {
		const char *q = p;

		while (*q == ' ' || *q == '\t')
			q++;
		if (*q != '[')
			break;
		q++;
		if (*q == '<')
			q++;
		if (q[0] == '0' && q[1] == 'x')
			q += 2;
		if (!isxdigit((unsigned char)*q))
			break;
		while (isxdigit((unsigned char)*q))
			q++;
		if (*q == '>')
			q++;
		if (*q != ']')
			break;
		p = q + 1;
	}
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

/*
 * A stack frame line: " func+0x1a/0x40", " [<ffffffff8123>] func+0x..",
 * " ? func+0x.." (questionable: *q set).  The function copied into fn.
 */
static int frame_of(const char *s, char *fn, size_t size, int *q)
{
	const char *p = skip_pcs(s);
	size_t n;

	*q = 0;
	if (p[0] == '?' && p[1] == ' ') {
		*q = 1;
		p = skip_pcs(p + 2);
	}
	if (p != s && *p == '(' && strstr(p, ") from ")) {
		/* arm: "[<80242440>] (warn_slowpath_fmt) from [<8081>] (...)" */
		for (n = 1; isalnum((unsigned char)p[n]) || p[n] == '_'; n++)
			;
		if (n == 1 || (p[n] != ')' && p[n] != '+' && p[n] != '.'))
			return 0;
		copyn(fn, size, p + 1, n - 1);
		return 1;
	}
	if (p == s && *s != ' ' && *s != '\t')
		return 0;	/* frames are indented */
	n = func_at(p);
	if (!n)
		return 0;
	copyn(fn, size, p, n);
	return 1;
}

/* lines that do not end a call trace */
static int in_trace(const char *s)
{
	const char *p = s;
	int n = 0;

	while (*p == ' ' || *p == '\t')
		p++;
	if (*p == '<' || strstr(p, " [inline]") || starts_with(p, "? ") || *p == '[')
		return 1;
	/* RIP:, Code:, RAX:, FS:, CR2: ... inside an interrupt's trace */
	while (isupper((unsigned char)p[n]) || isdigit((unsigned char)p[n]))
		n++;
	if (n >= 2 && n <= 6 && p[n] == ':')
		return 1;
	return starts_with(p, "Code:");
}

/* the function of the faulting instruction, when s says where it is */
static int rip_of(const char *s, char *fn, size_t size)
{
	const char *p;
	size_t n;

	if ((p = strstr(s, "IP: ")))		/* RIP: EIP: IP: */
		p += 4;
	else if ((p = strstr(s, "NIP ")))	/* powerpc */
		p += 4;
	else if (skip_prefix(s, "pc : ", &p))	/* arm64 */
		;
	else if ((p = strstr(s, "PC is at ")))	/* arm */
		p += 9;
	else
		return 0;
	while (*p == ' ')
		p++;
	/* "0010:" segment */
	if (isdigit((unsigned char)*p)) {
		const char *q = p;

		while (isdigit((unsigned char)*q))
			q++;
		if (*q == ':')
			p = q + 1;
	}
	p = skip_pcs(p);
	n = func_at(p);
	if (!n)
		return 0;
	copyn(fn, size, p, n);
	return 1;
}

static struct finding *ext_finding(struct triage *t, struct triage_ext *e)
{
	return e->idx >= 0 && (size_t)e->idx < t->nr ? &t->f[e->idx] : NULL;
}

static void retitle(struct triage *t, struct triage_ext *e)
{
	struct finding *f = ext_finding(t, e);
	struct buf b = BUF_INIT;

	if (!f)
		return;
	if (e->func[0]) {
		buf_addstr(&b, e->base);
		buf_addstr(&b, e->access);
		buf_addstr(&b, " in ");
		buf_addstr(&b, e->func);
	} else {
		buf_addstr(&b, e->fallback);
		if (e->base[0] && !strcmp(e->base, e->fallback))
			buf_addstr(&b, e->access);
	}
	free(f->title);
	f->title = buf_detach(&b, NULL);
}

static void strip_syscall(char *fn)
{
	size_t i, n;

	for (i = 0; i < ARRAY_SIZE(syscall_prefix); i++)
		if (starts_with(fn, syscall_prefix[i]) &&
		    fn[(n = strlen(syscall_prefix[i]))]) {
			memmove(fn, fn + n, strlen(fn + n) + 1);
			return;
		}
}

static void set_func(struct triage *t, struct triage_ext *e, const char *fn, int final)
{
	copyn(e->func, sizeof(e->func), fn, strlen(fn));
	e->done = final;
	retitle(t, e);
}

/* a candidate function, in the order the report gives them */
static void offer(struct triage *t, struct triage_ext *e, const char *fn)
{
	const struct triage_hdr *h = e->h;
	size_t i;

	if (e->done || skipped(fn, h->skip) || in_list(fn, e->skip))
		return;
	e->frames++;
	if (h->src & X_STALL) {
		if (is_stall_anchor(fn)) {
			char pick[TRIAGE_FUNC_MAX];

			copyn(pick, sizeof(pick), e->prev[0] ? e->prev : fn,
			      strlen(e->prev[0] ? e->prev : fn));
			if (strstr(fn, "smp_call_function"))
				copyn(pick, sizeof(pick), "smp_call_function", 17);
			strip_syscall(pick);
			set_func(t, e, pick, 1);
			return;
		}
		copyn(e->prev, sizeof(e->prev), fn, strlen(fn));
		if (!e->func[0])
			set_func(t, e, fn, 0);
		return;
	}
	if (h->src & X_HUNG) {
		if (strstr(fn, "rtnl_lock")) {
			set_func(t, e, "rtnl_lock", 1);
			return;
		}
		if (strstr(fn, "synchronize_rcu") || strstr(fn, "synchronize_srcu") ||
		    strstr(fn, "synchronize_net") || strstr(fn, "synchronize_sched")) {
			set_func(t, e, "synchronize_rcu", 1);
			return;
		}
		if (e->func[0])
			return;
		for (i = 0; i < ARRAY_SIZE(hung_skip); i++)
			if (strstr(fn, hung_skip[i]))
				return;
		set_func(t, e, fn, 0);
		return;
	}
	set_func(t, e, fn, 1);
}

/* one more line of an open report: candidates for its function */
static void ext_line(struct triage *t, struct triage_ext *e, const char *s)
{
	const struct triage_hdr *h = e->h;
	char fn[TRIAGE_FUNC_MAX];
	const char *p;
	int q;

	if (e->idx < 0)
		return;
	if (--e->left < 0 || strstr(s, "---[ end trace") || strstr(s, "---[ end Kernel panic")) {
		e->idx = -1;
		return;
	}
	if (h->rule == R_KASAN && !e->access[0] && e->left > 280) {
		if (strstr(s, "Read of size") || strstr(s, "Read at addr")) {
			strcpy(e->access, " Read");
			retitle(t, e);
		} else if (strstr(s, "Write of size") || strstr(s, "Write at addr")) {
			strcpy(e->access, " Write");
			retitle(t, e);
		}
	}
	if (e->done)
		return;
	if (h->rule == R_LASTFN && h->marker && (p = strstr(s, h->marker))) {
		size_t n;

		p += strlen(h->marker);
		for (n = 0; isalnum((unsigned char)p[n]) || p[n] == '_'; n++)
			;
		if (n) {
			copyn(fn, sizeof(fn), p, n);
			set_func(t, e, fn, 1);
		}
		return;
	}
	if (h->src & S_AT) {
		if (!e->marker && !h->marker) {
			e->marker = 1;
		} else if (!e->marker && strstr(s, h->marker)) {
			e->marker = 1;
			return;
		}
		if (e->marker && e->marker < 3 && !e->stack) {
			/* "(&lock){+.+.}, at: [<ffffffff8123>] func+0x..",
			 * or a line of its own "[<ffffffff8123>] func+0x.." */
			p = strstr(s, "at: ");
			p = p ? skip_pcs(p + 4) : (strstr(s, "[<") ? skip_pcs(s) : NULL);
			if (p && p != s && func_at(p)) {
				copyn(fn, sizeof(fn), p, func_at(p));
				e->marker++;
				offer(t, e, fn);
				return;
			}
		}
	}
	if ((h->src & S_APIC) && !e->apic) {
		if (strstr(s, "apic_timer_interrupt"))
			e->apic = 1;
		return;
	}
	if ((h->src & (S_RIP | S_APIC)) && rip_of(s, fn, sizeof(fn))) {
		offer(t, e, fn);
		return;
	}
	if (!(h->src & (S_STACK | S_APIC)))
		return;
	if (!e->stack) {
		if (strstr(s, "Call Trace:") || strstr(s, "Call trace:") ||
		    (strstr(s, "backtrace:") && !strstr(s, "stack backtrace:")))
			e->stack = 1;
		else if (!(h->src & S_APIC))
			return;
	}
	if (frame_of(s, fn, sizeof(fn), &q)) {
		if (!q)
			offer(t, e, fn);
	} else if (e->stack && e->frames && !in_trace(s)) {
		/* the trace ended: keep the provisional choice */
		if (e->func[0])
			e->done = 1;
		e->stack = 0;
	}
}

/* the word(s) of a header before " in ": "use-after-free", "uninit-value" */
static void type_of(const char *rest, char *dst, size_t size)
{
	const char *in = strstr(rest, " in ");
	size_t n = in ? (size_t)(in - rest) : strcspn(rest, ",:");

	copyn(dst, size, rest, n);
}

/* "func+0x1a/0x40" after " in " in the header, for S_HDR */
static int header_func(const char *rest, char *fn, size_t size)
{
	const char *in = strstr(rest, " in ");
	size_t n;

	if (!in)
		return 0;
	in = skip_pcs(in + 4);
	n = func_at(in);
	if (!n) {
		/* "in func" at the end of the line, "in func at addr" */
		while (isalnum((unsigned char)in[n]) || in[n] == '_')
			n++;
		if (!n || (in[n] && in[n] != ' ' && in[n] != ','))
			return 0;
	}
	copyn(fn, size, in, n);
	return 1;
}

/* "(comm)" of an OOM line */
static char *comm_of(const char *s)
{
	const char *open = strchr(s, '('), *close;

	if (open && (close = strchr(open, ')')))
		return xstrndup(open + 1, (size_t)(close - open - 1) < 64 ?
				(size_t)(close - open - 1) : 64);
	return NULL;
}

/* a WARNING's file:line and function: old and new formats */
/*
 * A source path as the tree names it.  Kernels before 6.2 build out of
 * tree (O=) without -fmacro-prefix-map, so __FILE__ is
 * "../../../../checkouts/linux/0/arch/arm64/mm/mmu.c": from a path that
 * starts with "../" or "/", keep what follows the first top-level
 * directory of a kernel tree.
 */
static void tree_path(char *file)
{
	static const char *const top[] = {
		"arch", "block", "certs", "crypto", "drivers", "fs", "include",
		"init", "io_uring", "ipc", "kernel", "lib", "mm", "net", "rust",
		"samples", "security", "sound", "virt",
	};
	char *p;
	size_t i, n;

	if (!starts_with(file, "../") && file[0] != '/')
		return;
	for (p = strchr(file, '/'); p; p = strchr(p + 1, '/')) {
		for (i = 0; i < ARRAY_SIZE(top); i++) {
			n = strlen(top[i]);
			if (!strncmp(p + 1, top[i], n) && p[1 + n] == '/') {
				memmove(file, p + 1, strlen(p + 1) + 1);
				return;
			}
		}
	}
}

static void warn_parts(const char *s, char *file, size_t fsize, char *fn, size_t nsize)
{
	const char *at = strstr(s, " at "), *p;
	size_t n;

	file[0] = fn[0] = '\0';
	if (!at)
		return;
	if (starts_with(s, "WARNING: CPU: ")) {
		/* "... at mm/x.c:512 func+0x10d/0x120" */
		p = at + 4;
		n = strcspn(p, " ");
		copyn(file, fsize, p, n);
		p += n;
		while (*p == ' ')
			p++;
	} else {
		/* "WARNING: [cond] fs/x.c:1058 at func+0x1/0x2, CPU#0:" */
		const char *e = at;

		p = e;
		while (p > s && p[-1] != ' ')
			p--;
		copyn(file, fsize, p, (size_t)(e - p));
		p = at + 4;
	}
	tree_path(file);
	n = func_at(p);
	if (n)
		copyn(fn, nsize, p, n);
}

/* a new report: its finding, its title, its extractor */
static void start_report(struct triage *t, const struct triage_hdr *h,
			 const char *s, const char *at, const char *rest)
{
	struct triage_ext *e = &t->ext[(h->src & SECONDARY) && t->ext[0].idx >= 0 ? 1 : 0];
	char fn[TRIAGE_FUNC_MAX] = "", file[TRIAGE_FUNC_MAX];
	char *title = NULL;
	const char *kind = h->kind;
	size_t i;
	int cls = -1;

	memset(e, 0, sizeof(*e));
	e->idx = -1;
	e->h = h;
	e->left = 300;
	copyn(e->base, sizeof(e->base), h->title, strlen(h->title));
	switch (h->rule) {
	case R_FIXED:
	case R_LASTFN:
		break;
	case R_REST:
		title = normalise(rest, strlen(rest));
		snprintf(e->base, sizeof(e->base), "%s%s", h->title, title);
		free(title);
		break;
	case R_TYPE:
	case R_KASAN:
	case R_UBSAN:
		type_of(rest, file, sizeof(file));
		title = normalise(file, strlen(file));
		snprintf(e->base, sizeof(e->base), "%s%s", h->title, title);
		free(title);
		if (h->rule == R_UBSAN && !strcmp(e->base, "UBSAN: Undefined behaviour"))
			strcpy(e->base, "UBSAN: undefined-behaviour");
		break;
	case R_PREEMPT: {
		size_t n = strcspn(rest, "(");

		snprintf(e->base, sizeof(e->base), "BUG: using %.*s() in preemptible code",
			 (int)(n < 40 ? n : 40), rest);
		break;
	}
	case R_WARN:
	case R_KBUG:
		if (h->rule == R_WARN) {
			warn_parts(at, file, sizeof(file), fn, sizeof(fn));
			strcpy(e->base, "WARNING");
		} else {
			copyn(file, sizeof(file), rest, strcspn(rest, "!: "));
			strcpy(e->base, "kernel BUG");
		}
		for (i = 0; i < ARRAY_SIZE(by_file); i++)
			if (by_file[i].family == h->rule && strstr(file, by_file[i].file) &&
			    (!by_file[i].func || strstr(fn, by_file[i].func))) {
				cls = (int)i;
				copyn(e->base, sizeof(e->base), by_file[i].title,
				      strlen(by_file[i].title));
				if (by_file[i].kind)
					kind = by_file[i].kind;
				break;
			}
		break;
	case R_HUNG:
	case R_COMM:
		break;
	}
	if (h->src & S_HDR)
		header_func(rest, fn, sizeof(fn));
	/* the title without a function */
	if (h->rule == R_HUNG) {
		const char *end = strstr(rest, "blocked for more than"), *colon;
		char *c;

		/* "INFO: task kworker/0:1:17 blocked": the pid follows the
		 * last ':' (the comm may hold one too); "INFO: task blocked
		 * ..." (no comm) must not run past the line (fuzz-text) */
		while (end > rest && end[-1] == ' ')
			end--;
		colon = end;
		while (colon > rest && *colon != ':')
			colon--;
		c = normalise(rest, (size_t)((colon > rest ? colon : end) - rest));
		snprintf(e->fallback, sizeof(e->fallback), "hung task: %s", c);
		free(c);
	} else if (h->rule == R_COMM) {
		char *c = comm_of(rest);

		if (c || !h->marker)
			snprintf(e->fallback, sizeof(e->fallback), "%s%s", h->title, c ? c : "?");
		else
			copyn(e->fallback, sizeof(e->fallback), h->marker, strlen(h->marker));
		free(c);
	} else if (h->rule == R_UBSAN) {
		title = normalise(at, strlen(at));
		copyn(e->fallback, sizeof(e->fallback), title, strlen(title));
		free(title);
	} else if (h->rule == R_WARN && (fn[0] || file[0])) {
		char tmp[TRIAGE_TITLE_MAX];

		title = normalise(file, strlen(file));
		if (fn[0])
			snprintf(tmp, sizeof(tmp), "%s in %s", e->base, fn);
		else
			snprintf(tmp, sizeof(tmp), "%s: %s", e->base, title);
		memcpy(e->fallback, tmp, sizeof(tmp));
		free(title);
	} else {
		memcpy(e->fallback, e->base, sizeof(e->fallback));
	}
	add(t, kind, xstrdup(e->fallback), s, h->follow);
	if (h->rule == R_COMM || !(h->src & (S_HDR | S_AT | S_RIP | S_STACK | S_APIC)) ||
	    h->rule == R_LASTFN) {
		e->idx = h->rule == R_LASTFN ? (long)t->nr - 1 : -1;
		return;
	}
	e->idx = (long)t->nr - 1;
	if (cls >= 0)
		e->skip = by_file[cls].skip;
	if (fn[0] && (h->src & S_HDR))
		offer(t, e, fn);
}

static const struct triage_hdr *match_at(const char *s, const char **rest)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(headers); i++) {
		const struct triage_hdr *h = &headers[i];
		const char *p;

		if (h->how == M_PREFIX) {
			if (!skip_prefix(s, h->text, &p))
				continue;
		} else {
			if (!(p = strstr(s, h->text)))
				continue;
			p += strlen(h->text);
		}
		if (h->also && !strstr(s, h->also))
			continue;
		*rest = p;
		return h;
	}
	return NULL;
}

/*
 * The report header on this line: at its start, inside an old banner
 * "[ INFO: ... ]", or after other text and a printk timestamp
 * ("syzkaller login: [   16.3] BUG: ...").
 */
static const struct triage_hdr *find_header(const char *s, const char **at,
					    const char **rest)
{
	const struct triage_hdr *h;
	const char *p = s;
	int tries;

	if ((h = match_at(s, rest))) {
		*at = s;
		return h;
	}
	if (s[0] == '[' && s[1] == ' ' && (h = match_at(s + 2, rest))) {
		*at = s + 2;
		return h;
	}
	for (tries = 0; tries < 8 && *p && (p = strchr(p + 1, '[')); tries++) {
		const char *q;

		if (!is_timestamp(p))
			continue;
		q = triage_strip_prefix(p);
		if (q != p && (h = match_at(q, rest))) {
			*at = q;
			return h;
		}
	}
	return NULL;
}

/* The line of '=' that closes a KASAN, KMSAN, KCSAN, KFENCE or UBSAN
 * report (the one that opens it comes before the header) */
static int closing_rule(const char *s)
{
	size_t n = strspn(s, "=");

	return n >= 40 && !s[n + strspn(s + n, " \t")];
}

static void classify(struct triage *t, const char *raw)
{
	const char *s = triage_strip_prefix(raw), *p, *at, *rest;
	const struct triage_hdr *h;
	size_t n = strlen(s);

	if (n)
		t->nonempty++;
	if (s != raw)
		t->stamped++;
	if (starts_with(s, TRIAGE_START_MARKER)) {
		t->saw_start = 1;
		return;
	}
	if (starts_with(s, TRIAGE_END_MARKER)) {
		t->saw_end = 1;
		p = strstr(s, "status=");
		if (p)
			t->end_status = atoi(p + 7);
		return;
	}
	/* the kernel's banner carries a printk timestamp; /proc/version
	 * printed by a test does not (and BIOS noise may precede it) */
	if ((p = strstr(raw, "] Linux version ")) && strchr(raw, '[') < p) {
		if (++t->linux_banners == 2)
			add(t, "unexpected-reboot",
			    xstrdup("unexpected reboot: the kernel started again"),
			    s, 0);
		return;
	}
	/* the decompressor, after the kernel has run: a reboot */
	if (starts_with(s, "Booting the kernel.") && (t->linux_banners || t->stamped)) {
		add(t, "unexpected-reboot", xstrdup("unexpected kernel reboot"), s, 0);
		t->linux_banners = 1;	/* the banner that follows is not a second one */
		t->ext[0].idx = t->ext[1].idx = -1;
		return;
	}
	h = find_header(s, &at, &rest);
	/* a new report (not one inside the open one) ends the open one */
	if (h && !(h->src & SECONDARY))
		t->ext[0].idx = t->ext[1].idx = -1;
	ext_line(t, &t->ext[0], s);
	ext_line(t, &t->ext[1], s);
	/* continuation of an open report */
	if (t->open && t->open_left > 0) {
		buf_addstr(&t->open->lines, s);
		buf_addch(&t->open->lines, '\n');
		t->open_left--;
		if (strstr(s, "---[ end trace") || strstr(s, "---[ end Kernel panic") ||
		    closing_rule(s))
			t->open = NULL;
	}
	if (h)
		start_report(t, h, s, at, rest);
}

void triage_feed(struct triage *t, const char *data, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		char c = data[i];

		if (c == '\n') {
			/* CRs from the serial line go */
			while (t->partial.len && t->partial.buf[t->partial.len - 1] == '\r')
				buf_setlen(&t->partial, t->partial.len - 1);
			t->lineno++;
			classify(t, t->partial.buf);
			buf_reset(&t->partial);
		} else if (c != '\0') {
			buf_addch(&t->partial, c);
		}
	}
}

void triage_finish(struct triage *t, enum triage_end how)
{
	if (t->partial.len) {
		t->lineno++;
		classify(t, t->partial.buf);
		buf_reset(&t->partial);
	}
	t->open = NULL;
	t->ext[0].idx = t->ext[1].idx = -1;
	if (how == TRIAGE_CUT_SHORT)
		return;
	if (!t->nonempty) {
		add(t, "no-output", xstrdup("no output on the console"), NULL, 0);
		return;
	}
	if (how == TRIAGE_TIMED_OUT) {
		add(t, "timeout", xstrdup(t->saw_start ?
			"timeout: the guest did not finish" :
			"timeout: the guest never reached /init"), NULL, 0);
		return;
	}
	/* ended, but not through /init's end: a reboot nobody asked for */
	if (t->saw_start && !t->saw_end) {
		size_t i;
		int explained = 0;

		for (i = 0; i < t->nr; i++)
			if (!strcmp(t->f[i].kind, "panic") ||
			    !strcmp(t->f[i].kind, "unexpected-reboot"))
				explained = 1;
		if (!explained)
			add(t, "unexpected-reboot",
			    xstrdup("unexpected reboot: /init did not finish"),
			    NULL, 0);
	}
}
