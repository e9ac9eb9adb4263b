/*
 * Unit tests: cli/progress.c, the commands' progress lines on stderr
 * (linked beside libpwb.a: the Makefile's UNIT_CLI).  The lines pwb check
 * and pwb matrix print for the library's events, exactly as tests and
 * users read them; untrusted text made visible; kbuild's \r line; the
 * Slurm lines, on a terminal and elsewhere; who
 * gets progress at all (--json, PWB_PROGRESS, a terminal).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/progress.h"

static char err[4096];
static FILE *fe;
static int saved = -1;

/* stderr into a temporary file until captured() */
static void capture(void)
{
	fe = tmpfile();
	assert_non_null(fe);
	fflush(stderr);
	saved = dup(2);
	dup2(fileno(fe), 2);
}

static const char *captured(void)
{
	size_t n;

	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	rewind(fe);
	n = fread(err, 1, sizeof(err) - 1, fe);
	err[n] = '\0';
	fclose(fe);
	return err;
}

static struct check_progress_event stage_event(long id, int step, int steps,
					       double elapsed, const char *text)
{
	struct check_progress_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.kind = CHECK_PROGRESS_STAGE;
	ev.check_id = id;
	ev.step = step;
	ev.steps = steps;
	ev.elapsed = elapsed;
	ev.text = text;
	return ev;
}

static void test_stage_lines(void **state)
{
	struct check_progress_event a = stage_event(-1, 1, 5, 0, "intake three.mbox");
	struct check_progress_event b = stage_event(12, 3, 5, 41.4,
		"build the base and 3 patches, recorded");
	struct check_progress_event c = stage_event(12, 6, 6, 1234.6, "compare");

	(void)state;
	capture();
	progress_check(NULL, &a);
	progress_check(NULL, &b);
	progress_check(NULL, &c);
	assert_string_equal(captured(),
		"pwb check [1/5]     0s intake three.mbox\n"
		"pwb check 12 [3/5]    41s build the base and 3 patches, recorded\n"
		"pwb check 12 [6/6]  1235s compare\n");
}

static void test_boot_line(void **state)
{
	struct check_progress_event ev;

	(void)state;
	memset(&ev, 0, sizeof(ev));
	ev.kind = CHECK_PROGRESS_BOOT;
	ev.check_id = 7;
	ev.suite = "mmn-pairing";
	ev.label = "candidate";
	ev.nth = 2;
	ev.of = 3;
	capture();
	progress_check(NULL, &ev);
	assert_string_equal(captured(),
		"pwb check 7   mmn-pairing candidate run 2/3\n");
}

/* a series subject in a stage line: escapes shown, never sent */
static void test_untrusted_text(void **state)
{
	struct check_progress_event ev = stage_event(3, 1, 5, 0,
		"intake \033]52;c;aGk=\007 x");

	(void)state;
	capture();
	progress_check(NULL, &ev);
	assert_string_equal(captured(),
		"pwb check 3 [1/5]     0s intake \\x1b]52;c;aGk=\\x07 x\n");
}

static void test_build_line(void **state)
{
	(void)state;
	capture();
	progress_build_line(NULL, "CC      mm/oom_kill.o");
	progress_build_line(NULL, "LD \033[2J vmlinux");
	progress_build_line(NULL, NULL);
	assert_string_equal(captured(),
		"\r\033[K  CC      mm/oom_kill.o"
		"\r\033[K  LD \\x1b[2J vmlinux"
		"\r\033[K");
}

static void cluster_events(struct progress_cluster *p)
{
	struct exec_cluster_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.kind = EXEC_CLUSTER_SUBMITTED;
	ev.build_jobs = 1;
	ev.boot_jobs = 4;
	ev.batch = "/w/jobs/17";
	progress_cluster(p, &ev);
	memset(&ev, 0, sizeof(ev));
	ev.kind = EXEC_CLUSTER_QUEUE;
	ev.ids = "101,102";
	ev.running = 1;
	ev.pending = 3;
	progress_cluster(p, &ev);
	ev.running = 2;
	ev.pending = 0;
	progress_cluster(p, &ev);
	memset(&ev, 0, sizeof(ev));
	ev.kind = EXEC_CLUSTER_DONE;
	progress_cluster(p, &ev);
	progress_cluster(p, &ev);	/* nothing open: nothing */
}

static void test_cluster_lines(void **state)
{
	struct progress_cluster p = { 0, 0 };

	(void)state;
	capture();
	cluster_events(&p);
	assert_string_equal(captured(),
		"slurm: 1 build job, 4 boot jobs in /w/jobs/17\n"
		"slurm: jobs 101,102: 1 running, 3 pending\n"
		"slurm: jobs 101,102: 2 running, 0 pending\n");
	p.tty = 1;
	capture();
	cluster_events(&p);
	assert_string_equal(captured(),
		"slurm: 1 build job, 4 boot jobs in /w/jobs/17\n"
		"\rslurm: jobs 101,102: 1 running, 3 pending   "
		"\rslurm: jobs 101,102: 2 running, 0 pending   \n");
}

/* --json or no terminal: nothing, unless PWB_PROGRESS=1 asks for the
 * stage lines; the \r build line only ever on a terminal */
static void test_who_gets_progress(void **state)
{
	struct check_opts o;
	struct progress_cluster pc;
	int tty = isatty(2);

	(void)state;
	unsetenv("PWB_PROGRESS");
	memset(&o, 0, sizeof(o));
	progress_check_setup(&o, &pc, 1);
	assert_null(o.progress);
	assert_null(o.build_progress);
	assert_null(o.cluster_progress);
	assert_null(progress_build(1));

	progress_check_setup(&o, &pc, 0);
	assert_int_equal(o.progress != NULL, tty);
	assert_int_equal(o.build_progress != NULL, tty);
	assert_int_equal(progress_build(0) != NULL, tty);

	setenv("PWB_PROGRESS", "1", 1);
	progress_check_setup(&o, &pc, 1);
	assert_true(o.progress == progress_check);
	assert_true(o.cluster_progress == progress_cluster);
	assert_ptr_equal(o.cluster_progress_ud, &pc);
	assert_int_equal(o.build_progress != NULL, tty);
	assert_null(progress_build(1));

	setenv("PWB_PROGRESS", "0", 1);
	progress_check_setup(&o, &pc, 1);
	assert_null(o.progress);
	unsetenv("PWB_PROGRESS");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stage_lines),
		cmocka_unit_test(test_boot_line),
		cmocka_unit_test(test_untrusted_text),
		cmocka_unit_test(test_build_line),
		cmocka_unit_test(test_cluster_lines),
		cmocka_unit_test(test_who_gets_progress),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
