/*
 * pwb triage LOGFILE [--json]: findings in a saved console log.
 * pwb ktap FILE [--json]: the cases of KTAP/TAP output (plumbing).
 */
#include "cmds.h"
#include "ktap.h"
#include "output.h"
#include "triage.h"
#include "util/util.h"
#include "util/vis.h"

#include <errno.h>
#include <string.h>

static const char triage_usage[] =
	"usage: pwb triage [--json] LOGFILE\n"
	"\n"
	"Kernel failures in a console log (panic, Oops, BUG, WARNING, KASAN,\n"
	"UBSAN, lockdep, soft lockup, RCU stall, hung task; OOM kills and\n"
	"oom_reaper outcomes as information).  Exit 0: no kernel failure;\n"
	"1: at least one.  - reads standard input.\n";

static const char ktap_usage[] =
	"usage: pwb ktap [--json] FILE\n"
	"\n"
	"The cases of KTAP or TAP output.  Exit 0: no failure; 1: a case\n"
	"failed or crashed; 2: no KTAP at all.\n";

static int read_input(const char *path, struct buf *b)
{
	int rc = strcmp(path, "-") ? buf_read_file(b, path, 256u << 20) :
				     buf_read_fd(b, 0, 256u << 20);

	if (rc)
		return error("cannot read %s: %s", path,
			     rc == -2 ? "larger than 256 MiB" : strerror(errno));
	return 0;
}

int cmd_triage(int argc, char **argv, struct pwb_ctx *ctx)
{
	struct buf in = BUF_INIT;
	struct triage t;
	int json = 0, a = 1, ret;

	(void)ctx;
	if (argc == 2 && !strcmp(argv[1], "--help"))
		return usage_help(triage_usage);
	if (argc > 1 && !strcmp(argv[1], "--json"))
		json = 1, a++;
	if (argc - a != 1)
		return usage_error(triage_usage, "triage takes one LOGFILE");
	if (read_input(argv[a], &in))
		return EXIT_FAIL;
	triage_init(&t);
	triage_feed(&t, in.buf, in.len);
	triage_finish(&t, TRIAGE_ENDED);
	if (json) {
		json_t *o = json_object();

		json_object_set_new(o, "failure", json_boolean(triage_has_failure(&t)));
		json_object_set_new(o, "findings", json_findings(&t));
		json_print(o);
		json_decref(o);
	} else {
		text_findings(stdout, &t);
		if (!t.nr)
			printf("no findings\n");
	}
	ret = triage_has_failure(&t) ? 1 : 0;
	triage_release(&t);
	buf_release(&in);
	return ret;
}

int cmd_ktap(int argc, char **argv, struct pwb_ctx *ctx)
{
	struct buf in = BUF_INIT;
	struct ktap k;
	size_t i;
	int json = 0, a = 1, ret;

	(void)ctx;
	if (argc == 2 && !strcmp(argv[1], "--help"))
		return usage_help(ktap_usage);
	if (argc > 1 && !strcmp(argv[1], "--json"))
		json = 1, a++;
	if (argc - a != 1)
		return usage_error(ktap_usage, "ktap takes one FILE");
	if (read_input(argv[a], &in))
		return EXIT_FAIL;
	if (ktap_parse(in.buf, &k)) {
		error("%s: %s", argv[a], k.error);
		ktap_release(&k);
		buf_release(&in);
		return 2;
	}
	if (json) {
		json_t *arr = json_array();

		for (i = 0; i < k.nr; i++) {
			json_t *o = json_object();

			json_object_set_new(o, "name", json_text(k.cases[i].name));
			json_object_set_new(o, "status",
					    json_text(ktap_status_name(k.cases[i].status)));
			json_object_set_new(o, "directive", k.cases[i].directive ?
					    json_text(k.cases[i].directive) : json_null());
			json_object_set_new(o, "diag", json_text(k.cases[i].diag.buf));
			json_array_append_new(arr, o);
		}
		json_print(arr);
		json_decref(arr);
	} else {
		for (i = 0; i < k.nr; i++)
			printf("%-8s %s\n", ktap_status_name(k.cases[i].status),
			       vis(k.cases[i].name));
	}
	ret = ktap_failed(&k) ? 1 : 0;
	ktap_release(&k);
	buf_release(&in);
	return ret;
}
