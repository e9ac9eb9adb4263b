/*
 * Unit tests: the executor's driver (exec.c's here()) over a fake
 * backend (exec/backend.h), with a real database.  The fake builds a
 * commit named "broken..." as a failed build and any other as a kernel;
 * its suite "nobuild" does not build against any kernel; a boot of a
 * commit named "bad..." prints a failing KTAP case, of "infra..." gives a
 * boot that never started, of any other a passing one.  What the driver
 * must do with them: boot the sides in rounds (base 1, candidate 1, base
 * 2...), record every boot as a run of its request, end a request whose
 * kernel does not build as no-kernel and skip the one that comes after
 * it, record a suite that does not build as an infrastructure error
 * without booting, boot a request asked twice in one batch once, and stop
 * the batch at an infrastructure error unless told to keep going.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ctx.h"
#include "db.h"
#include "exec/backend.h"
#include "exec/exec.h"
#include "qemu.h"
#include "suiterun.h"
#include "util/util.h"
#include "unit-db.h"

static char dir[4096];
static char path[4200];
static struct pwb_ctx ctx = PWB_CTX_INIT;

/* what the fake backend was asked, in order */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static char booted[64][48];
static size_t nbooted, nbuilds, nprepared;
/* what on_boot saw after each boot: "commit nth/of" */
static char shown[64][48];
static size_t nshown;

static int fake_build(struct executor *e, const struct exec_request *q,
		      int need_dir, struct kbuild_result *br)
{
	(void)need_dir;
	nbuilds++;
	memset(br, 0, sizeof(*br));
	br->lock_fd = -1;
	snprintf(br->commit, sizeof(br->commit), "%s", q->commit);
	snprintf(br->tree, sizeof(br->tree), "tree-%s", q->commit);
	if (!strncmp(q->commit, "broken", 6)) {
		br->status = BUILD_FAILED;
		br->error = xstrdup("mm/oom_kill.c:1:1: error: expected ';'");
	} else {
		br->status = BUILD_OK;
		br->bzimage = xstrfmt("/nonexistent/%s/bzImage", q->commit);
	}
	br->config_name = xstrdup("qemu-x86_64");
	br->config_hash = xstrdup("c0ffee");
	br->toolchain = xstrdup("gcc (fake) 12");
	br->arch = xstrdup("x86_64");
	br->compiler = xstrdup("gcc");
	br->vmlinux_size = br->bzimage_size = -1;
	return kbuild_record(e->ctx->db, q->tree, q->commit, br);
}

static int fake_prepare(struct executor *e, const struct exec_request *q,
			const struct kbuild_result *br, struct suite_prep *p)
{
	(void)e;
	(void)br;
	nprepared++;
	memset(p, 0, sizeof(*p));
	if (!strcmp(q->suite->name, "nobuild")) {
		p->why = xstrdup("module/bad.c:1:1: error: unknown type name");
		return -1;
	}
	return 0;
}

static void fake_boot(struct executor *e, const struct exec_request *q,
		      const struct kbuild_result *br, const struct suite_prep *p,
		      int idx, struct exec_boot *b)
{
	char console[512];

	(void)e;
	(void)p;
	pthread_mutex_lock(&lock);
	if (nbooted < 64)
		snprintf(booted[nbooted++], sizeof(booted[0]), "%s#%d",
			 br->commit, idx);
	pthread_mutex_unlock(&lock);
	memset(b, 0, sizeof(*b));
	b->qo.qemu = "fake";
	b->qo.kernel = br->bzimage;
	b->qo.mem_mb = 256;
	b->qo.cpus = 1;
	if (!strncmp(br->commit, "infra", 5)) {
		triage_init(&b->boot.triage);
		b->boot.status = BOOT_INFRA;
		b->boot.end_status = -1;
		b->boot.error = xstrdup("QEMU could not start");
		return;
	}
	snprintf(console, sizeof(console),
		 "Linux version 6.1.0 (fake)\n%s\nKTAP version 1\n1..1\n"
		 "%s 1 pairing\n%s 0\n", TRIAGE_START_MARKER,
		 strncmp(br->commit, "bad", 3) ? "ok" : "not ok",
		 TRIAGE_END_MARKER);
	assert_int_equal(qemu_replay(console, strlen(console), "fake", 0,
				     &b->boot), 0);
}

static const struct exec_ops fake = {
	"fake", ", faked", 0, NULL, NULL, fake_build, fake_prepare, fake_boot,
};

static void on_boot(void *ud, const struct exec_request *q, long nth, long of,
		    long run_id, const struct suite_outcome *o)
{
	(void)ud;
	if (run_id < 0)
		return;
	assert_non_null(o);
	assert_int_equal(o->run_id, run_id);
	if (nshown < 64)
		snprintf(shown[nshown++], sizeof(shown[0]), "%s %ld/%ld",
			 q->commit, nth, of);
}

