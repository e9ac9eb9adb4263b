/* Unit tests: subject prefixes, trailers, patch splitting. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "series.h"

static void subject(const char *s, int reply, int patch, int version,
		    int index, int total, const char *prefixes, const char *title)
{
	struct subject_info si;

	subject_parse(s, &si);
	assert_int_equal(si.is_reply, reply);
	assert_int_equal(si.is_patch, patch);
	assert_int_equal(si.version, version);
	assert_int_equal(si.index, index);
	assert_int_equal(si.total, total);
	assert_string_equal(si.prefixes, prefixes);
	assert_string_equal(si.title, title);
	subject_info_release(&si);
}

static void test_subject_prefixes(void **state)
{
	(void)state;
	subject("[PATCH v2 3/5] mm: fix", 0, 1, 2, 3, 5, "", "mm: fix");
	subject("[RFC PATCH net-next v3 0/2] cover", 0, 1, 3, 0, 2,
		"RFC net-next", "cover");
	subject("[PATCH] single", 0, 1, 1, 0, 0, "", "single");
	subject("[PATCH 2/2 v4] late version", 0, 1, 4, 2, 2, "", "late version");
	subject("[RFC][PATCH 1/3] two groups", 0, 1, 1, 1, 3, "RFC", "two groups");
	subject("Re: [PATCH v2 1/3] reply", 1, 1, 2, 1, 3, "", "reply");
	subject("RE: AW: [PATCH] double reply", 1, 1, 1, 0, 0, "", "double reply");
	subject("[PATCH RESEND v2 01/10] zero padded", 0, 1, 2, 1, 10, "",
		"zero padded");
	subject("mmu notifiers and the OOM reaper", 0, 0, 1, 0, 0, "",
		"mmu notifiers and the OOM reaper");
	subject("[GIT PULL] not a patch", 0, 0, 1, 0, 0, "", "not a patch");
	/* "Re:" after the brackets belongs to the title of a patch */
	subject("[PATCH] Re: odd title", 0, 1, 1, 0, 0, "", "Re: odd title");
	/* a bogus counter is just a word */
	subject("[PATCH 3/2] bad", 0, 1, 1, 0, 0, "3/2", "bad");
}

static void test_trailers(void **state)
{
	struct trailer *t = NULL;
	size_t n = 0;
	const char *body =
		"On Mon, someone wrote:\n"
		"> Reviewed-by: Quoted <q@example.com>\n"
		"  > Acked-by: Also Quoted <aq@example.com>\n"
		"Looks good.\n"
		"\n"
		"reviewed-by: Low Case <lc@example.com>\n"
		"Acked-by: A Person <a@example.com>\n"
		"Acked-by: A Person <a@example.com>\n"
		"Tested-by: no address here\n"
		"Signed-off-by: Not Collected <s@example.com>\n"
		"Fixes: 0123456789ab (\"mm: broke it\")\n"
		"Fixes: nothex\n"
		"base-commit: 0123456789abcdef0123456789abcdef01234567\n"
		"-- \n"
		"Reviewed-by: In Signature <sig@example.com>\n";

	(void)state;
	trailers_extract(body, "m@x", &t, &n);
	assert_int_equal(n, 3);
	assert_string_equal(t[0].kind, "Reviewed-by");
	assert_string_equal(t[0].person, "Low Case <lc@example.com>");
	assert_string_equal(t[1].kind, "Acked-by");
	assert_string_equal(t[1].person, "A Person <a@example.com>");
	assert_string_equal(t[2].kind, "Fixes");
	assert_string_equal(t[2].person, "0123456789ab (\"mm: broke it\")");
	assert_string_equal(t[2].from_msgid, "m@x");
	trailers_free(t, n);
}

static void test_patch_split(void **state)
{
	struct buf stat = BUF_INIT, diff = BUF_INIT;
	const char *patch =
		"---\n"
		" a | 2 +-\n"
		" 1 file changed\n"
		"\n"
		"diff --git a/a b/a\n"
		"index 1111111..2222222 100644\n"
		"--- a/a\n"
		"+++ b/a\n"
		"@@ -1,2 +1,2 @@\n"
		" keep\n"
		"--- old line that starts with dashes\n"
		"+new\n"
		"\n"
		"base-commit: 0123456789abcdef0123456789abcdef01234567\n"
		"-- \n"
		"2.39.2\n";

	(void)state;
	patch_split(patch, &stat, &diff);
	/* the first line keeps its leading space, as git writes it (issue 15) */
	assert_string_equal(stat.buf, " a | 2 +-\n 1 file changed\n");
	assert_true(strstr(diff.buf, "--- old line") != NULL);
	assert_true(strstr(diff.buf, "base-commit") == NULL);
	assert_true(strstr(diff.buf, "2.39.2") == NULL);
	assert_int_equal(diff.buf[diff.len - 1], '\n');
	buf_release(&stat);
	buf_release(&diff);
}

