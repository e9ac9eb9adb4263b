/*
 * kselftest: what a suite of format = kselftest needs beside the KTAP
 * parser.  Its programs are the tree's own tests: a directory of
 * tools/testing/selftests/ (suite.conf `selftests`, the first that the
 * tree under test has: the mm tests are in vm/ on 6.1 and in mm/ from 6.2
 * on) built at the commit that is booted, against that build's exported
 * headers (`make headers` into the build directory: usr/include), statically
 * linked with the arch's gcc (cross for arm64), as the kernel's own
 * `make -C tools/testing/selftests/DIR` builds them.  The in-tree modules
 * they drive (suite.conf `kmodule`, lib/test_hmm.ko for the HMM tests)
 * come from the same build's modules.order.
 *
 * Which side's tests run: each side runs the tests of the tree it boots
 * (the base its own, the candidate the series' version), and every run
 * records which (suite_runs.tests_from, "tools/testing/selftests/mm at
 * COMMIT").  A test the series adds has no base result, so it is a new
 * case and never a regression; a test the series changes is compared by
 * name.
 *
 * Everything runs in the sandbox (util/run.h): the tree's Makefiles are
 * untrusted code; they may write the build directory (headers), the
 * selftest directory (its generated local_config.h) and the temporary
 * directory only.
 */
#ifndef PWB_KSELFTEST_H
#define PWB_KSELFTEST_H

#include <stddef.h>

#include "initramfs.h"

struct suite;
struct arch;
struct ktap;

/* A name pwb accepts for a selftest directory ("mm", "vm", "net/mptcp"),
 * a test program ("hmm-tests") or a module ("test_hmm"). */
int kselftest_dir_valid(const char *s);
int kselftest_name_valid(const char *s);

/*
 * The first of s's selftest directories that the tree at src has
 * (malloc'd "tools/testing/selftests/mm"), or NULL with *why (owned).
 */
char *kselftest_dir(const struct suite *s, const char *src, char **why);

/*
 * Build s's tests of the tree at src (the kernel built in build_dir with
 * makevars, kbuild_make_vars) for arch a, into tmpdir; the programs go
 * into *files (appended; suite_files_free) as /pwb/NAME.  *tests_from
 * (owned): the directory the tests came from.  0, or -1 with *why (owned:
 * the compiler's first error, or what is missing).
 */
int kselftest_stage(const struct suite *s, const struct arch *a,
		    const char *src, const char *build_dir,
		    char *const *makevars, const char *tmpdir,
		    struct initramfs_file **files, size_t *n,
		    char **tests_from, char **why);

/*
 * What kselftest_harness.h prints that TAP does not say, read from each
 * case's log (the lines before its result): a case whose fixture setup
 * skipped it (6.1's harness: "#      SKIP      REASON", then "ok N NAME")
 * is a skip with that reason, not a pass; a skip whose result line has no
 * name (6.1's "ok N # SKIP REASON", read as "case N") takes the name of
 * its "#  RUN           NAME ..." line.
 */
void kselftest_ktap_fixup(struct ktap *k);

#endif
