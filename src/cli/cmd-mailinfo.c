/*
 * Plumbing that exposes the mail parsers to tests and scripts, in the
 * shape of git's: `pwb mailinfo MSG PATCH < mail`, `pwb mailsplit MBOX DIR`
 * and `pwb patch-id < diff`.
 */
#include "cmds.h"
#include "mail.h"
#include "patch-ids.h"
#include "parse-options.h"
#include "util/util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const mailinfo_usage[] = { "pwb mailinfo MSG PATCH < mail", NULL };
static const char mailinfo_text[] =
	"Like 'git mailinfo -u': prints Author/Email/Subject/Date, writes the\n"
	"commit message to MSG and the patch to PATCH.\n";

static const char *const mailsplit_usage[] = { "pwb mailsplit [--mboxrd] MBOX DIR", NULL };
static const char mailsplit_text[] =
	"Like 'git mailsplit': writes each message to DIR/0001, DIR/0002...\n";

static const char *const patchid_usage[] = { "pwb patch-id < diff", NULL };
static const char patchid_text[] =
	"Prints the stable patch-id ('git patch-id --stable') of the diff.\n";

static const struct opt no_opts[] = { OPT_END() };

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
	int ret = EXIT_FAIL, n;
	const char *p;

	(void)ctx;
	n = parse_options(argc, argv, mailinfo_usage, mailinfo_text, no_opts);
	if (n < 0)
		return parse_options_exit(n);
	if (n != 2)
		return usage_with_options_error(mailinfo_usage, mailinfo_text,
						no_opts, "mailinfo takes MSG and PATCH");
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
	int ret = EXIT_FAIL, a = 1, n, rd = 0;
	size_t i;
	const struct opt opts[] = {
		OPT_FLAG(0, "mboxrd", &rd, "the mbox is mboxrd (>From unquoted)"),
		OPT_END(),
	};

	(void)ctx;
	n = parse_options(argc, argv, mailsplit_usage, mailsplit_text, opts);
	if (n < 0)
		return parse_options_exit(n);
	if (rd)
		fmt = MBOX_RD;
	if (n != 2)
		return usage_with_options_error(mailsplit_usage, mailsplit_text,
						opts, "mailsplit takes MBOX and DIR");
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
	int n;

	(void)ctx;
	n = parse_options(argc, argv, patchid_usage, patchid_text, no_opts);
	if (n < 0)
		return parse_options_exit(n);
	if (n != 0)
		return usage_with_options_error(patchid_usage, patchid_text,
						no_opts, "patch-id takes no arguments");
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
