/*
 * arch: what differs between the architectures and the toolchains pwb
 * builds and boots with, as rows of two tables (kunit_tool's
 * qemu_configs/ files) rather than conditions in kbuild.c, suite.c and
 * qemu.c.  Adding riscv64 is one more row of arches[]; the make
 * variables of a (arch, toolchain) pair come from arch_make_vars().
 */
#ifndef PWB_ARCH_H
#define PWB_ARCH_H

#include <stddef.h>

struct arch {
	const char *name;		/* "x86_64", "arm64": what users say */
	const char *uname;		/* uname -m of a host that runs it
					 * natively (KVM possible) */
	const char *kernel_arch;	/* make ARCH= */
	const char *src_dir;		/* its directory in the tree: "arch/x86" */
	const char *cross_compile;	/* CROSS_COMPILE= on other hosts */
	const char *cross_package;	/* the Debian package with the cross gcc */
	const char *image_target;	/* make target of the boot image */
	const char *image_path;		/* the image, under the build directory */
	const char *default_config;	/* bench/configs/NAME.config */
	const char *qemu;		/* QEMU binary (config boot.qemu wins) */
	const char *qemu_package;	/* the Debian package that has it */
	const char *const *qemu_args;	/* machine arguments under TCG, NULL-ended */
	const char *console;		/* kernel console= device */
	const char *busybox;		/* absolute, or under pwb's cache
					 * (${PWB_CACHE:-$XDG_CACHE_HOME/pwb}, where
					 * `make deps` puts it) */
};

/* The row for name, or NULL. */
const struct arch *arch_find(const char *name);
/* The architecture pwb runs for when nothing says otherwise. */
const struct arch *arch_default(void);
/* "x86_64, arm64": the names, for errors and usage. */
const char *arch_names(void);
/* Whether this host runs a's guests natively (KVM may be used). */
int arch_is_native(const struct arch *a);
/* The cross prefix a build for a uses here ("" on a native host). */
const char *arch_cross(const struct arch *a);
/* The arch whose default config is name, or NULL (a suite's "config =
 * qemu-x86_64" means "the default config of the arch built for"). */
const struct arch *arch_of_default_config(const char *name);
/* The busybox for a's guests (malloc'd path). */
char *arch_busybox(const struct arch *a);

struct toolchain {
	const char *name;		/* "gcc", "clang" */
	const char *compiler;		/* the C compiler, after the cross
					 * prefix when cross_prefixed */
	int cross_prefixed;		/* gcc: aarch64-linux-gnu-gcc */
	const char *make_var;		/* one more make variable, or NULL
					 * ("LLVM=1") */
	const char *package;		/* the Debian package */
};

const struct toolchain *toolchain_find(const char *name);
const struct toolchain *toolchain_default(void);
const char *toolchain_names(void);
/* The compiler's command for a build for a: "aarch64-linux-gnu-gcc",
 * "clang" (malloc'd). */
char *toolchain_cc(const struct toolchain *t, const struct arch *a);

/*
 * The make variables of every make for (a, t): ARCH=, CROSS_COMPILE=,
 * LLVM=1, CC="ccache cc" when ccache.  Up to max-1 entries and a NULL
 * into argv; the strings are malloc'd (arch_make_vars_free).  Returns the
 * count.
 */
size_t arch_make_vars(const struct arch *a, const struct toolchain *t,
		      int ccache, char **argv, size_t max);
void arch_make_vars_free(char **argv);

/*
 * The target of a command: --arch opt_arch (NULL: config build.arch, else
 * x86_64) and --toolchain opt_tc (NULL: build.toolchain, else gcc).
 * 0, or -1 with the error said (naming the option or key).
 */
struct pwb_ctx;
int target_resolve(struct pwb_ctx *ctx, const char *opt_arch,
		   const char *opt_tc, const struct arch **a,
		   const struct toolchain **t);
/* config, or the arch's default config when config is another arch's
 * default ("qemu-x86_64" built for arm64 is "qemu-arm64"); NULL stays. */
const char *arch_config(const struct arch *a, const char *config);

#endif
