#include "mail.h"
#include "util/util.h"

#include <ctype.h>
#include <gmime/gmime.h>
#include <stdlib.h>
#include <signal.h>
#include <string.h>

/* ---- mbox ---- */

int mbox_is_from_line(const char *line, size_t len)
{
	const char *colon, *p;
	long year;

	/* "From <addr> <date with hh:mm[:ss] and a year>" as git checks it */
	if (len < 20 || memcmp(line, "From ", 5))
		return 0;
	for (colon = line + len - 1; colon > line + 5; colon--)
		if (*colon == ':')
			break;
	if (colon <= line + 9 || colon + 3 >= line + len)
		return 0;
	if (!isdigit((unsigned char)colon[-4]) ||
	    !isdigit((unsigned char)colon[-2]) ||
	    !isdigit((unsigned char)colon[-1]) ||
	    !isdigit((unsigned char)colon[1]) ||
	    !isdigit((unsigned char)colon[2]))
		return 0;
	year = 0;
	for (p = colon + 3; p < line + len && *p == ' '; p++)
		;
	for (; p < line + len && isdigit((unsigned char)*p); p++)
		year = year * 10 + (*p - '0');
	return year > 90;
}

static void mbox_push(struct mbox *mb, struct buf *msg, size_t hdr)
{
	/* capacity doubles at each power of two (no realloc per message) */
	if (!(mb->nr & (mb->nr - 1)))
		mb->msgs = xrealloc(mb->msgs, (mb->nr ? 2 * mb->nr : 1) *
				    sizeof(*mb->msgs));
	mb->msgs[mb->nr].data = buf_detach(msg, &mb->msgs[mb->nr].len);
	mb->msgs[mb->nr].hdr = hdr;
	mb->nr++;
}

static int is_mboxrd_from(const char *line, size_t len)
{
	size_t i = 0;

	while (i < len && line[i] == '>')
		i++;
	return i > 0 && len - i >= 5 && !memcmp(line + i, "From ", 5);
}

int mbox_split(const char *data, size_t len, enum mbox_format fmt,
	       int single_ok, struct mbox *out)
{
	const char *p = data, *end = data + len;
	struct buf msg = BUF_INIT;
	int in_msg = 0, rd;
	size_t hdr = 0;

	memset(out, 0, sizeof(*out));
	/* git mailsplit skips leading white space */
	while (p < end && isspace((unsigned char)*p))
		p++;
	if (p == end)
		return error("empty mbox");
	{
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t l = nl ? (size_t)(nl - p) : (size_t)(end - p);

		if (l && p[l - 1] == '\r')
			l--;
		if (!mbox_is_from_line(p, l)) {
			if (!single_ok)
				return error("not an mbox: the first line is "
					     "not a \"From \" separator");
			in_msg = 1; /* one bare message */
		}
		rd = fmt == MBOX_RD ||
		     (fmt == MBOX_AUTO && (starts_with(p, "From mboxrd@z ") ||
					   starts_with(p, "From mboxrd ")));
	}
	out->mboxrd = rd;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t l = nl ? (size_t)(nl - p) : (size_t)(end - p);
		const char *next = nl ? nl + 1 : end;

		if (l && p[l - 1] == '\r')
			l--;
		if (mbox_is_from_line(p, l)) {
			if (in_msg && msg.len > hdr)
				mbox_push(out, &msg, hdr);
			buf_reset(&msg);
			in_msg = 1;
			buf_add(&msg, p, l);
			buf_addch(&msg, '\n');
			hdr = msg.len;
			p = next;
			continue;
		}
		if (rd && is_mboxrd_from(p, l))
			buf_add(&msg, p + 1, l - 1);
		else
			buf_add(&msg, p, l);
		buf_addch(&msg, '\n');
		p = next;
	}
	if (in_msg && msg.len > hdr)
		mbox_push(out, &msg, hdr);
	buf_release(&msg);
	if (!out->nr)
		return error("empty mbox");
	return 0;
}

void mbox_release(struct mbox *mb)
{
	size_t i;

	for (i = 0; i < mb->nr; i++)
		free(mb->msgs[i].data);
	free(mb->msgs);
	memset(mb, 0, sizeof(*mb));
}

/* ---- header helpers ---- */

static int gmime_ready;
/*
 * One parser for every message (g_mime_parser_init_with_stream resets it):
 * a parser per message was a tenth of parsing a long thread.
 */
static GMimeParser *gmime_parser;

void mail_global_init(void)
{
	if (!gmime_ready) {
		/* gpgme (under g_mime_init) ignores SIGPIPE for its pipes to
		 * gpg, which pwb never runs: keep pwb's own disposition, so
		 * that a reader that went away (| head) ends pwb quietly */
		struct sigaction old;

		sigaction(SIGPIPE, NULL, &old);
		g_mime_init();
		sigaction(SIGPIPE, &old, NULL);
		gmime_ready = 1;
	}
}

void mail_global_release(void)
{
	if (gmime_ready) {
		if (gmime_parser)
			g_object_unref(gmime_parser);
		gmime_parser = NULL;
		g_mime_shutdown();
		gmime_ready = 0;
	}
}

