/*
 * pwb boot: boot a kernel in QEMU with a pwb initramfs and judge the
 * console (boot.h: boot_run).  Either --kernel IMAGE (a prebuilt bzImage,
 * e.g. Debian's /boot/vmlinuz-*) or --tree T --rev REV [--config NAME]
 * (built first, cached); --arch A boots the arch's QEMU (arch.h).
 * Exit 0 booted fine, 1 kernel failure or timeout (or an error: the
 * database, the config), 2 the kernel did not build, 3 infrastructure
 * error (QEMU, a kernel image that cannot be read, an arch or toolchain
 * pwb does not know), 129 usage, 130 interrupted.
 */
#include "cmds.h"
#include "progress.h"
#include "arch.h"
#include "boot.h"
#include "output.h"
#include "util/run.h"
#include "util/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static const char *const usage[] = {
	"pwb boot (--kernel IMAGE | --tree T --rev REV [--config NAME]) "
	"[--arch A] [options]",
	NULL,
};
static const char usage_text[] =
	"/init runs CMD (a shell command in the guest, default: nothing)\n"
	"between start and end markers, then powers off.  The console is\n"
	"triaged (see pwb triage) and recorded with the boot.\n"
	"\n"
	"config: boot.mem (256), boot.cpus (1), boot.timeout (300 s),\n"
	"        boot.idletimeout (60 s), boot.qemu (the arch's QEMU)\n";

#define MAX_FILES 64

static int boot_exit(enum boot_run_outcome o)
{
	switch (o) {
	case BOOT_RUN_OK: return EXIT_OK;
	case BOOT_RUN_KERNEL_FAILURE:
	case BOOT_RUN_TIMEOUT: return 1;
	case BOOT_RUN_NO_KERNEL: return 2;
	case BOOT_RUN_INFRA_ERROR: return 3;
	case BOOT_RUN_INTERRUPTED: return 130;
	case BOOT_RUN_ERROR: break;
	}
	return EXIT_FAIL;
}

/* The operands and option combinations parse_options cannot judge:
 * NULL, or what is wrong. */
static const char *misuse(int nargs, const struct boot_request *q)
{
	if (nargs)
		return "boot takes no operands (the guest's command is --run CMD)";
	if (q->kernel && q->tree)
		return "boot takes --kernel or --tree, not both";
	if (!q->kernel && !q->tree)
		return "boot needs --kernel, or --tree and --rev";
	if (q->tree && !q->rev)
		return "boot --tree needs --rev";
	if (q->kernel && (q->rev || q->config))
		return "--rev and --config go with --tree, not --kernel";
	return NULL;
}

int cmd_boot(int argc, char **argv, struct pwb_ctx *ctx)
{
	struct boot_request q = BOOT_REQUEST_INIT;
	struct boot_run_result r;
	struct initramfs_file files[MAX_FILES];
	struct opt_list filel = { NULL, 0 };
	const struct arch *ta;
	const struct toolchain *tt;
	const char *bad;
	int json = 0, ret;
	size_t k;
	const struct opt opts[] = {
		OPT_STRING(0, "kernel", &q.kernel, "IMAGE", "boot this kernel image"),
		OPT_TREE(&q.tree),
		OPT_STRING(0, "rev", &q.rev, "REV", "with --tree: build and boot REV"),
		OPT_STRING(0, "config", &q.config, "NAME", "bench/configs/NAME.config"),
		OPT_ARCH(&q.arch),
		OPT_TOOLCHAIN(&q.toolchain),
		OPT_STRING(0, "run", &q.run, "CMD", "the shell command /init runs"),
		OPT_LIST(0, "file", &filel, "SRC:/DST", "put SRC at /DST in the initramfs"),
		OPT_LONG(0, "mem", &q.mem_mb, "MB", "guest memory", 1, 1L << 20),
		OPT_LONG(0, "cpus", &q.cpus, "N", "guest CPUs", 1, 1024),
		OPT_LONG(0, "timeout", &q.timeout, "S", "seconds in all", 1, 1L << 30),
		OPT_LONG(0, "idle-timeout", &q.idle_timeout, "S",
			 "seconds without console output", 1, 1L << 30),
		OPT_STRING(0, "append", &q.append, "ARGS", "more kernel parameters"),
		OPT_STRING(0, "log", &q.log, "FILE", "write the console to FILE"),
		OPT_FLAG(0, "echo", &q.echo, "copy the console to stderr"),
		OPT_JSON(&json),
		OPT_END(),
	};
	int n = parse_options(argc, argv, usage, usage_text, opts);

	if (n < 0)
		return parse_options_exit(n);
	bad = misuse(n, &q);
	for (k = 0; !bad && k < filel.n; k++) {
		const char *spec = filel.v[k];

		if (k == MAX_FILES)
			bad = "--file: at most 64 files";
		/* argv's strings, split in place */
		else if (boot_file_parse((char *)filel.v[k], &files[k])) {
			free(filel.v);
			return usage_with_options_error(usage, usage_text, opts,
				"--file takes SRC:/DST (DST a path in the guest), not '%s'",
				spec);
		}
	}
	free(filel.v);
	if (bad)
		return usage_with_options_error(usage, usage_text, opts, "%s", bad);
	q.files = files;
	q.nfiles = filel.n;
	if (target_resolve(ctx, q.arch, q.toolchain, &ta, &tt))
		return 3;
	q.arch = ta->name;
	q.toolchain = tt->name;
	q.progress = progress_build(json);
	run_install_signal_handlers();
	if (!boot_run(ctx, &q, &r)) {
		if (json) {
			json_t *o = json_boot_run(&r);

			json_print(o);
			json_decref(o);
		} else {
			text_boot_run(stdout, &r);
		}
	}
	if (r.error)
		error("%s", r.error);
	ret = boot_exit(r.outcome);
	boot_run_result_release(&r);
	return ret;
}
