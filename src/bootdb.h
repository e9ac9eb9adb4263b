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

#endif
