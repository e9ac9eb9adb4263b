/* One boot of a kernel with an ad hoc command: build, initramfs, QEMU, record. */
#include "boot.h"
#include "arch.h"
#include "bootdb.h"
#include "ctx.h"
#include "util/run.h"
#include "util/util.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const outcome_names[] = {
	[BOOT_RUN_OK] = "ok",
	[BOOT_RUN_KERNEL_FAILURE] = "kernel-failure",
	[BOOT_RUN_TIMEOUT] = "timeout",
	[BOOT_RUN_INFRA_ERROR] = "infra-error",
	[BOOT_RUN_INTERRUPTED] = "interrupted",
	[BOOT_RUN_NO_KERNEL] = "no-kernel",
	[BOOT_RUN_ERROR] = "error",
};

const char *boot_run_outcome_name(enum boot_run_outcome o)
{
	return (size_t)o < ARRAY_SIZE(outcome_names) ? outcome_names[o] : "?";
}

int boot_run_outcome_parse(const char *s, enum boot_run_outcome *out)
{
	int i = name_index(outcome_names, ARRAY_SIZE(outcome_names), s);

	*out = i >= 0 ? (enum boot_run_outcome)i : BOOT_RUN_ERROR;
	return i >= 0 ? 0 : -1;
}

enum boot_run_outcome boot_run_outcome_of(enum boot_status s)
{
	switch (s) {
	case BOOT_OK: return BOOT_RUN_OK;
	case BOOT_KERNEL_FAILURE: return BOOT_RUN_KERNEL_FAILURE;
	case BOOT_TIMEOUT: return BOOT_RUN_TIMEOUT;
	case BOOT_INFRA: return BOOT_RUN_INFRA_ERROR;
	case BOOT_INTERRUPTED: return BOOT_RUN_INTERRUPTED;
	}
	return BOOT_RUN_ERROR;
}

enum boot_run_outcome boot_run_outcome_of_build(enum build_outcome o)
{
	switch (o) {
	case BUILD_OUT_OK: return BOOT_RUN_OK;
	case BUILD_OUT_BROKEN: return BOOT_RUN_NO_KERNEL;
	case BUILD_OUT_INFRA: return BOOT_RUN_INFRA_ERROR;
	case BUILD_OUT_INTERRUPTED: return BOOT_RUN_INTERRUPTED;
	}
	return BOOT_RUN_ERROR;
}

int boot_file_parse(char *spec, struct initramfs_file *f)
{
	char *colon = strchr(spec, ':');

	if (!colon || colon == spec || colon[1] != '/')
		return -1;
	*colon = '\0';
	f->src = spec;
	f->dst = colon + 1;
	f->mode = 0;
	return 0;
}

void boot_run_result_release(struct boot_run_result *r)
{
	if (r->booted)
		boot_result_release(&r->boot);
	if (r->built)
		kbuild_result_release(&r->build);
	free(r->error);
	memset(r, 0, sizeof(*r));
	r->id = -1;
}

/* r ends before QEMU with outcome o and, when fmt, the reason; -1 */
__attribute__((format(printf, 3, 4)))
static int stop(struct boot_run_result *r, enum boot_run_outcome o,
		const char *fmt, ...)
{
	va_list ap;

	r->outcome = o;
	if (fmt) {
		char msg[1024];

		va_start(ap, fmt);
		vsnprintf(msg, sizeof(msg), fmt, ap);
		va_end(ap);
		free(r->error);
		r->error = xstrdup(msg);
	}
	return -1;
}

/* QEMU's options: the request's, else the config's.  0, or -1 said. */
static int boot_qemu_opts(struct pwb_ctx *ctx, const struct boot_request *q,
			  const struct arch *a, struct qemu_opts *qo, char **qemu)
{
	long mem = q->mem_mb, cpus = q->cpus, tmo = q->timeout,
	     idle = q->idle_timeout;

	if ((!mem && ctx_config_long(ctx, "boot.mem", &mem)) ||
	    (!cpus && ctx_config_long(ctx, "boot.cpus", &cpus)) ||
	    (!tmo && ctx_config_long(ctx, "boot.timeout", &tmo)) ||
	    (!idle && ctx_config_long(ctx, "boot.idletimeout", &idle)))
		return -1;
	*qemu = q->qemu ? NULL : ctx_config_get(ctx, "boot.qemu");
	memset(qo, 0, sizeof(*qo));
	qo->arch = a->name;
	qo->qemu = q->qemu ? q->qemu : *qemu;
	qo->kernel = q->kernel;
	qo->append = q->append;
	qo->mem_mb = mem;
	qo->cpus = (int)cpus;
	qo->timeout = (double)tmo;
	qo->idle_timeout = (double)idle;
	qo->echo = q->echo;
	return 0;
}

