/*
 * affected: the objects a patch affects, for building them under a broad
 * config (allmodconfig) beside the small configs that boot:
 *
 *   - the object of each .c file it touches (mm/mmu_notifier.c ->
 *     mm/mmu_notifier.o);
 *   - the objects of the .c files that still use, at the patch's commit,
 *     an identifier the patch removes or whose declaration it changes: a
 *     function, macro, struct, union, enum or typedef on a removed line of
 *     a header, or a symbol a removed EXPORT_SYMBOL*() line of a .c file
 *     exported (`git grep -lw`, as the renamed function of a driver no
 *     small config builds).
 *
 *   - for each header it touches, the first three .c files (in path
 *     order) that include it, so that the header's own code (an inline,
 *     a macro) is compiled; another arch's files are not taken.
 *
 * Bounded: at most max_files objects; what the bound left out is counted
 * and its first names kept (struct affected's left_out).  Touched files
 * that are not C (Makefiles, Kconfig, assembly, documentation) are listed
 * apart: building objects does not cover them.
 *
 * Ownership: struct affected owns its arrays and strings
 * (affected_release).
 */
#ifndef PWB_AFFECTED_H
#define PWB_AFFECTED_H

#include <stddef.h>

struct strlist {
	char **v;
	size_t n;
};
void strlist_release(struct strlist *l);
/* appends a copy of s unless l has it */
void strlist_add(struct strlist *l, const char *s);
/* 1 when l has s */
int strlist_has(const struct strlist *l, const char *s);

/* 1 when path is another arch's code: under arch/ but not under arch_dir
 * ("arch/x86"); 0 without arch_dir. */
int affected_other_arch(const char *path, const char *arch_dir);

struct affected {
	struct strlist objects;		/* "mm/mmu_notifier.o", sorted, unique */
	struct strlist idents;		/* what the patch removes or redeclares */
	struct strlist other;		/* touched files that are not .c or .h */
	size_t left_out;		/* objects past the bound */
	struct strlist left_out_names;	/* the first ten of them */
	struct strlist not_grepped;	/* identifiers too common to grep for
					 * ("flags (used by more than N
					 * files)"), or past the 30 grepped */
};
void affected_release(struct affected *a);

/*
 * The identifiers a diff removes or redeclares (removed lines of headers,
 * removed EXPORT_SYMBOL lines of .c files), sorted and unique, into ids.
 */
void affected_idents(const char *diff, struct strlist *ids);

/*
 * The objects the patch whose diff is diff affects, at commit of the
 * repository at repo_path; arch_dir ("arch/x86", NULL: any) is the only
 * arch/ directory a header's includers are taken from.  0, or -1 (git
 * grep could not run: said).
 */
int affected_of_patch(const char *repo_path, const char *commit,
		      const char *diff, size_t max_files, const char *arch_dir,
		      struct affected *out);

#endif
