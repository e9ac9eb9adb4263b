/*
 * mail: mbox files and the messages in them.
 *
 * mbox_split() cuts an mbox into messages the way `git mailsplit` does:
 * a separator is a "From " line that carries a date; CRLF line ends become
 * LF; with mboxrd (what lore serves) one '>' is removed from /^>+From /.
 *
 * mail_parse() reads one message with GMime: ids, threading headers, the
 * sender, the date, the subject (RFC 2047 decoded, unfolded) and the text
 * of every text part converted to UTF-8.
 *
 * mail_info() is `git mailinfo` on a parsed mail: in-body From:/Subject:/
 * Date: lines override the headers, the subject loses its [PATCH ...]
 * prefix, and the body is cut at the patch break into message and patch.
 *
 * Ownership: every char * in these structs is owned by the struct and
 * freed by its _release(); callers copy what they keep.
 */
#ifndef PWB_MAIL_H
#define PWB_MAIL_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

enum mbox_format {
	MBOX_AUTO,	/* mboxrd when the first separator is lore's */
	MBOX_RD,	/* unescape >From */
	MBOX_O,		/* leave >From alone (git format-patch output) */
};

struct mbox_msg {
	char *data;	/* the "From " separator line, then the message */
	size_t len;
	size_t hdr;	/* where the message starts (after the separator) */
};

struct mbox {
	struct mbox_msg *msgs;
	size_t nr;
	int mboxrd;	/* the format that was used */
};

/*
 * Split data into messages.  A buffer that does not start with a "From "
 * separator (after blank lines) is taken as one message when
 * `single_ok`, else it is an error ("not an mbox").
 */
int mbox_split(const char *data, size_t len, enum mbox_format fmt,
	       int single_ok, struct mbox *out);
void mbox_release(struct mbox *mb);

/* Is this line (len bytes, no newline) an mbox "From " separator? */
int mbox_is_from_line(const char *line, size_t len);

struct mail {
	char *msgid;		/* without <>; derived when the mail had none */
	int msgid_derived;
	char *in_reply_to;	/* without <>, or NULL */
	char **refs;		/* References, oldest first, without <> */
	size_t nrefs;
	char *from_raw;		/* From header, RFC 2047 decoded */
	char *from_name;	/* as git mailinfo derives it */
	char *from_email;
	char *date_raw;		/* Date header as written, or NULL */
	int64_t date;		/* Unix seconds, 0 when no usable date */
	int date_tz;		/* minutes east of UTC */
	char *subject;		/* decoded, one line */
	char *list_id;
	char *headers;		/* the header block, as text */
	char *body;		/* text parts, UTF-8, LF line ends */
	int body_bad_utf8;	/* body had bytes invalid in its charset */
	/*
	 * The same text parts as sent: transfer-decoded, CRLF made LF, NULs
	 * dropped, but not converted from their charset.  mail_info() takes
	 * the patch from here (git mailinfo writes the patch's bytes as they
	 * are) and converts only the commit message.
	 */
	char *body_raw;
	size_t body_raw_len;
	struct mail_text {
		char *charset;	/* as declared, or NULL */
		size_t off, len; /* in body_raw */
	} *texts;
	size_t ntexts;
	int body_has_nul;	/* body had NUL bytes (dropped) */
	const char *raw;	/* the message bytes (not owned) */
	size_t raw_len;
};

/* Initialise GMime once per process (idempotent). */
void mail_global_init(void);
void mail_global_release(void);

int mail_parse(const char *data, size_t len, struct mail *out);

/*
 * The mailboxes of the To: and Cc: headers of a header block (struct
 * mail's headers, as stored), in order, each "Name <addr>" (names RFC
 * 2047 decoded) or "addr", appended to *out (*n of them; the caller frees
 * each and the array).  Groups are opened; an address without '@' is
 * left out.
 */
void mail_recipients(const char *headers, char ***out, size_t *n);
/* The address of "Name <addr>" or "addr": a pointer into s, its length. */
const char *mail_addr_of(const char *s, size_t *len);
void mail_release(struct mail *m);

/*
 * Field caps enforced at intake (docs/reliability.md): a message over one
 * of them is refused whole.  Subject and From are counted after RFC 2047
 * decoding; a message-id as stored (without <>).
 */
#define MAIL_MAX_SUBJECT 2048
#define MAIL_MAX_FROM 1024
#define MAIL_MAX_MSGID 998	/* RFC 5322's line length */
#define MAIL_MAX_REFS 4096	/* References entries */
/*
 * 0 when every field is within its cap; else -1 with the field's name
 * and size in why ("Subject is 102400 bytes (at most 2048)").
 */
int mail_check_caps(const struct mail *m, char *why, size_t n);

struct mailinfo {
	char *author;
	char *email;
	char *subject;		/* cleaned of Re: and [...] prefixes */
	char *date_raw;
	int64_t date;
	int date_tz;
	struct buf message;	/* the commit message, UTF-8 */
	struct buf patch;	/* from the patch break on, bytes as sent */
	int message_lossy;	/* message bytes invalid in their charset
				   (shown as U+FFFD; git mailinfo fails) */
};

void mailinfo_init(struct mailinfo *mi);
void mailinfo_release(struct mailinfo *mi);
int mail_info(const struct mail *m, struct mailinfo *mi);

/* Pieces of mail_info, exposed for tests and for other modules. */
void mail_parse_from(const char *from, char **name, char **email);
char *mail_cleanup_subject(const char *subject);
int mail_is_patchbreak(const char *line, size_t len);
/* Decode RFC 2047 encoded-words into UTF-8 (newly allocated). */
char *mail_decode_header(const char *in);
/* Parse an RFC 2822 date; 0 on success. */
int mail_parse_date(const char *s, int64_t *t, int *tz);

#endif