/* --tree: build the kernel (or find it built); 0 with qo->kernel set */
static int boot_build(struct pwb_ctx *ctx, const struct boot_request *q,
		      const struct arch *a, struct boot_run_result *r,
		      struct qemu_opts *qo)
{
	struct kbuild_request kq;
	enum build_outcome bo;

	memset(&kq, 0, sizeof(kq));
	kq.tree_arg = q->tree;
	kq.rev = q->rev;
	kq.config = q->config;
	kq.arch = a->name;
	kq.toolchain = q->toolchain;
	kq.progress = q->progress;
	kq.progress_ud = q->progress_ud;
	if (kbuild(ctx, &kq, &r->build)) {
		/* nothing recorded, the error said; what kbuild kept goes */
		kbuild_result_release(&r->build);
		return stop(r, run_interrupted() ? BOOT_RUN_INTERRUPTED :
			    BOOT_RUN_ERROR, NULL);
	}
	r->built = 1;
	bo = kbuild_outcome(r->build.status);
	if (bo != BUILD_OUT_OK)
		return stop(r, boot_run_outcome_of_build(bo), "build %s: %s",
			    build_status_name(r->build.status),
			    r->build.error ? r->build.error : "");
	qo->kernel = r->build.bzimage;
	return 0;
}

/* the initramfs in a new temporary directory dir: 0, or -1 (dir removed) */
static int boot_initramfs(const struct boot_request *q, const struct arch *a,
			  char *dir, size_t dirsz, char *initrd, size_t initrdsz,
			  struct boot_run_result *r)
{
	struct initramfs_opts io;
	char *busybox;
	int ret;

	if (make_tmpdir(dir, dirsz, "pwb-boot"))
		return stop(r, BOOT_RUN_ERROR,
			    "cannot make a temporary directory: %s", strerror(errno));
	snprintf(initrd, initrdsz, "%s/initramfs.cpio.gz", dir);
	busybox = arch_busybox(a);
	memset(&io, 0, sizeof(io));
	io.busybox = busybox;
	io.command = q->run;
	io.files = q->files;
	io.nfiles = q->nfiles;
	ret = initramfs_write(initrd, &io);
	free(busybox);
	if (ret) {
		unlink(initrd);
		rmdir(dir);
		return stop(r, BOOT_RUN_INFRA_ERROR, NULL);
	}
	return 0;
}

/* the console to path; a failure is said and is not the boot's */
static void boot_write_log(const char *path, const struct buf *console)
{
	FILE *f = fopen(path, "w");
	int bad = !f;

	if (f) {
		bad = fwrite(console->buf, 1, console->len, f) != console->len;
		bad |= fclose(f) != 0;
	}
	if (bad)
		error("cannot write %s", path);
}

int boot_run(struct pwb_ctx *ctx, const struct boot_request *q,
	     struct boot_run_result *r)
{
	const struct arch *a;
	struct qemu_opts qo;
	char dir[4096], initrd[4200], *qemu = NULL;
	int ret = -1;

	memset(r, 0, sizeof(*r));
	r->id = -1;
	r->outcome = BOOT_RUN_ERROR;
	if (!q->kernel == !q->tree || (q->tree && !q->rev))
		return stop(r, BOOT_RUN_ERROR,
			    "a boot needs a kernel image, or a tree and a revision");
	a = q->arch ? arch_find(q->arch) : arch_default();
	if (!a)
		return stop(r, BOOT_RUN_INFRA_ERROR, "arch %s: not one pwb boots (%s)",
			    q->arch, arch_names());
	if (q->kernel && access(q->kernel, R_OK))
		return stop(r, BOOT_RUN_INFRA_ERROR, "kernel image %s: %s",
			    q->kernel, strerror(errno));
	if (boot_qemu_opts(ctx, q, a, &qo, &qemu))
		goto out;
	if (q->tree && boot_build(ctx, q, a, r, &qo))
		goto out;
	if (boot_initramfs(q, a, dir, sizeof(dir), initrd, sizeof(initrd), r))
		goto out;
	qo.initrd = initrd;
	qemu_boot(&qo, &r->boot);
	r->booted = 1;
	unlink(initrd);
	rmdir(dir);
	if (boot_record(ctx->db, r->built ? r->build.id : -1, &qo, &r->boot,
			&r->id)) {
		r->id = -1;
		stop(r, BOOT_RUN_ERROR, NULL);
		goto out;
	}
	if (q->log)
		boot_write_log(q->log, &r->boot.run.output);
	r->outcome = boot_run_outcome_of(r->boot.status);
	if (r->outcome == BOOT_RUN_INFRA_ERROR)
		r->error = xstrdup(r->boot.error ? r->boot.error : "QEMU failed");
	ret = 0;
out:
	free(qemu);
	return ret;
}
