/*
 * pwb run --tree T --rev REV --suite NAME [--repeat N] [--json]
 * Build (cached), build the suite against it, boot R times (a new boot per
 * repeat), parse the results (KTAP cases or metric samples) and record
 * them.  Exit 0 every case passed / the benchmark ran, 1 a case failed,
 * the kernel failed or the guest timed out, 2 the kernel did not build,
 * 3 infrastructure error (including a suite that does not build), 130
 * interrupted.
 */
#include "cmds.h"
#include "ctx.h"
#include "kbuild.h"
#include "output.h"
#include "suiterun.h"
#include "util/run.h"
#include "util/util.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage[] =
	"usage: pwb run --tree T --rev REV --suite NAME [--repeat N] [--json]\n"
	"\n"
	"Runs suite bench/suites/NAME on REV of tree T: the kernel is built\n"
	"(or reused), the suite's module and programs are built against it,\n"
	"and each repetition is a new boot.  Exit 0 all cases passed (or the\n"
	"benchmark ran), 1 a case failed, the kernel failed or timed out,\n"
	"2 no kernel, 3 infrastructure.\n";

static json_t *json_outcome(const struct suite_outcome *o)
{
	json_t *j = json_object(), *cases = json_array(), *ms = json_array();
	size_t i;

	json_object_set_new(j, "run", json_integer(o->run_id));
	json_object_set_new(j, "boot", json_integer(o->boot_id));
	json_object_set_new(j, "status", json_string(o->status));
	json_object_set_new(j, "seconds", json_real(o->boot.run.seconds));
	json_object_set_new(j, "error", o->error ? json_string(o->error) : json_null());
	for (i = 0; o->have_ktap && i < o->ktap.nr; i++) {
		const struct ktap_case *c = &o->ktap.cases[i];
		json_t *co = json_object();

		json_object_set_new(co, "name", json_string(c->name));
		json_object_set_new(co, "status", json_string(ktap_status_name(c->status)));
		json_object_set_new(co, "diag", json_string(c->diag.buf));
		json_array_append_new(cases, co);
	}
	json_object_set_new(j, "cases", cases);
	for (i = 0; i < o->metrics.nr; i++) {
		const struct metric_sample *m = &o->metrics.s[i];
		json_t *mo = json_object();

		json_object_set_new(mo, "name", json_string(m->name));
		json_object_set_new(mo, "value", json_real(m->value));
		json_object_set_new(mo, "unit", json_string(m->unit));
		json_array_append_new(ms, mo);
	}
	json_object_set_new(j, "metrics", ms);
	json_object_set_new(j, "findings", json_findings(&o->boot.triage));
	return j;
}

static void text_outcome(const struct suite *s, const struct kbuild_result *br,
			 long r, long repeat, const struct suite_outcome *o)
{
	size_t i;

	printf("%s run %ld/%ld on %.12s: %s (boot %ld, %.1f s)\n", s->name,
	       r + 1, repeat, br->commit, o->status, o->boot_id,
	       o->boot.run.seconds);
	for (i = 0; o->have_ktap && i < o->ktap.nr; i++)
		printf("  %-8s %s\n", ktap_status_name(o->ktap.cases[i].status),
		       o->ktap.cases[i].name);
	for (i = 0; i < o->metrics.nr; i++)
		printf("  %-24s %10.1f %s\n", o->metrics.s[i].name,
		       o->metrics.s[i].value, o->metrics.s[i].unit);
	if (o->metrics.bad)
		printf("  %zu malformed pwb-metric line(s) ignored\n", o->metrics.bad);
	if (o->error)
		printf("  error: %s\n", o->error);
	for (i = 0; i < o->boot.triage.nr; i++)
		if (triage_is_failure(o->boot.triage.f[i].kind))
			printf("  %-8s %s\n", o->boot.triage.f[i].kind,
			       o->boot.triage.f[i].title);
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
	struct suite_prep prep;
	const char *suite_name = NULL;
	char *datadir = NULL, *qemu = NULL;
	json_t *runs = NULL;
	int c, json = 0, ret = EXIT_FAIL, loaded = 0, built = 0;
	long repeat = 0, v, r;
	int any_fail = 0, any_infra = 0, interrupted = 0;

	memset(&br, 0, sizeof(br));
	memset(&prep, 0, sizeof(prep));
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
	if (suite_prepare(&s, &br, &prep)) {
		long id;

		error("suite %s does not build against %.12s: %.300s", s.name,
		      br.commit, prep.why);
		suite_record_infra(ctx->db, &s, br.id, prep.why, &id);
		ret = 3;
		goto out;
	}
	kbuild_unlock(&br);
	if (json)
		runs = json_array();
	qemu = ctx_config_get(ctx, "boot.qemu");
	for (r = 0; r < repeat && !interrupted; r++) {
		struct suite_outcome o;

		if (suite_boot(ctx->db, &s, &br, &prep, qemu, (int)r, &o)) {
			suite_outcome_release(&o);
			goto out;
		}
		switch (o.verdict) {
		case SUITE_PASSED: break;
		case SUITE_FAILED: any_fail = 1; break;
		case SUITE_INFRA: any_infra = 1; break;
		case SUITE_INTERRUPTED: interrupted = 1; break;
		}
		if (json)
			json_array_append_new(runs, json_outcome(&o));
		else
			text_outcome(&s, &br, r, repeat, &o);
		suite_outcome_release(&o);
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
	suite_prep_release(&prep);
	free(qemu);
	free(datadir);
	if (loaded)
		suite_release(&s);
	if (built)
		kbuild_result_release(&br);
	return ret;
}
