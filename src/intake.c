/*
 * intake: SOURCE as pwb fetch takes it (a message-id, a lore URL, an mbox
 * file or "-") turned into a stored series.
 */
#include "intake.h"
#include "mail.h"
#include "lore.h"
#include "series.h"
#include "store.h"
#include "util/gz.h"
#include "util/util.h"

#include <errno.h>
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/*
 * A local mbox's gzip copy (threads.mbox_gz) is made on a second thread
 * while the messages are parsed: deflating a 50,000-message mbox was a
 * tenth of the fetch.  Only the mbox bytes (read-only) and out are shared.
 */
struct gz_job {
	const char *data;
	size_t len;
	struct buf *out;
	int rc;
	GThread *th;
};

static gpointer gz_job_run(gpointer p)
{
	struct gz_job *j = p;

	j->rc = gz_compress(j->data, j->len, j->out);
	return NULL;
}

static void gz_job_start(struct gz_job *j, const char *data, size_t len,
			 struct buf *out)
{
	j->data = data;
	j->len = len;
	j->out = out;
	j->rc = 0;
	j->th = g_thread_try_new("pwb-gzip", gz_job_run, j, NULL);
	if (!j->th)
		gz_job_run(j);
}

/* 0, or the gz_compress() error; idempotent */
static int gz_job_finish(struct gz_job *j)
{
	if (j->th) {
		g_thread_join(j->th);
		j->th = NULL;
	}
	return j->rc;
}

/* *compress: the caller gzips mbox into raw (it was not gzip) */
static int read_local(const char *path, struct pwb_ctx *ctx, struct buf *raw,
		      struct buf *mbox, int *compress)
{
	uint64_t cap;
	int rc;

	if (ctx_config_size(ctx, "lore.maxsize", &cap))
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
		*compress = 1;
	}
	return 0;
}

int intake_lore_options(struct pwb_ctx *ctx, struct lore_opts *lo, char **base)
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
	if (ctx_config_long(ctx, "lore.timeout", &v))
		return -1;
	lo->timeout = v > 0 ? v : 60;
	if (ctx_config_long(ctx, "lore.connecttimeout", &v))
		return -1;
	lo->connect_timeout = v > 0 ? v : 15;
	if (ctx_config_long(ctx, "lore.retries", &v))
		return -1;
	lo->retries = v >= 0 ? (v > 10 ? 10 : v) : 0;
	if (ctx_config_long(ctx, "lore.maxwait", &v))
		return -1;
	lo->max_wait = v >= 0 ? v : 0;
	if (ctx_config_size(ctx, "lore.maxsize", &sz))
		return -1;
	lo->max_size = sz;
	lo->verbose = verbose;	/* pwb -v: each request as a notice */
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

/*
 * Does a local file look like mail: its first line that is not blank an
 * mbox "From " separator or a header ("Name: value")?  A README or a
 * patch without headers is neither, and is said so in one line instead
 * of the parser's two.
 */
static int looks_like_mail(const char *d, size_t len)
{
	const char *eol;
	size_t i, n;

	while (len && (*d == '\n' || *d == '\r'))
		d++, len--;
	if (!len)
		return 0;
	eol = memchr(d, '\n', len);
	n = eol ? (size_t)(eol - d) : len;
	if (n && d[n - 1] == '\r')
		n--;
	if (mbox_is_from_line(d, n))
		return 1;
	for (i = 0; i < n && d[i] != ':'; i++)
		if (d[i] <= ' ' || d[i] >= 127)
			return 0;
	return i > 0 && i < n;
}

static int is_url(const char *src)
{
	return starts_with(src, "http://") || starts_with(src, "https://");
}

/* SOURCE is read here: "-", or a file (one that exists, a path, or
 * anything that is neither a URL nor a message-id) */
static int is_local(const char *src)
{
	return !strcmp(src, "-") ||
	       (src[0] != '<' && !is_url(src) &&
		(access(src, F_OK) == 0 || strchr(src, '/') ||
		 !looks_like_msgid(src)));
}

int intake_is_msgid(const char *src)
{
	return !is_local(src) && !is_url(src);
}

int fetch_source(struct pwb_ctx *ctx, const char *src,
		 const struct fetch_opts *o, struct fetch_result *res)
{
	struct thread_opts topts = { 0, MBOX_AUTO };
	struct buf gz = BUF_INIT, mbox = BUF_INIT;
	struct thread t;
	const struct series *sel;
	char *base = NULL, *msgid = NULL, *source_desc = NULL;
	int ret = -1, built = 0, compress = 0;
	struct gz_job gzj = { NULL, 0, NULL, 0, NULL };

	memset(&t, 0, sizeof(t));
	memset(res, 0, sizeof(*res));
	res->series_id = -1;
	topts.format = o->format;
	if (is_local(src)) {
		if (strcmp(src, "-") && access(src, R_OK)) {
			if (!looks_like_msgid(src))
				error("'%s' is not a message-id, a lore URL or a "
				      "readable mbox file", src);
			else
				error("cannot read %s: %s", src, strerror(errno));
			goto out;
		}
		if (read_local(src, ctx, &gz, &mbox, &compress))
			goto out;
		if (!looks_like_mail(mbox.buf, mbox.len)) {
			error("%s is not an mbox (no \"From \" line) nor a mail "
			      "(no headers)", strcmp(src, "-") ? src : "stdin");
			goto out;
		}
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

		if (is_url(src)) {
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
		if (intake_lore_options(ctx, &lo, &base))
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
		if (compress)
			gz_job_start(&gzj, mdata, mlen, &gz);
		if (thread_build(&t, mdata, mlen, &topts))
			goto out;
	}
	if (thread_select(&t, o->version, o->allow_incomplete, &sel))
		goto out;
	if (compress && gz_job_finish(&gzj)) {
		error("cannot compress %s", src);
		goto out;
	}
	if (store_thread(ctx->db, &t, sel, source_desc, base, &gz, &res->stats))
		goto out;
	res->series_id = res->stats.selected_id;
	res->source = source_desc;
	res->base = base;
	source_desc = base = NULL;
	ret = 0;
out:
	gz_job_finish(&gzj);	/* before the mbox bytes are freed */
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
