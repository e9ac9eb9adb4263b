#include "initramfs.h"
#include "triage.h"
#include "util/buf.h"
#include "util/util.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int put(struct archive *a, const char *path, unsigned type,
	       unsigned mode, const void *data, size_t len, const char *link)
{
	struct archive_entry *e = archive_entry_new();
	int ret = 0;

	archive_entry_set_pathname(e, path[0] == '/' ? path + 1 : path);
	archive_entry_set_filetype(e, type);
	archive_entry_set_perm(e, mode);
	archive_entry_set_uid(e, 0);
	archive_entry_set_gid(e, 0);
	archive_entry_set_mtime(e, 0, 0);
	archive_entry_set_nlink(e, type == AE_IFDIR ? 2 : 1);
	if (link)
		archive_entry_set_symlink(e, link);
	archive_entry_set_size(e, type == AE_IFREG ? (la_int64_t)len : 0);
	if (archive_write_header(a, e) != ARCHIVE_OK ||
	    (type == AE_IFREG && len &&
	     archive_write_data(a, data, len) != (la_ssize_t)len))
		ret = error("initramfs: %s: %s", path, archive_error_string(a));
	archive_entry_free(e);
	return ret;
}

/* Every directory leading to path, once. */
static int put_parents(struct archive *a, const char *path, struct buf *made)
{
	char *p = xstrdup(path), *s;
	int ret = 0;

	for (s = strchr(p + 1, '/'); s && !ret; s = strchr(s + 1, '/')) {
		struct buf key = BUF_INIT;

		*s = '\0';
		buf_addf(&key, "\n%s\n", p);
		if (!strstr(made->buf, key.buf)) {
			ret = put(a, p, AE_IFDIR, 0755, NULL, 0, NULL);
			buf_addstr(made, key.buf + 1);
		}
		buf_release(&key);
		*s = '/';
	}
	free(p);
	return ret;
}

static const char init_head[] =
	"#!/bin/sh\n"
	"# pwb's /init: set up, run the suite between markers, power off\n"
	"/bin/busybox --install -s\n"
	"export PATH=/bin:/sbin:/usr/bin:/usr/sbin\n"
	"mount -t proc proc /proc\n"
	"mount -t sysfs sysfs /sys\n"
	"mount -t devtmpfs devtmpfs /dev 2>/dev/null\n"
	"mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null\n"
	"mount -t tmpfs tmpfs /tmp\n"
	"echo 1 > /proc/sys/kernel/sysrq 2>/dev/null\n"
	"cd /pwb 2>/dev/null || cd /\n"
	"echo '" TRIAGE_START_MARKER "'\n"
	"(\n";

static const char init_tail[] =
	"\n)\n"
	"status=$?\n"
	"echo '" TRIAGE_END_MARKER " status='$status\n"
	"sync\n"
	"reboot -f\n"
	"sleep 5\n"
	"poweroff -f\n";

int initramfs_write(const char *path, const struct initramfs_opts *o)
{
	static const char *const dirs[] = { "/bin", "/sbin", "/usr", "/usr/bin",
		"/usr/sbin", "/dev", "/proc", "/sys", "/tmp", "/root", "/pwb",
		"/etc" };
	struct archive *a = archive_write_new();
	struct buf bb = BUF_INIT, init = BUF_INIT, made = BUF_INIT;
	const char *busybox = o->busybox ? o->busybox : "/bin/busybox";
	size_t i;
	int ret = -1;

	buf_addch(&made, '\n');
	if (buf_read_file(&bb, busybox, 64u << 20)) {
		error("initramfs: cannot read %s: %s (make deps installs "
		      "busybox-static, and the arm64 one into pwb's cache)",
		      busybox, strerror(errno));
		goto out;
	}
	if (archive_write_set_format_cpio_newc(a) != ARCHIVE_OK ||
	    archive_write_add_filter_gzip(a) != ARCHIVE_OK ||
	    archive_write_open_filename(a, path) != ARCHIVE_OK) {
		error("initramfs: %s: %s", path, archive_error_string(a));
		goto out;
	}
	for (i = 0; i < ARRAY_SIZE(dirs); i++) {
		if (put(a, dirs[i], AE_IFDIR, 0755, NULL, 0, NULL))
			goto out;
		buf_addf(&made, "%s\n", dirs[i]);
	}
	if (put(a, "/bin/busybox", AE_IFREG, 0755, bb.buf, bb.len, NULL) ||
	    put(a, "/bin/sh", AE_IFLNK, 0777, NULL, 0, "busybox"))
		goto out;
	buf_addstr(&init, init_head);
	buf_addstr(&init, o->command && *o->command ? o->command : "true");
	buf_addstr(&init, init_tail);
	if (put(a, "/init", AE_IFREG, 0755, init.buf, init.len, NULL))
		goto out;
	for (i = 0; i < o->nfiles; i++) {
		struct buf data = BUF_INIT;
		int rc;

		if (buf_read_file(&data, o->files[i].src, 512u << 20)) {
			error("initramfs: cannot read %s: %s", o->files[i].src,
			      strerror(errno));
			buf_release(&data);
			goto out;
		}
		rc = put_parents(a, o->files[i].dst, &made) ||
		     put(a, o->files[i].dst, AE_IFREG,
			 o->files[i].mode ? o->files[i].mode : 0755, data.buf,
			 data.len, NULL);
		buf_release(&data);
		if (rc)
			goto out;
	}
	if (archive_write_close(a) != ARCHIVE_OK) {
		error("initramfs: %s: %s", path, archive_error_string(a));
		goto out;
	}
	ret = 0;
out:
	archive_write_free(a);
	buf_release(&bb);
	buf_release(&init);
	buf_release(&made);
	return ret;
}

void initramfs_file_add(struct initramfs_file **f, size_t *n, char *src,
			char *dst, unsigned mode)
{
	*f = xrealloc(*f, (*n + 1) * sizeof(**f));
	(*f)[*n].src = src;
	(*f)[*n].dst = dst;
	(*f)[*n].mode = mode;
	(*n)++;
}
