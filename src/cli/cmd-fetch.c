/*
 * pwb fetch SOURCE: a message-id, a lore URL, an mbox file or "-".
 * Parse, assemble and check everything first; store in one transaction.
 */
#include "cmds.h"
#include "intake.h"
#include "lore.h"
#include "output.h"
#include "series.h"
#include "store.h"
#include "util/gz.h"
#include "util/util.h"
#include "util/vis.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const usage[] = {
	"pwb fetch [options] SOURCE",
	NULL,
};
static const char usage_text[] =
	"SOURCE is a message-id (with or without <>), a lore URL of any message\n"
	"of the thread, a path to an mbox file, or - for standard input.\n"
	"\n"
	"config: lore.url, lore.timeout (s, 60), lore.connecttimeout (s, 15),\n"
	"        lore.maxsize (64m), lore.retries (3), lore.maxwait (s, 60)\n";

static void print_text(const struct stored_series *s, const char *source,
		       const struct store_stats *st)
{
	printf("fetched %s: %d message%s (%d new)\n", vis(source), st->messages,
	       st->messages == 1 ? "" : "s", st->new_messages);
	text_series(stdout, s, 0);
	if (st->series > 1)
		printf("(%d versions stored from this thread; pwb series list)\n",
		       st->series);
}

int cmd_fetch(int argc, char **argv, struct pwb_ctx *ctx)
{
	struct fetch_opts o = { NULL, 0, 0, MBOX_AUTO };
	struct fetch_result fr;
	struct stored_series ss;
	int n, ret = EXIT_FAIL, json = 0, rd = 0, mbo = 0;
	long version = 0;

	memset(&fr, 0, sizeof(fr));
	const struct opt opts[] = {
		OPT_STRING(0, "lore", &o.lore, "URL", "archive base for message-ids "
			   "(config lore.url, default " LORE_DEFAULT_BASE ")"),
		OPT_LONG(0, "version", &version, "N",
			 "take version N of the series, not the newest", 1, 999),
		OPT_FLAG(0, "allow-incomplete", &o.allow_incomplete,
			 "accept a series with missing patches"),
		OPT_FLAG(0, "mboxrd", &rd, "the file is mboxrd"),
		OPT_FLAG(0, "mbox", &mbo, "the file is mboxo"),
		OPT_JSON(&json),
		OPT_END(),
	};

	n = parse_options(argc, argv, usage, usage_text, opts);
	if (n < 0)
		return parse_options_exit(n);
	if (rd && mbo)
		return usage_with_options_error(usage, usage_text, opts,
						"--mboxrd or --mbox, not both");
	o.format = rd ? MBOX_RD : mbo ? MBOX_O : MBOX_AUTO;
	o.version = (int)version;
	if (n != 1) {
		ret = usage_with_options_error(usage, usage_text, opts,
					       "fetch takes one SOURCE");
		goto out;
	}
	if (fetch_source(ctx, argv[1], &o, &fr))
		goto out;
	if (store_load_series(ctx->db, fr.series_id, &ss))
		goto out;
	if (json) {
		json_t *j = json_series(&ss, fr.base);

		json_object_set_new(j, "messages", json_integer(fr.stats.messages));
		json_object_set_new(j, "new_messages",
				    json_integer(fr.stats.new_messages));
		json_object_set_new(j, "source", json_text(fr.source));
		json_print(j);
		json_decref(j);
	} else {
		print_text(&ss, fr.source, &fr.stats);
	}
	stored_series_release(&ss);
	ret = EXIT_OK;
out:
	fetch_result_release(&fr);
	return ret;
}