static struct suite suite_named(const char *name)
{
	struct suite s;

	memset(&s, 0, sizeof(s));
	s.name = (char *)name;
	s.hash = (char *)"5111e";
	s.format = SUITE_FMT_KTAP;
	s.mem = 256;
	s.timeout = 60;
	s.repeat = 1;
	return s;
}

static void request(struct exec_request *q, const struct suite *s,
		    const char *commit, long repeat)
{
	exec_request_init(q);
	q->suite = s;
	q->tree = "/src/linux";
	q->commit = commit;
	q->repeat = repeat;
}

static void executor(struct executor *e, long parallel, int keep_going)
{
	executor_init_ops(e, &ctx, EXEC_LOCAL, &fake);
	e->parallel = parallel;
	e->keep_going = keep_going;
	e->on_boot = on_boot;
}

static long count(const char *sql)
{
	sqlite3_stmt *st;
	long n = -1;

	assert_int_equal(db_prepare(ctx.db, &st, sql), 0);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = (long)sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

static int setup(void **state)
{
	(void)state;
	nbooted = nbuilds = nprepared = nshown = 0;
	if (make_tmpdir(dir, sizeof(dir), "pwb-test-exec"))
		return -1;
	snprintf(path, sizeof(path), "%s/t.sqlite", dir);
	/* boot.qemu and boot.parallel: no config of the user's */
	setenv("XDG_CONFIG_HOME", dir, 1);
	setenv("HOME", dir, 1);
	unsetenv("PWB_CONFIG");
	return db_open(path, &ctx.db);
}

static int teardown(void **state)
{
	(void)state;
	ctx_release(&ctx);
	unit_db_remove(path);
	return rmdir(dir);
}

static void test_rounds_alternate_sides(void **state)
{
	struct suite s = suite_named("mmn-pairing");
	struct exec_request q[2];
	struct executor e;
	size_t i;

	(void)state;
	request(&q[0], &s, "base", 2);
	request(&q[1], &s, "bad-candidate", 2);
	executor(&e, 1, 0);
	assert_int_equal(exec_run(&e, q, 2), 0);
	/* one at a time: base 1, candidate 1, base 2, candidate 2 */
	assert_int_equal(nbooted, 4);
	assert_string_equal(booted[0], "base#0");
	assert_string_equal(booted[1], "bad-candidate#0");
	assert_string_equal(booted[2], "base#1");
	assert_string_equal(booted[3], "bad-candidate#1");
	assert_int_equal(nbuilds, 2);
	for (i = 0; i < 2; i++) {
		assert_int_equal(q[i].status, EXEC_DONE);
		assert_int_equal(q[i].nruns, 2);
		assert_true(q[i].build_id > 0);
		assert_int_equal(q[i].no_kernel, 0);
	}
	assert_int_equal(q[0].any_fail, 0);
	assert_int_equal(q[1].any_fail, 1);
	/* each boot shown once, counted within its request */
	assert_int_equal(nshown, 4);
	assert_string_equal(shown[0], "base 1/2");
	assert_string_equal(shown[3], "bad-candidate 2/2");
	assert_int_equal(count("SELECT count(*) FROM suite_runs WHERE status = 'failed'"), 2);
	assert_int_equal(count("SELECT count(*) FROM suite_runs WHERE status = 'passed'"), 2);
	assert_int_equal(count("SELECT count(*) FROM boots"), 4);
	exec_request_release(&q[0]);
	exec_request_release(&q[1]);
}

static void test_parallel_boots_every_repeat(void **state)
{
	struct suite s = suite_named("mmn-pairing");
	struct exec_request q[2];
	struct executor e;

	(void)state;
	request(&q[0], &s, "base", 3);
	request(&q[1], &s, "candidate", 1);
	executor(&e, 2, 0);
	assert_int_equal(exec_run(&e, q, 2), 0);
	/* side by side, still every repeat asked for and no more */
	assert_int_equal(nbooted, 4);
	assert_int_equal(q[0].nruns, 3);
	assert_int_equal(q[1].nruns, 1);
	assert_int_equal(q[0].status, EXEC_DONE);
	assert_int_equal(q[1].status, EXEC_DONE);
	assert_int_equal(count("SELECT count(DISTINCT repeat_idx) FROM suite_runs r JOIN "
			       "builds b ON b.id = r.build_id WHERE b.commit_id = 'base'"), 3);
	exec_request_release(&q[0]);
	exec_request_release(&q[1]);
}

static void test_no_kernel_and_the_request_after(void **state)
{
	struct suite s = suite_named("mmn-pairing");
	struct exec_request q[2];
	struct executor e;

	(void)state;
	exec_request_init(&q[0]);
	q[0].tree = "/src/linux";
	q[0].commit = "broken-patch";
	request(&q[1], &s, "candidate", 1);
	q[1].after = 1;		/* built only if request 0 built */
	executor(&e, 1, 0);
	assert_int_equal(exec_run(&e, q, 2), 0);
	assert_int_equal(q[0].status, EXEC_NO_KERNEL);
	assert_int_equal(q[0].no_kernel, 1);
	assert_true(q[0].build_id > 0);
	assert_non_null(q[0].why);
	assert_non_null(strstr(q[0].why, "build failed: mm/oom_kill.c"));
	assert_int_equal(q[1].status, EXEC_SKIPPED);
	assert_int_equal(nbuilds, 1);
	assert_int_equal(nbooted, 0);
	assert_int_equal(count("SELECT count(*) FROM builds WHERE status = 'failed'"), 1);
	exec_request_release(&q[0]);
	exec_request_release(&q[1]);
}

static void test_suite_that_does_not_build(void **state)
{
	struct suite s = suite_named("nobuild");
	struct exec_request q;
	struct executor e;

	(void)state;
	request(&q, &s, "base", 2);
	executor(&e, 1, 0);
	assert_int_equal(exec_run(&e, &q, 1), 0);
	assert_int_equal(q.status, EXEC_INFRA);
	assert_int_equal(q.no_kernel, 0);
	assert_non_null(strstr(q.why, "suite nobuild does not build: module/bad.c"));
	assert_int_equal(nbooted, 0);
	/* recorded as the suite's infrastructure error, on no boot */
	assert_int_equal(count("SELECT count(*) FROM suite_runs WHERE suite = 'nobuild' "
			       "AND status = 'infra-error' AND boot_id IS NULL"), 1);
	exec_request_release(&q);
}

static void test_same_request_twice_boots_once(void **state)
{
	struct suite s = suite_named("mmn-pairing");
	struct exec_request q[3];
	struct executor e;
	size_t i;

	(void)state;
	request(&q[0], &s, "base", 1);
	request(&q[1], &s, "candidate", 1);
	request(&q[2], &s, "base", 1);	/* a second cell's base */
	executor(&e, 1, 0);
	assert_int_equal(exec_run(&e, q, 3), 0);
	assert_int_equal(nbooted, 2);
	assert_int_equal(nbuilds, 2);
	assert_int_equal(q[2].status, EXEC_DONE);
	assert_int_equal(q[2].nruns, 1);
	assert_int_equal(q[2].runs[0], q[0].runs[0]);
	assert_int_equal(q[2].build_id, q[0].build_id);
	for (i = 0; i < 3; i++)
		exec_request_release(&q[i]);
}

static void test_infra_boot_stops_the_batch(void **state)
{
	struct suite s = suite_named("mmn-pairing");
	struct exec_request q[2];
	struct executor e;

	(void)state;
	request(&q[0], &s, "infra-base", 3);
	request(&q[1], &s, "candidate", 3);
	executor(&e, 1, 0);
	assert_int_equal(exec_run(&e, q, 2), 0);
	/* the first boot fails for want of QEMU: nothing more is booted */
	assert_int_equal(nbooted, 1);
	assert_int_equal(q[0].status, EXEC_INFRA);
	assert_non_null(strstr(q[0].why, "QEMU could not start"));
	assert_int_equal(q[1].status, EXEC_SKIPPED);
	assert_int_equal(count("SELECT count(*) FROM suite_runs WHERE status = 'infra-error'"), 1);
	exec_request_release(&q[0]);
	exec_request_release(&q[1]);
}

static void test_infra_boot_keep_going(void **state)
{
	struct suite s = suite_named("mmn-pairing");
	struct exec_request q;
	struct executor e;

	(void)state;
	request(&q, &s, "infra-base", 3);
	executor(&e, 1, 1);	/* pwb run: every repeat, each shown */
	assert_int_equal(exec_run(&e, &q, 1), 0);
	assert_int_equal(nbooted, 3);
	assert_int_equal(nshown, 3);
	assert_int_equal(q.nruns, 3);
	assert_int_equal(q.status, EXEC_INFRA);
	exec_request_release(&q);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_rounds_alternate_sides, setup, teardown),
		cmocka_unit_test_setup_teardown(test_parallel_boots_every_repeat, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_kernel_and_the_request_after, setup, teardown),
		cmocka_unit_test_setup_teardown(test_suite_that_does_not_build, setup, teardown),
		cmocka_unit_test_setup_teardown(test_same_request_twice_boots_once, setup, teardown),
		cmocka_unit_test_setup_teardown(test_infra_boot_stops_the_batch, setup, teardown),
		cmocka_unit_test_setup_teardown(test_infra_boot_keep_going, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
