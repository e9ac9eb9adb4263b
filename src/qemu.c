#include "qemu.h"
#include "arch.h"
#include "util/buf.h"
#include "util/util.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char *const boot_status_names[] = {
	[BOOT_OK] = "ok",
	[BOOT_KERNEL_FAILURE] = "kernel-failure",
	[BOOT_TIMEOUT] = "timeout",
	[BOOT_INFRA] = "infra-error",
	[BOOT_INTERRUPTED] = "interrupted",
};

const char *boot_status_name(enum boot_status s)
{
	return (size_t)s < ARRAY_SIZE(boot_status_names) ?
	       boot_status_names[s] : "?";
}

int boot_status_parse(const char *s, enum boot_status *out)
{
	int i = name_index(boot_status_names, ARRAY_SIZE(boot_status_names), s);

	if (i < 0)
		return -1;
	*out = (enum boot_status)i;
	return 0;
}

void boot_result_release(struct boot_result *r)
{
	free(r->qemu_version);
	free(r->cmdline);
	free(r->error);
	run_result_release(&r->run);
	triage_release(&r->triage);
	memset(r, 0, sizeof(*r));
}

/* Set when /dev/kvm opened but QEMU could not run a guest with it (seen in
 * sandboxed VMs: "failed to set MSR"): the rest of this process uses TCG. */
static int kvm_broken;

/*
 * Whether KVM runs kernels here.  /dev/kvm can open and QEMU start while
 * no kernel gets past its real-mode setup (seen on a nested host's PVM
 * module: SeaBIOS runs, the decompressor never prints), which would turn
 * every boot into a suite's timeout.  So before the first KVM boot of a
 * process, the kernel to be booted is started once without an initramfs
 * (it panics at once, panic=-1 ends QEMU): under KVM it must print its
 * "Linux version" line within KVM_PROBE_S.  When it does not and does
 * under TCG, KVM is broken here: TCG for every boot, and the answer kept
 * for this boot of the host in pwb's cache (${PWB_CACHE:-$XDG_CACHE_HOME/pwb}/
 * kvm-probe: "BOOT_ID ok" or "BOOT_ID broken").  When it fails under TCG too the kernel is at fault,
 * not KVM: nothing is decided.
 */
#define KVM_PROBE_S 20

enum kvm_state { KVM_UNKNOWN, KVM_OK, KVM_BROKEN };
static pthread_mutex_t kvm_lock = PTHREAD_MUTEX_INITIALIZER;
static enum kvm_state kvm_state;

/* ${PWB_CACHE:-$XDG_CACHE_HOME/pwb}/kvm-probe, beside the arm64 busybox */
static char *kvm_cache_path(void)
{
	return host_cache_path("kvm-probe");
}

static void host_boot_id(char *id, size_t n)
{
	struct buf b = BUF_INIT;

	snprintf(id, n, "?");
	if (!buf_read_file(&b, "/proc/sys/kernel/random/boot_id", 4096)) {
		buf_trim(&b);
		snprintf(id, n, "%s", b.buf ? b.buf : "?");
	}
	buf_release(&b);
}

static enum kvm_state kvm_cached(const char *id)
{
	char *path = kvm_cache_path();
	struct buf b = BUF_INIT;
	enum kvm_state st = KVM_UNKNOWN;
	size_t l = strlen(id);

	if (path && !buf_read_file(&b, path, 4096) && b.len > l &&
	    !strncmp(b.buf, id, l) && b.buf[l] == ' ')
		st = !strncmp(b.buf + l + 1, "ok", 2) ? KVM_OK :
		     !strncmp(b.buf + l + 1, "broken", 6) ? KVM_BROKEN :
		     KVM_UNKNOWN;
	buf_release(&b);
	free(path);
	return st;
}

static void kvm_remember(const char *id, enum kvm_state st)
{
	char *path = kvm_cache_path(), *slash;
	struct buf b = BUF_INIT;

	if (!path)
		return;
	slash = strrchr(path, '/');
	*slash = '\0';
	if (!mkdir_p(path, 0777)) {
		*slash = '/';
		buf_addf(&b, "%s %s\n", id, st == KVM_OK ? "ok" : "broken");
		write_file(path, b.buf, b.len);
	}
	buf_release(&b);
	free(path);
}

