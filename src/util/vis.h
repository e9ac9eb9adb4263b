/*
 * vis: text from a mailing list or a guest console made safe to print.
 *
 * A Subject, a From name, a message-id, a trailer or a console line can
 * carry escape sequences that clear the screen, set the terminal title or
 * write the clipboard (OSC 52).  Every printer of such text goes through
 * here: C0 controls (tab and newline too), DEL, C1 controls (U+0080 to
 * U+009F, as UTF-8 or as bare bytes), the bidirectional overrides and
 * isolates (U+202A-U+202E, U+2066-U+2069) and the line and paragraph
 * separators (U+2028, U+2029) are shown as "\x1b" or "\u009b"; a byte
 * that is not part of valid UTF-8 as "\xff".  Everything else, including
 * the backslash, is copied as it is.  The stored bytes stay as received:
 * this is for output only.
 */
#ifndef PWB_VIS_H
#define PWB_VIS_H

#include <stddef.h>
#include <stdio.h>

struct buf;

/* Append len bytes of s to b, made visible. */
void buf_add_visible(struct buf *b, const char *s, size_t len);

/*
 * s made visible, for one printf argument.  The result lives in one of
 * eight buffers owned by this module and used in turn (as git's
 * oid_to_hex), so it stays valid until eight more calls; NULL gives "".
 * Not thread-safe.
 */
const char *vis(const char *s);

/*
 * The columns a terminal gives s (UTF-8; bytes that are not count one
 * each): combining marks and zero-width characters none, East Asian wide
 * ones and emoji two, every other character one.
 */
size_t display_width(const char *s);
/*
 * s made visible (vis), cut to at most width columns (never inside a
 * character) and padded with spaces to width: a column of a table that
 * "Jérôme Glisse" does not shift.  The same ring of buffers as vis().
 */
const char *vis_cols(const char *s, size_t width);

/*
 * The words of text (already visible) written from column at on, lines
 * broken at spaces so that none goes past column cols, each new line
 * indented ind (a word longer than the room stays whole); ends the line.
 */
void fput_wrapped(FILE *out, size_t at, size_t ind, size_t cols,
		  const char *text);

/* 1 when s holds nothing buf_add_visible() would change. */
int vis_is_plain(const char *s, size_t len);

/*
 * One UTF-8 sequence at s (at most len bytes): its code point into *cp
 * and its length, or 0 when the bytes are not valid UTF-8 (overlong,
 * surrogate, past U+10FFFF, cut short).
 */
size_t utf8_decode(const unsigned char *s, size_t len, unsigned *cp);

/* Is code point cp one that vis shows escaped? */
int vis_is_control(unsigned cp);

#endif
