/*
 * pwb run --tree T --rev REV --suite NAME [--repeat N] [--json]
 * Build (cached), build the suite against it, boot R times (a new boot per
 * repeat), parse the KTAP results and record them.  Exit 0 every case
 * passed, 1 a case failed (or the kernel failed), 2 the kernel did not
 * build, 3 infrastructure error (including a suite that does not build),
 * 130 interrupted.
 */
#include "bootdb.h"
#include "cmds.h"
#include "db.h"
#include "initramfs.h"
#include "kbuild.h"
#include "ktap.h"
#include "output.h"
#include "qemu.h"
#include "suite.h"
#include "util/run.h"
#include "util/util.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char usage[] =
	"usage: pwb run --tree T --rev REV --suite NAME [--repeat N] [--json]\n"
	"\n"
	"Runs suite bench/suites/NAME on REV of tree T: the kernel is built\n"
	"(or reused), the suite's module and programs are built against it,\n"
	"and each repetition is a new boot.  Exit 0 all cases passed, 1 a case\n"
	"failed or the kernel failed, 2 no kernel, 3 infrastructure.\n";

static int record_run(sqlite3 *db, const struct suite *s, long build_id,
		      long boot_id, int idx, const char *status,
		      const char *err, const struct ktap *k, long *id)
{
	sqlite3_stmt *st = NULL;
	size_t i;

	if (db_begin(db))
		return -1;
	if (db_prepare(db, &st, "INSERT INTO suite_runs (suite, suite_hash, "
		       "build_id, boot_id, repeat_idx, status, error, started_at) "
		       "VALUES (?,?,?,?,?,?,?,?)"))
		goto fail;
	db_bind_text(st, 1, s->name);
	db_bind_text(st, 2, s->hash);
	if (build_id > 0)
		sqlite3_bind_int64(st, 3, build_id);
	if (boot_id > 0)
		sqlite3_bind_int64(st, 4, boot_id);
	sqlite3_bind_int(st, 5, idx);
	db_bind_text(st, 6, status);
	db_bind_text(st, 7, err);
	sqlite3_bind_int64(st, 8, (sqlite3_int64)time(NULL));
	if (sqlite3_step(st) != SQLITE_DONE) {
		db_error(db, "record suite run");
		goto fail;
	}
	*id = (long)sqlite3_last_insert_rowid(db);
	sqlite3_finalize(st);
	st = NULL;
	if (k) {
		if (db_prepare(db, &st, "INSERT OR REPLACE INTO case_results "
			       "(run_id, name, status, directive, diag) "
			       "VALUES (?,?,?,?,?)"))
			goto fail;
		for (i = 0; i < k->nr; i++) {
			sqlite3_reset(st);
			sqlite3_bind_int64(st, 1, *id);
			db_bind_text(st, 2, k->cases[i].name);
			db_bind_text(st, 3, ktap_status_name(k->cases[i].status));
			db_bind_text(st, 4, k->cases[i].directive);
			db_bind_text(st, 5, k->cases[i].diag.buf);
			if (sqlite3_step(st) != SQLITE_DONE) {
				db_error(db, "record case");
				goto fail;
			}
		}
		sqlite3_finalize(st);
	}
	return db_commit(db);
fail:
	sqlite3_finalize(st);
	db_rollback(db);
	return -1;
}

