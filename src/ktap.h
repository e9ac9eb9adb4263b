/*
 * ktap: results of a test run in KTAP 1 or TAP 13/14, as kselftests and
 * KUnit print them, possibly interleaved with other kernel lines: read as
 * the kernel's own parser (kunit_tool's kunit_parser.py) reads them, from
 * the first version line on, with the prefix that line had (a timestamp,
 * "<6>", "kernel: "...) taken off the lines after it; indentation (spaces
 * or tabs) means nothing.  tests/t0510 checks it against kunit_tool on
 * its own test logs; docs/conformance-ktap.md lists what differs.
 *
 * Nested subtests are flattened into cases named "parent.child"; "# SKIP"
 * and "# TODO" directives are kept; the subtests a plan promised that
 * never came are "crashed" cases named "case N"; a suite that ran none is
 * a "skip" case; output with no version line at all is an error, never a
 * pass.
 *
 * struct ktap owns its cases; ktap_release() frees them.
 */
#ifndef PWB_KTAP_H
#define PWB_KTAP_H

#include <stddef.h>

#include "util/buf.h"

#define KTAP_MAX_NAME 256	/* bytes of a case name kept */

enum ktap_status {
	KTAP_PASS,
	KTAP_FAIL,
	KTAP_SKIP,
	KTAP_TODO,	/* "not ok ... # TODO": a known failure */
	KTAP_CRASHED,	/* planned but never reported */
};

struct ktap_case {
	char *name;
	int nameless;		/* the TAP gave no name: name is "case N"
				 * (kunit_tool's name for it) */
	enum ktap_status status;
	char *directive;	/* text after '#', or NULL */
	struct buf diag;	/* "# ..." lines that followed the result */
};

struct ktap {
	struct ktap_case *cases;
	size_t nr, alloc;
	int versions;		/* version lines seen */
	char *error;		/* set when there was no KTAP at all */
};

int ktap_parse(const char *text, struct ktap *out);
/* The same, a case's diagnostics being the lines before its result, as
 * KUnit and the kselftest harness (kselftest_harness.h) print them. */
int ktap_parse_kunit(const char *text, struct ktap *out);
void ktap_release(struct ktap *k);
/* a case's status as case_results and JSON keep it ("pass", "fail",
 * "skip", "todo", "crashed"); "?" for none of them */
const char *ktap_status_name(enum ktap_status s);
/* 0 with *out, -1 (quietly, *out untouched) for a string that is none */
int ktap_status_parse(const char *s, enum ktap_status *out);
/* Any fail or crashed case? */
int ktap_failed(const struct ktap *k);

#endif
