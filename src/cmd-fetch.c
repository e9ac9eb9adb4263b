/*
 * pwb fetch SOURCE: a message-id, a lore URL, an mbox file or "-".
 * Parse, assemble and check everything first; store in one transaction.
 */
#include "cmds.h"
#include "pipeline.h"
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

static int read_local(const char *path, struct pwb_ctx *ctx, struct buf *raw,
		      struct buf *mbox)
{
	uint64_t cap;
	int rc;

	if (ctx_config_size(ctx, "lore.maxsize", 64ull << 20, &cap))
		return -1;
	rc = strcmp(path, "-") ? buf_read_file(raw, path, cap) :
				 buf_read_fd(raw, 0, cap);
	if (rc == -2)
		return error("%s is larger than lore.maxsize (%llu bytes)",
			     strcmp(path, "-") ? path : "standard input",
			     (unsigned long long)cap);
	if (rc)
		return error("cannot read %s: %s",
			     strcmp(path, "-") ? path : "standard input",
			     strerror(errno));
	if (gz_is_gzip(raw->buf, raw->len)) {
		rc = gz_decompress(raw->buf, raw->len, cap, mbox);
		if (rc)
			return error("%s: %s", path, rc == GZ_ERR_TOO_BIG ?
				     "larger than lore.maxsize once decompressed" :
				     rc == GZ_ERR_TRUNCATED ? "truncated gzip data" :
				     "corrupt gzip data");
	} else {
		buf_addbuf(mbox, raw);
		buf_reset(raw);
		if (gz_compress(mbox->buf, mbox->len, raw))
			return error("cannot compress %s", path);
	}
	return 0;
}

static int lore_options(struct pwb_ctx *ctx, struct lore_opts *lo, char **base)
{
	long v;
	uint64_t sz;

	memset(lo, 0, sizeof(*lo));
	if (!*base) {
		*base = ctx_config_get(ctx, "lore.url");
		if (!*base)
			*base = xstrdup(LORE_DEFAULT_BASE);
	}
	if (!**base || (*base)[strlen(*base) - 1] != '/') {
		char *b = xmalloc(strlen(*base) + 2);

		sprintf(b, "%s/", *base);
		free(*base);
		*base = b;
	}
	lo->base = *base;
	if (ctx_config_long(ctx, "lore.timeout", 60, &v))
		return -1;
	lo->timeout = v > 0 ? v : 60;
	if (ctx_config_long(ctx, "lore.connecttimeout", 15, &v))
		return -1;
	lo->connect_timeout = v > 0 ? v : 15;
	if (ctx_config_long(ctx, "lore.retries", 3, &v))
		return -1;
	lo->retries = v >= 0 ? (v > 10 ? 10 : v) : 0;
	if (ctx_config_long(ctx, "lore.maxwait", 60, &v))
		return -1;
	lo->max_wait = v >= 0 ? v : 0;
	if (ctx_config_size(ctx, "lore.maxsize", 64ull << 20, &sz))
		return -1;
	lo->max_size = sz;
	return lore_check_base(lo->base);
}

static int looks_like_msgid(const char *s)
{
	const char *at = strchr(s, '@');

	return at && at != s && !strpbrk(s, " \t\n/") ;
}

static char *strip_angle(const char *s)
{
	size_t n = strlen(s);

	if (n >= 2 && s[0] == '<' && s[n - 1] == '>')
		return xstrndup(s + 1, n - 2);
	return xstrdup(s);
}

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

int fetch_source(struct pwb_ctx *ctx, const char *src,
		 const struct fetch_opts *o, struct fetch_result *res)
{
	struct thread_opts topts = { 0, MBOX_AUTO };
	struct buf gz = BUF_INIT, mbox = BUF_INIT;
	struct thread t;
	const struct series *sel;
	char *base = NULL, *msgid = NULL, *source_desc = NULL;
	int ret = -1, built = 0;

	memset(&t, 0, sizeof(t));
	memset(res, 0, sizeof(*res));
	res->series_id = -1;
	topts.format = o->format;
	if (!strcmp(src, "-") || (src[0] != '<' && !starts_with(src, "http://") &&
				  !starts_with(src, "https://") &&
				  (access(src, F_OK) == 0 || strchr(src, '/') ||
				   !looks_like_msgid(src)))) {
		if (strcmp(src, "-") && access(src, R_OK)) {
			if (!looks_like_msgid(src))
				error("'%s' is not a message-id, a lore URL or a "
				      "readable mbox file", src);
			else
				error("cannot read %s: %s", src, strerror(errno));
			goto out;
		}
		if (read_local(src, ctx, &gz, &mbox))
			goto out;
		if (strcmp(src, "-")) {
			char *abs = realpath(src, NULL);

			source_desc = xstrdup(abs ? abs : src);
			free(abs);
		} else {
			source_desc = xstrdup("stdin");
		}
	} else {
		struct lore_opts lo;
		struct buf url = BUF_INIT;

		if (starts_with(src, "http://") || starts_with(src, "https://")) {
			if (lore_parse_url(src, &base, &msgid)) {
				error("'%s' is not a lore URL of a message "
				      "(https://host/list/<message-id>/)", src);
				goto out;
			}
			if (o->lore) {
				free(base);
				base = xstrdup(o->lore);
			}
		} else {
			msgid = strip_angle(src);
			base = o->lore ? xstrdup(o->lore) : NULL;
		}
		if (lore_options(ctx, &lo, &base))
			goto out;
		if (lore_fetch_thread(&lo, msgid, &gz, &mbox))
			goto out;
		topts.require_msgid = 1;
		topts.format = MBOX_RD;
		lore_msg_url(&url, base, msgid);
		source_desc = buf_detach(&url, NULL);
	}

	{
		size_t mlen;
		char *mdata = buf_detach(&mbox, &mlen);

		built = 1;
		if (thread_build(&t, mdata, mlen, &topts))
			goto out;
	}
	if (thread_select(&t, o->version, o->allow_incomplete, &sel))
		goto out;
	if (store_thread(ctx->db, &t, sel, source_desc, base, &gz, &res->stats))
		goto out;
	res->series_id = res->stats.selected_id;
	res->source = source_desc;
	res->base = base;
	source_desc = base = NULL;
	ret = 0;
out:
	if (built)
		thread_release(&t);
	buf_release(&gz);
	buf_release(&mbox);
	free(base);
	free(msgid);
	free(source_desc);
	return ret;
}

void fetch_result_release(struct fetch_result *r)
{
	free(r->source);
	free(r->base);
	memset(r, 0, sizeof(*r));
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
