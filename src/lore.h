/*
 * lore: fetch a thread from a public-inbox archive over HTTP(S).
 *
 * GET <base><msgid>/t.mbox.gz with libcurl: connect and total timeouts, a
 * low-speed limit, a size cap (before and after decompression), https only
 * (plain http only when the base is http on a loopback address, for tests
 * and local mirrors), bounded retries with backoff on 429/5xx and transfer
 * errors honouring Retry-After, none on 404.  At most 5 redirects, followed
 * by hand: each target is held to the rule of the first URL
 * (lore_url_allowed()) before anything connects to it.
 */
#ifndef PWB_LORE_H
#define PWB_LORE_H

#include <stdint.h>

#include "util/buf.h"

#define LORE_DEFAULT_BASE "https://lore.kernel.org/all/"

struct lore_opts {
	const char *base;	/* ends with '/' */
	long connect_timeout;	/* s */
	long timeout;		/* s, whole transfer */
	uint64_t max_size;	/* bytes, compressed and decompressed */
	long retries;		/* further attempts after the first */
	long max_wait;		/* longest Retry-After honoured, s */
	int verbose;
};

/*
 * Split a lore URL of any message ("https://lore.kernel.org/linux-mm/<id>/T/")
 * into the archive base (with trailing '/') and the message-id.
 * Returns 0, or -1 when url is not such a URL (nothing printed).
 */
int lore_parse_url(const char *url, char **base, char **msgid);

/* "<base><escaped msgid>/" */
void lore_msg_url(struct buf *out, const char *base, const char *msgid);

/* Check the base is an allowed URL; prints the error. */
int lore_check_base(const char *base);

/*
 * The rule for every URL pwb requests: https, or plain http on a loopback
 * address ("localhost", 127.0.0.0/8, ::1; a name like "127.0.0.1.example"
 * is not one), as libcurl parses it (the host after any "user@").  A
 * redirect target keeps to the rule of the first URL of the fetch, given
 * as first: after https, https only; after http on loopback, https or http
 * on loopback.  first NULL: url is a first URL.  Returns 0 when url may be
 * requested, else -1 with *why (unless why is NULL) set to a static
 * reason.  Prints nothing, connects nowhere.
 */
int lore_url_allowed(const char *url, const char *first, const char **why);

/*
 * Fetch the thread holding msgid.  On success gz holds the bytes as
 * received (gzip) and mbox the decompressed mbox.
 */
int lore_fetch_thread(const struct lore_opts *o, const char *msgid,
		      struct buf *gz, struct buf *mbox);

void lore_global_init(void);
void lore_global_release(void);

#endif
