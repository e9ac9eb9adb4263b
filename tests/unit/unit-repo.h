/*
 * For the unit tests that make a git repository of their own: a shell
 * command that must succeed, and a file written into the repository's
 * directory.  Include after cmocka.h.
 */
#ifndef PWB_UNIT_REPO_H
#define PWB_UNIT_REPO_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

static void unit_sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void unit_sh(const char *fmt, ...)
{
	char cmd[8192];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	assert_int_equal(system(cmd), 0);
}

/* text into dir/name */
static inline void unit_put(const char *dir, const char *name, const char *text)
{
	char p[4300];
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	f = fopen(p, "w");
	assert_non_null(f);
	assert_true(fputs(text, f) >= 0);
	assert_int_equal(fclose(f), 0);
}

#endif
