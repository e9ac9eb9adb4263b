/*
 * stats: the statistics behind benchmark verdicts, for small samples
 * (a handful of boots per side) without assuming a distribution.
 *
 * - stats_median / stats_median_ci: the median and a distribution-free
 *   confidence interval from order statistics (binomial): for n <= 5 no
 *   95% interval exists and the full range is given with its real, lower
 *   coverage.
 * - stats_mann_whitney: two-sided Mann-Whitney U test; exact p-value when
 *   there are no ties and both sides have <= 30 samples, otherwise the
 *   normal approximation with tie and continuity correction (as R's
 *   wilcox.test and SciPy's mannwhitneyu do).
 * - stats_adjust: p-values adjusted for many comparisons at once, Holm
 *   (family-wise error) or Benjamini-Hochberg (false discovery rate).
 *
 * Arrays are the caller's; nothing here allocates beyond the call.
 */
#ifndef PWB_STATS_H
#define PWB_STATS_H

#include <stddef.h>

double stats_median(const double *x, size_t n);

struct stats_ci {
	double lo, hi;
	double coverage;	/* actual coverage of [lo, hi], e.g. 0.9785 */
};
/* Interval for the median with coverage >= level when n allows it. */
void stats_median_ci(const double *x, size_t n, double level,
		     struct stats_ci *ci);

struct stats_mw {
	double u;		/* U of the first sample */
	double p;		/* two-sided */
	int exact;
};
void stats_mann_whitney(const double *a, size_t na, const double *b,
			size_t nb, struct stats_mw *r);

enum stats_correction { STATS_NONE, STATS_HOLM, STATS_BH };
const char *stats_correction_name(enum stats_correction c);
int stats_correction_parse(const char *s, enum stats_correction *c);
/* p[i] → adj[i] (may be the same array); adjusted values are capped at 1. */
void stats_adjust(const double *p, size_t n, enum stats_correction c,
		  double *adj);

#endif
