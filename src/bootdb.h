/*
 * bootdb: a boot (its QEMU setup, status, compressed console) and the
 * findings triage made, in one transaction.
 */
#ifndef PWB_BOOTDB_H
#define PWB_BOOTDB_H

#include <sqlite3.h>

#include "qemu.h"

/* build_id <= 0: a boot of a kernel pwb did not build. */
int boot_record(sqlite3 *db, long build_id, const struct qemu_opts *o,
		const struct boot_result *r, long *id);

/* A boot's findings, in the order triage found them (*f owned: free
 * with boot_findings_free; none for boot_id <= 0).  0, -1 (said). */
int boot_findings_load(sqlite3 *db, long boot_id, struct finding **f,
		       size_t *nr);
void boot_findings_free(struct finding *f, size_t nr);

#endif
