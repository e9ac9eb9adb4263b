/* Unit tests: subject prefixes, threads. */
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

/* a deep chain (past the old 10,000-step guard) still feeds
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
		cmocka_unit_test(test_thread_chain),
	};

	return cmocka_run_group_tests_name("series", tests, NULL, NULL);
}
