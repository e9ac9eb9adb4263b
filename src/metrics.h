/*
 * metrics: samples a benchmark prints on the console, one per line,
 * possibly among kernel lines:
 *
 *   pwb-metric NAME VALUE UNIT
 *
 * NAME is [A-Za-z0-9_.:=/-]{1,128} (by convention "metric/variant", e.g.
 * "hog_ms/subs=2"), VALUE a finite number, UNIT [A-Za-z0-9_%/]{1,16}.
 * A line that starts with "pwb-metric " but does not parse is counted in
 * `bad`, never taken; a name printed twice keeps its first value.
 *
 * struct metrics owns its samples; metrics_release() frees them.
 */
#ifndef PWB_METRICS_H
#define PWB_METRICS_H

#include <stddef.h>

struct metric_sample {
	char *name;
	double value;
	char *unit;
};

struct metrics {
	struct metric_sample *s;
	size_t nr;
	size_t bad;		/* malformed pwb-metric lines */
	size_t dup;		/* names seen again (ignored) */
};

int metrics_parse(const char *text, struct metrics *out);
void metrics_release(struct metrics *m);
/* The metric a sample belongs to: NAME up to the first '/' (owned) */
char *metric_base(const char *name);

#endif
