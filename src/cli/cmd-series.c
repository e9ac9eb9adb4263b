/*
 * pwb series list | show SERIES | export SERIES [-o FILE]
 */
#include "cmds.h"
#include "db.h"
#include "lore.h"
#include "output.h"
#include "store.h"
#include "util/timefmt.h"
#include "parse-options.h"
#include "util/suggest.h"
#include "util/util.h"
#include "util/vis.h"

#include <ctype.h>
#include <errno.h>
#include <gmime/gmime.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int series_list(struct pwb_ctx *ctx, int json)
{
	struct series_row *r;
	json_t *arr = json ? json_array() : NULL;
	size_t n, i;
	int ret = EXIT_OK;

	if (store_list_series(ctx->db, &r, &n)) {
		json_decref(arr);
		return EXIT_FAIL;
	}
	for (i = 0; i < n; i++) {
		const char *pfx = r[i].prefixes;
		char date[40];

		fmt_short(date, r[i].date, r[i].date_tz);
		if (json) {
			json_t *o = json_object();

			json_object_set_new(o, "id", json_integer(r[i].id));
			json_object_set_new(o, "version", json_integer(r[i].version));
			json_object_set_new(o, "prefixes", json_text(pfx));
			json_object_set_new(o, "subject", json_text(r[i].subject));
			json_object_set_new(o, "total", json_integer(r[i].total));
			json_object_set_new(o, "patches", json_integer(r[i].npatches));
			json_object_set_new(o, "complete", json_boolean(r[i].complete));
			json_object_set_new(o, "msgid", json_text(r[i].msgid));
			json_object_set_new(o, "trailers", json_integer(r[i].ntrailers));
			json_array_append_new(arr, o);
		} else {
			char *subj = xstrfmt("%s%s%s%s%s", r[i].complete ? "" :
					     "(incomplete) ", *pfx ? "[" : "",
					     vis(pfx), *pfx ? "] " : "",
					     vis(r[i].subject));
			int at = printf("%4ld  %s  v%-2d %2d/%-2d ", r[i].id, date,
					r[i].version, r[i].npatches, r[i].total);

			/* within 80 columns: a long subject goes on under
			 * itself */
			fput_wrapped(stdout, (size_t)at, (size_t)at, 80, subj);
			free(subj);
		}
	}
	series_rows_free(r, n);
	if (json && json_print(arr))
		ret = EXIT_FAIL;
	json_decref(arr);
	return ret;
}

static int series_show(struct pwb_ctx *ctx, const char *arg, int json)
{
	struct stored_series s;
	long id;
	int ret = EXIT_FAIL;

	if (store_find_series(ctx->db, arg, &id) ||
	    store_load_series(ctx->db, id, &s))
		return EXIT_FAIL;
	if (json) {
		char *base = ctx_config_get(ctx, "lore.url");
		json_t *j = json_series(&s, base);

		if (!json_print(j))
			ret = EXIT_OK;
		json_decref(j);
		free(base);
	} else {
		text_series(stdout, &s, 1);
		ret = EXIT_OK;
	}
	stored_series_release(&s);
	return ret;
}

static char *header_encode(const char *s)
{
	const unsigned char *p;
	char *enc, *r;

	for (p = (const unsigned char *)s; *p; p++)
		if (*p >= 0x80)
			break;
	if (!*p)
		return xstrdup(s);
	enc = g_mime_utils_header_encode_text(NULL, s, "utf-8");
	r = xstrdup(enc);
	g_free(enc);
	return r;
}

static int is_from_line(const char *l, size_t n)
{
	size_t q = 0;

	while (q < n && l[q] == '>')
		q++;
	return n - q >= 5 && !memcmp(l + q, "From ", 5);
}

/* Does the body from offset `from` hold a line /^>*From /? */
static int has_from_line(const struct buf *b, size_t from)
{
	size_t i = from;

	while (i < b->len) {
		const char *l = b->buf + i;
		const char *nl = memchr(l, '\n', b->len - i);
		size_t n = nl ? (size_t)(nl - l) : b->len - i;

		if (is_from_line(l, n))
			return 1;
		i += n + 1;
	}
	return 0;
}

/*
 * A body with a line /^>*From / goes out quoted-printable: the first
 * character of such a line is written =46 or =3E, '=' as =3D, white space
 * ending a line as =20/=09; other bytes as they are.  No line can then pass
 * for a separator or be unescaped, and both readers of mbox files (git am,
 * plain mboxo; git am --patch-format=mboxrd, lore's mboxrd) give every
 * line back as it was, where mboxrd's ">From " stays in a commit that
 * plain git am makes.
 */
static void qp_encode(struct buf *b, size_t from)
{
	struct buf out = BUF_INIT;
	size_t i = from;

	while (i < b->len) {
		const char *l = b->buf + i;
		const char *nl = memchr(l, '\n', b->len - i);
		size_t n = nl ? (size_t)(nl - l) : b->len - i, k, end = n;

		while (end > 0 && (l[end - 1] == ' ' || l[end - 1] == '\t'))
			end--;
		for (k = 0; k < n; k++) {
			unsigned char c = (unsigned char)l[k];

			if (c == '=' || k >= end || (k == 0 && is_from_line(l, n)))
				buf_addf(&out, "=%02X", c);
			else
				buf_addch(&out, (char)c);
		}
		if (nl)
			buf_addch(&out, '\n');
		i += n + (nl ? 1 : 0);
	}
	buf_setlen(b, from);
	buf_addbuf(b, &out);
	buf_release(&out);
}