/* Every run of white space becomes one space (git's cleanup_space). */
static void collapse_space(char *s)
{
	char *d = s;
	int sp = 0;

	for (; *s; s++) {
		if (isspace((unsigned char)*s)) {
			if (!sp)
				*d++ = ' ';
			sp = 1;
		} else {
			*d++ = *s;
			sp = 0;
		}
	}
	*d = '\0';
}

static char *trim_dup(const char *s, size_t n)
{
	while (n && isspace((unsigned char)*s))
		s++, n--;
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	return xstrndup(s, n);
}

/* Valid UTF-8 copy of a GLib string; the GLib string is freed. */
static char *take_utf8(char *g)
{
	char *r;

	if (!g)
		return NULL;
	if (g_utf8_validate(g, -1, NULL)) {
		r = xstrdup(g);
	} else {
		char *v = g_utf8_make_valid(g, -1);

		r = xstrdup(v);
		g_free(v);
	}
	g_free(g);
	return r;
}

/*
 * RFC 2047 as git mailinfo reads it: the bytes of adjacent encoded-words
 * in one charset are joined before conversion (a character may be split
 * across two words), white space between encoded-words is dropped, and
 * 8-bit text outside them is UTF-8 or else Latin-1.  GMime 3.2 loses the
 * rest of a header when a padded base64 word is followed by another, so
 * this one is ours.
 */
static void flush_run(struct buf *out, struct buf *bytes, const char *cs)
{
	char *u = NULL;

	if (!bytes->len)
		return;
	if (cs && *cs && g_ascii_strcasecmp(cs, "utf-8") &&
	    g_ascii_strcasecmp(cs, "us-ascii"))
		u = g_convert(bytes->buf, (gssize)bytes->len, "UTF-8",
			      g_mime_charset_iconv_name(cs), NULL, NULL, NULL);
	if (u) {
		buf_addstr(out, u);
		g_free(u);
	} else if (g_utf8_validate(bytes->buf, (gssize)bytes->len, NULL)) {
		buf_addbuf(out, bytes);
	} else {
		u = g_convert(bytes->buf, (gssize)bytes->len, "UTF-8",
			      "ISO-8859-1", NULL, NULL, NULL);
		if (u)
			buf_addstr(out, u);
		g_free(u);
	}
	buf_reset(bytes);
}

