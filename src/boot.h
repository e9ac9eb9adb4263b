/*
 * boot: one boot of a kernel with an ad hoc command, as pwb boot makes
 * it.  boot_run() composes the stages the other modules own:
 *
 *   build (--tree: kbuild.h) -> initramfs (initramfs.h) -> QEMU and
 *   triage (qemu.h) -> record the boot and its findings (bootdb.h) ->
 *   the console to a file (when asked)
 *
 * and says what came of it as an enum boot_run_outcome.  Suites boot
 * through the executor instead (exec.h, suiterun.h).
 */
#ifndef PWB_BOOT_H
#define PWB_BOOT_H

#include <stddef.h>

#include "initramfs.h"
#include "kbuild.h"
#include "qemu.h"

struct pwb_ctx;

struct boot_request {
	/* the kernel: an image, or a tree and revision built first */
	const char *kernel;
	const char *tree;	/* a registered tree name or a path */
	const char *rev;
	const char *config;	/* NAME or path; NULL: the arch's */
	const char *arch;	/* arch.h name; NULL: x86_64 (the caller
				 * resolves build.arch: target_resolve) */
	const char *toolchain;	/* builds only; NULL: gcc */
	kbuild_progress_fn progress;	/* the build's; NULL: none */
	void *progress_ud;

	/* the guest */
	const char *run;	/* shell command /init runs; NULL: none */
	const struct initramfs_file *files;	/* extra files (boot_file_parse) */
	size_t nfiles;

	/* QEMU; 0 or NULL: config boot.mem, boot.cpus, boot.timeout,
	 * boot.idletimeout, boot.qemu (else the arch's QEMU) */
	long mem_mb;
	long cpus;
	long timeout;		/* seconds in all */
	long idle_timeout;	/* seconds without console output */
	const char *qemu;
	const char *append;	/* more kernel parameters */
	int echo;		/* copy the console to stderr */

	const char *log;	/* write the console to this file; NULL: no */
};

#define BOOT_REQUEST_INIT { NULL }

/*
 * What came of a boot_run.  The first five are the boot's own status
 * (qemu.h's enum boot_status, with the same names: the boots table and
 * pwb boot --json keep them); the last two end the run before QEMU.
 */
enum boot_run_outcome {
	BOOT_RUN_OK,		/* "ok": /init ran to its end, no kernel failure */
	BOOT_RUN_KERNEL_FAILURE,/* "kernel-failure": triage found one */
	BOOT_RUN_TIMEOUT,	/* "timeout": total or no-output timeout */
	BOOT_RUN_INFRA_ERROR,	/* "infra-error": never the kernel's fault:
				 * QEMU missing, refusing or killed, a kernel
				 * image that cannot be read, an initramfs
				 * that cannot be written, a build that timed
				 * out or could not run, an arch pwb does not
				 * boot */
	BOOT_RUN_INTERRUPTED,	/* "interrupted": SIGINT/SIGTERM (boot or build) */
	BOOT_RUN_NO_KERNEL,	/* "no-kernel": the tree does not configure or
				 * build (the code's fault) */
	BOOT_RUN_ERROR,		/* "error": the database, the config, a
				 * temporary directory, a build that could not
				 * start or be recorded, a request without a
				 * kernel */
};
const char *boot_run_outcome_name(enum boot_run_outcome o);
/* 0, or -1 when s names no outcome (*out is then BOOT_RUN_ERROR). */
int boot_run_outcome_parse(const char *s, enum boot_run_outcome *out);
/* A boot's status as an outcome, and a build's that did not give a kernel
 * (BUILD_OUT_OK gives BOOT_RUN_OK: go on and boot). */
enum boot_run_outcome boot_run_outcome_of(enum boot_status s);
enum boot_run_outcome boot_run_outcome_of_build(enum build_outcome o);

struct boot_run_result {
	enum boot_run_outcome outcome;
	long id;		/* the boots row, or -1: nothing recorded */
	int booted;		/* QEMU ran: boot holds its result */
	struct boot_result boot;
	int built;		/* a build was recorded: build holds it */
	struct kbuild_result build;
	char *error;		/* one line for the caller to say, or NULL
				 * (ok, kernel-failure, timeout, an interrupted
				 * boot, or an error already said below) */
};

/*
 * Run q.  Returns 0 when a boot was recorded (r->id; r->outcome is the
 * boot's status), -1 when the run ended before (r->outcome says why,
 * never BOOT_RUN_OK; nothing is recorded but a build).  Bad input (no
 * kernel, an unreadable image, an unknown arch) is found before anything
 * is built, written or recorded.  Errors of the stages below (kbuild,
 * initramfs, the database, the config) are said where they happen
 * (error()); r->error holds the others.  r is always set and must be
 * released (boot_run_result_release).  The caller installs the signal
 * handlers (run_install_signal_handlers) for Ctrl-C to interrupt.
 */
int boot_run(struct pwb_ctx *ctx, const struct boot_request *q,
	     struct boot_run_result *r);
void boot_run_result_release(struct boot_run_result *r);

/*
 * An extra file "SRC:/DST" (pwb boot --file): spec is split in place at
 * its first colon (which becomes a NUL) into f->src, SRC, not empty, and
 * f->dst, a path in the guest starting with '/'; f->mode 0 (0755).
 * 0, or -1 when spec is not of that form (spec and f untouched).
 */
int boot_file_parse(char *spec, struct initramfs_file *f);

#endif
