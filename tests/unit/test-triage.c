/* Unit tests: triage fed in pieces; KTAP corner cases. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "ktap.h"
#include "triage.h"

static const char log_text[] =
	"[    0.000000] Linux version 6.1.192 #1\n"
	"### pwb-init: start\n"
	"[    3.374719] Kernel panic - not syncing: sysrq triggered crash\n";

static void test_split_reads(void **state)
{
	size_t step;

	(void)state;
	/* one byte at a time, two at a time, ...: the same findings */
	for (step = 1; step <= 7; step++) {
		struct triage t;
		size_t i;

		triage_init(&t);
		for (i = 0; i < sizeof(log_text) - 1; i += step) {
			size_t n = sizeof(log_text) - 1 - i;

			triage_feed(&t, log_text + i, n < step ? n : step);
		}
		triage_finish(&t, TRIAGE_ENDED);
		assert_int_equal(t.nr, 1);
		assert_string_equal(t.f[0].kind, "panic");
		assert_string_equal(t.f[0].title,
				    "Kernel panic - not syncing: sysrq triggered crash");
		assert_int_equal(t.f[0].first_line, 3);
		triage_release(&t);
	}
}

static void test_prefixes(void **state)
{
	(void)state;
	assert_string_equal(triage_strip_prefix("[   12.345678] BUG: x"), "BUG: x");
	assert_string_equal(triage_strip_prefix("[T123] BUG: x"), "BUG: x");
	assert_string_equal(triage_strip_prefix("[    1.0] [  C0] ok"), "ok");
	assert_string_equal(triage_strip_prefix("[not a stamp] x"), "[not a stamp] x");
}

static void test_timeout(void **state)
{
	struct triage t;

	(void)state;
	triage_init(&t);
	triage_feed(&t, "[ 0.1] Linux version 6\n", 23);
	triage_finish(&t, TRIAGE_TIMED_OUT);
	assert_int_equal(t.nr, 1);
	assert_string_equal(t.f[0].kind, "timeout");
	assert_true(triage_has_failure(&t));
	triage_release(&t);
}

/* an interrupted or killed run: its end is nobody's finding */
static void test_cut_short(void **state)
{
	static const char log[] = "[ 0.1] Linux version 6\n### pwb-init: start\n";
	struct triage t;

	(void)state;
	triage_init(&t);
	triage_feed(&t, log, sizeof(log) - 1);
	triage_finish(&t, TRIAGE_ENDED);
	assert_int_equal(t.nr, 1);
	assert_string_equal(t.f[0].kind, "unexpected-reboot");
	triage_release(&t);

	triage_init(&t);
	triage_feed(&t, log, sizeof(log) - 1);
	triage_finish(&t, TRIAGE_CUT_SHORT);
	assert_int_equal(t.nr, 0);
	assert_false(triage_has_failure(&t));
	triage_release(&t);

	/* an oops before the interrupt is still one */
	triage_init(&t);
	triage_feed(&t, log, sizeof(log) - 1);
	triage_feed(&t, "[ 1.0] Kernel panic - not syncing: x\n", 37);
	triage_finish(&t, TRIAGE_CUT_SHORT);
	assert_int_equal(t.nr, 1);
	assert_string_equal(t.f[0].kind, "panic");
	triage_release(&t);
}

/* found by fuzz-text: a hung-task line without a task name */
static void test_hung_task_without_comm(void **state)
{
	static const char line[] = "[ 245.0] INFO: task blocked for more than 122 seconds.\n";
	struct triage t;

	(void)state;
	triage_init(&t);
	triage_feed(&t, line, sizeof(line) - 1);
	triage_finish(&t, TRIAGE_ENDED);
	assert_int_equal(t.nr, 1);
	assert_string_equal(t.f[0].kind, "hung-task");
	assert_string_equal(t.f[0].title, "hung task: ");
	triage_release(&t);
}

static void test_ktap_plan_only(void **state)
{
	struct ktap k;

	(void)state;
	assert_int_equal(ktap_parse("KTAP version 1\n1..2\n", &k), 0);
	assert_int_equal(k.nr, 2);
	assert_int_equal(k.cases[0].status, KTAP_CRASHED);
	assert_true(ktap_failed(&k));
	ktap_release(&k);
	assert_int_equal(ktap_parse("", &k), -1);
	assert_non_null(k.error);
	ktap_release(&k);
}

