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
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage[] =
	"usage: pwb fetch [options] SOURCE\n"
	"\n"
	"SOURCE is a message-id (with or without <>), a lore URL of any message\n"
	"of the thread, a path to an mbox file, or - for standard input.\n"
	"\n"
	"  --lore URL           archive base for message-ids (config lore.url,\n"
	"                       default " LORE_DEFAULT_BASE ")\n"
	"  --version N          take version N of the series, not the newest\n"
	"  --allow-incomplete   accept a series with missing patches\n"
	"  --mboxrd / --mbox    force the mbox flavour of a local file\n"
	"  --json               print the stored series as JSON\n"
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
	static const struct option longopts[] = {
		{ "lore", required_argument, NULL, 'l' },
		{ "version", required_argument, NULL, 'V' },
		{ "allow-incomplete", no_argument, NULL, 'a' },
		{ "json", no_argument, NULL, 'j' },
		{ "mboxrd", no_argument, NULL, 'r' },
		{ "mbox", no_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct fetch_opts o = { NULL, 0, 0, MBOX_AUTO };
	struct fetch_result fr;
	struct stored_series ss;
	int c, ret = EXIT_FAIL, json = 0;
	long v;

	memset(&fr, 0, sizeof(fr));
	optind = 0;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'l': free(o.lore); o.lore = xstrdup(optarg); break;
		case 'V':
			if (parse_long(optarg, &v) || v < 1 || v > 999) {
				ret = usage_error(usage, "--version needs a "
						  "positive number, got '%s'",
						  optarg);
				goto out;
			}
			o.version = (int)v;
			break;
		case 'a': o.allow_incomplete = 1; break;
		case 'j': json = 1; break;
		case 'r': o.format = MBOX_RD; break;
		case 'o': o.format = MBOX_O; break;
		case 'h': ret = usage_help(usage); goto out;
		default: ret = usage_error(usage, "bad option"); goto out;
		}
	}
	if (optind != argc - 1) {
		ret = usage_error(usage, "fetch takes one SOURCE");
		goto out;
	}
	if (fetch_source(ctx, argv[optind], &o, &fr))
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
	free(o.lore);
	return ret;
}
