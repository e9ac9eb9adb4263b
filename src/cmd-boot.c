/*
 * pwb boot: boot a kernel in QEMU with a pwb initramfs and judge the
 * console.  Either --kernel IMAGE (a prebuilt bzImage, e.g. Debian's
 * /boot/vmlinuz-*) or --tree T --rev REV [--config NAME] (built first,
 * cached).  Exit 0 booted fine, 1 kernel failure or timeout, 2 the kernel
 * did not build, 3 infrastructure error, 130 interrupted.
 */
#include "cmds.h"
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
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char usage[] =
	"usage: pwb boot (--kernel IMAGE | --tree T --rev REV [--config NAME])\n"
	"                [--run CMD] [--file SRC:DST]... [--mem MB] [--cpus N]\n"
	"                [--timeout S] [--idle-timeout S] [--append ARGS]\n"
	"                [--log FILE] [--echo] [--json]\n"
	"\n"
	"/init runs CMD (a shell command in the guest, default: nothing)\n"
	"between start and end markers, then powers off.  The console is\n"
	"triaged (see pwb triage) and recorded with the boot.\n"
	"\n"
	"config: boot.mem (256), boot.cpus (1), boot.timeout (300 s),\n"
	"        boot.idletimeout (60 s), boot.qemu (qemu-system-x86_64)\n";


int cmd_boot(int argc, char **argv, struct pwb_ctx *ctx)
{
	static const struct option longopts[] = {
		{ "kernel", required_argument, NULL, 'k' },
		{ "tree", required_argument, NULL, 't' },
		{ "rev", required_argument, NULL, 'r' },
		{ "config", required_argument, NULL, 'c' },
		{ "run", required_argument, NULL, 'R' },
		{ "file", required_argument, NULL, 'f' },
		{ "mem", required_argument, NULL, 'm' },
		{ "cpus", required_argument, NULL, 'p' },
		{ "timeout", required_argument, NULL, 'T' },
		{ "idle-timeout", required_argument, NULL, 'I' },
		{ "append", required_argument, NULL, 'a' },
		{ "log", required_argument, NULL, 'l' },
		{ "echo", no_argument, NULL, 'e' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct kbuild_request q = { NULL, NULL, NULL, 0, 0, 0 };
	struct kbuild_result br;
	struct qemu_opts qo;
	struct boot_result r;
	struct initramfs_file files[64];
	struct initramfs_opts io;
	char dir[4096], initrd[4200];
	const char *kernel = NULL, *run_cmd = NULL, *logpath = NULL;
	char *qemu = NULL;
	int c, json = 0, ret = EXIT_FAIL, built = 0, booted = 0;
	size_t nfiles = 0;
	long v, id = -1, mem, cpus, tmo, idle;

	memset(&qo, 0, sizeof(qo));
	memset(&br, 0, sizeof(br));
	memset(&io, 0, sizeof(io));
	if (ctx_config_long(ctx, "boot.mem", 256, &mem) ||
	    ctx_config_long(ctx, "boot.cpus", 1, &cpus) ||
	    ctx_config_long(ctx, "boot.timeout", 300, &tmo) ||
	    ctx_config_long(ctx, "boot.idletimeout", 60, &idle))
		return EXIT_FAIL;
	qo.mem_mb = mem;
	qo.cpus = (int)cpus;
	qo.timeout = (double)tmo;
	qo.idle_timeout = (double)idle;
	optind = 0;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'k': kernel = optarg; break;
		case 't': q.tree_arg = optarg; break;
		case 'r': q.rev = optarg; break;
		case 'c': q.config = optarg; break;
		case 'R': run_cmd = optarg; break;
		case 'f': {
			char *colon = strchr(optarg, ':');

			if (!colon || colon == optarg || colon[1] != '/' ||
			    nfiles == ARRAY_SIZE(files))
				return usage_error(usage, "--file takes SRC:/DST");
			*colon = '\0';
			files[nfiles].src = optarg;
			files[nfiles].dst = colon + 1;
			files[nfiles].mode = 0;
			nfiles++;
			break;
		}
		case 'm': case 'p': case 'T': case 'I':
			if (parse_long(optarg, &v) || v <= 0)
				return usage_error(usage, "--%s takes a positive number",
						   c == 'm' ? "mem" : c == 'p' ? "cpus" :
						   c == 'T' ? "timeout" : "idle-timeout");
			if (c == 'm') qo.mem_mb = v;
			if (c == 'p') qo.cpus = (int)v;
			if (c == 'T') qo.timeout = (double)v;
			if (c == 'I') qo.idle_timeout = (double)v;
			break;
		case 'a': qo.append = optarg; break;
		case 'l': logpath = optarg; break;
		case 'e': qo.echo = 1; break;
		case 'j': json = 1; break;
		case 'h': return usage_help(usage);
		default: return usage_error(usage, "bad option");
		}
	}
	if (optind != argc || (!kernel == !q.tree_arg) || (q.tree_arg && !q.rev))
		return usage_error(usage, "boot needs --kernel, or --tree and --rev");
	run_install_signal_handlers();
	qemu = ctx_config_get(ctx, "boot.qemu");
	qo.qemu = qemu;
	if (q.tree_arg) {
		q.progress = !json && isatty(2);
		if (kbuild(ctx, &q, &br)) {
			ret = run_interrupted() ? 130 : EXIT_FAIL;
			goto out;
		}
		built = 1;
		if (strcmp(br.status, "ok")) {
			error("build %s: %s", br.status, br.error ? br.error : "");
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
		json_object_set_new(o, "error", r.error ? json_text(r.error) : json_null());
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
	return ret;
}
