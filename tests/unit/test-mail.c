/* Unit tests: mbox splitting (mboxrd, format-patch), MIME decoding. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "mail.h"

static void test_from_line(void **state)
{
	static const char *const yes[] = {
		"From mboxrd@z Thu Jan  1 00:00:00 1970",
		"From 0123456789abcdef0123456789abcdef01234567 Mon Sep 17 00:00:00 2001",
		"From nobody Mon Sep 17 00:00:00 2001",
	};
	static const char *const no[] = {
		"From the beginning, mbox should have been mboxrd",
		"From: A U Thor <a@example.com>",
		"From x 12:00",
	};
	size_t i;

	(void)state;
	for (i = 0; i < 3; i++)
		assert_true(mbox_is_from_line(yes[i], strlen(yes[i])));
	for (i = 0; i < 3; i++)
		assert_false(mbox_is_from_line(no[i], strlen(no[i])));
}

static void test_mboxrd(void **state)
{
	const char *in =
		"From mboxrd@z Thu Jan  1 00:00:00 1970\r\n"
		"Subject: one\r\n\r\n"
		">From escaped\r\n"
		">>From twice\r\n"
		"From the beginning, not a separator\r\n"
		"\r\n"
		"From mboxrd@z Thu Jan  1 00:00:00 1970\n"
		"Subject: two\n\nbody\n";
	struct mbox mb;
	const char *m1;

	(void)state;
	assert_int_equal(mbox_split(in, strlen(in), MBOX_AUTO, 0, &mb), 0);
	assert_int_equal(mb.nr, 2);
	assert_true(mb.mboxrd);
	m1 = mb.msgs[0].data + mb.msgs[0].hdr;
	assert_string_equal(m1, "Subject: one\n\nFrom escaped\n>From twice\n"
			    "From the beginning, not a separator\n\n");
	assert_string_equal(mb.msgs[1].data + mb.msgs[1].hdr,
			    "Subject: two\n\nbody\n");
	mbox_release(&mb);

	/* format-patch output is mboxo: >From stays */
	in = "From 0123456789abcdef0123456789abcdef01234567 Mon Sep 17 00:00:00 2001\n"
	     "Subject: x\n\n>From kept\n";
	assert_int_equal(mbox_split(in, strlen(in), MBOX_AUTO, 0, &mb), 0);
	assert_false(mb.mboxrd);
	assert_non_null(strstr(mb.msgs[0].data, "\n>From kept\n"));
	mbox_release(&mb);

	assert_int_equal(mbox_split("<html>", 6, MBOX_AUTO, 0, &mb), -1);
}

static void test_mime(void **state)
{
	const char *qp =
		"From: =?ISO-8859-1?Q?J=E9r=F4me?= Glisse <jglisse@example.org>\n"
		"Subject: =?UTF-8?B?W1BBVENIXSBtbTogY2Fmw6k=?=\n"
		"Message-ID: <qp@example.org>\n"
		"In-Reply-To: <parent@example.org>\n"
		"References: <root@example.org> <parent@example.org>\n"
		"Date: Thu, 15 Aug 2019 09:30:02 +0200\n"
		"MIME-Version: 1.0\n"
		"Content-Type: text/plain; charset=ISO-8859-1\n"
		"Content-Transfer-Encoding: quoted-printable\n\n"
		"caf=E9 long line =\n"
		"continued\r\n";
	const char *b64 =
		"From: x@example.org\n"
		"Subject: b\n"
		"Content-Type: multipart/mixed; boundary=\"B\"\n\n"
		"--B\n"
		"Content-Type: text/plain; charset=utf-8\n"
		"Content-Transfer-Encoding: base64\n\n"
		"aGVsbG8NCndvcmxkDQo=\n"
		"--B\n"
		"Content-Type: text/html\n\n<p>no</p>\n"
		"--B--\n";
	struct mail m;

	(void)state;
	assert_int_equal(mail_parse(qp, strlen(qp), &m), 0);
	assert_string_equal(m.msgid, "qp@example.org");
	assert_false(m.msgid_derived);
	assert_string_equal(m.in_reply_to, "parent@example.org");
	assert_int_equal(m.nrefs, 2);
	assert_string_equal(m.refs[0], "root@example.org");
	assert_string_equal(m.from_name, "J\xc3\xa9r\xc3\xb4me Glisse");
	assert_string_equal(m.from_email, "jglisse@example.org");
	assert_string_equal(m.subject, "[PATCH] mm: caf\xc3\xa9");
	assert_int_equal(m.date, 1565854202);
	assert_int_equal(m.date_tz, 120);
	assert_string_equal(m.body, "caf\xc3\xa9 long line continued\n");
	mail_release(&m);

	assert_int_equal(mail_parse(b64, strlen(b64), &m), 0);
	assert_true(m.msgid_derived);
	assert_string_equal(m.body, "hello\nworld\n");
	assert_string_equal(m.from_name, "x@example.org");
	mail_release(&m);
}