/*
 * The QEMU command line of a boot of kernel for a (argv: room for 40;
 * its strings borrowed from the arguments): the arch's machine (its -cpu
 * dropped under KVM, where the CPU is the host's), no devices but the
 * serial console, the accelerator.  Returns the count.
 */
static int qemu_argv(const char *argv[40], const struct arch *a,
		     const char *qemu, int kvm, const char *mem,
		     const char *smp, const char *kernel, const char *initrd,
		     const char *append)
{
	int n = 0, i;

	argv[n++] = qemu;
	for (i = 0; a->qemu_args[i] && n < 24; i++) {
		if (kvm && !strcmp(a->qemu_args[i], "-cpu") &&
		    a->qemu_args[i + 1]) {
			i++;
			continue;
		}
		argv[n++] = a->qemu_args[i];
	}
	argv[n++] = "-nodefaults";
	argv[n++] = "-nographic";
	argv[n++] = "-no-reboot";
	argv[n++] = "-serial";
	argv[n++] = "stdio";
	argv[n++] = "-monitor";
	argv[n++] = "none";
	argv[n++] = "-m";
	argv[n++] = mem;
	if (smp) {
		argv[n++] = "-smp";
		argv[n++] = smp;
	}
	argv[n++] = "-accel";
	argv[n++] = kvm ? "kvm" : "tcg";
	if (kvm) {
		argv[n++] = "-cpu";
		argv[n++] = "host";
	}
	argv[n++] = "-kernel";
	argv[n++] = kernel;
	if (initrd) {
		argv[n++] = "-initrd";
		argv[n++] = initrd;
	}
	argv[n++] = "-append";
	argv[n++] = append;
	argv[n] = NULL;
	return n;
}

/* Boot kernel without an initramfs: 1 it printed "Linux version". */
static int kernel_speaks(const struct arch *a, const char *qemu,
			 const char *kernel, int kvm)
{
	const char *argv[40], *ro[] = { kernel, NULL };
	struct buf append = BUF_INIT;
	struct run_opts o;
	struct run_result r;
	int ok;

	buf_addf(&append, "console=%s panic=-1", a->console);
	qemu_argv(argv, a, qemu, kvm, "256", NULL, kernel, NULL, append.buf);
	memset(&o, 0, sizeof(o));
	o.argv = argv;
	o.timeout = KVM_PROBE_S;
	o.idle_timeout = KVM_PROBE_S;
	o.capture_cap = 1u << 20;
	o.sandbox = 1;		/* the kernel under test, as in qemu_boot */
	o.sandbox_ro = ro;
	run_command(&o, &r);
	ok = r.output.buf && strstr(r.output.buf, "Linux version") != NULL;
	run_result_release(&r);
	buf_release(&append);
	return ok;
}

static int kvm_usable(const struct arch *a, const char *qemu,
		      const char *kernel)
{
	const char *want = getenv("PWB_ACCEL");
	char id[64];
	int fd, ok;

	if (want && !strcmp(want, "tcg"))
		return 0;
	fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return 0;
	close(fd);
	/* PWB_ACCEL=kvm: no probe (the caller knows) */
	if (want && !strcmp(want, "kvm"))
		return 1;
	pthread_mutex_lock(&kvm_lock);
	if (kvm_state == KVM_UNKNOWN) {
		host_boot_id(id, sizeof(id));
		kvm_state = kvm_cached(id);
	}
	if (kvm_state == KVM_UNKNOWN) {
		if (kernel_speaks(a, qemu, kernel, 1))
			kvm_state = KVM_OK;
		else if (kernel_speaks(a, qemu, kernel, 0)) {
			kvm_state = KVM_BROKEN;
			notice("KVM runs no kernel here (%s printed nothing in "
			       "%d s under -accel kvm, and boots under TCG); "
			       "using TCG", kernel, KVM_PROBE_S);
		}
		if (kvm_state != KVM_UNKNOWN)
			kvm_remember(id, kvm_state);
	}
	ok = kvm_state != KVM_BROKEN;
	pthread_mutex_unlock(&kvm_lock);
	return ok;
}

