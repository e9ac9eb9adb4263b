/*
 * initramfs: the guest's root file system, written in C with libarchive
 * (cpio newc, gzip): busybox from Debian's busybox-static, an /init that
 * mounts proc/sys/devtmpfs/debugfs, prints the start marker, runs the
 * suite's command, prints the end marker with its status and ends with
 * `reboot -f` (QEMU runs with -no-reboot, so it exits), plus any extra
 * files (guest programs, modules).  Entries get fixed owners and times,
 * so the same inputs give the same bytes.
 */
#ifndef PWB_INITRAMFS_H
#define PWB_INITRAMFS_H

#include <stddef.h>

struct initramfs_file {
	const char *src;	/* a file on the host */
	const char *dst;	/* its path in the guest, e.g. "/pwb/mod.ko" */
	unsigned mode;		/* 0: 0755 */
};

/* Append {src, dst, mode} to *f (grown; *n counted); src and dst are
 * malloc'd and become the list's (suite_files_free frees them). */
void initramfs_file_add(struct initramfs_file **f, size_t *n, char *src,
			char *dst, unsigned mode);

struct initramfs_opts {
	const char *busybox;	/* default /bin/busybox */
	const char *command;	/* shell command /init runs between markers */
	const struct initramfs_file *files;
	size_t nfiles;
};

int initramfs_write(const char *path, const struct initramfs_opts *o);

#endif