static int series_export(struct pwb_ctx *ctx, const char *arg,
			 const char *outpath)
{
	struct stored_series s;
	struct buf mbox = BUF_INIT;
	long id;
	size_t i;
	int ret = EXIT_FAIL;
	FILE *f = stdout;

	if (store_find_series(ctx->db, arg, &id) ||
	    store_load_series(ctx->db, id, &s))
		return EXIT_FAIL;
	mail_global_init();
	for (i = 0; i < s.npatches; i++) {
		const struct stored_patch *p = &s.patches[i];
		char date[40], *name, *subj;
		struct buf tmp = BUF_INIT;
		size_t body_start, cte;

		fmt_rfc2822(date, p->date, p->date_tz);
		name = header_encode(p->author_name);
		if (s.version > 1)
			buf_addf(&tmp, "[PATCH v%d %d/%d] %s", s.version, p->idx,
				 s.total, p->subject);
		else
			buf_addf(&tmp, "[PATCH %d/%d] %s", p->idx, s.total,
				 p->subject);
		subj = header_encode(tmp.buf);
		buf_release(&tmp);
		buf_addstr(&mbox, "From mboxrd@z Thu Jan  1 00:00:00 1970\n");
		buf_addf(&mbox, "From: %s <%s>\nDate: %s\nSubject: %s\n"
			 "Message-ID: <%s>\nMIME-Version: 1.0\n"
			 "Content-Type: text/plain; charset=UTF-8\n"
			 "Content-Transfer-Encoding: ",
			 name, p->author_email, date, subj, p->msgid);
		cte = mbox.len;
		buf_addstr(&mbox, "8bit\n\n");
		free(name);
		free(subj);
		body_start = mbox.len;
		store_message_with_trailers(&mbox, p->message, p);
		buf_addstr(&mbox, "---\n");
		if (*p->diffstat)
			buf_addf(&mbox, "%s\n", p->diffstat);
		buf_addstr(&mbox, p->diff);
		buf_addstr(&mbox, "-- \npwb\n");
		if (has_from_line(&mbox, body_start)) {
			struct buf body = BUF_INIT;

			buf_add(&body, mbox.buf + body_start, mbox.len - body_start);
			qp_encode(&body, 0);
			buf_setlen(&mbox, cte);
			buf_addstr(&mbox, "quoted-printable\n\n");
			buf_addbuf(&mbox, &body);
			buf_release(&body);
		}
		buf_addch(&mbox, '\n');
	}
	if (!s.complete)
		warning("series %ld v%d is incomplete: exporting %zu of %d "
			"patches", s.id, s.version, s.npatches, s.total);
	if (outpath && strcmp(outpath, "-")) {
		f = fopen(outpath, "w");
		if (!f) {
			error("cannot write %s: %s", outpath, strerror(errno));
			goto out;
		}
	}
	if (fwrite(mbox.buf, 1, mbox.len, f) != mbox.len || fflush(f)) {
		error("write error on %s", outpath ? outpath : "stdout");
		goto out;
	}
	ret = EXIT_OK;
out:
	if (f && f != stdout && fclose(f) && ret == EXIT_OK)
		ret = EXIT_FAIL, error("write error on %s", outpath);
	if (ret != EXIT_OK && outpath && f != stdout)
		unlink(outpath);
	buf_release(&mbox);
	stored_series_release(&s);
	return ret;
}

int cmd_series(int argc, char **argv, struct pwb_ctx *ctx)
{
	static const char *const usage_lines[] = {
		"pwb series list [--json]",
		"pwb series show SERIES [--json]",
		"pwb series export SERIES [-o FILE]",
		NULL,
	};
	static const char text[] =
		"SERIES is a series id (from 'pwb series list'), a message-id of the\n"
		"cover letter, a patch or any message of the thread, or a lore URL.\n"
		"export writes an mbox that 'git am' applies, with the collected\n"
		"trailers added under each patch's own.  A patch with a line starting\n"
		"\"From \" (or \">From \") goes out quoted-printable, so that git am\n"
		"and mboxrd readers alike give it back as it was.\n";
	static const char *const subs[] = { "list", "show", "export" };
	const char *sub, *out = NULL;
	int json = 0, n;
	const struct opt opts[] = {
		OPT_JSON(&json),
		OPT_STRING('o', "output", &out, "FILE", "export: write the mbox to FILE"),
		OPT_END(),
	};

	n = parse_options(argc, argv, usage_lines, text, opts);
	if (n < 0)
		return parse_options_exit(n);
	sub = n ? argv[1] : "";
	if (!strcmp(sub, "list")) {
		if (n != 1 || out)
			return usage_with_options_error(usage_lines, text, opts,
				"series list takes only --json");
		return series_list(ctx, json);
	}
	if (!strcmp(sub, "show")) {
		if (n == 1)
			return usage_with_options_error(usage_lines, text, opts,
				"series show needs a SERIES (an id from "
				"'pwb series list', a message-id or a URL)");
		if (n != 2 || out)
			return usage_with_options_error(usage_lines, text, opts,
				"series show takes one SERIES (and --json)");
		return series_show(ctx, argv[2], json);
	}
	if (!strcmp(sub, "export")) {
		if (n == 1)
			return usage_with_options_error(usage_lines, text, opts,
				"series export needs a SERIES (an id from "
				"'pwb series list', a message-id or a URL)");
		if (n != 2 || json)
			return usage_with_options_error(usage_lines, text, opts,
				"series export takes one SERIES and -o FILE "
				"(an mbox, not JSON: pwb series show --json)");
		return series_export(ctx, argv[2], out);
	}
	if (!*sub)
		return usage_with_options_error(usage_lines, text, opts,
						"series needs a subcommand");
	return usage_with_options_error(usage_lines, text, opts,
					"unknown series subcommand '%s'%s", sub,
					suggest_hint(sub, subs, ARRAY_SIZE(subs)));
}
