/*
 * The executor's recorded backend (exec.h): results a real kernel gave,
 * carried by the tree under test, replayed without a compiler or QEMU.
 *
 * At each commit, .pwb-recorded/ in the tree may hold:
 *   build          the build's status line ("failed", "config-error",
 *                  "infra-error", "timeout") and its error text; no file:
 *                  the kernel builds
 *   config         the config hash the build reports (default: one per
 *                  config name): two sides with different ones are not
 *                  comparable, as real builds with different .configs
 *   SUITE/N        the serial console of boot N of SUITE; boot K replays
 *                  N = K modulo the number of files 0, 1, ...  A console
 *                  whose last line is "### pwb-recorded: timeout" is a
 *                  guest that was still running when it was cut.
 * A builds row, a boots row (QEMU version "recorded") with triage's
 * findings and a suite_runs row with its cases or samples are written as
 * for a real build and boot, by the same code (qemu_replay,
 * suite_boot_record).  Used by the fast tests of check and bisect.
 */
#ifndef PWB_EXEC_RECORDED_H
#define PWB_EXEC_RECORDED_H

#include "exec/exec.h"
#include "kbuild.h"
#include "suiterun.h"

int recorded_build(struct executor *e, const struct exec_request *q,
		   int need_dir, struct kbuild_result *br);
int recorded_prepare(struct executor *e, const struct exec_request *q,
		     const struct kbuild_result *br, struct suite_prep *p);
void recorded_boot(struct executor *e, const struct exec_request *q,
		   const struct kbuild_result *br, const struct suite_prep *p,
		   int idx, struct exec_boot *b);

#endif