static char *qemu_version(const char *qemu)
{
	const char *argv[] = { qemu, "--version", NULL };
	struct run_opts o = { argv, NULL, NULL, 30, 0, 4096, NULL, NULL, 1 };
	struct run_result r;
	char *v = NULL;

	if (!run_command(&o, &r) && r.end == RUN_EXITED && r.code == 0) {
		size_t n = strcspn(r.output.buf, "\n");

		v = xstrndup(r.output.buf, n);
	}
	run_result_release(&r);
	return v;
}

struct echo_ctx {
	struct triage *t;
	int echo;
	struct timespec t0;
	double *start_seconds;
};

static void on_console(const char *data, size_t len, void *ud)
{
	struct echo_ctx *e = ud;

	triage_feed(e->t, data, len);
	if (e->t->saw_start && *e->start_seconds < 0) {
		struct timespec now;

		clock_gettime(CLOCK_MONOTONIC, &now);
		*e->start_seconds = (double)(now.tv_sec - e->t0.tv_sec) +
				    (double)(now.tv_nsec - e->t0.tv_nsec) / 1e9;
	}
	if (e->echo && fwrite(data, 1, len, stderr) != len)
		e->echo = 0;
}

/*
 * How a boot ended, from how QEMU ended (r->run) and what triage saw on
 * the console: the same for a real boot and a replayed one.
 */
static void classify(struct boot_result *r)
{
	triage_finish(&r->triage, r->run.end == RUN_TIMEOUT ||
		      r->run.end == RUN_IDLE ? TRIAGE_TIMED_OUT :
		      r->run.end == RUN_INTERRUPTED ||
		      r->run.end == RUN_SIGNALED ? TRIAGE_CUT_SHORT : TRIAGE_ENDED);
	r->end_status = r->triage.saw_end ? r->triage.end_status : -1;

	if (r->run.end == RUN_NOSTART) {
		r->status = BOOT_INFRA;
		r->error = xstrdup(strerror(r->run.code));
	} else if (r->run.end == RUN_INTERRUPTED) {
		r->status = BOOT_INTERRUPTED;
	} else if (r->run.end == RUN_SIGNALED) {
		/* killed from outside (OOM killer, an admin): not the kernel's doing */
		r->status = BOOT_INFRA;
		r->error = xstrfmt("QEMU was killed by signal %d", r->run.code);
	} else if (r->run.end == RUN_TIMEOUT || r->run.end == RUN_IDLE) {
		r->status = triage_has_failure(&r->triage) &&
			    r->triage.nr > 1 ? BOOT_KERNEL_FAILURE : BOOT_TIMEOUT;
	} else if (r->run.end == RUN_EXITED && r->run.code != 0 &&
		   !r->triage.linux_banners) {
		/* QEMU refused before the kernel said anything */
		struct buf b = BUF_INIT;
		size_t len = r->run.output.len;

		buf_addf(&b, "QEMU exited with %d: %.*s", r->run.code,
			 (int)(len > 300 ? 300 : len), r->run.output.buf);
		r->error = buf_detach(&b, NULL);
		r->status = BOOT_INFRA;
	} else if (triage_has_failure(&r->triage)) {
		r->status = BOOT_KERNEL_FAILURE;
	} else {
		r->status = BOOT_OK;
	}
}

/* A result before anything ran, as qemu_boot and qemu_replay start. */
static void result_start(struct boot_result *r)
{
	memset(r, 0, sizeof(*r));
	r->end_status = -1;
	r->start_seconds = -1;
	triage_init(&r->triage);
	buf_init(&r->run.output, 0);
}