/* 6.1 built with O= names files from the build directory: the title
 * names them as the tree does, as 6.12's -fmacro-prefix-map does */
/* a case's status reads back from the name case_results keeps */
static void test_ktap_status_names(void **state)
{
	static const char *const names[] = {
		"pass", "fail", "skip", "todo", "crashed",
	};
	enum ktap_status s;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		assert_string_equal(ktap_status_name((enum ktap_status)i), names[i]);
		assert_int_equal(ktap_status_parse(names[i], &s), 0);
		assert_int_equal(s, (enum ktap_status)i);
	}
	assert_string_equal(ktap_status_name((enum ktap_status)99), "?");
	s = KTAP_TODO;
	assert_int_equal(ktap_status_parse("PASS", &s), -1);
	assert_int_equal(ktap_status_parse("passed", &s), -1);
	assert_int_equal(ktap_status_parse("", &s), -1);
	assert_int_equal(ktap_status_parse(NULL, &s), -1);
	assert_int_equal(s, KTAP_TODO);
}

static void test_warning_path_from_build_dir(void **state)
{
	static const char *const lines[] = {
		"[ 5.1] WARNING: CPU: 0 PID: 28 at ../../../../checkouts/linux/0/arch/arm64/mm/mmu.c:1222 0xffffffc00821af38\n",
		"[ 5.1] WARNING: CPU: 0 PID: 28 at /home/me/linux/mm/hmm.c:12 0xffffffc00821af38\n",
		"[ 5.1] WARNING: CPU: 0 PID: 28 at mm/hmm.c:12 0xffffffc00821af38\n",
		"[ 5.1] WARNING: CPU: 0 PID: 28 at ../x/y.c:12 0xffffffc00821af38\n",
	};
	static const char *const want[] = {
		"WARNING: arch/arm64/mm/mmu.c:N", "WARNING: mm/hmm.c:N",
		"WARNING: mm/hmm.c:N", "WARNING: ../x/y.c:N",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		struct triage t;

		triage_init(&t);
		triage_feed(&t, lines[i], strlen(lines[i]));
		triage_finish(&t, TRIAGE_ENDED);
		assert_int_equal(t.nr, 1);
		assert_string_equal(t.f[0].title, want[i]);
		triage_release(&t);
	}
}

/* A KASAN report's lines end at its closing rule: what follows (the
 * suite's KTAP) is not part of it. */
static void test_kasan_ends_at_rule(void **state)
{
	static const char c[] =
		"[    1.2] ==================================================================\n"
		"[    1.2] BUG: KASAN: slab-out-of-bounds in f+0x1a4/0x2c0\n"
		"[    1.2] Write of size 1 at addr ffff888003a1c060 by task t/75\n"
		"[    1.2] Call Trace:\n"
		"[    1.2]  f+0x1a4/0x2c0\n"
		"[    1.2] ==================================================================\n"
		"ok 1 blockable_1\n"
		"[    1.3] random later line\n";
	struct triage t;

	(void)state;
	triage_init(&t);
	triage_feed(&t, c, sizeof(c) - 1);
	triage_finish(&t, TRIAGE_CUT_SHORT);
	assert_int_equal(t.nr, 1);
	assert_string_equal(t.f[0].kind, "kasan");
	assert_non_null(strstr(t.f[0].lines.buf, "Call Trace:"));
	assert_null(strstr(t.f[0].lines.buf, "blockable_1"));
	assert_null(strstr(t.f[0].lines.buf, "random later line"));
	/* the last line is the closing rule */
	assert_int_equal(t.f[0].lines.buf[t.f[0].lines.len - 2], '=');
	triage_release(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_split_reads),
		cmocka_unit_test(test_prefixes),
		cmocka_unit_test(test_timeout),
		cmocka_unit_test(test_cut_short),
		cmocka_unit_test(test_hung_task_without_comm),
		cmocka_unit_test(test_ktap_plan_only),
		cmocka_unit_test(test_ktap_status_names),
		cmocka_unit_test(test_warning_path_from_build_dir),
		cmocka_unit_test(test_kasan_ends_at_rule),
	};

	return cmocka_run_group_tests_name("triage", tests, NULL, NULL);
}
