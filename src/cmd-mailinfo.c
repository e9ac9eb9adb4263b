/*
 * Plumbing that exposes the mail parsers to tests and scripts, in the
 * shape of git's: `pwb mailinfo MSG PATCH < mail`, `pwb mailsplit MBOX DIR`
 * and `pwb patch-id < diff`.
 */
#include "cmds.h"
#include "mail.h"
#include "series.h"
#include "util/util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char mailinfo_usage[] =
	"usage: pwb mailinfo MSG PATCH < mail\n"
	"\n"
	"Like 'git mailinfo -u': prints Author/Email/Subject/Date, writes the\n"
	"commit message to MSG and the patch to PATCH.\n";

static const char mailsplit_usage[] =
	"usage: pwb mailsplit [--mboxrd] MBOX DIR\n"
	"\n"
	"Like 'git mailsplit': writes each message to DIR/0001, DIR/0002...\n";

static const char patchid_usage[] =
	"usage: pwb patch-id < diff\n"
	"\n"
	"Prints the stable patch-id ('git patch-id --stable') of the diff.\n";

static int save_file(const char *path, const char *data, size_t len)
{
	if (write_file(path, data, len))
		return error("cannot write %s: %s", path, strerror(errno));
	return 0;
}

int cmd_mailinfo(int argc, char **argv, struct pwb_ctx *ctx)
{
	struct buf in = BUF_INIT;
	struct mail m;
	struct mailinfo mi;
	int ret = EXIT_FAIL;
	const char *p;

	(void)ctx;
	if (argc == 2 && !strcmp(argv[1], "--help"))
		return usage_help(mailinfo_usage);
	if (argc != 3)
		return usage_error(mailinfo_usage, "mailinfo takes MSG and PATCH");
	if (buf_read_fd(&in, 0, 256u << 20))
		{
		error("cannot read standard input");
		buf_release(&in);
		return EXIT_FAIL;
	}
	/* like mailinfo: leading white space before the headers is skipped */
	p = in.buf;
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	if (mail_parse(p, in.len - (size_t)(p - in.buf), &m)) {
		buf_release(&in);
		return EXIT_FAIL;
	}
	mailinfo_init(&mi);
	mail_info(&m, &mi);
	if (save_file(argv[1], mi.message.buf, mi.message.len) ||
	    save_file(argv[2], mi.patch.buf, mi.patch.len))
		goto out;
	if (m.from_raw)
		printf("Author: %s\nEmail: %s\n", mi.author, mi.email);
	printf("Subject: %s\n", mi.subject);
	if (mi.date_raw)
		printf("Date: %s\n", mi.date_raw);
	printf("\n");
	ret = EXIT_OK;
out:
	mailinfo_release(&mi);
	mail_release(&m);
	buf_release(&in);
	return ret;
}

int cmd_mailsplit(int argc, char **argv, struct pwb_ctx *ctx)
{
	struct buf in = BUF_INIT;
	struct mbox mb;
	enum mbox_format fmt = MBOX_O;
	int ret = EXIT_FAIL, a = 1;
	size_t i;

	(void)ctx;
	if (argc == 2 && !strcmp(argv[1], "--help"))
		return usage_help(mailsplit_usage);
	if (argc > 1 && !strcmp(argv[1], "--mboxrd")) {
		fmt = MBOX_RD;
		a++;
	}
	if (argc - a != 2)
		return usage_error(mailsplit_usage, "mailsplit takes MBOX and DIR");
	if (buf_read_file(&in, argv[a], 1024u << 20))
	{
		error("cannot read %s: %s", argv[a], strerror(errno));
		buf_release(&in);
		return EXIT_FAIL;
	}
	if (mbox_split(in.buf, in.len, fmt, 0, &mb)) {
		buf_release(&in);
		return EXIT_FAIL;
	}
	if (mkdir_p(argv[a + 1], 0777)) {
		error("cannot create %s: %s", argv[a + 1], strerror(errno));
		goto out;
	}
	for (i = 0; i < mb.nr; i++) {
		char path[4096];

		snprintf(path, sizeof(path), "%s/%04zu", argv[a + 1], i + 1);
		if (save_file(path, mb.msgs[i].data, mb.msgs[i].len))
			goto out;
	}
	printf("%zu\n", mb.nr);
	ret = EXIT_OK;
out:
	mbox_release(&mb);
	buf_release(&in);
	return ret;
}

int cmd_patch_id(int argc, char **argv, struct pwb_ctx *ctx)
{
	struct buf in = BUF_INIT;
	char id[41];

	(void)ctx;
	if (argc == 2 && !strcmp(argv[1], "--help"))
		return usage_help(patchid_usage);
	if (argc != 1)
		return usage_error(patchid_usage, "patch-id takes no arguments");
	if (buf_read_fd(&in, 0, 256u << 20)) {
		buf_release(&in);
		error("cannot read standard input");
		return EXIT_FAIL;
	}
	if (patch_id_stable(in.buf, id)) {
		buf_release(&in);
		error("no diff on standard input");
		return EXIT_FAIL;
	}
	printf("%s\n", id);
	buf_release(&in);
	return EXIT_OK;
}
