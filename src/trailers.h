/*
 * trailers: the Reviewed-by:/Acked-by:/Tested-by:/... lines of a reply
 * that a patch collects (as b4 does), and Fixes:, Link: and Closes:.
 *
 * trailers_extract() reads a reply's text line by line: quoted lines
 * ("> ...") and everything after a "-- " signature line are skipped;
 * Signed-off-by: is the author's and never collected; a "-by" trailer
 * needs "Name <addr>", Link:/Closes: an http(s) URL, Fixes: a commit id of
 * 8 or more hex digits and a subject.  The kind is normalised
 * ("reviewed-by" -> "Reviewed-by"); Outlook's "<a@b<mailto:a@b>>" is
 * undone; a trailer already in the array is not added again.
 *
 * Ownership: the array and each kind and person are malloc'd and freed by
 * trailers_free(); from_msgid is the caller's string, not copied.
 */
#ifndef PWB_TRAILERS_H
#define PWB_TRAILERS_H

#include <stddef.h>

struct trailer {
	char *kind;		/* normalised: "Reviewed-by" */
	char *person;
	const char *from_msgid;	/* the reply it came from (not owned) */
};

/* Append the trailers found in body to *arr (grown with xrealloc). */
void trailers_extract(const char *body, const char *from_msgid,
		      struct trailer **arr, size_t *nr);
void trailers_free(struct trailer *arr, size_t nr);
/* The address of a "Name <addr>" trailer, lower case, malloc'd; or NULL. */
char *trailer_address(const char *person);

#endif
