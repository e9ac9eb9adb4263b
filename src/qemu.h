/*
 * qemu: boot a kernel with an initramfs in QEMU and capture its serial
 * console.  The arch's row (arch.h) gives the binary, the machine and the
 * console:
 *
 *   qemu-system-x86_64 -nodefaults -nographic -no-reboot -serial stdio
 *     -monitor none -m M -smp N -accel kvm|tcg -kernel K -initrd I
 *     -append "console=ttyS0 panic=-1 ..."
 *   qemu-system-aarch64 -M virt -cpu cortex-a57 ... console=ttyAMA0
 *
 * KVM when the guest's arch is the host's, /dev/kvm can be opened and a
 * kernel boots under it (probed once per host boot, qemu.c), TCG
 * otherwise; PWB_ACCEL=tcg or =kvm decides without a probe.  The console comes back
 * through a pipe, judged by triage as it arrives; QEMU's process group is
 * killed on the total or the no-output timeout and on pwb's SIGINT/SIGTERM
 * (util/run.h), so no QEMU outlives pwb.
 */
#ifndef PWB_QEMU_H
#define PWB_QEMU_H

#include "triage.h"
#include "util/run.h"

struct qemu_opts {
	const char *arch;		/* arch.h name; NULL: x86_64 */
	const char *qemu;		/* default: the arch's QEMU */
	const char *kernel;
	const char *initrd;
	const char *append;		/* extra kernel parameters */
	long mem_mb;			/* default 256 */
	int cpus;			/* default 1 */
	double timeout;			/* default 300 s */
	double idle_timeout;		/* default 60 s */
	int echo;			/* copy the console to stderr */
};

enum boot_status {
	BOOT_OK,		/* /init ran to its end, no kernel failure */
	BOOT_KERNEL_FAILURE,	/* triage found a kernel failure */
	BOOT_TIMEOUT,		/* total or no-output timeout */
	BOOT_INFRA,		/* QEMU missing, cannot start, bad kernel... */
	BOOT_INTERRUPTED,
};

struct boot_result {
	enum boot_status status;
	int end_status;		/* /init's command status, -1 unknown */
	int kvm;
	double start_seconds;	/* QEMU start to /init's start marker, or -1 */
	char *qemu_version;
	char *cmdline;		/* the QEMU command line, for the record */
	char *error;		/* infrastructure error text */
	struct run_result run;	/* console in run.output */
	struct triage triage;
};

/* "ok", "kernel-failure", "timeout", "infra-error", "interrupted": as
 * the boots table and JSON keep them; "?" for no status */
const char *boot_status_name(enum boot_status s);
/* 0 with *out, -1 (quietly, *out untouched) for a string that is none */
int boot_status_parse(const char *s, enum boot_status *out);
int qemu_boot(const struct qemu_opts *o, struct boot_result *r);
void boot_result_release(struct boot_result *r);

/*
 * A console recorded before (console[0..len)), judged as if QEMU had just
 * printed it and exited: the same triage and classification as
 * qemu_boot.  what names the recording (qemu_version and cmdline);
 * timed_out: the guest was still running when the recording ends.
 */
int qemu_replay(const char *console, size_t len, const char *what,
		int timed_out, struct boot_result *r);

#endif
