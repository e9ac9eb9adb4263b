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

/* A boot's findings as pwb run --json shows them (a JSON array, caller
 * decrefs; empty for boot_id <= 0). */
struct json_t;
struct json_t *boot_findings_json(sqlite3 *db, long boot_id);

#endif
