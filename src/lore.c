#include "lore.h"
#include "util/gz.h"
#include "util/util.h"
#include "version.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#define LORE_MAX_REDIRS 5

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

/*
 * "localhost", 127.0.0.0/8 or ::1, as the URL parser gives the host (IPv4
 * numbers normalised to dotted quads, IPv6 in brackets).  A name is only
 * "localhost" itself: "localhost.example" or "127.0.0.1.example" are names
 * for the resolver, wherever they point.
 */
static int host_is_loopback(const char *host)
{
	struct in_addr a4;
	struct in6_addr a6;
	char v6[INET6_ADDRSTRLEN];
	size_t n = strlen(host);

	if (!strcasecmp(host, "localhost"))
		return 1;
	if (inet_pton(AF_INET, host, &a4) == 1)
		return (ntohl(a4.s_addr) >> 24) == 127;
	if (n > 2 && n - 2 < sizeof(v6) && host[0] == '[' &&
	    host[n - 1] == ']') {
		memcpy(v6, host + 1, n - 2);
		v6[n - 2] = '\0';
		host = v6;
	}
	return inet_pton(AF_INET6, host, &a6) == 1 && IN6_IS_ADDR_LOOPBACK(&a6);
}

enum url_kind {
	URL_INVALID = -3,	/* not an absolute URL */
	URL_SCHEME = -2,	/* neither https nor http */
	URL_HTTP_REMOTE = -1,	/* plain http off loopback */
	URL_HTTPS = 0,
	URL_HTTP_LOOPBACK = 1,
};

static enum url_kind url_kind(CURLU *u)
{
	char *scheme = NULL, *host = NULL;
	enum url_kind kind = URL_INVALID;

	if (curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK)
		goto out;
	if (strcasecmp(scheme, "https") && strcasecmp(scheme, "http")) {
		kind = URL_SCHEME;
		goto out;
	}
	if (curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK || !*host)
		goto out;
	if (!strcasecmp(scheme, "https"))
		kind = URL_HTTPS;
	else
		kind = host_is_loopback(host) ? URL_HTTP_LOOPBACK :
						URL_HTTP_REMOTE;
out:
	curl_free(scheme);
	curl_free(host);
	return kind;
}

/* A new handle on url, or NULL when it is not a URL (or out of memory). */
static CURLU *url_parse(const char *url)
{
	CURLU *u = curl_url();

	if (u && curl_url_set(u, CURLUPART_URL, url,
			      CURLU_NON_SUPPORT_SCHEME) != CURLUE_OK) {
		curl_url_cleanup(u);
		u = NULL;
	}
	return u;
}

static const char *kind_refusal(enum url_kind kind)
{
	switch (kind) {
	case URL_INVALID:
		return "not an absolute http or https URL";
	case URL_SCHEME:
		return "https is required (plain http only on a loopback "
		       "address)";
	case URL_HTTP_REMOTE:
		return "plain http only on a loopback address";
	default:
		return NULL;
	}
}

/*
 * The rule for u, given the kind of the first URL of the fetch (for the
 * first URL itself, its own kind): NULL when allowed, else why not.
 */
static const char *url_refusal(CURLU *u, enum url_kind first)
{
	enum url_kind kind = url_kind(u);

	if (kind < 0)
		return kind_refusal(kind);
	if (first < 0)
		return "the first URL is itself refused";
	if (first == URL_HTTPS && kind != URL_HTTPS)
		return "plain http after an https URL (https is required)";
	return NULL;
}

int lore_url_allowed(const char *url, const char *first, const char **why)
{
	CURLU *u = NULL, *f = NULL;
	enum url_kind fk = URL_HTTP_LOOPBACK;
	const char *r;

	if (first) {
		f = url_parse(first);
		fk = f ? url_kind(f) : URL_INVALID;
	}
	u = url_parse(url);
	r = u ? url_refusal(u, fk) : kind_refusal(URL_INVALID);
	curl_url_cleanup(u);
	curl_url_cleanup(f);
	if (why)
		*why = r;
	return r ? -1 : 0;
}

