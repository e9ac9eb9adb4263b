/*
 * store: threads and series in the database.
 *
 * store_thread() writes a built thread (messages, thread tree, every
 * series version, patches, trailers) in one transaction: either all of it
 * is there afterwards or none of it.  Storing the same thread again adds
 * only new messages, updates series and patches in place and replaces the
 * trailers with the newly collected set; nothing is duplicated.  A
 * lookup that fails (busy, I/O, interrupted) fails the store: it is never
 * taken for "not stored yet", which would add a second row.
 *
 * struct stored_series is a series read back from the database; it owns
 * all its strings; stored_series_release() frees them.
 */
#ifndef PWB_STORE_H
#define PWB_STORE_H

#include <sqlite3.h>
#include <stdint.h>

#include "series.h"

struct store_stats {
	long thread_id;
	int messages;		/* in the thread as received */
	int new_messages;
	int series;
	int trailers;		/* on the selected series */
	long selected_id;	/* row id of the selected series */
};

int store_thread(sqlite3 *db, const struct thread *t,
		 const struct series *selected, const char *source,
		 const char *lore_base, const struct buf *gz,
		 struct store_stats *st);

struct stored_trailer {
	char *kind;
	char *person;
	char *from_msgid;
};

struct stored_patch {
	long row;
	int idx;
	char *msgid;
	char *subject;
	char *author_name;	/* the commit's: an in-body From: wins */
	char *author_email;
	char *sender_name;	/* the mail's From:, or NULL */
	char *sender_email;
	int64_t date;
	int date_tz;
	char *message;
	char *diffstat;
	char *diff;
	char *patch_id;
	struct stored_trailer *trailers;
	size_t ntrailers;
};

struct stored_series {
	long id;
	long thread_id;
	char *msgid;
	int version;
	char *subject;
	char *prefixes;
	char *cover_msgid;
	char *base_commit;
	char *prerequisites;
	int total;
	int complete;
	int64_t date;
	char *lore_base;
	char *root_msgid;
	struct stored_patch *patches;	/* the patches present, by index */
	size_t npatches;
};

/*
 * SERIES as users write it: a row id, a message-id (with or without <>)
 * of the cover, a patch or any message of the thread (then the newest
 * complete version there), or a lore URL.  Prints the error.
 */
int store_find_series(sqlite3 *db, const char *arg, long *id);
/* The series of a message-id (with or without <>) as store_find_series
 * finds it, quietly: 1 found, 0 not, -1 database (said). */
int store_series_of_msgid(sqlite3 *db, const char *msgid, long *id);
/* The series whose patch (or cover letter: *idx 0) msgid is, quietly:
 * 1 found, 0 not, -1 database (said). */
int store_series_of_mail(sqlite3 *db, const char *msgid, long *id, int *idx);
int store_load_series(sqlite3 *db, long id, struct stored_series *out);
/*
 * Who the series was sent to: the To: and Cc: mailboxes of its cover
 * letter and patches as stored (mail.h's mail_recipients), each address
 * once (the first spelling), in order.  0 with *out (*n; the caller frees
 * each and the array), -1 database (said).
 */
int store_series_recipients(sqlite3 *db, const struct stored_series *s,
			    char ***out, size_t *n);
void stored_series_release(struct stored_series *s);

/* Row id of the thread holding msgid, or -1 with an error printed. */
int store_find_thread(sqlite3 *db, const char *msgid, long *thread_id);

/* One stored series, as pwb series list shows it (owned strings). */
struct series_row {
	long id;
	int version, total, complete, npatches, ntrailers;
	char *prefixes, *subject, *msgid;
	int64_t date;
	int date_tz;		/* the sender's offset, minutes east of UTC */
};
/* Every stored series, by date: 0 or -1 (said); free with series_rows_free. */
int store_list_series(sqlite3 *db, struct series_row **out, size_t *n);
void series_rows_free(struct series_row *r, size_t n);

/* One message of a stored thread, as pwb thread shows it (owned strings). */
struct thread_msg {
	char *msgid, *parent, *from_name, *from_email, *subject;
	int64_t date;
	int tz;
};
/* The messages of a thread, by date: 0 or -1 (said); free with
 * thread_msgs_free. */
int store_load_thread(sqlite3 *db, long thread_id, struct thread_msg **out,
		      size_t *n);
void thread_msgs_free(struct thread_msg *m, size_t n);

/* The bytes of message msgid as received (lore's /raw) into out
 * (appended): 0, 1 no such message, -1 database or a damaged row (said). */
int store_message_raw(sqlite3 *db, const char *msgid, struct buf *out);

/*
 * The patch's commit message with its collected trailers added to the
 * trailer block (a new block when the message has none); a trailer the
 * message already carries is not repeated.
 */
void store_message_with_trailers(struct buf *out, const char *message,
				 const struct stored_patch *p);

#endif
