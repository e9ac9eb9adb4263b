/*
 * pipeline: the steps of the commands as functions, so that pwb check and
 * pwb bisect run exactly what pwb fetch and pwb apply run.
 *
 * fetch_source: SOURCE as pwb fetch takes it; parsed, assembled, stored
 * in one transaction.  struct fetch_result owns its strings
 * (fetch_result_release).
 *
 * apply_to_tree: pwb apply's work (reusing an earlier identical apply)
 * and its record.  Returns 0 when it ran (r->ok says whether every patch
 * applied; r->branch is the name actually used, which is not
 * pwb/<id>-v<N> when that branch has commits pwb did not make or is
 * checked out), APPLY_EINFRA when writing objects or the branch failed
 * (a full disk, an I/O error: not the series' fault), -1 on another
 * error (printed).  The caller releases r with
 * apply_result_release and s with stored_series_release.
 */
#ifndef PWB_PIPELINE_H
#define PWB_PIPELINE_H

#include "apply.h"
#include "ctx.h"
#include "series.h"
#include "store.h"

struct fetch_opts {
	char *lore;		/* archive base, or NULL for config/default */
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

int apply_to_tree(struct pwb_ctx *ctx, long series_id, const char *tree_arg,
		  const char *base, struct stored_series *s,
		  struct apply_result *r, long *apply_id);

#endif
