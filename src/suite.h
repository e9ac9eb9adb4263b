/*
 * suite: a directory under bench/suites/ with a suite.conf (git-config
 * syntax, section [suite]) naming its config fragment, kernel-side code to
 * build against the built tree (an out-of-tree module, `make M=`), guest
 * programs (C, built static), the command /init runs, the result format,
 * the guest's memory, timeouts and repetitions.  A format = kunit suite
 * runs the KUnit test modules of the kernel under test (kunit.h): its
 * kunitconfig is checked against the build's .config, its filter (as
 * kunit_tool's filter_glob) selects the cases.  A format = kselftest
 * suite builds programs of the tree's own tools/testing/selftests/
 * (kselftest.h) and reads their TAP.  Any suite may ship in-tree modules
 * of its build (`kmodule = test_hmm`: /pwb/test_hmm.ko) and files of its
 * own (`file = hmm.sh`: /pwb/hmm.sh).  An unknown key or a missing file is
 * an error before anything is built.
 *
 * struct suite owns its strings; suite_release() frees them.
 */
#ifndef PWB_SUITE_H
#define PWB_SUITE_H

#include <stddef.h>

#include "initramfs.h"

/*
 * [metric "NAME"] of a metrics suite: how a sample named NAME or NAME/...
 * is judged when two kernels are compared.
 */
struct suite_metric {
	char *name;
	char *unit;		/* expected unit, or NULL */
	int higher_is_better;	/* better = higher (default lower) */
	double threshold;	/* smallest change that counts, >= 0 */
	int threshold_pct;	/* threshold in % of the base median */
	long min_samples;	/* per side, default 5 */
};

/* How a suite's results are read from the guest's console. */
enum suite_format {
	SUITE_FMT_KTAP,		/* KTAP/TAP cases, as kunit_tool reads them */
	SUITE_FMT_METRICS,	/* "# pwb-metric:" samples */
	SUITE_FMT_KUNIT,	/* the kernel's KUnit tests: KTAP on the
				 * console from the build's test modules */
	SUITE_FMT_KSELFTEST,	/* the tree's kselftests: their TAP */
};
const char *suite_format_name(enum suite_format f);
/* 0 and *f set, or -1: name is not a format */
int suite_format_parse(const char *name, enum suite_format *f);

struct suite {
	char *name;
	char *root;		/* bench/suites */
	char *dir;		/* root/name */
	char *description;
	enum suite_format format;
	char *config;		/* config fragment name */
	char *module;		/* directory (relative to dir) or NULL */
	char **programs;	/* C sources (relative to dir) */
	size_t nprograms;
	char *run;		/* shell command in the guest (kunit: default
				 * KUNIT_RUN, which loads the modules) */
	char *kunitconfig;	/* kunit: the file (relative to dir) of the
				 * options the kernel must have */
	char *filter;		/* kunit: filter_glob, or NULL */
	char **selftests;	/* kselftest: directories under
				 * tools/testing/selftests, first found wins */
	size_t nselftests;
	char **ksft_tests;	/* kselftest: the programs to build there */
	size_t nksft_tests;
	char **kmodules;	/* in-tree modules of the build to ship */
	size_t nkmodules;
	char **files;		/* the suite's own files to ship (relative) */
	size_t nfiles;
	long mem, timeout, idle_timeout, repeat;
	char *hash;		/* sha1 of the suite's files */
	struct suite_metric *metrics;
	size_t nmetrics;
};

/* The declaration for a sample name (its part before '/'), or NULL */
const struct suite_metric *suite_metric_find(const struct suite *s,
					     const char *sample);

/* Results as metric samples (else as test cases). */
static inline int suite_format_has_metrics(const struct suite *s)
{
	return s->format == SUITE_FMT_METRICS;
}

/* Whether s needs its kernel's tree and build directory (a module, the
 * build's KUnit or in-tree modules, the tree's selftests), not only an
 * image. */
int suite_needs_tree(const struct suite *s);

int suite_load(const char *datadir, const char *name, struct suite *s);
void suite_release(struct suite *s);

/*
 * Every suite of datadir's bench/suites (a directory with a suite.conf;
 * names starting with '.' are not suites), loaded with suite_load and
 * sorted by name, into *suites (allocated; suite_list_free).  A suite
 * that does not load is said (suite_load's error) and left out, counted
 * in *nbad.  0, or -1 when bench/suites cannot be read (said).
 */
int suite_list(const char *datadir, struct suite **suites, size_t *n,
	       size_t *nbad);
void suite_list_free(struct suite *suites, size_t n);

/*
 * Build the module against (src, build dir) with the kernel's make
 * variables (ARCH=, CROSS_COMPILE=, LLVM=1: kbuild_make_vars) and the
 * programs with cc (static; the arch's gcc), into tmpdir; *files
 * (allocated, caller frees with suite_files_free) lists what goes into
 * the initramfs under /pwb/.  *tests_from (owned, may be NULL): where a
 * kselftest suite's tests came from.  On failure, *why says what (owned).
 */
struct arch;
int suite_build(const struct suite *s, const struct arch *a, const char *src,
		const char *build_dir, char *const *makevars, const char *cc,
		const char *tmpdir, struct initramfs_file **files, size_t *n,
		char **tests_from, char **why);
void suite_files_free(struct initramfs_file *files, size_t n);

#endif
