#include "timefmt.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static struct tm local_tm(int64_t t, int tz)
{
	time_t tt = (time_t)(t + (int64_t)tz * 60);
	struct tm tm;

	gmtime_r(&tt, &tm);
	return tm;
}

void fmt_iso8601(char *out, int64_t t, int tz)
{
	struct tm tm = local_tm(t, tz);
	int a = abs(tz);

	snprintf(out, 40, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d",
		 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		 tm.tm_min, tm.tm_sec, tz < 0 ? '-' : '+', a / 60, a % 60);
}

void fmt_rfc2822(char *out, int64_t t, int tz)
{
	static const char *const days[] = { "Sun", "Mon", "Tue", "Wed", "Thu",
					    "Fri", "Sat" };
	static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May",
					      "Jun", "Jul", "Aug", "Sep", "Oct",
					      "Nov", "Dec" };
	struct tm tm = local_tm(t, tz);
	int a = abs(tz);

	snprintf(out, 40, "%s, %d %s %04d %02d:%02d:%02d %c%02d%02d",
		 days[tm.tm_wday], tm.tm_mday, months[tm.tm_mon],
		 tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec,
		 tz < 0 ? '-' : '+', a / 60, a % 60);
}

void fmt_short(char *out, int64_t t, int tz)
{
	struct tm tm = local_tm(t, tz);
	int a = abs(tz);

	snprintf(out, 40, "%04d-%02d-%02d %02d:%02d %c%02d%02d",
		 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		 tm.tm_min, tz < 0 ? '-' : '+', a / 60, a % 60);
}
