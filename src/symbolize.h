/*
 * symbolize: a kernel report's addresses resolved against the build's
 * vmlinux, as the kernel's scripts/decode_stacktrace.sh and faddr2line do
 * with binutils.
 *
 * The lines looked at are a RIP line ("RIP: 0010:0xffffffff810e9cf4",
 * "RIP: 0010:func+0x12/0x40"; arm64's "pc : ", "lr : ") and call trace frames, a line that is only
 * an address or a function with its offset (" ? 0xffffffff81234567",
 * " func+0x1a4/0x2c0"; a module's frame, " [mod]" after it, is left).  A
 * raw address becomes func+0xOFF/0xSIZE (the symbol that holds it, from
 * `nm -n -S`), and each resolved frame gets the file:line `addr2line -f
 * -i` gives (the innermost of an inlined chain), the path relative to
 * srcdir: "RIP: 0010:mn_itree_inv_start_range+0x12/0x80 mm/mmu_notifier.c:42".
 * Lines that cannot be resolved stay as they are.  nm and addr2line run
 * through util/run.h, argv only.
 */
#ifndef PWB_SYMBOLIZE_H
#define PWB_SYMBOLIZE_H

#include <stddef.h>

/*
 * The lines (a finding's excerpt, untrusted console text) with what could
 * be resolved against vmlinux; srcdir (may be NULL) is cut from the front
 * of file names.  A new string (caller frees), or NULL when nothing was
 * resolved (no vmlinux, no symbols, no address in the lines).
 */
char *symbolize_lines(const char *vmlinux, const char *srcdir,
		      const char *lines);

struct triage;
/* Every finding of t with its lines symbolized (those that resolve);
 * the number of findings changed. */
size_t symbolize_findings(struct triage *t, const char *vmlinux,
			  const char *srcdir);

#endif