static int hexdig(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int decode_word(const char *w, size_t n, struct buf *cs, struct buf *bytes)
{
	const char *q1, *q2, *text;
	size_t tn, i;

	/* w = "=?charset?X?text?=" */
	q1 = memchr(w + 2, '?', n - 2);
	if (!q1 || q1 + 3 > w + n || q1[2] != '?')
		return -1;
	text = q1 + 3;
	q2 = w + n - 2;
	if (q2 < text)
		return -1;
	tn = (size_t)(q2 - text);
	buf_reset(cs);
	buf_add(cs, w + 2, (size_t)(q1 - w - 2));
	{
		char *star = strchr(cs->buf, '*'); /* RFC 2231 language */

		if (star)
			buf_setlen(cs, (size_t)(star - cs->buf));
	}
	if (q1[1] == 'B' || q1[1] == 'b') {
		char *tmp = xstrndup(text, tn);
		gsize outlen = 0;
		guchar *d = g_base64_decode(tmp, &outlen);

		buf_add(bytes, d, outlen);
		g_free(d);
		free(tmp);
	} else if (q1[1] == 'Q' || q1[1] == 'q') {
		for (i = 0; i < tn; i++) {
			if (text[i] == '_') {
				buf_addch(bytes, ' ');
			} else if (text[i] == '=' && i + 2 < tn + 1 &&
				   hexdig((unsigned char)text[i + 1]) >= 0 &&
				   i + 2 < tn &&
				   hexdig((unsigned char)text[i + 2]) >= 0) {
				buf_addch(bytes, hexdig((unsigned char)text[i + 1]) * 16 +
					  hexdig((unsigned char)text[i + 2]));
				i += 2;
			} else {
				buf_addch(bytes, text[i]);
			}
		}
	} else {
		return -1;
	}
	return 0;
}

/* Length of the encoded-word at p, or 0. */
static size_t encoded_word_len(const char *p)
{
	const char *q = p + 2;
	int marks = 0;

	if (p[0] != '=' || p[1] != '?')
		return 0;
	for (; *q && !isspace((unsigned char)*q); q++) {
		if (*q == '?') {
			marks++;
			if (marks >= 3 && q[1] == '=')
				return (size_t)(q + 2 - p);
		}
	}
	return 0;
}

char *mail_decode_header(const char *in)
{
	struct buf out = BUF_INIT, bytes = BUF_INIT, cs = BUF_INIT;
	struct buf run_cs = BUF_INIT;
	const char *p = in;
	int last_was_word = 0;

	while (*p) {
		size_t wl = encoded_word_len(p);

		if (wl) {
			size_t before = bytes.len;

			if (decode_word(p, wl, &cs, &bytes) == 0) {
				if (before && g_ascii_strcasecmp(cs.buf, run_cs.buf)) {
					struct buf tail = BUF_INIT;

					/* a new charset: convert the run so far */
					buf_add(&tail, bytes.buf + before,
						bytes.len - before);
					buf_setlen(&bytes, before);
					flush_run(&out, &bytes, run_cs.buf);
					buf_addbuf(&bytes, &tail);
					buf_release(&tail);
				}
				buf_reset(&run_cs);
				buf_addbuf(&run_cs, &cs);
				p += wl;
				last_was_word = 1;
				continue;
			}
		}
		if (last_was_word && isspace((unsigned char)*p)) {
			const char *q = p;

			while (isspace((unsigned char)*q))
				q++;
			if (encoded_word_len(q)) {
				p = q; /* white space between words goes */
				continue;
			}
		}
		flush_run(&out, &bytes, run_cs.buf);
		last_was_word = 0;
		{
			/* plain text up to the next possible word */
			const char *next = strstr(p + 1, "=?");
			size_t n = next ? (size_t)(next - p) : strlen(p);

			buf_add(&bytes, p, n);
			buf_reset(&run_cs);
			flush_run(&out, &bytes, NULL);
			p += n;
		}
	}
	flush_run(&out, &bytes, run_cs.buf);
	buf_release(&bytes);
	buf_release(&cs);
	buf_release(&run_cs);
	return buf_detach(&out, NULL);
}

/* The raw header, unfolded, RFC 2047 decoded, trimmed; NULL if absent. */
static char *header_text(GMimeHeaderList *hl, const char *name, int decode)
{
	GMimeHeader *h = g_mime_header_list_get_header(hl, name);
	const char *raw;
	char *unf, *r;

	if (!h || !(raw = g_mime_header_get_raw_value(h)))
		return NULL;
	unf = g_mime_utils_header_unfold(raw);
	if (decode) {
		r = mail_decode_header(unf);
		g_free(unf);
	} else {
		r = take_utf8(unf);
	}
	{
		char *t = trim_dup(r, strlen(r));

		free(r);
		r = t;
	}
	return r;
}

/*
 * A message-id as stored: no control characters, no <>, and within
 * public-inbox's limit.  Spaces are kept inside (some mailers write
 * "<a b@c>"; public-inbox keeps them and serves the thread at a%20b@c).
 */
static int msgid_ok(const char *id)
{
	const unsigned char *p = (const unsigned char *)id;
	size_t n = 0;

	if (!*p || *p == ' ')
		return 0;
	for (; *p; p++, n++)
		if (*p < ' ' || *p == '<' || *p == '>' || *p == 0x7f)
			return 0;
	return n <= 500 && id[n - 1] != ' ';
}

/*
 * The ids between <> in an (unfolded) header, as public-inbox takes them:
 * the text inside the brackets with tabs, CR and LF removed.  Ids that are
 * not valid (msgid_ok, UTF-8) are skipped.  Returns how many were found.
 */
static size_t bracket_ids(const char *s, char ***out)
{
	char **ids = NULL;
	size_t n = 0, alloc = 0;
	const char *p = s;

	while ((p = strchr(p, '<'))) {
		const char *q = strchr(p + 1, '>');
		struct buf b = BUF_INIT;
		const char *c;

		if (!q)
			break;
		for (c = p + 1; c < q; c++)
			if (*c != '\t' && *c != '\r' && *c != '\n')
				buf_addch(&b, *c);
		p = q + 1;
		if (!b.len || !msgid_ok(b.buf) || !g_utf8_validate(b.buf, -1, NULL)) {
			buf_release(&b);
			continue;
		}
		if (n == alloc) {
			alloc = alloc ? 2 * alloc : 4;
			ids = xrealloc(ids, alloc * sizeof(*ids));
		}
		ids[n++] = buf_detach(&b, NULL);
	}
	*out = ids;
	return n;
}

static void free_ids(char **ids, size_t n, size_t from)
{
	size_t i;

	for (i = from; i < n; i++)
		free(ids[i]);
	free(ids);
}

static char *clean_msgid(const char *raw)
{
	char *dec, *r = NULL, **ids;
	size_t n;

	if (!raw)
		return NULL;
	n = bracket_ids(raw, &ids);
	if (n) {
		r = ids[0];
		free_ids(ids, n, 1);
		return r;
	}
	/* no bracketed id: what GMime makes of it (a bare id, say) */
	dec = g_mime_utils_decode_message_id(raw);
	if (dec && msgid_ok(dec) && g_utf8_validate(dec, -1, NULL))
		r = xstrdup(dec);
	g_free(dec);
	return r;
}

int mail_parse_date(const char *s, int64_t *t, int *tz)
{
	GDateTime *dt;

	if (!s || !*s)
		return -1;
	dt = g_mime_utils_header_decode_date(s);
	if (!dt)
		return -1;
	*t = g_date_time_to_unix(dt);
	*tz = (int)(g_date_time_get_utc_offset(dt) / G_TIME_SPAN_MINUTE);
	g_date_time_unref(dt);
	return 0;
}

/* ---- git-style From: parsing ---- */

static void add_comment(struct buf *out, const char **in)
{
	int lit = 0;
	char c;

	buf_addch(out, '(');
	while ((c = *(*in)++)) {
		if (lit) {
			lit = 0;
		} else if (c == '\\') {
			lit = 1;
			continue;
		} else if (c == '(') {
			add_comment(out, in);
			continue;
		} else if (c == ')') {
			buf_addch(out, ')');
			return;
		}
		buf_addch(out, c);
	}
	(*in)--;
}

static void add_quoted(struct buf *out, const char **in)
{
	int lit = 0;
	char c;

	while ((c = *(*in)++)) {
		if (lit)
			lit = 0;
		else if (c == '\\') {
			lit = 1;
			continue;
		} else if (c == '"')
			return;
		buf_addch(out, c);
	}
	(*in)--;
}

static void sane_name(char **name, const char *email)
{
	size_t n = strlen(*name);

	if (n < 3 || n > 60 || strpbrk(*name, "@<>")) {
		free(*name);
		*name = xstrdup(email);
	}
}

void mail_parse_from(const char *from, char **name, char **email)
{
	struct buf f = BUF_INIT;
	const char *in = from;
	char *at, *start, *n;
	size_t el;
	char c;

	/* drop quoting, keep comments (without their escapes) */
	while ((c = *in++)) {
		if (c == '"')
			add_quoted(&f, &in);
		else if (c == '(')
			add_comment(&f, &in);
		else
			buf_addch(&f, c);
	}
	at = strchr(f.buf, '@');
	if (!at) {
		/* "John Doe <johndoe>" */
		const char *bra = strchr(from, '<'), *ket;

		if (bra && (ket = strchr(bra, '>'))) {
			*email = xstrndup(bra + 1, (size_t)(ket - bra - 1));
			*name = trim_dup(from, (size_t)(bra - from));
			sane_name(name, *email);
		} else {
			*email = xstrdup("");
			*name = xstrdup("");
		}
		buf_release(&f);
		return;
	}
	start = at;
	while (start > f.buf) {
		if (isspace((unsigned char)start[-1]))
			break;
		if (start[-1] == '<') {
			start[-1] = ' ';
			break;
		}
		start--;
	}
	el = strcspn(start, " \n\t\r\v\f>");
	*email = xstrndup(start, el);
	{
		size_t off = (size_t)(start - f.buf);
		size_t rm = el + (start[el] ? 1 : 0);

		memmove(f.buf + off, f.buf + off + rm, f.len - off - rm + 1);
		f.len -= rm;
	}
	collapse_space(f.buf);
	f.len = strlen(f.buf);
	n = trim_dup(f.buf, f.len);
	if (n[0] == '(' && n[strlen(n) - 1] == ')') {
		char *t = xstrndup(n + 1, strlen(n) - 2);

		free(n);
		n = t;
	}
	*name = n;
	sane_name(name, *email);
	buf_release(&f);
}

char *mail_cleanup_subject(const char *subject)
{
	char *s = xstrdup(subject), *p = s;

	for (;;) {
		if ((p[0] == 'r' || p[0] == 'R') && (p[1] == 'e' || p[1] == 'E') &&
		    p[2] == ':' && p[3]) {
			p += 3;
		} else if (*p == ' ' || *p == '\t' || *p == ':') {
			p++;
		} else if (*p == '[') {
			char *ket = strchr(p, ']');

			if (!ket)
				break;
			p = ket + 1;
		} else {
			break;
		}
	}
	memmove(s, p, strlen(p) + 1);
	collapse_space(s);
	{
		char *t = trim_dup(s, strlen(s));

		free(s);
		s = t;
	}
	return s;
}

int mail_is_patchbreak(const char *line, size_t len)
{
	size_t i;

	if (len >= 6 && !memcmp(line, "diff -", 6))
		return 1;
	if (len >= 7 && !memcmp(line, "Index: ", 7))
		return 1;
	if (len < 3 || memcmp(line, "---", 3))
		return 0;
	/* "--- file" starts a headerless diff; "---" alone is a separator */
	if (len > 4 && line[3] == ' ' && !isspace((unsigned char)line[4]))
		return 1;
	for (i = 3; i < len; i++)
		if (!isspace((unsigned char)line[i]))
			return 0;
	return 1;
}

/* ---- body ---- */

static int charset_is_utf8ish(const char *cs)
{
	return !cs || !g_ascii_strcasecmp(cs, "utf-8") ||
	       !g_ascii_strcasecmp(cs, "utf8") ||
	       !g_ascii_strcasecmp(cs, "us-ascii") ||
	       !g_ascii_strcasecmp(cs, "ascii");
}

/*
 * Text in charset cs (NULL: undeclared) as UTF-8, newly allocated (g_free);
 * NULL when it has bytes not valid in cs.  UTF-8 and ASCII text is taken as
 * it is when valid; undeclared 8-bit text is Latin-1, as most MUAs do.
 */
static char *to_utf8(const char *bytes, size_t len, const char *cs)
{
	if (charset_is_utf8ish(cs)) {
		if (g_utf8_validate(bytes, (gssize)len, NULL))
			return g_strndup(bytes, len);
		if (!cs)
			return g_convert(bytes, (gssize)len, "UTF-8",
					 "ISO-8859-1", NULL, NULL, NULL);
		return NULL;
	}
	return g_convert(bytes, (gssize)len, "UTF-8",
			 g_mime_charset_iconv_name(cs), NULL, NULL, NULL);
}

static void add_text_part(struct mail *m, struct buf *body, struct buf *raw,
			  GMimeTextPart *tp)
{
	GMimeDataWrapper *w = g_mime_part_get_content(GMIME_PART(tp));
	GMimeStream *mem;
	GByteArray *arr;
	const char *cs = g_mime_text_part_get_charset(tp);
	struct buf bytes = BUF_INIT;
	char *text = NULL;
	size_t i;

	if (!w)
		return;
	mem = g_mime_stream_mem_new();
	g_mime_data_wrapper_write_to_stream(w, mem);
	arr = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem));
	/* NULs cannot live in text; CRLF becomes LF (git am --quoted-cr=strip) */
	for (i = 0; i < arr->len; i++) {
		char c = (char)arr->data[i];

		if (!c)
			m->body_has_nul = 1;
		else if (!(c == '\r' && i + 1 < arr->len && arr->data[i + 1] == '\n'))
			buf_addch(&bytes, c);
	}
	g_object_unref(mem);
	if (!bytes.len)
		return;
	if (bytes.buf[bytes.len - 1] != '\n')
		buf_addch(&bytes, '\n');
	m->texts = xrealloc(m->texts, (m->ntexts + 1) * sizeof(*m->texts));
	m->texts[m->ntexts].charset = cs ? xstrdup(cs) : NULL;
	m->texts[m->ntexts].off = raw->len;
	m->texts[m->ntexts].len = bytes.len;
	m->ntexts++;
	buf_add(raw, bytes.buf, bytes.len);
	text = to_utf8(bytes.buf, bytes.len, cs);
	if (!text) {
		m->body_bad_utf8 = 1;
		text = g_utf8_make_valid(bytes.buf, (gssize)bytes.len);
	}
	buf_addstr(body, text);
	g_free(text);
	buf_release(&bytes);
	if (body->len && body->buf[body->len - 1] != '\n')
		buf_addch(body, '\n');
}