int qemu_boot(const struct qemu_opts *o, struct boot_result *r)
{
	const struct arch *a = o->arch ? arch_find(o->arch) : arch_default();
	const char *qemu;
	struct buf append = BUF_INIT, mem = BUF_INIT, smp = BUF_INIT,
		   cmd = BUF_INIT;
	const char *argv[40];
	struct echo_ctx ec;
	struct run_opts ro;
	const char *ro_files[3];
	int n = 0, i;

	result_start(r);
	if (!a) {
		r->status = BOOT_INFRA;
		r->error = xstrfmt("arch %s: not one pwb boots (%s)", o->arch,
				   arch_names());
		return 0;
	}
	qemu = o->qemu ? o->qemu : a->qemu;
	if (access(o->kernel, R_OK)) {
		r->status = BOOT_INFRA;
		r->error = xstrdup(strerror(errno));
		{
			struct buf b = BUF_INIT;

			buf_addf(&b, "kernel image %s: %s", o->kernel, r->error);
			free(r->error);
			r->error = buf_detach(&b, NULL);
		}
		return 0;
	}
	r->qemu_version = qemu_version(qemu);
	if (!r->qemu_version) {
		r->status = BOOT_INFRA;
		r->error = xstrfmt("QEMU is missing or does not run "
				   "(apt-get install %s)", a->qemu_package);
		return 0;
	}
again:
	r->kvm = arch_is_native(a) && !kvm_broken &&
		 kvm_usable(a, qemu, o->kernel);
	buf_addf(&append, "console=%s panic=-1 printk.time=1 "
		 "oops=panic softlockup_panic=0", a->console);
	if (o->append && *o->append)
		buf_addf(&append, " %s", o->append);
	buf_addf(&mem, "%ld", o->mem_mb > 0 ? o->mem_mb : 256);
	buf_addf(&smp, "%d", o->cpus > 0 ? o->cpus : 1);
	n = qemu_argv(argv, a, qemu, r->kvm, mem.buf, smp.buf, o->kernel,
		      o->initrd, append.buf);
	for (i = 0; i < n; i++)
		buf_addf(&cmd, "%s%s", i ? " " : "", argv[i]);
	r->cmdline = buf_detach(&cmd, NULL);

	ec.t = &r->triage;
	ec.echo = o->echo;
	r->start_seconds = -1;
	ec.start_seconds = &r->start_seconds;
	clock_gettime(CLOCK_MONOTONIC, &ec.t0);
	memset(&ro, 0, sizeof(ro));
	ro.argv = argv;
	ro.timeout = o->timeout > 0 ? o->timeout : 300;
	/* the kernel under test runs in QEMU: QEMU runs sandboxed */
	ro.sandbox = 1;
	ro.sandbox_ro = ro_files;
	ro_files[0] = o->kernel;
	ro_files[1] = o->initrd;
	ro_files[2] = NULL;
	ro.idle_timeout = o->idle_timeout > 0 ? o->idle_timeout : 60;
	/* the boot log and a KTAP plan are at the start, a panic and the
	 * results at the end; a test repeating one line for minutes (6.1's
	 * harness in a failing teardown: 16 MiB in 95 s) is one line */
	ro.capture_cap = 16u << 20;
	ro.capture_head = 1u << 20;
	ro.squeeze = 1;
	ro.on_output = on_console;
	ro.ud = &ec;
	run_result_release(&r->run);
	run_command(&ro, &r->run);
	if (r->run.dropped)
		notice("the console passed %u MiB: %zu bytes of its middle not kept",
		       16u, r->run.dropped);
	classify(r);
	if (r->kvm && r->status == BOOT_INFRA && r->run.end == RUN_EXITED &&
	    strstr(r->run.output.buf, "kvm")) {
		notice("KVM does not run guests here (%.*s); using TCG",
		       (int)strcspn(r->run.output.buf, "\n"), r->run.output.buf);
		kvm_broken = 1;
		free(r->error);
		free(r->cmdline);
		r->error = r->cmdline = NULL;
		triage_release(&r->triage);
		triage_init(&r->triage);
		buf_reset(&append);
		buf_reset(&mem);
		buf_reset(&smp);
		goto again;
	}
	buf_release(&append);
	buf_release(&mem);
	buf_release(&smp);
	return 0;
}

int qemu_replay(const char *console, size_t len, const char *what,
		int timed_out, struct boot_result *r)
{
	result_start(r);
	buf_add(&r->run.output, console, len);
	r->qemu_version = xstrdup(what);
	r->cmdline = xstrdup(what);
	r->run.end = timed_out ? RUN_TIMEOUT : RUN_EXITED;
	r->run.code = 0;
	triage_feed(&r->triage, console, len);
	if (r->triage.saw_start)
		r->start_seconds = 0;
	classify(r);
	return 0;
}