int cmd_run(int argc, char **argv, struct pwb_ctx *ctx)
{
	static const struct option longopts[] = {
		{ "tree", required_argument, NULL, 't' },
		{ "rev", required_argument, NULL, 'r' },
		{ "suite", required_argument, NULL, 's' },
		{ "repeat", required_argument, NULL, 'n' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct kbuild_request q = { NULL, NULL, NULL, 0, 0, 1 };
	struct kbuild_result br;
	struct suite s;
	struct initramfs_file *files = NULL;
	size_t nfiles = 0;
	const char *suite_name = NULL;
	char *datadir = NULL, *why = NULL;
	char dir[] = "/tmp/pwb-run.XXXXXX", initrd[64];
	json_t *runs = NULL;
	int c, json = 0, ret = EXIT_FAIL, loaded = 0, built = 0, made_dir = 0;
	long repeat = 0, v, r;
	int any_fail = 0, any_infra = 0, interrupted = 0;

	memset(&br, 0, sizeof(br));
	optind = 0;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 't': q.tree_arg = optarg; break;
		case 'r': q.rev = optarg; break;
		case 's': suite_name = optarg; break;
		case 'n':
			if (parse_long(optarg, &v) || v < 1 || v > 1000)
				return usage_error(usage, "--repeat takes 1..1000");
			repeat = v;
			break;
		case 'j': json = 1; break;
		case 'h': return usage_help(usage);
		default: return usage_error(usage, "bad option");
		}
	}
	if (optind != argc || !q.tree_arg || !q.rev || !suite_name)
		return usage_error(usage, "run needs --tree, --rev and --suite");
	run_install_signal_handlers();
	/* the suite is checked before anything is built */
	datadir = pwb_datadir(ctx);
	if (suite_load(datadir, suite_name, &s))
		goto out;
	loaded = 1;
	if (strcmp(s.format, "ktap")) {
		error("suite %s: format %s is not supported yet", s.name, s.format);
		goto out;
	}
	if (!repeat)
		repeat = s.repeat;
	q.config = s.config;
	q.progress = !json && isatty(2);
	if (kbuild(ctx, &q, &br)) {
		ret = run_interrupted() ? 130 : EXIT_FAIL;
		goto out;
	}
	built = 1;
	if (strcmp(br.status, "ok")) {
		error("build %s: %s", br.status, br.error ? br.error : "");
		ret = build_exit_status(&br);
		goto out;
	}
	if (!mkdtemp(dir)) {
		error("cannot make a temporary directory: %s", strerror(errno));
		goto out;
	}
	made_dir = 1;
	if (suite_build(&s, br.src_dir, br.build_dir, dir, &files, &nfiles, &why)) {
		long id;

		error("suite %s does not build against %.12s: %.300s", s.name,
		      br.commit, why);
		record_run(ctx->db, &s, br.id, -1, 0, "infra-error", why, NULL, &id);
		ret = 3;
		goto out;
	}
	snprintf(initrd, sizeof(initrd), "%s/initramfs.cpio.gz", dir);
	{
		struct initramfs_opts io = { NULL, s.run, files, nfiles };

		if (initramfs_write(initrd, &io)) {
			ret = 3;
			goto out;
		}
	}
	if (json)
		runs = json_array();
	for (r = 0; r < repeat && !interrupted; r++) {
		struct qemu_opts qo;
		struct boot_result b;
		struct ktap k;
		long boot_id = -1, run_id = -1;
		const char *status;
		char *err = NULL;
		int have_k;
		size_t i;

		memset(&qo, 0, sizeof(qo));
		qo.kernel = br.bzimage;
		qo.initrd = initrd;
		qo.mem_mb = s.mem;
		qo.cpus = 1;
		qo.timeout = (double)s.timeout;
		qo.idle_timeout = (double)s.idle_timeout;
		qemu_boot(&qo, &b);
		boot_record(ctx->db, br.id, &qo, &b, &boot_id);
		have_k = !ktap_parse(b.run.output.buf, &k);
		if (b.status == BOOT_INFRA) {
			status = "infra-error";
			err = xstrdup(b.error ? b.error : "QEMU failed");
			any_infra = 1;
		} else if (b.status == BOOT_INTERRUPTED) {
			status = "interrupted";
			interrupted = 1;
		} else if (!have_k) {
			status = b.status == BOOT_OK ? "infra-error" : "kernel-failure";
			err = xstrdup("the suite printed no KTAP");
			if (b.status == BOOT_OK)
				any_infra = 1;
			else
				any_fail = 1;
		} else if (b.status != BOOT_OK || ktap_failed(&k)) {
			status = b.status == BOOT_OK ? "failed" : "kernel-failure";
			any_fail = 1;
		} else {
			status = "passed";
		}
		record_run(ctx->db, &s, br.id, boot_id, (int)r, status, err,
			   have_k ? &k : NULL, &run_id);
		if (json) {
			json_t *o = json_object(), *cases = json_array();

			json_object_set_new(o, "run", json_integer(run_id));
			json_object_set_new(o, "boot", json_integer(boot_id));
			json_object_set_new(o, "status", json_string(status));
			json_object_set_new(o, "seconds", json_real(b.run.seconds));
			json_object_set_new(o, "error", err ? json_string(err) : json_null());
			for (i = 0; have_k && i < k.nr; i++) {
				json_t *co = json_object();

				json_object_set_new(co, "name", json_string(k.cases[i].name));
				json_object_set_new(co, "status",
						    json_string(ktap_status_name(k.cases[i].status)));
				json_object_set_new(co, "diag", json_string(k.cases[i].diag.buf));
				json_array_append_new(cases, co);
			}
			json_object_set_new(o, "cases", cases);
			json_object_set_new(o, "findings", json_findings(&b.triage));
			json_array_append_new(runs, o);
		} else {
			printf("%s run %ld/%ld on %.12s: %s (boot %ld, %.1f s)\n",
			       s.name, r + 1, repeat, br.commit, status, boot_id,
			       b.run.seconds);
			for (i = 0; have_k && i < k.nr; i++)
				printf("  %-8s %s\n", ktap_status_name(k.cases[i].status),
				       k.cases[i].name);
			if (err)
				printf("  error: %s\n", err);
			for (i = 0; i < b.triage.nr; i++)
				if (triage_is_failure(b.triage.f[i].kind))
					printf("  %-8s %s\n", b.triage.f[i].kind,
					       b.triage.f[i].title);
		}
		free(err);
		ktap_release(&k);
		boot_result_release(&b);
	}
	if (json) {
		json_t *o = json_object();

		json_object_set_new(o, "suite", json_string(s.name));
		json_object_set_new(o, "suite_hash", json_string(s.hash));
		json_object_set_new(o, "build", json_build(&br));
		json_object_set_new(o, "runs", runs);
		runs = NULL;
		json_print(o);
		json_decref(o);
	}
	ret = interrupted ? 130 : any_infra ? 3 : any_fail ? 1 : EXIT_OK;
out:
	json_decref(runs);
	if (made_dir) {
		const char *rm[] = { "rm", "-rf", dir, NULL };
		struct run_opts ro;
		struct run_result rr;

		memset(&ro, 0, sizeof(ro));
		ro.argv = rm;
		ro.timeout = 60;
		run_command(&ro, &rr);
		run_result_release(&rr);
	}
	suite_files_free(files, nfiles);
	free(why);
	free(datadir);
	if (loaded)
		suite_release(&s);
	if (built)
		kbuild_result_release(&br);
	return ret;
}
