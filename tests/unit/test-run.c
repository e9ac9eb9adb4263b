/* util/run.c: what run_command() keeps of a child's output: the tail
 * past the cap (build logs), the head and the tail with the dropped
 * middle named (consoles), runs of an identical line squeezed to one
 * line and a count (a 6.1 kselftest harness repeating one teardown
 * assertion for 30 s printed 16 MiB in 95 s and pushed its KTAP plan
 * out of the console).  Real children: sh -c, no mocks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/run.h"

/* run SCRIPT under sh -c with the capture options given */
static void sh(const char *script, size_t cap, size_t head, int squeeze,
	       struct run_result *r)
{
	const char *argv[] = { "sh", "-c", script, NULL };
	struct run_opts o;

	memset(&o, 0, sizeof(o));
	o.argv = argv;
	o.timeout = 60;
	o.capture_cap = cap;
	o.capture_head = head;
	o.squeeze = squeeze;
	assert_int_equal(run_command(&o, r), 0);
	assert_int_equal(r->end, RUN_EXITED);
	assert_int_equal(r->code, 0);
}

static void test_squeeze_runs(void **state)
{
	struct run_result r;

	(void)state;
	sh("echo a; i=0; while [ $i -lt 1000 ]; do echo '# x: Expected ret'; "
	   "i=$((i+1)); done; echo b; echo b", 0, 0, 1, &r);
	assert_string_equal(r.output.buf,
			    "a\n# x: Expected ret\n"
			    "[pwb: the line above repeated 999 more times]\n"
			    "b\n[pwb: the line above repeated 1 more times]\n");
	assert_int_equal(r.squeezed, 1000);
	assert_int_equal(r.dropped, 0);
	assert_false(r.truncated);
	run_result_release(&r);
}

static void test_squeeze_partial_and_off(void **state)
{
	struct run_result r;

	(void)state;
	/* a last line without its newline is kept, after the count */
	sh("printf 'x\\nx\\nx\\nlast'", 0, 0, 1, &r);
	assert_string_equal(r.output.buf,
			    "x\n[pwb: the line above repeated 2 more times]\nlast");
	run_result_release(&r);
	/* without squeeze nothing changes */
	sh("printf 'x\\nx\\nx\\nlast'", 0, 0, 0, &r);
	assert_string_equal(r.output.buf, "x\nx\nx\nlast");
	assert_int_equal(r.squeezed, 0);
	run_result_release(&r);
}

static void test_squeeze_long_lines_kept(void **state)
{
	struct run_result r;
	size_t i, n = 0;

	(void)state;
	/* lines over 4 KiB are passed through, never compared */
	sh("l=$(head -c 6000 /dev/zero | tr '\\0' y); echo $l; echo $l; echo $l",
	   0, 0, 1, &r);
	assert_int_equal(r.output.len, 3 * 6001);
	for (i = 0; i < r.output.len; i++)
		n += r.output.buf[i] == '\n';
	assert_int_equal(n, 3);
	assert_int_equal(r.squeezed, 0);
	run_result_release(&r);
}

/* "line 0000".."line 1999": 10 bytes each, 20,000 in all */
#define LINES "i=0; while [ $i -lt 2000 ]; do printf 'line %04d\\n' $i; i=$((i+1)); done"

static void test_head_and_tail(void **state)
{
	struct run_result r;
	const char *note;
	size_t dropped;

	(void)state;
	sh(LINES, 4096, 1024, 0, &r);
	assert_true(r.truncated);
	/* the head: whole lines, from the first */
	assert_memory_equal(r.output.buf, "line 0000\n", 10);
	note = strstr(r.output.buf, "[pwb: ");
	assert_non_null(note);
	assert_int_equal(note - r.output.buf, 1020);	/* 102 whole lines */
	assert_int_equal(sscanf(note, "[pwb: %zu bytes of output dropped here]",
				&dropped), 1);
	assert_int_equal(dropped, r.dropped);
	/* the tail: whole lines, up to the last */
	note = strchr(note, '\n') + 1;
	assert_memory_equal(note, "line ", 5);
	assert_int_equal(note[9], '\n');
	assert_string_equal(r.output.buf + r.output.len - 10, "line 1999\n");
	/* nothing lost but what the note counts */
	assert_int_equal(1020 + dropped + (r.output.buf + r.output.len - note),
			 20000);
	assert_true(r.output.len <= 4096 + 64);
	run_result_release(&r);
}

static void test_tail_only(void **state)
{
	struct run_result r;

	(void)state;
	/* a build log: no head, the newest kept, the note first */
	sh(LINES, 4096, 0, 0, &r);
	assert_true(r.truncated);
	assert_memory_equal(r.output.buf, "[pwb: ", 6);
	assert_string_equal(r.output.buf + r.output.len - 10, "line 1999\n");
	assert_true(r.dropped >= 20000 - 4096);
	run_result_release(&r);
	/* under the cap: all of it, no note */
	sh(LINES, 1 << 20, 4096, 1, &r);
	assert_int_equal(r.output.len, 20000);
	assert_false(r.truncated);
	assert_null(strstr(r.output.buf, "[pwb: "));
	run_result_release(&r);
}

static void test_squeeze_inside_cap(void **state)
{
	struct run_result r;

	(void)state;
	/* a 2 MiB flood of one line under a 64 KiB cap: nothing dropped,
	 * the lines before and after it kept */
	sh("echo 'TAP version 13'; echo 1..1; yes '# flood' | head -c 2097152; "
	   "echo 'ok 1 case'", 65536, 4096, 1, &r);
	assert_string_equal(r.output.buf,
			    "TAP version 13\n1..1\n# flood\n"
			    "[pwb: the line above repeated 262143 more times]\n"
			    "ok 1 case\n");
	assert_int_equal(r.dropped, 0);
	run_result_release(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_squeeze_runs),
		cmocka_unit_test(test_squeeze_partial_and_off),
		cmocka_unit_test(test_squeeze_long_lines_kept),
		cmocka_unit_test(test_head_and_tail),
		cmocka_unit_test(test_tail_only),
		cmocka_unit_test(test_squeeze_inside_cap),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