static void collect_text(struct mail *m, struct buf *body, struct buf *raw,
			 GMimeObject *o)
{
	if (GMIME_IS_MULTIPART(o)) {
		GMimeMultipart *mp = GMIME_MULTIPART(o);
		int i, n = g_mime_multipart_get_count(mp);

		for (i = 0; i < n; i++)
			collect_text(m, body, raw,
				     g_mime_multipart_get_part(mp, i));
		return;
	}
	if (GMIME_IS_TEXT_PART(o)) {
		GMimeContentType *ct = g_mime_object_get_content_type(o);

		if (ct && g_mime_content_type_is_type(ct, "text", "html"))
			return;
		add_text_part(m, body, raw, GMIME_TEXT_PART(o));
	}
}

static char *derive_msgid(const char *data, size_t len)
{
	gchar *sum = g_compute_checksum_for_data(G_CHECKSUM_SHA256,
						 (const guchar *)data, len);
	struct buf b = BUF_INIT;

	buf_addf(&b, "pwb-%.32s@local", sum);
	g_free(sum);
	return buf_detach(&b, NULL);
}

static int over(char *why, size_t n, const char *field, const char *s,
		size_t max)
{
	size_t len = s ? strlen(s) : 0;

	if (len <= max)
		return 0;
	snprintf(why, n, "%s is %zu bytes (at most %zu)", field, len, max);
	return -1;
}

