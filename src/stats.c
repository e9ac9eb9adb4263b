#include "stats.h"
#include "util/util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double *sorted_copy(const double *x, size_t n)
{
	double *s = xmalloc((n ? n : 1) * sizeof(double));

	if (n)
		memcpy(s, x, n * sizeof(double));
	qsort(s, n, sizeof(double), cmp_double);
	return s;
}

double stats_median(const double *x, size_t n)
{
	double *s, m;

	if (!n)
		return NAN;
	s = sorted_copy(x, n);
	m = n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
	free(s);
	return m;
}

/* P(B <= k) for B ~ Binomial(n, 1/2) */
static double binom_half_cdf(size_t n, size_t k)
{
	double c = 1, sum = 0, scale = pow(0.5, (double)n);
	size_t i;

	for (i = 0; i <= k && i <= n; i++) {
		sum += c;
		c = c * (double)(n - i) / (double)(i + 1);
	}
	return sum * scale;
}

void stats_median_ci(const double *x, size_t n, double level,
		     struct stats_ci *ci)
{
	double *s, alpha = 1 - level;
	size_t j, best = 1;

	if (!n) {
		ci->lo = ci->hi = NAN;
		ci->coverage = 0;
		return;
	}
	s = sorted_copy(x, n);
	/*
	 * [x(j), x(n+1-j)] covers the median with probability
	 * 1 - 2 P(B <= j-1); take the largest j that keeps >= level.
	 */
	for (j = 1; j <= (n + 1) / 2; j++)
		if (2 * binom_half_cdf(n, j - 1) <= alpha)
			best = j;
	ci->lo = s[best - 1];
	ci->hi = s[n - best];
	ci->coverage = 1 - 2 * binom_half_cdf(n, best - 1);
	free(s);
}

/*
 * P(U <= u) with no ties.  f(i, j, k): arrangements of i values of the
 * first sample and j of the second with U = k.  The largest value is
 * either the first sample's (it beats all j: k - j) or the second's:
 * f(i, j, k) = f(i-1, j, k-j) + f(i, j-1, k).  Rolled over i.
 */
static double mw_exact_cdf(size_t m, size_t n, size_t u)
{
	size_t w = m * n + 1, i, j, k;
	double *prev = xcalloc((n + 1) * w, sizeof(double));
	double *cur = xcalloc((n + 1) * w, sizeof(double));
	double total = 0, below = 0, *t;

	for (j = 0; j <= n; j++)
		prev[j * w] = 1;			/* i = 0: U = 0 */
	for (i = 1; i <= m; i++) {
		memset(cur, 0, (n + 1) * w * sizeof(double));
		cur[0] = 1;				/* j = 0: U = 0 */
		for (j = 1; j <= n; j++)
			for (k = 0; k < w; k++)
				cur[j * w + k] = (k >= j ? prev[j * w + k - j] : 0) +
						 cur[(j - 1) * w + k];
		t = prev;
		prev = cur;
		cur = t;
	}
	for (k = 0; k < w; k++) {
		total += prev[n * w + k];
		if (k <= u)
			below += prev[n * w + k];
	}
	free(prev);
	free(cur);
	return below / total;
}

void stats_mann_whitney(const double *a, size_t na, const double *b,
			size_t nb, struct stats_mw *r)
{
	size_t n = na + nb, i, j;
	double *v, *rank, ra = 0, tie = 0, mu, sigma, z, u;
	int *from_a;

	memset(r, 0, sizeof(*r));
	r->p = 1;
	if (!na || !nb)
		return;
	v = xmalloc(n * sizeof(double));
	rank = xmalloc(n * sizeof(double));
	from_a = xmalloc(n * sizeof(int));
	/* sort indices by value: simple insertion of (value, side) pairs */
	for (i = 0; i < n; i++) {
		double x = i < na ? a[i] : b[i - na];
		int s = i < na;

		for (j = i; j > 0 && v[j - 1] > x; j--) {
			v[j] = v[j - 1];
			from_a[j] = from_a[j - 1];
		}
		v[j] = x;
		from_a[j] = s;
	}
	for (i = 0; i < n; i = j) {
		double t;

		for (j = i + 1; j < n && v[j] == v[i]; j++)
			;
		t = (double)(j - i);
		for (size_t k = i; k < j; k++)
			rank[k] = ((double)i + (double)j + 1) / 2;	/* average */
		tie += t * t * t - t;
	}
	for (i = 0; i < n; i++)
		if (from_a[i])
			ra += rank[i];
	u = ra - (double)na * (double)(na + 1) / 2;
	r->u = u;
	mu = (double)na * (double)nb / 2;
	if (tie == 0 && na <= 30 && nb <= 30) {
		double lo = fmin(u, (double)na * nb - u);

		r->p = fmin(1, 2 * mw_exact_cdf(na, nb, (size_t)lo));
		r->exact = 1;
	} else {
		sigma = sqrt((double)na * nb / 12 *
			     ((double)(n + 1) - tie / ((double)n * (double)(n - 1))));
		if (sigma > 0) {
			z = (fabs(u - mu) - 0.5) / sigma;
			if (z < 0)
				z = 0;
			r->p = fmin(1, erfc(z / sqrt(2)));
		}
	}
	free(v);
	free(rank);
	free(from_a);
}

const char *stats_correction_name(enum stats_correction c)
{
	switch (c) {
	case STATS_HOLM: return "holm";
	case STATS_BH: return "bh";
	default: return "none";
	}
}

int stats_correction_parse(const char *s, enum stats_correction *c)
{
	if (!strcmp(s, "holm"))
		*c = STATS_HOLM;
	else if (!strcmp(s, "bh") || !strcmp(s, "benjamini-hochberg"))
		*c = STATS_BH;
	else if (!strcmp(s, "none"))
		*c = STATS_NONE;
	else
		return -1;
	return 0;
}

struct idx_p { double p; size_t i; };

static int cmp_idx_p(const void *a, const void *b)
{
	const struct idx_p *x = a, *y = b;

	return x->p < y->p ? -1 : x->p > y->p ? 1 :
	       x->i < y->i ? -1 : x->i > y->i;
}

void stats_adjust(const double *p, size_t n, enum stats_correction c,
		  double *adj)
{
	struct idx_p *s;
	double run;
	size_t k;

	if (!n)
		return;
	s = xmalloc(n * sizeof(*s));
	for (k = 0; k < n; k++) {
		s[k].p = p[k];
		s[k].i = k;
	}
	qsort(s, n, sizeof(*s), cmp_idx_p);
	if (c == STATS_HOLM) {
		/* step-down: max over j <= k of (n - j) p(j) */
		run = 0;
		for (k = 0; k < n; k++) {
			run = fmax(run, fmin(1, (double)(n - k) * s[k].p));
			adj[s[k].i] = run;
		}
	} else if (c == STATS_BH) {
		/* step-up: min over j >= k of n p(j) / j */
		run = 1;
		for (k = n; k-- > 0;) {
			run = fmin(run, (double)n * s[k].p / (double)(k + 1));
			adj[s[k].i] = run;
		}
	} else {
		for (k = 0; k < n; k++)
			adj[s[k].i] = s[k].p;
	}
	free(s);
}
