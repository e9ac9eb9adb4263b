/*
 * intake: what pwb fetch does, as a library call, so that pwb check and
 * pwb bisect run exactly what pwb fetch runs.
 *
 * fetch_source() classifies SOURCE (a message-id with or without <>, a
 * lore URL of any message of the thread, an mbox file, gzip'd or not, or
 * "-" for standard input), reads or fetches it within lore.maxsize,
 * parses and assembles every message and stores the thread in one
 * transaction.  0 or -1 (the error said, nothing stored).  struct
 * fetch_result owns its strings (fetch_result_release).
 */
#ifndef PWB_INTAKE_H
#define PWB_INTAKE_H

#include "ctx.h"
#include "mail.h"
#include "store.h"

struct lore_opts;

struct fetch_opts {
	const char *lore;	/* archive base, or NULL for config/default
				 * (the caller's) */
	int version;		/* 0: the newest */
	int allow_incomplete;
	enum mbox_format format;
};

struct fetch_result {
	long series_id;
	struct store_stats stats;
	char *source;		/* where it came from (path or URL) */
	char *base;		/* archive base when fetched over HTTP */
};

int fetch_source(struct pwb_ctx *ctx, const char *src,
		 const struct fetch_opts *o, struct fetch_result *res);
void fetch_result_release(struct fetch_result *r);

/* SOURCE is a bare message-id (fetch_source would ask the archive for
 * it), not a URL, a file or "-". */
int intake_is_msgid(const char *src);

/*
 * The lore.* config as lore_opts for the archive *base (NULL: lore.url,
 * else the default; a '/' is added).  *base is the caller's (free it);
 * lo->base points to it.  0, or -1 when a value or the base is refused.
 */
int intake_lore_options(struct pwb_ctx *ctx, struct lore_opts *lo,
			char **base);

#endif