int mail_check_caps(const struct mail *m, char *why, size_t n)
{
	size_t i;

	if (over(why, n, "Subject", m->subject, MAIL_MAX_SUBJECT) ||
	    over(why, n, "From", m->from_raw, MAIL_MAX_FROM) ||
	    over(why, n, "Message-ID", m->msgid, MAIL_MAX_MSGID) ||
	    over(why, n, "In-Reply-To", m->in_reply_to, MAIL_MAX_MSGID) ||
	    over(why, n, "List-Id", m->list_id, MAIL_MAX_MSGID))
		return -1;
	if (m->nrefs > MAIL_MAX_REFS) {
		snprintf(why, n, "References has %zu entries (at most %d)",
			 m->nrefs, MAIL_MAX_REFS);
		return -1;
	}
	for (i = 0; i < m->nrefs; i++)
		if (over(why, n, "References entry", m->refs[i], MAIL_MAX_MSGID))
			return -1;
	return 0;
}

/*
 * The message's header block as g_mime_header_list_to_string() writes a
 * GMimeMessage's list: "name:raw value" for each header but the Content-*
 * ones (the parser gives those to the MIME part), CR dropped before LF and
 * at the end (GMime's dos2unix filter).  hl is the top part's list, which
 * holds every header in order.
 */
