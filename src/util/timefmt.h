/* Dates as pwb prints them.  Buffers of at least 40 bytes. */
#ifndef PWB_TIMEFMT_H
#define PWB_TIMEFMT_H

#include <stdint.h>

/* 2019-08-15T12:05:25-07:00 */
void fmt_iso8601(char *out, int64_t t, int tz_minutes);
/* Thu, 15 Aug 2019 12:05:25 -0700 */
void fmt_rfc2822(char *out, int64_t t, int tz_minutes);
/*
 * 2019-08-15 12:05 -0700: every date pwb prints in text is in the offset
 * it was written with (a mail's sender's, as git log shows an author
 * date), with that offset shown; pwb's own times are UTC, +0000.
 */
void fmt_short(char *out, int64_t t, int tz_minutes);

#endif