static void test_mailinfo_inbody(void **state)
{
	const char *in =
		"From: Forwarder <fw@example.com>\n"
		"Subject: [PATCH] outer\n\n"
		"From: Real Author <real@example.com>\n"
		"Subject: inner subject\n"
		"Date: Fri, 9 Jun 2006 00:44:16 -0700\n\n"
		"Body.\n---\ndiff --git a/x b/x\n";
	struct mail m;
	struct mailinfo mi;

	(void)state;
	assert_int_equal(mail_parse(in, strlen(in), &m), 0);
	mailinfo_init(&mi);
	mail_info(&m, &mi);
	assert_string_equal(mi.author, "Real Author");
	assert_string_equal(mi.email, "real@example.com");
	assert_string_equal(mi.subject, "inner subject");
	assert_int_equal(mi.date_tz, -420);
	assert_string_equal(mi.message.buf, "Body.\n");
	assert_string_equal(mi.patch.buf, "---\ndiff --git a/x b/x\n");
	mailinfo_release(&mi);
	mail_release(&m);
	mail_global_release();
}

/* Message-IDs with spaces are kept as public-inbox keeps them. */
static void test_msgid_spaces(void **state)
{
	const char *in =
		"From: A <a@example.com>\n"
		"Subject: x\n"
		"Message-ID: <a b@c>\n"
		"In-Reply-To: <p q@c> (comment)\n"
		"References: <r@c>\n <p q@c>\n\n"
		"Body.\n";
	struct mail m;

	(void)state;
	assert_int_equal(mail_parse(in, strlen(in), &m), 0);
	assert_string_equal(m.msgid, "a b@c");
	assert_false(m.msgid_derived);
	assert_string_equal(m.in_reply_to, "p q@c");
	assert_int_equal(m.nrefs, 2);
	assert_string_equal(m.refs[0], "r@c");
	assert_string_equal(m.refs[1], "p q@c");
	mail_release(&m);
}

/* git mailinfo: the message converted to UTF-8, the patch's bytes as sent. */
static void test_mailinfo_raw_patch(void **state)
{
	const char *in =
		"From: A <a@example.com>\n"
		"Subject: [PATCH] big5\n"
		"Content-Type: text/plain; charset=big5\n"
		"Content-Transfer-Encoding: quoted-printable\n\n"
		"Text =A4=A4.\n---\n"
		"diff --git a/x b/x\n+=A4=E5=FF\n";
	struct mail m;
	struct mailinfo mi;

	(void)state;
	assert_int_equal(mail_parse(in, strlen(in), &m), 0);
	assert_true(m.body_bad_utf8);
	mailinfo_init(&mi);
	mail_info(&m, &mi);
	assert_string_equal(mi.message.buf, "Text \xe4\xb8\xad.\n");
	assert_string_equal(mi.patch.buf, "---\ndiff --git a/x b/x\n+\xa4\xe5\xff\n");
	assert_false(mi.message_lossy);
	mailinfo_release(&mi);
	mail_release(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_from_line),
		cmocka_unit_test(test_mboxrd),
		cmocka_unit_test(test_mime),
		cmocka_unit_test(test_msgid_spaces),
		cmocka_unit_test(test_mailinfo_raw_patch),
		cmocka_unit_test(test_mailinfo_inbody),
	};

	return cmocka_run_group_tests_name("mail", tests, NULL, NULL);
}
