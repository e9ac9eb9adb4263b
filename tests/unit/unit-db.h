/*
 * For the unit tests that open a database of their own: removing it
 * (the file and sqlite's -wal, -shm and -journal beside it).
 */
#ifndef PWB_UNIT_DB_H
#define PWB_UNIT_DB_H

#include <stdio.h>
#include <unistd.h>

static inline void unit_db_remove(const char *path)
{
	static const char *const ext[] = { "", "-wal", "-shm", "-journal" };
	char p[4300];
	size_t i;

	for (i = 0; i < sizeof(ext) / sizeof(ext[0]); i++) {
		snprintf(p, sizeof(p), "%s%s", path, ext[i]);
		unlink(p);
	}
}

#endif
