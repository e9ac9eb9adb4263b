#include "lore.h"
#include "util/gz.h"
#include "util/util.h"
#include "version.h"

#include <ctype.h>
#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int curl_ready;

void lore_global_init(void)
{
	if (!curl_ready && curl_global_init(CURL_GLOBAL_DEFAULT) == 0)
		curl_ready = 1;
}

void lore_global_release(void)
{
	if (curl_ready)
		curl_global_cleanup();
	curl_ready = 0;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

static char *url_unescape(const char *s, size_t n)
{
	struct buf b = BUF_INIT;
	size_t i;

	for (i = 0; i < n; i++) {
		if (s[i] == '%' && i + 2 < n &&
		    hexval((unsigned char)s[i + 1]) >= 0 &&
		    hexval((unsigned char)s[i + 2]) >= 0) {
			buf_addch(&b, hexval((unsigned char)s[i + 1]) * 16 +
					      hexval((unsigned char)s[i + 2]));
			i += 2;
		} else {
			buf_addch(&b, s[i]);
		}
	}
	return buf_detach(&b, NULL);
}

int lore_parse_url(const char *url, char **base, char **msgid)
{
	const char *p, *path, *seg;

	*base = *msgid = NULL;
	if (!skip_prefix(url, "https://", &p) && !skip_prefix(url, "http://", &p))
		return -1;
	path = strchr(p, '/');
	if (!path)
		return -1;
	/* the message-id is the first path segment holding an '@' */
	for (seg = path + 1; *seg; ) {
		size_t n = strcspn(seg, "/?#");
		char *dec = url_unescape(seg, n);

		if (strchr(dec, '@')) {
			const char *d = dec;
			size_t dl;

			if (*d == '<')
				d++;
			dl = strlen(d);
			if (dl && d[dl - 1] == '>')
				dl--;
			*msgid = xstrndup(d, dl);
			*base = xstrndup(url, (size_t)(seg - url));
			free(dec);
			return **msgid ? 0 : -1;
		}
		free(dec);
		seg += n;
		if (*seg != '/')
			break;
		seg++;
	}
	return -1;
}

void lore_msg_url(struct buf *out, const char *base, const char *msgid)
{
	static const char keep[] = "-._~@!$&'()*+,;=:";
	const unsigned char *p;

	buf_addstr(out, base);
	if (out->len && out->buf[out->len - 1] != '/')
		buf_addch(out, '/');
	for (p = (const unsigned char *)msgid; *p; p++) {
		if (isalnum(*p) || (*p < 0x80 && strchr(keep, *p)))
			buf_addch(out, *p);
		else
			buf_addf(out, "%%%02X", *p);
	}
	buf_addch(out, '/');
}

static int host_is_loopback(const char *host)
{
	return !strcmp(host, "localhost") || starts_with(host, "127.") ||
	       !strcmp(host, "[::1]") || !strcmp(host, "::1");
}

/* 1 when base is plain http on loopback, 0 for https, -1 when refused. */
static int base_kind(const char *base)
{
	CURLU *u = curl_url();
	char *scheme = NULL, *host = NULL;
	int kind = -1;

	if (!u)
		return -1;
	if (curl_url_set(u, CURLUPART_URL, base, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK) {
		if (!strcmp(scheme, "https"))
			kind = 0;
		else if (!strcmp(scheme, "http") && host_is_loopback(host))
			kind = 1;
	}
	curl_free(scheme);
	curl_free(host);
	curl_url_cleanup(u);
	return kind;
}

int lore_check_base(const char *base)
{
	if (base_kind(base) < 0)
		return error("lore URL '%s' refused: https is required (plain "
			     "http only on a loopback address)", base);
	return 0;
}

struct xfer {
	struct buf *body;
	uint64_t cap;
	int too_big;
	long retry_after;	/* -1 when absent */
	char content_type[128];
};

static size_t on_body(char *ptr, size_t size, size_t nmemb, void *ud)
{
	struct xfer *x = ud;
	size_t n = size * nmemb;

	if (x->cap && x->body->len + n > x->cap) {
		x->too_big = 1;
		return 0;
	}
	buf_add(x->body, ptr, n);
	return n;
}

static size_t on_header(char *ptr, size_t size, size_t nmemb, void *ud)
{
	struct xfer *x = ud;
	size_t n = size * nmemb;
	char line[512];
	const char *v;

	if (n >= sizeof(line))
		return n;
	memcpy(line, ptr, n);
	line[n] = '\0';
	line[strcspn(line, "\r\n")] = '\0';
	if (!strncasecmp(line, "HTTP/", 5)) {
		x->retry_after = -1;	/* a new response (after redirects) */
		x->content_type[0] = '\0';
	} else if (!strncasecmp(line, "Retry-After:", 12)) {
		v = line + 12;
		while (*v == ' ' || *v == '\t')
			v++;
		if (isdigit((unsigned char)*v)) {
			x->retry_after = atol(v);
		} else {
			time_t when = curl_getdate(v, NULL);
			time_t now = time(NULL);

			if (when != (time_t)-1)
				x->retry_after = when > now ? (long)(when - now) : 0;
		}
	} else if (!strncasecmp(line, "Content-Type:", 13)) {
		v = line + 13;
		while (*v == ' ')
			v++;
		snprintf(x->content_type, sizeof(x->content_type), "%.100s", v);
	}
	return n;
}

static int retryable_curl(CURLcode c)
{
	switch (c) {
	case CURLE_COULDNT_CONNECT:
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_RECV_ERROR:
	case CURLE_SEND_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_PARTIAL_FILE:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
		return 1;
	default:
		return 0;
	}
}

static int retryable_status(long st)
{
	return st == 429 || st == 500 || st == 502 || st == 503 || st == 504;
}

static int looks_html(const struct xfer *x)
{
	const char *p = x->body->buf;

	if (strstr(x->content_type, "html"))
		return 1;
	while (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t')
		p++;
	return *p == '<';
}

int lore_fetch_thread(const struct lore_opts *o, const char *msgid,
		      struct buf *gz, struct buf *mbox)
{
	struct buf url = BUF_INIT, reason = BUF_INIT;
	char errbuf[CURL_ERROR_SIZE];
	CURL *h = NULL;
	int kind, attempt, tries = 0, ret = -1;
	const char *protos;

	kind = base_kind(o->base);
	if (kind < 0)
		return lore_check_base(o->base);
	protos = kind == 1 ? "http,https" : "https";
	lore_msg_url(&url, o->base, msgid);
	buf_addstr(&url, "t.mbox.gz");

	lore_global_init();
	h = curl_easy_init();
	if (!h) {
		ret = error("cannot initialise libcurl");
		goto out;
	}
	for (attempt = 0; attempt <= o->retries; attempt++) {
		struct xfer x = { gz, o->max_size, 0, -1, "" };
		CURLcode c;
		long status = 0, wait;

		buf_reset(gz);
		buf_reset(&reason);
		curl_easy_reset(h);
		errbuf[0] = '\0';
		curl_easy_setopt(h, CURLOPT_URL, url.buf);
		curl_easy_setopt(h, CURLOPT_USERAGENT, "pwb/" PWB_VERSION);
		curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, protos);
		curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, protos);
		curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
		curl_easy_setopt(h, CURLOPT_MAXREDIRS, 5L);
		curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, o->connect_timeout);
		curl_easy_setopt(h, CURLOPT_TIMEOUT, o->timeout);
		curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, 64L);
		curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME,
				 o->timeout < 30 ? o->timeout : 30L);
		curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE,
				 (curl_off_t)o->max_size);
		curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
		curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
		curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
		curl_easy_setopt(h, CURLOPT_WRITEDATA, &x);
		curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
		curl_easy_setopt(h, CURLOPT_HEADERDATA, &x);
		if (o->verbose)
			notice("GET %s", url.buf);
		c = curl_easy_perform(h);
		tries++;
		curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);

		if (x.too_big || c == CURLE_FILESIZE_EXCEEDED) {
			ret = error("%s: response larger than lore.maxsize "
				    "(%llu bytes)", url.buf,
				    (unsigned long long)o->max_size);
			goto out;
		}
		if (c != CURLE_OK) {
			buf_addf(&reason, "%s", errbuf[0] ? errbuf :
				 curl_easy_strerror(c));
			if (!retryable_curl(c))
				break;
		} else if (status == 200) {
			break;
		} else if (status == 404 || status == 410) {
			ret = error("thread <%s> not found at %s (HTTP %ld)",
				    msgid, o->base, status);
			goto out;
		} else if (!retryable_status(status)) {
			buf_addf(&reason, "HTTP %ld", status);
			break;
		} else {
			buf_addf(&reason, "HTTP %ld", status);
		}
		if (attempt == o->retries)
			break;
		wait = 1L << (attempt < 5 ? attempt : 5);
		if (x.retry_after >= 0) {
			if (x.retry_after > o->max_wait) {
				buf_addf(&reason, ", Retry-After %ld s is longer "
					 "than lore.maxwait (%ld s)",
					 x.retry_after, o->max_wait);
				break;
			}
			if (x.retry_after > wait)
				wait = x.retry_after;
		}
		notice("%s: %s; retrying in %ld s (%d of %ld)", url.buf,
		       reason.buf, wait, attempt + 1, o->retries);
		sleep((unsigned)wait);
	}
	if (reason.len) {
		ret = error("cannot fetch %s: %s (after %d attempt%s)", url.buf,
			    reason.buf, tries, tries > 1 ? "s" : "");
		goto out;
	}
	{
		struct xfer probe = { gz, 0, 0, -1, "" };
		int rc;

		if (!gz_is_gzip(gz->buf, gz->len)) {
			const char *ctype = NULL;

			curl_easy_getinfo(h, CURLINFO_CONTENT_TYPE, &ctype);
			if (ctype)
				snprintf(probe.content_type,
					 sizeof(probe.content_type), "%.100s", ctype);
			if (looks_html(&probe))
				ret = error("%s returned an HTML page, not a "
					    "gzip'd mbox", url.buf);
			else
				ret = error("%s did not return a gzip'd mbox "
					    "(%zu bytes of something else)",
					    url.buf, gz->len);
			goto out;
		}
		rc = gz_decompress(gz->buf, gz->len, o->max_size, mbox);
		if (rc == GZ_ERR_TOO_BIG)
			ret = error("%s: thread larger than lore.maxsize (%llu "
				    "bytes) once decompressed", url.buf,
				    (unsigned long long)o->max_size);
		else if (rc == GZ_ERR_TRUNCATED)
			ret = error("%s: truncated gzip data", url.buf);
		else if (rc)
			ret = error("%s: corrupt gzip data", url.buf);
		else
			ret = 0;
	}
out:
	if (h)
		curl_easy_cleanup(h);
	buf_release(&url);
	buf_release(&reason);
	return ret;
}
