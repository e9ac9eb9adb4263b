/*
 * kunit: what a suite of format = kunit needs beside the KTAP parser.
 *
 * A kunitconfig (kunit_tool's .kunitconfig syntax: "CONFIG_X=y", "=m", a
 * value, "# CONFIG_X is not set", comments) names what the kernel under
 * test must have; pwb does not merge it into the build (one config serves
 * every suite of a cell, bench/configs/), it checks it against the
 * build's .config: "=y" and "=m" both ask for the option to be there
 * (built in or a module: the suite loads the modules).
 *
 * The KUnit test modules of a build are the .ko files of its
 * modules.order with a .kunit_test_suites section (read with libelf); the
 * KUnit core (lib/kunit/kunit.ko) when it is a module.  They go into the
 * initramfs under /pwb/kunit/ with a script that loads the core, then
 * each test module, whose results the kernel prints on the console.
 *
 * A filter is kunit_tool's filter_glob: "SUITE_GLOB[.TEST_GLOB]".
 *
 * struct kunit_config owns its lines (kunit_config_release).
 */
#ifndef PWB_KUNIT_H
#define PWB_KUNIT_H

#include <stddef.h>

#include "initramfs.h"
#include "ktap.h"

struct kunit_option {
	char *name;		/* CONFIG_X */
	char *value;		/* "y", "m", "n" (is not set), or a value */
	int line;
};

struct kunit_config {
	struct kunit_option *opt;
	size_t n;
};

/* 0, or -1 with *why (owned) naming the file and line. */
int kunit_config_load(const char *path, struct kunit_config *c, char **why);
void kunit_config_release(struct kunit_config *c);

/*
 * Every option of c in the kernel config at dotconfig: 0, or -1 with *why
 * (owned) naming the first option that is not as asked.
 */
int kunit_config_check(const struct kunit_config *c, const char *dotconfig,
		       char **why);

/* A filter_glob pwb accepts: letters, digits and _-.*?[] only. */
int kunit_filter_valid(const char *glob);
/* Whether case "suite.test..." is selected by glob (NULL: every case). */
int kunit_filter_match(const char *glob, const char *name);
/* Drop the cases of k that glob does not select. */
void kunit_filter_ktap(struct ktap *k, const char *glob);

/*
 * The KUnit modules of the build in build_dir into *files (appended; the
 * caller frees with suite_files_free), and the script that loads them
 * (tmpdir/kunit-run, /pwb/kunit-run in the guest), passing filter to the
 * core.  *nmods: test modules found.  0, or -1 with *why (owned).
 */
int kunit_stage(const char *build_dir, const char *tmpdir, const char *filter,
		struct initramfs_file **files, size_t *n, size_t *nmods,
		char **why);

/* The guest command a kunit suite runs unless its suite.conf says. */
#define KUNIT_RUN "sh /pwb/kunit-run"

#endif
