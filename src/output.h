/*
 * output: series and threads as text or JSON (data apart from
 * presentation: the commands gather, these print).  JSON objects are
 * jansson references owned by the caller (json_decref).
 */
#ifndef PWB_OUTPUT_H
#define PWB_OUTPUT_H

#include <jansson.h>
#include <stdio.h>

#include "store.h"

json_t *json_series(const struct stored_series *s, const char *lore_base);
void text_series(FILE *f, const struct stored_series *s, int verbose);
/* Print JSON with a newline; -1 on a write error. */
int json_print(json_t *j);
/*
 * A JSON string of text from a mailing list or a console: jansson refuses
 * bytes that are not UTF-8 (json_string gives NULL and the key silently
 * goes missing); here each such byte becomes U+FFFD.  NULL gives null.
 */
json_t *json_text(const char *s);

/*
 * Colours, as git's color.ui and --color: never, always, or auto (the
 * default): on a terminal (or a pager on one: colour_pager), and never
 * with NO_COLOR set (no-color.org) nor with TERM unset or "dumb".
 */
enum colour_when { COLOUR_AUTO, COLOUR_NEVER, COLOUR_ALWAYS };
extern enum colour_when colour_when;
extern int colour_pager;	/* stdout goes to a pager on a terminal */
/* auto, always, never, and git's true (auto) and false (never); -1 */
int colour_when_parse(const char *s);
int use_colour(int fd);
/* "<base><msgid>/" for a series' links; base falls back to lore.url. */
char *series_link(const char *base, const char *msgid);

struct triage;
struct finding;
/* findings as pwb boot --json and pwb run --json show them */
json_t *json_findings(const struct finding *f, size_t nr);
void text_findings(FILE *f, const struct triage *t);

/* A build as pwb build --json shows it (docs/cli.md); a check's builds
 * are these with their place in the series (report.h). */
struct kbuild_result;
json_t *json_build(const struct kbuild_result *r);

/* A recorded boot_run (boot.h; r->id > 0): pwb boot --json's object
 * (docs/cli.md), and its text. */
struct boot_run_result;
json_t *json_boot_run(const struct boot_run_result *r);
void text_boot_run(FILE *f, const struct boot_run_result *r);

/* A recorded run (suiterun.h): one of pwb run --json's "runs" (docs/cli.md). */
struct suite_run_view;
json_t *json_suite_run(const struct suite_run_view *v);

#endif