/* The kind of base, or a negative enum url_kind when refused. */
static enum url_kind base_kind(const char *base)
{
	CURLU *u = url_parse(base);
	enum url_kind kind = u ? url_kind(u) : URL_INVALID;

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

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * One request of u (no redirect followed: the caller checks every target
 * before it is requested), within at most timeout_ms.
 */
static CURLcode lore_get(CURL *h, const struct lore_opts *o, CURLU *u,
			 const char *shown, enum url_kind first,
			 long timeout_ms, struct xfer *x, char *errbuf)
{
	curl_easy_reset(h);
	errbuf[0] = '\0';
	curl_easy_setopt(h, CURLOPT_CURLU, u);
	curl_easy_setopt(h, CURLOPT_USERAGENT, "pwb/" PWB_VERSION);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR,
			 first == URL_HTTPS ? "https" : "http,https");
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, o->connect_timeout);
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS,
			 timeout_ms > 0 ? timeout_ms : 1L);
	curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, 64L);
	curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME,
			 o->timeout < 30 ? o->timeout : 30L);
	curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)o->max_size);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, x);
	curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(h, CURLOPT_HEADERDATA, x);
	if (o->verbose)
		notice("GET %s", shown);
	return curl_easy_perform(h);
}

int lore_fetch_thread(const struct lore_opts *o, const char *msgid,
		      struct buf *gz, struct buf *mbox)
{
	struct buf url = BUF_INIT, reason = BUF_INIT;
	char errbuf[CURL_ERROR_SIZE];
	char *next = NULL;
	CURL *h = NULL;
	CURLU *cu = NULL;
	enum url_kind kind;
	int attempt, tries = 0, ret = -1;

	kind = base_kind(o->base);
	if (kind < 0)
		return lore_check_base(o->base);
	lore_msg_url(&url, o->base, msgid);
	buf_addstr(&url, "t.mbox.gz");

	lore_global_init();
	h = curl_easy_init();
	if (!h) {
		ret = error("cannot initialise libcurl");
		goto out;
	}
	for (attempt = 0; attempt <= o->retries; attempt++) {
		struct xfer x;
		CURLcode c;
		long status, wait, deadline = now_ms() + o->timeout * 1000;
		int hops;

		buf_reset(&reason);
		/*
		 * Redirects by hand: each target is held to the rule of the
		 * first URL before anything connects to it.
		 */
		for (hops = 0; ; hops++) {
			const char *target = hops ? next : url.buf;
			const char *why = NULL, *loc = NULL;
			CURLU *u = url_parse(target);
			char *dup;

			if (u)
				why = url_refusal(u, kind);
			else
				why = kind_refusal(URL_INVALID);
			if (why) {
				curl_url_cleanup(u);
				/* hop 0: lore_check_base() let it pass */
				if (!hops)
					ret = error("lore URL '%s' refused: %s",
						    target, why);
				else
					ret = error("lore: refusing redirect "
						    "to %s: %s", target, why);
				goto out;
			}
			buf_reset(gz);
			x = (struct xfer){ gz, o->max_size, 0, -1, "" };
			c = lore_get(h, o, u, target, kind, deadline - now_ms(),
				     &x, errbuf);
			/* h let go of the previous URL handle at its reset */
			curl_url_cleanup(cu);
			cu = u;
			status = 0;
			curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
			if (c != CURLE_OK || status < 300 || status > 399 ||
			    curl_easy_getinfo(h, CURLINFO_REDIRECT_URL, &loc) !=
			    CURLE_OK || !loc)
				break;
			if (hops == LORE_MAX_REDIRS) {
				c = CURLE_TOO_MANY_REDIRECTS;
				snprintf(errbuf, CURL_ERROR_SIZE, "more than "
					 "%d redirects", LORE_MAX_REDIRS);
				break;
			}
			dup = xstrdup(loc);
			free(next);
			next = dup;
		}
		tries++;

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
	curl_url_cleanup(cu);
	free(next);
	buf_release(&url);
	buf_release(&reason);
	return ret;
}
