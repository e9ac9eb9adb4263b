/*
 * suggest: "did you mean ...?" for a mistyped name (a command, a
 * sub-command, a suite, a config key), as git's help.c does for commands.
 */
#ifndef PWB_SUGGEST_H
#define PWB_SUGGEST_H

#include <stddef.h>

/* Levenshtein distance of a and b, ignoring ASCII case. */
size_t edit_distance(const char *a, const char *b);

/*
 * The names nearest to word (NULL entries skipped) when they are near
 * enough to be a typo (at most 3 edits, and fewer than the name's length),
 * as "; did you mean X?" or "; did you mean X or Y?" (the nearest ones, at
 * most 3, in table order); "" when none is.  The string is static, valid
 * until the next call.
 */
const char *suggest_hint(const char *word, const char *const *names, size_t n);

#endif
