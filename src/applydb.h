/*
 * applydb: pwb apply's work as a library call, so that pwb check and pwb
 * bisect run exactly what pwb apply runs; the one owner of the applies
 * and apply_patches tables.
 *
 * apply_to_tree() applies stored series series_id to tree_arg (a
 * registered name or a path) on base (NULL: base_choose() picks it: the
 * series' base-commit, apply.fallbackbase, a guess from its blobs, HEAD),
 * reusing an earlier identical apply, and records it.  Returns 0 when it
 * ran (r->ok says whether every patch applied; r->branch is the name
 * actually used, which is not the series' own (apply_branch_name) when
 * that branch has commits pwb did not make or is checked out),
 * APPLY_ENOBASE when pwb found no base (only r->nobase is set: why;
 * nothing recorded), APPLY_EINFRA when writing objects or the branch
 * failed (a full disk, an I/O error: not the series' fault), -1 on
 * another error (printed).  The caller releases r with
 * apply_result_release, and s with stored_series_release when 0 is
 * returned (else it is released).
 */
#ifndef PWB_APPLYDB_H
#define PWB_APPLYDB_H

#include "apply.h"
#include "ctx.h"
#include "store.h"

int apply_to_tree(struct pwb_ctx *ctx, long series_id, const char *tree_arg,
		  const char *base, struct stored_series *s,
		  struct apply_result *r, long *apply_id);

#endif
