/*
 * arch: what differs between the architectures pwb builds and boots, as
 * rows of one table (kunit_tool's qemu_configs/ files) rather than
 * conditions in kbuild.c and qemu.c.  Today one row, x86_64; the next
 * issues add arm64 (and its cross toolchain) as another row.
 */
#ifndef PWB_ARCH_H
#define PWB_ARCH_H

struct arch {
	const char *name;		/* "x86_64": what users and suites say */
	const char *image_target;	/* make target of the boot image */
	const char *image_path;		/* the image, under the build directory */
	const char *default_config;	/* bench/configs/NAME.config */
	const char *qemu;		/* QEMU binary (config boot.qemu wins) */
	const char *qemu_package;	/* the Debian package that has it */
	const char *const *qemu_args;	/* machine arguments, NULL-ended */
	const char *console;		/* kernel console= device */
};

/* The row for name, or NULL. */
const struct arch *arch_find(const char *name);
/* The architecture pwb runs for when nothing says otherwise. */
const struct arch *arch_default(void);

#endif