static void test_patch_id(void **state)
{
	char a[41], b[41], c[41];

	(void)state;
	/* white space and hunk line numbers do not change the id */
	assert_int_equal(patch_id_stable(
		"diff --git a/x b/x\nindex 1..2 100644\n--- a/x\n+++ b/x\n"
		"@@ -1 +1 @@\n-a\n+b\n", a), 0);
	assert_int_equal(patch_id_stable(
		"diff --git a/x b/x\nindex 3..4 100644\n--- a/x\n+++ b/x\n"
		"@@ -7 +7 @@\n-a \n+ b\n", b), 0);
	assert_string_equal(a, b);
	assert_int_equal(patch_id_stable(
		"diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+c\n", c), 0);
	assert_string_not_equal(a, c);
	assert_int_equal(patch_id_stable("no diff here\n", c), -1);
}

/* issue 15: Link:/Closes: collected, Outlook's <a@b<mailto:a@b>> undone */
static void test_trailers_b4(void **state)
{
	struct trailer *t = NULL;
	size_t n = 0;
	char *a;

	(void)state;
	trailers_extract("ok\n\nLink: https://lore.kernel.org/r/x@y\n"
			 "Closes: https://bugzilla.example.org/1\n"
			 "Link: not a url\n"
			 "Reviewed-by: H J <h@example.com<mailto:h@example.com>>\n"
			 "Acked-by: O <o@example.com<mailto:other@example.com>>\n",
			 "m@x", &t, &n);
	assert_int_equal(n, 4);
	assert_string_equal(t[0].kind, "Link");
	assert_string_equal(t[0].person, "https://lore.kernel.org/r/x@y");
	assert_string_equal(t[1].kind, "Closes");
	assert_string_equal(t[2].person, "H J <h@example.com>");
	/* a mailto: that is another address is left as written */
	assert_string_equal(t[3].person,
			    "O <o@example.com<mailto:other@example.com>>");
	a = trailer_address("H J <H@Example.com>");
	assert_string_equal(a, "h@example.com");
	free(a);
	assert_null(trailer_address("https://x/y"));
	trailers_free(t, n);
}

static char *chain_mbox(size_t n, int cycle)
{
	struct buf b = BUF_INIT;
	size_t i;

	buf_addstr(&b, "From mboxrd@z Thu Jan  1 00:00:00 1970\n"
		   "From: A <a@example.com>\nSubject: [PATCH] x: y\n"
		   "Message-ID: <m0@x>\n");
	if (cycle)
		buf_addf(&b, "In-Reply-To: <m%zu@x>\n", n - 1);
	buf_addstr(&b, "\nmsg\n---\ndiff --git a/x b/x\n--- a/x\n+++ b/x\n"
		   "@@ -1 +1 @@\n-a\n+b\n\n");
	for (i = 1; i < n; i++) {
		buf_addf(&b, "From mboxrd@z Thu Jan  1 00:00:00 1970\n"
			 "From: R%zu <r%zu@example.com>\nSubject: Re: [PATCH] x: y\n"
			 "Message-ID: <m%zu@x>\nIn-Reply-To: <m%zu@x>\n\nok\n",
			 i, i, i, i - 1);
		if (i == n - 1)
			buf_addf(&b, "\nAcked-by: R%zu <r%zu@example.com>\n", i, i);
		buf_addch(&b, '\n');
	}
	return buf_detach(&b, NULL);
}

/* issue 15: a deep chain (past the old 10,000-step guard) still feeds
 * its patch; a cycle through the patch is cut at its lowest message. */
static void test_thread_chain(void **state)
{
	struct thread_opts o = { 0, MBOX_AUTO };
	struct thread t;
	char *d;

	(void)state;
	d = chain_mbox(10050, 0);
	assert_int_equal(thread_build(&t, d, strlen(d), &o), 0);
	assert_int_equal(t.nr, 10050);
	assert_int_equal(t.msgs[10049].parent, 10048);
	assert_int_equal(t.nseries, 1);
	assert_int_equal(t.series[0].patches[0].ntrailers, 1);
	assert_string_equal(t.series[0].patches[0].trailers[0].person,
			    "R10049 <r10049@example.com>");
	thread_release(&t);

	d = chain_mbox(5, 1);
	assert_int_equal(thread_build(&t, d, strlen(d), &o), 0);
	assert_int_equal(t.msgs[0].parent, -1);	/* cut here */
	assert_int_equal(t.msgs[1].parent, 0);
	assert_int_equal(t.msgs[4].parent, 3);
	assert_int_equal(t.series[0].patches[0].ntrailers, 1);
	thread_release(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_subject_prefixes),
		cmocka_unit_test(test_trailers),
		cmocka_unit_test(test_patch_split),
		cmocka_unit_test(test_patch_id),
		cmocka_unit_test(test_thread_chain),
		cmocka_unit_test(test_trailers_b4),
	};

	return cmocka_run_group_tests_name("series", tests, NULL, NULL);
}