static char *headers_block(GMimeHeaderList *hl)
{
	struct buf b = BUF_INIT;
	int i, n = g_mime_header_list_get_count(hl);
	size_t j, k;

	for (i = 0; i < n; i++) {
		GMimeHeader *h = g_mime_header_list_get_header_at(hl, i);
		const char *name = g_mime_header_get_name(h);
		const char *rn = g_mime_header_get_raw_name(h);
		const char *rv = g_mime_header_get_raw_value(h);

		if (!rv || !g_ascii_strncasecmp(name, "Content-", 8))
			continue;
		buf_addstr(&b, rn);
		buf_addch(&b, ':');
		buf_addstr(&b, rv);
	}
	buf_grow(&b, 0);
	for (j = k = 0; j < b.len; j++)
		if (b.buf[j] != '\r' || (j + 1 < b.len && b.buf[j + 1] != '\n'))
			b.buf[k++] = b.buf[j];
	buf_setlen(&b, k);
	return buf_detach(&b, NULL);
}

/*
 * Parse data with the shared parser: as a MIME part when that succeeds
 * (*top; the same headers and the same parts as a message, without the
 * GMimeMessage, whose address, date and id parsing of every header and
 * teardown were half of parsing a reply), else as a message (*msg).  The
 * part parse is stricter only at the start: it fails where the message
 * parse skips leading "From " lines, and there the message parse is used.
 */
static int parse_gmime(const char *data, size_t len, GMimeObject **top,
		       GMimeMessage **msg)
{
	GMimeStream *stream;
	int pass;

	*top = NULL;
	*msg = NULL;
	if (!gmime_parser)
		gmime_parser = g_mime_parser_new();
	for (pass = 0; pass < 2; pass++) {
		stream = g_mime_stream_mem_new_with_buffer(data, len);
		g_mime_parser_init_with_stream(gmime_parser, stream);
		g_object_unref(stream);
		g_mime_parser_set_format(gmime_parser, GMIME_FORMAT_MESSAGE);
		if (!pass) {
			*top = g_mime_parser_construct_part(gmime_parser, NULL);
			if (*top)
				return 0;
		} else {
			*msg = g_mime_parser_construct_message(gmime_parser,
							       NULL);
		}
	}
	return *msg ? 0 : -1;
}

int mail_parse(const char *data, size_t len, struct mail *out)
{
	GMimeMessage *msg;
	GMimeHeaderList *hl;
	GMimeObject *part, *top;
	struct buf body = BUF_INIT, raw = BUF_INIT;
	char *s;

	memset(out, 0, sizeof(*out));
	mail_global_init();
	{
		const char *nl = memchr(data, '\n', len);

		if (nl && mbox_is_from_line(data, (size_t)(nl - data))) {
			len -= (size_t)(nl + 1 - data);
			data = nl + 1;
		}
	}
	if (parse_gmime(data, len, &top, &msg))
		return error("cannot parse message (%zu bytes)", len);
	hl = g_mime_object_get_header_list(top ? top : GMIME_OBJECT(msg));

	out->raw = data;
	out->raw_len = len;
	s = header_text(hl, "Message-ID", 0);
	out->msgid = clean_msgid(s);
	free(s);
	if (!out->msgid) {
		out->msgid = derive_msgid(data, len);
		out->msgid_derived = 1;
	}
	s = header_text(hl, "In-Reply-To", 0);
	out->in_reply_to = clean_msgid(s);
	free(s);
	s = header_text(hl, "References", 0);
	if (s) {
		char **ids;
		size_t n = bracket_ids(s, &ids);

		if (n) {
			out->refs = ids;
			out->nrefs = n;
		} else {
			GMimeReferences *refs = g_mime_references_parse(NULL, s);
			int i, k = refs ? g_mime_references_length(refs) : 0;

			free(ids);
			out->refs = xcalloc((size_t)k + 1, sizeof(char *));
			for (i = 0; i < k; i++) {
				const char *id =
					g_mime_references_get_message_id(refs, i);

				if (id && msgid_ok(id) &&
				    g_utf8_validate(id, -1, NULL))
					out->refs[out->nrefs++] = xstrdup(id);
			}
			if (refs)
				g_mime_references_free(refs);
		}
		free(s);
	}
	out->from_raw = header_text(hl, "From", 1);
	if (out->from_raw) {
		char *f = xstrdup(out->from_raw);

		collapse_space(f);
		mail_parse_from(f, &out->from_name, &out->from_email);
		free(f);
	} else {
		out->from_name = xstrdup("");
		out->from_email = xstrdup("");
	}
	out->date_raw = header_text(hl, "Date", 0);
	if (out->date_raw) {
		collapse_space(out->date_raw);
		if (mail_parse_date(out->date_raw, &out->date, &out->date_tz))
			out->date = 0, out->date_tz = 0;
	}
	out->subject = header_text(hl, "Subject", 1);
	if (!out->subject)
		out->subject = xstrdup("");
	collapse_space(out->subject);
	out->list_id = header_text(hl, "List-Id", 1);
	if (top) {
		char *h = headers_block(hl);

		if (g_utf8_validate(h, -1, NULL)) {
			out->headers = h;
		} else {
			char *v = g_utf8_make_valid(h, -1);

			out->headers = xstrdup(v);
			g_free(v);
			free(h);
		}
	} else {
		out->headers = take_utf8(g_mime_header_list_to_string(hl, NULL));
	}

	part = top ? top : g_mime_message_get_mime_part(msg);
	if (part)
		collect_text(out, &body, &raw, part);
	out->body = buf_detach(&body, NULL);
	out->body_raw = buf_detach(&raw, &out->body_raw_len);
	g_object_unref(top ? top : GMIME_OBJECT(msg));
	return 0;
}

