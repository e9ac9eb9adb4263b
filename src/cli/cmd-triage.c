/*
 * pwb triage LOGFILE [--json]: findings in a saved console log.
 * pwb ktap FILE [--json]: the cases of KTAP/TAP output (plumbing).
 */
#include "cmds.h"
#include "ktap.h"
#include "output.h"
#include "triage.h"
#include "parse-options.h"
#include "symbolize.h"
#include "util/util.h"
#include "util/vis.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

static const char *const triage_usage[] = {
	"pwb triage [--json] [--vmlinux FILE [--srcdir DIR]] LOGFILE",
	NULL,
};
static const char triage_text[] =
	"Kernel failures in a console log (panic, Oops, BUG, WARNING, KASAN,\n"
	"UBSAN, lockdep, soft lockup, RCU stall, hung task; OOM kills and\n"
	"oom_reaper outcomes as information).  - reads standard input.\n"
	"With --vmlinux, the RIP and call trace of each finding are resolved\n"
	"against that kernel (function+offset/size, file:line relative to\n"
	"--srcdir), as scripts/decode_stacktrace.sh does.\n"
	"Exit 0: no kernel failure; 1: at least one; 3: the log cannot be\n"
	"read.\n";

static const char *const ktap_usage[] = {
	"pwb ktap [--json] FILE",
	NULL,
};
static const char ktap_text[] =
	"The cases of KTAP or TAP output.  - reads standard input.\n"
	"Exit 0: no failure; 1: a case failed or crashed; 2: no KTAP at all;\n"
	"3: the file cannot be read.\n";

/* what the file was not: an error, not a finding */
#define EXIT_UNREADABLE 3

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
	const char *vmlinux = NULL, *srcdir = NULL;
	int json = 0, n, ret;
	const struct opt opts[] = {
		OPT_JSON(&json),
		OPT_STRING(0, "vmlinux", &vmlinux, "FILE",
			   "resolve addresses against this kernel image (with symbols)"),
		OPT_STRING(0, "srcdir", &srcdir, "DIR",
			   "the source tree: file names relative to it"),
		OPT_END(),
	};

	(void)ctx;
	n = parse_options(argc, argv, triage_usage, triage_text, opts);
	if (n < 0)
		return parse_options_exit(n);
	if (n != 1)
		return usage_with_options_error(triage_usage, triage_text, opts,
						"triage takes one LOGFILE");
	if (srcdir && !vmlinux)
		return usage_with_options_error(triage_usage, triage_text, opts,
						"--srcdir goes with --vmlinux");
	if (vmlinux && access(vmlinux, R_OK)) {
		error("--vmlinux %s: %s", vmlinux, strerror(errno));
		return EXIT_UNREADABLE;
	}
	if (read_input(argv[1], &in))
		return EXIT_UNREADABLE;
	triage_init(&t);
	triage_feed(&t, in.buf, in.len);
	triage_finish(&t, TRIAGE_ENDED);
	if (vmlinux)
		symbolize_findings(&t, vmlinux, srcdir);
	if (json) {
		json_t *o = json_object();

		json_object_set_new(o, "failure", json_boolean(triage_has_failure(&t)));
		json_object_set_new(o, "findings", json_findings(t.f, t.nr));
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
	int json = 0, n, ret;
	const struct opt opts[] = {
		OPT_JSON(&json),
		OPT_END(),
	};

	(void)ctx;
	n = parse_options(argc, argv, ktap_usage, ktap_text, opts);
	if (n < 0)
		return parse_options_exit(n);
	if (n != 1)
		return usage_with_options_error(ktap_usage, ktap_text, opts,
						"ktap takes one FILE");
	if (read_input(argv[1], &in))
		return EXIT_UNREADABLE;
	if (ktap_parse(in.buf, &k)) {
		error("%s: %s", argv[1], k.error);
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
