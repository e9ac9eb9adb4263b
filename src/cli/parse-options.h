/*
 * parse-options: one option table per command, usage generated from it
 * (in the manner of git's parse-options and notmuch's opt_inherit).
 *
 * Options may follow operands ("pwb triage LOG --json"), "--" ends them,
 * -h and --help are always there.  A table is an array of struct opt
 * ended by OPT_END(); shared groups are macros (OPT_JSON) so that every
 * command spells them alike.
 *
 *	static const char *const usage[] = {
 *		"pwb triage [--json] LOGFILE",
 *		NULL,
 *	};
 *	struct opt opts[] = {
 *		OPT_JSON(&json),
 *		OPT_END(),
 *	};
 *	int n = parse_options(argc, argv, usage, triage_text, opts);
 *	if (n < 0)
 *		return parse_options_exit(n);
 *	... the operands are argv[1..n] ...
 *
 * Values are written through the pointers in the table: int for flags,
 * const char * for strings (argv's, not copied), long for numbers (range
 * checked), struct opt_list for repeatable strings (its array is
 * allocated: free(list.v)).
 */
#ifndef PWB_PARSE_OPTIONS_H
#define PWB_PARSE_OPTIONS_H

#include <stddef.h>
#include <stdio.h>

enum opt_type {
	OPT_T_END,
	OPT_T_FLAG,
	OPT_T_STRING,
	OPT_T_LONG,
	OPT_T_LIST,
};

struct opt_list {
	const char **v;
	size_t n;
};

struct opt {
	enum opt_type type;
	int short_name;		/* 0: long only */
	const char *long_name;
	void *value;
	const char *argh;	/* "N", "REV": shown in the usage */
	const char *help;
	long min, max;		/* OPT_T_LONG */
};

#define OPT_END() { OPT_T_END, 0, NULL, NULL, NULL, NULL, 0, 0 }
#define OPT_FLAG(s, l, v, h) { OPT_T_FLAG, (s), (l), (v), NULL, (h), 0, 0 }
#define OPT_STRING(s, l, v, a, h) { OPT_T_STRING, (s), (l), (v), (a), (h), 0, 0 }
#define OPT_LONG(s, l, v, a, h, lo, hi) \
	{ OPT_T_LONG, (s), (l), (v), (a), (h), (lo), (hi) }
#define OPT_LIST(s, l, v, a, h) { OPT_T_LIST, (s), (l), (v), (a), (h), 0, 0 }
/* a list of which the command uses the last value (pwb check's --base):
 * not shown as repeatable */
#define OPT_LAST(s, l, v, a, h) { OPT_T_LIST, (s), (l), (v), (a), (h), 0, 1 }

/* the shared group every command with JSON output has */
#define OPT_JSON(v) OPT_FLAG(0, "json", (v), "print JSON (docs/cli.md)")

/* -h/--help: usage printed on stdout (with PWB_HELP_DUMP in the
 * environment: the same as lines for the generators of the man pages and
 * the bash completion, ci/gen-doc.sh) */
#define PARSE_OPT_HELP (-1)
#define PARSE_OPT_ERROR (-2)	/* the error and the usage on stderr */

/*
 * Parse argv[1..argc-1] (argv[0] is the command's name).  The operands
 * are moved, in order, to argv[1..]; returns their number, or one of
 * PARSE_OPT_HELP / PARSE_OPT_ERROR.  text (may be NULL) is printed after
 * the usage lines and before the options.
 */
int parse_options(int argc, char **argv, const char *const *usage,
		  const char *text, const struct opt *opts);
/* 0 for PARSE_OPT_HELP, 129 for PARSE_OPT_ERROR. */
int parse_options_exit(int rc);
/* The usage lines, text and the option table, as -h prints them. */
void usage_with_options(FILE *f, const char *const *usage, const char *text,
			const struct opt *opts);
/* An error about the operands: the message and the usage on stderr; 129. */
int usage_with_options_error(const char *const *usage, const char *text,
			     const struct opt *opts, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

#endif
