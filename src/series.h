/*
 * series: from the messages of a thread to patch series.
 *
 * subject_parse() reads "[RFC PATCH net-next v3 2/5] title" prefixes.
 * The trailers of replies are read by trailers.h, a patch's diff split
 * and identified by patch-ids.h.
 *
 * thread_build() parses every message of an mbox, links replies to their
 * parents, recognises patches and cover letters, groups them by version
 * and hands each patch the trailers of the replies under it (and under the
 * cover letter).  thread_select() picks the series a command works on.
 *
 * Ownership: struct thread owns the mbox bytes, the mails and the series;
 * thread_release() frees all of it.  Indices into thread.msgs stay valid
 * for the thread's life.
 */
#ifndef PWB_SERIES_H
#define PWB_SERIES_H

#include "mail.h"
#include "trailers.h"

struct subject_info {
	int is_reply;		/* Re:, Fwd:, Aw: ... */
	int is_patch;		/* a [... PATCH ...] or [RFC ...] prefix */
	int rfc;
	int resend;
	int version;		/* 1 when not given */
	int has_counter;	/* N/M was given */
	int index, total;
	char *prefixes;		/* other words in the brackets, e.g. "net-next" */
	char *title;		/* after the brackets */
};

int subject_parse(const char *subject, struct subject_info *si);
void subject_info_release(struct subject_info *si);

struct tmsg {
	struct mail mail;
	struct subject_info si;
	struct mailinfo mi;	/* filled for patches and covers */
	long parent;		/* index of parent in the thread, -1 for a root */
	int role;		/* ROLE_* */
};

enum { ROLE_OTHER, ROLE_PATCH, ROLE_COVER };

struct spatch {
	long msg;		/* index into thread.msgs, -1 when missing */
	char *diffstat;
	char *diff;
	char *message;		/* commit message, trailing blank lines cut */
	char patch_id[41];
	struct trailer *trailers;
	size_t ntrailers;
	int inherited;		/* taken from an earlier version (partial reroll) */
};

struct series {
	int version;
	int total;
	int complete;
	char *prefixes;
	char *subject;
	long cover;		/* message index or -1 */
	int cover_inherited;	/* the cover is an earlier version's */
	int reroll_of;		/* partial reroll: the version it builds on, or 0 */
	char *base_commit;
	char *prerequisites;	/* newline-separated prerequisite-patch-ids */
	struct spatch *patches;	/* [0..total-1] for patches 1..total */
};

struct thread {
	char *data;		/* the mbox bytes the mails point into */
	size_t len;
	struct mbox mbox;
	struct tmsg *msgs;
	size_t nr;
	long root;
	struct series *series;	/* newest version first */
	size_t nseries;
};

struct thread_opts {
	int require_msgid;	/* from lore: a message without one is an error */
	enum mbox_format format;
};

/* Takes ownership of data (malloc'd). */
int thread_build(struct thread *t, char *data, size_t len,
		 const struct thread_opts *opts);
void thread_release(struct thread *t);

/* version 0 = newest complete one.  Errors name what is missing. */
int thread_select(const struct thread *t, int version, int allow_incomplete,
		  const struct series **out);

/*
 * The msgid a series is known by: its cover letter, else its first patch;
 * a partial reroll's own messages before what it took from the earlier
 * version.
 */
const char *series_msgid(const struct thread *t, const struct series *s);

#endif
