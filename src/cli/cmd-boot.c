/*
 * pwb boot: boot a kernel in QEMU with a pwb initramfs and judge the
 * console.  Either --kernel IMAGE (a prebuilt bzImage, e.g. Debian's
 * /boot/vmlinuz-*) or --tree T --rev REV [--config NAME] (built first,
 * cached); --arch A boots the arch's QEMU (arch.h).  Exit 0 booted fine, 1 kernel failure or timeout, 2 the kernel
 * did not build, 3 infrastructure error, 130 interrupted.
 */
#include "cmds.h"
#include "arch.h"
#include "bootdb.h"
#include "db.h"
#include "initramfs.h"
#include "kbuild.h"
#include "output.h"
#include "qemu.h"
#include "util/gz.h"
#include "util/run.h"
#include "util/util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
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


int cmd_boot(int argc, char **argv, struct pwb_ctx *ctx)
{
	struct kbuild_request q = { 0 };
	const struct arch *ta;
	const struct toolchain *tt;
	struct kbuild_result br;
	struct qemu_opts qo;
	struct boot_result r;
	struct initramfs_file files[64];
	struct initramfs_opts io;
	char dir[4096], initrd[4200];
	const char *kernel = NULL, *run_cmd = NULL, *logpath = NULL;
	char *qemu = NULL, *busybox = NULL;
	const char *append = NULL;
	struct opt_list filel = { NULL, 0 };
	int json = 0, ret = EXIT_FAIL, built = 0, booted = 0;
	size_t nfiles = 0;
	long id = -1, mem, cpus, tmo, idle;

	memset(&qo, 0, sizeof(qo));
	memset(&br, 0, sizeof(br));
	memset(&io, 0, sizeof(io));
	if (ctx_config_long(ctx, "boot.mem", &mem) ||
	    ctx_config_long(ctx, "boot.cpus", &cpus) ||
	    ctx_config_long(ctx, "boot.timeout", &tmo) ||
	    ctx_config_long(ctx, "boot.idletimeout", &idle))
		return EXIT_FAIL;
	{
		const struct opt opts[] = {
			OPT_STRING(0, "kernel", &kernel, "IMAGE", "boot this kernel image"),
			OPT_TREE(&q.tree_arg),
			OPT_STRING(0, "rev", &q.rev, "REV", "with --tree: build and boot REV"),
			OPT_STRING(0, "config", &q.config, "NAME", "bench/configs/NAME.config"),
			OPT_ARCH(&q.arch),
			OPT_TOOLCHAIN(&q.toolchain),
			OPT_STRING(0, "run", &run_cmd, "CMD", "the shell command /init runs"),
			OPT_LIST(0, "file", &filel, "SRC:/DST", "put SRC at /DST in the initramfs"),
			OPT_LONG(0, "mem", &mem, "MB", "guest memory", 1, 1L << 20),
			OPT_LONG(0, "cpus", &cpus, "N", "guest CPUs", 1, 1024),
			OPT_LONG(0, "timeout", &tmo, "S", "seconds in all", 1, 1L << 30),
			OPT_LONG(0, "idle-timeout", &idle, "S", "seconds without console output",
				 1, 1L << 30),
			OPT_STRING(0, "append", &append, "ARGS", "more kernel parameters"),
			OPT_STRING(0, "log", &logpath, "FILE", "write the console to FILE"),
			OPT_FLAG(0, "echo", &qo.echo, "copy the console to stderr"),
			OPT_JSON(&json),
			OPT_END(),
		};
		size_t k;
		int n = parse_options(argc, argv, usage, usage_text, opts);

		if (n < 0) {
			free(filel.v);
			return parse_options_exit(n);
		}
		for (k = 0; k < filel.n; k++) {
			char *colon = strchr(filel.v[k], ':');

			if (!colon || colon == filel.v[k] || colon[1] != '/' ||
			    nfiles == ARRAY_SIZE(files)) {
				free(filel.v);
				return usage_with_options_error(usage, usage_text, opts,
								"--file takes SRC:/DST");
			}
			*colon = '\0';
			files[nfiles].src = filel.v[k];
			files[nfiles].dst = colon + 1;
			files[nfiles].mode = 0;
			nfiles++;
		}
		free(filel.v);
		qo.mem_mb = mem;
		qo.cpus = (int)cpus;
		qo.timeout = (double)tmo;
		qo.idle_timeout = (double)idle;
		qo.append = append;
		if (n || (!kernel == !q.tree_arg) || (q.tree_arg && !q.rev))
			return usage_with_options_error(usage, usage_text, opts,
				"boot needs --kernel, or --tree and --rev");
	}
	if (target_resolve(ctx, q.arch, q.toolchain, &ta, &tt))
		return 3;
	q.arch = ta->name;
	q.toolchain = tt->name;
	run_install_signal_handlers();
	qemu = ctx_config_get(ctx, "boot.qemu");
	qo.qemu = qemu;
	qo.arch = ta->name;
	busybox = arch_busybox(ta);
	io.busybox = busybox;
	if (q.tree_arg) {
		q.progress = !json && isatty(2);
		if (kbuild(ctx, &q, &br)) {
			ret = run_interrupted() ? 130 : EXIT_FAIL;
			goto out;
		}
		built = 1;
		if (kbuild_outcome(br.status) != BUILD_OUT_OK) {
			error("build %s: %s", build_status_name(br.status), br.error ? br.error : "");
			ret = build_exit(kbuild_outcome(br.status));
			goto out;
		}
		kernel = br.bzimage;
	}
	if (make_tmpdir(dir, sizeof(dir), "pwb-boot")) {
		error("cannot make a temporary directory: %s", strerror(errno));
		goto out;
	}
	snprintf(initrd, sizeof(initrd), "%s/initramfs.cpio.gz", dir);
	io.command = run_cmd;
	io.files = files;
	io.nfiles = nfiles;
	if (initramfs_write(initrd, &io)) {
		ret = 3;
		goto out_dir;
	}
	qo.kernel = kernel;
	qo.initrd = initrd;
	qemu_boot(&qo, &r);
	booted = 1;
	if (boot_record(ctx->db, built ? br.id : -1, &qo, &r, &id))
		goto out_dir;
	if (logpath) {
		FILE *f = fopen(logpath, "w");

		if (!f || fwrite(r.run.output.buf, 1, r.run.output.len, f) !=
			      r.run.output.len || fclose(f))
			error("cannot write %s", logpath);
	}
	if (json) {
		json_t *o = json_object();

		json_object_set_new(o, "id", json_integer(id));
		json_object_set_new(o, "status", json_text(boot_status_name(r.status)));
		json_object_set_new(o, "end_status", r.end_status >= 0 ?
				    json_integer(r.end_status) : json_null());
		json_object_set_new(o, "accel", json_text(r.kvm ? "kvm" : "tcg"));
		json_object_set_new(o, "seconds", json_real(r.run.seconds));
		json_object_set_new(o, "start_seconds", r.start_seconds >= 0 ?
				    json_real(r.start_seconds) : json_null());
		json_object_set_new(o, "qemu", r.qemu_version ?
				    json_text(r.qemu_version) : json_null());
		json_object_set_new(o, "error", json_text(r.error));
		json_object_set_new(o, "findings", json_findings(&r.triage));
		if (built)
			json_object_set_new(o, "build", json_build(&br));
		json_print(o);
		json_decref(o);
	} else if (r.status == BOOT_INFRA) {
		printf("boot %ld: infra-error\n", id);
	} else {
		printf("boot %ld: %s (%s, %.1f s)%s\n", id, boot_status_name(r.status),
		       r.kvm ? "kvm" : "tcg", r.run.seconds,
		       r.end_status >= 0 ? "" : ", /init did not finish");
		if (r.end_status >= 0)
			printf("  /init command exit status %d\n", r.end_status);
		text_findings(stdout, &r.triage);
	}
	switch (r.status) {
	case BOOT_OK: ret = EXIT_OK; break;
	case BOOT_KERNEL_FAILURE:
	case BOOT_TIMEOUT: ret = 1; break;
	case BOOT_INFRA: ret = 3; error("%s", r.error ? r.error : "QEMU failed"); break;
	case BOOT_INTERRUPTED: ret = 130; break;
	}
out_dir:
	unlink(initrd);
	rmdir(dir);
out:
	if (booted)
		boot_result_release(&r);
	if (built)
		kbuild_result_release(&br);
	free(qemu);
	free(busybox);
	return ret;
}
