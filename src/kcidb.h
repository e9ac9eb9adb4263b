/*
 * kcidb: a check as a KCIDB v5.3 document (KernelCI's results database,
 * ../shared/peer/kcidb/), what `pwb report CHECK --format kcidb` prints
 * for the user to submit (pwb sends nothing).
 *
 *   checkout   the series on its base: base commit, patchset_hash (sha256
 *              over the newline-terminated sha256 of each patch mail as
 *              received, the bytes lore's /raw serves), the patch mails'
 *              lore links, the series' Message-ID, valid = it applied
 *   builds     one per commit built (the base, each patch): arch,
 *              compiler (its version line), config, status, duration,
 *              the error as log excerpt
 *   tests      per suite run (path "SUITE", the boot's status and
 *              duration), per case ("SUITE.CASE") and per metric sample
 *              ("SUITE.METRIC", status DONE, the value with its unit),
 *              on the base's build or the tip's
 *   issues     one per console finding (kind, normalised title), with an
 *   incidents  incident for every run that showed it
 *
 * Names are made KCIDB paths: '-' and any byte outside [A-Za-z0-9_] in a
 * suite name become '_', a case keeps its dots as path separators.  Ids
 * are "ORIGIN:check3", "ORIGIN:build12", "ORIGIN:run7",
 * "ORIGIN:run7.CASE", "ORIGIN:finding-HASH".
 */
#ifndef PWB_KCIDB_H
#define PWB_KCIDB_H

#include <sqlite3.h>

#include "checkdb.h"

/* A KCIDB origin pwb accepts: [a-z0-9_]+. */
int kcidb_origin_valid(const char *origin);

/*
 * The document for r (loaded by report_load from db), or NULL on a
 * database error or a run or case status that is not pwb's (said).
 * lore_base: the archive for patch links when
 * the series has none.  The caller decrefs.
 */
struct json_t *report_kcidb(sqlite3 *db, const struct check_report *r,
			    const char *origin, const char *lore_base);

#endif