void mail_release(struct mail *m)
{
	size_t i;

	free(m->msgid);
	free(m->in_reply_to);
	for (i = 0; i < m->nrefs; i++)
		free(m->refs[i]);
	free(m->refs);
	free(m->from_raw);
	free(m->from_name);
	free(m->from_email);
	free(m->date_raw);
	free(m->subject);
	free(m->list_id);
	free(m->headers);
	free(m->body);
	free(m->body_raw);
	for (i = 0; i < m->ntexts; i++)
		free(m->texts[i].charset);
	free(m->texts);
	memset(m, 0, sizeof(*m));
}

/* ---- mailinfo ---- */

void mailinfo_init(struct mailinfo *mi)
{
	memset(mi, 0, sizeof(*mi));
	buf_init(&mi->message, 0);
	buf_init(&mi->patch, 0);
}

void mailinfo_release(struct mailinfo *mi)
{
	free(mi->author);
	free(mi->email);
	free(mi->subject);
	free(mi->date_raw);
	buf_release(&mi->message);
	buf_release(&mi->patch);
	memset(mi, 0, sizeof(*mi));
}

enum { IB_FROM, IB_SUBJECT, IB_DATE, IB_MAX };
static const char *const inbody_names[IB_MAX] = { "From", "Subject", "Date" };

static int inbody_header(const char *line, size_t len, char **seen)
{
	int i;

	for (i = 0; i < IB_MAX; i++) {
		size_t n = strlen(inbody_names[i]);

		if (!seen[i] && len > n + 1 &&
		    !strncasecmp(line, inbody_names[i], n) && line[n] == ':' &&
		    isspace((unsigned char)line[n + 1]))
			return i;
	}
	return -1;
}

static int is_format_patch_sep(const char *line, size_t len)
{
	static const char tail[] = " Mon Sep 17 00:00:00 2001";
	size_t i;

	if (len != 5 + 40 + strlen(tail) || memcmp(line, "From ", 5))
		return 0;
	for (i = 5; i < 45; i++)
		if (!isxdigit((unsigned char)line[i]) ||
		    isupper((unsigned char)line[i]))
			return 0;
	return !memcmp(line + 45, tail, strlen(tail));
}

static void flush_accum(struct buf *accum, char **seen)
{
	int i;

	if (!accum->len)
		return;
	i = inbody_header(accum->buf, accum->len, seen);
	if (i >= 0) {
		size_t n = strlen(inbody_names[i]) + 2;

		seen[i] = mail_decode_header(accum->buf + n);
	}
	buf_reset(accum);
}

/*
 * The next line of the mail's text: as sent (*raw, *rlen) and, for the
 * commit message, converted to UTF-8 one line at a time as git mailinfo
 * does (into conv).  Returns 0 at the end.
 */
struct text_walk {
	const struct mail *m;
	size_t part, pos;	/* pos: offset in body_raw */
};

static int next_line(struct text_walk *w, const char **raw, size_t *rlen,
		     const char **cs)
{
	const struct mail *m = w->m;

	while (w->part < m->ntexts) {
		const struct mail_text *t = &m->texts[w->part];
		const char *p, *end = m->body_raw + t->off + t->len, *nl;

		if (w->pos < t->off)
			w->pos = t->off;
		p = m->body_raw + w->pos;
		if (p >= end) {
			w->part++;
			continue;
		}
		nl = memchr(p, '\n', (size_t)(end - p));
		*raw = p;
		*rlen = nl ? (size_t)(nl - p) : (size_t)(end - p);
		*cs = t->charset;
		w->pos += *rlen + (nl ? 1 : 0);
		return 1;
	}
	return 0;
}

