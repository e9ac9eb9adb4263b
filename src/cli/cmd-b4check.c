/*
 * pwb b4-check: b4's external check command (b4.review-perpatch-check-cmd,
 * b4.review-series-check-cmd): one mail on stdin, a JSON array of
 * results on stdout (b4check.h).
 */
#include "b4check.h"
#include "cmds.h"
#include "output.h"
#include "util/buf.h"
#include "parse-options.h"
#include "util/util.h"

#include <errno.h>
#include <jansson.h>
#include <string.h>

static const char *const usage[] = {
	"pwb b4-check < MAIL",
	NULL,
};
static const char usage_text[] =
	"b4's external check protocol: reads one mail (a patch or a cover\n"
	"letter) on standard input and prints a JSON array of results, what\n"
	"pwb's newest check of its series found (applied, built, the suites'\n"
	"verdicts).  A mail pwb has not checked gives one result with status\n"
	"warn; the exit is 0 whenever JSON was printed.  In git config:\n"
	"  [b4]\n"
	"      review-perpatch-check-cmd = pwb b4-check\n"
	"      review-series-check-cmd = pwb b4-check\n";

int cmd_b4check(int argc, char **argv, struct pwb_ctx *ctx)
{
	struct buf in = BUF_INIT;
	json_t *out;
	int n, ret;
	const struct opt opts[] = {
		OPT_END(),
	};

	n = parse_options(argc, argv, usage, usage_text, opts);
	if (n < 0)
		return parse_options_exit(n);
	if (n > 0)
		return usage_with_options_error(usage, usage_text, opts,
						"b4-check reads the mail on standard input");
	if (buf_read_fd(&in, 0, 64u << 20)) {
		buf_release(&in);
		return error("cannot read the mail on standard input: %s",
			     strerror(errno));
	}
	out = b4check_results(ctx, in.buf, in.len);
	buf_release(&in);
	ret = out && !json_print(out) ? EXIT_OK : EXIT_FAIL;
	json_decref(out);
	return ret;
}
