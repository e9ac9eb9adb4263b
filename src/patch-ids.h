/*
 * patch-ids: the diff of a patch mail, and its identity.
 *
 * patch_split() cuts mailinfo's patch text into the diffstat and the diff
 * git apply would take: file headers and whole hunks, trailing junk such
 * as the "-- \n2.39.2" signature and base-commit: lines dropped.
 *
 * patch_id_stable() is `git patch-id --stable` (git 2.39's
 * get_one_patchid()) of the first commit of a text: white space and hunk
 * line numbers do not change it, nor does the order of the files.
 *
 * Ownership: the caller's buffers; nothing is kept between calls.
 */
#ifndef PWB_PATCH_IDS_H
#define PWB_PATCH_IDS_H

#include "util/buf.h"

/* 40 hex digits + NUL into out; -1 when diff holds no diff. */
int patch_id_stable(const char *diff, char out[41]);

/* Split mailinfo's patch text into diffstat and diff (appended to both). */
void patch_split(const char *patch, struct buf *diffstat, struct buf *diff);

#endif