int mail_info(const struct mail *m, struct mailinfo *mi)
{
	char *seen[IB_MAX] = { NULL, NULL, NULL };
	struct buf accum = BUF_INIT;
	int header_stage = 1, in_patch = 0, i;
	const char *from, *subject, *date, *raw, *cs;
	struct text_walk w = { m, 0, 0 };
	size_t rlen;

	/* a second call on the same mi starts afresh (no leak, no append) */
	mailinfo_release(mi);
	mailinfo_init(mi);
	while (next_line(&w, &raw, &rlen, &cs)) {
		char *conv;
		const char *p;
		size_t l;

		if (in_patch) {
			buf_add(&mi->patch, raw, rlen);
			buf_addch(&mi->patch, '\n');
			continue;
		}
		conv = to_utf8(raw, rlen, cs);
		if (!conv) {
			mi->message_lossy = 1;
			conv = g_utf8_make_valid(raw, (gssize)rlen);
		}
		p = conv;
		l = strlen(conv);
		if (header_stage) {
			if (!l) {
				if (accum.len) {
					flush_accum(&accum, seen);
					header_stage = 0;
				}
				g_free(conv);
				continue;
			}
			if (accum.len && (*p == ' ' || *p == '\t')) {
				/* git keeps the newline: "Date: x\n" -> "x " */
				buf_setlen(&accum, accum.len - 1);
				buf_add(&accum, p, l);
				buf_addch(&accum, '\n');
				g_free(conv);
				continue;
			}
			flush_accum(&accum, seen);
			if (l > 6 && !memcmp(p, ">From", 5) &&
			    isspace((unsigned char)p[5]) &&
			    is_format_patch_sep(p + 1, l - 1)) {
				g_free(conv);
				continue;
			}
			if (l > 8 && !memcmp(p, "[PATCH]", 7) &&
			    isspace((unsigned char)p[7]) && !seen[IB_SUBJECT]) {
				seen[IB_SUBJECT] = xstrndup(p, l);
				g_free(conv);
				continue;
			}
			if (inbody_header(p, l, seen) >= 0) {
				buf_add(&accum, p, l);
				buf_addch(&accum, '\n');
				g_free(conv);
				continue;
			}
			header_stage = 0;
		}
		if (mail_is_patchbreak(p, l)) {
			/* this line and all after it: the bytes as sent */
			in_patch = 1;
			buf_add(&mi->patch, raw, rlen);
			buf_addch(&mi->patch, '\n');
		} else {
			buf_add(&mi->message, p, l);
			buf_addch(&mi->message, '\n');
		}
		g_free(conv);
	}
	flush_accum(&accum, seen);
	buf_release(&accum);

	/* in-body headers only count when there is a patch (as in git) */
	from = m->from_raw;
	subject = m->subject;
	date = m->date_raw;
	if (mi->patch.len) {
		if (seen[IB_FROM])
			from = seen[IB_FROM];
		if (seen[IB_SUBJECT])
			subject = seen[IB_SUBJECT];
		if (seen[IB_DATE])
			date = seen[IB_DATE];
	}
	if (from) {
		char *f = xstrdup(from);

		collapse_space(f);
		mail_parse_from(f, &mi->author, &mi->email);
		free(f);
	} else {
		mi->author = xstrdup("");
		mi->email = xstrdup("");
	}
	mi->subject = mail_cleanup_subject(subject ? subject : "");
	if (date) {
		mi->date_raw = xstrdup(date);
		collapse_space(mi->date_raw);
		if (mail_parse_date(mi->date_raw, &mi->date, &mi->date_tz)) {
			mi->date = m->date;
			mi->date_tz = m->date_tz;
		}
	}
	for (i = 0; i < IB_MAX; i++)
		free(seen[i]);
	return 0;
}

static void add_mailboxes(InternetAddressList *l, char ***out, size_t *n)
{
	int i, cnt = l ? internet_address_list_length(l) : 0;

	for (i = 0; i < cnt; i++) {
		InternetAddress *ia = internet_address_list_get_address(l, i);
		const char *name, *addr;

		if (INTERNET_ADDRESS_IS_GROUP(ia)) {
			add_mailboxes(internet_address_group_get_members(
				INTERNET_ADDRESS_GROUP(ia)), out, n);
			continue;
		}
		addr = internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(ia));
		name = internet_address_get_name(ia);
		if (!addr || !strchr(addr, '@'))
			continue;
		*out = xrealloc(*out, (*n + 1) * sizeof(**out));
		(*out)[(*n)++] = name && *name ? xstrfmt("%s <%s>", name, addr) :
				 xstrdup(addr);
	}
}

void mail_recipients(const char *headers, char ***out, size_t *n)
{
	const char *p = headers;

	mail_global_init();
	while (p && *p) {
		const char *e = strchrnul(p, '\n');
		int to = !strncasecmp(p, "To:", 3), cc = !strncasecmp(p, "Cc:", 3);
		struct buf v = BUF_INIT;

		if (!to && !cc) {
			p = *e ? e + 1 : e;
			continue;
		}
		/* the value and its continuation lines, unfolded */
		buf_add(&v, p + 3, (size_t)(e - p - 3));
		while (*e && (e[1] == ' ' || e[1] == '\t')) {
			const char *c = e + 1;

			e = strchrnul(c, '\n');
			buf_addch(&v, ' ');
			buf_add(&v, c, (size_t)(e - c));
		}
		{
			InternetAddressList *l = internet_address_list_parse(NULL, v.buf);

			add_mailboxes(l, out, n);
			if (l)
				g_object_unref(l);
		}
		buf_release(&v);
		p = *e ? e + 1 : e;
	}
}

const char *mail_addr_of(const char *s, size_t *len)
{
	const char *lt = strrchr(s, '<'), *gt;

	if (lt && (gt = strchr(lt, '>'))) {
		*len = (size_t)(gt - lt - 1);
		return lt + 1;
	}
	*len = strlen(s);
	return s;
}
